//! `coldstart new DIR [--id ID] [--title TITLE]`: write a starter pack.

use std::io::Write;
use std::path::Path;

use crate::authoring::scaffold;

/// Exit codes: 0 written, 2 refused (bad id, folder not empty) or an I/O error.
pub fn run(
    dir: &Path,
    id: Option<&str>,
    title: Option<&str>,
    today: jiff::civil::Date,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let id = id.map_or_else(|| scaffold::id_from_dir(dir), str::to_owned);
    let title = title.map_or_else(|| format!("{id} (a coldstart pack)"), str::to_owned);
    match scaffold::write_new(dir, &id, &title, today) {
        Ok(written) => {
            for p in &written {
                let _ = writeln!(out, "wrote {}", p.display());
            }
            let _ = writeln!(
                out,
                "Next: coldstart check {0} · coldstart lint {0} · coldstart --pack {0}",
                dir.display()
            );
            0
        }
        Err(e) => {
            let _ = writeln!(err, "coldstart: {e}");
            2
        }
    }
}
