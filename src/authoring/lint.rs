//! `coldstart lint`: a second opinion on the writing of a pack, where `coldstart check` judges
//! its structure. Every finding is a warning with a code (`L001`…), a `file:line:col` and a rule
//! documented in content/README.md. A finding an author has weighed and kept is silenced in place
//! with a `# lint-allow: L001 why` comment inside the card's or question's table (or, for the
//! pack-wide rules, anywhere in `pack.toml`).

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;

use serde::Serialize;

use super::locate::{self, Lines, Place, Places};
use crate::content::{self, Diagnostic, Pack, PackFile, QuestionKind, Severity};

/// One lint finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    /// Path inside the pack, `/`-separated.
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: warning[{}]: {}",
            self.file, self.line, self.column, self.code, self.message
        )
    }
}

/// Every rule: code and a one-line summary (the full rules are in content/README.md).
pub const RULES: &[(&str, &str)] = &[
    (
        "L001",
        "the key is longer than every distractor by more than 20 %",
    ),
    (
        "L002",
        "across the pack, the key is the longest choice of too many single-answer questions",
    ),
    ("L003", "\"all of the above\" or \"none of the above\""),
    (
        "L004",
        "a negative stem (NOT, EXCEPT, LEAST) without emphasis",
    ),
    (
        "L005",
        "an explanation or why that names a choice by letter or number",
    ),
    ("L006", "near-duplicate cards or questions"),
    ("L007", "a recall list in place of a scenario"),
    ("L008", "a card or question without refs"),
    ("L009", "a verified date older than 12 months"),
    (
        "L010",
        "a note section stating a number without a source link",
    ),
    (
        "L011",
        "a topic's share of the questions far from its weight",
    ),
    (
        "L012",
        "an exam domain's share of the questions far from its weight",
    ),
];

/// A pack that does not pass `coldstart check`: lint needs a loadable pack.
#[derive(Debug, thiserror::Error)]
pub enum LintError {
    #[error("cannot read the pack folder: {0}")]
    Io(#[from] std::io::Error),
    #[error("the pack has errors; fix what `coldstart check` reports first")]
    Invalid(Vec<Diagnostic>),
}

/// Lints the pack folder `dir`. `today` dates the `verified` rule.
pub fn lint_dir(dir: &Path, today: jiff::civil::Date) -> Result<Vec<Finding>, LintError> {
    let report = content::load_dir(dir)?;
    let errors: Vec<Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    if !errors.is_empty() {
        return Err(LintError::Invalid(errors));
    }
    let mut texts = Vec::new();
    if let Ok(t) = std::fs::read_to_string(dir.join("pack.toml")) {
        texts.push(("pack.toml".to_owned(), t));
    }
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
        for n in names {
            let rel = format!("{sub}/{n}");
            // The loader has read these already (and refused symbolic links and huge files).
            if let Ok(t) = std::fs::read_to_string(dir.join(&rel)) {
                texts.push((rel, t));
            }
        }
    }
    Ok(lint(&report.pack, &texts, today))
}

/// Lints pack files held in memory (the built-in pack, tests).
pub fn lint_files(
    files: Vec<PackFile>,
    today: jiff::civil::Date,
) -> Result<Vec<Finding>, LintError> {
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|f| {
            (
                f.path.clone(),
                String::from_utf8_lossy(&f.bytes).into_owned(),
            )
        })
        .collect();
    let pack = content::load_files(&files)
        .into_valid()
        .map_err(|e| LintError::Invalid(e.diagnostics))?;
    Ok(lint(&pack, &texts, today))
}

/// Runs every rule on a valid pack whose files are `texts` (path, text). Findings come sorted by
/// file, line and column.
pub fn lint(pack: &Pack, texts: &[(String, String)], today: jiff::civil::Date) -> Vec<Finding> {
    let places = locate::places(texts);
    let pack_toml = texts
        .iter()
        .find(|(p, _)| p == "pack.toml")
        .map(|(_, t)| t.as_str())
        .unwrap_or("");
    let pack_allowed = locate::allow_comments(pack_toml);
    let mut out = Lint {
        places: &places,
        findings: Vec::new(),
    };
    for q in &pack.questions {
        out.question_rules(q, today);
    }
    for c in &pack.cards {
        out.card_rules(c, today);
    }
    out.duplicates(pack);
    let mut pack_wide = Vec::new();
    key_longest_share(pack, &mut pack_wide);
    coverage(pack, pack_toml, &mut pack_wide);
    out.findings.extend(
        pack_wide
            .into_iter()
            .filter(|f| !pack_allowed.iter().any(|a| a == f.code)),
    );
    for (path, text) in texts {
        if path.starts_with("notes/") {
            unsourced_numbers(path, text, &mut out.findings);
        }
    }
    out.findings.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code).cmp(&(&b.file, b.line, b.column, b.code))
    });
    out.findings
}

struct Lint<'a> {
    places: &'a Places,
    findings: Vec<Finding>,
}

fn finding(code: &'static str, at: &Place, message: String) -> Finding {
    Finding {
        code,
        file: at.file.clone(),
        line: at.line,
        column: at.column,
        message,
    }
}

impl Lint<'_> {
    fn push(&mut self, code: &'static str, allowed: &[String], at: Place, message: String) {
        if !allowed.iter().any(|a| a == code) {
            self.findings.push(finding(code, &at, message));
        }
    }

    fn question_rules(&mut self, q: &content::Question, today: jiff::civil::Date) {
        let Some(p) = self.places.questions.get(&q.id).cloned() else {
            return;
        };
        let allowed = &p.allowed;
        let choice_place = |i: usize| p.choices.get(i).map_or(&p.id, |c| &c.0).clone();
        let why_place = |i: usize| p.choices.get(i).map_or(&p.id, |c| &c.1).clone();

        // L001: the key stands out by length.
        let keys: Vec<usize> = q.choices.iter().map(|c| text_len(&c.text)).collect();
        let shortest_key = q
            .choices
            .iter()
            .zip(&keys)
            .filter(|(c, _)| c.correct)
            .map(|(_, &l)| l)
            .min();
        let longest_wrong = q
            .choices
            .iter()
            .zip(&keys)
            .filter(|(c, _)| !c.correct)
            .map(|(_, &l)| l)
            .max();
        if let (Some(k), Some(d)) = (shortest_key, longest_wrong)
            && d > 0
            && (k as f64) > 1.2 * d as f64
        {
            let i = q.choices.iter().position(|c| c.correct).unwrap_or(0);
            let what = if q.kind == QuestionKind::Single {
                "the key"
            } else {
                "every key"
            };
            self.push(
                "L001",
                allowed,
                choice_place(i),
                format!(
                    "question {}: {what} ({k} characters) is more than 20 % longer than every distractor (longest {d}); learners guess by length — lengthen a distractor or tighten the key",
                    q.id
                ),
            );
        }

        // L003: all/none of the above.
        for (i, c) in q.choices.iter().enumerate() {
            let t = c.text.to_lowercase();
            for phrase in [
                "all of the above",
                "none of the above",
                "both of the above",
                "all of these",
                "none of these",
            ] {
                if t.contains(phrase) {
                    self.push(
                        "L003",
                        allowed,
                        choice_place(i),
                        format!(
                            "question {}: choice \"{phrase}\" — choices are shuffled, and it rewards partial knowledge; write a real alternative",
                            q.id
                        ),
                    );
                    break;
                }
            }
        }

        // L004: negative stem without emphasis.
        if let Some(word) = unemphasized_negative(&q.stem) {
            self.push(
                "L004",
                allowed,
                p.stem.clone(),
                format!(
                    "question {}: the question asks with \"{word}\" without emphasis; write it in capitals or bold (**{}**), or ask positively",
                    q.id,
                    word.to_uppercase()
                ),
            );
        }

        // L005: explanation or why naming a choice by position.
        let n = q.choices.len();
        let mut texts: Vec<(Place, &str)> = vec![(p.explanation.clone(), &q.explanation)];
        for (i, c) in q.choices.iter().enumerate() {
            texts.push((why_place(i), &c.why));
        }
        for (at, text) in texts {
            if let Some((label, index)) = positional_reference(text) {
                let message = if index >= n {
                    format!(
                        "question {}: mentions \"{label}\" but the question has {n} choices; name the choice by what it says",
                        q.id
                    )
                } else {
                    format!(
                        "question {}: mentions \"{label}\", but choices are shuffled when shown; name the choice by what it says",
                        q.id
                    )
                };
                self.push("L005", allowed, at, message);
            }
        }

        // L007: recall list.
        if is_recall_list(&q.stem) {
            self.push(
                "L007",
                allowed,
                p.stem.clone(),
                format!(
                    "question {}: a recall list (\"which statements are true?\") with no scenario; ask what to do in a situation instead",
                    q.id
                ),
            );
        }

        // L008, L009.
        if q.refs.is_empty() {
            self.push(
                "L008",
                allowed,
                p.id.clone(),
                format!(
                    "question {} has no refs: add the https:// page that backs it",
                    q.id
                ),
            );
        }
        if let Some(v) = q.verified
            && stale(v, today)
        {
            self.push(
                "L009",
                allowed,
                p.verified.clone().unwrap_or_else(|| p.id.clone()),
                format!(
                    "question {} was verified on {v}, more than 12 months ago; check it against its refs again",
                    q.id
                ),
            );
        }
    }

    fn card_rules(&mut self, c: &content::Card, today: jiff::civil::Date) {
        let Some(p) = self.places.cards.get(&c.id).cloned() else {
            return;
        };
        if c.refs.is_empty() {
            self.push(
                "L008",
                &p.allowed,
                p.id.clone(),
                format!(
                    "card {} has no refs: add the https:// page that backs it",
                    c.id
                ),
            );
        }
        if let Some(v) = c.verified
            && stale(v, today)
        {
            self.push(
                "L009",
                &p.allowed,
                p.verified.clone().unwrap_or_else(|| p.id.clone()),
                format!(
                    "card {} was verified on {v}, more than 12 months ago; check it against its refs again",
                    c.id
                ),
            );
        }
    }

    /// L006: pairs of questions with similar stems and keys, and pairs of cards with similar
    /// fronts and backs.
    fn duplicates(&mut self, pack: &Pack) {
        let questions: Vec<(String, String, String)> = pack
            .questions
            .iter()
            .map(|q| {
                let keys: Vec<&str> = q
                    .choices
                    .iter()
                    .filter(|c| c.correct)
                    .map(|c| c.text.as_str())
                    .collect();
                (q.id.clone(), q.stem.clone(), keys.join(" "))
            })
            .collect();
        for (a, b) in near_duplicates(&questions) {
            let Some(p) = self.places.questions.get(&questions[b].0).cloned() else {
                continue;
            };
            self.push(
                "L006",
                &p.allowed,
                p.id,
                format!(
                    "question {} looks like a near-duplicate of question {} (similar stem and key): the same fact asked twice",
                    questions[b].0, questions[a].0
                ),
            );
        }
        let cards: Vec<(String, String, String)> = pack
            .cards
            .iter()
            .map(|c| (c.id.clone(), c.front.clone(), c.back.clone()))
            .collect();
        for (a, b) in near_duplicates(&cards) {
            let Some(p) = self.places.cards.get(&cards[b].0).cloned() else {
                continue;
            };
            self.push(
                "L006",
                &p.allowed,
                p.id,
                format!(
                    "card {} looks like a near-duplicate of card {} (similar front and back)",
                    cards[b].0, cards[a].0
                ),
            );
        }
    }
}

/// Length of a choice as read: Markdown markers and surrounding space do not count.
fn text_len(s: &str) -> usize {
    s.trim()
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '`'))
        .count()
}

fn stale(verified: jiff::civil::Date, today: jiff::civil::Date) -> bool {
    match today.checked_sub(jiff::Span::new().years(1)) {
        Ok(limit) => verified < limit,
        Err(_) => false,
    }
}

/// The question sentence of a stem: the last sentence that ends with `?`, or the whole stem.
fn question_sentence(stem: &str) -> &str {
    let stem = stem.trim();
    let Some(q) = stem.rfind('?') else {
        return stem;
    };
    let head = &stem[..q];
    let start = head.rfind(['.', '!', '?', '\n']).map_or(0, |i| i + 1);
    &stem[start..=q]
}

/// A negative word in the question sentence written neither in capitals nor between `*`/`_`.
fn unemphasized_negative(stem: &str) -> Option<String> {
    let sentence = question_sentence(stem);
    let mut emphasis = false;
    let mut prev = ' ';
    let mut word = String::new();
    let check = |word: &str, emphasis: bool| -> Option<String> {
        let lower = word.to_lowercase();
        if matches!(lower.as_str(), "not" | "except" | "least")
            && !emphasis
            && word != word.to_uppercase()
        {
            Some(word.to_owned())
        } else {
            None
        }
    };
    for ch in sentence.chars().chain(std::iter::once(' ')) {
        if ch.is_alphanumeric() || ch == '\'' {
            word.push(ch);
            prev = ch;
            continue;
        }
        if !word.is_empty() {
            if let Some(w) = check(&word, emphasis) {
                return Some(w);
            }
            word.clear();
        }
        // A run of markers (`**`, `__`) opens or closes emphasis once.
        if (ch == '*' || ch == '_') && prev != ch {
            emphasis = !emphasis;
        }
        prev = ch;
    }
    None
}

/// "option E", "choice 3", "answer B", "(C)" style references: the label and its 0-based index.
fn positional_reference(text: &str) -> Option<(String, usize)> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '.' | '(' | ')'))
        .filter(|w| !w.is_empty())
        .collect();
    for pair in words.windows(2) {
        let lead = pair[0].to_lowercase();
        if !matches!(lead.as_str(), "option" | "choice" | "answer" | "options") {
            continue;
        }
        let label = pair[1];
        let index = if label.len() == 1 {
            let b = label.as_bytes()[0];
            match b {
                b'A'..=b'I' => Some((b - b'A') as usize),
                b'1'..=b'9' => Some((b - b'1') as usize),
                _ => None,
            }
        } else {
            None
        };
        if let Some(i) = index {
            return Some((format!("{} {label}", pair[0]), i));
        }
    }
    None
}

/// A stem that asks which statements are true with no scenario before the question.
fn is_recall_list(stem: &str) -> bool {
    let lower = stem.to_lowercase();
    let asks = [
        "which statements",
        "which statement",
        "which of the following statements",
        "which of the following is true",
        "which of the following are true",
        "which of the following is correct",
        "which of the following are correct",
        "which of these statements",
        "what is true",
        "what are true",
        "which is true",
        "which are true",
        "which is correct",
        "which are correct",
    ]
    .iter()
    .any(|p| lower.contains(p));
    if !asks {
        return false;
    }
    // A scenario is at least one sentence before the question sentence.
    let q = question_sentence(stem);
    let before = stem.trim().len().saturating_sub(q.len());
    before < 40
}

const STOP: &[&str] = &[
    "a", "an", "the", "of", "to", "in", "on", "for", "is", "are", "and", "or", "it", "its", "be",
    "by", "with", "what", "which", "how", "does", "do", "that", "this", "when", "from", "as", "at",
];

fn tokens(s: &str) -> HashSet<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| !w.is_empty() && !STOP.contains(&w.as_str()))
        .collect()
}

fn jaccard(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let inter = a.intersection(b).count();
    inter as f64 / (a.len() + b.len() - inter) as f64
}

/// Tokens shared by more items than this do not propose candidate pairs (they are too common
/// to mean anything), which bounds the work on a huge pack.
const MAX_POSTING: usize = 200;
/// Candidate pairs examined at most.
const MAX_CANDIDATES: usize = 200_000;

/// Pairs (earlier, later) of items (id, prompt, answer) whose prompts have token-set Jaccard
/// similarity ≥ 0.6 and whose answers ≥ 0.5. Candidate pairs come from an inverted index of
/// prompt tokens, not from all n² pairs.
pub fn near_duplicates(items: &[(String, String, String)]) -> Vec<(usize, usize)> {
    let prompts: Vec<HashSet<String>> = items.iter().map(|i| tokens(&i.1)).collect();
    let answers: Vec<HashSet<String>> = items.iter().map(|i| tokens(&i.2)).collect();
    let mut postings: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in prompts.iter().enumerate() {
        for t in p {
            postings.entry(t.as_str()).or_default().push(i);
        }
    }
    let mut shared: HashMap<(usize, usize), usize> = HashMap::new();
    'outer: for list in postings.values() {
        if list.len() > MAX_POSTING {
            continue;
        }
        for (x, &a) in list.iter().enumerate() {
            for &b in &list[x + 1..] {
                if shared.len() >= MAX_CANDIDATES && !shared.contains_key(&(a, b)) {
                    break 'outer;
                }
                *shared.entry((a, b)).or_default() += 1;
            }
        }
    }
    let mut pairs: Vec<(usize, usize)> = shared
        .into_iter()
        .filter(|&((a, b), n)| {
            // Jaccard ≥ 0.6 needs at least 0.6 × the smaller set shared.
            n * 10 >= 6 * prompts[a].len().min(prompts[b].len())
                && jaccard(&prompts[a], &prompts[b]) >= 0.6
                && jaccard(&answers[a], &answers[b]) >= 0.5
        })
        .map(|(p, _)| p)
        .collect();
    pairs.sort_unstable();
    pairs
}

/// L002: the share of single-answer questions whose key is strictly the longest choice.
fn key_longest_share(pack: &Pack, out: &mut Vec<Finding>) {
    let singles: Vec<&content::Question> = pack
        .questions
        .iter()
        .filter(|q| q.kind == QuestionKind::Single)
        .collect();
    if singles.len() < 10 {
        return;
    }
    let mut longest = 0usize;
    let mut chance = 0.0;
    for q in &singles {
        chance += 1.0 / q.choices.len().max(1) as f64;
        let Some(key) = q.choices.iter().find(|c| c.correct) else {
            continue;
        };
        let k = text_len(&key.text);
        if q.choices
            .iter()
            .filter(|c| !c.correct)
            .all(|c| text_len(&c.text) < k)
        {
            longest += 1;
        }
    }
    let n = singles.len() as f64;
    let share = longest as f64 / n;
    let chance = chance / n;
    if share > chance + 0.10 {
        out.push(finding(
            "L002",
            &Place::start_of("pack.toml"),
            format!(
                "in {longest} of {} single-answer questions ({:.0} %) the key is the longest choice; by chance it would be about {:.0} %, so length gives the answer away",
                singles.len(),
                share * 100.0,
                chance * 100.0
            ),
        ));
    }
}

/// Whether `actual` questions stray too far from `expected` (a share of the pack's questions):
/// under half or over double, and by at least one question.
pub fn off_weight(actual: usize, expected: f64) -> bool {
    let a = actual as f64;
    (a - expected).abs() >= 1.0 && (a < 0.5 * expected || a > 2.0 * expected)
}

/// L011 (topics) and L012 (exam domains, when `pack.toml` declares `[[exam]]` with
/// `[exam.topics]`).
fn coverage(pack: &Pack, pack_toml: &str, out: &mut Vec<Finding>) {
    let total = pack.questions.len();
    if total == 0 {
        return;
    }
    let mut per_topic: HashMap<&str, usize> = HashMap::new();
    for q in &pack.questions {
        *per_topic.entry(q.topic.as_str()).or_default() += 1;
    }
    let weights: f64 = pack.topics.iter().map(|t| t.weight).sum();
    let lines = Lines::new("pack.toml", pack_toml);
    let at = |needle: &str| {
        pack_toml
            .find(needle)
            .map_or_else(|| Place::start_of("pack.toml"), |o| lines.place(o))
    };
    if weights > 0.0 {
        for t in &pack.topics {
            let actual = per_topic.get(t.id.as_str()).copied().unwrap_or(0);
            let expected = t.weight / weights * total as f64;
            if off_weight(actual, expected) {
                out.push(finding(
                    "L011",
                    &at(&format!("\"{}\"", t.id)),
                    format!(
                        "topic {} has {actual} of {total} questions ({:.0} %) but {:.0} % of the weight (about {expected:.0} questions)",
                        t.id,
                        100.0 * actual as f64 / total as f64,
                        100.0 * t.weight / weights
                    ),
                ));
            }
        }
    }
    let Ok(table) = toml::from_str::<toml::Table>(pack_toml) else {
        return;
    };
    let Some(exams) = table.get("exam").and_then(|e| e.as_array()) else {
        return;
    };
    for exam in exams {
        let exam_id = exam.get("id").and_then(|v| v.as_str()).unwrap_or("?");
        let Some(map) = exam.get("topics").and_then(|v| v.as_table()) else {
            continue;
        };
        let Some(domains) = exam.get("domain").and_then(|v| v.as_array()) else {
            continue;
        };
        for d in domains {
            let (Some(id), Some(weight)) = (
                d.get("id").and_then(|v| v.as_str()),
                d.get("weight")
                    .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64))),
            ) else {
                continue;
            };
            let actual: usize = map
                .iter()
                .filter(|(_, dom)| dom.as_str() == Some(id))
                .map(|(topic, _)| per_topic.get(topic.as_str()).copied().unwrap_or(0))
                .sum();
            let expected = weight / 100.0 * total as f64;
            if off_weight(actual, expected) {
                out.push(finding(
                    "L012",
                    &at(&format!("\"{id}\"")),
                    format!(
                        "exam {exam_id}: domain {id} has {actual} of {total} questions ({:.0} %) but weighs {weight:.0} %",
                        100.0 * actual as f64 / total as f64
                    ),
                ));
            }
        }
    }
}

/// L010: a section of a note whose prose states a number (outside code, tables' header and
/// headings) but links no `http(s)://` page.
fn unsourced_numbers(path: &str, text: &str, out: &mut Vec<Finding>) {
    let mut in_front = false;
    let mut in_code = false;
    // (heading line, heading text, has number, has link)
    let mut section: Option<(usize, String, bool, bool)> = None;
    let flush = |s: Option<(usize, String, bool, bool)>, out: &mut Vec<Finding>| {
        if let Some((line, title, true, false)) = s {
            out.push(Finding {
                code: "L010",
                file: path.to_owned(),
                line,
                column: 1,
                message: format!(
                    "section \"{title}\" states numbers but links no source: add the https:// page they come from"
                ),
            });
        }
    };
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if i == 0 && trimmed == "+++" {
            in_front = true;
            continue;
        }
        if in_front {
            if trimmed == "+++" {
                in_front = false;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        if let Some(h) = trimmed.strip_prefix('#') {
            let title = h.trim_start_matches('#').trim().to_owned();
            flush(section.take(), out);
            section = Some((i + 1, title, false, false));
            continue;
        }
        if let Some(s) = section.as_mut() {
            if line.contains("https://") || line.contains("http://") {
                s.3 = true;
            }
            if states_number(line) {
                s.2 = true;
            }
        }
    }
    flush(section, out);
}

/// Whether prose states a number: a digit outside inline code, not a list marker.
fn states_number(line: &str) -> bool {
    let t = line.trim_start();
    let t = match t.find(". ") {
        Some(i) if i > 0 && t[..i].bytes().all(|b| b.is_ascii_digit()) => &t[i + 2..],
        _ => t,
    };
    let mut in_code = false;
    let mut in_link_target = false;
    let mut prev = '\0';
    for c in t.chars() {
        match c {
            '`' => in_code = !in_code,
            '(' if prev == ']' => in_link_target = true,
            ')' if in_link_target => in_link_target = false,
            c if c.is_ascii_digit() && !in_code && !in_link_target => return true,
            _ => {}
        }
        prev = c;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_stems() {
        assert_eq!(
            unemphasized_negative("A team deploys. Which setting does not apply?").as_deref(),
            Some("not")
        );
        assert!(unemphasized_negative("A team deploys. Which setting does NOT apply?").is_none());
        assert!(
            unemphasized_negative("A team deploys. Which setting does **not** apply?").is_none()
        );
        // A "not" in the scenario is not the question.
        assert!(unemphasized_negative("It does not scale. What should they do?").is_none());
    }

    #[test]
    fn positional_references() {
        assert_eq!(
            positional_reference("Option E is wrong."),
            Some(("Option E".into(), 4))
        );
        assert_eq!(
            positional_reference("see choice 2"),
            Some(("choice 2".into(), 1))
        );
        assert_eq!(positional_reference("An option is fine."), None);
    }

    #[test]
    fn numbers_in_prose() {
        assert!(states_number("The limit is 6 MB."));
        assert!(!states_number("1. First step"));
        assert!(!states_number("Use `x2` here"));
        assert!(!states_number("See [doc](https://a/b2)."));
    }

    #[test]
    fn off_weight_needs_a_real_gap() {
        assert!(off_weight(0, 1.8));
        assert!(!off_weight(1, 1.8));
        assert!(off_weight(10, 4.0));
        assert!(!off_weight(5, 4.0));
    }

    #[test]
    fn near_duplicates_find_similar_pairs_only() {
        let items = vec![
            (
                "a".into(),
                "What is the maximum timeout of a Lambda function?".into(),
                "900 seconds".into(),
            ),
            (
                "b".into(),
                "What is the maximum Lambda function timeout?".into(),
                "900 seconds (15 minutes)".into(),
            ),
            (
                "c".into(),
                "What is the default memory of a Lambda function?".into(),
                "128 MB".into(),
            ),
        ];
        assert_eq!(near_duplicates(&items), vec![(0, 1)]);
    }
}
