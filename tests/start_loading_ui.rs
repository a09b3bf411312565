//! A pack folder is read on a thread: the window opens on "Loading <pack>…" (centred, still) and
//! then shows the pack; a folder that cannot be read opens the built-in pack with a banner
//! saying why; `--pack DIR`'s watcher does the first read and live reload carries on from it.
//! Every wait is a bounded number of frames.

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use coldstart::app::pack_load::{Loaded, PackLoad};
use coldstart::app::watch::PackWatcher;
use coldstart::content::Pack;
use coldstart::ui::ColdstartApp;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// At most this many frames, 10 ms apart, for a pack to arrive from its thread.
const MAX_FRAMES: usize = 1000;

fn mini_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini")
}

/// The app on a state whose pack is still a placeholder, as the binary starts on a folder.
fn placeholder_state() -> coldstart::app::AppState {
    support::state_on(Arc::new(Pack::default()), support::clock())
}

/// Steps frames until `label` shows, at most [`MAX_FRAMES`]; whether it did.
fn frames_until(h: &mut Harness<'static, ColdstartApp>, label: &str) -> bool {
    for _ in 0..MAX_FRAMES {
        if h.query_all_by_label_contains(label).next().is_some() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
        h.step();
    }
    h.query_all_by_label_contains(label).next().is_some()
}

#[test]
fn the_window_shows_loading_in_the_centre_then_the_packs_topics() {
    // The read waits for the test's go, so the loading state is seen on any machine.
    let (go, wait) = mpsc::channel::<()>();
    let dir = mini_dir();
    let load = PackLoad::spawn("mini", move || {
        let _ = wait.recv();
        let report = coldstart::content::load_dir(&dir).map_err(|e| e.to_string())?;
        Ok(Loaded {
            pack: report.pack,
            diagnostics: report.diagnostics,
        })
    });
    let mut h = support::harness(ColdstartApp::new(placeholder_state()).with_loading(load));
    h.step();
    let first = h.get_by_label("Loading mini…").rect();
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0));
    assert!(
        (first.center() - window.center()).length() < 40.0,
        "centred in the window: {first:?}"
    );
    assert!(
        first.width() <= 480.0,
        "one short line, not a page: {first:?}"
    );
    assert!(
        h.query_by_label("Dashboard").is_none(),
        "nothing but the loading line while the pack is read"
    );
    for _ in 0..5 {
        h.step();
        assert_eq!(
            h.get_by_label("Loading mini…").rect(),
            first,
            "it does not move"
        );
    }
    assert_eq!(h.state().loading(), Some("mini"));

    go.send(()).expect("the reading thread waits");
    assert!(frames_until(&mut h, "topics · 5 cards"), "the pack arrives");
    h.get_by_label("Mini pack");
    h.get_by_label("Dashboard");
    assert!(h.query_by_label("Loading mini…").is_none());
    assert_eq!(h.state().loading(), None);
    assert_eq!(h.state().state.pack.topics.len(), 3);
    assert_eq!(
        h.state().state.due_counts().new,
        5,
        "the pack's own cards are due"
    );
}

#[test]
fn a_folder_read_by_the_real_loader_arrives() {
    let load = PackLoad::folder(&mini_dir());
    assert_eq!(load.name, "mini");
    let mut h = support::harness(ColdstartApp::new(placeholder_state()).with_loading(load));
    h.step();
    assert!(frames_until(&mut h, "topics · 5 cards"), "the pack arrives");
    assert!(h.state().state.notices.is_empty());
}

#[test]
fn a_folder_that_cannot_be_read_opens_the_built_in_pack_with_a_banner() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let gone = tmp.path().join("no-such-pack");
    let mut h = support::harness(
        ColdstartApp::new(placeholder_state()).with_loading(PackLoad::folder(&gone)),
    );
    h.step();
    assert!(frames_until(&mut h, "The built-in pack is open instead"));
    assert!(
        h.query_by_label_contains("cannot read pack folder")
            .is_some()
    );
    assert_eq!(
        h.state().state.pack.meta.id,
        support::embedded_pack().meta.id
    );
}

#[test]
fn the_watcher_reads_the_folder_first_and_then_reloads_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("mine");
    copy_dir(&mini_dir(), &dir);
    let watcher = PackWatcher::start_reading(&dir, || {}).expect("watch");
    let mut h = support::harness(
        ColdstartApp::new(placeholder_state()).with_watched_loading(watcher, "mine"),
    );
    h.step();
    assert!(
        frames_until(&mut h, "topics · 5 cards"),
        "the first read arrives"
    );
    assert!(h.query_by_label("Loading mine…").is_none());
    // A save is picked up by live reload, as before.
    let toml = std::fs::read_to_string(dir.join("pack.toml")).expect("read");
    std::fs::write(
        dir.join("pack.toml"),
        toml.replace("title = \"Mini pack\"", "title = \"Mini pack, edited\""),
    )
    .expect("write");
    assert!(
        frames_until(&mut h, "Mini pack, edited"),
        "the save reloads"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("list") {
        let e = e.expect("entry");
        let dest = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).expect("copy");
        }
    }
}
