//! `coldstart lint DIR [--json]`: second opinions on the writing of a pack's questions and
//! cards (codes L001…, documented in content/README.md).

use std::io::Write;
use std::path::Path;

use serde_json::json;

use crate::authoring::lint::{self, LintError};

/// Exit codes: 0 linted (findings are warnings), 1 the pack has errors (printed; run
/// `coldstart check`), 2 the folder cannot be read or output cannot be written.
pub fn run(
    dir: &Path,
    as_json: bool,
    today: jiff::civil::Date,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let findings = match lint::lint_dir(dir, today) {
        Ok(f) => f,
        Err(LintError::Io(e)) => {
            let _ = writeln!(
                err,
                "coldstart: cannot read pack folder: {e}: {}",
                dir.display()
            );
            return 2;
        }
        Err(LintError::Invalid(diags)) => {
            for d in &diags {
                let _ = writeln!(err, "{d}");
            }
            let _ = writeln!(
                err,
                "coldstart: {} has {} errors; fix what `coldstart check` reports before linting",
                dir.display(),
                diags.len()
            );
            return 1;
        }
    };
    let written = if as_json {
        let mut counts = serde_json::Map::new();
        for (code, _) in lint::RULES {
            let n = findings.iter().filter(|f| f.code == *code).count();
            if n > 0 {
                counts.insert((*code).to_owned(), json!(n));
            }
        }
        writeln!(
            out,
            "{}",
            json!({ "findings": findings, "counts": counts, "total": findings.len() })
        )
    } else {
        (|| {
            for f in &findings {
                writeln!(out, "{f}")?;
            }
            writeln!(out, "{}", summary(&findings))
        })()
    };
    if let Err(code) = super::output_written(written, "coldstart", err) {
        return code;
    }
    0
}

/// `12 findings: L001 3 (…), L008 9 (…)`, or `no findings`.
pub fn summary(findings: &[lint::Finding]) -> String {
    if findings.is_empty() {
        return "no findings".to_owned();
    }
    let parts: Vec<String> = lint::RULES
        .iter()
        .filter_map(|(code, what)| {
            let n = findings.iter().filter(|f| f.code == *code).count();
            (n > 0).then(|| format!("{code} {n} ({what})"))
        })
        .collect();
    format!("{} findings: {}", findings.len(), parts.join("; "))
}
