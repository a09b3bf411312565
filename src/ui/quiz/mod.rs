//! The Quiz screen: a home page to set up practice or a mock exam and list past attempts, and
//! the views that take them and show their reports.

mod exam;
mod home;
mod practice;
mod question;
mod report;

use egui_commonmark::CommonMarkCache;

use crate::app::AppState;
use crate::app::quiz::{ActiveExam, ActivePractice, PastAttempt};
use crate::store::AttemptSummary;

use super::Command;

pub use home::HomeForm;
pub use question::clock;

/// What the Quiz screen shows.
#[derive(Default)]
pub enum View {
    #[default]
    Home,
    Practice(Box<ActivePractice>),
    Exam {
        exam: Box<ActiveExam>,
        /// The review page before submitting.
        reviewing: bool,
    },
    Report(Box<PastAttempt>),
}

#[derive(Default)]
pub struct QuizScreen {
    pub view: View,
    pub form: HomeForm,
    cache: CommonMarkCache,
    /// Past attempts, read when the home page is shown (not every frame).
    attempts: Option<Vec<AttemptSummary>>,
}

impl QuizScreen {
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &mut AppState, cmds: &mut Vec<Command>) {
        let next = match &mut self.view {
            View::Home => {
                let attempts = self.attempts.get_or_insert_with(|| state.quiz_attempts());
                home::ui(ui, state, &mut self.form, attempts)
            }
            View::Practice(p) => practice::ui(ui, state, p, &mut self.cache, cmds),
            View::Exam { exam, reviewing } => {
                exam::ui(ui, state, exam, reviewing, &mut self.cache, cmds)
            }
            View::Report(r) => report::ui(ui, state, r, &mut self.cache, cmds),
        };
        if let Some(next) = next {
            self.go(next);
        }
    }

    fn go(&mut self, next: View) {
        if matches!(next, View::Home) {
            self.attempts = None;
        }
        self.view = next;
    }

    /// The app is closing: stop the exam clock and save it. The clock runs while the app is
    /// open, whatever screen is showing, as the real exam's does; a closed app waits.
    pub fn close(&mut self, state: &mut AppState) {
        if let View::Exam { exam, .. } = &mut self.view {
            state.exam_pause(exam);
        }
    }

    /// Keeps a running exam's clock saved, and submits it when time runs out, while another
    /// screen is showing. Returns the time left, for the navigation bar.
    pub fn tick_in_background(&mut self, state: &mut AppState) -> Option<u64> {
        let View::Exam { exam, .. } = &mut self.view else {
            return None;
        };
        if exam.session.is_submitted() {
            return None;
        }
        if state.exam_tick(exam) {
            state.notify(
                crate::app::NoticeLevel::Warning,
                "Time ran out on your mock exam: it was submitted. The report is on the Quiz screen.",
            );
            let view = exam::report_view(state, exam);
            self.go(view);
            return None;
        }
        Some(exam.session.remaining_ms(state.clock.now()))
    }

    /// The exam being taken, if any.
    pub fn exam(&self) -> Option<&ActiveExam> {
        match &self.view {
            View::Exam { exam, .. } => Some(exam),
            _ => None,
        }
    }

    /// The practice session being taken, if any.
    pub fn practice(&self) -> Option<&ActivePractice> {
        match &self.view {
            View::Practice(p) => Some(p),
            _ => None,
        }
    }

    /// The report on screen, if any.
    pub fn report(&self) -> Option<&PastAttempt> {
        match &self.view {
            View::Report(r) => Some(r),
            _ => None,
        }
    }
}
