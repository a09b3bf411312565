//! Problems found in a pack, each pinned to `file:line:col`.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem in a pack. Codes are listed in `content/README.md`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path relative to the pack folder, with `/` separators.
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, counted in characters.
    pub column: usize,
    pub severity: Severity,
    pub code: &'static str,
    /// What went wrong, without the hint.
    pub message: String,
    /// A likely fix ("did you mean `limits#timeout`?"), printed after the message.
    pub hint: Option<String>,
    /// For an error that follows from another file being unreadable (a card naming a topic of a
    /// `pack.toml` that does not parse), that file: `check` folds these into one line.
    pub follows_from: Option<String>,
}

/// `file:line:col: severity[CODE]: message`, with control characters in the file name and the
/// message escaped (see [`printable`]): pack text printed to a terminal can neither run
/// terminal commands nor forge diagnostic lines.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}[{}]: {}",
            printable(&self.file),
            self.line,
            self.column,
            self.severity.as_str(),
            self.code,
            printable(&self.message)
        )?;
        match &self.hint {
            Some(hint) => write!(f, "; {}", printable(hint)),
            None => Ok(()),
        }
    }
}

/// A TOML syntax error in words: toml says only "duplicate key", so the key is read from the
/// text at the error's span (`duplicate key "weight"`).
pub(crate) fn toml_syntax(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim();
    if message == "duplicate key"
        && let Some(key) = e.span().and_then(|s| text.get(s))
    {
        let key = key.trim().trim_matches(['"', '\'']);
        return format!("duplicate key \"{key}\"");
    }
    message.to_owned()
}

/// `text` safe to print to a terminal: control characters (C0 such as ESC and newline, DEL, C1)
/// and the invisible bidirectional-text controls become `\u{…}` escapes; everything else is
/// unchanged. Text from a pack goes through this before it is printed as plain text; the JSON
/// form escapes control characters by itself.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    fn unsafe_char(c: char) -> bool {
        c.is_control()
            || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    }
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Turns byte offsets of one file into line and column numbers. Built once per file; each
/// lookup is a binary search plus a scan of at most [`CHUNK`] bytes, so a file with one very long
/// line and many problems on it is not read again for each problem.
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    /// Characters before byte `k * CHUNK`, for every `k` (empty for ASCII text, where characters
    /// and bytes are the same).
    chunk_chars: Vec<usize>,
}

/// Granularity of [`LineIndex`]'s character counts.
const CHUNK: usize = 1024;

/// Characters starting in `bytes` (UTF-8 continuation bytes are not counted).
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut chunk_chars = Vec::new();
        if !text.is_ascii() {
            let mut before = 0;
            for chunk in text.as_bytes().chunks(CHUNK) {
                chunk_chars.push(before);
                before += char_starts(chunk);
            }
            chunk_chars.push(before);
        }
        Self {
            text,
            line_starts,
            chunk_chars,
        }
    }

    /// Characters before byte `offset` (at most the text's length).
    fn chars_before(&self, offset: usize) -> usize {
        if self.chunk_chars.is_empty() {
            return offset;
        }
        let k = offset / CHUNK;
        let counted = self.chunk_chars.get(k).copied().unwrap_or(0);
        counted
            + char_starts(
                self.text
                    .as_bytes()
                    .get(k * CHUNK..offset)
                    .unwrap_or_default(),
            )
    }

    /// 1-based line and character column of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.chars_before(offset) - self.chars_before(start);
        (line + 1, column + 1)
    }
}

/// Collects diagnostics for one file at a time.
pub(crate) struct Sink {
    pub diagnostics: Vec<Diagnostic>,
}

impl Sink {
    pub fn new() -> Self {
        Self {
            diagnostics: Vec::new(),
        }
    }

    pub fn push(
        &mut self,
        file: &str,
        index: Option<&LineIndex<'_>>,
        offset: usize,
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
    ) {
        let (line, column) = index.map_or((1, 1), |i| i.position(offset));
        // A "did you mean" written into the message becomes the hint, so `--json` has it apart.
        let message = message.into();
        let (message, hint) = match message.split_once("; did you mean ") {
            Some((m, h)) => (m.to_owned(), Some(format!("did you mean {h}"))),
            None => (message, None),
        };
        self.diagnostics.push(Diagnostic {
            file: file.to_owned(),
            line,
            column,
            severity,
            code,
            message,
            hint,
            follows_from: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_for_the_terminal() {
        assert_eq!(printable("plain — text"), "plain — text");
        assert_eq!(
            printable("a\u{1b}]0;owned\u{7}b\nc\u{202e}d"),
            "a\\u{1b}]0;owned\\u{7}b\\u{a}c\\u{202e}d"
        );
        let d = Diagnostic {
            file: "cards/x\n.toml".into(),
            line: 1,
            column: 1,
            severity: Severity::Error,
            code: "E001",
            message: "topic `\u{1b}[2J`".into(),
            hint: None,
            follows_from: None,
        };
        assert_eq!(
            d.to_string(),
            "cards/x\\u{a}.toml:1:1: error[E001]: topic `\\u{1b}[2J`"
        );
    }

    #[test]
    fn positions_count_characters_from_the_line_start() {
        let text = format!("a\n{}é🙂x\r\nz", "ü".repeat(3000));
        let index = LineIndex::new(&text);
        assert_eq!(index.position(0), (1, 1));
        assert_eq!(index.position(2), (2, 1));
        let x = text.find('x').expect("x");
        assert_eq!(index.position(x), (2, 3003));
        let z = text.find('z').expect("z");
        assert_eq!(index.position(z), (3, 1));
        assert_eq!(index.position(usize::MAX), (3, 2));
        let ascii = LineIndex::new("ab\ncd");
        assert_eq!(ascii.position(4), (2, 2));
    }
}
