//! `coldstart sim` as an instructor uses it: JSON shape, keys, defaults, exit codes.

use std::process::Command;

use serde_json::Value;

fn sim(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_coldstart"))
        .arg("sim")
        .args(args)
        .output()
        .expect("run coldstart");
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.push("--json");
    let (code, out, err) = sim(&a);
    assert_eq!(code, 0, "stderr: {err}");
    serde_json::from_str(&out).expect("valid JSON")
}

fn events_of_kind<'a>(doc: &'a Value, kind: &str) -> Vec<&'a Value> {
    doc["events"]
        .as_array()
        .expect("events array")
        .iter()
        .filter(|e| e["kind"] == kind)
        .collect()
}

#[test]
fn retry_default_runs_three_attempts_and_drops_the_event() {
    let doc = json(&["retry"]);
    assert_eq!(doc["sim"], "retry");
    assert_eq!(doc["config"]["max_retry_attempts"], 2);
    let attempts = events_of_kind(&doc, "attempt");
    let times: Vec<f64> = attempts
        .iter()
        .map(|e| e["at_s"].as_f64().expect("at_s"))
        .collect();
    // Each run takes 3 s (the default) and the waits of 1 and 2 min start when a run ends; an
    // attempt is recorded when its run ends.
    assert_eq!(times, vec![3.0, 66.0, 189.0]);
    assert_eq!(attempts[2]["attempt"], 3);
    assert_eq!(attempts[2]["outcome"], "error");
    let disp = events_of_kind(&doc, "disposition");
    assert_eq!(disp.len(), 1);
    assert_eq!(disp[0]["to"], "dropped");
}

#[test]
fn retry_keys_change_the_outcome() {
    let doc = json(&[
        "retry",
        "--set",
        "max_retry_attempts=0",
        "--set",
        "on_failure=true",
    ]);
    assert_eq!(events_of_kind(&doc, "attempt").len(), 1);
    let disp = events_of_kind(&doc, "disposition");
    assert_eq!(disp[0]["to"], "on_failure");
    assert_eq!(
        disp[0]["record"]["requestContext"]["condition"],
        "RetriesExhausted"
    );

    let ok = json(&[
        "retry",
        "--set",
        "failure=never",
        "--set",
        "on_success=true",
    ]);
    let attempts = events_of_kind(&ok, "attempt");
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0]["outcome"], "success");
    assert_eq!(events_of_kind(&ok, "disposition")[0]["to"], "on_success");

    let throttled = json(&[
        "retry",
        "--set",
        "failure=throttle",
        "--set",
        "max_event_age_s=60",
    ]);
    assert!(
        events_of_kind(&throttled, "attempt")
            .iter()
            .all(|e| e["outcome"] == "throttled" && e["at_s"].as_f64().expect("t") <= 60.0)
    );
}

/// DG invocation-async-error-handling: system errors (500-series) are retried like throttles,
/// with back-off up to the maximum event age, and are told apart from function errors.
#[test]
fn retry_system_errors_back_off_until_the_event_age() {
    let doc = json(&[
        "retry",
        "--set",
        "failure=system_error",
        "--set",
        "max_event_age_s=60",
    ]);
    let attempts = events_of_kind(&doc, "attempt");
    assert!(attempts.len() > 3, "not limited by max_retry_attempts");
    assert!(attempts.iter().all(|e| e["outcome"] == "system_error"));
    let gaps: Vec<f64> = attempts
        .windows(2)
        .map(|w| w[1]["at_s"].as_f64().expect("t") - w[0]["at_s"].as_f64().expect("t"))
        .collect();
    assert_eq!(&gaps[..3], &[1.0, 2.0, 4.0]);
    assert!(
        events_of_kind(&doc, "retry_scheduled")
            .iter()
            .all(|e| e["reason"] == "system_error")
    );
    assert_eq!(
        events_of_kind(&doc, "disposition")[0]["condition"],
        "EventAgeExceeded"
    );
    let (_, out, _) = sim(&["retry", "--set", "failure=system_error"]);
    assert!(
        out.contains("event 1: attempt 1 failed: Lambda system error (500-series)"),
        "{out}"
    );
}

#[test]
fn traffic_accepts_names_with_or_without_prefix_and_rolls_back_on_alarm() {
    for name in [
        "LambdaLinear10PercentEvery1Minute",
        "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
    ] {
        let doc = json(&["traffic", "--set", &format!("config={name}")]);
        let shifts: Vec<f64> = events_of_kind(&doc, "shift")
            .iter()
            .map(|e| e["new_version_percent"].as_f64().expect("percent"))
            .collect();
        assert_eq!(
            shifts,
            vec![10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0]
        );
    }
    let doc = json(&[
        "traffic",
        "--set",
        "config=LambdaCanary10Percent5Minutes",
        "--set",
        "alarm_at_s=100",
    ]);
    let shifts: Vec<(f64, f64)> = events_of_kind(&doc, "shift")
        .iter()
        .map(|e| {
            (
                e["at_s"].as_f64().expect("t"),
                e["new_version_percent"].as_f64().expect("p"),
            )
        })
        .collect();
    assert_eq!(shifts, vec![(0.0, 10.0), (100.0, 0.0)]);
}

#[test]
fn every_simulator_prints_json_with_timestamped_events() {
    for name in ["retry", "traffic", "concurrency", "sqs", "kinesis"] {
        let doc = json(&[name]);
        assert_eq!(doc["sim"], name);
        assert!(doc["config"].is_object());
        let events = doc["events"].as_array().expect("events");
        assert!(!events.is_empty(), "{name} has events");
        let mut last = 0.0;
        for e in events {
            let t = e["at_s"].as_f64().expect("at_s");
            assert!(t >= last, "{name}: events in time order");
            last = t;
            assert!(e["kind"].is_string());
        }
    }
}

#[test]
fn help_lists_keys_and_defaults() {
    let (code, out, _) = sim(&["retry", "--help"]);
    assert_eq!(code, 0);
    for key in [
        "max_retry_attempts",
        "max_event_age_s",
        "failure",
        "on_success",
        "on_failure",
        "dlq",
    ] {
        assert!(out.contains(key), "help mentions {key}");
    }
    assert!(out.contains("default 2"));
    assert!(
        out.contains("system_error"),
        "failure=system_error is listed"
    );
    let (code, out, _) = sim(&["traffic", "--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("alarm_at_s"));
}

#[test]
fn bad_input_exits_2_naming_the_key_and_what_it_accepts() {
    let (code, _, err) = sim(&["retry", "--set", "max_retry_attempts=5"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("max_retry_attempts") && err.contains("0–2"),
        "{err}"
    );

    let (code, _, err) = sim(&["retry", "--set", "colour=red"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("colour") && err.contains("max_event_age_s"),
        "{err}"
    );

    let (code, _, err) = sim(&["traffic", "--set", "config=Canary50Percent1Minute"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("config") && err.contains("LambdaAllAtOnce"),
        "{err}"
    );

    let (code, _, err) = sim(&["lambda"]);
    assert_eq!(code, 2);
    assert!(err.contains("retry, traffic"), "{err}");
    // the suggested help page exists
    assert!(err.contains("see `coldstart sim --help`"), "{err}");
    assert!(!err.contains("sim lambda --help"), "{err}");
    let (code, out, _) = sim(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("NAME is one of"));
    let (_, _, err) = sim(&["retry", "--set", "colour=red"]);
    assert!(err.contains("see `coldstart sim retry --help`"), "{err}");
}

/// The JSON document reads {"sim", "config", "events"} in that order.
#[test]
fn json_keys_come_in_the_documented_order() {
    let (code, out, _) = sim(&["sqs", "--json"]);
    assert_eq!(code, 0);
    let at = |k: &str| out.find(&format!("\"{k}\":")).expect(k);
    assert!(
        at("sim") < at("config") && at("config") < at("events"),
        "{out}"
    );
    assert!(
        out.trim_start().starts_with("{\n  \"sim\": \"sqs\""),
        "{out}"
    );
}

#[test]
fn same_seed_same_output() {
    let a = json(&[
        "retry",
        "--set",
        "failure=probability=0.5",
        "--set",
        "burst=8",
        "--seed",
        "9",
    ]);
    let b = json(&[
        "retry",
        "--set",
        "failure=probability=0.5",
        "--set",
        "burst=8",
        "--seed",
        "9",
    ]);
    assert_eq!(a, b);
}

#[test]
fn plain_output_is_an_event_log() {
    let (code, out, _) = sim(&["retry"]);
    assert_eq!(code, 0);
    assert!(
        out.lines()
            .any(|l| l == "00:01:06 event 1: attempt 2 failed: function error"),
        "{out}"
    );
}

/// Runs last as long as their settings need, and an SQS run ends saying what is left.
#[test]
fn sqs_and_kinesis_runs_are_long_enough_and_sqs_says_how_it_ended() {
    let (code, out, _) = sim(&["sqs", "--set", "dlq=false", "--set", "partial_batch=true"]);
    assert_eq!(code, 0);
    let last = out.lines().last().expect("a log");
    assert!(
        last.ends_with("run ended: 1 message still in the queue (#3)"),
        "{last}"
    );
    let (_, out, _) = sim(&[
        "sqs",
        "--set",
        "visibility_timeout_s=120",
        "--set",
        "max_receive_count=10",
    ]);
    assert!(
        out.contains("#3 moved to the DLQ after 10 receives"),
        "{out}"
    );
    assert!(
        out.lines()
            .last()
            .expect("log")
            .ends_with("queue empty: every message deleted or in the DLQ")
    );

    let doc = json(&["kinesis", "--set", "max_record_age_s=600"]);
    assert_eq!(doc["config"]["sim_s"], Value::Null, "auto");
    let discarded = events_of_kind(&doc, "discarded");
    assert!(!discarded.is_empty());
    assert_eq!(discarded[0]["condition"], "RecordAgeExceeded");
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    use std::io::Read;
    use std::process::Stdio;
    // Like `coldstart sim retry … | head -1`: the reader closes the pipe after one line.
    let mut child = Command::new(env!("CARGO_BIN_EXE_coldstart"))
        .args(["sim", "retry", "--set", "failure=throttle"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run coldstart");
    let mut first = [0u8; 8];
    child
        .stdout
        .take()
        .expect("stdout")
        .read_exact(&mut first)
        .expect("some output");
    // Dropping the read end closes the pipe.
    let out = child.wait_with_output().expect("exit");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
