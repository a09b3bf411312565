//! The exam a learner prepares for: which of the pack's exam profiles mock exams take their
//! shape from (remembered per pack), the readiness estimate for it, and past mock scores.

use std::borrow::Cow;

use crate::content::ExamProfile;
use crate::quiz::ExamConfig;
use crate::quiz::readiness::{self, Readiness, Rules};
use crate::store::{AttemptMode, AttemptSummary};

use super::AppState;

/// A computed [`ExamOutlook`] and what it was computed from.
pub(super) struct ReadinessCache {
    /// Store writes and the exam id it was computed at.
    key: (u64, String),
    value: ExamOutlook,
}

/// What the dashboard shows of the exam: the readiness estimate, past mock scores and the
/// mock exam left unfinished.
#[derive(Clone, Debug, PartialEq)]
pub struct ExamOutlook {
    pub readiness: Readiness,
    /// Submitted mock exams, oldest first.
    pub mocks: Vec<MockScore>,
    /// A mock exam neither submitted nor discarded.
    pub unfinished: Option<AttemptSummary>,
    /// The newest practice session that ended with at least one answer.
    pub latest_practice: Option<AttemptSummary>,
}

/// One submitted mock exam, for the chart of past scores.
#[derive(Clone, Debug, PartialEq)]
pub struct MockScore {
    pub attempt: i64,
    pub finished_ms: i64,
    /// Share right, 0–1.
    pub fraction: f64,
}

/// The settings key of the chosen exam of a pack.
fn choice_key(pack_id: &str) -> String {
    format!("exam.{pack_id}")
}

/// The exam id stored for `pack_id`, if any (read once, when the state opens or the pack changes).
pub(super) fn stored_choice(
    store: &crate::store::Store,
    pack_id: &str,
) -> Result<Option<String>, crate::store::StoreError> {
    store.get_setting(&choice_key(pack_id))
}

impl AppState {
    /// The exam mock exams are shaped like: the learner's choice when the pack still declares
    /// it, else the pack's default (its first active exam, or the built-in fallback shape).
    pub fn chosen_exam(&self) -> Cow<'_, ExamProfile> {
        self.exam_choice
            .as_deref()
            .and_then(|id| self.pack.exam_profile(id))
            .unwrap_or_else(|| self.pack.default_exam())
    }

    /// Remembers the exam to prepare for, for this pack.
    pub fn choose_exam(&mut self, id: &str) {
        if self.pack.exam_profile(id).is_none() {
            return;
        }
        let key = choice_key(&self.pack.meta.id);
        if let Err(e) = self.store.set_setting(&key, id) {
            self.report("save the exam you chose", &e);
        }
        self.exam_choice = Some(id.to_owned());
    }

    /// The predicted score on the chosen exam from first-sight answers, with past mock scores
    /// and any unfinished mock. Cached: recomputed by [`AppState::tick`] after the store changes
    /// or another exam is chosen (and on the spot when the cache is out of date).
    pub fn exam_outlook(&self) -> Option<ExamOutlook> {
        self.wanted
            .set(self.wanted.get() | super::WANT_EXAM_READINESS);
        let key = self.readiness_key();
        if let Some(c) = &self.exam_readiness_cache
            && c.key == key
        {
            return Some(c.value.clone());
        }
        self.compute_exam_readiness()
    }

    fn readiness_key(&self) -> (u64, String) {
        (self.store.change_count(), self.chosen_exam().id.clone())
    }

    fn compute_exam_readiness(&self) -> Option<ExamOutlook> {
        let readiness = match self.store.readiness_evidence(&self.pack.meta.id) {
            Ok(evidence) => {
                readiness::estimate(&self.pack, &self.chosen_exam(), &evidence, Rules::default())
            }
            Err(e) => {
                self.report_later("read the answers for the readiness estimate", &e);
                return None;
            }
        };
        let attempts = self.exam_attempts();
        let unfinished = attempts.iter().find(|a| a.finished_ms.is_none()).cloned();
        let latest_practice = match self.store.latest_practice(&self.pack.meta.id) {
            Ok(p) => p,
            Err(e) => {
                self.report_later("read your latest practice", &e);
                None
            }
        };
        Some(ExamOutlook {
            readiness,
            mocks: self.mock_scores_of_chosen_exam(&attempts),
            unfinished,
            latest_practice,
        })
    }

    /// Submitted mocks of the chosen exam among `attempts` (mocks from before exam profiles
    /// count as the pack's default exam's).
    fn mock_scores_of_chosen_exam(&self, attempts: &[AttemptSummary]) -> Vec<MockScore> {
        let configs = match self.store.exam_attempt_configs(&self.pack.meta.id) {
            Ok(c) => c,
            Err(e) => {
                self.report_later("read past mock exams", &e);
                return Vec::new();
            }
        };
        let chosen = self.chosen_exam().id.clone();
        let default = self.pack.default_exam().id.clone();
        let of_chosen: std::collections::HashSet<i64> = configs
            .into_iter()
            .filter(|(_, json)| {
                let config: ExamConfig = serde_json::from_str(json).unwrap_or_default();
                config.exam.unwrap_or_else(|| default.clone()) == chosen
            })
            .map(|(id, _)| id)
            .collect();
        let mut scores = mock_scores(attempts);
        scores.retain(|s| of_chosen.contains(&s.attempt));
        scores
    }

    /// Recomputes the readiness estimate if it was read since the last tick and is out of date.
    pub(super) fn refresh_exam_readiness(&mut self) {
        let key = self.readiness_key();
        if self
            .exam_readiness_cache
            .as_ref()
            .is_some_and(|c| c.key == key)
        {
            return;
        }
        if let Some(value) = self.compute_exam_readiness() {
            self.exam_readiness_cache = Some(ReadinessCache { key, value });
        }
    }
}

/// Submitted mock exams among `attempts`, oldest first.
pub fn mock_scores(attempts: &[AttemptSummary]) -> Vec<MockScore> {
    let mut scores: Vec<MockScore> = attempts
        .iter()
        .filter(|a| a.mode == AttemptMode::Exam && a.total > 0)
        .filter_map(|a| {
            Some(MockScore {
                attempt: a.id,
                finished_ms: a.finished_ms?,
                fraction: f64::from(a.correct?) / f64::from(a.total),
            })
        })
        .collect();
    scores.sort_by_key(|s| (s.finished_ms, s.attempt));
    scores
}
