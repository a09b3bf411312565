//! The score report of a mock exam as the real one reads: the overall result against the pass
//! mark (with a scaled estimate where the profile has a scale), then each exam domain as "meets"
//! or "needs improvement", with its topics as a drill-down.

use serde::Serialize;

use super::{Item, Report, TopicScore};
use crate::content::{ExamProfile, Pack};

/// A domain's verdict, as the vendor's score report words it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The domain's share right reaches the exam's pass mark.
    Meets,
    NeedsImprovement,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Meets => "Meets competencies",
            Verdict::NeedsImprovement => "Needs improvement",
        }
    }
}

/// One domain's line of the report.
#[derive(Clone, Debug, PartialEq)]
pub struct DomainScore {
    /// The domain id, or `""` for the questions that count toward no domain of the exam.
    pub id: String,
    pub title: String,
    /// Percent of the exam, from the profile (0 for the no-domain line).
    pub weight: f64,
    pub correct: usize,
    pub total: usize,
    /// `None` when the mock held no question of this domain.
    pub verdict: Option<Verdict>,
    /// The drill-down: this domain's topics, in pack order.
    pub topics: Vec<TopicScore>,
}

impl DomainScore {
    pub fn fraction(&self) -> Option<f64> {
        (self.total > 0).then(|| self.correct as f64 / self.total as f64)
    }
}

/// A scaled score estimate, e.g. "≈ 748 of 1000 (pass 720)". Always an estimate: the real
/// exam's scaled scores are equated, not a straight share of the questions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScaledEstimate {
    pub estimate: u32,
    pub pass: u32,
    pub scale: u32,
}

/// The report of a mock exam by the domains of its exam profile.
#[derive(Clone, Debug, PartialEq)]
pub struct ExamReport {
    pub exam_id: String,
    pub code: String,
    /// The built-in fallback shape was used (the pack declares no exam).
    pub fallback: bool,
    /// The profile's note on what is not confirmed, shown with the result.
    pub note: Option<String>,
    pub correct: usize,
    pub total: usize,
    /// The pass mark as a share of the questions, 0–1.
    pub pass_fraction: f64,
    pub passed: bool,
    pub scaled: Option<ScaledEstimate>,
    /// The profile's domains in its order; a last line with `id == ""` holds questions that
    /// count toward none (only when there are some).
    pub domains: Vec<DomainScore>,
}

impl ExamReport {
    /// Builds the report from a session's items and its [`Report`] (whose `results` say which
    /// items were right), by `profile`'s domains.
    pub fn build(pack: &Pack, profile: &ExamProfile, items: &[Item], report: &Report) -> Self {
        let pass_fraction = profile.pass.fraction();
        let mut domains: Vec<DomainScore> = profile
            .domains
            .iter()
            .map(|d| DomainScore {
                id: d.id.clone(),
                title: d.title.clone(),
                weight: d.weight,
                correct: 0,
                total: 0,
                verdict: None,
                topics: Vec::new(),
            })
            .collect();
        let mut other = DomainScore {
            id: String::new(),
            title: format!("Not in a {} domain", profile.code),
            weight: 0.0,
            correct: 0,
            total: 0,
            verdict: None,
            topics: Vec::new(),
        };
        for (item, &ok) in items.iter().zip(&report.results) {
            let q = &item.question;
            let line = match profile
                .domain_of(q)
                .and_then(|d| domains.iter().position(|x| x.id == d))
            {
                Some(i) => &mut domains[i],
                None => &mut other,
            };
            line.total += 1;
            line.correct += usize::from(ok);
            let topic = match line.topics.iter().position(|t| t.topic == q.topic) {
                Some(i) => &mut line.topics[i],
                None => {
                    line.topics.push(TopicScore {
                        topic: q.topic.clone(),
                        title: pack
                            .topic(&q.topic)
                            .map_or_else(|| q.topic.clone(), |t| t.title.clone()),
                        correct: 0,
                        total: 0,
                    });
                    let last = line.topics.len() - 1;
                    &mut line.topics[last]
                }
            };
            topic.total += 1;
            topic.correct += usize::from(ok);
        }
        if other.total > 0 {
            domains.push(other);
        }
        let rank = |id: &str| {
            pack.topics
                .iter()
                .position(|t| t.id == id)
                .unwrap_or(usize::MAX)
        };
        for d in &mut domains {
            d.topics.sort_by_key(|t| rank(&t.topic));
            d.verdict = d.fraction().map(|f| {
                if f + 1e-9 >= pass_fraction {
                    Verdict::Meets
                } else {
                    Verdict::NeedsImprovement
                }
            });
        }
        let fraction = if report.total == 0 {
            0.0
        } else {
            report.correct as f64 / report.total as f64
        };
        let scaled = match profile.pass {
            crate::content::PassMark::Scaled { score, scale } => Some(ScaledEstimate {
                estimate: profile.pass.scaled_estimate(fraction).unwrap_or(0),
                pass: score,
                scale,
            }),
            crate::content::PassMark::Percent(_) => None,
        };
        Self {
            exam_id: profile.id.clone(),
            code: profile.code.clone(),
            fallback: profile.fallback,
            note: profile.note.clone(),
            correct: report.correct,
            total: report.total,
            pass_fraction,
            passed: report.total > 0 && fraction + 1e-9 >= pass_fraction,
            scaled,
            domains,
        }
    }

    /// Share right, 0–1.
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.correct as f64 / self.total as f64
        }
    }

    /// The domain with the lowest share right (of those the mock held), for "practise my
    /// weakest domain"; ties go to the heavier domain.
    pub fn weakest_domain(&self) -> Option<&DomainScore> {
        self.domains
            .iter()
            .filter(|d| !d.id.is_empty() && d.total > 0)
            .min_by(|a, b| {
                let fa = a.fraction().unwrap_or(1.0);
                let fb = b.fraction().unwrap_or(1.0);
                fa.total_cmp(&fb).then(b.weight.total_cmp(&a.weight))
            })
    }

    /// "Pass: ≈ 748 of 1000 (estimate; pass mark 720)" or "Fail: 60% (pass mark 72%)".
    pub fn headline(&self) -> String {
        let verdict = if self.passed { "Pass" } else { "Fail" };
        match self.scaled {
            Some(s) => format!(
                "{verdict}: ≈ {} of {} (an estimate; pass mark {})",
                s.estimate, s.scale, s.pass
            ),
            None => format!(
                "{verdict}: {:.0}% (pass mark {:.0}%)",
                self.fraction() * 100.0,
                self.pass_fraction * 100.0
            ),
        }
    }
}

/// The topics of a domain, for "practise my weakest domain": every topic of the pack that
/// counts toward `domain` in `profile`, in pack order.
pub fn domain_topics(pack: &Pack, profile: &ExamProfile, domain: &str) -> Vec<String> {
    pack.topics
        .iter()
        .filter(|t| profile.topic_domains.get(&t.id).map(String::as_str) == Some(domain))
        .map(|t| t.id.clone())
        .collect()
}
