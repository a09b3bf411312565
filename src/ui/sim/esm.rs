//! The event-source-mapping view: an SQS queue drained in batches (visibility timeout, partial
//! batch response, redrive to a DLQ) or Kinesis shards processed in order (a failing record
//! blocking its shard, bisect, retry and age limits, an on-failure destination).

use egui::{Color32, RichText, Ui};

use crate::sim::kinesis::{self, KinesisConfig, KinesisEvent, RecordState};
use crate::sim::sqs::{self, MessageState, SqsConfig, SqsEvent};
use crate::sim::{Describe, Timeline};
use crate::ui::{Command, theme};

use super::Playback;

/// Which source the view shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Source {
    /// An SQS queue.
    #[default]
    Sqs,
    /// A Kinesis data stream.
    Kinesis,
}

/// View state for both sources; each keeps its own configuration and clock.
pub struct EsmView {
    /// The source shown.
    pub source: Source,
    /// Whether the pack declares both sources, so the view offers the switch between them.
    pub both_sources: bool,
    sqs_cfg: SqsConfig,
    sqs_computed: Option<SqsConfig>,
    sqs_tl: Timeline<SqsEvent>,
    sqs_log: Vec<(f64, String)>,
    sqs_pb: Playback,
    kin_cfg: KinesisConfig,
    kin_computed: Option<KinesisConfig>,
    kin_tl: Timeline<KinesisEvent>,
    kin_log: Vec<(f64, String)>,
    kin_pb: Playback,
}

impl Default for EsmView {
    fn default() -> Self {
        Self {
            source: Source::Sqs,
            both_sources: true,
            sqs_cfg: SqsConfig::default(),
            sqs_computed: None,
            sqs_tl: Timeline {
                events: Vec::new(),
                end_s: 0.0,
            },
            sqs_log: Vec::new(),
            sqs_pb: Playback::default(),
            kin_cfg: KinesisConfig::default(),
            kin_computed: None,
            kin_tl: Timeline {
                events: Vec::new(),
                end_s: 0.0,
            },
            kin_log: Vec::new(),
            kin_pb: Playback::default(),
        }
    }
}

const SQS_LINKS: [(&str, &str, &str); 2] = [
    (
        "Amazon SQS as a source",
        "event-source-mapping",
        "amazon-sqs-as-a-source",
    ),
    ("Batching", "event-source-mapping", "batching"),
];

const KINESIS_LINKS: [(&str, &str, &str); 2] = [
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
pub fn links() -> Vec<(&'static str, &'static str, &'static str)> {
    SQS_LINKS
        .iter()
        .chain(KINESIS_LINKS.iter())
        .copied()
        .collect()
}

fn describe_all<E: Describe>(tl: &Timeline<E>) -> Vec<(f64, String)> {
    tl.events
        .iter()
        .map(|e| (e.at_s, e.event.describe()))
        .collect()
}

impl EsmView {
    fn ensure_computed(&mut self) {
        if self.sqs_computed.as_ref() != Some(&self.sqs_cfg) {
            self.sqs_tl = sqs::simulate(&self.sqs_cfg, 1);
            self.sqs_log = describe_all(&self.sqs_tl);
            self.sqs_pb.set_end(self.sqs_tl.end_s);
            self.sqs_computed = Some(self.sqs_cfg.clone());
        }
        if self.kin_computed.as_ref() != Some(&self.kin_cfg) {
            self.kin_tl = kinesis::simulate(&self.kin_cfg, 1);
            self.kin_log = describe_all(&self.kin_tl);
            self.kin_pb.set_end(self.kin_tl.end_s);
            self.kin_computed = Some(self.kin_cfg.clone());
        }
    }

    /// The playback clock of the source shown.
    pub fn playback_mut(&mut self) -> &mut Playback {
        match self.source {
            Source::Sqs => &mut self.sqs_pb,
            Source::Kinesis => &mut self.kin_pb,
        }
    }

    /// Draws the view.
    pub fn ui(&mut self, ui: &mut Ui, cmds: &mut Vec<Command>) {
        self.ensure_computed();
        match self.source {
            Source::Sqs => self.sqs_ui(ui, cmds),
            Source::Kinesis => self.kinesis_ui(ui, cmds),
        }
    }

    fn source_switch(both: bool, source: &mut Source, ui: &mut Ui) {
        if !both {
            return;
        }
        ui.horizontal(|ui| {
            ui.selectable_value(source, Source::Sqs, "SQS queue");
            ui.selectable_value(source, Source::Kinesis, "Kinesis stream");
        });
    }

    fn sqs_ui(&mut self, ui: &mut Ui, cmds: &mut Vec<Command>) {
        self.sqs_pb.tick(ui);
        let t = self.sqs_pb.t;
        let mut cfg = self.sqs_cfg.clone();
        let mut source = self.source;
        let both = self.both_sources;
        let (tl, log) = (&self.sqs_tl, &self.sqs_log);
        let times: Vec<f64> = tl.events.iter().map(|e| e.at_s).collect();
        let computed = &self.sqs_cfg;
        let pb = &mut self.sqs_pb;
        super::layout(
            ui,
            "sqs",
            |ui| {
                Self::source_switch(both, &mut source, ui);
                sqs_controls(ui, &mut cfg);
            },
            |ui| sqs_picture(ui, tl, computed, t),
            |ui| super::playback_bar(ui, pb, &times),
            |ui| {
                super::event_log(ui, log, t, 150.0);
                super::note_links(ui, cmds, &SQS_LINKS);
            },
        );
        self.sqs_cfg = cfg;
        self.source = source;
    }

    fn kinesis_ui(&mut self, ui: &mut Ui, cmds: &mut Vec<Command>) {
        self.kin_pb.tick(ui);
        let t = self.kin_pb.t;
        let mut cfg = self.kin_cfg.clone();
        let mut source = self.source;
        let both = self.both_sources;
        let (tl, log) = (&self.kin_tl, &self.kin_log);
        let times: Vec<f64> = tl.events.iter().map(|e| e.at_s).collect();
        let computed = &self.kin_cfg;
        let pb = &mut self.kin_pb;
        super::layout(
            ui,
            "kinesis",
            |ui| {
                Self::source_switch(both, &mut source, ui);
                kinesis_controls(ui, &mut cfg);
            },
            |ui| kinesis_picture(ui, tl, computed, t),
            |ui| super::playback_bar(ui, pb, &times),
            |ui| {
                ui.columns(2, |cols| {
                    super::event_log(&mut cols[0], log, t, 150.0);
                    kinesis_record(&mut cols[1], tl, t);
                    super::note_links(&mut cols[1], cmds, &KINESIS_LINKS);
                });
            },
        );
        self.kin_cfg = cfg;
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
    ui.add(egui::Slider::new(&mut cfg.messages, 1..=60).text("messages"));
    ui.add(egui::Slider::new(&mut cfg.batch_size, 1..=20).text("batch size"));
    ui.add(egui::Slider::new(&mut cfg.batching_window_s, 0.0..=60.0).text("batching window s"));
    ui.add(
        egui::Slider::new(&mut cfg.visibility_timeout_s, 1.0..=120.0).text("visibility timeout s"),
    );
    ui.add(egui::Slider::new(&mut cfg.function_timeout_s, 1.0..=60.0).text("function timeout s"));
    ui.add(egui::Slider::new(&mut cfg.function_duration_s, 0.1..=60.0).text("function runs s"));
    ui.add(egui::Slider::new(&mut cfg.invoke_throttled_s, 0.0..=120.0).text("invoke throttled s"))
        .on_hover_text(
            "How long each batch's invoke is throttled before the function starts. The visibility \
         timeout is already running.",
        );
    ui.add(egui::Slider::new(&mut cfg.max_concurrency, 2..=10).text("concurrent batches"));
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
        ui.add(egui::Slider::new(&mut cfg.max_receive_count, 1..=10).text("maxReceiveCount"));
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

fn sqs_picture(ui: &mut Ui, tl: &Timeline<SqsEvent>, cfg: &SqsConfig, t: f64) {
    let refused: Vec<String> = tl
        .events
        .iter()
        .filter_map(|e| match &e.event {
            SqsEvent::Refused { reason } => Some(reason.clone()),
            _ => None,
        })
        .collect();
    super::refusals(ui, &refused);
    let states = sqs::message_states(tl, cfg.messages, t);
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
    ui.add(egui::Slider::new(&mut cfg.shards, 1..=4).text("shards"));
    ui.add(egui::Slider::new(&mut cfg.records_per_shard, 1..=24).text("records per shard"));
    ui.add(
        egui::Slider::new(&mut cfg.records_per_s, 0.1..=20.0)
            .logarithmic(true)
            .text("records written per s"),
    );
    ui.add(egui::Slider::new(&mut cfg.batch_size, 1..=12).text("batch size"));
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
        cfg.max_retry_attempts = if limit_retries { 2 } else { -1 };
    }
    if cfg.max_retry_attempts >= 0 {
        ui.add(egui::Slider::new(&mut cfg.max_retry_attempts, 0..=20).text("retries"));
    }
    let mut limit_age = cfg.max_record_age_s >= 0;
    if ui
        .checkbox(&mut limit_age, "Limit MaximumRecordAgeInSeconds")
        .changed()
    {
        cfg.max_record_age_s = if limit_age { 60 } else { -1 };
    }
    if cfg.max_record_age_s >= 0 {
        ui.add(egui::Slider::new(&mut cfg.max_record_age_s, 60..=600).text("max age s"));
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

fn kinesis_picture(ui: &mut Ui, tl: &Timeline<KinesisEvent>, cfg: &KinesisConfig, t: f64) {
    let states = kinesis::record_states(tl, cfg, t);
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

fn kinesis_record(ui: &mut Ui, tl: &Timeline<KinesisEvent>, t: f64) {
    ui.label(RichText::new("What the on-failure destination receives").strong());
    let rec = tl.until(t).iter().find_map(|e| match &e.event {
        KinesisEvent::Discarded {
            record: Some(r), ..
        } => Some(r),
        _ => None,
    });
    match rec {
        Some(r) => {
            let text = serde_json::to_string_pretty(r).unwrap_or_default();
            egui::ScrollArea::both()
                .id_salt("kinesis_record")
                .max_height(150.0)
                .show(ui, |ui| {
                    ui.add(
                        egui::Label::new(RichText::new(text).monospace().size(11.0))
                            .wrap_mode(egui::TextWrapMode::Extend),
                    );
                });
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
