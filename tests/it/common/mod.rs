//! Test support: a real PostgreSQL for every test, and the router driven in-process.
//!
//! With `DATABASE_URL` set, tests use that server; otherwise the test binary starts one private
//! cluster (in a temporary folder, stopped when the binary exits). Every test gets a database of its
//! own, cloned from a template that is migrated (and, for `seeded_db`, holds the demo pilot), so
//! tests are independent and the demo is loaded once.

#![allow(dead_code)]

pub mod app;
pub mod browser;
pub mod fixture;
pub mod pages;
pub mod recompute;

use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDate;
use patrolboard::db::cluster::{Cluster, ClusterOptions};
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, Executor, PgConnection, PgPool};

/// The PostgreSQL server the tests use.
struct TestServer {
    base: PgConnectOptions,
    prefix: String,
    _cluster: Option<Cluster>,
}

static SERVER: OnceLock<TestServer> = OnceLock::new();
static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

const EMPTY_TEMPLATE: &str = "tpl_empty";
const DEMO_TEMPLATE: &str = "tpl_demo";

fn server() -> &'static TestServer {
    // Set-up needs a runtime of its own: each #[tokio::test] runs on a runtime that ends with it.
    SERVER.get_or_init(|| {
        std::thread::spawn(start_server)
            .join()
            .expect("the test database server starts")
    })
}

fn start_server() -> TestServer {
    let prefix = format!("pbt{}", std::process::id());
    let (base, cluster) = match std::env::var("DATABASE_URL") {
        Ok(url) => (url.parse().expect("DATABASE_URL parses"), None),
        Err(_) => {
            let dir = scratch_dir("cluster");
            let cluster = Cluster::start(&dir, ClusterOptions { unsafe_fast: true })
                .expect("the private test cluster starts");
            (
                cluster.url("postgres").parse().expect("cluster URL parses"),
                Some(cluster),
            )
        }
    };
    let server = TestServer {
        base,
        prefix,
        _cluster: cluster,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(server.make_templates());
    server
}

impl TestServer {
    fn options(&self, database: &str) -> PgConnectOptions {
        self.base.clone().database(database)
    }

    fn name(&self, what: &str) -> String {
        format!("{}_{what}", self.prefix)
    }

    async fn maintenance(&self) -> PgConnection {
        self.options("postgres")
            .connect()
            .await
            .expect("the test server accepts connections")
    }

    async fn make_templates(&self) {
        let mut admin = self.maintenance().await;
        drop_stale_databases(&mut admin).await;
        let empty = self.name(EMPTY_TEMPLATE);
        let demo = self.name(DEMO_TEMPLATE);
        admin
            .execute(format!("create database {empty}").as_str())
            .await
            .unwrap();
        let pool = PgPool::connect_with(self.options(&empty)).await.unwrap();
        patrolboard::db::migrate(&pool)
            .await
            .expect("migrations apply");
        pool.close().await;
        create_from_template(&mut admin, &demo, &empty).await;
        let pool = PgPool::connect_with(self.options(&demo)).await.unwrap();
        patrolboard::seed::load_demo(&pool)
            .await
            .expect("the demo loads");
        pool.close().await;
        admin.close().await.ok();
    }

    async fn clone_of(&self, template: &str) -> PgPool {
        let name = self.name(&format!("t{}", NEXT_DB.fetch_add(1, Ordering::SeqCst)));
        let mut admin = self.maintenance().await;
        create_from_template(&mut admin, &name, &self.name(template)).await;
        admin.close().await.ok();
        sqlx::postgres::PgPoolOptions::new()
            .max_connections(8)
            .connect_with(self.options(&name))
            .await
            .expect("the test database accepts connections")
    }
}

/// Creates `name` as a copy of `template`. A connection just closed may still hold the template
/// for a moment (its server process has not yet exited), which PostgreSQL refuses as
/// `object_in_use`; on a loaded machine that happens, so such leftovers are ended and the copy
/// tried again, for up to 60 s.
async fn create_from_template(admin: &mut PgConnection, name: &str, template: &str) {
    let sql = format!("create database {name} template {template}");
    for attempt in 0.. {
        match admin.execute(sql.as_str()).await {
            Ok(_) => return,
            Err(sqlx::Error::Database(e))
                if e.code().as_deref() == Some("55006") && attempt < 600 =>
            {
                // Whatever still holds the template is a leftover of the set-up: end it.
                let _ = sqlx::query(
                    "select pg_terminate_backend(pid) from pg_stat_activity
                      where datname = $1 and pid <> pg_backend_pid()",
                )
                .bind(template)
                .execute(&mut *admin)
                .await;
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Err(e) => panic!("creating the test database {name} from {template}: {e}"),
        }
    }
}

/// Databases left by earlier runs against a shared server, whose test process has ended.
async fn drop_stale_databases(admin: &mut PgConnection) {
    let names: Vec<String> =
        sqlx::query_scalar("select datname from pg_database where datname ~ '^pbt[0-9]+_'")
            .fetch_all(&mut *admin)
            .await
            .unwrap_or_default();
    for name in names {
        let pid: i32 = name[3..]
            .split('_')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        if pid != std::process::id() as i32 && !patrolboard::db::cluster::alive(pid) {
            let _ = admin
                .execute(format!("drop database if exists {name} with (force)").as_str())
                .await;
        }
    }
}

/// The one number `sql` selects from `db`: a count, an id, a sum.
pub async fn scalar(db: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(db)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The date `y`-`m`-`d`.
pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

/// A fresh, migrated, empty database for one test.
pub async fn fresh_db() -> PgPool {
    server().clone_of(EMPTY_TEMPLATE).await
}

/// A fresh database holding the demo pilot, for one test.
pub async fn seeded_db() -> PgPool {
    server().clone_of(DEMO_TEMPLATE).await
}

/// Connection options for a database of the test server (for tests that need their own).
pub fn options_for(database: &str) -> PgConnectOptions {
    server().options(database)
}

/// A URL for a test database, for running the real binary against it.
pub fn url_for(pool: &PgPool) -> String {
    let options = pool.connect_options();
    let database = options.get_database().unwrap_or("postgres");
    match std::env::var("DATABASE_URL") {
        Ok(url) => {
            let base = url.split('?').next().unwrap_or(&url);
            let (server_part, _) = base.rsplit_once('/').unwrap_or((base, ""));
            format!("{server_part}/{database}")
        }
        Err(_) => {
            let socket = options
                .get_socket()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            format!("postgres://postgres@localhost/{database}?host={socket}")
        }
    }
}

/// Runs the real `patrolboard` binary with `args` on the database `db`, as an admin at the shell.
pub fn patrolboard(db: &PgPool, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_patrolboard"))
        .args(args)
        .env("DATABASE_URL", url_for(db))
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

/// A new empty folder under the system's temporary folder, removed by a later run if left behind.
pub fn scratch_dir(what: &str) -> PathBuf {
    let root = std::env::temp_dir().join("patrolboard-tests");
    std::fs::create_dir_all(&root).unwrap();
    remove_stale_scratch(&root);
    let n = NEXT_DB.fetch_add(1, Ordering::SeqCst);
    let dir = root.join(format!("{}-{what}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // PostgreSQL runs as an unprivileged user when the tests run as root: let it through.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

fn remove_stale_scratch(root: &std::path::Path) {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        for entry in std::fs::read_dir(root).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            let pid: i32 = name
                .split('-')
                .next()
                .and_then(|p| p.parse().ok())
                .unwrap_or(0);
            if pid != 0 && !patrolboard::db::cluster::alive(pid) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    });
}
