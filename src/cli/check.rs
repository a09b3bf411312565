//! `coldstart check DIR`: validate a pack and print every problem.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use serde_json::json;

use crate::content::{self, Pack, Report, Severity};

/// Exit codes: 0 valid (warnings allowed), 1 the pack has errors, 2 usage or I/O error.
pub fn run(dir: &Path, as_json: bool, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let report = match content::load_dir(dir) {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(
                err,
                "coldstart: cannot read pack folder: {e}: {}",
                content::printable(&dir.to_string_lossy())
            );
            return 2;
        }
    };
    let written = if as_json {
        writeln!(out, "{}", to_json(&report))
    } else {
        write_text(&report, out)
    };
    if let Err(e) = written {
        let _ = writeln!(err, "coldstart: cannot write output: {e}");
        return 2;
    }
    if report.errors() > 0 { 1 } else { 0 }
}

fn write_text(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    for d in &report.diagnostics {
        writeln!(out, "{d}")?;
    }
    let p = &report.pack;
    let meta = &p.meta;
    let id = if meta.id.is_empty() { "pack" } else { &meta.id };
    writeln!(
        out,
        "{} {}: {} topics, {} notes, {} sections, {} cards, {} questions, {} errors, {} warnings",
        content::printable(id),
        content::printable(&meta.version),
        p.topics.len(),
        p.notes.len(),
        section_count(p),
        p.cards.len(),
        p.questions.len(),
        report.errors(),
        report.warnings()
    )
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
