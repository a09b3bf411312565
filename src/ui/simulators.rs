//! The Simulators screen: four views over the pure models in `sim` — async retries and
//! destinations, traffic shifting, concurrency, and event source mappings (SQS and Kinesis).
//! It shows only the simulators the pack declares (`Pack::simulators`); a pack that declares
//! none has no Simulators screen (see [`available`]).

use egui::RichText;

use crate::app::AppState;
use crate::content::{Pack, SectionRef};
use crate::sim::Kind;

use super::sim::Playback;
use super::sim::concurrency::ConcurrencyView;
use super::sim::esm::{EsmView, Source};
use super::sim::retry::RetryView;
use super::sim::traffic::TrafficView;
use super::{Command, theme};

/// Which simulator is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Tab {
    /// Async invocation, retries and destinations.
    #[default]
    Retry,
    /// CodeDeploy traffic shifting.
    Traffic,
    /// Concurrency and throttling.
    Concurrency,
    /// SQS and Kinesis event source mappings.
    EventSources,
}

impl Tab {
    const ALL: [Tab; 4] = [
        Tab::Retry,
        Tab::Traffic,
        Tab::Concurrency,
        Tab::EventSources,
    ];

    /// The simulators this tab shows.
    fn kinds(self) -> &'static [Kind] {
        match self {
            Tab::Retry => &[Kind::Retry],
            Tab::Traffic => &[Kind::Traffic],
            Tab::Concurrency => &[Kind::Concurrency],
            Tab::EventSources => &[Kind::Sqs, Kind::Kinesis],
        }
    }

    /// The tab that shows a simulator.
    fn of(kind: Kind) -> Tab {
        match kind {
            Kind::Retry => Tab::Retry,
            Kind::Traffic => Tab::Traffic,
            Kind::Concurrency => Tab::Concurrency,
            Kind::Sqs | Kind::Kinesis => Tab::EventSources,
        }
    }

    /// Whether the pack declares a simulator this tab shows.
    fn declared(self, pack: &Pack) -> bool {
        self.kinds().iter().any(|k| pack.has_simulator(*k))
    }

    fn label(self) -> &'static str {
        match self {
            Tab::Retry => "Async retries",
            Tab::Traffic => "Traffic shifting",
            Tab::Concurrency => "Concurrency",
            Tab::EventSources => "Event source mappings",
        }
    }
}

/// View state of every simulator, kept while the learner moves around the app.
#[derive(Default)]
pub struct SimulatorsScreen {
    /// The simulator shown.
    pub tab: Tab,
    retry: RetryView,
    traffic: TrafficView,
    concurrency: ConcurrencyView,
    esm: EsmView,
}

impl SimulatorsScreen {
    /// Opens a simulator (from a note or a question).
    pub fn open(&mut self, kind: Kind) {
        self.tab = Tab::of(kind);
        match kind {
            Kind::Sqs => self.esm.source = Source::Sqs,
            Kind::Kinesis => self.esm.source = Source::Kinesis,
            Kind::Retry | Kind::Traffic | Kind::Concurrency => {}
        }
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &mut AppState, cmds: &mut Vec<Command>) {
        let pack = &state.pack;
        // A pack reloaded without the simulator shown: show the first one it declares.
        if !self.tab.declared(pack)
            && let Some(first) = Tab::ALL.into_iter().find(|t| t.declared(pack))
        {
            self.tab = first;
        }
        if !self.tab.declared(pack) {
            ui.label(theme::heading("Simulators"));
            ui.label("This pack has no simulators.");
            return;
        }
        // Within the event-source tab, only the sources the pack declares.
        let sources = [Kind::Sqs, Kind::Kinesis].map(|k| pack.has_simulator(k));
        match (self.esm.source, sources) {
            (Source::Sqs, [false, true]) => self.esm.source = Source::Kinesis,
            (Source::Kinesis, [true, false]) => self.esm.source = Source::Sqs,
            _ => {}
        }
        self.esm.both_sources = sources == [true, true];
        ui.horizontal(|ui| {
            ui.label(theme::heading("Simulators"));
            ui.add_space(theme::GAP);
            for tab in Tab::ALL.into_iter().filter(|t| t.declared(pack)) {
                ui.selectable_value(&mut self.tab, tab, RichText::new(tab.label()).size(15.0));
            }
        });
        ui.separator();
        // Space plays or pauses the simulator shown, unless a text field wants the key.
        if !ui.ctx().egui_wants_keyboard_input()
            && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Space))
        {
            self.playback_mut().toggle();
        }
        match self.tab {
            Tab::Retry => self.retry.ui(ui, cmds, |_| {}),
            Tab::Traffic => self.traffic.ui(ui, cmds, |_| {}),
            Tab::Concurrency => self.concurrency.ui(ui, cmds, |_| {}),
            Tab::EventSources => self.esm.ui(ui, cmds),
        }
    }
}

impl SimulatorsScreen {
    fn playback_mut(&mut self) -> &mut Playback {
        match self.tab {
            Tab::Retry => &mut self.retry.playback,
            Tab::Traffic => &mut self.traffic.playback,
            Tab::Concurrency => &mut self.concurrency.playback,
            Tab::EventSources => self.esm.playback_mut(),
        }
    }
}

/// Whether the screen exists for this pack: only when it declares a simulator.
pub fn available(pack: &Pack) -> bool {
    !pack.simulators.is_empty()
}

/// Every note section the simulators link to, so a test can check each exists in the pack.
pub fn note_links() -> Vec<SectionRef> {
    super::sim::retry::links()
        .iter()
        .chain(super::sim::traffic::links())
        .chain(super::sim::concurrency::links())
        .copied()
        .chain(super::sim::esm::links())
        .map(|(_, topic, anchor)| SectionRef {
            topic: topic.to_owned(),
            anchor: anchor.to_owned(),
        })
        .collect()
}
