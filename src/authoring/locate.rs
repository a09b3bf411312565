//! Where cards and questions are written: the loader's model has no spans, so the card and
//! question files are read a second time, leniently, with `toml::Spanned` fields.

use std::collections::HashMap;

use serde::Deserialize;
use toml::Spanned;

/// `file:line:col` of a place in a pack file (line and column 1-based, column in characters).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl Place {
    pub fn start_of(file: &str) -> Self {
        Self {
            file: file.to_owned(),
            line: 1,
            column: 1,
        }
    }
}

/// The places of one question's fields.
#[derive(Clone, Debug)]
pub struct QuestionPlaces {
    pub id: Place,
    pub stem: Place,
    pub explanation: Place,
    /// Per choice in authored order: (text, why).
    pub choices: Vec<(Place, Place)>,
    pub verified: Option<Place>,
    /// Codes allowed by a `# lint-allow: L001 …` comment inside the item's table.
    pub allowed: Vec<String>,
}

/// The places of one card's fields.
#[derive(Clone, Debug)]
pub struct CardPlaces {
    pub id: Place,
    pub front: Place,
    pub back: Place,
    pub verified: Option<Place>,
    pub allowed: Vec<String>,
}

/// Places of every card and question of a pack, by id.
#[derive(Clone, Debug, Default)]
pub struct Places {
    pub cards: HashMap<String, CardPlaces>,
    pub questions: HashMap<String, QuestionPlaces>,
}

#[derive(Deserialize)]
struct CardFile {
    #[serde(default)]
    card: Vec<SCard>,
}

#[derive(Deserialize)]
struct SCard {
    id: Spanned<String>,
    front: Option<Spanned<String>>,
    back: Option<Spanned<String>>,
    verified: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
struct QuestionFile {
    #[serde(default)]
    question: Vec<SQuestion>,
}

#[derive(Deserialize)]
struct SQuestion {
    id: Spanned<String>,
    stem: Option<Spanned<String>>,
    explanation: Option<Spanned<String>>,
    #[serde(default)]
    choice: Vec<SChoice>,
    verified: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
struct SChoice {
    text: Option<Spanned<String>>,
    why: Option<Spanned<String>>,
}

/// Turns byte offsets of one file into places.
pub struct Lines<'a> {
    file: &'a str,
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(file: &'a str, text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { file, text, starts }
    }

    pub fn place(&self, offset: usize) -> Place {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        Place {
            file: self.file.to_owned(),
            line,
            column,
        }
    }
}

/// Reads the places of every card (`cards/*.toml`) and question (`questions/*.toml`) in
/// `files` (path, text). A file that does not parse is skipped: the loader reports it.
pub fn places(files: &[(String, String)]) -> Places {
    let mut out = Places::default();
    for (path, text) in files {
        let lines = Lines::new(path, text);
        let at = |s: &Option<Spanned<String>>, fallback: &Place| {
            s.as_ref()
                .map_or_else(|| fallback.clone(), |s| lines.place(s.span().start))
        };
        if path.starts_with("cards/") && path.ends_with(".toml") {
            let Ok(file) = toml::from_str::<CardFile>(text) else {
                continue;
            };
            let starts: Vec<usize> = file.card.iter().map(|c| c.id.span().start).collect();
            for (i, c) in file.card.iter().enumerate() {
                let id = lines.place(c.id.span().start);
                let allowed = allowed_codes(text, &starts, i, "[[card]]");
                out.cards
                    .entry(c.id.get_ref().clone())
                    .or_insert(CardPlaces {
                        front: at(&c.front, &id),
                        back: at(&c.back, &id),
                        verified: c.verified.as_ref().map(|v| lines.place(v.span().start)),
                        id,
                        allowed,
                    });
            }
        } else if path.starts_with("questions/") && path.ends_with(".toml") {
            let Ok(file) = toml::from_str::<QuestionFile>(text) else {
                continue;
            };
            let starts: Vec<usize> = file.question.iter().map(|q| q.id.span().start).collect();
            for (i, q) in file.question.iter().enumerate() {
                let id = lines.place(q.id.span().start);
                let allowed = allowed_codes(text, &starts, i, "[[question]]");
                let choices = q
                    .choice
                    .iter()
                    .map(|c| (at(&c.text, &id), at(&c.why, &id)))
                    .collect();
                out.questions
                    .entry(q.id.get_ref().clone())
                    .or_insert(QuestionPlaces {
                        stem: at(&q.stem, &id),
                        explanation: at(&q.explanation, &id),
                        choices,
                        verified: q.verified.as_ref().map(|v| lines.place(v.span().start)),
                        id,
                        allowed,
                    });
            }
        }
    }
    out
}

/// The lint codes named in `# lint-allow: Lnnn[, Lnnn] reason` comments of item `i`: the text
/// from its `[[card]]`/`[[question]]` header (the last one before its id) to the next item's
/// header.
fn allowed_codes(text: &str, id_starts: &[usize], i: usize, header: &str) -> Vec<String> {
    let Some(&id_at) = id_starts.get(i) else {
        return Vec::new();
    };
    let start = text
        .get(..id_at)
        .and_then(|t| t.rfind(header))
        .unwrap_or(id_at);
    let end = id_starts
        .get(i + 1)
        .and_then(|&next| text.get(..next).and_then(|t| t.rfind(header)))
        .filter(|&e| e > start)
        .unwrap_or(text.len());
    text.get(start..end).map_or_else(Vec::new, allow_comments)
}

/// Codes named by `# lint-allow:` comments anywhere in `text`.
pub fn allow_comments(text: &str) -> Vec<String> {
    let mut codes = Vec::new();
    for line in text.lines() {
        let line = line.trim_start();
        let Some(rest) = line.strip_prefix('#') else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix("lint-allow:") else {
            continue;
        };
        for word in rest.split(|c: char| c == ',' || c.is_whitespace()) {
            if word.len() == 4
                && word.starts_with('L')
                && word[1..].bytes().all(|b| b.is_ascii_digit())
            {
                codes.push(word.to_owned());
            }
        }
    }
    codes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_line_and_character_column() {
        let text = "# é\n[[question]]\nid = \"q1\"\nstem = \"é x\"\n[[question.choice]]\ntext = \"a\"\nwhy = \"b\"\n\n[[question]]\n# lint-allow: L004, L007 fine\nid = \"q2\"\n";
        let p = places(&[("questions/a.toml".into(), text.into())]);
        let q = &p.questions["q1"];
        assert_eq!((q.id.line, q.id.column), (3, 6));
        assert_eq!((q.stem.line, q.stem.column), (4, 8));
        assert_eq!(q.choices[0].0.line, 6);
        assert!(q.allowed.is_empty());
        assert_eq!(p.questions["q2"].allowed, vec!["L004", "L007"]);
    }
}
