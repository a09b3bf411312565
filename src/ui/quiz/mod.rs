//! The Quiz screen: a home page to set up practice or a mock exam and list past attempts, and
//! the views that take them and show their reports.

mod exam;
mod home;
mod practice;
mod question;
mod report;

use egui_commonmark::CommonMarkCache;

use crate::app::AppState;
use crate::app::quiz::PastAttempt;
use crate::store::AttemptSummary;

use super::Command;

pub use home::HomeForm;
pub use question::NUM_KEYS;
pub(crate) use question::inline_job;

/// What the Quiz screen shows. The sessions themselves live in [`AppState::quiz`].
#[derive(Default)]
pub enum View {
    #[default]
    Home,
    /// The practice session in `AppState::quiz.practice`.
    Practice,
    /// The mock exam in `AppState::quiz.exam`.
    Exam {
        /// The review page before submitting.
        reviewing: bool,
    },
    /// A past attempt's report (read-only view data).
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
        // A session started or resumed elsewhere (or still open) is what the screen shows.
        match self.view {
            View::Home | View::Report(_) if state.quiz.exam.is_some() => {
                self.go(View::Exam { reviewing: false });
            }
            View::Home | View::Report(_) if state.quiz.practice.is_some() => {
                self.go(View::Practice);
            }
            _ => {}
        }
        let next = match &mut self.view {
            View::Home => {
                let attempts = self.attempts.get_or_insert_with(|| state.quiz_attempts());
                home::ui(ui, state, &mut self.form, attempts)
            }
            View::Practice => practice::ui(ui, state, &mut self.cache, cmds),
            View::Exam { reviewing } => exam::ui(ui, state, reviewing, &mut self.cache, cmds),
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

    /// The report on screen, if any.
    pub fn report(&self) -> Option<&PastAttempt> {
        match &self.view {
            View::Report(r) => Some(r),
            _ => None,
        }
    }
}

/// The report of attempt `id`, or the home page when it cannot be opened.
fn report_of(state: &mut AppState, id: Option<i64>) -> View {
    match id.and_then(|id| state.open_attempt(id)) {
        Some(r) => View::Report(Box::new(r)),
        None => View::Home,
    }
}
