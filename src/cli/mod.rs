//! Subcommands of the `coldstart` binary, as library functions so tests can call them.

pub mod backup;
pub mod check;
pub mod exams;
pub mod export;
pub mod item_stats;
pub mod lint;
pub mod new;
pub mod optimize;
pub mod pack;
pub mod reports;
pub mod sim;
pub mod stats;
