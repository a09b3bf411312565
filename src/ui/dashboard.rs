//! The dashboard: what there is to do today, at a glance.

use egui::RichText;

use crate::app::AppState;

use super::{Command, Screen, theme, widgets};

#[derive(Default)]
pub struct DashboardScreen {}

impl DashboardScreen {
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &mut AppState, cmds: &mut Vec<Command>) {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.add_space(theme::GAP);
            ui.label(theme::heading(&state.pack.meta.title));
            ui.label(
                RichText::new(state.pack.meta.description.trim()).color(theme::muted(ui.visuals())),
            );
            ui.add_space(theme::GAP);

            ui.horizontal_wrapped(|ui| {
                let (read, total) = state.notes_read_count();
                widgets::tile(ui, "Reading", |ui| {
                    ui.label(theme::big_number(format!("{read} of {total}")));
                    ui.label("notes read");
                    let next = state
                        .pack
                        .notes
                        .iter()
                        .find(|n| !state.is_note_read(&n.topic));
                    match next {
                        Some(note) if ui.button(format!("Read next: {}", note.title)).clicked() => {
                            cmds.push(Command::OpenSection(crate::content::SectionRef {
                                topic: note.topic.clone(),
                                anchor: String::new(),
                            }));
                        }
                        Some(_) => {}
                        None if total > 0 => {
                            ui.label(
                                RichText::new("Every note read.")
                                    .color(theme::correct(ui.visuals())),
                            );
                        }
                        None => {}
                    }
                });
                let pack = &state.pack;
                widgets::tile(ui, "In this pack", |ui| {
                    ui.label(theme::big_number(pack.topics.len().to_string()));
                    ui.label(format!(
                        "topics · {} cards · {} questions",
                        pack.cards.len(),
                        pack.questions.len()
                    ));
                    if ui.button("Browse notes").clicked() {
                        cmds.push(Command::Go(Screen::Notes));
                    }
                });
            });
        });
    }
}
