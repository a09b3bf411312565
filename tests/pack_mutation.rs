//! Loading stays total on broken input: a few hundred packs made from the real pack by
//! deterministic mutations (byte flips, truncations, deleted and duplicated lines, duplicated
//! tables, control characters) load without a panic, and every diagnostic names a file of the
//! pack at a real line and column. A sample also goes through `coldstart check` for its exit
//! code. The cargo-fuzz target in `fuzz/` explores the same ground without a bound.

use std::collections::HashMap;

use coldstart::content::{self, PackFile, Severity};

/// Mutated packs per run; the seed makes every run the same. Most are made from the first
/// [`TOPICS`] topics of the real pack (its files for them, `pack.toml` cut down to them), to keep
/// the test fast; every [`WHOLE_EVERY`]th from the whole pack.
const CASES: u64 = 300;
const TOPICS: usize = 6;
const WHOLE_EVERY: u64 = 25;

/// The real pack cut down to its first `topics` topics: `pack.toml` without the other
/// `[[topic]]` tables, and the notes, cards and questions files named after the kept topics.
fn cut_down(files: &[PackFile], topics: usize) -> Vec<PackFile> {
    let pack = files
        .iter()
        .find(|f| f.path == "pack.toml")
        .expect("pack.toml");
    let text = String::from_utf8(pack.bytes.to_vec()).expect("utf-8");
    // Tables start at lines beginning with `[`; the header comes before the first.
    let mut chunks: Vec<String> = vec![String::new()];
    for line in text.split_inclusive('\n') {
        if line.starts_with('[') {
            chunks.push(String::new());
        }
        chunks.last_mut().expect("a chunk").push_str(line);
    }
    let mut kept = Vec::new();
    let mut toml = String::new();
    for chunk in chunks {
        if chunk.starts_with("[[topic]]") {
            if kept.len() >= topics {
                continue;
            }
            let id = chunk
                .lines()
                .find_map(|l| l.strip_prefix("id = \""))
                .and_then(|l| l.strip_suffix('"'))
                .expect("topic id")
                .to_owned();
            kept.push(id);
        }
        toml.push_str(&chunk);
    }
    let mut out = vec![PackFile {
        path: "pack.toml".into(),
        bytes: toml.into_bytes().into(),
    }];
    for f in files {
        let stem = f.path.rsplit('/').next().unwrap_or_default();
        let stem = stem.split('.').next().unwrap_or_default();
        if f.path != "pack.toml" && kept.iter().any(|k| k == stem) {
            out.push(f.clone());
        }
    }
    out
}

/// splitmix64: a small, fixed generator, so the cases do not change with a `rand` upgrade.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// One mutation of `bytes`, described for the failure message.
fn mutate(bytes: &mut Vec<u8>, rng: &mut Rng) -> String {
    let len = bytes.len();
    let lines: Vec<(usize, usize)> = {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'\n' {
                out.push((start, i + 1));
                start = i + 1;
            }
        }
        if start < len {
            out.push((start, len));
        }
        out
    };
    match rng.below(8) {
        0 if len > 0 => {
            let n = 1 + rng.below(4);
            for _ in 0..n {
                let at = rng.below(len);
                bytes[at] ^= 1 << rng.below(8);
            }
            format!("{n} bit flip(s)")
        }
        1 => {
            let at = rng.below(len + 1);
            bytes.truncate(at);
            format!("truncated at {at}")
        }
        2 if !lines.is_empty() => {
            let (s, e) = lines[rng.below(lines.len())];
            bytes.drain(s..e);
            format!("deleted line at byte {s}")
        }
        3 if !lines.is_empty() => {
            let (s, e) = lines[rng.below(lines.len())];
            let line = bytes[s..e].to_vec();
            let at = lines[rng.below(lines.len())].0;
            bytes.splice(at..at, line);
            format!("copied line at byte {s} to {at}")
        }
        4 => {
            // Duplicate a whole table: the id checks and the item order see it.
            let text = String::from_utf8_lossy(bytes).into_owned();
            let starts: Vec<usize> = ["[[card]]", "[[question]]", "[[topic]]"]
                .iter()
                .flat_map(|h| text.match_indices(h).map(|(i, _)| i))
                .collect();
            if starts.is_empty() {
                bytes.extend_from_slice(b"\n[[card]]\nid = \"x\"\n");
                return "appended a card".into();
            }
            let s = starts[rng.below(starts.len())];
            let e = text[s + 2..]
                .find("\n[[")
                .map_or(text.len(), |i| s + 2 + i + 1);
            let table = bytes[s..e].to_vec();
            bytes.extend_from_slice(b"\n");
            bytes.extend_from_slice(&table);
            format!("duplicated the table at byte {s}")
        }
        5 => {
            const JUNK: [&[u8]; 8] = [
                b"\x1b[2J",
                b"\xef\xbb\xbf",
                b"\xff\xfe",
                b"\"\"\"",
                b"[[",
                b"\n+++\n",
                b"](../../../etc/passwd)",
                b"\r",
            ];
            let junk = JUNK[rng.below(JUNK.len())];
            let at = rng.below(len + 1);
            bytes.splice(at..at, junk.iter().copied());
            format!("inserted {junk:?} at {at}")
        }
        6 if len > 0 => {
            let at = rng.below(len);
            let n = (1 + rng.below(64)).min(len - at);
            bytes.drain(at..at + n);
            format!("deleted {n} bytes at {at}")
        }
        _ => {
            bytes.clear();
            "emptied".into()
        }
    }
}

fn line_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count() + 1
}

#[test]
fn mutated_packs_load_with_valid_diagnostics_and_no_panic() {
    let whole: Vec<PackFile> = content::embedded_files();
    assert!(whole.len() > 10, "the real pack is embedded");
    let small = cut_down(&whole, TOPICS);
    assert!(small.len() > TOPICS, "the cut-down pack has files");
    // Cut down, it may link to notes it no longer has; it still has cards to break.
    assert!(!content::load_files(&small).pack.cards.is_empty());
    let mut rng = Rng(0xC01D_57A7);
    let check_dir = tempfile::tempdir().expect("tempdir");
    for case in 0..CASES {
        let base = if case % WHOLE_EVERY == 0 {
            &whole
        } else {
            &small
        };
        let pack_toml = base
            .iter()
            .position(|f| f.path == "pack.toml")
            .expect("pack.toml");
        let mut files: Vec<PackFile> = base.clone();
        // One to three files mutated; pack.toml often, since everything hangs on it.
        let mut what = Vec::new();
        for _ in 0..1 + rng.below(3) {
            let i = if rng.below(4) == 0 {
                pack_toml
            } else {
                rng.below(files.len())
            };
            let mut bytes = files[i].bytes.to_vec();
            let how = mutate(&mut bytes, &mut rng);
            what.push(format!("{}: {how}", files[i].path));
            files[i].bytes = bytes.into();
        }
        let what = what.join("; ");
        let lines: HashMap<String, usize> = files
            .iter()
            .map(|f| (f.path.clone(), line_count(&f.bytes)))
            .collect();
        let sample = case % 20 == 0;
        let report = std::panic::catch_unwind(|| content::load_files(&files))
            .unwrap_or_else(|_| panic!("case {case} ({what}): the loader panicked"));
        for d in &report.diagnostics {
            let max = lines
                .get(&d.file)
                .copied()
                .unwrap_or_else(|| panic!("case {case} ({what}): `{d}` names no file of the pack"));
            assert!(
                d.line >= 1 && d.line <= max && d.column >= 1,
                "case {case} ({what}): `{d}` is outside its file ({max} lines)"
            );
            assert!(
                d.code.len() == 4 && !d.message.is_empty(),
                "case {case}: `{d}`"
            );
            assert!(
                !d.to_string().chars().any(|c| c.is_control()),
                "case {case} ({what}): `{d:?}` prints control characters"
            );
        }
        let errors = report.errors();
        assert_eq!(
            errors == 0,
            report.clone().into_valid().is_ok(),
            "case {case} ({what})"
        );
        if errors > 0 {
            assert!(
                report
                    .diagnostics
                    .iter()
                    .any(|d| d.severity == Severity::Error),
                "case {case}"
            );
        }
        // Every twentieth pack goes to disk and through `coldstart check` for its exit code.
        if sample {
            let dir = check_dir.path().join(format!("case-{case}"));
            for f in &files {
                let path = dir.join(&f.path);
                std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
                std::fs::write(&path, &f.bytes).expect("write");
            }
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let code = coldstart::cli::check::run(&dir, false, &mut out, &mut err);
            assert_eq!(
                code,
                i32::from(errors > 0),
                "case {case} ({what}): exit code; {}",
                String::from_utf8_lossy(&out)
            );
            let out = String::from_utf8(out).expect("check prints UTF-8");
            // Errors that follow from an unreadable file fold into one line per such file. From
            // a folder, a changed pack with the built-in id also gets W007.
            let report = coldstart::content::load_dir(&dir).expect("reads");
            let causes = report
                .diagnostics
                .iter()
                .filter(|d| d.follows_from.is_none())
                .count();
            let folded: std::collections::BTreeSet<_> = report
                .diagnostics
                .iter()
                .filter_map(|d| d.follows_from.as_deref())
                .collect();
            assert_eq!(
                out.lines().count(),
                causes + folded.len() + 1,
                "case {case} ({what}): one line per cause, one per folded group and a summary"
            );
        }
    }
}
