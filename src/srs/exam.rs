//! Exam-date mode: pace new cards so every card has been seen `buffer_days` before the exam, cap
//! review intervals so every card comes back before the exam day, and predict how much the
//! learner will recall on the day.
//!
//! The prediction is the mean FSRS retrievability of every card in the pack at noon on the exam
//! day (a card never seen counts as 0). "At today's pace" replays the future: each study day
//! introduces as many new cards as were introduced today, and every card is reviewed when it
//! comes due and answered Good — an optimistic but transparent model the learner can reason
//! about.

use jiff::Timestamp;
use jiff::civil::Date;

use super::day::StudyDay;
use super::scheduler::{CardState, Rating, Scheduler, State};
use super::settings::ExamSettings;

/// Hour of the exam day at which recall is predicted.
const EXAM_HOUR: i8 = 12;
/// Guard against pathological loops when replaying one card's future.
const MAX_SIMULATED_REVIEWS: usize = 64;

/// New cards to introduce per study day from `today` so that the `unseen` cards (plus the
/// `introduced_today` already shown today) are all seen by the exam date minus the buffer.
/// After that deadline every remaining card is due at once.
pub fn new_cards_pace(
    exam: &ExamSettings,
    today: Date,
    unseen: usize,
    introduced_today: usize,
) -> usize {
    // Checked at every step: the settings are clamped when read, but nothing here may panic
    // whatever values it is given.
    let deadline = jiff::Span::new()
        .try_days(i64::from(exam.buffer_days))
        .ok()
        .and_then(|span| exam.date.checked_sub(span).ok())
        .unwrap_or(exam.date);
    let days_left = StudyDay::days_between(today, deadline) + 1;
    let total = unseen + introduced_today;
    if days_left <= 1 {
        return total;
    }
    // days_left > 1 here and fits any realistic date range.
    let days = usize::try_from(days_left).unwrap_or(usize::MAX);
    total.div_ceil(days)
}

/// The longest review interval (days) allowed on `today` so the next review lands before the
/// exam day; `None` once the exam is tomorrow or past (plain FSRS again).
pub fn interval_cap(exam: &ExamSettings, today: Date) -> Option<u32> {
    let days = StudyDay::days_between(today, exam.date);
    if days >= 2 {
        u32::try_from(days - 1).ok()
    } else {
        None
    }
}

/// The study day by which every card must have had its last review before the exam: the day
/// before it. `None` on the exam day and after (plain FSRS again).
pub fn review_deadline(exam: &ExamSettings, today: Date) -> Option<Date> {
    (exam.date > today)
        .then(|| exam.date.yesterday().ok())
        .flatten()
}

/// When `card` is due, given the exam-mode deadline (`None` without one): a review card
/// scheduled past the deadline and not yet reviewed since it began is due at the deadline.
pub fn due_by_deadline(card: &CardState, deadline: Option<Timestamp>) -> Timestamp {
    match deadline {
        Some(by) if card.state == State::Review && card.last_review.is_none_or(|l| l < by) => {
            card.due.min(by)
        }
        _ => card.due,
    }
}

/// Predicted share of the pack recalled on exam day.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Readiness {
    /// If the learner stopped studying now.
    pub if_stopped: f64,
    /// If every study day from today introduces `pace` new cards and all reviews are done.
    pub at_pace: f64,
    /// New cards per day assumed for `at_pace`.
    pub pace: usize,
    /// Study days until the exam (0 on the day itself).
    pub days_left: i64,
}

/// Predicts recall on exam day for `cards` (the pack's cards in pack order, `None` if never
/// answered), assuming `pace` new cards per day from today.
pub fn readiness(
    scheduler: &Scheduler,
    cards: &[Option<CardState>],
    now: Timestamp,
    day: &StudyDay,
    exam: &ExamSettings,
    pace: usize,
) -> Readiness {
    let [r] = readiness_at(scheduler, cards, now, day, exam, [pace]);
    r
}

/// [`readiness`] at several paces at once: the cards already seen are simulated once for all.
/// Unseen cards are introduced in pack order, `pace` a study day from today; those introduced
/// on the same day have the same future, so each day is simulated once.
pub fn readiness_at<const N: usize>(
    scheduler: &Scheduler,
    cards: &[Option<CardState>],
    now: Timestamp,
    day: &StudyDay,
    exam: &ExamSettings,
    paces: [usize; N],
) -> [Readiness; N] {
    let today = day.day_of(now);
    let exam_at = day
        .time_zone()
        .to_timestamp(exam.date.at(EXAM_HOUR, 0, 0, 0))
        .unwrap_or(now);
    let total = cards.len().max(1) as f64;
    let recall_at_exam = |c: &CardState| {
        if exam_at <= now {
            scheduler.retrievability(c, now)
        } else {
            scheduler.retrievability(c, exam_at)
        }
    };
    let simulated =
        |c: CardState| recall_at_exam(&simulate_good(scheduler, c, now, exam_at, day, exam));
    let if_stopped: f64 = cards.iter().flatten().map(recall_at_exam).sum::<f64>() / total;
    let is_seen = |c: &&Option<CardState>| matches!(c, Some(c) if c.state != State::New);
    let seen: f64 = cards
        .iter()
        .filter(is_seen)
        .flatten()
        .map(|c| simulated(c.clone()))
        .sum();
    let unseen = cards.len() - cards.iter().filter(is_seen).count();
    paces.map(|pace| {
        let mut sum = seen;
        let (mut left, mut offset) = (if pace == 0 { 0 } else { unseen }, 0i64);
        while left > 0 {
            let Some(date) = jiff::Span::new()
                .try_days(offset)
                .ok()
                .and_then(|span| today.checked_add(span).ok())
            else {
                break;
            };
            let at = day.start_of(date).max(now);
            if at >= exam_at {
                break;
            }
            let introduced = left.min(pace);
            sum += introduced as f64 * simulated(CardState::new_card(at));
            left -= introduced;
            offset += 1;
        }
        Readiness {
            if_stopped,
            at_pace: sum / total,
            pace,
            days_left: StudyDay::days_between(today, exam.date),
        }
    })
}

/// Replays one card's future: answered Good whenever it comes due before the exam.
fn simulate_good(
    scheduler: &Scheduler,
    mut card: CardState,
    now: Timestamp,
    exam_at: Timestamp,
    day: &StudyDay,
    exam: &ExamSettings,
) -> CardState {
    // As in the day's queue: a review scheduled past the deadline comes back by it.
    let deadline = review_deadline(exam, day.day_of(now)).map(|d| day.start_of(d));
    for _ in 0..MAX_SIMULATED_REVIEWS {
        let due = due_by_deadline(&card, deadline);
        let at = due.max(now);
        if at >= exam_at {
            break;
        }
        let cap = interval_cap(exam, day.day_of(at));
        match scheduler.review_capped(&card, Rating::Good, at, cap) {
            Ok(o) => card = o.card,
            Err(_) => break,
        }
    }
    card
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::scheduler::SchedulerConfig;
    use jiff::civil::date;

    #[test]
    fn pace_spreads_new_cards_until_the_buffer() {
        let exam = ExamSettings {
            date: date(2024, 6, 30),
            buffer_days: 3,
        };
        // Deadline 27 June; from 18 June that is 10 study days.
        assert_eq!(new_cards_pace(&exam, date(2024, 6, 18), 95, 5), 10);
        assert_eq!(new_cards_pace(&exam, date(2024, 6, 27), 7, 0), 7);
        assert_eq!(new_cards_pace(&exam, date(2024, 6, 29), 7, 0), 7);
    }

    #[test]
    fn cap_keeps_the_next_review_before_exam_day() {
        let exam = ExamSettings {
            date: date(2024, 6, 30),
            buffer_days: 3,
        };
        assert_eq!(interval_cap(&exam, date(2024, 6, 20)), Some(9));
        assert_eq!(interval_cap(&exam, date(2024, 6, 28)), Some(1));
        assert_eq!(interval_cap(&exam, date(2024, 6, 29)), None);
    }

    #[test]
    fn every_card_is_due_by_the_day_before_the_exam() {
        let exam = ExamSettings {
            date: date(2024, 6, 30),
            buffer_days: 3,
        };
        assert_eq!(
            review_deadline(&exam, date(2024, 6, 1)),
            Some(date(2024, 6, 29))
        );
        assert_eq!(
            review_deadline(&exam, date(2024, 6, 29)),
            Some(date(2024, 6, 29))
        );
        assert_eq!(review_deadline(&exam, date(2024, 6, 30)), None);
    }

    #[test]
    fn studying_beats_stopping() {
        let s = Scheduler::new(SchedulerConfig::default()).expect("scheduler");
        let day = StudyDay::utc();
        let now: Timestamp = "2024-06-01T10:00:00Z".parse().expect("ts");
        let exam = ExamSettings {
            date: date(2024, 6, 30),
            buffer_days: 3,
        };
        let seen = s
            .review(&CardState::new_card(now), Rating::Good, now)
            .expect("review")
            .card;
        let cards = vec![Some(seen), None, None];
        let r = readiness(&s, &cards, now, &day, &exam, 1);
        assert!(r.if_stopped > 0.0 && r.if_stopped < 1.0 / 3.0);
        assert!(r.at_pace > 0.8, "{r:?}");
        let none = readiness(&s, &cards, now, &day, &exam, 0);
        assert!(none.at_pace < r.at_pace);
    }

    /// The prediction card by card, as it was computed before seen cards were shared between
    /// paces and new cards grouped by day.
    fn one_by_one(
        s: &Scheduler,
        cards: &[Option<CardState>],
        now: Timestamp,
        day: &StudyDay,
        exam: &ExamSettings,
        pace: usize,
    ) -> f64 {
        let exam_at = day
            .time_zone()
            .to_timestamp(exam.date.at(EXAM_HOUR, 0, 0, 0))
            .expect("exam time");
        let mut sum = 0.0;
        let mut k = 0;
        for card in cards {
            let start = match card {
                Some(c) if c.state != State::New => Some(c.clone()),
                _ if pace == 0 => None,
                _ => {
                    let date = day
                        .day_of(now)
                        .checked_add(jiff::Span::new().days((k / pace) as i64))
                        .expect("date");
                    k += 1;
                    let at = day.start_of(date).max(now);
                    (at < exam_at).then(|| CardState::new_card(at))
                }
            };
            if let Some(c) = start {
                let c = simulate_good(s, c, now, exam_at, day, exam);
                sum += s.retrievability(&c, exam_at);
            }
        }
        sum / cards.len() as f64
    }

    #[test]
    fn paces_at_once_give_what_each_card_alone_gives() {
        let s = Scheduler::new(SchedulerConfig::default()).expect("scheduler");
        let day = StudyDay::utc();
        let now: Timestamp = "2024-06-01T10:00:00Z".parse().expect("ts");
        let exam = ExamSettings {
            date: date(2024, 6, 20),
            buffer_days: 3,
        };
        // Seen cards answered on different days and ratings, and unseen ones among them.
        let mut cards = Vec::new();
        for i in 0..40_i64 {
            cards.push(match i % 3 {
                0 => None,
                _ => {
                    let at = now
                        .checked_sub(jiff::SignedDuration::from_hours(24 * (i % 9) + 1))
                        .expect("ts");
                    let rating =
                        [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy][(i % 4) as usize];
                    Some(
                        s.review(&CardState::new_card(at), rating, at)
                            .expect("review")
                            .card,
                    )
                }
            });
        }
        let got = readiness_at(&s, &cards, now, &day, &exam, [0, 1, 3, 7, 100]);
        for r in got {
            let want = one_by_one(&s, &cards, now, &day, &exam, r.pace);
            assert!(
                (r.at_pace - want).abs() < 1e-12,
                "pace {}: {r:?} vs {want}",
                r.pace
            );
        }
        // Unseen cards fill 14 days at 1 a day before the exam: pace 1 leaves some out.
        assert!(got[1].at_pace < got[2].at_pace && got[2].at_pace <= got[3].at_pace);
    }
}
