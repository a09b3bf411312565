//! The progress file across crashes, copies and damage (issue 18 item 1, issue 13): a crashed
//! session's own write-ahead log is replayed; a log left beside a file copied in afterwards is
//! set aside untouched and never replayed; a damaged file is set aside byte for byte — found
//! before anything writes to it after a crash, and by the background check after a clean close
//! or while the app runs.
//!
//! A "crash" is a child process (this test binary, re-run on `child_writes_and_aborts`) that
//! writes through a `Store` and aborts, so no destructor runs.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use coldstart::app::AppState;
use coldstart::clock::FixedClock;
use coldstart::store::{FILE_NAME, LOCK_SUFFIX, OpenNotice, Store, latest_schema};

const CHILD_ENV: &str = "COLDSTART_PROGRESS_CHILD_DIR";

fn side(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// In the child: write a marker setting and a few rows through a store, then abort.
#[test]
fn child_writes_and_aborts() {
    let Some(dir) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let (store, _) = Store::open_in_dir(Path::new(&dir)).expect("open store");
    store
        .set_setting("crashed-session", "yes")
        .expect("write marker");
    for i in 0..20 {
        store
            .mark_note_read("p", &format!("crash-{i}"), i)
            .expect("row");
    }
    std::process::abort();
}

/// Runs the child on `dir` and waits for it to abort.
fn crash_a_session_in(dir: &Path) {
    let status = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "child_writes_and_aborts",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run child");
    assert!(!status.success(), "the child aborted");
    let wal = side(&dir.join(FILE_NAME), "-wal");
    assert!(
        std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0),
        "the crash left a write-ahead log"
    );
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A clean progress file with `rows` notes read and a setting `from` = `label`.
fn clean_file_in(dir: &Path, label: &str, rows: i64) {
    let (store, _) = Store::open_in_dir(dir).expect("create");
    store.set_setting("from", label).expect("set");
    for i in 0..rows {
        store
            .set_setting(&format!("key-{i:04}"), &format!("{i:0>120}"))
            .expect("row");
        store
            .mark_note_read("p", &format!("topic-{i:04}"), i)
            .expect("row");
    }
}

fn notes_read(store: &Store) -> usize {
    store.notes_read("p").expect("read").len()
}

#[test]
fn a_crashed_sessions_own_log_is_replayed() {
    if std::env::var_os(CHILD_ENV).is_some() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    clean_file_in(dir.path(), "before", 5);
    crash_a_session_in(dir.path());
    let lock = std::fs::read_to_string(dir.path().join(format!("{FILE_NAME}{LOCK_SUFFIX}")))
        .expect("lock file");
    assert!(lock.contains("state open"), "unclean marker left: {lock}");

    let (store, notice) = Store::open_in_dir(dir.path()).expect("reopen");
    assert_eq!(notice, None);
    assert_eq!(store.take_notices(), vec![]);
    assert_eq!(
        store
            .get_setting("crashed-session")
            .expect("get")
            .as_deref(),
        Some("yes"),
        "the crashed session's answers are kept"
    );
    assert_eq!(notes_read(&store), 25);
    drop(store);
    let lock = std::fs::read_to_string(dir.path().join(format!("{FILE_NAME}{LOCK_SUFFIX}")))
        .expect("lock file");
    assert!(lock.contains("state closed"), "clean close marked: {lock}");
    assert!(
        !side(&dir.path().join(FILE_NAME), "-wal").exists(),
        "a clean close leaves no log"
    );
}

#[test]
fn a_stale_log_is_never_replayed_over_a_file_copied_in() {
    if std::env::var_os(CHILD_ENV).is_some() {
        return;
    }
    // The backup comes from this coldstart (it has an epoch), or from an older one (none).
    for older in [false, true] {
        let backup = tempfile::tempdir().expect("tempdir");
        clean_file_in(backup.path(), "backup", 300);
        if older {
            let conn = rusqlite::Connection::open(backup.path().join(FILE_NAME)).expect("raw");
            conn.pragma_update(None, "application_id", 0)
                .expect("no epoch");
        }
        let backup_bytes = std::fs::read(backup.path().join(FILE_NAME)).expect("read");

        let dir = tempfile::tempdir().expect("tempdir");
        clean_file_in(dir.path(), "machine", 2);
        crash_a_session_in(dir.path());
        let path = dir.path().join(FILE_NAME);
        let wal = std::fs::read(side(&path, "-wal")).expect("log");
        let shm = std::fs::read(side(&path, "-shm")).expect("shm");

        // The learner restores the backup by copying it over the progress file.
        std::fs::write(&path, &backup_bytes).expect("copy in");

        let (store, notice) = Store::open_in_dir(dir.path()).expect("open");
        assert_eq!(notice, None, "the copied-in file is sound");
        let notices = store.take_notices();
        let [OpenNotice::ForeignLog { moved_to }] = notices.as_slice() else {
            panic!("expected one foreign-log notice, got {notices:?}");
        };
        assert!(
            notices[0].to_string().contains("did not belong"),
            "{}",
            notices[0]
        );
        assert_eq!(
            std::fs::read(moved_to).expect("kept"),
            wal,
            "log kept as it was"
        );
        assert_eq!(
            std::fs::read(format!(
                "{}-shm",
                moved_to
                    .to_string_lossy()
                    .strip_suffix("-wal")
                    .expect("named -wal")
            ))
            .expect("shm kept"),
            shm
        );
        // The backup as it was: none of the crashed session's writes.
        assert_eq!(
            store.get_setting("from").expect("get").as_deref(),
            Some("backup")
        );
        assert_eq!(store.get_setting("crashed-session").expect("get"), None);
        assert_eq!(notes_read(&store), 300, "older = {older}");
    }
}

/// Pages that have a newer version in `<path>-wal` (SQLite reads those instead of the file's).
fn pages_in_log(path: &Path) -> Vec<u32> {
    let Ok(wal) = std::fs::read(side(path, "-wal")) else {
        return Vec::new();
    };
    if wal.len() < 32 {
        return Vec::new();
    }
    let word = |i: usize| u32::from_be_bytes([wal[i], wal[i + 1], wal[i + 2], wal[i + 3]]);
    let frame = 24 + word(8) as usize;
    (32..wal.len().saturating_sub(frame - 1))
        .step_by(frame)
        .map(word)
        .collect()
}

/// Overwrites one whole page in the middle of the file (one the log does not hold a newer
/// version of) with a fixed pattern; returns the file's new bytes.
fn corrupt_a_middle_page(path: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).expect("read");
    let page_size = match u16::from_be_bytes([bytes[16], bytes[17]]) {
        1 => 65_536,
        n => usize::from(n),
    };
    let pages = bytes.len() / page_size;
    assert!(pages >= 4, "a database of several pages, got {pages}");
    let in_log = pages_in_log(path);
    let page = (pages / 2 + 1..pages)
        .find(|p| !in_log.contains(&(*p as u32)))
        .expect("a page the log does not hold"); // 1-based, at least 3
    let start = (page - 1) * page_size;
    for (i, b) in bytes[start..start + page_size].iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(37) ^ 0xA5;
    }
    std::fs::write(path, &bytes).expect("write");
    bytes
}

fn assert_corrupt_name(moved_to: &Path, dir: &Path) {
    assert_eq!(moved_to.parent(), Some(dir));
    assert!(
        moved_to
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("progress.sqlite.corrupt-")),
        "{}",
        moved_to.display()
    );
}

#[test]
fn after_a_crash_a_damaged_file_is_set_aside_byte_for_byte_with_its_log() {
    if std::env::var_os(CHILD_ENV).is_some() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(FILE_NAME);
    clean_file_in(dir.path(), "before", 400);
    crash_a_session_in(dir.path());
    let damaged = corrupt_a_middle_page(&path);
    let wal = std::fs::read(side(&path, "-wal")).expect("log");

    // Unclean shutdown: checked before any connection writes, so nothing is copied into it.
    let (store, notice) = Store::open_in_dir(dir.path()).expect("open recovers");
    let Some(OpenNotice::Recovered { moved_to, reason }) = notice else {
        panic!("expected a recovery notice, got {notice:?}");
    };
    assert!(reason.contains("integrity check failed"), "{reason}");
    assert_corrupt_name(&moved_to, dir.path());
    assert!(
        std::fs::read(&moved_to).expect("kept") == damaged,
        "the damaged file was not kept byte for byte"
    );
    assert!(
        std::fs::read(side(&moved_to, "-wal")).expect("log kept") == wal,
        "its log was not kept byte for byte"
    );
    assert_eq!(store.schema_version().expect("fresh"), latest_schema());
    assert_eq!(store.get_setting("from").expect("get"), None);
    store.set_setting("k", "v").expect("the fresh store writes");
}

/// Polls the store until the background check answers (bounded: about 20 s).
fn wait_for_check(store: &mut Store) -> Option<OpenNotice> {
    for _ in 0..4000 {
        let running = store.integrity_check_running();
        let result = store.poll_integrity().expect("poll");
        if result.is_some() || !running {
            return result;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("the background check never answered");
}

#[test]
fn a_file_damaged_while_closed_is_found_in_the_background_and_set_aside_byte_for_byte() {
    if std::env::var_os(CHILD_ENV).is_some() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(FILE_NAME);
    clean_file_in(dir.path(), "before", 400);
    let damaged = corrupt_a_middle_page(&path);

    // A clean shutdown last time: no check before the window, one right after.
    let (mut store, notice) = Store::open_in_dir(dir.path()).expect("open");
    assert_eq!(notice, None);
    assert!(store.integrity_check_running());
    let Some(OpenNotice::Recovered { moved_to, reason }) = wait_for_check(&mut store) else {
        panic!("the damage was not found");
    };
    assert!(reason.contains("integrity check failed"), "{reason}");
    assert_corrupt_name(&moved_to, dir.path());
    assert!(
        std::fs::read(&moved_to).expect("kept") == damaged,
        "the damaged file was not kept byte for byte"
    );
    assert!(side(&moved_to, "-wal").exists(), "the session's log kept");
    // A fresh store in its place.
    assert_eq!(store.path(), Some(path.as_path()));
    assert_eq!(store.schema_version().expect("fresh"), latest_schema());
    assert_eq!(store.get_setting("from").expect("get"), None);
    store.set_setting("k", "v").expect("the fresh store writes");
    drop(store);
    let (store, notice) = Store::open_in_dir(dir.path()).expect("reopen");
    assert_eq!(notice, None);
    assert_eq!(store.get_setting("k").expect("get").as_deref(), Some("v"));
}

#[test]
fn a_file_damaged_while_the_app_runs_is_found_and_the_app_told() {
    if std::env::var_os(CHILD_ENV).is_some() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(FILE_NAME);
    clean_file_in(dir.path(), "before", 400);

    let pack = coldstart::content::load_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini"),
    )
    .expect("read fixture")
    .into_valid()
    .expect("fixture is valid");
    let clock = Arc::new(FixedClock::new("2026-11-26T10:00:00Z".parse().expect("ts")));
    let mut state = AppState::open_in_dir(Arc::new(pack), dir.path(), clock).expect("state");
    assert!(state.not_saving.is_none());
    assert_eq!(wait_for_check(&mut state.store), None, "sound at open");

    // Something damages the file while the window is open; the learner asks for a check.
    let damaged = corrupt_a_middle_page(&path);
    state.check_progress_file();
    let mut told = false;
    for _ in 0..4000 {
        state.poll_integrity();
        if state
            .notices
            .iter()
            .any(|n| n.text.contains("could not be read"))
        {
            told = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(told, "the learner is told: {:?}", state.notices);
    let moved = names(dir.path())
        .into_iter()
        .find(|n| {
            n.starts_with("progress.sqlite.corrupt-")
                && !n.ends_with("-wal")
                && !n.ends_with("-shm")
        })
        .expect("set aside");
    assert!(
        std::fs::read(dir.path().join(moved)).expect("kept") == damaged,
        "the damaged file was not kept byte for byte"
    );
    // The app runs on the fresh file.
    assert_eq!(state.store.get_setting("from").expect("get"), None);
    state.mark_note_read("limits");
    assert!(state.is_note_read("limits"));
}

#[test]
fn a_read_only_progress_file_is_found_at_open() {
    if std::env::var_os(CHILD_ENV).is_some() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(FILE_NAME);
    clean_file_in(dir.path(), "before", 3);
    let mut perms = std::fs::metadata(&path).expect("meta").permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).expect("chmod");
    let before = std::fs::read(&path).expect("read");

    let pack = coldstart::content::load_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini"),
    )
    .expect("read fixture")
    .into_valid()
    .expect("fixture is valid");
    let clock = Arc::new(FixedClock::new("2026-11-26T10:00:00Z".parse().expect("ts")));
    let state = AppState::open_in_dir(Arc::new(pack), dir.path(), clock).expect("state");
    let not_saving = state.not_saving.as_ref().expect("the banner is up at open");
    assert!(not_saving.reason.contains("read-only"), "{not_saving:?}");
    assert!(not_saving.remedy.contains("writable"), "{not_saving:?}");
    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "left as it was"
    );
}
