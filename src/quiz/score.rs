//! Scoring: all-or-nothing per question, and the score report by topic.

use std::collections::BTreeSet;

use super::{Item, Response};
use crate::content::{Pack, Question};

/// True when `chosen` (authored indices) is exactly the set of correct choices: the exam gives
/// no partial credit on multiple-response questions, and an empty answer is wrong.
pub fn is_correct(question: &Question, chosen: &BTreeSet<usize>) -> bool {
    let correct: BTreeSet<usize> = question
        .choices
        .iter()
        .enumerate()
        .filter(|(_, c)| c.correct)
        .map(|(i, _)| i)
        .collect();
    !correct.is_empty() && *chosen == correct
}

/// One topic's line in a score report.
#[derive(Clone, Debug, PartialEq)]
pub struct TopicScore {
    pub topic: String,
    /// The topic's title, or its id when the pack no longer has it.
    pub title: String,
    pub correct: usize,
    pub total: usize,
}

impl TopicScore {
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.correct as f64 / self.total as f64
        }
    }
}

/// The result of a finished session.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub correct: usize,
    pub total: usize,
    pub answered: usize,
    /// Pass mark in percent; `None` for practice, which has none.
    pub pass_mark_pct: Option<u8>,
    /// Topics in pack order (unknown topics last).
    pub topics: Vec<TopicScore>,
    pub time_used_ms: u64,
    /// Per question, in session order: was it right.
    pub results: Vec<bool>,
}

impl Report {
    /// Builds the report of a session's items and responses.
    pub fn build(
        pack: &Pack,
        items: &[Item],
        responses: &[Response],
        pass_mark_pct: Option<u8>,
        time_used_ms: u64,
    ) -> Self {
        let results: Vec<bool> = items
            .iter()
            .zip(responses)
            .map(|(item, r)| item.is_correct(&r.chosen))
            .collect();
        let mut topics: Vec<TopicScore> = Vec::new();
        for (item, &ok) in items.iter().zip(&results) {
            let topic = &item.question.topic;
            let line = match topics.iter().position(|t| &t.topic == topic) {
                Some(i) => &mut topics[i],
                None => {
                    topics.push(TopicScore {
                        topic: topic.clone(),
                        title: pack
                            .topic(topic)
                            .map_or_else(|| topic.clone(), |t| t.title.clone()),
                        correct: 0,
                        total: 0,
                    });
                    topics.last_mut().expect("just pushed")
                }
            };
            line.total += 1;
            line.correct += usize::from(ok);
        }
        let rank = |id: &str| {
            pack.topics
                .iter()
                .position(|t| t.id == id)
                .unwrap_or(usize::MAX)
        };
        topics.sort_by_key(|t| rank(&t.topic));
        Self {
            correct: results.iter().filter(|&&ok| ok).count(),
            total: items.len(),
            answered: items
                .iter()
                .zip(responses)
                .filter(|(item, r)| r.chosen.len() >= item.needed())
                .count(),
            pass_mark_pct,
            topics,
            time_used_ms,
            results,
        }
    }

    /// Score in percent, 0–100.
    pub fn percent(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            100.0 * self.correct as f64 / self.total as f64
        }
    }

    /// Whether the score reaches the pass mark (always `None` in practice).
    pub fn passed(&self) -> Option<bool> {
        self.pass_mark_pct
            .map(|mark| self.percent() + 1e-9 >= f64::from(mark))
    }

    /// Average time per question.
    pub fn ms_per_question(&self) -> u64 {
        if self.total == 0 {
            0
        } else {
            self.time_used_ms / self.total as u64
        }
    }
}
