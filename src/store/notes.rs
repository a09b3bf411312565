//! Which notes the learner has opened.

use std::collections::HashSet;

use super::{Store, StoreError};

impl Store {
    /// Records that a note was opened at `now_ms` (UTC milliseconds).
    pub fn mark_note_read(&self, pack: &str, topic: &str, now_ms: i64) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO note_reads (pack_id, topic_id, first_read, last_read) VALUES (?1, ?2, ?3, ?3)
             ON CONFLICT (pack_id, topic_id) DO UPDATE SET last_read = excluded.last_read",
            (pack, topic, now_ms),
        )?;
        Ok(())
    }

    /// Forgets that a note was read (the learner marked it unread).
    pub fn mark_note_unread(&self, pack: &str, topic: &str) -> Result<(), StoreError> {
        self.conn().execute(
            "DELETE FROM note_reads WHERE pack_id = ?1 AND topic_id = ?2",
            (pack, topic),
        )?;
        Ok(())
    }

    /// Topics of `pack` whose note has been opened.
    pub fn notes_read(&self, pack: &str) -> Result<HashSet<String>, StoreError> {
        let mut stmt = self
            .conn()
            .prepare("SELECT topic_id FROM note_reads WHERE pack_id = ?1")?;
        let rows = stmt.query_map([pack], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
