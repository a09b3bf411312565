//! FSRS parameters fitted to the learner's own review history, adopted only when they predict
//! better: the history is turned into the `fsrs` crate's items, split by time (the newest fifth
//! held out), new parameters fitted on the older part with `fsrs::compute_parameters`, and both
//! the parameters in use and the new ones judged on the held-out part by log loss and RMSE
//! (bins), as FSRS's benchmark defines them (`FSRS::evaluate`). The new ones are adopted only
//! when their log loss is lower by at least [`MIN_GAIN`] and their RMSE (bins) not higher.

use std::collections::HashMap;

use fsrs::{
    ComputeParametersInput, DEFAULT_PARAMETERS, FSRS, FSRSItem, FSRSReview, compute_parameters,
};
use jiff::Timestamp;

/// Reviews of cards past their first day needed before a first fit.
pub const MIN_REVIEWS: usize = 300;

/// New reviews, or days, after which parameters are fitted again.
pub const REFIT_AFTER_REVIEWS: usize = 1000;
pub const REFIT_AFTER_DAYS: i64 = 30;

/// The share of the history (newest first) held out to judge parameters on.
pub const HELD_OUT: f64 = 0.2;

/// One answer, as the optimiser needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewEvent {
    pub card: String,
    pub at: Timestamp,
    /// 1 again … 4 easy.
    pub rating: u32,
    /// Whole days since the card's previous answer; `None` for its first.
    pub elapsed_days: Option<u32>,
}

/// How well a set of parameters predicts the held-out reviews (lower is better for both).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Fit {
    pub log_loss: f64,
    pub rmse_bins: f64,
}

/// What one run of the optimiser found.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct FitReport {
    /// Reviews of cards past their first day (items) used: fitted on, then judged on.
    pub train_items: usize,
    pub test_items: usize,
    /// The parameters in use and how they predict the held-out reviews.
    pub current: Vec<f32>,
    pub current_fit: Fit,
    /// The fitted parameters and how they predict the held-out reviews.
    pub fitted: Vec<f32>,
    pub fitted_fit: Fit,
    /// The fitted parameters predict better, so they are adopted.
    pub adopt: bool,
    /// Why, in a sentence.
    pub reason: String,
}

#[derive(Debug, thiserror::Error)]
pub enum OptimizeError {
    #[error("not enough history yet: {have} reviews of cards past their first day, {need} needed")]
    NotEnough { have: usize, need: usize },
    #[error("FSRS could not fit or judge parameters: {0}")]
    Fsrs(String),
}

/// The items FSRS trains on: for every answer to a card after its first day, the card's history
/// up to and including it. Paired with the time of that answer, oldest first.
pub fn items(events: &[ReviewEvent]) -> Vec<(Timestamp, FSRSItem)> {
    let mut by_card: HashMap<&str, Vec<&ReviewEvent>> = HashMap::new();
    for e in events {
        by_card.entry(e.card.as_str()).or_default().push(e);
    }
    let mut out = Vec::new();
    for (_, mut reviews) in by_card {
        reviews.sort_by_key(|e| e.at);
        let mut history: Vec<FSRSReview> = Vec::with_capacity(reviews.len());
        for (i, e) in reviews.iter().enumerate() {
            let delta_t = if i == 0 {
                0
            } else {
                e.elapsed_days.unwrap_or(0)
            };
            history.push(FSRSReview {
                rating: e.rating.clamp(1, 4),
                delta_t,
            });
            if i > 0 && delta_t > 0 {
                out.push((
                    e.at,
                    FSRSItem {
                        reviews: history.clone(),
                    },
                ));
            }
        }
    }
    out.sort_by_key(|(at, _)| *at);
    out
}

/// Reviews of cards past their first day in `events` (the items FSRS can learn from).
pub fn usable_reviews(events: &[ReviewEvent]) -> usize {
    items(events).len()
}

/// Fits parameters on the older part of `events` and judges them and `current` on the newest
/// [`HELD_OUT`] share. Needs [`MIN_REVIEWS`] usable reviews. CPU-heavy: run it off the frame loop.
pub fn fit(events: &[ReviewEvent], current: &[f32]) -> Result<FitReport, OptimizeError> {
    let all = items(events);
    if all.len() < MIN_REVIEWS {
        return Err(OptimizeError::NotEnough {
            have: all.len(),
            need: MIN_REVIEWS,
        });
    }
    let split = ((all.len() as f64) * (1.0 - HELD_OUT)).round() as usize;
    let (train, test): (Vec<_>, Vec<_>) =
        all.into_iter().enumerate().partition(|(i, _)| *i < split);
    let train: Vec<FSRSItem> = train.into_iter().map(|(_, (_, it))| it).collect();
    let test: Vec<FSRSItem> = test.into_iter().map(|(_, (_, it))| it).collect();
    let fsrs_err = |e: fsrs::FSRSError| OptimizeError::Fsrs(e.to_string());
    let fitted = compute_parameters(ComputeParametersInput {
        train_set: train.clone(),
        ..ComputeParametersInput::default()
    })
    .map_err(fsrs_err)?;
    let current_fit = judge(current, &test)?;
    let fitted_fit = judge(&fitted, &test)?;
    let adopt = adopt(&current_fit, &fitted_fit);
    let reason = if adopt {
        format!(
            "adopted: on the newest {} reviews the fitted parameters predict better (log loss {:.4} < {:.4} by at least 1 %, RMSE (bins) {:.4} ≤ {:.4})",
            test.len(),
            fitted_fit.log_loss,
            current_fit.log_loss,
            fitted_fit.rmse_bins,
            current_fit.rmse_bins
        )
    } else {
        format!(
            "kept the parameters in use: on the newest {} reviews the fitted ones do not predict clearly better (log loss {:.4} vs {:.4}, RMSE (bins) {:.4} vs {:.4})",
            test.len(),
            fitted_fit.log_loss,
            current_fit.log_loss,
            fitted_fit.rmse_bins,
            current_fit.rmse_bins
        )
    };
    Ok(FitReport {
        train_items: train.len(),
        test_items: test.len(),
        current: current.to_vec(),
        current_fit,
        fitted,
        fitted_fit,
        adopt,
        reason,
    })
}

/// How much lower (relatively) the fitted parameters' log loss must be to adopt them. Smaller
/// differences are within the noise of a few hundred held-out reviews: parameters fitted to a
/// history the ones in use already explain beat them about half the time by chance, and
/// switching would change the learner's intervals for nothing.
pub const MIN_GAIN: f64 = 0.01;

/// Whether `fitted` predicts better than `current`: log loss lower by at least [`MIN_GAIN`]
/// (relatively) and RMSE (bins) not higher.
pub fn adopt(current: &Fit, fitted: &Fit) -> bool {
    fitted.log_loss < current.log_loss * (1.0 - MIN_GAIN) && fitted.rmse_bins <= current.rmse_bins
}

/// Log loss and RMSE (bins) of `params` on `items`.
pub fn judge(params: &[f32], items: &[FSRSItem]) -> Result<Fit, OptimizeError> {
    let fsrs = FSRS::new(params).map_err(|e| OptimizeError::Fsrs(e.to_string()))?;
    let e = fsrs
        .evaluate(items.to_vec(), |_| true)
        .map_err(|e| OptimizeError::Fsrs(e.to_string()))?;
    Ok(Fit {
        log_loss: f64::from(e.log_loss),
        rmse_bins: f64::from(e.rmse_bins),
    })
}

/// FSRS-6's default parameters.
pub fn defaults() -> Vec<f32> {
    DEFAULT_PARAMETERS.to_vec()
}

/// Whether it is time to fit again: never before [`MIN_REVIEWS`] usable reviews; then when no fit
/// was made yet, or [`REFIT_AFTER_REVIEWS`] usable reviews or [`REFIT_AFTER_DAYS`] days have
/// passed since the last one.
pub fn due(usable: usize, last: Option<(Timestamp, usize)>, now: Timestamp) -> bool {
    if usable < MIN_REVIEWS {
        return false;
    }
    match last {
        None => true,
        Some((at, reviews_then)) => {
            usable >= reviews_then + REFIT_AFTER_REVIEWS
                || now.duration_since(at).as_secs() >= REFIT_AFTER_DAYS * 86_400
        }
    }
}

/// A review history drawn from FSRS with `params`: `cards` cards, each answered at random
/// intervals (1–40 days) over about a year; recall drawn from the model's retrievability, a
/// recalled card rated Hard, Good or Easy. Deterministic for `seed`. For tests and benchmarks.
pub fn synthetic_history(
    params: &[f32],
    cards: usize,
    reviews_per_card: usize,
    seed: u64,
) -> Vec<ReviewEvent> {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let Ok(fsrs) = FSRS::new(params) else {
        return Vec::new();
    };
    let decay = params.get(20).copied().unwrap_or(DEFAULT_PARAMETERS[20]);
    let start = Timestamp::UNIX_EPOCH;
    let mut out = Vec::with_capacity(cards * reviews_per_card);
    for c in 0..cards {
        let card = format!("c{c}");
        let mut day: i64 = rng.random_range(0..60);
        let first = [1u32, 3, 3, 3, 4][rng.random_range(0..5)];
        out.push(ReviewEvent {
            card: card.clone(),
            at: start + jiff::SignedDuration::from_hours(day * 24),
            rating: first,
            elapsed_days: None,
        });
        let Ok(states) = fsrs.next_states(None, 0.9, 0) else {
            continue;
        };
        let mut memory = match first {
            1 => states.again.memory,
            4 => states.easy.memory,
            _ => states.good.memory,
        };
        for _ in 1..reviews_per_card {
            let gap: u32 = rng.random_range(1..=40);
            day += i64::from(gap);
            let r = fsrs::current_retrievability(memory, gap as f32, decay);
            let rating = if rng.random::<f32>() < r {
                [2u32, 3, 3, 3, 3, 4][rng.random_range(0..6)]
            } else {
                1
            };
            out.push(ReviewEvent {
                card: card.clone(),
                at: start + jiff::SignedDuration::from_hours(day * 24),
                rating,
                elapsed_days: Some(gap),
            });
            let Ok(next) = fsrs.next_states(Some(memory), 0.9, gap) else {
                break;
            };
            memory = match rating {
                1 => next.again.memory,
                2 => next.hard.memory,
                4 => next.easy.memory,
                _ => next.good.memory,
            };
        }
    }
    out
}
