//! The pure quiz core: sampling, shuffling, scoring, and the practice and exam state machines.

use std::collections::{BTreeSet, HashMap};

use coldstart::content::{Choice, GeneratorUse, Pack, Question, QuestionKind, SectionRef, Topic};
use coldstart::quiz::{
    self, ExamConfig, ExamSession, History, Item, PracticeConfig, PracticeSession, exam, generate,
    practice,
};
use jiff::{SignedDuration, Timestamp};

fn choice(text: &str, correct: bool) -> Choice {
    Choice {
        text: text.to_owned(),
        correct,
        why: format!("why {text}"),
    }
}

fn question(id: &str, topic: &str, multi: bool) -> Question {
    let choices = if multi {
        vec![
            choice("a", true),
            choice("b", true),
            choice("c", false),
            choice("d", false),
            choice("e", false),
        ]
    } else {
        vec![
            choice("a", true),
            choice("b", false),
            choice("c", false),
            choice("d", false),
        ]
    };
    Question {
        id: id.to_owned(),
        topic: topic.to_owned(),
        kind: if multi {
            QuestionKind::Multi
        } else {
            QuestionKind::Single
        },
        stem: format!("Stem of {id}"),
        choices,
        explanation: "Because.".to_owned(),
        source: SectionRef {
            topic: topic.to_owned(),
            anchor: "intro".to_owned(),
        },
        difficulty: None,
        tags: Vec::new(),
        refs: Vec::new(),
        verified: None,
    }
}

/// Three topics weighted 6 : 3 : 1, with 40 questions each.
fn pack() -> Pack {
    let mut pack = Pack::default();
    for (id, w) in [("big", 6.0), ("mid", 3.0), ("small", 1.0)] {
        pack.topics.push(Topic {
            id: id.to_owned(),
            title: format!("Topic {id}"),
            weight: w,
            summary: None,
        });
        for i in 0..40 {
            pack.questions
                .push(question(&format!("{id}-{i}"), id, i % 5 == 0));
        }
    }
    pack
}

fn t0() -> Timestamp {
    Timestamp::from_second(1_800_000_000).expect("valid")
}

fn secs(s: i64) -> SignedDuration {
    SignedDuration::from_secs(s)
}

#[test]
fn sampling_honours_topic_weights_over_many_seeds() {
    let pack = pack();
    let config = ExamConfig {
        count: 25,
        ..ExamConfig::default()
    };
    let mut counts: HashMap<String, usize> = HashMap::new();
    let seeds = 400;
    for seed in 0..seeds {
        let items = exam::build_items(&pack, &config, seed).expect("builds");
        assert_eq!(items.len(), 25);
        let ids: BTreeSet<&str> = items.iter().map(|i| i.question.id.as_str()).collect();
        assert_eq!(ids.len(), 25, "no question twice");
        for it in &items {
            *counts.entry(it.question.topic.clone()).or_default() += 1;
        }
    }
    let total = (25 * seeds) as f64;
    for (topic, share) in [("big", 0.6), ("mid", 0.3), ("small", 0.1)] {
        let got = counts[topic] as f64 / total;
        assert!(
            (got - share).abs() < 0.01,
            "{topic}: expected {share}, got {got}"
        );
    }
}

#[test]
fn a_small_topic_gives_its_place_to_others() {
    let mut pack = pack();
    pack.questions
        .retain(|q| q.topic != "big" || q.id == "big-1");
    let items = exam::build_items(
        &pack,
        &ExamConfig {
            count: 20,
            ..Default::default()
        },
        9,
    )
    .expect("builds");
    assert_eq!(items.len(), 20);
    assert_eq!(
        items.iter().filter(|i| i.question.topic == "big").count(),
        1
    );
}

#[test]
fn exam_defaults_are_dva_c02_and_take_all_when_the_pack_is_small() {
    let c = ExamConfig::default();
    assert_eq!((c.count, c.minutes, c.pass_mark_pct), (65, 130, 72));
    assert!(!c.include_generated);
    let mut pack = pack();
    pack.questions.truncate(12);
    let items = exam::build_items(&pack, &c, 1).expect("builds");
    assert_eq!(items.len(), 12);
    assert!(
        items
            .iter()
            .all(|i| matches!(i.origin, quiz::Origin::Authored))
    );
}

#[test]
fn the_same_seed_gives_the_same_exam_and_another_seed_another() {
    let pack = pack();
    let c = ExamConfig {
        count: 20,
        include_generated: true,
        ..Default::default()
    };
    let a = exam::build_items(&pack, &c, 42).expect("builds");
    let b = exam::build_items(&pack, &c, 42).expect("builds");
    let refs = |v: &[Item]| v.iter().map(Item::to_ref).collect::<Vec<_>>();
    assert_eq!(refs(&a), refs(&b));
    let other = exam::build_items(&pack, &c, 43).expect("builds");
    assert_ne!(refs(&a), refs(&other));
    // Choices are really shuffled: not every item keeps the authored order.
    assert!(
        a.iter()
            .any(|i| i.order != (0..i.order.len()).collect::<Vec<_>>())
    );
}

#[test]
fn a_stored_item_rebuilds_exactly() {
    let mut pack = pack();
    pack.topics.push(Topic {
        id: "concurrency".to_owned(),
        title: "Concurrency".to_owned(),
        weight: 1.0,
        summary: None,
    });
    pack.generators.push(GeneratorUse {
        id: "concurrency".to_owned(),
        topic: "concurrency".to_owned(),
    });
    let items = practice::build_items(
        &pack,
        &PracticeConfig {
            topics: vec!["concurrency".to_owned()],
            count: 3,
            include_generated: true,
            ..Default::default()
        },
        &History::default(),
        5,
    )
    .expect("generated questions alone make a session");
    assert_eq!(items.len(), 3);
    for item in &items {
        let back = Item::from_ref(&pack, &item.to_ref()).expect("rebuilds");
        assert_eq!(back.question.stem, item.question.stem);
        assert_eq!(back.order, item.order);
    }
    let mut bad = items[0].to_ref();
    bad.order.pop();
    assert!(Item::from_ref(&pack, &bad).is_err());
}

#[test]
fn multiple_response_scoring_is_all_or_nothing() {
    let q = question("m", "big", true);
    let set = |v: &[usize]| v.iter().copied().collect::<BTreeSet<usize>>();
    assert!(quiz::score::is_correct(&q, &set(&[0, 1])));
    assert!(
        !quiz::score::is_correct(&q, &set(&[0])),
        "half right is wrong"
    );
    assert!(!quiz::score::is_correct(&q, &set(&[0, 1, 2])));
    assert!(!quiz::score::is_correct(&q, &set(&[])));
    let item = Item {
        question: q,
        origin: quiz::Origin::Authored,
        order: vec![4, 3, 2, 1, 0],
    };
    assert_eq!(item.choose_prompt().as_deref(), Some("Choose TWO."));
    let mut chosen = BTreeSet::new();
    item.toggle(&mut chosen, 4); // authored 0
    item.toggle(&mut chosen, 3); // authored 1
    item.toggle(&mut chosen, 0); // refused: two already chosen
    assert_eq!(chosen, set(&[0, 1]));
}

#[test]
fn practice_reveals_each_answer_and_records_it() {
    let pack = pack();
    let items = practice::build_items(
        &pack,
        &PracticeConfig {
            topics: vec!["mid".to_owned()],
            count: 3,
            ..Default::default()
        },
        &History::default(),
        1,
    )
    .expect("builds");
    assert!(items.iter().all(|i| i.question.topic == "mid"));
    let mut s = PracticeSession::new(items, t0());
    assert!(!s.can_submit(), "nothing chosen yet");
    // Choose whichever shown place holds the right answer for a single question.
    let (item, _) = s.current().expect("a question");
    let right = right_places(item);
    for &p in &right {
        s.toggle(p);
    }
    let rec = s
        .submit(t0().checked_add(secs(7)).expect("ok"))
        .expect("submitted");
    assert!(rec.correct);
    assert_eq!(rec.time_ms, 7000);
    s.toggle(0);
    assert_eq!(s.record(0).chosen, rec.chosen, "no changes after reveal");
    s.next(t0());
    let (item, _) = s.current().expect("second question");
    let wrong = (0..item.order.len())
        .find(|p| !right_places(item).contains(p))
        .expect("a wrong choice");
    s.toggle(wrong);
    let rec = s.submit(t0()).expect("submitted");
    assert!(!rec.correct);
    let flagged = s
        .toggle_flag()
        .expect("flagging an answered question rewrites it");
    assert!(flagged.flagged);
    s.next(t0());
    let needed = s.current().expect("third question").0.needed();
    for p in 0..needed - 1 {
        s.toggle(p);
    }
    if needed > 1 {
        assert!(!s.can_submit(), "a partial multiple-response pick waits");
        assert!(s.submit(t0()).is_none());
        assert_eq!(s.still_to_pick(), 1);
    }
    s.toggle(needed - 1);
    assert!(s.submit(t0()).is_some());
    s.next(t0());
    assert!(s.is_finished());
    let report = s.report(&pack);
    assert_eq!(report.total, 3);
    assert_eq!(report.passed(), None);
}

fn right_places(item: &Item) -> Vec<usize> {
    item.shown_choices()
        .enumerate()
        .filter(|(_, (_, c))| c.correct)
        .map(|(p, _)| p)
        .collect()
}

#[test]
fn retake_keeps_wrong_flagged_and_unseen_questions() {
    let pack = pack();
    let mut history = History::default();
    history.last_answer.insert(
        "small-0".into(),
        quiz::PastAnswer {
            correct: true,
            flagged: false,
            answered: true,
        },
    );
    history.last_answer.insert(
        "small-1".into(),
        quiz::PastAnswer {
            correct: false,
            flagged: false,
            answered: true,
        },
    );
    history.last_answer.insert(
        "small-2".into(),
        quiz::PastAnswer {
            correct: true,
            flagged: true,
            answered: true,
        },
    );
    let items = practice::build_items(
        &pack,
        &PracticeConfig {
            topics: vec!["small".to_owned()],
            count: 100,
            retake: true,
            ..Default::default()
        },
        &history,
        3,
    )
    .expect("builds");
    let ids: BTreeSet<&str> = items.iter().map(|i| i.question.id.as_str()).collect();
    assert_eq!(ids.len(), 39);
    assert!(!ids.contains("small-0"));
    assert!(ids.contains("small-1") && ids.contains("small-2"));

    // A short retake is about the mistakes: the wrong and flagged ones come before the unseen.
    for seed in 0..20 {
        let items = practice::build_items(
            &pack,
            &PracticeConfig {
                topics: vec!["small".to_owned()],
                count: 2,
                retake: true,
                ..Default::default()
            },
            &history,
            seed,
        )
        .expect("builds");
        let ids: BTreeSet<&str> = items.iter().map(|i| i.question.id.as_str()).collect();
        assert_eq!(ids, BTreeSet::from(["small-1", "small-2"]), "seed {seed}");
    }
}

#[test]
fn a_session_never_asks_the_same_generated_question_twice() {
    let pack = coldstart::content::embedded().expect("embedded pack");
    for seed in 0..10 {
        let items = practice::build_items(
            &pack,
            &PracticeConfig {
                topics: vec!["async-invocation".to_owned()],
                count: 40,
                include_generated: true,
                ..Default::default()
            },
            &History::default(),
            seed,
        )
        .expect("builds");
        let stems: BTreeSet<&str> = items.iter().map(|i| i.question.stem.as_str()).collect();
        assert_eq!(stems.len(), items.len(), "seed {seed}: a stem repeats");
    }
}

#[test]
fn weakest_topics_come_first() {
    let pack = pack();
    let mut history = History::default();
    history.topic_stats.insert("big".into(), (9, 10));
    history.topic_stats.insert("mid".into(), (1, 10));
    history.topic_stats.insert("small".into(), (5, 10));
    let items = practice::build_items(
        &pack,
        &PracticeConfig {
            count: 50,
            weakest_first: true,
            ..Default::default()
        },
        &history,
        3,
    )
    .expect("builds");
    let topics: Vec<&str> = items.iter().map(|i| i.question.topic.as_str()).collect();
    assert!(topics[..40].iter().all(|t| *t == "mid"));
    assert!(topics[40..].iter().all(|t| *t == "small"));
}

#[test]
fn exam_hides_nothing_until_submit_and_scores_against_the_mark() {
    let pack = pack();
    let config = ExamConfig {
        count: 4,
        minutes: 10,
        pass_mark_pct: 75,
        ..Default::default()
    };
    let items = exam::build_items(&pack, &config, 7).expect("builds");
    let mut s = ExamSession::new(config, 7, items, t0());
    let at = |sec: i64| t0().checked_add(secs(sec)).expect("ok");
    // Answer 0 right, flag 1, answer 2 wrong then change it to right, leave 3 unanswered.
    for p in right_places(&s.items[0]) {
        s.toggle(p, at(10));
    }
    s.go_to(1, at(20));
    s.toggle_flag(at(25));
    s.go_to(2, at(30));
    let wrong = (0..s.items[2].order.len())
        .find(|p| !right_places(&s.items[2]).contains(p))
        .expect("wrong");
    s.toggle(wrong, at(31));
    s.go_to(3, at(40));
    // A multiple-response question with one pick is still incomplete.
    let expected = if s.items[2].question.kind == QuestionKind::Single {
        vec![1, 3]
    } else {
        vec![1, 2, 3]
    };
    assert_eq!(s.unanswered(), expected);
    s.go_to(2, at(50));
    if s.items[2].question.kind == QuestionKind::Single {
        for p in right_places(&s.items[2]) {
            s.toggle(p, at(55));
        }
    } else {
        s.toggle(wrong, at(55));
        for p in right_places(&s.items[2]) {
            s.toggle(p, at(55));
        }
    }
    assert_eq!(s.unanswered(), vec![1, 3]);
    assert_eq!(s.flagged(), vec![1]);
    assert_eq!(s.remaining_ms(at(60)), 540_000);
    let rec = s.submit(at(60)).expect("submitted");
    assert_eq!(rec.position, 2);
    assert!(s.toggle(0, at(61)).is_none(), "no changes after submit");
    let report = s.report(&pack, at(100));
    assert_eq!((report.correct, report.total), (2, 4));
    assert_eq!(report.passed(), Some(false));
    assert_eq!(report.time_used_ms, 60_000);
    // Time per question: question 2 was on screen 30–40 s and 50–60 s.
    assert_eq!(s.responses[2].time_ms, 20_000);
    assert_eq!(report.topics.iter().map(|t| t.total).sum::<usize>(), 4);
}

#[test]
fn the_exam_clock_runs_only_while_open_and_runs_out() {
    let pack = pack();
    let config = ExamConfig {
        count: 3,
        minutes: 1,
        ..Default::default()
    };
    let items = exam::build_items(&pack, &config, 1).expect("builds");
    let mut s = ExamSession::new(config.clone(), 1, items.clone(), t0());
    let at = |sec: i64| t0().checked_add(secs(sec)).expect("ok");
    s.pause(at(20));
    assert_eq!(
        s.remaining_ms(at(3600)),
        40_000,
        "closed time does not count"
    );
    let elapsed = s.elapsed_ms(at(3600));
    let mut resumed = ExamSession::resume(
        config,
        1,
        items,
        s.responses.clone(),
        2,
        elapsed,
        false,
        at(4000),
    );
    assert_eq!(resumed.position(), 2);
    assert!(!resumed.is_time_up(at(4039)));
    assert!(resumed.is_time_up(at(4040)));
    assert!(
        resumed.toggle(0, at(4041)).is_none(),
        "no answers after time is up"
    );
    resumed.submit(at(4041));
    assert!(resumed.is_submitted());
    assert!(!resumed.is_time_up(at(5000)));
}

/// A pack that declares no generators gets none, in practice and in mock exams, even when
/// the learner asks for them; the built-in pack's declarations bring them back.
#[test]
fn a_pack_without_generators_has_no_generated_questions() {
    let mut pack = coldstart::content::embedded().expect("embedded pack");
    let practice_config = PracticeConfig {
        topics: vec!["async-invocation".to_owned(), "concurrency".to_owned()],
        count: 20,
        include_generated: true,
        ..Default::default()
    };
    let exam_config = ExamConfig {
        count: 65,
        include_generated: true,
        ..Default::default()
    };
    let generated = |items: &[Item]| {
        items
            .iter()
            .filter(|i| matches!(i.origin, quiz::Origin::Generated { .. }))
            .count()
    };
    let with =
        practice::build_items(&pack, &practice_config, &History::default(), 3).expect("builds");
    assert!(
        generated(&with) > 0,
        "the built-in pack declares generators"
    );
    pack.generators.clear();
    for seed in 0..5 {
        let items = practice::build_items(&pack, &practice_config, &History::default(), seed)
            .expect("builds");
        assert_eq!(generated(&items), 0, "practice, seed {seed}");
        let items = exam::build_items(&pack, &exam_config, seed).expect("builds");
        assert_eq!(generated(&items), 0, "mock exam, seed {seed}");
    }
}

/// A pack maps a generator to a topic of its own: the questions carry that topic, never the
/// built-in pack's, and cite a section the pack has.
#[test]
fn generated_questions_take_the_topic_the_pack_maps_them_to() {
    let mut pack = pack();
    pack.generators.push(GeneratorUse {
        id: "async-retries".to_owned(),
        topic: "small".to_owned(),
    });
    let items = practice::build_items(
        &pack,
        &PracticeConfig {
            topics: vec!["small".to_owned()],
            count: 8,
            include_generated: true,
            ..Default::default()
        },
        &History::default(),
        9,
    )
    .expect("builds");
    let generated: Vec<_> = items
        .iter()
        .filter(|i| matches!(i.origin, quiz::Origin::Generated { .. }))
        .collect();
    assert!(!generated.is_empty());
    for item in generated {
        assert_eq!(item.question.topic, "small");
        let back = Item::from_ref(&pack, &item.to_ref()).expect("rebuilds");
        assert_eq!(back.question.topic, "small");
    }
}

#[test]
fn generators_cover_the_three_models() {
    let ids: Vec<&str> = generate::all().iter().map(|g| g.id()).collect();
    assert_eq!(ids, vec!["async-retries", "traffic-shift", "concurrency"]);
}

#[test]
fn every_generated_question_cites_a_real_section_of_the_embedded_pack() {
    let pack = coldstart::content::embedded().expect("the embedded pack loads");
    for g in generate::all() {
        assert_eq!(pack.generator_topic(g.id()), Some(g.topic()), "declared");
        assert!(
            pack.topic(g.topic()).is_some(),
            "{}: topic {}",
            g.id(),
            g.topic()
        );
        for seed in 0..300 {
            let q = g.generate(seed);
            assert!(
                pack.section(&q.source).is_some(),
                "{} seed {seed}: {} is not a section of the pack",
                g.id(),
                q.source
            );
        }
    }
}

#[test]
fn a_multiple_response_question_with_too_few_picks_is_incomplete() {
    let pack = pack();
    let config = ExamConfig {
        count: pack.questions.len(),
        ..Default::default()
    };
    let items = exam::build_items(&pack, &config, 3).expect("builds");
    let mut s = ExamSession::new(config, 3, items, t0());
    let multi = (0..s.len())
        .find(|&i| s.items[i].question.kind == QuestionKind::Multi)
        .expect("the fixture has a multiple-response question");
    s.go_to(multi, t0());
    let right = right_places(&s.items[multi]);
    s.toggle(right[0], t0());
    let status = s.status(multi);
    assert!(status.incomplete && !status.answered, "one of two picked");
    assert!(s.unanswered().contains(&multi));
    s.toggle(right[1], t0());
    let status = s.status(multi);
    assert!(status.answered && !status.incomplete);
    assert!(!s.unanswered().contains(&multi));
}
