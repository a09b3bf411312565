//! Simulators: one pure model per Lambda behaviour the exams ask about.
//!
//! Each model takes a configuration and a seed and returns a timeline of timestamped events,
//! the same timeline for the same inputs. The UI only draws these timelines, the CLI prints them
//! as JSON, and the quiz asks the models for numbers to build generated questions. Nothing here
//! knows about egui, SQL or wall-clock time: "time" is simulated seconds since the start.
//!
//! Every configuration can be edited through `key=value` pairs ([`Configurable`]), which is how
//! `coldstart sim NAME --set key=value` works and how the screens stay in step with the CLI.
//!
//! [`Kind`] and its registry are the one list of simulators: note validation, a pack's
//! `simulators = [...]`, the Simulators screen, `coldstart sim` and its `--help` all read it.
//! Adding a simulator is one model file (its config implements [`Model`]), one view and one
//! line in [`REGISTRY`].

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
    #[error("unknown simulator `{0}`; choose one of: {names}", names = Kind::names().join(", "))]
    UnknownSim(String),
}

/// Documentation for one configurable key, used for `--help` and to build error messages.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeyDoc {
    /// The key as typed after `--set`.
    pub key: &'static str,
    /// The default value, as it would be typed.
    pub default: &'static str,
    /// What the key accepts, in words (also used in error messages).
    pub accepts: &'static str,
    /// One line on what the setting does.
    pub help: &'static str,
    /// For a numeric key, the numbers it accepts and what a screen's slider offers; `None` for
    /// the others.
    pub range: Option<Range>,
}

impl KeyDoc {
    /// The default as a number, if it is one (`none`, `auto` and words are not).
    pub fn default_number(&self) -> Option<f64> {
        self.default.parse().ok()
    }
}

/// The numbers a key accepts, and the part of them a screen's slider or drag field offers.
///
/// The one place each range is written: `Configurable::set` refuses values outside
/// `min..=max`, and the screens build their sliders from `slider`, `step` and `log`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    /// Smallest value accepted.
    pub min: f64,
    /// Largest value accepted.
    pub max: f64,
    /// The ends of the screen's slider: the span that keeps the picture readable (the CLI
    /// accepts all of `min..=max`).
    pub slider: (f64, f64),
    /// 1 for whole numbers, 0 for any value.
    pub step: f64,
    /// Whether the slider moves on a logarithmic scale.
    pub log: bool,
    /// For a setting that is off by default (`none`, `-1`, `auto`): the value a screen starts
    /// from when the learner switches it on.
    pub on: Option<f64>,
}

impl Range {
    /// Whole numbers `min..=max`, the slider over all of them.
    pub const fn int(min: i64, max: i64) -> Self {
        Self {
            min: min as f64,
            max: max as f64,
            slider: (min as f64, max as f64),
            step: 1.0,
            log: false,
            on: None,
        }
    }

    /// Any number `min..=max`, the slider over all of it.
    pub const fn float(min: f64, max: f64) -> Self {
        Self {
            min,
            max,
            slider: (min, max),
            step: 0.0,
            log: false,
            on: None,
        }
    }

    /// The slider offers only `lo..=hi`.
    pub const fn slider(self, lo: f64, hi: f64) -> Self {
        Self {
            slider: (lo, hi),
            ..self
        }
    }

    /// The slider moves on a logarithmic scale.
    pub const fn log(self) -> Self {
        Self { log: true, ..self }
    }

    /// Switching the setting on starts from `v`.
    pub const fn on(self, v: f64) -> Self {
        Self {
            on: Some(v),
            ..self
        }
    }

    /// Whether `v` is accepted.
    pub fn contains(&self, v: f64) -> bool {
        v >= self.min && v <= self.max
    }
}

/// The range of a simulator's numeric key (`None` for an unknown or non-numeric key).
pub fn range(kind: Kind, key: &str) -> Option<Range> {
    kind.keys()
        .iter()
        .find(|k| k.key == key)
        .and_then(|k| k.range)
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

/// A configuration that can be simulated: the model behind one simulator.
pub trait Model: Configurable {
    /// What happens, one event at a time.
    type Event: Serialize + Describe;
    /// Runs the model; the same config and seed always give the same timeline.
    fn simulate(&self, seed: u64) -> Timeline<Self::Event>;
}

/// One simulator. The order of [`Kind::ALL`] is the order the screen and `--help` list them in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Asynchronous invocation: retries, maximum event age, destinations.
    Retry,
    /// CodeDeploy traffic shifting between two versions.
    Traffic,
    /// Concurrency, reservations and throttling.
    Concurrency,
    /// An SQS event source mapping.
    Sqs,
    /// A Kinesis event source mapping.
    Kinesis,
}

/// What the registry knows about one simulator.
pub struct Entry {
    /// Which simulator.
    pub kind: Kind,
    /// The name typed in `coldstart sim NAME`, a note's `simulator = "..."` and a pack's
    /// `simulators = [...]`.
    pub name: &'static str,
    /// How the screen names it.
    pub title: &'static str,
    /// The id of the question generator built on this model (`quiz::generate`), if any.
    pub generator: Option<&'static str>,
    keys: fn() -> &'static [KeyDoc],
    run: fn(&[String], u64) -> Result<RunOutput, SimError>,
}

/// Every simulator, once.
pub const REGISTRY: [Entry; 5] = [
    entry::<retry::RetryConfig>(Kind::Retry, "Async retries", Some("async-retries")),
    entry::<traffic::TrafficConfig>(Kind::Traffic, "Traffic shifting", Some("traffic-shift")),
    entry::<concurrency::ConcurrencyConfig>(Kind::Concurrency, "Concurrency", Some("concurrency")),
    entry::<sqs::SqsConfig>(Kind::Sqs, "SQS event source mapping", None),
    entry::<kinesis::KinesisConfig>(Kind::Kinesis, "Kinesis event source mapping", None),
];

const fn entry<C: Model>(
    kind: Kind,
    title: &'static str,
    generator: Option<&'static str>,
) -> Entry {
    Entry {
        kind,
        name: C::NAME,
        title,
        generator,
        keys: C::keys,
        run: run_model::<C>,
    }
}

impl Kind {
    /// Every simulator, in registry order.
    pub const ALL: [Kind; 5] = [
        Kind::Retry,
        Kind::Traffic,
        Kind::Concurrency,
        Kind::Sqs,
        Kind::Kinesis,
    ];

    fn entry(self) -> &'static Entry {
        // The registry lists the kinds in `ALL`'s order (a test checks it).
        &REGISTRY[self as usize]
    }

    /// The name as typed: `retry`, `traffic`, `concurrency`, `sqs`, `kinesis`.
    pub fn name(self) -> &'static str {
        self.entry().name
    }

    /// How the screen names it.
    pub fn title(self) -> &'static str {
        self.entry().title
    }

    /// The id of the question generator built on this model, if there is one.
    pub fn generator(self) -> Option<&'static str> {
        self.entry().generator
    }

    /// The simulator with this name.
    pub fn parse(name: &str) -> Option<Kind> {
        REGISTRY.iter().find(|e| e.name == name).map(|e| e.kind)
    }

    /// Every name, in registry order.
    pub fn names() -> Vec<&'static str> {
        REGISTRY.iter().map(|e| e.name).collect()
    }

    /// Every setting with its default and accepted values.
    pub fn keys(self) -> &'static [KeyDoc] {
        (self.entry().keys)()
    }

    /// Builds a configuration from `key=value` strings and runs the simulator.
    pub fn run(self, settings: &[String], seed: u64) -> Result<RunOutput, SimError> {
        (self.entry().run)(settings, seed)
    }
}

/// The ids of every question generator, in registry order: what a pack's `[generators]` may
/// name.
pub fn generator_ids() -> Vec<&'static str> {
    REGISTRY.iter().filter_map(|e| e.generator).collect()
}

/// Looks up the key documentation of a simulator by name.
pub fn keys_for(name: &str) -> Result<&'static [KeyDoc], SimError> {
    Kind::parse(name)
        .map(Kind::keys)
        .ok_or_else(|| SimError::UnknownSim(name.to_string()))
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
    Kind::parse(name)
        .ok_or_else(|| SimError::UnknownSim(name.to_string()))?
        .run(settings, seed)
}

/// A configuration from its defaults and `key=value` strings.
pub fn configure<C: Configurable>(settings: &[String]) -> Result<C, SimError> {
    let mut cfg = C::default();
    for s in settings {
        let (k, v) = s
            .split_once('=')
            .ok_or_else(|| SimError::NotKeyValue(s.clone()))?;
        cfg.set(k.trim(), v.trim())?;
    }
    Ok(cfg)
}

fn run_model<C: Model>(settings: &[String], seed: u64) -> Result<RunOutput, SimError> {
    /// The JSON document. A struct, not a `serde_json::Value`: a `Value`'s map sorts its keys,
    /// while a struct serializes its fields in declaration order.
    #[derive(Serialize)]
    struct Doc<'a, C, E> {
        sim: &'static str,
        config: &'a C,
        events: &'a [Timed<E>],
    }
    let cfg: C = configure(settings)?;
    let tl = cfg.simulate(seed);
    let doc = Doc {
        sim: C::NAME,
        config: &cfg,
        events: &tl.events,
    };
    Ok(RunOutput {
        // Our configs and events always serialize; a failure here would be a bug.
        json: serde_json::to_string_pretty(&doc)
            .unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }).to_string()),
        log: tl.events.iter().map(log_line).collect(),
    })
}

/// One log line: `"00:01:00 attempt 2 failed: function error"`.
pub fn log_line<E: Describe>(ev: &Timed<E>) -> String {
    format!(
        "{} {}",
        crate::format::sim_clock(ev.at_s),
        ev.event.describe()
    )
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

/// The range a key of `C` documents (a key without one accepts nothing numeric).
fn range_of<C: Configurable>(key: &str) -> Option<Range> {
    C::keys()
        .iter()
        .find(|k| k.key == key)
        .and_then(|k| k.range)
}

/// A whole number within the key's documented [`Range`].
pub(crate) fn parse_int<C: Configurable>(key: &str, value: &str) -> Result<i64, SimError> {
    match (value.parse::<i64>(), range_of::<C>(key)) {
        (Ok(v), Some(r)) if r.contains(v as f64) => Ok(v),
        _ => Err(bad(key, value, accepts::<C>(key))),
    }
}

/// A number within the key's documented [`Range`].
pub(crate) fn parse_f64<C: Configurable>(key: &str, value: &str) -> Result<f64, SimError> {
    match (value.parse::<f64>(), range_of::<C>(key)) {
        (Ok(v), Some(r)) if v.is_finite() && r.contains(v) => Ok(v),
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

/// A configuration from its defaults and `(key, value)` pairs, each of which must be valid
/// (for the models' tests).
#[cfg(test)]
pub(crate) fn with<C: Configurable>(settings: &[(&str, &str)]) -> C {
    let mut c = C::default();
    for (k, v) in settings {
        c.set(k, v).expect("valid setting");
    }
    c
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
    fn the_registry_lists_every_kind_once_in_order() {
        for (i, kind) in Kind::ALL.iter().enumerate() {
            assert_eq!(REGISTRY[i].kind, *kind);
            assert_eq!(Kind::parse(kind.name()), Some(*kind));
        }
        assert_eq!(
            Kind::names(),
            ["retry", "traffic", "concurrency", "sqs", "kinesis"]
        );
    }

    /// Every documented default, set explicitly, gives the same configuration as `Default`:
    /// `--help` and the screens never promise a default the model does not use.
    #[test]
    fn every_documented_default_round_trips_to_the_config_default() {
        for kind in Kind::ALL {
            let defaults: Vec<String> = kind
                .keys()
                .iter()
                .map(|k| format!("{}={}", k.key, k.default))
                .collect();
            let plain = kind.run(&[], 1).expect("runs");
            let explicit = kind
                .run(&defaults, 1)
                .expect("documented defaults are accepted");
            assert_eq!(plain.json, explicit.json, "{}", kind.name());
        }
    }

    /// A key's slider never offers what `--set` would refuse, and its default (or, for a
    /// setting off by default, the value switching it on starts from) is on the slider.
    #[test]
    fn every_range_holds_its_slider_and_default() {
        for kind in Kind::ALL {
            for k in kind.keys() {
                let Some(r) = k.range else { continue };
                let name = format!("{} {}", kind.name(), k.key);
                assert!(r.min <= r.slider.0 && r.slider.0 < r.slider.1, "{name}");
                assert!(r.slider.1 <= r.max, "{name}");
                // `none`, `auto` and -1 ("no limit") are not numbers on the range
                if let Some(start) = k.default_number().filter(|d| r.contains(*d)).or(r.on) {
                    assert!(
                        start >= r.slider.0 && start <= r.slider.1,
                        "{name}: {start} is off the slider"
                    );
                }
            }
        }
        ends_are_accepted::<retry::RetryConfig>();
        ends_are_accepted::<traffic::TrafficConfig>();
        ends_are_accepted::<concurrency::ConcurrencyConfig>();
        ends_are_accepted::<sqs::SqsConfig>();
        ends_are_accepted::<kinesis::KinesisConfig>();
    }

    /// `set` accepts a range's ends and refuses one beyond either.
    fn ends_are_accepted<C: Configurable>() {
        for k in C::keys() {
            let Some(r) = k.range else { continue };
            for (v, ok) in [
                (r.min, true),
                (r.max, true),
                (r.max + 1.0, false),
                (r.min - 1.0, false),
            ] {
                // -1 means "no limit" for some keys, not a number below the range
                if v == -1.0 && k.accepts.starts_with("-1") {
                    continue;
                }
                let mut cfg = C::default();
                assert_eq!(
                    cfg.set(k.key, &v.to_string()).is_ok(),
                    ok,
                    "{} {}={v}",
                    C::NAME,
                    k.key
                );
            }
        }
    }

    #[test]
    fn unknown_sim_is_refused() {
        assert!(matches!(run("nope", &[], 1), Err(SimError::UnknownSim(_))));
    }
}
