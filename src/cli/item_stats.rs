//! `coldstart item-stats [--json] [--min-answers N] [--from FILE...]`: which questions work,
//! from learners' first-sight answers (the learner's own progress, or several learners'
//! `coldstart export quiz` files).

use std::io::Write;
use std::path::PathBuf;

use serde_json::json;

use crate::authoring::item_stats::{self, Answer, Flag, ItemStat, letter};
use crate::content::Pack;
use crate::store::Store;

/// Answers of the learner whose progress is `store`.
pub fn answers_from_store(store: &Store, pack_id: &str) -> Result<Vec<Answer>, String> {
    let rows = store.item_answer_rows(pack_id).map_err(|e| e.to_string())?;
    Ok(rows
        .into_iter()
        .map(|r| Answer {
            learner: 0,
            attempt: r.attempt,
            question_id: r.question_id,
            generated: r.generated,
            chosen: r.chosen,
            correct: r.correct,
            time_ms: r.time_ms,
        })
        .collect())
}

/// Answers of several learners, one `export quiz` CSV file each. An error names the file and line.
pub fn answers_from_files(files: &[PathBuf]) -> Result<Vec<Answer>, String> {
    let mut all = Vec::new();
    for (i, path) in files.iter().enumerate() {
        let f = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut rows = item_stats::answers_from_csv(i, std::io::BufReader::new(f))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        all.append(&mut rows);
    }
    Ok(all)
}

/// Prints the statistics. Exit code 0, or 2 when the output cannot be written.
pub fn run(
    pack: &Pack,
    answers: &[Answer],
    as_json: bool,
    min_answers: usize,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let stats = item_stats::compute(answers, pack, min_answers);
    let written = if as_json {
        writeln!(
            out,
            "{}",
            json!({ "pack": pack.meta.id, "min_answers": min_answers, "questions": stats })
        )
    } else {
        write_text(&stats, min_answers, out)
    };
    match super::output_written(written, "coldstart", err) {
        Ok(()) => 0,
        Err(code) => code,
    }
}

fn write_text(stats: &[ItemStat], min_answers: usize, out: &mut dyn Write) -> std::io::Result<()> {
    if stats.is_empty() {
        return writeln!(
            out,
            "no question has {min_answers} or more first-sight answers yet (lower it with --min-answers)"
        );
    }
    writeln!(
        out,
        "{:<40} {:>5} {:>5} {:>6} {:>7}  choices (* key: picked)",
        "question", "n", "p", "disc", "median"
    )?;
    for s in stats {
        let disc = s
            .discrimination
            .map_or_else(|| "-".to_owned(), |d| format!("{d:+.2}"));
        let choices: Vec<String> = s
            .choices
            .iter()
            .map(|c| {
                format!(
                    "{}{}:{}",
                    letter(c.index),
                    if c.correct { "*" } else { "" },
                    c.picked
                )
            })
            .collect();
        writeln!(
            out,
            "{:<40} {:>5} {:>5.2} {:>6} {:>6.1}s  {}",
            s.question_id,
            s.answers,
            s.p_value,
            disc,
            s.median_time_ms as f64 / 1000.0,
            choices.join(" ")
        )?;
        for f in &s.flags {
            match f {
                Flag::NegativeDiscrimination { value } => writeln!(
                    out,
                    "  ! negative discrimination ({value:+.2}): learners who do well elsewhere get it wrong; check the key and the wording"
                )?,
                Flag::UnpickedDistractor { index } => writeln!(
                    out,
                    "  ! nobody picks distractor {}: make it plausible or replace it",
                    letter(*index)
                )?,
            }
        }
        if s.topic.is_none() {
            writeln!(out, "  (no longer in the pack)")?;
        }
    }
    let flagged = stats.iter().filter(|s| !s.flags.is_empty()).count();
    writeln!(
        out,
        "{} questions, {flagged} flagged; p = share right at first sight, disc = point-biserial against the rest of the attempt",
        stats.len()
    )
}
