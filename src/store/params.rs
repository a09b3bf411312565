//! FSRS parameters fitted to the learner, per pack, with their history (`fsrs_params`).

use jiff::Timestamp;
use rusqlite::OptionalExtension;

use std::path::Path;

use crate::srs::optimize::{Fit, FitReport, ReviewEvent};

use super::{Broken, Store, StoreError, read_only_conn};

/// Reviews of cards past their first day (answers with `elapsed_days > 0`: what the optimiser
/// can learn from) of `pack` in the progress file at `path`, counted on a read-only connection
/// of its own.
pub fn usable_reviews_in_file(path: &Path, pack: &str) -> Result<usize, StoreError> {
    let conn = read_only_conn(path, false).map_err(Broken::into_error)?;
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM review_log WHERE pack_id = ?1 AND elapsed_days > 0",
        [pack],
        |r| r.get(0),
    )?;
    Ok(n.max(0) as usize)
}

/// The review log of `pack` in the progress file at `path`, as the optimiser needs it, read on a
/// read-only connection of its own — so the background fit reads it beside the app's connection,
/// off the frame loop. Rows that cannot be read are skipped.
pub fn review_events_in_file(path: &Path, pack: &str) -> Result<Vec<ReviewEvent>, StoreError> {
    let conn = read_only_conn(path, false).map_err(Broken::into_error)?;
    let mut stmt = conn.prepare(
        "SELECT card_id, reviewed_ms, rating, elapsed_days FROM review_log
         WHERE pack_id = ?1 ORDER BY reviewed_ms, id",
    )?;
    let rows = stmt.query_map([pack], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, Option<i64>>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (card, ms, rating, elapsed) = row?;
        let (Ok(at), 1..=4) = (Timestamp::from_millisecond(ms), rating) else {
            continue;
        };
        out.push(ReviewEvent {
            card,
            at,
            rating: rating as u32,
            elapsed_days: elapsed.and_then(|d| u32::try_from(d).ok()),
        });
    }
    Ok(out)
}

/// One row of the history: a fit (adopted or not) or a return to the defaults.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ParamsRecord {
    pub made_at: Timestamp,
    /// `"fit"` or `"defaults"`.
    pub kind: String,
    /// Usable reviews (cards past their first day) at the time.
    pub reviews: usize,
    /// The fitted parameters (or the defaults, for a return to them).
    pub params: Vec<f32>,
    /// Held-out figures of the parameters in use before, and of the fitted ones.
    pub before: Option<Fit>,
    pub after: Option<Fit>,
    pub adopted: bool,
    pub reason: String,
}

impl Store {
    /// Records a fit and its decision.
    pub fn record_fit(
        &self,
        pack: &str,
        at: Timestamp,
        reviews: usize,
        report: &FitReport,
    ) -> Result<(), StoreError> {
        self.insert_params(
            pack,
            at,
            "fit",
            reviews,
            &report.fitted,
            Some(report.current_fit),
            Some(report.fitted_fit),
            report.adopt,
            &report.reason,
        )
    }

    /// Records a return to the default parameters (they are in use from now on).
    pub fn reset_params(
        &self,
        pack: &str,
        at: Timestamp,
        reviews: usize,
    ) -> Result<(), StoreError> {
        self.insert_params(
            pack,
            at,
            "defaults",
            reviews,
            &crate::srs::optimize::defaults(),
            None,
            None,
            true,
            "returned to the default parameters",
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn insert_params(
        &self,
        pack: &str,
        at: Timestamp,
        kind: &str,
        reviews: usize,
        params: &[f32],
        before: Option<Fit>,
        after: Option<Fit>,
        adopted: bool,
        reason: &str,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(params).unwrap_or_else(|_| "[]".into());
        self.conn().execute(
            "INSERT INTO fsrs_params (pack_id, made_ms, kind, reviews, params, current_log_loss,
                 current_rmse, fitted_log_loss, fitted_rmse, adopted, reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            rusqlite::params![
                pack,
                at.as_millisecond(),
                kind,
                reviews as i64,
                json,
                before.map(|f| f.log_loss),
                before.map(|f| f.rmse_bins),
                after.map(|f| f.log_loss),
                after.map(|f| f.rmse_bins),
                adopted,
                reason
            ],
        )?;
        Ok(())
    }

    /// The adopted parameters in use for `pack`: the newest adopted row, or `None` for the
    /// defaults. A row whose parameters cannot be read counts as none (the defaults apply).
    pub fn params_in_use(&self, pack: &str) -> Result<Option<ParamsRecord>, StoreError> {
        self.params_where(pack, "AND adopted = 1")
    }

    /// The newest fit for `pack`, adopted or not (when to fit again).
    pub fn last_fit(&self, pack: &str) -> Result<Option<ParamsRecord>, StoreError> {
        self.params_where(pack, "AND kind = 'fit'")
    }

    fn params_where(&self, pack: &str, cond: &str) -> Result<Option<ParamsRecord>, StoreError> {
        let row = self
            .conn()
            .query_row(
                &format!(
                    "SELECT made_ms, kind, reviews, params, current_log_loss, current_rmse,
                        fitted_log_loss, fitted_rmse, adopted, reason
                     FROM fsrs_params WHERE pack_id = ?1 {cond}
                     ORDER BY made_ms DESC, id DESC LIMIT 1"
                ),
                [pack],
                |r| {
                    let fit = |a: Option<f64>, b: Option<f64>| match (a, b) {
                        (Some(log_loss), Some(rmse_bins)) => Some(Fit {
                            log_loss,
                            rmse_bins,
                        }),
                        _ => None,
                    };
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, String>(3)?,
                        fit(r.get(4)?, r.get(5)?),
                        fit(r.get(6)?, r.get(7)?),
                        r.get::<_, bool>(8)?,
                        r.get::<_, String>(9)?,
                    ))
                },
            )
            .optional()?;
        Ok(row.and_then(
            |(ms, kind, reviews, params, before, after, adopted, reason)| {
                Some(ParamsRecord {
                    made_at: Timestamp::from_millisecond(ms).ok()?,
                    kind,
                    reviews: reviews.max(0) as usize,
                    params: serde_json::from_str(&params).ok()?,
                    before,
                    after,
                    adopted,
                    reason,
                })
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::optimize::{Fit, FitReport};

    #[test]
    fn the_newest_adopted_row_is_in_use() {
        let store = Store::open_in_memory().expect("store");
        assert_eq!(store.params_in_use("p").expect("read"), None);
        let mut fitted = crate::srs::optimize::defaults();
        fitted[0] = 1.0;
        let report = FitReport {
            train_items: 8,
            test_items: 2,
            current: crate::srs::optimize::defaults(),
            current_fit: Fit {
                log_loss: 0.3,
                rmse_bins: 0.05,
            },
            fitted: fitted.clone(),
            fitted_fit: Fit {
                log_loss: 0.2,
                rmse_bins: 0.04,
            },
            adopt: true,
            reason: "better".into(),
        };
        let t = Timestamp::UNIX_EPOCH;
        store.record_fit("p", t, 10, &report).expect("fit");
        let used = store.params_in_use("p").expect("read").expect("a row");
        assert_eq!(used.params, fitted);
        assert_eq!(used.after, Some(report.fitted_fit));
        let worse = FitReport {
            adopt: false,
            fitted: vec![9.0; 21],
            ..report
        };
        store
            .record_fit("p", t + jiff::SignedDuration::from_secs(1), 20, &worse)
            .expect("fit");
        assert_eq!(
            store.params_in_use("p").expect("read").expect("row").params,
            fitted
        );
        assert_eq!(store.last_fit("p").expect("read").expect("row").reviews, 20);
        store
            .reset_params("p", t + jiff::SignedDuration::from_secs(2), 20)
            .expect("reset");
        let used = store.params_in_use("p").expect("read").expect("row");
        assert_eq!(used.kind, "defaults");
        assert_eq!(used.params, crate::srs::optimize::defaults());
        assert_eq!(store.params_in_use("q").expect("read"), None);
    }
}
