//! The traffic-shifting view: the alias weight over time as a plot, requests as dots routed by
//! the weights, hooks that pass or fail, and an alarm the learner can fire at any moment.

use egui::{RichText, Ui};
use egui_plot::{Line, Plot, PlotPoint, Points, VLine};

use crate::sim::traffic::{self, Deployment, HookResult, TrafficConfig, TrafficEvent};
use crate::sim::{Kind, Timeline};
use crate::ui::theme;

use super::{Link, SimView};

/// The traffic-shifting view in the simulator scaffold.
pub type TrafficView = super::Sim<Traffic>;

/// The traffic-shifting simulator's part of the scaffold.
pub struct Traffic;

/// What the view derives from one run: everything the plot draws, in time order, so a frame
/// only takes the prefix that has happened.
pub struct TrafficRun {
    timeline: Timeline<TrafficEvent>,
    /// Requests each dot stands for (1 unless a long run was thinned).
    per_dot: f64,
    /// The weight of version 2 over time, x in minutes.
    curve: Vec<[f64; 2]>,
    /// Request dots routed to version 1 and to version 2, x in minutes, in time order.
    old_dots: Vec<PlotPoint>,
    new_dots: Vec<PlotPoint>,
}

const LINKS: [Link; 4] = [
    (
        "The nine configurations",
        "codedeploy",
        "the-predefined-deployment-configurations",
    ),
    ("Lifecycle hooks", "codedeploy", "lifecycle-hooks"),
    (
        "Alarms and rollback",
        "codedeploy",
        "alarms-and-automatic-rollback",
    ),
    ("Aliases", "versions-aliases", "aliases"),
];

/// The note sections this view links to (checked against the pack by a test).
pub fn links() -> &'static [Link] {
    &LINKS
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Choice {
    Predefined(usize),
    CustomCanary,
    CustomLinear,
}

impl SimView for Traffic {
    type Config = TrafficConfig;
    type Run = TrafficRun;
    const ID: &'static str = "traffic";
    const LOG_HEIGHT: f32 = 190.0;
    const LINKS: &'static [Link] = &LINKS;

    fn run(cfg: &TrafficConfig, timeline: Timeline<TrafficEvent>, seed: u64) -> TrafficRun {
        let mut requests = traffic::requests(cfg, &timeline, seed);
        requests.sort_by(|a, b| a.at_s.total_cmp(&b.at_s));
        let dots = |to_new: bool| -> Vec<PlotPoint> {
            requests
                .iter()
                .filter(|r| r.to_new == to_new)
                .map(|r| PlotPoint::new(r.at_s / 60.0, r.roll))
                .collect()
        };
        TrafficRun {
            per_dot: traffic::dot_gap_s(cfg, &timeline) * cfg.request_rate,
            curve: traffic::weight_curve(&timeline)
                .into_iter()
                .map(|(x, y)| [x / 60.0, y])
                .collect(),
            old_dots: dots(false),
            new_dots: dots(true),
            timeline,
        }
    }

    fn timeline(run: &TrafficRun) -> &Timeline<TrafficEvent> {
        &run.timeline
    }

    fn controls(ui: &mut Ui, cfg: &mut TrafficConfig, _seed: &mut u64, t: f64) {
        controls(ui, cfg, t);
    }

    fn picture(ui: &mut Ui, run: &mut TrafficRun, _cfg: &TrafficConfig, t: f64) {
        picture(ui, run, t);
    }

    fn side(ui: &mut Ui, run: &TrafficRun, _cfg: &TrafficConfig, t: f64) {
        status(ui, &run.timeline, t);
    }
}

fn controls(ui: &mut Ui, cfg: &mut TrafficConfig, t: f64) {
    ui.heading("Traffic shifting");
    ui.label(
        RichText::new("CodeDeploy moves the alias from version 1 to version 2.")
            .color(theme::muted(ui.visuals())),
    );
    ui.add_space(theme::GAP);
    let config_label = ui.label(RichText::new("Deployment configuration").strong());
    let mut choice = match cfg.config {
        d if d.is_predefined() => Choice::Predefined(
            traffic::PREDEFINED
                .iter()
                .position(|p| *p == d)
                .unwrap_or(0),
        ),
        Deployment::Canary { .. } => Choice::CustomCanary,
        _ => Choice::CustomLinear,
    };
    let before = choice;
    egui::ComboBox::from_id_salt("deployment_config")
        .width(270.0)
        // Tall enough for all nine predefined configurations and the two custom ones, which
        // the default popup height hid below the fold.
        .height(420.0)
        .selected_text(choice_text(choice))
        .show_ui(ui, |ui| {
            ui.label(RichText::new("Predefined").color(theme::muted(ui.visuals())));
            for i in 0..traffic::PREDEFINED.len() {
                ui.selectable_value(
                    &mut choice,
                    Choice::Predefined(i),
                    choice_text(Choice::Predefined(i)),
                );
            }
            ui.separator();
            ui.label(RichText::new("Custom").color(theme::muted(ui.visuals())));
            ui.selectable_value(
                &mut choice,
                Choice::CustomCanary,
                choice_text(Choice::CustomCanary),
            );
            ui.selectable_value(
                &mut choice,
                Choice::CustomLinear,
                choice_text(Choice::CustomLinear),
            );
        })
        .response
        .labelled_by(config_label.id);
    if choice != before {
        cfg.config = match choice {
            Choice::Predefined(i) => traffic::PREDEFINED[i],
            Choice::CustomCanary => traffic::CUSTOM_CANARY,
            Choice::CustomLinear => traffic::CUSTOM_LINEAR,
        };
    }
    if let Deployment::Canary {
        percent,
        interval_min,
    }
    | Deployment::Linear {
        percent,
        interval_min,
    } = &mut cfg.config
        && !matches!(choice, Choice::Predefined(_))
    {
        let percents = if matches!(choice, Choice::CustomCanary) {
            traffic::CANARY_PERCENT
        } else {
            traffic::LINEAR_PERCENT
        };
        super::row(ui, "Percent", |ui| {
            ui.add(super::range_drag(percents, percent).suffix(" %"))
        });
        super::row(ui, "Interval", |ui| {
            ui.add(super::range_drag(traffic::INTERVAL_MIN, interval_min).suffix(" min"))
        });
    }
    ui.add_space(theme::GAP / 2.0);
    ui.label(RichText::new("Lifecycle hooks").strong());
    hook_toggle(ui, "BeforeAllowTraffic fails", &mut cfg.before_hook);
    hook_toggle(ui, "AfterAllowTraffic fails", &mut cfg.after_hook);
    super::row(ui, "Each hook runs", |ui| {
        ui.add(super::key_drag(Kind::Traffic, "hook_s", &mut cfg.hook_s).suffix(" s"))
    });
    ui.add_space(theme::GAP / 2.0);
    ui.label(RichText::new("CloudWatch alarm").strong());
    ui.horizontal(|ui| {
        if ui
            .button("Fire alarm now")
            .on_hover_text("The alarm goes into ALARM at the current moment")
            .clicked()
        {
            cfg.alarm_at_s = Some(t);
        }
        if cfg.alarm_at_s.is_some() && ui.button("Clear alarm").clicked() {
            cfg.alarm_at_s = None;
        }
    });
    match cfg.alarm_at_s {
        Some(a) => ui.label(format!("Alarm fires at {}", crate::format::sim_clock(a))),
        None => ui.label(RichText::new("No alarm").color(theme::muted(ui.visuals()))),
    };
    ui.add_space(theme::GAP / 2.0);
    ui.add(super::key_slider(
        Kind::Traffic,
        "request_rate",
        &mut cfg.request_rate,
        "requests/s (dots)",
        None,
    ));
}

fn hook_toggle(ui: &mut Ui, label: &str, hook: &mut HookResult) {
    let mut fails = *hook == HookResult::Fail;
    if ui.checkbox(&mut fails, label).changed() {
        *hook = if fails {
            HookResult::Fail
        } else {
            HookResult::Pass
        };
    }
}

fn choice_text(c: Choice) -> String {
    match c {
        Choice::Predefined(i) => traffic::PREDEFINED[i].name(),
        Choice::CustomCanary => "Custom canary…".to_string(),
        Choice::CustomLinear => "Custom linear…".to_string(),
    }
}

fn picture(ui: &mut Ui, run: &TrafficRun, t: f64) {
    let tl = &run.timeline;
    let p = traffic::percent_at(tl, t);
    ui.horizontal(|ui| {
        ui.label(RichText::new("Alias weights now:").strong());
        ui.label(
            RichText::new(format!("version 2 (new) {p}%"))
                .color(theme::accent(ui.visuals()))
                .strong(),
        );
        ui.label(format!("· version 1 (old) {}%", 100.0 - p));
    });
    let v = ui.visuals().clone();
    let x = t / 60.0;
    let steps = run.curve.partition_point(|pt| pt[0] <= x);
    let mut shown = run.curve[..steps].to_vec();
    if let Some(last) = shown.last().copied() {
        shown.push([x, last[1]]);
    }
    let old = &run.old_dots[..run.old_dots.partition_point(|d| d.x <= x)];
    let new = &run.new_dots[..run.new_dots.partition_point(|d| d.x <= x)];
    // The legend stands above the plot: dots fill the whole plot, so a legend inside would
    // always hide some.
    super::legend_marked(
        ui,
        &[
            (theme::muted(&v), "request → version 1", super::Mark::Dot),
            (theme::accent(&v), "request → version 2", super::Mark::Dot),
            (theme::correct(&v), "weight of version 2", super::Mark::Line),
            (theme::due(&v), "now", super::Mark::Line),
        ],
    );
    let end_min = tl.end_s / 60.0;
    Plot::new("traffic_plot")
        .height(300.0)
        .include_x(0.0)
        .include_x(end_min)
        .include_y(0.0)
        .include_y(100.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .x_axis_label("minutes since the deployment started")
        .y_axis_label("% of traffic on the new version")
        .show(ui, |plot| {
            plot.points(
                Points::new("request → version 1", old)
                    .color(theme::muted(&v))
                    .radius(2.0),
            );
            plot.points(
                Points::new("request → version 2", new)
                    .color(theme::accent(&v))
                    .radius(2.5),
            );
            plot.line(
                Line::new("weight of version 2", shown)
                    .color(theme::correct(&v))
                    .width(2.5)
                    // vertical steps share an x value; without this they become a filled band
                    .allow_band(false),
            );
            plot.vline(VLine::new("now", x).color(theme::due(&v)));
        });
    let per_dot = run.per_dot;
    let dots = if per_dot > 1.05 {
        format!(
            "Each dot stands for about {per_dot:.0} requests (a long run is thinned); its height \
             is the request's draw: below the weight of version 2, it goes to version 2."
        )
    } else {
        "Each dot is a request; its height is the request's draw: below the weight of version 2, \
         it goes to version 2."
            .to_string()
    };
    ui.label(RichText::new(dots).color(theme::muted(&v)));
}

/// Where the deployment stands at `t`, in words (also the label tests look for).
fn status(ui: &mut Ui, tl: &Timeline<TrafficEvent>, t: f64) {
    ui.label(RichText::new("Deployment status").strong());
    let happened = tl.until(t);
    let text = if let Some(reason) = happened.iter().find_map(|e| match &e.event {
        TrafficEvent::RolledBack { reason } => Some(reason.clone()),
        _ => None,
    }) {
        format!("Rolled back ({reason}): all traffic on version 1")
    } else if happened.iter().any(|e| e.event == TrafficEvent::Succeeded) {
        "Succeeded: all traffic on version 2".to_string()
    } else {
        "In progress".to_string()
    };
    let colour = if text.starts_with("Rolled") {
        theme::wrong(ui.visuals())
    } else if text.starts_with("Succeeded") {
        theme::correct(ui.visuals())
    } else {
        theme::muted(ui.visuals())
    };
    ui.label(RichText::new(text).color(colour).strong());
}
