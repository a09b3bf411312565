//! Exam profiles: the certification exams a pack prepares for (`[[exam]]` in `pack.toml`), their
//! published shape (questions, minutes, pass mark, domains and weights) and which exam domain
//! each topic — or one question — counts toward. Loading and validation live here too, called
//! once from [`super::load`].
//!
//! A pack without `[[exam]]` stays valid: the app then uses [`ExamProfile::fallback`], DVA-C02's
//! shape with one domain holding every topic, labelled as a built-in fallback.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use serde::de::IntoDeserializer;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::{LineIndex, Severity, Sink};
use super::model::{Pack, Question};
use super::raw::RawDate;

/// Where an exam is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExamStatus {
    /// Can be booked.
    Active,
    /// Still bookable, but its last day is announced.
    Retiring,
    /// No longer offered; `last_day` says when it ended.
    Retired,
}

impl ExamStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ExamStatus::Active => "active",
            ExamStatus::Retiring => "retiring",
            ExamStatus::Retired => "retired",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "active" => Some(ExamStatus::Active),
            "retiring" => Some(ExamStatus::Retiring),
            "retired" => Some(ExamStatus::Retired),
            _ => None,
        }
    }
}

/// What it takes to pass.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PassMark {
    /// A share of the questions, in percent (`pass = 72`).
    Percent(f64),
    /// A scaled score (`pass = { score = 720, scale = 1000 }`). coldstart treats it as the same
    /// share of the scale (720 of 1000 → 72 %), and scales a mock's share back up as an
    /// *estimate*: the real exam's scaled scores are equated across versions, not a straight
    /// percentage.
    Scaled { score: u32, scale: u32 },
}

impl PassMark {
    /// The pass mark as a share of the questions, 0–1.
    pub fn fraction(self) -> f64 {
        match self {
            PassMark::Percent(p) => p / 100.0,
            PassMark::Scaled { score, scale } => f64::from(score) / f64::from(scale.max(1)),
        }
    }

    /// The pass mark in whole percent, rounded up so a mock never passes below it.
    pub fn percent(self) -> u8 {
        let p = (self.fraction() * 100.0 - 1e-9).ceil();
        p.clamp(0.0, 100.0) as u8
    }

    /// "720 of 1000" or "72%".
    pub fn label(self) -> String {
        match self {
            PassMark::Percent(p) => format!("{p}%"),
            PassMark::Scaled { score, scale } => format!("{score} of {scale}"),
        }
    }

    /// A share of questions right, 0–1, on this pass mark's scale: `Some(720)` for 72 % of a
    /// 1000 scale, `None` for a percentage pass mark. Always an estimate (see [`PassMark`]).
    pub fn scaled_estimate(self, fraction: f64) -> Option<u32> {
        match self {
            PassMark::Percent(_) => None,
            PassMark::Scaled { scale, .. } => {
                Some((fraction.clamp(0.0, 1.0) * f64::from(scale)).round() as u32)
            }
        }
    }
}

/// One content domain of an exam guide, with its weight.
#[derive(Clone, Debug, PartialEq)]
pub struct ExamDomain {
    /// Stable id, unique within its exam.
    pub id: String,
    pub title: String,
    /// Percent of the scored questions; an exam's weights add up to 100.
    pub weight: f64,
}

/// An exam a pack prepares for: its published shape and where each question counts.
#[derive(Clone, Debug, PartialEq)]
pub struct ExamProfile {
    /// Stable id, unique in the pack (`dva-c03`).
    pub id: String,
    /// The exam code as the vendor writes it (`DVA-C03`).
    pub code: String,
    pub title: String,
    pub status: ExamStatus,
    pub available_from: Option<jiff::civil::Date>,
    /// The last day the exam can be taken, when announced (always set for a retired exam).
    pub last_day: Option<jiff::civil::Date>,
    /// Questions in one sitting (and in one mock exam).
    pub questions: usize,
    pub minutes: u32,
    pub pass: PassMark,
    /// Pages (the vendor's first) the figures were checked against.
    pub source: Vec<String>,
    /// When they were checked.
    pub verified: Option<jiff::civil::Date>,
    /// What the figures do not confirm, shown wherever the profile is.
    pub note: Option<String>,
    /// In the order the pack lists them.
    pub domains: Vec<ExamDomain>,
    /// Topic id → domain id.
    pub topic_domains: BTreeMap<String, String>,
    /// Question id → domain id, for questions that count toward another domain than their
    /// topic's.
    pub question_domains: BTreeMap<String, String>,
    /// Topics whose questions never appear in this exam's mocks (a topic about the exam itself).
    pub excluded: Vec<String>,
    /// True for the built-in shape used when a pack declares no exam.
    pub fallback: bool,
}

/// The id of [`ExamProfile::fallback`].
pub const FALLBACK_EXAM_ID: &str = "builtin-dva-c02-shape";

impl ExamProfile {
    /// The shape coldstart uses when a pack declares no `[[exam]]`: DVA-C02's 65 questions,
    /// 130 minutes and 720 of 1000, with one domain that holds every topic of `pack`.
    pub fn fallback(pack: &Pack) -> Self {
        Self {
            id: FALLBACK_EXAM_ID.to_owned(),
            code: "DVA-C02 shape".to_owned(),
            title: "Mock exam (built-in DVA-C02 shape)".to_owned(),
            status: ExamStatus::Active,
            available_from: None,
            last_day: None,
            questions: 65,
            minutes: 130,
            pass: PassMark::Scaled {
                score: 720,
                scale: 1000,
            },
            source: Vec::new(),
            verified: None,
            note: Some(
                "This pack declares no exam: coldstart uses the DVA-C02 shape (65 questions, \
                 130 minutes, 720 of 1000) as a built-in fallback, with every topic in one domain."
                    .to_owned(),
            ),
            domains: vec![ExamDomain {
                id: "all".to_owned(),
                title: "All topics".to_owned(),
                weight: 100.0,
            }],
            topic_domains: pack
                .topics
                .iter()
                .map(|t| (t.id.clone(), "all".to_owned()))
                .collect(),
            question_domains: BTreeMap::new(),
            excluded: Vec::new(),
            fallback: true,
        }
    }

    /// Whether questions of `topic` can appear in this exam's mocks.
    pub fn includes_topic(&self, topic: &str) -> bool {
        !self.excluded.iter().any(|t| t == topic)
    }

    pub fn domain(&self, id: &str) -> Option<&ExamDomain> {
        self.domains.iter().find(|d| d.id == id)
    }

    /// The domain a question counts toward: its own override for this exam, else its topic's.
    pub fn domain_of(&self, question: &Question) -> Option<&str> {
        self.domain_of_ids(&question.id, &question.topic)
    }

    /// [`Self::domain_of`] for a question known only by id and topic (a stored answer).
    pub fn domain_of_ids(&self, question_id: &str, topic: &str) -> Option<&str> {
        self.question_domains
            .get(question_id)
            .or_else(|| self.topic_domains.get(topic))
            .map(String::as_str)
    }

    /// How many of one sitting's questions each domain gets, in domain order: largest-remainder
    /// quotas of [`Self::questions`] by weight (65 over 32/26/24/18 gives 21/17/15/12).
    pub fn domain_quotas(&self) -> Vec<usize> {
        let weights: Vec<f64> = self.domains.iter().map(|d| d.weight).collect();
        largest_remainder(&weights, self.questions)
    }

    /// How many of the pack's questions count toward each domain, in domain order.
    pub fn domain_question_counts(&self, pack: &Pack) -> Vec<usize> {
        let mut counts = vec![0; self.domains.len()];
        for q in &pack.questions {
            if let Some(i) = self
                .domain_of(q)
                .and_then(|d| self.domains.iter().position(|x| x.id == d))
            {
                counts[i] += 1;
            }
        }
        counts
    }

    /// The pass mark in whole percent.
    pub fn pass_percent(&self) -> u8 {
        self.pass.percent()
    }

    /// "active", "retiring: last day 2026-12-01", "retired on 2026-12-01", or "built-in
    /// fallback": what an exam chooser shows beside the code.
    pub fn status_label(&self) -> String {
        if self.fallback {
            return "built-in fallback".to_owned();
        }
        match (self.status, self.last_day) {
            (ExamStatus::Retired, Some(d)) => format!("retired on {d}"),
            (ExamStatus::Retired, None) => "retired".to_owned(),
            (ExamStatus::Retiring, Some(d)) => format!("retiring: last day {d}"),
            (ExamStatus::Retiring, None) => "retiring".to_owned(),
            (ExamStatus::Active, _) => match self.available_from {
                Some(d) => format!("active since {d}"),
                None => "active".to_owned(),
            },
        }
    }
}

/// Largest-remainder (Hamilton) apportionment of `n` places by `weights`: each gets the floor of
/// its exact share, then the places left go one each to the largest fractional parts (ties to
/// the earlier one). Deterministic; the quotas add up to `n` unless no weight is positive (then
/// all are 0).
pub fn largest_remainder(weights: &[f64], n: usize) -> Vec<usize> {
    let clean: Vec<f64> = weights
        .iter()
        .map(|&w| if w.is_finite() && w > 0.0 { w } else { 0.0 })
        .collect();
    let total: f64 = clean.iter().sum();
    if total <= 0.0 {
        return vec![0; weights.len()];
    }
    let shares: Vec<f64> = clean.iter().map(|w| n as f64 * w / total).collect();
    let mut quota: Vec<usize> = shares.iter().map(|s| s.floor() as usize).collect();
    let given: usize = quota.iter().sum();
    let mut order: Vec<usize> = (0..shares.len()).filter(|&i| clean[i] > 0.0).collect();
    // Largest remainder first; the stable sort keeps the earlier of equal remainders first.
    order.sort_by(|&a, &b| {
        let ra = shares[a] - shares[a].floor();
        let rb = shares[b] - shares[b].floor();
        rb.total_cmp(&ra)
    });
    for &i in order.iter().cycle().take(n.saturating_sub(given)) {
        quota[i] += 1;
    }
    quota
}

impl Pack {
    /// The exams to offer, active first (then retiring, then retired; pack order within each),
    /// or the built-in fallback when the pack declares none.
    pub fn exam_choices(&self) -> Vec<Cow<'_, ExamProfile>> {
        if self.exams.is_empty() {
            return vec![Cow::Owned(ExamProfile::fallback(self))];
        }
        let mut exams: Vec<&ExamProfile> = self.exams.iter().collect();
        exams.sort_by_key(|e| e.status);
        exams.into_iter().map(Cow::Borrowed).collect()
    }

    /// The exam a mock exam and the readiness estimate use unless the learner chose another:
    /// the first active one in pack order (else the first listed; else the fallback).
    pub fn default_exam(&self) -> Cow<'_, ExamProfile> {
        match self.exam_choices().into_iter().next() {
            Some(e) => e,
            None => Cow::Owned(ExamProfile::fallback(self)),
        }
    }

    /// The profile with this id, the fallback's id included.
    pub fn exam_profile(&self, id: &str) -> Option<Cow<'_, ExamProfile>> {
        self.exam_choices().into_iter().find(|e| e.id == id)
    }
}

// ---------------------------------------------------------------------------------------------
// Loading and validation

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExam {
    id: Spanned<String>,
    code: Spanned<String>,
    title: Spanned<String>,
    status: Spanned<String>,
    available_from: Option<Spanned<RawDate>>,
    last_day: Option<Spanned<RawDate>>,
    questions: Spanned<i64>,
    minutes: Spanned<i64>,
    pass: Spanned<toml::Value>,
    source: Option<Spanned<toml::Value>>,
    verified: Option<Spanned<RawDate>>,
    note: Option<Spanned<String>>,
    #[serde(default, rename = "domain")]
    domains: Vec<Spanned<RawDomain>>,
    topics: Option<Spanned<BTreeMap<String, Spanned<String>>>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDomain {
    id: Spanned<String>,
    title: Spanned<String>,
    weight: Spanned<f64>,
}

/// The part of a `[[question]]` this module reads: everything else is the loader's.
#[derive(Deserialize)]
struct RawQuestionDomains {
    id: Option<Spanned<String>>,
    domains: Option<Spanned<toml::Value>>,
}

/// Most questions one sitting may have, and most minutes: far above any real exam.
const MAX_QUESTIONS: i64 = 500;
const MAX_MINUTES: i64 = 24 * 60;

struct FileCtx<'a> {
    path: &'a str,
    text: &'a str,
    index: LineIndex<'a>,
}

impl FileCtx<'_> {
    fn push(
        &self,
        sink: &mut Sink,
        offset: usize,
        severity: Severity,
        code: &'static str,
        msg: String,
    ) {
        sink.push(self.path, Some(&self.index), offset, severity, code, msg);
    }

    /// The offset of `key` on the line of `value_offset`: where `key = "…"` is written, so a
    /// diagnostic about a table entry points at its key (the value's offset when not found).
    fn key_offset(&self, key: &str, value_offset: usize) -> usize {
        let value_offset = value_offset.min(self.text.len());
        let line_start = self
            .text
            .get(..value_offset)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1);
        let line_end = self
            .text
            .get(value_offset..)
            .and_then(|t| t.find('\n'))
            .map_or(self.text.len(), |i| value_offset + i);
        self.text
            .get(line_start..line_end)
            .and_then(|l| l.find(key))
            .map_or(value_offset, |i| line_start + i)
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn parse_date(d: &Spanned<RawDate>) -> Result<jiff::civil::Date, String> {
    let text = d.get_ref().text();
    text.parse::<jiff::civil::Date>()
        .map_err(|_| format!("`{text}` is not a date such as 2026-12-01"))
}

/// Reads `[[exam]]` from `pack.toml` and the questions' `domains` overrides, checks them against
/// the pack's topics and questions, and stores the valid profiles in `pack.exams`. Called by the
/// loader once every question is in `pack`; `texts` are the pack's files as (path, text).
pub(crate) fn load_exams(texts: &[(&str, &str)], pack: &mut Pack, sink: &mut Sink) {
    let Some(&(path, text)) = texts.iter().find(|(p, _)| *p == "pack.toml") else {
        return;
    };
    let ctx = FileCtx {
        path,
        text,
        index: LineIndex::new(text),
    };
    let mut spans: Vec<ExamSpans> = Vec::new();
    if let Ok(table) = DeTable::parse(text)
        && let Some(exams) = table.into_inner().remove("exam")
    {
        read_exams(&ctx, exams, pack, &mut spans, sink);
    }
    read_question_overrides(texts, pack, sink);

    // W004: topics of the pack without a domain in an exam.
    for (exam, s) in pack.exams.iter().zip(&spans) {
        let missing: Vec<&str> = pack
            .topics
            .iter()
            .filter(|t| !exam.topic_domains.contains_key(&t.id) && exam.includes_topic(&t.id))
            .map(|t| t.id.as_str())
            .collect();
        if !missing.is_empty() {
            let shown: Vec<String> = missing.iter().take(8).map(|t| format!("`{t}`")).collect();
            let more = missing.len().saturating_sub(shown.len());
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            ctx.push(
                sink,
                s.topics.unwrap_or(s.id),
                Severity::Warning,
                "W004",
                format!(
                    "{} topic(s) have no domain in exam `{}`: {}{more}; their questions count toward \
                     no domain of it (add `topic-id = \"domain-id\"` to [exam.topics])",
                    missing.len(),
                    exam.id,
                    shown.join(", ")
                ),
            );
        }
    }

    // W005: a domain with fewer questions than one mock exam draws from it. Like the coverage
    // warnings, only for a pack without errors, whose question counts are final.
    if sink
        .diagnostics
        .iter()
        .all(|d| d.severity != Severity::Error)
    {
        for (exam, s) in pack.exams.iter().zip(&spans) {
            let quotas = exam.domain_quotas();
            let counts = exam.domain_question_counts(pack);
            for (i, d) in exam.domains.iter().enumerate() {
                if counts[i] < quotas[i] {
                    ctx.push(
                        sink,
                        s.domains.get(i).copied().unwrap_or(s.id),
                        Severity::Warning,
                        "W005",
                        format!(
                            "domain `{}` of exam `{}` has {} question(s), fewer than the {} a mock \
                             exam of {} questions draws from it ({}%)",
                            d.id, exam.id, counts[i], quotas[i], exam.questions, d.weight
                        ),
                    );
                }
            }
        }
    }
}

/// Offsets in `pack.toml` of what later checks point at.
struct ExamSpans {
    id: usize,
    topics: Option<usize>,
    domains: Vec<usize>,
}

fn read_exams(
    ctx: &FileCtx<'_>,
    exams: Spanned<DeValue<'_>>,
    pack: &mut Pack,
    spans: &mut Vec<ExamSpans>,
    sink: &mut Sink,
) {
    let start = exams.span().start;
    let DeValue::Array(items) = exams.into_inner() else {
        ctx.push(
            sink,
            start,
            Severity::Error,
            "E013",
            "`exam` must be written as [[exam]] tables".to_owned(),
        );
        return;
    };
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut codes: HashMap<String, usize> = HashMap::new();
    for item in items {
        let item_start = item.span().start;
        let raw = match RawExam::deserialize(item.into_deserializer()) {
            Ok(r) => r,
            Err(e) => {
                let offset = e.span().map_or(item_start, |s| s.start);
                ctx.push(
                    sink,
                    offset,
                    Severity::Error,
                    "E013",
                    format!("exam: {}", e.message().trim()),
                );
                continue;
            }
        };
        if let Some((exam, s)) = check_exam(ctx, raw, pack, &mut ids, &mut codes, sink) {
            pack.exams.push(exam);
            spans.push(s);
        }
    }
}

/// Checks one `[[exam]]`; returns it when it is usable (a profile with errors is reported and
/// left out, so the app never draws a mock exam from a broken shape).
fn check_exam(
    ctx: &FileCtx<'_>,
    raw: RawExam,
    pack: &Pack,
    ids: &mut HashMap<String, usize>,
    codes: &mut HashMap<String, usize>,
    sink: &mut Sink,
) -> Option<(ExamProfile, ExamSpans)> {
    let before = sink.diagnostics.len();
    let mut error = |offset: usize, code: &'static str, msg: String| {
        ctx.push(sink, offset, Severity::Error, code, msg);
    };
    let id_at = raw.id.span().start;
    let id = raw.id.get_ref().clone();
    if !valid_id(&id) {
        error(
            id_at,
            "E013",
            "exam id must be lowercase letters, digits or '-'".to_owned(),
        );
    }
    if let Some(first) = ids.get(&id) {
        let (line, _) = ctx.index.position(*first);
        error(
            id_at,
            "E014",
            format!("duplicate exam id `{id}` (first at {}:{line})", ctx.path),
        );
    } else {
        ids.insert(id.clone(), id_at);
    }
    let code = raw.code.get_ref().trim().to_owned();
    let code_at = raw.code.span().start;
    if code.is_empty() {
        error(code_at, "E013", "`code` is empty".to_owned());
    } else if let Some(first) = codes.get(&code.to_ascii_uppercase()) {
        let (line, _) = ctx.index.position(*first);
        error(
            code_at,
            "E014",
            format!(
                "duplicate exam code `{code}` (first at {}:{line})",
                ctx.path
            ),
        );
    } else {
        codes.insert(code.to_ascii_uppercase(), code_at);
    }
    if raw.title.get_ref().trim().is_empty() {
        error(
            raw.title.span().start,
            "E013",
            "`title` is empty".to_owned(),
        );
    }
    let status = ExamStatus::parse(raw.status.get_ref());
    if status.is_none() {
        error(
            raw.status.span().start,
            "E013",
            format!(
                "unknown status `{}`; expected active, retiring or retired",
                raw.status.get_ref()
            ),
        );
    }
    let mut date = |d: &Option<Spanned<RawDate>>, field: &str| match d {
        None => None,
        Some(d) => match parse_date(d) {
            Ok(v) => Some(v),
            Err(m) => {
                error(d.span().start, "E013", format!("`{field}`: {m}"));
                None
            }
        },
    };
    let available_from = date(&raw.available_from, "available_from");
    let last_day = date(&raw.last_day, "last_day");
    let verified = date(&raw.verified, "verified");
    if status == Some(ExamStatus::Retired) && raw.last_day.is_none() {
        error(
            raw.status.span().start,
            "E013",
            "a retired exam needs `last_day`: the last day it could be taken".to_owned(),
        );
    }
    let questions = *raw.questions.get_ref();
    if !(1..=MAX_QUESTIONS).contains(&questions) {
        error(
            raw.questions.span().start,
            "E013",
            format!("`questions` must be 1 to {MAX_QUESTIONS}"),
        );
    }
    let minutes = *raw.minutes.get_ref();
    if !(1..=MAX_MINUTES).contains(&minutes) {
        error(
            raw.minutes.span().start,
            "E013",
            format!("`minutes` must be 1 to {MAX_MINUTES}"),
        );
    }
    let pass = match parse_pass(raw.pass.get_ref()) {
        Ok(p) => Some(p),
        Err(m) => {
            error(raw.pass.span().start, "E013", m);
            None
        }
    };
    let source = match &raw.source {
        None => Vec::new(),
        Some(s) => match parse_source(s.get_ref()) {
            Ok(v) => v,
            Err(m) => {
                error(s.span().start, "E013", m);
                Vec::new()
            }
        },
    };

    // Domains: unique ids, weights that add up to 100.
    let mut domains: Vec<ExamDomain> = Vec::new();
    let mut domain_spans = Vec::new();
    if raw.domains.is_empty() {
        error(
            id_at,
            "E015",
            format!("exam `{id}` has no [[exam.domain]]: list its domains and their weights"),
        );
    }
    for d in &raw.domains {
        let d = d.get_ref();
        let at = d.id.span().start;
        let did = d.id.get_ref();
        if !valid_id(did) {
            error(
                at,
                "E013",
                "domain id must be lowercase letters, digits or '-'".to_owned(),
            );
        }
        if domains.iter().any(|x| &x.id == did) {
            error(
                at,
                "E014",
                format!("duplicate domain id `{did}` in exam `{id}`"),
            );
            continue;
        }
        if d.title.get_ref().trim().is_empty() {
            error(d.title.span().start, "E013", "`title` is empty".to_owned());
        }
        let w = *d.weight.get_ref();
        if !(w.is_finite() && w > 0.0 && w <= 100.0) {
            error(
                d.weight.span().start,
                "E015",
                "a domain weight is a percentage: more than 0, at most 100".to_owned(),
            );
        }
        domains.push(ExamDomain {
            id: did.clone(),
            title: d.title.get_ref().clone(),
            weight: w,
        });
        domain_spans.push(at);
    }
    let total: f64 = domains.iter().map(|d| d.weight).sum();
    if !domains.is_empty() && (total - 100.0).abs() > 0.01 {
        error(
            raw.domains[0].get_ref().id.span().start,
            "E015",
            format!(
                "the domain weights of exam `{id}` add up to {}, not 100",
                (total * 100.0).round() / 100.0
            ),
        );
    }

    // The topic → domain table.
    let mut topic_domains = BTreeMap::new();
    let topics_at = raw.topics.as_ref().map(|t| t.span().start);
    if let Some(topics) = raw.topics {
        for (topic, domain) in topics.into_inner() {
            let at = domain.span().start;
            let key_at = ctx.key_offset(&topic, at);
            if pack.topic(&topic).is_none() {
                error(
                    key_at,
                    "E016",
                    format!("[exam.topics] of `{id}` names unknown topic `{topic}`"),
                );
                continue;
            }
            let domain = domain.into_inner();
            if !domains.iter().any(|d| d.id == domain) {
                error(
                    at,
                    "E016",
                    format!(
                        "topic `{topic}` is mapped to `{domain}`, which is not a domain of exam \
                         `{id}` (its domains: {})",
                        domain_list(&domains)
                    ),
                );
                continue;
            }
            topic_domains.insert(topic, domain);
        }
    }

    // Topics left out of this exam's mocks.
    let mut excluded = Vec::new();
    for topic in raw.exclude {
        let at = topic.span().start;
        let topic = topic.into_inner();
        if pack.topic(&topic).is_none() {
            error(
                at,
                "E016",
                format!("`exclude` of exam `{id}` names unknown topic `{topic}`"),
            );
        } else if topic_domains.contains_key(&topic) {
            error(
                at,
                "E016",
                format!("topic `{topic}` is both mapped to a domain and excluded in exam `{id}`"),
            );
        } else {
            excluded.push(topic);
        }
    }

    let broken = sink.diagnostics[before..]
        .iter()
        .any(|d| d.severity == Severity::Error);
    if broken {
        return None;
    }
    Some((
        ExamProfile {
            id,
            code,
            title: raw.title.into_inner(),
            status: status?,
            available_from,
            last_day,
            questions: questions as usize,
            minutes: minutes as u32,
            pass: pass?,
            source,
            verified,
            note: raw.note.map(Spanned::into_inner),
            domains,
            topic_domains,
            question_domains: BTreeMap::new(),
            excluded,
            fallback: false,
        },
        ExamSpans {
            id: id_at,
            topics: topics_at,
            domains: domain_spans,
        },
    ))
}

fn domain_list(domains: &[ExamDomain]) -> String {
    let ids: Vec<String> = domains.iter().map(|d| format!("`{}`", d.id)).collect();
    ids.join(", ")
}

fn as_number(v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(f) => Some(*f),
        _ => None,
    }
}

fn parse_pass(v: &toml::Value) -> Result<PassMark, String> {
    const SHAPE: &str = "`pass` is a percentage (`pass = 72`) or a scaled score \
                         (`pass = { score = 720, scale = 1000 }`)";
    if let Some(p) = as_number(v) {
        return if p.is_finite() && p > 0.0 && p <= 100.0 {
            Ok(PassMark::Percent(p))
        } else {
            Err(format!("{SHAPE}; a percentage is more than 0, at most 100"))
        };
    }
    let toml::Value::Table(t) = v else {
        return Err(SHAPE.to_owned());
    };
    let whole = |key: &str| match t.get(key) {
        Some(toml::Value::Integer(i)) if *i > 0 && *i <= i64::from(u32::MAX) => Some(*i as u32),
        _ => None,
    };
    match (whole("score"), whole("scale"), t.len()) {
        (Some(score), Some(scale), 2) if score <= scale => Ok(PassMark::Scaled { score, scale }),
        (Some(_), Some(_), 2) => Err(format!("{SHAPE}; `score` cannot exceed `scale`")),
        _ => Err(format!(
            "{SHAPE}; `score` and `scale` are whole numbers above 0, and nothing else"
        )),
    }
}

fn parse_source(v: &toml::Value) -> Result<Vec<String>, String> {
    const SHAPE: &str = "`source` is an https:// URL or a list of them";
    let urls: Vec<String> = match v {
        toml::Value::String(s) => vec![s.clone()],
        toml::Value::Array(a) => a
            .iter()
            .map(|x| x.as_str().map(str::to_owned).ok_or(SHAPE.to_owned()))
            .collect::<Result<_, _>>()?,
        _ => return Err(SHAPE.to_owned()),
    };
    match urls
        .iter()
        .find(|u| !u.starts_with("https://") || u.len() <= "https://".len() || u.contains(' '))
    {
        Some(bad) => Err(format!("{SHAPE}; `{bad}` is not")),
        None => Ok(urls),
    }
}

/// Reads `domains = { exam-id = "domain-id" }` from every question that has it and records the
/// overrides on the profiles. Question files without the word `domains` are not parsed again.
fn read_question_overrides(texts: &[(&str, &str)], pack: &mut Pack, sink: &mut Sink) {
    for &(path, text) in texts
        .iter()
        .filter(|(p, t)| p.starts_with("questions/") && t.contains("domains"))
    {
        // A file that does not parse has its own diagnostic from the loader already.
        let Ok(table) = DeTable::parse(text) else {
            continue;
        };
        let Some(items) = table.into_inner().remove("question") else {
            continue;
        };
        let DeValue::Array(items) = items.into_inner() else {
            continue;
        };
        let ctx = FileCtx {
            path,
            text,
            index: LineIndex::new(text),
        };
        for item in items {
            let Ok(raw) = RawQuestionDomains::deserialize(item.into_deserializer()) else {
                continue;
            };
            let (Some(qid), Some(domains)) = (raw.id, raw.domains) else {
                continue;
            };
            let qid = qid.into_inner();
            let at = domains.span().start;
            let toml::Value::Table(map) = domains.into_inner() else {
                ctx.push(
                    sink,
                    at,
                    Severity::Error,
                    "E016",
                    "`domains` is a table of exam id = domain id, e.g. \
                     `domains = { dva-c03 = \"security\" }`"
                        .to_owned(),
                );
                continue;
            };
            // Only a question the loader accepted counts toward a domain.
            let accepted = pack.question(&qid).is_some();
            for (exam_id, domain) in map {
                let key_at = ctx.key_offset(&exam_id, at);
                let Some(exam) = pack.exams.iter_mut().find(|e| e.id == exam_id) else {
                    ctx.push(
                        sink,
                        key_at,
                        Severity::Error,
                        "E016",
                        format!(
                            "question `{qid}` names unknown exam `{exam_id}` in `domains` (the \
                             pack's exams: {})",
                            exam_ids(&pack.exams)
                        ),
                    );
                    continue;
                };
                let Some(domain) = domain.as_str() else {
                    ctx.push(
                        sink,
                        key_at,
                        Severity::Error,
                        "E016",
                        format!("`domains.{exam_id}` of question `{qid}` must be a domain id"),
                    );
                    continue;
                };
                if exam.domain(domain).is_none() {
                    ctx.push(
                        sink,
                        key_at,
                        Severity::Error,
                        "E016",
                        format!(
                            "question `{qid}`: `{domain}` is not a domain of exam `{exam_id}` (its \
                             domains: {})",
                            domain_list(&exam.domains)
                        ),
                    );
                    continue;
                }
                if accepted {
                    exam.question_domains.insert(qid.clone(), domain.to_owned());
                }
            }
        }
    }
}

fn exam_ids(exams: &[ExamProfile]) -> String {
    if exams.is_empty() {
        return "none; declare them with [[exam]] in pack.toml".to_owned();
    }
    let ids: Vec<String> = exams.iter().map(|e| format!("`{}`", e.id)).collect();
    ids.join(", ")
}
