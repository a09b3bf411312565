//! The learner's progress on a whole pack: how much there is (the Packs screen, `pack list`,
//! what removing a pack with its progress would lose) and deleting it.

use serde::Serialize;

use super::{Store, StoreError};

/// What the store holds for one pack id.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PackProgress {
    /// Cards with a schedule (answered at least once).
    pub cards_studied: u64,
    /// Flashcard answers.
    pub reviews: u64,
    /// Practice sessions and mock exams, finished or not.
    pub quiz_attempts: u64,
    /// Quiz answers.
    pub quiz_answers: u64,
    /// Notes opened.
    pub notes_read: u64,
    /// Problem reports on its cards and questions.
    pub reports: u64,
}

impl PackProgress {
    pub fn is_empty(&self) -> bool {
        *self == PackProgress::default()
    }
}

const COUNTS: &str = "SELECT
    (SELECT count(*) FROM srs_card WHERE pack_id = ?1),
    (SELECT count(*) FROM review_log WHERE pack_id = ?1),
    (SELECT count(*) FROM quiz_attempts WHERE pack_id = ?1),
    (SELECT count(*) FROM quiz_answers a JOIN quiz_attempts t ON t.id = a.attempt_id
      WHERE t.pack_id = ?1),
    (SELECT count(*) FROM note_reads WHERE pack_id = ?1),
    (SELECT count(*) FROM problem_reports WHERE pack_id = ?1)";

fn counts(conn: &rusqlite::Connection, pack: &str) -> Result<PackProgress, StoreError> {
    Ok(conn.query_row(COUNTS, [pack], |r| {
        let n = |i: usize| r.get::<_, i64>(i).map(|v| v.max(0) as u64);
        Ok(PackProgress {
            cards_studied: n(0)?,
            reviews: n(1)?,
            quiz_attempts: n(2)?,
            quiz_answers: n(3)?,
            notes_read: n(4)?,
            reports: n(5)?,
        })
    })?)
}

impl Store {
    /// How much progress the store holds for `pack`.
    pub fn pack_progress(&self, pack: &str) -> Result<PackProgress, StoreError> {
        counts(self.conn(), pack)
    }

    /// Deletes everything the store holds for `pack`, in one transaction; returns what it was.
    pub fn delete_pack_progress(&mut self, pack: &str) -> Result<PackProgress, StoreError> {
        let tx = self.conn_mut().transaction()?;
        let before = counts(&tx, pack)?;
        for table in [
            "srs_card",
            "review_log",
            "quiz_attempts", // its items and answers go with it (ON DELETE CASCADE)
            "note_reads",
            "problem_reports",
            "card_marks",
        ] {
            tx.execute(&format!("DELETE FROM {table} WHERE pack_id = ?1"), [pack])?;
        }
        // The exam chosen for the pack (see `app::exams`).
        tx.execute(
            "DELETE FROM settings WHERE key = ?1",
            [format!("exam.{pack}")],
        )?;
        tx.commit()?;
        Ok(before)
    }
}
