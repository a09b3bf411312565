//! The Progress screen's tools from issue 14, clicked through: desired retention with "Help me
//! choose", the memory model tile, and the backups list with Restore.

mod support;

use std::time::Duration;

use coldstart::app::AppState;
use coldstart::store::backup::{backup_dir, backup_name, daily_backup};
use coldstart::ui::ColdstartApp;
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// A window tall enough to show the whole Progress screen without scrolling.
fn tall(app: ColdstartApp) -> Harness<'static, ColdstartApp> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 4000.0))
        .build_ui_state(|ui, app: &mut ColdstartApp| app.frame(ui), app)
}

#[test]
fn help_me_choose_simulates_and_recommends() {
    let mut h = tall(ColdstartApp::new(support::mini_state(support::clock())));
    h.run_steps(2);
    support::press(&mut h, Key::P);
    assert!(h.query_by_label_contains("You asked for 90%").is_some());
    assert!(h.query_by_label("Retention and its cost").is_some());
    assert!(h.query_by_label("FSRS-6's default parameters.").is_some());
    assert!(h.query_by_label("Backups").is_none(), "no file, no backups");
    h.get_by_label("Help me choose").click();
    let mut shown = false;
    for _ in 0..200 {
        h.run_steps(1);
        if h.query_by_label_contains("Recommended:").is_some() {
            shown = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(shown, "the simulation's recommendation is shown");
    assert!(h.query_by_label("Seconds per card").is_some());
    assert!(h.query_by_label("97%").is_some());
}

#[test]
fn a_backup_is_listed_and_restored_from_the_progress_screen() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let (store, _) = coldstart::store::Store::open_in_dir(dir.path()).expect("create");
        store.mark_note_read("p", "then", 1).expect("write");
    }
    let db = dir.path().join(coldstart::store::FILE_NAME);
    let day = "2026-11-20".parse().expect("date");
    daily_backup(&db, day).expect("backup");
    assert!(backup_dir(&db).join(backup_name(day)).exists());
    let state =
        AppState::open_in_dir(support::mini_pack(), dir.path(), support::clock()).expect("open");
    let mut h = tall(ColdstartApp::new(state));
    for _ in 0..200 {
        h.run_steps(1);
        if h.state().state.daily_backup_done() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    support::press(&mut h, Key::P);
    h.state_mut()
        .state
        .store
        .mark_note_read("p", "later", 2)
        .expect("write");
    assert!(
        h.query_by_label("2026-11-20").is_some(),
        "the backup is listed"
    );
    assert_eq!(
        h.query_all_by_label("Restore…").count(),
        2,
        "today's and the older one"
    );
    h.query_all_by_label("Restore…")
        .last()
        .expect("button")
        .click();
    h.run_steps(2);
    h.get_by_label("Replace my progress with 2026-11-20")
        .click();
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("Restored your progress from")
            .is_some()
    );
    let read = h.state().state.store.notes_read("p").expect("read");
    assert!(read.contains("then") && !read.contains("later"), "{read:?}");
}
