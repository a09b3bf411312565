//! The Simulators screen.

use crate::app::AppState;

use super::{Command, widgets};

#[derive(Default)]
pub struct SimulatorsScreen {}

impl SimulatorsScreen {
    /// Opens the named simulator (from a note or a question).
    pub fn open(&mut self, _name: &str) {}
}

impl SimulatorsScreen {
    pub fn ui(&mut self, ui: &mut egui::Ui, _state: &mut AppState, _cmds: &mut Vec<Command>) {
        widgets::coming_soon(
            ui,
            "Simulators",
            "interactive simulators of retries, traffic shifting, concurrency and event source mappings.",
        );
    }
}
