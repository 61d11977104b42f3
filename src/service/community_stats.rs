//! Importing the City's community statistics into a city, in the transaction
//! [`super::imports::run`] holds with the import's lock: a file of thousands of monthly counts,
//! compared with the city's stored ones and (unless it is a dry run) written in one statement,
//! with their audit entries in another.

use std::collections::HashMap;

use anyhow::Context;
use serde::Serialize;
use sqlx::PgConnection;

use crate::db::audit::{self, AuditEntry};
use crate::db::stats::{self, StatCount};
use crate::domain::City;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::community_stats::{Dataset, StatKey};
use crate::import::apply::{Applied, Request};
use crate::import::changes::Tally;
use crate::import::stats_report::StatsSummary;

/// A count as the audit log records it.
#[derive(Serialize)]
struct StatAudit<'a> {
    city: &'a City,
    dataset: Dataset,
    #[serde(flatten)]
    key: &'a StatKey,
    count: i32,
}

/// Imports one of the City's statistics files into `city`: writes the counts that differ from
/// the city's stored ones, and reports the counts of new, changed and unchanged keys, the keys
/// the file repeats and how the stored totals change.
pub async fn import_in(
    conn: &mut PgConnection,
    city: &City,
    text: &str,
    request: &Request<'_>,
) -> anyhow::Result<Applied> {
    let (format, rows) = crate::import::stats::parse(text);
    let rows = match rows {
        Ok(rows) => rows,
        Err(errors) => return Ok(Applied::rejected(format, errors)),
    };
    let Some(dataset) = rows.first().map(|r| r.dataset) else {
        return Ok(Applied {
            stats: Some(StatsSummary::of(&rows, 0)),
            ..Applied::tallied(format, 0, Tally::default())
        });
    };
    let stored: HashMap<StatKey, i32> = stats::stored(&mut *conn, city, dataset)
        .await?
        .into_iter()
        .map(|s| (s.key, s.count))
        .collect();
    let mut tally = Tally::default();
    let (mut changed, mut entries) = (Vec::new(), Vec::new());
    for row in &rows {
        let before = stored.get(&row.key).copied();
        let what = || {
            let k = &row.key;
            let was = before.map_or_else(String::new, |n| format!("{n} → "));
            format!(
                "{} · {} · {}-{:02}: {was}{}",
                k.community, k.category, k.year, k.month, row.count
            )
        };
        if !tally.add(
            row.origin,
            what,
            before.as_ref(),
            |&count| count == row.count,
            request.dry_run,
        ) {
            continue;
        }
        let audited = |count| StatAudit {
            city,
            dataset,
            key: &row.key,
            count,
        };
        let entry = AuditEntry::new(
            request.user_id,
            AuditAction::Import,
            AuditEntity::CommunityStats,
            None,
        );
        let entry = match before {
            Some(count) => entry.before(&audited(count))?,
            None => entry,
        };
        entries.push(entry.after(&audited(row.count))?);
        changed.push(StatCount {
            key: row.key.clone(),
            count: row.count,
        });
    }
    let stored_before = rows
        .iter()
        .filter_map(|r| stored.get(&r.key))
        .map(|&n| i64::from(n))
        .sum();
    let summary = StatsSummary::of(&rows, stored_before);
    if !changed.is_empty() {
        stats::save(&mut *conn, city, dataset, &changed)
            .await
            .context("writing community statistics")?;
        audit::record_all(&mut *conn, &entries)
            .await
            .context("writing the audit entries of the statistics import")?;
    }
    Ok(Applied {
        stats: Some(summary),
        ..Applied::tallied(format, rows.len(), tally)
    })
}
