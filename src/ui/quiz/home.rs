//! The Quiz home page: set up a practice session or a mock exam, resume an unfinished exam,
//! and reopen past attempts.

use std::collections::BTreeSet;

use egui::{RichText, Ui};

use super::View;
use crate::app::AppState;
use crate::content::ExamStatus;
use crate::format::clock;
use crate::quiz::{ExamConfig, PracticeConfig, generate};
use crate::store::{AttemptMode, AttemptSummary};
use crate::ui::theme;

/// The settings on the home page, kept while the screen lives.
#[derive(Clone, Debug, Default)]
pub struct HomeForm {
    /// Topics chosen for practice; empty means all.
    pub topics: BTreeSet<String>,
    pub practice: PracticeConfig,
    pub exam: ExamConfig,
    /// The unfinished exam the learner asked to discard, awaiting confirmation.
    confirm_discard: Option<i64>,
    /// Every past attempt, not only the most recent.
    show_all_attempts: bool,
}

/// The two set-up panels' widths, side by side.
const PRACTICE_WIDTH: f32 = 520.0;
const EXAM_WIDTH: f32 = 420.0;

/// Past attempts listed before "Show all".
const RECENT_ATTEMPTS: usize = 50;

pub(super) fn ui(
    ui: &mut Ui,
    state: &mut AppState,
    form: &mut HomeForm,
    attempts: &[AttemptSummary],
) -> Option<View> {
    let mut next = None;
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.add_space(theme::GAP);
        ui.label(theme::heading("Quiz"));
        ui.add_space(theme::GAP / 2.0);

        if let Some(open) = attempts
            .iter()
            .find(|a| a.mode == AttemptMode::Exam && a.finished_ms.is_none())
        {
            let tone = theme::due(ui.visuals());
            egui::Frame::new()
                .fill(theme::banner_fill(ui.visuals(), tone))
                .inner_margin(theme::GAP)
                .show(ui, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(
                            RichText::new(format!(
                                "A mock exam is in progress: {} of {} answered, {} used.",
                                open.answered,
                                open.total,
                                clock(open.elapsed_ms)
                            ))
                            .color(tone),
                        );
                        if ui.button("Resume exam").clicked() && state.resume_exam(open.id) {
                            next = Some(View::Exam { reviewing: false });
                        }
                        if form.confirm_discard == Some(open.id) {
                            ui.label(RichText::new("Discard it and its answers?").color(tone));
                            if ui.button("Yes, discard").clicked() {
                                state.discard_exam(open.id);
                                form.confirm_discard = None;
                                next = Some(View::Home); // re-reads the list
                            }
                            if ui.button("Keep it").clicked() {
                                form.confirm_discard = None;
                            }
                        } else if ui
                            .button("Discard…")
                            .on_hover_text("Delete this unfinished exam and its answers")
                            .clicked()
                        {
                            form.confirm_discard = Some(open.id);
                        }
                    });
                });
            ui.add_space(theme::GAP);
        }

        let unfinished = attempts
            .iter()
            .any(|a| a.mode == AttemptMode::Exam && a.finished_ms.is_none());
        // Side by side when they fit, one above the other in a narrow window (or at a large
        // interface scale); a panel never runs off the window.
        let gap = ui.spacing().item_spacing.x + 4.0 * theme::GAP;
        let avail = ui.available_width();
        let side_by_side = avail >= PRACTICE_WIDTH + EXAM_WIDTH + gap;
        let (pw, ew) = if side_by_side {
            (PRACTICE_WIDTH, EXAM_WIDTH)
        } else {
            let w = (avail - 2.0 * theme::GAP).min(PRACTICE_WIDTH);
            (w, w)
        };
        let v = if side_by_side {
            ui.horizontal_top(|ui| set_up_panels(ui, state, form, unfinished, pw, ew))
                .inner
        } else {
            set_up_panels(ui, state, form, unfinished, pw, ew)
        };
        if v.is_some() {
            next = v;
        }

        ui.add_space(theme::GAP);
        mock_chart(ui, state);
        ui.add_space(theme::GAP);
        ui.label(RichText::new("Past attempts").strong());
        if attempts.is_empty() {
            ui.label(RichText::new("None yet.").color(theme::muted(ui.visuals())));
        } else {
            let shown = if form.show_all_attempts {
                attempts
            } else {
                &attempts[..attempts.len().min(RECENT_ATTEMPTS)]
            };
            if let Some(v) = attempt_list(ui, state, shown) {
                next = Some(v);
            }
            if shown.len() < attempts.len()
                && ui
                    .button(format!("Show all {} attempts", attempts.len()))
                    .clicked()
            {
                form.show_all_attempts = true;
            }
        }
    });
    next
}

/// The practice and mock-exam panels, in the parent's direction, at these widths.
fn set_up_panels(
    ui: &mut Ui,
    state: &mut AppState,
    form: &mut HomeForm,
    unfinished: bool,
    practice_width: f32,
    exam_width: f32,
) -> Option<View> {
    let mut next = None;
    panel(ui, "Practice", practice_width, |ui| {
        if let Some(v) = practice_form(ui, state, form) {
            next = Some(v);
        }
    });
    if !ui.layout().is_horizontal() {
        ui.add_space(theme::GAP);
    }
    panel(ui, "Mock exam", exam_width, |ui| {
        if let Some(v) = exam_form(ui, state, &mut form.exam, unfinished) {
            next = Some(v);
        }
    });
    next
}

/// A framed block with its title on top, whatever the parent's layout.
fn panel(ui: &mut Ui, title: &str, width: f32, add: impl FnOnce(&mut Ui)) {
    egui::Frame::group(ui.style())
        .inner_margin(theme::GAP)
        .show(ui, |ui| {
            ui.vertical(|ui| {
                ui.set_width(width);
                ui.label(RichText::new(title).strong().size(17.0));
                ui.add_space(4.0);
                add(ui);
            });
        });
}

fn practice_form(ui: &mut Ui, state: &mut AppState, form: &mut HomeForm) -> Option<View> {
    let muted = theme::muted(ui.visuals());
    ui.label(
        RichText::new("One question at a time; each answer is revealed at once.").color(muted),
    );
    ui.add_space(theme::GAP / 2.0);
    ui.horizontal(|ui| {
        ui.label("Topics:");
        let chosen = if form.topics.is_empty() {
            "all (tick some to narrow)".to_owned()
        } else {
            format!("{} chosen", form.topics.len())
        };
        ui.label(RichText::new(chosen).strong());
        if ui.small_button("All topics").clicked() {
            form.topics.clear();
        }
    });
    egui::ScrollArea::vertical()
        .id_salt("practice-topics")
        .max_height(180.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            for topic in &state.pack.topics {
                let mut on = form.topics.contains(&topic.id);
                let accuracy = topic_hint(topic);
                if ui
                    .checkbox(&mut on, &topic.title)
                    .on_hover_text(accuracy)
                    .changed()
                {
                    if on {
                        form.topics.insert(topic.id.clone());
                    } else {
                        form.topics.remove(&topic.id);
                    }
                }
            }
        });
    ui.add_space(theme::GAP / 2.0);
    let p = &mut form.practice;
    ui.horizontal(|ui| {
        ui.label("Questions:");
        ui.add(egui::DragValue::new(&mut p.count).range(1..=200));
    });
    ui.checkbox(&mut p.weakest_first, "Weakest topics first");
    ui.checkbox(
        &mut p.retake,
        "Retake: only questions I got wrong, flagged or never answered",
    );
    // Generated questions only where the pack declares generators, under the topics it maps.
    let generators = generate::declared(&state.pack);
    if generators.is_empty() {
        p.include_generated = false;
    } else {
        ui.checkbox(
            &mut p.include_generated,
            "Include generated questions (fresh numbers each time)",
        );
    }
    let covered = |t: &str| form.topics.is_empty() || form.topics.contains(t);
    if p.include_generated && !generators.iter().any(|(_, t)| covered(t)) {
        let titles: Vec<&str> = generators
            .iter()
            .filter_map(|(_, t)| state.pack.topic(t).map(|t| t.title.as_str()))
            .collect();
        ui.label(
            RichText::new(format!(
                "None of the chosen topics has generated questions; they come with: {}.",
                titles.join(", ")
            ))
            .color(theme::warning(ui.visuals())),
        );
    }
    ui.add_space(theme::GAP / 2.0);
    if ui.button("Start practice").clicked() {
        let mut config = p.clone();
        config.topics = form.topics.iter().cloned().collect();
        return state.start_practice(config).then_some(View::Practice);
    }
    None
}

fn topic_hint(topic: &crate::content::Topic) -> String {
    format!("Exam weight {}", topic.weight)
}

/// `open`: an unfinished mock exam exists (one at a time).
fn exam_form(ui: &mut Ui, state: &mut AppState, c: &mut ExamConfig, open: bool) -> Option<View> {
    let muted = theme::muted(ui.visuals());
    let choices: Vec<(String, String)> = state
        .pack
        .exam_choices()
        .iter()
        .map(|e| (e.id.clone(), format!("{} ({})", e.code, e.status_label())))
        .collect();
    let (current, current_label) = {
        let chosen = state.chosen_exam();
        let label = format!("{} ({})", chosen.code, chosen.status_label());
        (chosen.id.clone(), label)
    };
    let mut picked = current.clone();
    ui.horizontal(|ui| {
        ui.label("Exam");
        egui::ComboBox::from_id_salt("exam-choice")
            .width(ui.available_width().min(320.0))
            .selected_text(current_label)
            .show_ui(ui, |ui| {
                for (id, label) in &choices {
                    ui.selectable_value(&mut picked, id.clone(), label);
                }
            });
    });
    if picked != current {
        state.choose_exam(&picked);
    }
    let chosen = state.chosen_exam();
    // The form follows the chosen exam: a new choice (or the first showing) takes its shape.
    if c.exam.as_deref() != Some(chosen.id.as_str()) {
        *c = ExamConfig {
            include_generated: c.include_generated,
            ..ExamConfig::for_profile(&chosen)
        };
    }
    ui.label(
        RichText::new(format!(
            "{}: {} questions, {} minutes, pass {}. Questions are drawn to its domain weights; \
             nothing is revealed until you submit.",
            chosen.title,
            chosen.questions,
            chosen.minutes,
            chosen.pass.label()
        ))
        .color(muted),
    );
    if chosen.status == ExamStatus::Retired {
        ui.label(
            RichText::new(format!(
                "{} can no longer be taken ({}).",
                chosen.code,
                chosen.status_label()
            ))
            .color(theme::warning(ui.visuals())),
        );
    }
    if let Some(note) = &chosen.note {
        ui.label(RichText::new(note.trim()).color(theme::warning(ui.visuals())));
    }
    ui.add_space(theme::GAP / 2.0);
    egui::Grid::new("exam-settings")
        .num_columns(2)
        .spacing([theme::GAP, 6.0])
        .show(ui, |ui| {
            ui.label("Questions");
            ui.add(egui::DragValue::new(&mut c.count).range(1..=500));
            ui.end_row();
            ui.label("Minutes");
            ui.add(egui::DragValue::new(&mut c.minutes).range(1..=1440));
            ui.end_row();
        });
    // Always shown (disabled at the exam's shape), so nothing below it moves when a value
    // changes.
    let custom = (c.count, c.minutes) != (chosen.questions, chosen.minutes);
    let reset = egui::Button::new(format!(
        "Back to the {} shape ({} questions, {} min)",
        chosen.code, chosen.questions, chosen.minutes
    ))
    .small();
    if ui.add_enabled(custom, reset).clicked() {
        *c = ExamConfig {
            include_generated: c.include_generated,
            ..ExamConfig::for_profile(&chosen)
        };
    }
    if generate::declared(&state.pack).is_empty() {
        c.include_generated = false;
    } else {
        ui.checkbox(&mut c.include_generated, "Include generated questions");
    }
    let have = state
        .pack
        .questions
        .iter()
        .filter(|q| chosen.includes_topic(&q.topic))
        .count();
    if have < c.count {
        ui.label(
            RichText::new(format!(
                "This pack has {have} questions for {}: the exam will use all of them.",
                chosen.code
            ))
            .color(muted),
        );
    }
    ui.label(
        RichText::new(
            "The clock runs while coldstart is open, even on other screens, as on the real \
             exam; close the app and it waits for you.",
        )
        .color(muted),
    );
    ui.add_space(theme::GAP / 2.0);
    let start = ui
        .add_enabled(!open, egui::Button::new("Start mock exam"))
        .on_disabled_hover_text("A mock exam is in progress: resume or discard it first.");
    if start.clicked() {
        return state
            .start_exam(c.clone())
            .then_some(View::Exam { reviewing: false });
    }
    None
}

fn attempt_list(ui: &mut Ui, state: &mut AppState, attempts: &[AttemptSummary]) -> Option<View> {
    let mut next = None;
    egui::Grid::new("attempts")
        .num_columns(5)
        .striped(true)
        .spacing([theme::GAP * 2.0, 6.0])
        .show(ui, |ui| {
            for a in attempts {
                let when = jiff::Timestamp::from_millisecond(a.started_ms)
                    .map(|t| {
                        t.to_zoned_datetime(jiff::tz::TimeZone::system())
                            .strftime("%Y-%m-%d %H:%M")
                            .to_string()
                    })
                    .unwrap_or_default();
                ui.label(when);
                ui.label(match a.mode {
                    AttemptMode::Practice => "Practice",
                    AttemptMode::Exam => "Mock exam",
                });
                // Practice scores what was answered; an exam scores every question.
                let out_of = match a.mode {
                    AttemptMode::Practice => a.answered,
                    AttemptMode::Exam => a.total,
                };
                match (a.correct, a.finished_ms) {
                    (Some(c), Some(_)) => {
                        let pct = if out_of == 0 {
                            0.0
                        } else {
                            100.0 * f64::from(c) / f64::from(out_of)
                        };
                        ui.label(format!("{c} of {out_of} ({pct:.0} %)"))
                    }
                    _ => ui.label(format!(
                        "in progress, {} of {} answered",
                        a.answered, a.total
                    )),
                };
                ui.label(clock(a.elapsed_ms));
                let open_exam = a.mode == AttemptMode::Exam && a.finished_ms.is_none();
                let label = if open_exam { "Resume" } else { "Open report" };
                if ui
                    .button(label)
                    .on_hover_text(format!("Attempt {}", a.id))
                    .clicked()
                {
                    next = if open_exam {
                        state
                            .resume_exam(a.id)
                            .then_some(View::Exam { reviewing: false })
                    } else {
                        state.open_attempt(a.id).map(|r| View::Report(Box::new(r)))
                    };
                }
                ui.end_row();
            }
        });
    next
}

/// Submitted mock exams' scores in the order taken, against the chosen exam's pass mark.
fn mock_chart(ui: &mut Ui, state: &AppState) {
    // Cached with the readiness estimate: no reads while the page is drawn.
    let scores = state.exam_outlook().map(|o| o.mocks).unwrap_or_default();
    if scores.len() < 2 {
        return;
    }
    let pass = state.chosen_exam().pass.fraction() * 100.0;
    let code = state.chosen_exam().code.clone();
    ui.label(RichText::new(format!("{code} mock exam scores")).strong());
    ui.label(
        RichText::new(format!(
            "Each submitted mock in the order taken; the orange line is the pass mark ({pass:.0} %)."
        ))
        .color(theme::muted(ui.visuals())),
    );
    let points: Vec<[f64; 2]> = scores
        .iter()
        .enumerate()
        .map(|(i, s)| [(i + 1) as f64, s.fraction * 100.0])
        .collect();
    let tone = theme::accent(ui.visuals());
    let mark = theme::warning(ui.visuals());
    egui_plot::Plot::new("mock-scores")
        .height(140.0)
        .width(ui.available_width().min(640.0))
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .include_y(0.0)
        .include_y(100.0)
        .x_axis_label("mock exam")
        .y_axis_label("% right")
        .show(ui, |p| {
            p.line(
                egui_plot::Line::new("score", egui_plot::PlotPoints::from(points.clone()))
                    .color(tone),
            );
            p.points(
                egui_plot::Points::new("", egui_plot::PlotPoints::from(points))
                    .radius(3.0)
                    .color(tone),
            );
            p.hline(egui_plot::HLine::new(format!("pass {pass:.0} %"), pass).color(mark));
        });
}
