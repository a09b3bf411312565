//! `coldstart check DIR`: validate a pack and print every problem.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use serde_json::json;

use crate::content::{self, Pack, Report, Severity};

/// Exit codes: 0 valid (warnings allowed), 1 the pack has errors, 2 usage or I/O error.
pub fn run(dir: &Path, as_json: bool, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    run_keeping(dir, as_json, out, err).0
}

/// [`run`], handing back the report (`None` when the folder could not be read) for the caller
/// to free when it chooses. The `check` command ends the process without freeing it: a pack at
/// the limits is about a million allocations, and freeing them one by one took a sixth of the
/// check's time, while the system takes a process's memory back at once
/// (`examples/bench_load.rs` frees it outside its timing, to measure what the command does).
pub fn run_keeping(
    dir: &Path,
    as_json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> (i32, Option<Report>) {
    let report = match content::load_dir(dir) {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(
                err,
                "coldstart: cannot read pack folder: {e}: {}",
                content::printable(&dir.to_string_lossy())
            );
            return (2, None);
        }
    };
    let written = if as_json {
        writeln!(out, "{}", to_json(&report))
    } else {
        write_text(&report, out)
    };
    if let Err(code) = super::output_written(written, "coldstart", err) {
        return (code, Some(report));
    }
    let code = if report.errors() > 0 { 1 } else { 0 };
    (code, Some(report))
}

/// Causes first; the errors that follow from an unreadable file folded into one line after
/// that file's own error; then the summary.
fn write_text(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    // Counted once: a pack with 100,000 errors must not count them again for each one.
    let mut follows: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for d in &report.diagnostics {
        if let Some(file) = d.follows_from.as_deref() {
            *follows.entry(file).or_default() += 1;
        }
    }
    for d in report
        .diagnostics
        .iter()
        .filter(|d| d.follows_from.is_none())
    {
        writeln!(out, "{d}")?;
        // Said once, after the file's first own error.
        if let Some(n) = follows.remove(d.file.as_str()) {
            writeln!(out, "  +{} that follow from it", count(n, "error"))?;
        }
    }
    let p = &report.pack;
    let meta = &p.meta;
    let name = match (meta.id.is_empty(), meta.version.is_empty()) {
        (true, _) => "pack (pack.toml not read)".to_owned(),
        (false, true) => content::printable(&meta.id).into_owned(),
        (false, false) => format!(
            "{} {}",
            content::printable(&meta.id),
            content::printable(&meta.version)
        ),
    };
    let consequences = report
        .diagnostics
        .iter()
        .filter(|d| d.follows_from.is_some())
        .count();
    let errors = match consequences {
        0 => count(report.errors(), "error"),
        n => format!(
            "{} (+{n} that follow from it)",
            count(report.errors() - n, "error")
        ),
    };
    writeln!(
        out,
        "{name}: {}, {}, {}, {}, {}, {errors}, {}",
        count(p.topics.len(), "topic"),
        count(p.notes.len(), "note"),
        count(section_count(p), "section"),
        count(p.cards.len(), "card"),
        count(p.questions.len(), "question"),
        count(report.warnings(), "warning")
    )
}

/// "1 error", "0 errors", "2 errors".
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn section_count(p: &Pack) -> usize {
    p.notes.iter().map(|n| n.sections.len()).sum()
}

/// The `--json` shape documented in the README.
pub fn to_json(report: &Report) -> serde_json::Value {
    let p = &report.pack;
    // Counted once, not per topic: a pack may have many topics and many cards.
    let mut cards: HashMap<&str, usize> = HashMap::new();
    for c in &p.cards {
        *cards.entry(c.topic.as_str()).or_default() += 1;
    }
    let mut questions: HashMap<&str, usize> = HashMap::new();
    for q in &p.questions {
        *questions.entry(q.topic.as_str()).or_default() += 1;
    }
    let topics: Vec<_> = p
        .topics
        .iter()
        .map(|t| {
            let note = p.note(&t.id);
            json!({
                "id": t.id,
                "title": t.title,
                "notes": usize::from(note.is_some()),
                "sections": note.map_or(0, |n| n.sections.len()),
                "cards": cards.get(t.id.as_str()).copied().unwrap_or(0),
                "questions": questions.get(t.id.as_str()).copied().unwrap_or(0),
            })
        })
        .collect();
    let diagnostics: Vec<_> = report
        .diagnostics
        .iter()
        .map(|d| {
            json!({
                "file": d.file,
                "line": d.line,
                "column": d.column,
                "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "code": d.code,
                "message": d.message,
                "hint": d.hint,
                // Set on an error that follows from another file being unreadable: the file.
                "follows_from": d.follows_from,
                "consequence": d.follows_from.is_some(),
            })
        })
        .collect();
    json!({
        "pack": { "id": p.meta.id, "title": p.meta.title, "version": p.meta.version },
        "diagnostics": diagnostics,
        "topics": topics,
        "exams": super::exams::check_json(p),
        "totals": {
            "topics": p.topics.len(),
            "notes": p.notes.len(),
            "sections": section_count(p),
            "cards": p.cards.len(),
            "questions": p.questions.len(),
            "errors": report.errors(),
            "warnings": report.warnings(),
        },
    })
}
