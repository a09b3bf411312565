//! Small widgets shared by several screens.

use egui::{RichText, Ui};
use egui_commonmark::{CommonMarkCache, CommonMarkViewer};

use super::{Command, theme};
use crate::content::{self, LinkTarget, SectionRef};

/// Links in `markdown` (written in topic `from`) that lead inside the pack, as written: the ones
/// the app opens itself rather than handing to a browser.
pub fn pack_links(markdown: &str, from: &str) -> Vec<String> {
    pulldown_cmark::Parser::new_ext(markdown, content::markdown_options())
        .filter_map(|e| match e {
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { dest_url, .. })
                if !matches!(
                    content::resolve_link(&dest_url, from),
                    LinkTarget::External(_)
                ) =>
            {
                Some(dest_url.to_string())
            }
            _ => None,
        })
        .collect()
}

/// [`pack_links`] as an egui frame-cache computer.
#[derive(Default)]
struct LinkFinder;

impl egui::cache::ComputerMut<(&str, &str), Vec<String>> for LinkFinder {
    fn compute(&mut self, (markdown, from): (&str, &str)) -> Vec<String> {
        pack_links(markdown, from)
    }
}

/// Renders `markdown` written in topic `from`; a click on a link to a note opens it in the app.
pub fn markdown(
    ui: &mut Ui,
    cache: &mut CommonMarkCache,
    markdown: &str,
    from: &str,
    cmds: &mut Vec<Command>,
) {
    // Parsed once while the text stays on screen, not every frame.
    let links = ui.memory_mut(|m| {
        m.caches
            .cache::<egui::cache::FrameCache<Vec<String>, LinkFinder>>()
            .get((markdown, from))
            .clone()
    });
    for link in &links {
        cache.add_link_hook(link.clone());
    }
    CommonMarkViewer::new().show(ui, cache, markdown);
    open_clicked(cache, &links, from, cmds);
}

/// Turns a click on one of `links` (hooked in `cache`) into opening its note.
pub fn open_clicked(
    cache: &mut CommonMarkCache,
    links: &[String],
    from: &str,
    cmds: &mut Vec<Command>,
) {
    for link in links {
        if cache.get_link_hook(link) == Some(true)
            && let LinkTarget::Note { topic, anchor } = content::resolve_link(link, from)
        {
            cmds.push(Command::OpenSection(SectionRef {
                topic,
                anchor: anchor.unwrap_or_default(),
            }));
        }
    }
}

/// `count` tiles in rows of equal-width cells, as many per row as fit at `min_width` each:
/// nothing runs off a narrow window, and a wide one is used. `cell(ui, i)` draws tile `i`.
pub fn tile_grid(ui: &mut Ui, count: usize, min_width: f32, mut cell: impl FnMut(&mut Ui, usize)) {
    let gap = ui.spacing().item_spacing.x;
    let avail = ui.available_width();
    let cols = (((avail + gap) / (min_width + gap)).floor() as usize).clamp(1, count.max(1));
    let width = ((avail - gap * (cols - 1) as f32) / cols as f32).floor();
    for start in (0..count).step_by(cols) {
        ui.horizontal_top(|ui| {
            for i in start..(start + cols).min(count) {
                let layout = egui::Layout::top_down_justified(egui::Align::Min);
                ui.allocate_ui_with_layout(egui::vec2(width, 0.0), layout, |ui| {
                    ui.set_width(width);
                    cell(ui, i);
                });
            }
        });
        ui.add_space(gap);
    }
}

/// A framed card with a title, for dashboard tiles. In a justified layout (a cell of
/// [`tile_grid`]) it fills the cell's width.
pub fn tile<R>(ui: &mut Ui, title: &str, add: impl FnOnce(&mut Ui) -> R) -> R {
    egui::Frame::group(ui.style())
        .inner_margin(theme::GAP)
        .show(ui, |ui| {
            if ui.layout().horizontal_justify() {
                ui.set_min_width(ui.available_width());
            }
            ui.vertical(|ui| {
                ui.set_min_width(220.0);
                ui.label(RichText::new(title).color(theme::muted(ui.visuals())));
                add(ui)
            })
            .inner
        })
        .inner
}

/// "Report a problem": a reason and a note for the pack's author, on any card or question.
/// Closed until clicked; its draft lives in egui's memory under `item_id`.
pub fn report_problem(
    ui: &mut Ui,
    state: &mut crate::app::AppState,
    item: crate::store::ReportItem,
    item_id: &str,
) {
    use crate::store::ReportReason;
    let id = ui.make_persistent_id(("report-problem", item_id));
    let (mut open, mut reason, mut note) = ui.data(|d| {
        d.get_temp::<(bool, usize, String)>(id)
            .unwrap_or((false, 0, String::new()))
    });
    if !open {
        if ui
            .small_button("Report a problem…")
            .on_hover_text("Tell the pack's author something is wrong here")
            .clicked()
        {
            open = true;
        }
    } else {
        egui::Frame::group(ui.style())
            .inner_margin(theme::GAP / 2.0)
            .show(ui, |ui| {
                ui.label(RichText::new("Report a problem").strong());
                egui::ComboBox::from_id_salt(("report-reason", item_id))
                    .selected_text(ReportReason::ALL[reason.min(4)].label())
                    .show_ui(ui, |ui| {
                        for (i, r) in ReportReason::ALL.iter().enumerate() {
                            ui.selectable_value(&mut reason, i, r.label());
                        }
                    });
                ui.add(
                    egui::TextEdit::multiline(&mut note)
                        .hint_text("What is wrong, and where AWS says otherwise")
                        .desired_rows(2)
                        .desired_width(ui.available_width().min(520.0)),
                );
                ui.horizontal(|ui| {
                    if ui.button("Send report").clicked()
                        && state.report_problem(
                            item,
                            item_id,
                            ReportReason::ALL[reason.min(4)],
                            &note,
                        )
                    {
                        open = false;
                        note.clear();
                    }
                    if ui.button("Cancel").clicked() {
                        open = false;
                    }
                });
            });
    }
    ui.data_mut(|d| d.insert_temp(id, (open, reason, note)));
}

/// A date typed as YYYY-MM-DD in `text`, with a button beside it that opens a month calendar
/// to pick one instead. Days before `earliest` cannot be picked; `today` is outlined.
pub fn date_field(
    ui: &mut Ui,
    enabled: bool,
    text: &mut String,
    today: jiff::civil::Date,
    earliest: jiff::civil::Date,
) {
    ui.add_enabled(
        enabled,
        egui::TextEdit::singleline(text)
            .hint_text("YYYY-MM-DD")
            .desired_width(110.0),
    );
    let button = ui
        .add_enabled(enabled, egui::Button::new("Pick…"))
        .on_hover_text("Choose the day on a calendar");
    let month_id = button.id.with("month");
    if button.clicked() {
        // Open on the month of the date written, else this month.
        let shown = text.trim().parse::<jiff::civil::Date>().unwrap_or(today);
        ui.data_mut(|d| d.insert_temp(month_id, shown.first_of_month()));
    }
    egui::Popup::from_toggle_button_response(&button)
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .show(|ui| {
            let month = ui
                .data(|d| d.get_temp::<jiff::civil::Date>(month_id))
                .unwrap_or_else(|| today.first_of_month());
            if let Some(picked) = calendar(ui, month_id, month, text, today, earliest) {
                *text = picked.to_string();
                ui.close();
            }
        });
}

/// One month as a grid of days, Monday first, with buttons to the month before and after.
fn calendar(
    ui: &mut Ui,
    month_id: egui::Id,
    month: jiff::civil::Date,
    text: &str,
    today: jiff::civil::Date,
    earliest: jiff::civil::Date,
) -> Option<jiff::civil::Date> {
    let one_month = jiff::Span::new().months(1);
    let selected = text.trim().parse::<jiff::civil::Date>().ok();
    let mut picked = None;
    ui.horizontal(|ui| {
        let back = month.checked_sub(one_month).ok();
        if ui
            .add_enabled(back.is_some(), egui::Button::new("‹"))
            .on_hover_text("Month before")
            .clicked()
            && let Some(m) = back
        {
            ui.data_mut(|d| d.insert_temp(month_id, m));
        }
        ui.label(RichText::new(month.strftime("%B %Y").to_string()).strong());
        let next = month.checked_add(one_month).ok();
        if ui
            .add_enabled(next.is_some(), egui::Button::new("›"))
            .on_hover_text("Month after")
            .clicked()
            && let Some(m) = next
        {
            ui.data_mut(|d| d.insert_temp(month_id, m));
        }
    });
    let muted = theme::muted(ui.visuals());
    egui::Grid::new(month_id.with("days"))
        .spacing([2.0, 2.0])
        .min_col_width(30.0)
        .show(ui, |ui| {
            for name in ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"] {
                ui.label(RichText::new(name).small().color(muted));
            }
            ui.end_row();
            let lead = month.weekday().to_monday_zero_offset();
            for _ in 0..lead {
                ui.label("");
            }
            for n in 1..=month.days_in_month() {
                let Ok(day) = month.with().day(n).build() else {
                    continue;
                };
                let mut label = RichText::new(n.to_string());
                if day == today {
                    label = label.underline();
                }
                let r = ui.add_enabled(
                    day >= earliest,
                    egui::Button::selectable(selected == Some(day), label)
                        .min_size(egui::vec2(30.0, 0.0)),
                );
                if r.on_hover_text(day.strftime("%A %-d %B %Y").to_string())
                    .clicked()
                {
                    picked = Some(day);
                }
                if (lead + n) % 7 == 0 {
                    ui.end_row();
                }
            }
        });
    picked
}
