//! Schema migrations, applied in order; `PRAGMA user_version` holds the last one applied.
//!
//! To change the schema, add `sql/NNN_name.sql` and one line below. Never edit a migration that
//! has shipped: a learner's file has already run it.

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sql: include_str!("sql/001_init.sql"),
    },
    Migration {
        version: 2,
        name: "reviews",
        sql: include_str!("sql/002_reviews.sql"),
    },
    Migration {
        version: 3,
        name: "quiz",
        sql: include_str!("sql/003_quiz.sql"),
    },
    Migration {
        version: 4,
        name: "activity",
        sql: include_str!("sql/004_activity.sql"),
    },
    Migration {
        version: 5,
        name: "review_stats_index",
        sql: include_str!("sql/005_review_stats_index.sql"),
    },
    Migration {
        version: 6,
        name: "reports",
        sql: include_str!("sql/006_reports.sql"),
    },
    Migration {
        version: 7,
        name: "fsrs_params",
        sql: include_str!("sql/007_fsrs_params.sql"),
    },
    Migration {
        version: 8,
        name: "card_marks",
        sql: include_str!("sql/008_card_marks.sql"),
    },
    Migration {
        version: 9,
        name: "question_records",
        sql: include_str!("sql/009_question_records.sql"),
    },
    Migration {
        version: 10,
        name: "study_quarters",
        sql: include_str!("sql/010_study_quarters.sql"),
    },
];

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}
