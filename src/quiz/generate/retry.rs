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

/// Wait before the first retry and before the second, in seconds.
pub const RETRY_WAITS_S: [u32; 2] = [60, 120];

/// When each attempt starts, in seconds after the event arrived, for a function that fails
/// every time after `duration_s`, given the retry settings. The first attempt always runs.
pub fn attempt_starts(max_retries: u32, max_event_age_s: u32, duration_s: u32) -> Vec<u32> {
    let mut starts = vec![0];
    let mut t = 0;
    for wait in RETRY_WAITS_S.iter().take(max_retries.min(2) as usize) {
        t += duration_s + wait;
        if t > max_event_age_s {
            break;
        }
        starts.push(t);
    }
    starts
}

/// Event ages that sit well clear of the moments retries happen (about 61–70 s and 182–200 s
/// for the durations used), so "about a minute" never makes the answer ambiguous.
const SHORT_AGES: [u32; 4] = [90, 100, 120, 150];
const LONG_AGES: [u32; 7] = [240, 300, 600, 900, 1800, 3600, 21600];
const DURATIONS: [u32; 5] = [1, 2, 3, 5, 10];

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
        let retries: u32 = rng.random_range(0..=2);
        // The event age binds only with retries; make it bind often enough to teach it.
        let short = retries > 0 && rng.random_bool(0.5);
        let age = if short {
            *SHORT_AGES.choose(&mut rng).expect("not empty")
        } else {
            *LONG_AGES.choose(&mut rng).expect("not empty")
        };
        let duration = *DURATIONS.choose(&mut rng).expect("not empty");
        let starts = attempt_starts(retries, age, duration);
        let runs = starts.len() as u32;
        let unlimited = 1 + retries;

        let stem = format!(
            "An Amazon S3 event notification invokes a Lambda function asynchronously. The \
             function throws an error on every run, and each run takes about {duration} s. Its \
             asynchronous invocation configuration sets **MaximumRetryAttempts = {retries}** and \
             **MaximumEventAgeInSeconds = {age}**.\n\nHow many times does Lambda run the function \
             for one event?"
        );
        let mut timeline = String::from("- Attempt 1 starts at once (0 s) and fails.\n");
        let mut t = 0;
        for (k, wait) in RETRY_WAITS_S.iter().take(retries as usize).enumerate() {
            t += duration + wait;
            if t > age {
                timeline.push_str(&format!(
                    "- Retry {} would start about {t} s after the event arrived, later than the \
                     maximum event age of {age} s, so Lambda discards the event (to an on-failure \
                     destination or DLQ if one is set).\n",
                    k + 1
                ));
                break;
            }
            timeline.push_str(&format!(
                "- After a wait of about {} minute{}, retry {} starts at about {t} s (event age \
                 within {age} s) and fails.\n",
                wait / 60,
                if *wait == 60 { "" } else { "s" },
                k + 1
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
                times(retries),
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
        // Defaults: three runs, at 0, ~61 s and ~182 s for a 1 s function.
        assert_eq!(attempt_starts(2, 21600, 1), vec![0, 61, 182]);
        // The example: MaximumRetryAttempts 1, maximum event age 90 s: runs twice.
        assert_eq!(attempt_starts(1, 90, 2).len(), 2);
        // Age 120 s lets the first retry (~62 s) through but not the second (~184 s).
        assert_eq!(attempt_starts(2, 120, 2), vec![0, 62]);
        // Age 60 s is below the first retry: only the first attempt.
        assert_eq!(attempt_starts(2, 60, 1), vec![0]);
        assert_eq!(attempt_starts(0, 21600, 5), vec![0]);
        // More than two retries is not a setting Lambda accepts.
        assert_eq!(attempt_starts(5, 21600, 1).len(), 3);
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
            let duration = num("each run takes about");
            let expected = attempt_starts(retries, age, duration).len() as u32;
            let right = q.choices.iter().find(|c| c.correct).expect("one right");
            assert_eq!(right.text, times(expected), "seed {seed}: {}", q.stem);
        }
    }
}
