//! Kinesis event source mapping: one poller per shard, records in order within a shard, and what
//! a record the function can never process does to its shard.
//!
//! Pinned to the AWS Lambda Developer Guide, "Retain discarded batch records for a Kinesis Data
//! Streams event source in Lambda"
//! (<https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html>) and the
//! `CreateEventSourceMapping` API reference:
//! - a function error makes Lambda retry the batch until it succeeds, the records exceed
//!   `MaximumRecordAgeInSeconds` (−1 = no limit, or 60–604,800), or the retries reach
//!   `MaximumRetryAttempts` (−1 = no limit, or 0–10,000); meanwhile the shard makes no progress;
//! - `BisectBatchOnFunctionError` splits a failed batch in two and retries each half, which
//!   isolates the bad record; splitting does not count towards the retry quota;
//! - a discarded batch is described (shard, sequence numbers, size; not the data) to the
//!   on-failure destination if one is configured, and processing moves on;
//! - concurrency is shards × `ParallelizationFactor` (1–10); this model uses a factor of 1.
//!
//! Simplifications: records are written to every shard at a steady `records_per_s`, the first
//! one `1 / records_per_s` after the start; a record's age is the time since it was written,
//! and a batch is as old as its oldest record. The poller reads whatever has been written (up to
//! `BatchSize`) as soon as the previous batch is done, and when the shard has nothing new it looks
//! again one second later. Each invocation takes `function_duration_s`; a failing batch is
//! retried as soon as it returns.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{
    Configurable, Describe, KeyDoc, Range, SimError, Timed, Timeline, bad, parse_bool, parse_f64,
    parse_int, unknown,
};

/// Concurrent invocations a Kinesis mapping can run: shards × ParallelizationFactor.
pub fn max_concurrency(shards: u32, parallelization_factor: u32) -> u32 {
    shards * parallelization_factor.clamp(1, 10)
}

/// The stream, mapping and function to simulate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KinesisConfig {
    /// Shards in the stream.
    pub shards: u32,
    /// Records written to each shard during the run.
    pub records_per_shard: u32,
    /// Records written per second to each shard.
    pub records_per_s: f64,
    /// `BatchSize`.
    pub batch_size: u32,
    /// Records the function can never process, as (shard from 0, record number from 1).
    pub poison: Vec<(u32, u32)>,
    /// `BisectBatchOnFunctionError`.
    pub bisect: bool,
    /// `MaximumRetryAttempts` (−1 = until the record expires).
    pub max_retry_attempts: i64,
    /// `MaximumRecordAgeInSeconds` (−1 = until the record expires).
    pub max_record_age_s: i64,
    /// Whether an on-failure destination is configured.
    pub on_failure: bool,
    /// Seconds per invocation.
    pub function_duration_s: f64,
    /// Length of the run, seconds; `None` derives it from the other settings
    /// ([`run_length_s`]).
    pub sim_s: Option<f64>,
}

impl Default for KinesisConfig {
    fn default() -> Self {
        Self {
            shards: 2,
            records_per_shard: 12,
            records_per_s: 4.0,
            batch_size: 4,
            poison: vec![(0, 6)],
            bisect: false,
            max_retry_attempts: -1,
            max_record_age_s: -1,
            on_failure: false,
            function_duration_s: 1.0,
            sim_s: None,
        }
    }
}

const POISON_ACCEPTS: &str = "SHARD:RECORD pairs like 0:6 or 0:6,1:3 (shard from 0, record \
from 1), or none";

const POISON_ON_SHARDS: &str = "SHARD:RECORD pairs on shards the stream has (shard from 0 \
to shards − 1; set shards first), or none";

const SHARDS_ABOVE_POISON: &str = "an integer 1–8 that keeps every poisoned shard (shards are \
numbered from 0; change poison first)";

static KEYS: [KeyDoc; 11] = [
    KeyDoc {
        key: "shards",
        default: "2",
        accepts: "an integer 1–8",
        help: "shards in the stream",
        range: Some(Range::int(1, 8).slider(1.0, 4.0)),
    },
    KeyDoc {
        key: "records_per_shard",
        default: "12",
        accepts: "an integer 1–200",
        help: "records written to each shard",
        range: Some(Range::int(1, 200).slider(1.0, 24.0)),
    },
    KeyDoc {
        key: "records_per_s",
        default: "4",
        accepts: "records per second 0.1–1000",
        help: "how fast records are written to each shard",
        range: Some(Range::float(0.1, 1000.0).slider(0.1, 20.0).log()),
    },
    KeyDoc {
        key: "batch_size",
        default: "4",
        accepts: "an integer 1–10000",
        help: "BatchSize",
        range: Some(Range::int(1, 10_000).slider(1.0, 12.0)),
    },
    KeyDoc {
        key: "poison",
        default: "0:6",
        accepts: POISON_ACCEPTS,
        help: "records the function can never process",
        range: None,
    },
    KeyDoc {
        key: "bisect",
        default: "false",
        accepts: "true or false",
        help: "BisectBatchOnFunctionError",
        range: None,
    },
    KeyDoc {
        key: "max_retry_attempts",
        default: "-1",
        accepts: "-1 (no limit) or an integer 0–10000",
        help: "MaximumRetryAttempts",
        range: Some(Range::int(0, 10_000).slider(0.0, 20.0).on(2.0)),
    },
    KeyDoc {
        key: "max_record_age_s",
        default: "-1",
        accepts: "-1 (no limit) or seconds 60–604800",
        help: "MaximumRecordAgeInSeconds",
        range: Some(Range::int(60, 604_800).slider(60.0, 600.0).on(60.0)),
    },
    KeyDoc {
        key: "on_failure",
        default: "false",
        accepts: "true or false",
        help: "an on-failure destination is configured",
        range: None,
    },
    KeyDoc {
        key: "function_duration_s",
        default: "1",
        accepts: "seconds 0.1–900",
        help: "how long one invocation takes",
        range: Some(Range::float(0.1, 900.0)),
    },
    KeyDoc {
        key: "sim_s",
        default: "auto",
        accepts: "auto, or seconds 10–3600",
        help: "length of the run (auto: long enough for retry and age limits to act)",
        range: Some(Range::float(10.0, 3600.0)),
    },
];

impl Configurable for KinesisConfig {
    const NAME: &'static str = "kinesis";

    fn keys() -> &'static [KeyDoc] {
        &KEYS
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), SimError> {
        let int = || parse_int::<Self>(key, value);
        match key {
            "shards" => {
                let shards = int()? as u32;
                // A poisoned record on a shard the stream no longer has would be dropped silently.
                if self.poison.iter().any(|&(shard, _)| shard >= shards) {
                    return Err(bad(key, value, SHARDS_ABOVE_POISON));
                }
                self.shards = shards;
            }
            "records_per_shard" => self.records_per_shard = int()? as u32,
            "records_per_s" => self.records_per_s = parse_f64::<Self>(key, value)?,
            "batch_size" => self.batch_size = int()? as u32,
            "poison" => {
                let poison = parse_poison(key, value)?;
                if poison.iter().any(|&(shard, _)| shard >= self.shards) {
                    return Err(bad(key, value, POISON_ON_SHARDS));
                }
                self.poison = poison;
            }
            "bisect" => self.bisect = parse_bool::<Self>(key, value)?,
            // -1: no limit; otherwise the documented range.
            "max_retry_attempts" => {
                self.max_retry_attempts = if value.trim() == "-1" { -1 } else { int()? };
            }
            "max_record_age_s" => {
                self.max_record_age_s = if value.trim() == "-1" { -1 } else { int()? };
            }
            "on_failure" => self.on_failure = parse_bool::<Self>(key, value)?,
            "function_duration_s" => {
                self.function_duration_s = parse_f64::<Self>(key, value)?;
            }
            "sim_s" => {
                self.sim_s = if value.eq_ignore_ascii_case("auto") {
                    None
                } else {
                    Some(parse_f64::<Self>(key, value)?)
                }
            }
            _ => return Err(unknown::<Self>(key)),
        }
        Ok(())
    }
}

fn parse_poison(key: &str, value: &str) -> Result<Vec<(u32, u32)>, SimError> {
    if value.eq_ignore_ascii_case("none") || value.is_empty() {
        return Ok(Vec::new());
    }
    let mut out: Vec<(u32, u32)> = value
        .split(',')
        .map(|p| {
            let (s, r) = p.trim().split_once(':')?;
            let s: u32 = s.parse().ok()?;
            let r: u32 = r.parse().ok().filter(|r| *r >= 1)?;
            Some((s, r))
        })
        .collect::<Option<_>>()
        .ok_or_else(|| bad(key, value, POISON_ACCEPTS))?;
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// Why Lambda gave up on a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DiscardCondition {
    /// `MaximumRetryAttempts` reached.
    RetryAttemptsExhausted,
    /// `MaximumRecordAgeInSeconds` exceeded.
    RecordAgeExceeded,
}

/// Something that happened on a shard.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KinesisEvent {
    /// Lambda invoked the function with records `first..=last` of a shard.
    Invoke {
        /// Shard, from 0.
        shard: u32,
        /// First record number (from 1).
        first: u32,
        /// Last record number.
        last: u32,
        /// Retries of this batch so far (0 on the first try).
        retry: u32,
    },
    /// The batch succeeded and the shard's position moved past it.
    Processed {
        /// Shard.
        shard: u32,
        /// First record number.
        first: u32,
        /// Last record number.
        last: u32,
    },
    /// The function returned an error; the shard waits on this batch.
    Failed {
        /// Shard.
        shard: u32,
        /// First record number.
        first: u32,
        /// Last record number.
        last: u32,
    },
    /// The failed batch was split in two (does not count as a retry).
    Bisected {
        /// Shard.
        shard: u32,
        /// First half.
        left: (u32, u32),
        /// Second half.
        right: (u32, u32),
    },
    /// Lambda gave up on the batch and moved on.
    Discarded {
        /// Shard.
        shard: u32,
        /// First record number.
        first: u32,
        /// Last record number.
        last: u32,
        /// Why.
        condition: DiscardCondition,
        /// Age of the batch's oldest record when it was discarded, seconds.
        oldest_age_s: f64,
        /// Whether its records were ever handed to the function.
        attempted: bool,
        /// What the on-failure destination received (metadata only), if one is configured.
        #[serde(skip_serializing_if = "Option::is_none")]
        record: Option<serde_json::Value>,
    },
    /// Every record of the shard has been dealt with.
    ShardDone {
        /// Shard.
        shard: u32,
    },
    /// The run ended with the shard still stuck.
    StillBlocked {
        /// Shard.
        shard: u32,
        /// Record it is stuck on.
        at_record: u32,
    },
    /// The run ended before the shard was read to its end, without it being stuck.
    RunEnded {
        /// Shard.
        shard: u32,
        /// First record not yet processed.
        at_record: u32,
    },
}

impl Describe for KinesisEvent {
    fn describe(&self) -> String {
        match self {
            KinesisEvent::Invoke {
                shard,
                first,
                last,
                retry,
            } => {
                if *retry == 0 {
                    format!("shard {shard}: invoke with {}", range(*first, *last))
                } else {
                    format!("shard {shard}: retry {retry} of {}", range(*first, *last))
                }
            }
            KinesisEvent::Processed { shard, first, last } => {
                format!("shard {shard}: {} processed", range(*first, *last))
            }
            KinesisEvent::Failed { shard, first, last } => format!(
                "shard {shard}: {} failed: function error, shard waits",
                range(*first, *last)
            ),
            KinesisEvent::Bisected { shard, left, right } => format!(
                "shard {shard}: split into {}–{} and {}–{}",
                left.0, left.1, right.0, right.1
            ),
            KinesisEvent::Discarded {
                shard,
                first,
                last,
                condition,
                oldest_age_s,
                attempted,
                record,
            } => {
                let why = match condition {
                    DiscardCondition::RetryAttemptsExhausted => "retries exhausted".to_string(),
                    DiscardCondition::RecordAgeExceeded => {
                        let before = if *attempted {
                            ""
                        } else {
                            "before any attempt, "
                        };
                        format!(
                            "{before}records too old: the oldest was written {} ago, over \
                             MaximumRecordAgeInSeconds",
                            age_words(*oldest_age_s)
                        )
                    }
                };
                let to = if record.is_some() {
                    "details sent to the on-failure destination"
                } else {
                    "lost (no on-failure destination)"
                };
                format!(
                    "shard {shard}: {} discarded ({why}); {to}",
                    range(*first, *last)
                )
            }
            KinesisEvent::ShardDone { shard } => format!("shard {shard}: caught up"),
            KinesisEvent::StillBlocked { shard, at_record } => {
                format!("run ended: shard {shard} still blocked on record {at_record}")
            }
            KinesisEvent::RunEnded { shard, at_record } => {
                format!("run ended: shard {shard} not yet past record {at_record}")
            }
        }
    }
}

/// How long a run lasts: `sim_s` if set, otherwise long enough for every shard to get past its
/// failing records when a retry or age limit lets it (each failing batch, or with bisect each of
/// its halves, tried until `MaximumRetryAttempts` or `MaximumRecordAgeInSeconds` runs out), plus
/// a margin. With neither limit a failing record blocks its shard for good, and the run shows a
/// minute of retries. A run where every shard catches up ends sooner. Capped so a run makes at
/// most about 20,000 invocations per shard.
pub fn run_length_s(cfg: &KinesisConfig) -> f64 {
    if let Some(s) = cfg.sim_s {
        return s;
    }
    let dur = cfg.function_duration_s;
    let batches = f64::from(cfg.records_per_shard.div_ceil(cfg.batch_size.max(1)));
    // Writing the records, then reading them (with a poll a second after an empty read).
    let base = f64::from(cfg.records_per_shard) / cfg.records_per_s + (batches + 1.0) * (dur + 1.0);
    let poisons = (0..cfg.shards)
        .map(|s| {
            cfg.poison
                .iter()
                .filter(|(ps, r)| *ps == s && *r <= cfg.records_per_shard)
                .count()
        })
        .max()
        .unwrap_or(0) as f64;
    // Bisect tries a failing batch, then halves down to the bad record: about two pieces per
    // halving, each retried on its own.
    let pieces = if cfg.bisect {
        2.0 * f64::from(cfg.batch_size.max(1)).log2().ceil() + 1.0
    } else {
        1.0
    };
    let by_retries = (cfg.max_retry_attempts >= 0)
        .then_some((cfg.max_retry_attempts as f64 + 1.0) * dur * pieces);
    let by_age =
        (cfg.max_record_age_s >= 0).then_some(cfg.max_record_age_s as f64 + dur * (pieces + 1.0));
    let block = match (by_retries, by_age) {
        (Some(r), Some(a)) => r.min(a),
        (Some(x), None) | (None, Some(x)) => x,
        (None, None) => (5.0 * dur).max(60.0),
    };
    let need = base + poisons * block;
    (need * 1.1 + 10.0).ceil().min((20_000.0 * dur).max(3600.0))
}

/// Runs every shard until it catches up or the run's length ([`run_length_s`]) is over. No chance is involved; the seed is
/// accepted for a uniform interface.
pub fn simulate(cfg: &KinesisConfig, _seed: u64) -> Timeline<KinesisEvent> {
    let mut ev = Vec::new();
    let run_s = run_length_s(cfg);
    for shard in 0..cfg.shards {
        run_shard(cfg, shard, run_s, &mut ev);
    }
    // A run where every shard caught up ends shortly after the last event, not at `sim_s`.
    let blocked = ev.iter().any(|e| {
        matches!(
            e.event,
            KinesisEvent::StillBlocked { .. } | KinesisEvent::RunEnded { .. }
        )
    });
    let last = ev.iter().map(|e| e.at_s).fold(0.0, f64::max);
    let end = if blocked { run_s } else { last + 2.0 };
    Timeline::finish(ev, end)
}

/// When record `r` (from 1) of a shard is written: one every `1 / records_per_s` seconds, the
/// first one such interval after the start.
pub fn written_at(cfg: &KinesisConfig, record: u32) -> f64 {
    f64::from(record) / cfg.records_per_s
}

/// How many records of a shard have been written by `t_s`.
fn written_by(cfg: &KinesisConfig, t_s: f64) -> u32 {
    ((t_s * cfg.records_per_s + 1e-9).floor() as u32).min(cfg.records_per_shard)
}

fn run_shard(cfg: &KinesisConfig, shard: u32, run_s: f64, ev: &mut Vec<Timed<KinesisEvent>>) {
    let poison: BTreeSet<u32> = cfg
        .poison
        .iter()
        .filter(|(s, _)| *s == shard)
        .map(|(_, r)| *r)
        .collect();
    let n = cfg.records_per_shard;
    let mut next = 1u32; // first record not yet handed out
    // Pending ranges from bisection and retries, processed in order: (first, last, retries so
    // far). Everything pending has been tried at least once.
    let mut pending: Vec<(u32, u32, u32)> = Vec::new();
    let mut t = 0.0;
    loop {
        let popped = pending.pop();
        let attempted = popped.is_some();
        let (first, last, retry) = match popped {
            Some(r) => r,
            None if next <= n => {
                let written = written_by(cfg, t);
                if written < next {
                    // Nothing new in the shard yet: the poller looks again a second later.
                    if t + 1.0 > run_s {
                        ev.push(Timed::new(
                            run_s,
                            KinesisEvent::RunEnded {
                                shard,
                                at_record: next,
                            },
                        ));
                        return;
                    }
                    t += 1.0;
                    continue;
                }
                let last = (next + cfg.batch_size - 1).min(written);
                (next, last, 0)
            }
            None => {
                ev.push(Timed::new(t, KinesisEvent::ShardDone { shard }));
                return;
            }
        };
        if t >= run_s {
            let event = if attempted {
                KinesisEvent::StillBlocked {
                    shard,
                    at_record: first,
                }
            } else {
                KinesisEvent::RunEnded {
                    shard,
                    at_record: first,
                }
            };
            ev.push(Timed::new(run_s, event));
            return;
        }
        // A batch's age is the age of its oldest record, the first one.
        let age = t - written_at(cfg, first);
        if cfg.max_record_age_s >= 0 && age > cfg.max_record_age_s as f64 {
            discard(
                cfg,
                Batch {
                    shard,
                    first,
                    last,
                    invokes: retry,
                    attempted,
                },
                DiscardCondition::RecordAgeExceeded,
                t,
                ev,
            );
            next = next.max(last + 1);
            continue;
        }
        ev.push(Timed::new(
            t,
            KinesisEvent::Invoke {
                shard,
                first,
                last,
                retry,
            },
        ));
        t += cfg.function_duration_s;
        let fails = (first..=last).any(|r| poison.contains(&r));
        if !fails {
            ev.push(Timed::new(
                t,
                KinesisEvent::Processed { shard, first, last },
            ));
            next = next.max(last + 1);
            continue;
        }
        ev.push(Timed::new(t, KinesisEvent::Failed { shard, first, last }));
        if cfg.bisect && last > first {
            let mid = first + (last - first) / 2;
            ev.push(Timed::new(
                t,
                KinesisEvent::Bisected {
                    shard,
                    left: (first, mid),
                    right: (mid + 1, last),
                },
            ));
            // Stack: push the right half first so the left half (older records) goes next.
            pending.push((mid + 1, last, retry));
            pending.push((first, mid, retry));
            next = next.max(last + 1);
            continue;
        }
        let retries = retry + 1;
        if cfg.max_retry_attempts >= 0 && i64::from(retries) > cfg.max_retry_attempts {
            discard(
                cfg,
                Batch {
                    shard,
                    first,
                    last,
                    invokes: retries,
                    attempted: true,
                },
                DiscardCondition::RetryAttemptsExhausted,
                t,
                ev,
            );
            next = next.max(last + 1);
            continue;
        }
        pending.push((first, last, retries));
        next = next.max(last + 1);
    }
}

/// A batch Lambda gives up on.
struct Batch {
    shard: u32,
    first: u32,
    last: u32,
    /// Invocations so far (`approximateInvokeCount`).
    invokes: u32,
    /// Whether its records were ever handed to the function.
    attempted: bool,
}

fn discard(
    cfg: &KinesisConfig,
    b: Batch,
    condition: DiscardCondition,
    t: f64,
    ev: &mut Vec<Timed<KinesisEvent>>,
) {
    let Batch {
        shard,
        first,
        last,
        invokes,
        attempted,
    } = b;
    let record = cfg.on_failure.then(|| {
        serde_json::json!({
            "requestContext": {
                "condition": condition,
                "approximateInvokeCount": invokes,
            },
            "KinesisBatchInfo": {
                "shardId": format!("shardId-{shard:012}"),
                "startSequenceNumber": sequence_number(shard, first),
                "endSequenceNumber": sequence_number(shard, last),
                "batchSize": last - first + 1,
                "streamArn": "arn:aws:kinesis:us-east-1:123456789012:stream/orders",
            }
        })
    });
    ev.push(Timed::new(
        t,
        KinesisEvent::Discarded {
            shard,
            first,
            last,
            condition,
            oldest_age_s: t - written_at(cfg, first),
            attempted,
            record,
        },
    ));
}

/// What a record looks like at some moment, for drawing a shard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordState {
    /// Not yet written to the stream.
    NotWritten,
    /// Written, not yet handed to the function.
    Pending,
    /// In the batch being processed right now.
    InBatch,
    /// In a batch that failed and is waiting to be retried.
    Failing,
    /// Processed successfully.
    Processed,
    /// Given up on (described to the on-failure destination, if any).
    Discarded,
}

/// The state of every record of every shard at time `t_s` (`[shard][record - 1]`).
pub fn record_states(
    tl: &Timeline<KinesisEvent>,
    cfg: &KinesisConfig,
    t_s: f64,
) -> Vec<Vec<RecordState>> {
    let mut out =
        vec![vec![RecordState::Pending; cfg.records_per_shard as usize]; cfg.shards as usize];
    let mut mark = |shard: u32, first: u32, last: u32, st: RecordState| {
        if let Some(row) = out.get_mut(shard as usize) {
            for r in first..=last {
                if let Some(c) = row.get_mut(r as usize - 1) {
                    *c = st;
                }
            }
        }
    };
    for e in tl.until(t_s) {
        match e.event {
            KinesisEvent::Invoke {
                shard, first, last, ..
            } => mark(shard, first, last, RecordState::InBatch),
            KinesisEvent::Processed { shard, first, last } => {
                mark(shard, first, last, RecordState::Processed)
            }
            KinesisEvent::Failed { shard, first, last } => {
                mark(shard, first, last, RecordState::Failing)
            }
            KinesisEvent::Discarded {
                shard, first, last, ..
            } => mark(shard, first, last, RecordState::Discarded),
            _ => {}
        }
    }
    for row in &mut out {
        for (i, c) in row.iter_mut().enumerate() {
            if *c == RecordState::Pending && written_at(cfg, i as u32 + 1) > t_s + 1e-9 {
                *c = RecordState::NotWritten;
            }
        }
    }
    out
}

/// "61 s" or "61.3 s".
fn age_words(s: f64) -> String {
    let tenths = (s * 10.0).round() / 10.0;
    if tenths.fract() == 0.0 {
        format!("{tenths:.0} s")
    } else {
        format!("{tenths:.1} s")
    }
}

fn range(first: u32, last: u32) -> String {
    if first == last {
        format!("record {first}")
    } else {
        format!("records {first}–{last}")
    }
}

fn sequence_number(shard: u32, record: u32) -> String {
    format!("4959{shard:02}{record:08}")
}

/// How many times each record of a shard was handed to the function (records from 1).
pub fn deliveries(tl: &Timeline<KinesisEvent>, shard: u32, records: u32) -> Vec<u32> {
    let mut out = vec![0; records as usize];
    for e in &tl.events {
        if let KinesisEvent::Invoke {
            shard: s,
            first,
            last,
            ..
        } = e.event
            && s == shard
        {
            for r in first..=last {
                if let Some(c) = out.get_mut(r as usize - 1) {
                    *c += 1;
                }
            }
        }
    }
    out
}

impl super::Model for KinesisConfig {
    type Event = KinesisEvent;

    fn simulate(&self, seed: u64) -> Timeline<KinesisEvent> {
        simulate(self, seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(settings: &[(&str, &str)]) -> KinesisConfig {
        crate::sim::with(settings)
    }

    fn processed(tl: &Timeline<KinesisEvent>, shard: u32) -> Vec<(u32, u32)> {
        tl.events
            .iter()
            .filter_map(|e| match e.event {
                KinesisEvent::Processed {
                    shard: s,
                    first,
                    last,
                } if s == shard => Some((first, last)),
                _ => None,
            })
            .collect()
    }

    /// With the defaults (-1, -1) a failing record blocks its shard; other shards carry on.
    #[test]
    fn poison_blocks_its_shard_only() {
        let tl = simulate(&KinesisConfig::default(), 1);
        assert_eq!(processed(&tl, 0), vec![(1, 4)]);
        assert_eq!(processed(&tl, 1), vec![(1, 4), (5, 8), (9, 12)]);
        assert!(tl.events.iter().any(|e| e.event
            == KinesisEvent::StillBlocked {
                shard: 0,
                at_record: 5
            }));
    }

    #[test]
    fn records_in_a_shard_are_processed_in_order() {
        let tl = simulate(&with(&[("poison", "none"), ("shards", "3")]), 1);
        for s in 0..3 {
            let p = processed(&tl, s);
            assert!(p.windows(2).all(|w| w[0].1 < w[1].0));
            assert_eq!(p.last().map(|x| x.1), Some(12));
        }
    }

    #[test]
    fn max_retry_attempts_discards_the_whole_batch() {
        let tl = simulate(
            &with(&[("max_retry_attempts", "2"), ("on_failure", "true")]),
            1,
        );
        // first try + 2 retries of records 5–8, then discarded, then 9–12 processed
        assert_eq!(deliveries(&tl, 0, 12)[4..8], [3, 3, 3, 3]);
        assert_eq!(processed(&tl, 0), vec![(1, 4), (9, 12)]);
        let rec = tl
            .events
            .iter()
            .find_map(|e| match &e.event {
                KinesisEvent::Discarded {
                    record: Some(r), ..
                } => Some(r.clone()),
                _ => None,
            })
            .expect("on-failure record");
        assert_eq!(rec["KinesisBatchInfo"]["batchSize"], 4);
        assert_eq!(rec["requestContext"]["condition"], "RetryAttemptsExhausted");
    }

    /// Bisect isolates the bad record: its batch-mates get processed, only record 6 is discarded.
    #[test]
    fn bisect_isolates_the_bad_record() {
        let tl = simulate(&with(&[("bisect", "true"), ("max_retry_attempts", "1")]), 1);
        let discarded: Vec<(u32, u32)> = tl
            .events
            .iter()
            .filter_map(|e| match e.event {
                KinesisEvent::Discarded { first, last, .. } => Some((first, last)),
                _ => None,
            })
            .collect();
        assert_eq!(discarded, vec![(6, 6)]);
        let p = processed(&tl, 0);
        for r in [5, 7, 8, 9, 12] {
            assert!(p.iter().any(|(a, b)| (*a..=*b).contains(&r)), "record {r}");
        }
    }

    #[test]
    fn max_record_age_ends_the_block() {
        let tl = simulate(&with(&[("max_record_age_s", "60")]), 1);
        assert!(tl.events.iter().any(|e| matches!(
            e.event,
            KinesisEvent::Discarded {
                condition: DiscardCondition::RecordAgeExceeded,
                ..
            }
        )));
        assert!(
            tl.events
                .iter()
                .any(|e| e.event == KinesisEvent::ShardDone { shard: 0 })
        );
    }

    /// The run lasts long enough for the longest age limit the screen offers (600 s) and the
    /// longest retry limit it offers (20, with bisect) to unblock the shard.
    #[test]
    fn run_length_lets_the_limits_act() {
        for settings in [
            &[("max_record_age_s", "600")][..],
            &[("max_retry_attempts", "20"), ("bisect", "true")][..],
            &[("max_record_age_s", "600"), ("function_duration_s", "7")][..],
        ] {
            let tl = simulate(&with(settings), 1);
            assert!(
                tl.events
                    .iter()
                    .any(|e| matches!(e.event, KinesisEvent::Discarded { .. })),
                "{settings:?}"
            );
            assert!(
                tl.events
                    .iter()
                    .any(|e| e.event == KinesisEvent::ShardDone { shard: 0 }),
                "{settings:?}"
            );
            assert!(
                !tl.events
                    .iter()
                    .any(|e| matches!(e.event, KinesisEvent::StillBlocked { .. })),
                "{settings:?}"
            );
        }
        // without limits the shard stays blocked and the run says so at its end
        let tl = simulate(&KinesisConfig::default(), 1);
        let last = tl.events.last().expect("events");
        assert_eq!(last.at_s, tl.end_s);
        assert!(matches!(
            last.event,
            KinesisEvent::StillBlocked { shard: 0, .. }
        ));
    }

    /// Records are written over time, so a record's age counts from its own write: the first
    /// read finds the records written in the first second, and a record not yet written is
    /// drawn as such.
    #[test]
    fn records_arrive_over_time() {
        let tl = simulate(&with(&[("poison", "none")]), 1);
        let first = tl
            .events
            .iter()
            .find(|e| matches!(e.event, KinesisEvent::Invoke { .. }))
            .expect("an invoke");
        assert_eq!(
            first.at_s, 1.0,
            "nothing written at 0 s; the next poll is at 1 s"
        );
        assert_eq!(
            first.event,
            KinesisEvent::Invoke {
                shard: 0,
                first: 1,
                last: 4,
                retry: 0
            }
        );
        let cfg = with(&[("poison", "none"), ("records_per_s", "1")]);
        let tl = simulate(&cfg, 1);
        assert_eq!(processed(&tl, 0)[..3], [(1, 1), (2, 2), (3, 3)]);
        let states = record_states(&tl, &cfg, 2.5);
        assert_eq!(states[0][0], RecordState::Processed);
        assert_eq!(states[0][1], RecordState::InBatch);
        assert_eq!(states[0][2], RecordState::NotWritten, "written at 3 s");
    }

    /// With a blocked batch discarded for age, the records written after it are younger and get
    /// processed; when they too have waited past the limit, the log says they were discarded
    /// before any attempt and how old they were.
    #[test]
    fn records_behind_a_blocked_batch_are_discarded_only_when_really_too_old() {
        let tl = simulate(&with(&[("max_record_age_s", "60")]), 1);
        let discarded: Vec<(u32, u32)> = tl
            .events
            .iter()
            .filter_map(|e| match e.event {
                KinesisEvent::Discarded {
                    shard: 0,
                    first,
                    last,
                    ..
                } => Some((first, last)),
                _ => None,
            })
            .collect();
        assert_eq!(discarded, vec![(5, 8)]);
        assert_eq!(processed(&tl, 0), vec![(1, 4), (9, 12)]);

        // Each try takes 3 s, so by the time 5–8 is given up, 9–12 have waited over 60 s.
        let tl = simulate(
            &with(&[("max_record_age_s", "60"), ("function_duration_s", "3")]),
            1,
        );
        let lines: Vec<String> = tl
            .events
            .iter()
            .filter(|e| matches!(e.event, KinesisEvent::Discarded { .. }))
            .map(|e| e.event.describe())
            .collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(!lines[0].contains("before any attempt"), "{}", lines[0]);
        assert_eq!(
            lines[1],
            "shard 0: records 9–12 discarded (before any attempt, records too old: the oldest \
             was written 61.8 s ago, over MaximumRecordAgeInSeconds); lost (no on-failure \
             destination)"
        );
    }

    #[test]
    fn concurrency_is_shards_times_factor() {
        assert_eq!(max_concurrency(4, 10), 40);
        assert_eq!(max_concurrency(4, 1), 4);
    }

    /// `--set poison=8:1` on a 2-shard stream named a record that does not exist: refused,
    /// in either order of the settings, with nothing changed.
    #[test]
    fn poison_on_a_missing_shard_is_refused() {
        let mut cfg = KinesisConfig::default();
        assert!(matches!(
            cfg.set("poison", "8:1"),
            Err(SimError::BadValue { .. })
        ));
        assert_eq!(cfg.poison, vec![(0, 6)]);
        cfg.set("shards", "4").expect("4 shards");
        cfg.set("poison", "3:1").expect("shard 3 of 4");
        assert!(matches!(
            cfg.set("shards", "2"),
            Err(SimError::BadValue { .. })
        ));
        assert_eq!(cfg.shards, 4);
        assert!(crate::sim::run("kinesis", &["poison=8:1".into()], 1).is_err());
        assert!(crate::sim::run("kinesis", &["shards=2".into(), "poison=1:3".into()], 1).is_ok());
    }
}
