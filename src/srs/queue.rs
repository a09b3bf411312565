//! The day's queue: which card comes next and the New + Learning + Review counts.
//!
//! Order: learning and relearning cards as soon as they are due; then review cards due this
//! study day, most-forgotten first (lowest retrievability relative to the desired retention, so a
//! backlog is worked off where it hurts most), up to the daily review limit; then new cards in
//! pack order up to the daily new-card limit. When nothing else is left, a learning card due
//! within [`LEARN_AHEAD`] is shown early rather than making the learner wait.

use jiff::{SignedDuration, Timestamp};

use super::day::StudyDay;
use super::scheduler::{CardState, Scheduler, State};

/// How far ahead a learning card may be shown when nothing else is due (Anki's default).
pub const LEARN_AHEAD: SignedDuration = SignedDuration::from_mins(20);

/// How many more new and review cards today's limits allow, and by when reviews are due.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DayLimits {
    pub new_left: usize,
    pub reviews_left: usize,
    /// Exam mode: a review card scheduled later than this, and not reviewed since, is due at
    /// this moment instead, so every card comes back before the exam however it was scheduled
    /// before the date was set.
    pub reviews_due_by: Option<Timestamp>,
}

/// The three counts shown as New + Learning + Review.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DueCounts {
    pub new: usize,
    pub learning: usize,
    pub review: usize,
}

impl DueCounts {
    pub fn total(&self) -> usize {
        self.new + self.learning + self.review
    }
}

/// What the learner did to a card besides answering it. A buried card leaves the queue until
/// `buried_until_ms` (the next study day's start); a suspended one until it is unsuspended; a
/// flag only marks it. None of them changes the card's schedule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CardMark {
    pub suspended: bool,
    pub buried_until_ms: Option<i64>,
    pub flagged: bool,
}

impl CardMark {
    /// Whether the card stays out of the queue at `now`.
    pub fn hidden(&self, now: Timestamp) -> bool {
        self.suspended
            || self
                .buried_until_ms
                .is_some_and(|until| now.as_millisecond() < until)
    }
}

/// The day's queue, as indices into the card slice it was built from (pack order).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DayQueue {
    /// Learning and relearning cards due this study day, earliest first.
    pub learning: Vec<(usize, Timestamp)>,
    /// Review cards due this study day in the order they will be shown, already cut to the
    /// review limit.
    pub review: Vec<usize>,
    /// New cards in pack order, already cut to the new-card limit.
    pub new: Vec<usize>,
    /// Earliest due moment of any card not in today's queue (for "next card due …").
    pub next_due_later: Option<Timestamp>,
    /// Cards the learner asked to drill (a note section's cards), shown before reviews and new
    /// cards, whatever their schedule and the daily limits: (index, never answered).
    pub ahead: Vec<(usize, bool)>,
}

impl DayQueue {
    /// Builds the queue at `now`. `cards[i]` is the scheduling state of the pack's i-th card, or
    /// `None` if it was never answered; cards no longer in the pack are simply not passed in.
    pub fn build(
        scheduler: &Scheduler,
        cards: &[Option<CardState>],
        now: Timestamp,
        day: &StudyDay,
        limits: DayLimits,
    ) -> Self {
        Self::build_without(scheduler, cards, now, day, limits, |_| false)
    }

    /// [`DayQueue::build`] leaving out the cards for which `hidden(i)` holds (buried or
    /// suspended): they neither count nor come next.
    pub fn build_without(
        scheduler: &Scheduler,
        cards: &[Option<CardState>],
        now: Timestamp,
        day: &StudyDay,
        limits: DayLimits,
        hidden: impl Fn(usize) -> bool,
    ) -> Self {
        let end = day.end_of(day.day_of(now));
        let mut learning = Vec::new();
        let mut review = Vec::new();
        let mut new = Vec::new();
        let mut next_due_later: Option<Timestamp> = None;
        let retention = scheduler.config().desired_retention;
        for (i, card) in cards.iter().enumerate() {
            if hidden(i) {
                continue;
            }
            match card {
                None => {
                    if new.len() < limits.new_left {
                        new.push(i);
                    }
                }
                Some(c) if c.state == State::New => {
                    if new.len() < limits.new_left {
                        new.push(i);
                    }
                }
                Some(c) => {
                    let due = super::exam::due_by_deadline(c, limits.reviews_due_by);
                    if due >= end {
                        next_due_later = Some(next_due_later.map_or(due, |t| t.min(due)));
                    } else if c.state == State::Review {
                        let relative = scheduler.retrievability(c, now) / retention;
                        review.push((i, relative, due));
                    } else {
                        learning.push((i, c.due));
                    }
                }
            }
        }
        learning.sort_by_key(|&(i, due)| (due, i));
        review.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.2.cmp(&b.2)).then(a.0.cmp(&b.0)));
        // Reviews beyond today's limit wait for tomorrow.
        review.truncate(limits.reviews_left);
        Self {
            learning,
            review: review.into_iter().map(|(i, _, _)| i).collect(),
            new,
            next_due_later,
            ahead: Vec::new(),
        }
    }

    /// Puts `drill` (pack indices, in order) ahead of everything but learning cards already
    /// due; a drilled card leaves the review and new lists so it is not counted twice.
    pub fn with_ahead(mut self, drill: &[usize], cards: &[Option<CardState>]) -> Self {
        if drill.is_empty() {
            return self;
        }
        self.review.retain(|i| !drill.contains(i));
        self.new.retain(|i| !drill.contains(i));
        self.learning.retain(|(i, _)| !drill.contains(i));
        self.ahead = drill
            .iter()
            .map(|&i| {
                let unseen = cards
                    .get(i)
                    .is_none_or(|c| c.as_ref().is_none_or(|c| c.state == State::New));
                (i, unseen)
            })
            .collect();
        self
    }

    /// Whether pack card `index` is in today's queue.
    pub fn holds(&self, index: usize) -> bool {
        self.new.contains(&index)
            || self.review.contains(&index)
            || self.learning.iter().any(|&(j, _)| j == index)
            || self.ahead.iter().any(|&(j, _)| j == index)
    }

    /// New + Learning + Review.
    pub fn counts(&self) -> DueCounts {
        let ahead_new = self.ahead.iter().filter(|(_, unseen)| *unseen).count();
        DueCounts {
            new: self.new.len() + ahead_new,
            learning: self.learning.len(),
            review: self.review.len() + self.ahead.len() - ahead_new,
        }
    }

    /// The card to show at `now`, if any.
    pub fn next(&self, now: Timestamp) -> Option<usize> {
        let first_learning = self.learning.first();
        if let Some(&(i, due)) = first_learning
            && due <= now
        {
            return Some(i);
        }
        if let Some(&(i, _)) = self.ahead.first() {
            return Some(i);
        }
        if let Some(&i) = self.review.first().or(self.new.first()) {
            return Some(i);
        }
        let ahead = now.checked_add(LEARN_AHEAD).unwrap_or(now);
        first_learning
            .filter(|&&(_, due)| due <= ahead)
            .map(|&(i, _)| i)
    }

    /// When the next card becomes available, if nothing is available at `now`.
    pub fn next_due(&self) -> Option<Timestamp> {
        let learning = self.learning.first().map(|&(_, due)| due);
        match (learning, self.next_due_later) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::scheduler::{Memory, SchedulerConfig};

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    fn review_card(due: &str, last: &str, stability: f64) -> Option<CardState> {
        Some(CardState {
            state: State::Review,
            step: None,
            memory: Some(Memory {
                stability,
                difficulty: 5.0,
            }),
            due: ts(due),
            last_review: Some(ts(last)),
        })
    }

    #[test]
    fn learning_first_then_most_forgotten_reviews_then_new_in_pack_order() {
        let s = Scheduler::new(SchedulerConfig::default()).expect("scheduler");
        let now = ts("2024-05-10T10:00:00Z");
        let cards = vec![
            None,
            review_card("2024-05-09T10:00:00Z", "2024-05-01T10:00:00Z", 8.0),
            review_card("2024-05-02T10:00:00Z", "2024-04-01T10:00:00Z", 30.0),
            Some(CardState {
                state: State::Learning,
                step: Some(1),
                memory: Some(Memory {
                    stability: 2.0,
                    difficulty: 5.0,
                }),
                due: ts("2024-05-10T09:55:00Z"),
                last_review: Some(ts("2024-05-10T09:45:00Z")),
            }),
            None,
            review_card("2024-06-10T10:00:00Z", "2024-05-01T10:00:00Z", 40.0),
            None,
        ];
        let limits = DayLimits {
            new_left: 2,
            reviews_left: 10,
            ..DayLimits::default()
        };
        let q = DayQueue::build(&s, &cards, now, &StudyDay::utc(), limits);
        assert_eq!(q.next(now), Some(3));
        // Card 2: 39 days at S=30 is more forgotten than card 1: 9 days at S=8.
        assert_eq!(q.review, vec![2, 1]);
        assert_eq!(q.new, vec![0, 4]);
        assert_eq!(
            q.counts(),
            DueCounts {
                new: 2,
                learning: 1,
                review: 2
            }
        );
        assert_eq!(q.next_due_later, Some(ts("2024-06-10T10:00:00Z")));

        let limited = DayQueue::build(
            &s,
            &cards,
            now,
            &StudyDay::utc(),
            DayLimits {
                new_left: 0,
                reviews_left: 1,
                ..DayLimits::default()
            },
        );
        assert_eq!(limited.review, vec![2]);
        assert!(limited.new.is_empty());

        // Exam mode: the card scheduled for June is due by the exam deadline instead.
        let exam = DayQueue::build(
            &s,
            &cards,
            now,
            &StudyDay::utc(),
            DayLimits {
                reviews_due_by: Some(ts("2024-05-10T04:00:00Z")),
                ..limits
            },
        );
        assert_eq!(exam.review.len(), 3);
        assert!(exam.review.contains(&5));
        // Once reviewed on the last day, it is not pulled back again that day.
        let mut reviewed = cards.clone();
        reviewed[5] = review_card("2024-06-10T10:00:00Z", "2024-05-10T05:00:00Z", 40.0);
        let again = DayQueue::build(
            &s,
            &reviewed,
            now,
            &StudyDay::utc(),
            DayLimits {
                reviews_due_by: Some(ts("2024-05-10T04:00:00Z")),
                ..limits
            },
        );
        assert!(!again.review.contains(&5));
        let later = DayQueue::build(
            &s,
            &cards,
            now,
            &StudyDay::utc(),
            DayLimits {
                reviews_due_by: Some(ts("2024-05-20T04:00:00Z")),
                ..limits
            },
        );
        assert_eq!(later.next_due_later, Some(ts("2024-05-20T04:00:00Z")));
    }

    #[test]
    fn learning_card_not_yet_due_waits_unless_nothing_else() {
        let s = Scheduler::new(SchedulerConfig::default()).expect("scheduler");
        let now = ts("2024-05-10T10:00:00Z");
        let cards = vec![Some(CardState {
            state: State::Learning,
            step: Some(1),
            memory: Some(Memory {
                stability: 2.0,
                difficulty: 5.0,
            }),
            due: ts("2024-05-10T10:09:00Z"),
            last_review: Some(now),
        })];
        let limits = DayLimits {
            new_left: 5,
            reviews_left: 5,
            ..DayLimits::default()
        };
        let q = DayQueue::build(&s, &cards, now, &StudyDay::utc(), limits);
        assert_eq!(q.next(now), Some(0), "learn ahead when nothing else is due");
        let later = DayQueue::build(&s, &cards, now, &StudyDay::utc(), limits);
        let early = ts("2024-05-10T09:00:00Z");
        assert_eq!(later.next(early), None);
        assert_eq!(later.next_due(), Some(ts("2024-05-10T10:09:00Z")));
    }
}
