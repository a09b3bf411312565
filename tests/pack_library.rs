//! The pack library: installs from folders and zips, every refusal of a hostile zip (crafted here
//! byte by byte where the zip writer would not make them), installs that fail half-way or are
//! cut short leave the library as it was, updates show what changes and keep progress by id,
//! removes keep progress unless asked, and the active pack is remembered.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use coldstart::app::AppState;
use coldstart::clock::FixedClock;
use coldstart::library::{Active, Library, LibraryError};
use coldstart::srs::Rating;
use coldstart::store::Store;
use zip::write::SimpleFileOptions;

fn mini_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini")
}

/// The mini pack's files, as (path inside the pack, bytes).
fn mini_files() -> Vec<(String, Vec<u8>)> {
    coldstart::authoring::exchange::read_pack_files(&mini_dir())
        .expect("read mini")
        .into_iter()
        .map(|f| (f.path, f.bytes.into_owned()))
        .collect()
}

/// A copy of the mini pack in a new folder, for editing.
fn mini_copy(root: &Path, name: &str) -> PathBuf {
    let dir = root.join(name);
    for (rel, bytes) in mini_files() {
        let p = dir.join(&rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
    }
    dir
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{from:?} in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

fn opts() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)
}

/// A zip of the mini pack under `prefix` (e.g. `"mini/"` or `""`) plus `extra` entries.
fn zip_with(prefix: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (rel, bytes) in mini_files() {
        w.start_file(format!("{prefix}{rel}"), opts())
            .expect("start");
        w.write_all(&bytes).expect("write");
    }
    for (name, bytes) in extra {
        w.start_file(*name, opts()).expect("start");
        w.write_all(bytes).expect("write");
    }
    w.finish().expect("finish").into_inner()
}

/// Replaces every occurrence of `from` with `to` (same length): entry names sit in both the
/// local and the central headers.
fn patch(bytes: &mut [u8], from: &[u8], to: &[u8]) {
    assert_eq!(from.len(), to.len());
    let mut hits = 0;
    let mut i = 0;
    while i + from.len() <= bytes.len() {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + from.len()].copy_from_slice(to);
            hits += 1;
            i += from.len();
        } else {
            i += 1;
        }
    }
    assert!(hits > 0, "no {:?}", String::from_utf8_lossy(from));
}

/// Changes the central directory header of entry `name`: `f` gets the header's bytes from its
/// signature on.
fn patch_central(bytes: &mut [u8], name: &str, f: impl Fn(&mut [u8])) {
    let sig = [0x50, 0x4b, 0x01, 0x02];
    for i in 0..bytes.len().saturating_sub(46) {
        if bytes[i..i + 4] == sig {
            let n = u16::from_le_bytes([bytes[i + 28], bytes[i + 29]]) as usize;
            if &bytes[i + 46..i + 46 + n] == name.as_bytes() {
                f(&mut bytes[i..]);
                return;
            }
        }
    }
    panic!("no central header for {name}");
}

struct Setup {
    _tmp: tempfile::TempDir,
    data: PathBuf,
    scratch: PathBuf,
    lib: Library,
}

fn setup() -> Setup {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let scratch = tmp.path().join("scratch");
    std::fs::create_dir_all(&data).expect("mkdir");
    std::fs::create_dir_all(&scratch).expect("mkdir");
    let lib = Library::new(&data);
    Setup {
        _tmp: tmp,
        data,
        scratch,
        lib,
    }
}

impl Setup {
    fn write_zip(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.scratch.join(name);
        std::fs::write(&p, bytes).expect("write zip");
        p
    }

    fn install(&self, src: &Path) -> Result<PathBuf, LibraryError> {
        let staged = self.lib.stage(src)?;
        self.lib.commit(staged, false)
    }

    /// Everything under `packs/`, for "the library is unchanged".
    fn tree(&self) -> Vec<String> {
        fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
            let Ok(rd) = std::fs::read_dir(dir) else {
                return;
            };
            for e in rd.flatten() {
                let p = e.path();
                let rel = p.strip_prefix(base).expect("under").display().to_string();
                let bytes = std::fs::read(&p).map(|b| b.len()).unwrap_or(0);
                out.push(format!("{rel} {bytes}"));
                if p.is_dir() {
                    walk(&p, base, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.lib.root(), &self.lib.root(), &mut out);
        out.sort();
        out
    }
}

/// Expects the zip to be refused naming `entry`, and nothing to be installed.
fn assert_refused(s: &Setup, zip: &[u8], entry: &str, why: &str) {
    let before = s.tree();
    let path = s.write_zip("bad.zip", zip);
    match s.lib.stage(&path) {
        Err(LibraryError::Unsafe { entry: e, reason }) => {
            assert_eq!(e, entry, "{reason}");
            assert!(reason.contains(why), "{reason:?} should say {why:?}");
        }
        Err(other) => panic!("expected a refusal naming {entry}, got {other}"),
        Ok(_) => panic!("{entry} was not refused"),
    }
    assert_eq!(s.tree(), before, "nothing is left behind");
    assert!(s.lib.list().expect("list").is_empty());
}

#[test]
fn installs_from_a_folder_and_from_zips_at_the_root_or_one_folder_down() {
    let s = setup();
    let dir = s.install(&mini_dir()).expect("install folder");
    assert_eq!(dir, s.data.join("packs/mini"));
    let listed = s.lib.list().expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(
        listed[0].pack.as_ref().expect("loads").meta.title,
        "Mini pack"
    );
    s.lib.remove("mini").expect("remove");

    let z = s.write_zip(
        "down.zip",
        &zip_with(
            "mini-pack/",
            &[
                ("mini-pack/README.md", b"hello"),
                ("__MACOSX/mini-pack/._pack.toml", b"x"),
            ],
        ),
    );
    let staged = s.lib.stage(&z).expect("stage");
    assert_eq!(staged.ignored, vec!["README.md".to_owned()]);
    s.lib.commit(staged, false).expect("commit");
    assert!(s.lib.is_installed("mini"));
    assert!(
        !s.data.join("packs/mini/README.md").exists(),
        "only pack files"
    );
    s.lib.remove("mini").expect("remove");

    let z = s.write_zip("root.zip", &zip_with("", &[]));
    s.install(&z).expect("zip at the root");
    assert_eq!(s.lib.open("mini").expect("open").cards.len(), 5);
}

#[test]
fn names_that_climb_or_are_absolute_are_refused() {
    let s = setup();
    for (placeholder, bad, why) in [
        ("mini/XXXevil.md", "mini/../evil.md", "'..'"),
        ("Xetc/evil.toml", "/etc/evil.toml", "absolute"),
        ("XXevil.toml", "C:evil.toml", "drive letter"),
        ("mini/XXXevil.md", "mini\\..\\evil.md", "backslash"),
    ] {
        let mut z = zip_with("mini/", &[(placeholder, b"x")]);
        patch(&mut z, placeholder.as_bytes(), bad.as_bytes());
        assert_refused(&s, &z, bad, why);
    }
}

#[test]
fn links_and_other_non_regular_entries_are_refused() {
    let s = setup();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (rel, bytes) in mini_files() {
        w.start_file(format!("mini/{rel}"), opts()).expect("start");
        w.write_all(&bytes).expect("write");
    }
    w.add_symlink("mini/notes/link.md", "/etc/passwd", opts())
        .expect("symlink");
    let z = w.finish().expect("finish").into_inner();
    assert_refused(&s, &z, "mini/notes/link.md", "symbolic link");

    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    w.start_file("mini/pack.toml", opts()).expect("start");
    w.write_all(b"x").expect("write");
    let fifo = opts().external_attributes(0o010_644 << 16);
    w.start_file("mini/notes/fifo.md", fifo).expect("start");
    let z = w.finish().expect("finish").into_inner();
    assert_refused(&s, &z, "mini/notes/fifo.md", "FIFO");
}

#[test]
fn too_many_entries_are_refused() {
    let s = setup();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..=coldstart::library::unzip::MAX_ENTRIES {
        w.start_file(format!("mini/x/{i}"), stored).expect("start");
    }
    let z = w.finish().expect("finish").into_inner();
    assert_refused(&s, &z, "(the whole zip)", "20000");
}

#[test]
fn zip_bombs_are_refused() {
    let s = setup();
    // One entry that grows a thousandfold.
    let zeros = vec![0u8; 1024 * 1024];
    let z = zip_with("mini/", &[("mini/notes/zeros.md", &zeros)]);
    assert_refused(&s, &z, "mini/notes/zeros.md", "more than 100 times");

    // Entries that each grow little but claim more than 100 MiB together: the sizes are
    // declared in the central directory, patched here to 60 MiB each.
    let noise: Vec<u8> = (0..700_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for name in ["mini/pack.toml", "mini/a.bin", "mini/b.bin"] {
        w.start_file(name, stored).expect("start");
        w.write_all(&noise).expect("write");
    }
    let mut z = w.finish().expect("finish").into_inner();
    for name in ["mini/a.bin", "mini/b.bin"] {
        patch_central(&mut z, name, |h| {
            h[24..28].copy_from_slice(&(60u32 * 1024 * 1024).to_le_bytes());
        });
    }
    assert_refused(&s, &z, "mini/b.bin", "100 MiB");
}

#[test]
fn duplicate_entries_are_refused() {
    let s = setup();
    let mut z = zip_with("mini/", &[("mini/cards/all.tomX", b"[[card]]")]);
    patch(&mut z, b"mini/cards/all.tomX", b"mini/cards/all.toml");
    assert_refused(&s, &z, "(the whole zip)", "same name");

    // Names that differ only in case collide on macOS and Windows.
    let z = zip_with("mini/", &[("mini/cards/ALL.toml", b"[[card]]")]);
    assert_refused(&s, &z, "mini/cards/ALL.toml", "differ only in case");
}

#[test]
fn encrypted_entries_are_refused() {
    let s = setup();
    let mut z = zip_with("mini/", &[]);
    patch_central(&mut z, "mini/notes/limits.md", |h| h[8] |= 1);
    assert_refused(&s, &z, "mini/notes/limits.md", "encrypted");
}

#[test]
fn a_pack_folder_deeper_than_one_folder_or_missing_is_refused() {
    let s = setup();
    let z = zip_with("outer/inner/", &[]);
    assert_refused(&s, &z, "outer/inner/pack.toml", "one folder down");

    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    w.start_file("notes.txt", opts()).expect("start");
    let z = s.write_zip("none.zip", &w.finish().expect("finish").into_inner());
    assert!(matches!(s.lib.stage(&z), Err(LibraryError::NotAPack(_))));

    // Two packs side by side: which one is meant is not clear.
    let mut z = zip_with("a/", &[]);
    let b = zip_with("b/", &[]);
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for zz in [&z, &b] {
        let mut r = zip::ZipArchive::new(Cursor::new(zz.clone())).expect("read");
        for i in 0..r.len() {
            w.raw_copy_file(r.by_index(i).expect("entry"))
                .expect("copy");
        }
    }
    z = w.finish().expect("finish").into_inner();
    let z = s.write_zip("two.zip", &z);
    match s.lib.stage(&z) {
        Err(LibraryError::NotAPack(m)) => assert!(m.contains("more than one pack"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert!(s.tree().is_empty());
}

#[test]
fn a_pack_with_errors_is_refused_with_its_diagnostics() {
    let s = setup();
    let dir = mini_copy(&s.scratch, "broken");
    edit(
        &dir.join("cards/all.toml"),
        "source = \"limits#memory\"",
        "source = \"limits#nope\"",
    );
    match s.lib.stage(&dir) {
        Err(LibraryError::Invalid(diags)) => {
            assert!(
                diags.iter().any(|d| d.file == "cards/all.toml"),
                "{diags:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        s.tree().is_empty(),
        "nothing installed, nothing left behind"
    );
}

#[test]
fn a_folder_with_a_link_is_refused() {
    let s = setup();
    let dir = mini_copy(&s.scratch, "linked");
    std::fs::write(
        s.scratch.join("secret.md"),
        "+++\ntopic = \"limits\"\n+++\n# x\n",
    )
    .expect("w");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(s.scratch.join("secret.md"), dir.join("notes/extra.md"))
            .expect("symlink");
        match s.lib.stage(&dir) {
            Err(LibraryError::Unsafe { entry, .. }) => assert_eq!(entry, "notes/extra.md"),
            other => panic!("{other:?}"),
        }
        assert!(s.tree().is_empty());
    }
}

#[test]
fn an_install_that_fails_half_way_or_is_cut_short_leaves_the_library_as_it_was() {
    let s = setup();
    s.install(&mini_dir()).expect("install v1");
    let before = s.tree();

    // A zip of a newer version whose last entry is damaged: the earlier entries are unpacked,
    // then the damage is found.
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (rel, bytes) in mini_files() {
        w.start_file(format!("mini/{rel}"), opts()).expect("start");
        w.write_all(&bytes).expect("write");
    }
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("mini/notes/z.md", stored).expect("start");
    w.write_all(b"the last entry's text").expect("write");
    let mut z = w.finish().expect("finish").into_inner();
    patch(&mut z, b"the last entry's text", b"the last entry's TEXT");
    let path = s.write_zip("damaged.zip", &z);
    let err = s.lib.stage(&path).expect_err("damaged");
    assert!(err.to_string().contains("mini/notes/z.md"), "{err}");
    assert_eq!(s.tree(), before);

    // Staged but never committed (the app closed at the confirmation).
    let staged = s.lib.stage(&mini_dir()).expect("stage");
    drop(staged);
    assert_eq!(s.tree(), before);

    // Killed while unpacking: a staging folder is left; the library does not list it.
    let leftover = s.lib.root().join(".install-12345");
    std::fs::create_dir_all(leftover.join("notes")).expect("mkdir");
    std::fs::write(leftover.join("pack.toml"), "half").expect("w");
    assert_eq!(s.lib.list().expect("list").len(), 1);
    assert!(s.lib.open("mini").is_ok());
    std::fs::remove_dir_all(&leftover).expect("rm");

    // Killed between moving the old version aside and moving the new one in: the next start
    // puts the old one back.
    std::fs::rename(
        s.lib.root().join("mini"),
        s.lib.root().join(".old-mini-999"),
    )
    .expect("mv");
    let lib = Library::new(&s.data);
    assert_eq!(s.tree(), before);
    assert_eq!(lib.open("mini").expect("back").meta.version, "1.0.0");
}

fn store_state(data: &Path, pack: coldstart::content::Pack) -> AppState {
    let (store, _) = Store::open_in_dir(data).expect("store");
    let clock = Arc::new(FixedClock::new("2026-11-26T10:00:00Z".parse().expect("ts")));
    let mut s = AppState::new(Arc::new(pack), store, clock).expect("state");
    s.set_review_time_zone(jiff::tz::TimeZone::UTC);
    s
}

#[test]
fn an_update_shows_what_changes_and_keeps_progress_by_id() {
    let s = setup();
    s.install(&mini_dir()).expect("install v1");
    {
        let mut state = store_state(&s.data, s.lib.open("mini").expect("v1"));
        for id in ["limits-memory-range", "limits-timeout-max"] {
            let index = state
                .pack
                .cards
                .iter()
                .position(|c| c.id == id)
                .expect("card");
            state
                .answer_card(index, Rating::Good, jiff::SignedDuration::from_secs(3))
                .expect("answer");
        }
    }

    let v2 = mini_copy(&s.scratch, "v2");
    edit(
        &v2.join("pack.toml"),
        "version = \"1.0.0\"",
        "version = \"1.1.0\"",
    );
    let cards = v2.join("cards/all.toml");
    edit(&cards, "What memory range", "Which memory range");
    edit(
        &cards,
        "id = \"limits-timeout-max\"",
        "id = \"limits-timeout-longest\"",
    );
    let staged = s.lib.stage(&v2).expect("stage v2");
    let r = staged.replaces.as_ref().expect("replaces v1");
    assert_eq!(r.version, "1.0.0");
    assert_eq!(r.diff.added, vec!["card:limits-timeout-longest"]);
    assert_eq!(r.diff.removed, vec!["card:limits-timeout-max"]);
    assert_eq!(r.diff.changed, vec!["card:limits-memory-range"]);
    assert!(
        staged.needs_confirmation().is_empty(),
        "a newer version by the same author"
    );
    s.lib.commit(staged, false).expect("update");

    let state = store_state(&s.data, s.lib.open("mini").expect("v2"));
    assert_eq!(state.pack.meta.version, "1.1.0");
    let changed = state
        .pack
        .cards
        .iter()
        .position(|c| c.id == "limits-memory-range")
        .expect("kept");
    assert!(
        state.reviews.card_states()[changed].is_some(),
        "progress kept by id"
    );
    let added = state
        .pack
        .cards
        .iter()
        .position(|c| c.id == "limits-timeout-longest")
        .expect("added");
    assert!(
        state.reviews.card_states()[added].is_none(),
        "a new card is new"
    );
    let kept = state.store.card_states("mini").expect("states");
    assert!(
        kept.contains_key("limits-timeout-max"),
        "a removed card's history stays"
    );
    assert_eq!(
        state.store.pack_progress("mini").expect("p").cards_studied,
        2
    );
}

#[test]
fn an_older_version_or_another_author_asks_first() {
    let s = setup();
    let v2 = mini_copy(&s.scratch, "v2");
    edit(
        &v2.join("pack.toml"),
        "version = \"1.0.0\"",
        "version = \"2.0.0\"",
    );
    s.install(&v2).expect("install v2");

    let staged = s.lib.stage(&mini_dir()).expect("stage v1");
    assert!(staged.replaces.as_ref().expect("r").older);
    match s.lib.commit(staged, false) {
        Err(LibraryError::NeedsConfirmation(why)) => assert!(why[0].contains("older"), "{why:?}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(s.lib.open("mini").expect("still v2").meta.version, "2.0.0");
    let staged = s.lib.stage(&mini_dir()).expect("stage v1");
    s.lib.commit(staged, true).expect("confirmed");
    assert_eq!(s.lib.open("mini").expect("v1").meta.version, "1.0.0");

    // Naming an author where the installed pack named none does not ask.
    let ada = mini_copy(&s.scratch, "ada");
    edit(
        &ada.join("pack.toml"),
        "version = \"1.0.0\"",
        "version = \"1.0.0\"\nauthors = [\"Ada\"]",
    );
    let staged = s.lib.stage(&ada).expect("stage");
    assert!(staged.needs_confirmation().is_empty());
    s.lib.commit(staged, false).expect("no need to confirm");

    let other = mini_copy(&s.scratch, "other");
    edit(
        &other.join("pack.toml"),
        "version = \"1.0.0\"",
        "version = \"1.0.1\"\nauthors = [\"Mallory\"]",
    );
    let staged = s.lib.stage(&other).expect("stage");
    let why = staged.needs_confirmation();
    assert!(why.iter().any(|w| w.contains("Mallory")), "{why:?}");
    assert!(matches!(
        s.lib.commit(staged, false),
        Err(LibraryError::NeedsConfirmation(_))
    ));
}

#[test]
fn remove_keeps_progress_unless_asked_and_forgets_the_active_pack() {
    let s = setup();
    s.install(&mini_dir()).expect("install");
    s.lib
        .set_active(&Active::Installed("mini".into()))
        .expect("active");
    assert_eq!(
        Library::new(&s.data).active(),
        Active::Installed("mini".into())
    );
    {
        let mut state = store_state(&s.data, s.lib.open("mini").expect("pack"));
        state
            .answer_card(0, Rating::Good, jiff::SignedDuration::from_secs(3))
            .expect("answer");
        state.mark_note_read("limits");
    }
    s.lib.remove("mini").expect("remove");
    assert!(!s.lib.is_installed("mini"));
    assert_eq!(
        s.lib.active(),
        Active::BuiltIn,
        "the built-in pack takes over"
    );
    let (mut store, _) = Store::open_in_dir(&s.data).expect("store");
    let p = store.pack_progress("mini").expect("progress");
    assert_eq!(
        (p.cards_studied, p.reviews, p.notes_read),
        (1, 1, 1),
        "progress stays"
    );

    // Reinstalled, the progress is there again; deleting it is a separate, explicit step.
    let lost = store.delete_pack_progress("mini").expect("delete");
    assert_eq!(lost.reviews, 1);
    assert!(store.pack_progress("mini").expect("p").is_empty());
    assert!(matches!(
        s.lib.remove("mini"),
        Err(LibraryError::NotInstalled(_))
    ));
}
