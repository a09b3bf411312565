//! The Review screen: one card at a time, keyboard first. Space or Enter shows the back; 1 2 3 4
//! answer Again / Hard / Good / Easy; U or Ctrl+Z undoes the last answer. Every answer is on
//! disk before the next card shows (see `app::review`).

use egui::{Key, Modifiers, RichText};
use egui_commonmark::CommonMarkCache;
use jiff::Timestamp;

use crate::app::AppState;
use crate::app::review::DueCard;
use crate::srs::{Rating, State, format_interval};

use super::{Command, Screen, theme, widgets};

/// The card on screen.
struct Shown {
    card: DueCard,
    card_id: String,
    shown_at: Timestamp,
    revealed: bool,
    /// The review state's generation when the previews were computed.
    generation: u64,
}

#[derive(Default)]
pub struct ReviewScreen {
    shown: Option<Shown>,
    cache: CommonMarkCache,
}

impl ReviewScreen {
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &mut AppState, cmds: &mut Vec<Command>) {
        // A card that left the pack (live reload) or was rescheduled elsewhere is dropped.
        if let Some(s) = &self.shown
            && state.pack.cards.get(s.card.index).map(|c| &c.id) != Some(&s.card_id)
        {
            self.shown = None;
        }
        // Settings changed since the card was shown (or an answer elsewhere): its buttons must
        // show what answering would now do, and it leaves if today's queue no longer holds it.
        if let Some(s) = &mut self.shown
            && s.generation != state.reviews.generation()
        {
            let i = s.card.index;
            let q = state.review_queue();
            let listed = q.new.contains(&i)
                || q.review.contains(&i)
                || q.learning.iter().any(|&(j, _)| j == i);
            match state.due_card(i).filter(|_| listed) {
                Some(card) => {
                    s.card = card;
                    s.generation = state.reviews.generation();
                }
                None => self.shown = None,
            }
        }
        if self.shown.is_none() {
            self.shown = state.next_due_card().map(|card| self.show(state, card));
        }
        self.keys(ui, state);

        let counts = state.due_counts();
        ui.add_space(theme::GAP);
        ui.horizontal(|ui| {
            ui.label(theme::heading("Review"));
            ui.add_space(theme::GAP);
            counts_label(ui, counts.new, counts.learning, counts.review);
        });
        ui.add_space(theme::GAP);

        match self.shown.as_ref() {
            Some(_) => self.card_ui(ui, state, cmds),
            None => done_ui(ui, state, cmds),
        }
    }

    fn show(&self, state: &AppState, card: DueCard) -> Shown {
        let card_id = state
            .pack
            .cards
            .get(card.index)
            .map(|c| c.id.clone())
            .unwrap_or_default();
        Shown {
            card,
            card_id,
            shown_at: state.clock.now(),
            revealed: false,
            generation: state.reviews.generation(),
        }
    }

    fn keys(&mut self, ui: &egui::Ui, state: &mut AppState) {
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        let undo = ui.input_mut(|i| {
            i.consume_key(Modifiers::NONE, Key::U) | i.consume_key(Modifiers::COMMAND, Key::Z)
        });
        if undo {
            self.undo(state);
            return;
        }
        let Some(shown) = &mut self.shown else {
            return;
        };
        if !shown.revealed {
            let reveal = ui.input_mut(|i| {
                i.consume_key(Modifiers::NONE, Key::Space)
                    | i.consume_key(Modifiers::NONE, Key::Enter)
            });
            shown.revealed |= reveal;
            return;
        }
        let keys = [Key::Num1, Key::Num2, Key::Num3, Key::Num4];
        let picked = Rating::ALL
            .into_iter()
            .zip(keys)
            .find(|&(_, key)| ui.input_mut(|i| i.consume_key(Modifiers::NONE, key)));
        if let Some((rating, _)) = picked {
            self.answer(state, rating);
        }
    }

    fn answer(&mut self, state: &mut AppState, rating: Rating) {
        let Some(shown) = self.shown.take() else {
            return;
        };
        let spent = state.clock.now().duration_since(shown.shown_at);
        if let Err(e) = state.answer_card(shown.card.index, rating, spent) {
            state.notify(
                crate::app::NoticeLevel::Error,
                format!("Your answer was not saved: {e}"),
            );
            self.shown = Some(shown);
        }
    }

    fn undo(&mut self, state: &mut AppState) {
        match state.undo_answer() {
            Ok(Some(index)) => {
                self.shown = state.due_card(index).map(|card| self.show(state, card));
            }
            Ok(None) => {}
            Err(e) => state.notify(
                crate::app::NoticeLevel::Error,
                format!("Could not undo the last answer: {e}"),
            ),
        }
    }

    fn card_ui(&mut self, ui: &mut egui::Ui, state: &mut AppState, cmds: &mut Vec<Command>) {
        let Some(shown) = &self.shown else {
            return;
        };
        let Some(card) = state.pack.cards.get(shown.card.index).cloned() else {
            return;
        };
        let revealed = shown.revealed;
        let kind = match shown.card.state {
            State::New => "New card",
            State::Learning => "Learning",
            State::Review => "Review",
            State::Relearning => "Relearning",
        };
        let previews = shown.card.previews.clone();
        let mut clicked: Option<Rating> = None;
        let mut reveal = false;
        let mut undo = false;

        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.set_max_width(theme::READING_WIDTH);
                ui.label(RichText::new(kind).color(theme::muted(ui.visuals())));
                egui::Frame::group(ui.style())
                    .inner_margin(theme::GAP)
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.style_mut()
                            .text_styles
                            .insert(egui::TextStyle::Body, egui::FontId::proportional(17.0));
                        widgets::markdown(ui, &mut self.cache, &card.front, &card.topic, cmds);
                        if revealed {
                            ui.separator();
                            widgets::markdown(ui, &mut self.cache, &card.back, &card.topic, cmds);
                        }
                    });
                ui.add_space(theme::GAP);
                if revealed {
                    ui.horizontal(|ui| {
                        for (n, p) in previews.iter().enumerate() {
                            let text =
                                format!("{} · {}", p.rating.label(), format_interval(p.interval));
                            let tone = match p.rating {
                                Rating::Again => theme::wrong(ui.visuals()),
                                Rating::Hard => theme::due(ui.visuals()),
                                Rating::Good => theme::correct(ui.visuals()),
                                Rating::Easy => theme::accent(ui.visuals()),
                            };
                            let button = egui::Button::new(RichText::new(text).color(tone))
                                .min_size(egui::vec2(120.0, 36.0));
                            if ui
                                .add(button)
                                .on_hover_text(format!("Key {}", n + 1))
                                .clicked()
                            {
                                clicked = Some(p.rating);
                            }
                        }
                    });
                    ui.label(
                        RichText::new("Keys 1 2 3 4 answer · U undoes the last answer")
                            .color(theme::muted(ui.visuals())),
                    );
                } else {
                    let button = egui::Button::new("Show answer").min_size(egui::vec2(160.0, 36.0));
                    if ui.add(button).on_hover_text("Space or Enter").clicked() {
                        reveal = true;
                    }
                    ui.label(
                        RichText::new("Space or Enter shows the answer")
                            .color(theme::muted(ui.visuals())),
                    );
                }
                ui.add_space(theme::GAP);
                ui.horizontal(|ui| {
                    if ui
                        .link(format!("Source: {}", source_title(state, &card.source)))
                        .clicked()
                    {
                        cmds.push(Command::OpenSection(card.source.clone()));
                    }
                    if state.reviews.can_undo() && ui.button("Undo last answer").clicked() {
                        undo = true;
                    }
                });
            });

        if reveal && let Some(s) = &mut self.shown {
            s.revealed = true;
        }
        if let Some(rating) = clicked {
            self.answer(state, rating);
        }
        if undo {
            self.undo(state);
        }
    }
}

/// "New 3 · Learning 1 · Review 12", each in its colour.
pub fn counts_label(ui: &mut egui::Ui, new: usize, learning: usize, review: usize) {
    let v = ui.visuals().clone();
    ui.label(RichText::new(format!("New {new}")).color(theme::accent(&v)));
    ui.label("+");
    ui.label(RichText::new(format!("Learning {learning}")).color(theme::wrong(&v)));
    ui.label("+");
    ui.label(RichText::new(format!("Review {review}")).color(theme::correct(&v)));
}

fn source_title(state: &AppState, source: &crate::content::SectionRef) -> String {
    let note = state.pack.notes.iter().find(|n| n.topic == source.topic);
    match note {
        Some(n) => match n.section(&source.anchor) {
            Some(s) => format!("{} › {}", n.title, s.title),
            None => n.title.clone(),
        },
        None => source.to_string(),
    }
}

/// "Done for today", when the next card is due, and what else to do.
fn done_ui(ui: &mut egui::Ui, state: &mut AppState, cmds: &mut Vec<Command>) {
    let now = state.clock.now();
    let queue = state.review_queue();
    let next = queue.next_due();
    // Learning cards still coming back today mean the day is not over yet.
    let title = if queue.learning.is_empty() {
        "Done for today"
    } else {
        "Done for now"
    };
    ui.label(
        RichText::new(title)
            .size(20.0)
            .strong()
            .color(theme::correct(ui.visuals())),
    );
    ui.add_space(theme::GAP / 2.0);
    let when = match next {
        Some(t) => format!("The next card is due {}.", describe_when(state, now, t)),
        None if state.pack.cards.is_empty() => "This pack has no flashcards.".to_owned(),
        None => "No card is scheduled yet.".to_owned(),
    };
    ui.label(when);
    // Wake up when the next card comes due, so it shows without a touch.
    if let Some(wait) = next.and_then(|t| t.duration_since(now).try_into().ok()) {
        ui.ctx().request_repaint_after(wait);
    }
    ui.add_space(theme::GAP);
    ui.label("Meanwhile:");
    ui.horizontal_wrapped(|ui| {
        if ui.button("Take a practice quiz (Q)").clicked() {
            cmds.push(Command::Go(Screen::Quiz));
        }
        if super::simulators::available(&state.pack)
            && ui.button("Play with a simulator (S)").clicked()
        {
            cmds.push(Command::Go(Screen::Simulators));
        }
        if ui.button("Read the notes (N)").clicked() {
            cmds.push(Command::Go(Screen::Notes));
        }
    });
    ui.add_space(theme::GAP);
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Review settings and exam date…")
            .on_hover_text("On the Progress screen")
            .clicked()
        {
            cmds.push(Command::Go(Screen::Progress));
        }
        if state.reviews.can_undo() {
            ui.label(RichText::new("U undoes the last answer").color(theme::muted(ui.visuals())));
        }
    });
}

/// "in 7 min (14:05)", "tomorrow at 09:00", "on 12 Mar".
pub fn describe_when(state: &AppState, now: Timestamp, at: Timestamp) -> String {
    let day = state.reviews.study_day();
    let local = day.time_zone().to_datetime(at);
    let mins = at.duration_since(now).as_secs().max(0) / 60;
    let days = crate::srs::StudyDay::days_between(day.day_of(now), day.day_of(at));
    let clock = local.strftime("%H:%M").to_string();
    if mins < 60 {
        format!("in {} min ({clock})", mins.max(1))
    } else if days <= 0 {
        format!("today at {clock}")
    } else if days == 1 {
        format!("tomorrow at {clock}")
    } else {
        format!("on {} ({days} days)", local.strftime("%a %-d %b"))
    }
}

/// The dashboard's spaced-repetition tile: today's counts, "Review now", and with an exam date
/// the predicted recall on exam day.
pub fn dashboard_tile(ui: &mut egui::Ui, state: &mut AppState, cmds: &mut Vec<Command>) {
    let counts = state.due_counts();
    let readiness = state.exam_readiness();
    let exam = state.reviews.settings().exam;
    let introduced = state.new_cards_introduced_today();
    // The tile lays out in its parent's direction (a wrapping row): stack this one's lines.
    super::widgets::tile(ui, "Flashcards due today", |ui| {
        ui.vertical(|ui| {
            ui.set_max_width(380.0);
            ui.label(theme::big_number(counts.total().to_string()));
            ui.horizontal(|ui| counts_label(ui, counts.new, counts.learning, counts.review));
            let label = if counts.total() > 0 {
                "Review now (R)"
            } else {
                "Nothing due: open Review (R)"
            };
            if ui.button(label).clicked() {
                cmds.push(Command::Go(Screen::Review));
            }
            if let (Some(exam), Some((today_pace, plan))) = (exam, readiness) {
                ui.add_space(theme::GAP / 2.0);
                let when = match today_pace.days_left {
                    d if d > 1 => format!("Exam on {} ({d} days)", exam.date),
                    1 => format!("Exam tomorrow ({})", exam.date),
                    0 => "Exam today".to_owned(),
                    _ => format!("Exam was on {}", exam.date),
                };
                ui.label(RichText::new(when).strong());
                ui.label(format!(
                    "Predicted share recalled on exam day: {:.0}% if you stop now",
                    today_pace.if_stopped * 100.0
                ));
                let pace = if introduced == 0 {
                    "if you add no new cards".to_owned()
                } else {
                    format!("at today's pace ({introduced} new cards a day)")
                };
                ui.label(format!(
                    "{:.0}% {pace}, if every review is done when due and recalled",
                    today_pace.at_pace * 100.0
                ));
                ui.label(
                    RichText::new(format!(
                        "{:.0}% on the plan ({} new cards a day, all seen {} days before), if every review is recalled",
                        plan.at_pace * 100.0,
                        plan.pace,
                        exam.buffer_days
                    ))
                    .color(theme::muted(ui.visuals())),
                );
            } else if exam.is_none() {
                ui.label(
                    RichText::new("Set an exam date on the Progress screen (P).")
                        .color(theme::muted(ui.visuals())),
                );
            }
        })
    });
}
