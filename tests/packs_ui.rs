//! The Packs screen (K): the built-in and installed packs with progress, switching with one click
//! (remembered, each pack with its own progress), installing a dropped zip after a look at it,
//! and removing with a confirmation.

mod support;

use std::path::{Path, PathBuf};

use coldstart::library::{Active, Library};
use coldstart::srs::Rating;
use coldstart::ui::packs::PackAction;
use coldstart::ui::{ColdstartApp, Command, Screen};
use egui::Key;
use egui_kittest::kittest::Queryable;

/// Lets the library's threads finish (reading the list, checking a pack), then the frames.
fn settle(h: &mut egui_kittest::Harness<'static, ColdstartApp>) {
    let app = h.state_mut();
    if let Some(lib) = app.library.as_mut() {
        lib.wait(&mut app.state);
    }
    h.run_steps(3);
}

fn mini_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini")
}

/// The app on the built-in pack with `data` as its library, the mini pack installed.
fn app(data: &Path) -> ColdstartApp {
    let lib = Library::new(data);
    let staged = lib.stage(&mini_dir()).expect("stage");
    lib.commit(staged, false).expect("install");
    let state = support::state_on(support::embedded_pack(), support::clock());
    ColdstartApp::new(state).with_library(Library::new(data))
}

#[test]
fn the_learner_switches_packs_with_one_click_and_each_keeps_its_progress() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut h = support::harness(app(tmp.path()));
    h.run_steps(2);
    // Some progress on the built-in pack first.
    h.state_mut()
        .state
        .answer_card(0, Rating::Good, jiff::SignedDuration::from_secs(3))
        .expect("answer");

    support::press(&mut h, Key::K);
    settle(&mut h);
    assert_eq!(h.state().screen, Screen::Packs);
    h.get_by_label("● Open now");
    h.get_by_label("Mini pack");
    assert!(
        h.query_by_label_contains("1 cards studied").is_some(),
        "the built-in pack's progress shows"
    );

    support::click(&mut h, "Open Mini pack");
    settle(&mut h);
    let app = h.state();
    assert_eq!(app.state.pack.meta.id, "mini");
    assert_eq!(
        Library::new(tmp.path()).active(),
        Active::Installed("mini".into()),
        "the choice is remembered"
    );
    assert_eq!(
        app.state.due_counts().new,
        5,
        "the mini pack's own progress: none yet"
    );
    h.get_by_label("Now studying Mini pack.");

    // And back: the built-in pack's progress is still there.
    let builtin = h.state().state.pack.meta.id.clone();
    assert_eq!(builtin, "mini");
    let title = support::embedded_pack().meta.title.clone();
    support::click(&mut h, &format!("Open {title}"));
    settle(&mut h);
    assert_eq!(h.state().state.pack.meta.title, title);
    assert_eq!(Library::new(tmp.path()).active(), Active::BuiltIn);
    assert!(h.state().state.reviews.card_states()[0].is_some());
}

/// A file dropped on the window.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_dropped_zip_is_checked_then_installed_and_a_pack_is_removed_after_confirmation() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let mut h = support::harness(app(&data));
    h.run_steps(2);

    // A broken folder is refused with its diagnostics; nothing changes.
    let broken = tmp.path().join("broken");
    std::fs::create_dir_all(&broken).expect("mkdir");
    std::fs::write(broken.join("pack.toml"), "format = 1\n").expect("write");
    h.state_mut()
        .apply(Command::Pack(PackAction::Stage(broken.clone())));
    h.state_mut().apply(Command::Go(Screen::Packs));
    settle(&mut h);
    assert!(
        h.query_by_label_contains("Not installed: refused: the pack has")
            .is_some(),
        "the refusal shows"
    );

    // An update of the mini pack, the one being studied, from a zip: what changes shows first.
    support::click(&mut h, "Open Mini pack");
    settle(&mut h);
    assert_eq!(h.state().state.pack.meta.version, "1.0.0");
    let v2 = tmp.path().join("v2.zip");
    {
        let files = coldstart::authoring::exchange::read_pack_files(&mini_dir()).expect("read");
        let files: Vec<_> = files
            .into_iter()
            .map(|mut f| {
                if f.path == "pack.toml" {
                    let t = String::from_utf8(f.bytes.to_vec()).expect("utf-8");
                    f.bytes = t
                        .replace("version = \"1.0.0\"", "version = \"1.1.0\"")
                        .into_bytes()
                        .into();
                }
                f
            })
            .collect();
        coldstart::authoring::exchange::write_pack_zip(
            &files,
            "mini",
            std::fs::File::create(&v2).expect("create"),
        )
        .expect("zip");
    }
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(v2)));
    h.run_steps(3);
    settle(&mut h);
    h.get_by_label("Mini pack 1.1.0 passed the check");
    assert!(
        h.query_by_label_contains("Replaces the installed version 1.0.0")
            .is_some()
    );
    support::click(&mut h, "Install");
    settle(&mut h);
    h.get_by_label("Installed Mini pack.");
    assert_eq!(
        Library::new(&data).open("mini").expect("open").meta.version,
        "1.1.0"
    );
    // The new version was read on a thread and is the one open now.
    assert_eq!(h.state().state.pack.meta.version, "1.1.0");
    assert!(h.query_by_label_contains("Mini pack 1.1.0").is_some());

    // Remove asks first.
    support::click(&mut h, "Remove Mini pack…");
    support::click(&mut h, "Cancel");
    assert!(Library::new(&data).is_installed("mini"));
    support::click(&mut h, "Remove Mini pack…");
    support::click(&mut h, "Remove pack");
    settle(&mut h);
    assert!(!Library::new(&data).is_installed("mini"));
    assert!(h.query_by_label("Mini pack").is_none());
}

#[test]
fn an_older_version_asks_before_it_replaces_the_installed_one() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let mut h = support::harness(app(&data));
    h.run_steps(2);
    let old = tmp.path().join("old");
    for f in coldstart::authoring::exchange::read_pack_files(&mini_dir()).expect("read") {
        let p = old.join(&f.path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        let bytes = String::from_utf8(f.bytes.into_owned())
            .expect("utf-8")
            .replace("version = \"1.0.0\"", "version = \"0.5.0\"");
        std::fs::write(p, bytes).expect("write");
    }
    h.state_mut().apply(Command::Go(Screen::Packs));
    h.state_mut().apply(Command::Pack(PackAction::Stage(old)));
    settle(&mut h);
    assert!(
        h.query_by_label_contains("Careful: version 0.5.0 is older")
            .is_some()
    );
    assert!(h.query_by_label("Install").is_none(), "no plain Install");
    support::click(&mut h, "Cancel");
    assert_eq!(
        Library::new(&data).open("mini").expect("open").meta.version,
        "1.0.0"
    );
    assert!(
        h.state()
            .library
            .as_ref()
            .expect("library")
            .staged
            .is_none()
    );
}
