//! Importing a pilot's districts and hotspots, in the transaction [`super::imports::run`] holds
//! with the import's lock: read the file, check it against what is stored, and (unless it is a dry
//! run) write each row that differs from the stored one of its key ((pilot, code) for districts,
//! (pilot, name) for hotspots) with an audit entry; a row equal to the stored one is left alone.

use std::collections::HashMap;

use anyhow::Context;
use serde::Serialize;
use serde_json::Value;
use sqlx::PgConnection;

use crate::db::audit::{self, AuditEntry};
use crate::db::districts::{self, District};
use crate::db::hotspots::{self, Hotspot};
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::hotspot::Watch;
use crate::domain::ids::DistrictId;
use crate::import::apply::{Applied, Pilot, Request};
use crate::import::changes::Tally;
use crate::import::districts::DistrictRow;
use crate::import::hotspots::{DistrictArea, PilotArea};
use crate::import::{RowError, geometry};

/// A district as the audit log records it.
#[derive(Serialize)]
struct DistrictAudit<'a> {
    pilot: &'a str,
    code: &'a str,
    name: &'a str,
    boundary: &'a Value,
}

/// A hotspot as the audit log records it.
#[derive(Serialize)]
struct HotspotAudit<'a> {
    pilot: &'a str,
    name: &'a str,
    /// The district's code.
    district: &'a str,
    #[serde(flatten)]
    watch: &'a Watch,
    reason: &'a str,
    boundary: &'a Value,
}

/// An import's audit entry for `entity` `id`: `before` (if it was stored) and `after`.
pub(super) fn entry(
    request: &Request<'_>,
    entity: AuditEntity,
    id: impl Into<i64>,
    before: Option<&impl Serialize>,
    after: &impl Serialize,
) -> Result<AuditEntry, serde_json::Error> {
    let entry = AuditEntry::new(
        request.user_id,
        AuditAction::Import,
        entity,
        Some(id.into()),
    );
    match before {
        Some(before) => entry.before(before)?.after(after),
        None => entry.after(after),
    }
}

/// Imports district boundaries into `pilot`. A district's name must stay unique in the pilot.
pub async fn import_districts_in(
    conn: &mut PgConnection,
    pilot: &Pilot,
    text: &str,
    request: &Request<'_>,
) -> anyhow::Result<Applied> {
    let stored = districts::list(&mut *conn, pilot.id).await?;
    let by_code: HashMap<&str, &District> = stored.iter().map(|d| (d.code.as_str(), d)).collect();
    let names = by_code.iter().map(|(&code, d)| (code, d.name.as_str()));
    let (format, rows) = boundary_rows(text, names.collect(), "district {} of this pilot");
    let rows = match rows {
        Ok(rows) => rows,
        Err(errors) => return Ok(Applied::rejected(format, errors)),
    };
    let mut tally = Tally::default();
    for row in &rows {
        let before = by_code.get(row.code.as_str()).copied();
        let same = |old: &District| {
            old.name == row.name && geometry::normalised(&old.boundary) == row.boundary
        };
        let what = || format!("district {} {}", row.code, row.name);
        if !tally.add(row.origin, what, before, same, request.dry_run) {
            continue;
        }
        let id = districts::save(&mut *conn, pilot.id, &row.code, &row.name, &row.boundary)
            .await
            .with_context(|| format!("writing district {}", row.code))?;
        let before = before.map(|old| DistrictAudit {
            pilot: &pilot.slug,
            code: &old.code,
            name: &old.name,
            boundary: &old.boundary,
        });
        let after = DistrictAudit {
            pilot: &pilot.slug,
            code: &row.code,
            name: &row.name,
            boundary: &row.boundary,
        };
        let entry = entry(request, AuditEntity::District, id, before.as_ref(), &after)?;
        audit::record(&mut *conn, &entry.of_pilot(pilot.id)).await?;
    }
    Ok(Applied::tallied(format, rows.len(), tally))
}

/// What a boundaries file (districts or communities) turned out to be, and its rows checked
/// against the stored names by code, or every bad row. `owner` says whose a stored name is, with
/// `{}` for its code, e.g. "district {} of this pilot".
pub(super) fn boundary_rows(
    text: &str,
    stored: HashMap<&str, &str>,
    owner: &str,
) -> (String, Result<Vec<DistrictRow>, Vec<RowError>>) {
    let (format, rows) = crate::import::districts::parse(text);
    let rows = rows.and_then(|rows| {
        let clashes = name_clashes(&stored, &rows, owner);
        if clashes.is_empty() {
            Ok(rows)
        } else {
            Err(clashes)
        }
    });
    (format.describe().to_string(), rows)
}

/// The rows whose name another district (or community) keeps after the import: a name must stay
/// unique in the pilot (or city). `stored` are the stored names by code; `owner` as for
/// [`boundary_rows`].
fn name_clashes(stored: &HashMap<&str, &str>, rows: &[DistrictRow], owner: &str) -> Vec<RowError> {
    let mut name_owner: HashMap<String, &str> = stored
        .iter()
        .map(|(&code, name)| (name.to_lowercase(), code))
        .collect();
    for row in rows {
        if let Some(old) = stored.get(row.code.as_str()) {
            name_owner.remove(&old.to_lowercase());
        }
    }
    rows.iter()
        .filter_map(|row| match name_owner.get(&row.name.to_lowercase()) {
            Some(&code) if code != row.code => Some(row.origin.error(format!(
                "the name {} is already used by {}",
                row.name,
                owner.replace("{}", code)
            ))),
            _ => None,
        })
        .collect()
}

/// The pilot's dates and districts, for checking hotspots against.
fn pilot_area(pilot: &Pilot, districts: Vec<District>) -> PilotArea {
    PilotArea {
        starts_on: pilot.starts_on,
        ends_on: pilot.ends_on,
        districts: district_areas(districts),
    }
}

/// The pilot's districts, as hotspots are checked against them.
pub(super) fn district_areas(districts: Vec<District>) -> Vec<DistrictArea> {
    districts
        .into_iter()
        .map(|d| DistrictArea {
            shape: geometry::from_geojson(&d.boundary, true)
                .unwrap_or_else(|_| geo::MultiPolygon::new(Vec::new())),
            id: d.id,
            code: d.code,
            name: d.name,
        })
        .collect()
}

/// Imports hotspots into `pilot`, each checked against the pilot's dates and stored districts,
/// and refreshes the pilot's stored coverage when one changed.
pub async fn import_hotspots_in(
    conn: &mut PgConnection,
    pilot: &Pilot,
    text: &str,
    request: &Request<'_>,
) -> anyhow::Result<Applied> {
    let area = pilot_area(pilot, districts::list(&mut *conn, pilot.id).await?);
    let format = "GeoJSON FeatureCollection".to_string();
    let rows = match crate::import::hotspots::parse(text, &area) {
        Ok(rows) => rows,
        Err(errors) => return Ok(Applied::rejected(format, errors)),
    };
    let codes: HashMap<DistrictId, &str> = area
        .districts
        .iter()
        .map(|d| (d.id, d.code.as_str()))
        .collect();
    let stored = hotspots::list(&mut *conn, pilot.id).await?;
    let by_name: HashMap<&str, &Hotspot> = stored.iter().map(|h| (h.name.as_str(), h)).collect();
    let mut tally = Tally::default();
    for row in &rows {
        let before = by_name.get(row.name.as_str()).copied();
        let same = |old: &Hotspot| {
            old.district_id == row.district_id
                && old.watch == row.watch
                && old.reason == row.reason
                && geometry::normalised(&old.boundary) == row.boundary
        };
        let what = || format!("hotspot {}", row.name);
        if !tally.add(row.origin, what, before, same, request.dry_run) {
            continue;
        }
        let id = hotspots::save(
            &mut *conn,
            pilot.id,
            row.district_id,
            &row.name,
            &row.watch,
            &row.reason,
            &row.boundary,
        )
        .await
        .with_context(|| format!("writing hotspot {}", row.name))?;
        let before = before.map(|old| HotspotAudit {
            pilot: &pilot.slug,
            name: &old.name,
            district: codes.get(&old.district_id).copied().unwrap_or(""),
            watch: &old.watch,
            reason: &old.reason,
            boundary: &old.boundary,
        });
        let after = HotspotAudit {
            pilot: &pilot.slug,
            name: &row.name,
            district: &row.district_code,
            watch: &row.watch,
            reason: &row.reason,
            boundary: &row.boundary,
        };
        let entry = entry(request, AuditEntity::Hotspot, id, before.as_ref(), &after)?;
        audit::record(&mut *conn, &entry.of_pilot(pilot.id)).await?;
    }
    if !request.dry_run && tally.counts.new + tally.counts.updated > 0 {
        // The dashboard reads stored coverage: it must follow the hotspots in this transaction.
        crate::db::coverage::refresh(&mut *conn, pilot.id, pilot.starts_on, pilot.ends_on)
            .await
            .context("refreshing coverage after the hotspot import")?;
    }
    Ok(Applied::tallied(format, rows.len(), tally))
}
