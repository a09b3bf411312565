//! The user interface: the eframe app, one module per screen, shared widgets and the theme.
//!
//! Screens hold view state only; sessions live in `AppState`. They read `AppState`, call its
//! operations, and push [`Command`]s for navigation, which the app applies after the frame.

pub mod backups;
pub mod dashboard;
pub mod notes;
pub mod packs;
pub mod params;
pub mod preview;
pub mod progress;
pub mod quiz;
mod readiness;
pub mod results;
pub mod retention;
pub mod review;
mod shell;
pub mod sim;
pub mod simulators;
mod table;
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
    Packs,
    /// Preview mode's view of every card and question (`--preview`); shown only in that mode.
    Browse,
}

impl Screen {
    pub const ALL: [Screen; 8] = [
        Screen::Dashboard,
        Screen::Notes,
        Screen::Review,
        Screen::Quiz,
        Screen::Simulators,
        Screen::Progress,
        Screen::Packs,
        Screen::Browse,
    ];

    /// Whether the screen exists for this pack (the Simulators screen only when it declares a
    /// simulator).
    pub fn available(self, pack: &crate::content::Pack) -> bool {
        match self {
            Screen::Simulators => simulators::available(pack),
            _ => true,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Screen::Dashboard => "Dashboard",
            Screen::Notes => "Notes",
            Screen::Review => "Review",
            Screen::Quiz => "Quiz",
            Screen::Simulators => "Simulators",
            Screen::Progress => "Progress",
            Screen::Packs => "Packs",
            Screen::Browse => "Browse",
        }
    }

    /// The single-letter shortcut, as in Anki: the first letter of the label (Packs: K, as P is
    /// Progress).
    pub fn key(self) -> egui::Key {
        match self {
            Screen::Dashboard => egui::Key::D,
            Screen::Notes => egui::Key::N,
            Screen::Review => egui::Key::R,
            Screen::Quiz => egui::Key::Q,
            Screen::Simulators => egui::Key::S,
            Screen::Progress => egui::Key::P,
            Screen::Packs => egui::Key::K,
            Screen::Browse => egui::Key::B,
        }
    }
}

/// What a screen asks the app to do after the frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Go(Screen),
    /// Open a note at a section.
    OpenSection(SectionRef),
    /// Open this simulator (ignored when the pack does not declare it).
    OpenSimulator(crate::sim::Kind),
    /// Drill a note section (or, with an empty anchor, a whole topic): its questions as a
    /// practice session, its cards first in Review.
    Drill(SectionRef),
    /// Switch, install or remove a pack (the Packs screen).
    Pack(packs::PackAction),
    /// Start (`true`) or leave previewing the open pack as its author: the Browse screen, on a
    /// state that records nothing, the learner's own set aside until they leave.
    Preview(bool),
}
