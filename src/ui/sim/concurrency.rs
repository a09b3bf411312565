//! The concurrency view: a load over time against the account, reserved and provisioned limits,
//! with concurrency in use, cold starts and throttles plotted per second.

use egui::{RichText, Ui};
use egui_plot::{HLine, Line, Plot, VLine};

use crate::sim::concurrency::{
    self, ConcurrencyConfig, ConcurrencyEvent, Invocation, Pattern, Sample,
};
use crate::sim::{Describe, Timeline};
use crate::ui::{Command, theme};

use super::Playback;

/// View state: the configuration, its run, per-second samples and the clock.
pub struct ConcurrencyView {
    cfg: ConcurrencyConfig,
    computed: Option<ConcurrencyConfig>,
    timeline: Timeline<ConcurrencyEvent>,
    samples: Vec<(f64, Sample)>,
    limit: u32,
    refused: Vec<String>,
    log: Vec<(f64, String)>,
    times: Vec<f64>,
    /// Playback clock over simulated seconds.
    pub playback: Playback,
}

impl Default for ConcurrencyView {
    fn default() -> Self {
        Self {
            cfg: ConcurrencyConfig::default(),
            computed: None,
            timeline: Timeline {
                events: Vec::new(),
                end_s: 0.0,
            },
            samples: Vec::new(),
            limit: 0,
            refused: Vec::new(),
            log: Vec::new(),
            times: Vec::new(),
            playback: Playback::default(),
        }
    }
}

const LINKS: [(&str, &str, &str); 5] = [
    (
        "Account quota",
        "concurrency",
        "the-account-concurrency-quota",
    ),
    ("Scaling rate", "concurrency", "how-fast-a-function-scales"),
    (
        "Reserved concurrency",
        "concurrency",
        "reserved-concurrency",
    ),
    (
        "Provisioned concurrency",
        "concurrency",
        "provisioned-concurrency-in-brief",
    ),
    ("Throttling", "concurrency", "throttling"),
];

/// The note sections this view links to (checked against the pack by a test).
pub fn links() -> &'static [(&'static str, &'static str, &'static str)] {
    &LINKS
}

impl ConcurrencyView {
    fn ensure_computed(&mut self) {
        if self.computed.as_ref() == Some(&self.cfg) {
            return;
        }
        self.timeline = concurrency::simulate(&self.cfg, 1);
        self.samples = concurrency::seconds(&self.timeline);
        self.limit = concurrency::function_limit(&self.timeline);
        self.refused = self
            .timeline
            .events
            .iter()
            .filter_map(|e| match &e.event {
                ConcurrencyEvent::Refused { reason } => Some(reason.clone()),
                _ => None,
            })
            .collect();
        // Per-second samples would flood the log: keep the notable events and a line every 10 s.
        self.log = self
            .timeline
            .events
            .iter()
            .filter(|e| match e.event {
                ConcurrencyEvent::Second { .. } => (e.at_s as u64).is_multiple_of(10),
                _ => true,
            })
            .map(|e| (e.at_s, e.event.describe()))
            .collect();
        self.times = self.log.iter().map(|l| l.0).collect();
        self.playback.set_end(self.timeline.end_s);
        self.computed = Some(self.cfg.clone());
    }

    /// Draws the view.
    pub fn ui(&mut self, ui: &mut Ui, cmds: &mut Vec<Command>) {
        self.ensure_computed();
        self.playback.tick(ui);
        let t = self.playback.t;
        let mut cfg = self.cfg.clone();
        let (samples, limit, refused, log, times) = (
            &self.samples,
            self.limit,
            &self.refused,
            &self.log,
            &self.times,
        );
        let pb = &mut self.playback;
        super::layout(
            ui,
            "concurrency",
            |ui| controls(ui, &mut cfg),
            |ui| picture(ui, samples, limit, refused, &self.cfg, t),
            |ui| super::playback_bar(ui, pb, times),
            |ui| {
                ui.columns(2, |cols| {
                    super::event_log(&mut cols[0], log, t, 170.0);
                    totals(&mut cols[1], samples, limit, self.cfg.invocation, t);
                    cols[1].add_space(theme::GAP);
                    super::note_links(&mut cols[1], cmds, &LINKS);
                });
            },
        );
        self.cfg = cfg;
    }
}

fn controls(ui: &mut Ui, cfg: &mut ConcurrencyConfig) {
    ui.heading("Concurrency");
    ui.label(
        RichText::new("Concurrency ≈ requests per second × duration.")
            .color(theme::muted(ui.visuals())),
    );
    ui.add_space(theme::GAP);
    ui.label(RichText::new("Load").strong());
    ui.horizontal(|ui| {
        ui.selectable_value(&mut cfg.pattern, Pattern::Steady, "Steady");
        ui.selectable_value(&mut cfg.pattern, Pattern::Spike, "Spike");
        ui.selectable_value(&mut cfg.pattern, Pattern::Ramp, "Ramp");
    });
    ui.add(
        egui::Slider::new(&mut cfg.rate_per_s, 0.0..=5000.0)
            .text("requests/s")
            .logarithmic(true),
    );
    if cfg.pattern != Pattern::Steady {
        ui.add(
            egui::Slider::new(&mut cfg.peak_rate_per_s, 0.0..=20_000.0)
                .text("peak requests/s")
                .logarithmic(true),
        );
    }
    if cfg.pattern == Pattern::Spike {
        ui.add(egui::Slider::new(&mut cfg.spike_at_s, 0.0..=cfg.sim_s).text("spike starts at s"));
        ui.add(egui::Slider::new(&mut cfg.spike_len_s, 1.0..=600.0).text("spike lasts s"));
    }
    ui.add(egui::Slider::new(&mut cfg.sim_s, 10.0..=600.0).text("run length s"));
    ui.add(
        egui::Slider::new(&mut cfg.duration_ms, 10.0..=10_000.0)
            .text("duration ms")
            .logarithmic(true),
    );
    ui.add(egui::Slider::new(&mut cfg.init_ms, 0.0..=5000.0).text("cold start ms"));
    ui.horizontal(|ui| {
        ui.selectable_value(&mut cfg.invocation, Invocation::Sync, "Synchronous");
        ui.selectable_value(&mut cfg.invocation, Invocation::Async, "Asynchronous");
    });
    ui.add_space(theme::GAP / 2.0);
    ui.label(RichText::new("Limits").strong());
    super::row(ui, "Account quota", |ui| {
        ui.add(egui::DragValue::new(&mut cfg.account_limit).range(100..=100_000))
    });
    let mut reserve = cfg.reserved.is_some();
    if ui
        .checkbox(&mut reserve, "Reserve concurrency for this function")
        .changed()
    {
        cfg.reserved = reserve.then_some(100);
    }
    if let Some(r) = &mut cfg.reserved {
        super::row(ui, "Reserved", |ui| {
            ui.add(egui::DragValue::new(r).range(0..=100_000))
        });
    }
    super::row(ui, "Reserved by other functions", |ui| {
        ui.add(egui::DragValue::new(&mut cfg.reserved_others).range(0..=100_000))
    });
    super::row(ui, "Unreserved in use by others", |ui| {
        ui.add(egui::DragValue::new(&mut cfg.others_in_use).range(0..=100_000))
    });
    super::row(ui, "Provisioned", |ui| {
        ui.add(egui::DragValue::new(&mut cfg.provisioned).range(0..=100_000))
    });
    super::row(ui, "Scaling per 10 s", |ui| {
        ui.add(egui::DragValue::new(&mut cfg.scaling_per_10s).range(1..=100_000))
    });
    let most = cfg
        .account_limit
        .saturating_sub(concurrency::MIN_UNRESERVED);
    let (text, colour) = if cfg.reserved_others > most {
        (
            format!(
                "Other functions may reserve at most {most} in all: 100 always stay unreserved."
            ),
            theme::wrong(ui.visuals()),
        )
    } else {
        (
            format!(
                "At most {} can be reserved for this function (100 always stay unreserved).",
                concurrency::max_reservable(cfg.account_limit, cfg.reserved_others)
            ),
            theme::muted(ui.visuals()),
        )
    };
    ui.label(RichText::new(text).color(colour));
}

fn picture(
    ui: &mut Ui,
    samples: &[(f64, Sample)],
    limit: u32,
    refused: &[String],
    cfg: &ConcurrencyConfig,
    t: f64,
) {
    let v = ui.visuals().clone();
    let upto: Vec<&(f64, Sample)> = samples.iter().filter(|(at, _)| *at <= t + 1e-9).collect();
    let series = |f: &dyn Fn(&Sample) -> u32| -> Vec<[f64; 2]> {
        upto.iter().map(|(at, s)| [*at, f64::from(f(s))]).collect()
    };
    let demand: Vec<[f64; 2]> = samples
        .iter()
        .map(|(at, _)| {
            [
                *at,
                concurrency::required_concurrency(cfg.rate_at(*at - 0.5), cfg.duration_ms / 1000.0),
            ]
        })
        .collect();
    let now = upto.last().map(|x| x.1).unwrap_or_default();
    super::refusals(ui, refused);
    ui.horizontal(|ui| {
        ui.label(RichText::new("Now:").strong());
        ui.label(format!(
            "{} in use of a limit of {limit} · {} cold starts/s · {} of {} requests/s throttled",
            now.in_use, now.cold, now.throttled, now.arrivals
        ));
    });
    Plot::new("concurrency_plot")
        .height(300.0)
        .include_x(0.0)
        .include_x(cfg.sim_s)
        .include_y(0.0)
        .include_y(f64::from(limit) * 1.1)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .x_axis_label("seconds")
        .y_axis_label("concurrency · requests/s")
        .legend(egui_plot::Legend::default())
        .show(ui, |plot| {
            plot.line(
                flat_line("needed (rate × duration)", demand)
                    .color(theme::muted(&v))
                    .style(egui_plot::LineStyle::dashed_loose()),
            );
            plot.line(
                flat_line("concurrency in use", series(&|s| s.in_use))
                    .color(theme::accent(&v))
                    .width(2.5),
            );
            plot.line(flat_line("cold starts/s", series(&|s| s.cold)).color(theme::due(&v)));
            plot.line(
                flat_line("throttled requests/s", series(&|s| s.throttled)).color(theme::wrong(&v)),
            );
            if cfg.invocation == Invocation::Async {
                plot.line(flat_line("retries/s", series(&|s| s.retried)).color(theme::correct(&v)));
            }
            plot.hline(
                HLine::new("function limit", f64::from(limit))
                    .color(theme::secondary(&v))
                    .width(1.5)
                    .style(egui_plot::LineStyle::dashed_dense()),
            );
            plot.vline(VLine::new("now", t).color(theme::muted(&v)));
        });
}

/// A plot line drawn point to point (egui_plot would otherwise merge dense points into bands).
fn flat_line<'a>(name: &str, pts: Vec<[f64; 2]>) -> Line<'a> {
    Line::new(name, pts).allow_band(false)
}

/// Running totals at `t` in words; the first line is also what tests read.
fn totals(ui: &mut Ui, samples: &[(f64, Sample)], limit: u32, inv: Invocation, t: f64) {
    let upto = samples.iter().filter(|(at, _)| *at <= t + 1e-9);
    let (mut peak, mut cold, mut warm) = (0, 0u64, 0u64);
    let (mut arrivals, mut thr, mut retried, mut rethrottled) = (0u64, 0u64, 0u64, 0u64);
    for (_, s) in upto {
        peak = peak.max(s.in_use);
        cold += u64::from(s.cold);
        warm += u64::from(s.warm);
        arrivals += u64::from(s.arrivals);
        thr += u64::from(s.throttled);
        retried += u64::from(s.retried);
        rethrottled += u64::from(s.retries_throttled);
    }
    ui.label(RichText::new("So far").strong());
    ui.label(format!("Peak concurrency {peak} (limit {limit})"));
    ui.label(format!("{cold} cold starts, {warm} warm starts"));
    let what = match inv {
        Invocation::Sync => format!(
            "{thr} of {arrivals} requests throttled: callers got 429 TooManyRequestsException"
        ),
        Invocation::Async => format!(
            "{thr} of {arrivals} events throttled and returned to the queue; {retried} retry \
             attempts so far, {rethrottled} of them throttled again"
        ),
    };
    let colour = if thr > 0 {
        theme::wrong(ui.visuals())
    } else {
        theme::muted(ui.visuals())
    };
    ui.label(RichText::new(what).color(colour));
}
