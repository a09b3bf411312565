//! The Browse screen of preview mode (`coldstart --pack DIR --preview`): every card (front and
//! back) and every question (with its key and each choice's why), by topic and by the section
//! each cites, for the pack's author. It only reads the pack: nothing is recorded, no note is
//! marked read. It keeps the topic shown by id, so after a live reload the items on screen are
//! the edited ones, in place.

use egui::RichText;
use egui_commonmark::{CommonMarkCache, CommonMarkViewer};

use crate::content::{Pack, SectionRef};

use super::{Command, theme};

/// View state: the topic shown.
#[derive(Default)]
pub struct PreviewScreen {
    /// The topic shown, by id; the first topic when unset or gone after a reload.
    pub topic: Option<String>,
    cache: CommonMarkCache,
}

impl PreviewScreen {
    /// Draws the screen. Reads `pack` only.
    pub fn ui(&mut self, ui: &mut egui::Ui, pack: &Pack, cmds: &mut Vec<Command>) {
        if self
            .topic
            .as_deref()
            .is_none_or(|t| pack.topic(t).is_none())
        {
            self.topic = pack.topics.first().map(|t| t.id.clone());
        }
        let Some(topic_id) = self.topic.clone() else {
            ui.label("This pack has no topics yet.");
            return;
        };
        egui::Panel::left("preview-topics")
            .resizable(true)
            .default_size(theme::SIDE_WIDTH)
            .show(ui, |ui| {
                ui.label(theme::heading("Topics"));
                egui::ScrollArea::vertical()
                    .id_salt("preview-topic-list")
                    .show(ui, |ui| {
                        for t in &pack.topics {
                            let cards = pack.cards.iter().filter(|c| c.topic == t.id).count();
                            let questions =
                                pack.questions.iter().filter(|q| q.topic == t.id).count();
                            let label =
                                format!("{} ({cards} cards, {questions} questions)", t.title);
                            if ui.selectable_label(t.id == topic_id, label).clicked() {
                                self.topic = Some(t.id.clone());
                            }
                        }
                    });
            });
        let Some(topic) = pack.topic(&topic_id) else {
            return;
        };
        egui::ScrollArea::vertical()
            .id_salt(("preview-items", &topic_id))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.set_max_width(ui.available_width().min(theme::READING_WIDTH));
                ui.label(theme::heading(&topic.title));
                ui.label(
                    RichText::new("Preview: nothing here is recorded.")
                        .color(theme::muted(ui.visuals())),
                );
                // Sections in note order, then anything citing a section the note lacks.
                let mut sections: Vec<(String, String)> = pack
                    .note(&topic_id)
                    .map(|n| {
                        n.sections
                            .iter()
                            .map(|s| (s.anchor.clone(), s.title.clone()))
                            .collect()
                    })
                    .unwrap_or_default();
                let cited = |r: &SectionRef| r.topic == topic_id;
                for r in pack
                    .cards
                    .iter()
                    .map(|c| &c.source)
                    .chain(pack.questions.iter().map(|q| &q.source))
                {
                    if cited(r) && !sections.iter().any(|(a, _)| *a == r.anchor) {
                        sections.push((r.anchor.clone(), r.anchor.clone()));
                    }
                }
                for (anchor, title) in &sections {
                    let cards: Vec<_> = pack
                        .cards
                        .iter()
                        .filter(|c| c.topic == topic_id && c.source.anchor == *anchor)
                        .collect();
                    let questions: Vec<_> = pack
                        .questions
                        .iter()
                        .filter(|q| q.topic == topic_id && q.source.anchor == *anchor)
                        .collect();
                    if cards.is_empty() && questions.is_empty() {
                        continue;
                    }
                    ui.add_space(theme::GAP);
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(title).strong().size(17.0));
                        if ui.small_button(format!("Open #{anchor}")).clicked() {
                            cmds.push(Command::OpenSection(SectionRef {
                                topic: topic_id.clone(),
                                anchor: anchor.clone(),
                            }));
                        }
                    });
                    for card in cards {
                        ui.push_id(("card", &card.id), |ui| {
                            ui.group(|ui| {
                                ui.label(
                                    RichText::new(format!("card {}", card.id))
                                        .color(theme::muted(ui.visuals())),
                                );
                                CommonMarkViewer::new().show(ui, &mut self.cache, &card.front);
                                ui.separator();
                                CommonMarkViewer::new().show(ui, &mut self.cache, &card.back);
                            });
                        });
                    }
                    for q in questions {
                        ui.push_id(("question", &q.id), |ui| {
                            ui.group(|ui| {
                                ui.label(
                                    RichText::new(format!("question {}", q.id))
                                        .color(theme::muted(ui.visuals())),
                                );
                                CommonMarkViewer::new().show(ui, &mut self.cache, &q.stem);
                                for (i, c) in q.choices.iter().enumerate() {
                                    let (mark, tone) = if c.correct {
                                        ("key", theme::correct(ui.visuals()))
                                    } else {
                                        ("wrong", theme::wrong(ui.visuals()))
                                    };
                                    ui.label(
                                        RichText::new(format!("{}. [{mark}] {}", i + 1, c.text))
                                            .color(tone),
                                    );
                                    ui.label(format!("    why: {}", c.why));
                                }
                                ui.label(format!("Explanation: {}", q.explanation));
                            });
                        });
                    }
                }
            });
    }
}
