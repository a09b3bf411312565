//! The progress file's background integrity check, as the app sees it: [`AppState::poll_integrity`]
//! collects its result (call it every frame, from `AppState::tick`). A damaged file has been set
//! aside and replaced by the store; everything read from it is read again, and the learner told.

use super::{AppState, NoticeLevel, review};

impl AppState {
    /// Collects the result of the store's background check of the progress file, if it has
    /// arrived. Cheap when there is nothing to collect.
    pub fn poll_integrity(&mut self) {
        match self.store.poll_integrity() {
            Ok(None) => {}
            Ok(Some(notice)) => {
                self.reload_after_replace();
                self.notify(NoticeLevel::Warning, notice.to_string());
                self.offer_backup_after_damage();
            }
            Err(e) => self.report("set the damaged progress database aside", &e),
        }
    }

    /// Reads everything again after the store's file was replaced (a damaged one set aside, or
    /// a backup restored): card states, notes read, the cached standing; drops the quiz sessions.
    pub(super) fn reload_after_replace(&mut self) {
        let pack_id = self.pack.meta.id.clone();
        let tz = self.reviews.study_day().time_zone().clone();
        match review::Reviews::load(
            &self.store,
            &pack_id,
            &self.pack.settings,
            &self.pack.cards,
            tz,
        ) {
            Ok(r) => self.reviews = r,
            Err(e) => self.report("read the progress database again", &e),
        }
        match self.store.notes_read(&pack_id) {
            Ok(read) => self.notes_read = read,
            Err(e) => self.report("read the progress database again", &e),
        }
        self.standing_cache = None;
        self.exam_readiness_cache = None;
        // A session's attempt lived in the file set aside: answering on would write to rows the
        // new file does not have.
        self.quiz = super::quiz::Quiz::default();
        self.reset_params_state();
    }

    /// Starts checking the progress file in the background (the "Check progress file" action);
    /// the result arrives through [`AppState::poll_integrity`].
    pub fn check_progress_file(&mut self) {
        self.store.start_integrity_check();
    }
}
