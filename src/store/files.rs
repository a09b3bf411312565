//! The files beside the progress database, read as bytes before any SQLite connection touches
//! them: the database header, the write-ahead log (`-wal`), and what coldstart keeps in the lock
//! file (the database's epoch and whether the last session closed cleanly).
//!
//! Why: SQLite replays whatever `-wal` file sits beside a database, whoever wrote it. After a
//! crash the log of the old file stays; a learner who then copies a backup in would have the old
//! log replayed over it. Each session stamps a fresh random epoch into the database header
//! (`PRAGMA application_id`) and writes it to the lock file first; a log with frames belongs to
//! the database only if the header on disk carries an epoch the lock file names.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// `<path><suffix>`, e.g. `progress.sqlite-wal`.
pub(crate) fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// What the lock file says about the database and the last session.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct LockInfo {
    /// The epoch in the database header when the current session began.
    pub epoch: Option<u32>,
    /// The epoch the current session stamped (in the log until a checkpoint copies it).
    pub next: Option<u32>,
    /// The last session closed cleanly (its connection closed and checkpointed). `false` for a
    /// lock file that says nothing (an older coldstart wrote it, or none did).
    pub clean: bool,
}

const LOCK_HEAD: &str =
    "coldstart progress lock: do not edit; delete only while coldstart is closed";

impl LockInfo {
    fn parse(text: &str) -> Self {
        let mut info = LockInfo::default();
        let hex = |v: &str| u32::from_str_radix(v.trim(), 16).ok();
        for line in text.lines() {
            match line.split_once(' ') {
                Some(("epoch", v)) => info.epoch = hex(v),
                Some(("next", v)) => info.next = hex(v),
                Some(("state", v)) => info.clean = v.trim() == "closed",
                _ => {}
            }
        }
        info
    }

    fn render(&self) -> String {
        let mut s = format!("{LOCK_HEAD}\n");
        if let Some(e) = self.epoch {
            s.push_str(&format!("epoch {e:08x}\n"));
        }
        if let Some(e) = self.next {
            s.push_str(&format!("next {e:08x}\n"));
        }
        s.push_str(if self.clean {
            "state closed\n"
        } else {
            "state open\n"
        });
        s
    }

    /// Whether a log with frames beside a database whose header carries `header_epoch` was
    /// written for that database.
    pub fn owns_log_of(&self, header_epoch: Option<u32>) -> bool {
        match header_epoch {
            Some(e) if e != 0 => self.epoch == Some(e) || self.next == Some(e),
            _ => false,
        }
    }
}

pub(crate) fn read_lock(file: &mut File) -> LockInfo {
    let mut text = String::new();
    let read = file
        .seek(SeekFrom::Start(0))
        .and_then(|_| file.read_to_string(&mut text));
    match read {
        Ok(_) => LockInfo::parse(&text),
        Err(_) => LockInfo::default(),
    }
}

pub(crate) fn write_lock(file: &mut File, info: &LockInfo) -> std::io::Result<()> {
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    file.write_all(info.render().as_bytes())?;
    file.sync_data()
}

/// The first 100 bytes of a SQLite database: `None` when the file is missing, shorter, or not
/// SQLite.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Header {
    /// `PRAGMA application_id`: coldstart's epoch.
    pub epoch: u32,
    /// File format bytes say WAL (both 2).
    pub wal: bool,
}

pub(crate) fn read_header(path: &Path) -> Option<Header> {
    let mut bytes = [0u8; 100];
    let mut f = File::open(path).ok()?;
    f.read_exact(&mut bytes).ok()?;
    if !bytes.starts_with(b"SQLite format 3\0") {
        return None;
    }
    Some(Header {
        epoch: u32::from_be_bytes([bytes[68], bytes[69], bytes[70], bytes[71]]),
        wal: bytes[18] == 2 && bytes[19] == 2,
    })
}

/// Whether `<path>-wal` holds at least one frame SQLite would read: a valid header and a first
/// frame whose salts match it. A missing, empty or never-used log is harmless.
pub(crate) fn log_has_frames(path: &Path) -> bool {
    let Ok(mut f) = File::open(beside(path, "-wal")) else {
        return false;
    };
    let mut head = [0u8; 32 + 24];
    if f.read_exact(&mut head).is_err() {
        return false;
    }
    let word = |i: usize| u32::from_be_bytes([head[i], head[i + 1], head[i + 2], head[i + 3]]);
    if !matches!(word(0), 0x377f_0682 | 0x377f_0683) {
        return false;
    }
    let page_size = u64::from(word(8));
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    len >= 32 + 24 + page_size && word(16) == word(32 + 8) && word(20) == word(32 + 12)
}

/// Renames `<path>-wal` and `<path>-shm` (those that exist) to `<path>.foreign-<stamp>-wal` and
/// `-shm`, untouched. Returns the new name of the log.
pub(crate) fn set_log_aside(path: &Path) -> std::io::Result<PathBuf> {
    let base = free_name(path, "foreign", &["-wal", "-shm"]);
    let moved = beside(&base, "-wal");
    std::fs::rename(beside(path, "-wal"), &moved)?;
    let shm = beside(path, "-shm");
    if shm.exists() {
        std::fs::rename(&shm, beside(&base, "-shm"))?;
    }
    Ok(moved)
}

/// `<path>.<what>-<UTC time>` (with `-N` added until neither it nor it + any of `suffixes`
/// exists).
pub(crate) fn free_name(path: &Path, what: &str, suffixes: &[&str]) -> PathBuf {
    let stamp = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let taken = |p: &Path| p.exists() || suffixes.iter().any(|s| beside(p, s).exists());
    let mut name = beside(path, &format!(".{what}-{stamp}"));
    let mut n = 1;
    while taken(&name) && n < 10_000 {
        name = beside(path, &format!(".{what}-{stamp}-{n}"));
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_info_round_trips_and_reads_old_lock_files() {
        let info = LockInfo {
            epoch: Some(0xdead_beef),
            next: Some(7),
            clean: false,
        };
        assert_eq!(LockInfo::parse(&info.render()), info);
        assert_eq!(LockInfo::parse(""), LockInfo::default());
        assert!(info.owns_log_of(Some(7)));
        assert!(info.owns_log_of(Some(0xdead_beef)));
        assert!(!info.owns_log_of(Some(8)));
        assert!(!info.owns_log_of(Some(0)));
        assert!(!info.owns_log_of(None));
        assert!(!LockInfo::default().owns_log_of(Some(0)));
    }
}
