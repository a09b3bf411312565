//! Sources on items: `refs` and `verified` on cards and questions, as a pack author writes them.

use coldstart::content::{self, Severity};
use std::path::Path;

fn copy_mini() -> tempfile::TempDir {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    let tmp = tempfile::tempdir().expect("tempdir");
    for sub in ["", "notes", "cards", "questions"] {
        std::fs::create_dir_all(tmp.path().join(sub)).expect("mkdir");
        for e in std::fs::read_dir(from.join(sub)).expect("read fixture") {
            let e = e.expect("entry");
            if e.file_type().expect("type").is_file() {
                std::fs::copy(e.path(), tmp.path().join(sub).join(e.file_name())).expect("copy");
            }
        }
    }
    tmp
}

fn add_after(path: &Path, anchor: &str, extra: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(
        text.contains(anchor),
        "{anchor:?} not in {}",
        path.display()
    );
    std::fs::write(
        path,
        text.replacen(anchor, &format!("{anchor}\n{extra}"), 1),
    )
    .expect("write");
}

#[test]
fn refs_and_verified_load_onto_the_item() {
    let pack = copy_mini();
    let cards = pack.path().join("cards/all.toml");
    add_after(
        &cards,
        "source = \"limits#memory\"",
        "refs = [\"https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html\"]\nverified = 2026-11-30",
    );
    let report = content::load_dir(pack.path()).expect("load");
    assert_eq!(report.errors(), 0, "{:?}", report.diagnostics);
    let card = report.pack.card("limits-memory-range").expect("card");
    assert_eq!(
        card.refs,
        ["https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html"]
    );
    assert_eq!(
        card.verified.map(|d| d.to_string()).as_deref(),
        Some("2026-11-30")
    );
}

#[test]
fn a_ref_that_is_not_https_and_a_bad_date_are_errors_at_their_place() {
    let pack = copy_mini();
    let cards = pack.path().join("cards/all.toml");
    add_after(
        &cards,
        "source = \"limits#memory\"",
        "refs = [\"javascript:alert(1)\"]\nverified = \"last week\"",
    );
    let report = content::load_dir(pack.path()).expect("load");
    let found: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "E012" && d.severity == Severity::Error)
        .map(|d| (d.line, d.message.clone()))
        .collect();
    assert_eq!(found.len(), 2, "{:?}", report.diagnostics);
    assert_eq!(found[0].0, 7, "refs on the line after source: {found:?}");
    assert!(found[0].1.contains("javascript:alert(1)"));
    assert!(found[1].1.contains("last week"));
}
