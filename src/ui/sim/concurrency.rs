//! The concurrency view: a load over time against the account, reserved and provisioned limits,
//! with concurrency in use, cold starts and throttles plotted per second.

use egui::{RichText, Ui};
use egui_plot::{HLine, Line, Plot, PlotPoint, VLine};

use crate::sim::concurrency::{
    self, ConcurrencyConfig, ConcurrencyEvent, Invocation, Pattern, Sample,
};
use crate::sim::{Describe, Kind, Timeline};
use crate::ui::theme;

use super::{Link, SimView};

/// The concurrency view in the simulator scaffold.
pub type ConcurrencyView = super::Sim<Concurrency>;

/// The concurrency simulator's part of the scaffold.
pub struct Concurrency;

/// What the view derives from one run: the per-second samples and every plotted series, in
/// time order, so a frame only takes the prefix that has happened.
pub struct ConcurrencyRun {
    timeline: Timeline<ConcurrencyEvent>,
    samples: Vec<(f64, Sample)>,
    /// Async events waiting in the queue for a retry after each second.
    queued: Vec<u64>,
    limit: u32,
    refused: Vec<String>,
    demand: Vec<PlotPoint>,
    in_use: Vec<PlotPoint>,
    cold: Vec<PlotPoint>,
    throttled: Vec<PlotPoint>,
    retried: Vec<PlotPoint>,
    retries_throttled: Vec<PlotPoint>,
}

const LINKS: [Link; 5] = [
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
pub fn links() -> &'static [Link] {
    &LINKS
}

impl SimView for Concurrency {
    type Config = ConcurrencyConfig;
    type Run = ConcurrencyRun;
    const ID: &'static str = "concurrency";
    const LOG_HEIGHT: f32 = 170.0;
    const LINKS: &'static [Link] = &LINKS;

    fn run(
        cfg: &ConcurrencyConfig,
        timeline: Timeline<ConcurrencyEvent>,
        _seed: u64,
    ) -> ConcurrencyRun {
        let samples = concurrency::seconds(&timeline);
        let refused = timeline
            .events
            .iter()
            .filter_map(|e| match &e.event {
                ConcurrencyEvent::Refused { reason } => Some(reason.clone()),
                _ => None,
            })
            .collect();
        let series = |f: &dyn Fn(&Sample) -> u32| -> Vec<PlotPoint> {
            samples
                .iter()
                .map(|(at, s)| PlotPoint::new(*at, f64::from(f(s))))
                .collect()
        };
        let mut waiting = 0u64;
        let queued = samples
            .iter()
            .map(|(_, s)| {
                waiting = (waiting + u64::from(s.throttled) + u64::from(s.retries_throttled))
                    .saturating_sub(u64::from(s.retried));
                waiting
            })
            .collect();
        ConcurrencyRun {
            limit: concurrency::function_limit(&timeline),
            refused,
            demand: samples
                .iter()
                .map(|(at, _)| {
                    PlotPoint::new(
                        *at,
                        concurrency::required_concurrency(
                            cfg.rate_at(*at - 0.5),
                            cfg.duration_ms / 1000.0,
                        ),
                    )
                })
                .collect(),
            in_use: series(&|s| s.in_use),
            cold: series(&|s| s.cold),
            throttled: series(&|s| s.throttled),
            retried: series(&|s| s.retried),
            retries_throttled: series(&|s| s.retries_throttled),
            queued,
            samples,
            timeline,
        }
    }

    fn timeline(run: &ConcurrencyRun) -> &Timeline<ConcurrencyEvent> {
        &run.timeline
    }

    /// Per-second samples would flood the log: the notable events and a line every 10 s.
    fn log(run: &ConcurrencyRun) -> Vec<(f64, String)> {
        run.timeline
            .events
            .iter()
            .filter(|e| match e.event {
                ConcurrencyEvent::Second { .. } => (e.at_s as u64).is_multiple_of(10),
                _ => true,
            })
            .map(|e| (e.at_s, e.event.describe()))
            .collect()
    }

    fn controls(ui: &mut Ui, cfg: &mut ConcurrencyConfig, _seed: &mut u64, _t: f64) {
        controls(ui, cfg);
    }

    fn picture(ui: &mut Ui, run: &mut ConcurrencyRun, cfg: &ConcurrencyConfig, t: f64) {
        picture(ui, run, cfg, t);
    }

    fn side(ui: &mut Ui, run: &ConcurrencyRun, cfg: &ConcurrencyConfig, t: f64) {
        totals(ui, run, cfg.invocation, t);
    }
}

fn controls(ui: &mut Ui, cfg: &mut ConcurrencyConfig) {
    const K: Kind = Kind::Concurrency;
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
    ui.add(super::key_slider(
        K,
        "rate_per_s",
        &mut cfg.rate_per_s,
        "requests/s",
        None,
    ));
    if cfg.pattern != Pattern::Steady {
        ui.add(super::key_slider(
            K,
            "peak_rate_per_s",
            &mut cfg.peak_rate_per_s,
            "peak requests/s",
            None,
        ));
    }
    if cfg.pattern == Pattern::Spike {
        let run_s = cfg.sim_s;
        ui.add(super::key_slider(
            K,
            "spike_at_s",
            &mut cfg.spike_at_s,
            "spike starts at s",
            Some(run_s),
        ));
        ui.add(super::key_slider(
            K,
            "spike_len_s",
            &mut cfg.spike_len_s,
            "spike lasts s",
            None,
        ));
    }
    ui.add(super::key_slider(
        K,
        "sim_s",
        &mut cfg.sim_s,
        "run length s",
        None,
    ));
    ui.add(super::key_slider(
        K,
        "duration_ms",
        &mut cfg.duration_ms,
        "duration ms",
        None,
    ));
    ui.add(super::key_slider(
        K,
        "init_ms",
        &mut cfg.init_ms,
        "cold start ms",
        None,
    ));
    ui.horizontal(|ui| {
        ui.selectable_value(&mut cfg.invocation, Invocation::Sync, "Synchronous");
        ui.selectable_value(&mut cfg.invocation, Invocation::Async, "Asynchronous");
    });
    ui.add_space(theme::GAP / 2.0);
    ui.label(RichText::new("Limits").strong());
    super::row(ui, "Account quota", |ui| {
        ui.add(super::key_drag(K, "account_limit", &mut cfg.account_limit))
    });
    let mut reserve = cfg.reserved.is_some();
    if ui
        .checkbox(&mut reserve, "Reserve concurrency for this function")
        .changed()
    {
        let on = super::key_range(K, "reserved").on.unwrap_or(0.0);
        cfg.reserved = reserve.then_some(on as u32);
    }
    if let Some(r) = &mut cfg.reserved {
        super::row(ui, "Reserved", |ui| {
            ui.add(super::key_drag(K, "reserved", r))
        });
    }
    super::row(ui, "Reserved by other functions", |ui| {
        ui.add(super::key_drag(
            K,
            "reserved_others",
            &mut cfg.reserved_others,
        ))
    });
    super::row(ui, "Unreserved in use by others", |ui| {
        ui.add(super::key_drag(K, "others_in_use", &mut cfg.others_in_use))
    });
    super::row(ui, "Provisioned", |ui| {
        ui.add(super::key_drag(K, "provisioned", &mut cfg.provisioned))
    });
    super::row(ui, "Scaling per 10 s", |ui| {
        ui.add(super::key_drag(
            K,
            "scaling_per_10s",
            &mut cfg.scaling_per_10s,
        ))
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

fn picture(ui: &mut Ui, run: &ConcurrencyRun, cfg: &ConcurrencyConfig, t: f64) {
    let v = ui.visuals().clone();
    let upto = run.samples.partition_point(|(at, _)| *at <= t + 1e-9);
    let now = upto
        .checked_sub(1)
        .map(|i| run.samples[i].1)
        .unwrap_or_default();
    let limit = run.limit;
    let asynchronous = cfg.invocation == Invocation::Async;
    super::refusals(ui, &run.refused);
    // Each part moves to the next row whole rather than breaking inside.
    let part = |ui: &mut Ui, text: RichText| {
        ui.add(egui::Label::new(text).extend());
    };
    ui.horizontal_wrapped(|ui| {
        part(ui, RichText::new("Now:").strong());
        part(
            ui,
            RichText::new(format!(
                "{} in use of a limit of {limit} · {} cold starts/s",
                now.in_use, now.cold
            )),
        );
        if asynchronous {
            let queued = upto.checked_sub(1).map_or(0, |i| run.queued[i]);
            part(
                ui,
                RichText::new(format!(
                    "· new events {}/s, {} throttled → queue",
                    now.arrivals, now.throttled
                ))
                .color(theme::wrong(&v)),
            );
            part(
                ui,
                RichText::new(format!(
                    "· retries {}/s, {} throttled again",
                    now.retried, now.retries_throttled
                ))
                .color(theme::correct(&v)),
            );
            part(
                ui,
                RichText::new(format!("· {queued} waiting in the queue")),
            );
        } else {
            part(
                ui,
                RichText::new(format!(
                    "· {} of {} requests/s throttled",
                    now.throttled, now.arrivals
                )),
            );
        }
    });
    // The legend stands above the plot, never over the lines.
    let throttled_name = if asynchronous {
        "new events throttled/s (→ queue)"
    } else {
        "throttled requests/s (429)"
    };
    let mut entries = vec![
        (
            theme::muted(&v),
            "needed (rate × duration)",
            super::Mark::Dashed,
        ),
        (theme::accent(&v), "concurrency in use", super::Mark::Line),
        (theme::secondary(&v), "function limit", super::Mark::Dashed),
        (theme::due(&v), "cold starts/s", super::Mark::Line),
        (theme::wrong(&v), throttled_name, super::Mark::Line),
    ];
    if asynchronous {
        entries.push((
            theme::correct(&v),
            "retries/s (from the queue)",
            super::Mark::Line,
        ));
        entries.push((
            theme::wrong(&v),
            "retries throttled again/s (→ queue)",
            super::Mark::Dashed,
        ));
    }
    super::legend_marked(ui, &entries);
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
        .show(ui, |plot| {
            plot.line(
                flat_line("needed (rate × duration)", &run.demand)
                    .color(theme::muted(&v))
                    .style(egui_plot::LineStyle::dashed_loose()),
            );
            plot.line(
                flat_line("concurrency in use", &run.in_use[..upto])
                    .color(theme::accent(&v))
                    .width(2.5),
            );
            plot.line(flat_line("cold starts/s", &run.cold[..upto]).color(theme::due(&v)));
            plot.line(flat_line(throttled_name, &run.throttled[..upto]).color(theme::wrong(&v)));
            if asynchronous {
                plot.line(
                    flat_line("retries/s (from the queue)", &run.retried[..upto])
                        .color(theme::correct(&v)),
                );
                plot.line(
                    flat_line(
                        "retries throttled again/s (→ queue)",
                        &run.retries_throttled[..upto],
                    )
                    .color(theme::wrong(&v))
                    .style(egui_plot::LineStyle::dashed_dense()),
                );
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
fn flat_line<'a>(name: &str, pts: &'a [PlotPoint]) -> Line<'a> {
    Line::new(name, pts).allow_band(false)
}

/// Running totals at `t` in words; the first line is also what tests read.
fn totals(ui: &mut Ui, run: &ConcurrencyRun, inv: Invocation, t: f64) {
    let upto = run.samples.partition_point(|(at, _)| *at <= t + 1e-9);
    let (mut peak, mut cold, mut warm) = (0, 0u64, 0u64);
    let (mut arrivals, mut thr, mut retried, mut rethrottled) = (0u64, 0u64, 0u64, 0u64);
    for (_, s) in &run.samples[..upto] {
        peak = peak.max(s.in_use);
        cold += u64::from(s.cold);
        warm += u64::from(s.warm);
        arrivals += u64::from(s.arrivals);
        thr += u64::from(s.throttled);
        retried += u64::from(s.retried);
        rethrottled += u64::from(s.retries_throttled);
    }
    let limit = run.limit;
    ui.label(RichText::new("So far").strong());
    ui.label(format!("Peak concurrency {peak} (limit {limit})"));
    ui.label(format!("{cold} cold starts, {warm} warm starts"));
    let colour = if thr > 0 {
        theme::wrong(ui.visuals())
    } else {
        theme::muted(ui.visuals())
    };
    match inv {
        Invocation::Sync => {
            ui.label(
                RichText::new(format!(
                    "{thr} of {arrivals} requests throttled: callers got 429 \
                     TooManyRequestsException"
                ))
                .color(colour),
            );
        }
        Invocation::Async => {
            ui.label(
                RichText::new(format!(
                    "{thr} of {arrivals} events throttled and returned to the queue"
                ))
                .color(colour),
            );
            ui.label(format!(
                "{retried} retry attempts so far, {rethrottled} of them throttled again"
            ));
            let queued = upto.checked_sub(1).map_or(0, |i| run.queued[i]);
            ui.label(format!("{queued} events waiting in the queue for a retry"));
        }
    }
}
