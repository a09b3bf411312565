//! Live preview: editing a pack folder reloads it off the UI thread, errors and all.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use coldstart::app::watch::PackWatcher;

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

fn wait_for(watcher: &PackWatcher) -> coldstart::content::Report {
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
}
