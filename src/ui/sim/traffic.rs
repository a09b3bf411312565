//! The traffic-shifting view: the alias weight over time as a plot, requests as dots routed by
//! the weights, hooks that pass or fail, and an alarm the learner can fire at any moment.

use egui::{RichText, Ui};
use egui_plot::{Line, Plot, Points, VLine};

use crate::sim::traffic::{self, Deployment, HookResult, TrafficConfig, TrafficEvent};
use crate::sim::{Describe, Timeline};
use crate::ui::{Command, theme};

use super::Playback;

/// View state: the deployment being edited, its timeline, the request dots and the clock.
pub struct TrafficView {
    cfg: TrafficConfig,
    computed: Option<TrafficConfig>,
    timeline: Timeline<TrafficEvent>,
    requests: Vec<traffic::Request>,
    /// Requests each dot stands for (1 unless a long run was thinned).
    per_dot: f64,
    curve: Vec<[f64; 2]>,
    log: Vec<(f64, String)>,
    times: Vec<f64>,
    /// Playback clock over simulated seconds.
    pub playback: Playback,
}

impl Default for TrafficView {
    fn default() -> Self {
        Self {
            cfg: TrafficConfig::default(),
            computed: None,
            timeline: Timeline {
                events: Vec::new(),
                end_s: 0.0,
            },
            requests: Vec::new(),
            per_dot: 1.0,
            curve: Vec::new(),
            log: Vec::new(),
            times: Vec::new(),
            playback: Playback::default(),
        }
    }
}

const LINKS: [(&str, &str, &str); 4] = [
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
pub fn links() -> &'static [(&'static str, &'static str, &'static str)] {
    &LINKS
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Choice {
    Predefined(usize),
    CustomCanary,
    CustomLinear,
}

impl TrafficView {
    fn ensure_computed(&mut self) {
        if self.computed.as_ref() == Some(&self.cfg) {
            return;
        }
        self.timeline = traffic::simulate(&self.cfg, 1);
        self.requests = traffic::requests(&self.cfg, &self.timeline, 1);
        self.per_dot = traffic::dot_gap_s(&self.cfg, &self.timeline) * self.cfg.request_rate;
        self.curve = traffic::weight_curve(&self.timeline)
            .into_iter()
            .map(|(x, y)| [x / 60.0, y])
            .collect();
        self.log = self
            .timeline
            .events
            .iter()
            .map(|e| (e.at_s, e.event.describe()))
            .collect();
        self.times = self.timeline.events.iter().map(|e| e.at_s).collect();
        self.playback.set_end(self.timeline.end_s);
        self.computed = Some(self.cfg.clone());
    }

    /// Draws the view.
    pub fn ui(&mut self, ui: &mut Ui, cmds: &mut Vec<Command>) {
        self.ensure_computed();
        self.playback.tick(ui);
        let t = self.playback.t;
        let mut cfg = self.cfg.clone();
        let (timeline, requests, curve, log, times, per_dot) = (
            &self.timeline,
            &self.requests,
            &self.curve,
            &self.log,
            &self.times,
            self.per_dot,
        );
        let pb = &mut self.playback;
        super::layout(
            ui,
            "traffic",
            |ui| controls(ui, &mut cfg, t),
            |ui| picture(ui, timeline, requests, curve, per_dot, t),
            |ui| super::playback_bar(ui, pb, times),
            |ui| {
                ui.columns(2, |cols| {
                    super::event_log(&mut cols[0], log, t, 190.0);
                    status(&mut cols[1], timeline, t);
                    cols[1].add_space(theme::GAP);
                    super::note_links(&mut cols[1], cmds, &LINKS);
                });
            },
        );
        self.cfg = cfg;
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
            Choice::CustomCanary => Deployment::Canary {
                percent: 25,
                interval_min: 7,
            },
            Choice::CustomLinear => Deployment::Linear {
                percent: 20,
                interval_min: 2,
            },
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
        let max = if matches!(choice, Choice::CustomCanary) {
            99
        } else {
            100
        };
        super::row(ui, "Percent", |ui| {
            ui.add(egui::DragValue::new(percent).range(1..=max).suffix(" %"))
        });
        super::row(ui, "Interval", |ui| {
            ui.add(
                egui::DragValue::new(interval_min)
                    .range(1..=120)
                    .suffix(" min"),
            )
        });
    }
    ui.add_space(theme::GAP / 2.0);
    ui.label(RichText::new("Lifecycle hooks").strong());
    hook_toggle(ui, "BeforeAllowTraffic fails", &mut cfg.before_hook);
    hook_toggle(ui, "AfterAllowTraffic fails", &mut cfg.after_hook);
    super::row(ui, "Each hook runs", |ui| {
        ui.add(
            egui::DragValue::new(&mut cfg.hook_s)
                .range(0.0..=600.0)
                .suffix(" s"),
        )
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
        Some(a) => ui.label(format!("Alarm fires at {}", crate::sim::clock(a))),
        None => ui.label(RichText::new("No alarm").color(theme::muted(ui.visuals()))),
    };
    ui.add_space(theme::GAP / 2.0);
    ui.add(egui::Slider::new(&mut cfg.request_rate, 0.1..=10.0).text("requests/s (dots)"));
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

fn picture(
    ui: &mut Ui,
    tl: &Timeline<TrafficEvent>,
    requests: &[traffic::Request],
    curve: &[[f64; 2]],
    per_dot: f64,
    t: f64,
) {
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
    let shown: Vec<[f64; 2]> = curve
        .iter()
        .copied()
        .filter(|pt| pt[0] * 60.0 <= t)
        .collect();
    let mut shown = shown;
    if let Some(last) = shown.last().copied() {
        shown.push([t / 60.0, last[1]]);
    }
    let new_dots: Vec<[f64; 2]> = requests
        .iter()
        .filter(|r| r.at_s <= t && r.to_new)
        .map(|r| [r.at_s / 60.0, r.roll])
        .collect();
    let old_dots: Vec<[f64; 2]> = requests
        .iter()
        .filter(|r| r.at_s <= t && !r.to_new)
        .map(|r| [r.at_s / 60.0, r.roll])
        .collect();
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
        // Top left: the weight reaches 100 % at the right, where a legend there would hide it.
        .legend(egui_plot::Legend::default().position(egui_plot::Corner::LeftTop))
        .show(ui, |plot| {
            plot.points(
                Points::new("request → version 1", old_dots)
                    .color(theme::muted(&v))
                    .radius(2.0),
            );
            plot.points(
                Points::new("request → version 2", new_dots)
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
            plot.vline(VLine::new("now", t / 60.0).color(theme::due(&v)));
        });
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
