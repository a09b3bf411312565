//! The scaffold every simulator view runs in: the configuration being edited, the run computed
//! from it (once per change, never per frame), the playback clock, and the standard layout —
//! controls on the left; on the right the picture, the playback bar, then the event log beside
//! a side panel and the links to the notes.
//!
//! A view supplies only what is its own ([`SimView`]): its controls, what it derives from a
//! run, its picture and its side panel.

use egui::Ui;

use super::{EventLog, Playback};
use crate::sim::{Describe, Model, Timeline};
use crate::ui::{Command, theme};

/// A link to a note section: label, topic, anchor.
pub type Link = (&'static str, &'static str, &'static str);

/// The events of a view's model.
pub type Event<V> = <<V as SimView>::Config as Model>::Event;

/// What one simulator view adds to the scaffold.
pub trait SimView {
    /// The settings the learner edits: the model's configuration, which the scaffold
    /// simulates.
    type Config: Model + Clone + PartialEq;
    /// What the view derives from one run (timeline, lanes, dots, records…), computed once per
    /// configuration. The picture may keep caches in it that depend on the playback time.
    type Run;
    /// A name for the view's panel ids.
    const ID: &'static str;
    /// The least height of the event log.
    const LOG_HEIGHT: f32;
    /// Whether a side panel stands beside the event log (else the log takes the width).
    const SIDE: bool = true;
    /// The note sections the view links to.
    const LINKS: &'static [Link];

    /// Derives what the picture draws from the model's timeline (and keeps the timeline).
    fn run(cfg: &Self::Config, timeline: Timeline<Event<Self>>, seed: u64) -> Self::Run;
    /// The run's timeline (its end is the scrub bar's).
    fn timeline(run: &Self::Run) -> &Timeline<Event<Self>>;
    /// The event log's lines, in time order: every event in words, unless a view leaves some
    /// out.
    fn log(run: &Self::Run) -> Vec<(f64, String)> {
        Self::timeline(run)
            .events
            .iter()
            .map(|e| (e.at_s, e.event.describe()))
            .collect()
    }
    /// The controls column. `t` is the playback time (an alarm fired "now").
    fn controls(ui: &mut Ui, cfg: &mut Self::Config, seed: &mut u64, t: f64);
    /// The picture of the run at time `t`.
    fn picture(ui: &mut Ui, run: &mut Self::Run, cfg: &Self::Config, t: f64);
    /// The panel beside the event log (a record, the status, totals).
    fn side(_ui: &mut Ui, _run: &Self::Run, _cfg: &Self::Config, _t: f64) {}
}

struct Computed<V: SimView> {
    cfg: V::Config,
    seed: u64,
    run: V::Run,
    log: EventLog,
}

/// One simulator's view state: the configuration being edited, the run computed from it and
/// the playback clock.
pub struct Sim<V: SimView> {
    /// The configuration being edited.
    pub cfg: V::Config,
    /// The seed of the model's random draws.
    pub seed: u64,
    computed: Option<Computed<V>>,
    /// Playback clock over simulated seconds.
    pub playback: Playback,
}

impl<V: SimView> Default for Sim<V> {
    fn default() -> Self {
        Self {
            cfg: V::Config::default(),
            seed: 1,
            computed: None,
            playback: Playback::default(),
        }
    }
}

impl<V: SimView> Sim<V> {
    /// Reruns the model when the configuration (or seed) changed since the last run.
    fn ensure_computed(&mut self) {
        let stale = self
            .computed
            .as_ref()
            .is_none_or(|c| c.cfg != self.cfg || c.seed != self.seed);
        if stale {
            let timeline = self.cfg.simulate(self.seed);
            let run = V::run(&self.cfg, timeline, self.seed);
            self.playback.set_end(V::timeline(&run).end_s);
            self.computed = Some(Computed {
                cfg: self.cfg.clone(),
                seed: self.seed,
                log: EventLog::new(V::log(&run)),
                run,
            });
        }
    }

    /// Draws the view; `header` goes above the controls (the event-source view's switch).
    pub fn ui(&mut self, ui: &mut Ui, cmds: &mut Vec<Command>, header: impl FnOnce(&mut Ui)) {
        self.ensure_computed();
        self.playback.tick(ui);
        let t = self.playback.t;
        let mut cfg = self.cfg.clone();
        let mut seed = self.seed;
        let mut jump = None;
        let pb = &mut self.playback;
        let Some(c) = self.computed.as_mut() else {
            return;
        };
        let Computed {
            run, log, cfg: ran, ..
        } = c;
        egui::Panel::left(("sim_controls", V::ID))
            .exact_size(300.0)
            .resizable(false)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("controls")
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        header(ui);
                        V::controls(ui, &mut cfg, &mut seed, t);
                    });
            });
        ui.add_space(4.0);
        V::picture(ui, run, ran, t);
        ui.add_space(4.0);
        super::playback_bar(ui, pb, log.times());
        ui.separator();
        if V::SIDE {
            ui.columns(2, |cols| {
                jump = log.show(&mut cols[0], t, V::LOG_HEIGHT);
                // Columns are justified, which would stretch wrapped text glyph by glyph.
                cols[1].vertical(|ui| {
                    V::side(ui, run, ran, t);
                    ui.add_space(theme::GAP);
                    super::note_links(ui, cmds, V::LINKS);
                });
            });
        } else {
            jump = log.show(ui, t, V::LOG_HEIGHT);
            super::note_links(ui, cmds, V::LINKS);
        }
        if let Some(at) = jump {
            pb.playing = false;
            pb.t = at;
        }
        self.cfg = cfg;
        self.seed = seed;
    }
}
