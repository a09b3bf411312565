//! Tools for pack authors (instructors): a starter pack (`scaffold`), a linter for the writing of
//! questions (`lint`, with `locate` finding where things are written), item statistics from
//! learners' answers (`item_stats`), and exchange with Anki, Moodle and spreadsheets
//! (`exchange`). Core code: no egui, no SQL (the store reads live in `store::item_stats`).

pub mod exchange;
pub mod item_stats;
pub mod lint;
pub mod locate;
pub mod scaffold;
