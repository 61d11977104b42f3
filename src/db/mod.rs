//! The database: where it is, the connection pool, migrations, and one file of queries per entity.

pub mod activities;
pub mod activity_log;
pub mod agencies;
pub mod analyze;
pub mod assignments;
pub mod audit;
pub mod audit_log;
pub mod bulk;
pub mod calendar;
pub mod cluster;
pub mod communities;
pub mod coverage;
pub mod districts;
pub mod evaluation;
pub mod figures;
pub mod gaps;
pub mod hotspots;
pub mod hours;
pub mod import_uploads;
pub mod imports;
pub mod login_throttle;
pub mod me;
pub mod now;
pub mod officers;
pub mod pieces;
pub mod pilots;
pub mod retry;
pub mod rollup_changes;
pub mod rollups;
pub mod roster;
pub mod seed;
pub mod seed_counts;
pub mod seed_roster;
pub mod sessions;
pub mod shift_checks;
pub mod shifts;
pub mod stats;
pub mod teams;
pub mod users;
pub mod visit_log;
pub mod visits;

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgDatabaseError, PgPoolOptions, PgSeverity};
use sqlx::{ConnectOptions, Executor, PgPool};

use cluster::{Cluster, ClusterError, ClusterOptions};

/// The migrations in `migrations/`, compiled into the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The name of the application's database inside the private cluster.
pub const PRIVATE_DATABASE: &str = "patrolboard";

/// The longest [`Database::close`] waits for connections in use to come back.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

/// The database the process works on, and the private cluster behind it when there is one.
pub struct Database {
    pub pool: PgPool,
    pub cluster: Option<Cluster>,
}

impl Database {
    /// Connects to `url` when given; otherwise starts (or reuses) the private cluster under `data`.
    pub async fn open(url: Option<&str>, data: &Path) -> anyhow::Result<Database> {
        match url {
            Some(url) => Ok(Database {
                pool: connect(url).await?,
                cluster: None,
            }),
            None => {
                let data = data.to_path_buf();
                let cluster = tokio::task::spawn_blocking(move || {
                    Cluster::start(&data, ClusterOptions::default())
                })
                .await??;
                create_database(&cluster.url("postgres"), PRIVATE_DATABASE).await?;
                let pool = connect(&cluster.url(PRIVATE_DATABASE)).await?;
                Ok(Database {
                    pool,
                    cluster: Some(cluster),
                })
            }
        }
    }

    /// Like [`Database::open`], but when a running server already holds the private cluster, uses
    /// that cluster through its socket instead of refusing (for one-off commands).
    pub async fn open_shared(url: Option<&str>, data: &Path) -> anyhow::Result<Database> {
        match Database::open(url, data).await {
            Err(error) if matches!(error.downcast_ref(), Some(ClusterError::InUse(_))) => {
                let url = Cluster::url_in(&data.canonicalize()?, PRIVATE_DATABASE);
                Ok(Database {
                    pool: connect(&url).await?,
                    cluster: None,
                })
            }
            other => other,
        }
    }

    /// Closes the pool, then stops the private cluster if this process started it. A connection
    /// still out after [`CLOSE_TIMEOUT`] (a query that will not end) does not hold the stop up:
    /// the cluster's fast shutdown ends its session.
    pub async fn close(self) {
        if tokio::time::timeout(CLOSE_TIMEOUT, self.pool.close())
            .await
            .is_err()
        {
            tracing::warn!("database connections still in use at shutdown; closing anyway");
        }
        if let Some(cluster) = self.cluster {
            let _ = tokio::task::spawn_blocking(move || cluster.stop()).await;
        }
    }
}

/// A pool that fails fast when the database is away, so `/readyz` can answer 503 promptly.
pub async fn connect(url: &str) -> anyhow::Result<PgPool> {
    let options: PgConnectOptions = url
        .parse::<PgConnectOptions>()
        .context("DATABASE_URL is not a valid PostgreSQL URL")?
        // Statements are prepared once per connection and run with ever different pilots and
        // dates. After five runs PostgreSQL may switch to a generic plan, which cannot see that
        // a range holds one week or that another pilot's rows are irrelevant. That plan took a
        // city-scale year's figures from 6 ms to 35 ms; planning each run costs well under 1 ms.
        .options([("plan_cache_mode", "force_custom_plan")]);
    PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
        .context("could not connect to PostgreSQL")
}

/// Whether the database answers a trivial query.
pub async fn ping(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query("select 1").execute(pool).await.map(drop)
}

/// Whether `error` means the database could not be reached or would not serve this process
/// (down, restarting, refusing connections, out of connection slots), rather than refusing one
/// query. Such failures pass, so they are answered with 503 and the pool reconnects by itself.
pub fn unreachable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed => true,
        sqlx::Error::Database(error) => {
            // FATAL ends a session or refuses to start one (a database not accepting
            // connections, a failed sign-in, an administrator's shutdown); a query's own
            // failure is an ERROR.
            let fatal = error
                .try_downcast_ref::<PgDatabaseError>()
                .is_some_and(|e| matches!(e.severity(), PgSeverity::Fatal | PgSeverity::Panic));
            let code = error.code().unwrap_or_default();
            // Class 08: connection exception; 57P01-03: shut down or not yet started;
            // 53300: too many connections.
            fatal
                || code.starts_with("08")
                || matches!(code.as_ref(), "57P01" | "57P02" | "57P03" | "53300")
        }
        _ => false,
    }
}

/// Creates `name` on the server behind `maintenance_url` unless it exists.
pub async fn create_database(maintenance_url: &str, name: &str) -> anyhow::Result<()> {
    let options: PgConnectOptions = maintenance_url.parse()?;
    let mut conn = options
        .connect()
        .await
        .context("could not connect to PostgreSQL")?;
    let exists: bool =
        sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
            .bind(name)
            .fetch_one(&mut conn)
            .await?;
    if !exists {
        // Identifiers cannot be bound; the name is ours, quoted to be safe.
        conn.execute(format!("create database \"{}\"", name.replace('"', "\"\"")).as_str())
            .await?;
    }
    Ok(())
}

/// The instants from the start of local date `from` to the start of the day after `to`, in the
/// zone named `time_zone` (UTC if it is unknown): filtering instants by these bounds lets an
/// index on the instant column work, where casting each row to a local date cannot.
pub fn day_bounds(
    time_zone: &str,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
    let zone: chrono_tz::Tz = time_zone.parse().unwrap_or(chrono_tz::UTC);
    let after = to.succ_opt().unwrap_or(to);
    (
        crate::coverage::resolve_local(zone, from, chrono::NaiveTime::MIN),
        crate::coverage::resolve_local(zone, after, chrono::NaiveTime::MIN),
    )
}

/// Applies pending migrations, then fills in roll-ups a migration added (`rollups::backfill`).
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR.run(pool).await.context("applying migrations")?;
    rollups::backfill(pool)
        .await
        .context("filling in the coverage roll-ups")
}

/// Whether `error` is the database refusing a write by the constraint named `constraint`.
pub fn is_violation(error: &sqlx::Error, constraint: &str) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.constraint() == Some(constraint))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lost_connections_and_an_exhausted_pool_are_unreachable_but_a_missing_row_is_not() {
        let reset = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        assert!(unreachable(&sqlx::Error::Io(reset)));
        assert!(unreachable(&sqlx::Error::PoolTimedOut));
        assert!(unreachable(&sqlx::Error::PoolClosed));
        assert!(!unreachable(&sqlx::Error::RowNotFound));
        assert!(!unreachable(&sqlx::Error::ColumnNotFound("x".into())));
    }
}
