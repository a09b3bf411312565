//! `coldstart export reports`: learners' problem reports as CSV for the pack's author.

use std::io::Write;

use crate::store::{ProblemReport, Store, StoreError};

/// Writes every report on `pack_id` as CSV (header row, oldest first).
pub fn write(store: &Store, pack_id: &str, out: &mut dyn Write) -> Result<(), ReportsError> {
    let rows = store.problem_reports(pack_id)?;
    write_rows(&rows, out)
}

#[derive(Debug, thiserror::Error)]
pub enum ReportsError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("cannot write the export: {0}")]
    Csv(#[from] csv::Error),
}

pub fn write_rows(rows: &[ProblemReport], out: &mut dyn Write) -> Result<(), ReportsError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "reported_at",
        "pack_id",
        "item_kind",
        "item_id",
        "reason",
        "note",
    ])?;
    for r in rows {
        let at = jiff::Timestamp::from_millisecond(r.reported_ms)
            .map(|t| t.to_string())
            .unwrap_or_default();
        w.write_record([
            at.as_str(),
            &r.pack_id,
            r.item.as_str(),
            &r.item_id,
            r.reason.as_str(),
            &r.note,
        ])?;
    }
    w.flush().map_err(csv::Error::from)?;
    Ok(())
}
