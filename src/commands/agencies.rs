//! `patrolboard agency add`.

use anyhow::{Context, bail};

use crate::cli::{AgencyCommand, DatabaseArgs};
use crate::domain::agency::{Agency, AgencyForm};
use crate::service::agencies::{self, Outcome};

/// Checks what was typed before touching the database, then stores the agency.
pub async fn run(database: &DatabaseArgs, action: AgencyCommand) -> anyhow::Result<()> {
    match action {
        AgencyCommand::Add { code, name, label } => {
            let form = AgencyForm {
                code,
                name,
                label: label.unwrap_or_default(),
            };
            let agency = match Agency::parse(&form) {
                Ok(agency) => agency,
                Err(errors) => {
                    // One line, each problem after the argument it is about.
                    let problems: Vec<String> = errors
                        .iter()
                        .map(|(field, problem)| match field {
                            "code" => format!("CODE: {problem}"),
                            field => format!("--{field}: {problem}"),
                        })
                        .collect();
                    bail!("nothing was stored. {}", problems.join(" "));
                }
            };
            let database = super::open_migrated(database).await?;
            let result = agencies::add(&database.pool, None, &agency).await;
            database.close().await;
            let said = match result.context("storing the agency")? {
                Outcome::Created => "added",
                Outcome::Updated => "updated",
                Outcome::Unchanged => "already on file, unchanged:",
            };
            println!("{said} {} ({}, {})", agency.code, agency.name, agency.label);
            Ok(())
        }
    }
}
