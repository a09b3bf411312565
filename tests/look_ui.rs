//! The look settings on the Progress screen: theme and interface scale, as a learner sets them.

use std::path::Path;
use std::sync::Arc;

use coldstart::app::AppState;
use coldstart::clock::FixedClock;
use coldstart::ui::ColdstartApp;
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn app() -> ColdstartApp {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    let pack = coldstart::content::load_dir(&dir)
        .expect("read fixture")
        .into_valid()
        .expect("fixture is valid");
    let clock = Arc::new(FixedClock::new("2026-11-26T10:00:00Z".parse().expect("ts")));
    ColdstartApp::new(AppState::in_memory(Arc::new(pack), clock).expect("state"))
}

#[test]
fn the_learner_picks_a_theme_and_an_interface_scale() {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            |ui, app: &mut ColdstartApp| {
                coldstart::ui::theme::install(ui.ctx());
                app.show(ui)
            },
            app(),
        );
    h.run_steps(2);
    h.key_press(Key::P);
    h.run_steps(3);

    // The look settings sit at the bottom of the Progress screen.
    h.get_by_label("Light").scroll_to_me();
    h.run_steps(3);
    h.get_by_label("Light").click();
    h.run_steps(3);
    assert_eq!(
        h.ctx.options(|o| o.theme_preference),
        egui::ThemePreference::Light
    );
    assert!(
        !h.ctx.global_style().visuals.dark_mode,
        "light visuals in use"
    );

    h.get_by_label("Dark").click();
    h.run_steps(3);
    assert!(
        h.ctx.global_style().visuals.dark_mode,
        "dark visuals in use"
    );
    // The app's own dark look, with text brighter than egui's default.
    assert_eq!(
        h.ctx.global_style().visuals.text_color(),
        coldstart::ui::theme::visuals(egui::Theme::Dark).text_color()
    );

    assert!(h.query_by_label("Interface scale").is_some());
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Plus);
    h.run_steps(3);
    assert!(h.ctx.zoom_factor() > 1.0, "Ctrl + zooms in");
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Num0);
    h.run_steps(3);
    assert_eq!(h.ctx.zoom_factor(), 1.0, "Ctrl 0 resets");
}
