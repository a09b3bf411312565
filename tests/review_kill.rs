//! Durability: a child process answers cards, is killed with SIGKILL mid-session, and every
//! answer it acknowledged is found in the store afterwards, with card states matching the log.
//! While it runs, its folder is locked against a second store; once killed, the lock is gone.
//!
//! The child is this same test binary, re-run on the `child_answers_from_stdin` test with an
//! environment variable set, so no extra binary or CLI command is needed.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use coldstart::app::AppState;
use coldstart::clock::FixedClock;
use coldstart::srs::Rating;
use coldstart::store::{Store, StoreError};
use jiff::SignedDuration;

const CHILD_ENV: &str = "COLDSTART_REVIEW_CHILD_DIR";

fn pack() -> coldstart::content::Pack {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    coldstart::content::load_dir(&dir)
        .expect("read fixture")
        .into_valid()
        .expect("fixture is valid")
}

/// In the child: answer the next due card with each rating read from stdin, acknowledging on
/// stdout only after `answer_card` returned (the answer is committed by then).
#[test]
fn child_answers_from_stdin() {
    let Some(dir) = std::env::var_os(CHILD_ENV) else {
        return; // only meaningful as the child of `sigkill_loses_no_answered_card`
    };
    let (store, _) = Store::open_in_dir(Path::new(&dir)).expect("open store");
    let clock = Arc::new(FixedClock::new("2026-11-26T10:00:00Z".parse().expect("ts")));
    let mut state = AppState::new(Arc::new(pack()), store, clock.clone()).expect("state");
    state.set_review_time_zone(jiff::tz::TimeZone::UTC);
    let stdin = std::io::stdin();
    let mut out = std::io::stdout();
    for line in stdin.lock().lines() {
        let line = line.expect("stdin");
        let rating = line
            .trim()
            .parse::<u8>()
            .ok()
            .and_then(Rating::from_number)
            .expect("a rating 1-4");
        clock.advance(SignedDuration::from_mins(3));
        let Some(card) = state.next_due_card() else {
            writeln!(out, "NONE").expect("stdout");
            out.flush().expect("flush");
            continue;
        };
        state
            .answer_card(card.index, rating, SignedDuration::from_secs(4))
            .expect("answer");
        let id = &state.pack.cards[card.index].id;
        writeln!(out, "ANSWERED {id} {}", rating.number()).expect("stdout");
        out.flush().expect("flush");
    }
}

#[test]
fn sigkill_loses_no_answered_card() {
    if std::env::var_os(CHILD_ENV).is_some() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "child_answers_from_stdin",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn child");
    let mut stdin = child.stdin.take().expect("child stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("child stdout"));

    let ratings = [3u8, 1, 3, 4, 2, 3, 3, 1, 3, 3, 4];
    let mut acked: Vec<(String, u8)> = Vec::new();
    for r in ratings {
        writeln!(stdin, "{r}").expect("write to child");
        stdin.flush().expect("flush");
        loop {
            let mut line = String::new();
            let n = stdout.read_line(&mut line).expect("read child");
            assert!(n > 0, "child exited early");
            // libtest may print "test name ... " on the same line before the test's output.
            if let Some((_, rest)) = line.trim().split_once("ANSWERED ") {
                let (id, rating) = rest.rsplit_once(' ').expect("id and rating");
                acked.push((id.to_owned(), rating.parse().expect("rating")));
                break;
            }
            if line.trim().ends_with("NONE") {
                break;
            }
        }
    }
    // While the child runs, a second store on its folder (a second coldstart) is refused.
    match Store::open_in_dir(dir.path()) {
        Err(StoreError::Locked { .. }) => {}
        Err(other) => panic!("expected Locked while the child runs, got {other}"),
        Ok(_) => panic!("a second store opened the file the child is writing"),
    }

    // One more answer in flight, then SIGKILL without waiting for it.
    writeln!(stdin, "3").expect("write to child");
    stdin.flush().expect("flush");
    child.kill().expect("SIGKILL the child");
    child.wait().expect("reap child");
    assert!(acked.len() >= 8, "the child answered cards: {acked:?}");

    // The killed child left no stale lock behind.
    let (store, notice) = Store::open_in_dir(dir.path()).expect("reopen store");
    assert!(notice.is_none(), "the database was not damaged: {notice:?}");
    let log = store
        .answers_since("mini", jiff::Timestamp::UNIX_EPOCH)
        .expect("read log");
    assert!(
        log.len() == acked.len() || log.len() == acked.len() + 1,
        "{} rows, {} acked",
        log.len(),
        acked.len()
    );
    for (row, (id, rating)) in log.iter().zip(&acked) {
        assert_eq!((&row.card_id, row.rating.number()), (id, *rating));
    }
    // Each card's stored state is the one its last log row produced.
    let states = store.card_states("mini").expect("states");
    for (id, s) in &states {
        let last = log
            .iter()
            .rev()
            .find(|e| &e.card_id == id)
            .expect("state has history");
        assert_eq!(s.state, last.state_after, "{id}");
        assert_eq!(s.due, last.due_after, "{id}");
    }
}
