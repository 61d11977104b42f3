//! The changes an analyst makes to one hotspot on its edit page, one function each: its
//! attributes ([`edit`]), the day it is retired on ([`retire`]) and its outline
//! ([`replace_outline`]). Each is one transaction, run again when the database breaks a lock
//! conflict: lock the pilot's dates, then the hotspot; check against what is stored now; write
//! (adding one to the hotspot's version); record the audit entry; and, when the watch changed,
//! recompute the hotspot's stored coverage over the pilot's days (the coverage lock comes last).
//! The values follow the rules the hotspot import applies (`domain::hotspot`), and a change that
//! changes nothing writes nothing.

use serde::Serialize;
use serde_json::Value;
use sqlx::{PgConnection, PgPool, Postgres, Transaction};

use super::places::district_areas;
use crate::db::audit::{self, AuditEntry};
use crate::db::hotspots::{self, StoredHotspot};
use crate::db::pilots::Pilot;
use crate::db::retry::{Transient, retrying};
use crate::db::rollups::Changed;
use crate::db::{coverage, districts};
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::field_errors::{FieldErrors, sentence};
use crate::domain::hotspot::{PilotDays, Watch};
use crate::domain::hotspot_form::{HotspotEdit, HotspotForm, RetireForm};
use crate::domain::ids::{HotspotId, UserId};
use crate::import::{geometry, hotspots::placed, outline};

/// Why a hotspot or a district was not changed.
#[derive(Debug, thiserror::Error)]
pub enum PlaceError {
    #[error("the form's fields do not pass the rules")]
    Invalid(FieldErrors),
    /// The hotspot changed since the form was filled; it is now as given.
    #[error("the hotspot was changed by someone else")]
    Stale(Box<StoredHotspot>),
    #[error("there is no such hotspot or district")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<serde_json::Error> for PlaceError {
    fn from(error: serde_json::Error) -> PlaceError {
        PlaceError::Internal(error.into())
    }
}

impl Transient for PlaceError {
    fn is_transient(&self) -> bool {
        match self {
            PlaceError::Db(e) => e.is_transient(),
            PlaceError::Internal(e) => e.is_transient(),
            _ => false,
        }
    }
}

/// One problem with one field.
pub(super) fn invalid(field: &'static str, message: impl Into<String>) -> PlaceError {
    let mut errors = FieldErrors::new();
    errors.add(field, message);
    PlaceError::Invalid(errors)
}

/// A hotspot's attributes as the audit log records them; the outline is recorded only when it
/// changes ([`OutlineAudit`]).
#[derive(Serialize)]
struct AttributesAudit<'a> {
    pilot: &'a str,
    name: &'a str,
    #[serde(flatten)]
    watch: &'a Watch,
    reason: &'a str,
}

impl<'a> AttributesAudit<'a> {
    fn of(pilot: &'a Pilot, hotspot: &'a StoredHotspot) -> AttributesAudit<'a> {
        AttributesAudit {
            pilot: &pilot.slug,
            name: &hotspot.name,
            watch: &hotspot.watch,
            reason: &hotspot.reason,
        }
    }
}

/// A hotspot's outline as the audit log records it.
#[derive(Serialize)]
struct OutlineAudit<'a> {
    pilot: &'a str,
    name: &'a str,
    boundary: &'a Value,
}

impl<'a> OutlineAudit<'a> {
    fn of(pilot: &'a Pilot, hotspot: &'a StoredHotspot) -> OutlineAudit<'a> {
        OutlineAudit {
            pilot: &pilot.slug,
            name: &hotspot.name,
            boundary: &hotspot.boundary,
        }
    }
}

/// Gives hotspot `id` the attributes of the edit form, by `author`, if it is still at the form's
/// version; otherwise `Stale` with its current state. A name another hotspot of the pilot has is
/// refused beside the name.
pub async fn edit(
    pool: &PgPool,
    author: UserId,
    id: HotspotId,
    form: &HotspotForm,
) -> Result<StoredHotspot, PlaceError> {
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let (pilot, before) = lock(&mut tx, id).await?;
        let edit = HotspotEdit::parse(form, days(&pilot)).map_err(PlaceError::Invalid)?;
        if edit.version != before.version {
            return Err(PlaceError::Stale(Box::new(before)));
        }
        let after = StoredHotspot {
            name: edit.name,
            watch: edit.watch,
            reason: edit.reason,
            ..before.clone()
        };
        save_attributes(tx, author, AuditAction::Update, &pilot, before, after).await
    })
    .await
}

/// Retires hotspot `id` on the form's day, by `author`: it is not watched after that day, which
/// lies in the pilot and not before its first day watched. Its earlier days keep their figures.
pub async fn retire(
    pool: &PgPool,
    author: UserId,
    id: HotspotId,
    form: &RetireForm,
) -> Result<StoredHotspot, PlaceError> {
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let (pilot, before) = lock(&mut tx, id).await?;
        let watch = form
            .retire(&before.watch, days(&pilot))
            .map_err(PlaceError::Invalid)?;
        let after = StoredHotspot {
            watch,
            ..before.clone()
        };
        save_attributes(tx, author, AuditAction::Retire, &pilot, before, after).await
    })
    .await
}

/// Gives hotspot `id` the outline in `file` (GeoJSON: one Polygon, bare, as a Feature or as a
/// FeatureCollection of one), by `author`: refused beside `file` unless it is a shape on the
/// ground whose centre lies in or near the hotspot's district, as the import checks. The
/// coverage figures do not read outlines, so none is recomputed.
pub async fn replace_outline(
    pool: &PgPool,
    author: UserId,
    id: HotspotId,
    file: &[u8],
) -> Result<StoredHotspot, PlaceError> {
    let polygon = outline::polygon(file).map_err(|reason| invalid("file", sentence(reason)))?;
    let boundary = geometry::polygon_json(&polygon);
    let (polygon, boundary) = (&polygon, &boundary);
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let (pilot, before) = lock(&mut tx, id).await?;
        let areas = district_areas(districts::list(&mut *tx, pilot.id).await?);
        let district = areas
            .iter()
            .find(|d| d.id == before.district_id)
            .ok_or(PlaceError::NotFound)?;
        placed(polygon, district, &areas).map_err(|reason| invalid("file", sentence(reason)))?;
        if geometry::normalised(&before.boundary) == *boundary {
            return Ok(before);
        }
        let version = hotspots::set_boundary(&mut *tx, id, boundary).await?;
        let after = StoredHotspot {
            boundary: boundary.clone(),
            version,
            ..before.clone()
        };
        let entry = entry(author, AuditAction::Update, &pilot, id)
            .before(&OutlineAudit::of(&pilot, &before))?
            .after(&OutlineAudit::of(&pilot, &after))?;
        audit::record(&mut *tx, &entry).await?;
        tx.commit().await?;
        Ok(after)
    })
    .await
}

/// The pilot of hotspot `id` and the hotspot, locked in that order.
async fn lock(
    conn: &mut PgConnection,
    id: HotspotId,
) -> Result<(Pilot, StoredHotspot), PlaceError> {
    let pilot = hotspots::lock_pilot_of(&mut *conn, id)
        .await?
        .ok_or(PlaceError::NotFound)?;
    let hotspot = hotspots::lock(&mut *conn, id)
        .await?
        .ok_or(PlaceError::NotFound)?;
    Ok((pilot, hotspot))
}

fn days(pilot: &Pilot) -> PilotDays {
    PilotDays {
        first: pilot.starts_on,
        last: pilot.ends_on,
    }
}

/// Stores `after`'s name, watch and reason; `after` at its new version. A name another hotspot
/// of the pilot holds is refused beside the name.
async fn write_attributes(
    conn: &mut PgConnection,
    after: StoredHotspot,
) -> Result<StoredHotspot, PlaceError> {
    let written = hotspots::set_attributes(
        &mut *conn,
        after.id,
        &after.name,
        &after.watch,
        &after.reason,
    )
    .await;
    match written {
        Ok(version) => Ok(StoredHotspot { version, ..after }),
        Err(e) if hotspots::is_name_taken(&e) => Err(invalid(
            "name",
            format!(
                "Another hotspot of this pilot is named {}. Choose another name.",
                after.name
            ),
        )),
        Err(e) => Err(e.into()),
    }
}

fn entry(author: UserId, action: AuditAction, pilot: &Pilot, id: HotspotId) -> AuditEntry {
    AuditEntry::new(Some(author), action, AuditEntity::Hotspot, Some(id.0)).of_pilot(pilot.id)
}

/// Stores the name, watch and reason of `after` over `before`'s, unless they are the same: write,
/// record the audit entry as `action`, recompute the hotspot's coverage, commit.
async fn save_attributes(
    mut tx: Transaction<'_, Postgres>,
    author: UserId,
    action: AuditAction,
    pilot: &Pilot,
    before: StoredHotspot,
    after: StoredHotspot,
) -> Result<StoredHotspot, PlaceError> {
    if after.name == before.name && after.watch == before.watch && after.reason == before.reason {
        return Ok(before);
    }
    let after = write_attributes(&mut tx, after).await?;
    let entry = entry(author, action, pilot, after.id)
        .before(&AttributesAudit::of(pilot, &before))?
        .after(&AttributesAudit::of(pilot, &after))?;
    audit::record(&mut *tx, &entry).await?;
    refresh(&mut tx, pilot, after.id).await?;
    tx.commit().await?;
    Ok(after)
}

/// Recomputes the stored coverage of hotspot `id` over every day of the pilot: a new window or
/// target changes every day it is watched, and days no longer watched lose their blocks.
async fn refresh(conn: &mut PgConnection, pilot: &Pilot, id: HotspotId) -> anyhow::Result<()> {
    let days = (pilot.starts_on, pilot.ends_on);
    coverage::refresh_hotspots(conn, pilot.id, days, Some(&[id]), Changed::Everything).await?;
    Ok(())
}
