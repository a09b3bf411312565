//! Item statistics, after Moodle's quiz statistics report: for each authored question, from the
//! first time each learner saw it, how often it was answered right (p-value), how well it
//! separates learners who know the material from those who do not (point-biserial
//! discrimination against the score on the rest of the same attempt), how often each choice was
//! picked, and how long it took.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::content::Pack;

/// One answer as the statistics need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// Which learner (index of the progress file or the `--from` file).
    pub learner: usize,
    /// The attempt (practice session or mock exam) it belongs to, per learner.
    pub attempt: i64,
    pub question_id: String,
    /// Generated questions are left out: their choices change with the seed.
    pub generated: bool,
    /// Authored choice indices; empty when unanswered.
    pub chosen: Vec<usize>,
    pub correct: bool,
    pub time_ms: u64,
}

/// How often one choice was picked.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChoicePicks {
    /// Authored index (0-based; shown as A, B, …).
    pub index: usize,
    pub correct: bool,
    pub picked: usize,
    /// `picked` over first-sight answers.
    pub share: f64,
}

/// Something an author should look at.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "flag", rename_all = "kebab-case")]
pub enum Flag {
    /// Learners who do better on the rest of the attempt do worse on this question: the key may
    /// be wrong or the question misleading.
    NegativeDiscrimination { value: f64 },
    /// A distractor nobody picks does no work.
    UnpickedDistractor { index: usize },
}

/// Statistics of one question.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ItemStat {
    pub question_id: String,
    pub topic: Option<String>,
    /// First-sight answers counted.
    pub answers: usize,
    /// Share answered right at first sight.
    pub p_value: f64,
    /// Point-biserial correlation of right/wrong with the share right on the rest of the
    /// attempt; `None` with fewer than two usable answers or no spread.
    pub discrimination: Option<f64>,
    /// Per choice, in authored order (empty for a question no longer in the pack).
    pub choices: Vec<ChoicePicks>,
    pub mean_time_ms: f64,
    pub median_time_ms: u64,
    pub flags: Vec<Flag>,
}

/// Statistics of every authored question with at least `min_answers` first-sight answers,
/// in the pack's question order (questions no longer in the pack last, by id).
pub fn compute(answers: &[Answer], pack: &Pack, min_answers: usize) -> Vec<ItemStat> {
    // Share right on the rest of each attempt: totals per (learner, attempt).
    let mut totals: HashMap<(usize, i64), (usize, usize)> = HashMap::new();
    for a in answers {
        let t = totals.entry((a.learner, a.attempt)).or_default();
        t.0 += usize::from(a.correct);
        t.1 += 1;
    }
    // First sight: the first answer of each learner to each question, in the order given.
    let mut seen: HashSet<(usize, &str)> = HashSet::new();
    let mut first: HashMap<&str, Vec<(&Answer, Option<f64>)>> = HashMap::new();
    for a in answers.iter().filter(|a| !a.generated) {
        if !seen.insert((a.learner, a.question_id.as_str())) {
            continue;
        }
        let rest = totals.get(&(a.learner, a.attempt)).and_then(|&(right, n)| {
            let n = n.checked_sub(1).filter(|&n| n > 0)?;
            Some((right - usize::from(a.correct)) as f64 / n as f64)
        });
        first
            .entry(a.question_id.as_str())
            .or_default()
            .push((a, rest));
    }
    let mut order: Vec<&str> = pack
        .questions
        .iter()
        .map(|q| q.id.as_str())
        .filter(|id| first.contains_key(id))
        .collect();
    let mut gone: Vec<&str> = first
        .keys()
        .copied()
        .filter(|id| pack.question(id).is_none())
        .collect();
    gone.sort_unstable();
    order.extend(gone);

    let mut out = Vec::new();
    for id in order {
        let rows = &first[id];
        if rows.len() < min_answers.max(1) {
            continue;
        }
        let n = rows.len();
        let right = rows.iter().filter(|(a, _)| a.correct).count();
        let p_value = right as f64 / n as f64;
        let pairs: Vec<(f64, f64)> = rows
            .iter()
            .filter_map(|(a, rest)| rest.map(|r| (f64::from(u8::from(a.correct)), r)))
            .collect();
        let discrimination = pearson(&pairs);
        let question = pack.question(id);
        let choices: Vec<ChoicePicks> = question
            .map(|q| {
                q.choices
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let picked = rows.iter().filter(|(a, _)| a.chosen.contains(&i)).count();
                        ChoicePicks {
                            index: i,
                            correct: c.correct,
                            picked,
                            share: picked as f64 / n as f64,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut times: Vec<u64> = rows.iter().map(|(a, _)| a.time_ms).collect();
        times.sort_unstable();
        let mean_time_ms = times.iter().sum::<u64>() as f64 / n as f64;
        let median_time_ms = times[n / 2];
        let mut flags = Vec::new();
        if let Some(r) = discrimination
            && r < 0.0
        {
            flags.push(Flag::NegativeDiscrimination { value: r });
        }
        for c in &choices {
            if !c.correct && c.picked == 0 {
                flags.push(Flag::UnpickedDistractor { index: c.index });
            }
        }
        out.push(ItemStat {
            question_id: id.to_owned(),
            topic: question.map(|q| q.topic.clone()),
            answers: n,
            p_value,
            discrimination,
            choices,
            mean_time_ms,
            median_time_ms,
            flags,
        });
    }
    out
}

/// Pearson correlation (with a 0/1 variable: the point-biserial); `None` without spread.
fn pearson(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 2 {
        return None;
    }
    let n = pairs.len() as f64;
    let mx = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    if sxx <= f64::EPSILON || syy <= f64::EPSILON {
        return None;
    }
    Some(sxy / (sxx * syy).sqrt())
}

/// A choice's letter as shown in reports: A, B, …
pub fn letter(index: usize) -> char {
    char::from(b'A' + (index.min(25) as u8))
}

/// Reads answers from a `coldstart export quiz` CSV file (one learner). Rows that cannot be read
/// are errors naming their line.
pub fn answers_from_csv(learner: usize, reader: impl std::io::Read) -> Result<Vec<Answer>, String> {
    let mut r = csv::Reader::from_reader(reader);
    let headers = r.headers().map_err(|e| e.to_string())?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("no column {name:?} (is this a `coldstart export quiz` file?)"))
    };
    let (c_attempt, c_q, c_gen, c_chosen, c_correct, c_time) = (
        col("attempt")?,
        col("question_id")?,
        col("generator")?,
        col("chosen")?,
        col("correct")?,
        col("time_ms")?,
    );
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| e.to_string())?;
        let line = rec.position().map_or(0, |p| p.line());
        let field = |i: usize| rec.get(i).unwrap_or("");
        let bad = |what: &str| format!("line {line}: {what}");
        let attempt = field(c_attempt)
            .parse::<i64>()
            .map_err(|_| bad("attempt is not a number"))?;
        let chosen = field(c_chosen)
            .split_whitespace()
            .map(|s| s.parse::<usize>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| bad("chosen is not a list of choice numbers"))?;
        let correct = match field(c_correct) {
            "true" | "1" => true,
            "false" | "0" => false,
            _ => return Err(bad("correct is neither true nor false")),
        };
        let time_ms = field(c_time)
            .parse::<u64>()
            .map_err(|_| bad("time_ms is not a number"))?;
        let question_id = field(c_q).to_owned();
        if question_id.is_empty() {
            return Err(bad("question_id is empty"));
        }
        out.push(Answer {
            learner,
            attempt,
            question_id,
            generated: !field(c_gen).is_empty(),
            chosen,
            correct,
            time_ms,
        });
    }
    Ok(out)
}
