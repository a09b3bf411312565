//! Readiness: a predicted exam score with an 80 % interval, per domain and overall, from the
//! answers a learner gave to questions seen for the first time.
//!
//! # Method (also in ARCHITECTURE.md, "Readiness estimate")
//!
//! - **Evidence.** Only *first-sight* answers: the first answer ever given to an authored
//!   question, in practice or in a submitted mock exam (the store leaves out unsubmitted mocks
//!   and generated questions). A question answered again has been learned from its explanation,
//!   so later answers say less about the real exam, where every question is new. The share right
//!   on all answers is reported beside it, to show how much repetition inflates it.
//! - **Per domain.** The learner's chance of getting a new question of domain *d* right is
//!   unknown; with `k` of `n` first-sight answers right and a uniform prior it is
//!   Beta(1 + k, 1 + n − k). One sitting asks `m_d` questions of the domain (the profile's
//!   largest-remainder quota), so the number right there is beta-binomial(m_d, 1 + k, 1 + n − k):
//!   computed exactly, in logs, by the ratio of successive terms.
//! - **Overall.** Domains are taken as independent; the number right on the whole sitting is the
//!   sum over domains, whose distribution is the exact convolution of the domains'. The weights
//!   enter through the quotas, so the prediction is weighted as the exam is.
//! - **Reported.** The predicted score is the mean share right; the 80 % interval runs from the
//!   10th to the 90th percentile of the share right on one sitting, so it includes the luck of
//!   which questions come up as well as what is not known about the learner.
//! - **Ready** only when the interval's lower end reaches the pass mark: by this model, at least
//!   a 9 in 10 chance of passing.
//! - **Too little evidence.** Under [`Rules::min_per_domain`] first-sight answers in any domain,
//!   or [`Rules::min_total`] in all, there is no overall number: the estimate says how many more
//!   first-sight answers it needs instead.
//!
//! Assumptions: questions of a domain are alike in difficulty and the pack's questions are like
//! the exam's; the learner does not change between answers (earlier answers count as much as
//! recent ones); domains are independent; a scaled pass mark is the same share of its scale.

use std::collections::HashMap;

use serde::Serialize;

use crate::content::{ExamProfile, Pack};

/// The answers to one question, as the estimate reads them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    pub question_id: String,
    /// The topic its answers were stored under (the pack's current topic for the question wins).
    pub topic: String,
    /// Whether the first answer ever given to it (its first sight) was right.
    pub first_correct: bool,
    /// Answers given to it in all (at least one), and how many of them were right.
    pub answers: u32,
    pub right: u32,
}

/// How much evidence the estimate wants before it gives a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    /// First-sight answers needed in every domain.
    pub min_per_domain: u32,
    /// First-sight answers needed in all.
    pub min_total: u32,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            min_per_domain: 5,
            min_total: 30,
        }
    }
}

/// The two ends of the 80 % interval, as shares right (0–1).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// One domain's figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DomainReadiness {
    pub id: String,
    pub title: String,
    pub weight: f64,
    /// Questions of this domain in one sitting.
    pub exam_questions: usize,
    pub first_sight: u32,
    pub first_sight_correct: u32,
    /// Predicted share right on this domain's questions of one sitting; `None` with too little
    /// evidence.
    pub predicted: Option<f64>,
    pub interval: Option<Interval>,
    /// First-sight answers still needed before this domain gets a number.
    pub more_needed: u32,
    pub all_answers: u32,
    pub all_correct: u32,
}

impl DomainReadiness {
    /// Share right on every answer given (repeats included).
    pub fn all_answers_share(&self) -> Option<f64> {
        (self.all_answers > 0).then(|| f64::from(self.all_correct) / f64::from(self.all_answers))
    }
}

/// The estimate for one exam.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Readiness {
    pub exam: String,
    pub code: String,
    /// The pass mark as a share right, 0–1.
    pub pass: f64,
    /// First-sight answers that count toward a domain of the exam.
    pub first_sight: u32,
    pub first_sight_correct: u32,
    /// First-sight answers still needed before there is an overall number (0 once there is).
    pub more_needed: u32,
    /// Predicted share right on one sitting; `None` with too little evidence.
    pub predicted: Option<f64>,
    pub interval: Option<Interval>,
    /// The interval's lower end reaches the pass mark.
    pub ready: bool,
    /// Share right on all answers (repeats included), weighted by the domains' weights over
    /// the domains with answers; `None` before any answer.
    pub all_answers_share: Option<f64>,
    pub all_answers: u32,
    /// The estimate uses the built-in fallback shape.
    pub fallback: bool,
    pub domains: Vec<DomainReadiness>,
}

/// The 10th and 90th percentiles give the 80 % interval.
const LOW_Q: f64 = 0.10;
const HIGH_Q: f64 = 0.90;

/// Estimates readiness for `profile` from `evidence` (one entry per question answered).
pub fn estimate(
    pack: &Pack,
    profile: &ExamProfile,
    evidence: &[Evidence],
    rules: Rules,
) -> Readiness {
    let quotas = profile.domain_quotas();
    let index: HashMap<&str, usize> = profile
        .domains
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let mut tally = vec![[0u32; 4]; profile.domains.len()]; // first n, first k, all n, all k
    for e in evidence {
        let topic = pack
            .question(&e.question_id)
            .map_or(e.topic.as_str(), |q| q.topic.as_str());
        let Some(&d) = profile
            .domain_of_ids(&e.question_id, topic)
            .and_then(|d| index.get(d))
        else {
            continue;
        };
        let t = &mut tally[d];
        t[0] += 1;
        t[1] += u32::from(e.first_correct);
        t[2] += e.answers;
        t[3] += e.right.min(e.answers);
    }

    let mut domains = Vec::with_capacity(profile.domains.len());
    let mut pmfs: Vec<Vec<f64>> = Vec::new();
    let mut enough = true;
    let mut more_per_domain = 0;
    for (i, d) in profile.domains.iter().enumerate() {
        let [n, k, all_n, all_k] = tally[i];
        let m = quotas.get(i).copied().unwrap_or(0);
        let pmf = beta_binomial(m, 1.0 + f64::from(k), 1.0 + f64::from(n - k));
        let more = rules.min_per_domain.saturating_sub(n);
        // A domain the sitting does not ask about needs no evidence.
        let more = if m == 0 { 0 } else { more };
        more_per_domain += more;
        if more > 0 {
            enough = false;
        }
        let (predicted, interval) = if more == 0 && m > 0 {
            let (mean, low, high) = summary(&pmf);
            let m = m as f64;
            (
                Some(mean / m),
                Some(Interval {
                    low: low as f64 / m,
                    high: high as f64 / m,
                }),
            )
        } else {
            (None, None)
        };
        pmfs.push(pmf);
        domains.push(DomainReadiness {
            id: d.id.clone(),
            title: d.title.clone(),
            weight: d.weight,
            exam_questions: m,
            first_sight: n,
            first_sight_correct: k,
            predicted,
            interval,
            more_needed: more,
            all_answers: all_n,
            all_correct: all_k,
        });
    }
    let first_sight: u32 = tally.iter().map(|t| t[0]).sum();
    let first_sight_correct: u32 = tally.iter().map(|t| t[1]).sum();
    let more_needed = more_per_domain.max(rules.min_total.saturating_sub(first_sight));
    if more_needed > 0 {
        enough = false;
    }
    let total_questions: usize = quotas.iter().sum();
    let (predicted, interval) = if enough && total_questions > 0 {
        let pmf = pmfs.iter().fold(vec![1.0], |acc, p| convolve(&acc, p));
        let (mean, low, high) = summary(&pmf);
        let n = total_questions as f64;
        (
            Some(mean / n),
            Some(Interval {
                low: low as f64 / n,
                high: high as f64 / n,
            }),
        )
    } else {
        (None, None)
    };
    let pass = profile.pass.fraction();
    let ready = interval.is_some_and(|i| i.low + 1e-9 >= pass);
    let (wsum, share_sum) = domains
        .iter()
        .filter_map(|d| d.all_answers_share().map(|s| (d.weight, s)))
        .fold((0.0, 0.0), |(w, s), (dw, ds)| (w + dw, s + dw * ds));
    let all_answers_share = (wsum > 0.0).then(|| share_sum / wsum);
    Readiness {
        exam: profile.id.clone(),
        code: profile.code.clone(),
        pass,
        first_sight,
        first_sight_correct,
        more_needed,
        predicted,
        interval,
        ready,
        all_answers_share,
        all_answers: tally.iter().map(|t| t[2]).sum(),
        fallback: profile.fallback,
        domains,
    }
}

/// The beta-binomial distribution of the number right out of `m`, for a Beta(`a`, `b`) chance
/// of a right answer: P(x) for x = 0..=m. Computed in logs from P(0) and the ratio
/// P(x+1)/P(x) = (m−x)(a+x) / ((x+1)(b+m−x−1)), then normalised, so no factorial overflows.
pub fn beta_binomial(m: usize, a: f64, b: f64) -> Vec<f64> {
    let mut logs = Vec::with_capacity(m + 1);
    let mut l: f64 = (0..m)
        .map(|i| ((b + i as f64) / (a + b + i as f64)).ln())
        .sum();
    logs.push(l);
    for x in 0..m {
        let x = x as f64;
        let m = m as f64;
        l += ((m - x) * (a + x) / ((x + 1.0) * (b + m - x - 1.0))).ln();
        logs.push(l);
    }
    let max = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let p: Vec<f64> = logs.iter().map(|l| (l - max).exp()).collect();
    let sum: f64 = p.iter().sum();
    p.into_iter().map(|x| x / sum).collect()
}

fn convolve(a: &[f64], b: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; a.len() + b.len() - 1];
    for (i, x) in a.iter().enumerate() {
        for (j, y) in b.iter().enumerate() {
            out[i + j] += x * y;
        }
    }
    out
}

/// Mean, 10th and 90th percentile (smallest count whose cumulative probability reaches it) of
/// a distribution over counts 0, 1, 2, …
fn summary(pmf: &[f64]) -> (f64, usize, usize) {
    let mean = pmf.iter().enumerate().map(|(x, p)| x as f64 * p).sum();
    let quantile = |q: f64| {
        let mut cum = 0.0;
        for (x, p) in pmf.iter().enumerate() {
            cum += p;
            if cum + 1e-12 >= q {
                return x;
            }
        }
        pmf.len().saturating_sub(1)
    };
    (mean, quantile(LOW_Q), quantile(HIGH_Q))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn beta_binomial_matches_hand_computed_terms() {
        // Beta(3, 2), two questions: 0.2, 0.4, 0.4.
        let p = beta_binomial(2, 3.0, 2.0);
        assert!(
            close(p[0], 0.2) && close(p[1], 0.4) && close(p[2], 0.4),
            "{p:?}"
        );
        // Beta(4, 1): 1/15, 4/15, 10/15.
        let p = beta_binomial(2, 4.0, 1.0);
        assert!(close(p[0], 1.0 / 15.0) && close(p[1], 4.0 / 15.0), "{p:?}");
        // Large evidence does not underflow.
        let p = beta_binomial(65, 400.0, 1.0);
        assert!(close(p.iter().sum::<f64>(), 1.0));
        assert!(p[65] > 0.8);
        assert_eq!(beta_binomial(0, 1.0, 1.0), vec![1.0]);
    }

    #[test]
    fn convolution_of_two_domains() {
        let a = beta_binomial(1, 2.0, 1.0); // 1/3, 2/3
        let b = beta_binomial(1, 1.0, 2.0); // 2/3, 1/3
        let c = convolve(&a, &b);
        assert!(close(c[0], 2.0 / 9.0) && close(c[1], 5.0 / 9.0) && close(c[2], 2.0 / 9.0));
        let (mean, low, high) = summary(&c);
        assert!(close(mean, 1.0));
        assert_eq!((low, high), (0, 2));
    }
}
