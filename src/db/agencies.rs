//! Agencies: the forces officers belong to (`agencies`), changed through `service::agencies`.

use sqlx::PgExecutor;

use crate::domain::agency::{Agencies, Agency, AgencyCode};

/// An agency with how many officers belong to it, for the administrators' list.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AgencyListed {
    #[sqlx(flatten)]
    pub agency: Agency,
    pub officers: i64,
}

/// Every agency, by name.
pub async fn list(db: impl PgExecutor<'_>) -> Result<Agencies, sqlx::Error> {
    let agencies = sqlx::query_as("select code, name, label from agencies order by name, code")
        .fetch_all(db)
        .await?;
    Ok(Agencies::new(agencies))
}

/// Every agency with its number of officers, by name.
pub async fn list_with_officers(db: impl PgExecutor<'_>) -> Result<Vec<AgencyListed>, sqlx::Error> {
    sqlx::query_as(
        r#"select a.code, a.name, a.label,
                  (select count(*) from officers o where o.agency = a.code) as officers
             from agencies a
            order by a.name, a.code"#,
    )
    .fetch_all(db)
    .await
}

/// The agency with `code`, if on file.
pub async fn find(
    db: impl PgExecutor<'_>,
    code: &AgencyCode,
) -> Result<Option<Agency>, sqlx::Error> {
    sqlx::query_as("select code, name, label from agencies where code = $1")
        .bind(code)
        .fetch_optional(db)
        .await
}

/// Stores `agency` unless its code is on file (waiting for a concurrent insert of the code to
/// end); the row when this call stored it.
pub async fn insert_new(
    db: impl PgExecutor<'_>,
    agency: &Agency,
) -> Result<Option<Agency>, sqlx::Error> {
    sqlx::query_as(
        r#"insert into agencies (code, name, label) values ($1, $2, $3)
           on conflict (code) do nothing
           returning code, name, label"#,
    )
    .bind(&agency.code)
    .bind(&agency.name)
    .bind(&agency.label)
    .fetch_optional(db)
    .await
}

/// The agency with `code`, locked until the transaction ends.
pub async fn lock(
    db: impl PgExecutor<'_>,
    code: &AgencyCode,
) -> Result<Option<Agency>, sqlx::Error> {
    sqlx::query_as("select code, name, label from agencies where code = $1 for update")
        .bind(code)
        .fetch_optional(db)
        .await
}

/// Gives the agency with `agency.code` its name and label.
pub async fn update(db: impl PgExecutor<'_>, agency: &Agency) -> Result<Agency, sqlx::Error> {
    sqlx::query_as(
        r#"update agencies set name = $2, label = $3 where code = $1
           returning code, name, label"#,
    )
    .bind(&agency.code)
    .bind(&agency.name)
    .bind(&agency.label)
    .fetch_one(db)
    .await
}
