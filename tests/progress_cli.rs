//! `stats` and `export` against progress files in every state (issue 18 items 2, 3, 6, 9): they
//! never create, set aside or change the progress file; damage is exit 2 pointing to the window;
//! `export -o` never writes onto the progress file and never destroys what is at `-o` when it
//! fails; unreadable rows and out-of-range settings are skipped and named, not fatal.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use coldstart::store::{FILE_NAME, Store};

fn coldstart(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_coldstart"))
        .args(args)
        .env("COLDSTART_DATA_DIR", data)
        .stdin(Stdio::null())
        .output()
        .expect("run coldstart")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file in `dir` with its bytes.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("ls")
        .map(|e| {
            let e = e.expect("entry");
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap_or_default(),
            )
        })
        .collect();
    v.sort();
    v
}

/// A progress file for the built-in pack with two answers.
fn studied(dir: &Path) -> PathBuf {
    let (mut store, _) = Store::open_in_dir(dir).expect("create");
    let pack = coldstart::content::embedded().expect("built-in pack");
    // An hour ago by the real clock: `stats` counts the last 30 days of the system clock.
    let now = jiff::Timestamp::now()
        .checked_sub(jiff::SignedDuration::from_hours(1))
        .expect("ts");
    let scheduler =
        coldstart::srs::Scheduler::new(coldstart::srs::SrsSettings::default().scheduler_config())
            .expect("scheduler");
    for card in pack.cards.iter().take(2) {
        let out = scheduler
            .review(
                &coldstart::srs::CardState::new_card(now),
                coldstart::srs::Rating::Good,
                now,
            )
            .expect("review");
        let entry = coldstart::srs::LogEntry {
            card_id: card.id.clone(),
            reviewed_at: now,
            rating: coldstart::srs::Rating::Good,
            elapsed_days: None,
            state_before: coldstart::srs::State::New,
            state_after: out.card.state,
            stability: 1.0,
            difficulty: 5.0,
            due_after: out.card.due,
            duration_ms: 1000,
        };
        store
            .record_answer(&pack.meta.id, &out.card, &entry)
            .expect("answer");
    }
    dir.join(FILE_NAME)
}

#[test]
fn without_a_progress_file_nothing_is_created() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    for args in [&["stats"][..], &["export", "reviews"]] {
        let o = coldstart(&data, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("no progress yet"), "{}", stderr(&o));
        assert!(!data.exists(), "{args:?} created the data folder");
    }
}

#[test]
fn a_damaged_file_is_reported_and_left_exactly_as_it_was() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join(FILE_NAME);
    std::fs::write(
        &path,
        b"not a database at all, but someone's file".repeat(100),
    )
    .expect("write");
    let before = snapshot(tmp.path());
    for args in [
        &["stats"][..],
        &["stats", "--json"],
        &["export", "reviews"],
        &["export", "quiz"],
    ] {
        let o = coldstart(tmp.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(
            e.contains("damaged") && e.contains("window"),
            "{args:?}: {e}"
        );
        assert!(o.stdout.is_empty(), "{args:?} printed results");
        assert_eq!(snapshot(tmp.path()), before, "{args:?} changed the folder");
    }
}

#[test]
fn a_sound_file_is_read_without_changing_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    studied(tmp.path());
    let before = snapshot(tmp.path());
    let o = coldstart(tmp.path(), &["stats"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = coldstart(tmp.path(), &["export", "reviews"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 3);
    assert_eq!(snapshot(tmp.path()), before, "reading changed the folder");
}

#[test]
fn export_refuses_to_write_onto_the_progress_files() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = studied(tmp.path());
    let before = snapshot(tmp.path());
    for target in [
        path.clone(),
        tmp.path().join("progress.sqlite-wal"),
        tmp.path().join("progress.sqlite.lock"),
        tmp.path().join(".").join(FILE_NAME),
    ] {
        let o = coldstart(
            tmp.path(),
            &["export", "reviews", "-o", target.to_str().expect("utf-8")],
        );
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("refusing"), "{}", stderr(&o));
        assert_eq!(snapshot(tmp.path()), before, "{}", target.display());
    }
    let o = Command::new(env!("CARGO_BIN_EXE_coldstart"))
        .args(["export", "reviews", "-o", FILE_NAME])
        .current_dir(tmp.path())
        .env("COLDSTART_DATA_DIR", tmp.path())
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(snapshot(tmp.path()), before, "relative path");
}

#[test]
fn a_failed_export_leaves_the_old_file_and_a_good_one_replaces_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out_dir = tempfile::tempdir().expect("tempdir");
    let out = out_dir.path().join("reviews.csv");
    std::fs::write(&out, "yesterday's export\n").expect("write");
    // No progress file: the export fails, the old file stays.
    let o = coldstart(
        tmp.path(),
        &["export", "reviews", "-o", out.to_str().expect("utf-8")],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&out).expect("read"),
        "yesterday's export\n"
    );
    studied(tmp.path());
    let o = coldstart(
        tmp.path(),
        &["export", "reviews", "-o", out.to_str().expect("utf-8")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(&out)
            .expect("read")
            .starts_with("card_id,")
    );
    assert_eq!(
        std::fs::read_dir(out_dir.path()).expect("ls").count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn export_to_a_broken_pipe_fails() {
    let tmp = tempfile::tempdir().expect("tempdir");
    studied(tmp.path());
    // The reading end is closed before coldstart starts: every write fails (EPIPE).
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let o = Command::new(env!("CARGO_BIN_EXE_coldstart"))
        .args(["export", "reviews"])
        .env("COLDSTART_DATA_DIR", tmp.path())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot write"), "{}", stderr(&o));
}

/// `coldstart export reviews` with its standard output redirected by the shell as `redirect`.
fn export_redirected(data: &Path, redirect: &str) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("exec \"$0\" export reviews {redirect}"))
        .arg(env!("CARGO_BIN_EXE_coldstart"))
        .env("COLDSTART_DATA_DIR", data)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("run")
}

#[test]
fn export_to_a_closed_stdout_fails() {
    let tmp = tempfile::tempdir().expect("tempdir");
    studied(tmp.path());
    // `>&-`: standard output is not open at all (EBADF), which Rust's own stdout would swallow.
    let o = export_redirected(tmp.path(), ">&-");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("standard output"), "{}", stderr(&o));
    // Discarding on purpose is not an error.
    let o = export_redirected(tmp.path(), ">/dev/null");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn an_out_of_range_row_is_skipped_and_counted() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = studied(tmp.path());
    {
        let conn = rusqlite::Connection::open(&path).expect("raw");
        conn.execute("UPDATE review_log SET rating = 7 WHERE id = 1", [])
            .expect("damage a row");
    }
    let o = coldstart(tmp.path(), &["stats"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("1 review answers"), "{}", stderr(&o));
    let o = coldstart(tmp.path(), &["export", "reviews"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("skipped"), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).lines().count(),
        2,
        "the header and the readable row"
    );
}

#[test]
fn extreme_settings_are_clamped_and_named_and_nothing_panics() {
    let keys = [
        "srs.desired_retention",
        "srs.new_per_day",
        "srs.max_reviews_per_day",
        "srs.learning_steps",
        "srs.relearning_steps",
        "srs.day_start_hour",
        "srs.exam_date",
        "srs.exam_buffer_days",
    ];
    let values = [
        "99999999999999999999999",
        "4294967295",
        "-1",
        "NaN",
        "inf",
        "1e308",
        "9999-12-31",
        "-009999-01-01",
        "2026-12-01",
        "",
        "1d 1d 1d 1d 1d 1d 1d 1d 1d 1d 1d 1d 1d 1d 1d 1d 1d 1d 1d 1d 1d",
        "\u{1b}]0;pwned\u{7}",
    ];
    for value in values {
        let tmp = tempfile::tempdir().expect("tempdir");
        studied(tmp.path());
        {
            let (store, _) = Store::open_in_dir(tmp.path()).expect("open");
            store
                .set_setting("srs.exam_date", "2026-12-01")
                .expect("set");
            for key in keys {
                store.set_setting(key, value).expect("set");
            }
            // In the window: the app state opens and draws its numbers.
            let pack = std::sync::Arc::new(coldstart::content::embedded().expect("pack"));
            let clock = std::sync::Arc::new(coldstart::clock::FixedClock::new(
                "2026-11-26T10:00:00Z".parse().expect("ts"),
            ));
            let state = coldstart::app::AppState::new(pack, store, clock).expect("state opens");
            let s = state.reviews.settings().clone();
            assert!(s.new_per_day <= coldstart::srs::settings::MAX_NEW_PER_DAY);
            assert!(s.day_start_hour <= 23);
            assert!((0.70..=0.99).contains(&s.desired_retention), "{value}");
            let _ = state.review_stats();
            let _ = state.exam_readiness();
            let _ = state.due_counts();
            assert!(
                state
                    .notices
                    .iter()
                    .any(|n| n.text.contains("srs.") && n.text.contains("instead")),
                "{value:?}: {:?}",
                state.notices
            );
            assert!(
                state.notices.iter().all(|n| !n.text.contains('\u{1b}')),
                "control characters are escaped"
            );
        }
        let o = coldstart(tmp.path(), &["stats"]);
        assert_eq!(o.status.code(), Some(0), "{value:?}: {}", stderr(&o));
        if value == values[0] {
            let o = coldstart(tmp.path(), &["stats", "--json"]);
            assert_eq!(o.status.code(), Some(0), "{value:?}: {}", stderr(&o));
        }
    }
}
