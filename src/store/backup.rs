//! Backups of the progress file and restoring one: copies made with SQLite's online backup (so a
//! copy is consistent even while the app writes), kept in `backups/` beside the progress file
//! as `progress-YYYY-MM-DD.sqlite`, rotated (7 daily, 4 weekly), never taking more than a tenth
//! of the disk's free space; and [`Store::restore_from`], which keeps the current file aside,
//! checks the backup and reopens the store on it.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::civil::Date;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

use super::files::{self, beside};
use super::{
    Broken, MIGRATIONS, Store, StoreError, classify, immutable_uri, latest_schema, open_conn,
    quick_check, read_only_conn,
};

/// The folder beside the progress file that holds its backups.
pub const BACKUP_DIR: &str = "backups";

/// Backups of the most recent days kept (one per day).
pub const KEEP_DAILY: usize = 7;

/// Older backups kept, one per ISO week, for the weeks before the daily ones.
pub const KEEP_WEEKLY: usize = 4;

/// The backups may take at most this share of the disk's free space.
pub const MAX_SHARE_OF_FREE_SPACE: f64 = 0.10;

/// How often a busy source is retried (every 50 ms) before a backup gives up.
const BUSY_RETRIES: u32 = 100;

/// One backup on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupInfo {
    pub path: PathBuf,
    /// The day it was made (from its name).
    pub date: Date,
    pub size: u64,
    /// Flashcard answers it holds; `None` when it cannot be read.
    pub reviews: Option<u64>,
}

/// What [`daily_backup`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DailyOutcome {
    /// A backup was made (and older ones rotated out).
    Made(BackupInfo),
    /// Today's backup already exists.
    AlreadyToday,
    /// Skipped: the backups would take more than a tenth of the disk's free space.
    NoSpace { needed: u64, free: u64 },
}

/// `backups/` beside the progress file at `db`.
pub fn backup_dir(db: &Path) -> PathBuf {
    db.parent()
        .unwrap_or_else(|| Path::new("."))
        .join(BACKUP_DIR)
}

/// The name of the backup made on `date`.
pub fn backup_name(date: Date) -> String {
    format!("progress-{date}.sqlite")
}

fn date_of(name: &str) -> Option<Date> {
    name.strip_prefix("progress-")?
        .strip_suffix(".sqlite")?
        .parse()
        .ok()
}

/// The backups in `dir`, newest first, each with its size and the answers it holds (read from
/// the file; `None` when it cannot be read). Files not named like a backup are ignored.
pub fn list_backups(dir: &Path) -> Vec<BackupInfo> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<BackupInfo> = entries
        .flatten()
        .filter_map(|e| {
            let date = date_of(e.file_name().to_str()?)?;
            let meta = e.metadata().ok().filter(|m| m.is_file())?;
            let path = e.path();
            Some(BackupInfo {
                reviews: count_reviews(&path),
                path,
                date,
                size: meta.len(),
            })
        })
        .collect();
    out.sort_by_key(|b| std::cmp::Reverse(b.date));
    out
}

fn count_reviews(path: &Path) -> Option<u64> {
    let conn = open_backup(path).ok()?;
    conn.query_row("SELECT count(*) FROM review_log", [], |r| {
        r.get::<_, i64>(0)
    })
    .ok()
    .map(|n| n.max(0) as u64)
}

/// A backup opened to read it and nothing else (`immutable`: not even a `-shm` beside it).
fn open_backup(path: &Path) -> Result<Connection, Broken> {
    let conn = Connection::open_with_flags(
        immutable_uri(path),
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI,
    )
    .map_err(|e| classify(e, path))?;
    conn.pragma_update(None, "query_only", true)
        .map_err(|e| classify(e, path))?;
    Ok(conn)
}

/// Which of the backups made on `dates` to keep: those of the [`KEEP_DAILY`] most recent days,
/// and the newest of each of the [`KEEP_WEEKLY`] most recent ISO weeks before them (weeks that do
/// not already hold a daily one).
pub fn to_keep(dates: &[Date]) -> BTreeSet<Date> {
    let mut sorted: Vec<Date> = dates.to_vec();
    sorted.sort_unstable_by_key(|d| std::cmp::Reverse(*d));
    sorted.dedup();
    let week = |d: &Date| {
        let w = d.iso_week_date();
        (w.year(), w.week())
    };
    let mut keep: BTreeSet<Date> = sorted.iter().take(KEEP_DAILY).copied().collect();
    let mut weeks: HashSet<(i16, i8)> = keep.iter().map(week).collect();
    let mut weekly = 0;
    for d in sorted.iter().skip(KEEP_DAILY) {
        if weekly >= KEEP_WEEKLY {
            break;
        }
        if weeks.insert(week(d)) {
            keep.insert(*d);
            weekly += 1;
        }
    }
    keep
}

/// Deletes the backups in `dir` that [`to_keep`] does not keep. Returns how many were deleted.
pub fn rotate(dir: &Path) -> usize {
    let backups = list_dates(dir);
    let dates: Vec<Date> = backups.iter().map(|(d, _)| *d).collect();
    let keep = to_keep(&dates);
    backups
        .into_iter()
        .filter(|(d, _)| !keep.contains(d))
        .filter(|(_, p)| std::fs::remove_file(p).is_ok())
        .count()
}

fn list_dates(dir: &Path) -> Vec<(Date, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| Some((date_of(e.file_name().to_str()?)?, e.path())))
        .collect()
}

/// Free bytes for an unprivileged user on the disk holding `dir`; `None` where it cannot be
/// told (then the space check is skipped).
pub fn free_space(dir: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        let s = rustix::fs::statvfs(dir).ok()?;
        Some(s.f_bavail.saturating_mul(s.f_frsize))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

/// The day's automatic backup of the progress file at `db`, made on its own read-only
/// connection (so it can run on a background thread beside the app's writable one): does
/// nothing when `today`'s backup exists; skips when the backups would then take more than a
/// tenth of the disk's free space; otherwise copies, checks the copy and rotates.
pub fn daily_backup(db: &Path, today: Date) -> Result<DailyOutcome, StoreError> {
    let dir = backup_dir(db);
    let dest = dir.join(backup_name(today));
    if dest.exists() {
        return Ok(DailyOutcome::AlreadyToday);
    }
    std::fs::create_dir_all(&dir).map_err(|source| StoreError::CreateDir {
        path: dir.clone(),
        source,
    })?;
    let file_len = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let estimate = file_len(db) + file_len(&beside(db, "-wal"));
    let existing: u64 = list_dates(&dir).iter().map(|(_, p)| file_len(p)).sum();
    if let Some(free) = free_space(&dir) {
        let needed = existing + estimate;
        if needed as f64 > free as f64 * MAX_SHARE_OF_FREE_SPACE {
            return Ok(DailyOutcome::NoSpace { needed, free });
        }
    }
    let src = read_only_conn(db, false).map_err(Broken::into_error)?;
    copy_db(&src, db, &dest)?;
    drop(src);
    rotate(&dir);
    Ok(DailyOutcome::Made(BackupInfo {
        reviews: count_reviews(&dest),
        size: file_len(&dest),
        date: today,
        path: dest,
    }))
}

/// Copies the database `from` (whose file is `src`, for messages) to `dest` with SQLite's online
/// backup, in one step so the copy is one consistent snapshot (a busy source is retried for a few
/// seconds), checks the copy with `quick_check`, makes it a single self-contained file (rollback
/// journal, no `-wal`) and only then renames it into place: a failed backup leaves nothing.
fn copy_db(from: &Connection, src: &Path, dest: &Path) -> Result<(), StoreError> {
    let tmp = beside(dest, ".partial");
    let _ = std::fs::remove_file(&tmp);
    let result = (|| {
        let mut to = Connection::open(&tmp)?;
        {
            let backup = Backup::new(from, &mut to)?;
            let mut tries = 0;
            loop {
                match backup.step(-1)? {
                    StepResult::Done => break,
                    StepResult::More => {}
                    StepResult::Busy | StepResult::Locked => {
                        tries += 1;
                        if tries > BUSY_RETRIES {
                            return Err(StoreError::Locked {
                                path: src.to_owned(),
                            });
                        }
                        std::thread::sleep(Duration::from_millis(50));
                    }
                    _ => {}
                }
            }
        }
        let _: String = to.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        quick_check(&to, dest).map_err(|b| match b {
            Broken::Corrupt(reason) => StoreError::Damaged {
                reason,
                path: src.to_owned(),
            },
            Broken::Fatal(e) => e,
        })?;
        to.close().map_err(|(_, e)| e)?;
        std::fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(|source| StoreError::Backup {
                path: tmp.clone(),
                source,
            })?;
        std::fs::rename(&tmp, dest).map_err(|source| StoreError::Backup {
            path: dest.to_owned(),
            source,
        })
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
        let _ = std::fs::remove_file(beside(&tmp, "-journal"));
    }
    result
}

/// Checks that `path` is a coldstart progress file that can be restored: it passes
/// `quick_check`, its schema version is one this build knows, and it has every table and column
/// that version's migrations made. Returns the answers it holds.
pub fn verify_backup(path: &Path) -> Result<u64, StoreError> {
    let bad = |reason: String| StoreError::BadBackup {
        reason,
        path: path.to_owned(),
    };
    if !path.is_file() {
        return Err(bad("no such file".into()));
    }
    let conn = open_backup(path).map_err(|b| match b {
        Broken::Corrupt(reason) => bad(reason),
        Broken::Fatal(e) => bad(e.to_string()),
    })?;
    quick_check(&conn, path).map_err(|b| match b {
        Broken::Corrupt(reason) => bad(reason),
        Broken::Fatal(e) => bad(e.to_string()),
    })?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| bad(e.to_string()))?;
    if version > latest_schema() {
        return Err(bad(format!(
            "it was written by a newer coldstart (schema {version}, this build knows up to {})",
            latest_schema()
        )));
    }
    if version < 1 {
        return Err(bad("it is not a coldstart progress file".into()));
    }
    let expected = expected_schema(version)?;
    let found = schema_of(&conn)?;
    for (table, cols) in &expected {
        match found.iter().find(|(t, _)| t == table) {
            None => return Err(bad(format!("the table {table} is missing"))),
            Some((_, have)) => {
                if let Some(c) = cols.iter().find(|c| !have.contains(c)) {
                    return Err(bad(format!("the column {table}.{c} is missing")));
                }
            }
        }
    }
    let reviews: i64 = conn
        .query_row("SELECT count(*) FROM review_log", [], |r| r.get(0))
        .map_err(|e| bad(e.to_string()))?;
    Ok(reviews.max(0) as u64)
}

/// Tables and their columns after the migrations up to `version`.
fn expected_schema(version: i64) -> Result<Vec<(String, Vec<String>)>, StoreError> {
    let conn = Connection::open_in_memory()?;
    for m in MIGRATIONS.iter().filter(|m| m.version <= version) {
        conn.execute_batch(m.sql)?;
    }
    schema_of(&conn)
}

fn schema_of(conn: &Connection) -> Result<Vec<(String, Vec<String>)>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )?;
    let tables: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for t in tables {
        let mut cols = conn.prepare("SELECT name FROM pragma_table_info(?1)")?;
        let names: Vec<String> = cols
            .query_map([&t], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        out.push((t, names));
    }
    Ok(out)
}

/// The newest backup in `dir` that passes [`verify_backup`] (the banner's offer after the
/// progress file was found damaged).
pub fn newest_good_backup(dir: &Path) -> Option<BackupInfo> {
    list_backups(dir)
        .into_iter()
        .find(|b| verify_backup(&b.path).is_ok())
}

impl Store {
    /// Copies the open database to `dest` with SQLite's online backup (for `coldstart backup`
    /// and tests): checked, then renamed into place, so a failed backup leaves nothing. Refuses
    /// to write over the progress file or its companions.
    pub fn backup_to(&self, dest: &Path) -> Result<(), StoreError> {
        if let Some(db) = self.path.as_deref() {
            let own = [
                db.to_owned(),
                beside(db, "-wal"),
                beside(db, "-shm"),
                beside(db, super::LOCK_SUFFIX),
            ];
            let dest_abs = std::path::absolute(dest).unwrap_or_else(|_| dest.to_owned());
            if own
                .iter()
                .any(|p| std::path::absolute(p).is_ok_and(|p| p == dest_abs))
            {
                return Err(StoreError::BadBackup {
                    reason: "that is the progress file itself; choose another file".into(),
                    path: dest.to_owned(),
                });
            }
        }
        let src = self
            .path
            .clone()
            .unwrap_or_else(|| PathBuf::from(":memory:"));
        copy_db(&self.conn, &src, dest)
    }

    /// Replaces the progress file with the backup at `backup`: the backup is checked first
    /// ([`verify_backup`]); the current file (with its log) is closed cleanly and kept aside as
    /// `progress.sqlite.before-restore-<time>`; a copy of the backup takes its place and the
    /// store reopens on it (upgrading an older schema). Returns where the old file was kept.
    /// Everything read from the store before is stale afterwards.
    pub fn restore_from(&mut self, backup: &Path) -> Result<PathBuf, StoreError> {
        let Some(path) = self.path.clone().filter(|_| self.writable) else {
            return Err(StoreError::BadBackup {
                reason: "progress is not kept in a file in this session".into(),
                path: backup.to_owned(),
            });
        };
        verify_backup(backup)?;
        let tmp = beside(&path, ".restoring");
        let copy = std::fs::copy(backup, &tmp)
            .and_then(|_| std::fs::File::open(&tmp))
            .and_then(|f| f.sync_all());
        if let Err(source) = copy {
            let _ = std::fs::remove_file(&tmp);
            return Err(StoreError::Backup { path: tmp, source });
        }
        if let Some(mut check) = self.check.take() {
            check.stop();
        }
        // A clean close copies the log into the file, so what is kept aside is whole.
        let _ = self
            .conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false);
        let old = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        let _ = old.close();
        let kept = files::free_name(&path, "before-restore", &["-wal", "-shm"]);
        let moved = move_with_log(&path, &kept);
        let reopened = moved.and_then(|()| {
            std::fs::rename(&tmp, &path).map_err(|source| StoreError::Backup {
                path: path.clone(),
                source,
            })?;
            self.conn = open_conn(&path).map_err(Broken::into_error)?;
            self.begin_session(true)
        });
        if let Err(e) = reopened {
            // Put the learner's file back as it was and carry on with it.
            let _ = std::fs::remove_file(&tmp);
            if kept.exists() {
                let _ = std::fs::remove_file(&path);
                let _ = move_with_log(&kept, &path);
            }
            if let Ok(conn) = open_conn(&path).map_err(Broken::into_error) {
                self.conn = conn;
                let _ = self.begin_session(true);
            }
            return Err(e);
        }
        Ok(kept)
    }
}

/// Renames `from` (and its `-wal`/`-shm`, if any) to `to`.
fn move_with_log(from: &Path, to: &Path) -> Result<(), StoreError> {
    let err = |path: &Path| {
        let path = path.to_owned();
        move |source| StoreError::SetAside { path, source }
    };
    std::fs::rename(from, to).map_err(err(from))?;
    for suffix in ["-wal", "-shm"] {
        let side = beside(from, suffix);
        if side.exists() {
            std::fs::rename(&side, beside(to, suffix)).map_err(err(&side))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn keeps_seven_days_then_four_weeks() {
        // 60 consecutive daily backups ending on Thursday 2026-12-03.
        let end = d("2026-12-03");
        let dates: Vec<Date> = (0..60)
            .map(|i| end.checked_sub(jiff::Span::new().days(i)).unwrap())
            .collect();
        let keep = to_keep(&dates);
        assert_eq!(keep.len(), KEEP_DAILY + KEEP_WEEKLY);
        for i in 0..7 {
            assert!(keep.contains(&end.checked_sub(jiff::Span::new().days(i)).unwrap()));
        }
        // The daily ones reach back to Friday 2026-11-27 (ISO weeks 48 and 49); the weekly ones
        // are the Sundays ending weeks 47, 46, 45 and 44.
        for s in ["2026-11-22", "2026-11-15", "2026-11-08", "2026-11-01"] {
            assert!(keep.contains(&d(s)), "{s} kept");
        }
        assert!(!keep.contains(&d("2026-11-26")));
        assert!(!keep.contains(&d("2026-10-25")));
    }

    #[test]
    fn few_backups_are_all_kept() {
        let dates = [d("2026-01-01"), d("2025-06-01"), d("2026-01-01")];
        assert_eq!(to_keep(&dates).len(), 2);
    }

    #[test]
    fn backup_names_round_trip() {
        assert_eq!(
            date_of(&backup_name(d("2026-12-03"))),
            Some(d("2026-12-03"))
        );
        assert_eq!(date_of("progress-2026-12-03.sqlite.partial"), None);
        assert_eq!(date_of("notes.txt"), None);
    }
}
