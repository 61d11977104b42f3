//! Importing a city's communities (the City's community boundaries), in the transaction
//! [`super::imports::run`] holds with the import's lock: read the file, check it against the
//! city's stored communities, and (unless it is a dry run) write each row that differs from the
//! stored one of its (city, code), with an audit entry; a row equal to the stored one is left
//! alone. Communities are reference data of the city: a pilot's districts are chosen from them
//! ([`super::district_choice`]), and nothing of a pilot changes when they do.

use std::collections::HashMap;

use anyhow::Context;
use serde::Serialize;
use serde_json::Value;
use sqlx::PgConnection;

use super::places::{boundary_rows, entry};
use crate::db::audit;
use crate::db::communities::{self, Community, NewCommunity};
use crate::domain::City;
use crate::domain::audit::AuditEntity;
use crate::import::apply::{Applied, Request};
use crate::import::changes::Tally;
use crate::import::geometry;

/// A community as the audit log records it.
#[derive(Serialize)]
struct CommunityAudit<'a> {
    city: &'a City,
    code: &'a str,
    name: &'a str,
    sector: Option<&'a str>,
    boundary: &'a Value,
}

/// Imports community boundaries into `city`. A community's name must stay unique in the city.
pub async fn import_in(
    conn: &mut PgConnection,
    city: &City,
    text: &str,
    request: &Request<'_>,
) -> anyhow::Result<Applied> {
    let stored = communities::list(&mut *conn, city).await?;
    let by_code: HashMap<&str, &Community> = stored.iter().map(|c| (c.code.as_str(), c)).collect();
    let names = by_code.iter().map(|(&code, c)| (code, c.name.as_str()));
    let (format, rows) = boundary_rows(text, names.collect(), "community {} of this city");
    let rows = match rows {
        Ok(rows) => rows,
        Err(errors) => return Ok(Applied::rejected(format, errors)),
    };
    let mut tally = Tally::default();
    for row in &rows {
        let before = by_code.get(row.code.as_str()).copied();
        let same = |old: &Community| {
            old.name == row.name
                && old.sector == row.sector
                && geometry::normalised(&old.boundary) == row.boundary
        };
        let what = || format!("community {} {}", row.code, row.name);
        if !tally.add(row.origin, what, before, same, request.dry_run) {
            continue;
        }
        let new = NewCommunity {
            code: &row.code,
            name: &row.name,
            sector: row.sector.as_deref(),
            boundary: &row.boundary,
        };
        let id = communities::save(&mut *conn, city, &new)
            .await
            .with_context(|| format!("writing community {}", row.code))?;
        let before = before.map(|old| CommunityAudit {
            city,
            code: &old.code,
            name: &old.name,
            sector: old.sector.as_deref(),
            boundary: &old.boundary,
        });
        let after = CommunityAudit {
            city,
            code: new.code,
            name: new.name,
            sector: new.sector,
            boundary: new.boundary,
        };
        let entry = entry(
            request,
            AuditEntity::Community,
            id.0,
            before.as_ref(),
            &after,
        )?;
        audit::record(&mut *conn, &entry).await?;
    }
    Ok(Applied::tallied(format, rows.len(), tally))
}
