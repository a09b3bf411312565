//! Small widgets shared by several screens.

use egui::{RichText, Ui};

use super::theme;

/// A "coming soon" placeholder for a screen whose feature is not built yet. It says so plainly
/// and shows no made-up data.
pub fn coming_soon(ui: &mut Ui, title: &str, what: &str) {
    ui.add_space(theme::GAP);
    ui.label(theme::heading(title));
    ui.add_space(theme::GAP / 2.0);
    ui.label(RichText::new(format!("Coming soon: {what}")).color(theme::muted(ui.visuals())));
}

/// A framed card with a title, for dashboard tiles.
pub fn tile<R>(ui: &mut Ui, title: &str, add: impl FnOnce(&mut Ui) -> R) -> R {
    egui::Frame::group(ui.style())
        .inner_margin(theme::GAP)
        .show(ui, |ui| {
            ui.vertical(|ui| {
                ui.set_min_width(220.0);
                ui.label(RichText::new(title).color(theme::muted(ui.visuals())));
                add(ui)
            })
            .inner
        })
        .inner
}
