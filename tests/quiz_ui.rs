//! The Quiz screen end to end, headless: a practice session, a short mock exam (answer, flag,
//! go back, change an answer, review page, submit), and an interrupted exam resumed.

mod support;

use coldstart::app::AppState;
use coldstart::quiz::{ExamConfig, Item, PracticeConfig};
use coldstart::store::{AttemptMode, Store};
use coldstart::ui::{ColdstartApp, Screen};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use jiff::SignedDuration;

use support::{
    NUM_KEYS, clock, current_exam_item, embedded_pack as pack, harness, press, right_places,
};

fn open_quiz(h: &mut Harness<'static, ColdstartApp>) {
    h.key_press(egui::Key::Q);
    h.run_steps(3);
    assert_eq!(h.state().screen, Screen::Quiz);
}

fn wrong_place(item: &Item) -> usize {
    item.shown_choices()
        .position(|(_, c)| !c.correct)
        .expect("a wrong choice")
}

/// The label of the choice button in `place`, as the screen writes it.
fn choice_label(item: &Item, place: usize) -> String {
    let (_, c) = item.shown_choices().nth(place).expect("place exists");
    // Inline Markdown is drawn without its markers.
    format!(
        "{}.  {}",
        place + 1,
        c.text
            .trim()
            .replace(['`'], "")
            .replace("**", "")
            .replace('\n', " ")
    )
}

fn current_practice_item(h: &Harness<'static, ColdstartApp>) -> Item {
    let p = h.state().state.quiz.practice.as_ref().expect("practising");
    p.session.current().expect("a question").0.clone()
}

#[test]
fn a_practice_session_reveals_each_answer_and_keeps_every_answer() {
    let clock = clock();
    let state = AppState::in_memory(pack(), clock.clone()).expect("state");
    let mut h = harness(ColdstartApp::new(state));
    open_quiz(&mut h);
    h.state_mut().quiz.form.practice = PracticeConfig {
        count: 3,
        ..Default::default()
    };
    h.state_mut().quiz.form.topics = ["concurrency".to_owned()].into();
    h.get_by_label("Start practice").click();
    h.run_steps(3);
    assert!(h.query_by_label_contains("Question 1 of 3").is_some());

    // 1: the right answer by keyboard; Enter submits and reveals at once.
    let item = current_practice_item(&h);
    if let Some(prompt) = item.choose_prompt() {
        assert!(h.query_by_label(&prompt).is_some(), "multi says how many");
    }
    for p in right_places(&item) {
        press(&mut h, NUM_KEYS[p]);
    }
    clock.advance(SignedDuration::from_secs(12));
    press(&mut h, egui::Key::Enter);
    assert!(h.query_by_label("Correct").is_some());
    assert!(h.query_by_label_contains("Read in the notes").is_some());
    let attempt = h
        .state()
        .state
        .quiz
        .practice
        .as_ref()
        .expect("practising")
        .attempt;
    let stored = h
        .state()
        .state
        .store
        .quiz_attempt(attempt)
        .expect("read")
        .expect("exists");
    assert_eq!(
        stored.answers.len(),
        1,
        "the answer is stored before moving on"
    );
    assert_eq!(stored.answers[0].time_ms, 12_000);

    // 2: a wrong answer by clicking, then flagged.
    press(&mut h, egui::Key::Enter);
    assert!(h.query_by_label_contains("Question 2 of 3").is_some());
    let item2 = current_practice_item(&h);
    // A wrong pick of the full size the question asks for ("Choose TWO." needs two).
    let wrong = wrong_place(&item2);
    let others = (0..item2.order.len()).filter(|&p| p != wrong);
    for p in std::iter::once(wrong).chain(others.take(item2.needed() - 1)) {
        h.get_by_label(&choice_label(&item2, p)).click();
        h.run_steps(2);
    }
    h.get_by_label("Submit (Enter)").click();
    h.run_steps(2);
    assert!(h.query_by_label("Incorrect").is_some());
    assert!(
        h.query_all_by_label("✓ Right answer").count() > 0,
        "the right choice is shown"
    );
    h.get_by_label("Flag for later").click();
    h.run_steps(2);

    // 3: right again, then the report.
    press(&mut h, egui::Key::Enter);
    let item3 = current_practice_item(&h);
    for p in right_places(&item3) {
        press(&mut h, NUM_KEYS[p]);
    }
    press(&mut h, egui::Key::Enter);
    press(&mut h, egui::Key::Enter);
    assert!(h.query_by_label("Practice result").is_some());
    assert!(h.query_by_label("2 of 3 right").is_some());

    let store = &h.state().state.store;
    let attempts = store.quiz_attempts("aws-lambda").expect("list");
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].mode, AttemptMode::Practice);
    assert_eq!(attempts[0].correct, Some(2));
    let history = store.quiz_history("aws-lambda").expect("history");
    let last = history.last_answer[&item2.question.id];
    assert!(!last.correct && last.flagged);

    // The report links to the notes.
    h.query_all_by_label_contains("Read in the notes")
        .next()
        .expect("a link")
        .click();
    h.run_steps(3);
    assert_eq!(h.state().screen, Screen::Notes);
}

#[test]
fn practice_ended_early_reports_only_what_was_answered_and_keeps_a_flag() {
    let clock = clock();
    let state = AppState::in_memory(pack(), clock.clone()).expect("state");
    let mut h = harness(ColdstartApp::new(state));
    open_quiz(&mut h);
    h.state_mut().quiz.form.practice = PracticeConfig {
        count: 3,
        ..Default::default()
    };
    h.get_by_label("Start practice").click();
    h.run_steps(3);
    let item = current_practice_item(&h);
    for p in right_places(&item) {
        press(&mut h, NUM_KEYS[p]);
    }
    press(&mut h, egui::Key::Enter);
    press(&mut h, egui::Key::Enter);
    // Question 2: flagged before answering, then the learner stops.
    let item2 = current_practice_item(&h);
    h.get_by_label("Flag for later").click();
    h.run_steps(2);
    h.get_by_label("End practice").click();
    h.run_steps(3);
    assert!(h.query_by_label("Practice result").is_some());
    assert!(h.query_by_label("1 of 1 right").is_some());
    assert!(
        h.query_by_label_contains("2 question(s) not reached")
            .is_some()
    );
    assert!(h.query_by_label("Question 1").is_some());
    assert!(h.query_by_label("Question 2").is_none(), "not revealed");
    let history = h
        .state()
        .state
        .store
        .quiz_history("aws-lambda")
        .expect("history");
    let flag = history.last_answer[&item2.question.id];
    assert!(
        flag.flagged && !flag.answered,
        "the flag is kept for a retake"
    );
    // The dashboard's exam tile shows the latest practice score.
    h.state_mut()
        .apply(coldstart::ui::Command::Go(coldstart::ui::Screen::Dashboard));
    h.run_steps(2);
    assert!(
        h.query_by_label("Latest practice: 1 of 1 right.").is_some(),
        "the practice score on the dashboard"
    );
}

#[test]
fn a_short_mock_exam_reveals_nothing_until_submit_and_reports_by_topic() {
    let clock = clock();
    let state = AppState::in_memory(pack(), clock.clone()).expect("state");
    let mut h = harness(ColdstartApp::new(state));
    open_quiz(&mut h);
    let exam = Some(h.state().state.chosen_exam().id.clone());
    h.state_mut().quiz.form.exam = ExamConfig {
        count: 4,
        minutes: 10,
        exam,
        ..ExamConfig::default()
    };
    h.get_by_label("Start mock exam").click();
    h.run_steps(3);
    assert!(h.query_by_label("Time left 10:00").is_some());

    // 1: right, by keyboard; nothing is revealed.
    let item1 = current_exam_item(&h);
    for p in right_places(&item1) {
        press(&mut h, NUM_KEYS[p]);
    }
    assert!(h.query_by_label("Correct").is_none());
    assert_eq!(h.query_all_by_label("✓ Right answer").count(), 0);
    clock.advance(SignedDuration::from_secs(30));
    press(&mut h, egui::Key::Enter);

    // 2: wrong, and flagged.
    let item2 = current_exam_item(&h);
    let wrong = wrong_place(&item2);
    h.get_by_label(&choice_label(&item2, wrong)).click();
    h.run_steps(2);
    h.get_by_label("Flag for review").click();
    h.run_steps(2);
    assert!(h.query_by_label("Flagged for review").is_some());
    clock.advance(SignedDuration::from_secs(20));
    if item2.needed() > 1 {
        // One pick of several: Enter says why it does not move on; Next still does.
        press(&mut h, egui::Key::Enter);
        assert!(h.query_by_label_contains("Question 2 of 4").is_some());
        assert!(h.query_by_label_contains("you picked 1").is_some());
        h.get_by_label("Next (Enter)").click();
        h.run_steps(2);
    } else {
        press(&mut h, egui::Key::Enter);
    }

    // 3: left unanswered; go back to 2 and change the answer to the right one.
    h.get_by_label("Previous").click();
    h.run_steps(2);
    assert!(h.query_by_label_contains("Question 2 of 4").is_some());
    press(&mut h, NUM_KEYS[wrong]); // unselect the wrong choice (a no-op swap target on singles)
    for p in right_places(&item2) {
        if !h
            .state()
            .state
            .quiz
            .exam
            .as_ref()
            .expect("exam")
            .session
            .responses[1]
            .chosen
            .contains(&item2.order[p])
        {
            press(&mut h, NUM_KEYS[p]);
        }
    }
    // 4: by the navigator, right.
    h.get_by_label("4").click();
    h.run_steps(2);
    let item4 = current_exam_item(&h);
    for p in right_places(&item4) {
        press(&mut h, NUM_KEYS[p]);
    }

    h.get_by_label("Review and submit…").click();
    h.run_steps(2);
    assert!(h.query_by_label("Unanswered or incomplete: 1").is_some());
    assert!(h.query_by_label("Flagged: 1").is_some());
    let attempt = h.state().state.quiz.exam.as_ref().expect("exam").attempt;
    let stored = h
        .state()
        .state
        .store
        .quiz_attempt(attempt)
        .expect("read")
        .expect("exists");
    let changed = stored
        .answers
        .iter()
        .find(|a| a.position == 1)
        .expect("answer 2 stored");
    assert!(changed.flagged);
    let right2: Vec<usize> = right_places(&item2)
        .iter()
        .map(|&p| item2.order[p])
        .collect();
    let mut right2 = right2;
    right2.sort_unstable();
    assert_eq!(
        changed.chosen, right2,
        "the changed answer is what the store holds"
    );

    h.get_by_label("Submit exam").click();
    h.run_steps(3);
    assert!(h.query_by_label("Mock exam result").is_some());
    assert!(h.query_by_label("3 of 4 right").is_some());
    assert!(h.query_by_label("Passed (pass mark 72 %)").is_some());
    let report = &h.state().quiz.report().expect("report").report;
    assert_eq!(report.topics.iter().map(|t| t.total).sum::<usize>(), 4);
    assert_eq!(report.time_used_ms, 50_000);
    assert_eq!(h.query_all_by_label("✗ unanswered").count(), 1);
    let summary = &h
        .state()
        .state
        .store
        .quiz_attempts("aws-lambda")
        .expect("list")[0];
    assert_eq!((summary.correct, summary.total), (Some(3), 4));
    assert!(summary.finished_ms.is_some());

    // The attempt can be reopened from the list, exactly as it was.
    h.query_all_by_label("Back to quizzes")
        .next()
        .expect("button")
        .click();
    h.run_steps(3);
    h.get_by_label("Open report").click();
    h.run_steps(3);
    let reopened = h.state().quiz.report().expect("report");
    assert_eq!(reopened.items[1].order, item2.order);
    assert_eq!(reopened.report.correct, 3);
}

#[test]
fn an_interrupted_exam_resumes_with_answers_flags_and_time() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("progress.sqlite");
    let clock = clock();
    let (store, _) = Store::open(&path).expect("store");
    let state = AppState::new(pack(), store, clock.clone()).expect("state");
    let mut h = harness(ColdstartApp::new(state));
    open_quiz(&mut h);
    let exam = Some(h.state().state.chosen_exam().id.clone());
    h.state_mut().quiz.form.exam = ExamConfig {
        count: 3,
        minutes: 10,
        exam,
        ..ExamConfig::default()
    };
    h.get_by_label("Start mock exam").click();
    h.run_steps(3);
    let item1 = current_exam_item(&h);
    for p in right_places(&item1) {
        press(&mut h, NUM_KEYS[p]);
    }
    clock.advance(SignedDuration::from_secs(45));
    press(&mut h, egui::Key::Enter);
    h.get_by_label("Flag for review").click();
    h.run_steps(2);
    clock.advance(SignedDuration::from_secs(15));
    // Quit: eframe calls on_exit, which stops the clock.
    {
        h.state_mut().state.exam_pause();
    }
    drop(h);

    // An hour later the app opens again on the same file.
    clock.advance(SignedDuration::from_secs(3600));
    let (store, _) = Store::open(&path).expect("reopen store");
    let state = AppState::new(pack(), store, clock.clone()).expect("state");
    let mut h = harness(ColdstartApp::new(state));
    open_quiz(&mut h);
    assert!(
        h.query_by_label_contains("A mock exam is in progress: 1 of 3 answered")
            .is_some()
    );
    h.get_by_label("Resume exam").click();
    h.run_steps(3);
    let exam = h.state().state.quiz.exam.as_ref().expect("resumed");
    assert_eq!(exam.session.position(), 1, "back on question 2");
    assert!(exam.session.status(0).answered);
    assert!(exam.session.status(1).flagged);
    assert_eq!(exam.session.items[0].order, item1.order);
    assert!(
        h.query_by_label("Time left 9:00").is_some(),
        "closed time does not count"
    );

    // On another screen the clock keeps running, as on the real exam, and the bar shows it.
    h.key_press(egui::Key::D);
    h.run_steps(2);
    clock.advance(SignedDuration::from_secs(60));
    h.run_steps(2);
    assert!(h.query_by_label("Mock exam: 8:00 left").is_some());
    h.get_by_label("Mock exam: 8:00 left").click();
    h.run_steps(2);
    assert!(h.query_by_label("Time left 8:00").is_some());

    // Time runs out while the learner reads a note: it submits itself and says so.
    h.key_press(egui::Key::N);
    h.run_steps(2);
    clock.advance(SignedDuration::from_secs(8 * 60));
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("Time ran out on your mock exam")
            .is_some()
    );
    open_quiz(&mut h);
    assert!(h.query_by_label("Mock exam result").is_some());
    let summary = &h
        .state()
        .state
        .store
        .quiz_attempts("aws-lambda")
        .expect("list")[0];
    assert!(summary.finished_ms.is_some());
    assert_eq!(summary.elapsed_ms, 600_000);
}

#[test]
fn an_unfinished_exam_can_be_discarded_after_confirming() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("progress.sqlite");
    let clock = clock();
    let (store, _) = Store::open(&path).expect("store");
    let state = AppState::new(pack(), store, clock.clone()).expect("state");
    let mut h = harness(ColdstartApp::new(state));
    open_quiz(&mut h);
    h.get_by_label("Start mock exam").click();
    h.run_steps(3);
    press(&mut h, NUM_KEYS[0]);
    {
        h.state_mut().state.exam_pause();
    }
    drop(h);

    let (store, _) = Store::open(&path).expect("reopen store");
    let state = AppState::new(pack(), store, clock.clone()).expect("state");
    let mut h = harness(ColdstartApp::new(state));
    open_quiz(&mut h);
    assert!(
        h.query_by_label_contains("A mock exam is in progress")
            .is_some()
    );
    h.get_by_label("Discard…").click();
    h.run_steps(2);
    h.get_by_label("Keep it").click();
    h.run_steps(2);
    assert_eq!(
        h.state()
            .state
            .store
            .quiz_attempts("aws-lambda")
            .expect("list")
            .len(),
        1,
        "kept"
    );
    h.get_by_label("Discard…").click();
    h.run_steps(2);
    h.get_by_label("Yes, discard").click();
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("A mock exam is in progress")
            .is_none()
    );
    assert!(h.query_by_label("None yet.").is_some());
    let store = &h.state().state.store;
    assert!(store.quiz_attempts("aws-lambda").expect("list").is_empty());
    assert_eq!(store.unfinished_exam("aws-lambda").expect("query"), None);
}

#[test]
fn a_minimised_window_keeps_saving_the_exam_clock_and_submits_at_time_up() {
    let clock = clock();
    let state = AppState::in_memory(pack(), clock.clone()).expect("state");
    let mut app = ColdstartApp::new(state);
    assert!(app.state.start_exam(ExamConfig {
        count: 3,
        minutes: 1,
        ..ExamConfig::default()
    }));
    let id = support::exam(&app.state).attempt;
    // Minimised, eframe draws nothing and runs only the logic pass (which the running exam
    // keeps asking for, once a second).
    let ctx = egui::Context::default();
    clock.advance(SignedDuration::from_secs(20));
    app.logic(&ctx);
    let stored = app
        .state
        .store
        .quiz_attempt(id)
        .expect("read")
        .expect("exists");
    assert_eq!(stored.summary.elapsed_ms, 20_000, "the clock is saved");
    assert!(stored.summary.finished_ms.is_none());

    clock.advance(SignedDuration::from_secs(45));
    app.logic(&ctx);
    let stored = app
        .state
        .store
        .quiz_attempt(id)
        .expect("read")
        .expect("exists");
    assert!(stored.summary.finished_ms.is_some(), "submitted at time-up");
    assert_eq!(stored.summary.elapsed_ms, 60_000);
    assert!(
        app.state
            .notices
            .iter()
            .any(|n| n.text.starts_with("Time ran out on your mock exam"))
    );
}
