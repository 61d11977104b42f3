//! `patrolboard serve`: migrate, load the demo into an empty private database, serve until told to stop.

use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;

use super::demo_accounts;
use super::listen::{self, Limits};
use crate::cli::{DatabaseArgs, ServeArgs};
use crate::config::Config;
use crate::db::{self, Database, pilots, users};
use crate::state::AppState;

pub async fn run(database: &DatabaseArgs, args: ServeArgs) -> anyhow::Result<()> {
    let config = Config {
        secure_cookies: args.secure_cookies,
        session_ttl: Duration::from_secs(args.session_hours.max(1) * 3600),
        request_timeout: Duration::from_secs(args.request_timeout.max(1)),
        data_dir: database.data_dir.clone(),
        view_cache_entries: args.view_cache,
        ..Config::default()
    };
    let db = Database::open(database.database_url.as_deref(), &database.data_dir).await?;
    let result = prepare_and_serve(&db, config, &args).await;
    db.close().await;
    result
}

async fn prepare_and_serve(db: &Database, config: Config, args: &ServeArgs) -> anyhow::Result<()> {
    db::migrate(&db.pool).await?;
    if db.cluster.is_some() {
        load_demo_if_empty(db, &config).await?;
    }
    let listener = TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("could not listen on {}", args.addr))?;
    let state = AppState::new(db.pool.clone(), config);
    let addr = listener.local_addr()?;
    tracing::info!(%addr, "serving");
    println!("patrolboard is serving on http://{addr}");
    let limits = Limits {
        header_timeout: Duration::from_secs(args.header_timeout.max(1)),
        shutdown_deadline: Duration::from_secs(args.shutdown_deadline),
    };
    listen::serve(
        listener,
        crate::web::router(state),
        limits,
        shutdown_signal(),
    )
    .await;
    tracing::info!("stopped serving");
    Ok(())
}

/// A private database with nothing in it gets the demo pilot and one account per role.
async fn load_demo_if_empty(db: &Database, config: &Config) -> anyhow::Result<()> {
    if pilots::list(&db.pool).await?.is_empty() {
        let summary = crate::seed::load_demo(&db.pool).await?;
        tracing::info!(%summary, "demo pilot loaded");
    }
    if users::count(&db.pool).await? == 0 {
        demo_accounts::create(&db.pool, &config.data_dir).await?;
    }
    Ok(())
}

/// Resolves on SIGTERM or Ctrl-C.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
