//! Progress in SQLite: opening (with recovery from corrupt files), migrations, and the reads and
//! writes of each feature (one file per feature, as `impl Store` blocks).
//!
//! The only module that speaks SQL.

mod activity;
pub mod anki;
pub mod backup;
mod files;
mod item_stats;
mod library;
mod marks;
mod migrations;
mod notes;
mod params;
mod quiz;
mod readiness;
mod reports;
mod reviews;

pub use library::PackProgress;

use std::cell::RefCell;
use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, InterruptHandle, OpenFlags, OptionalExtension};

use files::{LockInfo, beside};
pub use item_stats::ItemAnswerRow;
pub use migrations::{MIGRATIONS, Migration, latest as latest_schema};
pub use params::{ParamsRecord, review_events_in_file, usable_reviews_in_file};
pub use quiz::{AnswerRow, AttemptMode, AttemptSummary, StoredAnswer, StoredAttempt};
pub use reports::{ProblemReport, ReportItem, ReportReason};

/// The progress file's name inside the data folder.
pub const FILE_NAME: &str = "progress.sqlite";

/// Appended to the database's file name to name its lock file (`progress.sqlite.lock`).
pub const LOCK_SUFFIX: &str = ".lock";

/// How long to wait for another process holding the database before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_millis(1500);

/// Pages in the write-ahead log before SQLite copies them into the database (SQLite's default),
/// once the database is known to be sound.
const AUTOCHECKPOINT_PAGES: i64 = 1000;

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
    #[error("could not use the lock file beside the progress database: {source}: {path}")]
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
    #[error("the progress database is read-only, so nothing could be saved in it: {path}")]
    ReadOnly { path: PathBuf },
    #[error("no progress yet at {path} (open coldstart and study first)")]
    Missing { path: PathBuf },
    #[error(
        "the progress database is damaged ({reason}); it was left as it is. Open coldstart (the window) to keep it aside and start a fresh one: {path}"
    )]
    Damaged { reason: String, path: PathBuf },
    #[error(
        "a write-ahead log beside the progress database does not belong to it ({log}); both were left as they are. Open coldstart (the window) to set the log aside untouched: {path}"
    )]
    ForeignLog { log: PathBuf, path: PathBuf },
    #[error(
        "the progress database was written by an older coldstart (schema {found}, this build writes {known}); it was left as it is. Open coldstart (the window) once to upgrade it: {path}"
    )]
    NeedsUpgrade {
        found: i64,
        known: i64,
        path: PathBuf,
    },
    #[error("could not write the backup: {source}: {path}")]
    Backup {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("this backup cannot be restored ({reason}); nothing was changed: {path}")]
    BadBackup { reason: String, path: PathBuf },
    #[error("progress database error: {0}")]
    Sql(#[from] rusqlite::Error),
}

/// What happened while opening or reading, worth telling the learner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenNotice {
    /// The old file was not a usable database; it was renamed to `moved_to` and a fresh one made.
    Recovered { moved_to: PathBuf, reason: String },
    /// A write-ahead log (and its `-shm`) beside the database was not written for it — left by a
    /// crash before the database was replaced — and was renamed to `moved_to`, untouched, before
    /// SQLite could replay it.
    ForeignLog { moved_to: PathBuf },
    /// A stored setting was out of range or unreadable; `used` is what applies instead.
    Setting {
        key: String,
        found: String,
        used: String,
    },
    /// Rows that could not be read (a value out of range) were skipped.
    SkippedRows { what: &'static str, count: usize },
    /// Anything else the learner should know about the progress file, in a sentence.
    Info(String),
}

impl std::fmt::Display for OpenNotice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenNotice::Recovered { moved_to, reason } => write!(
                f,
                "Your progress database could not be read ({reason}). It was kept as {} and a new one was started.",
                moved_to.display()
            ),
            OpenNotice::ForeignLog { moved_to } => write!(
                f,
                "A leftover write-ahead log beside your progress database did not belong to it (an earlier crash left it before the database was replaced), so it was not applied. It was kept, untouched, as {}; your progress database was opened as it is.",
                moved_to.display()
            ),
            OpenNotice::Setting { key, found, used } => write!(
                f,
                "The stored setting {key} = \"{found}\" is out of range or unreadable; {used} is used instead."
            ),
            OpenNotice::Info(text) => f.write_str(text),
            OpenNotice::SkippedRows { what, count } => write!(
                f,
                "{count} {what} in the progress database could not be read (a value out of range) and {} skipped.",
                if *count == 1 { "was" } else { "were" }
            ),
        }
    }
}

/// The background integrity check: its result arrives on `rx`; `cancel` stops it early.
struct Check {
    rx: Receiver<Option<String>>,
    cancel: Arc<Mutex<Cancel>>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Default)]
struct Cancel {
    stop: bool,
    handle: Option<InterruptHandle>,
}

impl Check {
    fn stop(&mut self) {
        if let Ok(mut c) = self.cancel.lock() {
            c.stop = true;
            if let Some(h) = &c.handle {
                h.interrupt();
            }
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// An open progress database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// Opened for writing (the app); `false` for `stats` and `export`, which never change a file.
    writable: bool,
    /// This session's epoch, stamped in the database header.
    epoch: u32,
    /// Notices gathered since the last [`Store::take_notices`].
    pending: RefCell<Vec<OpenNotice>>,
    check: Option<Check>,
    /// A background check is due: it starts at the next [`Store::poll_integrity`], so that
    /// the app can draw its first frame before the check takes a core and the disk.
    check_due: bool,
    /// The exclusive lock on `<database>.lock`, held as long as the store is open so that a second
    /// coldstart on the same folder is refused instead of overwriting this one's rows. Declared
    /// after `conn` so the connection closes (and checkpoints) before the lock is let go.
    _lock: Option<File>,
}

impl Store {
    /// Opens (or creates) `progress.sqlite` in `data_dir`, creating the folder if needed.
    /// See [`Store::open`].
    pub fn open_in_dir(data_dir: &Path) -> Result<(Self, Option<OpenNotice>), StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::CreateDir {
            path: data_dir.to_owned(),
            source,
        })?;
        Self::open(&data_dir.join(FILE_NAME))
    }

    /// Opens (or creates) the database at `path` for the app, locking `<path>.lock`.
    ///
    /// - A write-ahead log beside the file that was not written for it is renamed aside
    ///   (`<name>.foreign-<time>-wal`, with its `-shm`) untouched, before any connection opens
    ///   the file ([`OpenNotice::ForeignLog`], from [`Store::take_notices`]).
    /// - After an unclean shutdown (or when the lock file cannot say), the file is checked with
    ///   `PRAGMA quick_check` on a read-only connection before anything writes to it; otherwise
    ///   the check runs on a background thread, started by the first [`Store::poll_integrity`]
    ///   (the app polls first after its first frame is drawn), while the session's writes stay
    ///   in the write-ahead log, so the database file itself is unchanged until the check has
    ///   passed. A file that is not SQLite or fails the check is renamed aside byte for
    ///   byte to `progress.sqlite.corrupt-<time>` and a fresh database is created.
    /// - A database from a newer build is refused and left untouched; a read-only file is
    ///   refused at once ([`StoreError::ReadOnly`]).
    ///
    /// The store holds an exclusive advisory lock on `progress.sqlite.lock` for as long as it is
    /// open (the operating system lets go of it when the process ends, however it ends). A
    /// database another store already holds — another coldstart, or this one twice — gives
    /// [`StoreError::Locked`] at once; one locked by some other SQLite program gives it after
    /// [`BUSY_TIMEOUT`].
    pub fn open(path: &Path) -> Result<(Self, Option<OpenNotice>), StoreError> {
        // Taken before SQLite touches the file, and kept through a set-aside, so two processes
        // never recover or migrate the same file at once.
        let mut lock = lock(path, true)?;
        let info = lock.as_mut().map(files::read_lock).unwrap_or_default();
        let mut notices = Vec::new();

        let header = files::read_header(path);
        if files::log_has_frames(path) && !info.owns_log_of(header.map(|h| h.epoch)) {
            let moved_to = files::set_log_aside(path).map_err(|source| StoreError::SetAside {
                path: beside(path, "-wal"),
                source,
            })?;
            notices.push(OpenNotice::ForeignLog { moved_to });
        }
        if std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly()) {
            return Err(StoreError::ReadOnly {
                path: path.to_owned(),
            });
        }

        let existed = std::fs::metadata(path).is_ok_and(|m| m.len() > 0);
        // Checked now unless this is the file the last session closed cleanly.
        let check_now = existed
            && (!info.clean
                || !info.owns_log_of(header.map(|h| h.epoch))
                || files::log_has_frames(path)
                || !header.is_some_and(|h| h.wal));
        let mut recovered = None;
        if check_now {
            match check_file(path, true) {
                Ok(()) => {}
                Err(Broken::Corrupt(reason)) => {
                    recovered = Some(OpenNotice::Recovered {
                        moved_to: set_aside(path)?,
                        reason,
                    });
                }
                Err(Broken::Fatal(e)) => return Err(e),
            }
        }
        let conn = match open_conn(path) {
            Ok(conn) => conn,
            Err(Broken::Fatal(e)) => return Err(e),
            Err(Broken::Corrupt(reason)) => {
                recovered = Some(OpenNotice::Recovered {
                    moved_to: set_aside(path)?,
                    reason,
                });
                open_conn(path).map_err(Broken::into_error)?
            }
        };
        let mut store = Self {
            conn,
            path: Some(path.to_owned()),
            writable: true,
            epoch: 0,
            pending: RefCell::new(notices),
            check: None,
            check_due: false,
            _lock: lock,
        };
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap_or_default();
        if !mode.eq_ignore_ascii_case("wal") {
            store.notice(OpenNotice::Info(format!(
                "Your progress database is in {mode} journal mode, not WAL: another program has \
                 it open. Progress is saved, but a crash is more likely to lose the last answer; \
                 close the other program and restart coldstart."
            )));
        }
        let sound = !existed || check_now || recovered.is_some();
        store.begin_session(sound)?;
        store.check_due = !sound;
        Ok((store, recovered))
    }

    /// Opens the database at `path` to read it, for `stats` and `export`: never creates, sets
    /// aside or changes a file. A missing, damaged, foreign-logged or outdated file is an error
    /// that says to open the window; a file coldstart holds open is [`StoreError::Locked`].
    pub fn open_read_only(path: &Path) -> Result<Self, StoreError> {
        if !path.is_file() {
            return Err(StoreError::Missing {
                path: path.to_owned(),
            });
        }
        let mut lock = lock(path, false)?;
        let info = lock.as_mut().map(files::read_lock).unwrap_or_default();
        let header = files::read_header(path);
        if files::log_has_frames(path) && !info.owns_log_of(header.map(|h| h.epoch)) {
            return Err(StoreError::ForeignLog {
                log: beside(path, "-wal"),
                path: path.to_owned(),
            });
        }
        let conn = match read_only_conn(path, true).and_then(|c| quick_check(&c, path).map(|()| c))
        {
            Ok(c) => c,
            Err(Broken::Corrupt(reason)) => {
                return Err(StoreError::Damaged {
                    reason,
                    path: path.to_owned(),
                });
            }
            Err(Broken::Fatal(e)) => return Err(e),
        };
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > latest_schema() {
            return Err(StoreError::TooNew {
                found: version,
                known: latest_schema(),
                path: path.to_owned(),
            });
        }
        if version < latest_schema() {
            return Err(StoreError::NeedsUpgrade {
                found: version,
                known: latest_schema(),
                path: path.to_owned(),
            });
        }
        Ok(Self {
            conn,
            path: Some(path.to_owned()),
            writable: false,
            epoch: 0,
            pending: RefCell::new(Vec::new()),
            check: None,
            check_due: false,
            _lock: lock,
        })
    }

    /// A private database in memory, for tests and previews.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let mut conn = Connection::open_in_memory()?;
        migrate(&mut conn, Path::new(":memory:")).map_err(Broken::into_error)?;
        Ok(Self {
            conn,
            path: None,
            writable: true,
            epoch: 0,
            pending: RefCell::new(Vec::new()),
            check: None,
            check_due: false,
            _lock: None,
        })
    }

    /// Stamps a fresh epoch into the database header, naming it in the lock file first (see
    /// `files`). `sound`: the file is known good (new, or just checked), so SQLite may copy the
    /// log into it as usual; otherwise the log keeps every write until the check passes.
    fn begin_session(&mut self, sound: bool) -> Result<(), StoreError> {
        let path = self.path.clone().unwrap_or_default();
        let sql = |e: rusqlite::Error| classify(e, &path).into_error();
        if files::log_has_frames(&path) {
            // Checked and ours: merge it, so the header on disk is the one the lock names.
            self.conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
                .map_err(sql)?;
        }
        let old = files::read_header(&path).map(|h| h.epoch);
        let next = loop {
            let e: u32 = rand::random();
            if e != 0 && Some(e) != old {
                break e;
            }
        };
        if let Some(lock) = self._lock.as_mut() {
            let info = LockInfo {
                epoch: old,
                next: Some(next),
                clean: false,
            };
            files::write_lock(lock, &info).map_err(|source| StoreError::LockFile {
                path: beside(&path, LOCK_SUFFIX),
                source,
            })?;
        }
        // The header holds an i32; the bits are the epoch.
        self.conn
            .pragma_update(None, "application_id", next as i32)
            .map_err(sql)?;
        self.epoch = next;
        if old.is_none_or(|e| e == 0) {
            // A new file, or one from before epochs (always checked first): put the epoch in
            // the file itself, so a crash before SQLite's first checkpoint keeps its log ours.
            self.conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
                .map_err(sql)?;
        }
        if sound {
            self.conn
                .pragma_update(None, "wal_autocheckpoint", AUTOCHECKPOINT_PAGES)
                .map_err(sql)?;
        }
        Ok(())
    }

    /// Starts `PRAGMA quick_check` of the progress file on a second, read-only connection on a
    /// background thread (the "Check progress file" action; after a clean shutdown one is due
    /// from opening, and the first poll starts it). Its result arrives through
    /// [`Store::poll_integrity`]. Does nothing while one runs, in memory, or on a read-only
    /// store.
    pub fn start_integrity_check(&mut self) {
        self.check_due = false;
        if self.check.is_some() || !self.writable {
            return;
        }
        let Some(path) = self.path.clone() else {
            return;
        };
        let (tx, rx) = mpsc::channel();
        let cancel = Arc::new(Mutex::new(Cancel::default()));
        let shared = cancel.clone();
        let thread = std::thread::Builder::new()
            .name("progress-check".into())
            .spawn(move || {
                let result = read_only_conn(&path, false).and_then(|conn| {
                    if let Ok(mut c) = shared.lock() {
                        if c.stop {
                            return Ok(());
                        }
                        c.handle = Some(conn.get_interrupt_handle());
                    }
                    quick_check(&conn, &path)
                });
                let damaged = match result {
                    Err(Broken::Corrupt(reason)) => Some(reason),
                    // Interrupted, busy or anything else: no verdict on the file.
                    Ok(()) | Err(Broken::Fatal(_)) => None,
                };
                let _ = tx.send(damaged);
                crate::memory::release_freed();
            });
        match thread {
            Ok(t) => {
                self.check = Some(Check {
                    rx,
                    cancel,
                    thread: Some(t),
                })
            }
            Err(e) => self.notice(OpenNotice::Info(format!(
                "The progress file could not be checked in the background ({e}); it was opened \
                 as it is."
            ))),
        }
    }

    /// Whether a background check is running, or due to start at the next poll.
    pub fn integrity_check_running(&self) -> bool {
        self.check.is_some() || self.check_due
    }

    /// Starts the background check if one is due, and collects its result if it has arrived.
    /// On a sound file this lets SQLite copy the log into the database again and returns
    /// `Ok(None)`; on a damaged one the file (and its log) is renamed aside byte for byte, a
    /// fresh database takes its place and the notice is returned: everything read from the
    /// store before is stale. Cheap; call it every frame.
    pub fn poll_integrity(&mut self) -> Result<Option<OpenNotice>, StoreError> {
        if self.check_due {
            self.start_integrity_check();
        }
        let Some(check) = self.check.as_mut() else {
            return Ok(None);
        };
        let verdict = match check.rx.try_recv() {
            Err(TryRecvError::Empty) => return Ok(None),
            Err(TryRecvError::Disconnected) => None,
            Ok(v) => v,
        };
        check.stop();
        self.check = None;
        match verdict {
            None => {
                self.conn
                    .pragma_update(None, "wal_autocheckpoint", AUTOCHECKPOINT_PAGES)?;
                Ok(None)
            }
            Some(reason) => self.replace_damaged(reason).map(Some),
        }
    }

    /// Closes the damaged file without copying the log into it, renames both aside and starts a
    /// fresh database in their place.
    fn replace_damaged(&mut self, reason: String) -> Result<OpenNotice, StoreError> {
        let Some(path) = self.path.clone() else {
            return Err(Broken::Corrupt(reason).into_error());
        };
        let _ = self
            .conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true);
        drop(std::mem::replace(
            &mut self.conn,
            Connection::open_in_memory()?,
        ));
        let moved_to = set_aside(&path)?;
        self.conn = open_conn(&path).map_err(Broken::into_error)?;
        self.begin_session(true)?;
        Ok(OpenNotice::Recovered { moved_to, reason })
    }

    /// The folder of the progress file; `None` for an in-memory store.
    pub fn folder(&self) -> Option<&Path> {
        self.path.as_deref().and_then(Path::parent)
    }

    /// Notices gathered while opening and reading (a foreign log set aside, settings out of
    /// range, unreadable rows skipped), each once.
    pub fn take_notices(&self) -> Vec<OpenNotice> {
        std::mem::take(&mut *self.pending.borrow_mut())
    }

    pub(crate) fn notice(&self, n: OpenNotice) {
        let mut pending = self.pending.borrow_mut();
        if !pending.contains(&n) {
            pending.push(n);
        }
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

    /// Keeps the rows that could be read and counts the others (a value out of range, such as a
    /// rating of 7), with a notice; any other error fails the read.
    pub(crate) fn readable<T>(
        &self,
        what: &'static str,
        rows: impl Iterator<Item = rusqlite::Result<T>>,
    ) -> Result<Vec<T>, StoreError> {
        let mut out = Vec::new();
        let mut skipped = 0;
        for row in rows {
            match row {
                Ok(v) => out.push(v),
                Err(
                    rusqlite::Error::FromSqlConversionFailure(..)
                    | rusqlite::Error::IntegralValueOutOfRange(..)
                    | rusqlite::Error::InvalidColumnType(..),
                ) => skipped += 1,
                Err(e) => return Err(e.into()),
            }
        }
        if skipped > 0 {
            self.notice(OpenNotice::SkippedRows {
                what,
                count: skipped,
            });
        }
        Ok(out)
    }
}

impl Drop for Store {
    /// A clean close: the background check stopped, the log copied into the database and
    /// removed, and the lock file marked `closed` so the next open need not check the file first.
    fn drop(&mut self) {
        if let Some(mut check) = self.check.take() {
            check.stop();
        }
        let (true, Some(path)) = (self.writable, self.path.clone()) else {
            return;
        };
        let _ = self
            .conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false);
        let clean = match Connection::open_in_memory() {
            Ok(mem) => std::mem::replace(&mut self.conn, mem).close().is_ok(),
            Err(_) => false,
        };
        if let Some(lock) = self._lock.as_mut() {
            let info = LockInfo {
                epoch: files::read_header(&path).map(|h| h.epoch),
                next: Some(self.epoch),
                clean,
            };
            let _ = files::write_lock(lock, &info);
        }
    }
}

/// The writable connection, migrated to the latest schema. It never copies the log into the
/// database on close (`Drop` turns that back on for a clean close), so a file found damaged
/// later is set aside as it was.
fn open_conn(path: &Path) -> Result<Connection, Broken> {
    let sql = |e: rusqlite::Error| classify(e, path);
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sql)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)
        .map_err(sql)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
    // The first real access: a non-database file fails here. A newer schema is refused before
    // anything writes to the file (switching to WAL does).
    migrate_check(&conn, path)?;
    // Until the file is known sound, every write stays in the log.
    conn.pragma_update(None, "wal_autocheckpoint", 0)
        .map_err(sql)?;
    // Not WAL when another connection holds the file in a mode that blocks it: carry on in that
    // mode ([`Store::open`] tells the learner).
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
        .map_err(sql)?;
    migrate(&mut conn, path)?;
    Ok(conn)
}

/// A connection that reads and never writes. `exclusive`: nothing else has the file open (we
/// hold the lock), and it is to be read without touching anything beside it — not even `-shm`:
/// with no log to read it is opened `immutable`; with one, in exclusive locking mode (SQLite then
/// keeps the log's index in memory) with `query_only` and no checkpoint on close. Otherwise (the
/// background check, beside the app's own connection) a plain read-only connection.
fn read_only_conn(path: &Path, exclusive: bool) -> Result<Connection, Broken> {
    let sql = |e: rusqlite::Error| classify(e, path);
    let conn = if !exclusive {
        Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sql)?
    } else if !files::log_has_frames(path) {
        Connection::open_with_flags(
            immutable_uri(path),
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(sql)?
    } else {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sql)?;
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)
            .map_err(sql)?;
        conn.query_row("PRAGMA locking_mode = EXCLUSIVE", [], |_| Ok(()))
            .map_err(sql)?;
        conn
    };
    conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
    conn.pragma_update(None, "query_only", true).map_err(sql)?;
    Ok(conn)
}

/// `file:<path>?immutable=1`, the path percent-encoded where a URI needs it.
fn immutable_uri(path: &Path) -> String {
    let mut out = String::from("file:");
    if cfg!(windows) {
        out.push_str("///");
    }
    for &b in path.as_os_str().as_encoded_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'.' | b'_' | b'-' | b'~' | b':' => {
                out.push(b as char)
            }
            b'\\' if cfg!(windows) => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out.push_str("?immutable=1");
    out
}

/// `PRAGMA quick_check` on a read-only connection.
fn check_file(path: &Path, exclusive: bool) -> Result<(), Broken> {
    let conn = read_only_conn(path, exclusive)?;
    quick_check(&conn, path)
}

fn quick_check(conn: &Connection, path: &Path) -> Result<(), Broken> {
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| classify(e, path))?;
    if check != "ok" {
        return Err(Broken::Corrupt(format!("integrity check failed: {check}")));
    }
    Ok(())
}

fn migrate_check(conn: &Connection, path: &Path) -> Result<(), Broken> {
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| classify(e, path))?;
    if version > latest_schema() {
        return Err(Broken::Fatal(StoreError::TooNew {
            found: version,
            known: latest_schema(),
            path: path.to_owned(),
        }));
    }
    Ok(())
}

/// Applies every migration newer than the file's `user_version`, each in its own transaction.
fn migrate(conn: &mut Connection, path: &Path) -> Result<(), Broken> {
    migrate_check(conn, path)?;
    // The schema's `ON DELETE CASCADE` holds only with foreign keys on (SQLite's default is off,
    // per connection).
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(|e| classify(e, path))?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| classify(e, path))?;
    for m in MIGRATIONS.iter().filter(|m| m.version > version) {
        let tx = conn.transaction().map_err(|e| classify(e, path))?;
        tx.execute_batch(m.sql).map_err(|e| classify(e, path))?;
        tx.pragma_update(None, "user_version", m.version)
            .map_err(|e| classify(e, path))?;
        tx.commit().map_err(|e| classify(e, path))?;
    }
    Ok(())
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
        Some(ErrorCode::ReadOnly) => Broken::Fatal(StoreError::ReadOnly {
            path: path.to_owned(),
        }),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
            Broken::Corrupt(e.to_string())
        }
        _ => Broken::Fatal(StoreError::Sql(e)),
    }
}

/// Takes the exclusive lock on `<path>.lock` without waiting, creating the file if needed and
/// `create` (a read-only command creates nothing: no lock file, no lock); the lock file itself
/// is never removed (removing it would let two processes lock different files). `None` where the
/// file system has no locks: SQLite's own locking is all there is then.
fn lock(path: &Path, create: bool) -> Result<Option<File>, StoreError> {
    let lock_path = beside(path, LOCK_SUFFIX);
    let file = File::options()
        .read(true)
        .write(create)
        .create(create)
        .truncate(false)
        .open(&lock_path);
    let file = match file {
        Ok(f) => f,
        Err(e) if !create && e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(StoreError::LockFile {
                path: lock_path,
                source,
            });
        }
    };
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

/// Renames a damaged database (and its WAL files) to `<name>.corrupt-<timestamp>`, as they are.
fn set_aside(path: &Path) -> Result<PathBuf, StoreError> {
    let moved_to = files::free_name(path, "corrupt", &["-wal", "-shm"]);
    std::fs::rename(path, &moved_to).map_err(|source| StoreError::SetAside {
        path: path.to_owned(),
        source,
    })?;
    for suffix in ["-wal", "-shm"] {
        let side = beside(path, suffix);
        if side.exists() {
            std::fs::rename(&side, beside(&moved_to, suffix)).map_err(|source| {
                StoreError::SetAside {
                    path: side.clone(),
                    source,
                }
            })?;
        }
    }
    Ok(moved_to)
}
