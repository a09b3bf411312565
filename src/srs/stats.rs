//! Review statistics for the Progress screen: the due forecast, reviews per day and retention.
//! Pure functions over card states and review-log rows; the store supplies the rows.

use jiff::Timestamp;
use jiff::civil::Date;

use super::day::StudyDay;
use super::scheduler::{CardState, Rating, State};

/// One answer, as `review_log` keeps it: enough to re-fit FSRS parameters later and to draw
/// statistics.
#[derive(Clone, Debug, PartialEq)]
pub struct LogEntry {
    pub card_id: String,
    pub reviewed_at: Timestamp,
    pub rating: Rating,
    /// Whole days since the previous answer; `None` for a card's first answer.
    pub elapsed_days: Option<u32>,
    pub state_before: State,
    pub state_after: State,
    pub stability: f64,
    pub difficulty: f64,
    pub due_after: Timestamp,
    /// Time the learner spent on the card.
    pub duration_ms: i64,
}

/// Cards coming due on each of the next `days` study days (index 0 = today, which also holds the
/// overdue ones). New cards are not forecast.
pub fn forecast(
    cards: &[Option<CardState>],
    now: Timestamp,
    day: &StudyDay,
    days: usize,
) -> Vec<usize> {
    let today = day.day_of(now);
    let mut out = vec![0; days];
    for c in cards.iter().flatten().filter(|c| c.state != State::New) {
        let offset = StudyDay::days_between(today, day.day_of(c.due)).max(0);
        if let Ok(i) = usize::try_from(offset)
            && let Some(slot) = out.get_mut(i)
        {
            *slot += 1;
        }
    }
    out
}

/// Answers on each of the last `days` study days, oldest first (last = today), split into
/// (new, learning/relearning, review) answers.
pub fn reviews_per_day(
    log: &[LogEntry],
    now: Timestamp,
    day: &StudyDay,
    days: usize,
) -> Vec<[usize; 3]> {
    let today = day.day_of(now);
    let mut out = vec![[0; 3]; days];
    for e in log {
        let back = StudyDay::days_between(day.day_of(e.reviewed_at), today);
        let Ok(back) = usize::try_from(back) else {
            continue;
        };
        if back < days {
            let kind = match e.state_before {
                State::New => 0,
                State::Learning | State::Relearning => 1,
                State::Review => 2,
            };
            out[days - 1 - back][kind] += 1;
        }
    }
    out
}

/// Share of review-state answers recalled (anything but Again): the true retention, to compare
/// with the desired one. `None` without any review answers.
pub fn retention(log: &[LogEntry]) -> Option<(f64, usize)> {
    let reviews: Vec<&LogEntry> = log
        .iter()
        .filter(|e| e.state_before == State::Review)
        .collect();
    if reviews.is_empty() {
        return None;
    }
    let passed = reviews.iter().filter(|e| e.rating != Rating::Again).count();
    Some((passed as f64 / reviews.len() as f64, reviews.len()))
}

/// The study days (oldest first) that `reviews_per_day` covers, for axis labels.
pub fn day_labels(now: Timestamp, day: &StudyDay, days: usize) -> Vec<Date> {
    let today = day.day_of(now);
    (0..days)
        .rev()
        .map(|back| {
            today
                .checked_sub(jiff::Span::new().days(back as i64))
                .unwrap_or(today)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    fn entry(at: &str, rating: Rating, before: State) -> LogEntry {
        LogEntry {
            card_id: "c".into(),
            reviewed_at: ts(at),
            rating,
            elapsed_days: None,
            state_before: before,
            state_after: State::Review,
            stability: 1.0,
            difficulty: 5.0,
            due_after: ts(at),
            duration_ms: 1000,
        }
    }

    #[test]
    fn counts_by_study_day_and_retention() {
        let now = ts("2024-05-10T12:00:00Z");
        let log = vec![
            entry("2024-05-10T08:00:00Z", Rating::Good, State::Review),
            entry("2024-05-10T02:00:00Z", Rating::Again, State::Review),
            entry("2024-05-08T08:00:00Z", Rating::Good, State::New),
        ];
        let per_day = reviews_per_day(&log, now, &StudyDay::utc(), 3);
        // 02:00 on the 10th belongs to study day 9 (day starts at 4 am).
        assert_eq!(per_day, vec![[1, 0, 0], [0, 0, 1], [0, 0, 1]]);
        assert_eq!(retention(&log), Some((0.5, 2)));
    }
}
