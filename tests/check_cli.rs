//! `coldstart check` as an instructor uses it: exit codes, `file:line:col` diagnostics, JSON.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini")
}

fn check(dir: &Path, json: bool) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_coldstart"));
    cmd.arg("check").arg(dir);
    if json {
        cmd.arg("--json");
    }
    let out = cmd.output().expect("run coldstart");
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A writable copy of the fixture pack.
fn copy_fixture() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    for sub in ["", "notes", "cards", "questions"] {
        let from = fixture().join(sub);
        std::fs::create_dir_all(tmp.path().join(sub)).expect("mkdir");
        for e in std::fs::read_dir(&from).expect("read fixture") {
            let e = e.expect("entry");
            if e.file_type().expect("type").is_file() {
                std::fs::copy(e.path(), tmp.path().join(sub).join(e.file_name())).expect("copy");
            }
        }
    }
    tmp
}

fn replace(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn a_valid_pack_prints_one_summary_line_and_exits_0() {
    let (code, out, _) = check(&fixture(), false);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out.trim(),
        "mini 1.0.0: 3 topics, 3 notes, 8 sections, 5 cards, 5 questions, 0 errors, 0 warnings"
    );
}

#[test]
fn every_problem_is_reported_with_file_line_and_column() {
    let pack = copy_fixture();
    // A broken TOML line in one file, and a card citing a missing section in another.
    replace(
        &pack.path().join("questions/all.toml"),
        "kind = \"single\"\nstem = \"What is the default timeout?\"",
        "kind = \"single\nstem = \"What is the default timeout?\"",
    );
    replace(
        &pack.path().join("cards/all.toml"),
        "source = \"limits#timeout\"",
        "source = \"limits#time-out\"",
    );
    let (code, out, _) = check(pack.path(), false);
    assert_eq!(code, 1, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("cards/all.toml:13:10: error[E005]")
                && l.contains("limits#time-out")
                && l.contains("did you mean `limits#timeout`")),
        "{out}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("questions/all.toml:") && l.contains("error[E001]")),
        "{out}"
    );
    assert!(out.trim_end().ends_with("2 errors, 4 warnings"), "{out}");
}

#[test]
fn content_rules_are_enforced() {
    let pack = copy_fixture();
    let q = pack.path().join("questions/all.toml");
    // A single-answer question with two correct choices and an empty why; an unknown field in a
    // card; a link out of the pack and a remote image in a note.
    replace(
        &q,
        "text = \"24 hours\"\ncorrect = false",
        "text = \"24 hours\"\ncorrect = true",
    );
    replace(&q, "why = \"The default.\"", "why = \"  \"");
    let c = pack.path().join("cards/all.toml");
    replace(
        &c,
        "topic = \"concurrency\"",
        "topic = \"scaling\"\nhint = \"x\"",
    );
    let n = pack.path().join("notes/limits.md");
    replace(
        &n,
        "[asynchronous retries](async.md#retries)",
        "[secrets](../../secret.md) ![x](https://example.com/x.png)",
    );
    let (code, out, _) = check(pack.path(), false);
    assert_eq!(code, 1, "{out}");
    for expected in [
        "error[E006]: a single-answer question needs exactly one correct choice; it has 2",
        "error[E007]: `why` is empty",
        "error[E002]: unknown field `hint`",
        "error[E009]: link `../../secret.md` leaves the pack folder",
        "error[E011]: images are not supported",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
}

#[test]
fn files_over_one_mebibyte_and_symlinks_are_refused() {
    let pack = copy_fixture();
    std::fs::write(pack.path().join("cards/huge.toml"), "# ".repeat(600 * 1024)).expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/passwd", pack.path().join("notes/passwd.md"))
        .expect("symlink");
    let (code, out, _) = check(pack.path(), false);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("cards/huge.toml:1:1: error[E008]"), "{out}");
    #[cfg(unix)]
    assert!(out.contains("notes/passwd.md:1:1: error[E009]"), "{out}");
}

#[test]
fn json_output_has_the_documented_shape() {
    let (code, out, _) = check(&fixture(), true);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["pack"]["id"], "mini");
    assert_eq!(v["pack"]["version"], "1.0.0");
    assert_eq!(v["totals"]["cards"], 5);
    assert_eq!(v["totals"]["sections"], 8);
    assert_eq!(v["diagnostics"].as_array().map(Vec::len), Some(0));
    let async_topic = &v["topics"][1];
    assert_eq!(async_topic["id"], "async");
    assert_eq!(async_topic["questions"], 2);
    assert_eq!(async_topic["notes"], 1);
}

#[test]
fn a_missing_folder_is_a_usage_error() {
    let (code, _, err) = check(Path::new("/nonexistent/pack"), false);
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/pack"), "{err}");
}
