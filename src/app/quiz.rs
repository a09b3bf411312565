//! The quiz service: starts practice sessions and mock exams, applies the learner's actions to
//! them, and writes every answer to the store before returning.
//!
//! Sessions live in the Quiz screen's view state; these operations take them by `&mut` so the
//! store write and the state change happen together.

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

/// A past attempt, rebuilt for its report.
pub struct PastAttempt {
    pub summary: AttemptSummary,
    pub items: Vec<Item>,
    pub responses: Vec<Response>,
    pub report: Report,
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
    pub fn quiz_history(&mut self) -> History {
        match self.store.quiz_history(&self.pack.meta.id) {
            Ok(h) => h,
            Err(e) => {
                self.report("read your past answers", &e);
                History::default()
            }
        }
    }

    /// Past attempts, newest first.
    pub fn quiz_attempts(&mut self) -> Vec<AttemptSummary> {
        match self.store.quiz_attempts(&self.pack.meta.id) {
            Ok(v) => v,
            Err(e) => {
                self.report("list past attempts", &e);
                Vec::new()
            }
        }
    }

    fn quiz_error(&mut self, e: &quiz::QuizError) {
        self.notify(NoticeLevel::Warning, format!("Cannot start: {e}."));
    }

    /// Builds and records a practice session.
    pub fn start_practice(&mut self, config: PracticeConfig) -> Option<ActivePractice> {
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
                return None;
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
            Ok(attempt) => Some(ActivePractice {
                attempt,
                config,
                session: PracticeSession::new(items, now),
            }),
            Err(e) => {
                self.report("start the practice session", &e);
                None
            }
        }
    }

    /// Submits the practice answer on screen and writes it.
    pub fn practice_submit(&mut self, p: &mut ActivePractice) {
        let now = self.clock.now();
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
    pub fn practice_flag(&mut self, p: &mut ActivePractice) {
        if let Some(rec) = p.session.toggle_flag() {
            let now = self.now_ms();
            let pos = p.session.position();
            if let Err(e) = self.store.save_quiz_answer(p.attempt, &rec, now, 0, pos) {
                self.report("save the flag", &e);
            }
        }
    }

    /// Moves on; when the last question is done, records the attempt as finished.
    pub fn practice_next(&mut self, p: &mut ActivePractice) {
        let now = self.clock.now();
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
    pub fn practice_end(&mut self, p: &mut ActivePractice) {
        let report = p.session.report(&self.pack);
        if let Err(e) = self.store.finish_quiz_attempt(
            p.attempt,
            self.now_ms(),
            report.time_used_ms,
            report.correct as u32,
        ) {
            self.report("save the practice result", &e);
        }
    }

    /// Builds and records a mock exam; its clock starts now.
    pub fn start_exam(&mut self, config: ExamConfig) -> Option<ActiveExam> {
        let now = self.clock.now();
        let seed = seed_from(now.as_millisecond(), 2);
        let items = match exam::build_items(&self.pack, &config, seed) {
            Ok(items) => items,
            Err(e) => {
                self.quiz_error(&e);
                return None;
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
            Ok(attempt) => Some(ActiveExam {
                attempt,
                session: ExamSession::new(config, seed, items, now),
                saved_elapsed_ms: 0,
            }),
            Err(e) => {
                self.report("start the mock exam", &e);
                None
            }
        }
    }

    /// The most recent mock exam left unfinished, if any.
    pub fn unfinished_exam(&mut self) -> Option<i64> {
        match self.store.unfinished_exam(&self.pack.meta.id) {
            Ok(id) => id,
            Err(e) => {
                self.report("look for an unfinished exam", &e);
                None
            }
        }
    }

    /// Reopens an unfinished exam where it was, with its clock running again from now: time
    /// spent away does not count.
    /// Discards an unfinished mock exam and everything answered in it.
    pub fn discard_exam(&mut self, id: i64) {
        if let Err(e) = self.store.delete_quiz_attempt(id) {
            self.report("discard the exam", &e);
        }
    }

    pub fn resume_exam(&mut self, id: i64) -> Option<ActiveExam> {
        let stored = self.load_attempt(id)?;
        let (items, responses) = self.rebuild(&stored)?;
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
        Some(ActiveExam {
            attempt: id,
            saved_elapsed_ms: stored.summary.elapsed_ms,
            session,
        })
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
        let report = match stored.summary.mode {
            AttemptMode::Exam => {
                let config: ExamConfig = serde_json::from_str(&stored.config).unwrap_or_default();
                ExamSession::resume(
                    config,
                    stored.seed,
                    items.clone(),
                    responses.clone(),
                    0,
                    stored.summary.elapsed_ms,
                    true,
                    now,
                )
                .report(&self.pack, now)
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
            seed: stored.seed,
        })
    }

    fn save_exam_answer(&mut self, e: &mut ActiveExam, rec: Option<quiz::AnswerRecord>) {
        let Some(rec) = rec else { return };
        let now = self.clock.now();
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

    /// Toggles the choice shown in place `shown` and writes the answer.
    pub fn exam_toggle(&mut self, e: &mut ActiveExam, shown: usize) {
        let rec = e.session.toggle(shown, self.clock.now());
        self.save_exam_answer(e, rec);
    }

    pub fn exam_flag(&mut self, e: &mut ActiveExam) {
        let rec = e.session.toggle_flag(self.clock.now());
        self.save_exam_answer(e, rec);
    }

    /// Shows question `position`, saving the time spent on the one left.
    pub fn exam_go(&mut self, e: &mut ActiveExam, position: usize) {
        let rec = e.session.go_to(position, self.clock.now());
        self.save_exam_answer(e, rec);
    }

    /// Called every frame the exam is on screen: saves the clock now and then, and submits the
    /// exam when time runs out. Returns true when it did submit.
    pub fn exam_tick(&mut self, e: &mut ActiveExam) -> bool {
        let now = self.clock.now();
        if e.session.is_time_up(now) {
            self.exam_submit(e);
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

    /// Stops the exam clock (the app is closing) and saves it.
    pub fn exam_pause(&mut self, e: &mut ActiveExam) {
        let rec = e.session.pause(self.clock.now());
        self.save_exam_answer(e, rec);
    }

    /// Starts the clock again when the learner comes back to the exam.
    pub fn exam_reopen(&mut self, e: &mut ActiveExam) {
        e.session.reopen(self.clock.now());
    }

    /// Ends the exam, scores it and records the result.
    pub fn exam_submit(&mut self, e: &mut ActiveExam) -> Report {
        let now = self.clock.now();
        let rec = e.session.submit(now);
        self.save_exam_answer(e, rec);
        let report = e.session.report(&self.pack, now);
        if let Err(err) = self.store.finish_quiz_attempt(
            e.attempt,
            now.as_millisecond(),
            report.time_used_ms,
            report.correct as u32,
        ) {
            self.report("save the exam result", &err);
        }
        report
    }
}
