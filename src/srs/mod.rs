//! Spaced repetition: FSRS-6 scheduling (memory states from the `fsrs` crate), the learning-step
//! layer modelled on py-fsrs 6.3.2, the day's queue, exam-date pacing and review statistics.
//!
//! Pure: no egui, no SQL. Time always comes in as a `jiff::Timestamp` argument.
//!
//! Two notions of "day" meet here, on purpose:
//! - FSRS elapsed days are whole 24-hour periods since the last answer (py-fsrs's convention,
//!   which the reference vectors use) — see [`scheduler`].
//! - Due counts, daily limits and statistics use the learner's local *study day*, which starts
//!   at 4 am by default — see [`day`].

pub mod day;
pub mod exam;
pub mod optimize;
pub mod queue;
pub mod retention;
pub mod scheduler;
pub mod settings;
pub mod stats;

/// The answer buttons' interval labels ("10m", "3d"): [`crate::format::interval`].
pub use day::StudyDay;
pub use queue::{CardMark, DayLimits, DayQueue, DueCounts};
pub use scheduler::{
    CardState, Memory, Outcome, Rating, Scheduler, SchedulerConfig, SrsError, State,
};
pub use settings::{ExamSettings, SrsSettings};
pub use stats::LogEntry;
