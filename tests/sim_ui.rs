//! The Simulators screen in a 1280×800 window: each view reacts to a setting the way a learner
//! would see it, notes and questions can open a simulator by name, and every "In the notes"
//! link points at a section that exists in the built-in pack.

use std::sync::Arc;

use coldstart::app::AppState;
use coldstart::clock::FixedClock;
use coldstart::content::Pack;
use coldstart::sim::Kind;
use coldstart::ui::simulators::{Tab, note_links};
use coldstart::ui::{ColdstartApp, Command, Screen};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

fn app() -> ColdstartApp {
    app_on(coldstart::content::embedded().expect("built-in pack"))
}

fn app_on(pack: Pack) -> ColdstartApp {
    let clock = Arc::new(FixedClock::new("2026-11-26T10:00:00Z".parse().expect("ts")));
    ColdstartApp::new(AppState::in_memory(Arc::new(pack), clock).expect("state"))
}

fn harness_on(sim: &str) -> Harness<'static, ColdstartApp> {
    let mut app = app();
    app.apply(Command::OpenSimulator(
        Kind::parse(sim).expect("a simulator"),
    ));
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut ColdstartApp| app.frame(ui), app);
    h.run_steps(3);
    h
}

fn click(h: &mut Harness<'static, ColdstartApp>, label: &str) {
    h.get_by_label(label).click();
    h.run_steps(3);
}

#[test]
fn retry_view_shows_fewer_attempts_with_zero_retries() {
    let mut h = harness_on("retry");
    assert_eq!(h.state().screen, Screen::Simulators);
    assert_eq!(h.state().simulators.tab, Tab::Retry);
    click(&mut h, "End");
    assert!(
        h.query_by_label_contains("event 1: 3 attempts, lost")
            .is_some(),
        "default: three attempts, then lost"
    );
    click(&mut h, "0 retries");
    click(&mut h, "End");
    assert!(
        h.query_by_label_contains("event 1: 1 attempt, lost")
            .is_some()
    );
    // the log says it in words
    assert!(
        h.query_by_label_contains("00:00:03 event 1: attempt 1 failed: function error")
            .is_some()
    );
    assert!(h.query_by_label_contains("attempt 2").is_none());

    click(&mut h, "On-failure destination");
    click(&mut h, "End");
    assert!(
        h.query_by_label_contains("RetriesExhausted").is_some(),
        "record shown"
    );
}

#[test]
fn retry_view_provokes_system_errors() {
    let mut h = harness_on("retry");
    click(&mut h, "hits a Lambda system error (5xx)");
    click(&mut h, "End");
    assert!(h.query_by_label_contains("expired, lost").is_some());
    assert!(
        h.query_all_by_label_contains("failed: Lambda system error (500-series)")
            .next()
            .is_some()
    );
}

#[test]
fn traffic_view_rolls_back_when_the_alarm_fires() {
    let mut h = harness_on("traffic");
    assert_eq!(h.state().simulators.tab, Tab::Traffic);
    assert!(h.query_by_label("In progress").is_some());
    // Canary10Percent5Minutes: the canary share moves as soon as shifting starts
    assert!(h.query_by_label("version 2 (new) 10%").is_some());
    click(&mut h, "Step");
    assert!(h.query_by_label("version 2 (new) 100%").is_some());
    assert!(
        h.query_by_label("Succeeded: all traffic on version 2")
            .is_some()
    );

    click(&mut h, "Restart");
    click(&mut h, "Fire alarm now");
    assert!(
        h.query_by_label_contains("Rolled back (CloudWatch alarm)")
            .is_some()
    );
    assert!(h.query_by_label("version 2 (new) 0%").is_some());
    click(&mut h, "End");
    assert!(
        h.query_by_label("version 2 (new) 0%").is_some(),
        "no shift after a rollback"
    );
}

/// The custom configurations sit at the end of the configuration list, under their own
/// heading, and can be picked.
#[test]
fn traffic_view_offers_custom_configurations() {
    let mut h = harness_on("traffic");
    click(&mut h, "Deployment configuration");
    assert!(h.query_by_label("Custom").is_some(), "a heading for them");
    click(&mut h, "Custom linear…");
    assert!(h.query_by_label("Percent").is_some());
    assert!(h.query_by_label("Interval").is_some());
    assert!(
        h.query_by_label_contains("deployment started with linear:20:2")
            .is_some()
    );
}

#[test]
fn concurrency_view_caps_in_use_at_the_reservation() {
    let mut h = harness_on("concurrency");
    click(&mut h, "End");
    assert!(h.query_by_label_contains("(limit 1000)").is_some());
    click(&mut h, "Reserve concurrency for this function");
    click(&mut h, "End");
    assert!(
        h.query_by_label("Peak concurrency 100 (limit 100)")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("callers got 429 TooManyRequestsException")
            .is_some()
    );
}

/// API PutFunctionConcurrency: at least 100 stay unreserved, so other functions' reservations
/// above the quota minus 100 are refused, on screen as in the log.
#[test]
fn concurrency_view_refuses_reservations_that_leave_less_than_100() {
    let mut h = harness_on("concurrency");
    h.get_by_label("Reserved by other functions")
        .set_value_accesskit(950.0);
    h.run_steps(3);
    click(&mut h, "End");
    assert!(
        h.query_by_label_contains("Refused: other functions' reserved concurrency 950")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("00:00:00 refused: other functions' reserved concurrency 950")
            .is_some()
    );
    assert!(h.query_by_label_contains("(limit 1000)").is_some());
}

/// The spike's start and length and the run's length, CLI-only before, are on the screen.
#[test]
fn concurrency_view_sets_the_spike_and_the_run_length() {
    use egui::accesskit::Role;
    let mut h = harness_on("concurrency");
    h.get_by_role_and_label(Role::Slider, "run length s")
        .set_value_accesskit(60.0);
    h.run_steps(3);
    h.get_by_role_and_label(Role::Slider, "spike starts at s")
        .set_value_accesskit(50.0);
    h.run_steps(3);
    h.get_by_role_and_label(Role::Slider, "spike lasts s")
        .set_value_accesskit(5.0);
    h.run_steps(3);
    click(&mut h, "End");
    assert!(
        h.query_by_label_contains("00:00:50.6 throttling: unreserved account concurrency used up")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("00:00:56 throttling stopped")
            .is_some()
    );
    assert_eq!(
        h.query_all_by_label("00:01:00").count(),
        2,
        "the clock and the end of the scrub bar are at 60 s"
    );
}

#[test]
fn concurrency_view_counts_async_throttles_and_retries_apart() {
    let mut h = harness_on("concurrency");
    click(&mut h, "Asynchronous");
    click(&mut h, "Reserve concurrency for this function");
    click(&mut h, "End");
    assert!(
        h.query_by_label_contains("events throttled and returned to the queue")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("of them throttled again")
            .is_some()
    );
    assert!(
        h.query_all_by_label_contains("retries of earlier throttles")
            .next()
            .is_some(),
        "the log words it the same way"
    );
}

#[test]
fn sqs_view_partial_batch_response_keeps_good_messages_out_of_the_dlq() {
    let mut h = harness_on("sqs");
    click(&mut h, "End");
    assert!(
        h.query_by_label("Queue: 0 waiting, 0 in flight, 10 deleted, 10 in the DLQ")
            .is_some()
    );
    click(&mut h, "Partial batch response (ReportBatchItemFailures)");
    click(&mut h, "End");
    assert!(
        h.query_by_label("Queue: 0 waiting, 0 in flight, 19 deleted, 1 in the DLQ")
            .is_some()
    );
}

#[test]
fn kinesis_view_bisect_unblocks_the_shard() {
    let mut h = harness_on("kinesis");
    click(&mut h, "End");
    assert!(
        h.query_by_label(
            "Stream: shard 0: 4 processed, 0 discarded; shard 1: 12 processed, 0 discarded"
        )
        .is_some(),
        "shard 0 blocked behind record 6, shard 1 done"
    );
    click(&mut h, "BisectBatchOnFunctionError");
    click(&mut h, "Limit MaximumRetryAttempts");
    click(&mut h, "End");
    assert!(
        h.query_by_label(
            "Stream: shard 0: 11 processed, 1 discarded; shard 1: 12 processed, 0 discarded"
        )
        .is_some()
    );
}

#[test]
fn note_links_point_at_existing_sections() {
    let pack = coldstart::content::embedded().expect("built-in pack");
    for link in note_links() {
        let note = pack
            .notes
            .iter()
            .find(|n| n.topic == link.topic)
            .unwrap_or_else(|| panic!("no note for topic {}", link.topic));
        assert!(
            note.sections.iter().any(|s| s.anchor == link.anchor),
            "{link} is not a section"
        );
    }
}

#[test]
fn a_note_link_opens_the_note() {
    let mut h = harness_on("retry");
    click(&mut h, "Retries after function errors");
    assert_eq!(h.state().screen, Screen::Notes);
    assert_eq!(h.state().notes.open_topic(), Some("async-invocation"));
}

#[test]
fn space_plays_and_the_clock_advances_in_simulated_time() {
    let mut h = harness_on("traffic");
    assert!(h.query_by_label("00:00:00").is_some());
    h.key_press(egui::Key::Space);
    h.run_steps(10);
    assert!(h.query_by_label("Pause").is_some(), "playing");
    assert!(h.query_by_label("00:00:00").is_none(), "time moved on");
    h.key_press(egui::Key::Space);
    h.run_steps(2);
    assert!(h.query_by_label("Play").is_some(), "paused again");
}

/// DG services-sqs-configure: a function timeout above the queue's visibility timeout makes
/// CreateEventSourceMapping fail; the view says so above the queue and in the log.
#[test]
fn sqs_view_refuses_a_function_timeout_above_the_visibility_timeout() {
    let mut h = harness_on("sqs");
    h.get_by_role_and_label(egui::accesskit::Role::Slider, "function timeout s")
        .set_value_accesskit(60.0);
    h.run_steps(3);
    click(&mut h, "End");
    assert!(
        h.query_by_label_contains(
            "Refused: function timeout 60 s is longer than the queue's visibility timeout 30 s"
        )
        .is_some()
    );
    assert!(
        h.query_by_label_contains("00:00:00 refused: function timeout 60 s")
            .is_some(),
        "the log says it too"
    );
    assert!(
        h.query_by_label("Queue: 20 waiting, 0 in flight, 0 deleted, 0 in the DLQ")
            .is_some(),
        "nothing polls the queue"
    );
}

fn harness(app: ColdstartApp) -> Harness<'static, ColdstartApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut ColdstartApp| app.frame(ui), app);
    h.run_steps(3);
    h
}

/// A pack that declares no simulators has no Simulators tab: not in the navigation, not by its
/// key, not from a note or a question asking for one.
#[test]
fn a_pack_without_simulators_has_no_simulators_screen() {
    let mut pack = coldstart::content::embedded().expect("built-in pack");
    pack.simulators.clear();
    for note in &mut pack.notes {
        note.simulator = None;
    }
    let mut h = harness(app_on(pack));
    assert!(h.query_by_label("Dashboard").is_some());
    assert!(h.query_by_label("Simulators").is_none(), "no tab");
    h.key_press(egui::Key::S);
    h.run_steps(3);
    assert_eq!(h.state().screen, Screen::Dashboard, "S does nothing");
    h.state_mut().apply(Command::OpenSimulator(Kind::Retry));
    h.run_steps(3);
    assert_eq!(h.state().screen, Screen::Dashboard, "nothing to open");
    h.state_mut().apply(Command::Go(Screen::Simulators));
    h.run_steps(3);
    assert_eq!(h.state().screen, Screen::Dashboard);
}

/// A pack that declares only the SQS simulator shows that one view: no other tab, no switch to
/// Kinesis.
#[test]
fn a_pack_shows_only_the_simulators_it_declares() {
    let mut pack = coldstart::content::embedded().expect("built-in pack");
    pack.simulators = vec![Kind::Sqs];
    let mut h = harness(app_on(pack));
    click(&mut h, "Simulators");
    assert_eq!(h.state().screen, Screen::Simulators);
    assert_eq!(h.state().simulators.tab, Tab::EventSources);
    assert!(h.query_by_label("Event source mappings").is_some());
    for other in [
        "Async retries",
        "Traffic shifting",
        "Concurrency",
        "Kinesis stream",
    ] {
        assert!(h.query_by_label(other).is_none(), "{other} is not declared");
    }
    h.state_mut().apply(Command::OpenSimulator(Kind::Kinesis));
    h.run_steps(3);
    assert_eq!(h.state().simulators.tab, Tab::EventSources, "unchanged");
}

/// Every slider and bounded drag field of the simulators offers exactly the span the registry
/// documents beside its model's config (`sim::Range::slider`): the screens keep no ranges of
/// their own.
#[test]
fn every_slider_reads_its_range_from_the_registry() {
    use coldstart::sim::{Range, range, retry, traffic};
    use egui::accesskit::Role;
    let key = |kind: Kind, key: &str| range(kind, key).expect("a documented range");
    let span = |r: Range| (r.slider.0, r.slider.1);
    let conc = |k: &str| span(key(Kind::Concurrency, k));
    let sqs = |k: &str| span(key(Kind::Sqs, k));
    let kin = |k: &str| span(key(Kind::Kinesis, k));
    /// A simulator, what to click to show every slider, and each slider's label and ends.
    type Case<'a> = (&'a str, Vec<&'a str>, Vec<(&'a str, (f64, f64))>);
    let cases: Vec<Case> = vec![
        (
            "retry",
            vec!["fails the first N times"],
            vec![
                (
                    "MaximumEventAgeInSeconds",
                    span(key(Kind::Retry, "max_event_age_s")),
                ),
                ("N =", span(retry::FAILURE_COUNT)),
                ("events at once", span(key(Kind::Retry, "burst"))),
                ("each run takes", span(key(Kind::Retry, "duration_s"))),
            ],
        ),
        (
            "retry",
            vec!["fails with probability p"],
            vec![
                (
                    "MaximumEventAgeInSeconds",
                    span(key(Kind::Retry, "max_event_age_s")),
                ),
                ("p", span(retry::FAILURE_PROBABILITY)),
                ("events at once", span(key(Kind::Retry, "burst"))),
                ("each run takes", span(key(Kind::Retry, "duration_s"))),
            ],
        ),
        (
            "traffic",
            vec!["Deployment configuration", "Custom linear…"],
            vec![
                ("Percent", span(traffic::LINEAR_PERCENT)),
                ("Interval", span(traffic::INTERVAL_MIN)),
                ("Each hook runs", span(key(Kind::Traffic, "hook_s"))),
                (
                    "requests/s (dots)",
                    span(key(Kind::Traffic, "request_rate")),
                ),
            ],
        ),
        (
            "concurrency",
            vec!["Reserve concurrency for this function"],
            vec![
                ("requests/s", conc("rate_per_s")),
                ("peak requests/s", conc("peak_rate_per_s")),
                // the spike cannot start after the run (120 s by default) ends
                ("spike starts at s", (conc("spike_at_s").0, 120.0)),
                ("spike lasts s", conc("spike_len_s")),
                ("run length s", conc("sim_s")),
                ("duration ms", conc("duration_ms")),
                ("cold start ms", conc("init_ms")),
                ("Account quota", conc("account_limit")),
                ("Reserved", conc("reserved")),
                ("Reserved by other functions", conc("reserved_others")),
                ("Unreserved in use by others", conc("others_in_use")),
                ("Provisioned", conc("provisioned")),
                ("Scaling per 10 s", conc("scaling_per_10s")),
            ],
        ),
        (
            "sqs",
            vec![],
            vec![
                ("messages", sqs("messages")),
                ("batch size", sqs("batch_size")),
                ("batching window s", sqs("batching_window_s")),
                ("visibility timeout s", sqs("visibility_timeout_s")),
                ("function timeout s", sqs("function_timeout_s")),
                ("function runs s", sqs("function_duration_s")),
                ("invoke throttled s", sqs("invoke_throttled_s")),
                ("concurrent batches", sqs("max_concurrency")),
                ("maxReceiveCount", sqs("max_receive_count")),
            ],
        ),
        (
            "kinesis",
            vec![
                "Limit MaximumRetryAttempts",
                "Limit MaximumRecordAgeInSeconds",
            ],
            vec![
                ("shards", kin("shards")),
                ("records per shard", kin("records_per_shard")),
                ("records written per s", kin("records_per_s")),
                ("batch size", kin("batch_size")),
                ("retries", kin("max_retry_attempts")),
                ("max age s", kin("max_record_age_s")),
            ],
        ),
    ];
    for (sim, clicks, expected) in cases {
        let mut h = harness_on(sim);
        for c in clicks {
            click(&mut h, c);
        }
        let mut seen = Vec::new();
        for role in [Role::Slider, Role::SpinButton] {
            for node in h.query_all_by_role(role) {
                let n = node.accesskit_node();
                let label = n.label().unwrap_or_default();
                // the scrub bar (named by the run's end, 00:02:00) and the seed are not settings
                if label.contains(':') || label == "Seed" {
                    continue;
                }
                let want = expected
                    .iter()
                    .find(|(l, _)| *l == label)
                    .unwrap_or_else(|| panic!("{sim}: a slider {label:?} the test does not know"))
                    .1;
                let got = (
                    n.min_numeric_value().unwrap_or(f64::NAN),
                    n.max_numeric_value().unwrap_or(f64::NAN),
                );
                assert_eq!(got, want, "{sim}: {label}");
                seen.push(label);
            }
        }
        for (label, _) in &expected {
            assert!(
                seen.contains(&(*label).to_owned()),
                "{sim}: no slider {label:?}"
            );
        }
    }
}

/// A long stretch of the same thing reads as one line with a count: an always-throttled event's
/// 80 attempts and back-offs are a few collapsed groups, which open to show each line, and a
/// click on a line moves the clock there.
#[test]
fn the_event_log_groups_repeated_lines_and_a_line_moves_the_clock() {
    let mut h = harness_on("retry");
    click(&mut h, "is always throttled");
    click(&mut h, "End");
    let header = "00:00:00 event 1: attempt 1 throttled (429)  (+11 similar lines, to 00:00:31)";
    assert!(
        h.query_by_label(header).is_some(),
        "the first stretch, counted"
    );
    assert!(
        h.query_by_label_contains("attempt 5 throttled").is_none(),
        "its lines are folded away"
    );
    assert!(
        h.query_by_label_contains("discarded, older than the maximum event age")
            .is_some(),
        "the end of the story is a line of its own"
    );
    click(&mut h, header);
    click(&mut h, "00:00:15 event 1: attempt 5 throttled (429)");
    assert!(
        h.query_all_by_label("00:00:15").next().is_some(),
        "the clock moved to the line clicked"
    );
    assert!(
        h.query_by_label_contains("discarded, older than").is_none(),
        "later lines are not shown before their time"
    );
}
