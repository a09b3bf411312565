//! "Export my results": a learner's quiz answers as one CSV file for the instructor, written
//! from inside the app (no terminal) while it is open.
//!
//! Every row carries the learner's name (asked once, kept in the progress file), the pack id
//! and version, and beside each chosen index the choice's text, so an instructor can merge a
//! class's files (`coldstart item-stats --from`) and read them without the pack at hand.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::content::Pack;
use crate::quiz::generate;
use crate::store::{AnswerRow, AttemptMode};

use super::AppState;

/// The `settings` key of the learner's name.
const KEY_LEARNER: &str = "learner.name";

/// The longest name kept, in characters.
const MAX_NAME: usize = 100;

impl AppState {
    /// The learner's name for exported results, once given.
    pub fn learner_name(&self) -> Option<String> {
        self.store
            .get_setting(KEY_LEARNER)
            .ok()
            .flatten()
            .filter(|n| !n.trim().is_empty())
    }

    /// Keeps the learner's name (trimmed, at most 100 characters); false when it is empty or
    /// could not be saved (with a notice).
    pub fn set_learner_name(&mut self, name: &str) -> bool {
        let name: String = name.trim().chars().take(MAX_NAME).collect();
        if name.is_empty() {
            return false;
        }
        match self.store.set_setting(KEY_LEARNER, &name) {
            Ok(()) => true,
            Err(e) => {
                self.report("save your name", &e);
                false
            }
        }
    }

    /// Where the app writes exported results: `results/` beside the progress file; `None`
    /// when progress is not being saved (nothing to export).
    pub fn results_dir(&self) -> Option<PathBuf> {
        self.store.folder().map(|f| f.join("results"))
    }

    /// Writes every quiz answer of the pack shown to a new file in `dir` (created if need be),
    /// named by pack, learner and time, and returns its path. Needs the learner's name.
    pub fn export_results(&mut self, dir: &Path) -> Result<PathBuf, String> {
        let learner = self
            .learner_name()
            .ok_or_else(|| "Give your name first: it goes on every row.".to_owned())?;
        let rows = self
            .store
            .quiz_answer_rows(&self.pack.meta.id)
            .map_err(|e| format!("Could not read your answers: {e}"))?;
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("Could not create {}: {e}", dir.display()))?;
        let stamp = self.clock.now().strftime("%Y%m%d-%H%M%S").to_string();
        let who: String = learner
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '-' })
            .collect();
        let path = dir.join(format!("results-{}-{who}-{stamp}.csv", self.pack.meta.id));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| format!("Could not create {}: {e}", path.display()))?;
        let mut out = std::io::BufWriter::new(file);
        write_results(&self.pack, &learner, &rows, &mut out)
            .and_then(|()| out.flush().map_err(csv::Error::from))
            .map_err(|e| format!("Could not write {}: {e}", path.display()))?;
        Ok(path)
    }
}

/// The CSV: one row per question of an attempt, the columns of `coldstart export quiz` plus the
/// learner, the pack and the chosen choices' text.
pub fn write_results(
    pack: &Pack,
    learner: &str,
    rows: &[AnswerRow],
    out: &mut dyn Write,
) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "learner",
        "pack",
        "pack_version",
        "attempt",
        "mode",
        "position",
        "question_id",
        "topic",
        "generator",
        "generator_seed",
        "chosen",
        "chosen_text",
        "correct",
        "flagged",
        "time_ms",
        "answered_at",
    ])?;
    for r in rows {
        let question = match (&r.generator, r.gen_seed) {
            (Some(g), Some(seed)) => generate::by_id(g).map(|g| generate::in_pack(pack, g, seed)),
            _ => pack.question(&r.question_id).cloned(),
        };
        let text: Vec<String> = r
            .chosen
            .iter()
            .map(|&i| {
                question
                    .as_ref()
                    .and_then(|q| q.choices.get(i))
                    .map_or_else(|| "?".to_owned(), |c| c.text.clone())
            })
            .collect();
        let chosen: Vec<String> = r.chosen.iter().map(usize::to_string).collect();
        w.write_record([
            learner.to_owned(),
            pack.meta.id.clone(),
            pack.meta.version.clone(),
            r.attempt.to_string(),
            match r.mode {
                AttemptMode::Practice => "practice".to_owned(),
                AttemptMode::Exam => "exam".to_owned(),
            },
            r.position.to_string(),
            r.question_id.clone(),
            r.topic.clone(),
            r.generator.clone().unwrap_or_default(),
            r.gen_seed.map(|s| s.to_string()).unwrap_or_default(),
            chosen.join(" "),
            text.join(" | "),
            r.correct.to_string(),
            r.flagged.to_string(),
            r.time_ms.to_string(),
            jiff::Timestamp::from_millisecond(r.answered_ms)
                .map(|t| t.to_string())
                .unwrap_or_default(),
        ])?;
    }
    w.flush().map_err(csv::Error::from)
}
