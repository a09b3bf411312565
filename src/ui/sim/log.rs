//! The event log: a run's lines, grouped once per run so long stretches of the same thing
//! (500 throttled retries, ten messages moved to the DLQ one by one) read as one collapsible
//! line with a count, and drawn up to the playback clock.

use egui::{RichText, Ui};

use crate::format::sim_clock;
use crate::ui::theme;

/// A run of at least this many cycles of the same pattern is grouped.
const MIN_CYCLES: usize = 3;
/// Patterns up to this many lines long are looked for (a throttle and its back-off is two).
const MAX_PERIOD: usize = 3;
/// At most this many rows are drawn, the newest (the older ones scroll off).
const MAX_ROWS: usize = 400;

/// The lines of one run and how they group; built once per run, drawn every frame.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventLog {
    lines: Vec<(f64, String)>,
    times: Vec<f64>,
    /// Consecutive, covering every line: `(first line, lines in the group)`.
    groups: Vec<(usize, usize)>,
}

impl EventLog {
    /// Groups the lines (in time order) of a run.
    pub fn new(lines: Vec<(f64, String)>) -> Self {
        let shapes: Vec<String> = lines.iter().map(|(_, l)| shape(l)).collect();
        let groups = group(&shapes);
        let times = lines.iter().map(|l| l.0).collect();
        Self {
            lines,
            times,
            groups,
        }
    }

    /// Every line's time, for the playback bar's Step.
    pub fn times(&self) -> &[f64] {
        &self.times
    }

    /// The groups as `(first line, count)`, covering every line in order.
    pub fn groups(&self) -> &[(usize, usize)] {
        &self.groups
    }

    /// Draws the log up to time `t`, newest at the bottom, at least `height` tall (more when
    /// there is room). Returns the time of a line the learner clicked, to move the clock to.
    pub fn show(&self, ui: &mut Ui, t: f64, height: f32) -> Option<f64> {
        let height = height.max(ui.available_height() - 80.0);
        let shown = self.lines.partition_point(|(at, _)| *at <= t + 1e-9);
        let mut jump = None;
        ui.label(RichText::new("Event log").strong())
            .on_hover_text("Click a line to move the clock there");
        egui::Frame::group(ui.style()).show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("event_log")
                .max_height(height)
                .min_scrolled_height(height)
                .stick_to_bottom(true)
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    // Columns lay out justified, which would stretch wrapped log lines.
                    ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                        if shown == 0 {
                            ui.label(
                                RichText::new("Nothing has happened yet: press Play or Step.")
                                    .color(theme::muted(ui.visuals())),
                            );
                        }
                        self.rows(ui, shown, &mut jump);
                    });
                });
        });
        jump
    }

    fn rows(&self, ui: &mut Ui, shown: usize, jump: &mut Option<f64>) {
        let visible = self.groups.partition_point(|(start, _)| *start < shown);
        // The newest groups that fit in MAX_ROWS rows (a collapsed group is one row).
        let mut rows = 0;
        let mut first = visible;
        while first > 0 && rows < MAX_ROWS {
            first -= 1;
            rows += 1;
        }
        for &(start, len) in &self.groups[first..visible] {
            let n = len.min(shown - start);
            if n == 1 {
                self.line(ui, start, jump);
                continue;
            }
            let (t0, text) = &self.lines[start];
            let last = self.lines[start + n - 1].0;
            let header = format!(
                "{} {text}  (+{} similar lines, to {})",
                sim_clock(*t0),
                n - 1,
                sim_clock(last)
            );
            // A header that wraps like the lines do (a CollapsingHeader's would not), and that
            // opens or closes when its text is clicked too.
            let id = ui.make_persistent_id(("log_group", start));
            let mut state = egui::collapsing_header::CollapsingState::load_with_default_open(
                ui.ctx(),
                id,
                false,
            );
            let row = ui.horizontal(|ui| {
                state.show_toggle_button(ui, egui::collapsing_header::paint_default_icon);
                ui.add(
                    egui::Label::new(
                        RichText::new(header)
                            .monospace()
                            .color(ui.visuals().text_color()),
                    )
                    .wrap_mode(egui::TextWrapMode::Wrap)
                    .sense(egui::Sense::click()),
                )
            });
            if row.inner.clicked() {
                state.toggle(ui);
            }
            state.show_body_indented(&row.response, ui, |ui| {
                for i in start..start + n.min(MAX_ROWS) {
                    self.line(ui, i, jump);
                }
            });
        }
    }

    fn line(&self, ui: &mut Ui, i: usize, jump: &mut Option<f64>) {
        let (at, text) = &self.lines[i];
        let r = ui.add(
            egui::Label::new(RichText::new(format!("{} {text}", sim_clock(*at))).monospace())
                .sense(egui::Sense::click()),
        );
        if r.clicked() {
            *jump = Some(*at);
        }
    }
}

/// A line with its numbers blanked: lines of the same shape say the same thing about
/// different events, batches or counts.
fn shape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_number = false;
    for c in line.chars() {
        if c.is_ascii_digit() {
            if !in_number {
                out.push('#');
            }
            in_number = true;
        } else if in_number && c == '.' {
            // a decimal point inside a number
        } else {
            in_number = false;
            out.push(c);
        }
    }
    out
}

/// Splits lines into groups: a stretch where a pattern of 1 to [`MAX_PERIOD`] line shapes
/// repeats at least [`MIN_CYCLES`] times becomes one group (whole cycles only); every other
/// line is a group of its own.
fn group(shapes: &[String]) -> Vec<(usize, usize)> {
    let n = shapes.len();
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let mut best = 1;
        for p in 1..=MAX_PERIOD {
            let mut j = i + p;
            while j < n && shapes[j] == shapes[j - p] {
                j += 1;
            }
            let cycles = (j - i) / p;
            if cycles >= MIN_CYCLES && cycles * p > best {
                best = cycles * p;
            }
        }
        out.push((i, best));
        i += best;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(lines: &[&str]) -> EventLog {
        EventLog::new(
            lines
                .iter()
                .enumerate()
                .map(|(i, l)| (i as f64, (*l).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn numbers_do_not_change_a_shape() {
        assert_eq!(shape("event 12: retry in 1.5 s"), "event #: retry in # s");
        assert_eq!(shape("#1, #2 moved"), "##, ## moved");
    }

    #[test]
    fn a_story_stays_line_by_line() {
        let l = log(&[
            "event 1 queued",
            "event 1: attempt 1 failed",
            "event 1: back in the queue, retry in 1 min",
            "event 1: attempt 2 failed",
            "event 1: back in the queue, retry in 2 min",
            "event 1: attempt 3 failed",
            "event 1: lost",
        ]);
        assert_eq!(l.groups().len(), 7, "two cycles are not a pattern yet");
    }

    #[test]
    fn repeated_lines_and_pairs_group_with_counts() {
        let mut lines = vec!["throttling started".to_owned()];
        for i in 0..500 {
            lines.push(format!("{i} requests, {i} of them throttled"));
        }
        for i in 0..4 {
            lines.push(format!("attempt {i} throttled (429)"));
            lines.push(format!("back in the queue, back-off in {i} s"));
        }
        lines.push("throttling stopped".to_owned());
        let l = EventLog::new(lines.into_iter().map(|s| (0.0, s)).collect());
        assert_eq!(l.groups(), &[(0, 1), (1, 500), (501, 8), (509, 1)]);
        let covered: usize = l.groups().iter().map(|g| g.1).sum();
        assert_eq!(covered, l.times().len(), "every line in one group");
    }
}
