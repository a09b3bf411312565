//! The in-memory model of a content pack, as the rest of the app sees it once it has loaded.
//!
//! Everything here is plain data: loading and validation live in [`super::load`].

use std::collections::HashMap;
use std::fmt;

/// A whole content pack: metadata, topics, notes, cards and questions.
#[derive(Clone, Debug, Default)]
pub struct Pack {
    pub meta: PackMeta,
    /// Topics in the order `pack.toml` lists them; that order is the pack's reading order.
    pub topics: Vec<Topic>,
    /// One note per topic, in topic order.
    pub notes: Vec<Note>,
    /// Cards in pack order (topic order of `pack.toml`, then file name, then order within a
    /// file): new cards are introduced in this order.
    pub cards: Vec<Card>,
    /// Questions in the same order as cards.
    pub questions: Vec<Question>,
    /// The exams the pack declares (`[[exam]]`), in pack order; empty for a pack without any
    /// (see [`Pack::exam_choices`] for the built-in fallback).
    pub exams: Vec<super::exam::ExamProfile>,
    /// The simulators the pack declares (`simulators = [...]` in `pack.toml`), in its order.
    /// A pack that declares none has no Simulators screen.
    pub simulators: Vec<crate::sim::Kind>,
    /// The question generators the pack declares (`[generators]` in `pack.toml`), each with
    /// the topic its questions count toward. A pack that declares none has no generated
    /// questions.
    pub generators: Vec<GeneratorUse>,
    /// Course settings the pack ships (`[settings]` in `pack.toml`): what its learners start
    /// with until they set their own for it.
    pub settings: crate::srs::settings::CourseDefaults,
    /// Where each id sits in the lists above, for lookups by id; see [`Pack::reindex`]. Public
    /// only so that `Pack { cards, ..Pack::default() }` works; it has nothing to read.
    pub lookup: Lookup,
}

/// Positions by id. A lookup trusts a map only while it has as many entries as its list (and
/// checks the id it finds there), so a list that grew or shrank since [`Pack::reindex`] is
/// scanned instead: slower, not wrong. Code that replaces items in place calls `reindex`.
#[derive(Clone, Debug, Default)]
pub struct Lookup {
    topics: HashMap<String, usize>,
    notes: HashMap<String, usize>,
    cards: HashMap<String, usize>,
    questions: HashMap<String, usize>,
}

fn positions<T>(items: &[T], id: impl Fn(&T) -> &str) -> HashMap<String, usize> {
    let mut map = HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        // The first of two equal ids wins, as a scan would find it.
        map.entry(id(item).to_owned()).or_insert(i);
    }
    map
}

fn find<'a, T>(
    items: &'a [T],
    map: &HashMap<String, usize>,
    wanted: &str,
    id: impl Fn(&T) -> &str,
) -> Option<&'a T> {
    if map.len() == items.len() {
        match map.get(wanted).and_then(|&i| items.get(i)) {
            Some(item) if id(item) == wanted => return Some(item),
            None => return None,
            Some(_) => {}
        }
    }
    items.iter().find(|item| id(item) == wanted)
}

/// A question generator a pack uses, and the pack topic its questions belong to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratorUse {
    /// The generator's id (`quiz::generate`), one of [`crate::sim::generator_ids`].
    pub id: String,
    /// A topic of the pack.
    pub topic: String,
}

/// `pack.toml` minus its topics.
#[derive(Clone, Debug, Default)]
pub struct PackMeta {
    pub id: String,
    pub title: String,
    pub version: String,
    pub description: String,
    pub authors: Vec<String>,
    pub license: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Topic {
    /// Stable id: progress is keyed by it.
    pub id: String,
    pub title: String,
    /// This topic's share of a mock exam, relative to the other topics' weights.
    pub weight: f64,
    pub summary: Option<String>,
}

/// A rendered-Markdown note for one topic.
#[derive(Clone, Debug)]
pub struct Note {
    pub topic: String,
    /// Path inside the pack, e.g. `notes/limits.md`.
    pub path: String,
    /// The first heading's text, or the topic title when the note has no heading.
    pub title: String,
    /// Markdown without the front matter.
    pub body: String,
    /// Every heading of the note, in order.
    pub sections: Vec<Section>,
    /// Simulator that shows this topic's behaviour, if any (`retry`, `traffic`, `concurrency`,
    /// `sqs`, `kinesis`), from the note's front matter.
    pub simulator: Option<crate::sim::Kind>,
    /// Position of each section by anchor, for [`Note::section`]; see [`Note::reindex`].
    pub anchors: HashMap<String, usize>,
}

impl Note {
    pub fn section(&self, anchor: &str) -> Option<&Section> {
        find(&self.sections, &self.anchors, anchor, |s| &s.anchor)
    }

    /// Rebuilds the anchor map [`Note::section`] uses; the loader calls it.
    pub fn reindex(&mut self) {
        self.anchors = positions(&self.sections, |s| &s.anchor);
    }
}

/// A heading inside a note, addressable as `topic#anchor`.
#[derive(Clone, Debug)]
pub struct Section {
    /// GitHub-style slug of the heading text, unique within the note.
    pub anchor: String,
    pub title: String,
    /// Heading level, 1–6.
    pub level: u8,
    /// Byte offset of the heading in [`Note::body`], so a view can scroll to it.
    pub offset: usize,
}

/// A reference to a note section, written `topic#anchor` in pack files.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SectionRef {
    pub topic: String,
    pub anchor: String,
}

impl SectionRef {
    /// Parses `topic#anchor`; both halves must be non-empty.
    pub fn parse(s: &str) -> Option<Self> {
        let (topic, anchor) = s.split_once('#')?;
        if topic.is_empty() || anchor.is_empty() || anchor.contains('#') {
            return None;
        }
        Some(Self {
            topic: topic.to_owned(),
            anchor: anchor.to_owned(),
        })
    }
}

impl fmt::Display for SectionRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.topic, self.anchor)
    }
}

/// A flashcard.
#[derive(Clone, Debug)]
pub struct Card {
    /// Stable id, unique in the pack: review history is keyed by it.
    pub id: String,
    pub topic: String,
    /// Markdown.
    pub front: String,
    /// Markdown.
    pub back: String,
    pub source: SectionRef,
    pub tags: Vec<String>,
    /// Web pages (AWS documentation first) that back the card: `https://` URLs.
    pub refs: Vec<String>,
    /// When the facts were last checked against `refs`, for facts that change.
    pub verified: Option<jiff::civil::Date>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuestionKind {
    /// Exactly one correct choice.
    Single,
    /// Two or more correct choices ("Choose TWO."), scored all-or-nothing.
    Multi,
}

/// An exam-style question with a why for every choice.
#[derive(Clone, Debug)]
pub struct Question {
    /// Stable id, unique in the pack.
    pub id: String,
    pub topic: String,
    pub kind: QuestionKind,
    /// Markdown.
    pub stem: String,
    /// In authored order; sessions shuffle them.
    pub choices: Vec<Choice>,
    /// Markdown: the reasoning behind the answer as a whole.
    pub explanation: String,
    pub source: SectionRef,
    /// 1 (easy) to 3 (hard), when the author gave one.
    pub difficulty: Option<u8>,
    pub tags: Vec<String>,
    /// Web pages (AWS documentation first) that back the question: `https://` URLs.
    pub refs: Vec<String>,
    /// When the facts were last checked against `refs`, for facts that change.
    pub verified: Option<jiff::civil::Date>,
}

impl Question {
    /// How many choices are correct: what "Choose TWO." says.
    pub fn correct_count(&self) -> usize {
        self.choices.iter().filter(|c| c.correct).count()
    }
}

#[derive(Clone, Debug)]
pub struct Choice {
    /// Markdown.
    pub text: String,
    pub correct: bool,
    /// Markdown: why this choice is right or wrong.
    pub why: String,
}

impl Pack {
    pub fn topic(&self, id: &str) -> Option<&Topic> {
        find(&self.topics, &self.lookup.topics, id, |t| &t.id)
    }

    pub fn note(&self, topic: &str) -> Option<&Note> {
        find(&self.notes, &self.lookup.notes, topic, |n| &n.topic)
    }

    pub fn card(&self, id: &str) -> Option<&Card> {
        find(&self.cards, &self.lookup.cards, id, |c| &c.id)
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        find(&self.questions, &self.lookup.questions, id, |q| &q.id)
    }

    /// Rebuilds the maps that make [`Pack::topic`], [`Pack::note`], [`Pack::card`] and
    /// [`Pack::question`] constant-time. The loader calls it; code that edits a pack's lists
    /// should call it again (lookups stay correct without it, only slower).
    pub fn reindex(&mut self) {
        self.lookup = Lookup {
            topics: positions(&self.topics, |t| &t.id),
            notes: positions(&self.notes, |n| &n.topic),
            cards: positions(&self.cards, |c| &c.id),
            questions: positions(&self.questions, |q| &q.id),
        };
    }

    /// Whether the pack declares this simulator.
    pub fn has_simulator(&self, kind: crate::sim::Kind) -> bool {
        self.simulators.contains(&kind)
    }

    /// The topic the pack maps a generator's questions to; `None` when it does not use it.
    pub fn generator_topic(&self, id: &str) -> Option<&str> {
        self.generators
            .iter()
            .find(|g| g.id == id)
            .map(|g| g.topic.as_str())
    }

    /// The section a reference names, if the pack has it.
    pub fn section(&self, r: &SectionRef) -> Option<(&Note, &Section)> {
        let note = self.note(&r.topic)?;
        Some((note, note.section(&r.anchor)?))
    }
}
