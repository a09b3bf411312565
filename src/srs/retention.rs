//! Desired retention and what it costs: the bands Anki warns in, the gap between the retention
//! asked for and the one achieved, and "help me choose" — the `fsrs` crate's simulator run on
//! the learner's parameters and cards at a few retentions, giving minutes of review per day and
//! cards remembered, with the choice that costs least per card remembered.

use std::sync::Arc;

use fsrs::{Card as SimCard, SimulatorConfig, simulate};

/// The retentions "help me choose" compares.
pub const CHOICES: [f64; 7] = [0.75, 0.80, 0.85, 0.90, 0.93, 0.95, 0.97];

/// How far below or above the desired retention the achieved one may be before it is flagged.
pub const GAP_POINTS: f64 = 5.0;

/// How unwise a desired retention is, in the bands Anki uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Band {
    Fine,
    /// Below 0.80 or above 0.95.
    Warn,
    /// Below 0.70 or above 0.97.
    Strong,
}

pub fn band(r: f64) -> Band {
    if !(0.70..=0.97).contains(&r) {
        Band::Strong
    } else if !(0.80..=0.95).contains(&r) {
        Band::Warn
    } else {
        Band::Fine
    }
}

/// What to tell the learner about a desired retention outside the comfortable band.
pub fn band_message(r: f64) -> Option<String> {
    let pct = r * 100.0;
    match (band(r), r < 0.85) {
        (Band::Fine, _) => None,
        (Band::Warn, true) => Some(format!(
            "At {pct:.0}% you will forget about one card in {:.0} before it comes back: fewer reviews, but more relearning. Most learners do best between 80% and 95%.",
            1.0 / (1.0 - r)
        )),
        (Band::Warn, false) => Some(format!(
            "Above 95% each extra point costs many more reviews for little more remembered. Most learners do best between 80% and 95%; {pct:.0}% is worth it only just before an exam."
        )),
        (Band::Strong, true) => Some(format!(
            "{pct:.0}% is very low: you would forget so often that relearning costs more time than reviewing would."
        )),
        (Band::Strong, false) => Some(format!(
            "{pct:.0}% is very high: the reviews needed grow steeply — several times the work of 90% — for a few points more."
        )),
    }
}

/// The achieved retention minus the desired one, in points, when it differs by more than
/// [`GAP_POINTS`].
pub fn gap(achieved: f64, desired: f64) -> Option<f64> {
    let points = (achieved - desired) * 100.0;
    (points.abs() > GAP_POINTS).then_some(points)
}

/// A card the learner has already seen, as the simulator takes it.
#[derive(Clone, Copy, Debug)]
pub struct SeenCard {
    pub stability: f64,
    pub difficulty: f64,
    /// Days since the last review (0 or more).
    pub days_since_review: f64,
    /// Days until it is due (negative when overdue).
    pub due_in_days: f64,
}

/// What the simulator needs besides the parameters.
#[derive(Clone, Debug)]
pub struct Workload {
    /// Cards in the pack (seen and not).
    pub deck_size: usize,
    pub seen: Vec<SeenCard>,
    pub new_per_day: usize,
    pub max_interval_days: f64,
    /// Days simulated.
    pub days: usize,
    /// Days until the exam, when an exam date is set (within `days`).
    pub exam_in_days: Option<usize>,
}

/// One retention simulated.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Choice {
    pub retention: f64,
    /// Average minutes of study per day over the simulated days.
    pub minutes_per_day: f64,
    /// Cards remembered (expected) at the end.
    pub remembered: f64,
    /// Seconds of study per card remembered at the end: the lower, the better the bargain.
    pub seconds_per_card: f64,
    /// Expected share of the pack recalled on exam day.
    pub exam_recall: Option<f64>,
}

/// Simulates every retention in [`CHOICES`] (seeded, so it is repeatable). CPU-bound: run it
/// off the frame loop.
pub fn help_me_choose(params: &[f32], work: &Workload, seed: u64) -> Result<Vec<Choice>, String> {
    let config = SimulatorConfig {
        deck_size: work.deck_size.max(1),
        learn_span: work.days.max(1),
        max_ivl: work.max_interval_days as f32,
        learn_limit: work.new_per_day,
        ..SimulatorConfig::default()
    };
    let shared = Arc::new(params.to_vec());
    let mut out = Vec::new();
    for &r in &CHOICES {
        let existing: Vec<SimCard> = work
            .seen
            .iter()
            .enumerate()
            .map(|(i, c)| SimCard {
                id: i as i64,
                difficulty: c.difficulty as f32,
                stability: c.stability as f32,
                last_date: -(c.days_since_review as f32),
                due: c.due_in_days as f32,
                interval: (c.days_since_review + c.due_in_days.max(0.0)) as f32,
                lapses: 0,
                desired_retention: r as f32,
                parameters: shared.clone(),
            })
            .collect();
        let result = simulate(&config, params, r as f32, Some(seed), Some(existing))
            .map_err(|e| e.to_string())?;
        let total_seconds: f64 = result.cost_per_day.iter().map(|c| f64::from(*c)).sum();
        let remembered = result
            .memorized_cnt_per_day
            .last()
            .map_or(0.0, |m| f64::from(*m));
        let exam_recall = work.exam_in_days.and_then(|d| {
            result
                .memorized_cnt_per_day
                .get(d.min(result.memorized_cnt_per_day.len().saturating_sub(1)))
                .map(|m| f64::from(*m) / work.deck_size.max(1) as f64)
        });
        out.push(Choice {
            retention: r,
            minutes_per_day: total_seconds / 60.0 / config.learn_span as f64,
            remembered,
            seconds_per_card: if remembered > 0.0 {
                total_seconds / remembered
            } else {
                f64::INFINITY
            },
            exam_recall,
        });
    }
    Ok(out)
}

/// The choice with the least study per card remembered among those outside the warning bands
/// (80–95 %): a lower retention is often cheaper per card on paper, but it is the relearning and
/// forgetting the bands warn about, so it is never recommended.
pub fn recommend(choices: &[Choice]) -> Option<f64> {
    choices
        .iter()
        .filter(|c| c.seconds_per_card.is_finite() && band(c.retention) == Band::Fine)
        .min_by(|a, b| a.seconds_per_card.total_cmp(&b.seconds_per_card))
        .map(|c| c.retention)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_are_ankis() {
        assert_eq!(band(0.90), Band::Fine);
        assert_eq!(band(0.80), Band::Fine);
        assert_eq!(band(0.95), Band::Fine);
        assert_eq!(band(0.79), Band::Warn);
        assert_eq!(band(0.96), Band::Warn);
        assert_eq!(band(0.69), Band::Strong);
        assert_eq!(band(0.98), Band::Strong);
        assert!(band_message(0.9).is_none());
        assert!(band_message(0.75).is_some_and(|m| m.contains("one card in 4")));
    }

    #[test]
    fn a_gap_above_five_points_is_flagged() {
        assert_eq!(gap(0.86, 0.90), None);
        assert!(gap(0.84, 0.90).is_some_and(|p| (p + 6.0).abs() < 1e-9));
        assert!(gap(0.97, 0.90).is_some());
    }

    #[test]
    fn higher_retention_costs_more_minutes_and_a_middle_one_is_recommended() {
        let work = Workload {
            deck_size: 500,
            seen: Vec::new(),
            new_per_day: 20,
            max_interval_days: 36500.0,
            days: 120,
            exam_in_days: Some(60),
        };
        let choices = help_me_choose(&fsrs::DEFAULT_PARAMETERS, &work, 1).expect("simulate");
        assert_eq!(choices.len(), CHOICES.len());
        let first = choices.first().expect("choice");
        let last = choices.last().expect("choice");
        assert!(last.minutes_per_day > first.minutes_per_day, "{choices:?}");
        assert!(last.remembered > first.remembered, "{choices:?}");
        assert!(
            choices
                .iter()
                .all(|c| c.exam_recall.is_some_and(|r| (0.0..=1.0).contains(&r)))
        );
        let best = recommend(&choices).expect("a recommendation");
        assert!((0.80..=0.95).contains(&best), "{best} {choices:?}");
    }
}
