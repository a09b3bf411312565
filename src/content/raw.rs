//! The pack's files as written: serde shapes with spans, before validation.

use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTopic {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    pub weight: Spanned<f64>,
    pub summary: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    pub topic: Spanned<String>,
    pub simulator: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCard {
    pub id: Spanned<String>,
    pub topic: Spanned<String>,
    pub front: Spanned<String>,
    pub back: Spanned<String>,
    pub source: Spanned<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub refs: Vec<Spanned<String>>,
    pub verified: Option<Spanned<RawDate>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub id: Spanned<String>,
    pub topic: Spanned<String>,
    pub kind: Spanned<RawKind>,
    pub stem: Spanned<String>,
    #[serde(rename = "choice")]
    pub choices: Spanned<Vec<RawChoice>>,
    pub explanation: Spanned<String>,
    pub source: Spanned<String>,
    pub difficulty: Option<Spanned<u8>>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub refs: Vec<Spanned<String>>,
    pub verified: Option<Spanned<RawDate>>,
    /// Per exam, the domain this question counts toward instead of its topic's: read and
    /// checked by `content::exam`.
    #[allow(dead_code)]
    pub domains: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum RawKind {
    Single,
    Multi,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChoice {
    pub text: Spanned<String>,
    pub correct: bool,
    pub why: Spanned<String>,
}

/// A date written as a TOML date (`2026-11-30`) or as a string (`"2026-11-30"`).
#[derive(Deserialize)]
#[serde(untagged)]
pub enum RawDate {
    Toml(toml::value::Datetime),
    Text(String),
}

impl RawDate {
    pub fn text(&self) -> String {
        match self {
            RawDate::Toml(d) => d.to_string(),
            RawDate::Text(s) => s.clone(),
        }
    }
}
