//! Benchmark: build the day's review queue for 20,000 cards with 1,000,000 review-log rows in
//! the store. Run with `cargo run --release --example bench_queue`; prints timings.
//!
//! "Build the day's queue" here is everything the app does when it opens the Review screen
//! fresh: read every card's scheduling state from SQLite, line them up with the pack, count
//! today's answers against the daily limits, and order learning / review / new cards. It also
//! times the dashboard's streak and per-topic mastery, read fresh from the same store.

use std::sync::Arc;
use std::time::{Duration, Instant};

use coldstart::app::AppState;
use coldstart::clock::FixedClock;
use coldstart::content::{Card, Pack, SectionRef};
use coldstart::srs::{CardState, LogEntry, Rating, Scheduler, SchedulerConfig, StudyDay};
use coldstart::store::Store;
use jiff::{SignedDuration, Timestamp};

const CARDS: usize = 20_000;
const LOG_ROWS: usize = 1_000_000;
const RUNS: usize = 15;

/// SplitMix64: a tiny deterministic PRNG so every run builds the same store.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn pack() -> Pack {
    let cards = (0..CARDS)
        .map(|i| Card {
            id: format!("card-{i:05}"),
            topic: "bench".into(),
            front: format!("Question {i}"),
            back: format!("Answer {i}"),
            source: SectionRef {
                topic: "bench".into(),
                anchor: "top".into(),
            },
            tags: Vec::new(),
            refs: Vec::new(),
            verified: None,
        })
        .collect();
    let mut pack = Pack {
        cards,
        ..Pack::default()
    };
    pack.meta.id = "bench".into();
    pack
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let now: Timestamp = "2026-11-26T10:00:00Z".parse()?;
    let dir = tempfile::tempdir()?;
    let (mut store, _) = Store::open_in_dir(dir.path())?;

    // Three quarters of the cards have history; their last answers are spread over two years so
    // that a realistic mix is due today, overdue, or due later.
    let t0 = Instant::now();
    let scheduler = Scheduler::new(SchedulerConfig::default())?;
    let mut rng = Rng(20_240_601);
    let seen = CARDS * 3 / 4;
    let per_card = LOG_ROWS / seen;
    let mut states = Vec::with_capacity(seen);
    let mut log = Vec::with_capacity(LOG_ROWS);
    for i in 0..CARDS {
        let rows = if i < seen {
            per_card + usize::from(i < LOG_ROWS - per_card * seen)
        } else {
            0
        };
        if rows == 0 {
            continue;
        }
        let id = format!("card-{i:05}");
        let span_days = 30 + rng.below(700) as i64;
        let mut t = now.checked_sub(SignedDuration::from_hours(24 * span_days))?;
        let step = SignedDuration::from_secs(span_days * 86_400 / rows as i64);
        let mut card = CardState::new_card(t);
        for _ in 0..rows {
            let rating = match rng.below(100) {
                0..=9 => Rating::Again,
                10..=19 => Rating::Hard,
                20..=89 => Rating::Good,
                _ => Rating::Easy,
            };
            let o = scheduler.review(&card, rating, t)?;
            let m = o.card.memory.unwrap_or(coldstart::srs::Memory {
                stability: 1.0,
                difficulty: 5.0,
            });
            log.push(LogEntry {
                card_id: id.clone(),
                reviewed_at: t,
                rating,
                elapsed_days: o.elapsed_days,
                state_before: card.state,
                state_after: o.card.state,
                stability: m.stability,
                difficulty: m.difficulty,
                due_after: o.card.due,
                duration_ms: 5_000,
            });
            card = o.card;
            t = t.checked_add(step)?;
        }
        states.push((id, card));
    }
    store.import_reviews("bench", &states, &log)?;
    println!(
        "seeded {} cards ({} with history) and {} review-log rows in {:.1?}",
        CARDS,
        states.len(),
        store.review_log_len("bench")?,
        t0.elapsed()
    );
    drop(log);
    drop(store);

    let pack = Arc::new(pack());
    let clock = Arc::new(FixedClock::new(now));
    let mut full = Vec::new();
    let mut queue_only = Vec::new();
    let mut standing = Vec::new();
    let mut counts = None;
    for _ in 0..RUNS {
        let (store, _) = Store::open_in_dir(dir.path())?;
        let start = Instant::now();
        // Loads settings and every card's state, aligned to the pack.
        let mut state = AppState::new(pack.clone(), store, clock.clone())?;
        state.set_review_time_zone(jiff::tz::TimeZone::UTC);
        // Counts today's answers against the limits and orders the queue.
        let queue = state.review_queue();
        full.push(start.elapsed());
        counts = Some(queue.counts());

        let start = Instant::now();
        let q = coldstart::srs::DayQueue::build(
            state.reviews.scheduler(),
            state.reviews.card_states(),
            now,
            &StudyDay::utc(),
            coldstart::srs::DayLimits {
                new_left: 20,
                reviews_left: 200,
                reviews_due_by: None,
            },
        );
        queue_only.push(start.elapsed());
        std::hint::black_box(q);

        // The dashboard's streak and per-topic mastery, read fresh.
        let start = Instant::now();
        std::hint::black_box(state.standing());
        standing.push(start.elapsed());
    }
    let stats = |v: &mut Vec<Duration>| {
        v.sort();
        (v[0], v[v.len() / 2], v[v.len() - 1])
    };
    let (min, median, max) = stats(&mut full);
    println!(
        "day's queue from the store ({CARDS} cards, {LOG_ROWS} log rows), {RUNS} runs: \
         min {min:.2?}, median {median:.2?}, max {max:.2?}"
    );
    let (min, median, max) = stats(&mut queue_only);
    println!("queue rebuild in memory: min {min:.2?}, median {median:.2?}, max {max:.2?}");
    let (min, median, max) = stats(&mut standing);
    println!(
        "streak and topic mastery from the store: min {min:.2?}, median {median:.2?}, max {max:.2?}"
    );
    if let Some(c) = counts {
        println!(
            "due today: New {} + Learning {} + Review {} (limits: 20 new, 200 reviews)",
            c.new, c.learning, c.review
        );
    }
    Ok(())
}
