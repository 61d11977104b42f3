//! Adding districts to a pilot by choosing them among its city's communities: each chosen
//! community's code, name and boundary are copied into a new district of the pilot, in one
//! transaction with an audit entry each. It takes the district import's lock, so it and an import
//! of districts run one after the other. A new district has no hotspots yet, so no stored coverage
//! changes (as with the district import, which also leaves coverage alone).

use std::collections::{BTreeSet, HashSet};

use serde::Serialize;
use serde_json::Value;
use sqlx::PgPool;

use crate::db::audit::{self, AuditEntry};
use crate::db::communities::{self, Community};
use crate::db::districts::{self, District};
use crate::db::pilots::Pilot;
use crate::db::retry::{Transient, retrying};
use crate::domain::City;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::ids::{DistrictId, UserId};
use crate::import::Kind;

/// Why no district was added.
#[derive(Debug, thiserror::Error)]
pub enum ChoiceError {
    #[error("choose at least one community")]
    NoneChosen,
    /// Codes that are no community of the pilot's city.
    #[error("not a community of the pilot's city: {}", .0.join(", "))]
    Unknown(Vec<String>),
    /// Codes the pilot already has districts with.
    #[error("already a district of the pilot: {}", .0.join(", "))]
    AlreadyDistricts(Vec<String>),
    /// Names of chosen communities that districts of the pilot (with other codes) already have.
    #[error("the name is already used by another district of the pilot: {}", .0.join(", "))]
    NameTaken(Vec<String>),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<serde_json::Error> for ChoiceError {
    fn from(error: serde_json::Error) -> ChoiceError {
        ChoiceError::Internal(error.into())
    }
}

impl Transient for ChoiceError {
    fn is_transient(&self) -> bool {
        match self {
            ChoiceError::Db(e) => e.is_transient(),
            ChoiceError::Internal(e) => e.is_transient(),
            _ => false,
        }
    }
}

/// A district added from a community.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddedDistrict {
    pub id: DistrictId,
    pub code: String,
    pub name: String,
}

/// A district as the audit log records it, with the community it was copied from.
#[derive(Serialize)]
struct DistrictAudit<'a> {
    pilot: &'a str,
    code: &'a str,
    name: &'a str,
    from_community_of: &'a City,
    boundary: &'a Value,
}

/// Adds to `pilot`, by `author`, a district for each community of the pilot's city whose code
/// is in `codes`; nothing is added when one of them is unknown, already a district, or named like
/// another district of the pilot.
pub async fn add_districts(
    pool: &PgPool,
    author: UserId,
    pilot: &Pilot,
    codes: &[String],
) -> Result<Vec<AddedDistrict>, ChoiceError> {
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        crate::db::imports::lock(&mut *tx, Kind::Districts.as_str()).await?;
        let city = City::stored(&pilot.city);
        let all = communities::list(&mut *tx, &city).await?;
        let existing = districts::list(&mut *tx, pilot.id).await?;
        let chosen = choose(codes, &all, &existing)?;
        let mut added = Vec::with_capacity(chosen.len());
        for community in chosen {
            let id = districts::save(
                &mut *tx,
                pilot.id,
                &community.code,
                &community.name,
                &community.boundary,
            )
            .await?;
            let after = DistrictAudit {
                pilot: &pilot.slug,
                code: &community.code,
                name: &community.name,
                from_community_of: &city,
                boundary: &community.boundary,
            };
            let entry = AuditEntry::new(
                Some(author),
                AuditAction::Create,
                AuditEntity::District,
                Some(id.0),
            )
            .of_pilot(pilot.id)
            .after(&after)?;
            audit::record(&mut *tx, &entry).await?;
            added.push(AddedDistrict {
                id,
                code: community.code.clone(),
                name: community.name.clone(),
            });
        }
        tx.commit().await?;
        Ok(added)
    })
    .await
}

/// The communities of `all` whose codes are `codes` (each once, in the order of `all`), checked
/// against the pilot's `existing` districts.
fn choose<'a>(
    codes: &[String],
    all: &'a [Community],
    existing: &[District],
) -> Result<Vec<&'a Community>, ChoiceError> {
    let wanted: BTreeSet<&str> = codes
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    if wanted.is_empty() {
        return Err(ChoiceError::NoneChosen);
    }
    let known: HashSet<&str> = all.iter().map(|c| c.code.as_str()).collect();
    let unknown: Vec<String> = wanted
        .iter()
        .filter(|c| !known.contains(*c))
        .map(|c| c.to_string())
        .collect();
    if !unknown.is_empty() {
        return Err(ChoiceError::Unknown(unknown));
    }
    let taken_codes: HashSet<&str> = existing.iter().map(|d| d.code.as_str()).collect();
    let already: Vec<String> = wanted
        .iter()
        .filter(|c| taken_codes.contains(*c))
        .map(|c| c.to_string())
        .collect();
    if !already.is_empty() {
        return Err(ChoiceError::AlreadyDistricts(already));
    }
    let chosen: Vec<&Community> = all
        .iter()
        .filter(|c| wanted.contains(c.code.as_str()))
        .collect();
    let taken_names: HashSet<String> = existing.iter().map(|d| d.name.to_lowercase()).collect();
    let clashing: Vec<String> = chosen
        .iter()
        .filter(|c| taken_names.contains(&c.name.to_lowercase()))
        .map(|c| c.name.clone())
        .collect();
    if !clashing.is_empty() {
        return Err(ChoiceError::NameTaken(clashing));
    }
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::CommunityId;
    use serde_json::json;

    fn community(code: &str, name: &str) -> Community {
        Community {
            id: CommunityId(1),
            code: code.into(),
            name: name.into(),
            sector: None,
            boundary: json!(null),
        }
    }

    fn district(code: &str, name: &str) -> District {
        District {
            id: DistrictId(1),
            code: code.into(),
            name: name.into(),
            boundary: json!(null),
        }
    }

    fn codes(codes: &[&str]) -> Vec<String> {
        codes.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn chosen_communities_come_once_each_in_the_citys_order() {
        let all = [community("A", "Alpha"), community("B", "Beta")];
        let chosen = choose(&codes(&["B", " A", "B"]), &all, &[]).unwrap();
        let names: Vec<_> = chosen.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Alpha", "Beta"]);
    }

    #[test]
    fn unknown_codes_districts_already_and_taken_names_are_refused() {
        let all = [community("A", "Alpha"), community("B", "Beta")];
        let existing = [district("A", "Alpha"), district("X", "beta")];
        assert!(matches!(
            choose(&[], &all, &[]),
            Err(ChoiceError::NoneChosen)
        ));
        assert!(matches!(
            choose(&codes(&["A", "Z"]), &all, &[]),
            Err(ChoiceError::Unknown(c)) if c == ["Z"]
        ));
        assert!(matches!(
            choose(&codes(&["A"]), &all, &existing),
            Err(ChoiceError::AlreadyDistricts(c)) if c == ["A"]
        ));
        assert!(matches!(
            choose(&codes(&["B"]), &all, &existing),
            Err(ChoiceError::NameTaken(n)) if n == ["Beta"]
        ));
    }
}
