//! The score report: total, pass or fail, score per topic, time, then every question with the
//! learner's answer, the right one, every why and a link to the notes.

use egui::{RichText, Ui};
use egui_commonmark::CommonMarkCache;

use super::View;
use super::question;
use crate::app::AppState;
use crate::app::quiz::PastAttempt;
use crate::quiz::domains::{self, ExamReport, Verdict};
use crate::quiz::{Origin, PracticeConfig};
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
    // Its own scroll position per attempt: a report opens at its top.
    egui::ScrollArea::vertical()
        .id_salt(("report", r.summary.id))
        .show(ui, |ui| {
            ui.set_max_width(ui.available_width().min(theme::READING_WIDTH + 120.0));
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
                    "Time used {} · {} per question on average · {} answered",
                    crate::format::clock(report.time_used_ms),
                    crate::format::duration_ms(report.ms_per_question()),
                    report.answered,
                ))
                .color(muted),
            );

            match &r.exam_report {
                Some(exam) => {
                    // Authored questions this mock got wrong (or left blank), for a practice retake.
                    let wrong: Vec<String> = r
                        .items
                        .iter()
                        .zip(&report.results)
                        .filter(|(i, ok)| !**ok && matches!(i.origin, Origin::Authored))
                        .map(|(i, _)| i.question.id.clone())
                        .collect();
                    if let Some(v) = by_domain(ui, state, exam, wrong) {
                        next = Some(v);
                    }
                }
                None => by_topic(ui, report),
            }

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
                            crate::format::duration_ms(response.time_ms),
                            if response.flagged { " · flagged" } else { "" }
                        ))
                        .color(theme::muted(ui.visuals())),
                    );
                });
                ui.push_id(("report-question", i), |ui| {
                    question::stem(ui, cache, item, cmds);
                    question::revealed_choices(ui, item, response);
                    question::explanation(ui, cache, item, &state.pack, cmds);
                    if matches!(item.origin, Origin::Authored) {
                        crate::ui::widgets::report_problem(
                            ui,
                            state,
                            crate::store::ReportItem::Question,
                            &item.question.id,
                        );
                    }
                });
            }
            ui.add_space(theme::GAP);
            // Details for a bug report: the same seed and pack rebuild the same questions.
            ui.label(
                RichText::new(format!("Attempt {} · seed {}", r.summary.id, r.seed))
                    .color(theme::muted(ui.visuals()))
                    .small(),
            );
            if ui.button("Back to quizzes").clicked() {
                next = Some(View::Home);
            }
        });
    next
}

/// A practice report's score per topic, against the pass mark of a mock (72 %).
fn by_topic(ui: &mut Ui, report: &crate::quiz::Report) {
    ui.add_space(theme::GAP);
    ui.label(RichText::new("By topic").strong());
    let mark = f64::from(report.pass_mark_pct.unwrap_or(72)) / 100.0;
    topic_grid(ui, "by-topic", &report.topics, mark);
}

fn topic_grid(ui: &mut Ui, id: &str, topics: &[crate::quiz::TopicScore], mark: f64) {
    egui::Grid::new(id)
        .num_columns(3)
        .spacing([theme::GAP, 6.0])
        .show(ui, |ui| {
            for t in topics {
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
}

/// A mock exam's result as the real score report reads: the (estimated) scaled score, then
/// each domain of the exam as "meets" or "needs improvement", its topics one click away.
fn by_domain(
    ui: &mut Ui,
    state: &mut AppState,
    exam: &ExamReport,
    wrong: Vec<String>,
) -> Option<View> {
    let mut next = None;
    let v = ui.visuals().clone();
    let tone = if exam.passed {
        theme::correct(&v)
    } else {
        theme::wrong(&v)
    };
    ui.add_space(theme::GAP / 2.0);
    ui.label(
        RichText::new(format!("{} — {}", exam.code, exam.headline()))
            .color(tone)
            .strong(),
    );
    if exam.scaled.is_some() {
        ui.label(
            RichText::new(
                "The scaled score is an estimate: the real exam equates scores between versions \
                 of the exam, it does not scale the share right in a straight line.",
            )
            .color(theme::muted(&v)),
        );
    }
    if let Some(note) = &exam.note {
        ui.label(RichText::new(note.trim()).color(theme::warning(&v)));
    }
    ui.add_space(theme::GAP);
    ui.label(RichText::new("By exam domain").strong());
    let mark = exam.pass_fraction;
    for (i, d) in exam.domains.iter().enumerate() {
        let verdict = match d.verdict {
            Some(Verdict::Meets) => RichText::new(Verdict::Meets.label()).color(theme::correct(&v)),
            Some(Verdict::NeedsImprovement) => {
                RichText::new(Verdict::NeedsImprovement.label()).color(theme::wrong(&v))
            }
            None => RichText::new("No questions in this mock").color(theme::muted(&v)),
        };
        let weight = if d.id.is_empty() {
            String::new()
        } else {
            format!(" ({:.0} % of the exam)", d.weight)
        };
        ui.push_id(("domain", i), |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(format!("{}{weight}", d.title)).strong());
                ui.label(verdict.strong());
            });
            ui.horizontal(|ui| {
                let fraction = d.fraction().unwrap_or(0.0);
                let tone = if fraction + 1e-9 >= mark {
                    theme::correct(&v)
                } else {
                    theme::wrong(&v)
                };
                bar(ui, fraction as f32, mark as f32, tone);
                ui.label(format!("{} of {} right", d.correct, d.total));
            });
            if !d.topics.is_empty() {
                egui::CollapsingHeader::new(format!("Topics of {}", d.title))
                    .id_salt(("domain-topics", i))
                    .show(ui, |ui| {
                        topic_grid(ui, "domain-topic-grid", &d.topics, mark)
                    });
            }
        });
        ui.add_space(6.0);
    }
    ui.horizontal_wrapped(|ui| {
        if let Some(v) = practise_buttons(ui, state, exam, wrong) {
            next = Some(v);
        }
    });
    next
}

/// "Practise what I got wrong" (this mock's authored questions answered wrongly or left
/// blank) and "Practise <weakest domain>".
fn practise_buttons(
    ui: &mut Ui,
    state: &mut AppState,
    exam: &ExamReport,
    wrong: Vec<String>,
) -> Option<View> {
    let mut next = None;
    if !wrong.is_empty()
        && ui
            .button(format!("Practise what I got wrong ({})", wrong.len()))
            .on_hover_text(
                "A practice session on this mock's questions you got wrong or left blank",
            )
            .clicked()
    {
        let config = PracticeConfig {
            count: wrong.len(),
            questions: wrong,
            ..PracticeConfig::default()
        };
        if state.start_practice(config) {
            next = Some(View::Practice);
        }
    }
    if let Some(weak) = exam.weakest_domain()
        && weak.verdict == Some(Verdict::NeedsImprovement)
    {
        let profile = state.pack.exam_profile(&exam.exam_id);
        let topics = profile
            .map(|p| domains::domain_topics(&state.pack, &p, &weak.id))
            .unwrap_or_default();
        if !topics.is_empty()
            && ui
                .button(format!("Practise {}", weak.title))
                .on_hover_text("A practice session on the topics of your weakest domain")
                .clicked()
        {
            let config = PracticeConfig {
                topics,
                weakest_first: true,
                ..PracticeConfig::default()
            };
            if state.start_practice(config) {
                next = Some(View::Practice);
            }
        }
    }
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
