//! FSRS parameters fitted to the learner, as the app runs them: once the history is large enough
//! (and again after 1,000 new reviews or 30 days), [`AppState::tick`] starts a fit on a
//! background thread; its result is recorded and, when it predicts better, adopted — the
//! scheduler is rebuilt on the new parameters. "Return to defaults" is one call.

use std::sync::mpsc::{self, Receiver, TryRecvError};

use crate::srs::Scheduler;
use crate::srs::optimize::{self, FitReport, OptimizeError, ReviewEvent};
use crate::srs::stats::LogEntry;
use crate::store::{ParamsRecord, Store, StoreError};

use super::{AppState, NoticeLevel};

/// The fitting state `AppState` keeps.
#[derive(Default)]
pub struct Params {
    /// Whether this session has looked at whether a fit is due.
    checked: bool,
    rx: Option<Receiver<(usize, Result<FitReport, OptimizeError>)>>,
    /// The adopted fit in use (`None`: the defaults) and the newest fit, read when the session's
    /// check runs and after every change, so drawing never reads the store.
    in_use: Option<ParamsRecord>,
    last: Option<ParamsRecord>,
}

/// The optimiser's view of the review log.
pub fn events(log: &[LogEntry]) -> Vec<ReviewEvent> {
    log.iter()
        .map(|e| ReviewEvent {
            card: e.card_id.clone(),
            at: e.reviewed_at,
            rating: e.rating as u32,
            elapsed_days: e.elapsed_days,
        })
        .collect()
}

/// The parameters in use for `pack` (fitted and adopted, or the defaults) and the review
/// history, as `fit` needs them.
pub fn inputs(store: &Store, pack: &str) -> Result<(Vec<f32>, Vec<ReviewEvent>), StoreError> {
    let current = store
        .params_in_use(pack)?
        .map_or_else(optimize::defaults, |p| p.params);
    let log = store.answers_since(pack, jiff::Timestamp::MIN)?;
    Ok((current, events(&log)))
}

impl AppState {
    /// Once per session (from [`AppState::tick`], after the day's backup has started): starts a
    /// fit on a background thread when one is due; collects its result. Cheap otherwise.
    pub(super) fn params_tick(&mut self) {
        if !self.params.checked {
            self.params.checked = true;
            self.refresh_params();
            if self.store.path().is_some() {
                self.start_fit_if_due();
            }
        }
        let Some(rx) = &self.params.rx else {
            return;
        };
        let (usable, result) = match rx.try_recv() {
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => {
                self.params.rx = None;
                return;
            }
            Ok(done) => done,
        };
        self.params.rx = None;
        match result {
            Ok(report) => self.apply_fit(usable, &report),
            Err(OptimizeError::NotEnough { .. }) => {}
            Err(e) => self.notify(
                NoticeLevel::Warning,
                format!("Could not fit the memory model to your reviews: {e}"),
            ),
        }
    }

    fn start_fit_if_due(&mut self) {
        let pack = self.pack.meta.id.clone();
        let last = match self.store.last_fit(&pack) {
            Ok(l) => l.map(|r| (r.made_at, r.reviews)),
            Err(e) => return self.report("read the memory model's history", &e),
        };
        let current = self
            .store
            .params_in_use(&pack)
            .ok()
            .flatten()
            .map_or_else(optimize::defaults, |p| p.params);
        let Some(path) = self.store.path().map(std::path::Path::to_owned) else {
            return;
        };
        let now = self.clock.now();
        let (tx, rx) = mpsc::channel();
        // The log is read on the thread, on a connection of its own: the frame loop never waits
        // for it.
        let spawned = std::thread::Builder::new()
            .name("fsrs-fit".into())
            .spawn(move || {
                // Counted first (cheap), so the log is read only when a fit is due: at most once
                // per 1,000 reviews or 30 days.
                let counted = crate::store::usable_reviews_in_file(&path, &pack).unwrap_or(0);
                if !optimize::due(counted, last, now) {
                    let _ = tx.send((
                        counted,
                        Err(OptimizeError::NotEnough {
                            have: counted,
                            need: optimize::MIN_REVIEWS,
                        }),
                    ));
                    return;
                }
                let events = match crate::store::review_events_in_file(&path, &pack) {
                    Ok(e) => e,
                    Err(e) => {
                        let _ = tx.send((0, Err(OptimizeError::Fsrs(e.to_string()))));
                        return;
                    }
                };
                let usable = optimize::usable_reviews(&events);
                let result = if optimize::due(usable, last, now) {
                    optimize::fit(&events, &current)
                } else {
                    // Not due after all (fewer usable reviews than answers): nothing to do.
                    Err(OptimizeError::NotEnough {
                        have: usable,
                        need: optimize::MIN_REVIEWS,
                    })
                };
                let _ = tx.send((usable, result));
                // A fit on a long history reads and works through tens of MB.
                drop(events);
                crate::memory::release_freed();
            });
        if spawned.is_ok() {
            self.params.rx = Some(rx);
        }
    }

    /// Records a fit and, when it predicts better, adopts it: the scheduler is rebuilt on it.
    pub fn apply_fit(&mut self, usable: usize, report: &FitReport) {
        let pack = self.pack.meta.id.clone();
        if let Err(e) = self
            .store
            .record_fit(&pack, self.clock.now(), usable, report)
        {
            return self.report("save the fitted memory model", &e);
        }
        self.refresh_params();
        if report.adopt {
            self.use_parameters(&report.fitted);
            self.notify(
                NoticeLevel::Info,
                format!(
                    "The memory model was fitted to your {usable} reviews and predicts them better, so your intervals now follow it ({}).",
                    report.reason
                ),
            );
        }
    }

    /// Goes back to FSRS's default parameters (recorded in the history).
    pub fn return_to_default_parameters(&mut self) {
        let pack = self.pack.meta.id.clone();
        let usable = inputs(&self.store, &pack)
            .map(|(_, e)| optimize::usable_reviews(&e))
            .unwrap_or(0);
        match self.store.reset_params(&pack, self.clock.now(), usable) {
            Ok(()) => self.use_parameters(&optimize::defaults()),
            Err(e) => self.report("return to the default parameters", &e),
        }
        self.refresh_params();
    }

    fn refresh_params(&mut self) {
        let pack = self.pack.meta.id.clone();
        self.params.in_use = self
            .store
            .params_in_use(&pack)
            .ok()
            .flatten()
            .filter(|p| p.kind == "fit");
        self.params.last = self.store.last_fit(&pack).ok().flatten();
    }

    /// Forgets what was read about fits (the store's file was replaced): the next tick reads it
    /// again and checks whether a fit is due.
    pub(super) fn reset_params_state(&mut self) {
        self.params = Params::default();
    }

    /// The adopted fit in use (when and how it was fitted), or `None` for the defaults.
    pub fn parameters_in_use(&self) -> Option<&ParamsRecord> {
        self.params.in_use.as_ref()
    }

    /// The newest fit, adopted or not.
    pub fn last_fit(&self) -> Option<&ParamsRecord> {
        self.params.last.as_ref()
    }

    /// The FSRS parameters the scheduler uses now.
    pub fn parameters(&self) -> &[f32] {
        self.reviews.scheduler().parameters()
    }

    /// Whether a fit is running in the background.
    pub fn fit_running(&self) -> bool {
        self.params.rx.is_some()
    }

    fn use_parameters(&mut self, params: &[f32]) {
        match Scheduler::with_parameters(self.reviews.settings().scheduler_config(), params) {
            Ok(s) => self.reviews.set_scheduler(s),
            Err(e) => self.notify(
                NoticeLevel::Warning,
                format!("Could not use the fitted memory model: {e}"),
            ),
        }
    }
}
