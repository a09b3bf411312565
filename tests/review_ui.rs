//! Reviewing by keyboard only: reveal, answer each rating, undo — and the store agrees.

mod support;

use std::path::Path;
use std::sync::Arc;

use coldstart::app::AppState;
use coldstart::clock::FixedClock;
use coldstart::srs::{Rating, State};
use coldstart::ui::{ColdstartApp, Screen};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use jiff::SignedDuration;
use support::{harness, press};

fn app(clock: Arc<FixedClock>) -> ColdstartApp {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    let pack = coldstart::content::load_dir(&dir)
        .expect("read fixture")
        .into_valid()
        .expect("fixture is valid");
    let mut state = AppState::in_memory(Arc::new(pack), clock).expect("state");
    state.set_review_time_zone(jiff::tz::TimeZone::UTC);
    ColdstartApp::new(state)
}

#[test]
fn review_by_keyboard_answers_every_rating_and_undoes() {
    let clock = Arc::new(FixedClock::new("2026-11-26T10:00:00Z".parse().expect("ts")));
    let mut h = harness(app(clock.clone()));
    h.run_steps(2);
    // The dashboard shows today's flashcards.
    assert!(h.query_by_label("New 5").is_some(), "dashboard counts");

    press(&mut h, Key::R);
    assert_eq!(h.state().screen, Screen::Review);
    assert!(h.query_by_label_contains("What memory range").is_some());
    assert!(h.query_by_label_contains("128 MB").is_none(), "back hidden");

    let fronts = [
        (
            "limits-memory-range",
            "128 MB",
            Rating::Again,
            Key::Num1,
            Key::Space,
        ),
        (
            "limits-timeout-max",
            "900 seconds",
            Rating::Hard,
            Key::Num2,
            Key::Enter,
        ),
        (
            "async-retries-default",
            "Twice",
            Rating::Good,
            Key::Num3,
            Key::Space,
        ),
        (
            "async-max-age",
            "60 seconds to 6 hours",
            Rating::Easy,
            Key::Num4,
            Key::Enter,
        ),
    ];
    for (id, back, rating, answer_key, reveal_key) in fronts {
        press(&mut h, reveal_key);
        assert!(
            h.query_by_label_contains(back).is_some(),
            "{id}: back shown"
        );
        // The buttons show what each answer would do.
        assert!(h.query_by_label_contains("Again · ").is_some());
        clock.advance(SignedDuration::from_secs(7));
        press(&mut h, answer_key);
        let log = h
            .state()
            .state
            .store
            .answers_for_card("mini", id)
            .expect("read log");
        assert_eq!(log.len(), 1, "{id}: one log row");
        assert_eq!(log[0].rating, rating);
        assert_eq!(log[0].state_before, State::New);
        assert_eq!(log[0].duration_ms, 7000, "time on the card is recorded");
        assert!(
            h.query_by_label_contains(back).is_none(),
            "next card hidden"
        );
    }
    let states = h.state().state.store.card_states("mini").expect("states");
    assert_eq!(states["limits-memory-range"].state, State::Learning);
    assert_eq!(
        states["async-max-age"].state,
        State::Review,
        "Easy graduates"
    );

    // Undo twice (U, then Ctrl+Z): the Easy and Good answers are gone, the Good card is back.
    press(&mut h, Key::U);
    assert!(
        h.query_by_label_contains("What range can").is_some(),
        "Easy card shown again"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("How many times does Lambda retry")
            .is_some()
    );
    let store = &h.state().state.store;
    assert!(
        store
            .answers_for_card("mini", "async-max-age")
            .expect("log")
            .is_empty()
    );
    assert!(
        store
            .answers_for_card("mini", "async-retries-default")
            .expect("log")
            .is_empty()
    );
    assert!(
        !store
            .has_card_state("mini", "async-max-age")
            .expect("state")
    );
    assert_eq!(store.review_log_len("mini").expect("len"), 2);

    // Answer it again with Good: the log grows again, nothing is duplicated.
    press(&mut h, Key::Space);
    press(&mut h, Key::Num3);
    let store = &h.state().state.store;
    assert_eq!(
        store
            .answers_for_card("mini", "async-retries-default")
            .expect("log")
            .len(),
        1
    );
    assert_eq!(store.review_log_len("mini").expect("len"), 3);

    // The card links to the note section it came from.
    h.get_by_label_contains("Source: ").click();
    h.run_steps(3);
    assert_eq!(h.state().screen, Screen::Notes);
}

#[test]
fn done_for_today_says_when_the_next_card_is_due() {
    let clock = Arc::new(FixedClock::new("2026-11-26T10:00:00Z".parse().expect("ts")));
    let mut h = harness(app(clock.clone()));
    h.run_steps(2);
    press(&mut h, Key::R);
    // Easy on every card graduates it to review in days.
    for _ in 0..5 {
        press(&mut h, Key::Space);
        press(&mut h, Key::Num4);
    }
    assert!(h.query_by_label("Done for today").is_some());
    assert!(
        h.query_by_label_contains("The next card is due on")
            .is_some()
    );
    assert_eq!(
        h.state().state.store.review_log_len("mini").expect("len"),
        5
    );
    // The settings are one click away.
    h.get_by_label("Review settings and exam date…").click();
    h.run_steps(3);
    assert_eq!(h.state().screen, Screen::Progress);
    assert!(h.query_by_label("Desired retention").is_some());
}

#[test]
fn a_settings_change_reaches_the_card_on_screen() {
    let clock = Arc::new(FixedClock::new("2026-11-26T10:00:00Z".parse().expect("ts")));
    let mut h = harness(app(clock));
    h.run_steps(2);
    press(&mut h, Key::R);
    press(&mut h, Key::Space);
    assert!(
        h.query_by_label("Again · 1m").is_some(),
        "default first step"
    );

    // Longer learning steps: the buttons of the card on screen follow at once.
    let mut s = h.state().state.reviews.settings().clone();
    s.learning_steps = vec![300, 1800];
    h.state_mut().state.set_srs_settings(s).expect("settings");
    h.run_steps(2);
    assert!(h.query_by_label("Again · 5m").is_some(), "new first step");

    // No new cards today: the new card on screen leaves.
    let mut s = h.state().state.reviews.settings().clone();
    s.new_per_day = 0;
    h.state_mut().state.set_srs_settings(s).expect("settings");
    h.run_steps(2);
    assert!(h.query_by_label("Done for today").is_some());
}

#[test]
fn a_link_to_a_note_in_a_card_opens_it_in_the_app() {
    let clock = Arc::new(FixedClock::new("2026-11-26T10:00:00Z".parse().expect("ts")));
    let mut h = harness(app(clock));
    h.run_steps(2);
    press(&mut h, Key::R);
    press(&mut h, Key::Space);
    press(&mut h, Key::Num3); // the memory card; next is the timeout card
    press(&mut h, Key::Space);
    h.get_by_label("the timeout section").click();
    h.run_steps(3);
    assert_eq!(h.state().screen, Screen::Notes);
    assert!(
        h.query_by_label("Lambda limits").is_some(),
        "the limits note is open"
    );
}
