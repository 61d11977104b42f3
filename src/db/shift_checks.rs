//! The checks a shift must pass before it is stored: no officer on two shifts at once, and enough
//! rest between an officer's shifts unless the editor gives a reason.

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use sqlx::{PgConnection, PgExecutor, PgPool};

use super::shifts::{Editor, ShiftRecord, WriteError};
use crate::domain::shift_draft::ShiftDraft;

/// Rest shorter than this between two shifts of one officer needs a reason.
pub const MIN_REST: TimeDelta = TimeDelta::hours(8);

/// Another shift an officer is already on at that time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub officer: String,
    pub shift_id: i64,
    pub team: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl Clash {
    /// A sentence for people, naming the other shift as `other` (e.g. `shift #12`).
    pub fn describe(&self, zone: Tz, other: &str) -> String {
        let when = crate::domain::local_time::input_value(self.starts_at, zone).replace('T', " ");
        format!(
            "{} is already on {other} ({}, from {when}).",
            self.officer, self.team
        )
    }
}

type ClashRow = (String, i64, String, DateTime<Utc>, DateTime<Utc>);

/// The first clash of any of `officers` with a non-cancelled shift overlapping `[starts, ends)`.
pub async fn find_clash(
    db: impl PgExecutor<'_>,
    officers: &[i64],
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    except_shift: Option<i64>,
) -> Result<Option<Clash>, sqlx::Error> {
    let row: Option<ClashRow> = sqlx::query_as(
        r#"select o.name, s.id, t.name, s.starts_at, s.ends_at
             from shift_members m
             join shifts s on s.id = m.shift_id
             join teams t on t.id = s.team_id
             join officers o on o.id = m.officer_id
            where m.officer_id = any($1) and m.counts
              and m.shift_period && tstzrange($2, $3, '[)')
              and ($4::int8 is null or s.id <> $4)
            order by s.starts_at, o.name
            limit 1"#,
    )
    .bind(officers)
    .bind(starts_at)
    .bind(ends_at)
    .bind(except_shift)
    .fetch_optional(db)
    .await?;
    Ok(
        row.map(|(officer, shift_id, team, starts_at, ends_at)| Clash {
            officer,
            shift_id,
            team,
            starts_at,
            ends_at,
        }),
    )
}

/// Sentences naming each officer who would get less than [`MIN_REST`] before or after the shift.
pub async fn rest_warnings(
    db: impl PgExecutor<'_>,
    officers: &[i64],
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    except_shift: Option<i64>,
    zone: Tz,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String, DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(
        r#"select o.name, s.starts_at, s.ends_at
             from shift_members m
             join shifts s on s.id = m.shift_id
             join officers o on o.id = m.officer_id
            where m.officer_id = any($1) and m.counts
              and ($4::int8 is null or s.id <> $4)
              and s.ends_at > $2 - $5::interval and s.starts_at < $3 + $5::interval
              and not (m.shift_period && tstzrange($2, $3, '[)'))
            order by o.name, s.starts_at"#,
    )
    .bind(officers)
    .bind(starts_at)
    .bind(ends_at)
    .bind(except_shift)
    .bind(MIN_REST)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, other_start, other_end)| {
            let rest = if other_end <= starts_at {
                starts_at - other_end
            } else {
                other_start - ends_at
            };
            format!(
                "{name} would have {:.1} hours of rest next to the shift of {}.",
                rest.num_minutes() as f64 / 60.0,
                other_start.with_timezone(&zone).format("%a %-d %b %H:%M")
            )
        })
        .collect())
}

/// Locks the rows of `officers` in id order until the transaction ends. Every transaction that
/// adds or removes shift members takes this first, for every officer it will touch, so writers
/// of the same officer run one after the other: the clash and rest checks then see the earlier
/// writer's committed shift, and two inserts never wait on each other inside the overlap
/// constraint (a cycle PostgreSQL can only break by failing one with "deadlock detected"). A
/// writer of several shifts locks all their officers in one call, since locking them shift by
/// shift would take them out of order. The order of locks is: shift rows, then officers, then the
/// pilot's coverage lock (taken by the refresh at the end). `no key update` leaves other tables'
/// references to an officer (a visit) free to be written meanwhile.
pub async fn lock_officers(conn: &mut PgConnection, officers: &[i64]) -> Result<(), sqlx::Error> {
    let mut ids = officers.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if !ids.is_empty() {
        sqlx::query("select id from officers where id = any($1) order by id for no key update")
            .bind(&ids)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Refuses a draft that clashes, or that leaves short rest without a reason.
pub(super) async fn check(
    tx: &mut PgConnection,
    draft: &ShiftDraft,
    except: Option<i64>,
    zone: Tz,
    author: Editor<'_>,
) -> Result<(), WriteError> {
    if let Some(clash) = find_clash(
        &mut *tx,
        &draft.officer_ids,
        draft.starts_at,
        draft.ends_at,
        except,
    )
    .await?
    {
        return Err(WriteError::Clash(clash));
    }
    let warnings = rest_warnings(
        &mut *tx,
        &draft.officer_ids,
        draft.starts_at,
        draft.ends_at,
        except,
        zone,
    )
    .await?;
    if !warnings.is_empty() && author.rest_reason.trim().is_empty() {
        return Err(WriteError::NeedsRestReason(warnings));
    }
    Ok(())
}

/// A refusal by the overlap constraint means another writer won a race: name the clash it found.
pub(super) async fn explain_clash(
    pool: &PgPool,
    draft: &ShiftDraft,
    except: Option<i64>,
    result: Result<ShiftRecord, WriteError>,
) -> Result<ShiftRecord, WriteError> {
    match result {
        Err(WriteError::Db(sqlx::Error::Database(e)))
            if e.constraint() == Some("shift_members_no_overlap") =>
        {
            match find_clash(
                pool,
                &draft.officer_ids,
                draft.starts_at,
                draft.ends_at,
                except,
            )
            .await?
            {
                Some(clash) => Err(WriteError::Clash(clash)),
                None => Err(WriteError::Db(sqlx::Error::Database(e))),
            }
        }
        other => other,
    }
}
