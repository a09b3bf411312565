//! The quiz service: starts practice sessions and mock exams, applies the learner's actions to
//! them, and writes every answer to the store before returning.
//!
//! The sessions being taken live here, in [`AppState::quiz`], like the review state in
//! [`AppState::reviews`]: the Quiz screen reads them and changes them only through these methods,
//! and [`AppState::tick`] keeps a running exam's clock saved and submits it when time runs out.

use crate::quiz::domains::ExamReport;
use crate::quiz::{
    self, ExamConfig, ExamSession, History, Item, PracticeConfig, PracticeSession, Report,
    Response, exam, practice,
};
use crate::store::{AttemptMode, AttemptSummary, StoredAttempt};

use super::{AppState, NoticeLevel};

/// How often an open exam saves its clock even when the learner does nothing, so closing the
/// app loses at most this much (in the learner's favour).
const CLOCK_SAVE_EVERY_MS: u64 = 15_000;

/// A practice session being taken.
pub struct ActivePractice {
    pub attempt: i64,
    pub config: PracticeConfig,
    pub session: PracticeSession,
}

/// A mock exam being taken.
pub struct ActiveExam {
    pub attempt: i64,
    pub session: ExamSession,
    /// Exam clock at the last save.
    saved_elapsed_ms: u64,
}

/// The quiz sessions being taken: at most one practice session and one mock exam.
#[derive(Default)]
pub struct Quiz {
    pub practice: Option<ActivePractice>,
    /// The mock exam being taken; after it is submitted it stays here, submitted, until the
    /// Quiz screen shows its report ([`AppState::exam_close`]).
    pub exam: Option<ActiveExam>,
}

/// A past attempt, rebuilt for its report.
pub struct PastAttempt {
    pub summary: AttemptSummary,
    pub items: Vec<Item>,
    pub responses: Vec<Response>,
    pub report: Report,
    /// A mock exam's report by the domains of the exam it was shaped like (the chosen exam for
    /// attempts from before exam profiles).
    pub exam_report: Option<ExamReport>,
    pub seed: u64,
}

/// A well-mixed seed from the clock: distinct attempts get distinct seeds, and a pinned clock
/// (tests) gives a known one. The seed is stored, so nothing depends on how it was drawn.
fn seed_from(now_ms: i64, salt: u64) -> u64 {
    let mut z = (now_ms as u64).wrapping_add(salt.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) >> 1
}

impl AppState {
    /// The learner's record on this pack, for "weakest topics first" and retakes.
    pub fn quiz_history(&self) -> History {
        match self.store.quiz_history(&self.pack.meta.id) {
            Ok(h) => h,
            Err(e) => {
                self.report_later("read your past answers", &e);
                History::default()
            }
        }
    }

    /// Past attempts, newest first. An unfinished exam's answered count is the exam's own:
    /// questions with as many choices picked as they ask for (a multiple-response question with
    /// too few picks is incomplete, not answered).
    pub fn quiz_attempts(&self) -> Vec<AttemptSummary> {
        self.with_exam_answers(self.store.quiz_attempts(&self.pack.meta.id))
    }

    /// Past mock exams, newest first, counted as [`AppState::quiz_attempts`] counts them.
    pub(super) fn exam_attempts(&self) -> Vec<AttemptSummary> {
        self.with_exam_answers(self.store.exam_attempts(&self.pack.meta.id))
    }

    fn with_exam_answers(
        &self,
        attempts: Result<Vec<AttemptSummary>, crate::store::StoreError>,
    ) -> Vec<AttemptSummary> {
        let mut attempts = match attempts {
            Ok(v) => v,
            Err(e) => {
                self.report_later("list past attempts", &e);
                Vec::new()
            }
        };
        for a in attempts
            .iter_mut()
            .filter(|a| a.mode == AttemptMode::Exam && a.finished_ms.is_none())
        {
            if let Some(n) = self.complete_answers(a.id) {
                a.answered = n;
            }
        }
        attempts
    }

    /// How many questions of an exam attempt have a complete answer, as its navigator counts.
    fn complete_answers(&self, id: i64) -> Option<u32> {
        if let Some(e) = self.quiz.exam.as_ref().filter(|e| e.attempt == id) {
            let n = e.session.len() - e.session.unanswered().len();
            return u32::try_from(n).ok();
        }
        let stored = self.store.quiz_attempt(id).ok()??;
        let complete = stored
            .answers
            .iter()
            .filter(|a| {
                stored
                    .items
                    .get(a.position)
                    .and_then(|r| Item::from_ref(&self.pack, r).ok())
                    .is_some_and(|item| !a.chosen.is_empty() && a.chosen.len() >= item.needed())
            })
            .count();
        u32::try_from(complete).ok()
    }

    fn quiz_error(&mut self, e: &quiz::QuizError) {
        self.notify(NoticeLevel::Warning, format!("Cannot start: {e}."));
    }

    /// Builds and records a practice session, which becomes [`Quiz::practice`]. Returns whether
    /// it started (when not, a notice says why).
    pub fn start_practice(&mut self, config: PracticeConfig) -> bool {
        let history = if config.weakest_first || config.retake {
            self.quiz_history()
        } else {
            History::default()
        };
        let now = self.clock.now();
        let seed = seed_from(now.as_millisecond(), 1);
        let items = match practice::build_items(&self.pack, &config, &history, seed) {
            Ok(items) => items,
            Err(e) => {
                self.quiz_error(&e);
                return false;
            }
        };
        let refs: Vec<_> = items.iter().map(Item::to_ref).collect();
        let json = serde_json::to_string(&config).unwrap_or_default();
        let pack_id = self.pack.meta.id.clone();
        match self.store.create_quiz_attempt(
            &pack_id,
            AttemptMode::Practice,
            seed,
            &json,
            now.as_millisecond(),
            &refs,
        ) {
            Ok(attempt) => {
                self.quiz.practice = Some(ActivePractice {
                    attempt,
                    config,
                    session: PracticeSession::new(items, now),
                });
                true
            }
            Err(e) => {
                self.report("start the practice session", &e);
                false
            }
        }
    }

    /// Toggles the choice shown in place `shown` of the practice question on screen. Nothing
    /// is written until the answer is submitted.
    pub fn practice_toggle(&mut self, shown: usize) {
        if let Some(p) = &mut self.quiz.practice {
            p.session.toggle(shown);
        }
    }

    /// Submits the practice answer on screen and writes it.
    pub fn practice_submit(&mut self) {
        let now = self.clock.now();
        let Some(p) = &mut self.quiz.practice else {
            return;
        };
        if let Some(rec) = p.session.submit(now) {
            let pos = p.session.position();
            if let Err(e) =
                self.store
                    .save_quiz_answer(p.attempt, &rec, now.as_millisecond(), 0, pos)
            {
                self.report("save your answer", &e);
            }
        }
    }

    /// Flags or unflags the practice question on screen, answered or not, and writes it.
    pub fn practice_flag(&mut self) {
        let Some(p) = &mut self.quiz.practice else {
            return;
        };
        if let Some(rec) = p.session.toggle_flag() {
            let now = self.clock.now().as_millisecond();
            let pos = p.session.position();
            if let Err(e) = self.store.save_quiz_answer(p.attempt, &rec, now, 0, pos) {
                self.report("save the flag", &e);
            }
        }
    }

    /// Moves on; when the last question is done, records the attempt as finished.
    pub fn practice_next(&mut self) {
        let now = self.clock.now();
        let Some(p) = &mut self.quiz.practice else {
            return;
        };
        p.session.next(now);
        let result = if p.session.is_finished() {
            let report = p.session.report(&self.pack);
            self.store.finish_quiz_attempt(
                p.attempt,
                now.as_millisecond(),
                report.time_used_ms,
                report.correct as u32,
            )
        } else {
            self.store
                .save_quiz_progress(p.attempt, 0, p.session.position())
        };
        if let Err(e) = result {
            self.report("save your progress", &e);
        }
    }

    /// Ends a practice session early; the report covers the questions answered.
    pub fn practice_end(&mut self) {
        let now = self.now_ms();
        let Some(p) = &mut self.quiz.practice else {
            return;
        };
        let report = p.session.report(&self.pack);
        if let Err(e) = self.store.finish_quiz_attempt(
            p.attempt,
            now,
            report.time_used_ms,
            report.correct as u32,
        ) {
            self.report("save the practice result", &e);
        }
    }

    /// Leaves the practice session (finished or ended) so the screen can show its report.
    /// Returns its attempt id.
    pub fn practice_close(&mut self) -> Option<i64> {
        self.quiz.practice.take().map(|p| p.attempt)
    }

    /// Builds and records a mock exam, which becomes [`Quiz::exam`]; its clock starts now.
    /// Returns whether it started (when not, a notice says why).
    pub fn start_exam(&mut self, config: ExamConfig) -> bool {
        // One exam at a time: a second one would hide the first and its clock.
        if self.quiz.exam.is_some() || self.unfinished_exam().is_some() {
            self.notify(
                NoticeLevel::Warning,
                "A mock exam is already in progress: resume it or discard it before starting \
                 another.",
            );
            return false;
        }
        let now = self.clock.now();
        let seed = seed_from(now.as_millisecond(), 2);
        let items = match exam::build_items(&self.pack, &config, seed) {
            Ok(items) => items,
            Err(e) => {
                self.quiz_error(&e);
                return false;
            }
        };
        let refs: Vec<_> = items.iter().map(Item::to_ref).collect();
        let json = serde_json::to_string(&config).unwrap_or_default();
        let pack_id = self.pack.meta.id.clone();
        match self.store.create_quiz_attempt(
            &pack_id,
            AttemptMode::Exam,
            seed,
            &json,
            now.as_millisecond(),
            &refs,
        ) {
            Ok(attempt) => {
                self.quiz.exam = Some(ActiveExam {
                    attempt,
                    session: ExamSession::new(config, seed, items, now),
                    saved_elapsed_ms: 0,
                });
                true
            }
            Err(e) => {
                self.report("start the mock exam", &e);
                false
            }
        }
    }

    /// The most recent mock exam left unfinished, if any.
    pub fn unfinished_exam(&self) -> Option<i64> {
        match self.store.unfinished_exam(&self.pack.meta.id) {
            Ok(id) => id,
            Err(e) => {
                self.report_later("look for an unfinished exam", &e);
                None
            }
        }
    }

    /// Discards an unfinished mock exam and everything answered in it.
    pub fn discard_exam(&mut self, id: i64) {
        if self.quiz.exam.as_ref().is_some_and(|e| e.attempt == id) {
            self.quiz.exam = None;
        }
        if let Err(e) = self.store.delete_quiz_attempt(id) {
            self.report("discard the exam", &e);
        }
    }

    /// Reopens an unfinished exam where it was, as [`Quiz::exam`], with its clock running again
    /// from now: time spent away does not count. Returns whether it reopened.
    pub fn resume_exam(&mut self, id: i64) -> bool {
        let Some(stored) = self.load_attempt(id) else {
            return false;
        };
        let Some((items, responses)) = self.rebuild(&stored) else {
            return false;
        };
        let config: ExamConfig = serde_json::from_str(&stored.config).unwrap_or_default();
        let session = ExamSession::resume(
            config,
            stored.seed,
            items,
            responses,
            stored.position,
            stored.summary.elapsed_ms,
            stored.summary.finished_ms.is_some(),
            self.clock.now(),
        );
        self.quiz.exam = Some(ActiveExam {
            attempt: id,
            saved_elapsed_ms: stored.summary.elapsed_ms,
            session,
        });
        true
    }

    fn load_attempt(&mut self, id: i64) -> Option<StoredAttempt> {
        match self.store.quiz_attempt(id) {
            Ok(Some(a)) => Some(a),
            Ok(None) => {
                self.notify(NoticeLevel::Warning, "That attempt no longer exists.");
                None
            }
            Err(e) => {
                self.report("open the attempt", &e);
                None
            }
        }
    }

    fn rebuild(&mut self, stored: &StoredAttempt) -> Option<(Vec<Item>, Vec<Response>)> {
        let items: Result<Vec<Item>, _> = stored
            .items
            .iter()
            .map(|r| Item::from_ref(&self.pack, r))
            .collect();
        let items = match items {
            Ok(items) => items,
            Err(e) => {
                self.notify(
                    NoticeLevel::Warning,
                    format!("That attempt cannot be shown with this version of the pack: {e}."),
                );
                return None;
            }
        };
        let mut responses = vec![Response::default(); items.len()];
        for a in &stored.answers {
            if let Some(r) = responses.get_mut(a.position) {
                *r = Response {
                    chosen: a.chosen.iter().copied().collect(),
                    flagged: a.flagged,
                    time_ms: a.time_ms,
                    // A practice row without choices is a flag set before answering.
                    submitted: !a.chosen.is_empty(),
                };
            }
        }
        if stored.summary.mode == AttemptMode::Exam {
            // In an exam "submitted" means nothing per question; keep it false so flags alone
            // do not look answered.
            for r in &mut responses {
                r.submitted = false;
            }
        }
        Some((items, responses))
    }

    /// A past attempt with its report.
    pub fn open_attempt(&mut self, id: i64) -> Option<PastAttempt> {
        let stored = self.load_attempt(id)?;
        let (items, responses) = self.rebuild(&stored)?;
        let now = self.clock.now();
        let mut exam_report = None;
        let report = match stored.summary.mode {
            AttemptMode::Exam => {
                let config: ExamConfig = serde_json::from_str(&stored.config).unwrap_or_default();
                let profile = config
                    .exam
                    .as_deref()
                    .and_then(|id| self.pack.exam_profile(id))
                    .unwrap_or_else(|| self.chosen_exam());
                let report = ExamSession::resume(
                    config,
                    stored.seed,
                    items.clone(),
                    responses.clone(),
                    0,
                    stored.summary.elapsed_ms,
                    true,
                    now,
                )
                .report(&self.pack, now);
                exam_report = Some(ExamReport::build(&self.pack, &profile, &items, &report));
                report
            }
            AttemptMode::Practice => {
                PracticeSession::resume(items.clone(), responses.clone(), now).report(&self.pack)
            }
        };
        Some(PastAttempt {
            summary: stored.summary,
            items,
            responses,
            report,
            exam_report,
            seed: stored.seed,
        })
    }

    fn save_exam_answer(&mut self, rec: Option<quiz::AnswerRecord>) {
        let Some(rec) = rec else { return };
        let now = self.clock.now();
        let Some(e) = &mut self.quiz.exam else { return };
        let elapsed = e.session.elapsed_ms(now);
        match self.store.save_quiz_answer(
            e.attempt,
            &rec,
            now.as_millisecond(),
            elapsed,
            e.session.position(),
        ) {
            Ok(()) => e.saved_elapsed_ms = elapsed,
            Err(err) => self.report("save your answer", &err),
        }
    }

    /// Applies `change` to the open exam's session and writes the answer it returns.
    fn exam_change(
        &mut self,
        change: impl FnOnce(&mut ExamSession, jiff::Timestamp) -> Option<quiz::AnswerRecord>,
    ) {
        let now = self.clock.now();
        let rec = self
            .quiz
            .exam
            .as_mut()
            .and_then(|e| change(&mut e.session, now));
        self.save_exam_answer(rec);
    }

    /// Toggles the choice shown in place `shown` and writes the answer.
    pub fn exam_toggle(&mut self, shown: usize) {
        self.exam_change(|s, now| s.toggle(shown, now));
    }

    pub fn exam_flag(&mut self) {
        self.exam_change(|s, now| s.toggle_flag(now));
    }

    /// Shows question `position`, saving the time spent on the one left.
    pub fn exam_go(&mut self, position: usize) {
        self.exam_change(|s, now| s.go_to(position, now));
    }

    /// The open exam's clock, run by [`AppState::tick`]: saves it now and then, and submits the
    /// exam when time runs out. Returns true when it did submit.
    pub(super) fn exam_tick(&mut self) -> bool {
        let now = self.clock.now();
        let Some(e) = &mut self.quiz.exam else {
            return false;
        };
        if e.session.is_submitted() {
            return false;
        }
        if e.session.is_time_up(now) {
            self.exam_submit();
            return true;
        }
        if e.session.is_open() {
            let elapsed = e.session.elapsed_ms(now);
            if elapsed >= e.saved_elapsed_ms + CLOCK_SAVE_EVERY_MS {
                match self
                    .store
                    .save_quiz_progress(e.attempt, elapsed, e.session.position())
                {
                    Ok(()) => e.saved_elapsed_ms = elapsed,
                    Err(err) => self.report("save the exam clock", &err),
                }
            }
        }
        false
    }

    /// Time left on the exam being taken, while it is not submitted.
    pub fn exam_time_left(&self) -> Option<u64> {
        let e = self.quiz.exam.as_ref()?;
        (!e.session.is_submitted()).then(|| e.session.remaining_ms(self.clock.now()))
    }

    /// Stops the exam clock (the app is closing) and saves it.
    pub fn exam_pause(&mut self) {
        self.exam_change(|s, now| s.pause(now));
    }

    /// Starts the clock again when the learner comes back to the exam.
    pub fn exam_reopen(&mut self) {
        let now = self.clock.now();
        if let Some(e) = &mut self.quiz.exam
            && !e.session.is_open()
            && !e.session.is_submitted()
        {
            e.session.reopen(now);
        }
    }

    /// Ends the exam, scores it and records the result. The submitted exam stays in
    /// [`Quiz::exam`] until [`AppState::exam_close`].
    pub fn exam_submit(&mut self) -> Option<Report> {
        let now = self.clock.now();
        self.exam_change(|s, now| s.submit(now));
        let e = self.quiz.exam.as_ref()?;
        let report = e.session.report(&self.pack, now);
        if let Err(err) = self.store.finish_quiz_attempt(
            e.attempt,
            now.as_millisecond(),
            report.time_used_ms,
            report.correct as u32,
        ) {
            self.report("save the exam result", &err);
        }
        Some(report)
    }

    /// Leaves the exam (submitted, or left for later) so the screen can show its report or the
    /// home page. Returns its attempt id.
    pub fn exam_close(&mut self) -> Option<i64> {
        self.quiz.exam.take().map(|e| e.attempt)
    }
}
