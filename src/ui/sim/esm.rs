//! The event-source-mapping view: an SQS queue drained in batches (visibility timeout, partial
//! batch response, redrive to a DLQ) or Kinesis shards processed in order (a failing record
//! blocking its shard, bisect, retry and age limits, an on-failure destination).

use egui::{Color32, RichText, Ui};

use crate::sim::kinesis::{self, KinesisConfig, KinesisEvent, RecordState};
use crate::sim::sqs::{self, MessageState, SqsConfig, SqsEvent};
use crate::sim::{Kind, Timeline};
use crate::ui::{Command, theme};

use super::{Link, Playback, Sim, SimView};

/// Which source the view shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Source {
    /// An SQS queue.
    #[default]
    Sqs,
    /// A Kinesis data stream.
    Kinesis,
}

/// View state for both sources; each keeps its own configuration, run and clock.
pub struct EsmView {
    /// The source shown.
    pub source: Source,
    /// Whether the pack declares both sources, so the view offers the switch between them.
    pub both_sources: bool,
    sqs: Sim<SqsSim>,
    kinesis: Sim<KinesisSim>,
}

impl Default for EsmView {
    fn default() -> Self {
        Self {
            source: Source::Sqs,
            both_sources: true,
            sqs: Sim::default(),
            kinesis: Sim::default(),
        }
    }
}

/// The SQS simulator's part of the scaffold.
pub struct SqsSim;

/// The Kinesis simulator's part of the scaffold.
pub struct KinesisSim;

/// What the SQS view derives from one run; the queue's states are kept for the last time drawn.
pub struct SqsRun {
    timeline: Timeline<SqsEvent>,
    refused: Vec<String>,
    states: Option<(f64, Vec<(MessageState, u32)>)>,
}

/// What the Kinesis view derives from one run; the records' states are kept for the last time
/// drawn, and the on-failure record is printed once.
pub struct KinesisRun {
    timeline: Timeline<KinesisEvent>,
    /// The first record sent to the on-failure destination: when, and its JSON.
    record: Option<(f64, String)>,
    states: Option<(f64, Vec<Vec<RecordState>>)>,
}

const SQS_LINKS: [Link; 2] = [
    (
        "Amazon SQS as a source",
        "event-source-mapping",
        "amazon-sqs-as-a-source",
    ),
    ("Batching", "event-source-mapping", "batching"),
];

const KINESIS_LINKS: [Link; 2] = [
    (
        "Kinesis and DynamoDB streams",
        "event-source-mapping",
        "kinesis-and-dynamodb-streams",
    ),
    (
        "On-failure destinations",
        "destinations",
        "destinations-for-event-source-mappings",
    ),
];

/// The note sections this view links to (checked against the pack by a test).
pub fn links() -> Vec<Link> {
    SQS_LINKS
        .iter()
        .chain(KINESIS_LINKS.iter())
        .copied()
        .collect()
}

impl SimView for SqsSim {
    type Config = SqsConfig;
    type Run = SqsRun;
    const ID: &'static str = "sqs";
    const LOG_HEIGHT: f32 = 150.0;
    const SIDE: bool = false;
    const LINKS: &'static [Link] = &SQS_LINKS;

    fn run(_cfg: &SqsConfig, timeline: Timeline<SqsEvent>, _seed: u64) -> SqsRun {
        let refused = timeline
            .events
            .iter()
            .filter_map(|e| match &e.event {
                SqsEvent::Refused { reason } => Some(reason.clone()),
                _ => None,
            })
            .collect();
        SqsRun {
            timeline,
            refused,
            states: None,
        }
    }

    fn timeline(run: &SqsRun) -> &Timeline<SqsEvent> {
        &run.timeline
    }

    fn controls(ui: &mut Ui, cfg: &mut SqsConfig, _seed: &mut u64, _t: f64) {
        sqs_controls(ui, cfg);
    }

    fn picture(ui: &mut Ui, run: &mut SqsRun, cfg: &SqsConfig, t: f64) {
        sqs_picture(ui, run, cfg, t);
    }
}

impl SimView for KinesisSim {
    type Config = KinesisConfig;
    type Run = KinesisRun;
    const ID: &'static str = "kinesis";
    const LOG_HEIGHT: f32 = 150.0;
    const LINKS: &'static [Link] = &KINESIS_LINKS;

    fn run(_cfg: &KinesisConfig, timeline: Timeline<KinesisEvent>, _seed: u64) -> KinesisRun {
        let record = timeline.events.iter().find_map(|e| match &e.event {
            KinesisEvent::Discarded {
                record: Some(r), ..
            } => Some((e.at_s, serde_json::to_string_pretty(r).unwrap_or_default())),
            _ => None,
        });
        KinesisRun {
            timeline,
            record,
            states: None,
        }
    }

    fn timeline(run: &KinesisRun) -> &Timeline<KinesisEvent> {
        &run.timeline
    }

    fn controls(ui: &mut Ui, cfg: &mut KinesisConfig, _seed: &mut u64, _t: f64) {
        kinesis_controls(ui, cfg);
    }

    fn picture(ui: &mut Ui, run: &mut KinesisRun, cfg: &KinesisConfig, t: f64) {
        kinesis_picture(ui, run, cfg, t);
    }

    fn side(ui: &mut Ui, run: &KinesisRun, _cfg: &KinesisConfig, t: f64) {
        kinesis_record(ui, run, t);
    }
}

impl EsmView {
    /// The playback clock of the source shown.
    pub fn playback_mut(&mut self) -> &mut Playback {
        match self.source {
            Source::Sqs => &mut self.sqs.playback,
            Source::Kinesis => &mut self.kinesis.playback,
        }
    }

    /// Draws the view.
    pub fn ui(&mut self, ui: &mut Ui, cmds: &mut Vec<Command>) {
        let both = self.both_sources;
        let mut source = self.source;
        let switch = |ui: &mut Ui| {
            if both {
                ui.horizontal(|ui| {
                    ui.selectable_value(&mut source, Source::Sqs, "SQS queue");
                    ui.selectable_value(&mut source, Source::Kinesis, "Kinesis stream");
                });
            }
        };
        match self.source {
            Source::Sqs => self.sqs.ui(ui, cmds, switch),
            Source::Kinesis => self.kinesis.ui(ui, cmds, switch),
        }
        self.source = source;
    }
}

fn sqs_controls(ui: &mut Ui, cfg: &mut SqsConfig) {
    ui.heading("SQS event source mapping");
    ui.label(
        RichText::new("Lambda polls the queue and invokes the function with batches.")
            .color(theme::muted(ui.visuals())),
    );
    ui.add_space(theme::GAP / 2.0);
    const K: Kind = Kind::Sqs;
    ui.add(super::key_slider(
        K,
        "messages",
        &mut cfg.messages,
        "messages",
        None,
    ));
    ui.add(super::key_slider(
        K,
        "batch_size",
        &mut cfg.batch_size,
        "batch size",
        None,
    ));
    let c = &mut *cfg;
    ui.add(super::key_slider(
        K,
        "batching_window_s",
        &mut c.batching_window_s,
        "batching window s",
        None,
    ));
    ui.add(super::key_slider(
        K,
        "visibility_timeout_s",
        &mut c.visibility_timeout_s,
        "visibility timeout s",
        None,
    ));
    ui.add(super::key_slider(
        K,
        "function_timeout_s",
        &mut c.function_timeout_s,
        "function timeout s",
        None,
    ));
    ui.add(super::key_slider(
        K,
        "function_duration_s",
        &mut c.function_duration_s,
        "function runs s",
        None,
    ));
    ui.add(super::key_slider(
        K,
        "invoke_throttled_s",
        &mut c.invoke_throttled_s,
        "invoke throttled s",
        None,
    ))
    .on_hover_text(
        "How long each batch's invoke is throttled before the function starts. The visibility \
         timeout is already running.",
    );
    ui.add(super::key_slider(
        K,
        "max_concurrency",
        &mut cfg.max_concurrency,
        "concurrent batches",
        None,
    ));
    ui.checkbox(
        &mut cfg.partial_batch,
        "Partial batch response (ReportBatchItemFailures)",
    );
    let mut poisoned = !cfg.poison.is_empty();
    if ui
        .checkbox(&mut poisoned, "A poison message (#3)")
        .changed()
    {
        cfg.poison = if poisoned { vec![3] } else { Vec::new() };
    }
    ui.checkbox(&mut cfg.dlq, "Redrive policy to a DLQ");
    if cfg.dlq {
        ui.add(super::key_slider(
            K,
            "max_receive_count",
            &mut cfg.max_receive_count,
            "maxReceiveCount",
            None,
        ));
    }
    let six = sqs::recommended_visibility_timeout_s(cfg.function_timeout_s);
    if sqs::refusal(cfg).is_some() {
        ui.label(
            RichText::new(
                "The function timeout must not exceed the visibility timeout: AWS refuses this \
                 event source mapping.",
            )
            .color(theme::wrong(ui.visuals())),
        );
    } else if cfg.visibility_timeout_s < six {
        ui.label(
            RichText::new(format!(
                "Visibility timeout below 6 × function timeout ({six} s): AWS advises against \
                 it, because a throttled invoke can make messages reappear before they are done."
            ))
            .color(theme::warning(ui.visuals())),
        );
    }
}

fn sqs_colour(v: &egui::Visuals, s: MessageState) -> Color32 {
    match s {
        MessageState::Waiting => theme::muted(v),
        MessageState::InFlight => theme::accent(v),
        MessageState::Deleted => theme::correct(v),
        MessageState::Dlq => theme::wrong(v),
    }
}

fn sqs_picture(ui: &mut Ui, run: &mut SqsRun, cfg: &SqsConfig, t: f64) {
    super::refusals(ui, &run.refused);
    if run.states.as_ref().is_none_or(|(at, _)| *at != t) {
        run.states = Some((t, sqs::message_states(&run.timeline, cfg.messages, t)));
    }
    let states: &[(MessageState, u32)] = run.states.as_ref().map_or(&[], |(_, s)| s);
    let count = |st: MessageState| states.iter().filter(|s| s.0 == st).count();
    let summary = format!(
        "Queue: {} waiting, {} in flight, {} deleted, {} in the DLQ",
        count(MessageState::Waiting),
        count(MessageState::InFlight),
        count(MessageState::Deleted),
        count(MessageState::Dlq)
    );
    ui.label(RichText::new(&summary).strong());
    let v = ui.visuals().clone();
    let row = |want: MessageState| -> Vec<super::Cell> {
        states
            .iter()
            .enumerate()
            .filter(|(_, (st, _))| *st == want)
            .map(|(i, (st, _))| {
                let n = i as u32 + 1;
                (
                    sqs_colour(&v, *st),
                    Some(n.to_string()),
                    cfg.poison.contains(&n),
                )
            })
            .collect()
    };
    let rows = [
        ("in the queue".to_string(), row(MessageState::Waiting)),
        ("in flight".to_string(), row(MessageState::InFlight)),
        ("deleted".to_string(), row(MessageState::Deleted)),
        ("DLQ".to_string(), row(MessageState::Dlq)),
    ];
    super::box_grid(ui, &rows, &summary);
    let receives: Vec<String> = cfg
        .poison
        .iter()
        .filter_map(|p| {
            states
                .get(*p as usize - 1)
                .map(|s| format!("#{p}: {}", s.1))
        })
        .collect();
    if !receives.is_empty() {
        ui.label(format!(
            "Times the poison message was received: {}",
            receives.join(", ")
        ));
    }
    ui.label(
        RichText::new(
            "Each box is a message, by number; the outlined one is a poison message the function cannot process.",
        )
        .color(theme::muted(&v)),
    );
    super::legend(
        ui,
        &[
            (sqs_colour(&v, MessageState::Waiting), "visible"),
            (
                sqs_colour(&v, MessageState::InFlight),
                "in flight (invisible)",
            ),
            (sqs_colour(&v, MessageState::Deleted), "deleted"),
            (sqs_colour(&v, MessageState::Dlq), "in the DLQ"),
        ],
    );
}

fn kinesis_controls(ui: &mut Ui, cfg: &mut KinesisConfig) {
    ui.heading("Kinesis event source mapping");
    ui.label(
        RichText::new("One batch at a time per shard, in order.").color(theme::muted(ui.visuals())),
    );
    ui.add_space(theme::GAP / 2.0);
    const K: Kind = Kind::Kinesis;
    ui.add(super::key_slider(
        K,
        "shards",
        &mut cfg.shards,
        "shards",
        None,
    ));
    ui.add(super::key_slider(
        K,
        "records_per_shard",
        &mut cfg.records_per_shard,
        "records per shard",
        None,
    ));
    ui.add(super::key_slider(
        K,
        "records_per_s",
        &mut cfg.records_per_s,
        "records written per s",
        None,
    ));
    ui.add(super::key_slider(
        K,
        "batch_size",
        &mut cfg.batch_size,
        "batch size",
        None,
    ));
    let mut poisoned = !cfg.poison.is_empty();
    if ui
        .checkbox(&mut poisoned, "A bad record (shard 0, record 6)")
        .changed()
    {
        cfg.poison = if poisoned { vec![(0, 6)] } else { Vec::new() };
    }
    ui.checkbox(&mut cfg.bisect, "BisectBatchOnFunctionError");
    let mut limit_retries = cfg.max_retry_attempts >= 0;
    if ui
        .checkbox(&mut limit_retries, "Limit MaximumRetryAttempts")
        .changed()
    {
        let on = super::key_range(K, "max_retry_attempts").on.unwrap_or(0.0);
        cfg.max_retry_attempts = if limit_retries { on as i64 } else { -1 };
    }
    if cfg.max_retry_attempts >= 0 {
        ui.add(super::key_slider(
            K,
            "max_retry_attempts",
            &mut cfg.max_retry_attempts,
            "retries",
            None,
        ));
    }
    let mut limit_age = cfg.max_record_age_s >= 0;
    if ui
        .checkbox(&mut limit_age, "Limit MaximumRecordAgeInSeconds")
        .changed()
    {
        let on = super::key_range(K, "max_record_age_s").on.unwrap_or(60.0);
        cfg.max_record_age_s = if limit_age { on as i64 } else { -1 };
    }
    if cfg.max_record_age_s >= 0 {
        ui.add(super::key_slider(
            K,
            "max_record_age_s",
            &mut cfg.max_record_age_s,
            "max age s",
            None,
        ));
    }
    ui.checkbox(&mut cfg.on_failure, "On-failure destination");
    ui.label(
        RichText::new(format!(
            "Concurrency: {} shards × ParallelizationFactor 1 = {}",
            cfg.shards,
            kinesis::max_concurrency(cfg.shards, 1)
        ))
        .color(theme::muted(ui.visuals())),
    );
}

fn kinesis_colour(v: &egui::Visuals, s: RecordState) -> Color32 {
    match s {
        RecordState::NotWritten => theme::muted(v).gamma_multiply(0.45),
        RecordState::Pending => theme::muted(v),
        RecordState::InBatch => theme::accent(v),
        RecordState::Failing => theme::due(v),
        RecordState::Processed => theme::correct(v),
        RecordState::Discarded => theme::wrong(v),
    }
}

fn kinesis_picture(ui: &mut Ui, run: &mut KinesisRun, cfg: &KinesisConfig, t: f64) {
    if run.states.as_ref().is_none_or(|(at, _)| *at != t) {
        run.states = Some((t, kinesis::record_states(&run.timeline, cfg, t)));
    }
    let states: &[Vec<RecordState>] = run.states.as_ref().map_or(&[], |(_, s)| s);
    let v = ui.visuals().clone();
    let per_shard: Vec<String> = states
        .iter()
        .enumerate()
        .map(|(s, row)| {
            let done = row.iter().filter(|r| **r == RecordState::Processed).count();
            let lost = row.iter().filter(|r| **r == RecordState::Discarded).count();
            format!("shard {s}: {done} processed, {lost} discarded")
        })
        .collect();
    let summary = format!("Stream: {}", per_shard.join("; "));
    ui.label(RichText::new(&summary).strong());
    let rows: Vec<(String, Vec<super::Cell>)> = states
        .iter()
        .enumerate()
        .map(|(s, row)| {
            let cells = row
                .iter()
                .enumerate()
                .map(|(i, st)| {
                    let bad = cfg.poison.contains(&(s as u32, i as u32 + 1));
                    (kinesis_colour(&v, *st), Some((i + 1).to_string()), bad)
                })
                .collect();
            (format!("shard {s}"), cells)
        })
        .collect();
    super::box_grid(ui, &rows, &summary);
    ui.label(
        RichText::new("Records by position in their shard; the outlined one always fails.")
            .color(theme::muted(&v)),
    );
    super::legend(
        ui,
        &[
            (
                kinesis_colour(&v, RecordState::NotWritten),
                "not written yet",
            ),
            (kinesis_colour(&v, RecordState::Pending), "waiting"),
            (kinesis_colour(&v, RecordState::InBatch), "in the batch"),
            (kinesis_colour(&v, RecordState::Failing), "failed, retrying"),
            (kinesis_colour(&v, RecordState::Processed), "processed"),
            (kinesis_colour(&v, RecordState::Discarded), "discarded"),
        ],
    );
}

fn kinesis_record(ui: &mut Ui, run: &KinesisRun, t: f64) {
    ui.label(RichText::new("What the on-failure destination receives").strong());
    match run.record.as_ref().filter(|(at, _)| *at <= t) {
        Some((_, text)) => {
            super::json_record(ui, "kinesis_record", text, 150.0);
        }
        None => {
            ui.label(
                RichText::new(
                    "Nothing yet. Records are discarded only when retries or age run out; the \
                     destination gets the batch's shard and sequence numbers, not the data.",
                )
                .color(theme::muted(ui.visuals())),
            );
        }
    }
}
