//! The review service: the learner's cards' scheduling states in memory, today's limits, the
//! queue, answering (written to the store before returning), undo, settings, exam readiness and
//! statistics. Screens call these `AppState` methods; nothing here draws.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};

use crate::content::Card;
use crate::srs::exam::{self, Readiness};
use crate::srs::stats;
use crate::srs::{
    CardMark, CardState, DayLimits, DayQueue, DueCounts, LogEntry, Outcome, Rating, Scheduler,
    SrsError, SrsSettings, State, StudyDay,
};
use crate::store::{Store, StoreError};

use super::AppState;

/// Time on one card beyond which the learner was surely away: durations are capped here so
/// statistics and future parameter fitting are not skewed by a coffee break.
pub const MAX_ANSWER_DURATION: SignedDuration = SignedDuration::from_mins(5);

/// Days the Progress screen looks forward and back.
pub const STATS_DAYS: usize = 30;

/// Why an answer or a settings change could not be applied.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Srs(#[from] SrsError),
    #[error("the card {0} is no longer in the pack")]
    UnknownCard(String),
}

/// Something to take back with undo: an answer, or a bury, suspend or flag.
#[derive(Clone, Debug)]
enum Undo {
    Answer {
        card_id: String,
        previous: Option<CardState>,
        log_id: i64,
        state_before: State,
    },
    Mark {
        card_id: String,
        before: CardMark,
    },
}

/// What the card-info panel shows of one card.
#[derive(Clone, Debug, PartialEq)]
pub struct CardInfo {
    /// Every answer, oldest first.
    pub history: Vec<stats::LogEntry>,
    /// `None` for a card never answered.
    pub state: Option<CardState>,
    /// Probability of recalling it now.
    pub retrievability: Option<f64>,
    pub mark: CardMark,
}

/// The numbers the Progress screen draws.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewStats {
    /// Cards coming due on each of the next [`STATS_DAYS`] study days (0 = today, with overdue).
    pub forecast: Vec<usize>,
    /// Answers per study day over the last [`STATS_DAYS`] days, oldest first, as
    /// (new, learning, review).
    pub per_day: Vec<[usize; 3]>,
    /// The study days of `per_day`.
    pub days: Vec<Date>,
    /// True retention over the last [`STATS_DAYS`] days: (share recalled, review answers).
    pub retention: Option<(f64, usize)>,
    /// Cards by state: new (never seen), learning (incl. relearning), review.
    pub by_state: [usize; 3],
}

/// In-memory scheduling state, kept in step with the store.
pub struct Reviews {
    settings: SrsSettings,
    scheduler: Scheduler,
    day: StudyDay,
    /// `cards[i]` belongs to `pack.cards[i]`; `None` until first answered.
    cards: Vec<Option<CardState>>,
    index: HashMap<String, usize>,
    /// The study day `new_today` and `reviews_today` count, and the counts.
    counted_day: Option<Date>,
    new_today: usize,
    reviews_today: usize,
    undo: Vec<Undo>,
    /// Bumped on every change, so cached derived values know when to recompute.
    generation: u64,
    readiness_cache: Option<(u64, Date, Option<ExamOutlook>)>,
    stats_cache: Option<(u64, Date, ReviewStats)>,
    forecast_cache: Option<(u64, Date, Arc<[usize]>)>,
    /// `marks[i]` belongs to `pack.cards[i]`.
    marks: Vec<CardMark>,
    /// New cards the learner asked for today beyond the daily limit ("study more").
    extra_new: Option<(Date, usize)>,
    /// Cards to drill ahead of the day's order (a note section's), until each is answered.
    drill: Vec<usize>,
    /// The last queue built and what it was built from (see [`Reviews::queue`]).
    queue_cache: std::cell::RefCell<Option<(QueueKey, DayQueue)>>,
}

/// Card generation, study day, new and review answers counted, and the second.
type QueueKey = (u64, Date, usize, usize, i64);

impl Reviews {
    /// Loads settings and card states for `cards` (the pack's cards, in pack order) from `store`,
    /// counting study days in `tz`.
    pub fn load(
        store: &Store,
        pack_id: &str,
        defaults: &crate::srs::settings::CourseDefaults,
        cards: &[Card],
        tz: jiff::tz::TimeZone,
    ) -> Result<Self, StoreError> {
        let settings = store.srs_settings_for(pack_id, defaults)?;
        // Parameters fitted to the learner (`app::params`) when adopted; else the defaults.
        let fitted = store.params_in_use(pack_id)?;
        let scheduler = fitted
            .and_then(|p| Scheduler::with_parameters(settings.scheduler_config(), &p.params).ok())
            .map_or_else(|| Scheduler::new(settings.scheduler_config()), Ok)
            .expect("FSRS-6 default parameters are valid");
        let day = StudyDay::new(tz, settings.day_start_hour);
        let mut r = Self {
            settings,
            scheduler,
            day,
            cards: Vec::new(),
            index: HashMap::new(),
            counted_day: None,
            new_today: 0,
            reviews_today: 0,
            undo: Vec::new(),
            generation: 0,
            readiness_cache: None,
            stats_cache: None,
            forecast_cache: None,
            marks: Vec::new(),
            extra_new: None,
            drill: Vec::new(),
            queue_cache: Default::default(),
        };
        r.align(store, pack_id, cards)?;
        Ok(r)
    }

    /// Re-reads card states for a (possibly changed) list of cards. Cards removed from the pack
    /// keep their history in the store but leave the queue.
    fn align(&mut self, store: &Store, pack_id: &str, cards: &[Card]) -> Result<(), StoreError> {
        let mut states = store.card_states(pack_id)?;
        self.cards = cards.iter().map(|c| states.remove(&c.id)).collect();
        let mut marks = store.card_marks(pack_id)?;
        self.marks = cards
            .iter()
            .map(|c| marks.remove(&c.id).unwrap_or_default())
            .collect();
        self.index = cards
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        self.undo.clear();
        self.drill.clear();
        self.counted_day = None;
        self.generation += 1;
        Ok(())
    }

    /// Bumped on every change to card states, settings or the pack's cards.
    /// Swaps in a scheduler on other FSRS parameters (fitted ones adopted, or the defaults).
    pub(super) fn set_scheduler(&mut self, scheduler: Scheduler) {
        self.scheduler = scheduler;
        self.counted_day = None;
        self.generation += 1;
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn settings(&self) -> &SrsSettings {
        &self.settings
    }

    pub fn scheduler(&self) -> &Scheduler {
        &self.scheduler
    }

    pub fn study_day(&self) -> &StudyDay {
        &self.day
    }

    /// Scheduling state of each pack card, in pack order.
    pub fn card_states(&self) -> &[Option<CardState>] {
        &self.cards
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    fn unseen(&self) -> usize {
        self.cards
            .iter()
            .filter(|c| c.as_ref().is_none_or(|c| c.state == State::New))
            .count()
    }

    /// New cards allowed today in total: the setting, or the exam pace.
    fn new_cards_today_target(&self, c: DayCount) -> usize {
        match &self.settings.exam {
            // Once the exam is over, plain FSRS with the learner's own daily limit again.
            Some(e) if e.date >= c.day => exam::new_cards_pace(e, c.day, self.unseen(), c.new),
            _ => self.settings.new_per_day as usize,
        }
    }

    fn limits(&self, c: DayCount) -> DayLimits {
        let today = c.day;
        DayLimits {
            new_left: (self.new_cards_today_target(c) + self.extra_new_on(today))
                .saturating_sub(c.new),
            reviews_left: (self.settings.max_reviews_per_day as usize).saturating_sub(c.reviews),
            reviews_due_by: self
                .settings
                .exam
                .as_ref()
                .and_then(|e| exam::review_deadline(e, today))
                .map(|d| self.day.start_of(d)),
        }
    }

    /// Extra new cards asked for on `day`.
    fn extra_new_on(&self, day: Date) -> usize {
        match self.extra_new {
            Some((d, n)) if d == day => n,
            _ => 0,
        }
    }

    fn cap(&self, now: Timestamp) -> Option<u32> {
        let today = self.day.day_of(now);
        self.settings
            .exam
            .as_ref()
            .and_then(|e| exam::interval_cap(e, today))
    }

    /// Today's answers counted against the limits: kept from the last count while the study
    /// day is the same, read from the store when it has turned (and not yet rolled).
    fn counted(
        &self,
        store: &Store,
        pack_id: &str,
        now: Timestamp,
    ) -> Result<DayCount, ReviewError> {
        let today = self.day.day_of(now);
        if self.counted_day == Some(today) {
            return Ok(DayCount {
                day: today,
                new: self.new_today,
                reviews: self.reviews_today,
            });
        }
        let (new, reviews) =
            store.answers_counted_against_limits(pack_id, self.day.start_of(today))?;
        Ok(DayCount {
            day: today,
            new,
            reviews,
        })
    }

    /// Re-counts today's limits from the store when the study day has changed.
    fn roll_day(
        &mut self,
        store: &Store,
        pack_id: &str,
        now: Timestamp,
    ) -> Result<Date, ReviewError> {
        let c = self.counted(store, pack_id, now)?;
        self.new_today = c.new;
        self.reviews_today = c.reviews;
        self.counted_day = Some(c.day);
        Ok(c.day)
    }

    /// Today's queue at `now`, with today's counts `c`.
    /// Today's queue at `now`. Built at most once a second for the same cards and counts:
    /// screens ask for it every frame, and at 20,000 cards a build is not free.
    fn queue(&self, now: Timestamp, c: DayCount) -> DayQueue {
        let key = (self.generation, c.day, c.new, c.reviews, now.as_second());
        if let Some((k, q)) = &*self.queue_cache.borrow()
            && *k == key
        {
            return q.clone();
        }
        let queue = self.build_queue(now, c);
        *self.queue_cache.borrow_mut() = Some((key, queue.clone()));
        queue
    }

    fn build_queue(&self, now: Timestamp, c: DayCount) -> DayQueue {
        let today = c.day;
        let hidden = |i: usize| self.marks.get(i).is_some_and(|m| m.hidden(now));
        let drill: Vec<usize> = self.drill.iter().copied().filter(|&i| !hidden(i)).collect();
        let mut queue = DayQueue::build_without(
            &self.scheduler,
            &self.cards,
            now,
            &self.day,
            self.limits(c),
            hidden,
        )
        .with_ahead(&drill, &self.cards);
        // Unseen cards beyond today's limit start coming tomorrow: that is "the next card" too.
        let tomorrow = self.day.end_of(today);
        let new_tomorrow = match &self.settings.exam {
            Some(e) if e.date > today => true,
            _ => self.settings.new_per_day > 0,
        };
        if new_tomorrow && self.unseen() > queue.new.len() {
            queue.next_due_later = Some(queue.next_due_later.map_or(tomorrow, |t| t.min(tomorrow)));
        }
        queue
    }
}

/// A study day and the answers of it counted against the daily limits.
#[derive(Clone, Copy, Debug)]
pub(super) struct DayCount {
    pub(super) day: Date,
    new: usize,
    reviews: usize,
}

/// Exam-day readiness at today's pace and on the plan's pace.
pub type ExamOutlook = (Readiness, Readiness);

/// A card ready to show: its pack index, and what each button would do.
#[derive(Clone, Debug)]
pub struct DueCard {
    pub index: usize,
    pub state: State,
    pub previews: [Outcome; 4],
}

impl AppState {
    /// Rolls the study day: re-counts today's answers when it has turned. Run by
    /// [`AppState::tick`] and before every answer.
    pub(super) fn reviews_day(&mut self) -> Option<Date> {
        let now = self.clock.now();
        let pack_id = self.pack.meta.id.clone();
        match self.reviews.roll_day(&self.store, &pack_id, now) {
            Ok(d) => Some(d),
            Err(e) => {
                self.notify(
                    super::NoticeLevel::Error,
                    format!("Could not read today's reviews: {e}"),
                );
                None
            }
        }
    }

    /// Today's counts; read from the store only when the day turned since the last tick.
    pub(super) fn day_count(&self) -> Option<DayCount> {
        self.reviews
            .counted(&self.store, &self.pack.meta.id, self.clock.now())
            .map_err(|e| {
                self.notify_later(
                    super::NoticeLevel::Error,
                    format!("Could not read today's reviews: {e}"),
                );
            })
            .ok()
    }

    /// New + Learning + Review due today.
    pub fn due_counts(&self) -> DueCounts {
        self.review_queue().counts()
    }

    /// Today's queue as it stands now.
    pub fn review_queue(&self) -> DayQueue {
        let now = self.clock.now();
        let c = self.day_count().unwrap_or(DayCount {
            day: self.reviews.day.day_of(now),
            new: self.reviews.new_today,
            reviews: self.reviews.reviews_today,
        });
        self.reviews.queue(now, c)
    }

    /// The card to review next, with its button previews; `None` when nothing is due.
    pub fn next_due_card(&self) -> Option<DueCard> {
        let now = self.clock.now();
        let index = self.review_queue().next(now)?;
        self.due_card(index)
    }

    /// Button previews for pack card `index` at the current time.
    pub fn due_card(&self, index: usize) -> Option<DueCard> {
        let now = self.clock.now();
        let card = match self.reviews.cards.get(index)? {
            Some(c) => c.clone(),
            None => CardState::new_card(now),
        };
        let cap = self.reviews.cap(now);
        match self.reviews.scheduler.preview_capped(&card, now, cap) {
            Ok(previews) => Some(DueCard {
                index,
                state: card.state,
                previews,
            }),
            Err(e) => {
                self.notify_later(
                    super::NoticeLevel::Error,
                    format!("Could not schedule a card: {e}"),
                );
                None
            }
        }
    }

    /// Answers pack card `index` with `rating` after `spent` on it. The card's new state and the
    /// log row are on disk (one transaction) before this returns.
    pub fn answer_card(
        &mut self,
        index: usize,
        rating: Rating,
        spent: SignedDuration,
    ) -> Result<Outcome, ReviewError> {
        let now = self.clock.now();
        let pack_id = self.pack.meta.id.clone();
        let card_id = self.card_id(index)?;
        self.reviews.roll_day(&self.store, &pack_id, now)?;
        let previous = self.reviews.cards.get(index).cloned().flatten();
        let before = previous.clone().unwrap_or_else(|| CardState::new_card(now));
        let cap = self.reviews.cap(now);
        let outcome = self
            .reviews
            .scheduler
            .review_capped(&before, rating, now, cap)?;
        let memory = outcome.card.memory.ok_or(SrsError::TimeOutOfRange)?;
        let entry = LogEntry {
            card_id: card_id.clone(),
            reviewed_at: now,
            rating,
            elapsed_days: outcome.elapsed_days,
            state_before: before.state,
            state_after: outcome.card.state,
            stability: memory.stability,
            difficulty: memory.difficulty,
            due_after: outcome.card.due,
            duration_ms: spent
                .clamp(SignedDuration::ZERO, MAX_ANSWER_DURATION)
                .as_millis() as i64,
        };
        let log_id = self.store.record_answer(&pack_id, &outcome.card, &entry)?;
        // Only now that it is on disk does memory move on.
        if let Some(slot) = self.reviews.cards.get_mut(index) {
            *slot = Some(outcome.card.clone());
        }
        // A drilled card has been drilled: from now on it follows its schedule.
        self.reviews.drill.retain(|&i| i != index);
        match before.state {
            State::New => self.reviews.new_today += 1,
            State::Review => self.reviews.reviews_today += 1,
            _ => {}
        }
        self.reviews.undo.push(Undo::Answer {
            card_id,
            previous,
            log_id,
            state_before: before.state,
        });
        self.reviews.generation += 1;
        Ok(outcome)
    }

    /// Takes back the last answer: the card's state is restored and its log row removed.
    /// Returns the pack index of the card, to show it again.
    pub fn undo_answer(&mut self) -> Result<Option<usize>, ReviewError> {
        let Some(u) = self.reviews.undo.last().cloned() else {
            return Ok(None);
        };
        let pack_id = self.pack.meta.id.clone();
        let index = match u {
            Undo::Answer {
                card_id,
                previous,
                log_id,
                state_before,
            } => {
                self.store
                    .undo_answer(&pack_id, &card_id, log_id, previous.as_ref())?;
                let index = self.reviews.index.get(&card_id).copied();
                if let Some(slot) = index.and_then(|i| self.reviews.cards.get_mut(i)) {
                    *slot = previous;
                }
                match state_before {
                    State::New => {
                        self.reviews.new_today = self.reviews.new_today.saturating_sub(1);
                    }
                    State::Review => {
                        self.reviews.reviews_today = self.reviews.reviews_today.saturating_sub(1);
                    }
                    _ => {}
                }
                index
            }
            Undo::Mark { card_id, before } => {
                self.store.set_card_mark(&pack_id, &card_id, &before)?;
                let index = self.reviews.index.get(&card_id).copied();
                if let Some(slot) = index.and_then(|i| self.reviews.marks.get_mut(i)) {
                    *slot = before;
                }
                index
            }
        };
        self.reviews.undo.pop();
        self.reviews.generation += 1;
        Ok(index)
    }

    /// A card's bury, suspend and flag marks.
    pub fn card_mark(&self, index: usize) -> CardMark {
        self.reviews.marks.get(index).copied().unwrap_or_default()
    }

    /// Takes the card out of the queue until the next study day starts.
    pub fn bury_card(&mut self, index: usize) -> Result<(), ReviewError> {
        let now = self.clock.now();
        let until = self.reviews.day.end_of(self.reviews.day.day_of(now));
        self.change_mark(index, |m| m.buried_until_ms = Some(until.as_millisecond()))
    }

    /// Takes the card out of the queue, or puts it back, until changed again.
    pub fn set_suspended(&mut self, index: usize, suspended: bool) -> Result<(), ReviewError> {
        self.change_mark(index, |m| m.suspended = suspended)
    }

    /// Flags or unflags the card (for the learner's own follow-up; the schedule is unchanged).
    pub fn toggle_flag(&mut self, index: usize) -> Result<(), ReviewError> {
        self.change_mark(index, |m| m.flagged = !m.flagged)
    }

    /// Pack indices of the suspended cards.
    pub fn suspended_cards(&self) -> Vec<usize> {
        (0..self.reviews.marks.len())
            .filter(|&i| self.reviews.marks[i].suspended)
            .collect()
    }

    /// The id of the pack's card at `index`.
    fn card_id(&self, index: usize) -> Result<String, ReviewError> {
        self.pack
            .cards
            .get(index)
            .map(|c| c.id.clone())
            .ok_or_else(|| ReviewError::UnknownCard(format!("#{index}")))
    }

    /// Writes a changed mark, then applies it in memory; undoable like an answer.
    fn change_mark(
        &mut self,
        index: usize,
        change: impl FnOnce(&mut CardMark),
    ) -> Result<(), ReviewError> {
        let card_id = self.card_id(index)?;
        let before = self.card_mark(index);
        let mut after = before;
        change(&mut after);
        if after == before {
            return Ok(());
        }
        self.store
            .set_card_mark(&self.pack.meta.id, &card_id, &after)?;
        if let Some(slot) = self.reviews.marks.get_mut(index) {
            *slot = after;
        }
        self.reviews.undo.push(Undo::Mark { card_id, before });
        self.reviews.generation += 1;
        Ok(())
    }

    /// Answer history and memory state of one card, read when the learner opens its info.
    pub fn card_info(&self, index: usize) -> Result<CardInfo, ReviewError> {
        let card_id = self.card_id(index)?;
        let history = self.store.answers_for_card(&self.pack.meta.id, &card_id)?;
        let state = self.reviews.cards.get(index).cloned().flatten();
        let now = self.clock.now();
        let retrievability = state
            .as_ref()
            .filter(|c| c.memory.is_some())
            .map(|c| self.reviews.scheduler.retrievability(c, now));
        Ok(CardInfo {
            history,
            state,
            retrievability,
            mark: self.card_mark(index),
        })
    }

    /// Shows these pack cards (in this order) before anything else in Review, new ones
    /// included and whatever the daily limits, each until it is answered.
    pub fn drill_cards(&mut self, indices: Vec<usize>) {
        self.reviews.drill = indices;
        self.reviews.generation += 1;
    }

    /// Review cards not due yet whose review falls within today or the next `days` study days,
    /// soonest first: Anki's "review ahead", for [`Self::drill_cards`]. New, learning,
    /// suspended and buried cards are left out.
    pub fn cards_due_ahead(&self, days: u32) -> Vec<usize> {
        let now = self.clock.now();
        let today = self.reviews.day.day_of(now);
        let Ok(last) = today.checked_add(jiff::Span::new().days(i64::from(days))) else {
            return Vec::new();
        };
        let until = self.reviews.day.end_of(last);
        let mut due: Vec<(Timestamp, usize)> = self
            .reviews
            .cards
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let c = c.as_ref()?;
                (c.state == State::Review
                    && c.due > now
                    && c.due < until
                    && !self.card_mark(i).hidden(now))
                .then_some((c.due, i))
            })
            .collect();
        due.sort();
        due.into_iter().map(|(_, i)| i).collect()
    }

    /// The cards citing a topic (an empty anchor) or one of its sections, for a custom session
    /// with [`Self::drill_cards`]: due ones first (soonest first), then new ones in pack order,
    /// then the rest, soonest due first. Suspended cards are left out.
    pub fn cards_citing(&self, section: &crate::content::SectionRef) -> Vec<usize> {
        let now = self.clock.now();
        let mut picked: Vec<(u8, Timestamp, usize)> = self
            .pack
            .cards
            .iter()
            .enumerate()
            .filter(|(i, c)| {
                c.source.topic == section.topic
                    && (section.anchor.is_empty() || c.source.anchor == section.anchor)
                    && !self.card_mark(*i).suspended
            })
            .map(
                |(i, _)| match self.reviews.cards.get(i).and_then(Option::as_ref) {
                    Some(c) if c.state != State::New && c.due <= now => (0, c.due, i),
                    Some(c) if c.state != State::New => (2, c.due, i),
                    _ => (1, Timestamp::MIN, i),
                },
            )
            .collect();
        picked.sort();
        picked.into_iter().map(|(_, _, i)| i).collect()
    }

    /// Cards still waiting in the drill.
    pub fn drill_left(&self) -> usize {
        self.reviews.drill.len()
    }

    /// More new cards today than the daily limit: `n` on top of what is left.
    pub fn study_more_new(&mut self, n: usize) {
        let today = self.reviews.day.day_of(self.clock.now());
        let extra = match self.reviews.extra_new {
            Some((day, k)) if day == today => k + n,
            _ => n,
        };
        self.reviews.extra_new = Some((today, extra));
        self.reviews.generation += 1;
    }

    /// Saves new SRS settings; they apply to the very next card.
    pub fn set_srs_settings(&mut self, settings: SrsSettings) -> Result<(), ReviewError> {
        let scheduler = Scheduler::with_parameters(
            settings.scheduler_config(),
            self.reviews.scheduler.parameters(),
        )?;
        self.store
            .set_srs_settings_for(&self.pack.meta.id, &settings)?;
        let tz = self.reviews.day.time_zone().clone();
        self.reviews.day = StudyDay::new(tz, settings.day_start_hour);
        self.reviews.settings = settings;
        self.reviews.scheduler = scheduler;
        self.reviews.counted_day = None;
        self.reviews.generation += 1;
        Ok(())
    }

    /// Counts study days in `tz` instead of the system time zone (tests, or a learner abroad).
    pub fn set_review_time_zone(&mut self, tz: jiff::tz::TimeZone) {
        self.reviews.day = StudyDay::new(tz, self.reviews.settings.day_start_hour);
        self.reviews.counted_day = None;
        self.reviews.generation += 1;
    }

    /// Re-reads card states after the pack changed (live preview).
    pub fn reload_reviews(&mut self) {
        let pack_id = self.pack.meta.id.clone();
        let pack = self.pack.clone();
        // Course settings are per pack: another pack (or the same one) brings its own.
        match self.store.srs_settings_for(&pack_id, &pack.settings) {
            Ok(settings) if settings != self.reviews.settings => {
                if let Ok(scheduler) = Scheduler::new(settings.scheduler_config()) {
                    let tz = self.reviews.day.time_zone().clone();
                    self.reviews.day = StudyDay::new(tz, settings.day_start_hour);
                    self.reviews.settings = settings;
                    self.reviews.scheduler = scheduler;
                    self.reviews.counted_day = None;
                    self.reviews.generation += 1;
                }
            }
            Ok(_) => {}
            Err(e) => self.report("read the settings of the reloaded pack", &e),
        }
        if let Err(e) = self.reviews.align(&self.store, &pack_id, &pack.cards) {
            self.notify(
                super::NoticeLevel::Error,
                format!("Could not read review progress for the reloaded pack: {e}"),
            );
        }
    }

    /// With an exam date: predicted recall on exam day if the learner stops now / keeps today's
    /// pace, and the same on the plan's pace. Cached by [`AppState::tick`] until something
    /// changes; computed on the spot when the cache is out of date.
    pub fn exam_readiness(&self) -> Option<ExamOutlook> {
        self.wanted.set(self.wanted.get() | super::WANT_READINESS);
        let c = self.day_count()?;
        let r = &self.reviews;
        if let Some((generation, day, value)) = &r.readiness_cache
            && *generation == r.generation
            && *day == c.day
        {
            return *value;
        }
        self.compute_readiness(c)
    }

    fn compute_readiness(&self, c: DayCount) -> Option<ExamOutlook> {
        let now = self.clock.now();
        let r = &self.reviews;
        r.settings.exam.map(|e| {
            let plan_pace = exam::new_cards_pace(&e, c.day, r.unseen(), c.new);
            let [todays, plan] =
                exam::readiness_at(&r.scheduler, &r.cards, now, &r.day, &e, [c.new, plan_pace]);
            (todays, plan)
        })
    }

    /// New cards allowed today in all: the daily setting, or the exam plan's pace.
    pub fn new_cards_target_today(&self) -> usize {
        match self.day_count() {
            Some(c) => self.reviews.new_cards_today_target(c),
            None => self.reviews.settings.new_per_day as usize,
        }
    }

    /// New cards introduced today.
    pub fn new_cards_introduced_today(&self) -> usize {
        self.day_count().map_or(self.reviews.new_today, |c| c.new)
    }

    /// Forecast, reviews per day and retention for the Progress screen. Cached by
    /// [`AppState::tick`] until something changes; computed on the spot when out of date.
    pub fn review_stats(&self) -> Option<ReviewStats> {
        self.wanted.set(self.wanted.get() | super::WANT_STATS);
        let c = self.day_count()?;
        if let Some((generation, day, value)) = &self.reviews.stats_cache
            && *generation == self.reviews.generation
            && *day == c.day
        {
            return Some(value.clone());
        }
        self.compute_review_stats(c.day)
    }

    /// Cards coming due on each of the next [`STATS_DAYS`] study days, for the dashboard's exam
    /// plan: [`ReviewStats::forecast`] without the review log's counts, from the cards in memory
    /// only. Cached like [`AppState::review_stats`].
    pub fn review_forecast(&self) -> Option<Arc<[usize]>> {
        self.wanted.set(self.wanted.get() | super::WANT_FORECAST);
        let c = self.day_count()?;
        let r = &self.reviews;
        if let Some((generation, day, value)) = &r.forecast_cache
            && *generation == r.generation
            && *day == c.day
        {
            return Some(value.clone());
        }
        Some(self.compute_forecast())
    }

    fn compute_forecast(&self) -> Arc<[usize]> {
        let r = &self.reviews;
        stats::forecast(&r.cards, self.clock.now(), &r.day, STATS_DAYS).into()
    }

    fn compute_review_stats(&self, today: Date) -> Option<ReviewStats> {
        let now = self.clock.now();
        let r = &self.reviews;
        // Counted in the store from an index: only the days shown are read.
        let days = stats::day_labels(now, &r.day, STATS_DAYS);
        let bounds: Vec<jiff::Timestamp> = days
            .iter()
            .map(|d| r.day.start_of(*d))
            .chain(std::iter::once(r.day.end_of(today)))
            .collect();
        let (per_day, passed, reviewed) =
            match self.store.review_day_counts(&self.pack.meta.id, &bounds) {
                Ok(counts) => counts,
                Err(e) => {
                    self.report_later("read the review history", &e);
                    return None;
                }
            };
        let mut by_state = [0; 3];
        for c in &r.cards {
            let i = match c.as_ref().map(|c| c.state) {
                None | Some(State::New) => 0,
                Some(State::Learning | State::Relearning) => 1,
                Some(State::Review) => 2,
            };
            by_state[i] += 1;
        }
        Some(ReviewStats {
            forecast: stats::forecast(&r.cards, now, &r.day, STATS_DAYS),
            per_day,
            days,
            retention: (reviewed > 0).then(|| (passed as f64 / reviewed as f64, reviewed)),
            by_state,
        })
    }

    /// Refreshes the review caches that were read since the last tick and are out of date.
    pub(super) fn refresh_review_caches(&mut self, wanted: u8) {
        let Some(c) = self.day_count() else { return };
        let generation = self.reviews.generation;
        let fresh = |k: Option<(u64, Date)>| k == Some((generation, c.day));
        if wanted & super::WANT_READINESS != 0
            && !fresh(
                self.reviews
                    .readiness_cache
                    .as_ref()
                    .map(|(g, d, _)| (*g, *d)),
            )
        {
            let value = self.compute_readiness(c);
            self.reviews.readiness_cache = Some((generation, c.day, value));
        }
        if wanted & super::WANT_STATS != 0
            && !fresh(self.reviews.stats_cache.as_ref().map(|(g, d, _)| (*g, *d)))
            && let Some(value) = self.compute_review_stats(c.day)
        {
            self.reviews.stats_cache = Some((generation, c.day, value));
        }
        if wanted & super::WANT_FORECAST != 0
            && !fresh(
                self.reviews
                    .forecast_cache
                    .as_ref()
                    .map(|(g, d, _)| (*g, *d)),
            )
        {
            let value = self.compute_forecast();
            self.reviews.forecast_cache = Some((generation, c.day, value));
        }
    }
}
