//! Spaced-repetition progress: card scheduling states, the review log, and the SRS settings.
//!
//! Every answer is written as one transaction (card state + log row), so a crash never leaves a
//! card whose state and history disagree.

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{OptionalExtension, Row, params};

use crate::srs::settings::{
    EXAM_DATE_RANGE, ExamSettings, MAX_EXAM_BUFFER_DAYS, MAX_NEW_PER_DAY, MAX_REVIEWS_PER_DAY,
    MAX_STEPS, SrsSettings, clamp_retention, format_steps, parse_steps,
};
use crate::srs::{CardState, LogEntry, Memory, Rating, State};

use super::{OpenNotice, Store, StoreError};

const KEY_RETENTION: &str = "srs.desired_retention";
const KEY_NEW: &str = "srs.new_per_day";
const KEY_MAX_REVIEWS: &str = "srs.max_reviews_per_day";
const KEY_LEARNING: &str = "srs.learning_steps";
const KEY_RELEARNING: &str = "srs.relearning_steps";
const KEY_DAY_START: &str = "srs.day_start_hour";
const KEY_EXAM_DATE: &str = "srs.exam_date";
const KEY_EXAM_BUFFER: &str = "srs.exam_buffer_days";

/// The settings that belong to a course, kept per pack (`pack:<id>:<key>`): a change in one
/// pack leaves another's alone.
const PER_PACK: [&str; 4] = [KEY_NEW, KEY_RETENTION, KEY_EXAM_DATE, KEY_EXAM_BUFFER];

/// The `settings` key of a course setting for one pack.
fn pack_key(pack: &str, key: &str) -> String {
    format!("pack:{pack}:{key}")
}

fn ts(ms: i64) -> rusqlite::Result<Timestamp> {
    Timestamp::from_millisecond(ms).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Integer, Box::new(e))
    })
}

fn bad(what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Integer,
        format!("invalid {what} in the progress database").into(),
    )
}

fn state_of(n: i64) -> rusqlite::Result<State> {
    u8::try_from(n)
        .ok()
        .and_then(State::from_number)
        .ok_or_else(|| bad("card state"))
}

fn card_from_row(r: &Row<'_>, first: usize) -> rusqlite::Result<CardState> {
    let state = state_of(r.get(first)?)?;
    let step: Option<i64> = r.get(first + 1)?;
    let s: Option<f64> = r.get(first + 2)?;
    let d: Option<f64> = r.get(first + 3)?;
    let last: Option<i64> = r.get(first + 5)?;
    Ok(CardState {
        state,
        step: step.and_then(|s| u32::try_from(s).ok()),
        memory: match (s, d) {
            (Some(stability), Some(difficulty)) => Some(Memory {
                stability,
                difficulty,
            }),
            _ => None,
        },
        due: ts(r.get(first + 4)?)?,
        last_review: last.map(ts).transpose()?,
    })
}

fn log_from_row(r: &Row<'_>) -> rusqlite::Result<LogEntry> {
    let rating: i64 = r.get(2)?;
    let elapsed: Option<i64> = r.get(3)?;
    Ok(LogEntry {
        card_id: r.get(0)?,
        reviewed_at: ts(r.get(1)?)?,
        rating: u8::try_from(rating)
            .ok()
            .and_then(Rating::from_number)
            .ok_or_else(|| bad("rating"))?,
        elapsed_days: elapsed.and_then(|e| u32::try_from(e).ok()),
        state_before: state_of(r.get(4)?)?,
        state_after: state_of(r.get(5)?)?,
        stability: r.get(6)?,
        difficulty: r.get(7)?,
        due_after: ts(r.get(8)?)?,
        duration_ms: r.get(9)?,
    })
}

fn upsert_card(
    conn: &rusqlite::Connection,
    pack: &str,
    card_id: &str,
    c: &CardState,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO srs_card (pack_id, card_id, state, step, stability, difficulty, due_ms, last_review_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (pack_id, card_id) DO UPDATE SET state = excluded.state, step = excluded.step,
           stability = excluded.stability, difficulty = excluded.difficulty,
           due_ms = excluded.due_ms, last_review_ms = excluded.last_review_ms",
    )?
    .execute(params![
        pack,
        card_id,
        i64::from(c.state.number()),
        c.step.map(i64::from),
        c.memory.map(|m| m.stability),
        c.memory.map(|m| m.difficulty),
        c.due.as_millisecond(),
        c.last_review.map(|t| t.as_millisecond()),
    ])?;
    Ok(())
}

fn insert_log(conn: &rusqlite::Connection, pack: &str, e: &LogEntry) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO review_log (pack_id, card_id, reviewed_ms, rating, elapsed_days, state_before,
           state_after, stability, difficulty, due_after_ms, duration_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        pack,
        e.card_id,
        e.reviewed_at.as_millisecond(),
        i64::from(e.rating.number()),
        e.elapsed_days.map(i64::from),
        i64::from(e.state_before.number()),
        i64::from(e.state_after.number()),
        e.stability,
        e.difficulty,
        e.due_after.as_millisecond(),
        e.duration_ms,
    ])?;
    Ok(conn.last_insert_rowid())
}

impl Store {
    /// Scheduling state of every answered card of `pack`, by card id. Cards since removed from
    /// the pack are included; the caller keeps only those still in it.
    pub fn card_states(&self, pack: &str) -> Result<HashMap<String, CardState>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT card_id, state, step, stability, difficulty, due_ms, last_review_ms
             FROM srs_card WHERE pack_id = ?1",
        )?;
        let rows = stmt.query_map([pack], |r| {
            Ok((r.get::<_, String>(0)?, card_from_row(r, 1)?))
        })?;
        Ok(self.readable("card states", rows)?.into_iter().collect())
    }

    /// Writes one answer — the card's new state and its log row — in one transaction, and
    /// returns the log row's id (for undo).
    pub fn record_answer(
        &mut self,
        pack: &str,
        card: &CardState,
        entry: &LogEntry,
    ) -> Result<i64, StoreError> {
        let tx = self.conn_mut().transaction()?;
        upsert_card(&tx, pack, &entry.card_id, card)?;
        let id = insert_log(&tx, pack, entry)?;
        tx.commit()?;
        Ok(id)
    }

    /// Takes back an answer: removes log row `log_id` and puts the card back as it was
    /// (`previous = None` for a card that was new), in one transaction.
    pub fn undo_answer(
        &mut self,
        pack: &str,
        card_id: &str,
        log_id: i64,
        previous: Option<&CardState>,
    ) -> Result<(), StoreError> {
        let tx = self.conn_mut().transaction()?;
        tx.execute(
            "DELETE FROM review_log WHERE id = ?1 AND pack_id = ?2",
            params![log_id, pack],
        )?;
        match previous {
            Some(c) => upsert_card(&tx, pack, card_id, c)?,
            None => {
                tx.execute(
                    "DELETE FROM srs_card WHERE pack_id = ?1 AND card_id = ?2",
                    params![pack, card_id],
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Bulk import of card states and history in one transaction (benchmarks, future imports).
    pub fn import_reviews(
        &mut self,
        pack: &str,
        cards: &[(String, CardState)],
        log: &[LogEntry],
    ) -> Result<(), StoreError> {
        let tx = self.conn_mut().transaction()?;
        for (id, c) in cards {
            upsert_card(&tx, pack, id, c)?;
        }
        for e in log {
            insert_log(&tx, pack, e)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Answers given since `since`, oldest first.
    pub fn answers_since(&self, pack: &str, since: Timestamp) -> Result<Vec<LogEntry>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT card_id, reviewed_ms, rating, elapsed_days, state_before, state_after,
                    stability, difficulty, due_after_ms, duration_ms
             FROM review_log WHERE pack_id = ?1 AND reviewed_ms >= ?2 ORDER BY reviewed_ms, id",
        )?;
        let rows = stmt.query_map(params![pack, since.as_millisecond()], log_from_row)?;
        self.readable("review answers", rows)
    }

    /// Every answer to one card, oldest first.
    pub fn answers_for_card(&self, pack: &str, card_id: &str) -> Result<Vec<LogEntry>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT card_id, reviewed_ms, rating, elapsed_days, state_before, state_after,
                    stability, difficulty, due_after_ms, duration_ms
             FROM review_log WHERE pack_id = ?1 AND card_id = ?2 ORDER BY reviewed_ms, id",
        )?;
        let rows = stmt.query_map(params![pack, card_id], log_from_row)?;
        self.readable("review answers", rows)
    }

    /// (new cards introduced, review-state answers) since `since`: what today's limits count.
    pub fn answers_counted_against_limits(
        &self,
        pack: &str,
        since: Timestamp,
    ) -> Result<(usize, usize), StoreError> {
        let (new, review): (i64, i64) = self.conn().query_row(
            "SELECT COALESCE(SUM(state_before = 0), 0), COALESCE(SUM(state_before = 2), 0)
             FROM review_log WHERE pack_id = ?1 AND reviewed_ms >= ?2",
            params![pack, since.as_millisecond()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((
            usize::try_from(new).unwrap_or(0),
            usize::try_from(review).unwrap_or(0),
        ))
    }

    /// Answers on each study day between consecutive `bounds` (ascending instants: day starts,
    /// then the end of the last day), split into (new, learning/relearning, review) by the state
    /// before the answer; and of the review-state answers, how many were recalled (anything but
    /// Again) and how many there were. Counted from an index, reading only those days' entries,
    /// however long the history. Rows with values out of range are not counted.
    pub fn review_day_counts(
        &self,
        pack: &str,
        bounds: &[Timestamp],
    ) -> Result<(Vec<[usize; 3]>, usize, usize), StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT COALESCE(SUM(ok AND state_before = 0), 0),
                    COALESCE(SUM(ok AND state_before IN (1, 3)), 0),
                    COALESCE(SUM(ok AND state_before = 2), 0),
                    COALESCE(SUM(ok AND state_before = 2 AND rating != 1), 0),
                    COALESCE(SUM(NOT ok), 0)
             FROM (SELECT state_before, rating,
                          state_before BETWEEN 0 AND 3 AND rating BETWEEN 1 AND 4 AS ok
                   FROM review_log INDEXED BY review_log_by_time_kind
                   WHERE pack_id = ?1 AND reviewed_ms >= ?2 AND reviewed_ms < ?3)",
        )?;
        let count = |x: i64| usize::try_from(x).unwrap_or(0);
        let (mut days, mut passed, mut reviews, mut skipped) = (Vec::new(), 0, 0, 0);
        for w in bounds.windows(2) {
            let (new, learning, review, recalled, bad): (i64, i64, i64, i64, i64) = stmt
                .query_row(
                    params![pack, w[0].as_millisecond(), w[1].as_millisecond()],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )?;
            days.push([count(new), count(learning), count(review)]);
            reviews += count(review);
            passed += count(recalled);
            skipped += count(bad);
        }
        if skipped > 0 {
            self.notice(OpenNotice::SkippedRows {
                what: "review answers",
                count: skipped,
            });
        }
        Ok((days, passed, reviews))
    }

    /// Total rows in the review log of `pack`.
    pub fn review_log_len(&self, pack: &str) -> Result<usize, StoreError> {
        let n: i64 = self.conn().query_row(
            "SELECT COUNT(*) FROM review_log WHERE pack_id = ?1",
            [pack],
            |r| r.get(0),
        )?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// The learner's SRS settings, each checked and brought into range as it is read: a value
    /// that is unreadable or out of range (a damaged or hand-edited file) gives the nearest
    /// allowed value or the default, with an [`OpenNotice::Setting`] naming it.
    pub fn srs_settings(&self) -> Result<SrsSettings, StoreError> {
        self.srs_settings_in(None)
    }

    /// The SRS settings as they apply to pack `pack`: the course settings (`PER_PACK`: new
    /// cards per day, desired retention, exam date and buffer) as set for this pack, each
    /// falling back to the value set for every pack (what learners set before settings were
    /// per pack); the others as [`Store::srs_settings`]. Checked as that is.
    ///
    /// `defaults` are the pack's own (`[settings]` in its `pack.toml`): they come after the
    /// learner's settings for the pack and before the ones set for every pack.
    pub fn srs_settings_for(
        &self,
        pack: &str,
        defaults: &crate::srs::settings::CourseDefaults,
    ) -> Result<SrsSettings, StoreError> {
        self.srs_settings_in(Some((pack, defaults)))
    }

    /// Saves settings for pack `pack`: its course settings (`PER_PACK`) under the pack, so
    /// another pack's are unchanged; the others for every pack. One transaction.
    pub fn set_srs_settings_for(&mut self, pack: &str, s: &SrsSettings) -> Result<(), StoreError> {
        self.write_srs_settings(Some(pack), s)
    }

    fn srs_settings_in(
        &self,
        pack: Option<(&str, &crate::srs::settings::CourseDefaults)>,
    ) -> Result<SrsSettings, StoreError> {
        let mut s = SrsSettings::default();
        let read = |key: &str| -> Result<Option<String>, StoreError> {
            if let Some((pack, defaults)) = pack
                && PER_PACK.contains(&key)
            {
                if let Some(v) = self.get_setting(&pack_key(pack, key))? {
                    return Ok(Some(v));
                }
                let default = match key {
                    KEY_NEW => defaults.new_per_day.map(|n| n.to_string()),
                    KEY_RETENTION => defaults.desired_retention.map(|r| r.to_string()),
                    KEY_EXAM_DATE => defaults.exam_date.map(|d| d.to_string()),
                    _ => None,
                };
                if default.is_some() {
                    return Ok(default);
                }
            }
            self.get_setting(key)
        };
        let warn = |key: &str, found: &str, used: String| {
            self.notice(OpenNotice::Setting {
                key: key.to_owned(),
                found: found
                    .chars()
                    .take(40)
                    .collect::<String>()
                    .escape_debug()
                    .to_string(),
                used,
            })
        };
        if let Some(v) = read(KEY_RETENTION)? {
            match v.trim().parse::<f64>() {
                Ok(r) if r.is_finite() && clamp_retention(r) == r => s.desired_retention = r,
                Ok(r) if r.is_finite() => {
                    s.desired_retention = clamp_retention(r);
                    warn(KEY_RETENTION, &v, format!("{:.2}", s.desired_retention));
                }
                _ => warn(KEY_RETENTION, &v, format!("{:.2}", s.desired_retention)),
            }
        }
        for (key, slot, max) in [
            (KEY_NEW, &mut s.new_per_day, MAX_NEW_PER_DAY),
            (
                KEY_MAX_REVIEWS,
                &mut s.max_reviews_per_day,
                MAX_REVIEWS_PER_DAY,
            ),
        ] {
            if let Some(v) = read(key)? {
                match v.trim().parse::<u64>() {
                    Ok(n) if n <= u64::from(max) => *slot = n as u32,
                    Ok(_) => {
                        *slot = max;
                        warn(key, &v, max.to_string());
                    }
                    Err(_) => warn(key, &v, slot.to_string()),
                }
            }
        }
        for (key, slot) in [
            (KEY_LEARNING, &mut s.learning_steps),
            (KEY_RELEARNING, &mut s.relearning_steps),
        ] {
            if let Some(v) = read(key)? {
                match parse_steps(&v) {
                    Ok(steps) if steps.len() <= MAX_STEPS => *slot = steps,
                    _ => warn(key, &v, format_steps(slot)),
                }
            }
        }
        if let Some(v) = read(KEY_DAY_START)? {
            match v.trim().parse::<u64>() {
                Ok(h) if h <= 23 => s.day_start_hour = h as u8,
                Ok(_) => {
                    s.day_start_hour = 23;
                    warn(KEY_DAY_START, &v, "23".into());
                }
                Err(_) => warn(KEY_DAY_START, &v, s.day_start_hour.to_string()),
            }
        }
        let mut buffer = crate::srs::settings::DEFAULT_EXAM_BUFFER_DAYS;
        if let Some(v) = read(KEY_EXAM_BUFFER)? {
            match v.trim().parse::<u64>() {
                Ok(n) if n <= u64::from(MAX_EXAM_BUFFER_DAYS) => buffer = n as u32,
                Ok(_) => {
                    buffer = MAX_EXAM_BUFFER_DAYS;
                    warn(KEY_EXAM_BUFFER, &v, buffer.to_string());
                }
                Err(_) => warn(KEY_EXAM_BUFFER, &v, buffer.to_string()),
            }
        }
        if let Some(v) = read(KEY_EXAM_DATE)?.filter(|v| !v.trim().is_empty()) {
            match v.trim().parse::<Date>() {
                Ok(date) if (EXAM_DATE_RANGE.0..=EXAM_DATE_RANGE.1).contains(&date) => {
                    s.exam = Some(ExamSettings {
                        date,
                        buffer_days: buffer,
                    });
                }
                _ => warn(KEY_EXAM_DATE, &v, "no exam date".into()),
            }
        }
        Ok(s)
    }

    /// Saves every SRS setting in one transaction.
    pub fn set_srs_settings(&mut self, s: &SrsSettings) -> Result<(), StoreError> {
        self.write_srs_settings(None, s)
    }

    fn write_srs_settings(
        &mut self,
        pack: Option<&str>,
        s: &SrsSettings,
    ) -> Result<(), StoreError> {
        let tx = self.conn_mut().transaction()?;
        let exam_date = s.exam.map(|e| e.date.to_string()).unwrap_or_default();
        let buffer = s
            .exam
            .map_or(crate::srs::settings::DEFAULT_EXAM_BUFFER_DAYS, |e| {
                e.buffer_days
            });
        for (key, value) in [
            (
                KEY_RETENTION,
                format!("{:.2}", clamp_retention(s.desired_retention)),
            ),
            (KEY_NEW, s.new_per_day.to_string()),
            (KEY_MAX_REVIEWS, s.max_reviews_per_day.to_string()),
            (KEY_LEARNING, format_steps(&s.learning_steps)),
            (KEY_RELEARNING, format_steps(&s.relearning_steps)),
            (KEY_DAY_START, s.day_start_hour.to_string()),
            (KEY_EXAM_DATE, exam_date),
            (KEY_EXAM_BUFFER, buffer.to_string()),
        ] {
            let key = match pack {
                Some(pack) if PER_PACK.contains(&key) => pack_key(pack, key),
                _ => key.to_owned(),
            };
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key.as_str(), value.as_str()],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Whether a card of `pack` has any history (cheap check for tests and tools).
    pub fn has_card_state(&self, pack: &str, card_id: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT 1 FROM srs_card WHERE pack_id = ?1 AND card_id = ?2",
                [pack, card_id],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }
}
