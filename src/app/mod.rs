//! The app-state layer between the screens and the core: the loaded pack, the open store, the
//! clock, and the operations a screen may ask for. Each operation writes the store before it
//! returns, so whatever the learner did is on disk before the next frame.

pub mod progress;
pub mod quiz;
pub mod review;
pub mod watch;

use std::collections::HashSet;
use std::sync::Arc;

use crate::clock::Clock;
use crate::content::Pack;
use crate::store::{Store, StoreError};

/// Something to tell the learner once, in a banner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub level: NoticeLevel,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeLevel {
    Info,
    Warning,
    Error,
}

pub struct AppState {
    pub pack: Arc<Pack>,
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    /// Banners not yet dismissed.
    pub notices: Vec<Notice>,
    notes_read: HashSet<String>,
    /// Spaced-repetition state (see `app::review`).
    pub reviews: review::Reviews,
    standing_cache: Option<progress::StandingCache>,
}

impl AppState {
    pub fn new(pack: Arc<Pack>, store: Store, clock: Arc<dyn Clock>) -> Result<Self, StoreError> {
        let notes_read = store.notes_read(&pack.meta.id)?;
        let tz = jiff::tz::TimeZone::system();
        let reviews = review::Reviews::load(&store, &pack.meta.id, &pack.cards, tz)?;
        Ok(Self {
            reviews,
            pack,
            store,
            clock,
            notices: Vec::new(),
            notes_read,
            standing_cache: None,
        })
    }

    /// A state on an in-memory store, for tests and previews.
    pub fn in_memory(pack: Arc<Pack>, clock: Arc<dyn Clock>) -> Result<Self, StoreError> {
        Self::new(pack, Store::open_in_memory()?, clock)
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now().as_millisecond()
    }

    pub fn notify(&mut self, level: NoticeLevel, text: impl Into<String>) {
        let notice = Notice {
            level,
            text: text.into(),
        };
        if !self.notices.contains(&notice) {
            self.notices.push(notice);
        }
    }

    /// Reports a failed write in words the learner understands; nothing else is lost.
    pub fn report(&mut self, what: &str, e: &StoreError) {
        self.notify(NoticeLevel::Error, format!("Could not {what}: {e}"));
    }

    /// Records that the learner opened a topic's note.
    pub fn mark_note_read(&mut self, topic: &str) {
        if self.notes_read.contains(topic) {
            return;
        }
        match self
            .store
            .mark_note_read(&self.pack.meta.id, topic, self.now_ms())
        {
            Ok(()) => {
                self.notes_read.insert(topic.to_owned());
            }
            Err(e) => self.report("save that the note was read", &e),
        }
    }

    pub fn is_note_read(&self, topic: &str) -> bool {
        self.notes_read.contains(topic)
    }

    /// Notes of the current pack that have been opened, and how many notes it has.
    pub fn notes_read_count(&self) -> (usize, usize) {
        let read = self
            .pack
            .notes
            .iter()
            .filter(|n| self.notes_read.contains(&n.topic))
            .count();
        (read, self.pack.notes.len())
    }

    /// Swaps in a new version of the pack (live preview). Progress is keyed by stable ids, so it
    /// carries over.
    pub fn replace_pack(&mut self, pack: Arc<Pack>) {
        match self.store.notes_read(&pack.meta.id) {
            Ok(read) => self.notes_read = read,
            Err(e) => self.report("read progress for the reloaded pack", &e),
        }
        self.pack = pack;
        self.reload_reviews();
    }
}
