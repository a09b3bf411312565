//! Quiz attempts, the questions they showed, and every answer given.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};
use crate::quiz::{AnswerRecord, History, ItemRef, Origin, PastAnswer};

/// Practice session or mock exam.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptMode {
    Practice,
    Exam,
}

impl AttemptMode {
    fn as_str(self) -> &'static str {
        match self {
            AttemptMode::Practice => "practice",
            AttemptMode::Exam => "exam",
        }
    }

    fn parse(s: &str) -> Self {
        if s == "exam" {
            AttemptMode::Exam
        } else {
            AttemptMode::Practice
        }
    }
}

/// One line of the attempt list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttemptSummary {
    pub id: i64,
    pub mode: AttemptMode,
    pub started_ms: i64,
    pub finished_ms: Option<i64>,
    pub elapsed_ms: u64,
    /// Right answers, once finished.
    pub correct: Option<u32>,
    pub total: u32,
    /// Answers given so far.
    pub answered: u32,
}

/// A stored answer, by position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredAnswer {
    pub position: usize,
    pub chosen: Vec<usize>,
    pub flagged: bool,
    pub time_ms: u64,
}

/// One stored quiz answer with its attempt, as `coldstart export quiz` writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerRow {
    pub attempt: i64,
    pub mode: AttemptMode,
    pub position: usize,
    pub question_id: String,
    pub topic: String,
    /// Generated questions: the generator and its seed.
    pub generator: Option<String>,
    pub gen_seed: Option<u64>,
    /// Authored choice indices; empty when unanswered.
    pub chosen: Vec<usize>,
    pub correct: bool,
    pub flagged: bool,
    pub time_ms: u64,
    /// UTC milliseconds of the last change.
    pub answered_ms: i64,
}

/// Everything needed to rebuild an attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredAttempt {
    pub summary: AttemptSummary,
    pub seed: u64,
    /// JSON of the session settings, as the app layer wrote it.
    pub config: String,
    pub position: usize,
    pub items: Vec<ItemRef>,
    pub answers: Vec<StoredAnswer>,
}

fn json_indices(v: &[usize]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".to_owned())
}

fn parse_indices(s: &str, col: usize) -> rusqlite::Result<Vec<usize>> {
    serde_json::from_str(s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Seeds are u64 in the core and i64 in SQLite: the bits are kept as they are.
fn seed_to_sql(seed: u64) -> i64 {
    seed as i64
}

fn seed_from_sql(seed: i64) -> u64 {
    seed as u64
}

impl Store {
    /// Records a new attempt and the questions it will show, in one transaction.
    #[allow(clippy::too_many_arguments)]
    pub fn create_quiz_attempt(
        &mut self,
        pack_id: &str,
        mode: AttemptMode,
        seed: u64,
        config_json: &str,
        now_ms: i64,
        items: &[ItemRef],
    ) -> Result<i64, StoreError> {
        let tx = self.conn_mut().transaction()?;
        tx.execute(
            "INSERT INTO quiz_attempts (pack_id, mode, seed, config, started_at, total)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                pack_id,
                mode.as_str(),
                seed_to_sql(seed),
                config_json,
                now_ms,
                items.len() as i64
            ],
        )?;
        let id = tx.last_insert_rowid();
        {
            let mut stmt = tx.prepare(
                "INSERT INTO quiz_items
                 (attempt_id, position, question_id, topic_id, generator, gen_seed, choice_order)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for (pos, item) in items.iter().enumerate() {
                let (generator, gen_seed) = match &item.origin {
                    Origin::Authored => (None, None),
                    Origin::Generated { generator, seed } => {
                        (Some(generator.as_str()), Some(seed_to_sql(*seed)))
                    }
                };
                stmt.execute(params![
                    id,
                    pos as i64,
                    item.question_id,
                    item.topic,
                    generator,
                    gen_seed,
                    json_indices(&item.order)
                ])?;
            }
        }
        tx.commit()?;
        Ok(id)
    }

    /// Writes one answer as it now stands, with the attempt's clock and position, in one
    /// transaction: after this returns the answer is on disk.
    pub fn save_quiz_answer(
        &mut self,
        attempt: i64,
        answer: &AnswerRecord,
        now_ms: i64,
        elapsed_ms: u64,
        position: usize,
    ) -> Result<(), StoreError> {
        let tx = self.conn_mut().transaction()?;
        tx.execute(
            "INSERT INTO quiz_answers (attempt_id, position, question_id, topic_id, generator,
                 gen_seed, chosen, correct, flagged, time_ms, answered_at)
             SELECT ?1, ?2, ?3, ?4, i.generator, i.gen_seed, ?5, ?6, ?7, ?8, ?9
             FROM (SELECT 1) LEFT JOIN quiz_items i ON i.attempt_id = ?1 AND i.position = ?2
             WHERE true
             ON CONFLICT (attempt_id, position) DO UPDATE SET
                 chosen = excluded.chosen, correct = excluded.correct,
                 flagged = excluded.flagged, time_ms = excluded.time_ms,
                 answered_at = excluded.answered_at",
            params![
                attempt,
                answer.position as i64,
                answer.question_id,
                answer.topic,
                json_indices(&answer.chosen),
                answer.correct,
                answer.flagged,
                answer.time_ms as i64,
                now_ms
            ],
        )?;
        tx.execute(
            "UPDATE quiz_attempts SET elapsed_ms = ?2, position = ?3 WHERE id = ?1",
            params![attempt, elapsed_ms as i64, position as i64],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Saves the exam clock and the question on screen.
    pub fn save_quiz_progress(
        &self,
        attempt: i64,
        elapsed_ms: u64,
        position: usize,
    ) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE quiz_attempts SET elapsed_ms = ?2, position = ?3 WHERE id = ?1",
            params![attempt, elapsed_ms as i64, position as i64],
        )?;
        Ok(())
    }

    /// Marks an attempt finished with its score.
    pub fn finish_quiz_attempt(
        &self,
        attempt: i64,
        now_ms: i64,
        elapsed_ms: u64,
        correct: u32,
    ) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE quiz_attempts SET finished_at = ?2, elapsed_ms = ?3, correct = ?4
             WHERE id = ?1",
            params![attempt, now_ms, elapsed_ms as i64, correct],
        )?;
        Ok(())
    }

    /// Every quiz answer of this pack with its attempt, oldest attempt first: for export.
    pub fn quiz_answer_rows(&self, pack_id: &str) -> Result<Vec<AnswerRow>, StoreError> {
        let mut stmt = self.conn().prepare(
            "SELECT a.id, a.mode, w.position, w.question_id, w.topic_id, w.generator, w.gen_seed,
                    w.chosen, w.correct, w.flagged, w.time_ms, w.answered_at
             FROM quiz_answers w JOIN quiz_attempts a ON a.id = w.attempt_id
             WHERE a.pack_id = ?1
             ORDER BY a.started_at, a.id, w.position",
        )?;
        let rows = stmt.query_map([pack_id], |r| {
            Ok(AnswerRow {
                attempt: r.get(0)?,
                mode: AttemptMode::parse(&r.get::<_, String>(1)?),
                position: r.get::<_, i64>(2)? as usize,
                question_id: r.get(3)?,
                topic: r.get(4)?,
                generator: r.get(5)?,
                gen_seed: r.get::<_, Option<i64>>(6)?.map(seed_from_sql),
                chosen: parse_indices(&r.get::<_, String>(7)?, 7)?,
                correct: r.get(8)?,
                flagged: r.get(9)?,
                time_ms: r.get::<_, i64>(10)? as u64,
                answered_ms: r.get(11)?,
            })
        })?;
        self.readable("quiz answers", rows)
    }

    /// Deletes an attempt with its items and answers, in one transaction: the learner chose to
    /// discard an exam that cannot or should not be finished.
    pub fn delete_quiz_attempt(&mut self, attempt: i64) -> Result<(), StoreError> {
        let tx = self.conn_mut().transaction()?;
        tx.execute("DELETE FROM quiz_answers WHERE attempt_id = ?1", [attempt])?;
        tx.execute("DELETE FROM quiz_items WHERE attempt_id = ?1", [attempt])?;
        tx.execute("DELETE FROM quiz_attempts WHERE id = ?1", [attempt])?;
        tx.commit()?;
        Ok(())
    }

    /// The most recent mock exam of this pack that was neither submitted nor discarded.
    pub fn unfinished_exam(&self, pack_id: &str) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id FROM quiz_attempts
                 WHERE pack_id = ?1 AND mode = 'exam' AND finished_at IS NULL
                 ORDER BY started_at DESC, id DESC LIMIT 1",
                [pack_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Past attempts of this pack, newest first.
    pub fn quiz_attempts(&self, pack_id: &str) -> Result<Vec<AttemptSummary>, StoreError> {
        self.attempts_where(pack_id, "true", u32::MAX)
    }

    /// Past mock exams of this pack, newest first: the dashboard's (a learner's practice
    /// sessions, one a day for years, are not read for it).
    pub fn exam_attempts(&self, pack_id: &str) -> Result<Vec<AttemptSummary>, StoreError> {
        self.attempts_where(pack_id, "a.mode = 'exam'", u32::MAX)
    }

    /// The newest practice session that was finished with at least one answer.
    pub fn latest_practice(&self, pack_id: &str) -> Result<Option<AttemptSummary>, StoreError> {
        Ok(self
            .attempts_where(
                pack_id,
                "a.mode = 'practice' AND a.correct IS NOT NULL
                 AND EXISTS (SELECT 1 FROM quiz_answers w
                             WHERE w.attempt_id = a.id AND w.chosen != '[]')",
                1,
            )?
            .pop())
    }

    /// Up to `limit` attempts of this pack matching `filter` (SQL over `a`; always a constant
    /// of this module), newest first.
    fn attempts_where(
        &self,
        pack_id: &str,
        filter: &str,
        limit: u32,
    ) -> Result<Vec<AttemptSummary>, StoreError> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT a.id, a.mode, a.started_at, a.finished_at, a.elapsed_ms, a.correct, a.total,
                 (SELECT COUNT(*) FROM quiz_answers w WHERE w.attempt_id = a.id AND w.chosen != '[]')
             FROM quiz_attempts a WHERE a.pack_id = ?1 AND ({filter})
             ORDER BY a.started_at DESC, a.id DESC LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![pack_id, limit], summary_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The settings (JSON, as the app layer wrote them) of every submitted mock exam of this
    /// pack, by attempt id: which exam each was shaped like.
    pub fn exam_attempt_configs(&self, pack_id: &str) -> Result<Vec<(i64, String)>, StoreError> {
        let mut stmt = self.conn().prepare(
            "SELECT id, config FROM quiz_attempts
             WHERE pack_id = ?1 AND mode = 'exam' AND finished_at IS NOT NULL",
        )?;
        let rows = stmt.query_map([pack_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One attempt with its questions and answers.
    pub fn quiz_attempt(&self, id: i64) -> Result<Option<StoredAttempt>, StoreError> {
        let head = self
            .conn()
            .query_row(
                "SELECT a.id, a.mode, a.started_at, a.finished_at, a.elapsed_ms, a.correct, a.total,
                     (SELECT COUNT(*) FROM quiz_answers w
                      WHERE w.attempt_id = a.id AND w.chosen != '[]'),
                     a.seed, a.config, a.position
                 FROM quiz_attempts a WHERE a.id = ?1",
                [id],
                |r| {
                    Ok((
                        summary_row(r)?,
                        seed_from_sql(r.get(8)?),
                        r.get::<_, String>(9)?,
                        r.get::<_, i64>(10)?,
                    ))
                },
            )
            .optional()?;
        let Some((summary, seed, config, position)) = head else {
            return Ok(None);
        };
        let mut stmt = self.conn().prepare(
            "SELECT question_id, topic_id, generator, gen_seed, choice_order
             FROM quiz_items WHERE attempt_id = ?1 ORDER BY position",
        )?;
        let items = stmt
            .query_map([id], |r| {
                let generator: Option<String> = r.get(2)?;
                let gen_seed: Option<i64> = r.get(3)?;
                let origin = match (generator, gen_seed) {
                    (Some(generator), Some(seed)) => Origin::Generated {
                        generator,
                        seed: seed_from_sql(seed),
                    },
                    _ => Origin::Authored,
                };
                Ok(ItemRef {
                    question_id: r.get(0)?,
                    topic: r.get(1)?,
                    origin,
                    order: parse_indices(&r.get::<_, String>(4)?, 4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut stmt = self.conn().prepare(
            "SELECT position, chosen, flagged, time_ms FROM quiz_answers
             WHERE attempt_id = ?1 ORDER BY position",
        )?;
        let answers = stmt
            .query_map([id], |r| {
                Ok(StoredAnswer {
                    position: r.get::<_, i64>(0)?.max(0) as usize,
                    chosen: parse_indices(&r.get::<_, String>(1)?, 1)?,
                    flagged: r.get(2)?,
                    time_ms: r.get::<_, i64>(3)?.max(0) as u64,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(StoredAttempt {
            summary,
            seed,
            config,
            position: position.max(0) as usize,
            items,
            answers,
        }))
    }

    /// The learner's record on this pack's authored questions: the latest answer to each, and
    /// per topic how many answers were right. A mock exam counts only once submitted: until
    /// then its answers are its secret (Progress and the weakest topic would give them away).
    pub fn quiz_history(&self, pack_id: &str) -> Result<History, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT topic_id, SUM(right_answers), SUM(answers) FROM quiz_records
             WHERE pack_id = ?1 AND answers > 0 GROUP BY topic_id",
        )?;
        let topic_stats = stmt
            .query_map([pack_id], |r| {
                let count = |i| {
                    r.get::<_, i64>(i)
                        .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
                };
                Ok((r.get::<_, String>(0)?, (count(1)?, count(2)?)))
            })?
            .collect::<Result<_, _>>()?;
        Ok(History {
            last_answer: self.latest_answers(pack_id)?,
            topic_stats,
        })
    }

    /// The latest counted answer to each of this pack's authored questions (see
    /// [`Store::quiz_history`]): one row per question, kept by the database as answers are
    /// saved (`quiz_records`), so it costs the same after years of practice as after a day.
    pub fn latest_answers(&self, pack_id: &str) -> Result<HashMap<String, PastAnswer>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT question_id, correct, flagged, answered FROM quiz_records WHERE pack_id = ?1",
        )?;
        let rows = stmt.query_map([pack_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                PastAnswer {
                    correct: r.get(1)?,
                    flagged: r.get(2)?,
                    answered: r.get(3)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn summary_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AttemptSummary> {
    Ok(AttemptSummary {
        id: r.get(0)?,
        mode: AttemptMode::parse(&r.get::<_, String>(1)?),
        started_ms: r.get(2)?,
        finished_ms: r.get(3)?,
        elapsed_ms: r.get::<_, i64>(4)?.max(0) as u64,
        correct: r.get(5)?,
        total: r.get(6)?,
        answered: r.get(7)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::readiness::Evidence;

    /// The latest counted answers computed from every answer, as `quiz_history` did before the
    /// database kept them: what `quiz_records` must always give.
    fn from_scratch(store: &Store, pack: &str) -> HashMap<String, PastAnswer> {
        let mut stmt = store
            .conn()
            .prepare(
                "SELECT w.question_id, w.correct, w.flagged, w.chosen != '[]'
                 FROM quiz_answers w JOIN quiz_attempts a ON a.id = w.attempt_id
                 WHERE a.pack_id = ?1 AND w.generator IS NULL
                   AND (a.mode = 'practice' OR a.finished_at IS NOT NULL)
                 ORDER BY w.answered_at, w.attempt_id, w.position",
            )
            .expect("prepare");
        let rows = stmt
            .query_map([pack], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    PastAnswer {
                        correct: r.get(1)?,
                        flagged: r.get(2)?,
                        answered: r.get(3)?,
                    },
                ))
            })
            .expect("query");
        rows.map(|r| r.expect("row")).collect()
    }

    /// Each answered question's first answer and counts, from every answer.
    fn evidence_from_scratch(store: &Store, pack: &str) -> Vec<Evidence> {
        let mut stmt = store
            .conn()
            .prepare(
                "SELECT w.question_id, w.topic_id, w.correct
                 FROM quiz_answers w JOIN quiz_attempts a ON a.id = w.attempt_id
                 WHERE a.pack_id = ?1 AND w.generator IS NULL AND w.chosen != '[]'
                   AND (a.mode = 'practice' OR a.finished_at IS NOT NULL)
                 ORDER BY w.answered_at, w.attempt_id, w.position",
            )
            .expect("prepare");
        let mut by_question: std::collections::BTreeMap<String, Evidence> = Default::default();
        let rows = stmt
            .query_map([pack], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
            })
            .expect("query");
        for row in rows {
            let (question_id, topic, correct): (String, String, bool) = row.expect("row");
            let e = by_question.entry(question_id.clone()).or_insert(Evidence {
                question_id,
                topic,
                first_correct: correct,
                answers: 0,
                right: 0,
            });
            e.answers += 1;
            e.right += u32::from(correct);
        }
        by_question.into_values().collect()
    }

    /// The kept records of each pack equal those computed from every answer.
    fn records_match(store: &Store, packs: &[&str], after: &str) {
        for pack in packs {
            assert_eq!(
                store.latest_answers(pack).expect("latest"),
                from_scratch(store, pack),
                "latest answers of pack {pack} after {after}"
            );
            assert_eq!(
                store.readiness_evidence(pack).expect("evidence"),
                evidence_from_scratch(store, pack),
                "evidence of pack {pack} after {after}"
            );
        }
    }

    #[test]
    fn question_records_follow_every_kind_of_change() {
        let mut store = Store::open_in_memory().expect("store");
        // A small deterministic generator: the same sequence of changes on every run.
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let packs = ["a", "b"]; // the same question ids in two packs
        let mut open: Vec<(i64, &str, Vec<ItemRef>)> = Vec::new();
        let mut now = 1_000_000;
        for step in 0..600 {
            now += 1 + next(3) as i64; // sometimes two changes share a millisecond
            match next(10) {
                0 | 1 => {
                    let pack = packs[next(2) as usize];
                    let mode = if next(2) == 0 {
                        AttemptMode::Practice
                    } else {
                        AttemptMode::Exam
                    };
                    let items: Vec<ItemRef> = (0..4)
                        .map(|_| {
                            let q = next(6);
                            ItemRef {
                                question_id: format!("q{q}"),
                                topic: format!("t{}", q % 2),
                                // One question in five generated: never counted.
                                origin: if next(5) == 0 {
                                    Origin::Generated {
                                        generator: "g".into(),
                                        seed: q,
                                    }
                                } else {
                                    Origin::Authored
                                },
                                order: vec![0, 1, 2],
                            }
                        })
                        .collect();
                    let id = store
                        .create_quiz_attempt(pack, mode, step, "{}", now, &items)
                        .expect("attempt");
                    open.push((id, pack, items));
                }
                2..=6 if !open.is_empty() => {
                    let (id, _, items) = &open[next(open.len() as u64) as usize];
                    let position = next(items.len() as u64) as usize;
                    let chosen = match next(4) {
                        0 => vec![], // cleared: counted as unanswered
                        n => vec![n as usize - 1],
                    };
                    let answer = AnswerRecord {
                        position,
                        question_id: items[position].question_id.clone(),
                        topic: items[position].topic.clone(),
                        correct: chosen == [0],
                        chosen,
                        flagged: next(3) == 0,
                        time_ms: 1_000,
                    };
                    store
                        .save_quiz_answer(*id, &answer, now, 0, position)
                        .expect("answer");
                }
                7 if !open.is_empty() => {
                    let (id, _, _) = open.remove(next(open.len() as u64) as usize);
                    store.finish_quiz_attempt(id, now, 0, 0).expect("finish");
                }
                8 if !open.is_empty() => {
                    let (id, _, _) = open.remove(next(open.len() as u64) as usize);
                    store.delete_quiz_attempt(id).expect("delete");
                }
                9 if next(8) == 0 => {
                    // Everything of one pack deleted (the Packs screen's "remove").
                    let pack = packs[next(2) as usize];
                    store.delete_pack_progress(pack).expect("delete pack");
                    open.retain(|(_, p, _)| *p != pack);
                }
                _ => {}
            }
            records_match(&store, &packs, &format!("step {step}"));
        }
        assert!(
            !store.latest_answers("a").expect("latest").is_empty(),
            "the sequence answered something"
        );
        let pending: i64 = store
            .conn()
            .query_row("SELECT COUNT(*) FROM quiz_records_stale", [], |r| r.get(0))
            .expect("count");
        assert_eq!(pending, 0, "every stale record was rewritten and cleared");

        // The migration's backfill, on a file written before it, finds the same answers.
        store
            .conn()
            .execute_batch(
                "DROP TRIGGER quiz_records_after_insert; DROP TRIGGER quiz_records_after_update;
                 DROP TRIGGER quiz_records_after_delete; DROP TRIGGER quiz_records_after_finish;
                 DROP TRIGGER quiz_records_before_attempt_delete;
                 DROP TABLE quiz_records_stale; DROP TABLE quiz_records; DROP VIEW quiz_counted;",
            )
            .expect("back to schema 8");
        let migration = super::super::migrations::MIGRATIONS
            .iter()
            .find(|m| m.name == "question_records")
            .expect("migration");
        store.conn().execute_batch(migration.sql).expect("migrate");
        records_match(&store, &packs, "the backfill");
    }
}
