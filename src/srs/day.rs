//! The learner's study day: which calendar day a moment belongs to, for "due today" counts,
//! daily limits and statistics.
//!
//! A study day runs from `day_start_hour` (default 4 am, like Anki) local time to the same hour
//! the next day, so a late-night session still counts as "today". This is separate from how
//! FSRS counts elapsed days (whole 24-hour periods, see [`super::scheduler`]): a review card is
//! due *today* if its due moment falls before the next day start, so it can be answered a few
//! hours early, just as in Anki.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// Default hour at which a new study day begins.
pub const DEFAULT_DAY_START_HOUR: u8 = 4;

/// Time zone plus the hour at which a study day begins.
#[derive(Clone, Debug)]
pub struct StudyDay {
    tz: TimeZone,
    day_start_hour: u8,
}

impl StudyDay {
    /// `day_start_hour` is clamped to 0–23.
    pub fn new(tz: TimeZone, day_start_hour: u8) -> Self {
        Self {
            tz,
            day_start_hour: day_start_hour.min(23),
        }
    }

    /// UTC with a 4 am day start: for tests and benchmarks.
    pub fn utc() -> Self {
        Self::new(TimeZone::UTC, DEFAULT_DAY_START_HOUR)
    }

    /// The system's time zone with the given day start.
    pub fn system(day_start_hour: u8) -> Self {
        Self::new(TimeZone::system(), day_start_hour)
    }

    pub fn day_start_hour(&self) -> u8 {
        self.day_start_hour
    }

    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// The study day `ts` belongs to.
    pub fn day_of(&self, ts: Timestamp) -> Date {
        let shifted = ts
            .checked_sub(SignedDuration::from_hours(i64::from(self.day_start_hour)))
            .unwrap_or(ts);
        self.tz.to_datetime(shifted).date()
    }

    /// The moment study day `date` begins.
    pub fn start_of(&self, date: Date) -> Timestamp {
        let dt = date.at(self.day_start_hour as i8, 0, 0, 0);
        // `to_timestamp` resolves DST gaps and folds the way most calendars do; only dates at the
        // very edge of jiff's range can fail.
        self.tz.to_timestamp(dt).unwrap_or(Timestamp::MAX)
    }

    /// The moment the study day after `date` begins: everything due before it is due on `date`
    /// or earlier.
    pub fn end_of(&self, date: Date) -> Timestamp {
        match date.tomorrow() {
            Ok(next) => self.start_of(next),
            Err(_) => Timestamp::MAX,
        }
    }

    /// Whole study days from `from` to `to` (negative if `to` is earlier).
    pub fn days_between(from: Date, to: Date) -> i64 {
        // Civil dates have no DST: a civil day is always 24 hours.
        to.duration_since(from).as_hours().div_euclid(24)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The streak reads study time by quarter hour (`store::activity`) and gives each quarter to
    /// one study day: that holds while every day starts on a quarter hour, as it does in every
    /// time zone in use (offsets such as +05:45 and -09:30 included).
    #[test]
    fn every_study_day_starts_on_a_quarter_hour() {
        for minutes in [-570, -210, 0, 60, 330, 345, 525, 765, 840] {
            let offset = jiff::tz::Offset::from_seconds(minutes * 60).expect("offset");
            for hour in [0, 4, 23] {
                let d = StudyDay::new(TimeZone::fixed(offset), hour);
                let date = jiff::civil::date(2026, 12, 3);
                let start = d.start_of(date).as_millisecond();
                assert_eq!(start % 900_000, 0, "offset {minutes} min, hour {hour}");
                // The quarter just before the start is the previous day's, the start's is this.
                let before = Timestamp::from_millisecond(start - 900_000).expect("ts");
                assert_eq!(d.day_of(before), date.yesterday().expect("date"));
                assert_eq!(d.day_of(d.start_of(date)), date);
            }
        }
    }

    #[test]
    fn late_night_belongs_to_the_previous_day() {
        let d = StudyDay::utc();
        let ts: Timestamp = "2024-03-10T02:30:00Z".parse().expect("ts");
        assert_eq!(d.day_of(ts), jiff::civil::date(2024, 3, 9));
        let ts: Timestamp = "2024-03-10T04:00:00Z".parse().expect("ts");
        assert_eq!(d.day_of(ts), jiff::civil::date(2024, 3, 10));
        assert_eq!(
            d.end_of(jiff::civil::date(2024, 3, 10)),
            "2024-03-11T04:00:00Z".parse::<Timestamp>().expect("ts")
        );
    }
}
