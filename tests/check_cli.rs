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
    let (code, out) = check_here(pack.path());
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
    // The syntax error loses every question, but "topic X has no questions" would be news only
    // once the errors are fixed: coverage warnings wait for a pack without errors.
    assert!(!out.contains("warning["), "{out}");
    assert!(out.trim_end().ends_with("2 errors, 0 warnings"), "{out}");
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
    let (code, out) = check_here(pack.path());
    assert_eq!(code, 1, "{out}");
    for expected in [
        "error[E006]: question `async-q-age`: a single-answer question needs exactly one correct \
         choice; it has 2",
        "error[E007]: question `limits-q-timeout`, choice 1: `why` is empty",
        "error[E002]: card `concurrency-unreserved`: unknown field `hint`",
        "notes/limits.md:19:1: error[E009]: link `../../secret.md` leaves the pack folder",
        "notes/limits.md:19:28: error[E011]: images are not supported",
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

/// `coldstart check` run in this process: the same output as the binary, without depending on
/// which build of it sits in a shared target folder.
fn check_here(dir: &Path) -> (i32, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = coldstart::cli::check::run(dir, false, &mut out, &mut err);
    let out = String::from_utf8(out).expect("utf-8 output");
    (code, out + &String::from_utf8_lossy(&err))
}

/// A file edit: replace the first `from` with `to`, or write the file when `from` is empty.
type Edit = (&'static str, &'static str, &'static str);

/// A diagnostic `check` must print: its `file:line:col: severity[CODE]` and part of its message.
type Expected = (&'static str, &'static str);

const CONCURRENCY_CARD: &str = "[[card]]
id = \"concurrency-unreserved\"
topic = \"concurrency\"
front = \"How much concurrency always stays unreserved?\"
back = \"At least 100.\"
source = \"concurrency#reserved-concurrency\"";

const CONCURRENCY_QUESTION: &str = "[[question]]
id = \"concurrency-q-reserve\"
topic = \"concurrency\"
kind = \"single\"
stem = \"The account limit is 1,000. How much can all functions reserve in total?\"
explanation = \"100 always stays unreserved.\"
source = \"concurrency#reserved-concurrency\"

[[question.choice]]
text = \"900\"
correct = true
why = \"1,000 − 100.\"

[[question.choice]]
text = \"1,000\"
correct = false
why = \"100 must stay unreserved.\"";

/// Each case breaks the fixture pack in one way and lists every diagnostic `check` must print
/// (`file:line:col: severity[CODE]` and a part of the message) — no more, no fewer.
#[test]
fn each_check_reports_its_code_at_file_line_and_column() {
    let cases: &[(&str, &[Edit], &[Expected])] = &[
        (
            "duplicate card id",
            &[(
                "cards/all.toml",
                "id = \"limits-timeout-max\"",
                "id = \"limits-memory-range\"",
            )],
            &[(
                "cards/all.toml:9:6: error[E003]",
                "duplicate card id `limits-memory-range` (first at cards/all.toml:2)",
            )],
        ),
        (
            "duplicate question id",
            &[(
                "questions/all.toml",
                "id = \"limits-q-timeout\"",
                "id = \"limits-q-memory\"",
            )],
            &[(
                "questions/all.toml:79:6: error[E003]",
                "duplicate question id `limits-q-memory`",
            )],
        ),
        (
            "duplicate topic id",
            &[("pack.toml", "id = \"concurrency\"", "id = \"async\"")],
            &[
                ("pack.toml:19:6: error[E003]", "duplicate topic id `async`"),
                // The concurrency note, card and question now name a topic that is not there.
                ("notes/concurrency.md:2:9: error[E010]", "unknown topic"),
                (
                    "cards/all.toml:31:9: error[E004]",
                    "unknown topic `concurrency`",
                ),
                ("cards/all.toml:34:10: error[E005]", "names no note"),
                ("questions/all.toml:62:9: error[E004]", "unknown topic"),
                ("questions/all.toml:66:10: error[E005]", "names no note"),
            ],
        ),
        (
            "topic id with an underscore",
            &[
                (
                    "pack.toml",
                    "weight = 1",
                    "weight = 1\n\n[[topic]]\nid = \"cold_start\"\ntitle = \"Cold start\"\nweight = 1",
                ),
                (
                    "notes/cold_start.md",
                    "",
                    "+++\ntopic = \"cold_start\"\n+++\n\n# Cold start\n\nThe first request waits.\n",
                ),
            ],
            &[(
                "pack.toml:24:6: error[E002]",
                "topic id must be lowercase letters, digits or '-'",
            )],
        ),
        (
            "multiple-response question with one correct choice",
            &[(
                "questions/all.toml",
                "text = \"Retries can be turned off.\"\ncorrect = true",
                "text = \"Retries can be turned off.\"\ncorrect = false",
            )],
            &[(
                "questions/all.toml:22:8: error[E006]",
                "needs at least two correct choices; it has 1",
            )],
        ),
        (
            "multiple-response question with no wrong choice",
            &[(
                "questions/all.toml",
                "text = \"Lambda retries five times.\"\ncorrect = false",
                "text = \"Lambda retries five times.\"\ncorrect = true",
            )],
            &[(
                "questions/all.toml:22:8: error[E006]",
                "needs at least one wrong choice",
            )],
        ),
        (
            "question with one choice",
            &[(
                "questions/all.toml",
                "[[question.choice]]\ntext = \"15 minutes\"\ncorrect = false\nwhy = \"That is the maximum, not the default.\"",
                "",
            )],
            &[(
                "questions/all.toml:81:8: error[E006]",
                "needs at least two choices",
            )],
        ),
        (
            "choice without why",
            &[(
                "questions/all.toml",
                "why = \"MaximumRetryAttempts can be 0.\"\n",
                "",
            )],
            &[(
                "questions/all.toml:32:1: error[E002]",
                "missing field `why`",
            )],
        ),
        (
            "unknown topic",
            &[(
                "cards/all.toml",
                "topic = \"concurrency\"",
                "topic = \"scaling\"",
            )],
            &[(
                "cards/all.toml:31:9: error[E004]",
                "unknown topic `scaling` (not in pack.toml)",
            )],
        ),
        (
            "topic without cards",
            &[("cards/all.toml", CONCURRENCY_CARD, "")],
            &[(
                "pack.toml:19:6: warning[W001]",
                "topic `concurrency` has no cards",
            )],
        ),
        (
            "topic without questions",
            &[("questions/all.toml", CONCURRENCY_QUESTION, "")],
            &[(
                "pack.toml:19:6: warning[W002]",
                "topic `concurrency` has no questions",
            )],
        ),
        (
            "section nothing cites",
            &[(
                "notes/concurrency.md",
                "always stay unreserved.",
                "always stay unreserved.\n\n## Burst scaling\n\nSee [reserved](#reserved-concurrency).",
            )],
            &[(
                "notes/concurrency.md:13:1: warning[W003]",
                "section `concurrency#burst-scaling` is not cited by any card or question",
            )],
        ),
        (
            "a syntax error hides the coverage warnings it would cause",
            &[
                ("questions/all.toml", "kind = \"multi\"", "kind = multi"),
                ("cards/all.toml", CONCURRENCY_CARD, ""),
            ],
            &[("questions/all.toml:22:8: error[E001]", "TOML syntax")],
        ),
        (
            "card link that climbs out of the pack",
            &[(
                "cards/all.toml",
                "back = \"At least 100.\"",
                "back = \"At least 100. [p](../../../../etc/passwd)\"",
            )],
            &[(
                "cards/all.toml:33:23: error[E009]",
                "link `../../../../etc/passwd` leaves the pack folder",
            )],
        ),
        (
            "card link to a local file",
            &[(
                "cards/all.toml",
                "back = \"At least 100.\"",
                "back = \"\"\"\nAt least 100.\nSee <file:///etc/passwd>.\"\"\"",
            )],
            &[(
                "cards/all.toml:35:5: error[E009]",
                "link `file:///etc/passwd` leaves the pack folder",
            )],
        ),
        (
            "card image",
            &[(
                "cards/all.toml",
                "front = \"How much concurrency always stays unreserved?\"",
                "front = 'How much? ![i](https://example.com/x.png)'",
            )],
            &[(
                "cards/all.toml:32:20: error[E011]",
                "images are not supported",
            )],
        ),
        (
            "card raw HTML",
            &[(
                "cards/all.toml",
                "back = \"At least 100.\"",
                "back = '''\n<script>alert(1)</script>\n'''",
            )],
            &[(
                "cards/all.toml:34:1: error[E011]",
                "raw HTML is not allowed",
            )],
        ),
        (
            "card text with escapes is reported at the start of the field",
            &[(
                "cards/all.toml",
                "back = \"At least 100.\"",
                "back = \"At \\\"least\\\" 100 [x](/etc/passwd)\"",
            )],
            &[(
                "cards/all.toml:33:8: error[E009]",
                "link `/etc/passwd` leaves the pack folder",
            )],
        ),
        (
            "choice why linking out of the pack",
            &[(
                "questions/all.toml",
                "why = \"The default.\"",
                "why = \"See [notes](../../secret.md).\"",
            )],
            &[(
                "questions/all.toml:89:12: error[E009]",
                "link `../../secret.md` leaves the pack folder",
            )],
        ),
        (
            "stem, explanation and choice text links are resolved like a note's",
            &[
                (
                    "questions/all.toml",
                    "stem = \"What is the default timeout?\"",
                    "stem = \"What is the [default timeout](limits.md#time-out)?\"",
                ),
                (
                    "questions/all.toml",
                    "explanation = \"Three seconds unless configured.\"",
                    "explanation = \"See [the table](../pack.toml).\"",
                ),
                (
                    "questions/all.toml",
                    "text = \"3 seconds\"",
                    "text = \"3 [seconds](scaling.md)\"",
                ),
            ],
            &[
                (
                    "questions/all.toml:82:21: error[E005]",
                    "link `limits.md#time-out`: notes/limits.md has no section `#time-out`",
                ),
                (
                    "questions/all.toml:83:20: error[E011]",
                    "only links to notes (`topic.md#section`) and to http(s) pages",
                ),
                (
                    "questions/all.toml:87:11: error[E005]",
                    "link `scaling.md` names no note (no topic `scaling`)",
                ),
            ],
        ),
        (
            "links to notes, sections and web pages are allowed in cards",
            &[(
                "cards/all.toml",
                "back = \"At least 100.\"",
                "back = \"At least 100: [reserved](concurrency.md#reserved-concurrency), \
                 [this topic](#reserved-concurrency), [limits](limits.md), \
                 [docs](https://docs.aws.amazon.com/lambda/), <ops@example.com>.\"",
            )],
            &[],
        ),
        (
            "empty heading",
            &[("notes/limits.md", "## Timeout", "## \n\n## Timeout")],
            &[("notes/limits.md:16:1: error[E007]", "the heading is empty")],
        ),
        (
            "heading without letters or digits",
            &[("notes/limits.md", "## Timeout", "## !!!\n\n## Timeout")],
            &[(
                "notes/limits.md:16:1: error[E007]",
                "heading `!!!` has no letters or digits, so it has no anchor",
            )],
        ),
        (
            "note with nothing after its front matter",
            &[(
                "notes/concurrency.md",
                "",
                "+++\ntopic = \"concurrency\"\n+++\n\n",
            )],
            &[
                ("notes/concurrency.md:5:1: error[E007]", "the note is empty"),
                ("cards/all.toml:34:10: error[E005]", "has no section"),
                ("questions/all.toml:66:10: error[E005]", "has no section"),
            ],
        ),
        (
            "a simulator this build does not have, and one listed twice",
            &[(
                "pack.toml",
                "simulators = [\"retry\", \"concurrency\"]",
                "simulators = [\"retry\", \"concurrency\", \"lambda\", \"retry\"]",
            )],
            &[
                ("pack.toml:6:39: error[E023]", "unknown simulator `lambda`"),
                (
                    "pack.toml:6:49: error[E023]",
                    "simulator `retry` is listed twice",
                ),
            ],
        ),
        (
            "a note opens a simulator the pack does not declare",
            &[(
                "pack.toml",
                "simulators = [\"retry\", \"concurrency\"]",
                "simulators = [\"retry\"]",
            )],
            &[(
                "notes/concurrency.md:3:13: error[E023]",
                "simulator `concurrency` is not declared",
            )],
        ),
        (
            "generators: an unknown one, one mapped to an unknown topic, one that is fine",
            &[(
                "pack.toml",
                "simulators = [\"retry\", \"concurrency\"]",
                "simulators = [\"retry\", \"concurrency\"]\n\n[generators]\nasync-retries = \"asynch\"\nretries = \"async\"\nconcurrency = \"concurrency\"",
            )],
            &[
                (
                    "pack.toml:9:17: error[E004]",
                    "generator `async-retries` is mapped to unknown topic `asynch`",
                ),
                ("pack.toml:10:1: error[E023]", "unknown generator `retries`"),
            ],
        ),
        (
            "a `.TOML` file next to the `.toml` ones",
            &[("cards/extra.TOML", "", "[[card]]\n")],
            &[(
                "cards/extra.TOML:1:1: warning[W006]",
                "only names ending in `.toml` (lowercase) are read here",
            )],
        ),
        (
            "the built-in pack's id",
            &[("pack.toml", "id = \"mini\"", "id = \"aws-lambda\"")],
            &[(
                "pack.toml:2:1: warning[W007]",
                "pack id `aws-lambda` is the built-in pack's",
            )],
        ),
        (
            "Choose TWO on a single-answer question",
            &[(
                "questions/all.toml",
                "stem = \"What is the default timeout?\"",
                "stem = \"What is the default timeout? (Choose TWO.)\"",
            )],
            &[(
                "questions/all.toml:82:8: warning[W008]",
                "question `limits-q-timeout`: the stem asks to choose several",
            )],
        ),
        (
            "two cards with the same front",
            &[(
                "cards/all.toml",
                "front = \"What is the maximum timeout of a Lambda function?\"",
                "front = \"What memory range can a Lambda  function be given?\"",
            )],
            &[(
                "cards/all.toml:11:9: warning[W009]",
                "card `limits-timeout-max`: the same front as card `limits-memory-range` (cards/all.toml:4)",
            )],
        ),
        (
            "a back that is only a number and a period (an empty numbered list)",
            &[(
                "cards/all.toml",
                "back = \"Twice: three attempts in all.\"",
                "back = \"2.\"",
            )],
            &[(
                "cards/all.toml:19:9: warning[W010]",
                "card `async-retries-default`: an empty list item",
            )],
        ),
        (
            "a choice without `why`, named by question and choice",
            &[(
                "questions/all.toml",
                "why = \"That is the maximum, not the default.\"",
                "",
            )],
            &[(
                "questions/all.toml:91:1: error[E002]",
                "question `limits-q-timeout`, choice 2: missing field `why`",
            )],
        ),
        (
            "course settings out of range",
            &[(
                "pack.toml",
                "simulators = [\"retry\", \"concurrency\"]",
                "simulators = [\"retry\", \"concurrency\"]\n\n[settings]\nnew_per_day = -1\ndesired_retention = 0.5\nexam_date = 2027-01-15",
            )],
            &[
                (
                    "pack.toml:9:15: error[E002]",
                    "`new_per_day` must be a whole number",
                ),
                (
                    "pack.toml:10:21: error[E002]",
                    "`desired_retention` must be from 0.7 to 0.99",
                ),
            ],
        ),
        (
            "one bad header field",
            &[("pack.toml", "format = 1", "format = \"1\"\nformats = 1")],
            &[
                ("pack.toml:1:10: error[E002]", "`format`: invalid type"),
                ("pack.toml:2:1: error[E002]", "unknown field `formats`"),
            ],
        ),
    ];
    for (name, edits, expected) in cases {
        let pack = copy_fixture();
        for (file, from, to) in *edits {
            let path = pack.path().join(file);
            if from.is_empty() {
                std::fs::write(&path, to).expect("write");
            } else {
                replace(&path, from, to);
            }
        }
        let (code, out) = check_here(pack.path());
        let diagnostics: Vec<&str> = out.lines().filter(|l| l.contains("]: ")).collect();
        for (at, message) in *expected {
            assert!(
                diagnostics
                    .iter()
                    .any(|l| l.starts_with(&format!("{at}: ")) && l.contains(message)),
                "{name}: no `{at}: …{message}…` in:\n{out}"
            );
        }
        assert_eq!(
            diagnostics.len(),
            expected.len(),
            "{name}: other diagnostics than expected in:\n{out}"
        );
        let errors = expected.iter().any(|(at, _)| at.contains("error["));
        assert_eq!(code, i32::from(errors), "{name}: exit code; output:\n{out}");
    }
}

#[test]
fn one_bad_header_field_keeps_the_others() {
    let pack = copy_fixture();
    replace(
        &pack.path().join("pack.toml"),
        "format = 1",
        "format = \"1\"",
    );
    let (code, out) = check_here(pack.path());
    assert_eq!(code, 1, "{out}");
    let summary = out.lines().last().unwrap_or_default();
    assert!(summary.starts_with("mini 1.0.0: 3 topics"), "{out}");
    let mut json = Vec::new();
    coldstart::cli::check::run(pack.path(), true, &mut json, &mut Vec::new());
    let v: serde_json::Value = serde_json::from_slice(&json).expect("json");
    assert_eq!(v["pack"]["title"], "Mini pack");
}

/// A file that cannot be read is named, and the rest of the pack is still checked.
#[cfg(unix)]
#[test]
fn an_unreadable_file_is_named() {
    use std::os::unix::fs::PermissionsExt;
    let pack = copy_fixture();
    let file = pack.path().join("cards/all.toml");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&file).is_ok() {
        // Running as root: permissions do not stop reading, so there is no error to see.
        return;
    }
    let (code, out) = check_here(pack.path());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("cards/all.toml:1:1: error[E001]: cannot read the file:"),
        "{out}"
    );
    assert!(out.contains("5 questions"), "{out}");
}

/// One duplicate key in `pack.toml` used to give 43 errors sorted by path, the cause 27th and
/// not naming the key. Now the cause comes first and names the key, the errors that follow from
/// it fold into one line (and are marked in `--json`), and the summary says what happened.
#[test]
fn a_duplicate_key_leads_with_its_cause_in_a_handful_of_lines() {
    let pack = copy_fixture();
    replace(
        &pack.path().join("pack.toml"),
        "weight = 2",
        "weight = 2\nweight = 3",
    );
    let (code, out) = check_here(pack.path());
    assert_eq!(code, 1, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.len() <= 4, "a handful of lines:\n{out}");
    assert!(
        lines[0].starts_with("pack.toml:")
            && lines[0].contains("error[E001]")
            && lines[0].contains("duplicate key \"weight\""),
        "the cause first, naming the key:\n{out}"
    );
    assert!(
        lines[1].starts_with("  +") && lines[1].ends_with("errors that follow from it"),
        "{out}"
    );
    let last = lines.last().expect("summary");
    assert!(
        last.starts_with("pack (pack.toml not read): 0 topics"),
        "{out}"
    );
    assert!(
        last.contains("1 error (+") && last.ends_with("0 warnings"),
        "{out}"
    );

    let (_, json, _) = check(pack.path(), true);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    let diags = v["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diags[0]["code"], "E001");
    assert_eq!(diags[0]["consequence"], false);
    assert!(diags.len() > 2);
    for d in &diags[1..] {
        assert_eq!(d["consequence"], true, "{d}");
        assert_eq!(d["follows_from"], "pack.toml", "{d}");
    }
}

/// A source that misses its section by a little gets a hint, apart in `--json`; one error is
/// "1 error".
#[test]
fn hints_are_their_own_json_field_and_one_error_is_singular() {
    let pack = copy_fixture();
    replace(
        &pack.path().join("cards/all.toml"),
        "source = \"limits#timeout\"",
        "source = \"limits#time-out\"",
    );
    let (code, out) = check_here(pack.path());
    assert_eq!(code, 1);
    assert!(out.trim_end().ends_with(", 1 error, 0 warnings"), "{out}");
    let (_, json, _) = check(pack.path(), true);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    let d = &v["diagnostics"][0];
    assert_eq!(d["hint"], "did you mean `limits#timeout`?", "{d}");
    assert!(
        !d["message"]
            .as_str()
            .expect("message")
            .contains("did you mean")
    );
}

/// A `card/` folder (singular) or `Notes/` next to the folders that are read is not silently
/// skipped: `check` warns, naming it.
#[test]
fn a_folder_named_almost_right_is_a_warning() {
    let pack = copy_fixture();
    std::fs::create_dir(pack.path().join("card")).expect("mkdir");
    std::fs::write(pack.path().join("card/more.toml"), "[[card]]\n").expect("write");
    let (code, out) = check_here(pack.path());
    assert_eq!(code, 0, "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("card:1:1: warning[W006]")
                && l.contains("coldstart reads `cards/`")),
        "{out}"
    );
    assert!(out.trim_end().ends_with("0 errors, 1 warning"), "{out}");
}
