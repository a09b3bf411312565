//! Whether the learner studied in a span of time, for the streak.

use jiff::Timestamp;

use super::{Store, StoreError};

/// Whether pack ?1 has an answer in [?2, ?3).
const STUDIED_BETWEEN: &str = "SELECT EXISTS (SELECT 1 FROM review_log
                            WHERE pack_id = ?1 AND reviewed_ms >= ?2 AND reviewed_ms < ?3)
                 OR EXISTS (SELECT 1 FROM quiz_answers w CROSS JOIN quiz_attempts a
                                 ON a.id = w.attempt_id
                            WHERE w.answered_at >= ?2 AND w.answered_at < ?3
                              AND a.pack_id = ?1 AND w.chosen != '[]')";

impl Store {
    /// Whether any card or quiz question of `pack` was answered in `[from, to)`. Two index
    /// seeks, so the streak can ask day by day however long the history is.
    pub fn studied_between(
        &self,
        pack: &str,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<bool, StoreError> {
        // Cached: the streak asks day by day, up to a year of days on a first frame. CROSS JOIN
        // makes SQLite find the day's answers by time first (`quiz_answers_by_time`): the other
        // order reads every answer of the pack for each day, ~2 ms a day after three years.
        let studied = self
            .conn()
            .prepare_cached(STUDIED_BETWEEN)?
            .query_row((pack, from.as_millisecond(), to.as_millisecond()), |r| {
                r.get(0)
            })?;
        Ok(studied)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_streak_finds_a_days_answers_by_time() {
        let store = Store::open_in_memory().expect("store");
        let plan: Vec<String> = store
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {STUDIED_BETWEEN}"))
            .expect("prepare")
            .query_map(("p", 1, 2), |r| r.get::<_, String>(3))
            .expect("plan")
            .map(|r| r.expect("row"))
            .collect();
        assert!(
            plan.iter().any(|l| l.contains("quiz_answers_by_time")),
            "{plan:?}"
        );
    }
}
