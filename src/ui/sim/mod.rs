//! Pieces shared by the simulator views: the scaffold every view runs in ([`Sim`]: the config
//! panel, the picture, the playback bar, the event log and the notes, around one [`SimView`]),
//! the playback clock and its controls, the grouped event log ([`EventLog`]), legends, slider
//! builders that read their ranges from the simulator registry, and a painted grid of coloured
//! boxes that screen readers can read.
//!
//! Every view computes its model once per configuration change and then only draws the part of
//! the timeline that has "happened" by the playback clock.

pub mod concurrency;
pub mod esm;
mod log;
pub mod retry;
mod scaffold;
pub mod traffic;

use egui::{Color32, RichText, Ui};

use crate::content::SectionRef;

use super::{Command, theme};

pub use log::EventLog;
pub use scaffold::{Link, Sim, SimView};

/// Playback speeds offered, in simulated seconds per real second.
const SPEEDS: [f64; 6] = [1.0, 10.0, 60.0, 300.0, 1800.0, 3600.0];

/// The view's own clock over simulated time.
#[derive(Debug, Clone, PartialEq)]
pub struct Playback {
    /// Simulated seconds shown now.
    pub t: f64,
    /// Whether the clock is running.
    pub playing: bool,
    /// Simulated seconds per real second.
    pub speed: f64,
    /// End of the scrub bar.
    pub end: f64,
}

impl Default for Playback {
    fn default() -> Self {
        Self {
            t: 0.0,
            playing: false,
            speed: 10.0,
            end: 60.0,
        }
    }
}

impl Playback {
    /// Adopts a new timeline length, keeping the current time when it still fits, and picks a
    /// speed that plays the whole run in about half a minute.
    pub fn set_end(&mut self, end: f64) {
        let end = end.max(1.0);
        if (end - self.end).abs() > f64::EPSILON {
            self.speed = SPEEDS
                .iter()
                .copied()
                .find(|s| end / s <= 30.0)
                .unwrap_or(SPEEDS[SPEEDS.len() - 1]);
        }
        self.end = end;
        self.t = self.t.min(end);
    }

    /// Play from where it is (from the start once at the end), or pause.
    pub fn toggle(&mut self) {
        if !self.playing && self.t >= self.end {
            self.t = 0.0;
        }
        self.playing = !self.playing;
    }

    /// Advances the clock by the frame's time while playing; asks for the next frame only then.
    pub fn tick(&mut self, ui: &Ui) {
        if !self.playing {
            return;
        }
        let dt = f64::from(ui.input(|i| i.stable_dt)).min(0.1);
        self.t = (self.t + dt * self.speed).min(self.end);
        if self.t >= self.end {
            self.playing = false;
        } else {
            ui.ctx().request_repaint();
        }
    }
}

/// Play / pause / step / restart / end buttons, a speed menu and the scrub bar.
/// `times` are the event times, so Step can jump to the next thing that happens.
pub fn playback_bar(ui: &mut Ui, pb: &mut Playback, times: &[f64]) {
    // Wraps rather than running off a narrow window (or a large interface scale): an overflow
    // would widen everything drawn below it.
    ui.horizontal_wrapped(|ui| {
        let label = if pb.playing { "Pause" } else { "Play" };
        if ui
            .button(label)
            .on_hover_text("Play or pause (Space)")
            .clicked()
        {
            pb.toggle();
        }
        if ui
            .button("Step")
            .on_hover_text("Jump to the next event")
            .clicked()
        {
            pb.playing = false;
            pb.t = times
                .iter()
                .copied()
                .find(|x| *x > pb.t + 1e-9)
                .unwrap_or(pb.end);
        }
        if ui.button("Restart").clicked() {
            pb.t = 0.0;
        }
        if ui.button("End").on_hover_text("Jump to the end").clicked() {
            pb.playing = false;
            pb.t = pb.end;
        }
        let speed_label = ui.label("Speed");
        egui::ComboBox::from_id_salt("speed")
            .width(70.0)
            .selected_text(format!("{}×", pb.speed))
            .show_ui(ui, |ui| {
                for s in SPEEDS {
                    ui.selectable_value(&mut pb.speed, s, format!("{s}×"));
                }
            })
            .response
            .labelled_by(speed_label.id)
            .on_hover_text("Simulated seconds per real second");
        ui.label(
            RichText::new(crate::format::sim_clock(pb.t))
                .monospace()
                .strong(),
        );
        // The scrubber takes the rest of the row, or a row of its own when little is left.
        // (A slider lays itself out as a row of its own, so the wrapping row cannot wrap it:
        // start a new row by hand.)
        let mut rest = ui.available_size_before_wrap().x - 130.0;
        if rest < 120.0 {
            ui.end_row();
            rest = (ui.max_rect().width() - 130.0).max(60.0);
        }
        ui.spacing_mut().slider_width = rest;
        let end = pb.end;
        let r = ui.add(
            egui::Slider::new(&mut pb.t, 0.0..=end)
                .show_value(false)
                .text(crate::format::sim_clock(end)),
        );
        if r.dragged() {
            pb.playing = false;
        }
    });
}

/// "Read more" links to note sections.
pub fn note_links(ui: &mut Ui, cmds: &mut Vec<Command>, links: &[Link]) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("In the notes:").color(theme::muted(ui.visuals())));
        for (label, topic, anchor) in links {
            if ui.link(*label).clicked() {
                cmds.push(Command::OpenSection(SectionRef {
                    topic: (*topic).to_owned(),
                    anchor: (*anchor).to_owned(),
                }));
            }
        }
    });
}

/// A record as the destination receives it: pretty JSON, scrolling both ways, at most `height`
/// tall.
pub fn json_record(ui: &mut Ui, id: &str, text: &str, height: f32) {
    egui::ScrollArea::both()
        .id_salt(id)
        .max_height(height)
        .show(ui, |ui| {
            ui.add(
                egui::Label::new(RichText::new(text).monospace().size(11.0))
                    .wrap_mode(egui::TextWrapMode::Extend),
            );
        });
}

/// Settings AWS would refuse, each on its own line in the "wrong" colour, so the learner sees
/// at once why the run ignored (or never started) something. Nothing is drawn when empty.
pub fn refusals(ui: &mut Ui, reasons: &[String]) {
    for r in reasons {
        ui.label(
            RichText::new(format!("Refused: {r}"))
                .color(theme::wrong(ui.visuals()))
                .strong(),
        );
    }
}

/// One box of a [`box_grid`]: fill, text, and whether to outline it (a poisoned item).
pub type Cell = (Color32, Option<String>, bool);

/// Rows of coloured boxes (queue messages, shard records) with a caption per row. The whole
/// grid publishes `summary` as its accessible label.
pub fn box_grid(ui: &mut Ui, rows: &[(String, Vec<Cell>)], summary: &str) {
    let cell = 34.0;
    let caption_w = 90.0;
    let max_cols = rows.iter().map(|r| r.1.len()).max().unwrap_or(0);
    let per_row = (((ui.available_width() - caption_w) / cell).floor() as usize).max(1);
    let lines: usize = rows
        .iter()
        .map(|r| r.1.len().div_ceil(per_row).max(1))
        .sum();
    let size = egui::vec2(
        caption_w + cell * max_cols.min(per_row) as f32,
        cell * lines as f32,
    );
    let (resp, painter) = ui.allocate_painter(size, egui::Sense::hover());
    let summary = format!("Picture. {summary}");
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &summary));
    let text = ui.visuals().text_color();
    let font = egui::FontId::proportional(12.0);
    let mut y = resp.rect.top();
    for (caption, cells) in rows {
        painter.text(
            egui::pos2(resp.rect.left(), y + cell / 2.0),
            egui::Align2::LEFT_CENTER,
            caption,
            egui::FontId::proportional(13.0),
            text,
        );
        for (i, (c, label, outline)) in cells.iter().enumerate() {
            let col = i % per_row;
            let line = i / per_row;
            let min = egui::pos2(
                resp.rect.left() + caption_w + col as f32 * cell,
                y + line as f32 * cell,
            );
            let r = egui::Rect::from_min_size(min, egui::vec2(cell - 3.0, cell - 3.0));
            painter.rect_filled(r, 3.0, *c);
            if *outline {
                painter.rect_stroke(
                    r.shrink(1.0),
                    3.0,
                    egui::Stroke::new(2.5, ui.visuals().strong_text_color()),
                    egui::StrokeKind::Inside,
                );
            }
            if let Some(l) = label {
                painter.text(
                    r.center(),
                    egui::Align2::CENTER_CENTER,
                    l,
                    font.clone(),
                    contrast(*c),
                );
            }
        }
        y += cell * cells.len().div_ceil(per_row).max(1) as f32;
    }
}

/// Black or white, whichever reads better on `bg`.
pub fn contrast(bg: Color32) -> Color32 {
    let l = 0.299 * f32::from(bg.r()) + 0.587 * f32::from(bg.g()) + 0.114 * f32::from(bg.b());
    if l > 140.0 {
        Color32::BLACK
    } else {
        Color32::WHITE
    }
}

/// A labelled row in the controls column; the label names the widget for screen readers.
pub fn row(ui: &mut Ui, label: &str, add: impl FnOnce(&mut Ui) -> egui::Response) {
    ui.horizontal(|ui| {
        let l = ui.label(label);
        add(ui).labelled_by(l.id);
    });
}

/// How a legend entry marks its series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A filled square (boxes, dots, areas).
    Square,
    /// A short solid line.
    Line,
    /// A short dashed line.
    Dashed,
    /// A small dot (a plot's points).
    Dot,
}

/// Legend entries: a coloured square and a word each, wrapped to the width.
pub fn legend(ui: &mut Ui, items: &[(Color32, &str)]) {
    let marked: Vec<(Color32, &str, Mark)> =
        items.iter().map(|(c, t)| (*c, *t, Mark::Square)).collect();
    legend_marked(ui, &marked);
}

/// Legend entries with the mark each series is drawn with. Drawn outside the plot (above it),
/// so a legend never hides data.
pub fn legend_marked(ui: &mut Ui, items: &[(Color32, &str, Mark)]) {
    ui.horizontal_wrapped(|ui| {
        for (c, text, mark) in items {
            // A wrap never parts a mark from its words: start a new row when the entry would
            // not fit (a nested row cannot wrap, and would widen the page instead).
            let galley = egui::WidgetText::from(*text).into_galley(
                ui,
                Some(egui::TextWrapMode::Extend),
                f32::INFINITY,
                egui::TextStyle::Body,
            );
            let width = 18.0 + ui.spacing().item_spacing.x + galley.size().x;
            if ui.available_size_before_wrap().x < width {
                ui.end_row();
            }
            legend_entry(ui, *c, text, *mark);
            ui.add_space(6.0);
        }
    });
}

fn legend_entry(ui: &mut Ui, c: Color32, text: &str, mark: Mark) {
    let (r, p) = ui.allocate_painter(egui::vec2(18.0, 12.0), egui::Sense::hover());
    let rect = r.rect;
    let (left, right) = (rect.left() + 1.0, rect.right() - 1.0);
    let y = rect.center().y;
    match mark {
        Mark::Square => {
            let square = egui::Rect::from_center_size(rect.center(), egui::vec2(12.0, 12.0));
            p.rect_filled(square, 2.0, c);
        }
        Mark::Line => {
            p.line_segment(
                [egui::pos2(left, y), egui::pos2(right, y)],
                egui::Stroke::new(2.5, c),
            );
        }
        Mark::Dashed => {
            for i in 0..3 {
                let x = left + i as f32 * 6.0;
                p.line_segment(
                    [egui::pos2(x, y), egui::pos2((x + 3.5).min(right), y)],
                    egui::Stroke::new(2.0, c),
                );
            }
        }
        Mark::Dot => {
            p.circle_filled(rect.center(), 3.0, c);
        }
    }
    ui.label(text);
}

/// A slider over a registry key: its ends, step and scale come from the key's [`crate::sim::Range`]
/// (`slider`, `step`, `log`), so the screen offers what the CLI documents. `max` caps the upper
/// end when another setting limits it (the spike cannot start after the run ends).
pub fn key_slider<'a, N: egui::emath::Numeric>(
    kind: crate::sim::Kind,
    key: &str,
    value: &'a mut N,
    text: &str,
    max: Option<f64>,
) -> egui::Slider<'a> {
    let r = key_range(kind, key);
    let hi = max.map_or(r.slider.1, |m| m.min(r.slider.1));
    egui::Slider::new(value, N::from_f64(r.slider.0)..=N::from_f64(hi))
        .step_by(r.step)
        .logarithmic(r.log)
        .text(text)
}

/// A drag field over a registry key, bounded by the key's slider ends.
pub fn key_drag<'a, N: egui::emath::Numeric>(
    kind: crate::sim::Kind,
    key: &str,
    value: &'a mut N,
) -> egui::DragValue<'a> {
    range_drag(key_range(kind, key), value)
}

/// A drag field bounded by a range's slider ends.
pub fn range_drag<N: egui::emath::Numeric>(
    r: crate::sim::Range,
    value: &mut N,
) -> egui::DragValue<'_> {
    egui::DragValue::new(value).range(N::from_f64(r.slider.0)..=N::from_f64(r.slider.1))
}

/// The registry's range of a key. A key the registry does not know is a bug the slider test
/// catches; the screen then offers only the value as it is rather than failing.
pub fn key_range(kind: crate::sim::Kind, key: &str) -> crate::sim::Range {
    crate::sim::range(kind, key).unwrap_or_else(|| {
        debug_assert!(false, "{} has no range for {key}", kind.name());
        crate::sim::Range::int(0, 0)
    })
}
