//! Loading a pack from a folder or from the files embedded in the binary, and validating it.
//!
//! Loading never stops at the first problem: every file is read, every item is checked, and
//! each problem becomes a [`Diagnostic`] with its `file:line:col`. What parsed cleanly still ends
//! up in the returned [`Pack`], so `coldstart check --json` can count it.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;
use serde::de::{DeserializeOwned, IntoDeserializer};
use toml::de::{DeTable, DeValue};

use super::diagnostic::{Diagnostic, LineIndex, Severity, Sink};
use super::markdown::{self, LinkTarget, Reference};
use super::model::*;
use super::raw::*;

/// Files larger than this are refused: a pack is untrusted input.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The pack format this build reads.
pub const FORMAT: i64 = 1;

/// The simulators a note may point at.
pub const SIMULATORS: &[&str] = &["retry", "traffic", "concurrency", "sqs", "kinesis"];

/// One file of a pack: its path relative to the pack folder, with `/` separators.
#[derive(Clone, Debug)]
pub struct PackFile {
    pub path: String,
    pub bytes: Cow<'static, [u8]>,
}

/// What loading produced: the pack (as much of it as parsed) and every problem found.
#[derive(Clone, Debug)]
pub struct Report {
    pub pack: Pack,
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// The pack, if it has no errors (warnings are fine).
    pub fn into_valid(self) -> Result<Pack, InvalidPack> {
        if self.errors() == 0 {
            Ok(self.pack)
        } else {
            Err(InvalidPack {
                diagnostics: self
                    .diagnostics
                    .into_iter()
                    .filter(|d| d.severity == Severity::Error)
                    .collect(),
            })
        }
    }
}

/// A pack that has errors, with all of them.
#[derive(Clone, Debug, thiserror::Error)]
#[error("the pack has {} error(s); the first: {}", .diagnostics.len(), .diagnostics.first().map(|d| d.to_string()).unwrap_or_default())]
pub struct InvalidPack {
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads a pack folder. Only `pack.toml`, `notes/*.md`, `cards/*.toml` and `questions/*.toml`
/// are read; symbolic links and oversized files are refused. A file or subfolder that cannot be
/// read is a diagnostic naming it. An `Err` means the folder itself could not be read (a usage or
/// I/O problem, not a pack problem).
pub fn load_dir(dir: &Path) -> std::io::Result<Report> {
    let meta = std::fs::metadata(dir)?;
    if !meta.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotADirectory,
            format!("{} is not a folder", dir.display()),
        ));
    }
    let mut sink = Sink::new();
    let mut files = Vec::new();
    read_one(dir, "pack.toml", &mut files, &mut sink);
    for (sub, ext) in [("notes", "md"), ("cards", "toml"), ("questions", "toml")] {
        let path = dir.join(sub);
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.file_type().is_symlink() {
            sink.push(
                sub,
                None,
                0,
                Severity::Error,
                "E009",
                "symbolic links are not followed: a pack cannot reach outside its folder",
            );
            continue;
        }
        if !meta.is_dir() {
            continue;
        }
        let entries = match std::fs::read_dir(&path) {
            Ok(entries) => entries,
            Err(e) => {
                sink.push(
                    sub,
                    None,
                    0,
                    Severity::Error,
                    "E001",
                    format!("cannot list the folder: {e}"),
                );
                continue;
            }
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.ends_with(&format!(".{ext}")) && !n.starts_with('.'))
            .collect();
        names.sort();
        for name in names {
            read_one(dir, &format!("{sub}/{name}"), &mut files, &mut sink);
        }
    }
    Ok(load(files, sink))
}

/// Reads one file of the pack, or says in `sink` why it was not read.
fn read_one(dir: &Path, rel: &str, files: &mut Vec<PackFile>, sink: &mut Sink) {
    let path = dir.join(rel);
    let mut refuse =
        |code, message: String| sink.push(rel, None, 0, Severity::Error, code, message);
    let meta = match std::fs::symlink_metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
        Err(e) => return refuse("E001", format!("cannot read the file: {e}")),
    };
    if meta.file_type().is_symlink() {
        refuse(
            "E009",
            "symbolic links are not followed: a pack cannot reach outside its folder".into(),
        );
    } else if meta.len() > MAX_FILE_BYTES {
        refuse(
            "E008",
            format!(
                "file is {} bytes; the limit is {MAX_FILE_BYTES} (1 MiB)",
                meta.len()
            ),
        );
    } else if meta.is_file() {
        match std::fs::read(&path) {
            Ok(bytes) => files.push(PackFile {
                path: rel.to_owned(),
                bytes: Cow::Owned(bytes),
            }),
            Err(e) => refuse("E001", format!("cannot read the file: {e}")),
        }
    }
}

fn sort_diagnostics(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity).cmp(&(&b.file, b.line, b.column, b.severity))
    });
}

/// Parses and validates a pack given as files (from a folder or embedded in the binary).
pub fn load_files(files: Vec<PackFile>) -> Report {
    load(files, Sink::new())
}

/// Parses and validates `files`; `sink` already holds what went wrong reading the folder (files
/// refused or unreadable), which the checks below take into account.
fn load(files: Vec<PackFile>, mut sink: Sink) -> Report {
    let mut pack = Pack::default();
    let mut texts: Vec<(String, String)> = Vec::new();
    for f in &files {
        if f.bytes.len() as u64 > MAX_FILE_BYTES {
            sink.push(
                &f.path,
                None,
                0,
                Severity::Error,
                "E008",
                format!(
                    "file is {} bytes; the limit is {MAX_FILE_BYTES} (1 MiB)",
                    f.bytes.len()
                ),
            );
            continue;
        }
        match std::str::from_utf8(&f.bytes) {
            Ok(t) => texts.push((f.path.clone(), t.to_owned())),
            Err(e) => sink.push(
                &f.path,
                None,
                0,
                Severity::Error,
                "E001",
                format!("not valid UTF-8 (at byte {})", e.valid_up_to()),
            ),
        }
    }

    let mut topic_spans: Vec<(usize, String)> = Vec::new();
    match texts.iter().find(|(p, _)| p == "pack.toml") {
        Some((path, text)) => parse_pack_toml(path, text, &mut pack, &mut topic_spans, &mut sink),
        None => {
            // A pack.toml that was refused or did not decode has its own diagnostic already.
            if !sink.diagnostics.iter().any(|d| d.file == "pack.toml") {
                sink.push(
                    "pack.toml",
                    None,
                    0,
                    Severity::Error,
                    "E001",
                    "pack.toml not found: a pack folder starts with pack.toml",
                );
            }
        }
    }
    let topic_ids: HashSet<String> = pack.topics.iter().map(|t| t.id.clone()).collect();

    // Notes first: sources and links are checked against their sections.
    let mut links: Vec<FoundLink> = Vec::new();
    let mut notes_by_topic: HashMap<String, Note> = HashMap::new();
    for (path, text) in texts.iter().filter(|(p, _)| p.starts_with("notes/")) {
        let index = LineIndex::new(text);
        let Some(parsed) = markdown::parse_note(path, text, &index, &mut sink) else {
            continue;
        };
        let (fm_topic, fm_offset) = parsed.topic.clone();
        // A note that is refused below is still scanned, but its links to notes are not
        // resolved: where `#section` points depends on the topic it was refused for.
        let accepted = topic_ids.contains(&fm_topic) && !notes_by_topic.contains_key(&fm_topic);
        Checker {
            path,
            text,
            index: &index,
            sink: &mut sink,
            pack: &pack,
        }
        .markdown(
            &parsed.body,
            |offset| parsed.body_start + offset,
            accepted.then_some(fm_topic.as_str()),
            &mut links,
        );
        if let Some((sim, offset)) = &parsed.simulator
            && !SIMULATORS.contains(&sim.as_str())
        {
            sink.push(
                path,
                Some(&index),
                *offset,
                Severity::Error,
                "E002",
                format!(
                    "unknown simulator `{sim}`; expected one of {}",
                    SIMULATORS.join(", ")
                ),
            );
        }
        if !topic_ids.contains(&fm_topic) {
            sink.push(
                path,
                Some(&index),
                fm_offset,
                Severity::Error,
                "E010",
                format!("note for unknown topic `{fm_topic}` (not in pack.toml)"),
            );
            continue;
        }
        if notes_by_topic.contains_key(&fm_topic) {
            sink.push(
                path,
                Some(&index),
                fm_offset,
                Severity::Error,
                "E010",
                format!(
                    "a second note for topic `{fm_topic}` (also in {})",
                    notes_by_topic[&fm_topic].path
                ),
            );
            continue;
        }
        let title = parsed
            .sections
            .first()
            .map(|s| s.title.clone())
            .or_else(|| pack.topic(&fm_topic).map(|t| t.title.clone()))
            .unwrap_or_default();
        notes_by_topic.insert(
            fm_topic.clone(),
            Note {
                topic: fm_topic,
                path: path.clone(),
                title,
                body: parsed.body,
                sections: parsed.sections,
                simulator: parsed.simulator.map(|(s, _)| s),
            },
        );
    }
    for (offset, id) in &topic_spans {
        match notes_by_topic.remove(id) {
            Some(note) => pack.notes.push(note),
            None => {
                let index = texts
                    .iter()
                    .find(|(p, _)| p == "pack.toml")
                    .map(|(_, t)| LineIndex::new(t));
                sink.push(
                    "pack.toml",
                    index.as_ref(),
                    *offset,
                    Severity::Error,
                    "E010",
                    format!(
                        "topic `{id}` has no note (expected notes/{id}.md with `topic = \"{id}\"`)"
                    ),
                );
            }
        }
    }

    let mut cited: HashSet<SectionRef> = HashSet::new();
    let mut card_ids: HashMap<String, String> = HashMap::new();
    let mut question_ids: HashMap<String, String> = HashMap::new();
    for (path, text) in texts.iter().filter(|(p, _)| p.starts_with("cards/")) {
        let index = LineIndex::new(text);
        for (raw, _) in parse_items::<RawCard>(path, text, &index, "card", &mut sink) {
            let mut check = Checker {
                path,
                text,
                index: &index,
                sink: &mut sink,
                pack: &pack,
            };
            let dup = check.duplicate(&raw.id, &mut card_ids, "card");
            check.topic(&raw.topic);
            for (field, name) in [(&raw.front, "front"), (&raw.back, "back")] {
                check.nonempty(field, name);
                check.field_markdown(field, raw.topic.get_ref(), &mut links);
            }
            let source = check.source(&raw.source);
            let refs = check.refs(&raw.refs);
            let verified = check.verified(raw.verified.as_ref());
            if let (false, Some(source)) = (dup, source) {
                cited.insert(source.clone());
                pack.cards.push(Card {
                    id: raw.id.into_inner(),
                    topic: raw.topic.into_inner(),
                    front: raw.front.into_inner(),
                    back: raw.back.into_inner(),
                    source,
                    tags: raw.tags,
                    refs,
                    verified,
                });
            }
        }
    }
    for (path, text) in texts.iter().filter(|(p, _)| p.starts_with("questions/")) {
        let index = LineIndex::new(text);
        for (raw, _) in parse_items::<RawQuestion>(path, text, &index, "question", &mut sink) {
            let mut check = Checker {
                path,
                text,
                index: &index,
                sink: &mut sink,
                pack: &pack,
            };
            let dup = check.duplicate(&raw.id, &mut question_ids, "question");
            check.topic(&raw.topic);
            let mut fields = vec![(&raw.stem, "stem"), (&raw.explanation, "explanation")];
            for c in raw.choices.get_ref() {
                fields.extend([(&c.text, "choice text"), (&c.why, "why")]);
            }
            for (field, name) in fields {
                check.nonempty(field, name);
                check.field_markdown(field, raw.topic.get_ref(), &mut links);
            }
            let source = check.source(&raw.source);
            let refs = check.refs(&raw.refs);
            let verified = check.verified(raw.verified.as_ref());
            let kind = match raw.kind.get_ref() {
                RawKind::Single => QuestionKind::Single,
                RawKind::Multi => QuestionKind::Multi,
            };
            let choices = raw.choices.get_ref();
            let correct = choices.iter().filter(|c| c.correct).count();
            let shape_error = match kind {
                QuestionKind::Single if correct != 1 => Some(format!(
                    "a single-answer question needs exactly one correct choice; it has {correct}"
                )),
                QuestionKind::Multi if correct < 2 => Some(format!(
                    "a multiple-response question needs at least two correct choices; it has {correct}"
                )),
                QuestionKind::Multi if correct >= choices.len() => {
                    Some("a multiple-response question needs at least one wrong choice".to_owned())
                }
                _ if choices.len() < 2 => Some("a question needs at least two choices".to_owned()),
                _ if choices.len() > 9 => Some(
                    "a question can have at most nine choices (keys 1–9 select them)".to_owned(),
                ),
                _ => None,
            };
            if let Some(message) = &shape_error {
                let offset = raw.kind.span().start;
                check.error(offset, "E006", message.clone());
            }
            if let Some(d) = &raw.difficulty
                && !(1..=3).contains(d.get_ref())
            {
                check.error(d.span().start, "E002", "difficulty must be 1, 2 or 3");
            }
            if let (false, Some(source), None) = (dup, source, shape_error) {
                cited.insert(source.clone());
                pack.questions.push(Question {
                    id: raw.id.into_inner(),
                    topic: raw.topic.into_inner(),
                    kind,
                    stem: raw.stem.into_inner(),
                    choices: raw
                        .choices
                        .into_inner()
                        .into_iter()
                        .map(|c| Choice {
                            text: c.text.into_inner(),
                            correct: c.correct,
                            why: c.why.into_inner(),
                        })
                        .collect(),
                    explanation: raw.explanation.into_inner(),
                    source,
                    difficulty: raw.difficulty.map(|d| d.into_inner()),
                    tags: raw.tags,
                    refs,
                    verified,
                });
            }
        }
    }

    // Pack order follows the topics' reading order in pack.toml, then file and item order.
    let topic_rank: HashMap<&str, usize> = pack
        .topics
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    let rank = |topic: &str| topic_rank.get(topic).copied().unwrap_or(usize::MAX);
    let mut cards = std::mem::take(&mut pack.cards);
    cards.sort_by_key(|c| rank(&c.topic));
    let mut questions = std::mem::take(&mut pack.questions);
    questions.sort_by_key(|q| rank(&q.topic));
    pack.cards = cards;
    pack.questions = questions;

    // Links, from notes, cards and questions, now that every note has loaded.
    let mut indexes: HashMap<&str, LineIndex<'_>> = HashMap::new();
    for link in &links {
        let Some((path, text)) = texts.iter().find(|(p, _)| p == &link.path) else {
            continue;
        };
        let index = indexes
            .entry(path.as_str())
            .or_insert_with(|| LineIndex::new(text));
        let dest = &link.dest;
        let mut error = |code, message| {
            sink.push(
                path,
                Some(index),
                link.offset,
                Severity::Error,
                code,
                message,
            );
        };
        match markdown::resolve_link(dest, link.topic.as_deref().unwrap_or_default()) {
            LinkTarget::External(_) => {}
            LinkTarget::Escapes => error("E009", format!("link `{dest}` leaves the pack folder")),
            LinkTarget::Unsupported => error(
                "E011",
                format!(
                    "link `{dest}`: only links to notes (`topic.md#section`) and to http(s) \
                     pages are allowed"
                ),
            ),
            LinkTarget::Note { .. } if link.topic.is_none() => {}
            LinkTarget::Note { topic, anchor } => match pack.note(&topic) {
                None if pack.topic(&topic).is_some() => {
                    error(
                        "E005",
                        format!("link `{dest}`: topic `{topic}` has no note yet"),
                    );
                }
                None => error(
                    "E005",
                    format!("link `{dest}` names no note (no topic `{topic}`)"),
                ),
                Some(note) => {
                    if let Some(anchor) = anchor
                        && note.section(&anchor).is_none()
                    {
                        error(
                            "E005",
                            format!("link `{dest}`: {} has no section `#{anchor}`", note.path),
                        );
                    }
                }
            },
        }
    }

    super::exam::load_exams(&texts, &mut pack, &mut sink);

    // Coverage warnings (W001–W003) are given only for a pack without errors: while any file
    // has an error, cards, questions or notes may be missing from `pack` (a TOML syntax error
    // loses a whole file, whose topics cannot be known), and "topic X has no questions" would
    // be a consequence of that error rather than news.
    if sink
        .diagnostics
        .iter()
        .all(|d| d.severity != Severity::Error)
    {
        coverage_warnings(&pack, &texts, &topic_spans, &cited, &mut sink);
    }

    let mut diagnostics = sink.diagnostics;
    sort_diagnostics(&mut diagnostics);
    Report { pack, diagnostics }
}

/// W001–W003: topics without cards or questions, and sections nothing cites.
fn coverage_warnings(
    pack: &Pack,
    texts: &[(String, String)],
    topic_spans: &[(usize, String)],
    cited: &HashSet<SectionRef>,
    sink: &mut Sink,
) {
    if let Some((_, text)) = texts.iter().find(|(p, _)| p == "pack.toml") {
        let index = LineIndex::new(text);
        for (offset, id) in topic_spans {
            if !pack.cards.iter().any(|c| &c.topic == id) {
                sink.push(
                    "pack.toml",
                    Some(&index),
                    *offset,
                    Severity::Warning,
                    "W001",
                    format!("topic `{id}` has no cards"),
                );
            }
            if !pack.questions.iter().any(|q| &q.topic == id) {
                sink.push(
                    "pack.toml",
                    Some(&index),
                    *offset,
                    Severity::Warning,
                    "W002",
                    format!("topic `{id}` has no questions"),
                );
            }
        }
    }
    for note in &pack.notes {
        let Some((_, text)) = texts.iter().find(|(p, _)| p == &note.path) else {
            continue;
        };
        let index = LineIndex::new(text);
        let body_start = text.len() - note.body.len();
        for s in note.sections.iter().filter(|s| s.level > 1) {
            let r = SectionRef {
                topic: note.topic.clone(),
                anchor: s.anchor.clone(),
            };
            if !cited.contains(&r) {
                sink.push(
                    &note.path,
                    Some(&index),
                    body_start + s.offset,
                    Severity::Warning,
                    "W003",
                    format!("section `{r}` is not cited by any card or question"),
                );
            }
        }
    }
}

/// A link found in pack Markdown, resolved once every note has loaded.
struct FoundLink {
    path: String,
    /// Byte offset in the file.
    offset: usize,
    dest: String,
    /// The topic whose note a bare `#section` names; `None` for a note that was refused, whose
    /// links to notes are not resolved.
    topic: Option<String>,
}

/// Checks of one file's notes, cards and questions.
struct Checker<'a, 'i> {
    path: &'a str,
    text: &'a str,
    index: &'a LineIndex<'i>,
    sink: &'a mut Sink,
    pack: &'a Pack,
}

impl Checker<'_, '_> {
    /// Checks a piece of pack Markdown — a note's body, or a card's or question's text — by the
    /// one rule set for all of them: no images, no raw HTML, and links only to notes and to web
    /// pages. `at` turns an offset in `markdown` into one in the file. Links go to `links`, to be
    /// resolved once every note has loaded.
    fn markdown(
        &mut self,
        markdown: &str,
        at: impl Fn(usize) -> usize,
        topic: Option<&str>,
        links: &mut Vec<FoundLink>,
    ) {
        for (offset, reference) in markdown::references(markdown) {
            match reference {
                Reference::Link(dest) => links.push(FoundLink {
                    path: self.path.to_owned(),
                    offset: at(offset),
                    dest,
                    topic: topic.map(str::to_owned),
                }),
                Reference::Image => self.error(
                    at(offset),
                    "E011",
                    "images are not supported in pack format 1",
                ),
                Reference::Html => self.error(
                    at(offset),
                    "E011",
                    "raw HTML is not allowed in a pack; write Markdown",
                ),
            }
        }
    }

    /// [`Self::markdown`] for a string field of a card or question, written in topic `topic`.
    fn field_markdown(
        &mut self,
        field: &toml::Spanned<String>,
        topic: &str,
        links: &mut Vec<FoundLink>,
    ) {
        let text = self.text;
        self.markdown(
            field.get_ref(),
            |offset| string_offset(text, field, offset),
            Some(topic),
            links,
        );
    }

    fn error(&mut self, offset: usize, code: &'static str, message: impl Into<String>) {
        self.sink.push(
            self.path,
            Some(self.index),
            offset,
            Severity::Error,
            code,
            message,
        );
    }

    /// Returns true when the id was seen before.
    fn duplicate(
        &mut self,
        id: &toml::Spanned<String>,
        seen: &mut HashMap<String, String>,
        what: &str,
    ) -> bool {
        let offset = id.span().start;
        if !valid_id(id.get_ref()) {
            self.error(
                offset,
                "E002",
                format!(
                    "{what} id `{}` must be lowercase letters, digits or '-'",
                    id.get_ref()
                ),
            );
        }
        let (line, _) = self.index.position(offset);
        let here = format!("{}:{line}", self.path);
        if let Some(first) = seen.get(id.get_ref()) {
            self.error(
                offset,
                "E003",
                format!("duplicate {what} id `{}` (first at {first})", id.get_ref()),
            );
            true
        } else {
            seen.insert(id.get_ref().clone(), here);
            false
        }
    }

    fn topic(&mut self, topic: &toml::Spanned<String>) {
        if self.pack.topic(topic.get_ref()).is_none() {
            self.error(
                topic.span().start,
                "E004",
                format!("unknown topic `{}` (not in pack.toml)", topic.get_ref()),
            );
        }
    }

    /// `refs` are web pages the learner may open: `https://` only, no spaces, as written.
    fn refs(&mut self, refs: &[toml::Spanned<String>]) -> Vec<String> {
        let mut out = Vec::with_capacity(refs.len());
        for r in refs {
            let url = r.get_ref();
            let host = url.strip_prefix("https://").unwrap_or("");
            if host.is_empty() || host.starts_with('/') || url.chars().any(char::is_whitespace) {
                self.error(
                    r.span().start,
                    "E012",
                    format!("`refs` entry `{url}` is not an https:// URL"),
                );
            } else {
                out.push(url.clone());
            }
        }
        out
    }

    /// `verified` is a calendar date, `YYYY-MM-DD`.
    fn verified(&mut self, verified: Option<&toml::Spanned<RawDate>>) -> Option<jiff::civil::Date> {
        let v = verified?;
        let text = v.get_ref().text();
        match text.parse::<jiff::civil::Date>() {
            Ok(date) if text.len() == 10 => Some(date),
            _ => {
                self.error(
                    v.span().start,
                    "E012",
                    format!("`verified` is `{text}`; write a date as YYYY-MM-DD"),
                );
                None
            }
        }
    }

    fn nonempty(&mut self, text: &toml::Spanned<String>, field: &str) {
        if text.get_ref().trim().is_empty() {
            self.error(text.span().start, "E007", format!("`{field}` is empty"));
        }
    }

    fn source(&mut self, source: &toml::Spanned<String>) -> Option<SectionRef> {
        let offset = source.span().start;
        let Some(r) = SectionRef::parse(source.get_ref()) else {
            self.error(
                offset,
                "E005",
                format!(
                    "source `{}` must be written `topic#section`",
                    source.get_ref()
                ),
            );
            return None;
        };
        match self.pack.note(&r.topic) {
            None => {
                self.error(
                    offset,
                    "E005",
                    format!("source `{r}` names no note (no topic `{}`)", r.topic),
                );
                None
            }
            Some(note) if note.section(&r.anchor).is_none() => {
                let hint = closest(&r.anchor, note.sections.iter().map(|s| s.anchor.as_str()))
                    .map(|a| format!("; did you mean `{}#{a}`?", r.topic))
                    .unwrap_or_default();
                self.error(
                    offset,
                    "E005",
                    format!(
                        "source `{r}`: {} has no section `#{}`{hint}",
                        note.path, r.anchor
                    ),
                );
                None
            }
            Some(_) => Some(r),
        }
    }
}

/// Where byte `inner` of a TOML string value lies in its file. Exact when the value is written
/// verbatim between its quotes (no escapes, no line-ending backslash), as pack text nearly always
/// is; otherwise the start of the value, where other errors about a field are reported.
fn string_offset(text: &str, value: &toml::Spanned<String>, inner: usize) -> usize {
    let span = value.span();
    let value = value.get_ref();
    let Some(delimiter) = text.get(span.clone()).and_then(|raw| {
        ["\"\"\"", "'''", "\"", "'"]
            .into_iter()
            .find(|d| raw.starts_with(d))
    }) else {
        return span.start;
    };
    let mut start = span.start + delimiter.len();
    if delimiter.len() == 3 {
        // A newline right after the opening delimiter is not part of a multi-line string.
        let rest = &text[start..];
        start += if rest.starts_with("\r\n") {
            2
        } else {
            usize::from(rest.starts_with('\n'))
        };
    }
    let end = start + value.len();
    let verbatim = text.get(start..end) == Some(value.as_str())
        && text
            .get(end..)
            .is_some_and(|rest| rest.starts_with(delimiter));
    if verbatim { start + inner } else { span.start }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The candidate sharing the longest prefix with `wanted`, to suggest a fix.
fn closest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| {
            let common = c
                .chars()
                .zip(wanted.chars())
                .take_while(|(a, b)| a == b)
                .count();
            (common, c)
        })
        .filter(|(n, _)| *n >= 3)
        .max_by_key(|(n, _)| *n)
        .map(|(_, c)| c)
}

/// The fields of `pack.toml` besides its `[[topic]]` tables.
const HEADER_FIELDS: &[&str] = &[
    "format",
    "id",
    "title",
    "version",
    "description",
    "authors",
    "license",
];

/// Reads `pack.toml`'s header field by field, so that one bad field is reported without losing
/// the others: `coldstart check` still names the pack in its summary.
fn read_header(
    path: &str,
    index: &LineIndex<'_>,
    mut table: DeTable<'_>,
    pack: &mut Pack,
    sink: &mut Sink,
) {
    let mut error = |offset: usize, code: &'static str, message: String| {
        sink.push(path, Some(index), offset, Severity::Error, code, message);
    };
    let t = &mut table;
    let format: Option<toml::Spanned<i64>> = header_field(t, "format", true, &mut error);
    let id: Option<toml::Spanned<String>> = header_field(t, "id", true, &mut error);
    let title: Option<toml::Spanned<String>> = header_field(t, "title", true, &mut error);
    let version: Option<toml::Spanned<String>> = header_field(t, "version", true, &mut error);
    let description: Option<toml::Spanned<String>> =
        header_field(t, "description", true, &mut error);
    let authors: Option<Vec<String>> = header_field(t, "authors", false, &mut error);
    let license: Option<String> = header_field(t, "license", false, &mut error);
    for key in table.keys() {
        let expected: Vec<String> = HEADER_FIELDS.iter().map(|f| format!("`{f}`")).collect();
        error(
            key.span().start,
            "E002",
            format!(
                "unknown field `{}`, expected one of {}",
                key.get_ref(),
                expected.join(", ")
            ),
        );
    }

    if let Some(format) = &format
        && *format.get_ref() != FORMAT
    {
        error(
            format.span().start,
            "E011",
            format!(
                "format {} is not supported; this build of coldstart reads format {FORMAT}",
                format.get_ref()
            ),
        );
    }
    if let Some(id) = &id
        && !valid_id(id.get_ref())
    {
        error(
            id.span().start,
            "E002",
            "pack id must be lowercase letters, digits or '-'".to_owned(),
        );
    }
    if let Some(version) = &version
        && !is_semver(version.get_ref())
    {
        error(
            version.span().start,
            "E002",
            format!(
                "version `{}` is not a semantic version such as 1.2.0",
                version.get_ref()
            ),
        );
    }
    for (field, value) in [("title", &title), ("description", &description)] {
        if let Some(value) = value
            && value.get_ref().trim().is_empty()
        {
            error(value.span().start, "E007", format!("`{field}` is empty"));
        }
    }
    let text =
        |v: Option<toml::Spanned<String>>| v.map(toml::Spanned::into_inner).unwrap_or_default();
    pack.meta = PackMeta {
        id: text(id),
        title: text(title),
        version: text(version),
        description: text(description),
        authors: authors.unwrap_or_default(),
        license,
    };
}

/// Takes one field out of `pack.toml`'s header and reads it, reporting it when it is missing
/// (and `required`) or has the wrong type.
fn header_field<T: DeserializeOwned>(
    table: &mut DeTable<'_>,
    name: &str,
    required: bool,
    error: &mut impl FnMut(usize, &'static str, String),
) -> Option<T> {
    let Some(value) = table.remove(name) else {
        if required {
            error(0, "E002", format!("missing field `{name}`"));
        }
        return None;
    };
    let start = value.span().start;
    T::deserialize(value.into_deserializer())
        .map_err(|e| {
            let offset = e.span().map_or(start, |s| s.start);
            error(offset, "E002", format!("`{name}`: {}", e.message().trim()));
        })
        .ok()
}

fn parse_pack_toml(
    path: &str,
    text: &str,
    pack: &mut Pack,
    topic_spans: &mut Vec<(usize, String)>,
    sink: &mut Sink,
) {
    let index = LineIndex::new(text);
    let table = match DeTable::parse(text) {
        Ok(t) => t,
        Err(e) => {
            syntax_error(path, &index, &e, sink);
            return;
        }
    };
    let mut table = table.into_inner();
    let topics = table.remove("topic");
    table.remove("exam"); // read by `exam::load_exams`
    read_header(path, &index, table, pack, sink);
    let Some(topics) = topics else {
        sink.push(
            path,
            Some(&index),
            0,
            Severity::Error,
            "E002",
            "a pack needs at least one [[topic]]",
        );
        return;
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (item, offset) in items_of(path, &index, topics, "topic", sink) {
        match RawTopic::deserialize(item.into_deserializer()) {
            Ok(t) => {
                let id_offset = t.id.span().start;
                let id = t.id.into_inner();
                if !valid_id(&id) {
                    sink.push(
                        path,
                        Some(&index),
                        id_offset,
                        Severity::Error,
                        "E002",
                        "topic id must be lowercase letters, digits or '-'",
                    );
                }
                if let Some(first) = seen.get(&id) {
                    let (line, _) = index.position(*first);
                    sink.push(
                        path,
                        Some(&index),
                        id_offset,
                        Severity::Error,
                        "E003",
                        format!("duplicate topic id `{id}` (first at {path}:{line})"),
                    );
                    continue;
                }
                if !(t.weight.get_ref().is_finite() && *t.weight.get_ref() >= 0.0) {
                    sink.push(
                        path,
                        Some(&index),
                        t.weight.span().start,
                        Severity::Error,
                        "E002",
                        "weight must be a number ≥ 0",
                    );
                }
                if t.title.get_ref().trim().is_empty() {
                    sink.push(
                        path,
                        Some(&index),
                        t.title.span().start,
                        Severity::Error,
                        "E007",
                        "`title` is empty",
                    );
                }
                seen.insert(id.clone(), id_offset);
                topic_spans.push((id_offset, id.clone()));
                pack.topics.push(Topic {
                    id,
                    title: t.title.into_inner(),
                    weight: *t.weight.get_ref(),
                    summary: t.summary,
                });
            }
            Err(e) => field_error(path, &index, &e, offset, sink),
        }
    }
}

fn is_semver(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// Parses a file of `[[key]]` tables, deserializing each on its own so that one bad item does
/// not hide the problems of the others.
fn parse_items<T: DeserializeOwned>(
    path: &str,
    text: &str,
    index: &LineIndex<'_>,
    key: &str,
    sink: &mut Sink,
) -> Vec<(T, usize)> {
    let table = match DeTable::parse(text) {
        Ok(t) => t.into_inner(),
        Err(e) => {
            syntax_error(path, index, &e, sink);
            return Vec::new();
        }
    };
    let mut items = None;
    for (k, v) in table {
        if k.get_ref().as_ref() == key {
            items = Some(v);
        } else {
            sink.push(
                path,
                Some(index),
                k.span().start,
                Severity::Error,
                "E002",
                format!(
                    "unknown table `{}`; this file holds [[{key}]] tables",
                    k.get_ref()
                ),
            );
        }
    }
    let Some(items) = items else {
        return Vec::new();
    };
    items_of(path, index, items, key, sink)
        .into_iter()
        .filter_map(
            |(item, offset)| match T::deserialize(item.into_deserializer()) {
                Ok(t) => Some((t, offset)),
                Err(e) => {
                    field_error(path, index, &e, offset, sink);
                    None
                }
            },
        )
        .collect()
}

fn items_of<'i>(
    path: &str,
    index: &LineIndex<'_>,
    value: toml::Spanned<DeValue<'i>>,
    key: &str,
    sink: &mut Sink,
) -> Vec<(toml::Spanned<DeValue<'i>>, usize)> {
    let offset = value.span().start;
    match value.into_inner() {
        DeValue::Array(items) => items
            .into_iter()
            .map(|v| {
                let start = v.span().start;
                (v, start)
            })
            .collect(),
        _ => {
            sink.push(
                path,
                Some(index),
                offset,
                Severity::Error,
                "E002",
                format!("`{key}` must be written as [[{key}]] tables"),
            );
            Vec::new()
        }
    }
}

fn syntax_error(path: &str, index: &LineIndex<'_>, e: &toml::de::Error, sink: &mut Sink) {
    let offset = e.span().map_or(0, |s| s.start);
    sink.push(
        path,
        Some(index),
        offset,
        Severity::Error,
        "E001",
        format!("TOML syntax: {}", e.message().trim()),
    );
}

fn field_error(
    path: &str,
    index: &LineIndex<'_>,
    e: &toml::de::Error,
    fallback: usize,
    sink: &mut Sink,
) {
    let offset = e.span().map_or(fallback, |s| s.start);
    sink.push(
        path,
        Some(index),
        offset,
        Severity::Error,
        "E002",
        e.message().trim().to_owned(),
    );
}
