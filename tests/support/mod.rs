//! Setups shared by the integration tests: the packs, a fixed clock with its time zone, an app
//! state on them, and the 1280×800 kittest harness that runs each frame as eframe does (the
//! logic pass, then the drawing). Each test file uses what it needs.
#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;

use coldstart::app::AppState;
use coldstart::clock::FixedClock;
use coldstart::content::Pack;
use coldstart::ui::ColdstartApp;
use egui_kittest::Harness;

/// The time every test starts at.
pub const START: &str = "2026-11-26T10:00:00Z";

/// The small valid pack in `tests/fixtures/mini`.
pub fn mini_pack() -> Arc<Pack> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    Arc::new(
        coldstart::content::load_dir(&dir)
            .expect("read fixture")
            .into_valid()
            .expect("fixture is valid"),
    )
}

/// The built-in pack.
pub fn embedded_pack() -> Arc<Pack> {
    Arc::new(coldstart::content::embedded().expect("the embedded pack loads"))
}

/// A clock pinned at [`START`].
pub fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::new(START.parse().expect("timestamp")))
}

/// An in-memory state on `pack`, counting study days in UTC so the day turns at 04:00 UTC.
pub fn state_on(pack: Arc<Pack>, clock: Arc<FixedClock>) -> AppState {
    let mut state = AppState::in_memory(pack, clock).expect("state");
    state.set_review_time_zone(jiff::tz::TimeZone::UTC);
    state
}

/// An in-memory state on the mini pack.
pub fn mini_state(clock: Arc<FixedClock>) -> AppState {
    state_on(mini_pack(), clock)
}

/// The whole window, 1280×800, each frame run as eframe runs it.
pub fn harness(app: ColdstartApp) -> Harness<'static, ColdstartApp> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut ColdstartApp| app.frame(ui), app)
}

/// Presses `key` and lets the frames settle.
pub fn press(h: &mut Harness<'static, ColdstartApp>, key: egui::Key) {
    h.key_press(key);
    h.run_steps(3);
}

/// Clicks the widget labelled `label` and lets the frames settle.
pub fn click(h: &mut Harness<'static, ColdstartApp>, label: &str) {
    use egui_kittest::kittest::Queryable;
    h.get_by_label(label).click();
    h.run_steps(3);
}

/// The practice session being taken in `state`.
pub fn practice(state: &AppState) -> &coldstart::app::quiz::ActivePractice {
    state.quiz.practice.as_ref().expect("a practice session")
}

/// The mock exam being taken in `state`.
pub fn exam(state: &AppState) -> &coldstart::app::quiz::ActiveExam {
    state.quiz.exam.as_ref().expect("a mock exam")
}

/// Picks the choices of the practice question on screen whose correctness is `right` (for a
/// wrong answer, as many as the question asks for) and submits them.
pub fn answer_practice(state: &mut AppState, right: bool) {
    let item = practice(state)
        .session
        .current()
        .expect("a question")
        .0
        .clone();
    let places: Vec<usize> = item
        .shown_choices()
        .enumerate()
        .filter(|(_, (_, c))| c.correct == right)
        .map(|(place, _)| place)
        .take(if right { usize::MAX } else { item.needed() })
        .collect();
    for place in places {
        state.practice_toggle(place);
    }
    state.practice_submit();
}

/// The keys 1–9, which pick the choice shown in that place (the Quiz screen's own list).
#[allow(unused_imports)] // not every test binary drives the Quiz screen
pub use coldstart::ui::quiz::NUM_KEYS;

/// Shown places (0-based) of an item's right choices.
pub fn right_places(item: &coldstart::quiz::Item) -> Vec<usize> {
    item.shown_choices()
        .enumerate()
        .filter(|(_, (_, c))| c.correct)
        .map(|(p, _)| p)
        .collect()
}

/// The question on screen in the mock exam being taken.
pub fn current_exam_item(h: &Harness<'static, ColdstartApp>) -> coldstart::quiz::Item {
    let e = h.state().state.quiz.exam.as_ref().expect("in an exam");
    e.session.current().expect("a question").0.clone()
}

/// The harness every screen test drives.
pub type H = Harness<'static, ColdstartApp>;
