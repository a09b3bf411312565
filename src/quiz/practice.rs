//! Practice mode: questions from chosen topics, one at a time, each revealed as soon as it is
//! answered.

use jiff::Timestamp;
use rand::rngs::Xoshiro256PlusPlus;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};

use super::{
    AnswerRecord, History, Item, Origin, QuizError, Report, Response, generate, ms_between,
};
use crate::content::Pack;

/// What the learner asked to practise.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PracticeConfig {
    /// Topic ids; empty means every topic.
    pub topics: Vec<String>,
    pub count: usize,
    /// Questions from the topics with the lowest share of right answers first; topics never
    /// answered count as weakest.
    pub weakest_first: bool,
    /// Only questions answered wrongly, flagged, or never answered.
    pub retake: bool,
    /// Mix in generated questions (about one in four).
    pub include_generated: bool,
    /// Only these authored questions (e.g. the ones a mock exam got wrong); empty means no
    /// such limit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<String>,
}

impl Default for PracticeConfig {
    fn default() -> Self {
        Self {
            topics: Vec::new(),
            count: 10,
            weakest_first: false,
            retake: false,
            include_generated: false,
            questions: Vec::new(),
        }
    }
}

impl PracticeConfig {
    fn wants(&self, topic: &str) -> bool {
        self.topics.is_empty() || self.topics.iter().any(|t| t == topic)
    }
}

/// Picks and shuffles a practice session's questions. The same pack, config, history and seed
/// always give the same items.
pub fn build_items(
    pack: &Pack,
    config: &PracticeConfig,
    history: &History,
    seed: u64,
) -> Result<Vec<Item>, QuizError> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut pool: Vec<_> = pack
        .questions
        .iter()
        .filter(|q| config.wants(&q.topic))
        .filter(|q| config.questions.is_empty() || config.questions.contains(&q.id))
        .filter(|q| !config.retake || history.needs_retake(&q.id))
        .collect();
    pool.shuffle(&mut rng);
    // Stable sorts keep the shuffle within equals. A retake puts the questions got wrong or
    // flagged before the ones never seen, so a short retake is about the learner's mistakes.
    let unseen = |id: &str| config.retake && !history.last_answer.contains_key(id);
    let accuracy = |t: &str| {
        if config.weakest_first {
            history.topic_accuracy(t).unwrap_or(-1.0)
        } else {
            0.0
        }
    };
    pool.sort_by(|a, b| {
        unseen(&a.id)
            .cmp(&unseen(&b.id))
            .then(accuracy(&a.topic).total_cmp(&accuracy(&b.topic)))
    });
    let generators: Vec<_> = generate::declared(pack)
        .into_iter()
        .filter(|(_, topic)| config.wants(topic))
        .map(|(g, _)| g)
        .collect();
    let generated = if config.include_generated && !generators.is_empty() {
        if pool.is_empty() {
            config.count
        } else {
            config.count.div_ceil(4)
        }
    } else {
        0
    };
    let authored = config.count.saturating_sub(generated).min(pool.len());
    let mut items: Vec<Item> = pool
        .into_iter()
        .take(authored)
        .map(|q| Item::shuffled(q.clone(), Origin::Authored, &mut rng))
        .collect();
    for k in 0..generated {
        let g = generators[k % generators.len()];
        let (gen_seed, question) = generate::fresh(
            pack,
            g,
            |stem| items.iter().any(|i| i.question.stem == stem),
            &mut rng,
        );
        let item = Item::shuffled(
            question,
            Origin::Generated {
                generator: g.id().to_owned(),
                seed: gen_seed,
            },
            &mut rng,
        );
        // Spread generated questions through the session rather than bunching them at the end.
        let at = if items.is_empty() {
            0
        } else {
            rng.random_range(0..=items.len())
        };
        items.insert(at, item);
    }
    if items.is_empty() {
        return Err(QuizError::NoQuestions);
    }
    Ok(items)
}

/// A practice session in progress.
#[derive(Clone, Debug)]
pub struct PracticeSession {
    pub items: Vec<Item>,
    pub responses: Vec<Response>,
    current: usize,
    shown_at: Timestamp,
}

impl PracticeSession {
    pub fn new(items: Vec<Item>, now: Timestamp) -> Self {
        let responses = vec![Response::default(); items.len()];
        Self {
            items,
            responses,
            current: 0,
            shown_at: now,
        }
    }

    /// Reopens a session from stored items and answers, at its first unanswered question.
    pub fn resume(items: Vec<Item>, responses: Vec<Response>, now: Timestamp) -> Self {
        let current = responses
            .iter()
            .position(|r| !r.submitted)
            .unwrap_or(items.len());
        Self {
            items,
            responses,
            current,
            shown_at: now,
        }
    }

    /// Index of the question on screen; `len()` once finished.
    pub fn position(&self) -> usize {
        self.current
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn is_finished(&self) -> bool {
        self.current >= self.items.len()
    }

    pub fn current(&self) -> Option<(&Item, &Response)> {
        Some((
            self.items.get(self.current)?,
            self.responses.get(self.current)?,
        ))
    }

    /// Toggles the choice shown in place `shown`, until the answer is submitted.
    pub fn toggle(&mut self, shown: usize) {
        let Some(item) = self.items.get(self.current) else {
            return;
        };
        let r = &mut self.responses[self.current];
        if !r.submitted {
            item.toggle(&mut r.chosen, shown);
        }
    }

    /// Whether the answer on screen can be submitted: as many choices picked as the question
    /// asks for ("Choose TWO." means two), not yet revealed. Practice is for learning, so a
    /// half-finished pick is not marked wrong by a stray Enter.
    pub fn can_submit(&self) -> bool {
        self.current()
            .is_some_and(|(item, r)| !r.submitted && r.chosen.len() == item.needed())
    }

    /// How many more choices the learner must pick before submitting.
    pub fn still_to_pick(&self) -> usize {
        self.current()
            .map_or(0, |(item, r)| item.needed().saturating_sub(r.chosen.len()))
    }

    /// Submits and reveals the answer on screen; returns what the store must keep.
    pub fn submit(&mut self, now: Timestamp) -> Option<AnswerRecord> {
        if !self.can_submit() {
            return None;
        }
        let r = &mut self.responses[self.current];
        r.submitted = true;
        r.time_ms = ms_between(self.shown_at, now);
        Some(self.record(self.current))
    }

    /// Flags or unflags the question on screen and returns what the store must keep, so a flag
    /// survives quitting before the answer. Until the answer is submitted the record carries
    /// no choices: picks in progress are not an answer.
    pub fn toggle_flag(&mut self) -> Option<AnswerRecord> {
        let r = self.responses.get_mut(self.current)?;
        r.flagged = !r.flagged;
        let mut rec = self.record(self.current);
        if !self.responses[self.current].submitted {
            rec.chosen.clear();
            rec.correct = false;
            rec.time_ms = 0;
        }
        Some(rec)
    }

    /// Moves on after a revealed answer.
    pub fn next(&mut self, now: Timestamp) {
        if self.current().is_some_and(|(_, r)| r.submitted) {
            self.current += 1;
            self.shown_at = now;
        }
    }

    /// The stored form of the answer at `position`.
    pub fn record(&self, position: usize) -> AnswerRecord {
        record(&self.items[position], &self.responses[position], position)
    }

    /// Score over the questions answered so far.
    pub fn report(&self, pack: &Pack) -> Report {
        let answered: Vec<usize> = (0..self.items.len())
            .filter(|&i| self.responses[i].submitted)
            .collect();
        let items: Vec<Item> = answered.iter().map(|&i| self.items[i].clone()).collect();
        let responses: Vec<Response> = answered
            .iter()
            .map(|&i| self.responses[i].clone())
            .collect();
        let time = responses.iter().map(|r| r.time_ms).sum();
        Report::build(pack, &items, &responses, None, time)
    }
}

pub(crate) fn record(item: &Item, r: &Response, position: usize) -> AnswerRecord {
    AnswerRecord {
        position,
        question_id: item.question.id.clone(),
        topic: item.question.topic.clone(),
        chosen: r.chosen.iter().copied().collect(),
        correct: item.is_correct(&r.chosen),
        flagged: r.flagged,
        time_ms: r.time_ms,
    }
}
