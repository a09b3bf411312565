//! The Review screen.

use crate::app::AppState;

use super::{Command, widgets};

#[derive(Default)]
pub struct ReviewScreen {}

impl ReviewScreen {
    pub fn ui(&mut self, ui: &mut egui::Ui, _state: &mut AppState, _cmds: &mut Vec<Command>) {
        widgets::coming_soon(
            ui,
            "Review",
            "spaced-repetition review of the pack's flashcards.",
        );
    }
}
