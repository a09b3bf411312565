//! "Help me choose" a desired retention, as the app runs it: the simulation of every choice
//! (`srs::retention`) on the learner's parameters and cards, on a background thread started by
//! the Progress screen's button; [`AppState::tick`] collects the result.

use std::sync::mpsc::{self, Receiver, TryRecvError};

use crate::srs::retention::{self, Choice, SeenCard, Workload};

use super::AppState;

/// Days the simulation covers when no exam date is set.
pub const DAYS: usize = 365;

/// The help-me-choose state `AppState` keeps.
#[derive(Default)]
pub struct RetentionHelp {
    rx: Option<Receiver<Result<Vec<Choice>, String>>>,
    result: Option<Result<Vec<Choice>, String>>,
}

impl AppState {
    /// Starts simulating the retentions in `retention::CHOICES` on a background thread (does
    /// nothing while one runs).
    pub fn start_retention_help(&mut self) {
        if self.retention_help.rx.is_some() {
            return;
        }
        let now = self.clock.now();
        let days_between =
            |a: jiff::Timestamp, b: jiff::Timestamp| b.duration_since(a).as_secs_f64() / 86_400.0;
        let seen: Vec<SeenCard> = self
            .reviews
            .card_states()
            .iter()
            .flatten()
            .filter_map(|c| {
                let m = c.memory?;
                Some(SeenCard {
                    stability: m.stability,
                    difficulty: m.difficulty,
                    days_since_review: c.last_review.map_or(0.0, |t| days_between(t, now).max(0.0)),
                    due_in_days: days_between(now, c.due),
                })
            })
            .collect();
        let settings = self.reviews.settings();
        let today = self.reviews.study_day().time_zone().to_datetime(now).date();
        let exam_in_days = settings.exam.and_then(|e| {
            let d = (e.date - today).get_days();
            (d >= 0).then_some(d as usize)
        });
        let work = Workload {
            deck_size: self.pack.cards.len(),
            seen,
            new_per_day: settings.new_per_day as usize,
            max_interval_days: f64::from(self.reviews.scheduler().config().maximum_interval),
            days: exam_in_days.map_or(DAYS, |d| d.clamp(1, DAYS)),
            exam_in_days,
        };
        let params = self.reviews.scheduler().parameters().to_vec();
        let (tx, rx) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("retention-help".into())
            .spawn(move || {
                let _ = tx.send(retention::help_me_choose(&params, &work, 1));
            });
        if spawned.is_ok() {
            self.retention_help.rx = Some(rx);
        }
    }

    /// Collects the simulation's result (from [`AppState::tick`]).
    pub(super) fn retention_tick(&mut self) {
        let Some(rx) = &self.retention_help.rx else {
            return;
        };
        match rx.try_recv() {
            Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => self.retention_help.rx = None,
            Ok(result) => {
                self.retention_help.rx = None;
                self.retention_help.result = Some(result);
            }
        }
    }

    /// Whether the simulation is running.
    pub fn retention_help_running(&self) -> bool {
        self.retention_help.rx.is_some()
    }

    /// The simulated choices (or why they could not be simulated), once it has run.
    pub fn retention_help(&self) -> Option<&Result<Vec<Choice>, String>> {
        self.retention_help.result.as_ref()
    }
}
