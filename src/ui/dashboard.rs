//! The dashboard: what there is to do today, at a glance.

use egui::RichText;

use crate::app::AppState;
use crate::app::progress::{STREAK_LOOKBACK_DAYS, STREAK_WINDOW_DAYS};

use super::{Command, Screen, theme, widgets};

#[derive(Default)]
pub struct DashboardScreen {}

impl DashboardScreen {
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &mut AppState, cmds: &mut Vec<Command>) {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.add_space(theme::GAP);
            ui.label(theme::heading(&state.pack.meta.title));
            ui.label(
                RichText::new(state.pack.meta.description.trim()).color(theme::muted(ui.visuals())),
            );
            ui.add_space(theme::GAP);

            widgets::tile_grid(ui, 6, 280.0, |ui, i| match i {
                0 => super::review::dashboard_tile(ui, state, cmds), // ui::review
                1 => reading_tile(ui, state, cmds),
                2 => exam_tile(ui, state, cmds),
                3 => weakest_tile(ui, state, cmds),
                4 => standing_tile(ui, state),
                _ => pack_tile(ui, state, cmds),
            });
        });
    }
}

/// Notes read, and the next one to read.
fn reading_tile(ui: &mut egui::Ui, state: &mut AppState, cmds: &mut Vec<Command>) {
    let (read, total) = state.notes_read_count();
    widgets::tile(ui, "Reading", |ui| {
        ui.label(theme::big_number(format!("{read} of {total}")));
        ui.label("notes read");
        let next = state
            .pack
            .notes
            .iter()
            .find(|n| !state.is_note_read(&n.topic));
        match next {
            Some(note) if ui.button(format!("Read next: {}", note.title)).clicked() => {
                cmds.push(Command::OpenSection(crate::content::SectionRef {
                    topic: note.topic.clone(),
                    anchor: String::new(),
                }));
            }
            Some(_) => {}
            None if total > 0 => {
                ui.label(RichText::new("Every note read.").color(theme::correct(ui.visuals())));
            }
            None => {}
        }
    });
}

/// What the pack holds.
fn pack_tile(ui: &mut egui::Ui, state: &mut AppState, cmds: &mut Vec<Command>) {
    let pack = &state.pack;
    widgets::tile(ui, "In this pack", |ui| {
        ui.label(theme::big_number(pack.topics.len().to_string()));
        ui.label(format!(
            "topics · {} cards · {} questions",
            pack.cards.len(),
            pack.questions.len()
        ));
        if ui.button("Browse notes").clicked() {
            cmds.push(Command::Go(Screen::Notes));
        }
    });
}

/// The study streak.
fn standing_tile(ui: &mut egui::Ui, state: &mut AppState) {
    let Some(standing) = state.standing() else {
        return;
    };
    let streak = standing.streak;
    widgets::tile(ui, "Study streak", |ui| {
        let days = match streak.current {
            1 => "1 day".to_owned(),
            n if n >= STREAK_LOOKBACK_DAYS => format!("{STREAK_LOOKBACK_DAYS}+ days"),
            n => format!("{n} days"),
        };
        ui.label(theme::big_number(days));
        let today = if streak.studied_today {
            RichText::new("Studied today.").color(theme::correct(ui.visuals()))
        } else if streak.current > 0 {
            RichText::new("Answer a card or a question today to keep it.")
                .color(theme::warning(ui.visuals()))
        } else {
            RichText::new("Answer a card or a question to start one.")
                .color(theme::muted(ui.visuals()))
        };
        ui.label(today);
        ui.label(format!(
            "Studied on {} of the last {STREAK_WINDOW_DAYS} days",
            streak.days_in_window
        ));
    });
}

/// The started topic with the lowest score (never one at 100 %), with a drill.
fn weakest_tile(ui: &mut egui::Ui, state: &mut AppState, cmds: &mut Vec<Command>) {
    let Some(standing) = state.standing() else {
        return;
    };
    widgets::tile(ui, "Work on next", |ui| match standing.weakest() {
        Some(weak) => {
            ui.label(RichText::new(&weak.title).strong().size(18.0));
            if weak.cards_seen > 0 {
                ui.label(format!(
                    "{:.0} % of its cards recalled today",
                    weak.recall * 100.0
                ));
            }
            if weak.questions_answered > 0 {
                ui.label(format!(
                    "{} of {} questions right",
                    weak.questions_right, weak.questions_answered
                ));
            }
            ui.horizontal_wrapped(|ui| {
                if ui
                    .button("Drill it")
                    .on_hover_text("Its questions as practice, its cards first in Review")
                    .clicked()
                {
                    cmds.push(Command::Drill(crate::content::SectionRef {
                        topic: weak.topic.clone(),
                        anchor: String::new(),
                    }));
                }
                if ui.button("Every topic (P)").clicked() {
                    cmds.push(Command::Go(Screen::Progress));
                }
            });
        }
        None => {
            ui.label(
                RichText::new("Answer some cards or questions: the weakest topic shows here.")
                    .color(theme::muted(ui.visuals())),
            );
        }
    });
}

/// The exam the learner prepares for: a mock exam in progress first (with its time left and
/// Resume), then the readiness estimate and the latest mock scores.
fn exam_tile(ui: &mut egui::Ui, state: &mut AppState, cmds: &mut Vec<Command>) {
    let Some(outlook) = state.exam_outlook() else {
        return;
    };
    let code = state.chosen_exam().code.clone();
    widgets::tile(ui, &format!("Ready for {code}?"), |ui| {
        ui.vertical(|ui| {
            ui.set_max_width(ui.available_width().min(340.0));
            let muted = theme::muted(ui.visuals());
            if let Some(open) = &outlook.unfinished {
                let left = state
                    .exam_time_left()
                    .map(|ms| format!(", {} left", crate::format::clock(ms)))
                    .unwrap_or_default();
                ui.label(
                    RichText::new(format!(
                        "Mock exam in progress: {} of {} answered{left}.",
                        open.answered, open.total
                    ))
                    .color(theme::due(ui.visuals()))
                    .strong(),
                );
                if ui.button("Resume mock exam").clicked()
                    && (state.quiz.exam.is_some() || state.resume_exam(open.id))
                {
                    cmds.push(Command::Go(Screen::Quiz));
                }
                ui.add_space(theme::GAP / 2.0);
            }
            let r = &outlook.readiness;
            match (r.predicted, r.interval) {
                (Some(p), Some(i)) => {
                    ui.label(theme::big_number(format!("{:.0} %", p * 100.0)));
                    ui.label(format!(
                        "predicted on one sitting (80 % interval {:.0}–{:.0} %; pass {:.0} %)",
                        i.low * 100.0,
                        i.high * 100.0,
                        r.pass * 100.0
                    ));
                    let (tone, verdict) = if r.ready {
                        (
                            theme::correct(ui.visuals()),
                            "Ready: even the low end of the interval passes.",
                        )
                    } else {
                        (
                            theme::warning(ui.visuals()),
                            "Not yet ready: the low end of the interval is under the pass mark.",
                        )
                    };
                    ui.label(RichText::new(verdict).color(tone));
                    ui.label(
                        RichText::new(format!(
                            "From your first answers to {} questions.",
                            r.first_sight
                        ))
                        .color(muted),
                    );
                }
                _ => {
                    ui.label(theme::big_number("—"));
                    ui.label(format!(
                        "Answer {} more questions you have not seen before (some in every \
                         exam domain) for a predicted score.",
                        r.more_needed
                    ));
                }
            }
            if let Some(last) = outlook.mocks.last() {
                let trend = match outlook
                    .mocks
                    .len()
                    .checked_sub(2)
                    .map(|i| &outlook.mocks[i])
                {
                    Some(prev) if last.fraction > prev.fraction + 1e-9 => " (up)",
                    Some(prev) if last.fraction + 1e-9 < prev.fraction => " (down)",
                    Some(_) => " (same)",
                    None => "",
                };
                ui.label(format!(
                    "Latest mock exam: {:.0} %{trend}; {} taken.",
                    last.fraction * 100.0,
                    outlook.mocks.len()
                ));
            }
            if let Some(p) = &outlook.latest_practice {
                ui.label(format!(
                    "Latest practice: {} of {} right.",
                    p.correct.unwrap_or(0),
                    p.answered
                ));
            }
            if outlook.unfinished.is_none() && ui.button("Start a mock exam (Q)").clicked() {
                cmds.push(Command::Go(Screen::Quiz));
            }
        });
    });
}
