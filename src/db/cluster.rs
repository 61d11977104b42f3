//! A private PostgreSQL cluster under the project's data folder, for when no `DATABASE_URL` is given.
//!
//! The cluster is created with `initdb` on first use and reused afterwards. `postgres` runs as a
//! child of this process, listening only on a Unix socket inside the data folder. The child is asked
//! to shut down (SIGINT, PostgreSQL's "fast" shutdown) when the cluster is stopped or dropped, and
//! also by the kernel if this process dies without stopping it, so no server is ever left behind.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::{PermissionsExt, chown};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, mpsc};
use std::time::{Duration, Instant};

/// The socket's port number; with `listen_addresses=''` it only names the socket file.
const PORT: u16 = 5432;
/// The folder, inside the data folder, that holds the server's socket.
const SOCKET_DIR: &str = "run";
/// Longest path the kernel accepts for a Unix socket (`sun_path` less the final NUL).
const MAX_SOCKET_PATH: usize = 107;
const START_TIMEOUT: Duration = Duration::from_secs(60);
const STOP_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error(
        "no DATABASE_URL is set and the PostgreSQL server programs (initdb, postgres) were not found \
         on PATH or under /usr/lib/postgresql/*/bin (or PATROLBOARD_PG_BINDIR): install them (Debian: apt-get install postgresql) \
         or set DATABASE_URL to an existing database"
    )]
    ProgramsMissing,
    #[error(
        "another patrolboard is already using the data folder {0}; stop it first or set PATROLBOARD_DATA to another folder"
    )]
    InUse(PathBuf),
    #[error(
        "the data folder path {0} is too long for a PostgreSQL socket; set PATROLBOARD_DATA to a shorter path"
    )]
    PathTooLong(PathBuf),
    #[error("{what} failed; see {log}")]
    Failed { what: &'static str, log: PathBuf },
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: io::Error,
    },
}

fn io_err(context: impl Into<String>) -> impl FnOnce(io::Error) -> ClusterError {
    let context = context.into();
    move |source| ClusterError::Io { context, source }
}

/// Options that trade durability for speed; tests turn them on.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClusterOptions {
    /// Skip fsync and autovacuum: a crash may lose data. Only for throw-away test clusters.
    pub unsafe_fast: bool,
}

/// A running private cluster. Dropping it stops the server.
#[derive(Debug)]
pub struct Cluster {
    data: PathBuf,
    pid: i32,
    // In a mutex only so that a cluster can live in a `static` (tests share one per binary).
    exited: Mutex<mpsc::Receiver<()>>,
    stopped: bool,
    // Held for the life of the cluster: a second patrolboard on the same folder refuses to start.
    _lock: File,
}

/// The unprivileged account the server runs as when we are root (PostgreSQL refuses root).
#[derive(Debug, Clone, Copy)]
struct RunAs {
    uid: u32,
    gid: u32,
}

impl Cluster {
    /// Creates (first run) or reuses the cluster under `data`, starts it and waits until it accepts
    /// connections. Blocking: call it from `spawn_blocking` inside an async runtime.
    pub fn start(data: &Path, options: ClusterOptions) -> Result<Cluster, ClusterError> {
        let programs = Programs::find().ok_or(ClusterError::ProgramsMissing)?;
        fs::create_dir_all(data).map_err(io_err(format!("creating {}", data.display())))?;
        let data = data
            .canonicalize()
            .map_err(io_err(format!("resolving {}", data.display())))?;
        let lock = lock_folder(&data)?;
        let run_as = run_as();
        // The PostgreSQL user may pass through the folder to its own, but not list or read it.
        let mode = if run_as.is_some() { 0o711 } else { 0o700 };
        fs::set_permissions(&data, fs::Permissions::from_mode(mode))
            .map_err(io_err(format!("restricting {}", data.display())))?;
        let pgdata = data.join("pg");
        let socket_dir = data.join(SOCKET_DIR);
        if socket_dir
            .join(format!(".s.PGSQL.{PORT}"))
            .as_os_str()
            .len()
            > MAX_SOCKET_PATH
        {
            return Err(ClusterError::PathTooLong(data));
        }
        prepare_dir(&socket_dir, run_as)?;
        if !pgdata.join("PG_VERSION").exists() {
            init(&programs, &data, &pgdata, run_as, options)?;
        }
        stop_leftover(&pgdata);
        let log = data.join("postgres.log");
        let (pid, exited) = spawn_server(&programs, &pgdata, &socket_dir, &log, run_as, options)?;
        let cluster = Cluster {
            data,
            pid,
            exited: Mutex::new(exited),
            stopped: false,
            _lock: lock,
        };
        cluster.wait_ready(&pgdata, &log)?;
        Ok(cluster)
    }

    /// Connection URL for a database of this cluster, over its Unix socket.
    pub fn url(&self, database: &str) -> String {
        Cluster::url_in(&self.data, database)
    }

    /// Connection URL for a database of the cluster under the data folder `data`, whoever runs it.
    pub fn url_in(data: &Path, database: &str) -> String {
        format!(
            "postgres://postgres@localhost/{database}?host={}&port={PORT}",
            data.join(SOCKET_DIR).display()
        )
    }

    /// The data folder the cluster lives in.
    pub fn data_dir(&self) -> &Path {
        &self.data
    }

    /// Asks the server to shut down and waits until it has exited. Blocking.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        let exited = self.exited.lock().unwrap_or_else(|e| e.into_inner());
        signal(self.pid, libc::SIGINT);
        if exited.recv_timeout(STOP_TIMEOUT).is_err() {
            tracing::warn!(
                pid = self.pid,
                "PostgreSQL did not stop in time; forcing it"
            );
            signal(self.pid, libc::SIGQUIT);
            let _ = exited.recv_timeout(STOP_TIMEOUT);
        }
        tracing::info!("private PostgreSQL stopped");
    }

    fn wait_ready(&self, pgdata: &Path, log: &Path) -> Result<(), ClusterError> {
        let started = Instant::now();
        loop {
            let exited = self
                .exited
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .try_recv();
            if exited.is_ok() {
                return Err(ClusterError::Failed {
                    what: "starting PostgreSQL",
                    log: log.to_path_buf(),
                });
            }
            // The postmaster writes "ready" on line 8 of its pid file once it accepts connections.
            let status = fs::read_to_string(pgdata.join("postmaster.pid")).unwrap_or_default();
            if status.lines().nth(7).map(str::trim) == Some("ready") {
                return Ok(());
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(ClusterError::Failed {
                    what: "waiting for PostgreSQL to accept connections",
                    log: log.to_path_buf(),
                });
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// The server programs of the newest PostgreSQL found.
struct Programs {
    initdb: PathBuf,
    postgres: PathBuf,
}

impl Programs {
    /// `PATROLBOARD_PG_BINDIR` when set (only there); otherwise `PATH`, then the newest
    /// `/usr/lib/postgresql/*/bin`.
    fn find() -> Option<Programs> {
        if let Some(dir) = std::env::var_os("PATROLBOARD_PG_BINDIR") {
            return Programs::in_dir(PathBuf::from(dir));
        }
        let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
            .map(|path| std::env::split_paths(&path).collect())
            .unwrap_or_default();
        let mut versioned: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| {
                let version = entry.file_name().to_str()?.parse().ok()?;
                Some((version, entry.path().join("bin")))
            })
            .collect();
        versioned.sort_by_key(|(version, _)| std::cmp::Reverse(*version));
        dirs.extend(versioned.into_iter().map(|(_, dir)| dir));
        dirs.into_iter().find_map(Programs::in_dir)
    }

    fn in_dir(dir: PathBuf) -> Option<Programs> {
        let initdb = dir.join("initdb");
        let postgres = dir.join("postgres");
        (initdb.is_file() && postgres.is_file()).then_some(Programs { initdb, postgres })
    }
}

fn lock_folder(data: &Path) -> Result<File, ClusterError> {
    let path = data.join("patrolboard.lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io_err(format!("opening {}", path.display())))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(ClusterError::InUse(data.to_path_buf())),
        Err(fs::TryLockError::Error(e)) => Err(io_err(format!("locking {}", path.display()))(e)),
    }
}

fn run_as() -> Option<RunAs> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return None;
    }
    ["postgres", "nobody"]
        .iter()
        .find_map(|name| lookup_user(name))
}

fn lookup_user(name: &str) -> Option<RunAs> {
    let passwd = fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.len() > 3 && fields[0] == name).then(|| {
            Some(RunAs {
                uid: fields[2].parse().ok()?,
                gid: fields[3].parse().ok()?,
            })
        })?
    })
}

fn prepare_dir(dir: &Path, run_as: Option<RunAs>) -> Result<(), ClusterError> {
    fs::create_dir_all(dir).map_err(io_err(format!("creating {}", dir.display())))?;
    if let Some(user) = run_as {
        chown(dir, Some(user.uid), Some(user.gid)).map_err(io_err(format!(
            "handing {} to the PostgreSQL user",
            dir.display()
        )))?;
    }
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
        .map_err(io_err(format!("restricting {}", dir.display())))
}

/// Runs `initdb` into a scratch folder and renames it into place, so an interrupted first run
/// never leaves a half-made cluster that later runs would try to use.
fn init(
    programs: &Programs,
    data: &Path,
    pgdata: &Path,
    run_as: Option<RunAs>,
    options: ClusterOptions,
) -> Result<(), ClusterError> {
    let scratch = data.join("pg.initdb");
    if scratch.exists() {
        fs::remove_dir_all(&scratch).map_err(io_err(format!("removing {}", scratch.display())))?;
    }
    prepare_dir(&scratch, run_as)?;
    let log = data.join("initdb.log");
    let log_file = File::create(&log).map_err(io_err(format!("creating {}", log.display())))?;
    let mut command = Command::new(&programs.initdb);
    command
        .arg("-D")
        .arg(&scratch)
        .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"])
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().map_err(io_err("logging initdb"))?)
        .stderr(log_file);
    if options.unsafe_fast {
        command.arg("--no-sync");
    }
    drop_privileges(&mut command, run_as);
    let status = command.status().map_err(io_err("running initdb"))?;
    if !status.success() {
        return Err(ClusterError::Failed {
            what: "initdb",
            log,
        });
    }
    fs::rename(&scratch, pgdata).map_err(io_err(format!(
        "moving the new cluster to {}",
        pgdata.display()
    )))
}

/// A server left running by a patrolboard that was killed before it could stop it. We hold the
/// folder's lock, so the server is ours to stop.
fn stop_leftover(pgdata: &Path) {
    let Ok(pid_file) = fs::read_to_string(pgdata.join("postmaster.pid")) else {
        return;
    };
    let Some(pid) = pid_file
        .lines()
        .next()
        .and_then(|l| l.trim().parse::<i32>().ok())
    else {
        return;
    };
    if !alive(pid) {
        return;
    }
    tracing::warn!(
        pid,
        "stopping a PostgreSQL left running by an earlier patrolboard"
    );
    signal(pid, libc::SIGINT);
    let deadline = Instant::now() + STOP_TIMEOUT;
    while alive(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn spawn_server(
    programs: &Programs,
    pgdata: &Path,
    socket_dir: &Path,
    log: &Path,
    run_as: Option<RunAs>,
    options: ClusterOptions,
) -> Result<(i32, mpsc::Receiver<()>), ClusterError> {
    let log_file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .map_err(io_err(format!("opening {}", log.display())))?;
    let mut command = Command::new(&programs.postgres);
    command
        .arg("-D")
        .arg(pgdata)
        .arg("-k")
        .arg(socket_dir)
        .args(["-p", &PORT.to_string(), "-c", "listen_addresses="])
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().map_err(io_err("logging PostgreSQL"))?)
        .stderr(log_file)
        // Its own process group: a Ctrl-C in the terminal reaches patrolboard, which then stops
        // PostgreSQL after the last request, instead of PostgreSQL vanishing under it.
        .process_group(0);
    if options.unsafe_fast {
        command.args([
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
            // Test databases live for seconds; an autovacuum worker connected to a template
            // would only make copying it wait.
            "-c",
            "autovacuum=off",
        ]);
    }
    drop_privileges(&mut command, run_as);
    // SAFETY: prctl is async-signal-safe and touches only the child's own state. The kernel sends
    // SIGINT to PostgreSQL when the thread that spawned it ends, i.e. when this process dies.
    unsafe {
        command.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGINT) != 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
    // The death signal is tied to the spawning thread, so spawn from a thread that lives exactly as
    // long as the server: it waits for the child and then reports its exit.
    let (pid_tx, pid_rx) = mpsc::channel();
    let (exit_tx, exit_rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("postgres".into())
        .spawn(move || match command.spawn() {
            Ok(mut child) => {
                let _ = pid_tx.send(Ok(child.id() as i32));
                let _ = child.wait();
                let _ = exit_tx.send(());
            }
            Err(e) => {
                let _ = pid_tx.send(Err(e));
            }
        })
        .map_err(io_err("starting the PostgreSQL thread"))?;
    let pid = pid_rx
        .recv()
        .map_err(|_| io_err("starting PostgreSQL")(io::Error::other("thread ended")))?
        .map_err(io_err(format!("running {}", programs.postgres.display())))?;
    Ok((pid, exit_rx))
}

fn drop_privileges(command: &mut Command, run_as: Option<RunAs>) {
    // initdb refuses to run from a working directory its user cannot read (root's home, say).
    command.current_dir("/");
    if let Some(user) = run_as {
        command.uid(user.uid).gid(user.gid);
    }
}

fn signal(pid: i32, signal: i32) {
    // SAFETY: kill has no memory-safety preconditions.
    unsafe {
        libc::kill(pid, signal);
    }
}

/// Whether a process with this id exists.
pub fn alive(pid: i32) -> bool {
    // SAFETY: signal 0 only checks for existence and permission.
    unsafe { libc::kill(pid, 0) == 0 }
}
