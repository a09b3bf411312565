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
use super::markdown::{self, Reference, Target};
use super::model::*;
use super::raw::*;

mod folder;

/// Files larger than this are refused: a pack is untrusted input.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// A whole pack larger than this, in bytes, is refused (E020).
pub const MAX_PACK_BYTES: u64 = 64 * 1024 * 1024;

/// At most this many files are read from a pack folder (E020).
pub const MAX_FILES: usize = 10_000;

/// At most this many items — topics, note sections, cards and questions — are loaded (E020).
/// With the byte limits, this bounds the time a pack takes to check (see
/// `examples/bench_load.rs`).
pub const MAX_ITEMS: usize = 200_000;

/// The largest topic weight: weights are shares of a mock exam, relative to each other, and a
/// bound keeps their sum finite.
pub const MAX_WEIGHT: f64 = 1000.0;

/// Codes of a file that cannot be read at all: an I/O or encoding error, a TOML syntax error,
/// broken front matter (E001), too large (E008), not a regular file (E021), a name that is not
/// UTF-8 (E022). What such a file would have defined is missing, so errors about it elsewhere
/// follow from it (see [`Diagnostic::follows_from`]); they are listed first.
pub const UNREADABLE: &[&str] = &["E001", "E008", "E021", "E022"];

/// The pack format this build reads.
pub const FORMAT: i64 = 1;

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
/// are read; symbolic links, files that are not regular files (FIFOs, devices, sockets, folders)
/// and oversized files are refused, without following a link even when one is swapped in while
/// the folder is read (see [`folder`]). A file or subfolder that cannot be read is a diagnostic
/// naming it. An `Err` means the folder itself could not be read (a usage or I/O problem, not a
/// pack problem).
pub fn load_dir(dir: &Path) -> std::io::Result<Report> {
    Ok(load_read(&read_dir(dir)?))
}

/// A pack folder as read from disk, before it is checked: its files, and what went wrong
/// reading it (files refused or unreadable). Live reload keeps it to mix the files that still
/// check with the last good version of the ones that do not ([`load_read`]).
#[derive(Clone, Debug)]
pub struct FolderRead {
    pub files: Vec<PackFile>,
    pub problems: Vec<Diagnostic>,
}

/// Reads a pack folder as [`load_dir`] does, without checking it.
pub fn read_dir(dir: &Path) -> std::io::Result<FolderRead> {
    let (files, sink) = folder::read(dir)?;
    Ok(FolderRead {
        files,
        problems: sink.diagnostics,
    })
}

/// Checks files read by [`read_dir`] (or any mix of them): the same report [`load_dir`] gives.
pub fn load_read(read: &FolderRead) -> Report {
    let pack_toml = read.files.iter().find(|f| f.path == "pack.toml");
    let mut sink = Sink::new();
    sink.diagnostics = read.problems.clone();
    let mut report = load(&read.files, sink);
    warn_built_in_id(&mut report, pack_toml.map(|f| &*f.bytes));
    report
}

/// W007: a pack folder whose id is the built-in pack's, and which is not the built-in pack's
/// own folder (its `pack.toml` differs): progress is kept by pack id, so the two would share it.
fn warn_built_in_id(report: &mut Report, pack_toml: Option<&[u8]>) {
    let Some(pack_toml) = pack_toml else {
        return;
    };
    let built_in = super::embedded_files()
        .into_iter()
        .find(|f| f.path == "pack.toml")
        .map(|f| f.bytes);
    let Some(built_in) = built_in else {
        return;
    };
    let built_in_id = std::str::from_utf8(&built_in)
        .ok()
        .and_then(|t| DeTable::parse(t).ok())
        .and_then(|t| {
            t.into_inner()
                .into_iter()
                .find_map(|(k, v)| match v.into_inner() {
                    DeValue::String(s) if k.get_ref() == "id" => Some(s.into_owned()),
                    _ => None,
                })
        });
    let id = &report.pack.meta.id;
    if id.is_empty() || built_in_id.as_deref() != Some(id.as_str()) || *built_in == *pack_toml {
        return;
    }
    let text = String::from_utf8_lossy(pack_toml);
    let line = text
        .lines()
        .position(|l| l.trim_start().starts_with("id"))
        .map_or(1, |i| i + 1);
    report.diagnostics.push(Diagnostic {
        file: "pack.toml".to_owned(),
        line,
        column: 1,
        severity: Severity::Warning,
        code: "W007",
        message: format!(
            "pack id `{id}` is the built-in pack's: progress is kept by pack id, so this pack \
             and the built-in one would share it"
        ),
        hint: Some("give the pack an id of its own".to_owned()),
        follows_from: None,
    });
}

/// Marks the errors that follow from an unreadable file, and puts the causes first: errors of
/// unreadable files, other errors, the errors that follow from them, then warnings (each group
/// in file order).
///
/// While `pack.toml` cannot be read there are no topics, so every error elsewhere follows from
/// it. While a note cannot be read (`notes/<topic>.md`, by the naming convention), errors that
/// its topic has no note, or that a source or link names no note or section of it, follow
/// from it.
fn lead_with_causes(diags: &mut [Diagnostic]) {
    let is_error = |d: &Diagnostic| d.severity == Severity::Error;
    let unreadable: HashSet<String> = diags
        .iter()
        .filter(|d| is_error(d) && UNREADABLE.contains(&d.code))
        .map(|d| d.file.clone())
        .collect();
    let pack_toml = unreadable.contains("pack.toml");
    let notes: HashMap<&str, &String> = unreadable
        .iter()
        .filter_map(|f| {
            let topic = f.strip_prefix("notes/")?.strip_suffix(".md")?;
            Some((topic, f))
        })
        .collect();
    for d in diags.iter_mut() {
        if !is_error(d) || unreadable.contains(&d.file) {
            continue;
        }
        if pack_toml {
            d.follows_from = Some("pack.toml".to_owned());
        } else if matches!(d.code, "E005" | "E010") && !notes.is_empty() {
            // The topics the message names in backticks (`topic`, `topic#anchor`,
            // `topic.md#anchor`), looked up: linear in the message, whatever the pack's size.
            let parts: Vec<&str> = d.message.split('`').collect();
            d.follows_from = (1..parts.len())
                .step_by(2)
                .find_map(|i| {
                    let quoted = parts[i];
                    let topic = if let Some((t, _)) = quoted.split_once('#') {
                        t.strip_suffix(".md").unwrap_or(t)
                    } else if let Some(t) = quoted.strip_suffix(".md") {
                        t
                    } else if parts[i - 1].ends_with("topic ") {
                        quoted
                    } else {
                        return None;
                    };
                    notes.get(topic)
                })
                .map(|file| (*file).clone());
        }
    }
    diags.sort_by_key(|d| match (d.severity, &d.follows_from) {
        (Severity::Error, None) if UNREADABLE.contains(&d.code) => 0,
        (Severity::Error, None) => 1,
        (Severity::Error, Some(_)) => 2,
        (Severity::Warning, _) => 3,
    });
}

fn sort_diagnostics(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity).cmp(&(&b.file, b.line, b.column, b.severity))
    });
}

/// Parses and validates a pack given as files (from a folder or embedded in the binary).
pub fn load_files(files: &[PackFile]) -> Report {
    load(files, Sink::new())
}

/// Parses a pack that has already passed [`load_files`] unchanged — the built-in pack, checked
/// by `tests/embedded_pack.rs` before a build ships — without the checks that only find
/// problems: Markdown is not scanned for links, images or HTML, links are not resolved, and
/// duplicate fronts, empty fields and coverage are not looked for. What builds the pack (TOML,
/// notes and their sections, sources, refs, exam profiles) runs as in [`load_files`], so the
/// pack is the same, and a file that does not parse is still an error.
pub(crate) fn load_trusted(files: &[PackFile]) -> Report {
    let mut loader = Loader::new(Sink::new());
    loader.trusted = true;
    loader.read_files(files);
    loader.parse_pack_toml();
    loader.read_notes();
    loader.check_items::<RawCard>();
    loader.check_items::<RawQuestion>();
    loader.check_exams();
    loader.finish()
}
/// Parses and validates `files`; `sink` already holds what went wrong reading the folder (files
/// refused or unreadable), which the checks below take into account. The steps run in order,
/// each on what the ones before produced.
fn load(files: &[PackFile], sink: Sink) -> Report {
    let mut loader = Loader::new(sink);
    loader.read_files(files);
    loader.parse_pack_toml();
    loader.read_notes();
    loader.check_items::<RawCard>();
    loader.check_items::<RawQuestion>();
    loader.check_links();
    loader.check_exams();
    loader.check_coverage();
    loader.finish()
}

/// One decoded file of the pack, with its line index, built once.
struct Source<'f> {
    path: &'f str,
    text: &'f str,
    index: LineIndex<'f>,
}

/// The files that decoded, in the order given, and by path.
#[derive(Default)]
struct Sources<'f> {
    files: Vec<Source<'f>>,
    by_path: HashMap<&'f str, usize>,
}

impl<'f> Sources<'f> {
    fn push(&mut self, source: Source<'f>) {
        self.by_path.insert(source.path, self.files.len());
        self.files.push(source);
    }

    fn get(&self, path: &str) -> Option<&Source<'f>> {
        self.by_path.get(path).and_then(|&i| self.files.get(i))
    }
}

/// The state of one load as it goes through its steps (see [`load`]).
struct Loader<'f> {
    sources: Sources<'f>,
    sink: Sink,
    pack: Pack,
    /// The topics of `pack.toml` in its order, with the offset of each id there.
    topic_spans: Vec<(usize, String)>,
    /// Each note's anchors, sorted, for did-you-mean hints.
    sorted_anchors: HashMap<String, Vec<String>>,
    /// Links found in notes, cards and questions, resolved once every note has loaded.
    links: Vec<FoundLink>,
    /// Sections some card or question cites.
    cited: HashSet<SectionRef>,
    budget: Budget,
    /// Parse only (see [`load_trusted`]): skip the checks that cannot change the pack.
    trusted: bool,
}

/// Items loaded so far, against [`MAX_ITEMS`].
#[derive(Default)]
struct Budget {
    used: usize,
    /// Set once the limit is passed: the load stops adding items and says so once.
    spent: bool,
}

impl Budget {
    /// Counts `n` more items; false when that passes the limit (E020 at `path`, `offset`, once).
    fn take(
        &mut self,
        n: usize,
        sink: &mut Sink,
        path: &str,
        index: &LineIndex<'_>,
        offset: usize,
    ) -> bool {
        if self.spent {
            return false;
        }
        self.used = self.used.saturating_add(n);
        if self.used > MAX_ITEMS {
            self.spent = true;
            sink.push(
                path,
                Some(index),
                offset,
                Severity::Error,
                "E020",
                format!(
                    "the pack holds more than {MAX_ITEMS} items (topics, sections, cards and \
                     questions together); loading stopped here"
                ),
            );
            return false;
        }
        true
    }
}

impl<'f> Loader<'f> {
    fn new(sink: Sink) -> Self {
        Self {
            sources: Sources::default(),
            sink,
            pack: Pack::default(),
            topic_spans: Vec::new(),
            sorted_anchors: HashMap::new(),
            links: Vec::new(),
            cited: HashSet::new(),
            budget: Budget::default(),
            trusted: false,
        }
    }

    /// Step 1: every file within the size limits that is UTF-8 becomes a [`Source`]. A byte
    /// order mark at the start is dropped (editors do not show it; columns are counted without
    /// it).
    fn read_files(&mut self, files: &'f [PackFile]) {
        let mut total: u64 = 0;
        for f in files {
            let len = f.bytes.len() as u64;
            let mut refuse = |index: Option<&LineIndex<'_>>, offset, code, message| {
                self.sink
                    .push(&f.path, index, offset, Severity::Error, code, message);
            };
            if len > MAX_FILE_BYTES {
                refuse(
                    None,
                    0,
                    "E008",
                    format!("file is {len} bytes; the limit is {MAX_FILE_BYTES} (1 MiB)"),
                );
                continue;
            }
            total += len;
            if total > MAX_PACK_BYTES {
                refuse(
                    None,
                    0,
                    "E020",
                    format!(
                        "not read: the pack's files add up to more than {} MiB, the limit for \
                         a whole pack",
                        MAX_PACK_BYTES / (1024 * 1024)
                    ),
                );
                continue;
            }
            match std::str::from_utf8(&f.bytes) {
                Ok(text) => {
                    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
                    self.sources.push(Source {
                        path: &f.path,
                        text,
                        index: LineIndex::new(text),
                    });
                }
                Err(e) => {
                    // Everything before the bad byte is valid: that is where line and column
                    // are counted.
                    let valid = f.bytes.get(..e.valid_up_to()).unwrap_or_default();
                    let valid = std::str::from_utf8(valid).unwrap_or_default();
                    let valid = valid.strip_prefix('\u{feff}').unwrap_or(valid);
                    let byte = f.bytes.get(e.valid_up_to()).copied().unwrap_or(0);
                    refuse(
                        Some(&LineIndex::new(valid)),
                        valid.len(),
                        "E001",
                        format!("not valid UTF-8 (byte 0x{byte:02X} here); save the file as UTF-8"),
                    );
                }
            }
        }
    }

    /// Step 2: `pack.toml`'s header and topics.
    fn parse_pack_toml(&mut self) {
        match self.sources.get("pack.toml") {
            Some(src) => {
                parse_pack_toml(
                    src.path,
                    src.text,
                    &src.index,
                    &mut self.pack,
                    &mut self.topic_spans,
                    &mut self.sink,
                );
                let (n, sink) = (self.pack.topics.len(), &mut self.sink);
                self.budget.take(n, sink, src.path, &src.index, 0);
            }
            None => {
                // A pack.toml that was refused or did not decode has its own diagnostic already.
                if !self.sink.diagnostics.iter().any(|d| d.file == "pack.toml") {
                    self.sink.push(
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
        self.pack.reindex();
    }

    /// Step 3: every note's front matter, sections and Markdown; one note per topic, in topic
    /// order. Links are kept for [`Loader::check_links`].
    fn read_notes(&mut self) {
        let mut notes_by_topic: HashMap<String, Note> = HashMap::new();
        for (file, src) in self.sources.files.iter().enumerate() {
            if !src.path.starts_with("notes/") {
                continue;
            }
            let (path, index, sink) = (src.path, &src.index, &mut self.sink);
            let Some(parsed) = markdown::parse_note(path, src.text, index, sink) else {
                continue;
            };
            let n = parsed.sections.len() + 1;
            if !self
                .budget
                .take(n, &mut self.sink, path, index, parsed.body_start)
            {
                break;
            }
            let (fm_topic, fm_offset) = parsed.topic.clone();
            let known = self.pack.topic(&fm_topic).is_some();
            // A note that is refused below is still scanned, but its links to notes are not
            // resolved: where `#section` points depends on the topic it was refused for.
            let accepted = known && !notes_by_topic.contains_key(&fm_topic);
            if !self.trusted {
                Checker {
                    file,
                    src,
                    sink: &mut self.sink,
                    pack: &self.pack,
                    sorted_anchors: &self.sorted_anchors,
                    links: &mut self.links,
                    item: None,
                }
                .markdown(
                    &parsed.body,
                    |offset| parsed.body_start + offset,
                    accepted.then_some(fm_topic.as_str()),
                );
            }
            let simulator = parsed.simulator.as_ref().and_then(|(sim, offset)| {
                let (code, message) = match crate::sim::Kind::parse(sim) {
                    Some(kind) if self.pack.simulators.contains(&kind) => return Some(kind),
                    Some(_) => (
                        "E023",
                        format!(
                            "simulator `{sim}` is not declared: add it to `simulators = [...]` \
                             in pack.toml"
                        ),
                    ),
                    None => (
                        "E002",
                        format!(
                            "unknown simulator `{sim}`; expected one of {}",
                            crate::sim::Kind::names().join(", ")
                        ),
                    ),
                };
                self.sink
                    .push(path, Some(index), *offset, Severity::Error, code, message);
                None
            });
            let mut error = |offset, message| {
                self.sink
                    .push(path, Some(index), offset, Severity::Error, "E010", message);
            };
            if !known {
                error(
                    fm_offset,
                    format!("note for unknown topic `{fm_topic}` (not in pack.toml)"),
                );
                continue;
            }
            if let Some(first) = notes_by_topic.get(&fm_topic) {
                error(
                    fm_offset,
                    format!(
                        "a second note for topic `{fm_topic}` (also in {})",
                        first.path
                    ),
                );
                continue;
            }
            let title = parsed
                .sections
                .first()
                .map(|s| s.title.clone())
                .or_else(|| self.pack.topic(&fm_topic).map(|t| t.title.clone()))
                .unwrap_or_default();
            let mut note = Note {
                topic: fm_topic.clone(),
                path: path.to_owned(),
                title,
                body: parsed.body,
                sections: parsed.sections,
                simulator,
                anchors: HashMap::new(),
            };
            note.reindex();
            notes_by_topic.insert(fm_topic, note);
        }
        let pack_index = self.sources.get("pack.toml").map(|s| &s.index);
        for (offset, id) in &self.topic_spans {
            match notes_by_topic.remove(id) {
                // Notes after the limit were not read: "no note" would not be news.
                None if self.budget.spent => {}
                Some(note) => {
                    let mut anchors: Vec<String> =
                        note.sections.iter().map(|s| s.anchor.clone()).collect();
                    anchors.sort_unstable();
                    self.sorted_anchors.insert(id.clone(), anchors);
                    self.pack.notes.push(note);
                }
                None => self.sink.push(
                    "pack.toml",
                    pack_index,
                    *offset,
                    Severity::Error,
                    "E010",
                    format!(
                        "topic `{id}` has no note (expected notes/{id}.md with `topic = \"{id}\"`)"
                    ),
                ),
            }
        }
        self.pack.reindex();
    }

    /// Step 4: the cards or the questions (`T`), file by file, each checked by the same rules:
    /// id, topic, text, source, refs, verified, and what is particular to `T`. The items are
    /// checked where they were parsed, borrowed, and those that pass join the pack afterwards,
    /// in order: no id or text is copied to be checked.
    fn check_items<T: Item>(&mut self) {
        let prefix = format!("{}/", T::DIR);
        let files: Vec<usize> = (0..self.sources.files.len())
            .filter(|&i| self.sources.files[i].path.starts_with(&prefix))
            .collect();
        let links = (!self.trusted).then_some((&self.pack, &self.sorted_anchors));
        let (parsed, parse_sinks): (Vec<_>, Vec<_>) =
            parse_files::<T>(&self.sources.files, &files, links)
                .into_iter()
                .unzip();
        let count: usize = parsed.iter().map(Vec::len).sum();
        // Ids seen so far (E003), and cards by front, trimmed, case and spacing ignored (W009):
        // each with where it is (file, offset).
        let mut seen: HashMap<&str, (usize, usize)> = HashMap::with_capacity(count);
        let mut fronts: HashMap<String, (&str, usize, usize)> = HashMap::new();
        let mut key = String::new();
        // The items that join the pack: their place in `parsed` and what their checks made.
        let mut accepted: Vec<(usize, usize, Checked)> = Vec::with_capacity(count);
        'files: for (k, ((&file, items), parse_sink)) in
            files.iter().zip(&parsed).zip(parse_sinks).enumerate()
        {
            let src = &self.sources.files[file];
            self.sink.diagnostics.extend(parse_sink.diagnostics);
            for (j, (raw, offset, found)) in items.iter().enumerate() {
                if !self
                    .budget
                    .take(1, &mut self.sink, src.path, &src.index, *offset)
                {
                    break 'files;
                }
                let mut check = Checker {
                    file,
                    src,
                    sink: &mut self.sink,
                    pack: &self.pack,
                    sorted_anchors: &self.sorted_anchors,
                    links: &mut self.links,
                    item: None,
                };
                let id = raw.id();
                check.id(id, T::KEY);
                let first = seen.get(id.get_ref().as_str()).copied();
                if let Some((first_file, first_offset)) = first {
                    let first = &self.sources.files[first_file];
                    let (line, _) = first.index.position(first_offset);
                    check.error(
                        id.span().start,
                        "E003",
                        format!(
                            "duplicate {} id `{}` (first at {}:{line})",
                            T::KEY,
                            id.get_ref(),
                            first.path
                        ),
                    );
                } else {
                    seen.insert(id.get_ref(), (file, id.span().start));
                }
                let item = ItemName {
                    key: T::KEY,
                    id: id.get_ref(),
                    choice: None,
                };
                check.item = Some(item);
                if let Some(front) = raw.front().filter(|_| !self.trusted) {
                    front_key(front.get_ref(), &mut key);
                    match fronts.get(key.as_str()) {
                        Some((other, f, at)) if first.is_none() && !key.is_empty() => {
                            let src = &self.sources.files[*f];
                            let (line, _) = src.index.position(*at);
                            let message = format!(
                                "the same front as card `{other}` ({}:{line}): a learner cannot \
                                 tell which answer is asked for",
                                src.path
                            );
                            check.warn(front.span().start, "W009", message);
                        }
                        Some(_) => {}
                        None => {
                            fronts.insert(key.clone(), (id.get_ref(), file, front.span().start));
                        }
                    }
                }
                check.topic(raw.topic());
                let texts = raw.texts().into_iter().filter(|_| !self.trusted);
                for ((field, choice, name), found) in texts.zip(found) {
                    check.item = Some(ItemName { choice, ..item });
                    check.nonempty(field, name);
                    check.field_findings(field, found);
                }
                check.item = Some(item);
                let source = check.source(raw.source());
                let refs = check.refs(raw.refs());
                let verified = check.verified(raw.verified());
                let shaped = raw.check_shape(&mut check);
                if let (None, Some(source), true) = (first, source, shaped) {
                    if !self.cited.contains(&source) {
                        self.cited.insert(source.clone());
                    }
                    let checked = Checked {
                        source,
                        refs,
                        verified,
                    };
                    accepted.push((k, j, checked));
                }
            }
        }
        drop((seen, fronts));
        T::reserve(&mut self.pack, accepted.len());
        let mut accepted = accepted.into_iter().peekable();
        for (k, items) in parsed.into_iter().enumerate() {
            for (j, (raw, _, _)) in items.into_iter().enumerate() {
                if let Some((_, _, checked)) = accepted.next_if(|(ak, aj, _)| (*ak, *aj) == (k, j))
                {
                    raw.add_to(&mut self.pack, checked);
                }
            }
        }
    }

    /// Step 5: links from notes, cards and questions, now that every note has loaded. Those
    /// of cards and questions were resolved when their files were read (every note had loaded
    /// by then): only their problems are here.
    fn check_links(&mut self) {
        for link in &self.links {
            let src = &self.sources.files[link.file];
            let (code, message) = match &link.target {
                LinkCheck::Problem(code, message) => (*code, message.clone()),
                LinkCheck::Unresolved { dest, topic } => {
                    match link_problem(&self.pack, &self.sorted_anchors, dest, topic.as_deref()) {
                        Some(problem) => problem,
                        None => continue,
                    }
                }
            };
            self.sink.push(
                src.path,
                Some(&src.index),
                link.offset,
                Severity::Error,
                code,
                message,
            );
        }
    }

    /// Step 6: exam profiles (`[[exam]]` in `pack.toml`, `domains` overrides on questions),
    /// checked against the topics and questions loaded so far.
    fn check_exams(&mut self) {
        let files: Vec<(&str, &str)> = self
            .sources
            .files
            .iter()
            .map(|s| (s.path, s.text))
            .collect();
        super::exam::load_exams(&files, &mut self.pack, &mut self.sink);
    }

    /// Step 7: W001–W003, topics without cards or questions and sections nothing cites. They
    /// are given only for a pack without errors: while any file has an error, cards, questions
    /// or notes may be missing from the pack (a TOML syntax error loses a whole file, whose
    /// topics cannot be known), and "topic X has no questions" would be a consequence of that
    /// error rather than news.
    fn check_coverage(&mut self) {
        if self
            .sink
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
        {
            return;
        }
        let with_cards: HashSet<&str> = self.pack.cards.iter().map(|c| c.topic.as_str()).collect();
        let with_questions: HashSet<&str> = self
            .pack
            .questions
            .iter()
            .map(|q| q.topic.as_str())
            .collect();
        if let Some(src) = self.sources.get("pack.toml") {
            for (offset, id) in &self.topic_spans {
                let mut warn = |code, message| {
                    self.sink.push(
                        src.path,
                        Some(&src.index),
                        *offset,
                        Severity::Warning,
                        code,
                        message,
                    );
                };
                if !with_cards.contains(id.as_str()) {
                    warn("W001", format!("topic `{id}` has no cards"));
                }
                if !with_questions.contains(id.as_str()) {
                    warn("W002", format!("topic `{id}` has no questions"));
                }
            }
        }
        for note in &self.pack.notes {
            let Some(src) = self.sources.get(&note.path) else {
                continue;
            };
            let body_start = src.text.len() - note.body.len();
            for s in note.sections.iter().filter(|s| s.level > 1) {
                let r = SectionRef {
                    topic: note.topic.clone(),
                    anchor: s.anchor.clone(),
                };
                if !self.cited.contains(&r) {
                    self.sink.push(
                        &note.path,
                        Some(&src.index),
                        body_start + s.offset,
                        Severity::Warning,
                        "W003",
                        format!("section `{r}` is not cited by any card or question"),
                    );
                }
            }
        }
    }

    /// Puts cards and questions in the topics' reading order (then file and item order, which
    /// the stable sort keeps) and the diagnostics in file order.
    fn finish(self) -> Report {
        let mut pack = self.pack;
        let topic_rank: HashMap<&str, usize> = pack
            .topics
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        let rank = |topic: &str| topic_rank.get(topic).copied().unwrap_or(usize::MAX);
        pack.cards = in_topic_order(std::mem::take(&mut pack.cards), |c| rank(&c.topic));
        pack.questions = in_topic_order(std::mem::take(&mut pack.questions), |q| rank(&q.topic));
        drop(topic_rank);
        pack.reindex();
        let mut diagnostics = self.sink.diagnostics;
        sort_diagnostics(&mut diagnostics);
        lead_with_causes(&mut diagnostics);
        Report { pack, diagnostics }
    }
}

/// `items` stably ordered by `rank`: as they are when already in order (as written, usually),
/// else by sorting their positions and then moving the items in place along the permutation's
/// cycles (a sort moves each large item many times; a copy into a new list allocates and fills
/// a second one).
fn in_topic_order<T>(mut items: Vec<T>, rank: impl Fn(&T) -> usize) -> Vec<T> {
    if items.is_sorted_by_key(&rank) {
        return items;
    }
    let mut order: Vec<(usize, usize)> = items.iter().map(&rank).zip(0..).collect();
    order.sort_unstable();
    // Position `i` takes the item now at `from[i]`; `usize::MAX` marks a position done.
    let mut from: Vec<usize> = order.into_iter().map(|(_, i)| i).collect();
    for start in 0..from.len() {
        let mut at = start;
        // Each step settles one position, so a cycle takes at most `from.len()` steps.
        while from[at] != usize::MAX {
            let next = from[at];
            from[at] = usize::MAX;
            if next == start {
                break;
            }
            items.swap(at, next);
            at = next;
        }
    }
    items
}

/// What is wrong with a link of pack Markdown written in topic `topic` (`None` for a note that
/// was refused, whose links to notes are not resolved), once every note has loaded: its code
/// and message; `None` for a link that is fine.
fn link_problem(
    pack: &Pack,
    sorted_anchors: &HashMap<String, Vec<String>>,
    dest: &str,
    topic: Option<&str>,
) -> Option<(&'static str, String)> {
    let problem = match markdown::classify_link(dest, topic.unwrap_or_default()) {
        Target::External => return None,
        Target::Escapes => ("E009", format!("link `{dest}` leaves the pack folder")),
        Target::Unsupported => (
            "E011",
            format!(
                "link `{dest}`: only links to notes (`topic.md#section`) and to http(s) pages \
                 are allowed"
            ),
        ),
        Target::Note { .. } if topic.is_none() => return None,
        Target::Note { topic, anchor } => match pack.note(topic) {
            None if pack.topic(topic).is_some() => (
                "E005",
                format!("link `{dest}`: topic `{topic}` has no note yet"),
            ),
            None => (
                "E005",
                format!("link `{dest}` names no note (no topic `{topic}`)"),
            ),
            Some(note) => {
                let anchor = anchor.filter(|a| note.section(a).is_none())?;
                let sorted = sorted_anchors.get(topic).map_or(&[][..], Vec::as_slice);
                let hint = closest(anchor, sorted)
                    .map(|a| format!("; did you mean `{topic}#{a}`?"))
                    .unwrap_or_default();
                (
                    "E005",
                    format!(
                        "link `{dest}`: {} has no section `#{anchor}`{hint}",
                        note.path
                    ),
                )
            }
        },
    };
    Some(problem)
}

/// A card or question as messages name it: `question `x``, or `question `x`, choice 3` for a
/// field of its third choice. Written out only when a message needs it.
#[derive(Clone, Copy)]
struct ItemName<'a> {
    key: &'static str,
    id: &'a str,
    choice: Option<usize>,
}

impl std::fmt::Display for ItemName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} `{}`", self.key, self.id)?;
        match self.choice {
            Some(n) => write!(f, ", choice {n}"),
            None => Ok(()),
        }
    }
}

/// A card's front as W009 compares it, into `key`: its words joined by one space, lowercase.
fn front_key(front: &str, key: &mut String) {
    key.clear();
    if front.is_ascii() {
        // The same as below, without the copies: for ASCII, `to_lowercase` is
        // `to_ascii_lowercase`.
        for (i, word) in front.split_whitespace().enumerate() {
            if i > 0 {
                key.push(' ');
            }
            key.push_str(word);
        }
        key.make_ascii_lowercase();
    } else {
        let words: Vec<&str> = front.split_whitespace().collect();
        key.push_str(&words.join(" ").to_lowercase());
    }
}

/// What a card or question holds once its common fields are checked.
struct Checked {
    source: SectionRef,
    refs: Vec<String>,
    verified: Option<jiff::civil::Date>,
}

/// What cards and questions have in common, so that one check covers both.
trait Item: DeserializeOwned + Send {
    /// The table name, `card` or `question`: `[[card]]`.
    const KEY: &'static str;
    /// The folder of the files, `cards` or `questions`.
    const DIR: &'static str;
    fn id(&self) -> &toml::Spanned<String>;
    fn topic(&self) -> &toml::Spanned<String>;
    fn source(&self) -> &toml::Spanned<String>;
    fn refs(&self) -> &[toml::Spanned<String>];
    fn verified(&self) -> Option<&toml::Spanned<RawDate>>;
    /// The Markdown fields, each with its name as written in the file.
    /// The Markdown fields, each with its choice number (from 1) if it is a choice's, and its
    /// name as written in the file.
    fn texts(&self) -> Vec<(&toml::Spanned<String>, Option<usize>, &'static str)>;
    /// A card's front, which no two cards should share (W009); `None` for questions.
    fn front(&self) -> Option<&toml::Spanned<String>> {
        None
    }
    /// Checks particular to this kind of item; false when it must not join the pack.
    fn check_shape(&self, _check: &mut Checker<'_, '_>) -> bool {
        true
    }
    /// Makes room in the pack for `n` more items of this kind.
    fn reserve(pack: &mut Pack, n: usize);
    /// Adds the checked item to the pack.
    fn add_to(self, pack: &mut Pack, checked: Checked);
}

impl Item for RawCard {
    const KEY: &'static str = "card";
    const DIR: &'static str = "cards";

    fn id(&self) -> &toml::Spanned<String> {
        &self.id
    }
    fn topic(&self) -> &toml::Spanned<String> {
        &self.topic
    }
    fn source(&self) -> &toml::Spanned<String> {
        &self.source
    }
    fn refs(&self) -> &[toml::Spanned<String>] {
        &self.refs
    }
    fn verified(&self) -> Option<&toml::Spanned<RawDate>> {
        self.verified.as_ref()
    }
    fn texts(&self) -> Vec<(&toml::Spanned<String>, Option<usize>, &'static str)> {
        vec![(&self.front, None, "front"), (&self.back, None, "back")]
    }
    fn front(&self) -> Option<&toml::Spanned<String>> {
        Some(&self.front)
    }
    fn reserve(pack: &mut Pack, n: usize) {
        pack.cards.reserve(n);
    }
    fn add_to(self, pack: &mut Pack, checked: Checked) {
        pack.cards.push(Card {
            id: self.id.into_inner(),
            topic: self.topic.into_inner(),
            front: self.front.into_inner(),
            back: self.back.into_inner(),
            source: checked.source,
            tags: self.tags,
            refs: checked.refs,
            verified: checked.verified,
        });
    }
}

impl RawQuestion {
    fn kind(&self) -> QuestionKind {
        match self.kind.get_ref() {
            RawKind::Single => QuestionKind::Single,
            RawKind::Multi => QuestionKind::Multi,
        }
    }
}

impl Item for RawQuestion {
    const KEY: &'static str = "question";
    const DIR: &'static str = "questions";

    fn id(&self) -> &toml::Spanned<String> {
        &self.id
    }
    fn topic(&self) -> &toml::Spanned<String> {
        &self.topic
    }
    fn source(&self) -> &toml::Spanned<String> {
        &self.source
    }
    fn refs(&self) -> &[toml::Spanned<String>] {
        &self.refs
    }
    fn verified(&self) -> Option<&toml::Spanned<RawDate>> {
        self.verified.as_ref()
    }
    fn texts(&self) -> Vec<(&toml::Spanned<String>, Option<usize>, &'static str)> {
        let choices = self.choices.get_ref();
        let mut fields = Vec::with_capacity(2 + 2 * choices.len());
        fields.extend([
            (&self.stem, None, "stem"),
            (&self.explanation, None, "explanation"),
        ]);
        for (i, c) in choices.iter().enumerate() {
            fields.extend([(&c.text, Some(i + 1), "text"), (&c.why, Some(i + 1), "why")]);
        }
        fields
    }

    /// E006: the number of choices and of correct ones fit the kind; E002: the difficulty.
    fn check_shape(&self, check: &mut Checker<'_, '_>) -> bool {
        let choices = self.choices.get_ref();
        let correct = choices.iter().filter(|c| c.correct).count();
        let shape_error = match self.kind() {
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
            _ if choices.len() > 9 => {
                Some("a question can have at most nine choices (keys 1–9 select them)".to_owned())
            }
            _ => None,
        };
        if let Some(d) = &self.difficulty
            && !(1..=3).contains(d.get_ref())
        {
            check.error(d.span().start, "E002", "difficulty must be 1, 2 or 3");
        }
        if asks_for_several(self.stem.get_ref()) {
            let message = match self.kind() {
                QuestionKind::Single => {
                    "the stem asks to choose several, but the question has one correct answer \
                     (`kind = \"single\"`)"
                }
                QuestionKind::Multi => {
                    "the stem says how many to choose; the app adds that itself (remove it)"
                }
            };
            check.warn(self.stem.span().start, "W008", message);
        }
        match shape_error {
            Some(message) => {
                check.error(self.kind.span().start, "E006", message);
                false
            }
            None => true,
        }
    }

    fn reserve(pack: &mut Pack, n: usize) {
        pack.questions.reserve(n);
    }

    fn add_to(self, pack: &mut Pack, checked: Checked) {
        let kind = self.kind();
        pack.questions.push(Question {
            id: self.id.into_inner(),
            topic: self.topic.into_inner(),
            kind,
            stem: self.stem.into_inner(),
            choices: self
                .choices
                .into_inner()
                .into_iter()
                .map(|c| Choice {
                    text: c.text.into_inner(),
                    correct: c.correct,
                    why: c.why.into_inner(),
                })
                .collect(),
            explanation: self.explanation.into_inner(),
            source: checked.source,
            difficulty: self.difficulty.map(|d| d.into_inner()),
            tags: self.tags,
            refs: checked.refs,
            verified: checked.verified,
        });
    }
}

/// A link found in pack Markdown, for [`Loader::check_links`].
struct FoundLink {
    /// Index of the file in [`Sources::files`].
    file: usize,
    /// Byte offset in the file.
    offset: usize,
    target: LinkCheck,
}

enum LinkCheck {
    /// A note's link, resolved once every note has loaded. `topic` is the one whose note a bare
    /// `#section` names; `None` for a note that was refused, whose links to notes are not
    /// resolved.
    Unresolved { dest: String, topic: Option<String> },
    /// What is wrong with a card's or question's link, resolved when its file was read: code
    /// and message, led by the item.
    Problem(&'static str, String),
}

/// What [`parse_files`] finds in the Markdown of a card's or question's text, at an offset in
/// the text.
enum Finding {
    /// An image, raw HTML or an empty list item; never a link.
    Markup(Reference),
    /// A link that does not resolve: its code and message ([`link_problem`]).
    BadLink(&'static str, String),
}

/// Checks of one file's notes, cards and questions.
struct Checker<'a, 'f> {
    /// Index of the file in [`Sources::files`].
    file: usize,
    src: &'a Source<'f>,
    sink: &'a mut Sink,
    pack: &'a Pack,
    sorted_anchors: &'a HashMap<String, Vec<String>>,
    links: &'a mut Vec<FoundLink>,
    /// The item being checked, as messages name it (`question `x`, choice 3`); `None` for a
    /// note.
    item: Option<ItemName<'a>>,
}

impl Checker<'_, '_> {
    /// Checks a piece of pack Markdown — a note's body, or a card's or question's text — by the
    /// one rule set for all of them: no images, no raw HTML, and links only to notes and to web
    /// pages. `at` turns an offset in `markdown` into one in the file. Links go to `links`, to be
    /// resolved once every note has loaded.
    fn markdown(&mut self, markdown: &str, at: impl Fn(usize) -> usize, topic: Option<&str>) {
        self.references(markdown::references(markdown), at, topic);
    }

    /// What [`Self::markdown`] reports, from references already found.
    fn references(
        &mut self,
        found: Vec<(usize, Reference)>,
        at: impl Fn(usize) -> usize,
        topic: Option<&str>,
    ) {
        for (offset, reference) in found {
            match reference {
                Reference::Link(dest) => self.links.push(FoundLink {
                    file: self.file,
                    offset: at(offset),
                    target: LinkCheck::Unresolved {
                        dest,
                        topic: topic.map(str::to_owned),
                    },
                }),
                markup => self.markup(at(offset), &markup),
            }
        }
    }

    /// An image, raw HTML or an empty list item at `offset`.
    fn markup(&mut self, offset: usize, reference: &Reference) {
        match reference {
            Reference::Link(_) => {}
            Reference::Image => {
                self.error(offset, "E011", "images are not supported in pack format 1")
            }
            Reference::Html => self.error(
                offset,
                "E011",
                "raw HTML is not allowed in a pack; write Markdown",
            ),
            Reference::EmptyListItem => self.warn(
                offset,
                "W010",
                "an empty list item: a line that is only a number and a period (like \
                 `2773.`) is read as a numbered list; write `2773\\.` or put words around it",
            ),
        }
    }

    /// What [`Self::markdown`] reports for a string field of a card or question, from what
    /// [`parse_files`] found in its text: markup now; link problems are kept for
    /// [`Loader::check_links`], which reports them after the notes' links, in the order they
    /// were found.
    fn field_findings(&mut self, field: &toml::Spanned<String>, found: &[(usize, Finding)]) {
        let text = self.src.text;
        for (offset, finding) in found {
            let offset = string_offset(text, field, *offset);
            match finding {
                Finding::Markup(reference) => self.markup(offset, reference),
                Finding::BadLink(code, message) => {
                    let message = match &self.item {
                        Some(item) => format!("{item}: {message}"),
                        None => message.clone(),
                    };
                    self.links.push(FoundLink {
                        file: self.file,
                        offset,
                        target: LinkCheck::Problem(code, message),
                    });
                }
            }
        }
    }

    fn error(&mut self, offset: usize, code: &'static str, message: impl Into<String>) {
        self.report(Severity::Error, offset, code, message.into());
    }

    fn warn(&mut self, offset: usize, code: &'static str, message: impl Into<String>) {
        self.report(Severity::Warning, offset, code, message.into());
    }

    /// A problem in this file, led by the item it is about (when checking one).
    fn report(&mut self, severity: Severity, offset: usize, code: &'static str, message: String) {
        let message = match &self.item {
            Some(item) => format!("{item}: {message}"),
            None => message,
        };
        self.sink.push(
            self.src.path,
            Some(&self.src.index),
            offset,
            severity,
            code,
            message,
        );
    }

    /// E002: an item id is lowercase letters, digits or `-`.
    fn id(&mut self, id: &toml::Spanned<String>, what: &str) {
        if !valid_id(id.get_ref()) {
            self.error(
                id.span().start,
                "E002",
                format!(
                    "{what} id `{}` must be lowercase letters, digits or '-'",
                    id.get_ref()
                ),
            );
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
                let sorted = self
                    .sorted_anchors
                    .get(&r.topic)
                    .map_or(&[][..], Vec::as_slice);
                let hint = closest(&r.anchor, sorted)
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

/// Whether a stem says "Choose TWO" (or select, or another number), which the app adds itself.
fn asks_for_several(stem: &str) -> bool {
    let lower = stem.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(2).any(|w| {
        matches!(w[0], "choose" | "select" | "pick")
            && matches!(
                w[1],
                "two" | "three" | "four" | "five" | "2" | "3" | "4" | "5"
            )
    })
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The candidate sharing the longest prefix (of at least 3 characters) with `wanted`, to
/// suggest a fix. `sorted` is sorted, so the best candidate is one of the two next to where
/// `wanted` would go: a binary search, not a scan of every section for every unknown source.
fn closest<'a>(wanted: &str, sorted: &'a [String]) -> Option<&'a str> {
    let at = sorted.partition_point(|c| c.as_str() < wanted);
    [at.checked_sub(1), Some(at)]
        .into_iter()
        .flatten()
        .filter_map(|i| sorted.get(i))
        .map(|c| {
            let common = c
                .chars()
                .zip(wanted.chars())
                .take_while(|(a, b)| a == b)
                .count();
            (common, c.as_str())
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
    "simulators",
    "generators",
    "settings",
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
    index: &LineIndex<'_>,
    pack: &mut Pack,
    topic_spans: &mut Vec<(usize, String)>,
    sink: &mut Sink,
) {
    let table = match DeTable::parse(text) {
        Ok(t) => t,
        Err(e) => {
            syntax_error(path, text, index, &e, sink);
            return;
        }
    };
    let mut table = table.into_inner();
    let topics = table.remove("topic");
    table.remove("exam"); // read by `exam::load_exams`
    let simulators = table.remove("simulators");
    let generators = table.remove("generators");
    let settings = table.remove("settings");
    read_header(path, index, table, pack, sink);
    if let Some(settings) = settings {
        read_settings(path, index, settings, pack, sink);
    }
    let declared = Declarations {
        path,
        index,
        simulators,
        generators,
    };
    let Some(topics) = topics else {
        sink.push(
            path,
            Some(index),
            0,
            Severity::Error,
            "E002",
            "a pack needs at least one [[topic]]",
        );
        return;
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (item, offset) in items_of(path, index, topics, "topic", sink) {
        match RawTopic::deserialize(item.into_deserializer()) {
            Ok(t) => {
                let id_offset = t.id.span().start;
                let id = t.id.into_inner();
                if !valid_id(&id) {
                    sink.push(
                        path,
                        Some(index),
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
                        Some(index),
                        id_offset,
                        Severity::Error,
                        "E003",
                        format!("duplicate topic id `{id}` (first at {path}:{line})"),
                    );
                    continue;
                }
                if !(0.0..=MAX_WEIGHT).contains(t.weight.get_ref()) {
                    sink.push(
                        path,
                        Some(index),
                        t.weight.span().start,
                        Severity::Error,
                        "E002",
                        "weight must be a number from 0 to 1000",
                    );
                }
                if t.title.get_ref().trim().is_empty() {
                    sink.push(
                        path,
                        Some(index),
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
            Err(e) => field_error(path, index, &e, offset, sink),
        }
    }
    declared.read(pack, sink);
}

/// `[settings]` of `pack.toml`: course settings the pack ships, each checked against the range
/// the app allows (E002 otherwise).
fn read_settings(
    path: &str,
    index: &LineIndex<'_>,
    value: toml::Spanned<DeValue<'_>>,
    pack: &mut Pack,
    sink: &mut Sink,
) {
    use crate::srs::settings::{EXAM_DATE_RANGE, MAX_NEW_PER_DAY, RETENTION_RANGE};
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RawSettings {
        new_per_day: Option<toml::Spanned<i64>>,
        desired_retention: Option<toml::Spanned<f64>>,
        exam_date: Option<toml::Spanned<RawDate>>,
    }
    let mut error = |offset: usize, message: String| {
        sink.push(path, Some(index), offset, Severity::Error, "E002", message);
    };
    let start = value.span().start;
    let raw = match RawSettings::deserialize(value.into_deserializer()) {
        Ok(raw) => raw,
        Err(e) => {
            let at = e.span().map_or(start, |s| s.start);
            error(at, format!("[settings]: {}", e.message().trim()));
            return;
        }
    };
    if let Some(n) = raw.new_per_day {
        match u32::try_from(*n.get_ref()) {
            Ok(v) if v <= MAX_NEW_PER_DAY => pack.settings.new_per_day = Some(v),
            _ => error(
                n.span().start,
                format!("`new_per_day` must be a whole number from 0 to {MAX_NEW_PER_DAY}"),
            ),
        }
    }
    if let Some(r) = raw.desired_retention {
        let v = *r.get_ref();
        if (RETENTION_RANGE.0..=RETENTION_RANGE.1).contains(&v) {
            pack.settings.desired_retention = Some(v);
        } else {
            error(
                r.span().start,
                format!(
                    "`desired_retention` must be from {} to {}",
                    RETENTION_RANGE.0, RETENTION_RANGE.1
                ),
            );
        }
    }
    if let Some(d) = raw.exam_date {
        let text = d.get_ref().text();
        match text.parse::<jiff::civil::Date>() {
            Ok(date)
                if text.len() == 10 && (EXAM_DATE_RANGE.0..=EXAM_DATE_RANGE.1).contains(&date) =>
            {
                pack.settings.exam_date = Some(date);
            }
            _ => error(
                d.span().start,
                format!("`exam_date` is `{text}`; write a date as YYYY-MM-DD"),
            ),
        }
    }
}

/// `simulators = [...]` and `[generators]` of `pack.toml`, read once the topics are known.
struct Declarations<'a, 'i> {
    path: &'a str,
    index: &'a LineIndex<'a>,
    simulators: Option<toml::Spanned<DeValue<'i>>>,
    generators: Option<toml::Spanned<DeValue<'i>>>,
}

impl Declarations<'_, '_> {
    /// E023 for a name that is not a simulator or generator of this build, or one named twice;
    /// E004 for a generator mapped to a topic the pack does not have; E002 for a wrong shape.
    fn read(self, pack: &mut Pack, sink: &mut Sink) {
        let (path, index) = (self.path, self.index);
        let mut error = |offset: usize, code: &'static str, message: String| {
            sink.push(path, Some(index), offset, Severity::Error, code, message);
        };
        if let Some(value) = self.simulators {
            let start = value.span().start;
            match Vec::<toml::Spanned<String>>::deserialize(value.into_deserializer()) {
                Err(_) => error(
                    start,
                    "E002",
                    "`simulators` must be a list of names, e.g. simulators = [\"retry\"]"
                        .to_owned(),
                ),
                Ok(names) => {
                    for name in names {
                        let at = name.span().start;
                        match crate::sim::Kind::parse(name.get_ref()) {
                            None => error(
                                at,
                                "E023",
                                format!(
                                    "unknown simulator `{}` in `simulators`; this build has: {}",
                                    name.get_ref(),
                                    crate::sim::Kind::names().join(", ")
                                ),
                            ),
                            Some(kind) if pack.simulators.contains(&kind) => error(
                                at,
                                "E023",
                                format!("simulator `{}` is listed twice", name.get_ref()),
                            ),
                            Some(kind) => pack.simulators.push(kind),
                        }
                    }
                }
            }
        }
        let Some(value) = self.generators else {
            return;
        };
        let start = value.span().start;
        let DeValue::Table(table) = value.into_inner() else {
            error(
                start,
                "E002",
                "`generators` must be a table of generator = \"topic\" lines under [generators]"
                    .to_owned(),
            );
            return;
        };
        let known = crate::sim::generator_ids();
        for (key, value) in table {
            let id = key.get_ref().as_ref();
            let at = key.span().start;
            if !known.contains(&id) {
                error(
                    at,
                    "E023",
                    format!(
                        "unknown generator `{id}` in [generators]; this build has: {}",
                        known.join(", ")
                    ),
                );
                continue;
            }
            let value_at = value.span().start;
            let DeValue::String(topic) = value.into_inner() else {
                error(
                    value_at,
                    "E002",
                    format!("generator `{id}` maps to a topic id, written as a string"),
                );
                continue;
            };
            if pack.topic(&topic).is_none() {
                error(
                    value_at,
                    "E004",
                    format!(
                        "generator `{id}` is mapped to unknown topic `{topic}` (not in pack.toml)"
                    ),
                );
                continue;
            }
            pack.generators.push(GeneratorUse {
                id: id.to_owned(),
                topic: topic.into_owned(),
            });
        }
        // The registry's order, whatever order the table was written in: sessions draw from
        // the generators in turn, so the same seed gives the same session.
        pack.generators
            .sort_by_key(|g| known.iter().position(|k| *k == g.id));
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
/// A file's items with their offsets and what was found in the Markdown of each of their texts
/// (in [`Item::texts`] order; none when not scanned), and the problems met parsing it.
type Parsed<T> = (Vec<(T, usize, Vec<Vec<(usize, Finding)>>)>, Sink);

/// [`parse_items`] for each of `files` (indices into `sources`), in order, spread over the
/// machine's cores: parsing TOML and Markdown is most of the work of reading a large pack, and
/// files do not depend on each other. Each file's problems come back in a sink of its own.
///
/// With `links` (the pack so far and its notes' sorted anchors; `None` to parse only), each
/// text's Markdown is scanned too, and its links are resolved there and then: every note has
/// loaded by now, so only the problems need to come back (see [`Finding`]).
fn parse_files<T: Item>(
    sources: &[Source<'_>],
    files: &[usize],
    links: Option<(&Pack, &HashMap<String, Vec<String>>)>,
) -> Vec<Parsed<T>> {
    let scan = |raw: &T, text: &str| -> Vec<(usize, Finding)> {
        let Some((pack, sorted_anchors)) = links else {
            return Vec::new();
        };
        let topic = raw.topic().get_ref().as_str();
        markdown::references(text)
            .into_iter()
            .filter_map(|(offset, reference)| {
                let finding = match reference {
                    Reference::Link(dest) => {
                        let (code, message) =
                            link_problem(pack, sorted_anchors, &dest, Some(topic))?;
                        Finding::BadLink(code, message)
                    }
                    markup => Finding::Markup(markup),
                };
                Some((offset, finding))
            })
            .collect()
    };
    let parse = |i: usize| {
        let src = &sources[i];
        let mut sink = Sink::new();
        let items = parse_items::<T>(src.path, src.text, &src.index, T::KEY, &mut sink)
            .into_iter()
            .map(|(raw, offset)| {
                let found = if links.is_some() {
                    raw.texts()
                        .iter()
                        .map(|(field, _, _)| scan(&raw, field.get_ref()))
                        .collect()
                } else {
                    Vec::new()
                };
                (raw, offset, found)
            })
            .collect();
        (items, sink)
    };
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len())
        .min(8);
    if workers <= 1 {
        return files.iter().map(|&i| parse(i)).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, Parsed<T>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    // Each turn takes the next file; there are `files.len()` turns in all.
                    loop {
                        let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&i) = files.get(k) else {
                            break;
                        };
                        mine.push((k, parse(i)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    done.sort_by_key(|(k, _)| *k);
    done.into_iter().map(|(_, r)| r).collect()
}

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
            syntax_error(path, text, index, &e, sink);
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
        .filter_map(|(item, offset)| {
            let (id, choices) = peek_item(&item);
            match T::deserialize(item.into_deserializer()) {
                Ok(t) => Some((t, offset)),
                Err(e) => {
                    // Name the item and the choice, as the checks after parsing do.
                    let at = e.span().map_or(offset, |s| s.start);
                    let choice = choices.iter().position(|c| c.contains(&at));
                    let context = match (id, choice) {
                        (Some(id), Some(n)) => format!("{key} `{id}`, choice {}: ", n + 1),
                        (Some(id), None) => format!("{key} `{id}`: "),
                        (None, Some(n)) => format!("choice {}: ", n + 1),
                        (None, None) => String::new(),
                    };
                    sink.push(
                        path,
                        Some(index),
                        at,
                        Severity::Error,
                        "E002",
                        format!("{context}{}", e.message().trim()),
                    );
                    None
                }
            }
        })
        .collect()
}

/// A `[[card]]` or `[[question]]` table's `id`, if it is a string, and the spans of its
/// `[[question.choice]]` tables: what a message about an item that did not parse can name.
/// The id is borrowed from the file when it is written without escapes, as ids are: peeking
/// copies nothing for the items that parse.
fn peek_item<'i>(
    item: &toml::Spanned<DeValue<'i>>,
) -> (Option<Cow<'i, str>>, Vec<std::ops::Range<usize>>) {
    let DeValue::Table(table) = item.get_ref() else {
        return (None, Vec::new());
    };
    let mut id = None;
    let mut choices = Vec::new();
    for (k, v) in table.iter() {
        match (k.get_ref().as_ref(), v.get_ref()) {
            ("id", DeValue::String(s)) => id = Some(s.clone()),
            ("choice", DeValue::Array(items)) => choices = items.iter().map(|c| c.span()).collect(),
            _ => {}
        }
    }
    (id, choices)
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

fn syntax_error(
    path: &str,
    text: &str,
    index: &LineIndex<'_>,
    e: &toml::de::Error,
    sink: &mut Sink,
) {
    let offset = e.span().map_or(0, |s| s.start);
    sink.push(
        path,
        Some(index),
        offset,
        Severity::Error,
        "E001",
        format!("TOML syntax: {}", super::diagnostic::toml_syntax(text, e)),
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

#[cfg(test)]
mod tests {
    use super::in_topic_order;

    #[test]
    fn items_are_put_in_topic_order_stably() {
        let items = vec![(2, 'a'), (0, 'b'), (2, 'c'), (1, 'd'), (0, 'e')];
        let ordered = in_topic_order(items, |&(rank, _)| rank);
        assert_eq!(
            ordered,
            [(0, 'b'), (0, 'e'), (1, 'd'), (2, 'a'), (2, 'c')],
            "by rank, and as written within a rank"
        );
        let sorted = vec![(0, 'x'), (1, 'y')];
        assert_eq!(in_topic_order(sorted.clone(), |&(r, _)| r), sorted);
    }
}
