//! The async-invocation view: events as lanes on a time axis, attempts as dots, where each event
//! ended up, and the record its destination received.

use egui::{Color32, RichText, Ui};

use crate::sim::retry::{self, Condition, Disposition, Failure, Outcome, RetryConfig, RetryEvent};
use crate::sim::{Kind, Timeline};
use crate::ui::theme;

use super::{Link, SimView};

/// The async-invocation view in the simulator scaffold.
pub type RetryView = super::Sim<Retry>;

/// The async-invocation simulator's part of the scaffold.
pub struct Retry;

/// What the view derives from one run.
pub struct RetryRun {
    timeline: Timeline<RetryEvent>,
    lanes: Vec<retry::Lane>,
    /// Every record a destination or DLQ received: when, which event, where, and its JSON.
    records: Vec<(f64, u32, Disposition, String)>,
}

const LINKS: [Link; 5] = [
    (
        "Retries after function errors",
        "async-invocation",
        "retries-after-function-errors",
    ),
    (
        "Throttles and system errors",
        "async-invocation",
        "throttles-and-system-errors",
    ),
    ("Maximum event age", "async-invocation", "maximum-event-age"),
    (
        "Destinations",
        "destinations",
        "destinations-for-asynchronous-invocation",
    ),
    ("Dead-letter queues", "destinations", "dead-letter-queues"),
];

/// The note sections this view links to (checked against the pack by a test).
pub fn links() -> &'static [Link] {
    &LINKS
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Always,
    Never,
    FirstN,
    Probability,
    Throttle,
    ThrottleFirstN,
    SystemError,
}

impl SimView for Retry {
    type Config = RetryConfig;
    type Run = RetryRun;
    const ID: &'static str = "retry";
    const LOG_HEIGHT: f32 = 190.0;
    const LINKS: &'static [Link] = &LINKS;

    fn run(_cfg: &RetryConfig, timeline: Timeline<RetryEvent>, _seed: u64) -> RetryRun {
        let records = timeline
            .events
            .iter()
            .filter_map(|e| match &e.event {
                RetryEvent::Disposition {
                    event,
                    to,
                    record: Some(r),
                    ..
                } => Some((
                    e.at_s,
                    *event,
                    *to,
                    serde_json::to_string_pretty(r).unwrap_or_default(),
                )),
                _ => None,
            })
            .collect();
        RetryRun {
            lanes: retry::lanes(&timeline),
            timeline,
            records,
        }
    }

    fn timeline(run: &RetryRun) -> &Timeline<RetryEvent> {
        &run.timeline
    }

    fn controls(ui: &mut Ui, cfg: &mut RetryConfig, seed: &mut u64, _t: f64) {
        controls(ui, cfg, seed);
    }

    fn picture(ui: &mut Ui, run: &mut RetryRun, _cfg: &RetryConfig, t: f64) {
        ui.label(RichText::new("Events on Lambda's internal queue").strong());
        lanes_widget(ui, &run.lanes, run.timeline.end_s, t);
        super::legend(
            ui,
            &[
                (theme::correct(ui.visuals()), "success"),
                (theme::wrong(ui.visuals()), "function error"),
                (theme::due(ui.visuals()), "throttled (429)"),
                (theme::secondary(ui.visuals()), "system error (5xx)"),
                (theme::accent(ui.visuals()), "record delivered"),
            ],
        );
    }

    fn side(ui: &mut Ui, run: &RetryRun, _cfg: &RetryConfig, t: f64) {
        record_panel(ui, &run.records, t);
    }
}

fn controls(ui: &mut Ui, cfg: &mut RetryConfig, seed: &mut u64) {
    ui.heading("Asynchronous invocation");
    ui.label(
        RichText::new(
            "The caller gets 202 at once; Lambda queues the event and retries on its own.",
        )
        .color(theme::muted(ui.visuals())),
    );
    ui.add_space(theme::GAP);
    ui.label(RichText::new("MaximumRetryAttempts").strong());
    ui.horizontal(|ui| {
        let r = super::key_range(Kind::Retry, "max_retry_attempts");
        for n in (r.min as u8)..=(r.max as u8) {
            let label = match n {
                1 => "1 retry".to_owned(),
                n => format!("{n} retries"),
            };
            ui.selectable_value(&mut cfg.max_retry_attempts, n, label);
        }
    });
    ui.add_space(theme::GAP / 2.0);
    let age_label = ui.label(RichText::new("MaximumEventAgeInSeconds").strong());
    ui.horizontal(|ui| {
        ui.add(
            super::key_drag(Kind::Retry, "max_event_age_s", &mut cfg.max_event_age_s)
                .speed(10.0)
                .suffix(" s"),
        )
        .labelled_by(age_label.id);
        ui.label(crate::format::duration(f64::from(cfg.max_event_age_s)));
    });
    ui.horizontal(|ui| {
        for (s, label) in [
            (60, "1 min"),
            (150, "2.5 min"),
            (3600, "1 h"),
            (21_600, "6 h"),
        ] {
            if ui.small_button(label).clicked() {
                cfg.max_event_age_s = s;
            }
        }
    });
    ui.add_space(theme::GAP / 2.0);
    ui.label(RichText::new("The function…").strong());
    let mut mode = match cfg.failure {
        Failure::Always => Mode::Always,
        Failure::Never => Mode::Never,
        Failure::FirstN(_) => Mode::FirstN,
        Failure::Probability(_) => Mode::Probability,
        Failure::Throttle => Mode::Throttle,
        Failure::ThrottleFirstN(_) => Mode::ThrottleFirstN,
        Failure::SystemError => Mode::SystemError,
    };
    let before = mode;
    ui.radio_value(&mut mode, Mode::Always, "always fails");
    ui.radio_value(&mut mode, Mode::FirstN, "fails the first N times");
    ui.radio_value(&mut mode, Mode::Probability, "fails with probability p");
    ui.radio_value(&mut mode, Mode::Never, "always succeeds");
    ui.radio_value(&mut mode, Mode::Throttle, "is always throttled");
    ui.radio_value(
        &mut mode,
        Mode::ThrottleFirstN,
        "is throttled the first N times",
    );
    ui.radio_value(
        &mut mode,
        Mode::SystemError,
        "hits a Lambda system error (5xx)",
    );
    if mode != before {
        cfg.failure = match mode {
            Mode::Always => Failure::Always,
            Mode::Never => Failure::Never,
            Mode::FirstN => Failure::FirstN(1),
            Mode::Probability => Failure::Probability(0.5),
            Mode::Throttle => Failure::Throttle,
            Mode::ThrottleFirstN => Failure::ThrottleFirstN(5),
            Mode::SystemError => Failure::SystemError,
        };
    }
    match &mut cfg.failure {
        Failure::FirstN(k) | Failure::ThrottleFirstN(k) => {
            super::row(ui, "N =", |ui| {
                ui.add(super::range_drag(retry::FAILURE_COUNT, k))
            });
        }
        Failure::Probability(p) => {
            let r = retry::FAILURE_PROBABILITY;
            ui.add(egui::Slider::new(p, r.slider.0..=r.slider.1).text("p"));
            super::row(ui, "Seed", |ui| ui.add(egui::DragValue::new(seed)));
        }
        _ => {}
    }
    ui.add_space(theme::GAP / 2.0);
    ui.label(RichText::new("Where results go").strong());
    ui.checkbox(&mut cfg.on_success, "On-success destination");
    ui.checkbox(&mut cfg.on_failure, "On-failure destination");
    ui.checkbox(&mut cfg.dlq, "Dead-letter queue");
    ui.add_space(theme::GAP / 2.0);
    ui.add(super::key_slider(
        Kind::Retry,
        "burst",
        &mut cfg.burst,
        "events at once",
        None,
    ));
    ui.add(
        super::key_slider(
            Kind::Retry,
            "duration_s",
            &mut cfg.duration_s,
            "each run takes",
            None,
        )
        .suffix(" s"),
    )
    .on_hover_text("A retry's wait starts when the run ends");
}

/// One lane per event: a line from arrival to the end of its story, a dot per attempt, a tag
/// with the disposition. Only what has happened by `t` is drawn.
fn lanes_widget(ui: &mut Ui, lanes: &[retry::Lane], end: f64, t: f64) {
    let height = 240.0;
    let width = ui.available_width();
    let (resp, painter) = ui.allocate_painter(egui::vec2(width, height), egui::Sense::hover());
    let summary = lanes_summary(lanes, t);
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &summary));
    let v = ui.visuals();
    let rect = resp.rect;
    let left = rect.left() + 70.0;
    let right = rect.right() - 150.0;
    let x = |s: f64| left + ((s / end.max(1.0)) as f32) * (right - left);
    let axis_y = rect.bottom() - 16.0;
    let muted = theme::muted(v);
    painter.line_segment(
        [egui::pos2(left, axis_y), egui::pos2(right, axis_y)],
        egui::Stroke::new(1.0, muted),
    );
    let step = nice_step(end);
    let mut tick = 0.0;
    while tick <= end + 1e-9 {
        painter.line_segment(
            [
                egui::pos2(x(tick), axis_y),
                egui::pos2(x(tick), axis_y + 3.0),
            ],
            egui::Stroke::new(1.0, muted),
        );
        painter.text(
            egui::pos2(x(tick), axis_y + 3.0),
            egui::Align2::CENTER_TOP,
            crate::format::sim_clock(tick),
            egui::FontId::proportional(11.0),
            muted,
        );
        tick += step;
    }
    let lane_h = ((axis_y - rect.top() - 6.0) / lanes.len().max(1) as f32).min(40.0);
    // Dense bursts get smaller captions so neighbouring lanes do not overlap.
    let font = egui::FontId::proportional((lane_h * 0.9).clamp(9.0, 13.0));
    for (i, lane) in lanes.iter().enumerate() {
        let y = rect.top() + 6.0 + lane_h * (i as f32 + 0.5);
        painter.text(
            egui::pos2(rect.left(), y),
            egui::Align2::LEFT_CENTER,
            format!("event {}", lane.event),
            font.clone(),
            v.text_color(),
        );
        let last = lane.end.map_or(end, |e| e.0).min(t);
        painter.line_segment(
            [egui::pos2(x(0.0), y), egui::pos2(x(last), y)],
            egui::Stroke::new(2.0, muted),
        );
        let r = (lane_h * 0.28).clamp(3.0, 6.0);
        for (at, outcome) in lane.attempts.iter().filter(|(at, _)| *at <= t) {
            let c = outcome_colour(v, *outcome);
            painter.circle_filled(egui::pos2(x(*at), y), r, c);
        }
        if let Some((at, to, cond)) = lane.end
            && at <= t
        {
            let c = match to {
                Disposition::Dropped => theme::wrong(v),
                Disposition::None => muted,
                _ => theme::accent(v),
            };
            painter.text(
                egui::pos2(right + 8.0, y),
                egui::Align2::LEFT_CENTER,
                end_text(to, cond),
                font.clone(),
                c,
            );
        }
    }
    let now = x(t.min(end));
    painter.line_segment(
        [egui::pos2(now, rect.top()), egui::pos2(now, axis_y)],
        egui::Stroke::new(1.0, theme::accent(v)),
    );
}

/// A round tick spacing giving at most about six labels over `end` seconds.
fn nice_step(end: f64) -> f64 {
    const STEPS: [f64; 14] = [
        1.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0,
        10_800.0,
    ];
    STEPS
        .iter()
        .copied()
        .find(|s| end / s <= 6.0)
        .unwrap_or(21_600.0)
}

fn outcome_colour(v: &egui::Visuals, o: Outcome) -> Color32 {
    match o {
        Outcome::Success => theme::correct(v),
        Outcome::Error => theme::wrong(v),
        Outcome::Throttled => theme::due(v),
        Outcome::SystemError => theme::secondary(v),
    }
}

fn end_text(to: Disposition, cond: Condition) -> &'static str {
    match (to, cond) {
        (Disposition::OnSuccess, _) => "→ on-success",
        (Disposition::None, _) => "done",
        (Disposition::OnFailure, _) => "→ on-failure",
        (Disposition::Dlq, _) => "→ DLQ",
        (Disposition::Dropped, Condition::EventAgeExceeded) => "expired, lost",
        (Disposition::Dropped, _) => "lost",
    }
}

/// What the lanes show at `t`, in words: the accessible label of the picture.
fn lanes_summary(lanes: &[retry::Lane], t: f64) -> String {
    let parts: Vec<String> = lanes
        .iter()
        .take(5)
        .map(|l| {
            let n = l.attempts.iter().filter(|(at, _)| *at <= t).count();
            let s = if n == 1 { "" } else { "s" };
            match l.end {
                Some((at, to, cond)) if at <= t => {
                    format!("event {}: {n} attempt{s}, {}", l.event, end_text(to, cond))
                }
                _ => format!("event {}: {n} attempt{s} so far", l.event),
            }
        })
        .collect();
    let more = if lanes.len() > 5 {
        format!("; and {} more", lanes.len() - 5)
    } else {
        String::new()
    };
    format!("Lanes: {}{more}", parts.join("; "))
}

/// The JSON the destination or DLQ received for the first event that has one, once delivered.
fn record_panel(ui: &mut Ui, records: &[(f64, u32, Disposition, String)], t: f64) {
    ui.label(RichText::new("What the destination receives").strong());
    match records.first().filter(|r| r.0 <= t) {
        Some((_, event, to, text)) => {
            let whom = match to {
                Disposition::OnSuccess => "on-success destination (invocation record)",
                Disposition::OnFailure => "on-failure destination (invocation record)",
                _ => "dead-letter queue (the event only, no response details)",
            };
            ui.label(format!("Event {event} → {whom}:"));
            super::json_record(ui, "record", text, 170.0);
        }
        None => {
            ui.label(
                RichText::new(
                    "Nothing delivered yet. Configure a destination or DLQ and play to the end.",
                )
                .color(theme::muted(ui.visuals())),
            );
        }
    }
}
