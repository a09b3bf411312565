//! Preview mode (`--preview`): the Browse screen shows every card and question by topic and
//! section, with the key and every why, jumps to a source section, and records nothing.

mod support;

use coldstart::ui::{ColdstartApp, Screen};
use egui_kittest::kittest::Queryable;

#[test]
fn browsing_every_item_shows_it_and_records_nothing() {
    let pack = support::mini_pack();
    let state = support::state_on(pack.clone(), support::clock());
    let mut h = support::harness(ColdstartApp::new(state).with_preview());
    h.run_steps(3);
    assert_eq!(h.state().screen, Screen::Browse, "preview opens on Browse");
    for topic in &pack.topics {
        let cards = pack.cards.iter().filter(|c| c.topic == topic.id).count();
        let questions = pack
            .questions
            .iter()
            .filter(|q| q.topic == topic.id)
            .count();
        let label = format!("{} ({cards} cards, {questions} questions)", topic.title);
        support::click(&mut h, &label);
        for card in pack.cards.iter().filter(|c| c.topic == topic.id) {
            assert!(
                h.query_by_label_contains(&format!("card {}", card.id))
                    .is_some(),
                "card {} shown under {}",
                card.id,
                topic.id
            );
        }
        for q in pack.questions.iter().filter(|q| q.topic == topic.id) {
            assert!(
                h.query_by_label_contains(&format!("question {}", q.id))
                    .is_some(),
                "question {}",
                q.id
            );
            for c in &q.choices {
                assert!(
                    h.query_by_label_contains(&format!("why: {}", c.why))
                        .is_some(),
                    "question {}: why {:?}",
                    q.id,
                    c.why
                );
            }
        }
    }
    let id = &pack.meta.id;
    let store = &h.state().state.store;
    assert!(
        store.notes_read(id).expect("read").is_empty(),
        "no note marked read"
    );
    assert!(
        store
            .answers_since(id, jiff::Timestamp::MIN)
            .expect("read")
            .is_empty(),
        "no review recorded"
    );
    assert!(store.quiz_attempts(id).expect("read").is_empty());

    // An item's section opens in the notes; Browse is one click back, on the same topic.
    let last = pack.topics.last().expect("a topic");
    let anchor = pack
        .cards
        .iter()
        .find(|c| c.topic == last.id)
        .map(|c| c.source.anchor.clone())
        .expect("a card in the last topic");
    let open = format!("Open #{anchor}");
    let topic = h.state().preview.as_ref().and_then(|p| p.topic.clone());
    support::click(&mut h, &open);
    assert_eq!(h.state().screen, Screen::Notes);
    support::click(&mut h, "Browse");
    assert_eq!(h.state().screen, Screen::Browse);
    assert_eq!(
        h.state().preview.as_ref().and_then(|p| p.topic.clone()),
        topic
    );
}

#[test]
fn without_preview_there_is_no_browse_screen() {
    let state = support::state_on(support::mini_pack(), support::clock());
    let mut h = support::harness(ColdstartApp::new(state));
    h.run_steps(3);
    assert!(h.query_by_label("Browse").is_none());
    h.key_press(egui::Key::B);
    h.run_steps(2);
    assert_eq!(h.state().screen, Screen::Dashboard);
}

/// The in-app toggle: a learner with progress previews the pack from the Packs screen, studies
/// nothing into their file while previewing (a note left open for minutes, a card answered),
/// and comes back to their progress exactly as it was.
#[test]
fn the_preview_toggle_sets_progress_aside_and_brings_it_back_unchanged() {
    let pack = support::mini_pack();
    let clock = support::clock();
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, _) = coldstart::store::Store::open_in_dir(dir.path()).expect("store");
    let state = coldstart::app::AppState::new(pack.clone(), store, clock.clone()).expect("state");
    let mut h = support::harness(ColdstartApp::new(state));
    h.run_steps(2);
    assert!(h.query_by_label("Browse").is_none());

    support::click(&mut h, "Packs");
    support::click(&mut h, "Preview this pack");
    assert_eq!(h.state().screen, Screen::Browse);
    assert!(
        h.query_by_label_contains("nothing you do here is recorded")
            .is_some()
    );

    // Study as if for real: a note left open long enough to count as read, a card answered.
    support::click(&mut h, "Notes");
    clock.advance(jiff::SignedDuration::from_secs(120));
    h.run_steps(3);
    let topic = pack.notes[0].topic.clone();
    assert!(h.state().state.is_note_read(&topic), "read in the preview");
    support::press(&mut h, egui::Key::R);
    support::press(&mut h, egui::Key::Space);
    support::press(&mut h, egui::Key::Num3);
    assert_eq!(
        h.state()
            .state
            .store
            .answers_since(&pack.meta.id, jiff::Timestamp::MIN)
            .expect("read")
            .len(),
        1,
        "a card answered in the preview"
    );

    // Nothing reached the progress file.
    let file = dir.path().join(coldstart::store::FILE_NAME);
    {
        let conn = rusqlite::Connection::open_with_flags(
            &file,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .expect("open");
        let count = |table: &str| -> i64 {
            conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .expect("count")
        };
        assert_eq!(count("review_log"), 0, "no review recorded");
        assert_eq!(count("note_reads"), 0, "no note marked read");
    }

    support::click(&mut h, "Leave preview");
    assert_eq!(h.state().screen, Screen::Dashboard);
    assert!(h.query_by_label("Browse").is_none());
    assert!(h.query_by_label("Leave preview").is_none());
    assert!(
        !h.state().state.is_note_read(&topic),
        "the learner's own progress"
    );
    assert!(
        h.state().state.store.path().is_some(),
        "back on the progress file"
    );
}
