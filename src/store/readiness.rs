//! The answers the readiness estimate reads: every answer to an authored question that counts,
//! with the first answer to each question marked as its first sight.

use std::collections::HashSet;

use super::{Store, StoreError};
use crate::quiz::readiness::Evidence;

impl Store {
    /// Answers to this pack's authored questions, oldest first, from practice sessions and
    /// submitted mock exams only (an unsubmitted mock's answers never count, and a generated
    /// question is new every time). The first answer given to each question is its first sight;
    /// questions left blank are not answers.
    pub fn readiness_evidence(&self, pack_id: &str) -> Result<Vec<Evidence>, StoreError> {
        let mut stmt = self.conn().prepare(
            "SELECT w.question_id, w.topic_id, w.correct
             FROM quiz_answers w JOIN quiz_attempts a ON a.id = w.attempt_id
             WHERE a.pack_id = ?1 AND w.generator IS NULL AND w.chosen != '[]'
               AND (a.mode = 'practice' OR a.finished_at IS NOT NULL)
             ORDER BY w.answered_at, w.attempt_id, w.position",
        )?;
        let rows = stmt.query_map([pack_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })?;
        let mut seen: HashSet<String> = HashSet::new();
        let mut out = Vec::new();
        for row in rows {
            let (question_id, topic, correct) = row?;
            let first_sight = seen.insert(question_id.clone());
            out.push(Evidence {
                question_id,
                topic,
                correct,
                first_sight,
            });
        }
        Ok(out)
    }
}
