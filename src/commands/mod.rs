//! What each sub-command does.

mod accounts;
mod agencies;
mod demo_accounts;
mod import;
mod listen;
mod pilots;
mod serve;

use crate::cli::{Cli, Command, DatabaseArgs, SeedCommand};
use crate::db::{self, Database};

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve::run(&cli.database, args).await,
        Command::Migrate => {
            let database = open(&cli.database).await?;
            let result = db::migrate(&database.pool).await;
            database.close().await;
            result?;
            println!("migrations applied");
            Ok(())
        }
        Command::Seed {
            what: SeedCommand::Demo,
        } => {
            let database = open_migrated(&cli.database).await?;
            let result = crate::seed::load_demo(&database.pool).await;
            database.close().await;
            let summary = result?;
            println!(
                "demo pilot calgary-2023 {}: {} districts, {} hotspots, {} officers, {} shifts, {} visits, {} activities; Calgary: {} communities, {} community statistics rows",
                if summary.pilot_created {
                    "loaded"
                } else {
                    "already present, nothing changed"
                },
                summary.districts,
                summary.hotspots,
                summary.officers,
                summary.shifts,
                summary.visits,
                summary.activities,
                summary.communities,
                summary.community_stats,
            );
            Ok(())
        }
        Command::Seed {
            what: SeedCommand::Scale { insert_with },
        } => {
            let database = open_migrated(&cli.database).await?;
            let result = crate::seed::load_scale(&database.pool, insert_with).await;
            database.close().await;
            println!("{}", result?.describe());
            Ok(())
        }
        Command::Pilot { action } => pilots::run(&cli.database, action).await,
        Command::User { action } => accounts::run(&cli.database, action).await,
        Command::Agency { action } => agencies::run(&cli.database, action).await,
        Command::Import { what } => import::run(&cli.database, what).await,
    }
}

/// The database for a one-off command: `DATABASE_URL`, or the private cluster (started for the
/// command, or the one a running server already has up).
async fn open(args: &DatabaseArgs) -> anyhow::Result<Database> {
    Database::open_shared(args.database_url.as_deref(), &args.data_dir).await
}

pub(crate) async fn open_migrated(args: &DatabaseArgs) -> anyhow::Result<Database> {
    let database = open(args).await?;
    if let Err(error) = db::migrate(&database.pool).await {
        database.close().await;
        return Err(error);
    }
    Ok(database)
}
