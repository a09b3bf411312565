//! Concurrency arithmetic: how much concurrency traffic needs, what reservations leave, and
//! what happens to requests beyond a reservation.
//!
//! AWS documents: concurrency ≈ requests per second × average duration in seconds; reserved
//! concurrency both guarantees and caps a function; the sum of reservations can be at most the
//! account quota minus 100, which stay unreserved; a throttled synchronous call gets
//! `TooManyRequestsException` (429), a throttled asynchronous event goes back to the event queue
//! and is retried for up to the maximum event age (6 hours by default). The arithmetic comes from
//! the concurrency simulator's model (`sim::concurrency`) where it has it.

use rand::RngExt;
use rand::seq::IndexedRandom;

use super::{Generator, Wrong, single_question, wrong};
use crate::content::Question;
use crate::sim::concurrency;

/// Concurrency that steady traffic needs, rounded up: rps × duration, from the concurrency
/// simulator's model (`sim::concurrency`).
pub fn needed_concurrency(requests_per_s: u32, duration_ms: u32) -> u32 {
    concurrency::required_concurrency(f64::from(requests_per_s), f64::from(duration_ms) / 1000.0)
        .ceil() as u32
}

/// Lambda keeps this much of the account quota unreserved.
pub const UNRESERVED_FLOOR: u32 = concurrency::MIN_UNRESERVED;

/// The most that one more function can reserve, given the reservations already made.
pub fn max_new_reservation(account_quota: u32, reserved: &[u32]) -> u32 {
    concurrency::max_reservable(account_quota, reserved.iter().sum())
}

/// The pool that functions without a reservation share.
pub fn unreserved_pool(account_quota: u32, reserved: &[u32]) -> u32 {
    concurrency::unreserved_pool(account_quota, reserved.iter().sum())
}

/// Requests per second a function capped at `reserved` can serve at `duration_ms` each.
pub fn served_per_s(reserved: u32, duration_ms: u32) -> u32 {
    (u64::from(reserved) * 1000 / u64::from(duration_ms)) as u32
}

/// Generates concurrency and throttling questions.
pub struct ConcurrencyGenerator;

impl Generator for ConcurrencyGenerator {
    fn id(&self) -> &'static str {
        "concurrency"
    }

    fn title(&self) -> &'static str {
        "Concurrency, reservations and throttling"
    }

    fn topic(&self) -> &'static str {
        "concurrency"
    }

    fn generate(&self, seed: u64) -> Question {
        let mut rng = super::rng(seed);
        let parts = match rng.random_range(0..4) {
            0 => estimate(&mut rng),
            1 => max_reservation(&mut rng),
            2 => pool(&mut rng),
            _ => throttle(&mut rng),
        };
        single_question(
            self.id(),
            seed,
            self.topic(),
            parts.source,
            parts.stem,
            parts.right,
            parts.wrongs,
            parts.explanation,
        )
    }
}

struct Parts {
    source: &'static str,
    stem: String,
    right: (String, String),
    wrongs: Vec<Wrong>,
    explanation: String,
}

/// Thousands separators as the notes write them: 1,000.
fn n(v: u32) -> String {
    concurrency::thousands(v)
}

fn fallbacks(right: u32) -> impl Iterator<Item = Wrong> {
    [2, 3, 4, 5].into_iter().map(move |k| {
        wrong(
            n(right * k),
            "Not what the numbers give; work it through with the formula.",
        )
    })
}

fn estimate(rng: &mut impl rand::Rng) -> Parts {
    let (rps, ms) = loop {
        let rps = *[20, 50, 80, 100, 200, 250, 400, 500, 1000]
            .choose(rng)
            .expect("not empty");
        let ms = *[200, 250, 400, 500, 800, 1500, 2000, 3000, 5000]
            .choose(rng)
            .expect("not empty");
        if rps * ms % 1000 == 0 {
            break (rps, ms);
        }
    };
    let right = needed_concurrency(rps, ms);
    let secs = f64::from(ms) / 1000.0;
    let mut wrongs = vec![
        wrong(
            n(rps),
            "This ignores the duration: concurrency is requests in flight, not requests per \
             second.",
        ),
        wrong(
            n(right * 10),
            "A unit slip: the duration must be in seconds, not tenths of a second.",
        ),
    ];
    if (rps * 1000) % ms == 0 {
        wrongs.push(wrong(
            n(rps * 1000 / ms),
            "This divides by the duration instead of multiplying by it.",
        ));
    }
    wrongs.extend(fallbacks(right));
    Parts {
        source: "concurrency#estimating-concurrency",
        stem: format!(
            "An API receives a steady **{} requests per second**. Each invocation of its Lambda \
             function takes **{ms} ms** on average.\n\nAbout how much concurrency does the \
             function use?",
            n(rps)
        ),
        right: (
            n(right),
            format!("Right: {} requests/s × {secs} s = {}.", n(rps), n(right)),
        ),
        wrongs,
        explanation: format!(
            "Concurrency ≈ requests per second × average duration in seconds = {} × {secs} = \
             **{}** environments busy at any moment.",
            n(rps),
            n(right)
        ),
    }
}

fn reservations(rng: &mut impl rand::Rng, quota: u32, k: usize) -> Vec<u32> {
    loop {
        let r: Vec<u32> = (0..k)
            .map(|_| 50 * rng.random_range(1..=quota / 100))
            .collect();
        // Leave room for the floor and for one more reservation.
        if r.iter().sum::<u32>() + UNRESERVED_FLOOR + 50 <= quota {
            break r;
        }
    }
}

fn quota(rng: &mut impl rand::Rng) -> u32 {
    *[1000, 1000, 1000, 2000, 3000, 5000]
        .choose(rng)
        .expect("not empty")
}

fn max_reservation(rng: &mut impl rand::Rng) -> Parts {
    let quota = quota(rng);
    let r = reservations(rng, quota, 2);
    let right = max_new_reservation(quota, &r);
    let sum: u32 = r.iter().sum();
    let mut wrongs = vec![
        wrong(
            n(quota - sum),
            "This forgets that Lambda keeps at least 100 units unreserved.",
        ),
        wrong(
            n(quota - UNRESERVED_FLOOR),
            "This forgets the reservations A and B already hold.",
        ),
        wrong(
            n(quota),
            "Reservations are carved out of the same Regional quota; they cannot all be reserved \
             again.",
        ),
    ];
    wrongs.extend(fallbacks(right.max(1)));
    Parts {
        source: "concurrency#the-100-unit-unreserved-floor",
        stem: format!(
            "An account's concurrency quota in a Region is **{}**. Function A has reserved \
             concurrency **{}** and function B **{}**; no other function has a reservation.\n\n\
             What is the most reserved concurrency you can give function C?",
            n(quota),
            n(r[0]),
            n(r[1])
        ),
        right: (
            n(right),
            format!(
                "Right: {} − 100 (always unreserved) − {} (A and B) = {}.",
                n(quota),
                n(sum),
                n(right)
            ),
        ),
        wrongs,
        explanation: format!(
            "Reservations may add up to at most the quota minus 100, which Lambda keeps \
             unreserved for every other function. With A and B holding {}, C can reserve at most \
             {} − 100 − {} = **{}**.",
            n(sum),
            n(quota),
            n(sum),
            n(right)
        ),
    }
}

fn pool(rng: &mut impl rand::Rng) -> Parts {
    let quota = quota(rng);
    let r = reservations(rng, quota, 3);
    let right = unreserved_pool(quota, &r);
    let sum: u32 = r.iter().sum();
    let mut wrongs = vec![
        wrong(
            n(right - UNRESERVED_FLOOR),
            "The 100 is a minimum for the unreserved pool, not a share AWS holds back: all of \
             the unreserved concurrency is usable.",
        ),
        wrong(
            n(UNRESERVED_FLOOR),
            "100 is only the floor; the pool is everything not reserved.",
        ),
        wrong(
            n(quota),
            "Reserved concurrency is carved out of the quota: other functions cannot use it, \
             even when it sits idle.",
        ),
    ];
    wrongs.extend(fallbacks(right));
    Parts {
        source: "concurrency#the-account-concurrency-quota",
        stem: format!(
            "An account's concurrency quota in a Region is **{}**. Three functions have reserved \
             concurrency of **{}**, **{}** and **{}**; every other function in the Region has \
             none.\n\nHow many concurrent executions can the functions without a reservation \
             share?",
            n(quota),
            n(r[0]),
            n(r[1]),
            n(r[2])
        ),
        right: (
            n(right),
            format!("Right: {} − {} reserved = {}.", n(quota), n(sum), n(right)),
        ),
        wrongs,
        explanation: format!(
            "Functions without a reservation share the unreserved pool: the quota minus every \
             reservation, {} − {} = **{}**. Reservations can never push it below 100.",
            n(quota),
            n(sum),
            n(right)
        ),
    }
}

fn throttle(rng: &mut impl rand::Rng) -> Parts {
    let reserved = 20 * rng.random_range(1..=10);
    let ms = *[250, 500, 2000, 4000].choose(rng).expect("not empty");
    let served = served_per_s(reserved, ms);
    let rps = served * rng.random_range(2..=4);
    let sync = rng.random_bool(0.5);
    let (how, right_text, right_why) = if sync {
        (
            "Clients call it synchronously through API Gateway.",
            format!(
                "About {} requests/s succeed; the rest get 429 TooManyRequestsException.",
                n(served)
            ),
            "Right: a throttled synchronous call fails with 429 and the caller must retry.",
        )
    } else {
        (
            "Amazon S3 event notifications invoke it asynchronously.",
            format!(
                "About {} events/s run; the rest wait in the event queue and are retried.",
                n(served)
            ),
            "Right: a throttled asynchronous event stays in Lambda's queue and is retried for up \
             to the maximum event age (6 hours by default).",
        )
    };
    let mut wrongs = vec![
        wrong(
            format!(
                "All {} per second run: the function borrows from the unreserved pool.",
                n(rps)
            ),
            format!(
                "Reserved concurrency is also a ceiling: the function never runs more than {reserved} at once."
            ),
        ),
        if sync {
            wrong(
                format!(
                    "About {} requests/s succeed; Lambda queues the rest and retries them.",
                    n(served)
                ),
                "That is what happens to asynchronous events; a synchronous caller gets the \
                 429 and must retry itself.",
            )
        } else {
            wrong(
                format!(
                    "About {} events/s run; the rest are dropped with a 429 sent to S3.",
                    n(served)
                ),
                "S3 already got its 202 when the event was queued; Lambda retries throttled \
                 events itself.",
            )
        },
    ];
    if served != reserved {
        wrongs.push(wrong(
            format!(
                "About {} {}/s {}; the rest are throttled.",
                n(reserved),
                if sync { "requests" } else { "events" },
                if sync { "succeed" } else { "run" }
            ),
            format!(
                "This forgets the duration: {reserved} environments each finish a request every \
                 {} s.",
                f64::from(ms) / 1000.0
            ),
        ));
    }
    wrongs.push(wrong(
        "Every invocation is throttled until the reservation is raised.",
        "Only requests beyond the reservation are throttled; a reservation of 0 would stop them all.",
    ));
    Parts {
        source: "concurrency#what-the-caller-sees-by-invocation-type",
        stem: format!(
            "A function has reserved concurrency **{reserved}** and each invocation takes \
             **{ms} ms**. Traffic rises to **{} invocations per second**. {how}\n\nWhat \
             happens?",
            n(rps)
        ),
        right: (right_text, right_why.to_owned()),
        wrongs,
        explanation: format!(
            "The function needs about {} × {} s = {} concurrency but may use only {reserved}, \
             which serves {reserved} ÷ {} s = **{} per second**. The rest are throttled: {}",
            n(rps),
            f64::from(ms) / 1000.0,
            n(needed_concurrency(rps, ms)),
            f64::from(ms) / 1000.0,
            n(served),
            if sync {
                "synchronous callers get 429 TooManyRequestsException and must retry."
            } else {
                "asynchronous events go back to the event queue and are retried for up to the \
                 maximum event age."
            }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_cases() {
        // The note's table.
        assert_eq!(needed_concurrency(100, 200), 20);
        assert_eq!(needed_concurrency(200, 500), 100);
        assert_eq!(needed_concurrency(500, 2000), 1000);
        assert_eq!(needed_concurrency(50, 30_000), 1500);
        // A and B reserve 700 of 1,000: C can reserve 200.
        assert_eq!(max_new_reservation(1000, &[400, 300]), 200);
        assert_eq!(max_new_reservation(100, &[]), 0);
        assert_eq!(unreserved_pool(1000, &[400, 300]), 300);
        assert_eq!(served_per_s(100, 500), 200);
        assert_eq!(served_per_s(40, 2000), 20);
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(n(5), "5");
        assert_eq!(n(1000), "1,000");
        assert_eq!(n(21600), "21,600");
        assert_eq!(n(999), "999");
    }

    #[test]
    fn reservations_never_break_the_floor() {
        for seed in 0..500 {
            let q = ConcurrencyGenerator.generate(seed);
            let right = q.choices.iter().find(|c| c.correct).expect("one right");
            if q.stem.contains("most reserved concurrency") {
                let v: u32 = right.text.replace(',', "").parse().expect("a number");
                assert!(v >= 50, "seed {seed}");
            }
        }
    }

    /// The numbers the stem puts in bold, in order ("**1,000**", "**200 ms**").
    fn bold_numbers(stem: &str) -> Vec<u32> {
        stem.split("**")
            .skip(1)
            .step_by(2)
            .filter_map(|b| {
                let digits: String = b.chars().filter(char::is_ascii_digit).collect();
                digits.parse().ok()
            })
            .collect()
    }

    #[test]
    fn generated_answer_matches_independent_arithmetic() {
        let mut kinds = [0; 4];
        for seed in 0..400 {
            let q = ConcurrencyGenerator.generate(seed);
            let v = bold_numbers(&q.stem);
            let right = &q
                .choices
                .iter()
                .find(|c| c.correct)
                .expect("one right")
                .text;
            let number = || -> u32 { right.replace(',', "").parse().expect("a number") };
            if q.stem.contains("how much concurrency") {
                let (rps, ms) = (v[0], v[1]);
                assert_eq!(number(), (rps * ms).div_ceil(1000), "seed {seed}");
                kinds[0] += 1;
            } else if q.stem.contains("most reserved concurrency") {
                let (quota, a, b) = (v[0], v[1], v[2]);
                assert_eq!(number(), quota - 100 - a - b, "seed {seed}");
                kinds[1] += 1;
            } else if q.stem.contains("without a reservation share") {
                let (quota, r) = (v[0], &v[1..4]);
                assert_eq!(number(), quota - r.iter().sum::<u32>(), "seed {seed}");
                kinds[2] += 1;
            } else {
                let (reserved, ms) = (v[0], v[1]);
                let served = reserved * 1000 / ms;
                let expected = format!("About {} ", n(served));
                assert!(right.starts_with(&expected), "seed {seed}: {right}");
                let sync = q.stem.contains("call it synchronously");
                assert_eq!(right.contains("429"), sync, "seed {seed}: {right}");
                kinds[3] += 1;
            }
            for c in q.choices.iter().filter(|c| !c.correct) {
                assert_ne!(
                    &c.text, right,
                    "seed {seed}: a distractor equals the answer"
                );
            }
        }
        assert!(kinds.iter().all(|&k| k > 50), "every kind drawn: {kinds:?}");
    }
}
