//! `coldstart export`: the learner's answers as CSV, to keep, to analyse, or to fit FSRS
//! parameters elsewhere. Review answers carry what `review_log` keeps; quiz answers carry their
//! attempt.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::srs::LogEntry;
use crate::store::{AnswerRow, LOCK_SUFFIX, Store, StoreError};

/// What to export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum What {
    /// Every flashcard answer (one row per answer, oldest first).
    Reviews,
    /// Every quiz answer, practice and mock exams (one row per question of an attempt).
    Quiz,
    /// Problems learners reported on cards and questions, for the pack's author.
    Reports,
}

/// Writes the export to `out`. Returns the exit code: 0, or 2 if the store or output failed.
pub fn run(
    store: &Store,
    pack_id: &str,
    what: What,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let result = match what {
        What::Reviews => store
            .answers_since(pack_id, jiff::Timestamp::MIN)
            .map_err(Error::Store)
            .and_then(|rows| write_reviews(&rows, out)),
        What::Quiz => store
            .quiz_answer_rows(pack_id)
            .map_err(Error::Store)
            .and_then(|rows| write_quiz(&rows, out)),
        What::Reports => crate::cli::reports::write(store, pack_id, out).map_err(Error::Reports),
    };
    for n in store.take_notices() {
        let _ = writeln!(err, "coldstart: {n}");
    }
    match result {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(err, "coldstart: {e}");
            2
        }
    }
}

/// Writes the export to the file `out`: refused when `out` is the progress database or one of
/// the files beside it; written to a temporary file in the same folder and renamed over `out`
/// only once complete, so a failed export leaves whatever was at `out` as it was.
pub fn run_to_file(
    store: &Store,
    pack_id: &str,
    what: What,
    out: &Path,
    err: &mut dyn Write,
) -> i32 {
    if let Some(db) = store.path()
        && let Some(hit) = progress_files(db).into_iter().find(|p| same_file(p, out))
    {
        let _ = writeln!(
            err,
            "coldstart: refusing to export onto {}: it is part of your progress ({}); choose another file",
            out.display(),
            hit.display()
        );
        return 2;
    }
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".to_owned());
    let tmp = dir.join(format!(".{name}.coldstart-{}.tmp", std::process::id()));
    let file = match std::fs::File::options()
        .write(true)
        .create_new(true)
        .open(&tmp)
    {
        Ok(f) => f,
        Err(e) => {
            let _ = writeln!(err, "coldstart: cannot create {}: {e}", tmp.display());
            return 2;
        }
    };
    let mut w = std::io::BufWriter::new(file);
    let mut code = run(store, pack_id, what, &mut w, err);
    if code == 0 {
        let done = w
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(|f| f.sync_all())
            .and_then(|()| std::fs::rename(&tmp, out));
        if let Err(e) = done {
            let _ = writeln!(err, "coldstart: cannot write {}: {e}", out.display());
            code = 2;
        }
    } else {
        drop(w);
    }
    if code != 0 {
        let _ = std::fs::remove_file(&tmp);
    }
    code
}

/// The progress database and the files SQLite and coldstart keep beside it.
fn progress_files(db: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm", "-journal", LOCK_SUFFIX]
        .iter()
        .map(|s| {
            let mut p = db.as_os_str().to_owned();
            p.push(s);
            PathBuf::from(p)
        })
        .collect()
}

/// Whether `a` and `b` name the same file: the same path once the folders are resolved (the file
/// itself need not exist), or the same file on disk (a hard or symbolic link).
fn same_file(a: &Path, b: &Path) -> bool {
    let resolve = |p: &Path| -> Option<PathBuf> {
        let dir = match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
            _ => PathBuf::from("."),
        };
        Some(std::fs::canonicalize(dir).ok()?.join(p.file_name()?))
    };
    if let (Some(x), Some(y)) = (resolve(a), resolve(b))
        && x == y
    {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    false
}

/// Standard output as a buffered writer whose every failure (a broken pipe, a full disk, no
/// standard output at all) is reported, never swallowed: on Unix a duplicate of descriptor 1
/// (Rust's own `stdout()` quietly discards output when that descriptor is invalid).
pub fn stdout() -> std::io::Result<Box<dyn Write>> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let fd = std::io::stdout().as_fd().try_clone_to_owned()?;
        if reopened_as_null(&fd) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "standard output is closed (`>&-`); give `-o FILE`, or `>/dev/null` to discard",
            ));
        }
        Ok(Box::new(std::io::BufWriter::new(std::fs::File::from(fd))))
    }
    #[cfg(not(unix))]
    {
        Ok(Box::new(std::io::stdout().lock()))
    }
}

/// Whether descriptor 1 is the `/dev/null` that Rust's start-up opens read-write in place of a
/// closed standard descriptor (`coldstart export >&-`). A shell's `>/dev/null` opens it
/// write-only, so discarding on purpose still works.
#[cfg(unix)]
fn reopened_as_null(fd: &std::os::fd::OwnedFd) -> bool {
    use rustix::fs::{FileType, OFlags};
    let Ok(stat) = rustix::fs::fstat(fd) else {
        return false;
    };
    let null = rustix::fs::stat("/dev/null").map(|n| n.st_rdev).ok();
    let read_write = rustix::fs::fcntl_getfl(fd)
        .map(|f| f & OFlags::RWMODE == OFlags::RDWR)
        .unwrap_or(false);
    FileType::from_raw_mode(stat.st_mode) == FileType::CharacterDevice
        && Some(stat.st_rdev) == null
        && read_write
}

#[derive(Debug, thiserror::Error)]
enum Error {
    #[error("{0}")]
    Store(StoreError),
    #[error("cannot write the export: {0}")]
    Csv(#[from] csv::Error),
    #[error("{0}")]
    Reports(crate::cli::reports::ReportsError),
}

fn ms_to_utc(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

fn write_reviews(rows: &[LogEntry], out: &mut dyn Write) -> Result<(), Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "card_id",
        "review_time",
        "review_time_ms",
        "rating",
        "rating_label",
        "elapsed_days",
        "state_before",
        "state_after",
        "stability",
        "difficulty",
        "due_after",
        "duration_ms",
    ])?;
    for e in rows {
        let at = e.reviewed_at.as_millisecond();
        w.write_record([
            e.card_id.clone(),
            ms_to_utc(at),
            at.to_string(),
            e.rating.number().to_string(),
            e.rating.label().to_owned(),
            e.elapsed_days.map(|d| d.to_string()).unwrap_or_default(),
            e.state_before.label().to_lowercase(),
            e.state_after.label().to_lowercase(),
            e.stability.to_string(),
            e.difficulty.to_string(),
            e.due_after.to_string(),
            e.duration_ms.to_string(),
        ])?;
    }
    w.flush().map_err(csv::Error::from)?;
    Ok(())
}

fn write_quiz(rows: &[AnswerRow], out: &mut dyn Write) -> Result<(), Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "attempt",
        "mode",
        "position",
        "question_id",
        "topic",
        "generator",
        "generator_seed",
        "chosen",
        "correct",
        "flagged",
        "time_ms",
        "answered_at",
    ])?;
    for r in rows {
        let chosen: Vec<String> = r.chosen.iter().map(usize::to_string).collect();
        w.write_record([
            r.attempt.to_string(),
            match r.mode {
                crate::store::AttemptMode::Practice => "practice".to_owned(),
                crate::store::AttemptMode::Exam => "exam".to_owned(),
            },
            r.position.to_string(),
            r.question_id.clone(),
            r.topic.clone(),
            r.generator.clone().unwrap_or_default(),
            r.gen_seed.map(|s| s.to_string()).unwrap_or_default(),
            chosen.join(" "),
            r.correct.to_string(),
            r.flagged.to_string(),
            r.time_ms.to_string(),
            ms_to_utc(r.answered_ms),
        ])?;
    }
    w.flush().map_err(csv::Error::from)?;
    Ok(())
}
