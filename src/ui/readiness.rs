//! The Progress screen's exam section: the readiness estimate per exam domain and overall, from
//! first-sight answers, beside the share right on all answers (which repetition inflates) and
//! the card recall of each domain's topics.

use egui::{RichText, Ui};

use crate::app::AppState;
use crate::quiz::readiness::Readiness;

use super::theme;

pub fn section(ui: &mut Ui, state: &AppState) {
    let Some(outlook) = state.exam_outlook() else {
        return;
    };
    let exam = state.chosen_exam();
    let r = &outlook.readiness;
    ui.label(RichText::new(format!("Readiness for {}", exam.code)).strong());
    let muted = theme::muted(ui.visuals());
    ui.label(
        RichText::new(
            "Predicted from your first answer to each question (later answers have seen the \
             explanation, the exam's questions are all new). 80 % interval: one sitting's luck \
             included. Ready when even its low end reaches the pass mark.",
        )
        .color(muted),
    );
    ui.label(overall(r));
    // Card recall per domain: the mean recall today over the cards of the domain's topics.
    let standing = state.standing();
    let recall_of = |domain: &str| -> Option<f64> {
        let topics = &standing.as_ref()?.topics;
        let (sum, cards) = topics
            .iter()
            .filter(|t| exam.topic_domains.get(&t.topic).map(String::as_str) == Some(domain))
            .fold((0.0, 0usize), |(s, n), t| {
                (s + t.recall * t.cards as f64, n + t.cards)
            });
        (cards > 0).then(|| sum / cards as f64)
    };
    let pct = |x: f64| format!("{:.0} %", x * 100.0);
    egui::Grid::new("readiness-domains")
        .num_columns(5)
        .striped(true)
        .spacing([theme::GAP, 6.0])
        .show(ui, |ui| {
            for h in [
                "Domain",
                "Predicted (80 % interval)",
                "First answers right",
                "All answers right",
                "Card recall",
            ] {
                ui.label(RichText::new(h).color(muted));
            }
            ui.end_row();
            for d in &r.domains {
                ui.label(format!("{} ({:.0} %)", d.title, d.weight));
                match (d.predicted, d.interval) {
                    (Some(p), Some(i)) => {
                        ui.label(format!("{} ({}–{})", pct(p), pct(i.low), pct(i.high)))
                    }
                    _ => ui.label(
                        RichText::new(format!("{} more first answers", d.more_needed)).color(muted),
                    ),
                };
                ui.label(format!("{} of {}", d.first_sight_correct, d.first_sight));
                ui.label(d.all_answers_share().map_or("—".to_owned(), pct));
                ui.label(recall_of(&d.id).map_or("—".to_owned(), pct));
                ui.end_row();
            }
        });
}

/// The overall line: the prediction and verdict, or how many more answers it needs.
fn overall(r: &Readiness) -> RichText {
    let pct = |x: f64| format!("{:.0} %", x * 100.0);
    let all = r
        .all_answers_share
        .map(|s| format!("; {} right on all {} answers", pct(s), r.all_answers))
        .unwrap_or_default();
    match (r.predicted, r.interval) {
        (Some(p), Some(i)) => RichText::new(format!(
            "Overall: {} predicted (80 % interval {}–{}, pass {}): {}. From {} first answers{all}.",
            pct(p),
            pct(i.low),
            pct(i.high),
            pct(r.pass),
            if r.ready { "ready" } else { "not yet ready" },
            r.first_sight
        ))
        .strong(),
        _ => RichText::new(format!(
            "Overall: answer {} more questions you have not seen before, some in every domain, \
             for a predicted score ({} first answers so far{all}).",
            r.more_needed, r.first_sight
        )),
    }
}
