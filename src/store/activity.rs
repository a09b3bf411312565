//! Whether the learner studied in a span of time, for the streak.

use jiff::Timestamp;

use super::{Store, StoreError};

impl Store {
    /// Whether any card or quiz question of `pack` was answered in `[from, to)`. Two index
    /// seeks, so the streak can ask day by day however long the history is.
    pub fn studied_between(
        &self,
        pack: &str,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<bool, StoreError> {
        // Cached: the streak asks day by day, up to a year of days on a first frame.
        let studied = self
            .conn()
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM review_log
                            WHERE pack_id = ?1 AND reviewed_ms >= ?2 AND reviewed_ms < ?3)
                 OR EXISTS (SELECT 1 FROM quiz_answers w JOIN quiz_attempts a ON a.id = w.attempt_id
                            WHERE w.answered_at >= ?2 AND w.answered_at < ?3
                              AND a.pack_id = ?1 AND w.chosen != '[]')",
            )?
            .query_row((pack, from.as_millisecond(), to.as_millisecond()), |r| {
                r.get(0)
            })?;
        Ok(studied)
    }
}
