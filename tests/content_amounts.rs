//! The built-in pack has the amounts and coverage the product promises (checked through the
//! loader, as the app sees the pack).

use std::collections::HashMap;

use coldstart::content::{Pack, QuestionKind};

const TOPICS: &[&str] = &[
    "overview",
    "runtimes",
    "limits",
    "sync-invocation",
    "alb",
    "async-invocation",
    "event-source-mapping",
    "edge",
    "vpc",
    "execution-environment",
    "deployment-errors",
    "concurrency",
    "event-context",
    "destinations",
    "xray",
    "layers",
    "efs",
    "cold-start",
    "dependencies",
    "cloudformation",
    "containers",
    "versions-aliases",
    "codedeploy",
    "function-urls",
    "codeguru",
    "best-practices",
    "env-vars",
    "permissions",
    "monitoring",
    "response-streaming",
];

/// Topics the exam leans on: they get several times the minimum.
const HEAVY: &[&str] = &[
    "sync-invocation",
    "async-invocation",
    "concurrency",
    "event-source-mapping",
    "versions-aliases",
    "codedeploy",
    "limits",
    "vpc",
    "destinations",
];

fn pack() -> Pack {
    coldstart::content::embedded().expect("the built-in pack is valid")
}

#[test]
fn every_topic_is_present_and_covered() {
    let pack = pack();
    let ids: Vec<&str> = pack.topics.iter().map(|t| t.id.as_str()).collect();
    for t in TOPICS {
        assert!(ids.contains(t), "topic {t} missing");
    }
    assert!(pack.cards.len() >= 300, "{} cards", pack.cards.len());
    assert!(
        pack.questions.len() >= 250,
        "{} questions",
        pack.questions.len()
    );
    let mut cards: HashMap<&str, usize> = HashMap::new();
    let mut questions: HashMap<&str, usize> = HashMap::new();
    for c in &pack.cards {
        *cards.entry(&c.topic).or_default() += 1;
    }
    for q in &pack.questions {
        *questions.entry(&q.topic).or_default() += 1;
    }
    for t in &pack.topics {
        let (c, q) = (
            cards.get(t.id.as_str()).copied().unwrap_or(0),
            questions.get(t.id.as_str()).copied().unwrap_or(0),
        );
        assert!(c >= 6 && q >= 5, "{}: {c} cards, {q} questions", t.id);
        if HEAVY.contains(&t.id.as_str()) {
            assert!(
                c >= 14 && q >= 10,
                "{} is an exam favourite but has {c} cards, {q} questions",
                t.id
            );
        }
        assert!(t.weight > 0.0, "{} has no exam weight", t.id);
    }
}

#[test]
fn questions_are_exam_shaped() {
    let pack = pack();
    let multi = pack
        .questions
        .iter()
        .filter(|q| q.kind == QuestionKind::Multi)
        .count();
    assert!(
        multi * 3 >= pack.questions.len(),
        "{multi} of {} questions are multiple-response",
        pack.questions.len()
    );
    for q in &pack.questions {
        assert!(
            q.choices.len() >= 3,
            "{} has {} choices",
            q.id,
            q.choices.len()
        );
        assert!(
            q.choices.iter().all(|c| !c.why.trim().is_empty()),
            "{}",
            q.id
        );
        assert!(!q.explanation.trim().is_empty(), "{}", q.id);
        assert!(
            !q.stem.to_lowercase().contains("choose two"),
            "{}: the app adds \"Choose TWO.\" itself",
            q.id
        );
        assert!(pack.section(&q.source).is_some(), "{}", q.id);
    }
}

#[test]
fn no_two_items_ask_the_same_thing_the_same_way() {
    let pack = pack();
    let norm = |s: &str| {
        s.to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
    };
    let mut seen: HashMap<String, String> = HashMap::new();
    for (id, text) in pack
        .cards
        .iter()
        .map(|c| (&c.id, &c.front))
        .chain(pack.questions.iter().map(|q| (&q.id, &q.stem)))
    {
        if let Some(other) = seen.insert(norm(text), id.clone()) {
            panic!("{id} and {other} ask the same thing the same way");
        }
    }
}

#[test]
fn facts_that_change_often_carry_a_last_verified_date() {
    let pack = pack();
    for topic in [
        "limits",
        "concurrency",
        "runtimes",
        "xray",
        "function-urls",
        "cold-start",
    ] {
        let note = pack.note(topic).expect("note");
        assert!(
            note.body.contains("Last verified"),
            "{topic} has no \"Last verified\" line"
        );
    }
}

#[test]
fn every_domain_of_the_default_exam_fills_three_disjoint_mocks() {
    let pack = pack();
    let exam = pack.default_exam();
    let quotas = exam.domain_quotas();
    assert_eq!(quotas.len(), exam.domains.len());
    for (domain, quota) in exam.domains.iter().zip(quotas) {
        let held = pack
            .questions
            .iter()
            .filter(|q| exam.includes_topic(&q.topic))
            .filter(|q| exam.domain_of(q) == Some(domain.id.as_str()))
            .count();
        assert!(
            held >= 3 * quota,
            "domain {} holds {held} questions; three mocks of {} need {}",
            domain.id,
            exam.code,
            3 * quota
        );
    }
}
