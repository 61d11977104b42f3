//! The command line: sub-commands, flags and the environment variables behind them.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::domain::Role;

/// patrolboard: plan and measure hotspot patrols for a deployment pilot.
///
/// With no DATABASE_URL, patrolboard runs its own private PostgreSQL under PATROLBOARD_DATA, made
/// from the PostgreSQL server programs installed on this machine (initdb and postgres, found on
/// PATH or under /usr/lib/postgresql/*/bin), and loads the 2023 Calgary demo pilot into it.
#[derive(Debug, Parser)]
#[command(name = "patrolboard", version, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Where the data lives.
#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// PostgreSQL to use, e.g. postgres://user@host/db. Unset: the private cluster.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Folder for the private PostgreSQL cluster and the demo accounts file.
    #[arg(
        long = "data",
        env = "PATROLBOARD_DATA",
        default_value = ".patrolboard",
        global = true
    )]
    pub data_dir: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending migrations, then serve the dashboard.
    ///
    /// Stops on SIGTERM or Ctrl-C: requests under way get --shutdown-deadline seconds (10 by
    /// default) to finish, connections still open then are cut off, and the database is closed
    /// (the private PostgreSQL stopped) within a few seconds more.
    Serve(ServeArgs),
    /// Apply pending migrations and exit.
    Migrate,
    /// Load data.
    Seed {
        #[command(subcommand)]
        what: SeedCommand,
    },
    /// Manage pilots.
    Pilot {
        #[command(subcommand)]
        action: PilotCommand,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        action: UserCommand,
    },
    /// Manage agencies: the forces officers belong to.
    Agency {
        #[command(subcommand)]
        action: AgencyCommand,
    },
    /// Import districts, hotspots, a city's communities or community statistics, a roster, or a
    /// pilot's officers from a file: all or nothing.
    ///
    /// Every bad row is listed with its line number and the command fails without writing
    /// anything; --dry-run reports what would change (new, updated, cancelled for a roster,
    /// unchanged) without writing.
    /// Importing the same file twice changes nothing the second time. A file may be at most
    /// 32 MB, as on the upload page; a larger one is refused before it is read.
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "PATROLBOARD_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// Mark the session cookie Secure; set this when users reach the server over HTTPS.
    #[arg(long, env = "PATROLBOARD_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Hours a sign-in lasts.
    #[arg(long, env = "PATROLBOARD_SESSION_HOURS", default_value_t = 12)]
    pub session_hours: u64,
    /// Seconds a request may take before it is answered with 503.
    #[arg(long, env = "PATROLBOARD_REQUEST_TIMEOUT", default_value_t = 30)]
    pub request_timeout: u64,
    /// Computed pages and API answers kept in memory per kind, by pilot data version; 0 turns
    /// the caches off.
    #[arg(long, env = "PATROLBOARD_VIEW_CACHE", default_value_t = 256)]
    pub view_cache: usize,
    /// Seconds a client has to send a request's header (and an idle connection stays open).
    #[arg(long, env = "PATROLBOARD_HEADER_TIMEOUT", default_value_t = 10)]
    pub header_timeout: u64,
    /// Seconds requests under way get to finish after SIGTERM or Ctrl-C; the connections still
    /// open then are cut and the database is closed.
    #[arg(long, env = "PATROLBOARD_SHUTDOWN_DEADLINE", default_value_t = 10)]
    pub shutdown_deadline: u64,
}

#[derive(Debug, Subcommand)]
pub enum SeedCommand {
    /// Load the 2023 Calgary demo pilot (slug calgary-2023); running it again changes nothing.
    Demo,
    /// Load a city-scale benchmark pilot (slug city-scale): 8 districts, 240 hotspots, 1,800
    /// officers and a year of about 250,000 shifts and 1.5 million visits; running it again
    /// changes nothing.
    Scale {
        /// How the large tables are sent to PostgreSQL.
        #[arg(long, value_enum, default_value = "copy")]
        insert_with: crate::seed::InsertWith,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// District boundaries (GeoJSON, or the City's community CSV with WKT).
    ///
    /// A GeoJSON FeatureCollection of (Multi)Polygons with properties comm_code (or code) and
    /// name, or the City's community boundaries CSV (COMM_CODE, NAME and a WKT MULTIPOLYGON
    /// column), told apart by content. Upserts by (pilot, code).
    Districts {
        /// Slug of the pilot the districts belong to.
        #[arg(long)]
        pilot: String,
        /// Report what would change without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// The file to import, at most 32 MB (`-` for standard input).
        file: PathBuf,
    },
    /// Hotspots (GeoJSON).
    ///
    /// A GeoJSON FeatureCollection of Polygons with properties name, district (code or name),
    /// priority (1-3), active_from, active_to (YYYY-MM-DD, inside the pilot), window_start,
    /// window_end (HH:MM), target_minutes_per_day, max_gap_minutes (default 120) and reason.
    /// Upserts by (pilot, name) and refreshes the pilot's stored coverage.
    Hotspots {
        /// Slug of the pilot the hotspots belong to.
        #[arg(long)]
        pilot: String,
        /// Report what would change without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// The file to import, at most 32 MB (`-` for standard input).
        file: PathBuf,
    },
    /// A roster: shifts with their members and hotspots (CSV, the columns of the shifts export).
    ///
    /// Edit an export of /exports/shifts.csv and import it back. Read: id and version (empty
    /// for a new shift), team_id or team_name, starts_at and ends_at (RFC 3339 with offset),
    /// mode, status (planned, completed or cancelled), officer_ids and hotspot_ids (ids
    /// separated by ;), notes, and rest_reason (why an officer may have less than 8 hours of
    /// rest); the export's other columns are ignored. A row with an id changes that shift (its
    /// version must be the stored one if it changes anything); a row without one is the team's
    /// shift with the same start and end, or a new shift. Rows are checked like the roster
    /// form, against clashes with other shifts and between rows; shifts not in the file are
    /// left alone. Refreshes the stored coverage of the days it changes.
    Roster {
        /// Slug of the pilot the shifts belong to.
        #[arg(long)]
        pilot: String,
        /// Report what would change without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// The file to import, at most 32 MB (`-` for standard input).
        file: PathBuf,
    },
    /// Officers, their teams and their assignments to a pilot (CSV).
    ///
    /// Header: agency, badge_number, name, rank, team, team_mode, role, starts_on, ends_on (rank,
    /// team and team_mode may be empty). Officers are upserted by agency and badge number, teams
    /// by name in the pilot (a team whose rows name officers of several agencies is joint), and
    /// a row is the officer's assignment to the pilot with the same starts_on, or a new one.
    Officers {
        /// Slug of the pilot the officers are assigned to.
        #[arg(long)]
        pilot: String,
        /// Report what would change without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// The file to import, at most 32 MB (`-` for standard input).
        file: PathBuf,
    },
    /// A city's community boundaries (GeoJSON, or the City's community CSV with WKT).
    ///
    /// The same files as for districts (COMM_CODE, NAME, an optional SECTOR and the boundary),
    /// as reference data of the city: analysts choose a pilot's districts among them. Upserts by
    /// (city, code); a name must stay unique in the city.
    Communities {
        /// The city the communities belong to, e.g. Calgary.
        #[arg(long)]
        city: String,
        /// Report what would change without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// The file to import, at most 32 MB (`-` for standard input).
        file: PathBuf,
    },
    /// The City's community crime or disorder statistics (CSV), a city's.
    ///
    /// Community,Category,Crime Count,Year,Month (crime) or Community,Category,Event
    /// Count,Year,Month (disorder), told apart by the header. Upserts by (city, dataset,
    /// community, category, year, month). Rows that repeat a key are added up and listed, and
    /// the report says how the stored total of the file's keys changes.
    CommunityStats {
        /// The city the statistics are of; without it, the city of the pilots when they all
        /// share one (else the import is refused).
        #[arg(long)]
        city: Option<String>,
        /// Report what would change without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// The file to import, at most 32 MB (`-` for standard input).
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum PilotCommand {
    /// Add a pilot; its districts and hotspots are imported afterwards.
    ///
    /// Every field is checked before anything is written, and each problem is listed on its own
    /// line. A slug another pilot has is refused.
    Add(PilotAddArgs),
}

/// The fields of `pilot add`, as typed: checked together, like the form's.
#[derive(Debug, Args)]
pub struct PilotAddArgs {
    /// The pilot's name in every address: 1 to 63 lower-case letters, digits or '-', starting
    /// with a letter or digit, such as edmonton-2024. It cannot be changed later.
    pub slug: String,
    /// The pilot's name, such as "Downtown Edmonton 2024".
    #[arg(long)]
    pub name: String,
    /// The city it runs in.
    #[arg(long)]
    pub city: String,
    /// The IANA time zone its days, watch windows and blocks are read in, such as
    /// America/Edmonton.
    #[arg(long)]
    pub time_zone: String,
    /// The first day, YYYY-MM-DD.
    #[arg(long)]
    pub starts_on: String,
    /// The last day, YYYY-MM-DD, on or after the first.
    #[arg(long)]
    pub ends_on: String,
    /// The length of a coverage block, 5 to 240 minutes.
    #[arg(long, default_value = "60")]
    pub block_minutes: String,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account; the password (at least 12 characters) is read from standard input.
    Add {
        /// Lower-case letters, digits, '.', '_' or '-'.
        username: String,
        /// officer, viewer, supervisor, analyst or admin.
        #[arg(long)]
        role: Role,
        /// Name shown in the dashboard (default: the username).
        #[arg(long)]
        display_name: Option<String>,
        /// For role officer, required: the officer the account belongs to, by the id in the
        /// officer's page address (/pilots/SLUG/officers/ID).
        #[arg(long)]
        officer: Option<i64>,
    },
    /// List the accounts.
    List,
}

#[derive(Debug, Subcommand)]
pub enum AgencyCommand {
    /// Add an agency, or give the agency with this code a new name and label.
    Add {
        /// 1 to 40 lower-case letters, digits or '_', starting with a letter, e.g. eps; not
        /// joint, which marks teams of several agencies.
        code: String,
        /// The full name, e.g. "Edmonton Police Service".
        #[arg(long)]
        name: String,
        /// The short form shown where space is short, e.g. EPS (default: the name).
        #[arg(long)]
        label: Option<String>,
    },
}

impl clap::builder::ValueParserFactory for Role {
    type Parser = clap::builder::ValueParser;

    fn value_parser() -> Self::Parser {
        clap::builder::ValueParser::new(|s: &str| s.parse::<Role>())
    }
}
