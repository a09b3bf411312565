//! Mock exam mode: a timed, topic-weighted set of questions where nothing is revealed until
//! submit, with flags, free navigation, and a clock that runs only while the exam is open (the
//! app keeps it open while coldstart runs, on every screen).
//!
//! The real exam's clock never stops. Here a learner who closes the app by accident expects to
//! resume, so the clock counts only time spent with the exam open: the session banks elapsed
//! time whenever it is paused, and the store keeps that bank.

use jiff::Timestamp;
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

use super::practice::record;
use super::{
    AnswerRecord, Item, Origin, QuizError, Report, Response, generate, ms_between, sample,
};
use crate::content::{ExamProfile, Pack, Question};

/// How generated questions each chosen generator offers to a mock exam's pool.
const GENERATED_PER_GENERATOR: usize = 3;

/// A mock exam's shape; the defaults are DVA-C02's. [`ExamConfig::for_profile`] takes length,
/// time and pass mark from one of the pack's exam profiles and draws to its domain weights.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExamConfig {
    /// Number of questions (all of them when the pool is smaller).
    pub count: usize,
    pub minutes: u32,
    /// Percent of questions right needed to pass.
    pub pass_mark_pct: u8,
    /// Topic ids; empty means every topic.
    pub topics: Vec<String>,
    /// Generated questions are left out unless the learner asks for them.
    pub include_generated: bool,
    /// The exam profile (`ExamProfile::id`) whose domain weights the questions are drawn to;
    /// `None` (and configs stored before profiles existed) draws by topic weight only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exam: Option<String>,
}

impl Default for ExamConfig {
    fn default() -> Self {
        Self {
            count: 65,
            minutes: 130,
            pass_mark_pct: 72,
            topics: Vec::new(),
            include_generated: false,
            exam: None,
        }
    }
}

impl ExamConfig {
    /// A mock exam of `profile`'s shape: its number of questions, minutes and pass mark (a
    /// scaled pass mark as its share of the scale, 720 of 1000 → 72 %), drawn to its domains.
    pub fn for_profile(profile: &ExamProfile) -> Self {
        Self {
            count: profile.questions,
            minutes: profile.minutes,
            pass_mark_pct: profile.pass_percent(),
            topics: Vec::new(),
            include_generated: false,
            exam: Some(profile.id.clone()),
        }
    }

    fn wants(&self, topic: &str) -> bool {
        self.topics.is_empty() || self.topics.iter().any(|t| t == topic)
    }

    pub fn limit_ms(&self) -> u64 {
        u64::from(self.minutes) * 60_000
    }
}

/// Samples a mock exam's questions by topic weight and shuffles their choices. The same pack,
/// config and seed always give the same exam.
pub fn build_items(pack: &Pack, config: &ExamConfig, seed: u64) -> Result<Vec<Item>, QuizError> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut pool: Vec<(Question, Origin)> = pack
        .questions
        .iter()
        .filter(|q| config.wants(&q.topic))
        .map(|q| (q.clone(), Origin::Authored))
        .collect();
    if config.include_generated {
        let declared = generate::declared(pack);
        for g in declared
            .into_iter()
            .filter(|(_, topic)| config.wants(topic))
            .map(|(g, _)| g)
        {
            for _ in 0..GENERATED_PER_GENERATOR {
                let (s, question) = generate::fresh(
                    pack,
                    g,
                    |stem| pool.iter().any(|(q, _)| q.stem == stem),
                    &mut rng,
                );
                pool.push((
                    question,
                    Origin::Generated {
                        generator: g.id().to_owned(),
                        seed: s,
                    },
                ));
            }
        }
    }
    let profile = config.exam.as_deref().and_then(|id| pack.exam_profile(id));
    if let Some(profile) = &profile {
        pool.retain(|(q, _)| profile.includes_topic(&q.topic));
    }
    if pool.is_empty() {
        return Err(QuizError::NoQuestions);
    }
    let topic_weight = |t: &str| pack.topic(t).map_or(1.0, |t| t.weight);
    let chosen = match profile {
        Some(profile) => {
            let domains: Vec<(String, f64)> = profile
                .domains
                .iter()
                .map(|d| (d.id.clone(), d.weight))
                .collect();
            sample::by_domain_then_topic(
                pool,
                &domains,
                |(q, _)| profile.domain_of(q).map(str::to_owned),
                |(q, _)| q.topic.as_str(),
                topic_weight,
                config.count,
                &mut rng,
            )
        }
        None => sample::by_topic_weight(
            pool,
            |(q, _)| q.topic.as_str(),
            topic_weight,
            config.count,
            &mut rng,
        ),
    };
    Ok(chosen
        .into_iter()
        .map(|(q, o)| Item::shuffled(q, o, &mut rng))
        .collect())
}

/// Whether a navigator cell is answered, and flagged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CellStatus {
    /// As many choices picked as the question asks for.
    pub answered: bool,
    /// Some choices picked, but fewer than asked for: it will score wrong as it stands.
    pub incomplete: bool,
    pub flagged: bool,
}

/// A mock exam in progress (or submitted).
#[derive(Clone, Debug)]
pub struct ExamSession {
    pub config: ExamConfig,
    pub seed: u64,
    pub items: Vec<Item>,
    pub responses: Vec<Response>,
    current: usize,
    /// Exam time spent before the current opening.
    banked_ms: u64,
    /// When the exam was last opened; `None` while paused or submitted.
    opened_at: Option<Timestamp>,
    /// When the question on screen was shown, for time per question.
    visit_started: Option<Timestamp>,
    submitted: bool,
}

impl ExamSession {
    /// Starts a new exam, open now.
    pub fn new(config: ExamConfig, seed: u64, items: Vec<Item>, now: Timestamp) -> Self {
        let responses = vec![Response::default(); items.len()];
        Self::resume(config, seed, items, responses, 0, 0, false, now)
    }

    /// Reopens a stored exam where it was, with `elapsed_ms` already used. A submitted exam
    /// stays closed.
    #[allow(clippy::too_many_arguments)]
    pub fn resume(
        config: ExamConfig,
        seed: u64,
        items: Vec<Item>,
        mut responses: Vec<Response>,
        current: usize,
        elapsed_ms: u64,
        submitted: bool,
        now: Timestamp,
    ) -> Self {
        responses.resize(items.len(), Response::default());
        let open = (!submitted).then_some(now);
        Self {
            current: current.min(items.len().saturating_sub(1)),
            config,
            seed,
            items,
            responses,
            banked_ms: elapsed_ms,
            opened_at: open,
            visit_started: open,
            submitted,
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn position(&self) -> usize {
        self.current
    }

    pub fn is_submitted(&self) -> bool {
        self.submitted
    }

    pub fn is_open(&self) -> bool {
        self.opened_at.is_some()
    }

    pub fn current(&self) -> Option<(&Item, &Response)> {
        Some((
            self.items.get(self.current)?,
            self.responses.get(self.current)?,
        ))
    }

    /// Exam time used so far, never more than the limit.
    pub fn elapsed_ms(&self, now: Timestamp) -> u64 {
        let running = self.opened_at.map_or(0, |t| ms_between(t, now));
        (self.banked_ms + running).min(self.config.limit_ms())
    }

    pub fn remaining_ms(&self, now: Timestamp) -> u64 {
        self.config.limit_ms() - self.elapsed_ms(now)
    }

    /// True when the clock has run out on an exam not yet submitted: the caller submits it.
    pub fn is_time_up(&self, now: Timestamp) -> bool {
        !self.submitted && self.remaining_ms(now) == 0
    }

    fn can_change(&self, now: Timestamp) -> bool {
        !self.submitted && self.opened_at.is_some() && self.remaining_ms(now) > 0
    }

    /// Adds the time since the question was shown to it.
    fn accrue(&mut self, now: Timestamp) {
        if let Some(start) = self.visit_started {
            // The last visit cannot outlast the exam's own clock.
            let cap = self.config.limit_ms();
            let spent = ms_between(start, now).min(cap);
            if let Some(r) = self.responses.get_mut(self.current) {
                r.time_ms += spent;
            }
            self.visit_started = Some(now);
        }
    }

    /// Toggles the choice shown in place `shown` of the question on screen.
    pub fn toggle(&mut self, shown: usize, now: Timestamp) -> Option<AnswerRecord> {
        if !self.can_change(now) {
            return None;
        }
        self.accrue(now);
        let item = self.items.get(self.current)?;
        let r = self.responses.get_mut(self.current)?;
        item.toggle(&mut r.chosen, shown);
        Some(self.record(self.current))
    }

    pub fn toggle_flag(&mut self, now: Timestamp) -> Option<AnswerRecord> {
        if !self.can_change(now) {
            return None;
        }
        self.accrue(now);
        let r = self.responses.get_mut(self.current)?;
        r.flagged = !r.flagged;
        Some(self.record(self.current))
    }

    /// Shows question `position`; returns the record of the question left, whose time changed.
    pub fn go_to(&mut self, position: usize, now: Timestamp) -> Option<AnswerRecord> {
        if position >= self.items.len() || self.submitted {
            return None;
        }
        self.accrue(now);
        let left = self.current;
        self.current = position;
        Some(self.record(left))
    }

    /// Stops the clock (leaving the screen, closing the app); returns the record of the
    /// question on screen, whose time changed.
    pub fn pause(&mut self, now: Timestamp) -> Option<AnswerRecord> {
        self.opened_at?;
        self.accrue(now);
        self.banked_ms = self.elapsed_ms(now);
        self.opened_at = None;
        self.visit_started = None;
        (!self.items.is_empty()).then(|| self.record(self.current))
    }

    /// Starts the clock again after a pause.
    pub fn reopen(&mut self, now: Timestamp) {
        if !self.submitted && self.opened_at.is_none() {
            self.opened_at = Some(now);
            self.visit_started = Some(now);
        }
    }

    /// Ends the exam; returns the record of the question on screen, whose time changed.
    pub fn submit(&mut self, now: Timestamp) -> Option<AnswerRecord> {
        if self.submitted {
            return None;
        }
        let rec = self.pause(now);
        self.submitted = true;
        rec
    }

    pub fn status(&self, position: usize) -> CellStatus {
        match (self.items.get(position), self.responses.get(position)) {
            (Some(item), Some(r)) => CellStatus {
                answered: r.chosen.len() >= item.needed(),
                incomplete: !r.chosen.is_empty() && r.chosen.len() < item.needed(),
                flagged: r.flagged,
            },
            _ => CellStatus::default(),
        }
    }

    /// Questions without a complete answer: nothing picked, or fewer choices than asked for.
    pub fn unanswered(&self) -> Vec<usize> {
        (0..self.len())
            .filter(|&i| !self.status(i).answered)
            .collect()
    }

    pub fn flagged(&self) -> Vec<usize> {
        (0..self.len())
            .filter(|&i| self.status(i).flagged)
            .collect()
    }

    pub fn record(&self, position: usize) -> AnswerRecord {
        record(&self.items[position], &self.responses[position], position)
    }

    /// The score report; meaningful once submitted.
    pub fn report(&self, pack: &Pack, now: Timestamp) -> Report {
        Report::build(
            pack,
            &self.items,
            &self.responses,
            Some(self.config.pass_mark_pct),
            self.elapsed_ms(now),
        )
    }
}
