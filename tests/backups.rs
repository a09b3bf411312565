//! Backups of the progress file (issue 14): made at most once a day, rotated to 7 daily and 4
//! weekly, consistent while another connection writes; restoring one brings back every table and
//! keeps the current file aside; a damaged progress file is offered its newest good backup; the
//! `backup` / `restore` commands refuse while the app holds the file.

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use coldstart::app::AppState;
use coldstart::clock::FixedClock;
use coldstart::quiz::PracticeConfig;
use coldstart::srs::Rating;
use coldstart::store::backup::{
    self, DailyOutcome, KEEP_DAILY, KEEP_WEEKLY, backup_dir, backup_name, daily_backup,
};
use coldstart::store::{FILE_NAME, ReportItem, ReportReason, Store};
use jiff::SignedDuration;
use jiff::civil::Date;
use rusqlite::Connection;

fn date(s: &str) -> Date {
    s.parse().expect("date")
}

fn days_after(d: Date, n: i64) -> Date {
    d.checked_add(jiff::Span::new().days(n)).expect("date")
}

/// A clean progress file in `dir` with `rows` settings and notes read (several pages).
fn clean_file_in(dir: &Path, rows: i64) -> PathBuf {
    let (store, _) = Store::open_in_dir(dir).expect("create");
    for i in 0..rows {
        store
            .set_setting(&format!("key-{i:04}"), &format!("{i:0>120}"))
            .expect("row");
        store
            .mark_note_read("p", &format!("topic-{i:04}"), i)
            .expect("row");
    }
    dir.join(FILE_NAME)
}

fn backup_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(backup_dir(&dir.join(FILE_NAME)))
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Runs the state's logic pass until the day's backup has finished (bounded).
fn wait_for_backup(state: &mut AppState) {
    for _ in 0..400 {
        state.tick();
        if state.daily_backup_done() {
            return;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("the day's backup did not finish");
}

#[test]
fn the_app_backs_up_at_most_once_a_day() {
    let dir = tempfile::tempdir().expect("tempdir");
    clean_file_in(dir.path(), 50);
    let clock = support::clock();
    let today = date(&support::START[..10]);
    for _ in 0..2 {
        let mut state =
            AppState::open_in_dir(support::mini_pack(), dir.path(), clock.clone()).expect("open");
        state.set_review_time_zone(jiff::tz::TimeZone::UTC);
        assert!(state.not_saving.is_none());
        wait_for_backup(&mut state);
        assert_eq!(state.backups().len(), 1, "one backup listed");
        assert_eq!(state.backups()[0].date, today);
        assert_eq!(state.backups()[0].reviews, Some(0));
    }
    assert_eq!(backup_files(dir.path()), vec![backup_name(today)]);

    // The next day, another.
    clock.advance(SignedDuration::from_hours(24));
    let mut state = AppState::open_in_dir(support::mini_pack(), dir.path(), clock).expect("open");
    wait_for_backup(&mut state);
    assert_eq!(state.backups().len(), 2);
    assert_eq!(
        state.backups()[0].date,
        days_after(today, 1),
        "newest first"
    );
}

#[test]
fn daily_backups_are_rotated_to_seven_days_and_four_weeks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = clean_file_in(dir.path(), 10);
    let first = date("2026-09-01");
    for n in 0..90 {
        let outcome = daily_backup(&db, days_after(first, n)).expect("backup");
        assert!(matches!(outcome, DailyOutcome::Made(_)), "{outcome:?}");
    }
    assert_eq!(
        daily_backup(&db, days_after(first, 89)).expect("again"),
        DailyOutcome::AlreadyToday
    );
    let kept = backup::list_backups(&backup_dir(&db));
    assert_eq!(kept.len(), KEEP_DAILY + KEEP_WEEKLY, "{kept:?}");
    let last = days_after(first, 89);
    for (i, b) in kept.iter().take(KEEP_DAILY).enumerate() {
        assert_eq!(b.date, days_after(last, -(i as i64)));
    }
    // The weekly ones are a week apart, each in an ISO week of its own.
    let weekly: Vec<Date> = kept.iter().skip(KEEP_DAILY).map(|b| b.date).collect();
    for w in weekly.windows(2) {
        assert_eq!((w[0] - w[1]).get_days(), 7, "{weekly:?}");
    }
    assert!(
        weekly[KEEP_WEEKLY - 1] >= days_after(last, -7 * 6),
        "{weekly:?}"
    );
    // Nothing else is left in the folder (no partial copies).
    assert_eq!(backup_files(dir.path()).len(), KEEP_DAILY + KEEP_WEEKLY);
}

#[test]
fn a_backup_is_consistent_while_another_connection_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = clean_file_in(dir.path(), 200);
    // Another process's connection, writing two rows per transaction: a consistent copy has as
    // many `a-` rows as `b-` rows.
    let writer_db = db.clone();
    let writer = std::thread::spawn(move || {
        let mut conn = Connection::open(&writer_db).expect("writer");
        conn.busy_timeout(Duration::from_secs(5)).expect("timeout");
        for i in 0..1500 {
            let tx = conn.transaction().expect("txn");
            for side in ["a", "b"] {
                tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2)",
                    [format!("{side}-{i:05}"), "x".repeat(200)],
                )
                .expect("insert");
            }
            tx.commit().expect("commit");
        }
    });
    let first = date("2026-01-01");
    let mut copies = Vec::new();
    for n in 0..6 {
        let day = days_after(first, n);
        let outcome = daily_backup(&db, day).expect("backup while writing");
        assert!(matches!(outcome, DailyOutcome::Made(_)), "{outcome:?}");
        copies.push(backup_dir(&db).join(backup_name(day)));
    }
    writer.join().expect("writer finished");
    for copy in copies {
        let conn = Connection::open(&copy).expect("open copy");
        let check: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .expect("check");
        assert_eq!(check, "ok");
        let count = |side: &str| -> i64 {
            conn.query_row(
                "SELECT count(*) FROM settings WHERE key LIKE ?1",
                [format!("{side}-%")],
                |r| r.get(0),
            )
            .expect("count")
        };
        assert_eq!(count("a"), count("b"), "a torn copy: {}", copy.display());
        let notes: i64 = conn
            .query_row("SELECT count(*) FROM note_reads", [], |r| r.get(0))
            .expect("count");
        assert_eq!(notes, 200);
        assert!(
            !Path::new(&format!("{}-wal", copy.display())).exists(),
            "a backup is one self-contained file"
        );
    }
}

/// Every row of every table, as text, table by table.
fn dump(path: &Path) -> Vec<(String, Vec<String>)> {
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("open");
    let mut stmt = conn
        .prepare(
            // Leaving out the triggers' work tables, empty between statements by design.
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
               AND name NOT IN ('quiz_records_stale', 'study_quarters_change') ORDER BY name",
        )
        .expect("tables");
    let tables: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .expect("tables")
        .collect::<Result<_, _>>()
        .expect("tables");
    tables
        .into_iter()
        .map(|t| {
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM \"{t}\""))
                .expect("select");
            let cols = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    let mut row = Vec::new();
                    for i in 0..cols {
                        let v: rusqlite::types::Value = r.get(i)?;
                        row.push(format!("{v:?}"));
                    }
                    Ok(row.join("|"))
                })
                .expect("rows")
                .collect::<Result<_, _>>()
                .expect("rows");
            rows.sort();
            (t, rows)
        })
        .collect()
}

/// Studies a little on `state`: a note read, cards answered, a practice question answered, a
/// card flagged, a problem reported — a row in every table.
fn study(state: &mut AppState, clock: &FixedClock) {
    state
        .store
        .set_setting("test-marker", "1")
        .expect("setting");
    state.return_to_default_parameters();
    let topic = state.pack.notes[0].topic.clone();
    state.mark_note_read(&topic);
    for _ in 0..3 {
        let c = state.next_due_card().expect("card");
        state
            .answer_card(c.index, Rating::Good, SignedDuration::from_secs(3))
            .expect("answer");
        clock.advance(SignedDuration::from_secs(30));
    }
    assert!(state.start_practice(PracticeConfig {
        count: 2,
        ..Default::default()
    }));
    support::answer_practice(state, true);
    state.toggle_flag(1).expect("flag a card");
    let pack_id = state.pack.meta.id.clone();
    let card = state.pack.cards[0].id.clone();
    state
        .store
        .report_problem(
            &pack_id,
            ReportItem::Card,
            &card,
            ReportReason::Outdated,
            "a note",
            state.now_ms(),
        )
        .expect("report");
}

#[test]
fn restoring_a_backup_brings_back_every_table_and_keeps_the_current_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = support::clock();
    let mut state =
        AppState::open_in_dir(support::mini_pack(), dir.path(), clock.clone()).expect("open");
    state.set_review_time_zone(jiff::tz::TimeZone::UTC);
    wait_for_backup(&mut state);
    study(&mut state, &clock);
    let out = dir.path().join("copy.sqlite");
    state.store.backup_to(&out).expect("backup");
    let at_backup = dump(&out);
    for (table, rows) in &at_backup {
        assert!(
            !rows.is_empty(),
            "the test leaves {table} empty {:?} {:?}",
            state.notices,
            state.not_saving
        );
    }
    let seen = |state: &AppState| format!("{:?}", state.reviews.card_states());
    let seen_then = seen(&state);

    // More study after the backup, then restore it in the running app.
    clock.advance(SignedDuration::from_hours(30));
    study(&mut state, &clock);
    assert_ne!(seen(&state), seen_then);
    assert_ne!(dump(&dir.path().join(FILE_NAME)), at_backup);
    assert!(state.restore_backup(&out));
    assert_eq!(
        seen(&state),
        seen_then,
        "the app reads the restored card states"
    );
    assert!(
        state
            .notices
            .iter()
            .any(|n| n.text.contains("before-restore")),
        "the learner is told where the old file is: {:?}",
        state.notices
    );
    drop(state);
    let restored = dump(&dir.path().join(FILE_NAME));
    assert_eq!(restored, at_backup, "every table as it was in the backup");
    let kept: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .expect("dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with("progress.sqlite.before-restore-")
                    && !n.ends_with("-wal")
                    && !n.ends_with("-shm")
            })
        })
        .collect();
    assert_eq!(
        kept.len(),
        1,
        "the progress before the restore is kept aside"
    );
    assert_ne!(dump(&kept[0]), at_backup);

    // The app opens on the restored file as on any other.
    let state = AppState::open_in_dir(support::mini_pack(), dir.path(), clock).expect("reopen");
    assert!(state.not_saving.is_none());
}

#[test]
fn a_bad_file_is_never_restored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = clean_file_in(dir.path(), 20);
    let before = std::fs::read(&db).expect("read");
    let junk = dir.path().join("junk.sqlite");
    std::fs::write(&junk, b"not a database at all, not even close").expect("write");
    let other = dir.path().join("other.sqlite");
    Connection::open(&other)
        .and_then(|c| c.execute_batch("CREATE TABLE t (x); PRAGMA user_version = 3;"))
        .expect("other db");
    let (mut store, _) = Store::open_in_dir(dir.path()).expect("open");
    for bad in [&junk, &other, &dir.path().join("missing.sqlite")] {
        let err = store.restore_from(bad).expect_err("refused");
        assert!(err.to_string().contains("cannot be restored"), "{err}");
    }
    assert_eq!(store.notes_read("p").expect("read").len(), 20);
    drop(store);
    let (store, _) = Store::open_in_dir(dir.path()).expect("open");
    assert_eq!(store.notes_read("p").expect("read").len(), 20);
    drop(store);
    assert!(std::fs::read(&db).expect("read").len() >= before.len() / 2);
}

/// Overwrites the last `pages` pages of the file with a pattern.
fn corrupt_the_end(path: &Path, pages: usize) {
    let mut bytes = std::fs::read(path).expect("read");
    let page_size = usize::from(u16::from_be_bytes([bytes[16], bytes[17]])).max(512);
    assert!(bytes.len() / page_size >= pages + 4, "several pages");
    let start = bytes.len() - pages * page_size;
    for (i, b) in bytes[start..].iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(37) ^ 0xA5;
    }
    std::fs::write(path, &bytes).expect("write");
}

#[test]
fn a_damaged_progress_file_is_offered_its_newest_good_backup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = clean_file_in(dir.path(), 400);
    daily_backup(&db, date("2026-11-20")).expect("older");
    daily_backup(&db, date("2026-11-24")).expect("newest good");
    // The newest backup is itself damaged: it must be passed over.
    daily_backup(&db, date("2026-11-25")).expect("newest");
    corrupt_the_end(&backup_dir(&db).join(backup_name(date("2026-11-25"))), 3);
    // Damage where the app's first reads do not look (they would find it at once), so the
    // background check finds it: a table of filler rows at the end of the file.
    Connection::open(&db)
        .and_then(|c| {
            c.execute_batch(
                "CREATE TABLE filler (x BLOB);
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
                 INSERT INTO filler SELECT zeroblob(3000) FROM n;",
            )
        })
        .expect("filler");
    corrupt_the_end(&db, 3);

    let clock = support::clock();
    let mut state = AppState::open_in_dir(support::mini_pack(), dir.path(), clock).expect("open");
    let mut offer = None;
    for _ in 0..400 {
        state.tick();
        if let Some(o) = state.backup_offer() {
            offer = Some(o.clone());
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    let offer = offer.unwrap_or_else(|| {
        panic!(
            "no backup offered: {:?} running {} {:?} {:?}",
            state.notices,
            state.store.integrity_check_running(),
            state.store.schema_version(),
            state.backups()
        )
    });
    assert_eq!(offer.date, date("2026-11-24"));
    assert!(
        state
            .notices
            .iter()
            .any(|n| n.text.contains("could not be read")),
        "{:?}",
        state.notices
    );
    // No automatic backup of the fresh, empty file displaces the good ones.
    assert!(state.daily_backup_done() && !state.backup_running());
    assert_eq!(backup_files(dir.path()).len(), 3);

    assert!(state.restore_backup(&offer.path));
    assert!(state.backup_offer().is_none());
    assert_eq!(state.store.notes_read("p").expect("read").len(), 400);
}

#[test]
fn the_commands_refuse_while_the_app_holds_the_file_and_round_trip_when_closed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = clean_file_in(dir.path(), 30);
    let today = date("2026-12-03");
    let out = dir.path().join("mine.sqlite");
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());

    let (held, _) = Store::open_in_dir(dir.path()).expect("the app");
    let code = coldstart::cli::backup::run_backup(&db, Some(&out), today, &mut stdout, &mut stderr);
    assert_eq!(code, 2);
    assert!(String::from_utf8_lossy(&stderr).contains("close the coldstart window first"));
    assert!(!out.exists());
    drop(held);

    stderr.clear();
    let code = coldstart::cli::backup::run_backup(&db, Some(&out), today, &mut stdout, &mut stderr);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&stderr));
    assert!(String::from_utf8_lossy(&stdout).contains("mine.sqlite"));
    // Never over an existing file.
    let code = coldstart::cli::backup::run_backup(&db, Some(&out), today, &mut stdout, &mut stderr);
    assert_eq!(code, 2);
    let code = coldstart::cli::backup::run_backup(&db, None, today, &mut stdout, &mut stderr);
    assert_eq!(code, 0);
    assert_eq!(backup_files(dir.path()), vec![backup_name(today)]);

    // More progress, then restore the copy with the app closed.
    {
        let (store, _) = Store::open_in_dir(dir.path()).expect("open");
        store.mark_note_read("p", "later", 1).expect("write");
        let code = coldstart::cli::backup::run_restore(&db, &out, &mut stdout, &mut stderr);
        assert_eq!(code, 2, "refused while the app holds the file");
    }
    stderr.clear();
    let code = coldstart::cli::backup::run_restore(&db, &out, &mut stdout, &mut stderr);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&stderr));
    let (store, _) = Store::open_in_dir(dir.path()).expect("open");
    assert_eq!(store.notes_read("p").expect("read").len(), 30);
}
