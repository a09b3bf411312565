//! The walking skeleton's UI flow: the app on the built-in pack with a temporary data folder;
//! navigate to Notes by keyboard and by click, open a topic, see its heading, and find it marked
//! read in the store — and still read after the app is closed and the file opened again.
//! The search and link tests use the mini fixture pack on an in-memory store.

mod support;

use std::path::Path;
use std::sync::Arc;

use coldstart::app::AppState;
use coldstart::clock::FixedClock;
use coldstart::store::Store;
use coldstart::ui::{ColdstartApp, Screen};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use support::harness;

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::new("2026-11-26T10:00:00Z".parse().expect("ts")))
}

fn app() -> ColdstartApp {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    let pack = coldstart::content::load_dir(&dir)
        .expect("read fixture")
        .into_valid()
        .expect("fixture is valid");
    ColdstartApp::new(AppState::in_memory(Arc::new(pack), clock()).expect("state"))
}

/// The note's heading is on screen: a text label, apart from the topic's entry in the side list.
fn heading_shown(h: &Harness<'_, ColdstartApp>, title: &str) -> bool {
    h.query_by_role_and_label(Role::Label, title).is_some()
}

#[test]
fn notes_open_by_keyboard_and_by_click_and_are_marked_read() {
    let pack = Arc::new(coldstart::content::embedded().expect("built-in pack"));
    let pack_id = pack.meta.id.clone();
    let first = pack.notes.first().expect("a first note").clone();
    let async_title = pack
        .topic("async-invocation")
        .expect("the async invocation topic")
        .title
        .clone();
    let total = pack.notes.len();
    let data = tempfile::tempdir().expect("temp data dir");
    let (store, notice) = Store::open_in_dir(data.path()).expect("store");
    assert_eq!(notice, None);
    let clock = clock();
    let state = AppState::new(pack, store, clock.clone()).expect("state");
    let mut h = harness(ColdstartApp::new(state));
    h.run();
    h.get_by_label(&format!("0 of {total}")).hover(); // dashboard: nothing read yet
    assert_eq!(h.state().screen, Screen::Dashboard);

    // By keyboard: N opens Notes, and the first note opens by itself.
    h.key_press(egui::Key::N);
    h.run();
    assert_eq!(h.state().screen, Screen::Notes);
    assert!(heading_shown(&h, &first.title), "{}", first.title);
    // Opening is not reading: it counts once the learner stayed a while (or reached its end).
    assert!(h.query_by_label(&format!("0 of {total} read")).is_some());
    clock.advance(jiff::SignedDuration::from_secs(91));
    h.run();
    assert!(h.query_by_label(&format!("1 of {total} read")).is_some());

    // Back to the dashboard and into Notes again, by clicking the navigation bar.
    h.get_by_label("Dashboard").click();
    h.run();
    assert_eq!(h.state().screen, Screen::Dashboard);
    assert!(h.query_by_label(&format!("1 of {total}")).is_some());
    h.query_all_by_label("Notes").next().expect("nav").click();
    h.run();
    assert_eq!(h.state().screen, Screen::Notes);

    // Open a topic from the side list.
    assert!(!heading_shown(&h, &async_title));
    h.query_all_by_label(&async_title)
        .next()
        .expect("topic in the side list")
        .click();
    h.run();
    assert!(heading_shown(&h, &async_title), "{async_title}");
    assert_eq!(h.query_all_by_label(&async_title).count(), 2); // side list + heading
    assert!(h.query_by_label("Open the retry simulator").is_some());
    assert!(h.query_by_label(&format!("1 of {total} read")).is_some());
    clock.advance(jiff::SignedDuration::from_secs(91));
    h.run();
    assert!(h.query_by_label(&format!("2 of {total} read")).is_some());
    let read = h
        .state()
        .state
        .store
        .notes_read(&pack_id)
        .expect("read store");
    assert!(
        read.contains(&first.topic) && read.contains("async-invocation"),
        "{read:?}"
    );

    // Back to the dashboard by clicking, and the count moved.
    h.get_by_label("Dashboard").click();
    h.run();
    assert_eq!(h.state().screen, Screen::Dashboard);
    assert!(h.query_by_label(&format!("2 of {total}")).is_some());

    // It is on disk: close the app and open the file again.
    drop(h);
    let (store, _) = Store::open_in_dir(data.path()).expect("reopen");
    let read = store.notes_read(&pack_id).expect("read store");
    assert_eq!(read.len(), 2, "{read:?}");
    assert!(
        read.contains(&first.topic) && read.contains("async-invocation"),
        "{read:?}"
    );
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
fn a_link_between_notes_opens_the_target_section_and_back_returns() {
    let clock = clock();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    let pack = coldstart::content::load_dir(&dir)
        .expect("read fixture")
        .into_valid()
        .expect("fixture is valid");
    let state = AppState::in_memory(Arc::new(pack), clock.clone()).expect("state");
    let mut h = harness(ColdstartApp::new(state));
    h.query_all_by_label("Notes").next().expect("nav").click();
    h.run();
    let first = h.state().state.pack.notes[0].title.clone();
    h.get_by_label("asynchronous retries").click();
    h.run();
    assert_eq!(h.query_all_by_label("Asynchronous invocation").count(), 2); // side list + heading
    // A link opens it; reading it takes a moment at its end (this note is short).
    assert!(!h.state().state.is_note_read("async"));
    clock.advance(jiff::SignedDuration::from_secs(6));
    h.run();
    assert!(h.state().state.is_note_read("async"));
    // Marked unread again, it says so; Back returns to the note the link was in.
    h.get_by_label("Mark unread").click();
    h.run();
    assert!(!h.state().state.is_note_read("async"));
    h.get_by_label("← Back").click();
    h.run();
    assert!(heading_shown(&h, &first));
    h.get_by_label("Forward →").click();
    h.run();
    assert_eq!(h.query_all_by_label("Asynchronous invocation").count(), 2);
}

#[test]
fn search_hits_show_a_snippet_and_slash_focuses_the_box() {
    let mut h = harness(app());
    h.query_all_by_label("Notes").next().expect("nav").click();
    h.run();
    h.key_press(egui::Key::Slash);
    h.run();
    h.get_by_role(egui::accesskit::Role::TextInput)
        .type_text("retries");
    h.run();
    assert_eq!(h.state().screen, Screen::Notes, "typing went into the box");
    assert!(h.query_by_label_contains("matching sections").is_some());
    assert!(
        h.query_all_by_label_contains("retries").count() >= 2,
        "the box and a snippet around the word"
    );
}

#[test]
fn drilling_a_topic_practises_its_questions_then_puts_its_cards_first() {
    let mut h = harness(app());
    h.key_press(egui::Key::N);
    h.run_steps(3);
    // The mini pack's first note; the drill takes every question and card citing it.
    let topic = h.state().state.pack.notes[0].topic.clone();
    let pack = h.state().state.pack.clone();
    let mut want_q: Vec<String> = pack
        .questions
        .iter()
        .filter(|q| q.source.topic == topic)
        .map(|q| q.id.clone())
        .collect();
    let want_cards: Vec<usize> = (0..pack.cards.len())
        .filter(|&i| pack.cards[i].source.topic == topic)
        .collect();
    assert!(!want_q.is_empty() && !want_cards.is_empty(), "fixture");
    // Fewer new cards a day than the drill holds: the drill ignores the limit.
    let mut settings = h.state().state.reviews.settings().clone();
    settings.new_per_day = 0;
    h.state_mut()
        .state
        .set_srs_settings(settings)
        .expect("settings");
    support::click(&mut h, "Drill this topic");
    assert_eq!(h.state().screen, Screen::Quiz);
    let practice = h.state().state.quiz.practice.as_ref().expect("practising");
    let mut got: Vec<String> = practice
        .session
        .items
        .iter()
        .map(|i| i.question.id.clone())
        .collect();
    got.sort();
    want_q.sort();
    assert_eq!(got, want_q);

    h.state_mut().state.practice_end();
    h.state_mut().state.practice_close();
    h.key_press(egui::Key::R);
    h.run_steps(3);
    let next = h
        .state()
        .state
        .next_due_card()
        .expect("a drilled card")
        .index;
    assert!(want_cards.contains(&next));
    assert_eq!(h.state().state.due_counts().new, want_cards.len());
}

/// A copy of the mini fixture with `extra` appended to the limits note.
fn mini_with_limits_note(extra: &str) -> (tempfile::TempDir, coldstart::content::Pack) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    let tmp = tempfile::tempdir().expect("tempdir");
    for sub in ["", "notes", "cards", "questions"] {
        std::fs::create_dir_all(tmp.path().join(sub)).expect("mkdir");
        for e in std::fs::read_dir(src.join(sub)).expect("ls") {
            let e = e.expect("entry");
            if e.file_type().expect("type").is_file() {
                std::fs::copy(e.path(), tmp.path().join(sub).join(e.file_name())).expect("copy");
            }
        }
    }
    let note = tmp.path().join("notes/limits.md");
    let mut text = std::fs::read_to_string(&note).expect("note");
    text.push_str(extra);
    std::fs::write(&note, text).expect("write");
    let pack = coldstart::content::load_dir(tmp.path())
        .expect("read pack")
        .into_valid()
        .expect("pack is valid");
    (tmp, pack)
}

/// A table of 50,000 rows lays out only the rows in view; a table wider than the page wraps its
/// cells inside the window; a cut-off cell in a long table shows its words in full on hover.
#[test]
fn long_tables_show_only_the_rows_in_view_and_wide_ones_wrap() {
    let mut extra = String::from("\n## Wide table\n\n| Setting | What it does |\n|---|---|\n");
    extra.push_str("| `Timeout` | ");
    for i in 0..80 {
        extra.push_str(&format!("word{i} "));
    }
    extra.push_str("WIDE-END |\n\n## Big table\n\n| Key | Value |\n|---|---|\n");
    for i in 0..50_000 {
        extra.push_str(&format!("|x-{i}|{i}|\n"));
    }
    let (_dir, pack) = mini_with_limits_note(&extra);
    let state = AppState::in_memory(Arc::new(pack), clock()).expect("state");
    let mut h = harness(ColdstartApp::new(state));
    h.query_all_by_label("Notes").next().expect("nav").click();
    h.run();
    h.query_all_by_label("Limits")
        .next()
        .expect("side list")
        .click();
    h.run();

    // The wide cell wraps: its last word is inside the window, nothing runs off the right.
    let end = h
        .query_all_by_label_contains("WIDE-END")
        .next()
        .expect("the wide cell is shown");
    assert!(end.rect().right() <= 1280.0, "{:?}", end.rect());
    assert!(h.query_by_label_contains("wider than the page").is_none());

    // The long table: its first rows, a line saying there are more, and nothing like 50,000
    // rows laid out.
    assert!(h.query_by_label("x-0").is_some());
    assert!(h.query_by_label("x-49999").is_none());
    assert!(
        h.query_by_label("50000 rows: scroll inside the table for more")
            .is_some()
    );
    let laid_out = h.query_all_by_label_contains("x-").count();
    assert!((5..200).contains(&laid_out), "{laid_out} rows laid out");
}
