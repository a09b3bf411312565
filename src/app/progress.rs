//! The learner's standing at a glance: the study streak and, per topic, how much of it they
//! would recall today and how their latest quiz answers went. Read from the store and the
//! in-memory card states, cached until the store changes or the study day turns.

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;

use crate::srs::stats::{self, Streak};

use super::AppState;

/// Days the streak tile looks back over ("studied on 12 of the last 30 days").
pub const STREAK_WINDOW_DAYS: u32 = 30;

/// How far back the streak is read, one study day at a time; a run this long shows as "365+".
pub const STREAK_LOOKBACK_DAYS: u32 = 365;

/// One topic's mastery.
#[derive(Clone, Debug, PartialEq)]
pub struct TopicMastery {
    pub topic: String,
    pub title: String,
    pub cards: usize,
    /// Cards answered at least once.
    pub cards_seen: usize,
    /// Mean probability of recalling the topic's cards today, unseen cards counting as 0.
    pub recall: f64,
    pub questions: usize,
    /// Authored questions answered at least once.
    pub questions_answered: usize,
    /// Of those, how many the latest answer got right.
    pub questions_right: usize,
}

/// What the dashboard and the Progress screen show of the learner's standing.
#[derive(Clone, Debug, PartialEq)]
pub struct Standing {
    pub streak: Streak,
    /// Topics in the pack's reading order.
    pub topics: Vec<TopicMastery>,
}

impl TopicMastery {
    /// How well the learner knows what they have started of this topic: the mean of recall over
    /// the cards seen and the share of latest quiz answers right, counting only what was tried.
    /// `None` for a topic not started.
    pub fn score(&self) -> Option<f64> {
        let recall =
            (self.cards_seen > 0).then(|| self.recall * self.cards as f64 / self.cards_seen as f64);
        let quiz = (self.questions_answered > 0)
            .then(|| self.questions_right as f64 / self.questions_answered as f64);
        match (recall, quiz) {
            (Some(r), Some(q)) => Some((r + q) / 2.0),
            (r, q) => r.or(q),
        }
    }
}

impl Standing {
    /// The started topic (some card seen or question answered) with the lowest score, the one
    /// to work on next; never a topic at 100 %.
    pub fn weakest(&self) -> Option<&TopicMastery> {
        self.topics
            .iter()
            .filter_map(|t| Some((t, t.score()?)))
            .filter(|(_, score)| *score < 1.0 - 1e-9)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(t, _)| t)
    }
}

/// A computed [`Standing`] and what it was computed from.
pub(super) struct StandingCache {
    /// Store writes, card-state generation and study day it was computed at.
    key: (u64, u64, Date),
    value: Standing,
}

impl AppState {
    /// Streak and per-topic mastery. Cached by [`AppState::tick`]: recomputed only after a
    /// write to the store, a change of pack or settings, or at the turn of the study day (and
    /// computed on the spot when the cache is out of date).
    pub fn standing(&self) -> Option<Standing> {
        self.wanted.set(self.wanted.get() | super::WANT_STANDING);
        let key = self.standing_key()?;
        if let Some(c) = &self.standing_cache
            && c.key == key
        {
            return Some(c.value.clone());
        }
        self.compute_standing(key.2)
    }

    /// What the standing is computed from: store writes, card changes, the study day.
    fn standing_key(&self) -> Option<(u64, u64, Date)> {
        let today = self.day_count()?.day;
        Some((self.store.change_count(), self.reviews.generation(), today))
    }

    fn compute_standing(&self, today: Date) -> Option<Standing> {
        Some(Standing {
            streak: self.streak(today)?,
            topics: self.topic_mastery()?,
        })
    }

    /// Recomputes the standing if it was read since the last tick and is out of date.
    pub(super) fn refresh_standing(&mut self) {
        let Some(key) = self.standing_key() else {
            return;
        };
        if self.standing_cache.as_ref().is_some_and(|c| c.key == key) {
            return;
        }
        if let Some(value) = self.compute_standing(key.2) {
            self.standing_cache = Some(StandingCache { key, value });
        }
    }

    fn streak(&self, today: Date) -> Option<Streak> {
        let day = self.reviews.study_day();
        // Every day the streak can ask about: today and the lookback before it.
        let first = today
            .checked_sub(jiff::Span::new().days(i64::from(STREAK_LOOKBACK_DAYS) + 1))
            .unwrap_or(Date::MIN);
        let days: HashSet<Date> = match self
            .store
            .study_quarters(&self.pack.meta.id, day.start_of(first))
        {
            Ok(quarters) => quarters.into_iter().map(|t| day.day_of(t)).collect(),
            Err(e) => {
                self.report_later("read when you studied", &e);
                return None;
            }
        };
        let Ok(streak) = stats::streak(today, STREAK_WINDOW_DAYS, STREAK_LOOKBACK_DAYS, |d| {
            Ok::<_, std::convert::Infallible>(days.contains(&d))
        });
        Some(streak)
    }

    fn topic_mastery(&self) -> Option<Vec<TopicMastery>> {
        let latest = match self.store.latest_answers(&self.pack.meta.id) {
            Ok(l) => l,
            Err(e) => {
                self.report_later("read your past answers", &e);
                return None;
            }
        };
        let now = self.clock.now();
        let pack = &self.pack;
        let states = self.reviews.card_states();
        let mut cards_by_topic: HashMap<&str, Vec<&Option<crate::srs::CardState>>> = HashMap::new();
        for (card, state) in pack.cards.iter().zip(states) {
            cards_by_topic.entry(&card.topic).or_default().push(state);
        }
        let topics = pack
            .topics
            .iter()
            .map(|t| {
                let cards = cards_by_topic.remove(t.id.as_str()).unwrap_or_default();
                let questions: Vec<_> = pack.questions.iter().filter(|q| q.topic == t.id).collect();
                let latest: Vec<bool> = questions
                    .iter()
                    .filter_map(|q| latest.get(&q.id))
                    .filter(|a| a.answered)
                    .map(|a| a.correct)
                    .collect();
                TopicMastery {
                    topic: t.id.clone(),
                    title: t.title.clone(),
                    cards: cards.len(),
                    cards_seen: cards.iter().filter(|c| c.is_some()).count(),
                    recall: stats::mean_recall(
                        self.reviews.scheduler(),
                        cards.iter().copied(),
                        now,
                    )
                    .unwrap_or(0.0),
                    questions: questions.len(),
                    questions_answered: latest.len(),
                    questions_right: latest.iter().filter(|&&c| c).count(),
                }
            })
            .collect();
        Some(topics)
    }
}
