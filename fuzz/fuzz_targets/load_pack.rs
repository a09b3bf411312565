//! The pack loader on arbitrary input: the fuzzer's bytes replace one file of the real pack
//! (the first byte picks which), or, with the first byte's top bit set, are split on NUL bytes
//! into `pack.toml`, a note, a card file and a question file of a pack of their own. Loading must
//! not panic, and every diagnostic must name a file of the pack at line ≥ 1 and column ≥ 1.
#![no_main]

use coldstart::content::{self, PackFile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let files = if first & 0x80 == 0 {
        let mut files = content::embedded_files();
        let i = usize::from(first) % files.len();
        files[i].bytes = rest.to_vec().into();
        files
    } else {
        ["pack.toml", "notes/a.md", "cards/a.toml", "questions/a.toml"]
            .into_iter()
            .zip(rest.split(|&b| b == 0))
            .map(|(path, bytes)| PackFile {
                path: path.to_owned(),
                bytes: bytes.to_vec().into(),
            })
            .collect()
    };
    let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    let report = content::load_files(files);
    for d in &report.diagnostics {
        assert!(paths.contains(&d.file), "{d:?} names no file of the pack");
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
        assert!(!d.to_string().chars().any(char::is_control), "{d:?}");
    }
    assert_eq!(report.errors() == 0, report.clone().into_valid().is_ok());
});
