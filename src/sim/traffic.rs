//! Traffic shifting: CodeDeploy moving a Lambda alias from version N to version N+1.
//!
//! Pinned to the AWS CodeDeploy User Guide, "Deployment configurations on an AWS Lambda compute
//! platform" (<https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html>):
//! canary configurations shift a first percentage, wait the interval, then shift the rest;
//! linear configurations shift the same percentage "at the start of each increment", one
//! increment per interval; all-at-once shifts everything immediately. The nine predefined Lambda
//! configurations are `CodeDeployDefault.LambdaCanary10Percent{5,10,15,30}Minutes`,
//! `CodeDeployDefault.LambdaLinear10PercentEvery{1Minute,2Minutes,3Minutes,10Minutes}` and
//! `CodeDeployDefault.LambdaAllAtOnce`. Hooks are `BeforeAllowTraffic` and `AfterAllowTraffic`
//! ("AppSpec 'hooks' section"); a CloudWatch alarm that goes off during the deployment stops it
//! and rolls traffic back to the original version (deployment group auto-rollback).
//!
//! Time 0 is the moment CodeDeploy starts the deployment. Hooks take `hook_s` seconds each
//! (default 0, so the schedule's own times read directly off the timeline).

use std::fmt;

use rand::RngExt;
use serde::{Serialize, Serializer};

use super::{
    Configurable, Describe, KeyDoc, Range, SimError, Timed, Timeline, bad, parse_f64, unknown,
};

/// How traffic moves to the new version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deployment {
    /// Shift `percent` at once, wait `interval_min`, then shift the rest.
    Canary {
        /// First share of traffic, percent.
        percent: u32,
        /// Minutes before the rest moves.
        interval_min: u32,
    },
    /// Shift `percent` at the start of each `interval_min`-minute increment until 100 %.
    Linear {
        /// Share added per increment, percent.
        percent: u32,
        /// Minutes per increment.
        interval_min: u32,
    },
    /// Shift everything at once.
    AllAtOnce,
}

/// The nine predefined CodeDeploy configurations for Lambda, in the console's order.
pub const PREDEFINED: [Deployment; 9] = [
    Deployment::Canary {
        percent: 10,
        interval_min: 5,
    },
    Deployment::Canary {
        percent: 10,
        interval_min: 10,
    },
    Deployment::Canary {
        percent: 10,
        interval_min: 15,
    },
    Deployment::Canary {
        percent: 10,
        interval_min: 30,
    },
    Deployment::Linear {
        percent: 10,
        interval_min: 1,
    },
    Deployment::Linear {
        percent: 10,
        interval_min: 2,
    },
    Deployment::Linear {
        percent: 10,
        interval_min: 3,
    },
    Deployment::Linear {
        percent: 10,
        interval_min: 10,
    },
    Deployment::AllAtOnce,
];

/// P of a custom `canary:P:M`: the first share, percent (100 would be all at once).
pub const CANARY_PERCENT: Range = Range::int(1, 99);
/// P of a custom `linear:P:M`: the share added per increment, percent.
pub const LINEAR_PERCENT: Range = Range::int(1, 100);
/// M of a custom `canary:P:M` or `linear:P:M`: minutes (CodeDeploy allows up to 2 days; the
/// screen offers up to 2 hours).
pub const INTERVAL_MIN: Range = Range::int(1, 2880).slider(1.0, 120.0);
/// What the screen starts a custom canary from.
pub const CUSTOM_CANARY: Deployment = Deployment::Canary {
    percent: 25,
    interval_min: 7,
};
/// What the screen starts a custom linear deployment from.
pub const CUSTOM_LINEAR: Deployment = Deployment::Linear {
    percent: 20,
    interval_min: 2,
};

const CONFIG_ACCEPTS: &str = "a predefined name such as LambdaCanary10Percent5Minutes or \
CodeDeployDefault.LambdaLinear10PercentEvery3Minutes (the nine: LambdaCanary10Percent5/10/15/\
30Minutes, LambdaLinear10PercentEvery1Minute/2Minutes/3Minutes/10Minutes, LambdaAllAtOnce), or \
custom canary:PERCENT:MINUTES / linear:PERCENT:MINUTES";

impl Deployment {
    /// The configuration's name: the CodeDeploy name for predefined ones (without the
    /// `CodeDeployDefault.` prefix), `canary:P:M` / `linear:P:M` for custom ones.
    pub fn name(&self) -> String {
        if !self.is_predefined() {
            return match self {
                Deployment::Canary {
                    percent,
                    interval_min,
                } => format!("canary:{percent}:{interval_min}"),
                Deployment::Linear {
                    percent,
                    interval_min,
                } => format!("linear:{percent}:{interval_min}"),
                Deployment::AllAtOnce => "LambdaAllAtOnce".to_string(),
            };
        }
        let mins = |m: u32| {
            if m == 1 {
                "1Minute".to_string()
            } else {
                format!("{m}Minutes")
            }
        };
        match self {
            Deployment::Canary {
                percent,
                interval_min,
            } => format!("LambdaCanary{percent}Percent{}", mins(*interval_min)),
            Deployment::Linear {
                percent,
                interval_min,
            } => format!("LambdaLinear{percent}PercentEvery{}", mins(*interval_min)),
            Deployment::AllAtOnce => "LambdaAllAtOnce".to_string(),
        }
    }

    /// Whether this is one of the nine predefined configurations.
    pub fn is_predefined(&self) -> bool {
        PREDEFINED.contains(self)
    }

    /// Parses a predefined name (with or without `CodeDeployDefault.` and `Lambda`, any case)
    /// or `canary:P:M` / `linear:P:M`.
    pub fn parse(value: &str) -> Option<Self> {
        let v = value.trim();
        let lower = v.to_ascii_lowercase();
        if let Some(rest) = lower
            .strip_prefix("canary:")
            .map(|r| (r, true))
            .or_else(|| lower.strip_prefix("linear:").map(|r| (r, false)))
        {
            let (nums, canary) = rest;
            let (p, m) = nums.split_once(':')?;
            let percent: u32 = p.parse().ok()?;
            let interval_min: u32 = m.parse().ok()?;
            let range = if canary {
                CANARY_PERCENT
            } else {
                LINEAR_PERCENT
            };
            if !range.contains(f64::from(percent))
                || !INTERVAL_MIN.contains(f64::from(interval_min))
            {
                return None;
            }
            return Some(if canary {
                Deployment::Canary {
                    percent,
                    interval_min,
                }
            } else {
                Deployment::Linear {
                    percent,
                    interval_min,
                }
            });
        }
        let short = lower.strip_prefix("codedeploydefault.").unwrap_or(&lower);
        let short = short.strip_prefix("lambda").unwrap_or(short);
        PREDEFINED.into_iter().find(|d| {
            let n = d.name().to_ascii_lowercase();
            n.strip_prefix("lambda").unwrap_or(&n) == short
        })
    }

    /// Every change of the new version's share: `(seconds after shifting starts, percent)`.
    pub fn schedule(&self) -> Vec<(f64, f64)> {
        match *self {
            Deployment::AllAtOnce => vec![(0.0, 100.0)],
            Deployment::Canary {
                percent,
                interval_min,
            } => vec![
                (0.0, f64::from(percent)),
                (f64::from(interval_min) * 60.0, 100.0),
            ],
            Deployment::Linear {
                percent,
                interval_min,
            } => {
                let steps = 100u32.div_ceil(percent.max(1));
                (0..steps)
                    .map(|i| {
                        (
                            f64::from(i * interval_min) * 60.0,
                            f64::from(((i + 1) * percent).min(100)),
                        )
                    })
                    .collect()
            }
        }
    }

    /// Seconds from the first shift until 100 % of traffic is on the new version.
    pub fn shifting_duration_s(&self) -> f64 {
        self.schedule().last().map_or(0.0, |s| s.0)
    }
}

impl fmt::Display for Deployment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

impl Serialize for Deployment {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Share of traffic (percent) on the new version `t_s` seconds after traffic shifting starts,
/// with no hooks, alarms or rollbacks. The quiz's generated questions ask for this number.
pub fn new_version_percent(deployment: &Deployment, t_s: f64) -> f64 {
    if t_s < 0.0 {
        return 0.0;
    }
    deployment
        .schedule()
        .iter()
        .take_while(|(at, _)| *at <= t_s)
        .last()
        .map_or(0.0, |(_, p)| *p)
}

/// Whether a lifecycle hook's validation function reports success.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HookResult {
    /// The hook reports `Succeeded`.
    Pass,
    /// The hook reports `Failed`.
    Fail,
}

/// A traffic-shifting deployment to simulate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrafficConfig {
    /// How traffic moves.
    pub config: Deployment,
    /// The BeforeAllowTraffic hook's verdict.
    pub before_hook: HookResult,
    /// The AfterAllowTraffic hook's verdict.
    pub after_hook: HookResult,
    /// Seconds each hook takes to run.
    pub hook_s: f64,
    /// When the CloudWatch alarm goes off, if at all.
    pub alarm_at_s: Option<f64>,
    /// Requests per second reaching the alias (drawn as dots).
    pub request_rate: f64,
}

impl Default for TrafficConfig {
    fn default() -> Self {
        Self {
            config: PREDEFINED[0],
            before_hook: HookResult::Pass,
            after_hook: HookResult::Pass,
            hook_s: 0.0,
            alarm_at_s: None,
            request_rate: 1.0,
        }
    }
}

static KEYS: [KeyDoc; 6] = [
    KeyDoc {
        key: "config",
        default: "LambdaCanary10Percent5Minutes",
        accepts: CONFIG_ACCEPTS,
        help: "the deployment configuration",
        range: None,
    },
    KeyDoc {
        key: "before_hook",
        default: "pass",
        accepts: "pass or fail",
        help: "BeforeAllowTraffic hook result",
        range: None,
    },
    KeyDoc {
        key: "after_hook",
        default: "pass",
        accepts: "pass or fail",
        help: "AfterAllowTraffic hook result",
        range: None,
    },
    KeyDoc {
        key: "hook_s",
        default: "0",
        accepts: "seconds 0–3600",
        help: "how long each hook runs",
        range: Some(Range::float(0.0, 3600.0).slider(0.0, 600.0)),
    },
    KeyDoc {
        key: "alarm_at_s",
        default: "none",
        accepts: "seconds 0–604800, or none",
        help: "when the CloudWatch alarm fires",
        range: Some(Range::float(0.0, 604_800.0)),
    },
    KeyDoc {
        key: "request_rate",
        default: "1",
        accepts: "requests per second 0–50",
        help: "requests drawn as dots",
        range: Some(Range::float(0.0, 50.0).slider(0.1, 10.0)),
    },
];

fn parse_hook(key: &str, value: &str) -> Result<HookResult, SimError> {
    match value.to_ascii_lowercase().as_str() {
        "pass" | "succeeded" | "true" => Ok(HookResult::Pass),
        "fail" | "failed" | "false" => Ok(HookResult::Fail),
        _ => Err(bad(key, value, "pass or fail")),
    }
}

impl Configurable for TrafficConfig {
    const NAME: &'static str = "traffic";

    fn keys() -> &'static [KeyDoc] {
        &KEYS
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), SimError> {
        match key {
            "config" => {
                self.config =
                    Deployment::parse(value).ok_or_else(|| bad(key, value, CONFIG_ACCEPTS))?;
            }
            "before_hook" => self.before_hook = parse_hook(key, value)?,
            "after_hook" => self.after_hook = parse_hook(key, value)?,
            "hook_s" => self.hook_s = parse_f64::<Self>(key, value)?,
            "alarm_at_s" => {
                self.alarm_at_s = if value.eq_ignore_ascii_case("none") {
                    None
                } else {
                    Some(parse_f64::<Self>(key, value)?)
                };
            }
            "request_rate" => self.request_rate = parse_f64::<Self>(key, value)?,
            _ => return Err(unknown::<Self>(key)),
        }
        Ok(())
    }
}

/// Which lifecycle hook ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Hook {
    /// Runs before any traffic reaches the new version.
    BeforeAllowTraffic,
    /// Runs after all traffic has moved.
    AfterAllowTraffic,
}

/// Something that happened during the deployment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TrafficEvent {
    /// CodeDeploy started the deployment.
    Started {
        /// Configuration name.
        config: String,
    },
    /// A hook started running.
    HookStarted {
        /// Which hook.
        hook: Hook,
    },
    /// A hook reported its result.
    Hook {
        /// Which hook.
        hook: Hook,
        /// What it reported.
        result: HookResult,
    },
    /// The alias weights changed.
    Shift {
        /// Share on the new version, percent.
        new_version_percent: f64,
        /// Share on the old version, percent (always 100 minus the new share).
        old_version_percent: f64,
    },
    /// The CloudWatch alarm went off.
    Alarm {
        /// Whether it stopped a running deployment (after the end it changes nothing).
        during_deployment: bool,
    },
    /// CodeDeploy moved all traffic back to the original version.
    RolledBack {
        /// What triggered it.
        reason: String,
    },
    /// The deployment finished: the alias points at the new version only.
    Succeeded,
}

impl Describe for TrafficEvent {
    fn describe(&self) -> String {
        match self {
            TrafficEvent::Started { config } => format!("deployment started with {config}"),
            TrafficEvent::HookStarted { hook } => format!("{hook:?} hook running"),
            TrafficEvent::Hook { hook, result } => match result {
                HookResult::Pass => format!("{hook:?} hook succeeded"),
                HookResult::Fail => format!("{hook:?} hook failed"),
            },
            TrafficEvent::Shift {
                new_version_percent,
                old_version_percent,
            } => format!(
                "alias weights: new version {new_version_percent}%, old version \
                 {old_version_percent}%"
            ),
            TrafficEvent::Alarm { during_deployment } => {
                if *during_deployment {
                    "CloudWatch alarm fired: stopping the deployment".to_string()
                } else {
                    "CloudWatch alarm fired after the deployment finished: no rollback".to_string()
                }
            }
            TrafficEvent::RolledBack { reason } => {
                format!("rolled back, all traffic on the old version ({reason})")
            }
            TrafficEvent::Succeeded => "deployment succeeded".to_string(),
        }
    }
}

/// Runs the deployment. The seed does not matter for the weights (they are fixed by the
/// configuration); it is used by [`requests`].
pub fn simulate(cfg: &TrafficConfig, _seed: u64) -> Timeline<TrafficEvent> {
    let mut ev = Vec::new();
    let hook = cfg.hook_s;
    ev.push(Timed::new(
        0.0,
        TrafficEvent::Started {
            config: cfg.config.name(),
        },
    ));
    // Build the undisturbed plan first, then cut it at the first failure or alarm.
    let mut plan: Vec<Timed<TrafficEvent>> = Vec::new();
    if hook > 0.0 {
        plan.push(Timed::new(
            0.0,
            TrafficEvent::HookStarted {
                hook: Hook::BeforeAllowTraffic,
            },
        ));
    }
    plan.push(Timed::new(
        hook,
        TrafficEvent::Hook {
            hook: Hook::BeforeAllowTraffic,
            result: cfg.before_hook,
        },
    ));
    let mut end_of_deployment = hook;
    let mut failed_at: Option<(f64, String)> = None;
    if cfg.before_hook == HookResult::Fail {
        failed_at = Some((hook, "BeforeAllowTraffic hook failed".to_string()));
    } else {
        for (at, p) in cfg.config.schedule() {
            plan.push(Timed::new(
                hook + at,
                TrafficEvent::Shift {
                    new_version_percent: p,
                    old_version_percent: 100.0 - p,
                },
            ));
        }
        let after_start = hook + cfg.config.shifting_duration_s();
        if hook > 0.0 {
            plan.push(Timed::new(
                after_start,
                TrafficEvent::HookStarted {
                    hook: Hook::AfterAllowTraffic,
                },
            ));
        }
        end_of_deployment = after_start + hook;
        plan.push(Timed::new(
            end_of_deployment,
            TrafficEvent::Hook {
                hook: Hook::AfterAllowTraffic,
                result: cfg.after_hook,
            },
        ));
        if cfg.after_hook == HookResult::Fail {
            failed_at = Some((
                end_of_deployment,
                "AfterAllowTraffic hook failed".to_string(),
            ));
        } else {
            plan.push(Timed::new(end_of_deployment, TrafficEvent::Succeeded));
        }
    }
    // The alarm only matters while the deployment is still running.
    let alarm = cfg.alarm_at_s;
    let stop = match (alarm, &failed_at) {
        (Some(a), Some((f, _))) if a < *f => Some((a, "CloudWatch alarm".to_string())),
        (Some(a), None) if a < end_of_deployment => Some((a, "CloudWatch alarm".to_string())),
        (_, Some((f, why))) => Some((*f, why.clone())),
        _ => None,
    };
    match stop {
        Some((at, reason)) => {
            let by_alarm = reason == "CloudWatch alarm";
            // Events at the stopping moment happen first unless the alarm is what stops it.
            ev.extend(
                plan.into_iter()
                    .filter(|e| e.at_s < at || (!by_alarm && e.at_s <= at)),
            );
            if by_alarm {
                ev.push(Timed::new(
                    at,
                    TrafficEvent::Alarm {
                        during_deployment: true,
                    },
                ));
            }
            let had_traffic = ev
                .iter()
                .any(|e| matches!(e.event, TrafficEvent::Shift { .. }));
            if had_traffic {
                ev.push(Timed::new(
                    at,
                    TrafficEvent::Shift {
                        new_version_percent: 0.0,
                        old_version_percent: 100.0,
                    },
                ));
            }
            ev.push(Timed::new(at, TrafficEvent::RolledBack { reason }));
            end_of_deployment = at;
        }
        None => {
            ev.extend(plan);
            if let Some(a) = alarm {
                ev.push(Timed::new(
                    a,
                    TrafficEvent::Alarm {
                        during_deployment: false,
                    },
                ));
            }
        }
    }
    let tail = (end_of_deployment * 0.1).max(60.0);
    Timeline::finish(ev, end_of_deployment + tail)
}

/// Share of traffic on the new version at `t_s` according to a simulated timeline (including
/// rollbacks), so the picture and the dots agree with the event log.
pub fn percent_at(tl: &Timeline<TrafficEvent>, t_s: f64) -> f64 {
    tl.until(t_s)
        .iter()
        .rev()
        .find_map(|e| match e.event {
            TrafficEvent::Shift {
                new_version_percent,
                ..
            } => Some(new_version_percent),
            _ => None,
        })
        .unwrap_or(0.0)
}

/// The weight curve as points for a step plot: `(t_s, new_version_percent)`, including the
/// timeline's end so the last level is drawn to the edge.
pub fn weight_curve(tl: &Timeline<TrafficEvent>) -> Vec<(f64, f64)> {
    let mut pts = vec![(0.0, 0.0)];
    for e in &tl.events {
        if let TrafficEvent::Shift {
            new_version_percent,
            ..
        } = e.event
        {
            let last = pts.last().map_or(0.0, |p| p.1);
            pts.push((e.at_s, last));
            pts.push((e.at_s, new_version_percent));
        }
    }
    let last = pts.last().map_or(0.0, |p| p.1);
    pts.push((tl.end_s, last));
    pts
}

/// One request reaching the alias.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Request {
    /// When it arrived.
    pub at_s: f64,
    /// The request's draw in 0–100: the alias sends it to the new version when the draw is
    /// below the new version's weight, so plotting the draw against the weight shows the rule.
    pub roll: f64,
    /// Whether the alias routed it to the new version.
    pub to_new: bool,
}

/// Most request dots one run draws; longer runs space their dots further apart.
pub const MAX_DOTS: usize = 20_000;

/// Seconds between two request dots: one per request at `cfg.request_rate`, thinned on long runs
/// so that at most [`MAX_DOTS`] dots cover the whole timeline (each dot then stands for several
/// requests, routed by the same weights).
pub fn dot_gap_s(cfg: &TrafficConfig, tl: &Timeline<TrafficEvent>) -> f64 {
    (1.0 / cfg.request_rate).max(tl.end_s / MAX_DOTS as f64)
}

/// Requests arriving at `cfg.request_rate` per second (evenly spaced with seeded jitter, thinned
/// as [`dot_gap_s`] says on long runs), each routed to the new version with the probability given
/// by the alias weights at that moment. The same seed gives the same requests.
pub fn requests(cfg: &TrafficConfig, tl: &Timeline<TrafficEvent>, seed: u64) -> Vec<Request> {
    let mut rng = super::rng(seed);
    if cfg.request_rate <= 0.0 {
        return Vec::new();
    }
    let gap = dot_gap_s(cfg, tl);
    let n = ((tl.end_s / gap).floor() as usize).min(MAX_DOTS);
    (0..n)
        .map(|i| {
            let at_s = (i as f64 + rng.random_range(0.0..1.0)) * gap;
            let roll = rng.random_range(0.0..100.0);
            let to_new = roll < percent_at(tl, at_s);
            Request { at_s, roll, to_new }
        })
        .collect()
}

impl super::Model for TrafficConfig {
    type Event = TrafficEvent;

    fn simulate(&self, seed: u64) -> Timeline<TrafficEvent> {
        simulate(self, seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dep(name: &str) -> Deployment {
        Deployment::parse(name).expect("known configuration")
    }

    fn shifts(tl: &Timeline<TrafficEvent>) -> Vec<(f64, f64)> {
        tl.events
            .iter()
            .filter_map(|e| match e.event {
                TrafficEvent::Shift {
                    new_version_percent,
                    ..
                } => Some((e.at_s, new_version_percent)),
                _ => None,
            })
            .collect()
    }

    /// CodeDeploy UG, deployment-configurations: Canary10Percent5Minutes shifts 10 % in the first
    /// increment and the remaining 90 % five minutes later.
    #[test]
    fn canary_10_percent_5_minutes() {
        let d = dep("CodeDeployDefault.LambdaCanary10Percent5Minutes");
        assert_eq!(new_version_percent(&d, 0.0), 10.0);
        assert_eq!(new_version_percent(&d, 299.0), 10.0);
        assert_eq!(new_version_percent(&d, 300.0), 100.0);
        for (name, mins) in [
            ("10Minutes", 10.0),
            ("15Minutes", 15.0),
            ("30Minutes", 30.0),
        ] {
            let d = dep(&format!("LambdaCanary10Percent{name}"));
            assert_eq!(new_version_percent(&d, mins * 60.0 - 1.0), 10.0);
            assert_eq!(new_version_percent(&d, mins * 60.0), 100.0);
        }
    }

    /// CodeDeploy UG: linear configurations shift 10 % at the start of each increment.
    #[test]
    fn linear_adds_ten_percent_per_interval() {
        let d = dep("LambdaLinear10PercentEvery3Minutes");
        assert_eq!(new_version_percent(&d, 0.0), 10.0);
        assert_eq!(new_version_percent(&d, 7.0 * 60.0), 30.0);
        assert_eq!(new_version_percent(&d, 27.0 * 60.0), 100.0);
        for (name, mins) in [("1Minute", 1.0), ("2Minutes", 2.0), ("10Minutes", 10.0)] {
            let d = dep(&format!("LambdaLinear10PercentEvery{name}"));
            let sched = d.schedule();
            assert_eq!(sched.len(), 10);
            for (i, (at, p)) in sched.iter().enumerate() {
                assert_eq!(*at, i as f64 * mins * 60.0);
                assert_eq!(*p, (i as f64 + 1.0) * 10.0);
            }
        }
    }

    #[test]
    fn all_nine_predefined_parse_with_or_without_prefix() {
        for d in PREDEFINED {
            let name = d.name();
            assert_eq!(Deployment::parse(&name), Some(d));
            assert_eq!(
                Deployment::parse(&format!("CodeDeployDefault.{name}")),
                Some(d)
            );
        }
        assert_eq!(dep("LambdaAllAtOnce").schedule(), vec![(0.0, 100.0)]);
        assert!(Deployment::parse("LambdaCanary20Percent5Minutes").is_none());
        assert_eq!(
            Deployment::parse("canary:25:7"),
            Some(Deployment::Canary {
                percent: 25,
                interval_min: 7
            })
        );
    }

    #[test]
    fn alarm_during_deployment_rolls_back() {
        let mut cfg = TrafficConfig::default();
        cfg.set("alarm_at_s", "120").expect("valid");
        let tl = simulate(&cfg, 1);
        assert_eq!(shifts(&tl), vec![(0.0, 10.0), (120.0, 0.0)]);
        assert!(
            tl.events
                .iter()
                .any(|e| matches!(e.event, TrafficEvent::RolledBack { .. }))
        );
        assert!(!tl.events.iter().any(|e| e.event == TrafficEvent::Succeeded));
    }

    #[test]
    fn alarm_after_the_end_changes_nothing() {
        let mut cfg = TrafficConfig::default();
        cfg.set("alarm_at_s", "400").expect("valid");
        let tl = simulate(&cfg, 1);
        assert_eq!(shifts(&tl), vec![(0.0, 10.0), (300.0, 100.0)]);
        assert!(tl.events.iter().any(|e| e.event == TrafficEvent::Succeeded));
    }

    #[test]
    fn failing_before_hook_sends_no_traffic() {
        let mut cfg = TrafficConfig::default();
        cfg.set("before_hook", "fail").expect("valid");
        let tl = simulate(&cfg, 1);
        assert!(shifts(&tl).is_empty());
        assert!(
            tl.events
                .iter()
                .any(|e| matches!(e.event, TrafficEvent::RolledBack { .. }))
        );
    }

    #[test]
    fn failing_after_hook_rolls_back_from_full_traffic() {
        let mut cfg = TrafficConfig::default();
        cfg.set("after_hook", "fail").expect("valid");
        let tl = simulate(&cfg, 1);
        assert_eq!(shifts(&tl), vec![(0.0, 10.0), (300.0, 100.0), (300.0, 0.0)]);
    }

    #[test]
    fn requests_follow_the_weights() {
        let mut cfg = TrafficConfig::default();
        cfg.set("request_rate", "20").expect("valid");
        let tl = simulate(&cfg, 1);
        let reqs = requests(&cfg, &tl, 7);
        let canary: Vec<_> = reqs.iter().filter(|r| r.at_s < 300.0).collect();
        let share = canary.iter().filter(|r| r.to_new).count() as f64 / canary.len() as f64;
        assert!((0.07..0.13).contains(&share), "share {share}");
        assert!(reqs.iter().filter(|r| r.at_s >= 300.0).all(|r| r.to_new));
    }

    /// A long deployment at a high rate is thinned, not cut: dots reach the end of the run,
    /// including the final 100 % step.
    #[test]
    fn request_dots_cover_a_long_run() {
        let mut cfg = TrafficConfig::default();
        cfg.set("config", "LambdaLinear10PercentEvery10Minutes")
            .expect("valid");
        cfg.set("request_rate", "50").expect("valid");
        let tl = simulate(&cfg, 1);
        assert!(tl.end_s * 50.0 > MAX_DOTS as f64, "the run needs thinning");
        let reqs = requests(&cfg, &tl, 3);
        assert!(reqs.len() <= MAX_DOTS);
        assert!(reqs.len() > MAX_DOTS - 2);
        let gap = dot_gap_s(&cfg, &tl);
        let last = reqs.last().expect("dots").at_s;
        assert!(
            last > tl.end_s - 2.0 * gap,
            "last dot {last} of {}",
            tl.end_s
        );
        // after the last shift (90 min) every dot goes to the new version
        let late: Vec<_> = reqs.iter().filter(|r| r.at_s >= 5400.0).collect();
        assert!(late.len() > 100);
        assert!(late.iter().all(|r| r.to_new));
        // short runs keep one dot per request
        let short = TrafficConfig::default();
        let tl = simulate(&short, 1);
        assert_eq!(dot_gap_s(&short, &tl), 1.0);
    }
}
