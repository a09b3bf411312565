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
