//! "What share of traffic reaches the new version at minute t?" under CodeDeploy's predefined
//! Lambda deployment configurations.
//!
//! AWS documents nine: `LambdaCanary10Percent{5,10,15,30}Minutes` shift 10 % at once and the
//! other 90 % after the interval; `LambdaLinear10PercentEvery{1,2,3,10}Minute(s)` shift 10 % at
//! the start of every interval (the first as soon as shifting begins) until all traffic has
//! moved; `LambdaAllAtOnce` shifts everything at once. The right answer comes from the
//! traffic-shifting simulator's model (`sim::traffic`), so the quiz and the simulator agree.

use rand::RngExt;

use super::{Generator, single_question, wrong};
use crate::content::Question;
use crate::sim::traffic::{self, Deployment, PREDEFINED};

/// Percent of traffic on the new version `t_s` seconds after shifting began, from the
/// traffic-shifting simulator's model (no alarm, no rollback).
pub fn new_version_percent(d: &Deployment, t_s: u32) -> u32 {
    traffic::new_version_percent(d, f64::from(t_s)).round() as u32
}

/// Minutes from the start until all traffic is on the new version.
pub fn complete_after_min(d: &Deployment) -> u32 {
    (d.shifting_duration_s() / 60.0).round() as u32
}

/// "7 minutes", "4 minutes 30 seconds".
fn when(t_s: u32) -> String {
    let (m, s) = (t_s / 60, t_s % 60);
    let min = if m == 1 {
        "1 minute".to_owned()
    } else {
        format!("{m} minutes")
    };
    if s == 0 {
        min
    } else {
        format!("{min} {s} seconds")
    }
}

fn pct(p: u32) -> String {
    format!("{p} %")
}

/// Generates traffic-shifting questions.
pub struct TrafficGenerator;

impl Generator for TrafficGenerator {
    fn id(&self) -> &'static str {
        "traffic-shift"
    }

    fn title(&self) -> &'static str {
        "CodeDeploy traffic shifting"
    }

    fn topic(&self) -> &'static str {
        "codedeploy"
    }

    fn generate(&self, seed: u64) -> Question {
        let mut rng = super::rng(seed);
        let shift = PREDEFINED[rng.random_range(0..PREDEFINED.len())];
        // Times are whole half-minutes that never fall on a step, so the answer is not a matter
        // of which side of the instant a step lands.
        let t_s = match shift {
            Deployment::Canary {
                interval_min: m, ..
            } => loop {
                let t = 30 * rng.random_range(1..=4 * m);
                if t != m * 60 {
                    break t;
                }
            },
            Deployment::Linear {
                interval_min: m, ..
            } => loop {
                let t = 30 * rng.random_range(1..=2 * (10 * m + m));
                if t % (m * 60) != 0 {
                    break t;
                }
            },
            Deployment::AllAtOnce => 30 * rng.random_range(1..=20),
        };
        let right = new_version_percent(&shift, t_s);
        let name = shift.name();
        let stem = format!(
            "A SAM template deploys a new version of a function behind the `live` alias with \
             `DeploymentPreference` type `{name}`. No alarm fires and the hooks succeed.\n\n\
             {} after traffic shifting begins, what share of the alias's traffic goes to the new \
             version?",
            when(t_s)
        );
        let (rule, source, mut wrongs) = match shift {
            Deployment::Canary {
                interval_min: m, ..
            } => (
                format!(
                    "A canary shifts 10 % to the new version at once and keeps it there for {m} \
                     minutes; then it shifts the other 90 %."
                ),
                "codedeploy#canary",
                vec![
                    wrong(
                        pct(20),
                        "This counts the canary twice: the canary's 10 % is part of the total, not \
                         added again.",
                    ),
                    if right == 10 {
                        wrong(
                            pct(100),
                            format!("The remaining 90 % moves only after {m} minutes."),
                        )
                    } else {
                        wrong(
                            pct(10),
                            format!("The canary phase ended at minute {m}: everything has moved."),
                        )
                    },
                    wrong(
                        pct(90),
                        "90 % is the share the canary leaves on the old version, then moves in \
                         one step.",
                    ),
                    wrong(
                        pct((10 * (t_s / (m * 60) + 1)).min(100)),
                        "That is how a linear configuration would behave; a canary has only two \
                         steps.",
                    ),
                    wrong(
                        pct(0),
                        "The canary's 10 % moves as soon as shifting begins.",
                    ),
                ],
            ),
            Deployment::Linear {
                interval_min: m, ..
            } => {
                let steps = t_s / (m * 60);
                (
                    format!(
                        "A linear configuration shifts 10 % at the start of every {m}-minute \
                         interval, the first as soon as shifting begins, and reaches 100 % after \
                         {} minutes.",
                        complete_after_min(&shift)
                    ),
                    "codedeploy#linear",
                    vec![
                        wrong(
                            pct((10 * steps).min(100)),
                            "This forgets the first 10 %, which moves as soon as shifting begins.",
                        ),
                        wrong(
                            pct((10 * (steps + 2)).min(100)),
                            format!(
                                "One step too many: the next 10 % moves at minute {}.",
                                (steps + 1) * m
                            ),
                        ),
                        wrong(
                            pct(10),
                            "That is a canary's share during its wait; linear keeps adding 10 %.",
                        ),
                        wrong(
                            pct(100),
                            format!(
                                "Everything has moved only after {} minutes.",
                                complete_after_min(&shift)
                            ),
                        ),
                        wrong(
                            pct(90),
                            "One step short of the end; count the steps from minute 0.",
                        ),
                    ],
                )
            }
            Deployment::AllAtOnce => (
                "All-at-once shifts every request to the new version immediately.".to_owned(),
                "codedeploy#all-at-once",
                vec![
                    wrong(
                        pct(10),
                        "Only canary and linear configurations start with 10 %.",
                    ),
                    wrong(pct(0), "Nothing waits: the shift happens at once."),
                    wrong(
                        pct(50),
                        "CodeDeploy's predefined configurations never split 50/50.",
                    ),
                ],
            ),
        };
        // Fallbacks keep four choices whatever the misconceptions collapse to.
        wrongs.extend(
            [30, 40, 50, 60, 70, 80]
                .into_iter()
                .map(|p| wrong(pct(p), format!("Not a share `{name}` has at that time."))),
        );
        let explanation = format!(
            "{rule}\n\nAt {} the new version receives **{}** of the traffic.",
            when(t_s),
            pct(right)
        );
        single_question(
            self.id(),
            seed,
            self.topic(),
            source,
            stem,
            (pct(right), format!("Right: {rule}")),
            wrongs,
            explanation,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_shares() {
        // From the note's table: Linear every 3 minutes, minute 7 → 30 %.
        let canary = |m| Deployment::Canary {
            percent: 10,
            interval_min: m,
        };
        let linear = |m| Deployment::Linear {
            percent: 10,
            interval_min: m,
        };
        assert_eq!(new_version_percent(&linear(3), 7 * 60), 30);
        assert_eq!(new_version_percent(&linear(1), 30), 10);
        assert_eq!(new_version_percent(&linear(1), 90), 20);
        assert_eq!(new_version_percent(&linear(10), 95 * 60), 100);
        assert_eq!(new_version_percent(&linear(10), 85 * 60), 90);
        assert_eq!(new_version_percent(&canary(5), 4 * 60 + 30), 10);
        assert_eq!(new_version_percent(&canary(5), 5 * 60 + 30), 100);
        assert_eq!(new_version_percent(&canary(30), 29 * 60), 10);
        assert_eq!(new_version_percent(&Deployment::AllAtOnce, 30), 100);
        assert_eq!(complete_after_min(&linear(2)), 18);
    }

    #[test]
    fn names_are_the_documented_ones() {
        let names: Vec<String> = PREDEFINED.iter().map(|s| s.name()).collect();
        assert!(names.contains(&"LambdaLinear10PercentEvery1Minute".to_owned()));
        assert!(names.contains(&"LambdaCanary10Percent30Minutes".to_owned()));
        assert!(names.contains(&"LambdaAllAtOnce".to_owned()));
    }

    #[test]
    fn generated_answer_matches_the_model() {
        for seed in 0..300 {
            let q = TrafficGenerator.generate(seed);
            let shift = PREDEFINED
                .into_iter()
                .find(|s| q.stem.contains(&format!("`{}`", s.name())))
                .expect("stem names a configuration");
            let (head, _) = q
                .stem
                .split_once(" after traffic")
                .expect("stem has a time");
            let head = head.rsplit("\n\n").next().expect("time line");
            let mut nums = head
                .split_whitespace()
                .filter_map(|w| w.parse::<u32>().ok());
            let m = nums.next().expect("minutes");
            let s = nums.next().unwrap_or(0);
            let right = q.choices.iter().find(|c| c.correct).expect("one right");
            assert_eq!(
                right.text,
                pct(new_version_percent(&shift, m * 60 + s)),
                "seed {seed}: {}",
                q.stem
            );
        }
    }
}
