//! The app-state layer between the screens and the core: the loaded pack, the open store, the
//! clock, and the operations a screen may ask for. Each operation writes the store before it
//! returns, so whatever the learner did is on disk before the next frame.

pub mod backup;
pub mod exams;
mod integrity;
pub mod library;
pub mod pack_load;
pub mod params;
pub mod progress;
pub mod quiz;
mod reports;
pub mod results;
pub mod retention;
pub mod review;
pub mod watch;

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use crate::clock::Clock;
use crate::content::Pack;
use crate::store::{OpenNotice, Store, StoreError};

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

/// Progress is not being saved: the progress file could not be used, so the app runs on an
/// in-memory store and leaves the file as it was. Shown in a banner that cannot be dismissed,
/// because everything the learner does in this window is lost when it closes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotSaving {
    /// What went wrong, naming the file (the store's error, as a sentence).
    pub reason: String,
    /// What the learner can do about it.
    pub remedy: String,
}

impl NotSaving {
    /// The banner's headline.
    pub const HEADLINE: &str =
        "Progress is NOT being saved: nothing you do in this window will be kept.";

    pub fn new(e: &StoreError) -> Self {
        let remedy = match e {
            StoreError::Locked { .. } => {
                "Close the other coldstart (or the program using the file), then close this \
                 window and open coldstart again."
            }
            StoreError::TooNew { .. } => {
                "Update coldstart to the newest version and open that one; your progress file \
                 was left as it is."
            }
            StoreError::CreateDir { .. } | StoreError::LockFile { .. } => {
                "Make sure you can write to that folder (or start coldstart with --data-dir \
                 pointing elsewhere), then open coldstart again."
            }
            StoreError::SetAside { .. } => {
                "Move the damaged file out of its folder yourself, then open coldstart again; \
                 a fresh one will be started."
            }
            StoreError::ReadOnly { .. } => {
                "Make the progress file writable (or start coldstart with --data-dir pointing \
                 elsewhere), then open coldstart again."
            }
            StoreError::Missing { .. }
            | StoreError::Damaged { .. }
            | StoreError::ForeignLog { .. }
            | StoreError::NeedsUpgrade { .. }
            | StoreError::Backup { .. }
            | StoreError::BadBackup { .. }
            | StoreError::Sql(_) => {
                "Close this window and open coldstart again; your progress file was left as it \
                 is. If this keeps happening, keep a copy of the file and report this message."
            }
        };
        let mut reason = e.to_string();
        if let Some(first) = reason.get(..1) {
            reason.replace_range(..1, &first.to_uppercase());
        }
        Self {
            reason,
            remedy: remedy.to_owned(),
        }
    }
}

pub struct AppState {
    pub pack: Arc<Pack>,
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    /// Banners not yet dismissed.
    pub notices: Vec<Notice>,
    /// Set when the store is in memory because the progress file could not be used.
    pub not_saving: Option<NotSaving>,
    notes_read: HashSet<String>,
    /// Spaced-repetition state (see `app::review`).
    pub reviews: review::Reviews,
    standing_cache: Option<progress::StandingCache>,
    /// The exam id the learner chose to prepare for (see `app::exams`).
    exam_choice: Option<String>,
    exam_readiness_cache: Option<exams::ReadinessCache>,
    /// The quiz sessions being taken (see `app::quiz`).
    pub quiz: quiz::Quiz,
    /// The day's backup, the backups on disk, a restore offered (see `app::backup`).
    backups: backup::Backups,
    /// The background fit of FSRS parameters (see `app::params`).
    params: params::Params,
    /// "Help me choose" a desired retention (see `app::retention`).
    retention_help: retention::RetentionHelp,
    /// Notices raised by reads (`&self`), moved to `notices` by the next [`AppState::tick`].
    deferred: RefCell<Vec<Notice>>,
    /// Which cached values were read since the last tick (`WANT_*` bits), so `tick` refreshes
    /// only what a screen shows.
    wanted: Cell<u8>,
    /// Whether [`AppState::tick`] has run: the first frame has been (or is being) drawn.
    ticked: bool,
}

const WANT_READINESS: u8 = 1;
const WANT_STATS: u8 = 2;
const WANT_STANDING: u8 = 4;
const WANT_EXAM_READINESS: u8 = 8;
const WANT_FORECAST: u8 = 16;

/// What one [`AppState::tick`] did that the window should know about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ticked {
    /// Time ran out on the mock exam and it was submitted.
    pub exam_timed_out: bool,
    /// A mock exam's clock is running: tick again within a second.
    pub exam_running: bool,
    /// Work on a thread (the progress file's check, the day's backup, a fit) whose result a
    /// later tick collects, or a check due to start: tick again soon.
    pub background: bool,
}

impl AppState {
    pub fn new(pack: Arc<Pack>, store: Store, clock: Arc<dyn Clock>) -> Result<Self, StoreError> {
        let notes_read = store.notes_read(&pack.meta.id)?;
        let tz = jiff::tz::TimeZone::system();
        let reviews =
            review::Reviews::load(&store, &pack.meta.id, &pack.settings, &pack.cards, tz)?;
        // What the store found while opening and reading (a foreign log set aside, a setting
        // out of range, unreadable rows), each as a banner.
        let mut notices: Vec<Notice> = store
            .take_notices()
            .into_iter()
            .map(|n| Notice {
                level: NoticeLevel::Warning,
                text: n.to_string(),
            })
            .collect();
        // An unreadable choice opens on the pack's default exam, and says so.
        let exam_choice = exams::stored_choice(&store, &pack.meta.id).unwrap_or_else(|e| {
            notices.push(Notice {
                level: NoticeLevel::Error,
                text: format!("Could not read which exam you prepare for: {e}"),
            });
            None
        });
        Ok(Self {
            exam_choice,
            exam_readiness_cache: None,
            reviews,
            pack,
            store,
            clock,
            notices,
            not_saving: None,
            notes_read,
            standing_cache: None,
            quiz: quiz::Quiz::default(),
            backups: backup::Backups::default(),
            params: params::Params::default(),
            retention_help: retention::RetentionHelp::default(),
            deferred: RefCell::new(Vec::new()),
            // The first screen, the dashboard, reads these: the first tick (before the first
            // frame is drawn) computes each once, rather than every read of the first frame
            // computing it on the spot.
            wanted: Cell::new(WANT_STANDING | WANT_EXAM_READINESS | WANT_READINESS | WANT_FORECAST),
            ticked: false,
        })
    }

    /// The state the app starts with: progress from `progress.sqlite` in `data_dir`.
    ///
    /// A damaged file is set aside and a fresh one started, with a warning notice. A file that
    /// cannot be used — another coldstart has it open, a newer coldstart wrote it, the folder is
    /// not writable — is left untouched and the app runs on an in-memory store, with
    /// [`AppState::not_saving`] saying why and what to do: a learner who started coldstart from a
    /// desktop menu sees that in the window instead of nothing at all. Fails only if not even an
    /// in-memory store can be made.
    pub fn open_in_dir(
        pack: Arc<Pack>,
        data_dir: &Path,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StoreError> {
        let opened = Store::open_in_dir(data_dir).and_then(|(store, notice)| {
            Ok((Self::new(pack.clone(), store, clock.clone())?, notice))
        });
        match opened {
            Ok((mut state, notice)) => {
                if let Some(OpenNotice::Recovered { moved_to, reason }) = notice {
                    state.notify(
                        NoticeLevel::Warning,
                        format!(
                            "Your progress database could not be read ({reason}). It was kept as {} and a new one was started.",
                            moved_to.display()
                        ),
                    );
                    state.offer_backup_after_damage();
                }
                Ok(state)
            }
            Err(e) => {
                let mut state = Self::in_memory(pack, clock)?;
                state.not_saving = Some(NotSaving::new(&e));
                Ok(state)
            }
        }
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

    /// A notice from a read: shown after the next [`AppState::tick`].
    fn notify_later(&self, level: NoticeLevel, text: String) {
        self.deferred.borrow_mut().push(Notice { level, text });
    }

    /// A failed read, reported after the next [`AppState::tick`].
    fn report_later(&self, what: &str, e: &StoreError) {
        self.notify_later(NoticeLevel::Error, format!("Could not {what}: {e}"));
    }

    /// The one logic pass per frame, run before anything is drawn (and by eframe even while
    /// the window is hidden): rolls the study day, refreshes the cached values the screens
    /// read, keeps a running mock exam's clock saved and submits the exam when time runs out,
    /// and shows the notices reads raised; collects the background check of the progress file.
    /// Drawing then only reads.
    pub fn tick(&mut self) -> Ticked {
        // Not on the first tick: the progress file's background check, when one is due, starts
        // once the first frame has been drawn, so it does not compete with it.
        if self.ticked {
            self.poll_integrity();
        }
        self.ticked = true;
        self.backups_tick();
        self.params_tick();
        self.retention_tick();
        self.reviews_day();
        let wanted = self.wanted.replace(0);
        self.refresh_review_caches(wanted);
        if wanted & WANT_STANDING != 0 {
            self.refresh_standing();
        }
        if wanted & WANT_EXAM_READINESS != 0 {
            self.refresh_exam_readiness();
        }
        let exam_timed_out = self.exam_tick();
        // What the store noticed since (a background check that could not start, rows skipped).
        for n in self.store.take_notices() {
            self.notify(NoticeLevel::Warning, n.to_string());
        }
        let deferred = std::mem::take(self.deferred.get_mut());
        for n in deferred {
            self.notify(n.level, n.text);
        }
        Ticked {
            exam_timed_out,
            exam_running: self.exam_time_left().is_some(),
            background: self.store.integrity_check_running()
                || self.backup_running()
                || self.fit_running(),
        }
    }

    /// Records that the learner read a topic's note (scrolled through it, or stayed a while).
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

    /// Marks a topic's note as not read.
    pub fn mark_note_unread(&mut self, topic: &str) {
        if !self.notes_read.contains(topic) {
            return;
        }
        match self.store.mark_note_unread(&self.pack.meta.id, topic) {
            Ok(()) => {
                self.notes_read.remove(topic);
            }
            Err(e) => self.report("save that the note is unread", &e),
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
        self.exam_choice = match exams::stored_choice(&self.store, &pack.meta.id) {
            Ok(choice) => choice,
            Err(e) => {
                self.report("read which exam you prepare for", &e);
                None
            }
        };
        self.exam_readiness_cache = None;
        self.pack = pack;
        self.reload_reviews();
    }
}
