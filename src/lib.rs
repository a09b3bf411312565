//! coldstart: learn AWS Lambda for the certification exams, offline.
//!
//! The core (`content`, `srs`, `quiz`, `sim`) knows nothing of egui; `store` is the only module
//! that speaks SQL; `ui` draws and talks to the core. See ARCHITECTURE.md.

pub mod app;
pub mod authoring;
pub mod cli;
pub mod clock;
pub mod content;
pub mod format;
pub mod library;
pub mod memory;
pub mod quiz;
pub mod sim;
pub mod srs;
pub mod store;
pub mod ui;
