//! Durability beyond reviews: a child process saves mock-exam answers or SRS settings and is
//! killed with SIGKILL mid-write, several times on the same folder. Every write it acknowledged is
//! found afterwards, a settings save is never half applied, and each crashed session's own log is
//! replayed (never mistaken for a foreign one).
//!
//! The child is this test binary re-run on `child_writes_from_stdin`, as in `review_kill.rs`.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use coldstart::quiz::{AnswerRecord, ItemRef, Origin};
use coldstart::srs::SrsSettings;
use coldstart::store::{AttemptMode, OpenNotice, Store};

const CHILD_DIR: &str = "COLDSTART_KILL_CHILD_DIR";
const CHILD_WHAT: &str = "COLDSTART_KILL_CHILD_WHAT";
const QUESTIONS: usize = 40;
const ROUNDS: usize = 4;

fn settings_for(n: u32) -> SrsSettings {
    SrsSettings {
        new_per_day: n,
        max_reviews_per_day: 1000 + n,
        day_start_hour: (n % 24) as u8,
        learning_steps: vec![60 * (1 + n % 5)],
        ..SrsSettings::default()
    }
}

/// In the child: for each number read from stdin, save an exam answer at that position (exam) or
/// settings made from it (settings), acknowledging on stdout after the save returned.
#[test]
fn child_writes_from_stdin() {
    let Some(dir) = std::env::var_os(CHILD_DIR) else {
        return;
    };
    let what = std::env::var(CHILD_WHAT).expect("what to write");
    let (mut store, _) = Store::open_in_dir(Path::new(&dir)).expect("open store");
    let attempt = if what == "exam" {
        match store.unfinished_exam("p").expect("read") {
            Some(id) => id,
            None => {
                let items: Vec<ItemRef> = (0..QUESTIONS)
                    .map(|i| ItemRef {
                        question_id: format!("q{i}"),
                        topic: "t".into(),
                        origin: Origin::Authored,
                        order: vec![0, 1, 2, 3],
                    })
                    .collect();
                store
                    .create_quiz_attempt("p", AttemptMode::Exam, 7, "{}", 0, &items)
                    .expect("create")
            }
        }
    } else {
        0
    };
    let mut out = std::io::stdout();
    for line in std::io::stdin().lock().lines() {
        let n: u32 = line.expect("stdin").trim().parse().expect("a number");
        if what == "exam" {
            let answer = AnswerRecord {
                position: n as usize,
                question_id: format!("q{n}"),
                topic: "t".into(),
                chosen: vec![(n % 4) as usize],
                correct: n.is_multiple_of(2),
                flagged: false,
                time_ms: 1000,
            };
            store
                .save_quiz_answer(attempt, &answer, i64::from(n), 1000, n as usize)
                .expect("save answer");
        } else {
            store
                .set_srs_settings(&settings_for(n))
                .expect("save settings");
        }
        writeln!(out, "SAVED {n}").expect("stdout");
        out.flush().expect("flush");
    }
}

/// Starts a child writing `what` in `dir`, feeds it `numbers`, waits for each acknowledgement,
/// sends one more and kills it without waiting. Returns the acknowledged numbers.
fn run_and_kill(dir: &Path, what: &str, numbers: &[u32], in_flight: u32) -> Vec<u32> {
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "child_writes_from_stdin",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_DIR, dir)
        .env(CHILD_WHAT, what)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn child");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut acked = Vec::new();
    for &n in numbers {
        writeln!(stdin, "{n}").expect("write to child");
        stdin.flush().expect("flush");
        loop {
            let mut line = String::new();
            let read = stdout.read_line(&mut line).expect("read child");
            assert!(read > 0, "child exited early");
            if let Some((_, rest)) = line.trim().split_once("SAVED ") {
                acked.push(rest.parse().expect("number"));
                break;
            }
        }
    }
    writeln!(stdin, "{in_flight}").expect("write to child");
    stdin.flush().expect("flush");
    child.kill().expect("SIGKILL");
    child.wait().expect("reap");
    acked
}

fn no_foreign_log(store: &Store) {
    let notices = store.take_notices();
    assert!(
        !notices
            .iter()
            .any(|n| matches!(n, OpenNotice::ForeignLog { .. })),
        "a crashed session's own log was taken for a foreign one: {notices:?}"
    );
}

#[test]
fn sigkill_loses_no_saved_exam_answer() {
    if std::env::var_os(CHILD_DIR).is_some() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let mut saved = std::collections::BTreeSet::new();
    for round in 0..ROUNDS as u32 {
        let numbers: Vec<u32> = (0..8).map(|i| round * 10 + i).collect();
        saved.extend(run_and_kill(dir.path(), "exam", &numbers, round * 10 + 9));
        let (store, notice) = Store::open_in_dir(dir.path()).expect("reopen");
        assert_eq!(notice, None, "round {round}: not damaged");
        no_foreign_log(&store);
        let attempt = store
            .unfinished_exam("p")
            .expect("read")
            .expect("the exam survives");
        let stored = store.quiz_attempt(attempt).expect("read").expect("attempt");
        let positions: std::collections::BTreeSet<u32> =
            stored.answers.iter().map(|a| a.position as u32).collect();
        for n in &saved {
            assert!(positions.contains(n), "round {round}: answer {n} lost");
        }
        // Only acknowledged answers, or the one in flight at the kill.
        for p in &positions {
            assert!(
                saved.contains(p) || p % 10 == 9,
                "round {round}: unexpected answer {p}"
            );
        }
        let a = stored
            .answers
            .iter()
            .find(|a| a.position == 3)
            .expect("answer 3");
        assert_eq!(a.chosen, vec![3]);
    }
}

#[test]
fn sigkill_never_half_applies_a_settings_save() {
    if std::env::var_os(CHILD_DIR).is_some() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    for round in 0..ROUNDS as u32 {
        let numbers: Vec<u32> = (1..=6).map(|i| round * 10 + i).collect();
        let in_flight = round * 10 + 9;
        let acked = run_and_kill(dir.path(), "settings", &numbers, in_flight);
        let last = *acked.last().expect("saves acknowledged");
        let (store, notice) = Store::open_in_dir(dir.path()).expect("reopen");
        assert_eq!(notice, None, "round {round}: not damaged");
        no_foreign_log(&store);
        let s = store.srs_settings().expect("read settings");
        assert!(
            s == settings_for(last) || s == settings_for(in_flight),
            "round {round}: a mix of saves: {s:?}"
        );
        assert_eq!(store.take_notices(), vec![], "every stored value in range");
    }
}

/// A learner's session is killed mid-write, leaving its log beside the file; then they restore a
/// backup with `coldstart restore`. The backup's answers come back exactly, the crashed session's
/// log is neither replayed onto the restored file nor lost (it is in the file kept aside), and
/// the next session opens cleanly. Several rounds on the same folder.
#[test]
fn restoring_a_backup_over_a_crashed_folder_brings_back_exactly_the_backup() {
    if std::env::var_os(CHILD_DIR).is_some() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let backups = tempfile::tempdir().expect("tempdir");
    for round in 0..3u32 {
        // Answers 0..4 of this round, then a backup of them.
        let before: Vec<u32> = (0..4).map(|i| round * 10 + i).collect();
        run_and_kill(dir.path(), "exam", &before, round * 10 + 4);
        let backup = backups.path().join(format!("round-{round}.sqlite"));
        let expected = {
            let (store, _) = Store::open_in_dir(dir.path()).expect("reopen");
            store.backup_to(&backup).expect("backup");
            let attempt = store.unfinished_exam("p").expect("read").expect("exam");
            let stored = store.quiz_attempt(attempt).expect("read").expect("attempt");
            stored
                .answers
                .iter()
                .map(|a| a.position as u32)
                .collect::<std::collections::BTreeSet<u32>>()
        };
        // More answers after the backup, then a kill mid-write: the log stays beside the file.
        let after: Vec<u32> = (5..9).map(|i| round * 10 + i).collect();
        let acked_after = run_and_kill(dir.path(), "exam", &after, round * 10 + 9);
        assert!(
            dir.path().join("progress.sqlite-wal").exists(),
            "round {round}: the kill left a log"
        );

        let o = Command::new(env!("CARGO_BIN_EXE_coldstart"))
            .arg("restore")
            .arg(&backup)
            .env("COLDSTART_DATA_DIR", dir.path())
            .stdin(Stdio::null())
            .output()
            .expect("run restore");
        assert_eq!(
            o.status.code(),
            Some(0),
            "round {round}: {}",
            String::from_utf8_lossy(&o.stderr)
        );

        let (store, notice) = Store::open_in_dir(dir.path()).expect("open restored");
        assert_eq!(
            notice, None,
            "round {round}: the restored file opens cleanly"
        );
        no_foreign_log(&store);
        let attempt = store.unfinished_exam("p").expect("read").expect("exam");
        let stored = store.quiz_attempt(attempt).expect("read").expect("attempt");
        let positions: std::collections::BTreeSet<u32> =
            stored.answers.iter().map(|a| a.position as u32).collect();
        assert_eq!(positions, expected, "round {round}: exactly the backup");
        drop(store);

        // The work done after the backup is not lost: it is in the file kept aside.
        let kept: Vec<_> = std::fs::read_dir(dir.path())
            .expect("ls")
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| {
                let name = p.file_name().unwrap_or_default().to_string_lossy();
                name.contains(".before-restore-")
                    && !name.ends_with("-wal")
                    && !name.ends_with("-shm")
            })
            .collect();
        let newest = kept
            .iter()
            .max_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
            .expect("the replaced file is kept aside");
        let conn = rusqlite::Connection::open_with_flags(
            newest,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .expect("open kept file");
        let kept_positions: std::collections::BTreeSet<u32> = conn
            .prepare("SELECT position FROM quiz_answers")
            .expect("query")
            .query_map([], |r| r.get::<_, u32>(0))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("positions");
        for n in &acked_after {
            assert!(
                kept_positions.contains(n),
                "round {round}: answer {n} given after the backup is lost"
            );
        }
    }
}
