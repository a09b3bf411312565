//! `coldstart pack list | install | remove`, `pack export` of an installed pack and
//! `--pack-id`, through the real binary: exit codes 0 done, 1 refused, 2 usage.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn coldstart(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_coldstart"))
        .args(args)
        .env("COLDSTART_DATA_DIR", data)
        .output()
        .expect("run coldstart")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn mini_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini")
}

#[test]
fn the_built_in_pack_exported_installs_into_a_fresh_data_folder_and_opens_by_id() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (old, fresh) = (tmp.path().join("old"), tmp.path().join("fresh"));
    let zip = tmp.path().join("lambda.zip");
    let zip_s = zip.to_str().expect("utf-8");

    let o = coldstart(&old, &["pack", "export", "aws-lambda", "-o", zip_s]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));

    let o = coldstart(&fresh, &["pack", "install", zip_s]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(out.contains("installed aws-lambda"), "{out}");
    let installed = fresh.join("packs/aws-lambda");

    let o = coldstart(&fresh, &["check", installed.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));

    let o = coldstart(&fresh, &["--pack-id", "aws-lambda", "exams"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));

    let o = coldstart(&fresh, &["pack", "list", "--json"]);
    let (out, _) = text(&o);
    let rows: serde_json::Value = serde_json::from_str(&out).expect("json");
    let rows = rows.as_array().expect("array");
    assert_eq!(rows.len(), 2, "built-in and installed");
    assert_eq!(rows[1]["source"], "installed");
    assert_eq!(rows[0]["active"], true, "the built-in pack stays active");

    // The installed pack exports again, as the zip it came from would.
    let again = tmp.path().join("again.zip");
    let o = coldstart(
        &fresh,
        &[
            "pack",
            "export",
            "aws-lambda",
            "-o",
            again.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
}

#[test]
fn refusals_and_usage_errors_have_their_exit_codes() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");

    // A pack with an error: 1, with the diagnostic.
    let broken = tmp.path().join("broken");
    std::fs::create_dir_all(&broken).expect("mkdir");
    std::fs::write(broken.join("pack.toml"), "format = 1\nid = \"x\"\n").expect("write");
    let o = coldstart(&data, &["pack", "install", broken.to_str().expect("utf-8")]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("pack.toml"), "{err}");

    // A zip whose entry climbs: 1, naming the entry.
    let zip = tmp.path().join("evil.zip");
    {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(std::fs::File::create(&zip).expect("create"));
        w.start_file(
            "p/../../evil.toml",
            zip::write::SimpleFileOptions::default(),
        )
        .expect("start");
        w.write_all(b"x").expect("write");
        w.finish().expect("finish");
    }
    let o = coldstart(&data, &["pack", "install", zip.to_str().expect("utf-8")]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("p/../../evil.toml"), "{err}");
    assert!(!tmp.path().join("evil.toml").exists());

    // No such path, an unknown id, a missing argument: 2.
    let o = coldstart(&data, &["pack", "install", "/no/such/pack.zip"]);
    assert_eq!(o.status.code(), Some(2));
    let o = coldstart(&data, &["--pack-id", "nope", "exams"]);
    assert_eq!(o.status.code(), Some(2));
    let o = coldstart(&data, &["pack", "remove"]);
    assert_eq!(o.status.code(), Some(2));
    let o = coldstart(&data, &["pack", "remove", "nope"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn an_older_version_needs_yes_and_remove_keeps_or_deletes_progress() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let newer = tmp.path().join("newer");
    std::fs::create_dir_all(&newer).expect("mkdir");
    for f in coldstart::authoring::exchange::read_pack_files(&mini_dir()).expect("read") {
        let p = newer.join(&f.path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        let bytes = if f.path == "pack.toml" {
            String::from_utf8(f.bytes.into_owned())
                .expect("utf-8")
                .replace("version = \"1.0.0\"", "version = \"2.0.0\"")
                .into_bytes()
        } else {
            f.bytes.into_owned()
        };
        std::fs::write(p, bytes).expect("write");
    }
    let o = coldstart(&data, &["pack", "install", newer.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));

    let mini = mini_dir();
    let o = coldstart(&data, &["pack", "install", mini.to_str().expect("utf-8")]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("older") && err.contains("--yes"), "{err}");
    let o = coldstart(
        &data,
        &["pack", "install", "--yes", mini.to_str().expect("utf-8")],
    );
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));

    // Some progress on the pack.
    {
        let (store, _) = coldstart::store::Store::open_in_dir(&data).expect("store");
        store.mark_note_read("mini", "limits", 1).expect("read");
    }
    let o = coldstart(&data, &["pack", "remove", "mini"]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        out.contains("kept its progress") && out.contains("1 notes read"),
        "{out}"
    );
    assert!(!data.join("packs/mini").exists());

    let o = coldstart(&data, &["pack", "remove", "mini", "--delete-progress"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(out.contains("deleted its progress"), "{out}");
    let store = coldstart::store::Store::open_read_only(&data.join("progress.sqlite")).expect("s");
    assert!(store.pack_progress("mini").expect("p").is_empty());
}

#[test]
fn subcommands_follow_the_pack_chosen_on_the_packs_screen() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let mini = mini_dir();
    let o = coldstart(&data, &["pack", "install", mini.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    let lib = coldstart::library::Library::new(&data);
    lib.set_active(&coldstart::library::Active::Installed("mini".into()))
        .expect("active");

    let (out, _) = text(&coldstart(&data, &["exams"]));
    assert!(
        out.contains("5 in the pack"),
        "the mini pack's exams: {out}"
    );
    let (out, _) = text(&coldstart(&data, &["pack", "list"]));
    assert!(out.contains("* mini 1.0.0"), "{out}");

    // Removing the active pack hands over to the built-in one.
    let o = coldstart(&data, &["pack", "remove", "mini"]);
    assert_eq!(o.status.code(), Some(0));
    let (out, _) = text(&coldstart(&data, &["exams"]));
    assert!(!out.contains("5 in the pack"), "{out}");
}

/// Copies the built-in pack's folder with another version.
fn builtin_copy(dest: &Path, version: &str) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/aws-lambda");
    for f in coldstart::authoring::exchange::read_pack_files(&src).expect("read") {
        let p = dest.join(&f.path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        let mut bytes = f.bytes.into_owned();
        if f.path == "pack.toml" {
            let t = String::from_utf8(bytes).expect("utf-8");
            let line = t
                .lines()
                .find(|l| l.starts_with("version = "))
                .expect("version line")
                .to_owned();
            bytes = t
                .replacen(&line, &format!("version = \"{version}\""), 1)
                .into_bytes();
        }
        std::fs::write(p, bytes).expect("write");
    }
}

#[test]
fn an_install_killed_at_any_moment_leaves_the_old_version_or_the_new_one_whole() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let (v1, v2) = (tmp.path().join("v1"), tmp.path().join("v2"));
    builtin_copy(&v1, "1.0.0");
    builtin_copy(&v2, "2.0.0");
    let o = coldstart(&data, &["pack", "install", v1.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    let files = std::fs::read_dir(data.join("packs/aws-lambda/cards"))
        .expect("cards")
        .count();

    let mut seen = std::collections::BTreeSet::new();
    for delay_ms in [0u64, 20, 60, 150] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_coldstart"))
            .args(["pack", "install", "--yes", v2.to_str().expect("utf-8")])
            .env("COLDSTART_DATA_DIR", &data)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // The next start tidies up; the pack is one version or the other, whole.
        let lib = coldstart::library::Library::new(&data);
        let pack = lib.open("aws-lambda").expect("an installed version opens");
        seen.insert(pack.meta.version.clone());
        assert!(["1.0.0", "2.0.0"].contains(&pack.meta.version.as_str()));
        let now = std::fs::read_dir(data.join("packs/aws-lambda/cards"))
            .expect("cards")
            .count();
        assert_eq!(now, files, "every card file is there");
        assert_eq!(
            lib.list().expect("list").len(),
            1,
            "nothing half-made is listed"
        );
        // Back to v1 for the next round.
        let o = coldstart(
            &data,
            &["pack", "install", "--yes", v1.to_str().expect("utf-8")],
        );
        assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    }
    assert!(!seen.is_empty());
}
