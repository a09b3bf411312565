//! SQS event source mapping: Lambda polls a queue, invokes the function with batches, deletes
//! what succeeded, and leaves failures to come back after the visibility timeout until the
//! queue's redrive policy moves them to a dead-letter queue.
//!
//! Pinned to the AWS Lambda Developer Guide, "Using Lambda with Amazon SQS", "Creating and
//! configuring an Amazon SQS event source mapping", "Lambda parameters for Amazon SQS event
//! source mappings" and "Handling errors for an SQS event source in Lambda"
//! (<https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html>,
//! <https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html>,
//! <https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html>):
//! - batch size default 10, up to 10,000 for standard queues; above 10 needs a batching window
//!   of at least 1 s; the window is 0–300 s;
//! - Lambda invokes the function synchronously with the batch; on success it deletes the
//!   messages; on error the whole batch becomes visible again after the visibility timeout,
//!   unless the function returns a partial batch response (`ReportBatchItemFailures`), in which
//!   case only the listed messages return;
//! - the function timeout must be less than or equal to the queue's visibility timeout: Lambda
//!   checks this when the mapping is created or updated and returns an error otherwise, so such
//!   a mapping never polls;
//! - set the queue's visibility timeout to at least six times the function timeout: "the extra
//!   time allows Lambda to retry if your function is throttled while processing a previous
//!   batch". The visibility timeout starts when the batch is received, so a batch whose invoke is
//!   throttled for a while can reappear in the queue and be received a second time while the
//!   first invocation still runs;
//! - the source queue's redrive policy moves a message to its DLQ once it has been received
//!   more than `maxReceiveCount` times (an SQS source has no Lambda on-failure destination);
//! - scaling: at least 2 concurrent batches (`MaximumConcurrency` 2–1,000).
//!
//! Simplifications: 100 ms ticks; all messages are in the queue at time 0; a fixed number of
//! concurrent batches; a poisoned message always makes its batch fail; a throttled invoke is one
//! wait of `invoke_throttled_s` (Lambda's retries during it are not drawn one by one).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{
    Configurable, Describe, KeyDoc, Range, SimError, Timed, Timeline, bad, parse_bool, parse_f64,
    parse_int, unknown,
};

/// The shortest visibility timeout AWS recommends for a queue feeding a function with this
/// timeout: six times the function timeout.
pub fn recommended_visibility_timeout_s(function_timeout_s: f64) -> f64 {
    6.0 * function_timeout_s
}

/// The queue, mapping and function to simulate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SqsConfig {
    /// Messages in the queue at the start.
    pub messages: u32,
    /// `BatchSize`.
    pub batch_size: u32,
    /// `MaximumBatchingWindowInSeconds`.
    pub batching_window_s: f64,
    /// The queue's visibility timeout.
    pub visibility_timeout_s: f64,
    /// The function's timeout.
    pub function_timeout_s: f64,
    /// How long the function takes per batch.
    pub function_duration_s: f64,
    /// How long each batch's invoke stays throttled before the function starts (Lambda keeps
    /// retrying meanwhile, and the messages' visibility timeout is already running).
    pub invoke_throttled_s: f64,
    /// `ReportBatchItemFailures` in `FunctionResponseTypes`.
    pub partial_batch: bool,
    /// Message numbers (from 1) that always make the function fail.
    pub poison: Vec<u32>,
    /// Whether the queue has a redrive policy to a DLQ.
    pub dlq: bool,
    /// The redrive policy's `maxReceiveCount`.
    pub max_receive_count: u32,
    /// Batches processed at the same time.
    pub max_concurrency: u32,
    /// Length of the run, seconds; `None` derives it from the other settings
    /// ([`run_length_s`]).
    pub sim_s: Option<f64>,
}

impl Default for SqsConfig {
    fn default() -> Self {
        Self {
            messages: 20,
            batch_size: 10,
            batching_window_s: 0.0,
            visibility_timeout_s: 30.0,
            function_timeout_s: 5.0,
            function_duration_s: 2.0,
            invoke_throttled_s: 0.0,
            partial_batch: false,
            poison: vec![3],
            dlq: true,
            max_receive_count: 3,
            max_concurrency: 2,
            sim_s: None,
        }
    }
}

const POISON_ACCEPTS: &str = "message numbers like 3 or 3,7 (from 1), or none";

static KEYS: [KeyDoc; 13] = [
    KeyDoc {
        key: "messages",
        default: "20",
        accepts: "an integer 1–1000",
        help: "messages in the queue at the start",
        range: Some(Range::int(1, 1000).slider(1.0, 60.0)),
    },
    KeyDoc {
        key: "batch_size",
        default: "10",
        accepts: "an integer 1–10000",
        help: "BatchSize",
        range: Some(Range::int(1, 10_000).slider(1.0, 20.0)),
    },
    KeyDoc {
        key: "batching_window_s",
        default: "0",
        accepts: "seconds 0–300",
        help: "MaximumBatchingWindowInSeconds",
        range: Some(Range::float(0.0, 300.0).slider(0.0, 60.0)),
    },
    KeyDoc {
        key: "visibility_timeout_s",
        default: "30",
        accepts: "seconds 0–43200",
        help: "the queue's visibility timeout",
        range: Some(Range::float(0.0, 43_200.0).slider(1.0, 120.0)),
    },
    KeyDoc {
        key: "function_timeout_s",
        default: "5",
        accepts: "seconds 1–900",
        help: "the function's timeout",
        range: Some(Range::float(1.0, 900.0).slider(1.0, 60.0)),
    },
    KeyDoc {
        key: "function_duration_s",
        default: "2",
        accepts: "seconds 0.1–900",
        help: "how long one batch takes",
        range: Some(Range::float(0.1, 900.0).slider(0.1, 60.0)),
    },
    KeyDoc {
        key: "invoke_throttled_s",
        default: "0",
        accepts: "seconds 0–43200",
        help: "how long each batch's invoke is throttled before the function runs",
        range: Some(Range::float(0.0, 43_200.0).slider(0.0, 120.0)),
    },
    KeyDoc {
        key: "partial_batch",
        default: "false",
        accepts: "true or false",
        help: "ReportBatchItemFailures: only failed messages return",
        range: None,
    },
    KeyDoc {
        key: "poison",
        default: "3",
        accepts: POISON_ACCEPTS,
        help: "messages the function can never process",
        range: None,
    },
    KeyDoc {
        key: "dlq",
        default: "true",
        accepts: "true or false",
        help: "the queue has a redrive policy to a DLQ",
        range: None,
    },
    KeyDoc {
        key: "max_receive_count",
        default: "3",
        accepts: "an integer 1–1000",
        help: "maxReceiveCount of the redrive policy",
        range: Some(Range::int(1, 1000).slider(1.0, 10.0)),
    },
    KeyDoc {
        key: "max_concurrency",
        default: "2",
        accepts: "an integer 2–1000",
        help: "batches processed at the same time",
        range: Some(Range::int(2, 1000).slider(2.0, 10.0)),
    },
    KeyDoc {
        key: "sim_s",
        default: "auto",
        accepts: "auto, or seconds 10–3600",
        help: "length of the run (auto: long enough for every message to be deleted or reach \
               the DLQ)",
        range: Some(Range::float(10.0, 3600.0)),
    },
];

impl Configurable for SqsConfig {
    const NAME: &'static str = "sqs";

    fn keys() -> &'static [KeyDoc] {
        &KEYS
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), SimError> {
        let int = || parse_int::<Self>(key, value).map(|v| v as u32);
        let num = || parse_f64::<Self>(key, value);
        match key {
            "messages" => self.messages = int()?,
            "batch_size" => self.batch_size = int()?,
            "batching_window_s" => self.batching_window_s = num()?,
            "visibility_timeout_s" => self.visibility_timeout_s = num()?,
            "function_timeout_s" => self.function_timeout_s = num()?,
            "function_duration_s" => self.function_duration_s = num()?,
            "invoke_throttled_s" => self.invoke_throttled_s = num()?,
            "partial_batch" => self.partial_batch = parse_bool::<Self>(key, value)?,
            "poison" => self.poison = parse_poison(key, value)?,
            "dlq" => self.dlq = parse_bool::<Self>(key, value)?,
            "max_receive_count" => self.max_receive_count = int()?,
            "max_concurrency" => self.max_concurrency = int()?,
            "sim_s" => {
                self.sim_s = if value.eq_ignore_ascii_case("auto") {
                    None
                } else {
                    Some(num()?)
                }
            }
            _ => return Err(unknown::<Self>(key)),
        }
        Ok(())
    }
}

fn parse_poison(key: &str, value: &str) -> Result<Vec<u32>, SimError> {
    if value.eq_ignore_ascii_case("none") || value.is_empty() {
        return Ok(Vec::new());
    }
    let mut out: Vec<u32> = value
        .split(',')
        .map(|p| p.trim().parse::<u32>().ok().filter(|n| *n >= 1))
        .collect::<Option<_>>()
        .ok_or_else(|| bad(key, value, POISON_ACCEPTS))?;
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// Why a batch failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchFailure {
    /// The function returned an error (a poisoned message).
    FunctionError,
    /// The function ran longer than its timeout.
    Timeout,
}

/// Something that happened to the queue or a batch.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SqsEvent {
    /// A configuration AWS warns about.
    Warning {
        /// In words.
        text: String,
    },
    /// A configuration AWS refuses: the event source mapping is not created, nothing polls.
    Refused {
        /// What was refused and why.
        reason: String,
    },
    /// Lambda received a batch and invoked the function with it.
    Batch {
        /// Batch number, from 1.
        batch: u32,
        /// Message numbers in the batch.
        messages: Vec<u32>,
        /// Seconds the invoke was throttled before the function started (0: it started at once).
        #[serde(skip_serializing_if = "is_zero")]
        throttled_s: f64,
    },
    /// The function returned success for the whole batch.
    BatchSucceeded {
        /// Batch number.
        batch: u32,
    },
    /// The function failed.
    BatchFailed {
        /// Batch number.
        batch: u32,
        /// Why.
        reason: BatchFailure,
        /// With a partial batch response, the messages reported as failed.
        #[serde(skip_serializing_if = "Option::is_none")]
        reported: Option<Vec<u32>>,
    },
    /// Lambda deleted messages from the queue.
    Deleted {
        /// Message numbers.
        messages: Vec<u32>,
    },
    /// The visibility timeout ran out: these messages can be received again.
    Visible {
        /// Message numbers.
        messages: Vec<u32>,
    },
    /// Messages were received again while an earlier invocation was still processing them.
    Duplicate {
        /// The batch that received them again.
        batch: u32,
        /// Message numbers.
        messages: Vec<u32>,
    },
    /// SQS moved the message to the dead-letter queue.
    ToDlq {
        /// Message number.
        message: u32,
        /// Times it had been received.
        receive_count: u32,
    },
    /// Every message was deleted or moved to the DLQ.
    Drained,
    /// The run ended with messages still in the queue (visible or in flight).
    StillInQueue {
        /// Message numbers.
        messages: Vec<u32>,
    },
}

fn is_zero(v: &f64) -> bool {
    *v == 0.0
}

fn list(ms: &[u32]) -> String {
    let parts: Vec<String> = ms.iter().map(|m| format!("#{m}")).collect();
    parts.join(", ")
}

impl Describe for SqsEvent {
    fn describe(&self) -> String {
        match self {
            SqsEvent::Warning { text } => format!("warning: {text}"),
            SqsEvent::Refused { reason } => format!("refused: {reason}"),
            SqsEvent::Batch {
                batch,
                messages,
                throttled_s,
            } => {
                if *throttled_s > 0.0 {
                    format!(
                        "batch {batch}: received {} message(s): {}; invoke throttled, Lambda \
                         retries and the function starts {} s later",
                        messages.len(),
                        list(messages),
                        throttled_s
                    )
                } else {
                    format!(
                        "batch {batch}: invoked with {} message(s): {}",
                        messages.len(),
                        list(messages)
                    )
                }
            }
            SqsEvent::BatchSucceeded { batch } => format!("batch {batch} succeeded"),
            SqsEvent::BatchFailed {
                batch,
                reason,
                reported,
            } => match (reason, reported) {
                (BatchFailure::Timeout, _) => {
                    format!("batch {batch} failed: function timed out, whole batch returns")
                }
                (BatchFailure::FunctionError, Some(r)) => format!(
                    "batch {batch} failed: function reported {} as failed (partial batch)",
                    list(r)
                ),
                (BatchFailure::FunctionError, None) => {
                    format!("batch {batch} failed: function error, whole batch returns")
                }
            },
            SqsEvent::Deleted { messages } => format!("deleted {}", list(messages)),
            SqsEvent::Visible { messages } => format!(
                "{} visible again: visibility timeout over, not deleted",
                list(messages)
            ),
            SqsEvent::Duplicate { batch, messages } => format!(
                "batch {batch}: {} received again while an earlier invocation still processes \
                 them: duplicates (their visibility timeout ran out first)",
                list(messages)
            ),
            SqsEvent::ToDlq {
                message,
                receive_count,
            } => format!("#{message} moved to the DLQ after {receive_count} receives"),
            SqsEvent::Drained => "queue empty: every message deleted or in the DLQ".to_string(),
            SqsEvent::StillInQueue { messages } => {
                let n = messages.len();
                let which = if n <= 10 {
                    format!(" ({})", list(messages))
                } else {
                    String::new()
                };
                let s = if n == 1 { "" } else { "s" };
                format!("run ended: {n} message{s} still in the queue{which}")
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MsgState {
    Waiting,
    InFlight,
    Deleted,
    Dlq,
}

#[derive(Debug, Clone)]
struct Msg {
    state: MsgState,
    visible_at: f64,
    receives: u32,
}

struct Running {
    id: u32,
    messages: Vec<u32>,
    ends_at: f64,
    failure: Option<BatchFailure>,
}

const TICK_S: f64 = 0.1;

/// Why AWS would refuse this mapping, if it would: `CreateEventSourceMapping` returns an error
/// when the function timeout exceeds the queue's visibility timeout.
pub fn refusal(cfg: &SqsConfig) -> Option<String> {
    (cfg.function_timeout_s > cfg.visibility_timeout_s).then(|| {
        format!(
            "function timeout {} s is longer than the queue's visibility timeout {} s; \
             CreateEventSourceMapping returns an error, so nothing polls the queue",
            cfg.function_timeout_s, cfg.visibility_timeout_s
        )
    })
}

/// The longest run derived from the settings: 14 days, SQS's longest message retention.
pub const MAX_AUTO_RUN_S: f64 = 1_209_600.0;

/// How long a run lasts: `sim_s` if set, otherwise long enough for every message to be deleted
/// or moved to the DLQ (a poisoned message is received `maxReceiveCount` times, a visibility
/// timeout apart, before the redrive policy moves it), plus a margin. Without a DLQ a poisoned
/// message never leaves, and the run shows it come back three times. A run that drains ends
/// sooner.
pub fn run_length_s(cfg: &SqsConfig) -> f64 {
    if let Some(s) = cfg.sim_s {
        return s;
    }
    let window = if cfg.batch_size > 10 {
        cfg.batching_window_s.max(1.0)
    } else {
        cfg.batching_window_s
    };
    let run = cfg.invoke_throttled_s + cfg.function_duration_s.min(cfg.function_timeout_s);
    let waves = f64::from(
        cfg.messages
            .div_ceil(cfg.batch_size.max(1) * cfg.max_concurrency),
    );
    // Every message received once, wave after wave.
    let first_pass = waves * (run + window + TICK_S);
    let returns = if cfg.dlq { cfg.max_receive_count } else { 3 };
    // Each return waits out the visibility timeout, then possibly behind a full pass.
    let cycle = cfg.visibility_timeout_s.max(run) + window + first_pass;
    let need = first_pass + f64::from(returns) * cycle;
    (need * 1.1 + 10.0).ceil().min(MAX_AUTO_RUN_S)
}

/// Runs the queue until it drains or the run's length ([`run_length_s`]) is over. There is no chance involved, so the seed
/// does not change the result; it is accepted for a uniform interface.
pub fn simulate(cfg: &SqsConfig, _seed: u64) -> Timeline<SqsEvent> {
    run(cfg, true)
}

/// The model; `skip` jumps over ticks in which nothing can happen (always, except in the test
/// that checks skipping changes nothing).
fn run(cfg: &SqsConfig, skip: bool) -> Timeline<SqsEvent> {
    let mut ev = Vec::new();
    if let Some(reason) = refusal(cfg) {
        ev.push(Timed::new(0.0, SqsEvent::Refused { reason }));
        ev.push(Timed::new(
            10.0,
            SqsEvent::StillInQueue {
                messages: (1..=cfg.messages).collect(),
            },
        ));
        return Timeline::finish(ev, 10.0);
    }
    let six_x = recommended_visibility_timeout_s(cfg.function_timeout_s);
    if cfg.visibility_timeout_s < six_x {
        ev.push(Timed::new(
            0.0,
            SqsEvent::Warning {
                text: format!(
                    "visibility timeout {} s is below 6 × the function timeout ({} s); AWS \
                     recommends at least that, so a batch whose invoke is throttled can still \
                     finish before its messages reappear",
                    cfg.visibility_timeout_s, six_x
                ),
            },
        ));
    }
    let mut window = cfg.batching_window_s;
    if cfg.batch_size > 10 && window < 1.0 {
        ev.push(Timed::new(
            0.0,
            SqsEvent::Warning {
                text: "a batch size above 10 needs a batching window of at least 1 s; using 1 s"
                    .to_string(),
            },
        ));
        window = 1.0;
    }
    let poison: BTreeSet<u32> = cfg.poison.iter().copied().collect();
    let mut msgs: Vec<Msg> = (0..cfg.messages)
        .map(|_| Msg {
            state: MsgState::Waiting,
            visible_at: 0.0,
            receives: 0,
        })
        .collect();
    let mut running: Vec<Running> = Vec::new();
    let mut next_batch = 1u32;
    let mut gather_since: Option<f64> = None;
    let run_s = run_length_s(cfg);
    let ticks = (run_s / TICK_S).round() as u64;
    let mut drained = false;
    let mut end = run_s;

    let mut tick = 0u64;
    while tick <= ticks {
        let t = tick as f64 * TICK_S;
        // 1. Finished invocations.
        let (done, still): (Vec<Running>, Vec<Running>) =
            running.drain(..).partition(|r| r.ends_at <= t + 1e-9);
        running = still;
        for r in done {
            match r.failure {
                None => {
                    ev.push(Timed::new(t, SqsEvent::BatchSucceeded { batch: r.id }));
                    delete(&mut msgs, &r.messages, t, &mut ev);
                }
                Some(BatchFailure::FunctionError) if cfg.partial_batch => {
                    let failed: Vec<u32> = r
                        .messages
                        .iter()
                        .copied()
                        .filter(|m| poison.contains(m))
                        .collect();
                    let ok: Vec<u32> = r
                        .messages
                        .iter()
                        .copied()
                        .filter(|m| !poison.contains(m))
                        .collect();
                    ev.push(Timed::new(
                        t,
                        SqsEvent::BatchFailed {
                            batch: r.id,
                            reason: BatchFailure::FunctionError,
                            reported: Some(failed),
                        },
                    ));
                    delete(&mut msgs, &ok, t, &mut ev);
                }
                Some(reason) => ev.push(Timed::new(
                    t,
                    SqsEvent::BatchFailed {
                        batch: r.id,
                        reason,
                        reported: None,
                    },
                )),
            }
        }
        // 2. Visibility timeouts that ran out, one event per moment.
        let mut reappeared: BTreeMap<u64, Vec<u32>> = BTreeMap::new();
        for (i, m) in msgs.iter_mut().enumerate() {
            if m.state == MsgState::InFlight && m.visible_at <= t + 1e-9 {
                m.state = MsgState::Waiting;
                // Non-negative floats order the same as their bit patterns.
                reappeared
                    .entry(m.visible_at.to_bits())
                    .or_default()
                    .push(i as u32 + 1);
            }
        }
        for (at, messages) in reappeared {
            ev.push(Timed::new(
                f64::from_bits(at),
                SqsEvent::Visible { messages },
            ));
        }
        // 3. Done?
        if msgs
            .iter()
            .all(|m| matches!(m.state, MsgState::Deleted | MsgState::Dlq))
            && running.is_empty()
        {
            ev.push(Timed::new(t, SqsEvent::Drained));
            drained = true;
            end = t + 5.0;
            break;
        }
        // 4. Poll: fill free concurrency with batches of visible messages.
        while (running.len() as u32) < cfg.max_concurrency {
            let visible: Vec<usize> = msgs
                .iter()
                .enumerate()
                .filter(|(_, m)| m.state == MsgState::Waiting)
                .map(|(i, _)| i)
                .collect();
            if visible.is_empty() {
                gather_since = None;
                break;
            }
            let since = *gather_since.get_or_insert(t);
            let full = visible.len() as u32 >= cfg.batch_size;
            if !full && t - since + 1e-9 < window {
                break;
            }
            gather_since = None;
            let mut batch = Vec::new();
            let mut duplicates = Vec::new();
            for i in visible.into_iter().take(cfg.batch_size as usize) {
                let m = &mut msgs[i];
                let number = i as u32 + 1;
                m.receives += 1;
                if cfg.dlq && m.receives > cfg.max_receive_count {
                    m.state = MsgState::Dlq;
                    ev.push(Timed::new(
                        t,
                        SqsEvent::ToDlq {
                            message: number,
                            receive_count: m.receives - 1,
                        },
                    ));
                    continue;
                }
                m.state = MsgState::InFlight;
                m.visible_at = t + cfg.visibility_timeout_s;
                if running.iter().any(|r| r.messages.contains(&number)) {
                    duplicates.push(number);
                }
                batch.push(number);
            }
            if batch.is_empty() {
                continue;
            }
            let timed_out = cfg.function_duration_s > cfg.function_timeout_s;
            let failure = if timed_out {
                Some(BatchFailure::Timeout)
            } else if batch.iter().any(|m| poison.contains(m)) {
                Some(BatchFailure::FunctionError)
            } else {
                None
            };
            let took = cfg.function_duration_s.min(cfg.function_timeout_s);
            ev.push(Timed::new(
                t,
                SqsEvent::Batch {
                    batch: next_batch,
                    messages: batch.clone(),
                    throttled_s: cfg.invoke_throttled_s,
                },
            ));
            if !duplicates.is_empty() {
                ev.push(Timed::new(
                    t,
                    SqsEvent::Duplicate {
                        batch: next_batch,
                        messages: duplicates,
                    },
                ));
            }
            running.push(Running {
                id: next_batch,
                messages: batch,
                ends_at: t + cfg.invoke_throttled_s + took,
                failure,
            });
            next_batch += 1;
        }
        tick = if skip {
            next_tick(tick, t, &msgs, &running, gather_since, window)
        } else {
            tick + 1
        };
    }
    if !drained {
        let messages: Vec<u32> = msgs
            .iter()
            .enumerate()
            .filter(|(_, m)| matches!(m.state, MsgState::Waiting | MsgState::InFlight))
            .map(|(i, _)| i as u32 + 1)
            .collect();
        ev.push(Timed::new(end, SqsEvent::StillInQueue { messages }));
    }
    Timeline::finish(ev, end)
}

/// The next tick at which anything can change: an invocation ends, a visibility timeout runs
/// out, or a batching window closes. Nothing happens in the ticks between, so skipping them
/// gives the same timeline as stepping through each one, and long runs stay cheap.
fn next_tick(
    tick: u64,
    t: f64,
    msgs: &[Msg],
    running: &[Running],
    gather_since: Option<f64>,
    window: f64,
) -> u64 {
    let all_done = msgs
        .iter()
        .all(|m| matches!(m.state, MsgState::Deleted | MsgState::Dlq));
    if all_done && running.is_empty() {
        return tick + 1;
    }
    let mut next = f64::INFINITY;
    for r in running {
        next = next.min(r.ends_at);
    }
    for m in msgs {
        if m.state == MsgState::InFlight {
            next = next.min(m.visible_at);
        }
    }
    if let Some(since) = gather_since {
        next = next.min(since + window);
    }
    if !next.is_finite() || next <= t + TICK_S {
        return tick + 1;
    }
    // Land on (or one tick before) the moment, never after it.
    ((next / TICK_S - 1e-6).floor() as u64).max(tick + 1)
}

fn delete(msgs: &mut [Msg], which: &[u32], t: f64, ev: &mut Vec<Timed<SqsEvent>>) {
    let mut deleted = Vec::new();
    for &n in which {
        if let Some(m) = msgs.get_mut(n as usize - 1)
            && !matches!(m.state, MsgState::Deleted | MsgState::Dlq)
        {
            m.state = MsgState::Deleted;
            deleted.push(n);
        }
    }
    if !deleted.is_empty() {
        ev.push(Timed::new(t, SqsEvent::Deleted { messages: deleted }));
    }
}

/// Where a message is at some moment, for drawing the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageState {
    /// Visible in the queue, waiting to be received.
    Waiting,
    /// Received and invisible until its visibility timeout runs out.
    InFlight,
    /// Deleted after successful processing.
    Deleted,
    /// Moved to the dead-letter queue by the redrive policy.
    Dlq,
}

/// Every message's state and receive count at time `t_s` (index = message number − 1).
pub fn message_states(
    tl: &Timeline<SqsEvent>,
    messages: u32,
    t_s: f64,
) -> Vec<(MessageState, u32)> {
    let mut out = vec![(MessageState::Waiting, 0u32); messages as usize];
    let mut set = |m: u32, st: MessageState, bump: bool| {
        if let Some(c) = out.get_mut(m as usize - 1) {
            c.0 = st;
            if bump {
                c.1 += 1;
            }
        }
    };
    for e in tl.until(t_s) {
        match &e.event {
            SqsEvent::Batch { messages, .. } => {
                for m in messages {
                    set(*m, MessageState::InFlight, true);
                }
            }
            SqsEvent::Deleted { messages } => {
                for m in messages {
                    set(*m, MessageState::Deleted, false);
                }
            }
            SqsEvent::Visible { messages } => {
                for m in messages {
                    set(*m, MessageState::Waiting, false);
                }
            }
            // The move happens instead of a receive: the count stays at maxReceiveCount, as the
            // log's "moved to the DLQ after N receives" says.
            SqsEvent::ToDlq { message, .. } => set(*message, MessageState::Dlq, false),
            _ => {}
        }
    }
    out
}

/// Counts of where the messages ended up: `(deleted, in the DLQ, times processed in total)`.
pub fn totals(tl: &Timeline<SqsEvent>) -> (usize, usize, usize) {
    let mut deleted = 0;
    let mut dlq = 0;
    let mut processed = 0;
    for e in &tl.events {
        match &e.event {
            SqsEvent::Deleted { messages } => deleted += messages.len(),
            SqsEvent::ToDlq { .. } => dlq += 1,
            SqsEvent::Batch { messages, .. } => processed += messages.len(),
            _ => {}
        }
    }
    (deleted, dlq, processed)
}

impl super::Model for SqsConfig {
    type Event = SqsEvent;

    fn simulate(&self, seed: u64) -> Timeline<SqsEvent> {
        simulate(self, seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(settings: &[(&str, &str)]) -> SqsConfig {
        crate::sim::with(settings)
    }

    /// DG with-sqs: set the visibility timeout to at least six times the function timeout.
    #[test]
    fn recommended_visibility_timeout_is_six_times_the_function_timeout() {
        assert_eq!(recommended_visibility_timeout_s(30.0), 180.0);
    }

    /// The screen's "times the poison message was received" and the log's "moved to the DLQ
    /// after N receives" tell the same story: N = maxReceiveCount.
    #[test]
    fn receive_counts_agree_with_the_dlq_move() {
        let cfg = with(&[("poison", "3"), ("max_receive_count", "3")]);
        let tl = simulate(&cfg, 1);
        let logged = tl
            .events
            .iter()
            .find_map(|e| match &e.event {
                SqsEvent::ToDlq {
                    message: 3,
                    receive_count,
                } => Some(*receive_count),
                _ => None,
            })
            .expect("the poison reaches the DLQ");
        let end = tl.events.last().map_or(0.0, |e| e.at_s);
        let shown = message_states(&tl, cfg.messages, end)[2];
        assert_eq!(shown, (MessageState::Dlq, logged));
        assert_eq!(logged, 3);
    }

    #[test]
    fn clean_queue_drains_in_batches_of_ten() {
        let tl = simulate(&with(&[("poison", "none")]), 1);
        let batches: Vec<usize> = tl
            .events
            .iter()
            .filter_map(|e| match &e.event {
                SqsEvent::Batch { messages, .. } => Some(messages.len()),
                _ => None,
            })
            .collect();
        assert_eq!(batches, vec![10, 10]);
        assert_eq!(totals(&tl), (20, 0, 20));
        assert!(tl.events.iter().any(|e| e.event == SqsEvent::Drained));
    }

    /// DG services-sqs-errorhandling: without a partial batch response the whole batch returns,
    /// so the poison's batch-mates are processed again each time and, having been received as
    /// often, reach the DLQ with it.
    #[test]
    fn poison_without_partial_batch_sends_the_whole_batch_to_the_dlq() {
        let tl = simulate(&SqsConfig::default(), 1);
        let (deleted, dlq, processed) = totals(&tl);
        assert_eq!(dlq, 10);
        assert_eq!(deleted, 10);
        assert_eq!(processed, 20 + 10 + 10, "batch-mates processed again");
        // the poison was received exactly max_receive_count times before the DLQ
        assert!(tl.events.iter().any(|e| e.event
            == SqsEvent::ToDlq {
                message: 3,
                receive_count: 3
            }));
        // it comes back only after the visibility timeout
        let first_visible = tl
            .events
            .iter()
            .find(|e| matches!(e.event, SqsEvent::Visible { .. }))
            .expect("failed messages become visible again");
        assert!((first_visible.at_s - 30.0).abs() < 1e-6);
    }

    #[test]
    fn partial_batch_deletes_the_good_messages_at_once() {
        let tl = simulate(&with(&[("partial_batch", "true")]), 1);
        let (deleted, dlq, processed) = totals(&tl);
        assert_eq!((deleted, dlq), (19, 1));
        assert_eq!(processed, 20 + 2, "only the poison is received again");
    }

    #[test]
    fn without_dlq_the_poison_keeps_coming_back() {
        let tl = simulate(&with(&[("dlq", "false"), ("sim_s", "200")]), 1);
        let (_, dlq, _) = totals(&tl);
        assert_eq!(dlq, 0);
        assert!(!tl.events.iter().any(|e| e.event == SqsEvent::Drained));
        let last = tl.events.last().expect("events");
        assert_eq!(last.at_s, 200.0);
        assert_eq!(
            last.event.describe(),
            "run ended: 10 messages still in the queue (#1, #2, #3, #4, #5, #6, #7, #8, #9, #10)"
        );
        let partial = simulate(&with(&[("dlq", "false"), ("partial_batch", "true")]), 1);
        assert_eq!(
            partial.events.last().expect("events").event.describe(),
            "run ended: 1 message still in the queue (#3)"
        );
    }

    fn count(tl: &Timeline<SqsEvent>, f: impl Fn(&SqsEvent) -> bool) -> usize {
        tl.events.iter().filter(|e| f(&e.event)).count()
    }

    /// DG services-sqs-configure: "Your function's timeout must be less than or equal to the
    /// queue's visibility timeout. Lambda validates this requirement when you create or update an
    /// event source mapping and will return an error if the function timeout exceeds the queue's
    /// visibility timeout." Nothing polls, so no batch ever runs.
    #[test]
    fn function_timeout_above_the_visibility_timeout_is_refused() {
        let tl = simulate(
            &with(&[("visibility_timeout_s", "10"), ("function_timeout_s", "60")]),
            1,
        );
        let refused: Vec<String> = tl
            .events
            .iter()
            .filter(|e| matches!(e.event, SqsEvent::Refused { .. }))
            .map(|e| e.event.describe())
            .collect();
        assert_eq!(refused.len(), 1);
        assert!(
            refused[0].starts_with("refused: function timeout 60 s"),
            "{}",
            refused[0]
        );
        assert!(refused[0].contains("visibility timeout 10 s"));
        assert_eq!(count(&tl, |e| matches!(e, SqsEvent::Batch { .. })), 0);
        // equal is allowed
        let ok = simulate(
            &with(&[("visibility_timeout_s", "30"), ("function_timeout_s", "30")]),
            1,
        );
        assert_eq!(count(&ok, |e| matches!(e, SqsEvent::Refused { .. })), 0);
        assert!(count(&ok, |e| matches!(e, SqsEvent::Batch { .. })) > 0);
    }

    /// DG services-sqs-configure: set the visibility timeout to at least six times the function
    /// timeout; "the extra time allows Lambda to retry if your function is throttled while
    /// processing a previous batch". A valid setup below 6× is warned about, and when a batch's
    /// invoke is throttled long enough its messages reappear and are received a second time
    /// while the first invocation still runs. At 6× the same throttle does no harm.
    #[test]
    fn below_six_times_a_throttled_invoke_makes_messages_reappear() {
        let short = simulate(
            &with(&[
                ("poison", "none"),
                ("visibility_timeout_s", "30"),
                ("function_timeout_s", "10"),
                ("function_duration_s", "8"),
                ("invoke_throttled_s", "25"),
                ("max_concurrency", "4"),
            ]),
            1,
        );
        assert_eq!(count(&short, |e| matches!(e, SqsEvent::Refused { .. })), 0);
        assert_eq!(count(&short, |e| matches!(e, SqsEvent::Warning { .. })), 1);
        assert!(count(&short, |e| matches!(e, SqsEvent::Duplicate { .. })) > 0);
        let first_batch = short
            .events
            .iter()
            .find(|e| matches!(e.event, SqsEvent::Batch { .. }))
            .expect("a batch");
        assert!(
            first_batch.event.describe().contains("invoke throttled"),
            "{}",
            first_batch.event.describe()
        );

        let six_x = simulate(
            &with(&[
                ("poison", "none"),
                ("visibility_timeout_s", "60"),
                ("function_timeout_s", "10"),
                ("function_duration_s", "8"),
                ("invoke_throttled_s", "25"),
                ("max_concurrency", "4"),
            ]),
            1,
        );
        assert_eq!(count(&six_x, |e| matches!(e, SqsEvent::Warning { .. })), 0);
        assert_eq!(
            count(&six_x, |e| matches!(e, SqsEvent::Duplicate { .. })),
            0
        );
        assert_eq!(totals(&six_x), (20, 0, 20));
    }

    /// Skipping the ticks in which nothing happens gives exactly the timeline of stepping
    /// through every tick.
    #[test]
    fn skipping_idle_ticks_changes_nothing() {
        let cases: [&[(&str, &str)]; 6] = [
            &[],
            &[("partial_batch", "true"), ("batching_window_s", "7.3")],
            &[("dlq", "false"), ("visibility_timeout_s", "12.35")],
            &[
                ("visibility_timeout_s", "30"),
                ("function_timeout_s", "10"),
                ("function_duration_s", "8"),
                ("invoke_throttled_s", "25"),
            ],
            &[("function_duration_s", "9"), ("function_timeout_s", "4.2")],
            &[
                ("batch_size", "15"),
                ("messages", "47"),
                ("max_receive_count", "5"),
                ("poison", "3,30"),
            ],
        ];
        for c in cases {
            let cfg = with(c);
            assert_eq!(run(&cfg, true), run(&cfg, false), "{c:?}");
        }
    }

    /// The run is long enough for the redrive policy to act even with the longest settings the
    /// screen offers (visibility timeout 120 s, maxReceiveCount 10), and then ends soon after.
    #[test]
    fn run_length_covers_the_dlq_move() {
        let cfg = with(&[("visibility_timeout_s", "120"), ("max_receive_count", "10")]);
        let tl = simulate(&cfg, 1);
        let to_dlq = tl
            .events
            .iter()
            .find(|e| matches!(e.event, SqsEvent::ToDlq { .. }))
            .expect("the poison reaches the DLQ");
        assert!(to_dlq.at_s >= 1200.0, "ten receives 120 s apart");
        assert!(tl.events.iter().any(|e| e.event == SqsEvent::Drained));
        assert!(tl.end_s < to_dlq.at_s + 60.0);
        assert!(run_length_s(&cfg) > to_dlq.at_s);
    }

    #[test]
    fn batching_window_waits_to_fill_a_batch() {
        let tl = simulate(
            &with(&[
                ("poison", "none"),
                ("messages", "5"),
                ("batching_window_s", "20"),
            ]),
            1,
        );
        let first = tl
            .events
            .iter()
            .find(|e| matches!(e.event, SqsEvent::Batch { .. }))
            .expect("a batch");
        assert!((first.at_s - 20.0).abs() < 1e-6);
    }
}
