//! Storing a seeded pilot, its places and statistics, and its audit entry through `db::seed`: the
//! demo and the city-scale seed both turn their plans into the rows it takes here.

use anyhow::Context;
use serde_json::Value;
use sqlx::PgConnection;

use super::demo::DemoSummary;
use super::places::HotspotDef;
use super::roster::PilotDates;
use crate::db::audit::{self, AuditEntry};
use crate::db::seed::{self, HotspotRow, OfficerRow, PilotRow};
use crate::domain::agency::{Agency, AgencyForm};
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::{db, service};

/// Inserts the pilot unless its slug exists; its id when this call created it.
pub async fn insert_pilot(
    conn: &mut PgConnection,
    slug: &str,
    name: &str,
    city: &str,
    time_zone: &str,
    dates: PilotDates,
    block_minutes: i32,
) -> anyhow::Result<Option<i64>> {
    let pilot = PilotRow {
        slug,
        name,
        city,
        time_zone,
        starts_on: dates.starts_on,
        ends_on: dates.ends_on,
        block_minutes,
    };
    seed::insert_pilot(conn, &pilot).await
}

/// The id of the pilot with `slug`.
pub async fn pilot_id(conn: &mut PgConnection, slug: &str) -> anyhow::Result<i64> {
    let pilot = crate::db::pilots::find(&mut *conn, slug)
        .await
        .with_context(|| format!("looking up pilot {slug}"))?
        .with_context(|| format!("no pilot {slug}"))?;
    Ok(pilot.id.0)
}

/// Inserts the hotspots, whose districts are indices into `district_ids`; their ids in the order
/// given.
pub async fn insert_hotspots(
    conn: &mut PgConnection,
    pilot_id: i64,
    hotspots: &[HotspotDef],
    district_ids: &[i64],
) -> anyhow::Result<Vec<i64>> {
    let rows = hotspots
        .iter()
        .map(|h| {
            let district_id = district_ids
                .get(h.district)
                .copied()
                .with_context(|| format!("district of {}", h.name))?;
            Ok(HotspotRow {
                district_id,
                name: &h.name,
                watch: &h.watch,
                reason: &h.reason,
                boundary: &h.boundary,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    seed::insert_hotspots(conn, pilot_id, &rows).await
}

/// Adds the seed's agencies (code, name and label) that are not on file; those on file keep
/// their name and label, so seeding again changes nothing.
pub async fn insert_agencies(
    conn: &mut PgConnection,
    agencies: &[(&str, &str, &str)],
) -> anyhow::Result<()> {
    for (code, name, label) in agencies {
        let form = AgencyForm {
            code: code.to_string(),
            name: name.to_string(),
            label: label.to_string(),
        };
        let agency = Agency::parse(&form).map_err(|errors| {
            let problems: Vec<String> = errors.into_messages().collect();
            anyhow::anyhow!("agency {code}: {}", problems.join(" "))
        })?;
        if db::agencies::find(&mut *conn, &agency.code)
            .await?
            .is_none()
        {
            service::agencies::add_in(conn, None, &agency)
                .await
                .with_context(|| format!("adding agency {code}"))?;
        }
    }
    Ok(())
}

/// Inserts the officers not on file yet and assigns all of them to the pilot for its whole
/// length; their ids in the order given.
pub async fn insert_assigned_officers(
    conn: &mut PgConnection,
    pilot_id: i64,
    officers: &[OfficerRow<'_>],
    dates: PilotDates,
) -> anyhow::Result<Vec<i64>> {
    let ids = seed::insert_officers(conn, officers).await?;
    seed::insert_assignments(
        conn,
        pilot_id,
        officers,
        &ids,
        dates.starts_on,
        dates.ends_on,
    )
    .await?;
    Ok(ids)
}

/// Records the seed in the audit log (no user: the system did it).
pub async fn insert_audit(
    conn: &mut PgConnection,
    pilot_id: i64,
    after: Value,
) -> anyhow::Result<()> {
    let entry = AuditEntry {
        after: Some(after),
        ..AuditEntry::new(None, AuditAction::Seed, AuditEntity::Pilot, Some(pilot_id))
    };
    audit::record(&mut *conn, &entry)
        .await
        .context("writing the audit entry")?;
    Ok(())
}

/// What the database holds for the pilot now.
pub async fn summary(
    conn: &mut PgConnection,
    pilot_id: i64,
    pilot_created: bool,
) -> anyhow::Result<DemoSummary> {
    let counts = crate::db::seed_counts::demo(conn, pilot_id).await?;
    Ok(DemoSummary {
        pilot_created,
        ..counts
    })
}
