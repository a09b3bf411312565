//! The learner's standing: the study streak on the dashboard and mastery per topic on the
//! Progress screen, driven through the real screens and the store.

mod support;

use std::sync::Arc;

use coldstart::clock::FixedClock;
use coldstart::quiz::PracticeConfig;
use coldstart::ui::{ColdstartApp, Screen};
use egui::Key;
use egui_kittest::kittest::{NodeT, Queryable};
use jiff::SignedDuration;
use support::{harness, press};

use support::mini_state as state;

#[test]
fn a_review_starts_a_streak_that_lasts_until_a_day_is_missed() {
    let clock = Arc::new(FixedClock::new("2026-11-26T10:00:00Z".parse().expect("ts")));
    let mut h = harness(ColdstartApp::new(state(clock.clone())));
    h.run_steps(2);
    assert!(h.query_by_label("0 days").is_some(), "no streak yet");
    assert!(h.query_by_label_contains("to start one").is_some());
    assert!(h.query_by_label("Work on next").is_some());
    assert!(h.query_by_label("Drill it").is_none(), "no topic started");

    // Learn the first card (Limits): reveal, Good.
    press(&mut h, Key::R);
    press(&mut h, Key::Space);
    press(&mut h, Key::Num3);
    press(&mut h, Key::D);
    assert_eq!(h.state().screen, Screen::Dashboard);
    assert!(h.query_by_label("1 day").is_some(), "streak of one");
    assert!(h.query_by_label("Studied today.").is_some());
    assert!(
        h.query_by_label_contains("Studied on 1 of the last 30 days")
            .is_some()
    );
    assert!(
        h.query_by_label("Drill it").is_none(),
        "a topic at 100 % is never the weakest"
    );

    // The next day, before studying: the streak still stands, with a nudge.
    clock.advance(SignedDuration::from_hours(24));
    h.run_steps(2);
    assert!(h.query_by_label("1 day").is_some());
    assert!(h.query_by_label_contains("today to keep it").is_some());

    // A whole day missed: it is gone, but the 30-day count remembers.
    clock.advance(SignedDuration::from_hours(24));
    h.run_steps(2);
    assert!(h.query_by_label("0 days").is_some(), "streak broken");
    assert!(
        h.query_by_label_contains("Studied on 1 of the last 30 days")
            .is_some()
    );

    // Progress lists every topic; the one studied shows its card seen, and opens its note.
    press(&mut h, Key::P);
    assert!(h.query_by_label("Topics").is_some());
    assert!(
        h.query_by_label("1 of 2").is_some(),
        "Limits: one of two cards seen"
    );
    assert_eq!(
        h.query_all_by_label_contains("none of").count(),
        3,
        "no quiz answers in any topic"
    );
    // The settings say which of them belong to this pack.
    assert!(
        h.query_by_label_contains("belong to this pack (Mini pack)")
            .is_some()
    );
    h.get_by_label("Asynchronous invocation").click();
    h.run_steps(3);
    assert_eq!(h.state().screen, Screen::Notes);
}

#[test]
fn quiz_answers_count_as_study_and_show_per_topic() {
    let clock = Arc::new(FixedClock::new("2026-11-26T10:00:00Z".parse().expect("ts")));
    let mut state = state(clock.clone());
    assert!(!state.standing().expect("standing").streak.studied_today);

    // One practice question on async, answered with every correct choice.
    assert!(
        state.start_practice(PracticeConfig {
            topics: vec!["async".to_owned()],
            count: 1,
            ..Default::default()
        }),
        "starts"
    );
    support::answer_practice(&mut state, true);

    let standing = state.standing().expect("standing");
    assert!(standing.streak.studied_today, "a quiz answer is study");
    assert_eq!(standing.streak.current, 1);
    let async_topic = standing
        .topics
        .iter()
        .find(|t| t.topic == "async")
        .expect("async topic");
    assert_eq!(
        (async_topic.questions_answered, async_topic.questions_right),
        (1, 1)
    );
    assert_eq!(async_topic.cards_seen, 0);
    assert_eq!(async_topic.recall, 0.0, "no card learned yet");
    assert!(
        standing.weakest().is_none(),
        "all right so far: no topic at 100 % is the weakest"
    );

    // A wrong answer on concurrency makes it the weakest, though async has no card learned.
    assert!(
        state.start_practice(PracticeConfig {
            topics: vec!["concurrency".to_owned()],
            count: 1,
            ..Default::default()
        }),
        "starts"
    );
    support::answer_practice(&mut state, false);
    let standing = state.standing().expect("standing");
    assert_eq!(standing.weakest().expect("started").topic, "concurrency");
}

/// The exam date is picked on a calendar: next month, a day, saved; days already past cannot
/// be picked.
#[test]
fn the_exam_date_is_picked_on_a_calendar() {
    let clock = Arc::new(FixedClock::new("2026-11-26T10:00:00Z".parse().expect("ts")));
    let mut h = harness(ColdstartApp::new(state(clock)));
    h.run_steps(2);
    press(&mut h, Key::P);
    h.get_by_label("I have an exam on").click_accesskit();
    h.run_steps(2);
    h.get_by_label("Pick…").click_accesskit();
    h.run_steps(2);
    assert!(h.query_by_label("Mo").is_some(), "a calendar");
    assert!(
        h.query_by_label("November 2026").is_some(),
        "opens on this month"
    );
    assert!(
        h.get_by_role_and_label(egui::accesskit::Role::Button, "25")
            .accesskit_node()
            .is_disabled(),
        "a day already past cannot be picked"
    );
    h.get_by_label("›").click_accesskit();
    h.run_steps(2);
    assert!(h.query_by_label("December 2026").is_some());
    h.get_by_role_and_label(egui::accesskit::Role::Button, "20")
        .click_accesskit();
    h.run_steps(2);
    assert!(
        h.query_by_label("December 2026").is_none(),
        "the calendar closes"
    );
    assert!(
        h.query_all_by_value("2026-12-20").next().is_some(),
        "the date field holds the day picked"
    );
    h.get_by_label("Save settings").click_accesskit();
    h.run_steps(2);
    let exam = h
        .state()
        .state
        .reviews
        .settings()
        .exam
        .expect("an exam date");
    assert_eq!(exam.date, jiff::civil::date(2026, 12, 20));
}
