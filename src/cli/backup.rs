//! `coldstart backup [-o FILE]` and `coldstart restore FILE`: the Progress screen's backups from
//! the command line, with the app closed (both take the progress file's lock, so they refuse
//! while a coldstart window has it open).

use std::io::Write;
use std::path::Path;

use jiff::civil::Date;

use crate::app::backup::human_size;
use crate::store::backup::{self, backup_dir, backup_name};
use crate::store::{Store, StoreError};

/// Copies the progress file at `db` to `out`, or to today's backup in `backups/` beside it
/// (replacing one made earlier today, then rotating). Exit 0, or 2 with the reason on `err`.
pub fn run_backup(
    db: &Path,
    out: Option<&Path>,
    today: Date,
    stdout: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let store = match Store::open_read_only(db) {
        Ok(s) => s,
        Err(e) => return fail(err, &e),
    };
    let dest = match out {
        Some(p) if p.exists() => {
            let _ = writeln!(
                err,
                "coldstart: {} already exists; choose a new file name (nothing was written)",
                p.display()
            );
            return 2;
        }
        Some(p) => p.to_owned(),
        None => {
            let dir = backup_dir(db);
            if let Err(e) = std::fs::create_dir_all(&dir) {
                let _ = writeln!(err, "coldstart: cannot create {}: {e}", dir.display());
                return 2;
            }
            dir.join(backup_name(today))
        }
    };
    if let Err(e) = store.backup_to(&dest) {
        return fail(err, &e);
    }
    drop(store);
    if out.is_none() {
        backup::rotate(&backup_dir(db));
    }
    let size = std::fs::metadata(&dest).map(|m| m.len()).unwrap_or(0);
    let reviews = backup::verify_backup(&dest).unwrap_or(0);
    let _ = writeln!(
        stdout,
        "Backed up your progress ({}, {reviews} flashcard answers) to {}",
        human_size(size),
        dest.display()
    );
    0
}

/// Replaces the progress file at `db` with the backup `file`: checked first; the current file is
/// kept aside (its new name is printed). Exit 0, or 2 with the reason on `err`.
pub fn run_restore(db: &Path, file: &Path, stdout: &mut dyn Write, err: &mut dyn Write) -> i32 {
    // Checked before anything opens (or creates) the progress file.
    if let Err(e) = backup::verify_backup(file) {
        return fail(err, &e);
    }
    let dir = db.parent().unwrap_or_else(|| Path::new("."));
    let opened = std::fs::create_dir_all(dir)
        .map_err(|source| StoreError::CreateDir {
            path: dir.to_owned(),
            source,
        })
        .and_then(|()| Store::open(db));
    let mut store = match opened {
        Ok((s, _)) => s,
        Err(e) => return fail(err, &e),
    };
    match store.restore_from(file) {
        Ok(kept) => {
            let _ = writeln!(
                stdout,
                "Restored your progress from {}.\nWhat you had before was kept as {}",
                file.display(),
                kept.display()
            );
            0
        }
        Err(e) => fail(err, &e),
    }
}

fn fail(err: &mut dyn Write, e: &StoreError) -> i32 {
    let _ = match e {
        StoreError::Locked { path } => writeln!(
            err,
            "coldstart: close the coldstart window first: the progress file is open in it (or in another program): {}",
            path.display()
        ),
        e => writeln!(err, "coldstart: {e}"),
    };
    2
}
