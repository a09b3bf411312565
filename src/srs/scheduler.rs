//! One card's scheduling: FSRS-6 memory states from the `fsrs` crate, plus the layer that crate
//! leaves out — learning and relearning steps, elapsed-day counting, interval rounding, the
//! maximum interval and the four button previews — modelled on py-fsrs 6.3.2 (`Scheduler.
//! review_card`) and checked against its vectors in `tests/fsrs_reference.rs`.
//!
//! # Day counting
//! FSRS needs "days since the last review". Like py-fsrs we count **whole 24-hour periods**:
//! `elapsed_days = floor((now - last_review) / 24 h)`, never negative. Fewer than one whole day
//! is a same-day review and uses FSRS's short-term stability formula. This is independent of the
//! learner's time zone; the learner's *local* day (see [`super::day`]) only decides which cards
//! count as due today.

use fsrs::{DEFAULT_PARAMETERS, FSRS, MemoryState, NextStates};
use jiff::{SignedDuration, Timestamp};

/// Milliseconds in one FSRS day.
pub const DAY_MS: i64 = 86_400_000;

/// The learner's answer. Discriminants are the numbers FSRS, py-fsrs and `review_log` use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rating {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Rating {
    /// All four, in button order.
    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

    /// 1–4, as stored in `review_log`.
    pub fn number(self) -> u8 {
        self as u8
    }

    /// Inverse of [`Rating::number`]; `None` outside 1–4.
    pub fn from_number(n: u8) -> Option<Self> {
        Self::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }

    /// Button label.
    pub fn label(self) -> &'static str {
        match self {
            Rating::Again => "Again",
            Rating::Hard => "Hard",
            Rating::Good => "Good",
            Rating::Easy => "Easy",
        }
    }

    fn index(self) -> usize {
        usize::from(self.number()) - 1
    }
}

/// Where a card is in its life. `New` is py-fsrs's "Learning, step 0, no memory yet": we keep it
/// apart because the queue and the daily new-card limit need to tell the two apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum State {
    New = 0,
    Learning = 1,
    Review = 2,
    Relearning = 3,
}

impl State {
    /// 0–3, as stored (py-fsrs uses 1–3 and has no `New`).
    pub fn number(self) -> u8 {
        self as u8
    }

    /// Inverse of [`State::number`].
    pub fn from_number(n: u8) -> Option<Self> {
        match n {
            0 => Some(State::New),
            1 => Some(State::Learning),
            2 => Some(State::Review),
            3 => Some(State::Relearning),
            _ => None,
        }
    }

    /// Short name for statistics and logs.
    pub fn label(self) -> &'static str {
        match self {
            State::New => "New",
            State::Learning => "Learning",
            State::Review => "Review",
            State::Relearning => "Relearning",
        }
    }
}

/// Stability (days) and difficulty (1–10) of a card's memory. f64 at rest; the `fsrs` crate
/// computes in f32, which agrees with py-fsrs's f64 to ~1e-5 relative.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Memory {
    pub stability: f64,
    pub difficulty: f64,
}

/// Everything scheduling needs to know about one card; what `srs_card` stores.
#[derive(Clone, Debug, PartialEq)]
pub struct CardState {
    pub state: State,
    /// Index into the learning or relearning steps while in those states.
    pub step: Option<u32>,
    /// `None` until the first answer.
    pub memory: Option<Memory>,
    pub due: Timestamp,
    pub last_review: Option<Timestamp>,
}

impl CardState {
    /// A card nobody has answered yet.
    pub fn new_card(now: Timestamp) -> Self {
        Self {
            state: State::New,
            step: Some(0),
            memory: None,
            due: now,
            last_review: None,
        }
    }
}

/// The knobs of [`Scheduler`] that the learner can change (the FSRS parameters are the
/// defaults until the app learns to fit them).
#[derive(Clone, Debug, PartialEq)]
pub struct SchedulerConfig {
    /// Target probability of recall when a review card comes due (0.70–0.99).
    pub desired_retention: f64,
    /// Learning steps for new cards, in seconds (py-fsrs default 1m 10m).
    pub learning_steps: Vec<u32>,
    /// Relearning steps after a lapse, in seconds (default 10m).
    pub relearning_steps: Vec<u32>,
    /// Longest review interval, in days.
    pub maximum_interval: u32,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        Self {
            desired_retention: 0.9,
            learning_steps: vec![60, 600],
            relearning_steps: vec![600],
            maximum_interval: 36_500,
        }
    }
}

/// What one answer does to a card.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub rating: Rating,
    /// The card after the answer.
    pub card: CardState,
    /// Whole days since the previous answer (`None` for the first), as FSRS saw them.
    pub elapsed_days: Option<u32>,
    /// `card.due - now`: minutes for steps, whole days for reviews.
    pub interval: SignedDuration,
}

/// Errors from the scheduling core.
#[derive(Debug, thiserror::Error)]
pub enum SrsError {
    #[error("the FSRS model rejected its input: {0}")]
    Fsrs(String),
    #[error("the computed due date is outside the supported range")]
    TimeOutOfRange,
}

/// FSRS-6 with the default parameters, plus py-fsrs's step layer.
#[derive(Clone, Debug)]
pub struct Scheduler {
    fsrs: FSRS,
    /// The 21 FSRS-6 parameters in use (the defaults, or ones fitted to the learner).
    parameters: Vec<f32>,
    config: SchedulerConfig,
    decay: f64,
    factor: f64,
}

impl Scheduler {
    /// A scheduler with FSRS-6 default parameters and the given settings.
    pub fn new(config: SchedulerConfig) -> Result<Self, SrsError> {
        Self::with_parameters(config, &DEFAULT_PARAMETERS)
    }

    /// A scheduler with the given FSRS-6 parameters (21 numbers, e.g. fitted to the learner by
    /// `srs::optimize`) and settings.
    pub fn with_parameters(config: SchedulerConfig, parameters: &[f32]) -> Result<Self, SrsError> {
        if parameters.len() != DEFAULT_PARAMETERS.len() || parameters.iter().any(|w| !w.is_finite())
        {
            return Err(SrsError::Fsrs(format!(
                "expected {} finite FSRS parameters, got {parameters:?}",
                DEFAULT_PARAMETERS.len()
            )));
        }
        let fsrs = FSRS::new(parameters).map_err(|e| SrsError::Fsrs(e.to_string()))?;
        // py-fsrs keeps parameters in f64; reading the f32 through its shortest decimal form
        // gives the same f64 (0.1542, not 0.15420000255).
        let w20: f64 = parameters[20].to_string().parse().unwrap_or(0.1542);
        let decay = -w20;
        Ok(Self {
            fsrs,
            parameters: parameters.to_vec(),
            config,
            decay,
            factor: 0.9f64.powf(1.0 / decay) - 1.0,
        })
    }

    /// The FSRS parameters in use.
    pub fn parameters(&self) -> &[f32] {
        &self.parameters
    }

    /// The settings this scheduler was built with.
    pub fn config(&self) -> &SchedulerConfig {
        &self.config
    }

    /// FSRS's `DECAY` (negative).
    pub fn decay(&self) -> f64 {
        self.decay
    }

    /// FSRS's `FACTOR`, chosen so that R = 0.9 when t = S.
    pub fn factor(&self) -> f64 {
        self.factor
    }

    /// Whole days between `last` and `now` as FSRS counts them (see the module docs).
    pub fn elapsed_days(last: Timestamp, now: Timestamp) -> u32 {
        let ms = now.as_millisecond() - last.as_millisecond();
        u32::try_from(ms.div_euclid(DAY_MS)).unwrap_or(if ms < 0 { 0 } else { u32::MAX })
    }

    /// Probability of recall after `days` whole days at stability `stability`.
    pub fn forgetting_curve(&self, days: f64, stability: f64) -> f64 {
        (1.0 + self.factor * days / stability).powf(self.decay)
    }

    /// Retrievability of `card` at `now` (0 for a card never answered), counting elapsed days as
    /// whole days like py-fsrs's `get_card_retrievability`.
    pub fn retrievability(&self, card: &CardState, now: Timestamp) -> f64 {
        match (card.memory, card.last_review) {
            (Some(m), Some(last)) => {
                self.forgetting_curve(f64::from(Self::elapsed_days(last, now)), m.stability)
            }
            _ => 0.0,
        }
    }

    /// Unrounded interval in days that brings stability `stability` down to the desired retention.
    pub fn raw_interval_days(&self, stability: f64) -> f64 {
        stability / self.factor * (self.config.desired_retention.powf(1.0 / self.decay) - 1.0)
    }

    /// The review interval in whole days: rounded half-to-even (Python's `round`), at least one
    /// day, at most the maximum interval.
    pub fn interval_days(&self, stability: f64) -> u32 {
        let days = self.raw_interval_days(stability).round_ties_even();
        let max = f64::from(self.config.maximum_interval.max(1));
        // Clamped into [1, max] first, so the cast cannot truncate.
        days.clamp(1.0, max) as u32
    }

    /// What each of the four buttons would do, in button order.
    pub fn preview(&self, card: &CardState, now: Timestamp) -> Result<[Outcome; 4], SrsError> {
        self.preview_capped(card, now, None)
    }

    /// Like [`Scheduler::preview`], with review intervals capped at `cap_days` (exam mode).
    pub fn preview_capped(
        &self,
        card: &CardState,
        now: Timestamp,
        cap_days: Option<u32>,
    ) -> Result<[Outcome; 4], SrsError> {
        let elapsed = card.last_review.map(|last| Self::elapsed_days(last, now));
        let next = self.next_memories(card, elapsed)?;
        let mut out = Vec::with_capacity(4);
        for rating in Rating::ALL {
            out.push(self.outcome(card, now, rating, elapsed, &next, cap_days)?);
        }
        out.try_into()
            .map_err(|_| SrsError::Fsrs("expected four outcomes".to_owned()))
    }

    /// The card after answering `rating` at `now`.
    pub fn review(
        &self,
        card: &CardState,
        rating: Rating,
        now: Timestamp,
    ) -> Result<Outcome, SrsError> {
        self.review_capped(card, rating, now, None)
    }

    /// Like [`Scheduler::review`], with the review interval capped at `cap_days` (exam mode).
    pub fn review_capped(
        &self,
        card: &CardState,
        rating: Rating,
        now: Timestamp,
        cap_days: Option<u32>,
    ) -> Result<Outcome, SrsError> {
        let elapsed = card.last_review.map(|last| Self::elapsed_days(last, now));
        let next = self.next_memories(card, elapsed)?;
        self.outcome(card, now, rating, elapsed, &next, cap_days)
    }

    /// The four next memory states. `fsrs` treats zero elapsed days as a same-day review
    /// (short-term stability), exactly py-fsrs's `days_since_last_review < 1` branch, and starts
    /// from the initial S and D when there is no memory yet.
    fn next_memories(
        &self,
        card: &CardState,
        elapsed: Option<u32>,
    ) -> Result<NextStates, SrsError> {
        let current = card.memory.map(|m| MemoryState {
            stability: m.stability as f32,
            difficulty: m.difficulty as f32,
        });
        self.fsrs
            .next_states(
                current,
                self.config.desired_retention as f32,
                elapsed.unwrap_or(0),
            )
            .map_err(|e| SrsError::Fsrs(e.to_string()))
    }

    fn outcome(
        &self,
        card: &CardState,
        now: Timestamp,
        rating: Rating,
        elapsed: Option<u32>,
        next: &NextStates,
        cap_days: Option<u32>,
    ) -> Result<Outcome, SrsError> {
        let item = [&next.again, &next.hard, &next.good, &next.easy][rating.index()];
        let memory = Memory {
            stability: f64::from(item.memory.stability),
            difficulty: f64::from(item.memory.difficulty),
        };
        let review_days = || {
            let days = self.interval_days(memory.stability);
            let days = cap_days.map_or(days, |cap| days.min(cap.max(1)));
            Interval::Days(days)
        };
        let (state, step, interval) = match card.state {
            State::New | State::Learning => {
                let step = card.step.unwrap_or(0);
                steps_outcome(
                    &self.config.learning_steps,
                    step,
                    rating,
                    State::Learning,
                    review_days,
                )
            }
            State::Relearning => {
                let step = card.step.unwrap_or(0);
                steps_outcome(
                    &self.config.relearning_steps,
                    step,
                    rating,
                    State::Relearning,
                    review_days,
                )
            }
            State::Review => {
                if rating == Rating::Again {
                    match self.config.relearning_steps.first() {
                        None => (State::Review, None, review_days()),
                        Some(&first) => (
                            State::Relearning,
                            Some(0),
                            Interval::Millis(i64::from(first) * 1000),
                        ),
                    }
                } else {
                    (State::Review, None, review_days())
                }
            }
        };
        let ms = match interval {
            Interval::Millis(ms) => ms,
            Interval::Days(d) => i64::from(d) * DAY_MS,
        };
        let interval = SignedDuration::from_millis(ms);
        let due = now
            .checked_add(interval)
            .map_err(|_| SrsError::TimeOutOfRange)?;
        Ok(Outcome {
            rating,
            card: CardState {
                state,
                step,
                memory: Some(memory),
                due,
                last_review: Some(now),
            },
            elapsed_days: elapsed,
            interval,
        })
    }
}

enum Interval {
    Millis(i64),
    Days(u32),
}

/// py-fsrs's step walk, shared by learning (`in_state` = Learning) and relearning.
fn steps_outcome(
    steps: &[u32],
    step: u32,
    rating: Rating,
    in_state: State,
    review_days: impl Fn() -> Interval,
) -> (State, Option<u32>, Interval) {
    let secs = |s: u32| Interval::Millis(i64::from(s) * 1000);
    let graduate = || (State::Review, None, review_days());
    let idx = step as usize;
    // A card left on a step that no longer exists (the learner shortened the steps) graduates
    // on any pass, as in py-fsrs.
    if steps.is_empty() || (idx >= steps.len() && rating != Rating::Again) {
        return graduate();
    }
    match rating {
        Rating::Again => (in_state, Some(0), secs(steps[0])),
        Rating::Hard => {
            let interval = match (idx, steps) {
                (0, [only]) => Interval::Millis(i64::from(*only) * 1500),
                (0, [a, b, ..]) => Interval::Millis((i64::from(*a) + i64::from(*b)) * 500),
                _ => secs(steps[idx.min(steps.len() - 1)]),
            };
            (in_state, Some(step), interval)
        }
        Rating::Good => {
            if idx + 1 >= steps.len() {
                graduate()
            } else {
                (in_state, Some(step + 1), secs(steps[idx + 1]))
            }
        }
        Rating::Easy => graduate(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> Timestamp {
        "2024-01-01T09:00:00Z".parse().expect("valid timestamp")
    }

    #[test]
    fn elapsed_days_counts_whole_24h_periods() {
        let t = t0();
        let later = |s: i64| {
            t.checked_add(SignedDuration::from_secs(s))
                .expect("in range")
        };
        assert_eq!(Scheduler::elapsed_days(t, later(86_399)), 0);
        assert_eq!(Scheduler::elapsed_days(t, later(86_400)), 1);
        assert_eq!(Scheduler::elapsed_days(t, later(-5)), 0);
    }

    #[test]
    fn new_card_walks_the_default_steps() {
        let s = Scheduler::new(SchedulerConfig::default()).expect("scheduler");
        let card = CardState::new_card(t0());
        let p = s.preview(&card, t0()).expect("preview");
        let labels: Vec<String> = p
            .iter()
            .map(|o| crate::format::interval(o.interval))
            .collect();
        assert_eq!(labels, ["1m", "6m", "10m", "8d"]);
        assert_eq!(p[2].card.state, State::Learning);
        assert_eq!(p[3].card.state, State::Review);
    }

    #[test]
    fn exam_cap_shortens_review_intervals() {
        let s = Scheduler::new(SchedulerConfig::default()).expect("scheduler");
        let card = CardState::new_card(t0());
        let easy = s
            .review_capped(&card, Rating::Easy, t0(), Some(3))
            .expect("review");
        assert_eq!(easy.interval, SignedDuration::from_hours(72));
    }
}
