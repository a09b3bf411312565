//! A question as a session shows it: the question, where it came from, and the order its
//! choices are shown in.

use std::collections::BTreeSet;

use rand::Rng;
use rand::seq::SliceRandom;

use super::{QuizError, generate};
use crate::content::{Choice, Pack, Question, QuestionKind};

/// Where a session's question came from, so a stored attempt can rebuild it exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A question of the pack, found again by its id.
    Authored,
    /// Built by a generator from a seed; the same generator and seed give the same question.
    Generated { generator: String, seed: u64 },
}

/// One question of a session, with its shuffled choice order.
#[derive(Clone, Debug)]
pub struct Item {
    pub question: Question,
    pub origin: Origin,
    /// `order[shown] = authored`: the authored index of the choice shown in each place.
    pub order: Vec<usize>,
}

/// What a stored attempt keeps of an item: enough to rebuild it from the pack or a generator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemRef {
    pub question_id: String,
    pub topic: String,
    pub origin: Origin,
    pub order: Vec<usize>,
}

impl Item {
    /// Wraps a question with its choices shuffled by `rng`.
    pub fn shuffled(question: Question, origin: Origin, rng: &mut impl Rng) -> Self {
        let mut order: Vec<usize> = (0..question.choices.len()).collect();
        order.shuffle(rng);
        Self {
            question,
            origin,
            order,
        }
    }

    /// The choices in the order they are shown, each with its authored index.
    pub fn shown_choices(&self) -> impl Iterator<Item = (usize, &Choice)> {
        self.order.iter().map(|&i| (i, &self.question.choices[i]))
    }

    /// The authored index of the choice shown in place `shown`.
    pub fn authored_index(&self, shown: usize) -> Option<usize> {
        self.order.get(shown).copied()
    }

    /// How many choices the learner must pick.
    pub fn needed(&self) -> usize {
        self.question.correct_count()
    }

    /// "Choose TWO." for a multiple-response question, as the exam words it.
    pub fn choose_prompt(&self) -> Option<String> {
        (self.question.kind == QuestionKind::Multi).then(|| choose_prompt(self.needed()))
    }

    /// All-or-nothing: right only when exactly the correct choices are chosen.
    pub fn is_correct(&self, chosen: &BTreeSet<usize>) -> bool {
        super::score::is_correct(&self.question, chosen)
    }

    /// Applies a toggle of the choice shown in place `shown` to `chosen`. A single-answer
    /// question swaps its one choice; a multiple-response one refuses more than it needs, as the
    /// exam's own screen does.
    pub fn toggle(&self, chosen: &mut BTreeSet<usize>, shown: usize) {
        let Some(authored) = self.authored_index(shown) else {
            return;
        };
        if chosen.remove(&authored) {
            return;
        }
        match self.question.kind {
            QuestionKind::Single => {
                chosen.clear();
                chosen.insert(authored);
            }
            QuestionKind::Multi => {
                if chosen.len() < self.needed() {
                    chosen.insert(authored);
                }
            }
        }
    }

    pub fn to_ref(&self) -> ItemRef {
        ItemRef {
            question_id: self.question.id.clone(),
            topic: self.question.topic.clone(),
            origin: self.origin.clone(),
            order: self.order.clone(),
        }
    }

    /// Rebuilds a stored item from the pack or its generator.
    pub fn from_ref(pack: &Pack, r: &ItemRef) -> Result<Self, QuizError> {
        let question = match &r.origin {
            Origin::Authored => pack
                .question(&r.question_id)
                .cloned()
                .ok_or_else(|| QuizError::UnknownQuestion(r.question_id.clone()))?,
            Origin::Generated { generator, seed } => generate::in_pack(
                pack,
                generate::by_id(generator)
                    .ok_or_else(|| QuizError::UnknownGenerator(generator.clone()))?,
                *seed,
            ),
        };
        let mut sorted = r.order.clone();
        sorted.sort_unstable();
        if sorted != (0..question.choices.len()).collect::<Vec<_>>() {
            return Err(QuizError::BadChoiceOrder(r.question_id.clone()));
        }
        Ok(Self {
            question,
            origin: r.origin.clone(),
            order: r.order.clone(),
        })
    }
}

/// "Choose TWO." and friends; numbers beyond five are written as digits.
pub fn choose_prompt(n: usize) -> String {
    const WORDS: [&str; 6] = ["ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE"];
    match WORDS.get(n) {
        Some(w) => format!("Choose {w}."),
        None => format!("Choose {n}."),
    }
}
