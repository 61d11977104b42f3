//! `patrolboard import districts|hotspots|communities|community-stats|roster|officers`: the same
//! all-or-nothing import as the upload page, from the shell.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use anyhow::{Context, bail};

use crate::cli::{DatabaseArgs, ImportCommand};
use crate::import::{self, Kind, Request};
use crate::service::imports;

/// Runs an import and prints its report; any bad row makes the command fail, after listing
/// every one of them on standard error.
pub async fn run(args: &DatabaseArgs, what: ImportCommand) -> anyhow::Result<()> {
    let (kind, pilot, city, dry_run, file) = match what {
        ImportCommand::Districts {
            pilot,
            dry_run,
            file,
        } => (Kind::Districts, Some(pilot), None, dry_run, file),
        ImportCommand::Hotspots {
            pilot,
            dry_run,
            file,
        } => (Kind::Hotspots, Some(pilot), None, dry_run, file),
        ImportCommand::Roster {
            pilot,
            dry_run,
            file,
        } => (Kind::Roster, Some(pilot), None, dry_run, file),
        ImportCommand::Officers {
            pilot,
            dry_run,
            file,
        } => (Kind::Officers, Some(pilot), None, dry_run, file),
        ImportCommand::Communities {
            city,
            dry_run,
            file,
        } => (Kind::Communities, None, Some(city), dry_run, file),
        ImportCommand::CommunityStats {
            city,
            dry_run,
            file,
        } => (Kind::CommunityStats, None, city, dry_run, file),
    };
    let bytes = read(&file)?;
    let database = super::open_migrated(args).await?;
    let result = imports::run(
        &database.pool,
        Request {
            kind,
            pilot: pilot.as_deref(),
            city: city.as_deref(),
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
    let target = match (&pilot, &report.city) {
        (Some(slug), _) => format!(" into pilot {slug}"),
        (None, Some(city)) => format!(" into city {city}"),
        (None, None) => String::new(),
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

/// The file's bytes; `-` reads standard input. A file larger than the upload page takes is
/// refused by its size before a byte is read; standard input (whose size is not known) is read
/// up to one byte past the limit.
fn read(file: &Path) -> anyhow::Result<Vec<u8>> {
    let limit = import::MAX_FILE_BYTES as u64;
    let mut bytes = Vec::new();
    if file == Path::new("-") {
        std::io::stdin()
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
    } else {
        let opened = File::open(file).with_context(|| format!("reading {}", file.display()))?;
        let size = opened
            .metadata()
            .with_context(|| format!("reading {}", file.display()))?
            .len();
        if size > limit {
            bail!(too_large(&file.display().to_string(), size));
        }
        // Read no further than the limit even if the file grows meanwhile.
        opened
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .with_context(|| format!("reading {}", file.display()))?;
    }
    if bytes.len() as u64 > limit {
        bail!(too_large(&file.display().to_string(), bytes.len() as u64));
    }
    Ok(bytes)
}

/// Why a file is refused for its size.
fn too_large(name: &str, size: u64) -> String {
    let mib = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
    format!(
        "{name} is {:.1} MB; an import takes files of at most {:.0} MB, like the upload page. Split it and import the parts; nothing was written",
        mib(size),
        mib(import::MAX_FILE_BYTES as u64),
    )
}
