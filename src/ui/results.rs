//! The "Export my results" tile of the Progress screen: the learner's name (asked once) and a
//! button that writes their quiz answers for the instructor (`app::results`).

use egui::{RichText, Ui};

use crate::app::AppState;

use super::{theme, widgets};

/// View state: the name being typed and what the last export said.
#[derive(Default)]
pub struct ResultsView {
    name: String,
    said: Option<(bool, String)>,
}

impl ResultsView {
    /// Draws the tile.
    pub fn ui(&mut self, ui: &mut Ui, state: &mut AppState) {
        widgets::tile(ui, "Export my results", |ui| {
            let Some(dir) = state.results_dir() else {
                ui.label("Progress is not being saved, so there are no results to export.");
                return;
            };
            ui.label(
                "Your quiz answers as a CSV file for your instructor, with your name, the pack \
                 and the text of each choice you picked.",
            );
            let known = state.learner_name();
            match &known {
                Some(name) => {
                    ui.label(format!("Name on the file: {name}"));
                }
                None => {
                    ui.horizontal(|ui| {
                        ui.label("Your name");
                        ui.text_edit_singleline(&mut self.name);
                        if ui.button("Save name").clicked() && !state.set_learner_name(&self.name) {
                            self.said = Some((false, "Type your name first.".to_owned()));
                        }
                    });
                }
            }
            if ui
                .add_enabled(known.is_some(), egui::Button::new("Export my results"))
                .clicked()
            {
                self.said = Some(match state.export_results(&dir) {
                    Ok(path) => (true, format!("Written to {}", path.display())),
                    Err(e) => (false, e),
                });
            }
            if let Some((ok, text)) = &self.said {
                let tone = if *ok {
                    theme::correct(ui.visuals())
                } else {
                    theme::wrong(ui.visuals())
                };
                ui.label(RichText::new(text).color(tone));
            }
        });
    }
}
