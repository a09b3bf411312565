//! Exchange with the tools learners and colleagues already use: the pack folder as a zip, cards
//! as CSV or as an Anki package, questions as Moodle XML or GIFT; cards in from a spreadsheet
//! (CSV) or from an Anki package.

pub mod anki;
pub mod quiz_formats;

use std::collections::HashSet;
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::content::{Pack, PackFile};

#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the zip file: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
    #[error("{0}")]
    Other(String),
}

pub(crate) fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ExchangeError + '_ {
    move |source| ExchangeError::Io {
        path: path.to_owned(),
        source,
    }
}

/// The pack's own files (`pack.toml`, `notes/*.md`, `cards/*.toml`, `questions/*.toml`) as a zip
/// whose entries sit under one folder named after the pack id, so unzipping gives the folder
/// back.
pub fn write_pack_zip<W: Write + Seek>(
    files: &[PackFile],
    folder: &str,
    out: W,
) -> Result<W, ExchangeError> {
    let mut zip = zip::ZipWriter::new(out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o644);
    for f in files {
        zip.start_file(format!("{folder}/{}", f.path), options)?;
        zip.write_all(&f.bytes)
            .map_err(io_err(Path::new(&f.path)))?;
    }
    Ok(zip.finish()?)
}

/// The files of a pack folder that belong to the pack, in the loader's order. The loader (run
/// before this) refuses symbolic links and oversized files.
pub fn read_pack_files(dir: &Path) -> Result<Vec<PackFile>, ExchangeError> {
    let mut rels = vec!["pack.toml".to_owned()];
    for (sub, ext) in [("notes", "md"), ("cards", "toml"), ("questions", "toml")] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.ends_with(&format!(".{ext}")) && !n.starts_with('.'))
            .collect();
        names.sort();
        rels.extend(names.into_iter().map(|n| format!("{sub}/{n}")));
    }
    rels.into_iter()
        .map(|rel| {
            let path = dir.join(&rel);
            let bytes = std::fs::read(&path).map_err(io_err(&path))?;
            Ok(PackFile {
                path: rel,
                bytes: bytes.into(),
            })
        })
        .collect()
}

/// The columns of a cards CSV, in order. `front`, `back`, `source`, `tags` (space-separated)
/// are what `import-cards` reads; `refs` (space-separated) and `id` are read when present.
pub const CSV_COLUMNS: [&str; 6] = ["front", "back", "source", "tags", "refs", "id"];

/// The pack's cards as CSV with a header row.
pub fn write_cards_csv(pack: &Pack, out: &mut dyn Write) -> Result<(), ExchangeError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_COLUMNS)?;
    for c in &pack.cards {
        w.write_record([
            c.front.as_str(),
            c.back.as_str(),
            &c.source.to_string(),
            &c.tags.join(" "),
            &c.refs.join(" "),
            c.id.as_str(),
        ])?;
    }
    w.flush().map_err(csv::Error::from)?;
    Ok(())
}

/// A card as written to a `cards/*.toml` file.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct NewCard {
    pub id: String,
    pub topic: String,
    pub front: String,
    pub back: String,
    pub source: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<String>,
}

/// A row or note that could not be taken, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The CSV line, or the note's position (1-based) in the Anki collection.
    pub line: u64,
    pub reason: String,
}

/// What an import did.
#[derive(Clone, Debug, Default)]
pub struct ImportReport {
    /// The file the cards were appended to, inside the pack.
    pub file: String,
    pub added: Vec<String>,
    pub skipped: Vec<Skipped>,
    /// Notes taken, but with something that could not be turned into Markdown.
    pub warnings: Vec<Skipped>,
}

/// Card ids already in the pack folder (from a lenient read of `cards/*.toml`).
fn existing_card_ids(dir: &Path) -> HashSet<String> {
    let texts: Vec<(String, String)> = read_pack_files(dir)
        .unwrap_or_default()
        .into_iter()
        .map(|f| (f.path, String::from_utf8_lossy(&f.bytes).into_owned()))
        .collect();
    super::locate::places(&texts).cards.into_keys().collect()
}

/// A new id `<topic>-<words of the front>` not in `taken` (which it is then added to).
pub fn fresh_id(topic: &str, front: &str, taken: &mut HashSet<String>) -> String {
    let mut words = String::new();
    for w in front
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if words.len() + w.len() > 40 {
            break;
        }
        if !words.is_empty() {
            words.push('-');
        }
        words.push_str(&w.to_ascii_lowercase());
    }
    let base = if words.is_empty() {
        format!("{topic}-card")
    } else {
        format!("{topic}-{words}")
    };
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(id.clone());
    id
}

/// Appends `cards` to `DIR/cards/<topic>.toml` (created if missing) as `[[card]]` tables.
/// Returns the file's path inside the pack.
pub fn append_cards(dir: &Path, topic: &str, cards: &[NewCard]) -> Result<String, ExchangeError> {
    #[derive(Serialize)]
    struct File<'a> {
        card: &'a [NewCard],
    }
    let rel = format!("cards/{topic}.toml");
    if cards.is_empty() {
        return Ok(rel);
    }
    let text = toml::to_string(&File { card: cards })
        .map_err(|e| ExchangeError::Other(format!("cannot write TOML: {e}")))?;
    let path = dir.join(&rel);
    let cards_dir = dir.join("cards");
    std::fs::create_dir_all(&cards_dir).map_err(io_err(&cards_dir))?;
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(io_err(&path))?;
    f.write_all(b"\n# Imported by coldstart.\n")
        .map_err(io_err(&path))?;
    f.write_all(text.as_bytes()).map_err(io_err(&path))?;
    f.flush().map_err(io_err(&path))?;
    Ok(rel)
}

/// The pack in `dir` and the section a card of `topic` cites when a row names none: the first
/// section of the topic's note below its title, or the title.
fn pack_and_default_source(dir: &Path, topic: &str) -> Result<(Pack, String), ExchangeError> {
    let report = crate::content::load_dir(dir).map_err(io_err(dir))?;
    let pack = report.pack;
    if pack.topic(topic).is_none() {
        return Err(ExchangeError::Other(format!(
            "the pack in {} has no topic {topic:?} (add it to pack.toml with a note first)",
            dir.display()
        )));
    }
    let note = pack.note(topic).ok_or_else(|| {
        ExchangeError::Other(format!(
            "topic {topic} has no note (notes/{topic}.md): cards need a section to cite"
        ))
    })?;
    let default = note
        .sections
        .iter()
        .find(|s| s.level > 1)
        .or(note.sections.first())
        .map(|s| format!("{topic}#{}", s.anchor))
        .ok_or_else(|| ExchangeError::Other(format!("the note of {topic} has no heading")))?;
    Ok((pack, default))
}

/// `coldstart pack import-cards`: appends the rows of a CSV file (header row with at least
/// `front` and `back`; `source`, `tags`, `refs`, `id` when present) to `DIR/cards/<topic>.toml`.
/// Rows that cannot be taken are reported with their line and not written; nothing is written
/// when the header is unusable.
pub fn import_cards(
    csv_text: impl std::io::Read,
    dir: &Path,
    topic: &str,
) -> Result<ImportReport, ExchangeError> {
    let (pack, default_source) = pack_and_default_source(dir, topic)?;
    let mut taken = existing_card_ids(dir);
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(csv_text);
    let headers: Vec<String> = r
        .headers()?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(c_front), Some(c_back)) = (col("front"), col("back")) else {
        return Err(ExchangeError::Other(format!(
            "the first row must be a header naming the columns front, back, source, tags (found: {})",
            headers.join(", ")
        )));
    };
    let (c_source, c_tags, c_refs, c_id) = (col("source"), col("tags"), col("refs"), col("id"));
    let mut report = ImportReport::default();
    let mut cards = Vec::new();
    for rec in r.records() {
        let rec = match rec {
            Ok(rec) => rec,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                report.skipped.push(Skipped {
                    line,
                    reason: format!("not readable as CSV: {e}"),
                });
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line());
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim();
        let skip = |reason: String| Skipped { line, reason };
        let (front, back) = (get(Some(c_front)), get(Some(c_back)));
        if front.is_empty() || back.is_empty() {
            report
                .skipped
                .push(skip("front and back must both have text".into()));
            continue;
        }
        let source = match get(c_source) {
            "" => default_source.clone(),
            s if s.contains('#') => s.to_owned(),
            s => format!("{topic}#{s}"),
        };
        let ok_source = crate::content::SectionRef::parse(&source)
            .is_some_and(|r| r.topic == topic && pack.section(&r).is_some());
        if !ok_source {
            report.skipped.push(skip(format!(
                "source {source:?} is not a section of the {topic} note"
            )));
            continue;
        }
        let refs: Vec<String> = get(c_refs).split_whitespace().map(str::to_owned).collect();
        if let Some(bad) = refs.iter().find(|r| !r.starts_with("https://")) {
            report
                .skipped
                .push(skip(format!("refs entry {bad:?} is not an https:// URL")));
            continue;
        }
        let id = match get(c_id) {
            "" => fresh_id(topic, front, &mut taken),
            id if !super::scaffold::valid_id(id) => {
                report.skipped.push(skip(format!(
                    "id {id:?} is not lowercase letters, digits and '-'"
                )));
                continue;
            }
            id if taken.contains(id) => {
                report
                    .skipped
                    .push(skip(format!("id {id:?} is already a card of the pack")));
                continue;
            }
            id => {
                taken.insert(id.to_owned());
                id.to_owned()
            }
        };
        let tags = get(c_tags)
            .split([' ', ',', ';'])
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        report.added.push(id.clone());
        cards.push(NewCard {
            id,
            topic: topic.to_owned(),
            front: front.to_owned(),
            back: back.to_owned(),
            source,
            tags,
            refs,
        });
    }
    report.file = append_cards(dir, topic, &cards)?;
    Ok(report)
}

/// A note id / timestamp base for exported files that is stable for a pack: a hash of `s`
/// folded into 1e12..2e12 (epoch milliseconds in 2001–2033), as Anki ids are.
pub(crate) fn stable_id(s: &str) -> i64 {
    let d = sha1_smol::Sha1::from(s.as_bytes()).digest().bytes();
    let n = u64::from_be_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]]);
    1_000_000_000_000 + (n % 1_000_000_000_000) as i64
}
