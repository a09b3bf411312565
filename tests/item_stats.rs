//! Item statistics on hand-computed answer sets, from the store and from `export quiz` CSV
//! files; problem reports stored and exported.

use coldstart::authoring::item_stats::{self, Answer, Flag};
use coldstart::authoring::scaffold;
use coldstart::content::{Pack, PackFile};
use coldstart::quiz::{AnswerRecord, ItemRef, Origin};
use coldstart::store::{AttemptMode, ReportItem, ReportReason, Store};

const Q1: &str = "timeout-long-job"; // single, key 0, four choices
const Q2: &str = "timeout-facts"; // multi, keys 0 and 1, three choices

fn pack() -> Pack {
    let files = scaffold::files("demo", "Demo", jiff::civil::date(2026, 12, 3))
        .into_iter()
        .map(|(p, t)| PackFile {
            path: p.to_owned(),
            bytes: t.into_bytes().into(),
        })
        .collect::<Vec<_>>();
    coldstart::content::load_files(&files)
        .into_valid()
        .expect("starter pack is valid")
}

fn answer(
    learner: usize,
    attempt: i64,
    q: &str,
    chosen: &[usize],
    correct: bool,
    ms: u64,
) -> Answer {
    Answer {
        learner,
        attempt,
        question_id: q.to_owned(),
        generated: false,
        chosen: chosen.to_vec(),
        correct,
        time_ms: ms,
    }
}

/// Four learners, one attempt each with both questions:
///   learner  Q1        Q2
///   0        right [0]  right [0,1]
///   1        right [0]  wrong [0,2]
///   2        wrong [1]  wrong [2]
///   3        wrong [1]  wrong [1,2]
/// Q1: p = 0.5; discrimination = corr((1,1,0,0), (1,0,0,0)) = 0.5 / sqrt(1 × 0.75) = 0.57735;
/// choices C and D never picked. Q2: p = 0.25, same correlation; picks A 2, B 2, C 3.
fn answers() -> Vec<Answer> {
    vec![
        answer(0, 1, Q1, &[0], true, 1000),
        answer(0, 1, Q2, &[0, 1], true, 5000),
        answer(1, 1, Q1, &[0], true, 2000),
        answer(1, 1, Q2, &[0, 2], false, 5000),
        answer(2, 7, Q1, &[1], false, 3000),
        answer(2, 7, Q2, &[2], false, 5000),
        answer(3, 2, Q1, &[1], false, 10000),
        answer(3, 2, Q2, &[1, 2], false, 5000),
        // Learner 0 sees Q1 again later and gets it wrong: not a first sight, not counted.
        answer(0, 9, Q1, &[2], false, 100),
        answer(0, 9, Q2, &[0, 1], true, 100),
        // A generated question is left out (in an attempt of its own, so no rest score changes).
        Answer {
            generated: true,
            ..answer(1, 3, "gen-retry", &[0], true, 1)
        },
    ]
}

#[test]
fn hand_computed_p_value_discrimination_picks_and_times() {
    let stats = item_stats::compute(&answers(), &pack(), 1);
    assert_eq!(stats.len(), 2, "{stats:#?}");
    let q1 = &stats[0];
    assert_eq!(q1.question_id, Q1);
    assert_eq!(q1.answers, 4);
    assert!((q1.p_value - 0.5).abs() < 1e-9);
    let r = q1.discrimination.expect("has spread");
    assert!((r - 0.5 / 0.75f64.sqrt()).abs() < 1e-9, "{r}");
    let picks: Vec<usize> = q1.choices.iter().map(|c| c.picked).collect();
    assert_eq!(picks, [2, 2, 0, 0]);
    assert_eq!(
        q1.flags,
        [
            Flag::UnpickedDistractor { index: 2 },
            Flag::UnpickedDistractor { index: 3 }
        ]
    );
    assert!((q1.mean_time_ms - 4000.0).abs() < 1e-9);
    assert_eq!(q1.median_time_ms, 3000);

    let q2 = &stats[1];
    assert!((q2.p_value - 0.25).abs() < 1e-9);
    assert!((q2.discrimination.expect("spread") - 0.57735).abs() < 1e-4);
    let picks: Vec<usize> = q2.choices.iter().map(|c| c.picked).collect();
    assert_eq!(picks, [2, 2, 3]);
    assert!(q2.flags.is_empty());
}

#[test]
fn negative_discrimination_is_flagged_and_min_answers_filters() {
    // Those who get Q2 right get Q1 wrong and the other way round: r = −1.
    let a = vec![
        answer(0, 1, Q1, &[0], true, 1),
        answer(0, 1, Q2, &[2], false, 1),
        answer(1, 1, Q1, &[1], false, 1),
        answer(1, 1, Q2, &[0, 1], true, 1),
        answer(2, 1, Q1, &[0], true, 1),
        answer(2, 1, Q2, &[2], false, 1),
    ];
    let stats = item_stats::compute(&a, &pack(), 1);
    let r = stats[0].discrimination.expect("spread");
    assert!((r + 1.0).abs() < 1e-9, "{r}");
    assert!(
        stats[0]
            .flags
            .iter()
            .any(|f| matches!(f, Flag::NegativeDiscrimination { .. }))
    );
    assert!(item_stats::compute(&a, &pack(), 4).is_empty());
}

#[test]
fn the_store_gives_first_sight_answers_in_order() {
    let mut store = Store::open_in_memory().expect("store");
    let item = |q: &str| ItemRef {
        question_id: q.to_owned(),
        topic: "function-timeout".to_owned(),
        origin: Origin::Authored,
        order: vec![0, 1, 2],
    };
    let record = |position: usize, q: &str, chosen: Vec<usize>, correct: bool| AnswerRecord {
        position,
        question_id: q.to_owned(),
        topic: "function-timeout".to_owned(),
        chosen,
        correct,
        flagged: false,
        time_ms: 1500,
    };
    let a1 = store
        .create_quiz_attempt(
            "demo",
            AttemptMode::Practice,
            1,
            "{}",
            1_000,
            &[item(Q1), item(Q2)],
        )
        .expect("attempt");
    store
        .save_quiz_answer(a1, &record(0, Q1, vec![0], true), 1_100, 0, 0)
        .expect("save");
    store
        .save_quiz_answer(a1, &record(1, Q2, vec![2], false), 1_200, 0, 1)
        .expect("save");
    let a2 = store
        .create_quiz_attempt("demo", AttemptMode::Exam, 2, "{}", 5_000, &[item(Q1)])
        .expect("attempt");
    store
        .save_quiz_answer(a2, &record(0, Q1, vec![1], false), 5_100, 0, 0)
        .expect("save");

    let rows = store.item_answer_rows("demo").expect("rows");
    assert_eq!(rows.len(), 3);
    assert_eq!((rows[0].attempt, rows[0].question_id.as_str()), (a1, Q1));
    assert_eq!(rows[2].chosen, [1]);
    let answers = coldstart::cli::item_stats::answers_from_store(&store, "demo").expect("answers");
    let stats = item_stats::compute(&answers, &pack(), 1);
    // Q1's first sight was right; the later wrong answer is not counted.
    assert_eq!((stats[0].answers, stats[0].p_value), (1, 1.0));

    let mut out = Vec::new();
    let mut err = Vec::new();
    assert_eq!(
        coldstart::cli::item_stats::run(&pack(), &answers, false, 1, &mut out, &mut err),
        0
    );
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains("timeout-long-job"), "{text}");
    assert!(text.contains("A*:1"), "{text}");
    assert!(text.contains("nobody picks distractor B"), "{text}");
}

#[test]
fn export_quiz_csv_files_of_several_learners() {
    let csv = |rows: &[(&str, &str, bool)]| {
        let mut s = String::from(
            "attempt,mode,position,question_id,topic,generator,generator_seed,chosen,correct,flagged,time_ms,answered_at\n",
        );
        for (i, (q, chosen, ok)) in rows.iter().enumerate() {
            s.push_str(&format!(
                "1,exam,{i},{q},function-timeout,,,{chosen},{ok},false,1000,2026-12-01T10:00:00Z\n"
            ));
        }
        s
    };
    let dir = tempfile::tempdir().expect("tmp");
    let files: Vec<std::path::PathBuf> = [
        csv(&[(Q1, "0", true), (Q2, "0 1", true)]),
        csv(&[(Q1, "0", true), (Q2, "0 2", false)]),
        csv(&[(Q1, "1", false), (Q2, "2", false)]),
        csv(&[(Q1, "1", false), (Q2, "1 2", false)]),
    ]
    .iter()
    .enumerate()
    .map(|(i, text)| {
        let p = dir.path().join(format!("learner{i}.csv"));
        std::fs::write(&p, text).expect("write");
        p
    })
    .collect();
    let answers = coldstart::cli::item_stats::answers_from_files(&files).expect("read");
    let stats = item_stats::compute(&answers, &pack(), 1);
    assert!((stats[0].discrimination.expect("spread") - 0.57735).abs() < 1e-4);
    let mut out = Vec::new();
    let mut err = Vec::new();
    coldstart::cli::item_stats::run(&pack(), &answers, true, 1, &mut out, &mut err);
    let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    assert_eq!(v["questions"][0]["question_id"], Q1);
    assert_eq!(v["questions"][0]["flags"][0]["flag"], "unpicked-distractor");

    std::fs::write(
        &files[0],
        "attempt,question_id,generator,chosen,correct,time_ms\n1,q,,x,true,5\n",
    )
    .expect("write");
    let e = coldstart::cli::item_stats::answers_from_files(&files[..1]).expect_err("bad row");
    assert!(e.contains("learner0.csv") && e.contains("line 2"), "{e}");
}

#[test]
fn problem_reports_are_stored_and_exported_as_csv() {
    let store = Store::open_in_memory().expect("store");
    store
        .report_problem(
            "demo",
            ReportItem::Question,
            Q1,
            ReportReason::Outdated,
            " The limit changed, \"see\" docs ",
            1_764_000_000_000,
        )
        .expect("report");
    store
        .report_problem(
            "demo",
            ReportItem::Card,
            "timeout-default",
            ReportReason::Typo,
            "",
            1_764_000_000_001,
        )
        .expect("report");
    store
        .report_problem("other", ReportItem::Card, "x", ReportReason::Wrong, "", 1)
        .expect("report");
    let reports = store.problem_reports("demo").expect("read");
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0].note, "The limit changed, \"see\" docs");

    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = coldstart::cli::export::run(
        &store,
        "demo",
        coldstart::cli::export::What::Reports,
        &mut out,
        &mut err,
    );
    assert_eq!(code, 0);
    let mut r = csv::Reader::from_reader(out.as_slice());
    assert_eq!(
        r.headers().expect("header").iter().collect::<Vec<_>>(),
        [
            "reported_at",
            "pack_id",
            "item_kind",
            "item_id",
            "reason",
            "note"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][3], Q1);
    assert_eq!(&rows[0][4], "outdated");
    assert_eq!(&rows[0][5], "The limit changed, \"see\" docs");
    assert_eq!(&rows[1][2], "card");
}
