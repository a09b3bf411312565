//! The built-in pack cannot be passed by guessing, reads like the exam, and sources every item
//! (issue 12): the correct choice is not given away by being the longest, "which statements are
//! true" recall lists stay rare, and every card and question names the AWS page that backs it.
//!
//! Generated questions (ids starting `gen-`) are out of scope: they are built from cards at run
//! time, not written by an author.

use coldstart::content::{Pack, Question, QuestionKind};

/// Above this share of single-answer questions whose key is the strictly longest choice, a
/// learner can score well by picking the longest answer (chance is about one in four).
const MAX_LONGEST_KEY_SHARE: f64 = 0.30;
/// Above this share of multiple-response questions whose every key is longer than every
/// distractor, "pick the long ones" works for multiple response too.
const MAX_MULTI_LONG_KEYS_SHARE: f64 = 0.30;
/// At most this share of multiple-response items may be bare recall lists.
const MAX_RECALL_LIST_SHARE: f64 = 0.10;

/// Stems that ask the learner to sort true claims from false ones instead of meeting a
/// requirement. Matched on the lower-cased stem with whitespace collapsed.
const RECALL_PATTERNS: &[&str] = &[
    "which statements",
    "which claims",
    "which of them are correct",
    "which of them are true",
    "which are correct?",
    "which are true?",
    "which of the following are true",
    "which of the following statements",
    "are true?",
    "are correct?",
    "are accurate?",
];

fn pack() -> Pack {
    coldstart::content::embedded().expect("the built-in pack is valid")
}

fn authored(pack: &Pack) -> impl Iterator<Item = &Question> {
    pack.questions.iter().filter(|q| !q.id.starts_with("gen-"))
}

fn len(s: &str) -> usize {
    s.trim().chars().count()
}

fn key_is_strictly_longest(q: &Question) -> bool {
    let key = q
        .choices
        .iter()
        .filter(|c| c.correct)
        .map(|c| len(&c.text))
        .max();
    let longest_wrong = q
        .choices
        .iter()
        .filter(|c| !c.correct)
        .map(|c| len(&c.text))
        .max();
    matches!((key, longest_wrong), (Some(k), Some(w)) if k > w)
}

fn keys_all_longer(q: &Question) -> bool {
    let shortest_key = q
        .choices
        .iter()
        .filter(|c| c.correct)
        .map(|c| len(&c.text))
        .min();
    let longest_wrong = q
        .choices
        .iter()
        .filter(|c| !c.correct)
        .map(|c| len(&c.text))
        .max();
    matches!((shortest_key, longest_wrong), (Some(k), Some(w)) if k > w)
}

fn is_recall_list(q: &Question) -> bool {
    let stem = q
        .stem
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    RECALL_PATTERNS.iter().any(|p| stem.contains(p))
}

fn share(hits: &[&str], total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        hits.len() as f64 / total as f64
    }
}

#[test]
fn the_key_is_not_usually_the_longest_choice() {
    let pack = pack();
    let singles: Vec<&Question> = authored(&pack)
        .filter(|q| q.kind == QuestionKind::Single)
        .collect();
    assert!(!singles.is_empty(), "the pack has single-answer questions");
    let hits: Vec<&str> = singles
        .iter()
        .filter(|q| key_is_strictly_longest(q))
        .map(|q| q.id.as_str())
        .collect();
    let s = share(&hits, singles.len());
    assert!(
        s <= MAX_LONGEST_KEY_SHARE,
        "in {} of {} single-answer questions ({:.0} %) the key is the longest choice; at most {:.0} % allowed: {}",
        hits.len(),
        singles.len(),
        s * 100.0,
        MAX_LONGEST_KEY_SHARE * 100.0,
        hits.join(" ")
    );
}

#[test]
fn multiple_response_keys_are_not_simply_the_long_choices() {
    let pack = pack();
    let multis: Vec<&Question> = authored(&pack)
        .filter(|q| q.kind == QuestionKind::Multi)
        .collect();
    assert!(
        !multis.is_empty(),
        "the pack has multiple-response questions"
    );
    let hits: Vec<&str> = multis
        .iter()
        .filter(|q| keys_all_longer(q))
        .map(|q| q.id.as_str())
        .collect();
    let s = share(&hits, multis.len());
    assert!(
        s <= MAX_MULTI_LONG_KEYS_SHARE,
        "in {} of {} multiple-response questions ({:.0} %) every key is longer than every distractor: {}",
        hits.len(),
        multis.len(),
        s * 100.0,
        hits.join(" ")
    );
}

#[test]
fn recall_lists_are_a_small_share_of_multiple_response_items() {
    let pack = pack();
    let multis: Vec<&Question> = authored(&pack)
        .filter(|q| q.kind == QuestionKind::Multi)
        .collect();
    let hits: Vec<&str> = multis
        .iter()
        .filter(|q| is_recall_list(q))
        .map(|q| q.id.as_str())
        .collect();
    let s = share(&hits, multis.len());
    assert!(
        s <= MAX_RECALL_LIST_SHARE,
        "{} of {} multiple-response questions ({:.0} %) are recall lists (\"Which statements are correct?\"); at most {:.0} % allowed: {}",
        hits.len(),
        multis.len(),
        s * 100.0,
        MAX_RECALL_LIST_SHARE * 100.0,
        hits.join(" ")
    );
}

#[test]
fn every_card_and_question_cites_an_https_page() {
    let pack = pack();
    let cites = |refs: &[String]| refs.iter().any(|r| r.starts_with("https://"));
    let mut missing: Vec<&str> = pack
        .cards
        .iter()
        .filter(|c| !cites(&c.refs))
        .map(|c| c.id.as_str())
        .collect();
    missing.extend(
        authored(&pack)
            .filter(|q| !cites(&q.refs))
            .map(|q| q.id.as_str()),
    );
    assert!(
        missing.is_empty(),
        "{} items have no refs URL: {}",
        missing.len(),
        missing.join(" ")
    );
}

#[test]
fn the_recall_patterns_catch_the_stems_they_are_meant_for() {
    let pack = pack();
    let Some(template) = authored(&pack).next() else {
        panic!("the pack has questions");
    };
    let mut q = template.clone();
    q.stem = "Which statements about Lambda layers are correct?".into();
    assert!(is_recall_list(&q));
    q.stem =
        "A team must cap connections.\nWhich combination of steps meets the requirement?".into();
    assert!(!is_recall_list(&q));
}
