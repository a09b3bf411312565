//! Opening the progress database: fresh, upgraded, corrupt, too new, locked by another SQLite
//! connection, and already open in another store (a second coldstart).

use std::time::{Duration, Instant};

use coldstart::store::{
    BUSY_TIMEOUT, FILE_NAME, LOCK_SUFFIX, MIGRATIONS, OpenNotice, Store, StoreError, latest_schema,
};

#[test]
fn a_fresh_data_dir_gets_its_folders_and_the_latest_schema() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("a/b/c");
    let (store, notice) = Store::open_in_dir(&dir).expect("open");
    assert_eq!(notice, None);
    assert_eq!(store.schema_version().expect("version"), latest_schema());
    assert!(dir.join(FILE_NAME).is_file());
    store.set_setting("k", "v").expect("set");
    drop(store);
    let (store, _) = Store::open_in_dir(&dir).expect("reopen");
    assert_eq!(store.get_setting("k").expect("get").as_deref(), Some("v"));
}

#[test]
fn every_earlier_schema_version_upgrades_to_the_latest() {
    for upto in 0..MIGRATIONS.len() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join(FILE_NAME);
        {
            let conn = rusqlite::Connection::open(&path).expect("open raw");
            for m in &MIGRATIONS[..upto] {
                conn.execute_batch(m.sql).expect("old migration");
                conn.pragma_update(None, "user_version", m.version)
                    .expect("version");
            }
        }
        let (store, notice) = Store::open(&path).expect("upgrade");
        assert_eq!(notice, None);
        assert_eq!(store.schema_version().expect("version"), latest_schema());
        store
            .mark_note_read("p", "t", 1)
            .expect("write after upgrade");
    }
}

#[test]
fn a_file_that_is_not_sqlite_is_set_aside_and_kept() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join(FILE_NAME);
    let garbage = b"this is not a database, but it is someone's file".repeat(200);
    std::fs::write(&path, &garbage).expect("write");
    let (store, notice) = Store::open(&path).expect("open recovers");
    let Some(OpenNotice::Recovered { moved_to, .. }) = notice else {
        panic!("expected a recovery notice, got {notice:?}");
    };
    assert!(
        moved_to
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("progress.sqlite.corrupt-")),
        "{}",
        moved_to.display()
    );
    assert!(
        std::fs::read(&moved_to).expect("kept") == garbage,
        "the old file was not kept as it was"
    );
    assert_eq!(store.schema_version().expect("fresh"), latest_schema());
}

/// Overwrites one whole page in the middle of a real progress database (never page 1, which holds
/// the header and the schema) with a fixed pattern, and returns the file's new bytes.
fn corrupt_a_middle_page(path: &std::path::Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).expect("read");
    let page_size = match u16::from_be_bytes([bytes[16], bytes[17]]) {
        1 => 65_536,
        n => usize::from(n),
    };
    let pages = bytes.len() / page_size;
    assert!(pages >= 4, "a database of several pages, got {pages}");
    let page = pages / 2 + 1; // 1-based, and at least 3
    let start = (page - 1) * page_size;
    for (i, b) in bytes[start..start + page_size].iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(37) ^ 0xA5;
    }
    std::fs::write(path, &bytes).expect("write");
    bytes
}

#[test]
fn a_database_that_fails_its_integrity_check_is_set_aside_and_kept() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join(FILE_NAME);
    {
        let (store, _) = Store::open(&path).expect("create");
        for i in 0..400 {
            store
                .set_setting(&format!("key-{i:04}"), &format!("{i:0>120}"))
                .expect("row");
            store
                .mark_note_read("p", &format!("topic-{i:04}"), i)
                .expect("row");
        }
    }
    // Closing the last connection checkpointed the WAL: every row is in the main file.
    assert!(!tmp.path().join(format!("{FILE_NAME}-wal")).exists());
    let corrupted = corrupt_a_middle_page(&path);

    // Still a SQLite file (the header is intact), but one that fails `PRAGMA quick_check`:
    // checked on a copy, so that nothing touches the file under test.
    let probe_dir = tempfile::tempdir().expect("tempdir");
    let probe = probe_dir.path().join("probe.sqlite");
    std::fs::write(&probe, &corrupted).expect("copy");
    assert!(corrupted.starts_with(b"SQLite format 3\0"));
    let check: Result<String, _> = rusqlite::Connection::open(&probe)
        .expect("opens as SQLite")
        .query_row("PRAGMA quick_check", [], |r| r.get(0));
    assert!(
        check.as_ref().is_ok_and(|c| c != "ok"),
        "quick_check reports the damage: {check:?}"
    );

    // The last session closed cleanly, so the check runs in the background after opening;
    // `tests/progress_file.rs` covers the other paths.
    let (mut store, notice) = Store::open(&path).expect("open");
    assert_eq!(notice, None);
    let mut found = None;
    for _ in 0..4000 {
        let running = store.integrity_check_running();
        found = store.poll_integrity().expect("poll");
        if found.is_some() || !running {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let Some(OpenNotice::Recovered { moved_to, reason }) = found else {
        panic!("expected a recovery notice, got {found:?}");
    };
    assert!(reason.starts_with("integrity check failed: "), "{reason}");
    assert!(reason.contains("page"), "says what is damaged: {reason}");
    assert_eq!(moved_to.parent(), Some(tmp.path()));
    assert!(
        moved_to
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("progress.sqlite.corrupt-")),
        "{}",
        moved_to.display()
    );
    assert!(
        std::fs::read(&moved_to).expect("kept") == corrupted,
        "the damaged file was not kept byte for byte"
    );
    // A fresh store in its place, at the latest schema, with none of the old rows.
    assert_eq!(store.path(), Some(path.as_path()));
    assert_eq!(store.schema_version().expect("fresh"), latest_schema());
    assert_eq!(store.get_setting("key-0000").expect("get"), None);
    store.set_setting("k", "v").expect("the fresh store writes");
}

#[test]
fn a_database_from_a_newer_build_is_refused_and_left_untouched() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join(FILE_NAME);
    {
        let conn = rusqlite::Connection::open(&path).expect("open raw");
        conn.execute_batch("CREATE TABLE future (x); INSERT INTO future VALUES (42);")
            .expect("future schema");
        conn.pragma_update(None, "user_version", latest_schema() + 7)
            .expect("version");
    }
    let before = std::fs::read(&path).expect("read");
    match Store::open(&path) {
        Err(StoreError::TooNew { found, known, .. }) => {
            assert_eq!(found, latest_schema() + 7);
            assert_eq!(known, latest_schema());
        }
        Err(other) => panic!("expected TooNew, got {other}"),
        Ok(_) => panic!("expected TooNew, got a store"),
    }
    assert!(
        std::fs::read(&path).expect("read") == before,
        "the file was modified"
    );
    let names: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("ls")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert!(
        !names
            .iter()
            .any(|n| n.to_string_lossy().contains("corrupt")),
        "{names:?}"
    );
}

#[test]
fn a_locked_database_gives_a_clear_error_quickly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join(FILE_NAME);
    drop(Store::open(&path).expect("create"));
    let holder = rusqlite::Connection::open(&path).expect("second connection");
    holder
        .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;")
        .expect("lock");
    let started = Instant::now();
    let result = Store::open(&path);
    assert!(started.elapsed() < Duration::from_secs(10));
    match result {
        Err(e @ StoreError::Locked { .. }) => {
            assert!(e.to_string().contains("in use by another program"), "{e}");
        }
        Err(other) => panic!("expected Locked, got {other}"),
        Ok(_) => panic!("expected Locked, got a store"),
    }
    // Nothing was set aside: the learner's data is intact.
    assert!(path.is_file());
    let names: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("corrupt")), "{names:?}");
}

#[test]
fn a_second_store_on_the_same_file_is_refused_until_the_first_closes() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join(FILE_NAME);
    let (first, _) = Store::open_in_dir(tmp.path()).expect("first");
    first.set_setting("k", "from the first").expect("set");

    let started = Instant::now();
    for second in [Store::open_in_dir(tmp.path()), Store::open(&path)] {
        match second {
            Err(e @ StoreError::Locked { .. }) => {
                let StoreError::Locked { path: reported } = &e else {
                    unreachable!()
                };
                assert_eq!(reported, &path, "names the database, not the lock file");
                assert!(e.to_string().contains("is coldstart already open?"), "{e}");
            }
            Err(other) => panic!("expected Locked, got {other}"),
            Ok(_) => panic!("expected Locked, got a second store on the same file"),
        }
    }
    assert!(
        started.elapsed() < BUSY_TIMEOUT,
        "refused at once, without waiting for SQLite"
    );
    // The refused opens changed nothing: the first store still writes, and nothing was set aside.
    first
        .set_setting("k2", "still the first")
        .expect("first still writes");
    let mut names: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(!names.iter().any(|n| n.contains("corrupt")), "{names:?}");
    assert!(
        names.contains(&format!("{FILE_NAME}{LOCK_SUFFIX}")),
        "{names:?}"
    );

    drop(first);
    let (again, notice) = Store::open_in_dir(tmp.path()).expect("opens once the first closed");
    assert_eq!(notice, None);
    assert_eq!(
        again.get_setting("k").expect("get").as_deref(),
        Some("from the first")
    );
    assert_eq!(
        again.get_setting("k2").expect("get").as_deref(),
        Some("still the first")
    );
}
