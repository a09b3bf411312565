//! The user interface: the eframe app, one module per screen, shared widgets and the theme.
//!
//! Screens hold view state only; sessions live in `AppState`. They read `AppState`, call its
//! operations, and push [`Command`]s for navigation, which the app applies after the frame.

pub mod backups;
pub mod dashboard;
pub mod notes;
pub mod params;
pub mod progress;
pub mod quiz;
pub mod retention;
pub mod review;
mod shell;
pub mod sim;
pub mod simulators;
pub mod theme;
pub mod widgets;

pub use shell::ColdstartApp;

use crate::content::SectionRef;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Screen {
    Dashboard,
    Notes,
    Review,
    Quiz,
    Simulators,
    Progress,
}

impl Screen {
    pub const ALL: [Screen; 6] = [
        Screen::Dashboard,
        Screen::Notes,
        Screen::Review,
        Screen::Quiz,
        Screen::Simulators,
        Screen::Progress,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Screen::Dashboard => "Dashboard",
            Screen::Notes => "Notes",
            Screen::Review => "Review",
            Screen::Quiz => "Quiz",
            Screen::Simulators => "Simulators",
            Screen::Progress => "Progress",
        }
    }

    /// The single-letter shortcut, as in Anki: the first letter of the label.
    pub fn key(self) -> egui::Key {
        match self {
            Screen::Dashboard => egui::Key::D,
            Screen::Notes => egui::Key::N,
            Screen::Review => egui::Key::R,
            Screen::Quiz => egui::Key::Q,
            Screen::Simulators => egui::Key::S,
            Screen::Progress => egui::Key::P,
        }
    }
}

/// What a screen asks the app to do after the frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Go(Screen),
    /// Open a note at a section.
    OpenSection(SectionRef),
    /// Open the simulator with this name (`retry`, `traffic`, `concurrency`, `sqs`, `kinesis`).
    OpenSimulator(String),
}
