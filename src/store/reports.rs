//! Problems learners report on a card or question, for the pack's author.

use rusqlite::params;

use super::{Store, StoreError};

/// What a report is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReportItem {
    Card,
    Question,
}

impl ReportItem {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportItem::Card => "card",
            ReportItem::Question => "question",
        }
    }

    fn parse(s: &str) -> Self {
        if s == "card" {
            ReportItem::Card
        } else {
            ReportItem::Question
        }
    }
}

/// Why the learner reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReportReason {
    /// The answer or a fact is wrong.
    Wrong,
    /// It was true once; AWS has changed since.
    Outdated,
    /// Ambiguous or hard to understand.
    Unclear,
    /// A typo or formatting problem.
    Typo,
    Other,
}

impl ReportReason {
    pub const ALL: [ReportReason; 5] = [
        ReportReason::Wrong,
        ReportReason::Outdated,
        ReportReason::Unclear,
        ReportReason::Typo,
        ReportReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportReason::Wrong => "wrong",
            ReportReason::Outdated => "outdated",
            ReportReason::Unclear => "unclear",
            ReportReason::Typo => "typo",
            ReportReason::Other => "other",
        }
    }

    /// What a button or menu shows.
    pub fn label(self) -> &'static str {
        match self {
            ReportReason::Wrong => "The answer is wrong",
            ReportReason::Outdated => "Out of date",
            ReportReason::Unclear => "Unclear or ambiguous",
            ReportReason::Typo => "Typo or formatting",
            ReportReason::Other => "Something else",
        }
    }

    fn parse(s: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .unwrap_or(ReportReason::Other)
    }
}

/// A stored report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProblemReport {
    pub id: i64,
    pub pack_id: String,
    pub item: ReportItem,
    pub item_id: String,
    pub reason: ReportReason,
    pub note: String,
    /// UTC milliseconds.
    pub reported_ms: i64,
}

/// Longest note kept, in characters; the rest is cut (a report is a note, not a document).
pub const MAX_NOTE_CHARS: usize = 4000;

impl Store {
    /// Records a learner's report on a card or question at `now_ms`; returns its id. The note is
    /// cut to [`MAX_NOTE_CHARS`].
    pub fn report_problem(
        &self,
        pack_id: &str,
        item: ReportItem,
        item_id: &str,
        reason: ReportReason,
        note: &str,
        now_ms: i64,
    ) -> Result<i64, StoreError> {
        let note: String = note.trim().chars().take(MAX_NOTE_CHARS).collect();
        self.conn().execute(
            "INSERT INTO problem_reports (pack_id, item_kind, item_id, reason, note, reported_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                pack_id,
                item.as_str(),
                item_id,
                reason.as_str(),
                note,
                now_ms
            ],
        )?;
        Ok(self.conn().last_insert_rowid())
    }

    /// Every report on `pack_id`, oldest first.
    pub fn problem_reports(&self, pack_id: &str) -> Result<Vec<ProblemReport>, StoreError> {
        let mut stmt = self.conn().prepare(
            "SELECT id, pack_id, item_kind, item_id, reason, note, reported_at
             FROM problem_reports WHERE pack_id = ?1 ORDER BY reported_at, id",
        )?;
        let rows = stmt.query_map([pack_id], |r| {
            Ok(ProblemReport {
                id: r.get(0)?,
                pack_id: r.get(1)?,
                item: ReportItem::parse(&r.get::<_, String>(2)?),
                item_id: r.get(3)?,
                reason: ReportReason::parse(&r.get::<_, String>(4)?),
                note: r.get(5)?,
                reported_ms: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
