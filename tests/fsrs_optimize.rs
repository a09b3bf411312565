//! Fitting FSRS parameters to the learner (issue 14): on a history drawn from known parameters,
//! fitting moves toward them and lowers log loss on held-out reviews, and the fit is adopted; on
//! a history drawn from the defaults, fitting cannot help and the defaults are kept; a fit that
//! predicts worse is never adopted.

mod support;

use coldstart::app::AppState;
use coldstart::srs::optimize::{self, Fit, MIN_REVIEWS, OptimizeError, synthetic_history};
use coldstart::srs::stats::LogEntry;
use coldstart::srs::{Rating, State};
use coldstart::store::Store;

/// Known parameters, far from the defaults in the initial stabilities.
fn known() -> Vec<f32> {
    let mut w = optimize::defaults();
    w[0] = 1.5;
    w[1] = 4.0;
    w[2] = 9.0;
    w[3] = 25.0;
    w[20] = 0.5;
    w
}

fn distance(a: &[f32], b: &[f32]) -> f64 {
    a.iter()
        .zip(b)
        .enumerate()
        .filter(|(i, _)| *i < 4 || *i == 20)
        .map(|(_, (x, y))| (f64::from(*x).ln() - f64::from(*y).ln()).powi(2))
        .sum::<f64>()
        .sqrt()
}

#[test]
fn fitting_a_history_from_known_parameters_moves_toward_them_and_is_adopted() {
    let truth = known();
    let history = synthetic_history(&truth, 1000, 8, 7);
    let report = optimize::fit(&history, &optimize::defaults()).expect("fit");
    assert!(
        distance(&report.fitted, &truth) < distance(&optimize::defaults(), &truth) / 2.0,
        "fitted {:?} not nearer {:?}",
        report.fitted,
        truth
    );
    assert!(
        report.fitted_fit.log_loss < report.current_fit.log_loss,
        "{report:?}"
    );
    assert!(report.adopt, "{}", report.reason);
    assert!(report.test_items > 0 && report.train_items > report.test_items);
}

#[test]
fn on_a_history_from_the_defaults_the_defaults_are_kept() {
    let defaults = optimize::defaults();
    let history = synthetic_history(&defaults, 1000, 8, 11);
    let report = optimize::fit(&history, &defaults).expect("fit");
    assert!(!report.adopt, "{}", report.reason);
    assert!(report.reason.starts_with("kept"));
}

#[test]
fn a_worse_fit_is_never_adopted() {
    let better = Fit {
        log_loss: 0.30,
        rmse_bins: 0.02,
    };
    let worse_loss = Fit {
        log_loss: 0.31,
        rmse_bins: 0.01,
    };
    let worse_rmse = Fit {
        log_loss: 0.29,
        rmse_bins: 0.03,
    };
    assert!(!optimize::adopt(&better, &worse_loss));
    assert!(!optimize::adopt(&better, &worse_rmse));
    assert!(!optimize::adopt(&better, &better));
    assert!(optimize::adopt(
        &worse_loss,
        &Fit {
            log_loss: 0.30,
            rmse_bins: 0.01
        }
    ));
    // Judging parameters that are far off on a history from the truth: the wrong ones as the
    // "fitted" candidate would never be adopted over the truth.
    let truth = known();
    let history = synthetic_history(&truth, 300, 6, 3);
    let items: Vec<_> = optimize::items(&history)
        .into_iter()
        .map(|(_, i)| i)
        .collect();
    let right = optimize::judge(&truth, &items).expect("judge");
    let wrong = optimize::judge(&optimize::defaults(), &items).expect("judge");
    assert!(!optimize::adopt(&right, &wrong), "{right:?} vs {wrong:?}");
}

#[test]
fn too_little_history_is_not_fitted() {
    let history = synthetic_history(&optimize::defaults(), 20, 5, 1);
    assert!(matches!(
        optimize::fit(&history, &optimize::defaults()),
        Err(OptimizeError::NotEnough {
            need: MIN_REVIEWS,
            ..
        })
    ));
    let now = jiff::Timestamp::UNIX_EPOCH;
    assert!(!optimize::due(MIN_REVIEWS - 1, None, now));
    assert!(optimize::due(MIN_REVIEWS, None, now));
    assert!(!optimize::due(900, Some((now, 500)), now));
    assert!(optimize::due(1500, Some((now, 500)), now));
    let later = now + jiff::SignedDuration::from_hours(24 * 30);
    assert!(optimize::due(900, Some((now, 500)), later));
}

/// The synthetic history as rows of the review log of pack `p`.
fn log_rows(events: &[optimize::ReviewEvent]) -> Vec<LogEntry> {
    events
        .iter()
        .map(|e| LogEntry {
            card_id: e.card.clone(),
            reviewed_at: e.at,
            rating: match e.rating {
                1 => Rating::Again,
                2 => Rating::Hard,
                4 => Rating::Easy,
                _ => Rating::Good,
            },
            elapsed_days: e.elapsed_days,
            state_before: State::Review,
            state_after: State::Review,
            stability: 1.0,
            difficulty: 5.0,
            due_after: e.at,
            duration_ms: 3000,
        })
        .collect()
}

#[test]
fn coldstart_optimize_fits_records_and_adopts() {
    let mut store = Store::open_in_memory().expect("store");
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let now = jiff::Timestamp::UNIX_EPOCH + jiff::SignedDuration::from_hours(24 * 800);
    assert_eq!(
        coldstart::cli::optimize::run(&store, "p", now, false, &mut out, &mut err),
        1,
        "no history yet"
    );
    assert!(String::from_utf8_lossy(&out).contains("not enough history"));
    let rows = log_rows(&synthetic_history(&known(), 1000, 8, 7));
    store.import_reviews("p", &[], &rows).expect("import");
    out.clear();
    let code = coldstart::cli::optimize::run(&store, "p", now, true, &mut out, &mut err);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
    let json: serde_json::Value = serde_json::from_slice(&out).expect("json");
    assert_eq!(json["report"]["adopt"], true, "{json}");
    assert!(
        json["report"]["fitted_fit"]["log_loss"].as_f64()
            < json["report"]["current_fit"]["log_loss"].as_f64()
    );
    let in_use = store.params_in_use("p").expect("read").expect("adopted");
    assert!(distance(&in_use.params, &known()) < distance(&optimize::defaults(), &known()));

    // Again: judged against the fitted parameters now in use, a refit is not clearly better.
    out.clear();
    let code = coldstart::cli::optimize::run(&store, "p", now, false, &mut out, &mut err);
    assert_eq!(code, 0);
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains("Decision: kept"), "{text}");
    assert_eq!(
        store
            .params_in_use("p")
            .expect("read")
            .expect("adopted")
            .params,
        in_use.params
    );
}

#[test]
fn the_app_uses_an_adopted_fit_and_returns_to_the_defaults() {
    let mut state = AppState::in_memory(support::mini_pack(), support::clock()).expect("state");
    state.tick();
    assert_eq!(state.parameters(), optimize::defaults().as_slice());
    assert!(state.parameters_in_use().is_none());
    let history = synthetic_history(&known(), 1000, 8, 7);
    let report = optimize::fit(&history, &optimize::defaults()).expect("fit");
    assert!(report.adopt);
    state.apply_fit(5600, &report);
    assert_eq!(state.parameters(), report.fitted.as_slice());
    assert_eq!(state.parameters_in_use().map(|p| p.reviews), Some(5600));
    state.return_to_default_parameters();
    assert_eq!(state.parameters(), optimize::defaults().as_slice());
    assert!(state.parameters_in_use().is_none());
    assert!(state.last_fit().is_some(), "the history is kept");
}

#[test]
fn the_app_fits_in_the_background_when_enough_history_is_there() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let (mut store, _) = Store::open_in_dir(dir.path()).expect("create");
        let rows = log_rows(&synthetic_history(&known(), 1000, 8, 7));
        store.import_reviews("mini", &[], &rows).expect("import");
    }
    let mut state =
        AppState::open_in_dir(support::mini_pack(), dir.path(), support::clock()).expect("open");
    for _ in 0..400 {
        state.tick();
        if state.last_fit().is_some() && !state.fit_running() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    let fit = state
        .last_fit()
        .cloned()
        .expect("a fit was made in the background");
    assert!(fit.adopted, "{}", fit.reason);
    assert_eq!(state.parameters(), fit.params.as_slice());
    assert_eq!(fit.reviews, 7000);
    // The next start does not fit again: nothing new since.
    drop(state);
    let mut state =
        AppState::open_in_dir(support::mini_pack(), dir.path(), support::clock()).expect("open");
    for _ in 0..400 {
        state.tick();
        if !state.fit_running() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    assert_eq!(
        state.last_fit().map(|f| f.made_at),
        Some(fit.made_at),
        "no new fit"
    );
    assert_eq!(
        state.parameters(),
        fit.params.as_slice(),
        "the adopted fit is used"
    );
}
