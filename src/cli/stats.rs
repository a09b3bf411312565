//! `coldstart stats`: the learner's standing in the terminal, the same numbers the dashboard
//! and the Progress screen show (cards due, retention, streak, exam outlook, every topic).

use std::io::Write;

use serde::Serialize;

use crate::app::AppState;
use crate::app::review::STATS_DAYS;

#[derive(Serialize)]
struct Stats {
    pack: String,
    notes_read: usize,
    notes: usize,
    due_today: Due,
    cards: Cards,
    /// Share of review answers recalled over the last 30 days, and how many there were.
    retention_30d: Option<Retention>,
    streak: Streak,
    exam: Option<Exam>,
    /// Predicted exam score from first-sight answers (`quiz::readiness`), for the default exam.
    readiness: Option<crate::quiz::readiness::Readiness>,
    topics: Vec<Topic>,
}

#[derive(Serialize)]
struct Due {
    new: usize,
    learning: usize,
    review: usize,
}

#[derive(Serialize)]
struct Cards {
    not_seen: usize,
    learning: usize,
    review: usize,
}

#[derive(Serialize)]
struct Retention {
    share: f64,
    reviews: usize,
}

#[derive(Serialize)]
struct Streak {
    days: u32,
    studied_today: bool,
    days_in_last_30: u32,
}

#[derive(Serialize)]
struct Exam {
    date: String,
    days_left: i64,
    /// Predicted share of the pack recalled on exam day if the learner stopped now.
    recall_if_stopped: f64,
    /// ... and on the plan's pace with every review done and recalled.
    recall_on_plan: f64,
}

#[derive(Serialize)]
struct Topic {
    id: String,
    title: String,
    recall_today: f64,
    cards_seen: usize,
    cards: usize,
    questions_right: usize,
    questions_answered: usize,
    questions: usize,
}

/// Prints `state`'s standing as text or JSON. Returns the exit code: 0, or 2 if the store
/// could not be read.
pub fn run(state: &mut AppState, json: bool, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let stats = collect(state);
    // Everything the window would show as a banner (a setting out of range, unreadable rows
    // skipped, a failed read) goes to stderr.
    state.notices.extend(
        state
            .store
            .take_notices()
            .into_iter()
            .map(|n| crate::app::Notice {
                level: crate::app::NoticeLevel::Warning,
                text: n.to_string(),
            }),
    );
    for n in &state.notices {
        let _ = writeln!(err, "coldstart: {}", n.text);
    }
    let Some(stats) = stats else {
        return 2;
    };
    let written = if json {
        serde_json::to_writer_pretty(&mut *out, &stats)
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out))
    } else {
        write_text(&stats, out)
    };
    match written {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(err, "coldstart: cannot write: {e}");
            2
        }
    }
}

fn collect(state: &mut AppState) -> Option<Stats> {
    let due = state.due_counts();
    let review = state.review_stats()?;
    let standing = state.standing()?;
    let exam = state.reviews.settings().exam;
    let outlook = state.exam_readiness();
    let (notes_read, notes) = state.notes_read_count();
    let [not_seen, learning, in_review] = review.by_state;
    Some(Stats {
        pack: format!("{} {}", state.pack.meta.id, state.pack.meta.version),
        notes_read,
        notes,
        due_today: Due {
            new: due.new,
            learning: due.learning,
            review: due.review,
        },
        cards: Cards {
            not_seen,
            learning,
            review: in_review,
        },
        retention_30d: review
            .retention
            .map(|(share, reviews)| Retention { share, reviews }),
        streak: Streak {
            days: standing.streak.current,
            studied_today: standing.streak.studied_today,
            days_in_last_30: standing.streak.days_in_window,
        },
        exam: exam.zip(outlook).map(|(e, (now, plan))| Exam {
            date: e.date.to_string(),
            days_left: now.days_left,
            recall_if_stopped: now.if_stopped,
            recall_on_plan: plan.at_pace,
        }),
        readiness: super::exams::readiness(state),
        topics: standing
            .topics
            .into_iter()
            .map(|t| Topic {
                id: t.topic,
                title: t.title,
                recall_today: t.recall,
                cards_seen: t.cards_seen,
                cards: t.cards,
                questions_right: t.questions_right,
                questions_answered: t.questions_answered,
                questions: t.questions,
            })
            .collect(),
    })
}

fn pct(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn write_text(s: &Stats, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "{}: {} of {} notes read",
        s.pack, s.notes_read, s.notes
    )?;
    let d = &s.due_today;
    writeln!(
        out,
        "Due today: {} (New {} + Learning {} + Review {})",
        d.new + d.learning + d.review,
        d.new,
        d.learning,
        d.review
    )?;
    writeln!(
        out,
        "Cards: {} in review, {} learning, {} not yet seen",
        s.cards.review, s.cards.learning, s.cards.not_seen
    )?;
    match &s.retention_30d {
        Some(r) => writeln!(
            out,
            "Retention, last {STATS_DAYS} days: {} of {} reviews recalled",
            pct(r.share),
            r.reviews
        )?,
        None => writeln!(out, "Retention, last {STATS_DAYS} days: no reviews yet")?,
    }
    writeln!(
        out,
        "Streak: {} day(s){}; studied on {} of the last 30 days",
        s.streak.days,
        if s.streak.studied_today {
            ", studied today"
        } else {
            ""
        },
        s.streak.days_in_last_30
    )?;
    if let Some(e) = &s.exam {
        writeln!(
            out,
            "Exam on {} ({} days): {} recalled if you stop now, {} on the plan",
            e.date,
            e.days_left,
            pct(e.recall_if_stopped),
            pct(e.recall_on_plan)
        )?;
    }
    if let Some(r) = &s.readiness {
        writeln!(out, "{}", super::exams::readiness_line(r))?;
    }
    writeln!(out)?;
    let width = s.topics.iter().map(|t| t.title.len()).max().unwrap_or(5);
    writeln!(
        out,
        "{:width$}  {:>8}  {:>10}  quiz (latest answers)",
        "Topic", "recalled", "cards seen"
    )?;
    for t in &s.topics {
        let quiz = if t.questions_answered == 0 {
            format!("none of {} tried", t.questions)
        } else {
            format!(
                "{} of {} right, {} of {} tried",
                t.questions_right, t.questions_answered, t.questions_answered, t.questions
            )
        };
        writeln!(
            out,
            "{:width$}  {:>8}  {:>10}  {quiz}",
            t.title,
            pct(t.recall_today),
            format!("{} / {}", t.cards_seen, t.cards)
        )?;
    }
    Ok(())
}
