//! Reads for item statistics (`coldstart item-stats`): every quiz answer of a pack in the order
//! it was given, with its attempt, so the core can keep first-sight answers and score the rest of
//! each attempt.

use super::{Store, StoreError};

/// One answer to one question of one attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemAnswerRow {
    pub attempt: i64,
    pub position: usize,
    pub question_id: String,
    /// Set for generated questions (their choices change with the seed).
    pub generated: bool,
    /// Authored indices of the chosen choices; empty when the question was left unanswered.
    pub chosen: Vec<usize>,
    pub correct: bool,
    pub time_ms: u64,
}

impl Store {
    /// Every quiz answer (practice and mock exams) of `pack_id`, oldest attempt first, then by
    /// position: the first row of a question is the learner's first sight of it.
    pub fn item_answer_rows(&self, pack_id: &str) -> Result<Vec<ItemAnswerRow>, StoreError> {
        let mut stmt = self.conn().prepare(
            "SELECT w.attempt_id, w.position, w.question_id, w.generator IS NOT NULL,
                    w.chosen, w.correct, w.time_ms
             FROM quiz_answers w JOIN quiz_attempts a ON a.id = w.attempt_id
             WHERE a.pack_id = ?1
             ORDER BY a.started_at, a.id, w.position",
        )?;
        let rows = stmt.query_map([pack_id], |r| {
            let chosen: String = r.get(4)?;
            let chosen: Vec<usize> = serde_json::from_str(&chosen).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, e.into())
            })?;
            Ok(ItemAnswerRow {
                attempt: r.get(0)?,
                position: r.get::<_, i64>(1)?.max(0) as usize,
                question_id: r.get(2)?,
                generated: r.get(3)?,
                chosen,
                correct: r.get(5)?,
                time_ms: r.get::<_, i64>(6)?.max(0) as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
