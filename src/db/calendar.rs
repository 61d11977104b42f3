//! The private calendar feeds: their tokens (only a token's hash is stored) and the shifts a
//! feed shows.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};

use super::roster::ShiftView;
use crate::domain::ids::{OfficerId, PilotId, TeamId, UserId};

/// Whose feed a token opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Officer(OfficerId),
    Team(TeamId),
}

impl Subject {
    /// The officer's or the team's id.
    fn id(self) -> i64 {
        match self {
            Subject::Officer(id) => id.0,
            Subject::Team(id) => id.0,
        }
    }

    /// The token's `officer_id` and `team_id`: one of them is set.
    fn ids(self) -> (Option<OfficerId>, Option<TeamId>) {
        match self {
            Subject::Officer(id) => (Some(id), None),
            Subject::Team(id) => (None, Some(id)),
        }
    }

    fn from_ids(officer_id: Option<OfficerId>, team_id: Option<TeamId>) -> Option<Subject> {
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
    let row: Option<(Option<OfficerId>, Option<TeamId>)> = sqlx::query_as(
        "select officer_id, team_id from calendar_tokens where token_hash = $1 and revoked_at is null",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|(o, t)| Subject::from_ids(o, t)))
}

/// A token as stored, without its hash: what the audit log records.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TokenRecord {
    pub id: i64,
    pub officer_id: Option<OfficerId>,
    pub team_id: Option<TeamId>,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<UserId>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Stores a new token's hash.
pub async fn insert(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
    subject: Subject,
    created_by: UserId,
) -> Result<TokenRecord, sqlx::Error> {
    let (officer_id, team_id) = subject.ids();
    sqlx::query_as(
        r#"insert into calendar_tokens (token_hash, officer_id, team_id, created_by)
           values ($1, $2, $3, $4)
           returning id, officer_id, team_id, created_at, created_by, revoked_at"#,
    )
    .bind(token_hash)
    .bind(officer_id)
    .bind(team_id)
    .bind(created_by)
    .fetch_one(db)
    .await
}

/// The active token `id` of the pilot's officers or teams, locked until the transaction ends.
pub async fn lock_active(
    conn: &mut PgConnection,
    id: i64,
    pilot_id: PilotId,
) -> Result<Option<TokenRecord>, sqlx::Error> {
    sqlx::query_as(
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
    .fetch_optional(conn)
    .await
}

/// Revokes token `id`: the token after.
pub async fn revoke(db: impl PgExecutor<'_>, id: i64) -> Result<TokenRecord, sqlx::Error> {
    sqlx::query_as(
        r#"update calendar_tokens set revoked_at = now() where id = $1
           returning id, officer_id, team_id, created_at, created_by, revoked_at"#,
    )
    .bind(id)
    .fetch_one(db)
    .await
}

/// The name of the subject when it is one of the pilot's: an officer assigned to it or one of its
/// teams.
pub async fn subject_name(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    subject: Subject,
) -> Result<Option<String>, sqlx::Error> {
    match subject {
        Subject::Officer(_) => sqlx::query_scalar(
            r#"select o.name from officers o
                where o.id = $2
                  and exists (select 1 from assignments a where a.officer_id = o.id and a.pilot_id = $1)"#,
        ),
        Subject::Team(_) => {
            sqlx::query_scalar("select name from teams where id = $2 and pilot_id = $1")
        }
    }
    .bind(pilot_id)
    .bind(subject.id())
    .fetch_optional(db)
    .await
}

/// An active link as the page lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActiveToken {
    pub id: i64,
    pub officer_id: Option<OfficerId>,
    pub team_id: Option<TeamId>,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<String>,
}

/// The active tokens of the pilot's officers and teams, oldest first.
pub async fn active_tokens(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
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

/// The name of a feed's subject, and every one of its shifts (cancelled too), in time order.
pub async fn feed(
    conn: &mut PgConnection,
    subject: Subject,
) -> Result<Option<(String, Vec<ShiftView>)>, sqlx::Error> {
    let name: Option<String> = match subject {
        Subject::Officer(_) => sqlx::query_scalar("select name from officers where id = $1"),
        Subject::Team(_) => sqlx::query_scalar("select name from teams where id = $1"),
    }
    .bind(subject.id())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(name) = name else {
        return Ok(None);
    };
    let (officer_id, team_id) = subject.ids();
    let shifts = super::roster::shifts_of(&mut *conn, officer_id, team_id).await?;
    Ok(Some((name, shifts)))
}
