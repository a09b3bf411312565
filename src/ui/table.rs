//! Tables in notes, laid out by the app rather than egui_commonmark: columns fitted to the
//! reading width with their cells wrapped, so nothing is cut off without a sign; a table too
//! wide even so scrolls sideways under a bar that is always drawn; a long table keeps one line
//! per row in a scroll area of its own and lays out only the rows in view, so a 50,000-row table
//! costs a frame no more than a short one.

use egui::{Align, Layout, RichText, ScrollArea, Sense, TextStyle, Ui, UiBuilder, Vec2};
use egui_commonmark::{CommonMarkCache, CommonMarkViewer};

use super::{Command, theme};
use crate::content::{self, LinkTarget, SectionRef, TableText};

/// Rows above which a table gets its own scroll area, one line per row.
const LONG: usize = 40;
/// The narrowest a column is squeezed before the table scrolls sideways instead.
const MIN_COLUMN: f32 = 80.0;
/// Rows measured for the columns' natural widths (the rest are assumed alike).
const MEASURED: usize = 200;
/// Space between columns.
const GAP: f32 = 14.0;

/// A note's table and what its layout needs from one frame to the next.
pub struct NoteTable {
    text: TableText,
    /// Each column's unwrapped width, measured once.
    natural: Option<Vec<f32>>,
    /// A long table's rows as drawn on one line, made the first time each row comes into view.
    one_line: Vec<Option<Vec<OneLine>>>,
}

/// A cell of a long table on one line: its text without link syntax, and where its first pack
/// link leads (a click on the cell goes there).
struct OneLine {
    text: String,
    link: Option<SectionRef>,
}

impl NoteTable {
    pub fn new(text: TableText) -> Self {
        Self {
            text,
            natural: None,
            one_line: Vec::new(),
        }
    }

    /// Draws the table. Links in cells open their note through `cmds` (pack links hooked in
    /// `cache` by the note view; in long tables, a click on the cell).
    pub fn show(
        &mut self,
        ui: &mut Ui,
        cache: &mut CommonMarkCache,
        from: &str,
        cmds: &mut Vec<Command>,
    ) {
        let columns = self.text.header.len();
        if columns == 0 {
            return;
        }
        let natural = self
            .natural
            .get_or_insert_with(|| natural_widths(ui, &self.text));
        let gaps = GAP * (columns - 1) as f32;
        // A little short of the edge, clear of the note's scroll bar.
        let avail = ui.available_width() - 8.0;
        let widths = fit_columns(natural, avail - gaps, MIN_COLUMN);
        let total = widths.iter().sum::<f32>() + gaps;
        let text = &self.text;
        let one_line = &mut self.one_line;
        let mut draw = |ui: &mut Ui| {
            if text.rows.len() > LONG {
                long(ui, cache, text, one_line, &widths, from, cmds);
            } else {
                wrapped(ui, cache, text, &widths);
            }
        };
        if total > avail + 0.5 {
            let muted = theme::muted(ui.visuals());
            ui.label(
                RichText::new("This table is wider than the page: scroll sideways for more →")
                    .small()
                    .color(muted),
            );
            ui.scope(|ui| {
                // A bar that is always drawn, not one that appears on hover: the sign that more
                // is to the right.
                ui.spacing_mut().scroll = egui::style::ScrollStyle::solid();
                ScrollArea::horizontal()
                    .id_salt("wide")
                    .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
                    .show(ui, |ui| draw(ui));
            });
        } else {
            draw(ui);
        }
        ui.add_space(ui.spacing().item_spacing.y * 2.0);
    }
}

/// Widths for columns whose unwrapped widths are `natural`, within `avail`: a column narrower
/// than its fair share keeps its width, the others share what is left equally (and wrap), and
/// none is squeezed below `min` (then the table is wider than `avail` and scrolls).
pub fn fit_columns(natural: &[f32], avail: f32, min: f32) -> Vec<f32> {
    if natural.iter().sum::<f32>() <= avail {
        return natural.to_vec();
    }
    let mut fixed = vec![false; natural.len()];
    let mut left = avail;
    let mut open = natural.len();
    // Each pass fixes at least one more column or stops: at most one pass per column.
    for _ in 0..natural.len() {
        let share = left / open as f32;
        let mut changed = false;
        for (j, w) in natural.iter().enumerate() {
            if !fixed[j] && *w <= share {
                fixed[j] = true;
                left -= w;
                open -= 1;
                changed = true;
            }
        }
        if !changed || open == 0 {
            break;
        }
    }
    let share = if open == 0 { 0.0 } else { left / open as f32 };
    natural
        .iter()
        .zip(&fixed)
        .map(|(w, f)| if *f { *w } else { share.max(min) })
        .collect()
}

/// Each column's widest cell laid out on one line (header and the first [`MEASURED`] rows).
fn natural_widths(ui: &Ui, text: &TableText) -> Vec<f32> {
    let body = TextStyle::Body.resolve(ui.style());
    let mono = TextStyle::Monospace.resolve(ui.style());
    let color = ui.visuals().text_color();
    let mut widths = vec![0.0f32; text.header.len()];
    for row in std::iter::once(&text.header).chain(text.rows.iter().take(MEASURED)) {
        for (j, cell) in row.iter().enumerate().take(widths.len()) {
            let (prose, code, spans) = plain(cell);
            let w = ui.fonts_mut(|f| {
                f.layout_no_wrap(prose, body.clone(), color).size().x
                    + f.layout_no_wrap(code, mono.clone(), color).size().x
            }) + 4.0 * spans as f32;
            widths[j] = widths[j].max(w.ceil() + 2.0);
        }
    }
    widths
}

/// A cell's text without its Markdown: the prose, the code, and how many code spans (each gets
/// a little padding).
fn plain(cell: &str) -> (String, String, usize) {
    let mut prose = String::new();
    let mut code = String::new();
    let mut spans = 0;
    for event in pulldown_cmark::Parser::new_ext(cell, content::markdown_options()) {
        match event {
            pulldown_cmark::Event::Text(t) => prose.push_str(&t),
            pulldown_cmark::Event::Code(t) => {
                code.push_str(&t);
                spans += 1;
            }
            _ => {}
        }
    }
    (prose, code, spans)
}

/// A short table: every row, cells wrapped to their column's width.
fn wrapped(ui: &mut Ui, cache: &mut CommonMarkCache, text: &TableText, widths: &[f32]) {
    header(ui, cache, text, widths);
    for (i, cells) in text.rows.iter().enumerate() {
        row(ui, cache, cells, widths, None, i % 2 == 1);
    }
}

/// The header row, in the strong text colour, ruled off from the rows.
fn header(ui: &mut Ui, cache: &mut CommonMarkCache, text: &TableText, widths: &[f32]) {
    let strong = ui.visuals().strong_text_color();
    let rect = row(ui, cache, &text.header, widths, Some(strong), false);
    let line = ui.visuals().widgets.noninteractive.bg_stroke;
    ui.painter()
        .hline(rect.x_range(), rect.bottom() + 2.0, line);
    ui.add_space(4.0);
}

/// One row of wrapped cells; returns its rectangle.
fn row(
    ui: &mut Ui,
    cache: &mut CommonMarkCache,
    cells: &[String],
    widths: &[f32],
    color: Option<egui::Color32>,
    stripe: bool,
) -> egui::Rect {
    let background = ui.painter().add(egui::Shape::Noop);
    let rect = ui
        .horizontal_top(|ui| {
            ui.spacing_mut().item_spacing.x = GAP;
            for (cell, w) in cells.iter().zip(widths) {
                ui.allocate_ui_with_layout(
                    Vec2::new(*w, 0.0),
                    Layout::top_down(Align::Min),
                    |ui| {
                        ui.set_width(*w);
                        ui.visuals_mut().override_text_color = color;
                        CommonMarkViewer::new().show(ui, cache, cell);
                    },
                );
            }
        })
        .response
        .rect;
    if stripe {
        ui.painter().set(
            background,
            egui::epaint::RectShape::filled(
                rect.expand2(Vec2::new(4.0, 1.0)),
                2.0,
                ui.visuals().faint_bg_color,
            ),
        );
    }
    rect
}

/// A long table: the header, then its rows one line each in a scroll area that lays out only
/// the rows in view; a cut-off cell ends in "…" and shows in full on hover.
fn long(
    ui: &mut Ui,
    cache: &mut CommonMarkCache,
    text: &TableText,
    one_line: &mut Vec<Option<Vec<OneLine>>>,
    widths: &[f32],
    from: &str,
    cmds: &mut Vec<Command>,
) {
    header(ui, cache, text, widths);
    let row_height = ui.text_style_height(&TextStyle::Body) + 6.0;
    let total = widths.iter().sum::<f32>() + GAP * (widths.len() - 1) as f32;
    let color = ui.visuals().text_color();
    let stripe = ui.visuals().faint_bg_color;
    one_line.resize_with(text.rows.len(), || None);
    ScrollArea::vertical()
        .id_salt("rows")
        .max_height((ui.ctx().content_rect().height() * 0.6).max(row_height * 8.0))
        .auto_shrink([false, true])
        .show_rows(ui, row_height, text.rows.len(), |ui, range| {
            for i in range {
                let (rect, _) =
                    ui.allocate_exact_size(Vec2::new(total, row_height), Sense::hover());
                if i % 2 == 1 {
                    ui.painter().rect_filled(rect, 2.0, stripe);
                }
                let mut x = rect.left();
                let cells = one_line[i].get_or_insert_with(|| {
                    text.rows[i]
                        .iter()
                        .map(|cell| OneLine {
                            text: link_text(cell),
                            link: first_pack_link(cell, from),
                        })
                        .collect()
                });
                for (cell, w) in cells.iter().zip(widths) {
                    let cell_rect = egui::Rect::from_min_size(
                        egui::pos2(x, rect.top()),
                        Vec2::new(*w, row_height),
                    );
                    x += w + GAP;
                    let link = &cell.link;
                    let job = super::quiz::inline_job(ui, "", &cell.text, color);
                    ui.scope_builder(
                        UiBuilder::new()
                            .max_rect(cell_rect)
                            .layout(Layout::left_to_right(Align::Center)),
                        |ui| {
                            let label = egui::Label::new(job).truncate();
                            let r = match link {
                                Some(_) => ui.add(label.sense(Sense::click())),
                                None => ui.add(label),
                            };
                            if let Some(to) = link
                                && r.on_hover_cursor(egui::CursorIcon::PointingHand).clicked()
                            {
                                cmds.push(Command::OpenSection(to.clone()));
                            }
                        },
                    );
                }
            }
        });
    let muted = theme::muted(ui.visuals());
    ui.label(
        RichText::new(format!(
            "{} rows: scroll inside the table for more",
            text.rows.len()
        ))
        .small()
        .color(muted),
    );
}

/// The note section the cell's first link inside the pack leads to.
fn first_pack_link(cell: &str, from: &str) -> Option<SectionRef> {
    pulldown_cmark::Parser::new_ext(cell, content::markdown_options()).find_map(|e| match e {
        pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { dest_url, .. }) => {
            match content::resolve_link(&dest_url, from) {
                LinkTarget::Note { topic, anchor } => Some(SectionRef {
                    topic,
                    anchor: anchor.unwrap_or_default(),
                }),
                _ => None,
            }
        }
        _ => None,
    })
}

/// The cell with each `[text](dest)` reduced to its text, for a one-line layout.
fn link_text(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut rest = cell;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](").map(|c| open + c) else {
            break;
        };
        let Some(end) = rest[close..].find(')').map(|e| close + e) else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&rest[open + 1..close]);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fit_the_width_narrow_ones_keep_theirs() {
        // Everything fits: unchanged.
        assert_eq!(fit_columns(&[100.0, 200.0], 400.0, 80.0), [100.0, 200.0]);
        // Too wide: the narrow column keeps its width, the two wide ones share the rest.
        let w = fit_columns(&[60.0, 900.0, 700.0], 600.0, 80.0);
        assert_eq!(w, [60.0, 270.0, 270.0]);
        assert!(w.iter().sum::<f32>() <= 600.0);
        // Never below the minimum: then the table is wider than the page, and scrolls.
        let w = fit_columns(&[500.0; 10], 600.0, 80.0);
        assert!(w.iter().all(|c| *c == 80.0));
    }

    #[test]
    fn link_text_keeps_the_words_and_finds_pack_links() {
        assert_eq!(
            link_text("See [async](async-invocation.md#retries) and `x`"),
            "See async and `x`"
        );
        assert_eq!(link_text("[unclosed"), "[unclosed");
        assert_eq!(
            first_pack_link("[a](https://aws.amazon.com) [b](limits.md#memory)", "x"),
            Some(SectionRef {
                topic: "limits".into(),
                anchor: "memory".into()
            })
        );
    }
}
