//! One demo account per role, with generated passwords shown once and kept in a private file.

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use sqlx::PgPool;

use crate::db::me;
use crate::domain::{Role, Username, password};
use crate::service::accounts;

/// The file, inside the data folder, that keeps the demo passwords (mode 0600).
pub const FILE_NAME: &str = "demo-accounts.txt";

/// Creates `officer` (for the demo officer with the most shifts), `viewer`, `supervisor`,
/// `analyst` and `admin`, prints their passwords, writes the file.
pub async fn create(pool: &PgPool, data_dir: &Path) -> anyhow::Result<PathBuf> {
    let mut lines = Vec::new();
    for role in Role::ALL {
        let officer = match role {
            Role::Officer => match me::busiest_officer_without_account(pool).await? {
                Some(officer) => Some(officer),
                None => continue,
            },
            _ => None,
        };
        let username = Username::parse(role.as_str())?;
        let secret = password::generate();
        let for_hash = secret.clone();
        let hash = tokio::task::spawn_blocking(move || password::hash(&for_hash)).await??;
        let display_name = format!("Demo {role}");
        accounts::create_linked(pool, &username, &display_name, role, officer, &hash).await?;
        lines.push(format!("{username:<11} {secret}"));
    }
    let path = data_dir.join(FILE_NAME);
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&path)
        .with_context(|| format!("writing {}", path.display()))?;
    writeln!(
        file,
        "# patrolboard demo accounts (username, password). Keep this file private."
    )?;
    for line in &lines {
        writeln!(file, "{line}")?;
    }
    println!(
        "Demo accounts created (shown only this once; also kept in {}):",
        path.display()
    );
    for line in &lines {
        println!("  {line}");
    }
    Ok(path)
}
