//! Backups on the Progress screen (date, size, answers held, Restore…) and the banner that offers
//! the newest good backup after the progress file was found damaged.

use std::path::PathBuf;

use egui::{RichText, Ui};

use crate::app::AppState;
use crate::app::backup::human_size;

use super::{theme, widgets};

/// View state: the backup whose Restore is waiting for a confirmation.
#[derive(Default)]
pub struct BackupsView {
    confirm: Option<PathBuf>,
}

impl BackupsView {
    /// The "Backups" tile of the Progress screen.
    pub fn ui(&mut self, ui: &mut Ui, state: &mut AppState) {
        let Some(dir) = state.backup_dir() else {
            return;
        };
        widgets::tile(ui, "Backups", |ui| {
            ui.label(
                RichText::new(format!(
                    "A copy of your progress is made once a day when coldstart starts, in {} (the last 7 days and 4 weeks before them are kept).",
                    dir.display()
                ))
                .color(theme::secondary(ui.visuals())),
            );
            if state.backup_running() {
                ui.label("Making today's backup…");
            }
            let list = state.backups().to_vec();
            if list.is_empty() && !state.backup_running() {
                ui.label("No backups yet.");
                return;
            }
            let mut restore = None;
            egui::Grid::new("backups")
                .num_columns(4)
                .spacing([theme::GAP, 4.0])
                .striped(true)
                .show(ui, |ui| {
                    ui.label(RichText::new("Date").strong());
                    ui.label(RichText::new("Size").strong());
                    ui.label(RichText::new("Flashcard answers").strong());
                    ui.label("");
                    ui.end_row();
                    for b in &list {
                        ui.label(b.date.to_string());
                        ui.label(human_size(b.size));
                        ui.label(match b.reviews {
                            Some(n) => n.to_string(),
                            None => "unreadable".to_owned(),
                        });
                        if self.confirm.as_ref() == Some(&b.path) {
                            ui.horizontal(|ui| {
                                if ui
                                    .button(format!("Replace my progress with {}", b.date))
                                    .clicked()
                                {
                                    restore = Some(b.path.clone());
                                }
                                if ui.button("Cancel").clicked() {
                                    self.confirm = None;
                                }
                            });
                        } else if ui.button("Restore…").clicked() {
                            self.confirm = Some(b.path.clone());
                        }
                        ui.end_row();
                    }
                });
            if self.confirm.is_some() {
                ui.label(
                    RichText::new(
                        "Restoring keeps your current progress file aside (its name is shown afterwards), so nothing is lost.",
                    )
                    .color(theme::warning(ui.visuals())),
                );
            }
            if let Some(path) = restore {
                self.confirm = None;
                state.restore_backup(&path);
            }
        });
    }
}

/// After the progress file was found damaged: a banner offering the newest good backup. Draws
/// nothing when there is none.
pub fn offer_banner(ui: &mut Ui, state: &mut AppState) {
    let Some(offer) = state.backup_offer().cloned() else {
        return;
    };
    let tone = theme::warning(ui.visuals());
    egui::Frame::new()
        .fill(theme::banner_fill(ui.visuals(), tone))
        .inner_margin(6.0)
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                let held = offer
                    .reviews
                    .map(|n| format!(", {n} flashcard answers"))
                    .unwrap_or_default();
                ui.label(
                    RichText::new(format!(
                        "A backup of your progress from {} ({}{held}) is good.",
                        offer.date,
                        human_size(offer.size)
                    ))
                    .color(tone),
                );
                if ui.button("Restore this backup").clicked() {
                    state.restore_backup(&offer.path);
                }
                if ui.small_button("Dismiss").clicked() {
                    state.dismiss_backup_offer();
                }
            });
        });
}
