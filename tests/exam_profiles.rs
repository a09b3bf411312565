//! Exam profiles as a pack author and a learner meet them: `[[exam]]` validation with
//! `file:line:col`, the built-in pack's exams, mock exams drawn to domain weights, the report by
//! domain, the readiness estimate, and where its answers come from.

use std::borrow::Cow;
use std::path::Path;

use coldstart::content::{self, ExamStatus, Pack, PackFile, Report, Severity};
use coldstart::quiz::domains::{ExamReport, Verdict};
use coldstart::quiz::readiness::{self, Evidence, Rules};
use coldstart::quiz::{self, AnswerRecord, ExamConfig, Item, ItemRef, Origin};
use coldstart::store::{AttemptMode, Store};

/// The mini fixture's files, with `pack.toml` and `questions/all.toml` edited by `edit`.
fn mini_with(edit: impl Fn(&str, String) -> String) -> Vec<PackFile> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    let mut files = Vec::new();
    for sub in ["", "notes", "cards", "questions"] {
        for e in std::fs::read_dir(root.join(sub)).expect("read fixture") {
            let e = e.expect("entry");
            if !e.file_type().expect("type").is_file() {
                continue;
            }
            let name = e.file_name().to_string_lossy().into_owned();
            let path = if sub.is_empty() {
                name
            } else {
                format!("{sub}/{name}")
            };
            let text = std::fs::read_to_string(e.path()).expect("read");
            let text = edit(&path, text);
            files.push(PackFile {
                path,
                bytes: Cow::Owned(text.into_bytes()),
            });
        }
    }
    files
}

/// The 1-based line and column of the `nth` (0-based) occurrence of `needle` in `text`.
fn pos(text: &str, needle: &str, nth: usize) -> (usize, usize) {
    let at = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} not in text"))
        .0;
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn lines(report: &Report) -> String {
    report
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

const GOOD_EXAM: &str = r#"
[[exam]]
id = "good"
code = "GOOD-01"
title = "A good exam"
status = "active"
available_from = 2026-10-27
questions = 4
minutes = 10
pass = 75
source = "https://example.com/exam-guide"
verified = 2026-12-03

[[exam.domain]]
id = "basics"
title = "Basics"
weight = 50

[[exam.domain]]
id = "scale"
title = "Scaling"
weight = 50

[exam.topics]
limits = "basics"
async = "basics"
concurrency = "scale"
"#;

fn good_pack() -> Pack {
    let report = content::load_files(&mini_with(|path, text| match path {
        "pack.toml" => text + GOOD_EXAM,
        "questions/all.toml" => text.replacen(
            "id = \"limits-q-timeout\"",
            "id = \"limits-q-timeout\"\ndomains = { good = \"scale\" }",
            1,
        ),
        _ => text,
    }));
    assert_eq!(report.errors() + report.warnings(), 0, "{}", lines(&report));
    report.pack
}

#[test]
fn a_pack_without_exams_is_valid_and_uses_the_labelled_fallback() {
    let report = content::load_files(&mini_with(|_, t| t));
    assert_eq!(report.errors() + report.warnings(), 0, "{}", lines(&report));
    let pack = report.pack;
    assert!(pack.exams.is_empty());
    let choices = pack.exam_choices();
    assert_eq!(choices.len(), 1);
    let f = &choices[0];
    assert!(f.fallback);
    assert_eq!((f.questions, f.minutes, f.pass_percent()), (65, 130, 72));
    assert_eq!(f.status_label(), "built-in fallback");
    assert!(f.note.as_deref().is_some_and(|n| n.contains("DVA-C02")));
    // Every question counts toward the fallback's one domain.
    assert_eq!(f.domain_question_counts(&pack), vec![pack.questions.len()]);
    let json = coldstart::cli::check::to_json(&content::load_files(&mini_with(|_, t| t)));
    assert_eq!(json["exams"], serde_json::json!([]));
}

#[test]
fn a_valid_profile_maps_topics_and_question_overrides_to_domains() {
    let pack = good_pack();
    let exam = pack.exam_profile("good").expect("declared");
    assert_eq!(exam.status, ExamStatus::Active);
    assert_eq!(exam.status_label(), "active since 2026-10-27");
    assert_eq!(exam.domain_quotas(), vec![2, 2]);
    // limits-q-timeout moved from its topic's domain (basics) to scale.
    let q = pack.question("limits-q-timeout").expect("question");
    assert_eq!(exam.domain_of(q), Some("scale"));
    let q = pack.question("limits-q-memory").expect("question");
    assert_eq!(exam.domain_of(q), Some("basics"));
    assert_eq!(exam.domain_question_counts(&pack), vec![3, 2]);

    let json = coldstart::cli::check::to_json(&content::Report {
        pack: pack.clone(),
        diagnostics: Vec::new(),
    });
    assert_eq!(json["exams"][0]["id"], "good");
    assert_eq!(json["exams"][0]["status"], "active");
    assert_eq!(json["exams"][0]["domains"][1]["questions"], 2);
}

#[test]
fn profile_errors_are_reported_with_file_line_and_column() {
    let bad = r#"
[[exam]]
id = "bad"
code = "good-01"
title = "Bad"
status = "retired"
questions = 4
minutes = 10
pass = { score = 800, scale = 700 }

[[exam.domain]]
id = "basics"
title = "Basics"
weight = 60

[[exam.domain]]
id = "basics"
title = "Basics again"
weight = 30

[exam.topics]
limits = "nowhere"
nosuch = "basics"
"#;
    let pack_toml = std::cell::RefCell::new(String::new());
    let questions = std::cell::RefCell::new(String::new());
    let report = content::load_files(&mini_with(|path, text| match path {
        "pack.toml" => {
            let t = text + GOOD_EXAM + bad;
            *pack_toml.borrow_mut() = t.clone();
            t
        }
        "questions/all.toml" => {
            let t = text.replacen(
                "id = \"limits-q-timeout\"",
                "id = \"limits-q-timeout\"\ndomains = { nosuch-exam = \"basics\", good = \"nope\" }",
                1,
            );
            *questions.borrow_mut() = t.clone();
            t
        }
        _ => text,
    }));
    let out = lines(&report);
    let p = pack_toml.borrow();
    let q = questions.borrow();
    let expect = |file: &str, (line, col): (usize, usize), code: &str, words: &str| {
        let head = format!("{file}:{line}:{col}: error[{code}]");
        assert!(
            out.lines()
                .any(|l| l.starts_with(&head) && l.contains(words)),
            "missing `{head}` … `{words}` in:\n{out}"
        );
    };
    expect(
        "pack.toml",
        pos(&p, "\"good-01\"", 0),
        "E014",
        "duplicate exam code",
    );
    expect(
        "pack.toml",
        pos(&p, "\"retired\"", 0),
        "E013",
        "needs `last_day`",
    );
    expect(
        "pack.toml",
        pos(&p, "{ score = 800", 0),
        "E013",
        "cannot exceed",
    );
    // The second `id = "basics"` of the bad exam (the good exam has three "basics" before).
    expect(
        "pack.toml",
        pos(&p, "\"basics\"", 4),
        "E014",
        "duplicate domain id",
    );
    expect(
        "pack.toml",
        pos(&p, "\"basics\"", 3),
        "E015",
        "add up to 60, not 100",
    );
    expect(
        "pack.toml",
        pos(&p, "\"nowhere\"", 0),
        "E016",
        "not a domain of exam `bad`",
    );
    expect(
        "pack.toml",
        pos(&p, "nosuch = ", 0),
        "E016",
        "unknown topic `nosuch`",
    );
    expect(
        "questions/all.toml",
        pos(&q, "nosuch-exam", 0),
        "E016",
        "unknown exam `nosuch-exam`",
    );
    expect(
        "questions/all.toml",
        pos(&q, "good = \"nope\"", 0),
        "E016",
        "`nope` is not a domain of exam `good`",
    );
    // The broken profile is left out; the good one is kept.
    let ids: Vec<&str> = report.pack.exams.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, vec!["good"]);
}

#[test]
fn unmapped_topics_and_thin_domains_are_warnings() {
    let report = content::load_files(&mini_with(|path, text| match path {
        "pack.toml" => {
            text + &GOOD_EXAM
                .replace("concurrency = \"scale\"\n", "")
                .replace("questions = 4", "questions = 20")
        }
        _ => text,
    }));
    let out = lines(&report);
    assert_eq!(report.errors(), 0, "{out}");
    assert!(
        report.diagnostics.iter().any(|d| d.code == "W004"
            && d.severity == Severity::Warning
            && d.message.contains("`concurrency`")),
        "{out}"
    );
    // 20 questions over 50/50 want 10 per domain; the pack has 4 and 0.
    assert!(
        out.contains(
            "warning[W005]: domain `basics` of exam `good` has 4 question(s), fewer than the 10"
        ),
        "{out}"
    );
    assert!(out.contains("domain `scale` of exam `good` has 0"), "{out}");
}

#[test]
fn the_built_in_pack_declares_dva_c03_active_and_dva_c02_retired() {
    let report = content::load_files(&content::embedded_files());
    assert_eq!(report.errors() + report.warnings(), 0, "{}", lines(&report));
    let json = coldstart::cli::check::to_json(&report);
    let exams = json["exams"].as_array().expect("exams");
    let c03 = exams
        .iter()
        .find(|e| e["code"] == "DVA-C03")
        .expect("DVA-C03");
    let c02 = exams
        .iter()
        .find(|e| e["code"] == "DVA-C02")
        .expect("DVA-C02");
    assert_eq!(c03["status"], "active");
    assert_eq!(c02["status"], "retired");
    assert_eq!(
        (c03["questions"].as_u64(), c03["minutes"].as_u64()),
        (Some(65), Some(130))
    );
    let pack = report.pack;
    let active = pack.default_exam();
    assert_eq!(active.code, "DVA-C03");
    // Every question counts toward a domain of the active exam, except those of the topic about
    // the exam itself, which its mocks leave out.
    assert_eq!(active.excluded, ["exam"]);
    let mut in_mocks = 0;
    for q in &pack.questions {
        assert_eq!(
            active.domain_of(q).is_some(),
            active.includes_topic(&q.topic),
            "{}",
            q.id
        );
        in_mocks += usize::from(active.includes_topic(&q.topic));
    }
    let counted: u64 = c03["domains"]
        .as_array()
        .expect("domains")
        .iter()
        .map(|d| d["questions"].as_u64().expect("count"))
        .sum();
    assert_eq!(counted, in_mocks as u64);
    // A mock of the active exam never draws a question about the exam itself.
    let config = ExamConfig::for_profile(&active);
    for seed in 0..5 {
        let items = quiz::exam::build_items(&pack, &config, seed).expect("draw");
        assert_eq!(items.len(), 65);
        assert!(items.iter().all(|i| i.question.topic != "exam"));
    }
    // The unconfirmed DVA-C03 shape says so.
    assert!(
        active
            .note
            .as_deref()
            .is_some_and(|n| n.contains("not yet confirmed") && n.contains("DVA-C02 shape"))
    );
    let c02 = pack.exam_profile("dva-c02").expect("dva-c02");
    assert_eq!(c02.status_label(), "retired on 2026-12-01");
    // The chooser offers the active exam first.
    let order: Vec<String> = pack.exam_choices().iter().map(|e| e.code.clone()).collect();
    assert_eq!(order, vec!["DVA-C03", "DVA-C02"]);
}

#[test]
fn coldstart_exams_lists_profiles_and_labels_the_retired_one() {
    let pack = content::embedded().expect("built-in pack");
    let mut out = Vec::new();
    let mut err = Vec::new();
    assert_eq!(
        coldstart::cli::exams::run(&pack, false, &mut out, &mut err),
        0
    );
    let text = String::from_utf8(out).expect("utf-8");
    assert!(
        text.contains("DVA-C03  AWS Certified Developer – Associate: active  (default)"),
        "{text}"
    );
    assert!(
        text.contains("DVA-C02  AWS Certified Developer – Associate: retired on 2026-12-01"),
        "{text}"
    );
    assert!(
        text.contains("65 questions, 130 minutes, pass mark 720 of 1000"),
        "{text}"
    );
    let mut out = Vec::new();
    assert_eq!(
        coldstart::cli::exams::run(&pack, true, &mut out, &mut err),
        0
    );
    let json: serde_json::Value = serde_json::from_slice(&out).expect("json");
    assert_eq!(json["exams"][1]["last_day"], "2026-12-01");
    assert_eq!(json["exams"][0]["default"], true);
    assert_eq!(json["exams"][0]["pass"]["score"], 720);
}

#[test]
fn a_mock_exam_is_drawn_to_the_domain_weights() {
    let pack = content::embedded().expect("built-in pack");
    let profile = pack.default_exam().into_owned();
    assert_eq!(profile.domain_quotas(), vec![21, 17, 15, 12]);
    let config = ExamConfig::for_profile(&profile);
    assert_eq!(
        (config.count, config.minutes, config.pass_mark_pct),
        (65, 130, 72)
    );
    for seed in 0..5 {
        let items = quiz::exam::build_items(&pack, &config, seed).expect("builds");
        assert_eq!(items.len(), 65);
        let mut per_domain = vec![0; profile.domains.len()];
        for item in &items {
            let d = profile.domain_of(&item.question).expect("has a domain");
            let i = profile
                .domains
                .iter()
                .position(|x| x.id == d)
                .expect("known");
            per_domain[i] += 1;
        }
        assert_eq!(per_domain, vec![21, 17, 15, 12], "seed {seed}");
    }
    // The same seed gives the same exam.
    let a = quiz::exam::build_items(&pack, &config, 9).expect("builds");
    let b = quiz::exam::build_items(&pack, &config, 9).expect("builds");
    let ids = |v: &[Item]| v.iter().map(|i| i.question.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&a), ids(&b));
}

fn items_of(pack: &Pack, ids: &[&str]) -> Vec<Item> {
    ids.iter()
        .map(|id| Item {
            question: pack.question(id).expect("question").clone(),
            origin: Origin::Authored,
            order: (0..pack.question(id).expect("question").choices.len()).collect(),
        })
        .collect()
}

#[test]
fn the_report_judges_each_domain_against_the_pass_mark() {
    let pack = good_pack();
    let profile = pack.exam_profile("good").expect("good").into_owned();
    // basics: limits-q-memory right, async-q-retries right, async-q-age wrong (2 of 3 < 75 %);
    // scale: concurrency-q-reserve right, limits-q-timeout right (2 of 2).
    let items = items_of(
        &pack,
        &[
            "limits-q-memory",
            "async-q-retries",
            "async-q-age",
            "concurrency-q-reserve",
            "limits-q-timeout",
        ],
    );
    let results = vec![true, true, false, true, true];
    let report = quiz::Report {
        correct: 4,
        total: 5,
        answered: 5,
        pass_mark_pct: Some(75),
        topics: Vec::new(),
        time_used_ms: 0,
        results,
    };
    let r = ExamReport::build(&pack, &profile, &items, &report);
    assert!(r.passed, "4 of 5 is 80 %, above 75 %");
    assert_eq!(r.scaled, None, "a percentage pass mark has no scale");
    assert_eq!(r.headline(), "Pass: 80% (pass mark 75%)");
    let basics = &r.domains[0];
    assert_eq!((basics.correct, basics.total), (2, 3));
    assert_eq!(basics.verdict, Some(Verdict::NeedsImprovement));
    assert_eq!(
        basics.verdict.map(Verdict::label),
        Some("Needs improvement")
    );
    // The drill-down lists the domain's topics in pack order.
    let topics: Vec<(&str, usize, usize)> = basics
        .topics
        .iter()
        .map(|t| (t.topic.as_str(), t.correct, t.total))
        .collect();
    assert_eq!(topics, vec![("limits", 1, 1), ("async", 1, 2)]);
    let scale = &r.domains[1];
    assert_eq!(scale.verdict, Some(Verdict::Meets));
    assert_eq!(r.weakest_domain().map(|d| d.id.as_str()), Some("basics"));

    // A scaled pass mark gives a labelled estimate.
    let pack = content::embedded().expect("built-in pack");
    let dva = pack.default_exam().into_owned();
    let ids: Vec<&str> = pack
        .questions
        .iter()
        .take(10)
        .map(|q| q.id.as_str())
        .collect();
    let items = items_of(&pack, &ids);
    let report = quiz::Report {
        correct: 7,
        total: 10,
        answered: 10,
        pass_mark_pct: Some(72),
        topics: Vec::new(),
        time_used_ms: 0,
        results: vec![
            true, true, true, true, true, true, true, false, false, false,
        ],
    };
    let r = ExamReport::build(&pack, &dva, &items, &report);
    assert!(!r.passed);
    assert_eq!(
        r.headline(),
        "Fail: ≈ 700 of 1000 (an estimate; pass mark 720)"
    );
}

/// A question's answers: whether the first was right, how many there were, how many right.
fn ev(q: &str, topic: &str, first_correct: bool, answers: u32, right: u32) -> Evidence {
    Evidence {
        question_id: q.to_owned(),
        topic: topic.to_owned(),
        first_correct,
        answers,
        right,
    }
}

/// One domain, two questions a sitting, pass 50 %: small enough to compute by hand.
fn tiny_profile(pack: &Pack) -> content::ExamProfile {
    let mut p = pack.exam_profile("good").expect("good").into_owned();
    p.questions = 2;
    p.pass = content::PassMark::Percent(50.0);
    p.domains.truncate(1);
    p.domains[0].weight = 100.0;
    p.topic_domains = pack
        .topics
        .iter()
        .map(|t| (t.id.clone(), "basics".to_owned()))
        .collect();
    p.question_domains.clear();
    p
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn readiness_with_no_answers_asks_for_more() {
    let pack = good_pack();
    let profile = pack.exam_profile("good").expect("good").into_owned();
    let r = readiness::estimate(&pack, &profile, &[], Rules::default());
    assert_eq!(r.predicted, None);
    assert_eq!(r.interval, None);
    assert!(!r.ready);
    // 5 in each of 2 domains is 10, but 30 in all are wanted.
    assert_eq!(r.more_needed, 30);
    assert!(
        r.domains
            .iter()
            .all(|d| d.more_needed == 5 && d.predicted.is_none())
    );
    assert_eq!(r.all_answers_share, None);
}

#[test]
fn readiness_all_right_matches_the_hand_computed_beta_binomial() {
    let pack = good_pack();
    let profile = tiny_profile(&pack);
    let rules = Rules {
        min_per_domain: 1,
        min_total: 1,
    };
    // 3 of 3 right: Beta(4, 1); two questions: P = 1/15, 4/15, 10/15; mean 0.8;
    // 10th percentile 1 (cumulative 5/15), 90th 2.
    let evidence = [
        ev("limits-q-memory", "limits", true, 1, 1),
        ev("async-q-retries", "async", true, 1, 1),
        ev("async-q-age", "async", true, 1, 1),
    ];
    let r = readiness::estimate(&pack, &profile, &evidence, rules);
    assert!(close(r.predicted.expect("a number"), 0.8), "{r:?}");
    let i = r.interval.expect("interval");
    assert!(close(i.low, 0.5) && close(i.high, 1.0), "{i:?}");
    assert!(r.ready, "the lower end 50 % reaches the 50 % pass mark");
    assert_eq!(r.first_sight, 3);
}

#[test]
fn readiness_mixed_uses_first_sight_answers_only() {
    let pack = good_pack();
    let profile = tiny_profile(&pack);
    let rules = Rules {
        min_per_domain: 1,
        min_total: 1,
    };
    // First sight: 2 of 3 right → Beta(3, 2): P = 0.2, 0.4, 0.4; mean 0.6; interval 0–100 %.
    // The repeat answer (right) counts only in the all-answers share: 3 of 4.
    let evidence = [
        ev("limits-q-memory", "limits", true, 1, 1),
        ev("async-q-retries", "async", false, 2, 1),
        ev("async-q-age", "async", true, 1, 1),
    ];
    let r = readiness::estimate(&pack, &profile, &evidence, rules);
    assert!(close(r.predicted.expect("a number"), 0.6), "{r:?}");
    let i = r.interval.expect("interval");
    assert!(close(i.low, 0.0) && close(i.high, 1.0), "{i:?}");
    assert!(!r.ready);
    assert!(close(r.all_answers_share.expect("share"), 0.75));
    assert_eq!((r.first_sight, r.all_answers), (3, 4));
}

#[test]
fn readiness_combines_domains_by_weight_and_waits_for_an_empty_domain() {
    let pack = good_pack();
    let mut profile = pack.exam_profile("good").expect("good").into_owned();
    profile.questions = 2; // one question per domain
    let rules = Rules {
        min_per_domain: 1,
        min_total: 1,
    };
    // One domain empty: no overall number; one more first-sight answer wanted, in `scale`.
    let basics_only = [ev("limits-q-memory", "limits", true, 1, 1)];
    let r = readiness::estimate(&pack, &profile, &basics_only, rules);
    assert_eq!(r.predicted, None);
    assert_eq!(r.more_needed, 1);
    assert_eq!(r.domains[1].more_needed, 1);
    // The domain with evidence still has its own figure: Beta(2, 1) on one question.
    assert!(close(r.domains[0].predicted.expect("basics"), 2.0 / 3.0));

    // basics 1 of 1 right (Beta(2,1)), scale 0 of 1 (Beta(1,2)): the sum over the two
    // questions is 2/9, 5/9, 2/9 — mean 50 %, interval 0–100 %.
    let both = [
        ev("limits-q-memory", "limits", true, 1, 1),
        ev("concurrency-q-reserve", "concurrency", false, 1, 0),
    ];
    let r = readiness::estimate(&pack, &profile, &both, rules);
    assert!(close(r.predicted.expect("a number"), 0.5), "{r:?}");
    let i = r.interval.expect("interval");
    assert!(close(i.low, 0.0) && close(i.high, 1.0));
    // The question override counts toward its exam domain, not its topic's.
    let moved = [ev("limits-q-timeout", "limits", true, 1, 1)];
    let r = readiness::estimate(&pack, &profile, &moved, rules);
    assert_eq!((r.domains[0].first_sight, r.domains[1].first_sight), (0, 1));
}

fn answer(q: &str, topic: &str, position: usize, correct: bool) -> AnswerRecord {
    AnswerRecord {
        position,
        question_id: q.to_owned(),
        topic: topic.to_owned(),
        chosen: vec![0],
        correct,
        flagged: false,
        time_ms: 1000,
    }
}

fn item_ref(q: &str, topic: &str) -> ItemRef {
    ItemRef {
        question_id: q.to_owned(),
        topic: topic.to_owned(),
        origin: Origin::Authored,
        order: vec![0, 1, 2, 3],
    }
}

#[test]
fn the_store_gives_first_sights_from_practice_and_submitted_exams_only() {
    let mut store = Store::open_in_memory().expect("store");
    let refs = [item_ref("q1", "limits"), item_ref("q2", "async")];
    // An unsubmitted exam answers q1 first: it never counts.
    let open_exam = store
        .create_quiz_attempt("mini", AttemptMode::Exam, 1, "{}", 1_000, &refs)
        .expect("attempt");
    store
        .save_quiz_answer(open_exam, &answer("q1", "limits", 0, true), 1_100, 0, 0)
        .expect("save");
    // Practice answers q1 wrong: its first sight.
    let practice = store
        .create_quiz_attempt("mini", AttemptMode::Practice, 2, "{}", 2_000, &refs)
        .expect("attempt");
    store
        .save_quiz_answer(practice, &answer("q1", "limits", 0, false), 2_100, 0, 0)
        .expect("save");
    // A submitted exam answers q1 again (right) and q2 for the first time.
    let done = store
        .create_quiz_attempt("mini", AttemptMode::Exam, 3, "{}", 3_000, &refs)
        .expect("attempt");
    store
        .save_quiz_answer(done, &answer("q1", "limits", 0, true), 3_100, 0, 0)
        .expect("save");
    store
        .save_quiz_answer(done, &answer("q2", "async", 1, true), 3_200, 0, 1)
        .expect("save");
    store
        .finish_quiz_attempt(done, 3_300, 300, 2)
        .expect("finish");
    let got = store.readiness_evidence("mini").expect("evidence");
    assert_eq!(
        got,
        vec![
            ev("q1", "limits", false, 2, 1),
            ev("q2", "async", true, 1, 1),
        ]
    );
    // Another pack's answers are not this one's.
    assert!(
        store
            .readiness_evidence("other")
            .expect("evidence")
            .is_empty()
    );
}

#[test]
fn stats_json_carries_the_readiness_of_the_default_exam() {
    use std::sync::Arc;
    let pack = Arc::new(content::embedded().expect("built-in pack"));
    let clock = Arc::new(coldstart::clock::FixedClock::new(
        "2026-12-03T10:00:00Z".parse().expect("ts"),
    ));
    let mut state = coldstart::app::AppState::in_memory(pack.clone(), clock).expect("state");
    // Five first-sight answers, all right, in a practice session.
    let qs: Vec<_> = pack.questions.iter().take(5).cloned().collect();
    let refs: Vec<ItemRef> = qs.iter().map(|q| item_ref(&q.id, &q.topic)).collect();
    let attempt = state
        .store
        .create_quiz_attempt("aws-lambda", AttemptMode::Practice, 1, "{}", 1_000, &refs)
        .expect("attempt");
    for (i, q) in qs.iter().enumerate() {
        state
            .store
            .save_quiz_answer(attempt, &answer(&q.id, &q.topic, i, true), 2_000, 0, i)
            .expect("save");
    }
    let mut out = Vec::new();
    let mut err = Vec::new();
    assert_eq!(
        coldstart::cli::stats::run(&mut state, true, &mut out, &mut err),
        0
    );
    let json: serde_json::Value = serde_json::from_slice(&out).expect("json");
    let r = &json["readiness"];
    assert_eq!(r["exam"], "dva-c03");
    assert_eq!(r["first_sight"], 5);
    assert_eq!(
        r["predicted"],
        serde_json::Value::Null,
        "too little evidence for a number"
    );
    assert_eq!(r["more_needed"], 25);
    assert_eq!(r["ready"], false);
    assert_eq!(r["domains"].as_array().map(Vec::len), Some(4));
    let mut out = Vec::new();
    assert_eq!(
        coldstart::cli::stats::run(&mut state, false, &mut out, &mut err),
        0
    );
    let text = String::from_utf8(out).expect("utf-8");
    assert!(
        text.contains("Readiness for DVA-C03: answer 25 more questions you have not seen before"),
        "{text}"
    );
}
