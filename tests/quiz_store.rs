//! The quiz service on an in-memory store: what is written, when, and what comes back.

mod support;

use std::sync::Arc;

use coldstart::app::AppState;
use coldstart::clock::FixedClock;
use coldstart::quiz::{ExamConfig, Origin, PracticeConfig};
use coldstart::store::{AttemptMode, Store};
use jiff::SignedDuration;

fn state() -> (AppState, Arc<FixedClock>) {
    let pack = Arc::new(coldstart::content::embedded().expect("embedded pack"));
    let clock = Arc::new(FixedClock::new(
        "2026-11-26T10:00:00Z".parse().expect("timestamp"),
    ));
    (
        AppState::in_memory(pack, clock.clone()).expect("state"),
        clock,
    )
}

#[test]
fn the_quiz_migration_applies() {
    let store = Store::open_in_memory().expect("store");
    assert!(store.schema_version().expect("version") >= 3);
    assert!(store.quiz_attempts("any").expect("empty list").is_empty());
}

#[test]
fn generated_answers_keep_generator_and_seed_and_rebuild_exactly() {
    let (mut state, clock) = state();
    assert!(
        state.start_practice(PracticeConfig {
            topics: vec!["codedeploy".to_owned()],
            count: 8,
            include_generated: true,
            ..Default::default()
        }),
        "starts"
    );
    let mut generated = Vec::new();
    // Bounded, so a submit that is refused fails the test instead of hanging it.
    for _ in 0..support::practice(&state).session.len() {
        let item = support::practice(&state)
            .session
            .current()
            .expect("question")
            .0
            .clone();
        if let Origin::Generated { .. } = item.origin {
            generated.push((
                support::practice(&state).session.position(),
                item.question.stem.clone(),
            ));
        }
        for place in 0..item.needed() {
            state.practice_toggle(place);
        }
        clock.advance(SignedDuration::from_secs(3));
        state.practice_submit();
        state.practice_next();
    }
    assert!(
        support::practice(&state).session.is_finished(),
        "every question was answered"
    );
    assert_eq!(generated.len(), 2, "about one in four is generated");
    let past = state
        .open_attempt(support::practice(&state).attempt)
        .expect("reopens");
    assert_eq!(past.summary.mode, AttemptMode::Practice);
    assert!(past.summary.finished_ms.is_some());
    for (pos, stem) in generated {
        assert_eq!(
            past.items[pos].question.stem, stem,
            "rebuilt from generator and seed"
        );
    }
    assert_eq!(past.report.total, 8);
    assert_eq!(past.report.time_used_ms, 8 * 3000);
    // Generated questions do not count towards the per-question history.
    let history = state.quiz_history();
    assert_eq!(history.last_answer.len(), 6);
}

#[test]
fn weakest_topics_first_uses_past_answers() {
    let (mut state, _clock) = state();
    // Answer two limits questions right and two concurrency questions wrong.
    for (topic, right) in [("limits", true), ("concurrency", false)] {
        assert!(
            state.start_practice(PracticeConfig {
                topics: vec![topic.to_owned()],
                count: 2,
                ..Default::default()
            }),
            "starts"
        );
        for _ in 0..support::practice(&state).session.len() {
            let item = support::practice(&state)
                .session
                .current()
                .expect("question")
                .0
                .clone();
            // Right: exactly the correct choices. Wrong: a wrong choice first, then any others
            // until as many are picked as the question asks for.
            let mut places: Vec<usize> = item
                .shown_choices()
                .enumerate()
                .filter(|(_, (_, c))| c.correct == right)
                .map(|(p, _)| p)
                .collect();
            if !right {
                places.truncate(1);
                let first = places.first().copied();
                places.extend((0..item.question.choices.len()).filter(|&p| Some(p) != first));
            }
            for &place in places.iter().take(item.needed()) {
                state.practice_toggle(place);
            }
            state.practice_submit();
            state.practice_next();
        }
        assert!(
            support::practice(&state).session.is_finished(),
            "every question was answered"
        );
    }
    let history = state.quiz_history();
    assert_eq!(history.topic_accuracy("limits"), Some(1.0));
    assert_eq!(history.topic_accuracy("concurrency"), Some(0.0));
    assert!(
        state.start_practice(PracticeConfig {
            topics: vec!["limits".to_owned(), "concurrency".to_owned()],
            count: 4,
            weakest_first: true,
            ..Default::default()
        }),
        "starts"
    );
    assert!(
        support::practice(&state)
            .session
            .items
            .iter()
            .all(|i| i.question.topic == "concurrency")
    );
}

#[test]
fn every_exam_change_is_written_with_the_clock() {
    let (mut state, clock) = state();
    assert!(
        state.start_exam(ExamConfig {
            count: 5,
            minutes: 20,
            ..Default::default()
        }),
        "starts"
    );
    assert_eq!(support::exam(&state).session.len(), 5);
    clock.advance(SignedDuration::from_secs(40));
    state.exam_toggle(0);
    let id = state.unfinished_exam().expect("in progress");
    assert_eq!(id, support::exam(&state).attempt);
    let stored = state.store.quiz_attempt(id).expect("read").expect("exists");
    assert_eq!(stored.summary.elapsed_ms, 40_000);
    assert_eq!(stored.answers.len(), 1);
    assert_eq!(stored.answers[0].time_ms, 40_000);
    // Idle ticks save the clock every 15 s.
    clock.advance(SignedDuration::from_secs(20));
    assert!(!state.tick().exam_timed_out);
    let stored = state.store.quiz_attempt(id).expect("read").expect("exists");
    assert_eq!(stored.summary.elapsed_ms, 60_000);
    let report = state.exam_submit().expect("an exam");
    assert_eq!(report.total, 5);
    assert_eq!(state.unfinished_exam(), None);
}

#[test]
fn a_flag_set_before_answering_is_on_disk_and_is_not_an_answer() {
    let (mut state, _clock) = state();
    assert!(
        state.start_practice(PracticeConfig {
            topics: vec!["limits".to_owned()],
            count: 2,
            ..Default::default()
        }),
        "starts"
    );
    state.practice_toggle(0); // a pick in progress, not submitted
    state.practice_flag();
    let question = support::practice(&state)
        .session
        .current()
        .expect("question")
        .0
        .question
        .id
        .clone();

    // Quitting now keeps the flag, without the pick.
    let stored = state
        .store
        .quiz_attempt(support::practice(&state).attempt)
        .expect("read")
        .expect("exists");
    assert_eq!(stored.answers.len(), 1);
    assert!(stored.answers[0].flagged);
    assert!(
        stored.answers[0].chosen.is_empty(),
        "the pick is not an answer"
    );
    let history = state.quiz_history();
    let past = history.last_answer.get(&question).expect("flag recorded");
    assert!(past.flagged && !past.answered);
    assert!(history.needs_retake(&question));
    assert_eq!(
        history.topic_accuracy("limits"),
        None,
        "nothing answered yet"
    );

    // Reopened, the question is flagged and still waiting for its answer.
    let past = state
        .open_attempt(support::practice(&state).attempt)
        .expect("reopens");
    assert!(past.responses[0].flagged);
    assert!(!past.responses[0].submitted);
}
