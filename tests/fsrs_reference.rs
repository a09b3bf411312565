//! Replays py-fsrs 6.3.2's reference histories through `coldstart::srs` and checks every answer:
//! stability and difficulty (relative 1e-4), retrievability before answering (absolute 1e-5),
//! state and step, the due interval exactly, and all four button previews.
//!
//! Reads the file named by `COLDSTART_FSRS_REFERENCE`, or by default the vectors kept in
//! `tests/fixtures/fsrs/` (a copy of the project's shared reference file, so a fresh clone tests
//! itself); the format is documented at the top of `generate_reference.py` beside them.

use std::path::PathBuf;

use coldstart::srs::{CardState, Rating, Scheduler, SchedulerConfig, State};
use jiff::Timestamp;
use serde_json::Value;

const S_D_REL: f64 = 1e-4;
const R_ABS: f64 = 1e-5;

fn reference_path() -> PathBuf {
    match std::env::var_os("COLDSTART_FSRS_REFERENCE") {
        Some(p) => PathBuf::from(p),
        None => {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fsrs/reference.jsonl")
        }
    }
}

/// py-fsrs has no New state: a new card is Learning, step 0.
fn py_state(s: State) -> i64 {
    match s {
        State::New | State::Learning => 1,
        State::Review => 2,
        State::Relearning => 3,
    }
}

fn rel_err(got: f64, want: f64) -> f64 {
    (got - want).abs() / want.abs().max(1e-12)
}

fn f(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("field {key} missing or not a number in {v}"))
}

fn ts(v: &Value) -> Timestamp {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad timestamp {v}"))
}

fn steps(v: &Value) -> Vec<u32> {
    v.as_array()
        .expect("steps array")
        .iter()
        .map(|x| x.as_u64().expect("step seconds") as u32)
        .collect()
}

#[derive(Default)]
struct Report {
    failures: Vec<String>,
    checked_reviews: usize,
    max_s: f64,
    max_d: f64,
    max_r: f64,
}

impl Report {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok && self.failures.len() < 1000 {
            self.failures.push(what());
        }
    }
}

#[test]
fn replays_py_fsrs_reference_histories() {
    let path = reference_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the FSRS reference vectors ({e}); set COLDSTART_FSRS_REFERENCE: {}",
            path.display()
        )
    });
    let lines: Vec<Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("{}:{}: not JSON: {e}", path.display(), i + 1))
        })
        .collect();
    let meta = lines
        .iter()
        .find(|l| l["type"] == "meta")
        .unwrap_or_else(|| panic!("no meta line in {}", path.display()));
    let histories: Vec<&Value> = lines.iter().filter(|l| l["type"] == "history").collect();
    assert!(
        !histories.is_empty(),
        "no histories in the FSRS reference file {}",
        path.display()
    );

    let mut report = Report::default();
    let mut configs_seen = std::collections::BTreeSet::new();
    for hist in &histories {
        let config_name = hist["config"].as_str().expect("config name");
        configs_seen.insert(config_name.to_owned());
        let cfg = &meta["configs"][config_name];
        let scheduler = Scheduler::new(SchedulerConfig {
            desired_retention: f(cfg, "desired_retention"),
            learning_steps: steps(&cfg["learning_steps"]),
            relearning_steps: steps(&cfg["relearning_steps"]),
            maximum_interval: cfg["maximum_interval"].as_u64().expect("maximum_interval") as u32,
        })
        .expect("scheduler");
        let name = format!("{config_name}/{}", hist["name"].as_str().unwrap_or("?"));
        let review_steps = hist["steps"].as_array().expect("steps");
        assert!(!review_steps.is_empty(), "{name}: empty history");
        let mut card = CardState::new_card(ts(&review_steps[0]["t"]));

        for st in review_steps {
            let i = st["i"].as_i64().unwrap_or(-1);
            let at = format!("{name} review {i}");
            let t = ts(&st["t"]);
            let rating = Rating::from_number(st["rating"].as_u64().expect("rating") as u8)
                .expect("rating 1-4");

            // Before answering.
            let elapsed = card.last_review.map(|l| Scheduler::elapsed_days(l, t));
            let want_elapsed = st["elapsed_days"].as_u64().map(|d| d as u32);
            report.check(elapsed == want_elapsed, || {
                format!("{at}: elapsed days {elapsed:?}, want {want_elapsed:?}")
            });
            let r = scheduler.retrievability(&card, t);
            let r_err = (r - f(st, "r_before")).abs();
            report.max_r = report.max_r.max(r_err);
            report.check(r_err <= R_ABS, || {
                format!("{at}: R before {r}, want {}", st["r_before"])
            });
            report.check(
                py_state(card.state) == st["state_before"].as_i64().unwrap_or(-1),
                || {
                    format!(
                        "{at}: state before {:?}, want {}",
                        card.state, st["state_before"]
                    )
                },
            );
            report.check(
                card.step.map(i64::from) == st["step_before"].as_i64(),
                || {
                    format!(
                        "{at}: step before {:?}, want {}",
                        card.step, st["step_before"]
                    )
                },
            );

            // Previews of all four buttons.
            let previews = scheduler.preview(&card, t).expect("preview");
            let want_previews = st["preview"].as_array().expect("preview array");
            for (p, want) in previews.iter().zip(want_previews) {
                let w = want.as_array().expect("preview row");
                let mem = p.card.memory.expect("memory after answering");
                let (ws, wd) = (
                    w[0].as_f64().unwrap_or(f64::NAN),
                    w[1].as_f64().unwrap_or(f64::NAN),
                );
                let label = p.rating.label();
                report.check(rel_err(mem.stability, ws) <= S_D_REL, || {
                    format!("{at}: preview {label} S {}, want {ws}", mem.stability)
                });
                report.check(rel_err(mem.difficulty, wd) <= S_D_REL, || {
                    format!("{at}: preview {label} D {}, want {wd}", mem.difficulty)
                });
                report.check(p.interval.as_secs() == w[2].as_i64().unwrap_or(-1), || {
                    format!(
                        "{at}: preview {label} interval {}s, want {}",
                        p.interval.as_secs(),
                        w[2]
                    )
                });
                report.check(
                    py_state(p.card.state) == w[3].as_i64().unwrap_or(-1),
                    || {
                        format!(
                            "{at}: preview {label} state {:?}, want {}",
                            p.card.state, w[3]
                        )
                    },
                );
            }

            // The answer itself.
            let out = scheduler.review(&card, rating, t).expect("review");
            let mem = out.card.memory.expect("memory after answering");
            let s_err = rel_err(mem.stability, f(st, "s"));
            let d_err = rel_err(mem.difficulty, f(st, "d"));
            report.max_s = report.max_s.max(s_err);
            report.max_d = report.max_d.max(d_err);
            report.check(s_err <= S_D_REL, || {
                format!("{at}: S {}, want {}", mem.stability, st["s"])
            });
            report.check(d_err <= S_D_REL, || {
                format!("{at}: D {}, want {}", mem.difficulty, st["d"])
            });
            report.check(
                py_state(out.card.state) == st["state"].as_i64().unwrap_or(-1),
                || format!("{at}: state {:?}, want {}", out.card.state, st["state"]),
            );
            report.check(out.card.step.map(i64::from) == st["step"].as_i64(), || {
                format!("{at}: step {:?}, want {}", out.card.step, st["step"])
            });
            report.check(
                out.interval.as_secs() == st["ivl_s"].as_i64().unwrap_or(-1),
                || {
                    format!(
                        "{at}: interval {}s, want {}",
                        out.interval.as_secs(),
                        st["ivl_s"]
                    )
                },
            );
            report.check(out.card.due == ts(&st["due"]), || {
                format!("{at}: due {}, want {}", out.card.due, st["due"])
            });
            if let Some(raw) = st["ivl_days_raw"].as_f64() {
                let got = scheduler.raw_interval_days(mem.stability);
                report.check(rel_err(got, raw) <= S_D_REL, || {
                    format!("{at}: raw interval {got}, want {raw}")
                });
            }
            if let (Some(r_at), Some(days)) = (st["r_at"].as_array(), meta["r_at_days"].as_array())
            {
                for (want, d) in r_at.iter().zip(days) {
                    let d = d.as_f64().expect("r_at day");
                    let got = scheduler.forgetting_curve(d, mem.stability);
                    let want = want.as_f64().unwrap_or(f64::NAN);
                    report.check((got - want).abs() <= R_ABS, || {
                        format!("{at}: R after {d} days {got}, want {want}")
                    });
                }
            }
            card = out.card;
            report.checked_reviews += 1;
        }
    }

    for needed in ["default_steps", "no_steps"] {
        if meta["configs"].get(needed).is_some() {
            assert!(
                configs_seen.contains(needed),
                "no histories for config {needed}"
            );
        }
    }
    eprintln!(
        "FSRS reference: {} histories, {} reviews; max relative error S {:.2e}, D {:.2e}; max absolute error R {:.2e}",
        histories.len(),
        report.checked_reviews,
        report.max_s,
        report.max_d,
        report.max_r
    );
    assert!(
        report.failures.is_empty(),
        "{} mismatches against {}:\n{}",
        report.failures.len(),
        path.display(),
        report.failures.join("\n")
    );
}

#[test]
fn pure_function_vectors_match() {
    let path = reference_path();
    let Ok(text) = std::fs::read_to_string(&path) else {
        panic!("cannot read {}", path.display());
    };
    let scheduler = Scheduler::new(SchedulerConfig::default()).expect("scheduler");
    let mut checked = 0;
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).expect("json line");
        if v["type"] != "fn" {
            continue;
        }
        let rows = v["rows"].as_array().expect("rows");
        match v["fn"].as_str() {
            Some("forgetting_curve") => {
                for row in rows {
                    let (s, t, want) = (row[0].as_f64(), row[1].as_f64(), row[2].as_f64());
                    let (Some(s), Some(t), Some(want)) = (s, t, want) else {
                        panic!("bad row {row}");
                    };
                    let got = scheduler.forgetting_curve(t, s);
                    assert!(
                        (got - want).abs() <= 1e-12,
                        "R(S={s}, t={t}) = {got}, want {want}"
                    );
                    checked += 1;
                }
            }
            Some("next_interval") => {
                for row in rows {
                    let r: Vec<f64> = row
                        .as_array()
                        .expect("row")
                        .iter()
                        .map(|x| x.as_f64().expect("number"))
                        .collect();
                    let sc = Scheduler::new(SchedulerConfig {
                        desired_retention: r[0],
                        ..SchedulerConfig::default()
                    })
                    .expect("scheduler");
                    assert!(
                        rel_err(sc.raw_interval_days(r[1]), r[2]) <= 1e-12,
                        "raw interval {row}"
                    );
                    assert_eq!(f64::from(sc.interval_days(r[1])), r[3], "interval {row}");
                    checked += 1;
                }
            }
            _ => {}
        }
    }
    assert!(checked > 0, "no function vectors in {}", path.display());
}
