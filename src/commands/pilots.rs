//! `patrolboard pilot add`.

use anyhow::{Context, bail};

use crate::cli::{DatabaseArgs, PilotCommand};
use crate::domain::pilot_form::{NewPilot, PilotForm};
use crate::service::pilots::{self, PilotError};

/// Checks every field before touching the database, then adds the pilot.
pub async fn run(database: &DatabaseArgs, action: PilotCommand) -> anyhow::Result<()> {
    let PilotCommand::Add(args) = action;
    let form = PilotForm {
        slug: args.slug,
        name: args.name,
        city: args.city,
        time_zone: args.time_zone,
        starts_on: args.starts_on,
        ends_on: args.ends_on,
        block_minutes: args.block_minutes,
    };
    let new = match NewPilot::parse(&form) {
        Ok(new) => new,
        Err(errors) => {
            let lines: Vec<String> = errors
                .iter()
                .map(|(field, problem)| format!("{}: {problem}", argument(field)))
                .collect();
            bail!(
                "the pilot was not added; nothing was written:\n{}",
                lines.join("\n")
            );
        }
    };
    let database = super::open_migrated(database).await?;
    let result = pilots::create(&database.pool, None, &new).await;
    database.close().await;
    match result {
        Ok(pilot) => {
            println!(
                "added pilot {} ({}, {} to {}, {})",
                pilot.slug, pilot.name, pilot.starts_on, pilot.ends_on, pilot.time_zone
            );
            Ok(())
        }
        Err(taken @ PilotError::SlugTaken(_)) => {
            bail!("{taken}; nothing was written")
        }
        Err(e) => Err(e).context("adding the pilot"),
    }
}

/// How the command line names a form's field.
fn argument(field: &str) -> String {
    match field {
        "slug" => "SLUG".to_string(),
        other => format!("--{}", other.replace('_', "-")),
    }
}
