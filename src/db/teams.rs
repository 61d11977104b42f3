//! The teams of a pilot as stored, listed and written (through `service::people`).

use serde::Serialize;
use sqlx::PgExecutor;

use crate::domain::ids::{PilotId, TeamId};
use crate::domain::team_draft::TeamDraft;

/// A team as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Team {
    pub id: TeamId,
    pub pilot_id: PilotId,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub details: TeamDraft,
}

const TEAM: &str = "id, pilot_id, name, agency, mode";

/// A team with how many officers are assigned to it and how many shifts it has.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TeamListed {
    #[sqlx(flatten)]
    pub team: Team,
    pub members: i64,
    pub shifts: i64,
}

/// The teams of pilot `pilot_id`, by name.
pub async fn list(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
) -> Result<Vec<TeamListed>, sqlx::Error> {
    sqlx::query_as(
        r#"select t.id, t.pilot_id, t.name, t.agency, t.mode,
                  (select count(distinct a.officer_id) from assignments a
                    where a.team_id = t.id) as members,
                  (select count(*) from shifts s where s.team_id = t.id) as shifts
             from teams t
            where t.pilot_id = $1
            order by t.name"#,
    )
    .bind(pilot_id)
    .fetch_all(db)
    .await
}

/// Team `id` of pilot `pilot_id`, if there is one.
pub async fn find(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    id: TeamId,
) -> Result<Option<Team>, sqlx::Error> {
    by_id(db, pilot_id, id, "").await
}

/// Team `id` of pilot `pilot_id`, locked until the transaction ends.
pub async fn lock(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    id: TeamId,
) -> Result<Option<Team>, sqlx::Error> {
    by_id(db, pilot_id, id, "for update").await
}

async fn by_id(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    id: TeamId,
    lock: &str,
) -> Result<Option<Team>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {TEAM} from teams where pilot_id = $1 and id = $2 {lock}"
    ))
    .bind(pilot_id)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The teams of pilot `pilot_id` with these names, locked until the transaction ends.
pub async fn lock_by_names(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    names: &[&str],
) -> Result<Vec<Team>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {TEAM} from teams where pilot_id = $1 and name = any($2) order by id for update"
    ))
    .bind(pilot_id)
    .bind(names)
    .fetch_all(db)
    .await
}

/// Stores `team` in pilot `pilot_id`.
pub async fn insert(
    db: impl PgExecutor<'_>,
    pilot_id: PilotId,
    team: &TeamDraft,
) -> Result<Team, sqlx::Error> {
    sqlx::query_as(&format!(
        "insert into teams (pilot_id, name, agency, mode) values ($1, $2, $3, $4) returning {TEAM}"
    ))
    .bind(pilot_id)
    .bind(&team.name)
    .bind(&team.agency)
    .bind(team.mode)
    .fetch_one(db)
    .await
}

/// Gives team `id` the name, agency and mode of `team`.
pub async fn update(
    db: impl PgExecutor<'_>,
    id: TeamId,
    team: &TeamDraft,
) -> Result<Team, sqlx::Error> {
    sqlx::query_as(&format!(
        "update teams set name = $2, agency = $3, mode = $4 where id = $1 returning {TEAM}"
    ))
    .bind(id)
    .bind(&team.name)
    .bind(&team.agency)
    .bind(team.mode)
    .fetch_one(db)
    .await
}
