//! Generated questions: fresh numeric questions built from pure models of Lambda's behaviour,
//! with distractors taken from real misconceptions.
//!
//! A generator is a pure function of a seed, so a stored answer keeps only the generator's id
//! and the seed, and a reopened report rebuilds the very same question.
//!
//! A pack uses only the generators it declares (`[generators]` in `pack.toml`, each mapped to
//! one of its topics; the names a pack may use are `sim::generator_ids`): [`declared`] lists
//! them and [`in_pack`] builds their questions under the pack's topic.

mod concurrency;
mod retry;
mod traffic;

pub use concurrency::ConcurrencyGenerator;
pub use retry::RetryGenerator;
pub use traffic::TrafficGenerator;

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;

use crate::content::{Choice, Pack, Question, QuestionKind, SectionRef};

/// Builds questions of one kind from a seed.
pub trait Generator: Sync {
    /// Stable id, stored with answers.
    fn id(&self) -> &'static str;
    /// What the questions are about, for the settings that switch generators on.
    fn title(&self) -> &'static str;
    /// The built-in pack's topic for these questions; a pack maps the generator to a topic of
    /// its own (`Pack::generators`), which [`in_pack`] puts in its place.
    fn topic(&self) -> &'static str;
    /// The same seed always gives the same question.
    fn generate(&self, seed: u64) -> Question;
}

static ALL: [&dyn Generator; 3] = [&RetryGenerator, &TrafficGenerator, &ConcurrencyGenerator];

/// Every generator, in a stable order.
pub fn all() -> &'static [&'static dyn Generator] {
    &ALL
}

pub fn by_id(id: &str) -> Option<&'static dyn Generator> {
    ALL.iter().copied().find(|g| g.id() == id)
}

/// The generators `pack` declares, in registry order, each with the topic it maps it to. Empty
/// for a pack that declares none: it has no generated questions.
pub fn declared(pack: &Pack) -> Vec<(&'static dyn Generator, &str)> {
    pack.generators
        .iter()
        .filter_map(|u| Some((by_id(&u.id)?, u.topic.as_str())))
        .collect()
}

/// `g`'s question for `seed` as `pack` shows it: under the topic the pack maps `g` to, citing
/// the generator's own section when the pack has it and otherwise the first section of that
/// topic's note (a pack with other headings still links to somewhere real).
pub fn in_pack(pack: &Pack, g: &dyn Generator, seed: u64) -> Question {
    let mut q = g.generate(seed);
    if let Some(topic) = pack.generator_topic(g.id()) {
        q.topic = topic.to_owned();
    }
    if pack.section(&q.source).is_none()
        && let Some(first) = pack.note(&q.topic).and_then(|n| n.sections.first())
    {
        q.source = SectionRef {
            topic: q.topic.clone(),
            anchor: first.anchor.clone(),
        };
    }
    q
}

/// Draws per generated question before a repeat is accepted.
const FRESH_DRAWS: usize = 8;

/// A question from `g` and its seed, whose stem `taken` does not already hold. A generator has
/// a finite set of scenarios, so it draws fresh seeds from `rng` a few times before accepting a
/// repeat rather than loop forever.
pub fn fresh(
    pack: &Pack,
    g: &dyn Generator,
    taken: impl Fn(&str) -> bool,
    rng: &mut impl rand::Rng,
) -> (u64, Question) {
    let mut draw = || {
        let seed = new_seed(rng);
        (seed, in_pack(pack, g, seed))
    };
    let mut pick = draw();
    for _ in 1..FRESH_DRAWS {
        if !taken(&pick.1.stem) {
            break;
        }
        pick = draw();
    }
    pick
}

/// The seeded RNG every generator draws from: a named algorithm, so numbers do not change when
/// the rand crate changes what `StdRng` means.
pub(crate) fn rng(seed: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(seed)
}

/// A wrong answer and why a learner might pick it.
pub(crate) struct Wrong {
    pub text: String,
    pub why: String,
}

pub(crate) fn wrong(text: impl Into<String>, why: impl Into<String>) -> Wrong {
    Wrong {
        text: text.into(),
        why: why.into(),
    }
}

/// Assembles a single-answer question: the right choice plus the first three distinct wrong
/// ones (misconceptions first, then fallbacks). A wrong choice that reads the same as the right
/// one is dropped, so a distractor can never be correct.
#[allow(clippy::too_many_arguments)]
pub(crate) fn single_question(
    generator: &str,
    seed: u64,
    topic: &str,
    source: &str,
    stem: String,
    right: (String, String),
    wrongs: impl IntoIterator<Item = Wrong>,
    explanation: String,
) -> Question {
    let (right_text, right_why) = right;
    let mut choices = vec![Choice {
        text: right_text,
        correct: true,
        why: right_why,
    }];
    for w in wrongs {
        if choices.len() == 4 {
            break;
        }
        if choices.iter().any(|c| c.text == w.text) {
            continue;
        }
        choices.push(Choice {
            text: w.text,
            correct: false,
            why: w.why,
        });
    }
    Question {
        id: format!("gen-{generator}-{seed}"),
        topic: topic.to_owned(),
        kind: QuestionKind::Single,
        stem,
        choices,
        explanation,
        source: SectionRef::parse(source).expect("generator sources are written as topic#anchor"),
        difficulty: Some(2),
        tags: vec!["generated".to_owned()],
        refs: Vec::new(),
        verified: None,
    }
}

/// "1 time", "3 times".
pub(crate) fn times(n: u32) -> String {
    if n == 1 {
        "1 time".to_owned()
    } else {
        format!("{n} times")
    }
}

/// A fresh seed for a generated question, from any RNG the caller trusts.
pub fn new_seed(rng: &mut impl rand::Rng) -> u64 {
    use rand::RngExt;
    // Kept below 2^63 so it round-trips through SQLite's signed integers unchanged.
    rng.random::<u64>() >> 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_found() {
        for g in all() {
            assert_eq!(by_id(g.id()).map(|f| f.id()), Some(g.id()));
        }
        let mut ids: Vec<_> = all().iter().map(|g| g.id()).collect();
        ids.dedup();
        assert_eq!(ids.len(), all().len());
    }

    /// The registry in `sim` (what a pack may declare) and the generators here are the same set.
    #[test]
    fn the_registry_names_every_generator() {
        let ids: Vec<&str> = all().iter().map(|g| g.id()).collect();
        assert_eq!(ids, crate::sim::generator_ids());
    }

    #[test]
    fn every_generated_question_is_well_formed() {
        for g in all() {
            for seed in 0..500 {
                let q = g.generate(seed);
                assert_eq!(q.topic, g.topic());
                assert_eq!(q.correct_count(), 1, "{} seed {seed}", g.id());
                assert_eq!(
                    q.choices.len(),
                    4,
                    "{} seed {seed}: {:?}",
                    g.id(),
                    q.choices
                );
                let right = q.choices.iter().find(|c| c.correct).map(|c| &c.text);
                for c in q.choices.iter().filter(|c| !c.correct) {
                    assert_ne!(Some(&c.text), right, "{} seed {seed}", g.id());
                    assert!(!c.why.is_empty());
                }
                let mut texts: Vec<_> = q.choices.iter().map(|c| &c.text).collect();
                texts.sort();
                texts.dedup();
                assert_eq!(texts.len(), 4, "{} seed {seed}: duplicate choices", g.id());
                assert_eq!(g.generate(seed).stem, q.stem, "same seed, same question");
            }
        }
    }
}
