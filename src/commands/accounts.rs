//! `patrolboard user add` and `user list`.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Context, bail};
use sqlx::PgPool;

use crate::cli::{DatabaseArgs, UserCommand};
use crate::db::users;
use crate::domain::ids::OfficerId;
use crate::domain::{Role, Username, password};
use crate::service::accounts::{self, AccountError};

/// Checks what was typed before touching the database, then opens it and does the work.
pub async fn run(database: &DatabaseArgs, action: UserCommand) -> anyhow::Result<()> {
    match action {
        UserCommand::Add {
            username,
            role,
            display_name,
            officer,
        } => {
            let username = Username::parse(&username)?;
            let secret = read_password()?;
            let hash = tokio::task::spawn_blocking(move || password::hash(&secret)).await??;
            let display_name = display_name.unwrap_or_else(|| username.to_string());
            let database = super::open_migrated(database).await?;
            let account = (display_name.trim(), role, officer.map(OfficerId));
            let result = add(&database.pool, &username, account, &hash).await;
            database.close().await;
            result
        }
        UserCommand::List => {
            let database = super::open_migrated(database).await?;
            let result = list(&database.pool).await;
            database.close().await;
            result
        }
    }
}

async fn add(
    pool: &PgPool,
    username: &Username,
    (display_name, role, officer): (&str, Role, Option<OfficerId>),
    hash: &str,
) -> anyhow::Result<()> {
    match accounts::create_linked(pool, username, display_name, role, officer, hash).await {
        Ok(user) => {
            println!("added {} ({})", user.username, user.role);
            Ok(())
        }
        Err(
            refused @ (AccountError::UsernameTaken(_)
            | AccountError::OfficerLink
            | AccountError::UnknownOfficer(_)
            | AccountError::OfficerTaken(_)),
        ) => bail!(refused),
        Err(e) => Err(e).context("adding the account"),
    }
}

async fn list(pool: &PgPool) -> anyhow::Result<()> {
    println!("{:<24} {:<11} {:<8} name", "username", "role", "status");
    for user in users::list(pool).await? {
        let status = if user.active { "active" } else { "disabled" };
        println!(
            "{:<24} {:<11} {:<8} {}",
            user.username, user.role, status, user.display_name
        );
    }
    Ok(())
}

/// Reads one line from standard input; at a terminal, asks for it without echoing it.
fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    let _echo_off = interactive.then(EchoOff::new);
    if interactive {
        eprint!(
            "Password (at least {} characters): ",
            password::MIN_PASSWORD_LEN
        );
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("reading the password")?;
    if interactive {
        eprintln!();
    }
    let secret = line.trim_end_matches(['\r', '\n']).to_string();
    if secret.is_empty() {
        bail!("no password was given on standard input");
    }
    Ok(secret)
}

/// Turns terminal echo off until dropped.
struct EchoOff(Option<libc::termios>);

impl EchoOff {
    fn new() -> EchoOff {
        // SAFETY: termios is plain data; tcgetattr fills it or fails.
        unsafe {
            let mut saved: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(0, &mut saved) != 0 {
                return EchoOff(None);
            }
            let mut quiet = saved;
            quiet.c_lflag &= !libc::ECHO;
            libc::tcsetattr(0, libc::TCSANOW, &quiet);
            EchoOff(Some(saved))
        }
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        if let Some(saved) = &self.0 {
            // SAFETY: restores the settings read in `new`.
            unsafe {
                libc::tcsetattr(0, libc::TCSANOW, saved);
            }
        }
    }
}
