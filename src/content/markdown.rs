//! Pack Markdown, read with pulldown-cmark: a note's front matter and sections (headings), and
//! the links, images and raw HTML in any note, card or question text.

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::Deserialize;
use serde::de::IntoDeserializer;

use super::diagnostic::{LineIndex, Severity, Sink};
use super::model::Section;
use super::raw::RawFrontMatter;
use super::slug::{SlugSet, slugify};

/// The Markdown extensions notes may use; the app renders with the same set.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

pub(crate) struct ParsedNote {
    /// Topic id and its byte offset in the file.
    pub topic: (String, usize),
    pub simulator: Option<(String, usize)>,
    pub body: String,
    /// Byte offset of the body in the file.
    pub body_start: usize,
    pub sections: Vec<Section>,
}

/// Splits the `+++` front matter from the body and reads both. Problems go to `sink`.
pub(crate) fn parse_note(
    path: &str,
    text: &str,
    index: &LineIndex<'_>,
    sink: &mut Sink,
) -> Option<ParsedNote> {
    let mut error = |offset: usize, code: &'static str, message: String| {
        sink.push(path, Some(index), offset, Severity::Error, code, message);
    };
    let Some(rest) = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
    else {
        error(
            0,
            "E001",
            "a note starts with TOML front matter between `+++` lines (topic = \"…\")".into(),
        );
        return None;
    };
    let fm_start = text.len() - rest.len();
    let Some(end) = rest
        .match_indices("+++")
        .map(|(i, _)| i)
        .find(|&i| i == 0 || rest[..i].ends_with('\n'))
    else {
        error(
            0,
            "E001",
            "front matter is not closed by a `+++` line".into(),
        );
        return None;
    };
    let fm_text = &rest[..end];
    let after = &rest[end + 3..];
    let body_start =
        fm_start + end + 3 + after.len() - after.trim_start_matches(['\r', '\n']).len();
    let body = &text[body_start..];

    let fm = match toml::de::DeTable::parse(fm_text) {
        Ok(t) => t,
        Err(e) => {
            error(
                fm_start + e.span().map_or(0, |s| s.start),
                "E001",
                format!(
                    "front matter TOML syntax: {}",
                    super::diagnostic::toml_syntax(fm_text, &e)
                ),
            );
            return None;
        }
    };
    let span = fm.span();
    let fm = match RawFrontMatter::deserialize(
        toml::Spanned::new(span, toml::de::DeValue::Table(fm.into_inner())).into_deserializer(),
    ) {
        Ok(fm) => fm,
        Err(e) => {
            error(
                fm_start + e.span().map_or(0, |s| s.start),
                "E002",
                format!("front matter: {}", e.message().trim()),
            );
            return None;
        }
    };

    if body.trim().is_empty() {
        error(
            body_start,
            "E007",
            "the note is empty: write its text after the front matter".into(),
        );
    }

    let mut sections = Vec::new();
    let mut slugs = SlugSet::default();
    let mut heading: Option<(u8, usize, String)> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level_number(level), range.start, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((level, offset, title)) = heading.take() else {
                    continue;
                };
                let title = title.trim().to_owned();
                let slug = slugify(&title);
                // A heading without an anchor could never be cited or linked to.
                if title.is_empty() {
                    error(body_start + offset, "E007", "the heading is empty".into());
                } else if slug.is_empty() {
                    error(
                        body_start + offset,
                        "E007",
                        format!("heading `{title}` has no letters or digits, so it has no anchor"),
                    );
                } else {
                    sections.push(Section {
                        anchor: slugs.unique(slug),
                        title,
                        level,
                        offset,
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, title)) = heading.as_mut() {
                    title.push_str(&t);
                }
            }
            _ => {}
        }
    }

    Some(ParsedNote {
        topic: (fm.topic.get_ref().clone(), fm_start + fm.topic.span().start),
        simulator: fm
            .simulator
            .map(|s| (s.get_ref().clone(), fm_start + s.span().start)),
        body: body.to_owned(),
        body_start,
        sections,
    })
}

/// Something in pack Markdown the checker looks at: what points outside the text itself, and
/// what Markdown reads differently from how it looks.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Reference {
    /// A link, with its destination as written (`mailto:` added to e-mail autolinks).
    Link(String),
    Image,
    /// Raw HTML: one per HTML block, one per inline tag.
    Html,
    /// A list item with nothing in it: usually a line that is only a number and a period
    /// (`2773.`), which Markdown reads as the start of a numbered list.
    EmptyListItem,
}

/// Every link, image and piece of raw HTML in `markdown`, with its byte offset there. Notes,
/// cards and questions are all scanned with this one function, so one rule set covers every
/// piece of Markdown in a pack.
pub(crate) fn references(markdown: &str) -> Vec<(usize, Reference)> {
    // Where the list item just opened starts, until anything comes inside it.
    let mut open_item: Option<usize> = None;
    Parser::new_ext(markdown, options())
        .into_offset_iter()
        .filter_map(|(event, range)| {
            let item = open_item.take();
            let found = match event {
                Event::Start(Tag::Item) => {
                    open_item = Some(range.start);
                    return None;
                }
                Event::End(TagEnd::Item) => return item.map(|at| (at, Reference::EmptyListItem)),
                Event::Start(Tag::Link {
                    link_type: LinkType::Email,
                    dest_url,
                    ..
                }) => Reference::Link(format!("mailto:{dest_url}")),
                Event::Start(Tag::Link { dest_url, .. }) => Reference::Link(dest_url.to_string()),
                Event::Start(Tag::Image { .. }) => Reference::Image,
                Event::Start(Tag::HtmlBlock) | Event::InlineHtml(_) => Reference::Html,
                _ => return None,
            };
            Some((range.start, found))
        })
        .collect()
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Where a link in pack Markdown goes.
#[derive(Debug, PartialEq, Eq)]
pub enum LinkTarget {
    /// `http(s)://` or `mailto:`: opened outside the app, never fetched by it.
    External(String),
    /// Another note (or this one, for `#anchor`), optionally at a section.
    Note {
        topic: String,
        anchor: Option<String>,
    },
    /// A path outside the pack folder: a relative path that climbs above it, an absolute path
    /// or a `file:` URL.
    Escapes,
    /// Anything else: other schemes, files of the pack that are not notes.
    Unsupported,
}

/// Resolves a link written in a note, card or question of topic `from`. Relative links are read
/// from `notes/`, where notes live, so `topic.md#section` means the same thing everywhere, and a
/// bare `#section` names a section of topic `from`.
pub fn resolve_link(dest: &str, from: &str) -> LinkTarget {
    match classify_link(dest, from) {
        Target::External => LinkTarget::External(dest.to_owned()),
        Target::Note { topic, anchor } => LinkTarget::Note {
            topic: topic.to_owned(),
            anchor: anchor.map(str::to_owned),
        },
        Target::Escapes => LinkTarget::Escapes,
        Target::Unsupported => LinkTarget::Unsupported,
    }
}

/// [`LinkTarget`] borrowing from the link and its topic: what the loader resolves every link
/// of a pack with, without copying them.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Target<'a> {
    External,
    Note {
        topic: &'a str,
        anchor: Option<&'a str>,
    },
    Escapes,
    Unsupported,
}

/// Whether `text` starts with `prefix`, ASCII case ignored.
fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// [`resolve_link`], borrowing.
pub(crate) fn classify_link<'a>(dest: &'a str, from: &'a str) -> Target<'a> {
    if ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| starts_with_ignore_case(dest, scheme))
    {
        return Target::External;
    }
    let drive = matches!(dest.as_bytes(), [letter, b':', ..] if letter.is_ascii_alphabetic());
    if starts_with_ignore_case(dest, "file:") || dest.starts_with(['/', '\\']) || drive {
        return Target::Escapes;
    }
    if dest.contains(':') {
        return Target::Unsupported;
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, (!a.is_empty()).then_some(a)),
        None => (dest, None),
    };
    if path.is_empty() {
        return Target::Note {
            topic: from,
            anchor,
        };
    }
    // Resolve against notes/, refusing anything that climbs above the pack root. A plain file
    // name (`topic.md`, as links nearly always are) needs no walk.
    let file = if path.contains(['/', '\\']) || path == "." || path == ".." {
        let mut parts: Vec<&str> = vec!["notes"];
        for part in path.split(['/', '\\']) {
            match part {
                "" | "." => {}
                ".." => {
                    if parts.pop().is_none() {
                        return Target::Escapes;
                    }
                }
                p => parts.push(p),
            }
        }
        match parts.as_slice() {
            ["notes", file] => *file,
            _ => return Target::Unsupported,
        }
    } else {
        path
    };
    match file.strip_suffix(".md") {
        Some(topic) if !topic.is_empty() => Target::Note { topic, anchor },
        _ => Target::Unsupported,
    }
}

/// A stretch of Markdown as the app draws it: prose, or a table it lays out itself (fitted to
/// the width, long ones drawn only where in view).
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Markdown(String),
    Table(TableText),
}

/// A table's cells as Markdown source (inline: code, emphasis, links), rows padded to the
/// header's width.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct TableText {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Splits `markdown` into prose and tables, in order. Blank prose between tables is dropped.
pub fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut prose_from = 0;
    let mut table: Option<TableText> = None;
    let mut row: Vec<String> = Vec::new();
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Table(_)) => {
                push_prose(&mut out, &markdown[prose_from..range.start]);
                table = Some(TableText::default());
            }
            Event::End(TagEnd::Table) => {
                if let Some(mut t) = table.take() {
                    let width = t.header.len();
                    for r in &mut t.rows {
                        r.resize(width, String::new());
                    }
                    out.push(Block::Table(t));
                }
                prose_from = range.end;
            }
            Event::Start(Tag::TableHead | Tag::TableRow) => row.clear(),
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = &mut table {
                    t.header = std::mem::take(&mut row);
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Some(t) = &mut table {
                    t.rows.push(std::mem::take(&mut row));
                }
            }
            Event::Start(Tag::TableCell) if table.is_some() => {
                row.push(cell_source(&markdown[range]));
            }
            _ => {}
        }
    }
    push_prose(&mut out, &markdown[prose_from..]);
    out
}

fn push_prose(out: &mut Vec<Block>, text: &str) {
    if !text.trim().is_empty() {
        out.push(Block::Markdown(text.to_owned()));
    }
}

/// A cell's inline Markdown: its source without the pipes around it; `\|` is a literal pipe.
fn cell_source(raw: &str) -> String {
    let t = raw.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = if t.ends_with('|') && !t.ends_with("\\|") {
        &t[..t.len() - 1]
    } else {
        t
    };
    t.trim().replace("\\|", "|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_split_from_prose_with_their_cells_as_written() {
        let md = "Intro with `a | b`.\n\n| Key | Value |\n|---|:--:|\n| `x` | [see](limits.md#m) |\n| short |\n| p \\| q | 2 |\n\nAfter.\n";
        let b = blocks(md);
        assert_eq!(b.len(), 3, "{b:?}");
        assert_eq!(b[0], Block::Markdown("Intro with `a | b`.\n\n".into()));
        let Block::Table(t) = &b[1] else {
            panic!("a table: {b:?}")
        };
        assert_eq!(t.header, ["Key", "Value"]);
        assert_eq!(
            t.rows,
            [
                vec!["`x`".to_owned(), "[see](limits.md#m)".to_owned()],
                vec!["short".to_owned(), String::new()],
                vec!["p | q".to_owned(), "2".to_owned()],
            ]
        );
        assert_eq!(b[2], Block::Markdown("\nAfter.\n".into()));
        assert_eq!(blocks("no table"), [Block::Markdown("no table".into())]);
    }

    #[test]
    fn links_resolve_inside_the_pack_only() {
        assert_eq!(
            resolve_link("concurrency.md#reserved", "limits"),
            LinkTarget::Note {
                topic: "concurrency".into(),
                anchor: Some("reserved".into())
            }
        );
        assert_eq!(
            resolve_link("#memory", "limits"),
            LinkTarget::Note {
                topic: "limits".into(),
                anchor: Some("memory".into())
            }
        );
        assert_eq!(
            resolve_link("../notes/vpc.md", "limits"),
            LinkTarget::Note {
                topic: "vpc".into(),
                anchor: None
            }
        );
        assert_eq!(resolve_link("../../etc/passwd", "x"), LinkTarget::Escapes);
        assert_eq!(resolve_link("/etc/passwd", "x"), LinkTarget::Escapes);
        assert_eq!(resolve_link("file:///etc/passwd", "x"), LinkTarget::Escapes);
        assert_eq!(
            resolve_link("C:\\Windows\\win.ini", "x"),
            LinkTarget::Escapes
        );
        assert_eq!(
            resolve_link("javascript:alert(1)", "x"),
            LinkTarget::Unsupported
        );
        assert_eq!(resolve_link("../pack.toml", "x"), LinkTarget::Unsupported);
        assert!(matches!(
            resolve_link("https://docs.aws.amazon.com/lambda/", "x"),
            LinkTarget::External(_)
        ));
    }

    #[test]
    fn references_find_links_images_and_html_once_per_block() {
        let found = references(
            "See [a](b.md) and <ops@example.com>.\n\n![i](x.png) <b>bold</b>\n\n<div>\none\n</div>\n",
        );
        assert_eq!(
            found,
            vec![
                (4, Reference::Link("b.md".into())),
                (18, Reference::Link("mailto:ops@example.com".into())),
                (38, Reference::Image),
                (50, Reference::Html),
                (57, Reference::Html),
                (63, Reference::Html),
            ]
        );
    }
}
