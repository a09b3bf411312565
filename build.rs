//! Embeds the default content pack (`content/aws-lambda/`) in the binary, so the app needs no
//! files beside it. Only the files a pack is made of are embedded; validation happens at run time
//! (and in the test suite), not here.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/aws-lambda");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    if root.join("pack.toml").is_file() {
        files.push("pack.toml".to_owned());
    }
    for (sub, ext) in [("notes", "md"), ("cards", "toml"), ("questions", "toml")] {
        let dir = root.join(sub);
        println!("cargo:rerun-if-changed={}", dir.display());
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.ends_with(&format!(".{ext}")) && !n.starts_with('.'))
            .collect();
        names.sort();
        files.extend(names.into_iter().map(|n| format!("{sub}/{n}")));
    }
    let mut out = String::from("pub static FILES: &[(&str, &[u8])] = &[\n");
    for f in &files {
        let abs = root.join(f);
        println!("cargo:rerun-if-changed={}", abs.display());
        writeln!(
            out,
            "    ({f:?}, include_bytes!({:?})),",
            abs.display().to_string()
        )
        .expect("writing to a String");
    }
    out.push_str("];\n");
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_pack.rs");
    std::fs::write(dest, out).expect("writing embedded_pack.rs");
}
