//! Writing districts and hotspots: compare each checked row with the pilot's stored one by its
//! key ((pilot, code) for districts, (pilot, name) for hotspots), then insert or update it with
//! an audit entry; a row equal to the stored one is left alone.

use std::collections::HashMap;

use anyhow::Context;
use serde_json::{Value, json};
use sqlx::PgConnection;

use super::apply::{Pilot, Request};
use super::districts::DistrictRow;
use super::hotspots::{DistrictArea, HotspotRow, PilotArea};
use super::{Counts, RowError, geometry};
use crate::db::audit;
use crate::db::audit::AuditEntry;
use crate::db::hotspots::Hotspot;
use crate::domain::audit::{AuditAction, AuditEntity};

/// A stored geometry as the importer would write it, so that equal shapes compare equal
/// whatever way their numbers were written; `Null` when it cannot be read (it then differs).
fn normalised_geometry(value: &Value) -> Value {
    match (
        value.get("type").and_then(Value::as_str),
        geometry::from_geojson(value, true),
    ) {
        (Some("MultiPolygon"), Ok(polygons)) => geometry::multipolygon_json(&polygons),
        (Some("Polygon"), Ok(mut polygons)) => match polygons.0.pop() {
            Some(polygon) => geometry::polygon_json(&polygon),
            None => Value::Null,
        },
        _ => Value::Null,
    }
}

type DistrictStored = (i64, String, String, Value);

pub(super) async fn apply_districts(
    conn: &mut PgConnection,
    pilot: &Pilot,
    rows: &[DistrictRow],
    request: &Request<'_>,
) -> anyhow::Result<Result<Counts, Vec<RowError>>> {
    let stored: Vec<DistrictStored> = sqlx::query_as(
        "select id, code, name, boundary from districts where pilot_id = $1 order by id",
    )
    .bind(pilot.id)
    .fetch_all(&mut *conn)
    .await?;
    let by_code: HashMap<&str, &DistrictStored> =
        stored.iter().map(|d| (d.1.as_str(), d)).collect();
    // A name must stay unique in the pilot after the import.
    let mut name_owner: HashMap<String, String> = stored
        .iter()
        .map(|d| (d.2.to_lowercase(), d.1.clone()))
        .collect();
    for row in rows {
        if let Some(old) = by_code.get(row.code.as_str()) {
            name_owner.remove(&old.2.to_lowercase());
        }
    }
    let mut errors = Vec::new();
    for row in rows {
        if let Some(owner) = name_owner.get(&row.name.to_lowercase())
            && owner != &row.code
        {
            errors.push(row.origin.error(format!(
                "the name {} is already used by district {owner} of this pilot",
                row.name
            )));
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let mut counts = Counts::default();
    let audit_json = |code: &str, name: &str, boundary: &Value| json!({ "pilot": pilot.slug, "code": code, "name": name, "boundary": boundary });
    for row in rows {
        match by_code.get(row.code.as_str()) {
            Some((id, code, name, boundary)) => {
                if name == &row.name && normalised_geometry(boundary) == row.boundary {
                    counts.unchanged += 1;
                    continue;
                }
                counts.updated += 1;
                if request.dry_run {
                    continue;
                }
                sqlx::query("update districts set name = $2, boundary = $3 where id = $1")
                    .bind(id)
                    .bind(&row.name)
                    .bind(&row.boundary)
                    .execute(&mut *conn)
                    .await
                    .with_context(|| format!("updating district {code}"))?;
                audit::record(
                    &mut *conn,
                    &AuditEntry {
                        user_id: request.user_id,
                        action: AuditAction::Import,
                        entity: AuditEntity::District,
                        entity_id: Some(*id),
                        before: Some(audit_json(code, name, boundary)),
                        after: Some(audit_json(&row.code, &row.name, &row.boundary)),
                    },
                )
                .await?;
            }
            None => {
                counts.new += 1;
                if request.dry_run {
                    continue;
                }
                let id: i64 = sqlx::query_scalar(
                    "insert into districts (pilot_id, code, name, boundary) values ($1, $2, $3, $4) returning id",
                )
                .bind(pilot.id)
                .bind(&row.code)
                .bind(&row.name)
                .bind(&row.boundary)
                .fetch_one(&mut *conn)
                .await
                .with_context(|| format!("inserting district {}", row.code))?;
                audit::record(
                    &mut *conn,
                    &AuditEntry {
                        user_id: request.user_id,
                        action: AuditAction::Import,
                        entity: AuditEntity::District,
                        entity_id: Some(id),
                        before: None,
                        after: Some(audit_json(&row.code, &row.name, &row.boundary)),
                    },
                )
                .await?;
            }
        }
    }
    Ok(Ok(counts))
}

/// The pilot's dates and districts, for checking hotspots against.
pub(super) async fn pilot_area(
    conn: &mut PgConnection,
    pilot: &Pilot,
) -> anyhow::Result<PilotArea> {
    let districts = crate::db::districts::list(&mut *conn, pilot.id).await?;
    Ok(PilotArea {
        starts_on: pilot.starts_on,
        ends_on: pilot.ends_on,
        districts: districts
            .into_iter()
            .map(|d| DistrictArea {
                shape: geometry::from_geojson(&d.boundary, true)
                    .unwrap_or_else(|_| geo::MultiPolygon::new(Vec::new())),
                id: d.id,
                code: d.code,
                name: d.name,
            })
            .collect(),
    })
}

/// A hotspot's stored facts as the audit log records them.
fn hotspot_json(slug: &str, district_code: &str, h: &Hotspot) -> Value {
    json!({
        "pilot": slug,
        "name": h.name,
        "district": district_code,
        "priority": h.priority,
        "active_from": h.active_from,
        "active_to": h.active_to,
        "window_start": h.window_start,
        "window_end": h.window_end,
        "target_minutes_per_day": h.target_minutes_per_day,
        "max_gap_minutes": h.max_gap_minutes,
        "reason": h.reason,
        "boundary": h.boundary,
    })
}

fn as_stored(row: &HotspotRow, id: i64) -> Hotspot {
    Hotspot {
        id,
        district_id: row.district_id,
        name: row.name.clone(),
        priority: row.priority,
        active_from: row.active_from,
        active_to: row.active_to,
        window_start: row.window_start,
        window_end: row.window_end,
        target_minutes_per_day: row.target_minutes_per_day,
        max_gap_minutes: row.max_gap_minutes,
        reason: row.reason.clone(),
        boundary: row.boundary.clone(),
    }
}

pub(super) async fn apply_hotspots(
    conn: &mut PgConnection,
    pilot: &Pilot,
    rows: &[HotspotRow],
    request: &Request<'_>,
) -> anyhow::Result<Result<Counts, Vec<RowError>>> {
    let stored = crate::db::hotspots::list(&mut *conn, pilot.id).await?;
    let codes: HashMap<i64, String> =
        sqlx::query_as::<_, (i64, String)>("select id, code from districts where pilot_id = $1")
            .bind(pilot.id)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect();
    let by_name: HashMap<&str, &Hotspot> = stored.iter().map(|h| (h.name.as_str(), h)).collect();
    let mut counts = Counts::default();
    for row in rows {
        let after = as_stored(row, 0);
        match by_name.get(row.name.as_str()) {
            Some(old) => {
                let mut comparable = (*old).clone();
                comparable.boundary = normalised_geometry(&old.boundary);
                if hotspot_json("", "", &comparable) == hotspot_json("", "", &after)
                    && comparable.district_id == after.district_id
                {
                    counts.unchanged += 1;
                    continue;
                }
                counts.updated += 1;
                if request.dry_run {
                    continue;
                }
                sqlx::query(
                    r#"update hotspots
                          set district_id = $2, priority = $3, active_from = $4, active_to = $5,
                              window_start = $6, window_end = $7, target_minutes_per_day = $8,
                              max_gap_minutes = $9, reason = $10, boundary = $11
                        where id = $1"#,
                )
                .bind(old.id)
                .bind(row.district_id)
                .bind(row.priority)
                .bind(row.active_from)
                .bind(row.active_to)
                .bind(row.window_start)
                .bind(row.window_end)
                .bind(row.target_minutes_per_day)
                .bind(row.max_gap_minutes)
                .bind(&row.reason)
                .bind(&row.boundary)
                .execute(&mut *conn)
                .await
                .with_context(|| format!("updating hotspot {}", row.name))?;
                let old_code = codes.get(&old.district_id).map_or("", String::as_str);
                audit::record(
                    &mut *conn,
                    &AuditEntry {
                        user_id: request.user_id,
                        action: AuditAction::Import,
                        entity: AuditEntity::Hotspot,
                        entity_id: Some(old.id),
                        before: Some(hotspot_json(&pilot.slug, old_code, old)),
                        after: Some(hotspot_json(&pilot.slug, &row.district_code, &after)),
                    },
                )
                .await?;
            }
            None => {
                counts.new += 1;
                if request.dry_run {
                    continue;
                }
                let id: i64 = sqlx::query_scalar(
                    r#"insert into hotspots (pilot_id, district_id, name, priority, active_from,
                                             active_to, window_start, window_end,
                                             target_minutes_per_day, max_gap_minutes, reason, boundary)
                       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                       returning id"#,
                )
                .bind(pilot.id)
                .bind(row.district_id)
                .bind(&row.name)
                .bind(row.priority)
                .bind(row.active_from)
                .bind(row.active_to)
                .bind(row.window_start)
                .bind(row.window_end)
                .bind(row.target_minutes_per_day)
                .bind(row.max_gap_minutes)
                .bind(&row.reason)
                .bind(&row.boundary)
                .fetch_one(&mut *conn)
                .await
                .with_context(|| format!("inserting hotspot {}", row.name))?;
                audit::record(
                    &mut *conn,
                    &AuditEntry {
                        user_id: request.user_id,
                        action: AuditAction::Import,
                        entity: AuditEntity::Hotspot,
                        entity_id: Some(id),
                        before: None,
                        after: Some(hotspot_json(
                            &pilot.slug,
                            &row.district_code,
                            &as_stored(row, id),
                        )),
                    },
                )
                .await?;
            }
        }
    }
    if !request.dry_run && counts.new + counts.updated > 0 {
        // The dashboard reads stored coverage: it must follow the hotspots in this transaction.
        crate::db::coverage::refresh(&mut *conn, pilot.id, pilot.starts_on, pilot.ends_on)
            .await
            .context("refreshing coverage after the hotspot import")?;
    }
    Ok(Ok(counts))
}
