//! `coldstart stats` and `coldstart export`, in-process on a store with real answers.

mod support;

use std::path::Path;
use std::sync::Arc;

use coldstart::app::AppState;
use coldstart::cli::export::{self, What};
use coldstart::clock::FixedClock;
use coldstart::quiz::PracticeConfig;
use coldstart::srs::Rating;
use coldstart::store::Store;
use jiff::SignedDuration;

fn state(store: Store, clock: Arc<FixedClock>) -> AppState {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    let pack = coldstart::content::load_dir(&dir)
        .expect("read fixture")
        .into_valid()
        .expect("fixture is valid");
    let mut state = AppState::new(Arc::new(pack), store, clock).expect("state");
    state.set_review_time_zone(jiff::tz::TimeZone::UTC);
    state
}

/// Two flashcard answers and one practice answer.
fn studied() -> AppState {
    let clock = Arc::new(FixedClock::new("2026-11-26T10:00:00Z".parse().expect("ts")));
    let mut state = state(Store::open_in_memory().expect("store"), clock.clone());
    for rating in [Rating::Good, Rating::Easy] {
        let card = state.next_due_card().expect("card");
        state
            .answer_card(card.index, rating, SignedDuration::from_secs(4))
            .expect("answer");
        clock.advance(SignedDuration::from_secs(30));
    }
    assert!(
        state.start_practice(PracticeConfig {
            topics: vec!["limits".to_owned()],
            count: 1,
            ..Default::default()
        }),
        "starts"
    );
    support::answer_practice(&mut state, true);
    state
}

#[test]
fn stats_show_what_was_studied() {
    let mut state = studied();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    assert_eq!(
        coldstart::cli::stats::run(&mut state, false, &mut out, &mut err),
        0
    );
    let text = String::from_utf8(out).expect("utf-8");
    assert!(text.starts_with("mini 1.0.0: 0 of 3 notes read"), "{text}");
    assert!(text.contains("Streak: 1 day(s), studied today"), "{text}");
    assert!(text.contains("1 of 1 right, 1 of 2 tried"), "{text}");

    let (mut out, mut err) = (Vec::new(), Vec::new());
    assert_eq!(
        coldstart::cli::stats::run(&mut state, true, &mut out, &mut err),
        0
    );
    let json: serde_json::Value = serde_json::from_slice(&out).expect("json");
    assert_eq!(json["streak"]["days"], 1);
    assert_eq!(json["cards"]["not_seen"], 3);
    let limits = &json["topics"][0];
    assert_eq!(limits["id"], "limits");
    assert_eq!(limits["cards_seen"], 2);
    assert_eq!(limits["questions_right"], 1);
}

#[test]
fn export_writes_every_answer_as_csv() {
    let state = studied();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    assert_eq!(
        export::run(&state.store, "mini", What::Reviews, &mut out, &mut err),
        0
    );
    let text = String::from_utf8(out).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "header and two answers:\n{text}");
    assert!(lines[0].starts_with("card_id,review_time,review_time_ms,rating,"));
    assert!(
        lines[1].starts_with("limits-memory-range,2026-11-26T10:00:00Z,"),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains(",3,Good,,new,learning,"), "{}", lines[1]);
    assert!(lines[2].contains(",4,Easy,,new,review,"), "{}", lines[2]);

    let (mut out, mut err) = (Vec::new(), Vec::new());
    assert_eq!(
        export::run(&state.store, "mini", What::Quiz, &mut out, &mut err),
        0
    );
    let text = String::from_utf8(out).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[1].starts_with("1,practice,0,"), "{}", lines[1]);
    assert!(lines[1].contains(",limits,"), "{}", lines[1]);
    assert!(lines[1].contains(",true,false,"), "{}", lines[1]);
}
