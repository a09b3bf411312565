//! Card marks: bury, suspend and flag, kept apart from the scheduling state they leave alone.

use std::collections::HashMap;

use rusqlite::params;

use super::{Store, StoreError};
use crate::srs::CardMark;

impl Store {
    /// Every card of this pack with a mark, by card id.
    pub fn card_marks(&self, pack: &str) -> Result<HashMap<String, CardMark>, StoreError> {
        let mut stmt = self.conn().prepare(
            "SELECT card_id, suspended, buried_until, flagged FROM card_marks WHERE pack_id = ?1",
        )?;
        let rows = stmt.query_map([pack], |r| {
            Ok((
                r.get::<_, String>(0)?,
                CardMark {
                    suspended: r.get(1)?,
                    buried_until_ms: r.get(2)?,
                    flagged: r.get(3)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Writes a card's marks (a card with none loses its row).
    pub fn set_card_mark(&self, pack: &str, card: &str, mark: &CardMark) -> Result<(), StoreError> {
        if *mark == CardMark::default() {
            self.conn().execute(
                "DELETE FROM card_marks WHERE pack_id = ?1 AND card_id = ?2",
                params![pack, card],
            )?;
        } else {
            self.conn().execute(
                "INSERT INTO card_marks (pack_id, card_id, suspended, buried_until, flagged)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (pack_id, card_id) DO UPDATE SET suspended = excluded.suspended,
                     buried_until = excluded.buried_until, flagged = excluded.flagged",
                params![
                    pack,
                    card,
                    mark.suspended,
                    mark.buried_until_ms,
                    mark.flagged
                ],
            )?;
        }
        Ok(())
    }
}
