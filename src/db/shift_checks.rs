//! The queries behind the checks a shift must pass before it is stored: another shift an officer
//! is already on at that time, their shifts close enough to leave too little rest, and the
//! officers' locks that let writers of the same officer run one after the other.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};

use crate::domain::ids::{OfficerId, ShiftId};
use crate::domain::roster_checks::{Clash, MIN_REST};

/// The first clash of any of `officers` with a non-cancelled shift overlapping `[starts, ends)`.
pub async fn find_clash(
    db: impl PgExecutor<'_>,
    officers: &[OfficerId],
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    except_shift: Option<ShiftId>,
) -> Result<Option<Clash>, sqlx::Error> {
    sqlx::query_as(
        r#"select o.name as officer, s.id as shift_id, t.name as team, s.starts_at, s.ends_at
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
    .await
}

/// A shift of an officer close to another shift.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NearbyShift {
    /// The officer's name.
    pub officer: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// The non-cancelled shifts of `officers` that do not overlap `[starts, ends)` but end or start
/// less than [`MIN_REST`] from it, by officer name and start.
pub async fn shifts_within_rest(
    db: impl PgExecutor<'_>,
    officers: &[OfficerId],
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    except_shift: Option<ShiftId>,
) -> Result<Vec<NearbyShift>, sqlx::Error> {
    sqlx::query_as(
        r#"select o.name as officer, s.starts_at, s.ends_at
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
    .await
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
pub async fn lock_officers(
    conn: &mut PgConnection,
    officers: &[OfficerId],
) -> Result<(), sqlx::Error> {
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
