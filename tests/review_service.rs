//! The review service on a real store: settings persist and apply at once, daily limits reset
//! with the study day, exam-date mode paces and caps, and cards removed from the pack keep their
//! history but leave the queue.

use std::path::Path;
use std::sync::Arc;

use coldstart::app::AppState;
use coldstart::clock::FixedClock;
use coldstart::content::Pack;
use coldstart::format::interval as format_interval;
use coldstart::srs::Rating;
use coldstart::srs::settings::ExamSettings;
use coldstart::store::Store;
use jiff::SignedDuration;

fn pack() -> Pack {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    coldstart::content::load_dir(&dir)
        .expect("read fixture")
        .into_valid()
        .expect("fixture is valid")
}

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::new("2026-11-26T10:00:00Z".parse().expect("ts")))
}

fn state_on(store: Store, clock: Arc<FixedClock>) -> AppState {
    let mut s = AppState::new(Arc::new(pack()), store, clock).expect("state");
    s.set_review_time_zone(jiff::tz::TimeZone::UTC);
    s
}

#[test]
fn settings_persist_and_apply_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = clock();
    {
        let (store, _) = Store::open_in_dir(dir.path()).expect("store");
        let mut state = state_on(store, clock.clone());
        assert_eq!(state.due_counts().new, 5);
        let mut s = state.reviews.settings().clone();
        s.new_per_day = 2;
        s.learning_steps = vec![120];
        s.desired_retention = 0.95;
        state.set_srs_settings(s).expect("save settings");
        assert_eq!(state.due_counts().new, 2, "the limit applies at once");
        let card = state.next_due_card().expect("a card");
        assert_eq!(format_interval(card.previews[0].interval), "2m");
    }
    let (store, _) = Store::open_in_dir(dir.path()).expect("reopen");
    let state = state_on(store, clock);
    let s = state.reviews.settings();
    assert_eq!((s.new_per_day, s.learning_steps.clone()), (2, vec![120]));
    assert!((s.desired_retention - 0.95).abs() < 1e-9);
}

#[test]
fn daily_new_limit_resets_with_the_study_day() {
    let clock = clock();
    let mut state = state_on(Store::open_in_memory().expect("store"), clock.clone());
    let mut s = state.reviews.settings().clone();
    s.new_per_day = 2;
    state.set_srs_settings(s).expect("settings");
    for _ in 0..2 {
        let c = state.next_due_card().expect("card");
        state
            .answer_card(c.index, Rating::Easy, SignedDuration::from_secs(3))
            .expect("answer");
    }
    assert_eq!(state.due_counts().new, 0, "limit reached");
    assert!(state.next_due_card().is_none());
    assert_eq!(
        state.review_queue().next_due(),
        Some("2026-11-27T04:00:00Z".parse().expect("ts")),
        "the next new cards come at the start of tomorrow's study day"
    );
    // 4 am the next morning is a new study day.
    clock.set("2026-11-27T04:30:00Z".parse().expect("ts"));
    assert_eq!(state.due_counts().new, 2);
}

#[test]
fn exam_mode_paces_new_cards_caps_intervals_and_predicts_recall() {
    let clock = clock();
    let mut state = state_on(Store::open_in_memory().expect("store"), clock.clone());
    assert!(
        state.exam_readiness().is_none(),
        "plain FSRS without a date"
    );
    let easy_before = state.next_due_card().expect("card").previews[3].interval;

    let mut s = state.reviews.settings().clone();
    s.exam = Some(ExamSettings {
        date: jiff::civil::date(2026, 12, 2),
        buffer_days: 3,
    });
    state.set_srs_settings(s).expect("settings");
    // Deadline 29 Nov: 26, 27, 28, 29 are four study days for five cards.
    assert_eq!(state.due_counts().new, 2);
    let card = state.next_due_card().expect("card");
    let easy = card.previews[3].interval;
    assert!(easy < easy_before, "{easy:?} vs {easy_before:?}");
    // Six days to the exam: the next review lands on the day before at the latest.
    assert_eq!(easy, SignedDuration::from_hours(24 * 5));

    let (stop, plan) = state.exam_readiness().expect("readiness");
    assert_eq!(stop.if_stopped, 0.0, "nothing learned yet");
    assert!(plan.at_pace > 0.5, "{plan:?}");
    state
        .answer_card(card.index, Rating::Good, SignedDuration::from_secs(3))
        .expect("answer");
    let (after, _) = state.exam_readiness().expect("readiness");
    assert!(after.if_stopped > 0.0);
    assert_eq!(after.pace, 1, "today's pace: one new card so far");
}

#[test]
fn removed_cards_keep_history_but_leave_the_queue() {
    let clock = clock();
    let mut state = state_on(Store::open_in_memory().expect("store"), clock.clone());
    let first = state.next_due_card().expect("card");
    let id = state.pack.cards[first.index].id.clone();
    state
        .answer_card(first.index, Rating::Again, SignedDuration::from_secs(3))
        .expect("answer");
    clock.advance(SignedDuration::from_mins(2));
    assert_eq!(state.due_counts().learning, 1);

    let mut smaller = pack();
    smaller.cards.retain(|c| c.id != id);
    state.replace_pack(Arc::new(smaller));
    let counts = state.due_counts();
    assert_eq!((counts.new, counts.learning), (4, 0));
    assert_eq!(
        state
            .store
            .answers_for_card("mini", &id)
            .expect("log")
            .len(),
        1
    );

    // Back in the pack, it picks up where it left off.
    state.replace_pack(Arc::new(pack()));
    assert_eq!(state.due_counts().learning, 1);
}

#[test]
fn undo_restores_the_card_and_removes_the_log_row() {
    let clock = clock();
    let mut state = state_on(Store::open_in_memory().expect("store"), clock.clone());
    let c = state.next_due_card().expect("card");
    state
        .answer_card(c.index, Rating::Good, SignedDuration::from_secs(3))
        .expect("answer");
    clock.advance(SignedDuration::from_mins(11));
    let again = state.next_due_card().expect("learning card due");
    assert_eq!(again.index, c.index);
    let before = state.reviews.card_states()[c.index].clone();
    state
        .answer_card(c.index, Rating::Good, SignedDuration::from_secs(3))
        .expect("answer");
    assert_eq!(state.undo_answer().expect("undo"), Some(c.index));
    assert_eq!(state.reviews.card_states()[c.index], before);
    let id = &state.pack.cards[c.index].id;
    assert_eq!(
        state.store.answers_for_card("mini", id).expect("log").len(),
        1
    );
    let stored = state.store.card_states("mini").expect("states");
    assert_eq!(Some(&stored[id]), before.as_ref());
}

#[test]
fn setting_an_exam_date_brings_back_cards_scheduled_after_it() {
    let clock = clock();
    let mut state = state_on(Store::open_in_memory().expect("store"), clock.clone());
    let card = state.next_due_card().expect("card");
    let outcome = state
        .answer_card(card.index, Rating::Easy, SignedDuration::from_secs(3))
        .expect("answer");
    let due = outcome.card.due;
    assert!(
        due > "2026-12-03T00:00:00Z".parse().expect("ts"),
        "scheduled after the exam: {due}"
    );

    let mut s = state.reviews.settings().clone();
    s.new_per_day = 0;
    s.exam = Some(ExamSettings {
        date: jiff::civil::date(2026, 12, 2),
        buffer_days: 0,
    });
    state.set_srs_settings(s).expect("settings");
    // Due by the day before the exam (1 Dec, from 4 am), not after it.
    assert_eq!(state.due_counts().review, 0);
    clock.advance(SignedDuration::from_hours(24 * 4)); // 30 Nov
    assert_eq!(state.due_counts().review, 0);
    clock.advance(SignedDuration::from_hours(24)); // 1 Dec
    assert_eq!(state.due_counts().review, 1, "back before the exam");
    let again = state.next_due_card().expect("the card");
    assert_eq!(again.index, card.index);
    state
        .answer_card(again.index, Rating::Good, SignedDuration::from_secs(3))
        .expect("answer");
    assert_eq!(
        state.due_counts().review,
        0,
        "reviewed once, not pulled back again"
    );
}

/// Course settings are per pack: new cards per day, desired retention and the exam date set in
/// one pack leave another pack's alone, and come back with their pack. Settings that are about
/// the learner (learning steps, day start) stay shared.
#[test]
fn course_settings_do_not_leak_between_packs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = clock();
    let mut other = pack();
    other.meta.id = "other-course".to_owned();
    let defaults = {
        let (store, _) = Store::open_in_dir(dir.path()).expect("store");
        let mut state = state_on(store, clock.clone());
        let defaults = state.reviews.settings().clone();
        let mut s = defaults.clone();
        s.new_per_day = 3;
        s.desired_retention = 0.95;
        s.exam = Some(ExamSettings {
            date: "2027-01-15".parse().expect("date"),
            buffer_days: 2,
        });
        s.learning_steps = vec![120];
        state.set_srs_settings(s).expect("save");

        // Another pack, in the same session, sees its own course settings.
        state.replace_pack(Arc::new(other.clone()));
        let o = state.reviews.settings();
        assert_eq!(o.new_per_day, defaults.new_per_day, "new cards per day");
        assert!((o.desired_retention - defaults.desired_retention).abs() < 1e-9);
        assert_eq!(o.exam, None, "exam date");
        assert_eq!(
            o.learning_steps,
            vec![120],
            "learning steps are the learner's"
        );
        let mut o = o.clone();
        o.new_per_day = 7;
        state.set_srs_settings(o).expect("save other");
        defaults
    };
    // After a restart, each pack has its own again.
    let (store, _) = Store::open_in_dir(dir.path()).expect("reopen");
    let mut state = state_on(store, clock);
    let s = state.reviews.settings();
    assert_eq!(s.new_per_day, 3);
    assert!((s.desired_retention - 0.95).abs() < 1e-9);
    assert_eq!(
        s.exam.map(|e| e.date.to_string()),
        Some("2027-01-15".to_owned())
    );
    state.replace_pack(Arc::new(other));
    let o = state.reviews.settings();
    assert_eq!(o.new_per_day, 7);
    assert!((o.desired_retention - defaults.desired_retention).abs() < 1e-9);
    assert_eq!(o.exam, None);
}

/// A pack may ship course defaults (`[settings]` in `pack.toml`): its learners start with them,
/// and what a learner sets for the pack wins.
#[test]
fn a_pack_ships_its_course_defaults() {
    let mut p = pack();
    p.settings.new_per_day = Some(4);
    p.settings.desired_retention = Some(0.85);
    p.settings.exam_date = Some("2027-02-01".parse().expect("date"));
    let mut state = AppState::new(
        Arc::new(p),
        Store::open_in_memory().expect("store"),
        clock(),
    )
    .expect("state");
    let s = state.reviews.settings().clone();
    assert_eq!(s.new_per_day, 4);
    assert!((s.desired_retention - 0.85).abs() < 1e-9);
    assert_eq!(
        s.exam.map(|e| e.date.to_string()),
        Some("2027-02-01".to_owned())
    );
    let mut mine = s;
    mine.new_per_day = 9;
    state.set_srs_settings(mine).expect("save");
    state.reload_reviews();
    assert_eq!(
        state.reviews.settings().new_per_day,
        9,
        "the learner's own wins"
    );
}
