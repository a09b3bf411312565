//! The Progress screen.

use crate::app::AppState;

use super::{Command, widgets};

#[derive(Default)]
pub struct ProgressScreen {}

impl ProgressScreen {
    pub fn ui(&mut self, ui: &mut egui::Ui, _state: &mut AppState, _cmds: &mut Vec<Command>) {
        widgets::coming_soon(ui, "Progress", "review statistics and forecasts.");
    }
}
