//! Teams of a pilot: adding one and editing one. A team's mode is what its new shifts start
//! with; changing it leaves the shifts already on the roster as they are.

use sqlx::{PgConnection, PgPool};

use super::{PeopleError, Via, record};
use crate::db::retry::retrying;
use crate::db::teams::{self, Team};
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::ids::{PilotId, TeamId, UserId};
use crate::domain::team_draft::TeamDraft;

/// Adds `team` to pilot `pilot_id`, on behalf of `author`.
pub async fn create_team(
    pool: &PgPool,
    author: UserId,
    pilot_id: PilotId,
    team: &TeamDraft,
) -> Result<Team, PeopleError> {
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let team = save_team_in(&mut tx, Some(author), Via::Form, pilot_id, None, team).await?;
        tx.commit().await?;
        Ok(team)
    })
    .await
}

/// Gives team `id` of pilot `pilot_id` the name, agency and mode of `team`, on behalf of
/// `author`.
pub async fn update_team(
    pool: &PgPool,
    author: UserId,
    pilot_id: PilotId,
    id: TeamId,
    team: &TeamDraft,
) -> Result<Team, PeopleError> {
    retrying(move || async move {
        let mut tx = pool.begin().await?;
        let before = teams::lock(&mut *tx, pilot_id, id)
            .await?
            .ok_or(PeopleError::NotFound)?;
        let after = save_team_in(
            &mut tx,
            Some(author),
            Via::Form,
            pilot_id,
            Some(&before),
            team,
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    })
    .await
}

/// Stores `team` in pilot `pilot_id`: as a new team, or as the change of `before` (locked by
/// the caller; nothing is written when it already is `team`); with the audit entry.
pub async fn save_team_in(
    conn: &mut PgConnection,
    author: Option<UserId>,
    via: Via,
    pilot_id: PilotId,
    before: Option<&Team>,
    team: &TeamDraft,
) -> Result<Team, PeopleError> {
    let (after, action) = match before {
        Some(before) if before.details == *team => return Ok(before.clone()),
        Some(before) => (
            teams::update(&mut *conn, before.id, team).await?,
            AuditAction::Update,
        ),
        None => (
            teams::insert(&mut *conn, pilot_id, team).await?,
            AuditAction::Create,
        ),
    };
    let key = (AuditEntity::Team, after.id.0, Some(pilot_id));
    record(conn, author, via.action(action), key, before, &after).await?;
    Ok(after)
}
