//! The Simulators screen: four views over the pure models in `sim` — async retries and
//! destinations, traffic shifting, concurrency, and event source mappings (SQS and Kinesis).

use egui::RichText;

use crate::app::AppState;
use crate::content::SectionRef;

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
    /// Opens the named simulator (from a note or a question): `retry`, `traffic`,
    /// `concurrency`, `sqs` or `kinesis`. Unknown names leave the screen as it was.
    pub fn open(&mut self, name: &str) {
        match name {
            "retry" => self.tab = Tab::Retry,
            "traffic" => self.tab = Tab::Traffic,
            "concurrency" => self.tab = Tab::Concurrency,
            "sqs" => {
                self.tab = Tab::EventSources;
                self.esm.source = Source::Sqs;
            }
            "kinesis" => {
                self.tab = Tab::EventSources;
                self.esm.source = Source::Kinesis;
            }
            _ => {}
        }
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui, _state: &mut AppState, cmds: &mut Vec<Command>) {
        ui.horizontal(|ui| {
            ui.label(theme::heading("Simulators"));
            ui.add_space(theme::GAP);
            for tab in Tab::ALL {
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
            Tab::Retry => self.retry.ui(ui, cmds),
            Tab::Traffic => self.traffic.ui(ui, cmds),
            Tab::Concurrency => self.concurrency.ui(ui, cmds),
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
