//! The learner's spaced-repetition settings: what they mean, their defaults and limits, and the
//! text forms they are stored and edited in. Persistence lives in `store::reviews`.

use jiff::civil::Date;

use super::day::DEFAULT_DAY_START_HOUR;
use super::scheduler::SchedulerConfig;

/// Lowest and highest desired retention the settings accept.
pub const RETENTION_RANGE: (f64, f64) = (0.70, 0.99);
/// Default days between the last new card and the exam.
pub const DEFAULT_EXAM_BUFFER_DAYS: u32 = 3;
/// Highest values the settings accept (the settings screen offers the same ranges); a stored
/// value above one is brought down to it when read.
pub const MAX_NEW_PER_DAY: u32 = 9_999;
pub const MAX_REVIEWS_PER_DAY: u32 = 99_999;
pub const MAX_EXAM_BUFFER_DAYS: u32 = 60;
/// Most learning or relearning steps.
pub const MAX_STEPS: usize = 20;
/// Exam dates the settings accept: far enough either way for any real exam, and far from the
/// ends of the calendar, so date arithmetic on them cannot overflow.
pub const EXAM_DATE_RANGE: (Date, Date) = (
    jiff::civil::date(2000, 1, 1),
    jiff::civil::date(2199, 12, 31),
);

/// Every SRS setting the learner can change. Changing one takes effect on the next queue build.
/// Course settings a pack may ship (`[settings]` in `pack.toml`): what a learner of the pack
/// starts with until they set their own for it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CourseDefaults {
    pub new_per_day: Option<u32>,
    pub desired_retention: Option<f64>,
    pub exam_date: Option<Date>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SrsSettings {
    /// Target recall probability when a review comes due.
    pub desired_retention: f64,
    /// New cards introduced per study day (without an exam date).
    pub new_per_day: u32,
    /// Most review cards shown per study day; learning cards are never held back.
    pub max_reviews_per_day: u32,
    /// Learning steps in seconds.
    pub learning_steps: Vec<u32>,
    /// Relearning steps in seconds.
    pub relearning_steps: Vec<u32>,
    /// Local hour at which a study day begins.
    pub day_start_hour: u8,
    /// Exam-date mode, when the learner has set a date.
    pub exam: Option<ExamSettings>,
}

/// Exam-date mode: the date, and how many days before it every card should have been seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExamSettings {
    pub date: Date,
    pub buffer_days: u32,
}

impl Default for SrsSettings {
    fn default() -> Self {
        Self {
            desired_retention: 0.90,
            new_per_day: 20,
            max_reviews_per_day: 200,
            learning_steps: vec![60, 600],
            relearning_steps: vec![600],
            day_start_hour: DEFAULT_DAY_START_HOUR,
            exam: None,
        }
    }
}

impl SrsSettings {
    /// The scheduler configuration these settings describe.
    pub fn scheduler_config(&self) -> SchedulerConfig {
        SchedulerConfig {
            desired_retention: clamp_retention(self.desired_retention),
            learning_steps: self.learning_steps.clone(),
            relearning_steps: self.relearning_steps.clone(),
            maximum_interval: SchedulerConfig::default().maximum_interval,
        }
    }
}

/// Desired retention forced into [`RETENTION_RANGE`] (NaN becomes the default).
pub fn clamp_retention(r: f64) -> f64 {
    if r.is_nan() {
        0.90
    } else {
        r.clamp(RETENTION_RANGE.0, RETENTION_RANGE.1)
    }
}

/// Why a steps string was rejected.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StepsError {
    #[error("\"{0}\" is not a step: write a number and a unit, like 1m, 10m, 1h or 1d")]
    Invalid(String),
    #[error("steps must be shorter than a day each: \"{0}\"")]
    TooLong(String),
}

/// Parses "1m 10m" (units s, m, h, d; a bare number means minutes) into seconds. An empty string
/// means no steps.
pub fn parse_steps(text: &str) -> Result<Vec<u32>, StepsError> {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .map(|token| {
            let split = token
                .find(|c: char| !c.is_ascii_digit() && c != '.')
                .unwrap_or(token.len());
            let (num, unit) = token.split_at(split);
            let value: f64 = num
                .parse()
                .map_err(|_| StepsError::Invalid(token.to_owned()))?;
            let scale = match unit {
                "s" => 1.0,
                "" | "m" => 60.0,
                "h" => 3600.0,
                "d" => 86_400.0,
                _ => return Err(StepsError::Invalid(token.to_owned())),
            };
            let secs = (value * scale).round();
            if !(1.0..=86_400.0).contains(&secs) {
                return Err(if secs < 1.0 {
                    StepsError::Invalid(token.to_owned())
                } else {
                    StepsError::TooLong(token.to_owned())
                });
            }
            // In 1..=86400 after the check above.
            Ok(secs as u32)
        })
        .collect()
}

/// The inverse of [`parse_steps`]: "1m 10m".
pub fn format_steps(steps: &[u32]) -> String {
    steps
        .iter()
        .map(|&s| {
            if s % 86_400 == 0 {
                format!("{}d", s / 86_400)
            } else if s % 3600 == 0 {
                format!("{}h", s / 3600)
            } else if s % 60 == 0 {
                format!("{}m", s / 60)
            } else {
                format!("{s}s")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_round_trip() {
        assert_eq!(parse_steps("1m 10m"), Ok(vec![60, 600]));
        assert_eq!(parse_steps(" 30s, 1h 1d "), Ok(vec![30, 3600, 86_400]));
        assert_eq!(parse_steps(""), Ok(vec![]));
        assert_eq!(format_steps(&[60, 600, 30, 7200]), "1m 10m 30s 2h");
        assert!(parse_steps("10x").is_err());
        assert!(parse_steps("2d").is_err());
    }

    #[test]
    fn retention_is_kept_in_range() {
        assert_eq!(clamp_retention(0.5), 0.70);
        assert_eq!(clamp_retention(1.0), 0.99);
        assert_eq!(clamp_retention(f64::NAN), 0.90);
    }
}
