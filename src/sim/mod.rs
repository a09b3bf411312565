//! Simulators: one pure model per Lambda behaviour the exams ask about.
//!
//! Each model takes a configuration and a seed and returns a timeline of timestamped events,
//! the same timeline for the same inputs. The UI only draws these timelines, the CLI prints them
//! as JSON, and the quiz asks the models for numbers to build generated questions. Nothing here
//! knows about egui, SQL or wall-clock time: "time" is simulated seconds since the start.
//!
//! Every configuration can be edited through `key=value` pairs ([`Configurable`]), which is how
//! `coldstart sim NAME --set key=value` works and how the screens stay in step with the CLI.

pub mod concurrency;
pub mod kinesis;
pub mod retry;
pub mod sqs;
pub mod traffic;

use serde::Serialize;

/// One thing that happened at a moment of simulated time.
///
/// The event's own fields are flattened beside `at_s`, so JSON reads
/// `{"at_s": 60.0, "kind": "attempt", ...}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timed<E> {
    /// Seconds since the simulation started.
    pub at_s: f64,
    /// What happened.
    #[serde(flatten)]
    pub event: E,
}

impl<E> Timed<E> {
    /// Pairs an event with the moment it happened.
    pub fn new(at_s: f64, event: E) -> Self {
        Self { at_s, event }
    }
}

/// A simulation's result: its events in time order and the moment the picture should end.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline<E> {
    /// Events sorted by `at_s` (simultaneous events keep the order they happened in).
    pub events: Vec<Timed<E>>,
    /// Simulated seconds the scrub bar should span (at least the last event).
    pub end_s: f64,
}

impl<E> Timeline<E> {
    /// Sorts the events and makes `end_s` cover the last one.
    pub(crate) fn finish(mut events: Vec<Timed<E>>, end_s: f64) -> Self {
        sort_events(&mut events);
        let last = events.last().map_or(0.0, |e| e.at_s);
        Self {
            events,
            end_s: end_s.max(last),
        }
    }

    /// Events that have happened by simulated time `t_s` (for the screens' playback).
    pub fn until(&self, t_s: f64) -> &[Timed<E>] {
        let n = self.events.partition_point(|e| e.at_s <= t_s);
        &self.events[..n]
    }
}

/// Lets a screen or the CLI print an event as one plain sentence for the event log.
pub trait Describe {
    /// A short sentence without the timestamp, e.g. "attempt 2 failed: function error".
    fn describe(&self) -> String;
}

/// Why a `key=value` setting was refused; the message names the key and what it accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimError {
    /// The simulator has no setting with this name.
    #[error("unknown key `{key}` for simulator {sim}; keys: {known}")]
    UnknownKey {
        /// Simulator name.
        sim: &'static str,
        /// The key as given.
        key: String,
        /// Comma-separated list of the keys it does have.
        known: String,
    },
    /// The value could not be parsed or is out of range.
    #[error("bad value `{value}` for `{key}`: accepts {accepts}")]
    BadValue {
        /// The key as given.
        key: String,
        /// The value as given.
        value: String,
        /// What the key accepts, in words.
        accepts: &'static str,
    },
    /// A `--set` argument without `=`.
    #[error("`{0}` is not key=value")]
    NotKeyValue(String),
    /// The simulator name is not one of ours.
    #[error("unknown simulator `{0}`; choose one of: {names}", names = NAMES.join(", "))]
    UnknownSim(String),
}

/// Documentation for one configurable key, used for `--help` and to build error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyDoc {
    /// The key as typed after `--set`.
    pub key: &'static str,
    /// The default value, as it would be typed.
    pub default: &'static str,
    /// What the key accepts, in words (also used in error messages).
    pub accepts: &'static str,
    /// One line on what the setting does.
    pub help: &'static str,
}

/// A configuration that can be changed one `key=value` pair at a time.
pub trait Configurable: Default + Serialize {
    /// Simulator name, as typed on the command line.
    const NAME: &'static str;
    /// Every key with its default and accepted values.
    fn keys() -> &'static [KeyDoc];
    /// Applies one setting; refuses unknown keys and bad values without changing anything.
    fn set(&mut self, key: &str, value: &str) -> Result<(), SimError>;
}

/// The simulator names accepted by `coldstart sim NAME`.
pub const NAMES: [&str; 5] = ["retry", "traffic", "concurrency", "sqs", "kinesis"];

/// Looks up the key documentation of a simulator by name.
pub fn keys_for(name: &str) -> Result<&'static [KeyDoc], SimError> {
    Ok(match name {
        "retry" => retry::RetryConfig::keys(),
        "traffic" => traffic::TrafficConfig::keys(),
        "concurrency" => concurrency::ConcurrencyConfig::keys(),
        "sqs" => sqs::SqsConfig::keys(),
        "kinesis" => kinesis::KinesisConfig::keys(),
        other => return Err(SimError::UnknownSim(other.to_string())),
    })
}

/// A finished run, ready to print: the JSON document and the plain-words event log.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOutput {
    /// `{"sim": NAME, "config": {...}, "events": [...]}`, pretty-printed, keys in that order
    /// (and the config's and events' fields in the order their types declare them).
    pub json: String,
    /// One line per event, `"00:01:00 event 1: attempt 2 failed: function error"`.
    pub log: Vec<String>,
}

/// Builds a configuration from `key=value` strings and runs the named simulator. Used by the CLI
/// and by tests; the screens hold typed configurations instead.
pub fn run(name: &str, settings: &[String], seed: u64) -> Result<RunOutput, SimError> {
    fn configure<C: Configurable>(settings: &[String]) -> Result<C, SimError> {
        let mut cfg = C::default();
        for s in settings {
            let (k, v) = s
                .split_once('=')
                .ok_or_else(|| SimError::NotKeyValue(s.clone()))?;
            cfg.set(k.trim(), v.trim())?;
        }
        Ok(cfg)
    }
    /// The JSON document. A struct, not a `serde_json::Value`: a `Value`'s map sorts its keys,
    /// while a struct serializes its fields in declaration order.
    #[derive(Serialize)]
    struct Doc<'a, C, E> {
        sim: &'static str,
        config: &'a C,
        events: &'a [Timed<E>],
    }
    fn output<C: Configurable, E: Serialize + Describe>(cfg: &C, tl: &Timeline<E>) -> RunOutput {
        let doc = Doc {
            sim: C::NAME,
            config: cfg,
            events: &tl.events,
        };
        RunOutput {
            // Our configs and events always serialize; a failure here would be a bug.
            json: serde_json::to_string_pretty(&doc)
                .unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }).to_string()),
            log: tl.events.iter().map(log_line).collect(),
        }
    }
    match name {
        "retry" => {
            let c: retry::RetryConfig = configure(settings)?;
            Ok(output(&c, &retry::simulate(&c, seed)))
        }
        "traffic" => {
            let c: traffic::TrafficConfig = configure(settings)?;
            Ok(output(&c, &traffic::simulate(&c, seed)))
        }
        "concurrency" => {
            let c: concurrency::ConcurrencyConfig = configure(settings)?;
            Ok(output(&c, &concurrency::simulate(&c, seed)))
        }
        "sqs" => {
            let c: sqs::SqsConfig = configure(settings)?;
            Ok(output(&c, &sqs::simulate(&c, seed)))
        }
        "kinesis" => {
            let c: kinesis::KinesisConfig = configure(settings)?;
            Ok(output(&c, &kinesis::simulate(&c, seed)))
        }
        other => Err(SimError::UnknownSim(other.to_string())),
    }
}

/// Formats simulated seconds as `HH:MM:SS` (with tenths when not whole), for event logs.
pub fn clock(at_s: f64) -> String {
    let at = at_s.max(0.0);
    let whole = at.floor();
    let total = whole as u64;
    let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
    let tenths = ((at - whole) * 10.0).round() as u64;
    if tenths == 0 || tenths == 10 {
        format!("{h:02}:{m:02}:{s:02}")
    } else {
        format!("{h:02}:{m:02}:{s:02}.{tenths}")
    }
}

/// One log line: `"00:01:00 attempt 2 failed: function error"`.
pub fn log_line<E: Describe>(ev: &Timed<E>) -> String {
    format!("{} {}", clock(ev.at_s), ev.event.describe())
}

// ----- helpers for `Configurable::set` implementations -----

pub(crate) fn bad(key: &str, value: &str, accepts: &'static str) -> SimError {
    SimError::BadValue {
        key: key.to_string(),
        value: value.to_string(),
        accepts,
    }
}

pub(crate) fn unknown<C: Configurable>(key: &str) -> SimError {
    SimError::UnknownKey {
        sim: C::NAME,
        key: key.to_string(),
        known: C::keys()
            .iter()
            .map(|k| k.key)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The `accepts` text of a key, so error messages and `--help` never disagree.
pub(crate) fn accepts<C: Configurable>(key: &str) -> &'static str {
    C::keys()
        .iter()
        .find(|k| k.key == key)
        .map(|k| k.accepts)
        .unwrap_or("a valid value")
}

pub(crate) fn parse_int<C: Configurable>(
    key: &str,
    value: &str,
    lo: i64,
    hi: i64,
) -> Result<i64, SimError> {
    match value.parse::<i64>() {
        Ok(v) if (lo..=hi).contains(&v) => Ok(v),
        _ => Err(bad(key, value, accepts::<C>(key))),
    }
}

pub(crate) fn parse_f64<C: Configurable>(
    key: &str,
    value: &str,
    lo: f64,
    hi: f64,
) -> Result<f64, SimError> {
    match value.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= lo && v <= hi => Ok(v),
        _ => Err(bad(key, value, accepts::<C>(key))),
    }
}

pub(crate) fn parse_bool<C: Configurable>(key: &str, value: &str) -> Result<bool, SimError> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "on" | "yes" | "1" => Ok(true),
        "false" | "off" | "no" | "0" => Ok(false),
        _ => Err(bad(key, value, accepts::<C>(key))),
    }
}

/// A seeded RNG; every model that needs chance draws from one of these so runs are repeatable.
pub(crate) fn rng(seed: u64) -> rand::rngs::StdRng {
    use rand::SeedableRng;
    rand::rngs::StdRng::seed_from_u64(seed)
}

/// Sorts events by time, keeping the order in which simultaneous events were produced.
pub(crate) fn sort_events<E>(events: &mut [Timed<E>]) {
    events.sort_by(|a, b| a.at_s.total_cmp(&b.at_s));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_formats_hours_minutes_seconds() {
        assert_eq!(clock(0.0), "00:00:00");
        assert_eq!(clock(60.0), "00:01:00");
        assert_eq!(clock(3723.0), "01:02:03");
        assert_eq!(clock(1.5), "00:00:01.5");
    }

    /// The document reads sim, config, events in that order, and a config's keys come in the
    /// order of its fields, not sorted.
    #[test]
    fn json_keys_keep_their_order() {
        let out = run("retry", &[], 1).expect("runs");
        let sim = out.json.find("\"sim\"").expect("sim");
        let config = out.json.find("\"config\"").expect("config");
        let events = out.json.find("\"events\"").expect("events");
        assert!(sim < config && config < events, "{}", out.json);
        let first_key = out.json.find("\"max_retry_attempts\"").expect("key");
        let later_key = out.json.find("\"burst\"").expect("key");
        assert!(first_key < later_key, "fields in declaration order");
        let v: serde_json::Value = serde_json::from_str(&out.json).expect("valid JSON");
        assert_eq!(v["sim"], "retry");
    }

    #[test]
    fn unknown_sim_is_refused() {
        assert!(matches!(run("nope", &[], 1), Err(SimError::UnknownSim(_))));
    }
}
