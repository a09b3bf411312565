//! The pack loader on hostile folders and files (issue 18): what is not a regular file, names
//! that are not UTF-8, links, limits, control characters, and the smaller format rules.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use coldstart::content::{self, PackFile};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini")
}

/// A writable copy of the fixture pack.
fn copy_fixture() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    for sub in ["", "notes", "cards", "questions"] {
        std::fs::create_dir_all(tmp.path().join(sub)).expect("mkdir");
        for e in std::fs::read_dir(fixture().join(sub)).expect("read fixture") {
            let e = e.expect("entry");
            if e.file_type().expect("type").is_file() {
                std::fs::copy(e.path(), tmp.path().join(sub).join(e.file_name())).expect("copy");
            }
        }
    }
    tmp
}

/// `coldstart check DIR` in this process, on another thread, so that a loader that blocks (on
/// a FIFO, say) fails the test instead of hanging it.
fn check(dir: &Path) -> (i32, String) {
    let dir = dir.to_owned();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = coldstart::cli::check::run(&dir, false, &mut out, &mut err);
        out.extend(err);
        let _ = tx.send((code, String::from_utf8(out).expect("check prints UTF-8")));
    });
    rx.recv_timeout(Duration::from_secs(60))
        .expect("check finished within a minute")
}

fn replace(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

fn files_of(dir: &Path) -> Vec<PackFile> {
    let mut files = Vec::new();
    for sub in ["", "notes", "cards", "questions"] {
        for e in std::fs::read_dir(dir.join(sub)).expect("read") {
            let e = e.expect("entry");
            if e.file_type().expect("type").is_file() {
                let name = e.file_name().into_string().expect("utf-8 name");
                let path = if sub.is_empty() {
                    name
                } else {
                    format!("{sub}/{name}")
                };
                let bytes = std::fs::read(e.path()).expect("read");
                files.push(PackFile {
                    path,
                    bytes: bytes.into(),
                });
            }
        }
    }
    files
}

/// A FIFO named like a card file gave exit 0 with its cards gone; now it is an error naming
/// it, and it is never opened (opening a FIFO for reading blocks until a writer comes).
#[cfg(unix)]
#[test]
fn a_fifo_or_socket_named_like_a_pack_file_is_an_error_and_never_opened() {
    let pack = copy_fixture();
    let fifo = pack.path().join("cards/limits.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("run mkfifo");
    assert!(made.success());
    let _socket = std::os::unix::net::UnixListener::bind(pack.path().join("questions/s.toml"))
        .expect("bind a socket");
    let (code, out) = check(pack.path());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "cards/limits.toml:1:1: error[E021]: this is a FIFO (named pipe), not a regular file"
        ),
        "{out}"
    );
    assert!(
        out.contains("questions/s.toml:1:1: error[E021]: this is a socket"),
        "{out}"
    );
    // The rest of the pack still loads.
    assert!(out.contains("5 cards, 5 questions"), "{out}");
}

#[test]
fn a_folder_named_like_a_note_is_an_error() {
    let pack = copy_fixture();
    std::fs::create_dir(pack.path().join("notes/x.md")).expect("mkdir");
    let (code, out) = check(pack.path());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("notes/x.md:1:1: error[E021]: this is a folder, not a file"),
        "{out}"
    );
}

#[test]
fn a_file_where_a_pack_folder_belongs_is_an_error() {
    let pack = copy_fixture();
    std::fs::remove_dir_all(pack.path().join("questions")).expect("rm");
    std::fs::write(pack.path().join("questions"), "").expect("write");
    let (code, out) = check(pack.path());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("questions:1:1: error[E021]: `questions` is a file, not a folder"),
        "{out}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_name_that_is_not_utf8_is_an_error_naming_it() {
    use std::os::unix::ffi::OsStrExt;
    let pack = copy_fixture();
    let name = std::ffi::OsStr::from_bytes(b"bad-\xff.toml");
    std::fs::write(pack.path().join("cards").join(name), "").expect("write");
    let (code, out) = check(pack.path());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("cards/bad-\u{fffd}.toml:1:1: error[E022]: the file name is not valid UTF-8"),
        "{out}"
    );
}

/// README: exit 2 on an I/O error. A folder that cannot be listed was exit 1 before.
#[cfg(unix)]
#[test]
fn an_unreadable_pack_folder_exits_2() {
    use std::os::unix::fs::PermissionsExt;
    let pack = copy_fixture();
    std::fs::set_permissions(pack.path(), std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let readable = std::fs::read_dir(pack.path()).is_ok();
    let (code, out) = check(pack.path());
    std::fs::set_permissions(pack.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    if readable {
        // Running as root: permissions do not stop reading, so there is no error to see.
        return;
    }
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("cannot read pack folder"), "{out}");
}

/// A subfolder that is a link is refused, not listed.
#[cfg(unix)]
#[test]
fn a_linked_subfolder_is_refused() {
    let pack = copy_fixture();
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::rename(pack.path().join("cards"), outside.path().join("cards")).expect("mv");
    std::os::unix::fs::symlink(outside.path().join("cards"), pack.path().join("cards"))
        .expect("symlink");
    let (code, out) = check(pack.path());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("cards:1:1: error[E009]"), "{out}");
    assert!(out.contains(" 0 cards"), "{out}");
}

/// A card's topic with terminal escapes cleared the screen; a file name with a newline forged a
/// diagnostic line. Text output escapes them, as the JSON form does.
#[cfg(unix)]
#[test]
fn check_output_escapes_control_characters() {
    let pack = copy_fixture();
    replace(
        &pack.path().join("cards/all.toml"),
        "topic = \"limits\"",
        "topic = \"\\u001b[2J\\u001b]0;owned\\u0007\"",
    );
    std::fs::write(
        pack.path().join("cards/x\nforged.toml"),
        "[[card]]\nid = 1\n",
    )
    .expect("write");
    let (code, out) = check(pack.path());
    assert_eq!(code, 1, "{out}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    assert!(
        out.contains("unknown topic `\\u{1b}[2J\\u{1b}]0;owned\\u{7}`"),
        "{out}"
    );
    assert!(out.lines().all(|l| !l.starts_with("forged.toml")), "{out}");
    assert!(
        out.contains("cards/x\\u{a}forged.toml:2:6: error[E002]"),
        "{out}"
    );
}

#[test]
fn invalid_utf8_is_reported_at_its_line_and_column() {
    let pack = copy_fixture();
    let path = pack.path().join("cards/all.toml");
    let mut bytes = std::fs::read(&path).expect("read");
    let at = bytes
        .windows(7)
        .position(|w| w == b"128 MB ")
        .expect("128 MB in the card file");
    bytes[at + 3] = 0xFF;
    std::fs::write(&path, bytes).expect("write");
    let (code, out) = check(pack.path());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("cards/all.toml:5:12: error[E001]: not valid UTF-8 (byte 0xFF here)"),
        "{out}"
    );
}

#[test]
fn a_byte_order_mark_at_the_start_of_a_file_is_accepted() {
    let pack = copy_fixture();
    for file in ["notes/limits.md", "cards/all.toml", "pack.toml"] {
        let path = pack.path().join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::write(&path, format!("\u{feff}{text}")).expect("write");
    }
    let (code, out) = check(pack.path());
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("0 errors, 0 warnings"), "{out}");
}

/// GitHub gives headings `X`, `X-1`, `X` the anchors `x`, `x-1`, `x-2`; the third one was `x-1`
/// twice before.
#[test]
fn repeated_headings_get_github_anchors() {
    let pack = copy_fixture();
    let note = pack.path().join("notes/limits.md");
    let text = std::fs::read_to_string(&note).expect("read");
    std::fs::write(
        &note,
        format!("{text}\n## X\n\nOne.\n\n## X-1\n\nTwo.\n\n## X\n\nThree.\n"),
    )
    .expect("write");
    let report = content::load_dir(pack.path()).expect("load");
    let anchors: Vec<&str> = report
        .pack
        .note("limits")
        .expect("limits note")
        .sections
        .iter()
        .map(|s| s.anchor.as_str())
        .collect();
    assert!(anchors.ends_with(&["x", "x-1", "x-2"]), "{anchors:?}");
}

#[test]
fn topic_weights_are_finite_and_at_most_1000() {
    for weight in ["inf", "nan", "1001", "1e308", "-1"] {
        let pack = copy_fixture();
        replace(
            &pack.path().join("pack.toml"),
            "weight = 2",
            &format!("weight = {weight}"),
        );
        let (code, out) = check(pack.path());
        assert_eq!(code, 1, "{weight}: {out}");
        assert!(
            out.contains("pack.toml:11:10: error[E002]: weight must be a number from 0 to 1000"),
            "{weight}: {out}"
        );
    }
    let pack = copy_fixture();
    replace(
        &pack.path().join("pack.toml"),
        "weight = 2",
        "weight = 1000",
    );
    assert_eq!(check(pack.path()).0, 0);
}

/// More than 200,000 items: one E020 where loading stopped, and no flood of follow-on errors.
#[test]
fn a_pack_over_the_item_limit_is_refused_once() {
    let pack = copy_fixture();
    let mut files = files_of(pack.path());
    let mut note = String::from("+++\ntopic = \"limits\"\n+++\n\n");
    note.push_str(&"# a\n".repeat(content::MAX_ITEMS + 1));
    let limits = files
        .iter_mut()
        .find(|f| f.path == "notes/limits.md")
        .expect("limits note");
    limits.bytes = note.into_bytes().into();
    let report = content::load_files(&files);
    let over: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "E020")
        .collect();
    assert_eq!(over.len(), 1, "{:?}", report.diagnostics.first());
    assert_eq!(over[0].file, "notes/limits.md");
    assert!(
        report.diagnostics.len() < 20,
        "{}",
        report.diagnostics.len()
    );
}

/// Files beyond 64 MiB in all are not read, each named.
#[test]
fn a_pack_over_64_mib_is_refused() {
    let filler: &'static [u8] = Box::leak(vec![b' '; 1024 * 1024].into_boxed_slice());
    let pack = copy_fixture();
    let mut files = files_of(pack.path());
    for i in 0..65 {
        files.push(PackFile {
            path: format!("notes/filler-{i:02}.md"),
            bytes: filler.into(),
        });
    }
    let report = content::load_files(&files);
    let over: Vec<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "E020")
        .map(|d| d.file.as_str())
        .collect();
    assert!(!over.is_empty());
    assert!(
        over.iter().all(|f| f.starts_with("notes/filler-")),
        "{over:?}"
    );
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.line >= 1 && d.column >= 1)
    );
}
