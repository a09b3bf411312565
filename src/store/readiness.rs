//! The answers the readiness estimate reads: per authored question, whether its first answer
//! was right and how many of its answers were.

use super::{Store, StoreError};
use crate::quiz::readiness::Evidence;

impl Store {
    /// This pack's answered authored questions, each with its first answer (its first sight)
    /// and its answer counts. Counted as `quiz_records` counts: practice sessions and submitted
    /// mock exams only (an unsubmitted mock's answers never count, and a generated question is
    /// new every time); questions left blank are not answers. One row per question, however
    /// many answers there were.
    pub fn readiness_evidence(&self, pack_id: &str) -> Result<Vec<Evidence>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT question_id, topic_id, first_correct, answers, right_answers
             FROM quiz_records WHERE pack_id = ?1 AND answers > 0
             ORDER BY question_id",
        )?;
        let rows = stmt.query_map([pack_id], |r| {
            let count = |i| r.get::<_, i64>(i).map(|n| u32::try_from(n).unwrap_or(0));
            Ok(Evidence {
                question_id: r.get(0)?,
                topic: r.get(1)?,
                first_correct: r.get::<_, Option<bool>>(2)?.unwrap_or(false),
                answers: count(3)?,
                right: count(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
