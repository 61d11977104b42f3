//! `patrolboard import districts|hotspots|community-stats|roster`: the same all-or-nothing
//! import as the upload page, from the shell.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, bail};

use crate::cli::{DatabaseArgs, ImportCommand};
use crate::import::{self, Kind, Request};

/// Runs an import and prints its report; any bad row makes the command fail, after listing
/// every one of them on standard error.
pub async fn run(args: &DatabaseArgs, what: ImportCommand) -> anyhow::Result<()> {
    let (kind, pilot, dry_run, file) = match what {
        ImportCommand::Districts {
            pilot,
            dry_run,
            file,
        } => (Kind::Districts, Some(pilot), dry_run, file),
        ImportCommand::Hotspots {
            pilot,
            dry_run,
            file,
        } => (Kind::Hotspots, Some(pilot), dry_run, file),
        ImportCommand::Roster {
            pilot,
            dry_run,
            file,
        } => (Kind::Roster, Some(pilot), dry_run, file),
        ImportCommand::CommunityStats { dry_run, file } => {
            (Kind::CommunityStats, None, dry_run, file)
        }
    };
    let bytes = read(&file)?;
    let database = super::open_migrated(args).await?;
    let result = import::run(
        &database.pool,
        Request {
            kind,
            pilot: pilot.as_deref(),
            bytes: &bytes,
            dry_run,
            user_id: None,
        },
    )
    .await;
    database.close().await;
    let report = result?;
    let name = file.display();
    if !report.errors.is_empty() {
        eprintln!("{name} ({}):", report.format);
        for error in &report.errors {
            eprintln!("  {error}");
        }
        bail!(
            "{} bad row{} in {name}; nothing was written",
            report.errors.len(),
            if report.errors.len() == 1 { "" } else { "s" }
        );
    }
    let target = match &pilot {
        Some(slug) => format!(" into pilot {slug}"),
        None => String::new(),
    };
    if report.dry_run {
        println!(
            "dry run of {kind} from {name}{target} ({}, {} rows): {}; nothing was written",
            report.format, report.rows, report.counts
        );
    } else {
        println!(
            "imported {kind} from {name}{target} ({}, {} rows): {}",
            report.format, report.rows, report.counts
        );
    }
    if let Some(stats) = &report.stats {
        println!("{}", stats.totals(report.dry_run));
        if let Some(headline) = stats.repeated_headline() {
            println!("{headline}");
            for key in &stats.repeated {
                println!(
                    "  {}, {}, {}: lines {} ({})",
                    key.community,
                    key.category,
                    key.month(),
                    key.lines(),
                    key.sum()
                );
            }
        }
    }
    Ok(())
}

/// The file's bytes; `-` reads standard input.
fn read(file: &Path) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if file == Path::new("-") {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
    } else {
        bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    }
    Ok(bytes)
}
