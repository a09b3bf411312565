//! `coldstart exams`: the exams the pack prepares for, with their status and dates; and the
//! exam parts of `check --json` and `stats --json`.

use std::io::Write;

use serde_json::{Value, json};

use crate::app::AppState;
use crate::content::{ExamProfile, Pack, PassMark};
use crate::quiz::readiness::{self, Readiness, Rules};

/// Prints the pack's exam profiles (the default first) as text or JSON. Returns the exit code:
/// 0, or 2 if the output cannot be written.
pub fn run(pack: &Pack, as_json: bool, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let written = if as_json {
        writeln!(out, "{}", list_json(pack))
    } else {
        write_text(pack, out)
    };
    match super::output_written(written, "coldstart", err) {
        Ok(()) => 0,
        Err(code) => code,
    }
}

fn write_text(pack: &Pack, out: &mut dyn Write) -> std::io::Result<()> {
    let default = pack.default_exam().id.clone();
    for e in pack.exam_choices() {
        let mark = if e.id == default { "  (default)" } else { "" };
        writeln!(out, "{}  {}: {}{mark}", e.code, e.title, e.status_label())?;
        let verified = e
            .verified
            .map_or(String::new(), |d| format!("; verified {d}"));
        writeln!(
            out,
            "  {} questions, {} minutes, pass mark {}{verified}",
            e.questions,
            e.minutes,
            e.pass.label()
        )?;
        let counts = e.domain_question_counts(pack);
        for ((d, q), n) in e.domains.iter().zip(e.domain_quotas()).zip(counts) {
            writeln!(
                out,
                "  {:>5}%  {} ({} per mock exam; {n} in the pack)",
                d.weight, d.title, q
            )?;
        }
        if let Some(note) = &e.note {
            writeln!(out, "  Note: {note}")?;
        }
        for s in &e.source {
            writeln!(out, "  Source: {s}")?;
        }
    }
    Ok(())
}

fn pass_json(p: PassMark) -> Value {
    match p {
        PassMark::Percent(percent) => json!({ "percent": percent }),
        PassMark::Scaled { score, scale } => json!({ "score": score, "scale": scale }),
    }
}

fn domains_json(pack: &Pack, e: &ExamProfile) -> Vec<Value> {
    e.domains
        .iter()
        .zip(e.domain_question_counts(pack))
        .map(|(d, n)| json!({ "id": d.id, "title": d.title, "weight": d.weight, "questions": n }))
        .collect()
}

/// `coldstart exams --json`: every profile with its dates, pass mark and sources.
pub fn list_json(pack: &Pack) -> Value {
    let default = pack.default_exam().id.clone();
    let exams: Vec<Value> = pack
        .exam_choices()
        .iter()
        .map(|e| {
            json!({
                "id": e.id,
                "code": e.code,
                "title": e.title,
                "status": e.status.as_str(),
                "status_label": e.status_label(),
                "default": e.id == default,
                "fallback": e.fallback,
                "available_from": e.available_from.map(|d| d.to_string()),
                "last_day": e.last_day.map(|d| d.to_string()),
                "questions": e.questions,
                "minutes": e.minutes,
                "pass": pass_json(e.pass),
                "source": e.source,
                "verified": e.verified.map(|d| d.to_string()),
                "note": e.note,
                "domains": domains_json(pack, e),
            })
        })
        .collect();
    json!({ "exams": exams })
}

/// The `"exams"` array of `check --json`: the profiles the pack declares (none for a pack
/// without `[[exam]]`), each domain with the pack's questions that count toward it.
pub fn check_json(pack: &Pack) -> Value {
    let exams: Vec<Value> = pack
        .exams
        .iter()
        .map(|e| {
            json!({
                "id": e.id,
                "code": e.code,
                "status": e.status.as_str(),
                "questions": e.questions,
                "minutes": e.minutes,
                "domains": domains_json(pack, e),
            })
        })
        .collect();
    Value::Array(exams)
}

/// The readiness estimate for the pack's default exam, for `stats`; `None` (with a notice on
/// `state`) when the store cannot be read.
pub fn readiness(state: &mut AppState) -> Option<Readiness> {
    let pack = state.pack.clone();
    match state.store.readiness_evidence(&pack.meta.id) {
        Ok(evidence) => Some(readiness::estimate(
            &pack,
            &pack.default_exam(),
            &evidence,
            Rules::default(),
        )),
        Err(e) => {
            state.report("read the answers for the readiness estimate", &e);
            None
        }
    }
}

/// One line of `stats` text: "Readiness for DVA-C03: 74% (80% interval 66–82%), not yet ready;
/// 52 first-sight answers" or "… answer 12 more questions you have not seen …".
pub fn readiness_line(r: &Readiness) -> String {
    let pct = |x: f64| format!("{:.0}%", x * 100.0);
    match (r.predicted, r.interval) {
        (Some(p), Some(i)) => format!(
            "Readiness for {}: {} predicted (80% interval {}–{}), {}; from {} first-sight answers \
             ({} right on all {} answers)",
            r.code,
            pct(p),
            pct(i.low),
            pct(i.high),
            if r.ready { "ready" } else { "not yet ready" },
            r.first_sight,
            r.all_answers_share.map_or("none".to_owned(), pct),
            r.all_answers
        ),
        _ => format!(
            "Readiness for {}: answer {} more questions you have not seen before (at least {} in \
             each domain) for an estimate; {} first-sight answers so far",
            r.code,
            r.more_needed,
            Rules::default().min_per_domain,
            r.first_sight
        ),
    }
}
