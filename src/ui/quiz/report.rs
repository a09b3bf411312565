//! The score report: total, pass or fail, score per topic, time, then every question with the
//! learner's answer, the right one, every why and a link to the notes.

use egui::{RichText, Ui};
use egui_commonmark::CommonMarkCache;

use super::View;
use super::question;
use crate::app::AppState;
use crate::app::quiz::PastAttempt;
use crate::store::AttemptMode;
use crate::ui::{Command, theme};

pub(super) fn ui(
    ui: &mut Ui,
    state: &mut AppState,
    r: &mut PastAttempt,
    cache: &mut CommonMarkCache,
    cmds: &mut Vec<Command>,
) -> Option<View> {
    let mut next = None;
    let report = &r.report;
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.set_max_width(theme::READING_WIDTH + 120.0);
        ui.add_space(theme::GAP);
        ui.horizontal(|ui| {
            let title = match r.summary.mode {
                AttemptMode::Exam => "Mock exam result",
                AttemptMode::Practice => "Practice result",
            };
            ui.label(theme::heading(title));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Back to quizzes").clicked() {
                    next = Some(View::Home);
                }
            });
        });
        ui.add_space(theme::GAP / 2.0);
        ui.horizontal(|ui| {
            ui.label(theme::big_number(format!("{:.0} %", report.percent())));
            ui.vertical(|ui| {
                ui.label(format!("{} of {} right", report.correct, report.total));
                if let (Some(passed), Some(mark)) = (report.passed(), report.pass_mark_pct) {
                    let (tone, word) = if passed {
                        (theme::correct(ui.visuals()), "Passed")
                    } else {
                        (theme::wrong(ui.visuals()), "Not passed")
                    };
                    ui.label(
                        RichText::new(format!("{word} (pass mark {mark} %)"))
                            .color(tone)
                            .strong(),
                    );
                }
            });
        });
        let muted = theme::muted(ui.visuals());
        ui.label(
            RichText::new(format!(
                "Time used {} · {} per question on average · {} answered · seed {}",
                question::clock(report.time_used_ms),
                question::short_duration(report.ms_per_question()),
                report.answered,
                r.seed
            ))
            .color(muted),
        );

        ui.add_space(theme::GAP);
        ui.label(RichText::new("By topic").strong());
        // Topics are judged against the exam's own pass mark (DVA-C02's 72 % in practice).
        let mark = f64::from(report.pass_mark_pct.unwrap_or(72)) / 100.0;
        egui::Grid::new("by-topic")
            .num_columns(3)
            .spacing([theme::GAP, 6.0])
            .show(ui, |ui| {
                for t in &report.topics {
                    ui.label(&t.title);
                    let tone = if t.fraction() >= mark {
                        theme::correct(ui.visuals())
                    } else {
                        theme::wrong(ui.visuals())
                    };
                    bar(ui, t.fraction() as f32, mark as f32, tone);
                    ui.label(format!("{} of {}", t.correct, t.total));
                    ui.end_row();
                }
            });

        ui.add_space(theme::GAP);
        ui.separator();
        ui.label(RichText::new("Questions").strong());
        // A practice session ended early scores only what was answered; the questions never
        // reached stay unrevealed for another session.
        let practice = r.summary.mode == AttemptMode::Practice;
        let not_reached = r
            .responses
            .iter()
            .filter(|x| practice && !x.submitted)
            .count();
        if not_reached > 0 {
            ui.label(
                RichText::new(format!(
                    "{not_reached} question(s) not reached: not scored and not shown here."
                ))
                .color(theme::muted(ui.visuals())),
            );
        }
        for (i, (item, response)) in r.items.iter().zip(&r.responses).enumerate() {
            if practice && !response.submitted {
                continue;
            }
            let ok = item.is_correct(&response.chosen);
            let unanswered = response.chosen.is_empty();
            let (tone, verdict) = match (ok, unanswered) {
                (true, _) => (theme::correct(ui.visuals()), "✓ right"),
                (false, true) => (theme::wrong(ui.visuals()), "✗ unanswered"),
                (false, false) => (theme::wrong(ui.visuals()), "✗ wrong"),
            };
            ui.add_space(theme::GAP);
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("Question {}", i + 1)).strong());
                ui.label(RichText::new(verdict).color(tone).strong());
                let topic = state
                    .pack
                    .topic(&item.question.topic)
                    .map_or(item.question.topic.as_str(), |t| t.title.as_str());
                ui.label(
                    RichText::new(format!(
                        "{topic} · {}{}",
                        question::short_duration(response.time_ms),
                        if response.flagged { " · flagged" } else { "" }
                    ))
                    .color(theme::muted(ui.visuals())),
                );
            });
            ui.push_id(("report-question", i), |ui| {
                question::stem(ui, cache, item, cmds);
                question::revealed_choices(ui, item, response);
                question::explanation(ui, cache, item, &state.pack, cmds);
            });
        }
        ui.add_space(theme::GAP);
        if ui.button("Back to quizzes").clicked() {
            next = Some(View::Home);
        }
    });
    next
}

/// A flat score bar: an outlined track, a fill as long as the share right, and a tick at the
/// pass mark, so a topic at 0 % still shows how far it had to go.
fn bar(ui: &mut Ui, fraction: f32, mark: f32, tone: egui::Color32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(260.0, 12.0), egui::Sense::hover());
    let painter = ui.painter();
    let v = ui.visuals();
    painter.rect_filled(rect, 3.0, v.extreme_bg_color);
    let mut fill = rect;
    fill.set_width(rect.width() * fraction.clamp(0.0, 1.0));
    if fill.width() > 0.0 {
        painter.rect_filled(fill, 3.0, tone);
    }
    painter.rect_stroke(
        rect,
        3.0,
        v.widgets.noninteractive.bg_stroke,
        egui::StrokeKind::Inside,
    );
    let x = rect.left() + rect.width() * mark.clamp(0.0, 1.0);
    painter.vline(
        x,
        rect.y_range().expand(2.0),
        egui::Stroke::new(1.5, theme::muted(v)),
    );
}
