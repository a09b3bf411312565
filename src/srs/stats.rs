//! Review statistics for the Progress screen and the dashboard: the due forecast, reviews per
//! day, retention, the study streak and recall per topic. Pure functions over card states and
//! review-log rows; the store supplies the rows.

use jiff::Timestamp;
use jiff::civil::Date;

use super::day::StudyDay;
use super::scheduler::{CardState, Rating, Scheduler, State};

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
            jiff::Span::new()
                .try_days(back as i64)
                .ok()
                .and_then(|span| today.checked_sub(span).ok())
                .unwrap_or(today)
        })
        .collect()
}

/// Consecutive study days with at least one answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Streak {
    /// Days in the current run: it ends today, or yesterday when today has no answer yet (the
    /// streak is still alive until today is over). At most the `lookback` asked for.
    pub current: u32,
    pub studied_today: bool,
    /// Study days with an answer among the last `window` days, today included.
    pub days_in_window: u32,
}

/// The streak on `today`. `studied(day)` says whether the learner answered anything on a study
/// day; it is asked about the last `window` days and, while the run goes on, at most `lookback`
/// days back, so a long history costs no more than that.
pub fn streak<E>(
    today: Date,
    window: u32,
    lookback: u32,
    mut studied: impl FnMut(Date) -> Result<bool, E>,
) -> Result<Streak, E> {
    let mut days = std::iter::successors(Some(today), |d| d.yesterday().ok());
    let mut known = Vec::new(); // known[i]: studied i days before today
    let mut ask = |i: usize, known: &mut Vec<bool>| -> Result<Option<bool>, E> {
        while known.len() <= i {
            match days.next() {
                Some(d) => known.push(studied(d)?),
                None => return Ok(None),
            }
        }
        Ok(Some(known[i]))
    };
    let studied_today = ask(0, &mut known)?.unwrap_or(false);
    let mut current = 0;
    let mut i = usize::from(!studied_today);
    while current < lookback && ask(i, &mut known)? == Some(true) {
        current += 1;
        i += 1;
    }
    let mut days_in_window = 0;
    for i in 0..window as usize {
        days_in_window += u32::from(ask(i, &mut known)? == Some(true));
    }
    Ok(Streak {
        current,
        studied_today,
        days_in_window,
    })
}

/// Mean probability of recalling each of `cards` at `now`, a card never answered counting as 0:
/// the share of them the learner would get right today. `None` for no cards.
pub fn mean_recall<'a>(
    scheduler: &Scheduler,
    cards: impl IntoIterator<Item = &'a Option<CardState>>,
    now: Timestamp,
) -> Option<f64> {
    let (sum, n) = cards.into_iter().fold((0.0, 0usize), |(sum, n), c| {
        let r = c.as_ref().map_or(0.0, |c| scheduler.retrievability(c, now));
        (sum + r, n + 1)
    });
    (n > 0).then(|| sum / n as f64)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

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

    fn date(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn streak_survives_until_today_is_over() {
        let active: BTreeSet<Date> = ["2024-05-01", "2024-05-03", "2024-05-04", "2024-05-05"]
            .into_iter()
            .map(date)
            .collect();
        let on = |today: &str, window, lookback| {
            let mut asked = BTreeSet::new();
            let s = streak(date(today), window, lookback, |d| {
                asked.insert(d);
                Ok::<_, ()>(active.contains(&d))
            })
            .expect("no error");
            (s, asked.len())
        };
        // Studied today: 3, 4, 5 May; each day asked once.
        let (s, asked) = on("2024-05-05", 30, 365);
        assert_eq!((s.current, s.studied_today, s.days_in_window), (3, true, 4));
        assert_eq!(asked, 30);
        // The next day, nothing yet: the run still counts.
        let (s, _) = on("2024-05-06", 30, 365);
        assert_eq!((s.current, s.studied_today), (3, false));
        // A whole day missed: broken.
        let (s, _) = on("2024-05-07", 3, 365);
        assert_eq!((s.current, s.days_in_window), (0, 1));
        // The walk back stops at the lookback.
        let (s, asked) = on("2024-05-05", 1, 2);
        assert_eq!((s.current, asked), (2, 2));
        let (s, _) = on("2024-06-30", 30, 365);
        assert_eq!(s, Streak::default());
    }

    #[test]
    fn unseen_cards_count_as_forgotten() {
        use crate::srs::SrsSettings;
        let scheduler = Scheduler::new(SrsSettings::default().scheduler_config()).expect("valid");
        let now = ts("2024-05-10T12:00:00Z");
        let mut learned = CardState::new_card(now);
        learned.state = State::Review;
        learned.memory = Some(crate::srs::scheduler::Memory {
            stability: 10.0,
            difficulty: 5.0,
        });
        learned.last_review = Some(now);
        let cards = [Some(learned), None];
        // Just reviewed: recall 1; never seen: 0.
        let mean = mean_recall(&scheduler, &cards, now).expect("two cards");
        assert!((mean - 0.5).abs() < 1e-9, "{mean}");
        assert_eq!(mean_recall(&scheduler, &[], now), None);
    }
}
