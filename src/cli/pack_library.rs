//! `coldstart pack list | install | remove`: the pack library from the command line. Exit codes
//! as `check`: 0 done, 1 refused (with the reasons), 2 a usage or I/O problem.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::content::{self, Pack};
use crate::library::{Active, Library, LibraryError, Staged};
use crate::store::{PackProgress, Store};

/// One row of `pack list`.
#[derive(Serialize)]
struct Row {
    id: String,
    source: &'static str,
    active: bool,
    title: String,
    version: String,
    authors: Vec<String>,
    license: Option<String>,
    topics: usize,
    cards: usize,
    questions: usize,
    /// None: no progress file yet.
    progress: Option<PackProgress>,
    /// Why an installed pack cannot be opened.
    error: Option<String>,
}

fn row(
    id: &str,
    source: &'static str,
    active: bool,
    pack: Result<&Pack, String>,
    store: Option<&Store>,
) -> Row {
    let progress = store.and_then(|s| s.pack_progress(id).ok());
    match pack {
        Ok(p) => Row {
            id: id.to_owned(),
            source,
            active,
            title: p.meta.title.clone(),
            version: p.meta.version.clone(),
            authors: p.meta.authors.clone(),
            license: p.meta.license.clone(),
            topics: p.topics.len(),
            cards: p.cards.len(),
            questions: p.questions.len(),
            progress,
            error: None,
        },
        Err(e) => Row {
            id: id.to_owned(),
            source,
            active,
            title: String::new(),
            version: String::new(),
            authors: Vec::new(),
            license: None,
            topics: 0,
            cards: 0,
            questions: 0,
            progress,
            error: Some(e),
        },
    }
}

/// A line saying how much progress there is.
pub fn describe_progress(p: &PackProgress) -> String {
    if p.is_empty() {
        return "no progress yet".to_owned();
    }
    format!(
        "{} cards studied ({} reviews), {} quiz answers in {} sessions, {} notes read",
        p.cards_studied, p.reviews, p.quiz_answers, p.quiz_attempts, p.notes_read
    )
}

/// `pack list`: the built-in pack and every installed one, the active one marked.
pub fn list(
    lib: &Library,
    store: Option<&Store>,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let installed = match lib.list() {
        Ok(l) => l,
        Err(e) => {
            let _ = writeln!(err, "coldstart: {e}");
            return 2;
        }
    };
    let active = lib.active();
    let builtin = content::embedded().map_err(|e| e.to_string());
    let builtin_id = builtin
        .as_ref()
        .map(|p| p.meta.id.clone())
        .unwrap_or_default();
    let mut rows = vec![row(
        &builtin_id,
        "built-in",
        active == Active::BuiltIn,
        builtin.as_ref().map_err(Clone::clone),
        store,
    )];
    for i in &installed {
        rows.push(row(
            &i.id,
            "installed",
            active == Active::Installed(i.id.clone()),
            i.pack.as_ref().map_err(Clone::clone),
            store,
        ));
    }
    if json {
        let _ = serde_json::to_writer_pretty(&mut *out, &rows);
        let _ = writeln!(out);
        return 0;
    }
    for r in &rows {
        let mark = if r.active { "*" } else { " " };
        match &r.error {
            Some(e) => {
                let _ = writeln!(out, "{mark} {} ({}) cannot be opened: {e}", r.id, r.source);
            }
            None => {
                let _ = writeln!(
                    out,
                    "{mark} {} {} ({}) — {}{}{}\n    {} topics, {} cards, {} questions; {}",
                    r.id,
                    r.version,
                    r.source,
                    r.title,
                    if r.authors.is_empty() {
                        String::new()
                    } else {
                        format!(", by {}", r.authors.join(", "))
                    },
                    r.license
                        .as_ref()
                        .map_or(String::new(), |l| format!(", licence {l}")),
                    r.topics,
                    r.cards,
                    r.questions,
                    r.progress
                        .as_ref()
                        .map_or("no progress yet".to_owned(), describe_progress),
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "(* active; packs are in {}; open one with `coldstart --pack-id ID`)",
        lib.root().display()
    );
    0
}

/// Prints what an install changes.
pub fn describe_staged(staged: &Staged, out: &mut dyn Write) {
    let m = &staged.pack.meta;
    match &staged.replaces {
        None => {
            let _ = writeln!(
                out,
                "{} {} — {}: {} cards, {} questions (new)",
                m.id,
                m.version,
                m.title,
                staged.pack.cards.len(),
                staged.pack.questions.len()
            );
        }
        Some(r) => {
            let _ = writeln!(
                out,
                "{} {} replaces the installed {}: {} added, {} removed, {} changed",
                m.id,
                m.version,
                r.version,
                r.diff.added.len(),
                r.diff.removed.len(),
                r.diff.changed.len()
            );
            for (sign, ids) in [
                ("+", &r.diff.added),
                ("-", &r.diff.removed),
                ("~", &r.diff.changed),
            ] {
                for id in ids {
                    let _ = writeln!(out, "  {sign} {id}");
                }
            }
            if !r.diff.removed.is_empty() {
                let _ = writeln!(
                    out,
                    "  (progress on removed items is kept, not shown; it comes back if they do)"
                );
            }
        }
    }
    if !staged.ignored.is_empty() {
        let _ = writeln!(
            out,
            "left out {} files that are not pack files: {}",
            staged.ignored.len(),
            staged.ignored.join(", ")
        );
    }
}

/// Prints a refusal; 1 for a pack or zip problem, 2 for an I/O one.
pub fn print_error(e: &LibraryError, err: &mut dyn Write) -> i32 {
    let _ = writeln!(err, "coldstart: {e}");
    match e {
        LibraryError::Invalid(diags) => {
            for d in diags {
                let _ = writeln!(err, "{d}");
            }
            1
        }
        LibraryError::Io { .. } => 2,
        _ => 1,
    }
}

/// `pack install PATH [--yes]`.
pub fn install(
    lib: &Library,
    path: &Path,
    yes: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    if !path.exists() {
        let _ = writeln!(err, "coldstart: {}: no such file or folder", path.display());
        return 2;
    }
    let staged = match lib.stage(path) {
        Ok(s) => s,
        Err(e) => return print_error(&e, err),
    };
    describe_staged(&staged, out);
    for w in &staged.warnings {
        let _ = writeln!(err, "{w}");
    }
    let id = staged.pack.meta.id.clone();
    match lib.commit(staged, yes) {
        Ok(dir) => {
            let _ = writeln!(
                out,
                "installed {id} in {}; open it with `coldstart --pack-id {id}`",
                dir.display()
            );
            0
        }
        Err(LibraryError::NeedsConfirmation(why)) => {
            for w in why {
                let _ = writeln!(err, "coldstart: {w}");
            }
            let _ = writeln!(
                err,
                "coldstart: not installed; run again with --yes to replace it"
            );
            1
        }
        Err(e) => print_error(&e, err),
    }
}

/// `pack remove ID [--delete-progress]`. `store` is the progress file: writable when progress is
/// to be deleted (opened before the files go, so a locked file stops the whole remove), else
/// read-only for the count of what is kept.
pub fn remove(
    lib: &Library,
    store: Option<&mut Store>,
    id: &str,
    delete_progress: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    if lib.is_installed(id) {
        if let Err(e) = lib.remove(id) {
            return print_error(&e, err);
        }
        let _ = writeln!(out, "removed {id}");
    } else if !delete_progress {
        let _ = writeln!(
            err,
            "coldstart: {}",
            LibraryError::NotInstalled(id.to_owned())
        );
        return 1;
    }
    match (store, delete_progress) {
        (Some(store), true) => match store.delete_pack_progress(id) {
            Ok(p) => {
                let _ = writeln!(out, "deleted its progress: {}", describe_progress(&p));
                0
            }
            Err(e) => {
                let _ = writeln!(err, "coldstart: could not delete the progress: {e}");
                2
            }
        },
        (Some(store), false) => {
            if let Ok(p) = store.pack_progress(id)
                && !p.is_empty()
            {
                let _ = writeln!(
                    out,
                    "kept its progress ({}); reinstall to see it again, or delete it with \
                     `coldstart pack remove {id} --delete-progress`",
                    describe_progress(&p)
                );
            }
            0
        }
        (None, _) => 0,
    }
}
