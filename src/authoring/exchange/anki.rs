//! Anki packages (`.apkg`): a zip holding a SQLite `collection.anki2` and a `media` map.
//! Export: one note type "coldstart card" (Front, Back, Source, Refs), one note per card, tags
//! from the topic and the card's tags, optionally the review history. Import: Basic-style notes
//! (first two fields) become cards, their HTML turned into Markdown where it can be.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::{ExchangeError, ImportReport, NewCard, Skipped, io_err, stable_id};
use crate::content::Pack;
use crate::srs::{CardState, LogEntry, State};
use crate::store::anki::{
    AnkiCard, AnkiCollection, AnkiNote, AnkiReview, read_anki_notes, write_anki_collection,
};

/// The note type's fields, in order.
pub const FIELDS: [&str; 4] = ["Front", "Back", "Source", "Refs"];

/// A learner's history to carry into the package.
pub struct Progress<'a> {
    pub states: &'a HashMap<String, CardState>,
    pub log: &'a [LogEntry],
}

/// Markdown to the HTML Anki shows.
pub fn markdown_to_html(md: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(md, crate::content::markdown_options());
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    html.trim_end().to_owned()
}

fn anki_tag(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_whitespace() { '_' } else { c })
        .collect()
}

const DAY_MS: i64 = 86_400_000;

/// Builds the collection of `pack` at `now_ms`.
pub fn collection(pack: &Pack, progress: Option<&Progress<'_>>, now_ms: i64) -> AnkiCollection {
    // Review cards' due dates count days from the collection's creation: put it a year back so
    // every date of a recent history is after it.
    let created_s = (now_ms - 365 * DAY_MS).div_euclid(DAY_MS) * 86_400;
    let mut notes = Vec::new();
    let mut cards = Vec::new();
    let mut card_ids: HashMap<&str, i64> = HashMap::new();
    let mut used: HashSet<i64> = HashSet::new();
    for (i, c) in pack.cards.iter().enumerate() {
        let mut id = stable_id(&format!("{}/{}", pack.meta.id, c.id));
        while !used.insert(id) {
            id += 1;
        }
        let source = match pack.section(&c.source) {
            Some((note, section)) => format!("{} › {}", note.title, section.title),
            None => c.source.to_string(),
        };
        let refs: Vec<String> = c
            .refs
            .iter()
            .map(|r| {
                let r = quick_xml::escape::escape(r.as_str());
                format!("<a href=\"{r}\">{r}</a>")
            })
            .collect();
        let mut tags = vec![anki_tag(&pack.meta.id), anki_tag(&c.topic)];
        tags.extend(c.tags.iter().map(|t| anki_tag(t)));
        notes.push(AnkiNote {
            id,
            guid: format!("coldstart:{}:{}", pack.meta.id, c.id),
            fields: vec![
                markdown_to_html(&c.front),
                markdown_to_html(&c.back),
                quick_xml::escape::escape(source.as_str()).into_owned(),
                refs.join("<br>"),
            ],
            tags,
        });
        let mut card = AnkiCard {
            id,
            note_id: id,
            kind: 0,
            queue: 0,
            due: i as i64 + 1,
            ivl: 0,
            factor: 0,
            reps: 0,
            lapses: 0,
        };
        if let Some(state) = progress.and_then(|p| p.states.get(&c.id)) {
            let due_ms = state.due.as_millisecond();
            let last_ms = state.last_review.map_or(due_ms, |t| t.as_millisecond());
            let ivl = ((due_ms - last_ms) / DAY_MS).max(1);
            match state.state {
                State::New => {}
                State::Learning | State::Relearning => {
                    card.kind = if state.state == State::Learning { 1 } else { 3 };
                    card.queue = 1;
                    card.due = due_ms / 1000;
                    card.factor = 2500;
                    card.ivl = if state.state == State::Relearning {
                        ivl
                    } else {
                        0
                    };
                }
                State::Review => {
                    card.kind = 2;
                    card.queue = 2;
                    card.due = (due_ms / 1000 - created_s).div_euclid(86_400);
                    card.ivl = ivl;
                    card.factor = 2500;
                }
            }
        }
        card_ids.insert(c.id.as_str(), id);
        cards.push(card);
    }
    let mut revlog = Vec::new();
    if let Some(p) = progress {
        let mut ids: HashSet<i64> = HashSet::new();
        let mut last_ivl: HashMap<&str, i64> = HashMap::new();
        for e in p.log {
            let Some(&cid) = card_ids.get(e.card_id.as_str()) else {
                continue;
            };
            let at = e.reviewed_at.as_millisecond();
            let mut id = at;
            while !ids.insert(id) {
                id += 1;
            }
            let gap_ms = e.due_after.as_millisecond() - at;
            // Anki writes intervals under a day as negative seconds.
            let ivl = if gap_ms >= DAY_MS {
                gap_ms / DAY_MS
            } else {
                -(gap_ms / 1000).max(1)
            };
            let kind = match e.state_before {
                State::New | State::Learning => 0,
                State::Review => 1,
                State::Relearning => 2,
            };
            revlog.push(AnkiReview {
                id,
                card_id: cid,
                ease: i64::from(e.rating.number()),
                ivl,
                last_ivl: last_ivl.get(e.card_id.as_str()).copied().unwrap_or(0),
                factor: 2500,
                time_ms: e.duration_ms.clamp(0, 60_000),
                kind,
            });
            last_ivl.insert(e.card_id.as_str(), ivl);
            if let Some(card) = cards.iter_mut().find(|c| c.id == cid) {
                card.reps += 1;
                if e.rating.number() == 1 && e.state_before == State::Review {
                    card.lapses += 1;
                }
            }
        }
    }
    AnkiCollection {
        deck_id: stable_id(&format!("deck/{}", pack.meta.id)),
        deck_name: pack.meta.title.clone(),
        model_id: stable_id(&format!("model/{}", pack.meta.id)),
        model_name: "coldstart card".to_owned(),
        field_names: FIELDS.iter().map(|s| (*s).to_owned()).collect(),
        qfmt: "{{Front}}".to_owned(),
        afmt: "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}\n\n<div class=source>{{Source}}</div>\n{{#Refs}}<div class=refs>{{Refs}}</div>{{/Refs}}".to_owned(),
        css: ".card { font-family: sans-serif; font-size: 20px; text-align: left; color: black; background-color: white; }\n.source, .refs { font-size: 14px; color: #666; margin-top: 1em; }\ntable { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 2px 6px; }".to_owned(),
        created_s,
        now_ms,
        notes,
        cards,
        revlog,
    }
}

/// A path beside `out` for the temporary SQLite file, not yet taken.
fn temp_beside(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".to_owned());
    let dir = out.parent().unwrap_or(Path::new("."));
    let mut n = 0u32;
    loop {
        let p = dir.join(format!(".{name}.{}.{n}.anki2.tmp", std::process::id()));
        if !p.exists() || n > 1000 {
            return p;
        }
        n += 1;
    }
}

/// Writes `pack`'s cards as an Anki package at `out`.
pub fn write_apkg(
    pack: &Pack,
    progress: Option<&Progress<'_>>,
    now_ms: i64,
    out: &Path,
) -> Result<(), ExchangeError> {
    let col = collection(pack, progress, now_ms);
    let tmp = temp_beside(out);
    let result = (|| {
        write_anki_collection(&tmp, &col)?;
        let db = std::fs::read(&tmp).map_err(io_err(&tmp))?;
        let file = std::fs::File::create(out).map_err(io_err(out))?;
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("collection.anki2", options)?;
        zip.write_all(&db).map_err(io_err(out))?;
        zip.start_file("media", options)?;
        zip.write_all(b"{}").map_err(io_err(out))?;
        let mut w = zip.finish()?;
        w.flush().map_err(io_err(out))?;
        Ok(())
    })();
    let _ = std::fs::remove_file(&tmp);
    result
}

/// Reads the notes of an `.apkg` file (via a temporary copy of its collection beside `apkg`).
pub fn read_apkg_notes(
    apkg: &Path,
) -> Result<Vec<crate::store::anki::AnkiReadNote>, ExchangeError> {
    let file = std::fs::File::open(apkg).map_err(io_err(apkg))?;
    read_apkg_from(file, apkg)
}

fn read_apkg_from<R: Read + Seek>(
    reader: R,
    apkg: &Path,
) -> Result<Vec<crate::store::anki::AnkiReadNote>, ExchangeError> {
    let mut zip = zip::ZipArchive::new(reader)?;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    let name = ["collection.anki21", "collection.anki2"]
        .into_iter()
        .find(|n| names.iter().any(|m| m == n));
    let Some(name) = name else {
        let hint = if names.iter().any(|n| n == "collection.anki21b") {
            " (it holds only the compressed collection of Anki 2.1.50+: export again from Anki with \"Support older Anki versions\" ticked)"
        } else {
            ""
        };
        return Err(ExchangeError::Other(format!(
            "{} has no collection.anki2{hint}",
            apkg.display()
        )));
    };
    let mut bytes = Vec::new();
    zip.by_name(name)?
        .take(512 * 1024 * 1024)
        .read_to_end(&mut bytes)
        .map_err(io_err(apkg))?;
    let tmp = temp_beside(&std::env::temp_dir().join("coldstart-import"));
    let result = (|| {
        std::fs::write(&tmp, &bytes).map_err(io_err(&tmp))?;
        Ok(read_anki_notes(&tmp)?)
    })();
    let _ = std::fs::remove_file(&tmp);
    result
}

/// HTML of an Anki field turned into Markdown: `<br>`, `<div>`, `<p>`, `<b>`/`<strong>`,
/// `<i>`/`<em>`, `<code>`, `<a href>`, `<ul>`/`<ol>` lists (nested, with their start number)
/// and the common entities. Returns the text and the tags it could not turn into Markdown
/// (dropped, their text kept); `<img>` and `[sound:…]` are dropped and reported. Text that
/// Markdown would read as a list marker (`2773.` at the start of a line) is escaped.
pub fn html_to_markdown(html: &str) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut lost: Vec<String> = Vec::new();
    let mut rest = html;
    let mut link: Option<String> = None;
    // Open lists, innermost last: the next item's number (`None` for bullets), and the width
    // of the current item's marker, which a nested list is indented by.
    let mut lists: Vec<(Option<u64>, usize)> = Vec::new();
    let new_line = |out: &mut String| {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
    };
    while let Some(lt) = rest.find('<') {
        push_text(&mut out, &decode_entities(&rest[..lt]));
        let Some(gt) = rest[lt..].find('>') else {
            push_text(&mut out, &decode_entities(&rest[lt..]));
            rest = "";
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        rest = &rest[lt + gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match name.as_str() {
            "br" => out.push('\n'),
            "div" | "p" => {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            "b" | "strong" => out.push_str("**"),
            "i" | "em" => out.push('*'),
            "code" => out.push('`'),
            "span" | "font" => {}
            // A list sits apart from the paragraphs around it (a list that does not start at
            // 1 cannot interrupt a paragraph in Markdown).
            "ul" | "ol" if closing => {
                lists.pop();
                new_line(&mut out);
                if lists.is_empty() {
                    out.push('\n');
                }
            }
            "ul" | "ol" => {
                new_line(&mut out);
                if lists.is_empty() && !out.is_empty() && !out.ends_with("\n\n") {
                    out.push('\n');
                }
                let start = attr(tag, "start").and_then(|n| n.trim().parse().ok());
                lists.push(((name == "ol").then(|| start.unwrap_or(1)), 0));
            }
            "li" if closing => {}
            "li" => {
                new_line(&mut out);
                let outer = lists.len().saturating_sub(1);
                let indent: usize = lists[..outer].iter().map(|(_, w)| w).sum();
                out.push_str(&" ".repeat(indent));
                let marker = match lists.last_mut() {
                    Some((Some(n), _)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "- ".to_owned(),
                };
                out.push_str(&marker);
                if let Some(last) = lists.last_mut() {
                    last.1 = marker.len();
                }
            }
            "a" if closing => {
                if let Some(href) = link.take() {
                    out.push_str(&format!("]({href})"));
                }
            }
            "a" => {
                let href = attr(tag, "href");
                match href {
                    Some(h) if h.starts_with("https://") || h.starts_with("http://") => {
                        out.push('[');
                        link = Some(h);
                    }
                    _ => lost.push("<a> without a web address".to_owned()),
                }
            }
            other => {
                if !closing {
                    lost.push(format!("<{other}>"));
                }
            }
        }
    }
    push_text(&mut out, &decode_entities(rest));
    if out.contains("[sound:") {
        lost.push("[sound:…]".to_owned());
        while let Some(s) = out.find("[sound:") {
            let e = out[s..].find(']').map_or(out.len(), |e| s + e + 1);
            out.replace_range(s..e, "");
        }
    }
    lost.sort();
    lost.dedup();
    let text = out
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned();
    (text, lost)
}

/// Appends text from between tags; at the start of a line, a number and a period (or `)`) that
/// Markdown would take for a list item is escaped (`2773\.`), and so is a leading `-`, `+`
/// or `*` followed by a space.
fn push_text(out: &mut String, text: &str) {
    for (i, piece) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let at_line_start = out.is_empty() || out.ends_with('\n');
        let trimmed = piece.trim_start();
        let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
        let after = trimmed[digits..].chars().next();
        let marker_end = trimmed[digits..].chars().nth(1);
        let numbered = (1..=9).contains(&digits)
            && matches!(after, Some('.' | ')'))
            && marker_end.is_none_or(char::is_whitespace);
        let bullet = digits == 0
            && matches!(after, Some('-' | '+' | '*'))
            && marker_end.is_none_or(char::is_whitespace);
        if at_line_start && numbered {
            let lead = piece.len() - trimmed.len() + digits;
            out.push_str(&piece[..lead]);
            out.push('\\');
            out.push_str(&piece[lead..]);
        } else if at_line_start && bullet {
            let lead = piece.len() - trimmed.len();
            out.push_str(&piece[..lead]);
            out.push('\\');
            out.push_str(&piece[lead..]);
        } else {
            out.push_str(piece);
        }
    }
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let i = tag.find(&format!("{name}="))?;
    let v = &tag[i + name.len() + 1..];
    let (q, v) = match v.chars().next()? {
        '"' => ('"', &v[1..]),
        '\'' => ('\'', &v[1..]),
        _ => (' ', v),
    };
    Some(decode_entities(&v[..v.find(q).unwrap_or(v.len())]))
}

fn decode_entities(s: &str) -> String {
    s.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// `coldstart pack import-anki`: the Basic-style notes of an `.apkg` (a note type with at least
/// two fields; the first is the front, the second the back) become cards of `topic` in `dir`.
/// Notes with empty sides, or whose HTML becomes Markdown the pack would refuse, are skipped and
/// reported; tags other than `coldstart`'s own are kept.
pub fn import_anki(apkg: &Path, dir: &Path, topic: &str) -> Result<ImportReport, ExchangeError> {
    let notes = read_apkg_notes(apkg)?;
    let (_, default_source) = super::pack_and_default_source(dir, topic)?;
    let mut taken = super::existing_card_ids(dir);
    let mut report = ImportReport::default();
    let mut cards = Vec::new();
    for (i, n) in notes.iter().enumerate() {
        let line = i as u64 + 1;
        if n.fields.len() < 2 {
            report.skipped.push(Skipped {
                line,
                reason: format!("note type {:?} has fewer than two fields", n.note_type),
            });
            continue;
        }
        let (front, lost_f) = html_to_markdown(&n.fields[0]);
        let (back, lost_b) = html_to_markdown(&n.fields[1]);
        if front.is_empty() || back.is_empty() {
            report.skipped.push(Skipped {
                line,
                reason: "front or back is empty once HTML is removed".to_owned(),
            });
            continue;
        }
        let mut lost: Vec<String> = lost_f.into_iter().chain(lost_b).collect();
        lost.sort();
        lost.dedup();
        if !lost.is_empty() {
            report.warnings.push(Skipped {
                line,
                reason: format!(
                    "dropped what Markdown in a pack cannot hold: {}",
                    lost.join(", ")
                ),
            });
        }
        if n.fields.len() > 2 && n.fields[2..].iter().any(|f| !f.trim().is_empty()) {
            report.warnings.push(Skipped {
                line,
                reason: format!(
                    "note type {:?}: only the first two fields were taken",
                    n.note_type
                ),
            });
        }
        let id = super::fresh_id(topic, &front, &mut taken);
        let tags = n
            .tags
            .iter()
            .filter(|t| t.as_str() != "coldstart")
            .map(|t| t.to_lowercase())
            .collect();
        report.added.push(id.clone());
        cards.push(NewCard {
            id,
            topic: topic.to_owned(),
            front,
            back,
            source: default_source.clone(),
            tags,
            refs: Vec::new(),
        });
    }
    report.file = super::append_cards(dir, topic, &cards)?;
    Ok(report)
}
