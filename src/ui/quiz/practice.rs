//! Practice: one question at a time, revealed as soon as it is answered.

use egui::{RichText, Ui};
use egui_commonmark::CommonMarkCache;

use super::View;
use super::question;
use crate::app::AppState;
use crate::ui::{Command, theme};

pub(super) fn ui(
    ui: &mut Ui,
    state: &mut AppState,
    cache: &mut CommonMarkCache,
    cmds: &mut Vec<Command>,
) -> Option<View> {
    let Some(p) = &state.quiz.practice else {
        return Some(View::Home);
    };
    if p.session.is_finished() {
        return Some(report_view(state));
    }
    let mut next = None;
    let pos = p.session.position();
    let total = p.session.len();
    let Some((item, response)) = p.session.current() else {
        return Some(View::Home);
    };
    let (item, response) = (item.clone(), response.clone());
    let revealed = response.submitted;

    // Keys first, so a click and a key in the same frame do not both apply.
    if !revealed && let Some(place) = question::pressed_choice(ui, item.order.len()) {
        state.practice_toggle(place);
    }
    if question::pressed_enter(ui) {
        if revealed {
            state.practice_next();
        } else if state
            .quiz
            .practice
            .as_ref()
            .is_some_and(|p| p.session.can_submit())
        {
            state.practice_submit();
        }
    }

    ui.add_space(theme::GAP);
    ui.horizontal(|ui| {
        ui.label(theme::heading("Practice"));
        ui.add_space(theme::GAP);
        let topic = state
            .pack
            .topic(&item.question.topic)
            .map_or(item.question.topic.as_str(), |t| t.title.as_str());
        ui.label(
            RichText::new(format!("Question {} of {total} · {topic}", pos + 1))
                .color(theme::muted(ui.visuals())),
        );
        if item.question.tags.iter().any(|t| t == "generated") {
            ui.label(RichText::new("generated").color(theme::accent(ui.visuals())));
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("End practice").clicked() {
                state.practice_end();
                next = Some(report_view(state));
            }
        });
    });
    ui.separator();

    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.set_max_width(ui.available_width().min(theme::READING_WIDTH));
        question::stem(ui, cache, &item, cmds);
        ui.add_space(theme::GAP / 2.0);
        let Some(p) = &state.quiz.practice else {
            return;
        };
        let response = p
            .session
            .current()
            .map(|(_, r)| r.clone())
            .unwrap_or_default();
        if revealed {
            let correct = item.is_correct(&response.chosen);
            let (tone, verdict) = if correct {
                (theme::correct(ui.visuals()), "Correct")
            } else {
                (theme::wrong(ui.visuals()), "Incorrect")
            };
            ui.label(RichText::new(verdict).color(tone).strong().size(18.0));
            question::revealed_choices(ui, &item, &response);
            question::explanation(ui, cache, &item, &state.pack, cmds);
            if matches!(item.origin, crate::quiz::Origin::Authored) {
                let id = item.question.id.clone();
                crate::ui::widgets::report_problem(
                    ui,
                    state,
                    crate::store::ReportItem::Question,
                    &id,
                );
            }
        } else if let Some(place) = question::choice_buttons(ui, &item, &response, true) {
            state.practice_toggle(place);
        }
        let Some(p) = &state.quiz.practice else {
            return;
        };
        let (can, left) = (p.session.can_submit(), p.session.still_to_pick());

        ui.add_space(theme::GAP);
        ui.horizontal(|ui| {
            if revealed {
                let label = if pos + 1 == total {
                    "Finish (Enter)"
                } else {
                    "Next question (Enter)"
                };
                if ui.button(label).clicked() {
                    state.practice_next();
                }
            } else {
                if ui
                    .add_enabled(can, egui::Button::new("Submit (Enter)"))
                    .clicked()
                {
                    state.practice_submit();
                }
                if left > 0 {
                    ui.label(
                        RichText::new(format!(
                            "Pick {left} more {}",
                            if left == 1 { "choice" } else { "choices" }
                        ))
                        .color(theme::muted(ui.visuals())),
                    );
                }
            }
            let flagged = state
                .quiz
                .practice
                .as_ref()
                .and_then(|p| p.session.current())
                .is_some_and(|(_, r)| r.flagged);
            let flag_label = if flagged { "Unflag" } else { "Flag for later" };
            if ui.button(flag_label).clicked() {
                state.practice_flag();
            }
        });
        ui.label(
            RichText::new("Keys: 1–9 choose, Enter submits and continues.")
                .color(theme::muted(ui.visuals())),
        );
    });
    next
}

/// Leaves the finished (or ended) practice session for its report.
fn report_view(state: &mut AppState) -> View {
    let id = state.practice_close();
    super::report_of(state, id)
}
