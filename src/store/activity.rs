//! When the learner studied, for the streak.

use jiff::Timestamp;

use super::{Store, StoreError};

/// The length of a `study_quarters` bucket.
const QUARTER_MS: i64 = 900_000;

impl Store {
    /// The start of every quarter hour since `from` (the quarter holding it included) in which a
    /// card or a quiz question of `pack` was answered, oldest first. Read from `study_quarters`
    /// (migration 10), kept by the database as answers are saved, undone and deleted: a few rows
    /// a study day, however many answers the history has.
    pub fn study_quarters(
        &self,
        pack: &str,
        from: Timestamp,
    ) -> Result<Vec<Timestamp>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT quarter FROM study_quarters
             WHERE pack_id = ?1 AND quarter >= ?2 AND answers > 0
             ORDER BY quarter",
        )?;
        let first = from.as_millisecond().div_euclid(QUARTER_MS);
        let rows = stmt.query_map((pack, first), |r| r.get::<_, i64>(0))?;
        let mut out = Vec::new();
        for quarter in rows {
            // A quarter beyond what a timestamp holds (a hand-edited row) is no study time.
            if let Some(t) = quarter?
                .checked_mul(QUARTER_MS)
                .and_then(|ms| Timestamp::from_millisecond(ms).ok())
            {
                out.push(t);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::{AnswerRecord, ItemRef, Origin};
    use crate::srs::{CardState, LogEntry, Rating, State};
    use crate::store::AttemptMode;

    /// Every (pack, quarter, answers) from the answers themselves.
    fn from_scratch(store: &Store) -> Vec<(String, i64, i64)> {
        let mut stmt = store
            .conn()
            .prepare(
                "SELECT pack_id, quarter, COUNT(*) FROM (
                     SELECT pack_id, reviewed_ms / 900000 AS quarter FROM review_log
                     UNION ALL
                     SELECT a.pack_id, w.answered_at / 900000
                     FROM quiz_answers w JOIN quiz_attempts a ON a.id = w.attempt_id
                     WHERE w.chosen != '[]')
                 GROUP BY pack_id, quarter ORDER BY pack_id, quarter",
            )
            .expect("prepare");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("query")
            .map(|r| r.expect("row"))
            .collect()
    }

    fn kept(store: &Store) -> Vec<(String, i64, i64)> {
        let mut stmt = store
            .conn()
            .prepare("SELECT pack_id, quarter, answers FROM study_quarters ORDER BY 1, 2")
            .expect("prepare");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("query")
            .map(|r| r.expect("row"))
            .collect()
    }

    #[test]
    fn study_quarters_follow_answers_undos_and_deletions() {
        let mut store = Store::open_in_memory().expect("store");
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let packs = ["a", "b"];
        let start = 1_780_000_000_000_i64;
        let mut logged: Vec<(&str, i64)> = Vec::new();
        let mut attempts: Vec<(i64, &str)> = Vec::new();
        for step in 0..500 {
            // Up to three days back, so answers share quarters and days.
            let at = start + next(3 * 86_400) as i64 * 1_000;
            let ts = Timestamp::from_millisecond(at).expect("ts");
            let pack = packs[next(2) as usize];
            match next(10) {
                0..=2 => {
                    let entry = LogEntry {
                        card_id: format!("c{}", next(5)),
                        reviewed_at: ts,
                        rating: Rating::Good,
                        elapsed_days: None,
                        state_before: State::New,
                        state_after: State::Learning,
                        stability: 1.0,
                        difficulty: 5.0,
                        due_after: ts,
                        duration_ms: 1_000,
                    };
                    let id = store
                        .record_answer(pack, &CardState::new_card(ts), &entry)
                        .expect("answer");
                    logged.push((pack, id));
                }
                3 if !logged.is_empty() => {
                    let (pack, id) = logged.remove(next(logged.len() as u64) as usize);
                    store.undo_answer(pack, "c0", id, None).expect("undo");
                }
                4 => {
                    let items: Vec<ItemRef> = (0..3)
                        .map(|i| ItemRef {
                            question_id: format!("q{i}"),
                            topic: "t".into(),
                            origin: Origin::Authored,
                            order: vec![0, 1],
                        })
                        .collect();
                    let mode = [AttemptMode::Practice, AttemptMode::Exam][next(2) as usize];
                    let id = store
                        .create_quiz_attempt(pack, mode, step, "{}", at, &items)
                        .expect("attempt");
                    attempts.push((id, pack));
                }
                5..=7 if !attempts.is_empty() => {
                    let (id, _) = attempts[next(attempts.len() as u64) as usize];
                    let position = next(3) as usize;
                    let answer = AnswerRecord {
                        position,
                        question_id: format!("q{position}"),
                        topic: "t".into(),
                        chosen: if next(3) == 0 { vec![] } else { vec![0] },
                        correct: true,
                        flagged: false,
                        time_ms: 1_000,
                    };
                    store
                        .save_quiz_answer(id, &answer, at, 0, position)
                        .expect("answer");
                }
                8 if !attempts.is_empty() => {
                    let (id, _) = attempts.remove(next(attempts.len() as u64) as usize);
                    store.delete_quiz_attempt(id).expect("delete");
                }
                9 if next(10) == 0 => {
                    store.delete_pack_progress(pack).expect("delete pack");
                    logged.retain(|(p, _)| *p != pack);
                    attempts.retain(|(_, p)| *p != pack);
                }
                _ => {}
            }
            assert_eq!(kept(&store), from_scratch(&store), "after step {step}");
        }
        assert!(!kept(&store).is_empty(), "the sequence studied something");
        let pending: i64 = store
            .conn()
            .query_row("SELECT COUNT(*) FROM study_quarters_change", [], |r| {
                r.get(0)
            })
            .expect("count");
        assert_eq!(pending, 0, "every change was applied and cleared");

        // What the streak reads: the quarters since a moment, as instants.
        let since = Timestamp::from_millisecond(start + 86_400_000).expect("ts");
        let want: Vec<Timestamp> = from_scratch(&store)
            .into_iter()
            .filter(|(p, q, _)| p == "a" && *q >= since.as_millisecond() / QUARTER_MS)
            .map(|(_, q, _)| Timestamp::from_millisecond(q * QUARTER_MS).expect("ts"))
            .collect();
        assert_eq!(store.study_quarters("a", since).expect("read"), want);

        // The migration's backfill, on a file written before it, counts the same.
        store
            .conn()
            .execute_batch(
                "DROP TRIGGER study_after_review_insert; DROP TRIGGER study_after_review_delete;
                 DROP TRIGGER study_after_review_update; DROP TRIGGER study_after_answer_insert;
                 DROP TRIGGER study_after_answer_update; DROP TRIGGER study_after_answer_delete;
                 DROP TABLE study_quarters_change; DROP TABLE study_quarters;",
            )
            .expect("back to schema 9");
        let migration = super::super::migrations::MIGRATIONS
            .iter()
            .find(|m| m.name == "study_quarters")
            .expect("migration");
        store.conn().execute_batch(migration.sql).expect("migrate");
        assert_eq!(kept(&store), from_scratch(&store), "after the backfill");
    }
}
