//! Asynchronous invocation: Lambda's internal event queue, retries, maximum event age, and where
//! the outcome goes (on-success / on-failure destination, dead-letter queue, or nowhere).
//!
//! Behaviour pinned to the AWS Lambda Developer Guide, "How Lambda handles errors and retries
//! with asynchronous invocation"
//! (<https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html>):
//! - a function error is retried up to `MaximumRetryAttempts` times (0–2, default 2), with a
//!   one-minute wait before the first retry and two minutes before the second;
//! - throttles (429) and system errors (5xx) go back to the queue and are retried with a back-off
//!   that grows exponentially from 1 second to at most 5 minutes, until the event is too old;
//! - an event older than `MaximumEventAgeInSeconds` (60 s – 6 h, default 6 h) is discarded.
//!
//! Records follow "Capturing records of Lambda asynchronous invocations"
//! (<https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html>): a
//! destination gets an invocation record with `requestContext.condition`; a DLQ gets only the
//! event itself.
//!
//! Simplification: an attempt is an instant (the function's own duration is tiny next to the
//! waits), so attempt N's time is the time the event was handed to the function.

use std::fmt;

use rand::RngExt;
use serde::{Serialize, Serializer};

use super::{
    Configurable, Describe, KeyDoc, Range, SimError, Timed, Timeline, bad, parse_bool, parse_int,
    unknown,
};

/// Wait before the first retry of a function error (documented: one minute).
pub const FIRST_RETRY_WAIT_S: f64 = 60.0;
/// Wait before the second retry of a function error (documented: two minutes).
pub const SECOND_RETRY_WAIT_S: f64 = 120.0;
/// First back-off after a throttle or system error (documented: 1 second).
pub const THROTTLE_BACKOFF_START_S: f64 = 1.0;
/// Longest back-off after a throttle or system error (documented: 5 minutes).
pub const THROTTLE_BACKOFF_MAX_S: f64 = 300.0;
/// Shortest allowed `MaximumEventAgeInSeconds`.
pub const MIN_EVENT_AGE_S: u32 = 60;
/// Longest allowed (and default) `MaximumEventAgeInSeconds`: six hours.
pub const MAX_EVENT_AGE_S: u32 = 21_600;

/// How the function behaves for each attempt, so the learner can provoke each path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Failure {
    /// Every attempt returns a function error.
    Always,
    /// Every attempt succeeds.
    Never,
    /// The first K attempts return a function error, then it succeeds.
    FirstN(u32),
    /// Each attempt fails independently with probability P (drawn from the seeded RNG).
    Probability(f64),
    /// Every attempt is throttled (HTTP 429): no concurrency is available.
    Throttle,
    /// The first K attempts are throttled, then it succeeds.
    ThrottleFirstN(u32),
    /// Every attempt ends in a Lambda system error (500-series): retried with the same
    /// back-off as a throttle, not counted against `MaximumRetryAttempts`.
    SystemError,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Always => write!(f, "always"),
            Failure::Never => write!(f, "never"),
            Failure::FirstN(k) => write!(f, "first_n={k}"),
            Failure::Probability(p) => write!(f, "probability={p}"),
            Failure::Throttle => write!(f, "throttle"),
            Failure::ThrottleFirstN(k) => write!(f, "throttle_first_n={k}"),
            Failure::SystemError => write!(f, "system_error"),
        }
    }
}

impl Serialize for Failure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// K of `first_n=K` and `throttle_first_n=K`: failing attempts before a success.
pub const FAILURE_COUNT: Range = Range::int(0, 100);
/// P of `probability=P`: the chance each attempt fails.
pub const FAILURE_PROBABILITY: Range = Range::float(0.0, 1.0);

const FAILURE_ACCEPTS: &str = "always, never, first_n=K (K 0–100), probability=P (P 0–1), \
throttle, throttle_first_n=K, system_error";

impl Failure {
    /// Parses the CLI spelling (`first_n=2`, `probability=0.3`, ...).
    pub fn parse(value: &str) -> Option<Self> {
        let v = value.trim().to_ascii_lowercase();
        if let Some(k) = v.strip_prefix("first_n=") {
            return k
                .parse()
                .ok()
                .filter(|k| FAILURE_COUNT.contains(f64::from(*k)))
                .map(Failure::FirstN);
        }
        if let Some(k) = v.strip_prefix("throttle_first_n=") {
            return k
                .parse()
                .ok()
                .filter(|k| FAILURE_COUNT.contains(f64::from(*k)))
                .map(Failure::ThrottleFirstN);
        }
        if let Some(p) = v.strip_prefix("probability=") {
            return p
                .parse::<f64>()
                .ok()
                .filter(|p| FAILURE_PROBABILITY.contains(*p))
                .map(Failure::Probability);
        }
        match v.as_str() {
            "always" => Some(Failure::Always),
            "never" => Some(Failure::Never),
            "throttle" => Some(Failure::Throttle),
            "system_error" => Some(Failure::SystemError),
            _ => None,
        }
    }
}

/// The asynchronous-invocation settings of one function (an `EventInvokeConfig`), plus the
/// simulated function's behaviour and how many events arrive at once.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RetryConfig {
    /// `MaximumRetryAttempts`: retries after a function error, 0–2.
    pub max_retry_attempts: u8,
    /// `MaximumEventAgeInSeconds`: 60–21,600.
    pub max_event_age_s: u32,
    /// How attempts turn out.
    pub failure: Failure,
    /// Whether an on-success destination is configured.
    pub on_success: bool,
    /// Whether an on-failure destination is configured.
    pub on_failure: bool,
    /// Whether a dead-letter queue is configured.
    pub dlq: bool,
    /// Events invoked at the same moment (drawn as lanes).
    pub burst: u32,
    /// How long one run of the function takes, in seconds: a retry's wait starts when the run
    /// ends, so a retry always comes later than the wait alone.
    pub duration_s: u32,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_retry_attempts: 2,
            max_event_age_s: MAX_EVENT_AGE_S,
            failure: Failure::Always,
            on_success: false,
            on_failure: false,
            dlq: false,
            burst: 1,
            duration_s: DEFAULT_DURATION_S,
        }
    }
}

/// The default run time of the simulated function.
pub const DEFAULT_DURATION_S: u32 = 3;

static KEYS: [KeyDoc; 8] = [
    KeyDoc {
        key: "max_retry_attempts",
        default: "2",
        accepts: "an integer 0–2",
        help: "MaximumRetryAttempts: retries after a function error",
        range: Some(Range::int(0, 2)),
    },
    KeyDoc {
        key: "max_event_age_s",
        default: "21600",
        accepts: "seconds 60–21600",
        help: "MaximumEventAgeInSeconds: older events are discarded",
        range: Some(Range::int(MIN_EVENT_AGE_S as i64, MAX_EVENT_AGE_S as i64)),
    },
    KeyDoc {
        key: "failure",
        default: "always",
        accepts: FAILURE_ACCEPTS,
        help: "how each attempt turns out",
        range: None,
    },
    KeyDoc {
        key: "on_success",
        default: "false",
        accepts: "true or false",
        help: "an on-success destination is configured",
        range: None,
    },
    KeyDoc {
        key: "on_failure",
        default: "false",
        accepts: "true or false",
        help: "an on-failure destination is configured",
        range: None,
    },
    KeyDoc {
        key: "dlq",
        default: "false",
        accepts: "true or false",
        help: "a dead-letter queue (SQS or SNS) is configured",
        range: None,
    },
    KeyDoc {
        key: "burst",
        default: "1",
        accepts: "an integer 1–20",
        help: "events invoked at the same moment",
        range: Some(Range::int(1, 20)),
    },
    KeyDoc {
        key: "duration_s",
        default: "3",
        accepts: "seconds 1–900",
        help: "how long one run of the function takes; a retry's wait starts when it ends",
        range: Some(Range::int(1, 900).log()),
    },
];

impl Configurable for RetryConfig {
    const NAME: &'static str = "retry";

    fn keys() -> &'static [KeyDoc] {
        &KEYS
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), SimError> {
        match key {
            "max_retry_attempts" => {
                self.max_retry_attempts = parse_int::<Self>(key, value)? as u8;
            }
            "max_event_age_s" => {
                self.max_event_age_s = parse_int::<Self>(key, value)? as u32;
            }
            "failure" => {
                self.failure =
                    Failure::parse(value).ok_or_else(|| bad(key, value, FAILURE_ACCEPTS))?;
            }
            "on_success" => self.on_success = parse_bool::<Self>(key, value)?,
            "on_failure" => self.on_failure = parse_bool::<Self>(key, value)?,
            "dlq" => self.dlq = parse_bool::<Self>(key, value)?,
            "burst" => self.burst = parse_int::<Self>(key, value)? as u32,
            "duration_s" => self.duration_s = parse_int::<Self>(key, value)? as u32,
            _ => return Err(unknown::<Self>(key)),
        }
        Ok(())
    }
}

/// What one attempt returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The function returned normally.
    Success,
    /// The function (or its runtime) returned an error, e.g. an exception or a timeout.
    Error,
    /// Lambda refused the attempt for lack of concurrency (429).
    Throttled,
    /// Lambda itself failed the attempt with a system error (500-series).
    SystemError,
}

/// Where the event (or a record of it) ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    /// The on-success destination received an invocation record.
    OnSuccess,
    /// The on-failure destination received an invocation record.
    OnFailure,
    /// The dead-letter queue received the event (payload only).
    Dlq,
    /// The event failed and nothing was configured to catch it: it is lost.
    Dropped,
    /// The event succeeded and no on-success destination is configured: nothing to send.
    None,
}

/// Why Lambda stopped working on an event (`requestContext.condition` in a record).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Condition {
    /// The function succeeded.
    Success,
    /// Every allowed attempt returned an error.
    RetriesExhausted,
    /// The event was older than `MaximumEventAgeInSeconds` before it could be tried again.
    EventAgeExceeded,
}

/// Why Lambda is waiting before the next attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RetryReason {
    /// A function error: the fixed 1-minute / 2-minute waits.
    FunctionError,
    /// A throttle: exponential back-off.
    Throttle,
    /// A system error: the same exponential back-off as a throttle.
    SystemError,
}

/// Something that happened to one of the burst's events.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RetryEvent {
    /// The caller got 202 and the event entered Lambda's internal queue.
    Enqueued {
        /// Event number in the burst, from 1.
        event: u32,
    },
    /// Lambda handed the event to the function (or was throttled trying).
    Attempt {
        /// Event number in the burst.
        event: u32,
        /// Attempt number for this event, from 1.
        attempt: u32,
        /// What happened.
        outcome: Outcome,
    },
    /// The event went back to the queue to be tried again later.
    RetryScheduled {
        /// Event number in the burst.
        event: u32,
        /// Seconds until the next attempt.
        wait_s: f64,
        /// Why it waits.
        reason: RetryReason,
    },
    /// The event reached its maximum age before its next attempt.
    Expired {
        /// Event number in the burst.
        event: u32,
        /// Its age when discarded.
        age_s: f64,
    },
    /// The final fate of the event, with what the destination or DLQ received.
    Disposition {
        /// Event number in the burst.
        event: u32,
        /// Where it went.
        to: Disposition,
        /// Why processing stopped.
        condition: Condition,
        /// Also delivered to the DLQ (when both a DLQ and an on-failure destination are set).
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        also_dlq: bool,
        /// What the destination (or DLQ) received, if anything.
        #[serde(skip_serializing_if = "Option::is_none")]
        record: Option<serde_json::Value>,
    },
}

impl Describe for RetryEvent {
    fn describe(&self) -> String {
        match self {
            RetryEvent::Enqueued { event } => {
                format!("event {event} queued (caller got 202 Accepted)")
            }
            RetryEvent::Attempt {
                event,
                attempt,
                outcome,
            } => match outcome {
                Outcome::Success => format!("event {event}: attempt {attempt} succeeded"),
                Outcome::Error => {
                    format!("event {event}: attempt {attempt} failed: function error")
                }
                Outcome::Throttled => {
                    format!("event {event}: attempt {attempt} throttled (429)")
                }
                Outcome::SystemError => format!(
                    "event {event}: attempt {attempt} failed: Lambda system error (500-series), \
                     not a function error"
                ),
            },
            RetryEvent::RetryScheduled {
                event,
                wait_s,
                reason,
            } => {
                let why = match reason {
                    RetryReason::FunctionError => "retry",
                    RetryReason::Throttle | RetryReason::SystemError => "back-off",
                };
                format!(
                    "event {event}: back in the queue, {why} in {}",
                    crate::format::duration(*wait_s)
                )
            }
            RetryEvent::Expired { event, age_s } => format!(
                "event {event}: discarded, older than the maximum event age ({})",
                crate::format::duration(*age_s)
            ),
            RetryEvent::Disposition {
                event,
                to,
                also_dlq,
                ..
            } => {
                let dest = match to {
                    Disposition::OnSuccess => "record sent to the on-success destination",
                    Disposition::OnFailure if *also_dlq => {
                        "record sent to the on-failure destination and event to the DLQ"
                    }
                    Disposition::OnFailure => "record sent to the on-failure destination",
                    Disposition::Dlq => "event sent to the dead-letter queue",
                    Disposition::Dropped => "lost: no on-failure destination or DLQ",
                    Disposition::None => "done (no on-success destination)",
                };
                format!("event {event}: {dest}")
            }
        }
    }
}

/// Runs the burst through the queue. The same config and seed always give the same timeline.
pub fn simulate(cfg: &RetryConfig, seed: u64) -> Timeline<RetryEvent> {
    let mut rng = super::rng(seed);
    let mut out = Vec::new();
    let max_age = f64::from(cfg.max_event_age_s);
    let mut end: f64 = 0.0;
    for event in 1..=cfg.burst.max(1) {
        let t0 = 0.0;
        out.push(Timed::new(t0, RetryEvent::Enqueued { event }));
        let mut t = t0;
        let mut attempt = 0u32;
        let mut error_retries_used = 0u8;
        let mut backoff = THROTTLE_BACKOFF_START_S;
        let mut ran = false;
        let condition = loop {
            attempt += 1;
            let outcome = decide(cfg.failure, attempt, &mut rng);
            // A run takes the function's duration and its outcome is known when it ends; a
            // throttle or a system error does not run the function.
            t += ran_for(cfg, outcome);
            out.push(Timed::new(
                t,
                RetryEvent::Attempt {
                    event,
                    attempt,
                    outcome,
                },
            ));
            let (wait, reason) = match outcome {
                Outcome::Success => {
                    ran = true;
                    break Condition::Success;
                }
                Outcome::Error => {
                    ran = true;
                    if error_retries_used >= cfg.max_retry_attempts {
                        break Condition::RetriesExhausted;
                    }
                    error_retries_used += 1;
                    let wait = if error_retries_used == 1 {
                        FIRST_RETRY_WAIT_S
                    } else {
                        SECOND_RETRY_WAIT_S
                    };
                    (wait, RetryReason::FunctionError)
                }
                // Throttles and system errors share one back-off and never use up
                // MaximumRetryAttempts.
                Outcome::Throttled | Outcome::SystemError => {
                    let wait = backoff;
                    backoff = (backoff * 2.0).min(THROTTLE_BACKOFF_MAX_S);
                    let reason = if outcome == Outcome::Throttled {
                        RetryReason::Throttle
                    } else {
                        RetryReason::SystemError
                    };
                    (wait, reason)
                }
            };
            // The wait starts when the run ends. "No attempt after the maximum event age": if the next try would come too late,
            // the event is discarded the moment it reaches that age (or when the run ends, for a
            // run that outlasts it). A one-minute wait after any run therefore leaves no retry
            // under a 60-second maximum age.
            if t + wait - t0 > max_age {
                t = (t0 + max_age).max(t);
                out.push(Timed::new(
                    t,
                    RetryEvent::Expired {
                        event,
                        age_s: max_age,
                    },
                ));
                break Condition::EventAgeExceeded;
            }
            out.push(Timed::new(
                t,
                RetryEvent::RetryScheduled {
                    event,
                    wait_s: wait,
                    reason,
                },
            ));
            t += wait;
        };
        let (to, also_dlq) = match condition {
            Condition::Success if cfg.on_success => (Disposition::OnSuccess, false),
            Condition::Success => (Disposition::None, false),
            _ if cfg.on_failure => (Disposition::OnFailure, cfg.dlq),
            _ if cfg.dlq => (Disposition::Dlq, false),
            _ => (Disposition::Dropped, false),
        };
        let record = match to {
            Disposition::OnSuccess | Disposition::OnFailure => {
                Some(invocation_record(event, condition, attempt, ran))
            }
            Disposition::Dlq => Some(payload(event)),
            Disposition::Dropped | Disposition::None => None,
        };
        out.push(Timed::new(
            t,
            RetryEvent::Disposition {
                event,
                to,
                condition,
                also_dlq,
                record,
            },
        ));
        end = end.max(t);
    }
    // Leave a little room after the last event so the final state is visible on the scrub bar.
    Timeline::finish(out, (end * 1.05).max(end + 5.0))
}

fn decide(failure: Failure, attempt: u32, rng: &mut rand::rngs::StdRng) -> Outcome {
    match failure {
        Failure::Always => Outcome::Error,
        Failure::Never => Outcome::Success,
        Failure::FirstN(k) if attempt <= k => Outcome::Error,
        Failure::FirstN(_) => Outcome::Success,
        Failure::Probability(p) => {
            if rng.random_bool(p) {
                Outcome::Error
            } else {
                Outcome::Success
            }
        }
        Failure::Throttle => Outcome::Throttled,
        Failure::ThrottleFirstN(k) if attempt <= k => Outcome::Throttled,
        Failure::ThrottleFirstN(_) => Outcome::Success,
        Failure::SystemError => Outcome::SystemError,
    }
}

fn payload(event: u32) -> serde_json::Value {
    serde_json::json!({ "orderId": format!("order-{event:03}") })
}

/// The JSON a destination receives, in the shape the Lambda Developer Guide shows.
fn invocation_record(
    event: u32,
    condition: Condition,
    attempts: u32,
    ran: bool,
) -> serde_json::Value {
    let mut rec = serde_json::json!({
        "version": "1.0",
        "requestContext": {
            "requestId": format!("req-{event:04}"),
            "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:my-function:$LATEST",
            "condition": condition,
            "approximateInvokeCount": attempts,
        },
        "requestPayload": payload(event),
    });
    if ran {
        let (ctx, body) = if condition == Condition::Success {
            (
                serde_json::json!({"statusCode": 200, "executedVersion": "$LATEST"}),
                serde_json::json!({"status": "ok"}),
            )
        } else {
            (
                serde_json::json!({
                    "statusCode": 200,
                    "executedVersion": "$LATEST",
                    "functionError": "Unhandled"
                }),
                serde_json::json!({"errorType": "Error", "errorMessage": "payment service down"}),
            )
        };
        rec["responseContext"] = ctx;
        rec["responsePayload"] = body;
    }
    rec
}

/// One event's story, for drawing a lane.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// Event number in the burst.
    pub event: u32,
    /// Every attempt: time and outcome.
    pub attempts: Vec<(f64, Outcome)>,
    /// When Lambda stopped working on it, and where it went.
    pub end: Option<(f64, Disposition, Condition)>,
}

/// Groups a timeline into one lane per event.
pub fn lanes(tl: &Timeline<RetryEvent>) -> Vec<Lane> {
    let mut lanes: Vec<Lane> = Vec::new();
    for ev in &tl.events {
        let (id, at) = match &ev.event {
            RetryEvent::Enqueued { event }
            | RetryEvent::Attempt { event, .. }
            | RetryEvent::RetryScheduled { event, .. }
            | RetryEvent::Expired { event, .. }
            | RetryEvent::Disposition { event, .. } => (*event, ev.at_s),
        };
        let idx = match lanes.iter().position(|l| l.event == id) {
            Some(i) => i,
            None => {
                lanes.push(Lane {
                    event: id,
                    attempts: Vec::new(),
                    end: None,
                });
                lanes.len() - 1
            }
        };
        match &ev.event {
            RetryEvent::Attempt { outcome, .. } => lanes[idx].attempts.push((at, *outcome)),
            RetryEvent::Disposition { to, condition, .. } => {
                lanes[idx].end = Some((at, *to, *condition));
            }
            _ => {}
        }
    }
    lanes.sort_by_key(|l| l.event);
    lanes
}

/// How long an attempt with `outcome` runs the function.
fn ran_for(cfg: &RetryConfig, outcome: Outcome) -> f64 {
    match outcome {
        Outcome::Success | Outcome::Error => f64::from(cfg.duration_s),
        Outcome::Throttled | Outcome::SystemError => 0.0,
    }
}

/// When every attempt of the first event starts: the number quiz questions ask about. (The
/// timeline records an attempt when its outcome is known, at the end of its run.)
pub fn attempt_times(cfg: &RetryConfig, seed: u64) -> Vec<f64> {
    simulate(cfg, seed)
        .events
        .iter()
        .filter_map(|e| match e.event {
            RetryEvent::Attempt {
                event: 1, outcome, ..
            } => Some(e.at_s - ran_for(cfg, outcome)),
            _ => None,
        })
        .collect()
}

impl super::Model for RetryConfig {
    type Event = RetryEvent;

    fn simulate(&self, seed: u64) -> Timeline<RetryEvent> {
        simulate(self, seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(settings: &[(&str, &str)]) -> RetryConfig {
        crate::sim::with(settings)
    }

    fn final_disposition(tl: &Timeline<RetryEvent>) -> (Disposition, Condition) {
        tl.events
            .iter()
            .find_map(|e| match &e.event {
                RetryEvent::Disposition { to, condition, .. } => Some((*to, *condition)),
                _ => None,
            })
            .expect("every event ends with a disposition")
    }

    /// AWS DG, invocation-async-error-handling: "by default Lambda attempts to run it two more
    /// times, with a one-minute wait between the first two attempts, and two minutes between the
    /// second and third attempts."
    /// The waits start when a run ends: with the default 3-second run, runs start at 0, 63 and
    /// 186 s.
    #[test]
    fn default_failing_event_runs_three_times_at_0_60_180() {
        let cfg = RetryConfig::default();
        assert_eq!(attempt_times(&cfg, 1), vec![0.0, 63.0, 186.0]);
        let tl = simulate(&cfg, 1);
        assert_eq!(
            final_disposition(&tl),
            (Disposition::Dropped, Condition::RetriesExhausted)
        );
    }

    /// MaximumRetryAttempts = 0: the event is tried once.
    #[test]
    fn zero_retries_means_one_attempt() {
        let cfg = with(&[("max_retry_attempts", "0")]);
        assert_eq!(attempt_times(&cfg, 1), vec![0.0]);
    }

    #[test]
    fn one_retry_means_two_attempts_a_minute_apart() {
        let cfg = with(&[("max_retry_attempts", "1"), ("duration_s", "1")]);
        assert_eq!(attempt_times(&cfg, 1), vec![0.0, 61.0]);
    }

    /// No attempt happens after the maximum event age: with 90 s, the retry at 180 s never runs.
    #[test]
    fn no_attempt_after_max_event_age() {
        let cfg = with(&[("max_event_age_s", "90")]);
        let tl = simulate(&cfg, 1);
        assert_eq!(attempt_times(&cfg, 1), vec![0.0, 63.0]);
        assert_eq!(
            final_disposition(&tl),
            (Disposition::Dropped, Condition::EventAgeExceeded)
        );
        assert!(
            tl.events
                .iter()
                .any(|e| matches!(e.event, RetryEvent::Expired { .. })
                    && (e.at_s - 90.0).abs() < 1e-9)
        );
    }

    /// A 60-second maximum age leaves no retry at all: the one-minute wait starts when the first
    /// run ends, so the event is too old before the retry could start.
    #[test]
    fn a_sixty_second_maximum_age_leaves_no_retry() {
        let cfg = with(&[("max_event_age_s", "60"), ("duration_s", "1")]);
        assert_eq!(attempt_times(&cfg, 1), vec![0.0]);
        let tl = simulate(&cfg, 1);
        assert_eq!(
            final_disposition(&tl),
            (Disposition::Dropped, Condition::EventAgeExceeded)
        );
    }

    /// Throttles are retried with back-off from 1 s doubling up to 5 min, until the event age.
    #[test]
    fn throttles_back_off_exponentially_up_to_five_minutes() {
        let cfg = with(&[("failure", "throttle"), ("max_event_age_s", "3600")]);
        let times = attempt_times(&cfg, 1);
        let gaps: Vec<f64> = times.windows(2).map(|w| w[1] - w[0]).collect();
        assert_eq!(&gaps[..5], &[1.0, 2.0, 4.0, 8.0, 16.0]);
        assert!(gaps.iter().all(|g| *g <= THROTTLE_BACKOFF_MAX_S));
        assert_eq!(*gaps.last().expect("many gaps"), THROTTLE_BACKOFF_MAX_S);
        assert!(times.iter().all(|t| *t <= 3600.0));
        // far more than three attempts: throttles do not use up MaximumRetryAttempts
        assert!(times.len() > 10);
    }

    /// DG invocation-async-error-handling: "For throttling errors (429) and system errors
    /// (500-series), Lambda returns the event to the queue and attempts to run the function
    /// again for up to 6 hours by default. The retry interval increases exponentially from 1
    /// second after the first attempt to a maximum of 5 minutes."
    #[test]
    fn system_errors_back_off_like_throttles_until_the_event_is_too_old() {
        let cfg = with(&[("failure", "system_error")]);
        let tl = simulate(&cfg, 1);
        let throttled = with(&[("failure", "throttle")]);
        assert_eq!(attempt_times(&cfg, 1), attempt_times(&throttled, 1));
        let times = attempt_times(&cfg, 1);
        assert!(times.len() > 3, "not limited by MaximumRetryAttempts");
        assert!(times.iter().all(|t| *t <= 21_600.0));
        assert!(tl.events.iter().all(|e| match &e.event {
            RetryEvent::Attempt { outcome, .. } => *outcome == Outcome::SystemError,
            RetryEvent::RetryScheduled { reason, .. } => *reason == RetryReason::SystemError,
            _ => true,
        }));
        assert_eq!(
            final_disposition(&tl),
            (Disposition::Dropped, Condition::EventAgeExceeded)
        );
        let first = tl
            .events
            .iter()
            .find(|e| matches!(e.event, RetryEvent::Attempt { .. }))
            .expect("an attempt");
        assert_eq!(
            first.event.describe(),
            "event 1: attempt 1 failed: Lambda system error (500-series), not a function error"
        );
        assert_eq!(Failure::parse("system_error"), Some(Failure::SystemError));
        assert_eq!(Failure::SystemError.to_string(), "system_error");
    }

    #[test]
    fn success_goes_to_on_success_with_a_record() {
        let cfg = with(&[("failure", "first_n=1"), ("on_success", "true")]);
        let tl = simulate(&cfg, 1);
        assert_eq!(attempt_times(&cfg, 1), vec![0.0, 63.0]);
        let rec = tl
            .events
            .iter()
            .find_map(|e| match &e.event {
                RetryEvent::Disposition {
                    to: Disposition::OnSuccess,
                    record: Some(r),
                    ..
                } => Some(r.clone()),
                _ => None,
            })
            .expect("record for the on-success destination");
        assert_eq!(rec["requestContext"]["condition"], "Success");
        assert_eq!(rec["requestContext"]["approximateInvokeCount"], 2);
    }

    #[test]
    fn failure_prefers_destination_then_dlq_then_lost() {
        let dest = simulate(&with(&[("on_failure", "true")]), 1);
        assert_eq!(final_disposition(&dest).0, Disposition::OnFailure);
        let dlq = simulate(&with(&[("dlq", "true")]), 1);
        assert_eq!(final_disposition(&dlq).0, Disposition::Dlq);
        let lost = simulate(&RetryConfig::default(), 1);
        assert_eq!(final_disposition(&lost).0, Disposition::Dropped);
    }

    #[test]
    fn bad_values_name_the_key() {
        let mut c = RetryConfig::default();
        let e = c
            .set("max_retry_attempts", "3")
            .expect_err("3 is out of range");
        assert!(e.to_string().contains("max_retry_attempts"));
        assert!(e.to_string().contains("0–2"));
        let e = c.set("max_event_age_s", "59").expect_err("below 60");
        assert!(e.to_string().contains("60–21600"));
        assert!(c.set("colour", "red").is_err());
        assert!(c.set("failure", "sometimes").is_err());
    }

    #[test]
    fn burst_gives_one_lane_per_event() {
        let cfg = with(&[("burst", "5"), ("failure", "probability=0.5")]);
        let tl = simulate(&cfg, 42);
        let lanes = lanes(&tl);
        assert_eq!(lanes.len(), 5);
        assert!(lanes.iter().all(|l| l.end.is_some()));
    }
}
