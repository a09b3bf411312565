//! Quizzes: practice sessions and mock exams as pure state machines, topic-weighted sampling,
//! seeded choice shuffling, all-or-nothing scoring, score reports, and generated questions.
//!
//! Nothing here touches egui or SQLite: the app layer (`app::quiz`) feeds sessions the time and
//! the learner's actions, and writes the [`AnswerRecord`]s they hand back to the store.

pub mod domains;
pub mod exam;
pub mod generate;
pub mod item;
pub mod practice;
pub mod readiness;
pub mod sample;
pub mod score;

pub use exam::{ExamConfig, ExamSession};
pub use item::{Item, ItemRef, Origin};
pub use practice::{PracticeConfig, PracticeSession};
pub use score::{Report, TopicScore};

use std::collections::{BTreeSet, HashMap};

/// Why a quiz could not be built or rebuilt.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QuizError {
    #[error("no questions match the chosen topics")]
    NoQuestions,
    #[error("question `{0}` is no longer in the pack")]
    UnknownQuestion(String),
    #[error("unknown question generator `{0}`")]
    UnknownGenerator(String),
    #[error("stored choice order for question `{0}` does not fit its choices")]
    BadChoiceOrder(String),
}

/// The learner's state on one question of a session.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Response {
    /// Chosen choices, as indices into the question's *authored* order, so that a stored answer
    /// does not depend on the shuffle.
    pub chosen: BTreeSet<usize>,
    pub flagged: bool,
    /// Time spent looking at this question, summed over every visit.
    pub time_ms: u64,
    /// Practice only: the answer was submitted and revealed.
    pub submitted: bool,
}

/// One answer as the store keeps it: written every time the learner changes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerRecord {
    /// Position of the question in its attempt.
    pub position: usize,
    pub question_id: String,
    pub topic: String,
    /// Authored indices.
    pub chosen: Vec<usize>,
    pub correct: bool,
    pub flagged: bool,
    pub time_ms: u64,
}

/// What the learner has done before, as the store summarises it: drives "weakest topics
/// first" and retakes.
#[derive(Clone, Debug, Default)]
pub struct History {
    /// Per question id, the latest answer given.
    pub last_answer: HashMap<String, PastAnswer>,
    /// Per topic id: (answers correct, answers given).
    pub topic_stats: HashMap<String, (u32, u32)>,
}

/// The latest answer to one question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PastAnswer {
    pub correct: bool,
    pub flagged: bool,
    /// False when the question was left without a choice (an exam submitted with it blank).
    pub answered: bool,
}

impl History {
    /// Share of correct answers in a topic, `None` when the learner never answered it.
    pub fn topic_accuracy(&self, topic: &str) -> Option<f64> {
        match self.topic_stats.get(topic) {
            Some(&(correct, total)) if total > 0 => Some(f64::from(correct) / f64::from(total)),
            _ => None,
        }
    }

    /// A retake wants questions answered wrongly, flagged, or never answered.
    pub fn needs_retake(&self, question_id: &str) -> bool {
        match self.last_answer.get(question_id) {
            None => true,
            Some(a) => !a.correct || a.flagged,
        }
    }
}

/// Milliseconds between two instants, never negative (a clock set back must not add time).
pub(crate) fn ms_between(from: jiff::Timestamp, to: jiff::Timestamp) -> u64 {
    let ms = to.as_millisecond() - from.as_millisecond();
    u64::try_from(ms).unwrap_or(0)
}
