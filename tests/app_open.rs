//! Starting the app on a data folder: the progress file opens, or is set aside when damaged, or —
//! when another coldstart has it or a newer coldstart wrote it — the app still starts, on an
//! in-memory store, with a banner that says progress is not being saved, why and what to do, and
//! the file is left exactly as it was.

use std::path::Path;
use std::sync::Arc;

use coldstart::app::{AppState, NotSaving, NoticeLevel};
use coldstart::clock::FixedClock;
use coldstart::store::{FILE_NAME, Store, latest_schema};
use coldstart::ui::ColdstartApp;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn pack() -> Arc<coldstart::content::Pack> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    Arc::new(
        coldstart::content::load_dir(&dir)
            .expect("read fixture")
            .into_valid()
            .expect("fixture is valid"),
    )
}

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::new("2026-11-26T10:00:00Z".parse().expect("ts")))
}

fn open(dir: &Path) -> AppState {
    AppState::open_in_dir(pack(), dir, clock()).expect("the app starts")
}

/// Every file in `dir` with its bytes, sorted by name; only the name of `-shm`, SQLite's
/// shared-memory index, which any reader updates.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("ls")
        .map(|e| {
            let e = e.expect("entry");
            let name = e.file_name().to_string_lossy().into_owned();
            let bytes = if name.ends_with("-shm") {
                Vec::new()
            } else {
                std::fs::read(e.path()).expect("read")
            };
            (name, bytes)
        })
        .collect();
    files.sort();
    files
}

/// A progress file written by a build seven schema versions ahead of this one.
fn write_too_new(dir: &Path) {
    let conn = rusqlite::Connection::open(dir.join(FILE_NAME)).expect("open raw");
    conn.execute_batch("CREATE TABLE future (x); INSERT INTO future VALUES (42);")
        .expect("future schema");
    conn.pragma_update(None, "user_version", latest_schema() + 7)
        .expect("version");
}

#[test]
fn a_usable_file_is_opened_and_saved_to() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut state = open(tmp.path());
    assert_eq!(state.not_saving, None);
    assert!(state.notices.is_empty(), "{:?}", state.notices);
    assert_eq!(
        state.store.path(),
        Some(tmp.path().join(FILE_NAME).as_path())
    );
    state.mark_note_read("limits");
    drop(state);
    assert!(open(tmp.path()).is_note_read("limits"));
}

#[test]
fn a_damaged_file_is_set_aside_with_a_warning_and_progress_is_saved_again() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(tmp.path().join(FILE_NAME), b"not a database".repeat(100)).expect("write");
    let state = open(tmp.path());
    assert_eq!(state.not_saving, None);
    assert!(state.store.path().is_some());
    assert!(
        state.notices.iter().any(|n| n.level == NoticeLevel::Warning
            && n.text.contains("could not be read")
            && n.text.contains(".corrupt-")),
        "{:?}",
        state.notices
    );
}

#[test]
fn a_folder_another_coldstart_has_open_starts_in_memory_and_says_so() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (other, _) = Store::open_in_dir(tmp.path()).expect("the other coldstart");
    let before = snapshot(tmp.path());

    let mut state = open(tmp.path());
    assert_eq!(state.store.path(), None, "runs on an in-memory store");
    let not_saving = state
        .not_saving
        .clone()
        .expect("says progress is not saved");
    assert!(
        not_saving.reason.contains("is coldstart already open?")
            && not_saving
                .reason
                .contains(&tmp.path().join(FILE_NAME).display().to_string()),
        "{not_saving:?}"
    );
    assert!(
        not_saving.remedy.contains("Close the other coldstart"),
        "{not_saving:?}"
    );
    // It works, in memory only: the other coldstart's file does not get this.
    state.mark_note_read("limits");
    assert!(state.is_note_read("limits"));
    drop(state);
    assert!(other.notes_read("mini").expect("read").is_empty());
    assert!(snapshot(tmp.path()) == before, "the folder was changed");
}

#[test]
fn a_file_from_a_newer_coldstart_starts_in_memory_and_is_left_untouched() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write_too_new(tmp.path());
    let before = std::fs::read(tmp.path().join(FILE_NAME)).expect("read");

    let mut state = open(tmp.path());
    assert_eq!(state.store.path(), None);
    let not_saving = state
        .not_saving
        .clone()
        .expect("says progress is not saved");
    assert!(
        not_saving
            .reason
            .starts_with("The progress database was written by a newer coldstart")
            && not_saving
                .reason
                .contains(&tmp.path().join(FILE_NAME).display().to_string()),
        "{not_saving:?}"
    );
    assert!(
        not_saving.remedy.contains("Update coldstart"),
        "{not_saving:?}"
    );
    state.mark_note_read("limits");
    drop(state);

    assert!(
        std::fs::read(tmp.path().join(FILE_NAME)).expect("read") == before,
        "the file was modified"
    );
    let names: Vec<_> = snapshot(tmp.path()).into_iter().map(|(n, _)| n).collect();
    assert!(
        !names
            .iter()
            .any(|n| n.contains("corrupt") || n.ends_with("-wal")),
        "{names:?}"
    );
}

#[test]
fn the_window_shows_a_banner_that_cannot_be_dismissed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let _other = Store::open_in_dir(tmp.path()).expect("the other coldstart");
    let state = open(tmp.path());
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            |ui, app: &mut ColdstartApp| app.frame(ui),
            ColdstartApp::new(state),
        );
    h.run();
    for screen in [egui::Key::D, egui::Key::N] {
        h.key_press(screen);
        h.run();
        assert!(h.query_by_label(NotSaving::HEADLINE).is_some());
        assert!(
            h.query_by_label_contains("is coldstart already open?")
                .is_some()
        );
        assert!(
            h.query_by_label_contains("Close the other coldstart")
                .is_some()
        );
        assert!(
            h.query_by_label("Dismiss").is_none(),
            "it cannot be dismissed"
        );
    }
}

#[test]
fn a_usable_file_shows_no_banner() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            |ui, app: &mut ColdstartApp| app.frame(ui),
            ColdstartApp::new(open(tmp.path())),
        );
    h.run();
    assert!(h.query_by_label(NotSaving::HEADLINE).is_none());
}
