//! The "Retention and its cost" tile of the Progress screen: the retention asked for with a warning
//! in Anki's bands, the retention achieved over the last 30 days beside it (a gap of more than
//! 5 points flagged), and "Help me choose": minutes per day and cards remembered at a few
//! retentions, plotted, with the one costing least per card remembered.

use egui::{RichText, Ui};
use egui_plot::{Legend, Line, Plot, PlotPoints, Points};

use crate::app::AppState;
use crate::srs::retention::{self, Band};

use super::{theme, widgets};

/// Draws the tile.
pub fn ui(ui: &mut Ui, state: &mut AppState) {
    let desired = state.reviews.settings().desired_retention;
    let achieved = state.review_stats().and_then(|s| s.retention);
    widgets::tile(ui, "Retention and its cost", |ui| {
        let v = ui.visuals().clone();
        ui.label(format!(
            "You asked for {:.0}% of cards recalled when they come due.",
            desired * 100.0
        ));
        if let Some(msg) = retention::band_message(desired) {
            let tone = match retention::band(desired) {
                Band::Strong => theme::wrong(&v),
                _ => theme::warning(&v),
            };
            ui.label(RichText::new(msg).color(tone));
        }
        match achieved {
            Some((share, n)) => {
                ui.label(format!(
                    "True retention, last 30 days: {:.0}% of {n} reviews (desired {:.0}%).",
                    share * 100.0,
                    desired * 100.0
                ));
                if let Some(points) = retention::gap(share, desired) {
                    let text = if points < 0.0 {
                        format!(
                            "That is {:.0} points below what you asked for: cards come back too late for you. Fitting the memory model to your reviews (above) usually closes the gap.",
                            -points
                        )
                    } else {
                        format!(
                            "That is {points:.0} points above what you asked for: you could review less often and still meet your target."
                        )
                    };
                    ui.label(RichText::new(text).color(theme::warning(&v)));
                }
            }
            None => {
                ui.label(
                    RichText::new(
                        "True retention: no reviews of learned cards in the last 30 days yet.",
                    )
                    .color(theme::secondary(&v)),
                );
            }
        }
        if state.retention_help_running() {
            ui.label("Simulating your next months of study at each retention…");
        } else if ui
            .button("Help me choose")
            .on_hover_text("Simulate your reviews at retentions from 75% to 97%")
            .clicked()
        {
            state.start_retention_help();
        }
        match state.retention_help() {
            None => {}
            Some(Err(e)) => {
                ui.label(RichText::new(format!("Could not simulate: {e}")).color(theme::wrong(&v)));
            }
            Some(Ok(choices)) => {
                let best = retention::recommend(choices);
                let minutes: PlotPoints = choices
                    .iter()
                    .map(|c| [c.retention * 100.0, c.minutes_per_day])
                    .collect();
                let marks: PlotPoints = choices
                    .iter()
                    .map(|c| [c.retention * 100.0, c.minutes_per_day])
                    .collect();
                let top = choices
                    .iter()
                    .map(|c| c.minutes_per_day)
                    .fold(0.0, f64::max);
                Plot::new("retention-cost")
                    .height(160.0)
                    .include_y(top * 1.15)
                    .allow_zoom(false)
                    .allow_drag(false)
                    .allow_scroll(false)
                    .include_y(0.0)
                    .legend(Legend::default().position(egui_plot::Corner::LeftTop))
                    .x_axis_label("desired retention (%)")
                    .y_axis_label("minutes per day")
                    .show(ui, |p| {
                        p.line(Line::new("Minutes per day", minutes).color(theme::accent(&v)));
                        p.points(Points::new("", marks).radius(3.0).color(theme::accent(&v)));
                    })
                    .response
                    .on_hover_text("Average minutes of review per day at each desired retention");
                let exam = choices.iter().any(|c| c.exam_recall.is_some());
                egui::Grid::new("retention-choices")
                    .num_columns(if exam { 5 } else { 4 })
                    .spacing([theme::GAP, 4.0])
                    .striped(true)
                    .show(ui, |ui| {
                        ui.label(RichText::new("Retention").strong());
                        ui.label(RichText::new("Minutes per day").strong());
                        ui.label(RichText::new("Cards remembered").strong());
                        ui.label(RichText::new("Seconds per card").strong());
                        if exam {
                            ui.label(RichText::new("Recall on exam day").strong());
                        }
                        ui.end_row();
                        for c in choices {
                            let mut r = RichText::new(format!("{:.0}%", c.retention * 100.0));
                            if Some(c.retention) == best {
                                r = r.strong().color(theme::correct(&v));
                            }
                            ui.label(r);
                            ui.label(format!("{:.1}", c.minutes_per_day));
                            ui.label(format!("{:.0}", c.remembered));
                            ui.label(format!("{:.0}", c.seconds_per_card));
                            if exam {
                                ui.label(
                                    c.exam_recall
                                        .map(|x| format!("{:.0}%", x * 100.0))
                                        .unwrap_or_default(),
                                );
                            }
                            ui.end_row();
                        }
                    });
                if let Some(b) = best {
                    ui.label(format!(
                        "Recommended: {:.0}%, the least study per card remembered between 80% and 95%. Change it in the settings above.",
                        b * 100.0
                    ));
                }
            }
        }
    });
}
