//! The walking skeleton's UI flow: navigate to Notes by keyboard and by click, open a topic,
//! see its heading, and find it marked read in the store.

use std::path::Path;
use std::sync::Arc;

use coldstart::app::AppState;
use coldstart::clock::FixedClock;
use coldstart::ui::{ColdstartApp, Screen};
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

fn harness(app: ColdstartApp) -> Harness<'static, ColdstartApp> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut ColdstartApp| app.show(ui), app)
}

#[test]
fn notes_open_by_keyboard_and_by_click_and_are_marked_read() {
    let mut h = harness(app());
    h.run();
    h.get_by_label("0 of 3").hover(); // dashboard: nothing read yet
    assert_eq!(h.state().screen, Screen::Dashboard);

    h.key_press(egui::Key::N);
    h.run();
    assert_eq!(h.state().screen, Screen::Notes);
    // The first note opens by itself.
    assert!(h.query_by_label("Lambda limits").is_some());

    h.query_all_by_label("Asynchronous invocation")
        .next()
        .expect("topic in the side list")
        .click();
    h.run();
    assert_eq!(h.query_all_by_label("Asynchronous invocation").count(), 2); // side list + heading
    assert!(h.query_by_label("Open the retry simulator").is_some());
    let state = &h.state().state;
    let read = state.store.notes_read("mini").expect("read store");
    assert!(
        read.contains("limits") && read.contains("async"),
        "{read:?}"
    );

    // Back to the dashboard by clicking, and the count moved.
    h.get_by_label("Dashboard").click();
    h.run();
    assert_eq!(h.state().screen, Screen::Dashboard);
    assert!(h.query_by_label("2 of 3").is_some());
}

#[test]
fn letters_typed_into_the_search_box_do_not_switch_screens() {
    let mut h = harness(app());
    h.query_all_by_label("Notes").next().expect("nav").click();
    h.run();
    h.get_by_role(egui::accesskit::Role::TextInput).click();
    h.run();
    h.get_by_role(egui::accesskit::Role::TextInput)
        .type_text("dq");
    h.run();
    assert_eq!(h.state().screen, Screen::Notes);
    assert!(h.query_by_label("0 matching sections").is_some());
}

#[test]
fn a_link_between_notes_opens_the_target_section() {
    let mut h = harness(app());
    h.query_all_by_label("Notes").next().expect("nav").click();
    h.run();
    h.get_by_label("asynchronous retries").click();
    h.run();
    assert_eq!(h.query_all_by_label("Asynchronous invocation").count(), 2); // side list + heading
    let state = &h.state().state;
    assert!(state.is_note_read("async"));
}
