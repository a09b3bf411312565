//! The Progress screen: review statistics (the due forecast for the next 30 days, answers per
//! day, true retention) drawn with egui_plot, mastery per topic, and the spaced-repetition
//! settings, exam date included.

use egui::{RichText, Ui};
use egui_plot::{Bar, BarChart, Plot};

use crate::app::AppState;
use crate::app::progress::TopicMastery;
use crate::app::review::{ReviewStats, STATS_DAYS};
use crate::content::SectionRef;
use crate::srs::settings::{
    DEFAULT_EXAM_BUFFER_DAYS, ExamSettings, RETENTION_RANGE, SrsSettings, format_steps, parse_steps,
};

use super::{Command, theme, widgets};

/// The settings form while it is being edited.
struct Draft {
    settings: SrsSettings,
    learning: String,
    relearning: String,
    exam_on: bool,
    exam_date: String,
    exam_buffer: u32,
    message: Option<(bool, String)>,
}

impl Draft {
    fn from(s: &SrsSettings) -> Self {
        Self {
            settings: s.clone(),
            learning: format_steps(&s.learning_steps),
            relearning: format_steps(&s.relearning_steps),
            exam_on: s.exam.is_some(),
            exam_date: s.exam.map(|e| e.date.to_string()).unwrap_or_default(),
            exam_buffer: s.exam.map_or(DEFAULT_EXAM_BUFFER_DAYS, |e| e.buffer_days),
            message: None,
        }
    }

    /// The settings the form describes, or what is wrong with it.
    fn parse(&self) -> Result<SrsSettings, String> {
        let mut s = self.settings.clone();
        s.learning_steps =
            parse_steps(&self.learning).map_err(|e| format!("Learning steps: {e}"))?;
        s.relearning_steps =
            parse_steps(&self.relearning).map_err(|e| format!("Relearning steps: {e}"))?;
        s.exam = if self.exam_on {
            let date = self
                .exam_date
                .trim()
                .parse()
                .map_err(|_| "Exam date: write it as YYYY-MM-DD, like 2026-03-14".to_owned())?;
            Some(ExamSettings {
                date,
                buffer_days: self.exam_buffer,
            })
        } else {
            None
        };
        Ok(s)
    }
}

#[derive(Default)]
pub struct ProgressScreen {
    draft: Option<Draft>,
    results: super::results::ResultsView,
    backups: super::backups::BackupsView,
}

impl ProgressScreen {
    pub fn ui(&mut self, ui: &mut Ui, state: &mut AppState, cmds: &mut Vec<Command>) {
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.add_space(theme::GAP);
                ui.label(theme::heading("Progress"));
                ui.add_space(theme::GAP);
                if let Some(stats) = state.review_stats() {
                    summary(ui, &stats, state.reviews.settings().desired_retention);
                    ui.add_space(theme::GAP);
                    charts(ui, &stats);
                }
                if let Some(standing) = state.standing() {
                    ui.add_space(theme::GAP);
                    topics(ui, &standing.topics, cmds);
                }
                ui.add_space(theme::GAP);
                super::readiness::section(ui, state);
                ui.add_space(theme::GAP);
                self.settings_ui(ui, state);
                ui.add_space(theme::GAP);
                widgets::tile(ui, "Look", theme::look_settings);
                ui.add_space(theme::GAP);
                super::retention::ui(ui, state);
                ui.add_space(theme::GAP);
                super::params::ui(ui, state);
                ui.add_space(theme::GAP);
                self.backups.ui(ui, state);
                ui.add_space(theme::GAP);
                self.results.ui(ui, state);
                ui.add_space(theme::GAP);
            });
    }

    fn settings_ui(&mut self, ui: &mut Ui, state: &mut AppState) {
        // With an exam date saved, the plan's pace replaces the daily new-card setting.
        let exam_pace = state
            .reviews
            .settings()
            .exam
            .map(|_| state.new_cards_target_today());
        let today = state.reviews.study_day().day_of(state.clock.now());
        let draft = self
            .draft
            .get_or_insert_with(|| Draft::from(state.reviews.settings()));
        let pack_title = state.pack.meta.title.clone();
        widgets::tile(ui, "Review settings", |ui| {
            ui.label(
                RichText::new(format!(
                    "Desired retention, new cards per day and the exam date belong to this pack \
                     ({pack_title}): another pack keeps its own. The other settings apply to \
                     every pack."
                ))
                .color(theme::muted(ui.visuals())),
            );
            egui::Grid::new("srs-settings")
                .num_columns(2)
                .spacing([theme::GAP, theme::GAP / 2.0])
                .show(ui, |ui| {
                    let s = &mut draft.settings;
                    ui.label("Desired retention");
                    ui.add(
                        egui::Slider::new(
                            &mut s.desired_retention,
                            RETENTION_RANGE.0..=RETENTION_RANGE.1,
                        )
                        .fixed_decimals(2),
                    )
                    .on_hover_text(
                        "Chance of recalling a card when it comes due. Higher means more reviews.",
                    );
                    ui.end_row();
                    ui.label("New cards per day");
                    ui.horizontal(|ui| {
                        ui.add(egui::DragValue::new(&mut s.new_per_day).range(0..=9999));
                        if let Some(pace) = exam_pace {
                            ui.label(
                                RichText::new(format!("today {pace}, the exam plan's pace"))
                                    .color(theme::muted(ui.visuals())),
                            );
                        }
                    });
                    ui.end_row();
                    ui.label("Maximum reviews per day");
                    ui.add(egui::DragValue::new(&mut s.max_reviews_per_day).range(0..=99_999));
                    ui.end_row();
                    ui.label("Learning steps");
                    ui.add(egui::TextEdit::singleline(&mut draft.learning).desired_width(160.0))
                        .on_hover_text("Like 1m 10m. Units: s, m, h, d.");
                    ui.end_row();
                    ui.label("Relearning steps");
                    ui.add(egui::TextEdit::singleline(&mut draft.relearning).desired_width(160.0));
                    ui.end_row();
                    ui.label("New day starts at");
                    ui.add(
                        egui::DragValue::new(&mut draft.settings.day_start_hour)
                            .range(0..=23)
                            .suffix(":00"),
                    );
                    ui.end_row();
                    ui.label("Exam date");
                    ui.horizontal(|ui| {
                        ui.checkbox(&mut draft.exam_on, "I have an exam on");
                        widgets::date_field(ui, draft.exam_on, &mut draft.exam_date, today, today);
                    });
                    ui.end_row();
                    ui.label("See every card by");
                    ui.add_enabled(
                        draft.exam_on,
                        egui::DragValue::new(&mut draft.exam_buffer)
                            .range(0..=60)
                            .suffix(" days before the exam"),
                    );
                    ui.end_row();
                });
            ui.label(
                RichText::new(
                    "With an exam date, new cards come at the pace that shows every card in time, \
                     and intervals are capped so each card is reviewed before the exam.",
                )
                .color(theme::muted(ui.visuals())),
            );
            ui.horizontal(|ui| {
                if ui.button("Save settings").clicked() {
                    draft.message = Some(match draft.parse() {
                        Ok(s) => match state.set_srs_settings(s) {
                            Ok(()) => (
                                true,
                                "Saved. It applies at once, to the card on screen too.".to_owned(),
                            ),
                            Err(e) => (false, format!("Not saved: {e}")),
                        },
                        Err(e) => (false, e),
                    });
                }
                if ui.button("Revert").clicked() {
                    *draft = Draft::from(state.reviews.settings());
                }
            });
            if let Some((ok, text)) = &draft.message {
                let tone = if *ok {
                    theme::correct(ui.visuals())
                } else {
                    theme::wrong(ui.visuals())
                };
                ui.label(RichText::new(text).color(tone));
            }
        });
    }
}

fn summary(ui: &mut Ui, stats: &ReviewStats, desired: f64) {
    ui.horizontal_wrapped(|ui| {
        let [new, learning, review] = stats.by_state;
        widgets::tile(ui, "Cards", |ui| {
            ui.label(theme::big_number(review.to_string()));
            ui.label(format!(
                "in review · {learning} learning · {new} not yet seen"
            ));
        });
        widgets::tile(
            ui,
            &format!("Retention, last {STATS_DAYS} days"),
            |ui| match stats.retention {
                Some((share, n)) => {
                    ui.label(theme::big_number(format!("{:.0}%", share * 100.0)));
                    ui.label(format!(
                        "of {n} reviews recalled (target {:.0}%)",
                        desired * 100.0
                    ));
                }
                None => {
                    ui.label(theme::big_number("–"));
                    ui.label("no reviews of learned cards yet");
                }
            },
        );
        let total: usize = stats.per_day.iter().map(|d| d.iter().sum::<usize>()).sum();
        widgets::tile(ui, &format!("Answers, last {STATS_DAYS} days"), |ui| {
            ui.label(theme::big_number(total.to_string()));
            ui.label(format!("{:.1} per day", total as f64 / STATS_DAYS as f64));
        });
    });
}

fn charts(ui: &mut Ui, stats: &ReviewStats) {
    let v = ui.visuals().clone();
    let width = (ui.available_width() - theme::GAP) / 2.0;
    ui.horizontal_wrapped(|ui| {
        ui.vertical(|ui| {
            ui.set_width(width.max(320.0));
            ui.label(RichText::new("Due in the next 30 days").strong());
            let bars = stats
                .forecast
                .iter()
                .enumerate()
                .map(|(i, &n)| Bar::new(i as f64, n as f64).width(0.8))
                .collect();
            let chart = BarChart::new("Due", bars).color(theme::due(&v));
            Plot::new("srs-forecast")
                .height(200.0)
                .allow_zoom(false)
                .allow_drag(false)
                .allow_scroll(false)
                // Counts: never a negative axis, even before there is anything to show.
                .include_y(0.0)
                .include_y(1.0)
                .x_axis_label("days from today")
                .y_axis_label("cards due")
                .show(ui, |p| p.bar_chart(chart))
                .response
                .on_hover_text(forecast_text(stats));
        });
        ui.vertical(|ui| {
            ui.set_width(width.max(320.0));
            ui.horizontal(|ui| {
                ui.label(RichText::new("Answers per day").strong());
                // The key sits above the plot, where it can never hide a bar.
                super::review::counts_key(ui);
            });
            let series = |k: usize, name: &str, color| {
                let bars = stats
                    .per_day
                    .iter()
                    .enumerate()
                    .map(|(i, d)| {
                        Bar::new(i as f64 - (STATS_DAYS as f64 - 1.0), d[k] as f64).width(0.8)
                    })
                    .collect();
                BarChart::new(name, bars).color(color)
            };
            let review = series(2, "Review", theme::correct(&v));
            let learning = series(1, "Learning", theme::wrong(&v)).stack_on(&[&review]);
            let new = series(0, "New", theme::accent(&v)).stack_on(&[&review, &learning]);
            Plot::new("srs-per-day")
                .height(200.0)
                .allow_zoom(false)
                .allow_drag(false)
                .allow_scroll(false)
                .include_y(0.0)
                .include_y(1.0)
                .x_axis_label("days ago")
                .y_axis_label("answers")
                .show(ui, |p| {
                    p.bar_chart(review);
                    p.bar_chart(learning);
                    p.bar_chart(new);
                });
        });
    });
}

/// Per topic: recall today, cards seen, and the latest quiz answers. A topic's name opens its
/// note.
fn topics(ui: &mut Ui, topics: &[TopicMastery], cmds: &mut Vec<Command>) {
    ui.label(RichText::new("Topics").strong());
    ui.label(
        RichText::new(
            "Recalled today: the chance of remembering each of the topic's cards now, \
             averaged over all of them (a card not yet seen counts as forgotten). \
             Quiz: how the latest answer to each question went.",
        )
        .color(theme::muted(ui.visuals())),
    );
    ui.add_space(theme::GAP / 2.0);
    egui::Grid::new("progress-topics")
        .num_columns(4)
        .striped(true)
        .spacing([theme::GAP * 1.5, 6.0])
        .show(ui, |ui| {
            for h in ["Topic", "Recalled today", "Cards seen", "Quiz"] {
                ui.label(RichText::new(h).color(theme::muted(ui.visuals())));
            }
            ui.end_row();
            for t in topics {
                if ui.link(&t.title).on_hover_text("Open the note").clicked() {
                    cmds.push(Command::OpenSection(SectionRef {
                        topic: t.topic.clone(),
                        anchor: String::new(),
                    }));
                }
                ui.add(
                    egui::ProgressBar::new(t.recall as f32)
                        .desired_width(160.0)
                        .text(format!("{:.0}%", t.recall * 100.0)),
                );
                ui.label(format!("{} of {}", t.cards_seen, t.cards));
                if t.questions_answered > 0 {
                    ui.label(format!(
                        "{} of {} right · {} of {} tried",
                        t.questions_right, t.questions_answered, t.questions_answered, t.questions
                    ));
                } else {
                    ui.label(
                        RichText::new(format!("none of {} tried", t.questions))
                            .color(theme::muted(ui.visuals())),
                    );
                }
                ui.end_row();
            }
        });
}

/// The forecast in words, for hover and screen readers.
fn forecast_text(stats: &ReviewStats) -> String {
    let today = stats.forecast.first().copied().unwrap_or(0);
    let week: usize = stats.forecast.iter().take(7).sum();
    let month: usize = stats.forecast.iter().sum();
    format!("{today} due today, {week} in the next 7 days, {month} in the next 30 days")
}
