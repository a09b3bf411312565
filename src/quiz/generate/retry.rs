//! "How many times does it run?": asynchronous invocation retries against the maximum event
//! age.
//!
//! AWS documents that a failed asynchronous invocation is retried up to MaximumRetryAttempts
//! times (0–2, default 2), waiting about one minute before the first retry and about two
//! minutes before the second, and that an event older than MaximumEventAgeInSeconds (60 s to
//! 6 h) is discarded instead of retried.

use rand::RngExt;
use rand::seq::IndexedRandom;

use super::{Generator, single_question, times, wrong};
use crate::content::Question;
use crate::sim::retry::{self, Failure, RetryConfig};

/// When each run starts, in seconds after the event arrived, for a function that fails every
/// time, from the retry simulator's model (`sim::retry`). The first attempt always runs.
pub fn attempt_starts(max_retries: u8, max_event_age_s: u32) -> Vec<u32> {
    let cfg = RetryConfig {
        max_retry_attempts: max_retries.min(2),
        max_event_age_s,
        failure: Failure::Always,
        ..RetryConfig::default()
    };
    // With `Failure::Always` the model draws nothing at random: any seed gives the same times.
    retry::attempt_times(&cfg, 0)
        .into_iter()
        .map(|t| t.round() as u32)
        .collect()
}

/// Event ages that sit well clear of the moments retries happen (about 60 s and 180 s after the
/// event arrives, plus the run times), so "about a minute" never makes the answer ambiguous.
const SHORT_AGES: [u32; 4] = [90, 100, 120, 150];
const LONG_AGES: [u32; 7] = [240, 300, 600, 900, 1800, 3600, 21600];

/// Generates async-retry counting questions.
pub struct RetryGenerator;

impl Generator for RetryGenerator {
    fn id(&self) -> &'static str {
        "async-retries"
    }

    fn title(&self) -> &'static str {
        "Asynchronous retries and maximum event age"
    }

    fn topic(&self) -> &'static str {
        "async-invocation"
    }

    fn generate(&self, seed: u64) -> Question {
        let mut rng = super::rng(seed);
        let retries: u8 = rng.random_range(0..=2);
        // The event age binds only with retries; make it bind often enough to teach it.
        let short = retries > 0 && rng.random_bool(0.5);
        let age = if short {
            *SHORT_AGES.choose(&mut rng).expect("not empty")
        } else {
            *LONG_AGES.choose(&mut rng).expect("not empty")
        };
        let starts = attempt_starts(retries, age);
        let runs = starts.len() as u32;
        let unlimited = 1 + u32::from(retries);

        let stem = format!(
            "An Amazon S3 event notification invokes a Lambda function asynchronously. The \
             function throws an error within a second every time it runs. Its asynchronous \
             invocation configuration sets **MaximumRetryAttempts = {retries}** and \
             **MaximumEventAgeInSeconds = {age}**.\n\nHow many times does Lambda run the \
             function for one event?"
        );
        let mut timeline = String::from("- Attempt 1 starts at once (0 s) and fails.\n");
        for (k, t) in starts.iter().enumerate().skip(1) {
            timeline.push_str(&format!(
                "- After a wait of about {}, retry {k} starts at about {t} s (the event is \
                 younger than {age} s) and fails.\n",
                if k == 1 { "1 minute" } else { "2 minutes" },
            ));
        }
        if runs < unlimited {
            let would = starts.last().copied().unwrap_or(0) + if runs == 1 { 60 } else { 120 };
            timeline.push_str(&format!(
                "- Retry {runs} would start at about {would} s, when the event is older than the \
                 maximum event age of {age} s, so Lambda discards the event instead (to an \
                 on-failure destination or DLQ if one is set).\n"
            ));
        } else if retries < 2 {
            timeline.push_str(&format!(
                "- MaximumRetryAttempts = {retries} allows no more retries.\n"
            ));
        }
        let explanation = format!(
            "Lambda runs a failing asynchronous event once, then retries it up to \
             MaximumRetryAttempts times, waiting about 1 minute before the first retry and about \
             2 minutes before the second, but never once the event is older than the maximum \
             event age.\n\n{timeline}\nSo the function runs **{}**.",
            times(runs)
        );
        let right = (
            times(runs),
            format!(
                "Right: the first attempt plus {} retr{}.",
                runs - 1,
                if runs == 2 { "y" } else { "ies" }
            ),
        );
        let mut wrongs = vec![
            wrong(
                times(runs - 1),
                "This counts only the retries and forgets the first attempt, which always runs.",
            ),
            wrong(
                times(unlimited),
                format!(
                    "This ignores the maximum event age: a retry that would start after the event \
                     is {age} s old never happens."
                ),
            ),
        ];
        if retries > 0 {
            wrongs.push(wrong(
                times(u32::from(retries)),
                "MaximumRetryAttempts counts retries after the first attempt, not runs in total.",
            ));
        }
        wrongs.push(wrong(
            times(3),
            "Two retries (three runs) is only the default; this function sets its own limits.",
        ));
        wrongs.push(wrong(
            times(4),
            "Lambda retries an asynchronous event at most twice, so it never runs more than three \
             times for one error-raising event.",
        ));
        wrongs.push(wrong(
            times(0),
            "Lambda always makes the first attempt; the settings limit only the retries.",
        ));
        single_question(
            self.id(),
            seed,
            self.topic(),
            if runs < unlimited { AGE_SOURCE } else { SOURCE },
            stem,
            right,
            wrongs,
            explanation,
        )
    }
}

/// The note section that teaches retries after function errors.
pub const SOURCE: &str = "async-invocation#retries-after-function-errors";
/// The note section cited when the maximum event age is what stops the retries.
pub const AGE_SOURCE: &str = "async-invocation#maximum-event-age";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_attempts() {
        // Defaults: three runs, at 0, ~60 s and ~180 s (plus the 3-second runs before each wait).
        assert_eq!(attempt_starts(2, 21600), vec![0, 63, 186]);
        // The example: MaximumRetryAttempts 1, maximum event age 90 s: runs twice.
        assert_eq!(attempt_starts(1, 90).len(), 2);
        // Age 120 s lets the first retry through but not the second.
        assert_eq!(attempt_starts(2, 120), vec![0, 63]);
        // Age 150 s, one retry allowed: twice.
        assert_eq!(attempt_starts(1, 150).len(), 2);
        assert_eq!(attempt_starts(0, 21600), vec![0]);
        // More than two retries is not a setting Lambda accepts.
        assert_eq!(attempt_starts(5, 21600).len(), 3);
    }

    #[test]
    fn generated_answer_matches_the_model() {
        for seed in 0..300 {
            let q = RetryGenerator.generate(seed);
            let num = |key: &str| -> u32 {
                let after = q.stem.split(key).nth(1).expect("stem names the setting");
                after
                    .trim_start_matches(|c: char| !c.is_ascii_digit())
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
                    .parse()
                    .expect("a number")
            };
            let retries = num("MaximumRetryAttempts");
            let age = num("MaximumEventAgeInSeconds");
            // Independent arithmetic: retry k starts ~60 s, ~180 s after the event arrived.
            let expected = 1 + [60, 180]
                .iter()
                .take(retries as usize)
                .take_while(|&&t| t <= age)
                .count() as u32;
            let right = q.choices.iter().find(|c| c.correct).expect("one right");
            assert_eq!(right.text, times(expected), "seed {seed}: {}", q.stem);
        }
    }
}
