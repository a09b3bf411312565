//! The Quiz screen.

use crate::app::AppState;

use super::{Command, widgets};

#[derive(Default)]
pub struct QuizScreen {}

impl QuizScreen {
    pub fn ui(&mut self, ui: &mut egui::Ui, _state: &mut AppState, _cmds: &mut Vec<Command>) {
        widgets::coming_soon(ui, "Quiz", "practice quizzes and timed mock exams.");
    }
}
