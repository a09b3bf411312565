//! Live preview: editing a pack folder reloads it off the UI thread, errors and all.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use coldstart::app::watch::{Kept, PackWatcher, Reload};
use egui_kittest::kittest::Queryable;

mod support;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir") {
        let e = e.expect("entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
}

fn wait_for(watcher: &PackWatcher) -> Reload {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(r) = watcher.poll() {
            return r.expect("reload read the folder");
        }
        assert!(Instant::now() < deadline, "no reload arrived");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn saving_a_file_reloads_the_pack_and_reports_new_errors() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let pack = tmp.path().join("pack");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini"),
        &pack,
    );
    let wakes = Arc::new(AtomicUsize::new(0));
    let w = wakes.clone();
    let watcher = PackWatcher::start(&pack, move || {
        w.fetch_add(1, Ordering::SeqCst);
    })
    .expect("watch");

    let cards = pack.join("cards/all.toml");
    let text = std::fs::read_to_string(&cards).expect("read");
    std::fs::write(
        &cards,
        text.replace("Twice: three attempts in all.", "Two retries."),
    )
    .expect("write");
    let report = wait_for(&watcher);
    assert_eq!(report.errors(), 0);
    assert_eq!(
        report
            .pack
            .card("async-retries-default")
            .map(|c| c.back.as_str()),
        Some("Two retries.")
    );
    assert!(wakes.load(Ordering::SeqCst) >= 1, "the UI was not woken");

    std::fs::write(&cards, "[[card]\n").expect("break it");
    let report = wait_for(&watcher);
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.file == "cards/all.toml" && d.code == "E001"),
        "{:?}",
        report.diagnostics
    );
    // The broken file's last good version stays on screen, the edit included.
    assert_eq!(report.kept, Kept::Files(vec!["cards/all.toml".to_owned()]));
    assert_eq!(
        report
            .pack
            .card("async-retries-default")
            .map(|c| c.back.as_str()),
        Some("Two retries.")
    );
}

/// A broken `pack.toml` used to empty the whole app. Now every topic, note, card and question
/// stays while the edit in another file still shows, and the fix replaces the kept version.
#[test]
fn a_broken_pack_toml_keeps_the_last_good_version() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let pack = tmp.path().join("pack");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini"),
        &pack,
    );
    let before = coldstart::content::load_dir(&pack).expect("loads").pack;
    let watcher = PackWatcher::start(&pack, || {}).expect("watch");
    let toml = pack.join("pack.toml");
    let good = std::fs::read_to_string(&toml).expect("read");
    // A duplicate key: the TOML no longer parses.
    std::fs::write(&toml, good.replace("weight = 2", "weight = 2\nweight = 3")).expect("break");
    let report = wait_for(&watcher);
    assert!(report.errors() > 0, "the banner has something to say");
    assert_eq!(report.kept, Kept::Files(vec!["pack.toml".to_owned()]));
    assert_eq!(report.pack.topics.len(), before.topics.len());
    assert_eq!(report.pack.cards.len(), before.cards.len());
    assert_eq!(report.pack.questions.len(), before.questions.len());
    assert_eq!(report.pack.meta.title, before.meta.title);

    std::fs::write(
        &toml,
        good.replace("title = \"Mini pack\"", "title = \"Mini pack 2\""),
    )
    .expect("fix");
    let report = wait_for(&watcher);
    assert_eq!(report.errors(), 0, "{:?}", report.diagnostics);
    assert_eq!(report.kept, Kept::Nothing);
    assert_eq!(report.pack.meta.title, "Mini pack 2");
}

/// The app shows the pack's warnings too, not only `check`; a broken save names the file whose
/// last good version is shown, errors first.
#[test]
fn the_banner_shows_warnings_and_which_file_is_kept() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let pack = tmp.path().join("pack");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini"),
        &pack,
    );
    // A section no card or question cites: warning W003.
    let note = pack.join("notes/limits.md");
    let text = std::fs::read_to_string(&note).expect("read");
    std::fs::write(
        &note,
        format!("{text}\n## Uncited\n\nNothing cites this.\n"),
    )
    .expect("write");
    let report = coldstart::content::load_dir(&pack).expect("loads");
    assert_eq!((report.errors(), report.warnings()), (0, 1));
    let watcher = PackWatcher::start(&pack, || {}).expect("watch");
    let state = support::state_on(Arc::new(report.pack), support::clock());
    let app = coldstart::ui::ColdstartApp::new(state).with_watcher(watcher, report.diagnostics);
    let mut h = support::harness(app);
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("This pack has 1 warning")
            .is_some(),
        "the warning shows in the app"
    );
    assert!(h.query_by_label_contains("warning[W003]").is_some());

    std::fs::write(pack.join("cards/all.toml"), "[[card]\n").expect("break");
    let deadline = Instant::now() + Duration::from_secs(20);
    while h
        .query_by_label_contains("last good version of cards/all.toml")
        .is_none()
    {
        assert!(Instant::now() < deadline, "no reload arrived");
        std::thread::sleep(Duration::from_millis(50));
        h.run_steps(1);
    }
    assert!(h.query_by_label_contains("This pack has 1 error").is_some());
}

/// A pack with thousands of warnings (an instructor's first draft of a large pack): the banner
/// says how many and scrolls through them, laying out only the lines in view — laying out all
/// of them every frame took hundreds of MB and most of each frame.
#[test]
fn thousands_of_warnings_are_shown_a_screenful_at_a_time() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let pack = tmp.path().join("pack");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini"),
        &pack,
    );
    let report = coldstart::content::load_dir(&pack).expect("loads");
    let warning = coldstart::content::Diagnostic {
        file: "notes/limits.md".into(),
        line: 1,
        column: 1,
        severity: coldstart::content::Severity::Warning,
        code: "W003",
        message: "section `x` is cited by no card or question".into(),
        hint: None,
        follows_from: None,
    };
    let many: Vec<_> = (1..=5_000)
        .map(|line| coldstart::content::Diagnostic {
            line,
            ..warning.clone()
        })
        .collect();
    let watcher = PackWatcher::start(&pack, || {}).expect("watch");
    let state = support::state_on(Arc::new(report.pack), support::clock());
    let app = coldstart::ui::ColdstartApp::new(state).with_watcher(watcher, many);
    let mut h = support::harness(app);
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("This pack has 5000 warnings")
            .is_some()
    );
    assert!(h.query_by_label_contains("notes/limits.md:1:1:").is_some());
    let laid_out = h.query_all_by_label_contains("warning[W003]").count();
    assert!(
        (1..100).contains(&laid_out),
        "{laid_out} of 5000 lines laid out"
    );
}
