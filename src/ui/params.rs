//! The "Memory model" tile of the Progress screen: the FSRS parameters in use (the defaults or
//! ones fitted to the learner), when they were fitted, the held-out figures before and after the
//! newest fit with its decision, and "Return to defaults".

use egui::{RichText, Ui};

use crate::app::AppState;
use crate::srs::optimize::MIN_REVIEWS;

use super::{theme, widgets};

/// Draws the tile.
pub fn ui(ui: &mut Ui, state: &mut AppState) {
    widgets::tile(ui, "Memory model", |ui| {
        let muted = theme::secondary(ui.visuals());
        match state.parameters_in_use() {
            Some(p) => {
                ui.label(format!(
                    "Fitted to your reviews on {} ({} reviews of cards past their first day).",
                    p.made_at.strftime("%Y-%m-%d"),
                    p.reviews
                ));
            }
            None => {
                ui.label("FSRS-6's default parameters.");
            }
        }
        if state.fit_running() {
            ui.label("Fitting the model to your reviews…");
        }
        match state.last_fit() {
            None => {
                ui.label(
                    RichText::new(format!(
                        "coldstart fits the model to your own reviews once you have {MIN_REVIEWS} reviews of cards past their first day, and again after every 1,000 reviews or 30 days. New parameters are used only if they predict your newest reviews better."
                    ))
                    .color(muted),
                );
            }
            Some(last) => {
                if let (Some(before), Some(after)) = (last.before, last.after) {
                    egui::Grid::new("fit-figures")
                        .num_columns(3)
                        .spacing([theme::GAP, 4.0])
                        .show(ui, |ui| {
                            ui.label(
                                RichText::new(format!(
                                    "Newest fit, {}",
                                    last.made_at.strftime("%Y-%m-%d")
                                ))
                                .strong(),
                            );
                            ui.label(RichText::new("Log loss").strong());
                            ui.label(RichText::new("RMSE (bins)").strong());
                            ui.end_row();
                            ui.label("Parameters in use before");
                            ui.label(format!("{:.4}", before.log_loss));
                            ui.label(format!("{:.4}", before.rmse_bins));
                            ui.end_row();
                            ui.label("Fitted parameters");
                            ui.label(format!("{:.4}", after.log_loss));
                            ui.label(format!("{:.4}", after.rmse_bins));
                            ui.end_row();
                        });
                }
                let mut reason = last.reason.clone();
                if let Some(first) = reason.get(..1) {
                    reason.replace_range(..1, &first.to_uppercase());
                }
                ui.label(RichText::new(reason).color(muted));
            }
        }
        egui::CollapsingHeader::new("Parameters in use")
            .id_salt("params-in-use")
            .show(ui, |ui| {
                let list: Vec<String> = state
                    .parameters()
                    .iter()
                    .map(|w| format!("{w:.4}"))
                    .collect();
                ui.label(RichText::new(list.join(", ")).monospace());
            });
        if state.parameters_in_use().is_some() && ui.button("Return to defaults").clicked() {
            state.return_to_default_parameters();
        }
    });
}
