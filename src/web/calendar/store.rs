//! The queries of the calendar feeds and of their tokens.

use crate::domain::{Mode, ShiftStatus};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};

/// Whose feed a token opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Officer(i64),
    Team(i64),
}

impl Subject {
    fn ids(self) -> (Option<i64>, Option<i64>) {
        match self {
            Subject::Officer(id) => (Some(id), None),
            Subject::Team(id) => (None, Some(id)),
        }
    }

    fn from_ids(officer_id: Option<i64>, team_id: Option<i64>) -> Option<Subject> {
        match (officer_id, team_id) {
            (Some(id), None) => Some(Subject::Officer(id)),
            (None, Some(id)) => Some(Subject::Team(id)),
            _ => None,
        }
    }
}

/// The subject of a token that exists and is not revoked.
pub async fn find_active(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
) -> Result<Option<Subject>, sqlx::Error> {
    let row: Option<(Option<i64>, Option<i64>)> = sqlx::query_as(
        "select officer_id, team_id from calendar_tokens where token_hash = $1 and revoked_at is null",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|(o, t)| Subject::from_ids(o, t)))
}

/// Stores a new token's hash; its id.
pub async fn create(
    conn: &mut PgConnection,
    token_hash: &[u8],
    subject: Subject,
    created_by: i64,
) -> Result<(i64, DateTime<Utc>), sqlx::Error> {
    let (officer_id, team_id) = subject.ids();
    sqlx::query_as(
        r#"insert into calendar_tokens (token_hash, officer_id, team_id, created_by)
           values ($1, $2, $3, $4)
           returning id, created_at"#,
    )
    .bind(token_hash)
    .bind(officer_id)
    .bind(team_id)
    .bind(created_by)
    .fetch_one(conn)
    .await
}

/// A token as the revoke step sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenRecord {
    pub id: i64,
    pub officer_id: Option<i64>,
    pub team_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<i64>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Revokes an active token of the pilot's officers or teams: the token before and after, or
/// `None` when there is no such active token.
pub async fn revoke(
    conn: &mut PgConnection,
    id: i64,
    pilot_id: i64,
) -> Result<Option<(TokenRecord, TokenRecord)>, sqlx::Error> {
    let before: Option<TokenRecord> = sqlx::query_as(
        r#"select c.id, c.officer_id, c.team_id, c.created_at, c.created_by, c.revoked_at
             from calendar_tokens c
            where c.id = $1 and c.revoked_at is null
              and (exists (select 1 from teams t where t.id = c.team_id and t.pilot_id = $2)
                   or exists (select 1 from assignments a
                               where a.officer_id = c.officer_id and a.pilot_id = $2))
            for update"#,
    )
    .bind(id)
    .bind(pilot_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(before) = before else {
        return Ok(None);
    };
    let after: TokenRecord = sqlx::query_as(
        r#"update calendar_tokens set revoked_at = now() where id = $1
           returning id, officer_id, team_id, created_at, created_by, revoked_at"#,
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Some((before, after)))
}

/// An active link as the page lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActiveToken {
    pub id: i64,
    pub officer_id: Option<i64>,
    pub team_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<String>,
}

/// The active tokens of the pilot's officers and teams, oldest first.
pub async fn active_tokens(
    db: impl PgExecutor<'_>,
    pilot_id: i64,
) -> Result<Vec<ActiveToken>, sqlx::Error> {
    sqlx::query_as(
        r#"select c.id, c.officer_id, c.team_id, c.created_at, u.display_name as created_by
             from calendar_tokens c
             left join users u on u.id = c.created_by
            where c.revoked_at is null
              and (c.team_id in (select id from teams where pilot_id = $1)
                   or c.officer_id in (select officer_id from assignments where pilot_id = $1))
            order by c.created_at, c.id"#,
    )
    .bind(pilot_id)
    .fetch_all(db)
    .await
}

/// The officers assigned to the pilot: id, name, agency, badge, by name.
pub async fn officers(
    db: impl PgExecutor<'_>,
    pilot_id: i64,
) -> Result<Vec<(i64, String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        r#"select o.id, o.name, o.agency, o.badge_number
             from officers o
            where exists (select 1 from assignments a where a.officer_id = o.id and a.pilot_id = $1)
            order by o.name, o.id"#,
    )
    .bind(pilot_id)
    .fetch_all(db)
    .await
}

/// The pilot's teams: id, name, mode, by name.
pub async fn teams(
    db: impl PgExecutor<'_>,
    pilot_id: i64,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as("select id, name, mode from teams where pilot_id = $1 order by name, id")
        .bind(pilot_id)
        .fetch_all(db)
        .await
}

/// A shift as a feed shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedShift {
    pub id: i64,
    pub pilot: String,
    pub team: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub mode: Mode,
    pub status: ShiftStatus,
    pub notes: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub hotspots: Vec<String>,
    pub member_ids: Vec<i64>,
    pub members: Vec<String>,
}

/// The name of a feed's subject, and every one of its shifts (cancelled too), in time order.
pub async fn feed(
    conn: &mut PgConnection,
    subject: Subject,
) -> Result<Option<(String, Vec<FeedShift>)>, sqlx::Error> {
    let (officer_id, team_id) = subject.ids();
    let name: Option<String> = match subject {
        Subject::Officer(_) => sqlx::query_scalar("select name from officers where id = $1"),
        Subject::Team(_) => sqlx::query_scalar("select name from teams where id = $1"),
    }
    .bind(officer_id.or(team_id))
    .fetch_optional(&mut *conn)
    .await?;
    let Some(name) = name else {
        return Ok(None);
    };
    let shifts = sqlx::query_as(
        r#"select s.id, p.name as pilot, t.name as team, s.starts_at, s.ends_at, s.mode, s.status,
                  s.notes, s.version, s.created_at, s.updated_at,
                  array(select h.name from shift_hotspots sh join hotspots h on h.id = sh.hotspot_id
                         where sh.shift_id = s.id order by h.priority, h.name) as hotspots,
                  array(select o.id from shift_members m join officers o on o.id = m.officer_id
                         where m.shift_id = s.id order by o.name, o.id) as member_ids,
                  array(select o.name from shift_members m join officers o on o.id = m.officer_id
                         where m.shift_id = s.id order by o.name, o.id) as members
             from shifts s
             join teams t on t.id = s.team_id
             join pilots p on p.id = s.pilot_id
            where ($1::bigint is null
                   or exists (select 1 from shift_members m where m.shift_id = s.id and m.officer_id = $1))
              and ($2::bigint is null or s.team_id = $2)
            order by s.starts_at, s.id"#,
    )
    .bind(officer_id)
    .bind(team_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some((name, shifts)))
}
