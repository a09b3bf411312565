//! The "egui floor": the smallest eframe window with coldstart's eframe features (this crate's
//! own `eframe` dependency), one label in a 1280×800 window titled "egui floor". coldstart's
//! window time is compared with this one's (README, "Start-up time").
//!
//! `cargo build --release --example egui_floor`, then `./target/release/examples/egui_floor`.

fn main() -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("egui floor")
            .with_inner_size([1280.0, 800.0]),
        ..Default::default()
    };
    eframe::run_ui_native("egui floor", options, |ui, _frame| {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.label("egui floor");
        });
    })
}
