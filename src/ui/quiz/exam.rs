//! The mock exam: countdown, navigator grid, flags, free navigation, a review page before
//! submitting, and automatic submission when time runs out. Nothing is revealed until then.

use std::time::Duration;

use egui::{RichText, Ui};
use egui_commonmark::CommonMarkCache;

use super::View;
use super::question;
use crate::app::AppState;
use crate::app::quiz::ActiveExam;
use crate::ui::{Command, theme};

pub(super) fn ui(
    ui: &mut Ui,
    state: &mut AppState,
    reviewing: &mut bool,
    cache: &mut CommonMarkCache,
    cmds: &mut Vec<Command>,
) -> Option<View> {
    match &state.quiz.exam {
        None => return Some(View::Home),
        // Submitted (by the learner or, in `AppState::tick`, by the clock): show the report.
        Some(e) if e.session.is_submitted() => return Some(report_view(state)),
        // Reopened after the app was closed: the clock starts again.
        Some(e) if !e.session.is_open() => state.exam_reopen(),
        Some(_) => {}
    }
    // The countdown changes once a second; no need to draw every frame.
    ui.ctx().request_repaint_after(Duration::from_secs(1));
    let Some(exam) = &state.quiz.exam else {
        return Some(View::Home);
    };

    let mut next = None;
    let now = state.clock.now();
    let remaining = exam.session.remaining_ms(now);
    let pos = exam.session.position();
    let total = exam.session.len();

    if !*reviewing {
        let status = exam.session.status(pos);
        if let Some(place) = question::pressed_choice(ui, exam.session.items[pos].order.len()) {
            state.exam_toggle(place);
        }
        if question::pressed_enter(ui) {
            if status.incomplete {
                // Say why Enter does not move on; Next still does.
                ui.data_mut(|d| d.insert_temp(enter_hint_id(), pos));
            } else if pos + 1 < total {
                state.exam_go(pos + 1);
            } else {
                *reviewing = true;
            }
        }
        if !ui.ctx().egui_wants_keyboard_input() {
            let (prev, next_key, flag) = ui.input_mut(|i| {
                (
                    i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowLeft),
                    i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowRight),
                    i.consume_key(egui::Modifiers::NONE, egui::Key::F),
                )
            });
            if prev && pos > 0 {
                state.exam_go(pos - 1);
            }
            if next_key {
                if pos + 1 < total {
                    state.exam_go(pos + 1);
                } else {
                    *reviewing = true;
                }
            }
            if flag {
                state.exam_flag();
            }
        }
    }

    ui.add_space(theme::GAP);
    ui.horizontal(|ui| {
        ui.label(theme::heading("Mock exam"));
        ui.add_space(theme::GAP);
        let low = remaining < 5 * 60 * 1000;
        let tone = if low {
            theme::wrong(ui.visuals())
        } else {
            ui.visuals().strong_text_color()
        };
        ui.label(
            RichText::new(format!("Time left {}", crate::format::clock(remaining)))
                .color(tone)
                .strong()
                .size(18.0),
        )
        .on_hover_text("The clock runs while coldstart is open, on every screen.");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if !*reviewing && ui.button("Review and submit…").clicked() {
                *reviewing = true;
            }
        });
    });
    ui.label(
        RichText::new(
            "Answers and flags are saved as you go. The clock keeps running on other screens, as \
             on the real exam; closing coldstart stops it until you come back.",
        )
        .color(theme::muted(ui.visuals())),
    );
    ui.separator();

    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_width(theme::SIDE_WIDTH);
            let clicked = state
                .quiz
                .exam
                .as_ref()
                .and_then(|exam| navigator(ui, exam));
            if let Some(p) = clicked {
                state.exam_go(p);
                *reviewing = false;
            }
        });
        ui.separator();
        ui.vertical(|ui| {
            if *reviewing {
                if let Some(v) = review_page(ui, state, reviewing) {
                    next = Some(v);
                }
            } else {
                question_page(ui, state, reviewing, cache, cmds);
            }
        });
    });
    next
}

/// Leaves the submitted exam for its report.
fn report_view(state: &mut AppState) -> View {
    let id = state.exam_close();
    super::report_of(state, id)
}

/// The grid of question numbers; returns the one clicked.
fn navigator(ui: &mut Ui, exam: &ActiveExam) -> Option<usize> {
    let mut clicked = None;
    let total = exam.session.len();
    let answered = total - exam.session.unanswered().len();
    ui.label(RichText::new(format!("{answered} of {total} answered")).strong());
    ui.label(
        RichText::new(format!("{} flagged", exam.session.flagged().len()))
            .color(theme::due(ui.visuals())),
    );
    ui.add_space(6.0);
    egui::ScrollArea::vertical()
        .id_salt("navigator")
        .max_height(ui.available_height() - 60.0)
        .show(ui, |ui| {
            egui::Grid::new("navigator-grid")
                .spacing([4.0, 4.0])
                .show(ui, |ui| {
                    for i in 0..total {
                        let s = exam.session.status(i);
                        // An incomplete answer reads apart from a blank one: "7…".
                        let label = if s.incomplete {
                            format!("{}…", i + 1)
                        } else {
                            format!("{}", i + 1)
                        };
                        let mut text = RichText::new(label);
                        if s.flagged {
                            text = text.color(theme::due(ui.visuals())).strong();
                        }
                        let fill = if s.answered {
                            theme::accent(ui.visuals()).gamma_multiply(0.45)
                        } else if s.incomplete {
                            theme::accent(ui.visuals()).gamma_multiply(0.15)
                        } else {
                            ui.visuals().extreme_bg_color
                        };
                        let current = i == exam.session.position();
                        let mut b = egui::Button::new(text)
                            .fill(fill)
                            .min_size(egui::vec2(36.0, 28.0));
                        if current {
                            b = b.stroke(egui::Stroke::new(2.0, theme::accent(ui.visuals())));
                        }
                        let answer = if s.answered {
                            "answered"
                        } else if s.incomplete {
                            "incomplete: pick more choices"
                        } else {
                            "unanswered"
                        };
                        let status = if s.flagged {
                            format!("{answer}, flagged")
                        } else {
                            answer.to_owned()
                        };
                        let r = ui
                            .add(b)
                            .on_hover_text(format!("Question {}: {status}", i + 1));
                        if r.clicked() {
                            clicked = Some(i);
                        }
                        if (i + 1) % 5 == 0 {
                            ui.end_row();
                        }
                    }
                });
        });
    ui.add_space(6.0);
    let muted = theme::muted(ui.visuals());
    ui.label(
        RichText::new("Shaded: answered · pale with …: incomplete · orange: flagged").color(muted),
    );
    clicked
}

fn question_page(
    ui: &mut Ui,
    state: &mut AppState,
    reviewing: &mut bool,
    cache: &mut CommonMarkCache,
    cmds: &mut Vec<Command>,
) {
    let Some(exam) = &state.quiz.exam else { return };
    let pos = exam.session.position();
    let total = exam.session.len();
    let Some((item, response)) = exam.session.current() else {
        return;
    };
    let (item, response) = (item.clone(), response.clone());
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.set_max_width(ui.available_width().min(theme::READING_WIDTH));
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("Question {} of {total}", pos + 1)).strong());
            if response.flagged {
                ui.label(RichText::new("Flagged for review").color(theme::due(ui.visuals())));
            }
        });
        question::stem(ui, cache, &item, cmds);
        ui.add_space(theme::GAP / 2.0);
        if let Some(place) = question::choice_buttons(ui, &item, &response, true) {
            state.exam_toggle(place);
        }
        ui.add_space(theme::GAP);
        ui.horizontal(|ui| {
            if ui
                .add_enabled(pos > 0, egui::Button::new("Previous"))
                .clicked()
            {
                state.exam_go(pos - 1);
            }
            let flag = if response.flagged {
                "Remove flag"
            } else {
                "Flag for review"
            };
            if ui.button(flag).clicked() {
                state.exam_flag();
            }
            if pos + 1 < total {
                if ui.button("Next (Enter)").clicked() {
                    state.exam_go(pos + 1);
                }
            } else if ui.button("Go to review (Enter)").clicked() {
                *reviewing = true;
            }
        });
        let hinted = ui.data(|d| d.get_temp::<usize>(enter_hint_id())) == Some(pos);
        let status = state
            .quiz
            .exam
            .as_ref()
            .map(|e| e.session.status(pos))
            .unwrap_or_default();
        if hinted && status.incomplete {
            ui.label(
                RichText::new(format!(
                    "This question asks for {} choices and you picked {}: pick the rest, or use \
                     Next to leave it incomplete (it counts as wrong unless completed).",
                    item.needed(),
                    response.chosen.len()
                ))
                .color(theme::warning(ui.visuals())),
            );
        }
        ui.label(
            RichText::new(
                "Keys: 1–9 choose, Enter or → next, ← previous, F flag; Tab reaches the navigator.",
            )
            .color(theme::muted(ui.visuals())),
        );
    });
}

/// The page before submitting: what is unanswered and flagged, and the submit button.
fn review_page(ui: &mut Ui, state: &mut AppState, reviewing: &mut bool) -> Option<View> {
    let Some(exam) = &state.quiz.exam else {
        return Some(View::Home);
    };
    let unanswered = exam.session.unanswered();
    let flagged = exam.session.flagged();
    ui.label(
        RichText::new("Review before submitting")
            .strong()
            .size(18.0),
    );
    ui.add_space(theme::GAP / 2.0);
    let mut jump = None;
    let mut list = |ui: &mut Ui, title: &str, items: &[usize], empty: &str| {
        ui.label(RichText::new(format!("{title}: {}", items.len())).strong());
        if items.is_empty() {
            ui.label(RichText::new(empty).color(theme::muted(ui.visuals())));
        } else {
            ui.horizontal_wrapped(|ui| {
                for &i in items {
                    if ui
                        .button(format!("Question {}", i + 1))
                        .on_hover_text(format!("{title}: go to question {}", i + 1))
                        .clicked()
                    {
                        jump = Some(i);
                    }
                }
            });
        }
        ui.add_space(theme::GAP / 2.0);
    };
    list(
        ui,
        "Unanswered or incomplete",
        &unanswered,
        "Every question has a complete answer.",
    );
    list(ui, "Flagged", &flagged, "No flags.");
    if let Some(i) = jump {
        state.exam_go(i);
        *reviewing = false;
        return None;
    }
    if !unanswered.is_empty() {
        ui.label(
            RichText::new(
                "Unanswered questions, and those with fewer choices than they ask for, \
                 count as wrong, as on the real exam.",
            )
            .color(theme::warning(ui.visuals())),
        );
    }
    ui.add_space(theme::GAP);
    let mut next = None;
    ui.horizontal(|ui| {
        if ui.button("Back to the exam").clicked() {
            *reviewing = false;
        }
        if ui.button("Submit exam").clicked() {
            state.exam_submit();
            next = Some(report_view(state));
        }
    });
    next
}

/// Where the question on which Enter was refused (an incomplete answer) is remembered.
fn enter_hint_id() -> egui::Id {
    egui::Id::unique("exam-enter-incomplete")
}
