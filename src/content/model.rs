//! The in-memory model of a content pack, as the rest of the app sees it once it has loaded.
//!
//! Everything here is plain data: loading and validation live in [`super::load`].

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
    pub simulator: Option<String>,
}

impl Note {
    pub fn section(&self, anchor: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.anchor == anchor)
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
        self.topics.iter().find(|t| t.id == id)
    }

    pub fn note(&self, topic: &str) -> Option<&Note> {
        self.notes.iter().find(|n| n.topic == topic)
    }

    pub fn card(&self, id: &str) -> Option<&Card> {
        self.cards.iter().find(|c| c.id == id)
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The section a reference names, if the pack has it.
    pub fn section(&self, r: &SectionRef) -> Option<(&Note, &Section)> {
        let note = self.note(&r.topic)?;
        Some((note, note.section(&r.anchor)?))
    }
}
