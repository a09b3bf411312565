//! Mock exams as a self-tester meets them, headless: the exam chooser, answers that stay secret
//! until submitted, one exam at a time, one "answered" count everywhere, the exam keys, the
//! report by exam domain and the dashboard's readiness tile.

mod support;

use coldstart::app::AppState;
use coldstart::quiz::ExamConfig;
use coldstart::store::Store;
use coldstart::ui::{ColdstartApp, Screen};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use support::{
    NUM_KEYS, click, clock, current_exam_item, embedded_pack as pack, harness, press, right_places,
};

type H = Harness<'static, ColdstartApp>;

fn open_quiz(h: &mut H) {
    h.key_press(egui::Key::Q);
    h.run_steps(3);
    assert_eq!(h.state().screen, Screen::Quiz);
}

/// Starts a short mock of the chosen exam through the Quiz screen.
fn start_short_mock(h: &mut H, count: usize) {
    let exam = Some(h.state().state.chosen_exam().id.clone());
    h.state_mut().quiz.form.exam = ExamConfig {
        count,
        minutes: 20,
        exam,
        ..ExamConfig::default()
    };
    h.run_steps(2);
    click(h, "Start mock exam");
    h.run_steps(2);
    assert!(h.state().state.quiz.exam.is_some(), "the exam started");
}

/// Answers the question on screen right, by keyboard.
fn answer_right(h: &mut H) {
    for p in right_places(&current_exam_item(h)) {
        press(h, NUM_KEYS[p]);
    }
}

#[test]
fn the_chooser_offers_the_packs_exams_and_remembers_the_choice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("progress.sqlite");
    let (store, _) = Store::open(&path).expect("store");
    let state = AppState::new(pack(), store, clock()).expect("state");
    let mut h = harness(ColdstartApp::new(state));
    open_quiz(&mut h);
    // The active exam is the default, with its unconfirmed format said plainly.
    assert_eq!(h.state().state.chosen_exam().code, "DVA-C03");
    assert!(
        h.query_by_label_contains("format is not yet confirmed")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("65 questions, 130 minutes, pass 720 of 1000")
            .is_some()
    );

    h.state_mut().state.choose_exam("dva-c02");
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("DVA-C02 can no longer be taken (retired on 2026-12-01)")
            .is_some()
    );
    assert_eq!(
        h.state().quiz.form.exam.exam.as_deref(),
        Some("dva-c02"),
        "the form takes the chosen exam's shape"
    );
    drop(h);

    // Opened again on the same file, the choice is remembered.
    let (store, _) = Store::open(&path).expect("reopen");
    let state = AppState::new(pack(), store, clock()).expect("state");
    assert_eq!(state.chosen_exam().code, "DVA-C02");
}

#[test]
fn answers_of_an_unsubmitted_mock_count_nowhere_until_it_is_submitted() {
    let state = AppState::in_memory(pack(), clock()).expect("state");
    let mut h = harness(ColdstartApp::new(state));
    open_quiz(&mut h);
    start_short_mock(&mut h, 3);
    let topic = current_exam_item(&h).question.topic.clone();
    answer_right(&mut h);

    // Progress and the weakest topic must not give the answer away.
    let state = &h.state().state;
    let history = state.store.quiz_history("aws-lambda").expect("history");
    assert!(history.last_answer.is_empty(), "nothing counts yet");
    let standing = state.standing().expect("standing");
    let t = standing
        .topics
        .iter()
        .find(|t| t.topic == topic)
        .expect("topic");
    assert_eq!(t.questions_answered, 0);
    let outlook = state.exam_outlook().expect("outlook");
    assert_eq!(outlook.readiness.first_sight, 0);

    // Submitted, it counts.
    h.state_mut().state.exam_submit();
    h.run_steps(3);
    let state = &h.state().state;
    let standing = state.standing().expect("standing");
    let t = standing
        .topics
        .iter()
        .find(|t| t.topic == topic)
        .expect("topic");
    assert_eq!((t.questions_answered, t.questions_right), (1, 1));
    assert_eq!(
        state.exam_outlook().expect("outlook").readiness.first_sight,
        1
    );
}

#[test]
fn one_mock_at_a_time_and_the_answered_count_agrees_everywhere() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("progress.sqlite");
    let (store, _) = Store::open(&path).expect("store");
    let state = AppState::new(pack(), store, clock()).expect("state");
    let mut h = harness(ColdstartApp::new(state));
    open_quiz(&mut h);
    start_short_mock(&mut h, 6);
    // Answer the first question completely; give a multiple-response question one pick only.
    answer_right(&mut h);
    press(&mut h, egui::Key::ArrowRight);
    let mut multi_seen = false;
    for _ in 0..5 {
        let item = current_exam_item(&h);
        if item.needed() > 1 && !multi_seen {
            press(&mut h, NUM_KEYS[right_places(&item)[0]]);
            multi_seen = true;
        }
        press(&mut h, egui::Key::ArrowRight);
    }
    let exam = &h.state().state.quiz.exam.as_ref().expect("exam").session;
    let complete = exam.len() - exam.unanswered().len();
    assert_eq!(complete, 1, "an incomplete answer is not answered");
    h.state_mut().state.exam_pause();
    drop(h);

    // After a restart the Quiz screen and the dashboard count the same way as the navigator.
    let (store, _) = Store::open(&path).expect("reopen");
    let state = AppState::new(pack(), store, clock()).expect("state");
    let mut h = harness(ColdstartApp::new(state));
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("Mock exam in progress: 1 of 6 answered")
            .is_some(),
        "the dashboard shows the running exam"
    );
    assert!(h.query_by_label("Resume mock exam").is_some());
    open_quiz(&mut h);
    assert!(
        h.query_by_label_contains("A mock exam is in progress: 1 of 6 answered")
            .is_some()
    );
    // A second exam is refused while this one is open.
    assert!(!h.state_mut().state.start_exam(ExamConfig::default()));
    assert!(
        h.state()
            .state
            .notices
            .iter()
            .any(|n| n.text.contains("already in progress"))
    );
    h.run_steps(2);
    click(&mut h, "Resume exam");
    h.run_steps(2);
    let exam = &h.state().state.quiz.exam.as_ref().expect("resumed").session;
    assert_eq!(exam.len() - exam.unanswered().len(), 1);
    if multi_seen {
        assert_eq!(
            (0..exam.len())
                .filter(|&i| exam.status(i).incomplete)
                .count(),
            1
        );
    }
}

#[test]
fn arrow_keys_move_and_f_flags() {
    let state = AppState::in_memory(pack(), clock()).expect("state");
    let mut h = harness(ColdstartApp::new(state));
    open_quiz(&mut h);
    start_short_mock(&mut h, 3);
    let pos = |h: &H| {
        h.state()
            .state
            .quiz
            .exam
            .as_ref()
            .expect("exam")
            .session
            .position()
    };
    press(&mut h, egui::Key::ArrowRight);
    assert_eq!(pos(&h), 1);
    press(&mut h, egui::Key::F);
    assert!(h.query_by_label("Flagged for review").is_some());
    press(&mut h, egui::Key::ArrowLeft);
    assert_eq!(pos(&h), 0);
    let exam = &h.state().state.quiz.exam.as_ref().expect("exam").session;
    assert!(exam.status(1).flagged && !exam.status(0).flagged);
}

#[test]
fn a_submitted_mock_reports_by_exam_domain() {
    let state = AppState::in_memory(pack(), clock()).expect("state");
    let mut h = harness(ColdstartApp::new(state));
    open_quiz(&mut h);
    start_short_mock(&mut h, 8);
    answer_right(&mut h);
    h.state_mut().state.exam_submit();
    h.run_steps(3);
    assert!(h.query_by_label("Mock exam result").is_some());
    assert!(h.query_by_label("By exam domain").is_some());
    let report = h.state().quiz.report().expect("report");
    let exam = report.exam_report.as_ref().expect("by domain");
    assert_eq!(exam.code, "DVA-C03");
    assert_eq!(exam.domains.iter().map(|d| d.total).sum::<usize>(), 8);
    // Each domain the mock held reads as the vendor's report does.
    let verdicts = h.query_all_by_label("Needs improvement").count()
        + h.query_all_by_label("Meets competencies").count();
    assert_eq!(
        verdicts,
        exam.domains.iter().filter(|d| d.total > 0).count()
    );
    assert!(
        h.query_by_label_contains("≈").is_some(),
        "a scaled estimate"
    );

    // Practise what this mock got wrong: exactly its wrong authored questions.
    let report = h.state().quiz.report().expect("report");
    let mut want: Vec<String> = report
        .items
        .iter()
        .zip(&report.report.results)
        .filter(|(_, ok)| !**ok)
        .map(|(i, _)| i.question.id.clone())
        .collect();
    assert_eq!(want.len(), 7, "one of eight was answered");
    click(&mut h, "Practise what I got wrong (7)");
    let practice = h.state().state.quiz.practice.as_ref().expect("practising");
    let mut got: Vec<String> = practice
        .session
        .items
        .iter()
        .map(|i| i.question.id.clone())
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);

    // Progress reads the estimate per domain, with how many first answers it still needs.
    h.state_mut().state.practice_end();
    h.run_steps(2);
    h.state_mut().state.practice_close();
    press(&mut h, egui::Key::P);
    assert!(h.query_by_label("Readiness for DVA-C03").is_some());
    assert!(h.query_by_label("Security (26 %)").is_some());
    assert!(h.query_by_label_contains("first answers so far").is_some());
}
