//! Concurrency and throttling: how many execution environments a load needs, where the limits
//! are, and what a caller sees when they are hit.
//!
//! Pinned to the AWS Lambda Developer Guide:
//! - "Understanding Lambda function scaling" / "Lambda scaling behavior"
//!   (<https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html>,
//!   <https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html>): concurrency is
//!   requests per second × average duration; the default account quota is 1,000 per Region;
//!   each function can scale by 1,000 execution environments every 10 seconds.
//! - "Configuring reserved concurrency"
//!   (<https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html>): reservations
//!   across functions may total at most the account quota minus 100, so at least 100 stays
//!   unreserved; a function with reserved concurrency cannot exceed it. The API reference of
//!   `PutFunctionConcurrency` says the same: reserve for as many functions as you like "as long
//!   as you leave at least 100 simultaneous executions unreserved", so this function's
//!   reservation and the other functions' together are refused above the quota minus 100.
//! - Provisioned concurrency pre-initialises environments (no cold start) and cannot exceed the
//!   function's reserved concurrency ("You can't allocate more provisioned concurrency than
//!   reserved concurrency for a function"). Without a reservation the model only caps it at the
//!   unreserved concurrency available: no AWS page found states a "minus 100" rule for it.
//! - Throttled synchronous calls fail with 429 `TooManyRequestsException`; throttled asynchronous
//!   events go back to the queue and are retried with back-off (see [`super::retry`]).
//!
//! Simplifications: 100 ms ticks; environments are never reclaimed during the run; a cold start
//! adds `init_ms` to the first request's time in an environment.

use std::collections::BTreeMap;

use rand::RngExt;
use serde::Serialize;

use super::{
    Configurable, Describe, KeyDoc, Range, SimError, Timed, Timeline, bad, parse_f64, parse_int,
    unknown,
};

/// Default account concurrency quota per Region.
pub const DEFAULT_ACCOUNT_LIMIT: u32 = 1_000;
/// Concurrency that always stays unreserved.
pub const MIN_UNRESERVED: u32 = 100;
/// Execution environments each function may add per 10 seconds.
pub const SCALING_PER_10_S: u32 = 1_000;

/// Concurrency a steady load needs: requests per second × average duration in seconds.
pub fn required_concurrency(rate_per_s: f64, duration_s: f64) -> f64 {
    rate_per_s * duration_s
}

/// The most reserved concurrency one function may get, given what other functions reserved.
pub fn max_reservable(account_limit: u32, reserved_by_others: u32) -> u32 {
    account_limit
        .saturating_sub(MIN_UNRESERVED)
        .saturating_sub(reserved_by_others)
}

/// Concurrency left for functions without a reservation.
pub fn unreserved_pool(account_limit: u32, total_reserved: u32) -> u32 {
    account_limit.saturating_sub(total_reserved)
}

/// Highest concurrency one function can reach `t_s` seconds into a burst that starts from
/// `start` warm environments, before any quota applies (1,000 more per 10 s).
pub fn scaling_ceiling(start: u32, t_s: f64, per_10_s: u32) -> u64 {
    u64::from(start)
        + u64::from(per_10_s) * (t_s.max(0.0) / 10.0).floor() as u64
        + u64::from(per_10_s)
}

/// How the request rate changes over the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pattern {
    /// `rate_per_s` throughout.
    Steady,
    /// `rate_per_s`, then `peak_rate_per_s` from `spike_at_s` for `spike_len_s`.
    Spike,
    /// From `rate_per_s` at the start rising linearly to `peak_rate_per_s` at the end.
    Ramp,
}

/// Whether callers wait for the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Invocation {
    /// Request-response: a throttle is a 429 returned to the caller.
    Sync,
    /// Event: a throttle sends the event back to Lambda's queue for a later retry.
    Async,
}

/// The load and limits to simulate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConcurrencyConfig {
    /// Shape of the load.
    pub pattern: Pattern,
    /// Base requests per second.
    pub rate_per_s: f64,
    /// Peak requests per second (spike and ramp).
    pub peak_rate_per_s: f64,
    /// Average function duration, milliseconds.
    pub duration_ms: f64,
    /// Extra time of a cold start (init), milliseconds.
    pub init_ms: f64,
    /// Length of the run, seconds.
    pub sim_s: f64,
    /// When the spike starts.
    pub spike_at_s: f64,
    /// How long the spike lasts.
    pub spike_len_s: f64,
    /// Account concurrency quota in this Region.
    pub account_limit: u32,
    /// Reserved concurrency of this function, if any.
    pub reserved: Option<u32>,
    /// Reserved concurrency of all other functions together.
    pub reserved_others: u32,
    /// Unreserved concurrency other functions are using meanwhile.
    pub others_in_use: u32,
    /// Provisioned concurrency (pre-initialised environments) of this function.
    pub provisioned: u32,
    /// New environments per 10 seconds this function may add.
    pub scaling_per_10s: u32,
    /// Sync or async callers.
    pub invocation: Invocation,
}

impl Default for ConcurrencyConfig {
    fn default() -> Self {
        Self {
            pattern: Pattern::Spike,
            rate_per_s: 200.0,
            peak_rate_per_s: 1_500.0,
            duration_ms: 1_000.0,
            init_ms: 500.0,
            sim_s: 120.0,
            spike_at_s: 30.0,
            spike_len_s: 40.0,
            account_limit: DEFAULT_ACCOUNT_LIMIT,
            reserved: None,
            reserved_others: 0,
            others_in_use: 0,
            provisioned: 0,
            scaling_per_10s: SCALING_PER_10_S,
            invocation: Invocation::Sync,
        }
    }
}

static KEYS: [KeyDoc; 15] = [
    KeyDoc {
        key: "pattern",
        default: "spike",
        accepts: "steady, spike or ramp",
        help: "shape of the request rate",
        range: None,
    },
    KeyDoc {
        key: "rate_per_s",
        default: "200",
        accepts: "requests per second 0–20000",
        help: "base request rate",
        range: Some(Range::float(0.0, 20_000.0).slider(0.0, 5000.0).log()),
    },
    KeyDoc {
        key: "peak_rate_per_s",
        default: "1500",
        accepts: "requests per second 0–20000",
        help: "peak rate for spike and ramp",
        range: Some(Range::float(0.0, 20_000.0).log()),
    },
    KeyDoc {
        key: "duration_ms",
        default: "1000",
        accepts: "milliseconds 1–900000",
        help: "average function duration",
        range: Some(Range::float(1.0, 900_000.0).slider(10.0, 10_000.0).log()),
    },
    KeyDoc {
        key: "init_ms",
        default: "500",
        accepts: "milliseconds 0–10000",
        help: "extra time of a cold start",
        range: Some(Range::float(0.0, 10_000.0).slider(0.0, 5000.0)),
    },
    KeyDoc {
        key: "sim_s",
        default: "120",
        accepts: "seconds 10–600",
        help: "length of the run",
        range: Some(Range::float(10.0, 600.0)),
    },
    KeyDoc {
        key: "spike_at_s",
        default: "30",
        accepts: "seconds 0–600",
        help: "when the spike starts",
        range: Some(Range::float(0.0, 600.0)),
    },
    KeyDoc {
        key: "spike_len_s",
        default: "40",
        accepts: "seconds 1–600",
        help: "how long the spike lasts",
        range: Some(Range::float(1.0, 600.0)),
    },
    KeyDoc {
        key: "account_limit",
        default: "1000",
        accepts: "an integer 100–100000",
        help: "account concurrency quota in the Region",
        range: Some(Range::int(100, 100_000)),
    },
    KeyDoc {
        key: "reserved",
        default: "none",
        accepts: "an integer 0–100000, or none",
        help: "reserved concurrency of this function",
        range: Some(Range::int(0, 100_000).on(100.0)),
    },
    KeyDoc {
        key: "reserved_others",
        default: "0",
        accepts: "an integer 0–100000",
        help: "reserved concurrency of other functions",
        range: Some(Range::int(0, 100_000)),
    },
    KeyDoc {
        key: "others_in_use",
        default: "0",
        accepts: "an integer 0–100000",
        help: "unreserved concurrency other functions use",
        range: Some(Range::int(0, 100_000)),
    },
    KeyDoc {
        key: "provisioned",
        default: "0",
        accepts: "an integer 0–100000",
        help: "provisioned concurrency of this function",
        range: Some(Range::int(0, 100_000)),
    },
    KeyDoc {
        key: "scaling_per_10s",
        default: "1000",
        accepts: "an integer 1–100000",
        help: "environments the function may add per 10 s",
        range: Some(Range::int(1, 100_000)),
    },
    KeyDoc {
        key: "invocation",
        default: "sync",
        accepts: "sync or async",
        help: "whether callers wait (429) or events are retried",
        range: None,
    },
];

impl Configurable for ConcurrencyConfig {
    const NAME: &'static str = "concurrency";

    fn keys() -> &'static [KeyDoc] {
        &KEYS
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), SimError> {
        let int = || parse_int::<Self>(key, value).map(|v| v as u32);
        match key {
            "pattern" => {
                self.pattern = match value.to_ascii_lowercase().as_str() {
                    "steady" => Pattern::Steady,
                    "spike" => Pattern::Spike,
                    "ramp" => Pattern::Ramp,
                    _ => return Err(bad(key, value, "steady, spike or ramp")),
                }
            }
            "rate_per_s" => self.rate_per_s = parse_f64::<Self>(key, value)?,
            "peak_rate_per_s" => {
                self.peak_rate_per_s = parse_f64::<Self>(key, value)?;
            }
            "duration_ms" => self.duration_ms = parse_f64::<Self>(key, value)?,
            "init_ms" => self.init_ms = parse_f64::<Self>(key, value)?,
            "sim_s" => self.sim_s = parse_f64::<Self>(key, value)?,
            "spike_at_s" => self.spike_at_s = parse_f64::<Self>(key, value)?,
            "spike_len_s" => self.spike_len_s = parse_f64::<Self>(key, value)?,
            "account_limit" => self.account_limit = int()?,
            "reserved" => {
                self.reserved = if value.eq_ignore_ascii_case("none") {
                    None
                } else {
                    Some(int()?)
                }
            }
            "reserved_others" => self.reserved_others = int()?,
            "others_in_use" => self.others_in_use = int()?,
            "provisioned" => self.provisioned = int()?,
            "scaling_per_10s" => self.scaling_per_10s = int()?,
            "invocation" => {
                self.invocation = match value.to_ascii_lowercase().as_str() {
                    "sync" | "requestresponse" => Invocation::Sync,
                    "async" | "event" => Invocation::Async,
                    _ => return Err(bad(key, value, "sync or async")),
                }
            }
            _ => return Err(unknown::<Self>(key)),
        }
        Ok(())
    }
}

impl ConcurrencyConfig {
    /// Request rate at time `t_s`.
    pub fn rate_at(&self, t_s: f64) -> f64 {
        match self.pattern {
            Pattern::Steady => self.rate_per_s,
            Pattern::Spike => {
                if t_s >= self.spike_at_s && t_s < self.spike_at_s + self.spike_len_s {
                    self.peak_rate_per_s
                } else {
                    self.rate_per_s
                }
            }
            Pattern::Ramp => {
                let f = (t_s / self.sim_s).clamp(0.0, 1.0);
                self.rate_per_s + (self.peak_rate_per_s - self.rate_per_s) * f
            }
        }
    }
}

/// Why a request could not get an environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ThrottleCause {
    /// The function reached its reserved concurrency.
    Reserved,
    /// The unreserved account pool is used up.
    Account,
    /// The function is scaling faster than its scaling rate (by default 1,000 new environments
    /// per 10 s) allows.
    ScalingRate,
}

/// Something that happened in the run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConcurrencyEvent {
    /// The limits in force for this function.
    Limits {
        /// Most concurrent executions the function can have.
        function_limit: u32,
        /// Warm environments ready at the start (provisioned).
        provisioned: u32,
    },
    /// A setting AWS would refuse; the run goes on without it.
    Refused {
        /// What was refused and why.
        reason: String,
    },
    /// One second of activity.
    Second {
        /// Requests arriving this second (new ones, not retries).
        arrivals: u32,
        /// Highest concurrency in use during the second.
        in_use: u32,
        /// Requests served by an existing environment.
        warm: u32,
        /// Requests that needed a new environment.
        cold: u32,
        /// New requests (of `arrivals`) refused for lack of concurrency.
        throttled: u32,
        /// Async events that were retries of earlier throttles.
        retried: u32,
        /// Retries (of `retried`) that were throttled again.
        retries_throttled: u32,
        /// Execution environments that exist at the end of the second.
        environments: u32,
    },
    /// Throttling began.
    ThrottlingStarted {
        /// Why.
        cause: ThrottleCause,
        /// Who sees the throttle: a synchronous caller (429) or Lambda's async queue (retry).
        invocation: Invocation,
        /// The scaling rate in force, when that is the cause.
        #[serde(skip_serializing_if = "Option::is_none")]
        scaling_per_10s: Option<u32>,
    },
    /// A second without throttles after some.
    ThrottlingStopped,
}

impl Describe for ConcurrencyEvent {
    fn describe(&self) -> String {
        match self {
            ConcurrencyEvent::Limits {
                function_limit,
                provisioned,
            } => format!(
                "function can run {function_limit} at once; {provisioned} provisioned \
                 environments ready"
            ),
            ConcurrencyEvent::Refused { reason } => format!("refused: {reason}"),
            ConcurrencyEvent::Second {
                arrivals,
                in_use,
                cold,
                throttled,
                retried,
                retries_throttled,
                ..
            } => {
                let mut s = format!("{arrivals} requests, {in_use} in use, {cold} cold starts");
                if *throttled > 0 {
                    s.push_str(&format!(", {throttled} of the requests throttled"));
                }
                if *retried > 0 {
                    s.push_str(&format!(
                        ", {retried} retries of earlier throttles ({retries_throttled} throttled \
                         again)"
                    ));
                }
                s
            }
            ConcurrencyEvent::ThrottlingStarted {
                cause,
                invocation,
                scaling_per_10s,
            } => {
                let why = match cause {
                    ThrottleCause::Reserved => "reserved concurrency reached".to_string(),
                    ThrottleCause::Account => "unreserved account concurrency used up".to_string(),
                    ThrottleCause::ScalingRate => format!(
                        "scaling faster than {} new environments per 10 s",
                        thousands(scaling_per_10s.unwrap_or(SCALING_PER_10_S))
                    ),
                };
                let what = match invocation {
                    Invocation::Sync => "callers get 429 TooManyRequestsException",
                    Invocation::Async => "each throttled event returns to the queue and is retried",
                };
                format!("throttling: {why}; {what}")
            }
            ConcurrencyEvent::ThrottlingStopped => "throttling stopped".to_string(),
        }
    }
}

/// `1000` as "1,000", as the notes and log lines write numbers.
pub(crate) fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

const TICK_S: f64 = 0.1;

/// Runs the load against the limits. Arrivals per tick are rounded with the seeded RNG, so the
/// same seed gives the same run.
pub fn simulate(cfg: &ConcurrencyConfig, seed: u64) -> Timeline<ConcurrencyEvent> {
    let mut rng = super::rng(seed);
    let mut ev = Vec::new();

    // Validate reservations the way PutFunctionConcurrency / provisioned concurrency would:
    // reservations across the account leave at least 100 unreserved.
    let most = cfg.account_limit.saturating_sub(MIN_UNRESERVED);
    let mut others = cfg.reserved_others;
    if others > most {
        ev.push(Timed::new(
            0.0,
            ConcurrencyEvent::Refused {
                reason: format!(
                    "other functions' reserved concurrency {others}: at most {most} can be \
                     reserved in the account (quota {} minus 100 that always stay unreserved); \
                     running as if they reserved none",
                    cfg.account_limit
                ),
            },
        ));
        others = 0;
    }
    let mut reserved = cfg.reserved;
    if let Some(r) = reserved {
        let max = max_reservable(cfg.account_limit, others);
        if r > max {
            ev.push(Timed::new(
                0.0,
                ConcurrencyEvent::Refused {
                    reason: format!(
                        "reserved concurrency {r}: with {others} reserved by other functions, at \
                         most {max} more can be reserved (quota {} minus 100 that always stay \
                         unreserved); running without a reservation",
                        cfg.account_limit
                    ),
                },
            ));
            reserved = None;
        }
    }
    let unreserved_free =
        unreserved_pool(cfg.account_limit, others).saturating_sub(cfg.others_in_use);
    let limit = reserved.unwrap_or(unreserved_free);
    let mut provisioned = cfg.provisioned;
    let provisioned_cap = reserved.unwrap_or(unreserved_free);
    if provisioned > provisioned_cap {
        ev.push(Timed::new(
            0.0,
            ConcurrencyEvent::Refused {
                reason: format!(
                    "provisioned concurrency {provisioned}: more than the {provisioned_cap} the \
                     function can use"
                ),
            },
        ));
        provisioned = 0;
    }
    ev.push(Timed::new(
        0.0,
        ConcurrencyEvent::Limits {
            function_limit: limit,
            provisioned,
        },
    ));

    let ticks = (cfg.sim_s / TICK_S).round() as u64;
    let dur_ticks = ((cfg.duration_ms / 1000.0) / TICK_S).round().max(1.0) as u64;
    let init_ticks = ((cfg.init_ms / 1000.0) / TICK_S).round() as u64;
    // finishing tick -> environments becoming idle then
    let mut finishing: BTreeMap<u64, u32> = BTreeMap::new();
    // due tick -> (count, back-off seconds they waited last)
    let mut retries: BTreeMap<u64, Vec<(u32, f64)>> = BTreeMap::new();
    let mut busy: u32 = 0;
    let mut envs: u32 = provisioned;
    let mut tokens = cfg.scaling_per_10s;
    let mut carry = 0.0;
    let mut throttling = false;
    let mut sec = SecondAcc::default();

    for tick in 0..ticks {
        let t = tick as f64 * TICK_S;
        if tick % 100 == 0 {
            tokens = cfg.scaling_per_10s;
        }
        if let Some(done) = finishing.remove(&tick) {
            busy -= done;
        }
        let expected = cfg.rate_at(t) * TICK_S + carry;
        let mut new = expected.floor() as u32;
        let frac = expected - expected.floor();
        if rng.random_range(0.0..1.0) < frac {
            new += 1;
            carry = frac - 1.0;
        } else {
            carry = frac;
        }
        let retry_batches = retries.remove(&tick).unwrap_or_default();
        let retry_count: u32 = retry_batches.iter().map(|(n, _)| n).sum();
        let demand = new + retry_count;

        let room = limit.saturating_sub(busy);
        let admitted = demand.min(room);
        let idle = envs.saturating_sub(busy);
        let warm = admitted.min(idle);
        let cold = (admitted - warm).min(tokens);
        tokens -= cold;
        envs += cold;
        let served = warm + cold;
        let throttled = demand - served;
        // Retries are served first, so new requests are the first to be throttled.
        let throttled_new = throttled.min(new);
        busy += served;
        if warm > 0 {
            *finishing.entry(tick + dur_ticks).or_insert(0) += warm;
        }
        if cold > 0 {
            *finishing.entry(tick + dur_ticks + init_ticks).or_insert(0) += cold;
        }
        if throttled > 0 && cfg.invocation == Invocation::Async {
            // Retries were served first, so the throttled ones are the new events and then the
            // most recently queued retries. New events start at a 1 s back-off.
            let mut left = throttled;
            let mut requeue: Vec<(u32, f64)> = Vec::new();
            for (n, waited) in [(new, 0.0)].iter().chain(retry_batches.iter().rev()) {
                if left == 0 {
                    break;
                }
                let k = (*n).min(left);
                left -= k;
                if k > 0 {
                    let next = if *waited <= 0.0 {
                        1.0
                    } else {
                        (waited * 2.0).min(300.0)
                    };
                    requeue.push((k, next));
                }
            }
            for (k, wait) in requeue {
                let due = tick + (wait / TICK_S).round() as u64;
                retries.entry(due).or_default().push((k, wait));
            }
        }
        if throttled > 0 && !throttling {
            throttling = true;
            let cause = if admitted < demand {
                if reserved.is_some() {
                    ThrottleCause::Reserved
                } else {
                    ThrottleCause::Account
                }
            } else {
                ThrottleCause::ScalingRate
            };
            ev.push(Timed::new(
                t,
                ConcurrencyEvent::ThrottlingStarted {
                    cause,
                    invocation: cfg.invocation,
                    scaling_per_10s: (cause == ThrottleCause::ScalingRate)
                        .then_some(cfg.scaling_per_10s),
                },
            ));
        }
        sec.arrivals += new;
        sec.in_use = sec.in_use.max(busy);
        sec.warm += warm;
        sec.cold += cold;
        sec.throttled += throttled_new;
        sec.retried += retry_count;
        sec.retries_throttled += throttled - throttled_new;
        if (tick + 1) % 10 == 0 {
            let at = ((tick + 1) / 10) as f64;
            if sec.throttled == 0 && throttling {
                throttling = false;
                ev.push(Timed::new(at, ConcurrencyEvent::ThrottlingStopped));
            }
            ev.push(Timed::new(
                at,
                ConcurrencyEvent::Second {
                    arrivals: sec.arrivals,
                    in_use: sec.in_use,
                    warm: sec.warm,
                    cold: sec.cold,
                    throttled: sec.throttled,
                    retried: sec.retried,
                    retries_throttled: sec.retries_throttled,
                    environments: envs,
                },
            ));
            sec = SecondAcc::default();
        }
    }
    Timeline::finish(ev, cfg.sim_s)
}

#[derive(Default)]
struct SecondAcc {
    arrivals: u32,
    in_use: u32,
    warm: u32,
    cold: u32,
    throttled: u32,
    retried: u32,
    retries_throttled: u32,
}

/// Per-second samples of a run, in order, for plots.
pub fn seconds(tl: &Timeline<ConcurrencyEvent>) -> Vec<(f64, Sample)> {
    tl.events
        .iter()
        .filter_map(|e| match e.event {
            ConcurrencyEvent::Second {
                arrivals,
                in_use,
                warm,
                cold,
                throttled,
                retried,
                retries_throttled,
                environments,
            } => Some((
                e.at_s,
                Sample {
                    arrivals,
                    in_use,
                    warm,
                    cold,
                    throttled,
                    retried,
                    retries_throttled,
                    environments,
                },
            )),
            _ => None,
        })
        .collect()
}

/// One second of a run, copied out of [`ConcurrencyEvent::Second`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sample {
    /// New requests.
    pub arrivals: u32,
    /// Peak concurrency in use.
    pub in_use: u32,
    /// Warm starts.
    pub warm: u32,
    /// Cold starts.
    pub cold: u32,
    /// New requests throttled (at most `arrivals`).
    pub throttled: u32,
    /// Async retries.
    pub retried: u32,
    /// Async retries throttled again (at most `retried`).
    pub retries_throttled: u32,
    /// Environments in existence.
    pub environments: u32,
}

/// The function's concurrency limit after validation (what the run used).
pub fn function_limit(tl: &Timeline<ConcurrencyEvent>) -> u32 {
    tl.events
        .iter()
        .find_map(|e| match e.event {
            ConcurrencyEvent::Limits { function_limit, .. } => Some(function_limit),
            _ => None,
        })
        .unwrap_or(0)
}

impl super::Model for ConcurrencyConfig {
    type Event = ConcurrencyEvent;

    fn simulate(&self, seed: u64) -> Timeline<ConcurrencyEvent> {
        simulate(self, seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(settings: &[(&str, &str)]) -> ConcurrencyConfig {
        crate::sim::with(settings)
    }

    #[test]
    fn littles_law() {
        assert_eq!(required_concurrency(100.0, 0.5), 50.0);
    }

    /// DG configuration-concurrency: reservations may total the quota minus 100.
    #[test]
    fn at_least_100_stay_unreserved() {
        assert_eq!(max_reservable(1000, 0), 900);
        assert_eq!(max_reservable(1000, 850), 50);
        assert_eq!(max_reservable(1000, 950), 0);
        let tl = simulate(&with(&[("reserved", "950")]), 1);
        assert!(
            tl.events
                .iter()
                .any(|e| matches!(e.event, ConcurrencyEvent::Refused { .. }))
        );
        assert_eq!(function_limit(&tl), 1000);
    }

    fn refusals(tl: &Timeline<ConcurrencyEvent>) -> Vec<String> {
        tl.events
            .iter()
            .filter(|e| matches!(e.event, ConcurrencyEvent::Refused { .. }))
            .map(|e| e.event.describe())
            .collect()
    }

    /// API PutFunctionConcurrency: "You can reserve concurrency for as many functions as you
    /// like, as long as you leave at least 100 simultaneous executions unreserved for functions
    /// that aren't configured with a per-function limit." That holds for the other functions'
    /// reservations too, and for this function's reservation added to theirs.
    #[test]
    fn reservations_of_other_functions_leave_100_unreserved() {
        let tl = simulate(&with(&[("reserved_others", "950")]), 1);
        let r = refusals(&tl);
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(
            r[0].starts_with("refused: other functions' reserved concurrency 950: at most 900"),
            "{}",
            r[0]
        );
        assert_eq!(function_limit(&tl), 1000, "run as if they reserved none");

        let tl = simulate(&with(&[("reserved_others", "900")]), 1);
        assert!(refusals(&tl).is_empty(), "exactly 100 left is allowed");
        assert_eq!(function_limit(&tl), 100);

        let tl = simulate(&with(&[("reserved_others", "500"), ("reserved", "500")]), 1);
        let r = refusals(&tl);
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(
            r[0].starts_with(
                "refused: reserved concurrency 500: with 500 reserved by other functions, at \
                 most 400 more"
            ),
            "{}",
            r[0]
        );
        let tl = simulate(&with(&[("reserved_others", "500"), ("reserved", "400")]), 1);
        assert!(refusals(&tl).is_empty());
        assert_eq!(function_limit(&tl), 400);
    }

    /// DG scaling-behavior: each function can add 1,000 environments every 10 seconds.
    #[test]
    fn scaling_rate_is_1000_per_10_seconds() {
        assert_eq!(scaling_ceiling(0, 0.0, SCALING_PER_10_S), 1000);
        assert_eq!(scaling_ceiling(0, 10.0, SCALING_PER_10_S), 2000);
        let cfg = with(&[
            ("pattern", "steady"),
            ("rate_per_s", "5000"),
            ("duration_ms", "5000"),
            ("account_limit", "20000"),
            ("sim_s", "30"),
        ]);
        let s = seconds(&simulate(&cfg, 1));
        // After 5 s the function cannot have more than 1,000 environments.
        assert!(s[4].1.environments <= 1000);
        assert!(s[4].1.throttled > 0);
        assert!(s[14].1.environments <= 2000);
        assert!(s[14].1.environments > 1000);
    }

    #[test]
    fn reserved_concurrency_caps_in_use_and_sync_callers_get_throttled() {
        let cfg = with(&[("reserved", "100")]);
        let tl = simulate(&cfg, 3);
        let s = seconds(&tl);
        assert!(s.iter().all(|(_, x)| x.in_use <= 100));
        assert!(s.iter().any(|(_, x)| x.throttled > 0));
        assert!(s.iter().all(|(_, x)| x.retried == 0));
        assert!(tl.events.iter().any(|e| e.event
            == ConcurrencyEvent::ThrottlingStarted {
                cause: ThrottleCause::Reserved,
                invocation: Invocation::Sync,
                scaling_per_10s: None,
            }));
    }

    fn throttle_line(settings: &[(&str, &str)]) -> String {
        simulate(&with(settings), 1)
            .events
            .iter()
            .find(|e| matches!(e.event, ConcurrencyEvent::ThrottlingStarted { .. }))
            .map(|e| e.event.describe())
            .expect("throttling starts")
    }

    /// The scaling-rate message names the configured rate (DG scaling-behavior gives 1,000 per
    /// 10 s as the default); a synchronous caller gets 429 while an asynchronous event goes back
    /// to the queue and is retried (DG invocation-async-error-handling: "For throttling errors
    /// (429) and system errors (500-series), Lambda returns the event to the queue and attempts
    /// to run the function again").
    #[test]
    fn throttle_messages_name_the_rate_and_what_the_caller_sees() {
        let burst = [
            ("pattern", "steady"),
            ("rate_per_s", "5000"),
            ("duration_ms", "5000"),
            ("account_limit", "20000"),
            ("sim_s", "20"),
        ];
        assert_eq!(
            throttle_line(&burst),
            "throttling: scaling faster than 1,000 new environments per 10 s; callers get 429 \
             TooManyRequestsException"
        );
        let mut slow = burst.to_vec();
        slow.push(("scaling_per_10s", "500"));
        slow.push(("invocation", "async"));
        assert_eq!(
            throttle_line(&slow),
            "throttling: scaling faster than 500 new environments per 10 s; each throttled event \
             returns to the queue and is retried"
        );
        let reserved = throttle_line(&[("reserved", "100"), ("invocation", "async")]);
        assert!(reserved.starts_with("throttling: reserved concurrency reached; each throttled"));
        assert!(!reserved.contains("429"), "{reserved}");
    }

    #[test]
    fn async_throttles_come_back_as_retries() {
        let cfg = with(&[("reserved", "100"), ("invocation", "async")]);
        let s = seconds(&simulate(&cfg, 3));
        assert!(s.iter().any(|(_, x)| x.retried > 0));
    }

    /// New requests and retries of earlier throttles are counted apart, so "throttled" never
    /// exceeds the requests that arrived, however often an event is throttled again.
    #[test]
    fn throttled_counts_new_requests_and_retries_apart() {
        let cfg = with(&[("reserved", "100"), ("invocation", "async")]);
        let s = seconds(&simulate(&cfg, 3));
        assert!(s.iter().all(|(_, x)| x.throttled <= x.arrivals));
        assert!(s.iter().all(|(_, x)| x.retries_throttled <= x.retried));
        assert!(
            s.iter().any(|(_, x)| x.retries_throttled > 0),
            "some retries re-throttled"
        );
        let arrivals: u32 = s.iter().map(|(_, x)| x.arrivals).sum();
        let throttled: u32 = s.iter().map(|(_, x)| x.throttled).sum();
        assert!(throttled < arrivals);
    }

    #[test]
    fn provisioned_concurrency_avoids_cold_starts() {
        let cfg = with(&[("pattern", "steady"), ("provisioned", "300")]);
        let s = seconds(&simulate(&cfg, 1));
        assert_eq!(s.iter().map(|(_, x)| x.cold).sum::<u32>(), 0);
        let cold = seconds(&simulate(&with(&[("pattern", "steady")]), 1));
        assert!(cold.iter().map(|(_, x)| x.cold).sum::<u32>() > 0);
    }

    #[test]
    fn steady_load_uses_rate_times_duration() {
        let cfg = with(&[
            ("pattern", "steady"),
            ("rate_per_s", "100"),
            ("duration_ms", "2000"),
            ("init_ms", "0"),
        ]);
        let s = seconds(&simulate(&cfg, 1));
        let late = s[60].1.in_use as f64;
        assert!((180.0..=220.0).contains(&late), "in use {late}");
    }
}
