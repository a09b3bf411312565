//! The Review screen: one card at a time, keyboard first. Space or Enter shows the back, and
//! once it shows answers Good; 1 2 3 4 answer Again / Hard / Good / Easy; B buries the card
//! until tomorrow, F flags it, I shows its history; U or Ctrl+Z undoes the last answer, bury,
//! suspend or flag. Every answer is on disk before the next card shows (see `app::review`).

use egui::{Key, Modifiers, RichText};
use egui_commonmark::CommonMarkCache;
use jiff::Timestamp;

use crate::app::AppState;
use crate::app::review::{CardInfo, DueCard};
use crate::format::interval as format_interval;
use crate::srs::{Rating, State};

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
    /// This session's answers, for the progress line and the summary at its end.
    session: Session,
    /// The info panel of the card on screen, read when opened.
    info: Option<(usize, CardInfo)>,
    /// The "study more" choices on the done page.
    more: StudyMore,
}

/// What the learner picked under "Study more": how far to review ahead, and which topic (and
/// section) a custom session takes its cards from.
struct StudyMore {
    ahead_days: u32,
    topic: Option<String>,
    /// Empty: the whole topic.
    anchor: String,
}

impl Default for StudyMore {
    fn default() -> Self {
        // Anki's default for reviewing ahead.
        Self {
            ahead_days: 1,
            topic: None,
            anchor: String::new(),
        }
    }
}

/// Answers since the Review screen opened (or since the last summary was dismissed).
#[derive(Clone, Copy, Debug, Default)]
struct Session {
    cards: usize,
    again: usize,
    time_ms: i64,
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
            let listed = q.holds(i);
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
            if self.session.cards > 0 {
                ui.add_space(theme::GAP);
                ui.label(
                    RichText::new(format!(
                        "· {} done this session, {} left",
                        self.session.cards,
                        counts.total()
                    ))
                    .color(theme::muted(ui.visuals())),
                );
            }
        });
        ui.add_space(theme::GAP);

        match self.shown.as_ref() {
            Some(_) => self.card_ui(ui, state, cmds),
            None => {
                if self.session.cards > 0 {
                    session_summary(ui, self.session);
                    ui.add_space(theme::GAP);
                }
                done_ui(ui, state, &mut self.more, cmds);
            }
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
        let index = shown.card.index;
        let (bury, flag, info) = ui.input_mut(|i| {
            (
                i.consume_key(Modifiers::NONE, Key::B) | i.consume_key(Modifiers::NONE, Key::Minus),
                i.consume_key(Modifiers::NONE, Key::F),
                i.consume_key(Modifiers::NONE, Key::I),
            )
        });
        if bury {
            self.mark(state, index, |s, i| s.bury_card(i));
            return;
        }
        if flag {
            self.mark(state, index, |s, i| s.toggle_flag(i));
        }
        if info {
            self.toggle_info(state, index);
        }
        let Some(shown) = &mut self.shown else {
            return;
        };
        let space = ui.input_mut(|i| {
            i.consume_key(Modifiers::NONE, Key::Space) | i.consume_key(Modifiers::NONE, Key::Enter)
        });
        if !shown.revealed {
            shown.revealed |= space;
            return;
        }
        // Anki's habit: once the answer shows, Space or Enter means Good.
        if space {
            self.answer(state, Rating::Good);
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

    /// Buries, suspends or flags the card on screen; a card leaving the queue makes way for the
    /// next one.
    fn mark(
        &mut self,
        state: &mut AppState,
        index: usize,
        change: impl FnOnce(&mut AppState, usize) -> Result<(), crate::app::review::ReviewError>,
    ) {
        if let Err(e) = change(state, index) {
            state.notify(
                crate::app::NoticeLevel::Error,
                format!("That was not saved: {e}"),
            );
            return;
        }
        if state.card_mark(index).hidden(state.clock.now()) {
            self.shown = None;
            self.info = None;
        } else if let Some((i, info)) = &mut self.info
            && *i == index
        {
            info.mark = state.card_mark(index);
        }
    }

    fn toggle_info(&mut self, state: &AppState, index: usize) {
        if self.info.as_ref().is_some_and(|(i, _)| *i == index) {
            self.info = None;
            return;
        }
        self.info = match state.card_info(index) {
            Ok(info) => Some((index, info)),
            Err(_) => None,
        };
    }

    fn answer(&mut self, state: &mut AppState, rating: Rating) {
        let Some(shown) = self.shown.take() else {
            return;
        };
        let spent = state.clock.now().duration_since(shown.shown_at);
        match state.answer_card(shown.card.index, rating, spent) {
            Ok(_) => {
                self.info = None;
                self.session.cards += 1;
                self.session.again += usize::from(rating == Rating::Again);
                self.session.time_ms += spent.as_millis().clamp(0, 5 * 60_000) as i64;
            }
            Err(e) => {
                state.notify(
                    crate::app::NoticeLevel::Error,
                    format!("Your answer was not saved: {e}"),
                );
                self.shown = Some(shown);
            }
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
        let index = shown.card.index;
        let mark = state.card_mark(index);
        let info_open = self.info.as_ref().is_some_and(|(i, _)| *i == index);
        let mut action: Option<Action> = None;
        let mut clicked: Option<Rating> = None;
        let mut reveal = false;
        let mut undo = false;

        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.set_max_width(ui.available_width().min(theme::READING_WIDTH));
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
                        RichText::new("Keys 1 2 3 4 answer, Space or Enter is Good · U undoes")
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
                    if state.reviews.can_undo() && ui.button("Undo (U)").clicked() {
                        undo = true;
                    }
                });
                ui.horizontal_wrapped(|ui| {
                    if ui
                        .button("Bury until tomorrow (B)")
                        .on_hover_text("Out of today's queue; back at the next study day")
                        .clicked()
                    {
                        action = Some(Action::Bury);
                    }
                    if ui
                        .button("Suspend")
                        .on_hover_text(
                            "Out of the queue until you unsuspend it (Review, when done)",
                        )
                        .clicked()
                    {
                        action = Some(Action::Suspend);
                    }
                    let flag = if mark.flagged {
                        "Unflag (F)"
                    } else {
                        "Flag (F)"
                    };
                    if ui.button(flag).clicked() {
                        action = Some(Action::Flag);
                    }
                    let info = if info_open {
                        "Hide card info (I)"
                    } else {
                        "Card info (I)"
                    };
                    if ui.button(info).clicked() {
                        action = Some(Action::Info);
                    }
                    if mark.flagged {
                        ui.label(RichText::new("⚑ flagged").color(theme::due(ui.visuals())));
                    }
                });
                super::widgets::report_problem(ui, state, crate::store::ReportItem::Card, &card.id);
                if let Some((i, info)) = &self.info
                    && *i == index
                {
                    ui.add_space(theme::GAP / 2.0);
                    info_panel(ui, state, info);
                }
            });
        match action {
            Some(Action::Bury) => self.mark(state, index, |s, i| s.bury_card(i)),
            Some(Action::Suspend) => self.mark(state, index, |s, i| s.set_suspended(i, true)),
            Some(Action::Flag) => self.mark(state, index, |s, i| s.toggle_flag(i)),
            Some(Action::Info) => self.toggle_info(state, index),
            None => {}
        }

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

/// A button under the card.
#[derive(Clone, Copy)]
enum Action {
    Bury,
    Suspend,
    Flag,
    Info,
}

/// "This session: 24 cards, 3 again (13 %), 6 min."
fn session_summary(ui: &mut egui::Ui, s: Session) {
    let again = 100.0 * s.again as f64 / s.cards.max(1) as f64;
    let minutes = (s.time_ms as f64 / 60_000.0).round().max(1.0);
    ui.label(
        RichText::new(format!(
            "This session: {} cards, {} again ({again:.0} %), about {minutes:.0} min.",
            s.cards, s.again
        ))
        .strong(),
    );
}

/// A card's answers and memory: stability, difficulty, the chance of recalling it now and
/// when it is next due.
fn info_panel(ui: &mut egui::Ui, state: &AppState, info: &CardInfo) {
    egui::Frame::group(ui.style())
        .inner_margin(theme::GAP)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            let muted = theme::muted(ui.visuals());
            let now = state.clock.now();
            match &info.state {
                Some(c) => {
                    let memory = c.memory.map_or("not yet known".to_owned(), |m| {
                        format!(
                            "stability {:.1} days, difficulty {:.1} of 10",
                            m.stability, m.difficulty
                        )
                    });
                    ui.label(format!("Memory: {memory}"));
                    if let Some(r) = info.retrievability {
                        ui.label(format!("Chance of recalling it now: {:.0} %", r * 100.0));
                    }
                    ui.label(format!("Next due {}", describe_when(state, now, c.due)));
                }
                None => {
                    ui.label("Never answered: a new card.");
                }
            }
            if info.mark.suspended {
                ui.label(RichText::new("Suspended").color(theme::warning(ui.visuals())));
            }
            ui.label(RichText::new(format!("Answers: {}", info.history.len())).strong());
            let tz = state.reviews.study_day().time_zone().clone();
            egui::Grid::new("card-history")
                .num_columns(3)
                .spacing([theme::GAP, 4.0])
                .show(ui, |ui| {
                    for e in info.history.iter().rev().take(20) {
                        let when = tz.to_datetime(e.reviewed_at).strftime("%Y-%m-%d %H:%M");
                        ui.label(RichText::new(when.to_string()).color(muted));
                        ui.label(e.rating.label());
                        ui.label(format!(
                            "next in {}",
                            format_interval(e.due_after.duration_since(e.reviewed_at))
                        ));
                        ui.end_row();
                    }
                });
        });
}

/// "New · Learning · Review" in their colours: the key of a chart of the three.
pub fn counts_key(ui: &mut egui::Ui) {
    let v = ui.visuals().clone();
    ui.label(RichText::new("■ New").color(theme::accent(&v)));
    ui.label(RichText::new("■ Learning").color(theme::wrong(&v)));
    ui.label(RichText::new("■ Review").color(theme::correct(&v)));
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
fn done_ui(ui: &mut egui::Ui, state: &mut AppState, more: &mut StudyMore, cmds: &mut Vec<Command>) {
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
    study_more(ui, state, more);
    let suspended = state.suspended_cards();
    if !suspended.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("{} card(s) suspended.", suspended.len()));
            if ui.button("Unsuspend all").clicked() {
                for i in suspended {
                    if let Err(e) = state.set_suspended(i, false) {
                        state.notify(
                            crate::app::NoticeLevel::Error,
                            format!("Could not unsuspend: {e}"),
                        );
                        break;
                    }
                }
            }
        });
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

/// Anki's "custom study", the parts a learner before an exam reaches for: new cards beyond
/// today's limit, reviewing ahead, and a session on one topic or section.
fn study_more(ui: &mut egui::Ui, state: &mut AppState, more: &mut StudyMore) {
    let muted = theme::muted(ui.visuals());
    ui.label(RichText::new("Study more").strong());
    egui::Grid::new("study-more")
        .num_columns(2)
        .spacing([theme::GAP, theme::GAP / 2.0])
        .show(ui, |ui| {
            ui.label("New cards");
            if ui
                .button("10 more new cards today")
                .on_hover_text("Beyond today's new-card limit; tomorrow's limit is unchanged")
                .clicked()
            {
                state.study_more_new(10);
            }
            ui.end_row();

            ui.label("Review ahead");
            ui.horizontal_wrapped(|ui| {
                ui.label("cards due within");
                let unit = if more.ahead_days == 1 {
                    " day"
                } else {
                    " days"
                };
                ui.add(
                    egui::DragValue::new(&mut more.ahead_days)
                        .range(1..=30)
                        .suffix(unit),
                );
                let ahead = state.cards_due_ahead(more.ahead_days);
                if ahead.is_empty() {
                    ui.label(RichText::new("none in that time").color(muted));
                } else if ui
                    .button(format!("Review {} early", cards(ahead.len())))
                    .on_hover_text(
                        "Soonest due first. An early review counts, but strengthens memory less \
                         than one on time.",
                    )
                    .clicked()
                {
                    state.drill_cards(ahead);
                }
            });
            ui.end_row();

            ui.label("One topic");
            ui.horizontal_wrapped(|ui| custom_session(ui, state, more));
            ui.end_row();
        });
}

/// A topic (and optionally one of its sections) and a button to study its cards now.
fn custom_session(ui: &mut egui::Ui, state: &mut AppState, more: &mut StudyMore) {
    let pack = state.pack.clone();
    if more
        .topic
        .as_deref()
        .is_none_or(|t| pack.topic(t).is_none())
    {
        more.topic = pack.topics.first().map(|t| t.id.clone());
        more.anchor.clear();
    }
    let Some(topic) = more.topic.clone() else {
        return;
    };
    let title = |id: &str| pack.topic(id).map_or(id.to_owned(), |t| t.title.clone());
    egui::ComboBox::from_id_salt("custom-topic")
        .selected_text(title(&topic))
        .width(220.0)
        .show_ui(ui, |ui| {
            for t in &pack.topics {
                if ui.selectable_label(t.id == topic, &t.title).clicked() {
                    more.topic = Some(t.id.clone());
                    more.anchor.clear();
                }
            }
        });
    let sections = pack
        .note(&topic)
        .map(|n| n.sections.as_slice())
        .unwrap_or(&[]);
    let section_title = sections
        .iter()
        .find(|s| s.anchor == more.anchor)
        .map_or("Whole topic", |s| s.title.as_str())
        .to_owned();
    egui::ComboBox::from_id_salt("custom-section")
        .selected_text(section_title)
        .width(220.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut more.anchor, String::new(), "Whole topic");
            for s in sections {
                ui.selectable_value(&mut more.anchor, s.anchor.clone(), &s.title);
            }
        });
    let picked = state.cards_citing(&crate::content::SectionRef {
        topic: more.topic.clone().unwrap_or_default(),
        anchor: more.anchor.clone(),
    });
    if picked.is_empty() {
        ui.label(RichText::new("no cards").color(theme::muted(ui.visuals())));
    } else if ui
        .button(format!("Study its {}", cards(picked.len())))
        .on_hover_text("Due ones first, then new ones, then the rest; whatever today's limits")
        .clicked()
    {
        state.drill_cards(picked);
    }
}

fn cards(n: usize) -> String {
    if n == 1 {
        "1 card".to_owned()
    } else {
        format!("{n} cards")
    }
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

/// Rough time per answer, for the daily workload an exam plan implies (stated beside it).
const SECONDS_PER_REVIEW: f64 = 10.0;
const SECONDS_PER_NEW: f64 = 30.0;

/// The dashboard's spaced-repetition tile: today's counts, "Review now", and with an exam date
/// the predicted recall on exam day.
pub fn dashboard_tile(ui: &mut egui::Ui, state: &mut AppState, cmds: &mut Vec<Command>) {
    let counts = state.due_counts();
    let readiness = state.exam_readiness();
    let exam = state.reviews.settings().exam;
    let introduced = state.new_cards_introduced_today();
    let forecast = exam.is_some().then(|| state.review_forecast()).flatten();
    // The tile lays out in its parent's direction (a wrapping row): stack this one's lines.
    super::widgets::tile(ui, "Flashcards due today", |ui| {
        ui.vertical(|ui| {
            ui.set_max_width(ui.available_width().min(380.0));
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
                // One prediction, in a sentence, with the daily work it asks for.
                let days = today_pace.days_left.max(1) as usize;
                let reviews_per_day = forecast
                    .as_ref()
                    .map(|f| {
                        f.iter().take(days).sum::<usize>() as f64 / days.min(f.len()).max(1) as f64
                    })
                    .unwrap_or(0.0);
                let minutes = (reviews_per_day * SECONDS_PER_REVIEW
                    + plan.pace as f64 * SECONDS_PER_NEW)
                    / 60.0;
                ui.label(
                    RichText::new(format!(
                        "On the plan you should recall about {:.0} % of the cards on exam day.",
                        plan.at_pace * 100.0
                    ))
                    .strong(),
                );
                ui.label(format!(
                    "It asks for {} new cards and about {:.0} reviews a day, roughly {:.0} min \
                     (at ~{SECONDS_PER_REVIEW:.0} s a review, {SECONDS_PER_NEW:.0} s a new card), \
                     with every card seen {} days before the exam. Stop now and it would be \
                     {:.0} %.",
                    plan.pace,
                    reviews_per_day,
                    minutes.ceil(),
                    exam.buffer_days,
                    today_pace.if_stopped * 100.0
                ));
                if introduced > 0 && introduced != plan.pace {
                    ui.label(
                        RichText::new(format!(
                            "Today you have taken {introduced} new cards so far."
                        ))
                        .color(theme::muted(ui.visuals())),
                    );
                }
            } else if exam.is_none() {
                ui.label(
                    RichText::new("Set an exam date on the Progress screen (P).")
                        .color(theme::muted(ui.visuals())),
                );
            }
        })
    });
}
