//! `coldstart export`: the learner's answers as CSV, to keep, to analyse, or to fit FSRS
//! parameters elsewhere. Review answers carry what `review_log` keeps; quiz answers carry their
//! attempt.

use std::io::Write;

use crate::srs::LogEntry;
use crate::store::{AnswerRow, Store, StoreError};

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
    match result {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(err, "coldstart: {e}");
            2
        }
    }
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
