//! `coldstart optimize [--json]`: fits FSRS parameters to your review history (app closed), as
//! the app does by itself, and prints both figures on the held-out reviews and the decision.

use std::io::Write;

use jiff::Timestamp;

use crate::app::params::inputs;
use crate::srs::optimize::{self, OptimizeError};
use crate::store::Store;

/// Fits, records the fit and (when it predicts better) adopts it. Exit 0 (fitted, adopted or
/// not), 1 when there is not enough history yet, 2 on an error.
pub fn run(
    store: &Store,
    pack: &str,
    now: Timestamp,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let (current, events) = match inputs(store, pack) {
        Ok(x) => x,
        Err(e) => {
            let _ = writeln!(err, "coldstart: {e}");
            return 2;
        }
    };
    let usable = optimize::usable_reviews(&events);
    let report = match optimize::fit(&events, &current) {
        Ok(r) => r,
        Err(e @ OptimizeError::NotEnough { .. }) => {
            if json {
                let _ = writeln!(
                    out,
                    "{}",
                    serde_json::json!({ "usable_reviews": usable, "needed": optimize::MIN_REVIEWS, "adopt": false })
                );
            } else {
                let _ = writeln!(out, "{e}; the default parameters stay in use.");
            }
            return 1;
        }
        Err(e) => {
            let _ = writeln!(err, "coldstart: {e}");
            return 2;
        }
    };
    if let Err(e) = store.record_fit(pack, now, usable, &report) {
        let _ = writeln!(err, "coldstart: could not save the fit: {e}");
        return 2;
    }
    if json {
        let value = serde_json::json!({ "usable_reviews": usable, "report": report });
        let _ = writeln!(out, "{value}");
    } else {
        let _ = writeln!(
            out,
            "Reviews of cards past their first day: {usable} (fitted on the oldest {}, judged on the newest {})",
            report.train_items, report.test_items
        );
        let _ = writeln!(out, "                 log loss   RMSE (bins)");
        let _ = writeln!(
            out,
            "in use           {:<10.4} {:.4}",
            report.current_fit.log_loss, report.current_fit.rmse_bins
        );
        let _ = writeln!(
            out,
            "fitted           {:<10.4} {:.4}",
            report.fitted_fit.log_loss, report.fitted_fit.rmse_bins
        );
        let _ = writeln!(out, "Decision: {}", report.reason);
        let in_use = if report.adopt {
            &report.fitted
        } else {
            &report.current
        };
        let list: Vec<String> = in_use.iter().map(|w| format!("{w:.4}")).collect();
        let _ = writeln!(out, "Parameters in use: {}", list.join(", "));
    }
    0
}
