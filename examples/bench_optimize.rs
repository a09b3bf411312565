//! Benchmark: fit FSRS parameters to 1,000,000 reviews (what `coldstart optimize` and the app's
//! background fit do). Run with `cargo run --release --example bench_optimize`; prints timings.
//!
//! The history is drawn from FSRS with known parameters (`srs::optimize::synthetic_history`):
//! 125,000 cards with 8 answers each, so 875,000 of the answers are reviews of cards past their
//! first day. Timed: turning the log into FSRS items, the fit on the oldest 80 % and judging both
//! parameter sets on the newest 20 %.

use std::time::Instant;

use coldstart::srs::optimize;

const CARDS: usize = 125_000;
const PER_CARD: usize = 8;

fn main() {
    let mut truth = optimize::defaults();
    truth[0] = 1.5;
    truth[1] = 4.0;
    truth[2] = 9.0;
    truth[3] = 25.0;
    let t = Instant::now();
    let history = optimize::synthetic_history(&truth, CARDS, PER_CARD, 1);
    println!(
        "history: {} reviews drawn in {:.2?}",
        history.len(),
        t.elapsed()
    );
    let t = Instant::now();
    let items = optimize::items(&history);
    println!("items: {} built in {:.2?}", items.len(), t.elapsed());
    drop(items);
    let t = Instant::now();
    match optimize::fit(&history, &optimize::defaults()) {
        Ok(report) => {
            println!("fit (items, fit, judging): {:.2?}", t.elapsed());
            println!(
                "fitted on {}, judged on {}: {}",
                report.train_items, report.test_items, report.reason
            );
        }
        Err(e) => println!("fit failed after {:.2?}: {e}", t.elapsed()),
    }
}
