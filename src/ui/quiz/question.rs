//! Pieces shared by the practice, exam and report views: the question text, choice buttons,
//! revealed choices with their whys, keys, and time formatting.

use egui::text::LayoutJob;
use egui::{FontId, RichText, TextFormat, Ui};
use egui_commonmark::CommonMarkCache;

use crate::content::{QuestionKind, SectionRef};
use crate::quiz::{Item, Response};
use crate::ui::{Command, theme, widgets};

/// The keys 1–9, which toggle the choice shown in that place.
pub const NUM_KEYS: [egui::Key; 9] = [
    egui::Key::Num1,
    egui::Key::Num2,
    egui::Key::Num3,
    egui::Key::Num4,
    egui::Key::Num5,
    egui::Key::Num6,
    egui::Key::Num7,
    egui::Key::Num8,
    egui::Key::Num9,
];

/// The place (0-based) whose number key was pressed this frame, if any. Letters stay free for
/// moving between screens.
pub fn pressed_choice(ui: &mut Ui, choices: usize) -> Option<usize> {
    if ui.ctx().egui_wants_keyboard_input() {
        return None;
    }
    NUM_KEYS
        .iter()
        .take(choices)
        .position(|k| ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, *k)))
}

/// Whether Enter was pressed this frame (outside text fields).
pub fn pressed_enter(ui: &mut Ui) -> bool {
    !ui.ctx().egui_wants_keyboard_input()
        && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter))
}

/// Inline Markdown (`code` and **bold**) as a layout job, for choices and whys, which are one
/// short paragraph each.
/// Cached per frame: a session redraws the same few choices every frame.
pub fn inline_job(ui: &Ui, prefix: &str, text: &str, color: egui::Color32) -> LayoutJob {
    let v = ui.visuals();
    let key = (prefix, text, color, v.code_bg_color, v.strong_text_color());
    ui.memory_mut(|m| {
        m.caches
            .cache::<egui::cache::FrameCache<LayoutJob, InlineJobs>>()
            .get(key)
            .clone()
    })
}

/// [`build_inline_job`] as an egui frame-cache computer.
#[derive(Default)]
struct InlineJobs;

type InlineKey<'a> = (
    &'a str,
    &'a str,
    egui::Color32,
    egui::Color32,
    egui::Color32,
);

impl egui::cache::ComputerMut<InlineKey<'_>, LayoutJob> for InlineJobs {
    fn compute(&mut self, (prefix, text, color, code_bg, strong): InlineKey<'_>) -> LayoutJob {
        build_inline_job(prefix, text, color, code_bg, strong)
    }
}

fn build_inline_job(
    prefix: &str,
    text: &str,
    color: egui::Color32,
    code_bg: egui::Color32,
    strong: egui::Color32,
) -> LayoutJob {
    let mut job = LayoutJob::default();
    let body = FontId::proportional(15.0);
    let mono = FontId::monospace(14.0);
    let plain = TextFormat::simple(body.clone(), color);
    if !prefix.is_empty() {
        job.append(prefix, 0.0, plain.clone());
    }
    let mut code = false;
    let mut bold = false;
    let mut buf = String::new();
    let flush = |job: &mut LayoutJob, buf: &mut String, code: bool, bold: bool| {
        if buf.is_empty() {
            return;
        }
        let fmt = if code {
            TextFormat {
                font_id: mono.clone(),
                color,
                background: code_bg,
                ..Default::default()
            }
        } else if bold {
            TextFormat {
                font_id: body.clone(),
                color: strong,
                ..Default::default()
            }
        } else {
            plain.clone()
        };
        job.append(buf, 0.0, fmt);
        buf.clear();
    };
    let mut chars = text.trim().chars().peekable();
    while let Some(c) = chars.next() {
        if c == '`' {
            flush(&mut job, &mut buf, code, bold);
            code = !code;
        } else if !code && c == '*' && chars.peek() == Some(&'*') {
            chars.next();
            flush(&mut job, &mut buf, code, bold);
            bold = !bold;
        } else if c == '\n' {
            buf.push(' ');
        } else {
            buf.push(c);
        }
    }
    flush(&mut job, &mut buf, code, bold);
    job
}

/// The stem, with "Choose TWO." under it for a multiple-response question.
pub fn stem(ui: &mut Ui, cache: &mut CommonMarkCache, item: &Item, cmds: &mut Vec<Command>) {
    let q = &item.question;
    widgets::markdown(ui, cache, &q.stem, &q.topic, cmds);
    if let Some(prompt) = item.choose_prompt() {
        ui.label(RichText::new(prompt).strong());
    }
}

/// The choices as toggle buttons, numbered 1–9; returns the place clicked.
pub fn choice_buttons(
    ui: &mut Ui,
    item: &Item,
    response: &Response,
    enabled: bool,
) -> Option<usize> {
    let mut clicked = None;
    let color = ui.visuals().text_color();
    for (place, (authored, choice)) in item.shown_choices().enumerate() {
        let selected = response.chosen.contains(&authored);
        let job = inline_job(ui, &format!("{}.  ", place + 1), &choice.text, color);
        let button = egui::Button::selectable(selected, job)
            .wrap()
            .min_size(egui::vec2(ui.available_width(), 32.0));
        if ui.add_enabled(enabled, button).clicked() {
            clicked = Some(place);
        }
    }
    // A full multiple-response pick refuses another choice, as the exam's screen does; say why.
    let full = item.question.kind == QuestionKind::Multi && response.chosen.len() >= item.needed();
    if enabled && full {
        ui.label(
            RichText::new("All picked: deselect one to change your choice.")
                .color(theme::muted(ui.visuals())),
        );
    }
    clicked
}

/// The choices after the answer is known: which were right, which the learner chose, and why.
pub fn revealed_choices(ui: &mut Ui, item: &Item, response: &Response) {
    for (place, (authored, choice)) in item.shown_choices().enumerate() {
        let chosen = response.chosen.contains(&authored);
        let (tone, tag) = match (choice.correct, chosen) {
            (true, true) => (theme::correct(ui.visuals()), "✓ Right, your choice"),
            (true, false) => (theme::correct(ui.visuals()), "✓ Right answer"),
            (false, true) => (theme::wrong(ui.visuals()), "✗ Your choice, wrong"),
            (false, false) => (theme::muted(ui.visuals()), ""),
        };
        egui::Frame::group(ui.style())
            .stroke(egui::Stroke::new(
                if tag.is_empty() { 1.0 } else { 2.0 },
                tone,
            ))
            .inner_margin(8.0)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                let text_color = ui.visuals().text_color();
                ui.label(inline_job(
                    ui,
                    &format!("{}.  ", place + 1),
                    &choice.text,
                    text_color,
                ));
                if !tag.is_empty() {
                    ui.label(RichText::new(tag).color(tone).strong());
                }
                let muted = theme::muted(ui.visuals());
                ui.label(inline_job(ui, "", &choice.why, muted));
            });
    }
}

/// The explanation and a link to the note section it comes from.
pub fn explanation(
    ui: &mut Ui,
    cache: &mut CommonMarkCache,
    item: &Item,
    pack: &crate::content::Pack,
    cmds: &mut Vec<Command>,
) {
    ui.add_space(theme::GAP / 2.0);
    ui.label(RichText::new("Explanation").strong());
    let q = &item.question;
    widgets::markdown(ui, cache, &q.explanation, &q.topic, cmds);
    source_link(ui, &item.question.source, pack, cmds);
}

/// "Read in the notes: <section>", which opens the note at that section.
pub fn source_link(
    ui: &mut Ui,
    source: &SectionRef,
    pack: &crate::content::Pack,
    cmds: &mut Vec<Command>,
) {
    let title = pack.section(source).map_or_else(
        || source.to_string(),
        |(note, section)| format!("{} › {}", note.title, section.title),
    );
    if ui.link(format!("Read in the notes: {title}")).clicked() {
        cmds.push(Command::OpenSection(source.clone()));
    }
}
