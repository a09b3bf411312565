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

/// The mini pack's five cards each answered Easy, which graduates them to review in days: the
/// day is done.
fn all_learned_easy(clock: Arc<FixedClock>) -> support::H {
    let mut h = harness(app(clock));
    h.run_steps(2);
    press(&mut h, Key::R);
    for _ in 0..5 {
        press(&mut h, Key::Space);
        press(&mut h, Key::Num4);
    }
    h
}

#[test]
fn done_for_today_says_when_the_next_card_is_due() {
    let clock = Arc::new(FixedClock::new("2026-11-26T10:00:00Z".parse().expect("ts")));
    let mut h = all_learned_easy(clock.clone());
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

/// The pack index of the card on screen, by its front text.
fn due_front(h: &support::H) -> String {
    let state = &h.state().state;
    let i = state.next_due_card().expect("a card is due").index;
    state.pack.cards[i].id.clone()
}

#[test]
fn bury_suspend_flag_and_info_are_stored_undoable_and_leave_the_schedule_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("progress.sqlite");
    let clock = Arc::new(FixedClock::new("2026-11-26T10:00:00Z".parse().expect("ts")));
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    let pack = Arc::new(
        coldstart::content::load_dir(&fixture)
            .expect("read fixture")
            .into_valid()
            .expect("valid"),
    );
    let open = |clock: Arc<FixedClock>| {
        let (store, _) = coldstart::store::Store::open(&path).expect("store");
        let mut state = AppState::new(pack.clone(), store, clock).expect("state");
        state.set_review_time_zone(jiff::tz::TimeZone::UTC);
        ColdstartApp::new(state)
    };
    let mut h = harness(open(clock.clone()));
    press(&mut h, Key::R);
    assert!(h.query_by_label("New 5").is_some());

    // B buries the card on screen: out of today's queue, the next card shows.
    let first = due_front(&h);
    press(&mut h, Key::B);
    assert!(h.query_by_label("New 4").is_some(), "buried, not counted");
    assert_ne!(due_front(&h), first);
    // U takes it back.
    press(&mut h, Key::U);
    assert!(h.query_by_label("New 5").is_some(), "unburied by undo");

    // Suspend by its button; F flags the next one; I shows its info.
    let suspended = due_front(&h);
    support::click(&mut h, "Suspend");
    assert!(h.query_by_label("New 4").is_some());
    let flagged = due_front(&h);
    press(&mut h, Key::F);
    assert!(h.query_by_label("⚑ flagged").is_some());
    press(&mut h, Key::I);
    assert!(h.query_by_label("Never answered: a new card.").is_some());
    assert!(h.query_by_label("Answers: 0").is_some());

    // Space shows the answer, and once shown means Good.
    press(&mut h, Key::Space);
    press(&mut h, Key::Space);
    let state = &h.state().state;
    let log = state.store.answers_for_card("mini", &flagged).expect("log");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].rating, Rating::Good);
    assert!(h.query_by_label_contains("1 done this session").is_some());
    drop(h);

    // Everything was on disk: after a restart the marks hold.
    let mut h = harness(open(clock.clone()));
    press(&mut h, Key::R);
    let i = |id: &str| pack.cards.iter().position(|c| c.id == id).expect("card");
    let state = &h.state().state;
    assert!(state.card_mark(i(&suspended)).suspended);
    assert!(state.card_mark(i(&flagged)).flagged);
    assert_eq!(
        state.card_mark(i(&first)).buried_until_ms,
        None,
        "the undone bury"
    );

    // A buried card is back the next study day.
    let buried = due_front(&h);
    press(&mut h, Key::B);
    assert!(
        h.state()
            .state
            .card_mark(i(&buried))
            .hidden(coldstart::clock::Clock::now(&*clock))
    );
    clock.advance(SignedDuration::from_hours(24));
    h.run_steps(2);
    assert!(
        !h.state()
            .state
            .card_mark(i(&buried))
            .hidden(coldstart::clock::Clock::now(&*clock))
    );

    // Done for the day: answer the rest, then study more and unsuspend.
    for _ in 0..20 {
        if h.state().state.next_due_card().is_none() {
            break;
        }
        press(&mut h, Key::Space);
        press(&mut h, Key::Num4);
    }
    assert!(h.query_by_label_contains("This session:").is_some());
    assert!(h.query_by_label("1 card(s) suspended.").is_some());
    support::click(&mut h, "Unsuspend all");
    assert!(!h.state().state.card_mark(i(&suspended)).suspended);
}

#[test]
fn a_learner_reports_a_problem_on_a_card() {
    let clock = Arc::new(FixedClock::new("2026-11-26T10:00:00Z".parse().expect("ts")));
    let mut h = harness(app(clock));
    press(&mut h, Key::R);
    let card = due_front(&h);
    support::click(&mut h, "Report a problem…");
    h.get_by_role(egui::accesskit::Role::MultilineTextInput)
        .click();
    h.run_steps(2);
    h.get_by_role(egui::accesskit::Role::MultilineTextInput)
        .type_text("The limit is 15 minutes, per the DG");
    h.run_steps(2);
    support::click(&mut h, "Send report");
    let reports = h
        .state()
        .state
        .store
        .problem_reports("mini")
        .expect("reports");
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].item_id, card);
    assert!(reports[0].note.contains("15 minutes"));
    assert!(
        h.query_by_label("Report a problem…").is_some(),
        "the form closed"
    );
}

/// "Study more" on the done page: review ahead shows cards due within the chosen days, soonest
/// first, and records their answers; a custom session studies one topic's cards whatever the
/// day's limits.
#[test]
fn study_more_reviews_ahead_and_studies_one_topic() {
    let clock = Arc::new(FixedClock::new("2026-11-26T10:00:00Z".parse().expect("ts")));
    let mut h = all_learned_easy(clock.clone());
    assert!(h.query_by_label("Done for today").is_some());
    assert!(
        h.query_by_label("none in that time").is_some(),
        "nothing due within a day"
    );

    // Half a day before the first card comes due, it can be reviewed early.
    let first_due = {
        let state = &h.state().state;
        state.review_queue().next_due().expect("scheduled")
    };
    clock.set(first_due - SignedDuration::from_hours(12));
    h.run_steps(2);
    assert!(h.query_by_label("Done for today").is_some());
    let ahead = h.state().state.cards_due_ahead(1);
    assert!(!ahead.is_empty());
    h.get_by_label_contains("early").click();
    h.run_steps(2);
    let shown = h
        .state()
        .state
        .next_due_card()
        .expect("a card to review")
        .index;
    assert_eq!(shown, ahead[0], "soonest due first");
    press(&mut h, Key::Space);
    press(&mut h, Key::Num3);
    assert_eq!(
        h.state().state.store.review_log_len("mini").expect("len"),
        6,
        "the early review is recorded"
    );

    // A custom session on one topic: its cards, even though none is due.
    while h.query_by_label("Done for today").is_none() {
        press(&mut h, Key::Space);
        press(&mut h, Key::Num3);
        assert!(
            h.state().state.store.review_log_len("mini").expect("len") < 20,
            "the early reviews end"
        );
    }
    h.get_by_value("Limits").click(); // the topic picker
    h.run_steps(2);
    h.get_by_label("Asynchronous invocation").click();
    h.run_steps(2);
    h.get_by_label("Study its 2 cards").click();
    h.run_steps(2);
    let state = &h.state().state;
    let card = state.next_due_card().expect("a topic card");
    assert_eq!(state.pack.cards[card.index].topic, "async");
}
