//! The change an analyst makes to a district on its edit page: its name ([`rename`]). One
//! transaction, run again when the database breaks a lock conflict: lock the district, check,
//! write, record the audit entry. Coverage is kept by the district's id, never its name, so no
//! figure is recomputed; the community statistics a district page compares are matched by its
//! name when the page is read.

use serde::Serialize;
use sqlx::PgPool;

use super::hotspots::{PlaceError, invalid};
use crate::db::audit::{self, AuditEntry};
use crate::db::districts::{self, StoredDistrict};
use crate::db::retry::retrying;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::district_form::DistrictForm;
use crate::domain::ids::{DistrictId, UserId};

/// A district's name as the audit log records it.
#[derive(Serialize)]
struct NameAudit<'a> {
    pilot: &'a str,
    code: &'a str,
    name: &'a str,
}

impl<'a> NameAudit<'a> {
    fn of(district: &'a StoredDistrict) -> NameAudit<'a> {
        NameAudit {
            pilot: &district.pilot_slug,
            code: &district.code,
            name: &district.name,
        }
    }
}

/// Gives district `id` the name of the form, by `author`. A name another district of the pilot
/// has is refused beside the name.
pub async fn rename(
    pool: &PgPool,
    author: UserId,
    id: DistrictId,
    form: &DistrictForm,
) -> Result<StoredDistrict, PlaceError> {
    let name = form.parse().map_err(PlaceError::Invalid)?;
    let name = &name;
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let before = districts::lock(&mut *tx, id)
            .await?
            .ok_or(PlaceError::NotFound)?;
        if before.name == *name {
            return Ok(before);
        }
        districts::set_name(&mut *tx, id, name).await.map_err(
            |e| match districts::is_name_taken(&e) {
                true => invalid(
                    "name",
                    format!("Another district of this pilot is named {name}. Choose another name."),
                ),
                false => e.into(),
            },
        )?;
        let after = StoredDistrict {
            name: name.clone(),
            ..before.clone()
        };
        let entry = AuditEntry::new(
            Some(author),
            AuditAction::Update,
            AuditEntity::District,
            Some(id.0),
        )
        .of_pilot(before.pilot_id)
        .before(&NameAudit::of(&before))?
        .after(&NameAudit::of(&after))?;
        audit::record(&mut *tx, &entry).await?;
        tx.commit().await?;
        Ok(after)
    })
    .await
}
