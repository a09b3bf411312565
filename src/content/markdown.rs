//! Notes: front matter, sections (headings) and links, read with pulldown-cmark.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
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
    pub sections: Vec<Section>,
    /// Link destinations with their byte offsets in the file.
    pub links: Vec<(usize, String)>,
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
                format!("front matter TOML syntax: {}", e.message().trim()),
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

    let mut sections = Vec::new();
    let mut links = Vec::new();
    let mut slugs = SlugSet::default();
    let mut heading: Option<(u8, usize, String)> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level_number(level), range.start, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, offset, title)) = heading.take() {
                    let title = title.trim().to_owned();
                    let anchor = slugs.unique(slugify(&title));
                    sections.push(Section {
                        anchor,
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
            Event::Start(Tag::Link { dest_url, .. }) => {
                links.push((body_start + range.start, dest_url.to_string()));
            }
            Event::Start(Tag::Image { .. }) => {
                error(
                    body_start + range.start,
                    "E011",
                    "images are not supported in pack format 1".into(),
                );
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                error(
                    body_start + range.start,
                    "E011",
                    "raw HTML is not allowed in notes".into(),
                );
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
        sections,
        links,
    })
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

/// Where a link in a note goes.
#[derive(Debug, PartialEq, Eq)]
pub enum LinkTarget {
    /// `http(s)://` or `mailto:`: opened outside the app, never fetched by it.
    External(String),
    /// Another note (or this one, for `#anchor`), optionally at a section.
    Note {
        topic: String,
        anchor: Option<String>,
    },
    /// A relative path that climbs out of the pack folder.
    Escapes,
    /// Anything else: absolute paths, other schemes, files that are not notes.
    Unsupported,
}

/// Resolves a link written in the note of topic `from` (notes live in `notes/`).
pub fn resolve_link(dest: &str, from: &str) -> LinkTarget {
    let lower = dest.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
    {
        return LinkTarget::External(dest.to_owned());
    }
    if dest.contains(':') || dest.starts_with('/') || dest.starts_with('\\') {
        return LinkTarget::Unsupported;
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, (!a.is_empty()).then(|| a.to_owned())),
        None => (dest, None),
    };
    if path.is_empty() {
        return LinkTarget::Note {
            topic: from.to_owned(),
            anchor,
        };
    }
    // Resolve against notes/, refusing anything that climbs above the pack root.
    let mut parts: Vec<&str> = vec!["notes"];
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return LinkTarget::Escapes;
                }
            }
            p => parts.push(p),
        }
    }
    match parts.as_slice() {
        ["notes", file] => match file.strip_suffix(".md") {
            Some(topic) if !topic.is_empty() => LinkTarget::Note {
                topic: topic.to_owned(),
                anchor,
            },
            _ => LinkTarget::Unsupported,
        },
        _ => LinkTarget::Unsupported,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(resolve_link("/etc/passwd", "x"), LinkTarget::Unsupported);
        assert_eq!(
            resolve_link("file:///etc/passwd", "x"),
            LinkTarget::Unsupported
        );
        assert_eq!(resolve_link("../pack.toml", "x"), LinkTarget::Unsupported);
        assert!(matches!(
            resolve_link("https://docs.aws.amazon.com/lambda/", "x"),
            LinkTarget::External(_)
        ));
    }
}
