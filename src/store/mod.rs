//! Progress in SQLite: opening (with recovery from corrupt files), migrations, and the reads and
//! writes of each feature (one file per feature, as `impl Store` blocks).
//!
//! The only module that speaks SQL.

mod activity;
mod migrations;
mod notes;
mod quiz;
mod reviews;

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

pub use migrations::{MIGRATIONS, Migration, latest as latest_schema};
pub use quiz::{AnswerRow, AttemptMode, AttemptSummary, StoredAnswer, StoredAttempt};

/// The progress file's name inside the data folder.
pub const FILE_NAME: &str = "progress.sqlite";

/// Appended to the database's file name to name its lock file (`progress.sqlite.lock`).
pub const LOCK_SUFFIX: &str = ".lock";

/// How long to wait for another process holding the database before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_millis(1500);

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("could not create the data folder {path}: {source}")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the progress database is in use by another program (is coldstart already open?): {path}"
    )]
    Locked { path: PathBuf },
    #[error("could not open the lock file beside the progress database: {source}: {path}")]
    LockFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the progress database was written by a newer coldstart (schema {found}, this build knows up to {known}); it was left untouched: {path}"
    )]
    TooNew {
        found: i64,
        known: i64,
        path: PathBuf,
    },
    #[error("could not set the damaged progress database aside: {source}: {path}")]
    SetAside {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("progress database error: {0}")]
    Sql(#[from] rusqlite::Error),
}

/// What happened while opening, worth telling the learner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenNotice {
    /// The old file was not a usable database; it was renamed to `moved_to` and a fresh one made.
    Recovered { moved_to: PathBuf, reason: String },
}

/// An open progress database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// The exclusive lock on `<database>.lock`, held as long as the store is open so that a second
    /// coldstart on the same folder is refused instead of overwriting this one's rows. Declared
    /// after `conn` so the connection closes (and checkpoints) before the lock is let go.
    _lock: Option<File>,
}

impl Store {
    /// Opens (or creates) `progress.sqlite` in `data_dir`, creating the folder if needed.
    ///
    /// A file that is not SQLite or fails `PRAGMA quick_check` is renamed aside to
    /// `progress.sqlite.corrupt-<timestamp>` and a fresh database is created; a database from a
    /// newer build is refused and left untouched.
    ///
    /// The store holds an exclusive advisory lock on `progress.sqlite.lock` for as long as it is
    /// open (the operating system lets go of it when the process ends, however it ends). A
    /// database another store already holds — another coldstart, or this one twice — gives
    /// [`StoreError::Locked`] at once; one locked by some other SQLite program gives it after
    /// [`BUSY_TIMEOUT`].
    pub fn open_in_dir(data_dir: &Path) -> Result<(Self, Option<OpenNotice>), StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::CreateDir {
            path: data_dir.to_owned(),
            source,
        })?;
        Self::open(&data_dir.join(FILE_NAME))
    }

    /// Opens (or creates) the database at `path`, locking `<path>.lock`. See
    /// [`Store::open_in_dir`].
    pub fn open(path: &Path) -> Result<(Self, Option<OpenNotice>), StoreError> {
        // Taken before SQLite touches the file, and kept through a set-aside, so two processes
        // never recover or migrate the same file at once.
        let lock = lock(path)?;
        let (mut store, notice) = match Self::try_open(path) {
            Ok(store) => (store, None),
            Err(Broken::Fatal(e)) => return Err(e),
            Err(Broken::Corrupt(reason)) => {
                let moved_to = set_aside(path)?;
                let store = Self::try_open(path).map_err(Broken::into_error)?;
                (store, Some(OpenNotice::Recovered { moved_to, reason }))
            }
        };
        store._lock = lock;
        Ok((store, notice))
    }

    /// A private database in memory, for tests and previews.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let mut store = Self {
            conn: Connection::open_in_memory()?,
            path: None,
            _lock: None,
        };
        store.migrate().map_err(Broken::into_error)?;
        Ok(store)
    }

    fn try_open(path: &Path) -> Result<Self, Broken> {
        let locked = |e: rusqlite::Error| classify(e, path);
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(locked)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(locked)?;
        // Reading the schema is the first real access: a non-database file fails here.
        let check: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(locked)?;
        if check != "ok" {
            return Err(Broken::Corrupt(format!("integrity check failed: {check}")));
        }
        let mut store = Self {
            conn,
            path: Some(path.to_owned()),
            _lock: None,
        };
        // Refuse a newer schema before anything writes to the file (switching to WAL does).
        store.migrate_check()?;
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(locked)?;
        if !mode.eq_ignore_ascii_case("wal") {
            // Another connection holds the file in a mode that blocks WAL; carry on in it.
            eprintln!("note: progress database journal mode is {mode}, not WAL");
        }
        store.migrate()?;
        Ok(store)
    }

    fn migrate_check(&self) -> Result<(), Broken> {
        let path = self.path.clone().unwrap_or_default();
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| classify(e, &path))?;
        if version > latest_schema() {
            return Err(Broken::Fatal(StoreError::TooNew {
                found: version,
                known: latest_schema(),
                path,
            }));
        }
        Ok(())
    }

    /// Applies every migration newer than the file's `user_version`, each in its own transaction.
    fn migrate(&mut self) -> Result<(), Broken> {
        self.migrate_check()?;
        let path = self.path.clone().unwrap_or_default();
        // The schema's `ON DELETE CASCADE` holds only with foreign keys on (SQLite's default is
        // off, per connection).
        self.conn
            .pragma_update(None, "foreign_keys", true)
            .map_err(|e| classify(e, &path))?;
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| classify(e, &path))?;
        for m in MIGRATIONS.iter().filter(|m| m.version > version) {
            let tx = self.conn.transaction().map_err(|e| classify(e, &path))?;
            tx.execute_batch(m.sql).map_err(|e| classify(e, &path))?;
            tx.pragma_update(None, "user_version", m.version)
                .map_err(|e| classify(e, &path))?;
            tx.commit().map_err(|e| classify(e, &path))?;
        }
        Ok(())
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Where the database lives, or `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Rows this connection has written since it opened: bumps on every write, so a cache of
    /// something read from the store knows when it is stale.
    pub fn change_count(&self) -> u64 {
        self.conn.total_changes()
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    pub fn get_setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }
}

/// Why a database could not be opened: damaged (set aside and start again) or not (report).
enum Broken {
    Corrupt(String),
    Fatal(StoreError),
}

impl Broken {
    fn into_error(self) -> StoreError {
        match self {
            Broken::Fatal(e) => e,
            Broken::Corrupt(reason) => StoreError::Sql(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
                Some(reason),
            )),
        }
    }
}

fn classify(e: rusqlite::Error, path: &Path) -> Broken {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            Broken::Fatal(StoreError::Locked {
                path: path.to_owned(),
            })
        }
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
            Broken::Corrupt(e.to_string())
        }
        _ => Broken::Fatal(StoreError::Sql(e)),
    }
}

/// Takes the exclusive lock on `<path>.lock` without waiting, creating the file if needed; the
/// lock file itself is never removed (removing it would let two processes lock different files).
/// `None` where the file system has no locks: SQLite's own locking is all there is then.
fn lock(path: &Path) -> Result<Option<File>, StoreError> {
    let mut lock_path = path.as_os_str().to_owned();
    lock_path.push(LOCK_SUFFIX);
    let lock_path = PathBuf::from(lock_path);
    let file = File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .map_err(|source| StoreError::LockFile {
            path: lock_path.clone(),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(TryLockError::WouldBlock) => Err(StoreError::Locked {
            path: path.to_owned(),
        }),
        Err(TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => Ok(None),
        Err(TryLockError::Error(source)) => Err(StoreError::LockFile {
            path: lock_path,
            source,
        }),
    }
}

/// Renames a damaged database (and its WAL files) to `<name>.corrupt-<timestamp>`.
fn set_aside(path: &Path) -> Result<PathBuf, StoreError> {
    let stamp = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let mut moved_to = path.as_os_str().to_owned();
    moved_to.push(format!(".corrupt-{stamp}"));
    let mut moved_to = PathBuf::from(moved_to);
    let mut n = 1;
    while moved_to.exists() {
        let mut p = path.as_os_str().to_owned();
        p.push(format!(".corrupt-{stamp}-{n}"));
        moved_to = PathBuf::from(p);
        n += 1;
    }
    std::fs::rename(path, &moved_to).map_err(|source| StoreError::SetAside {
        path: path.to_owned(),
        source,
    })?;
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        let side = PathBuf::from(side);
        if side.exists() {
            let mut to = moved_to.as_os_str().to_owned();
            to.push(suffix);
            let _ = std::fs::rename(&side, PathBuf::from(to));
        }
    }
    Ok(moved_to)
}
