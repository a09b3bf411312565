//! The Notes screen: the pack's topics in a side list, the selected note rendered from Markdown,
//! section by section, each with the cards and questions that cite it.

use std::collections::HashMap;
use std::sync::Arc;

use egui::RichText;
use egui_commonmark::{CommonMarkCache, CommonMarkViewer};

use crate::app::AppState;
use crate::content::{self, Pack, SectionRef};

use super::{Command, theme};

/// One section of the open note, ready to draw.
struct Chunk {
    /// `None` for text before the first heading.
    anchor: Option<String>,
    markdown: String,
}

/// What the open note needs, computed once when it is opened (never per frame).
struct OpenNote {
    topic: String,
    chunks: Vec<Chunk>,
    /// Every relative link in the note; registered as link hooks so clicks stay in the app.
    links: Vec<String>,
}

/// Per pack: who cites each section, and lowercase section text for search.
struct PackIndex {
    pack: Arc<Pack>,
    cited_by: HashMap<SectionRef, (Vec<usize>, Vec<usize>)>,
    search: Vec<(SectionRef, String, String)>,
}

#[derive(Default)]
pub struct NotesScreen {
    open: Option<OpenNote>,
    /// Section to bring into view on the next frame.
    scroll_to: Option<String>,
    /// Asked for before the pack index was built (e.g. from a command).
    pending: Option<(String, Option<String>)>,
    cache: CommonMarkCache,
    index: Option<PackIndex>,
    query: String,
}

impl NotesScreen {
    /// Opens a topic's note, optionally at a section (an empty anchor means the top).
    pub fn open(&mut self, topic: &str, anchor: Option<&str>) {
        self.pending = Some((
            topic.to_owned(),
            anchor.filter(|a| !a.is_empty()).map(str::to_owned),
        ));
    }

    /// The pack was reloaded: rebuild what was derived from it, keep the open topic.
    pub fn pack_changed(&mut self) {
        if let Some(open) = self.open.take() {
            self.pending.get_or_insert((open.topic, None));
        }
        self.index = None;
    }

    /// The topic whose note is open.
    pub fn open_topic(&self) -> Option<&str> {
        self.open.as_ref().map(|o| o.topic.as_str())
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, state: &mut AppState, cmds: &mut Vec<Command>) {
        if self
            .index
            .as_ref()
            .is_none_or(|i| !Arc::ptr_eq(&i.pack, &state.pack))
        {
            self.index = Some(PackIndex::new(state.pack.clone()));
        }
        if let Some((topic, anchor)) = self.pending.take() {
            self.select(state, &topic, anchor);
        }
        if self.open.is_none()
            && let Some(first) = state.pack.notes.first().map(|n| n.topic.clone())
        {
            self.select(state, &first, None);
        }

        let mut select = None;
        egui::Panel::left("topics")
            .resizable(true)
            .default_size(theme::SIDE_WIDTH)
            .show(ui, |ui| {
                select = self.side_list(ui, state);
            });
        if let Some((topic, anchor)) = select {
            self.select(state, &topic, anchor);
        }

        egui::CentralPanel::default().show(ui, |ui| {
            self.note_view(ui, state, cmds);
        });
    }

    fn select(&mut self, state: &mut AppState, topic: &str, anchor: Option<String>) {
        let Some(note) = state.pack.note(topic) else {
            return;
        };
        if self.open.as_ref().is_none_or(|o| o.topic != topic) {
            let open = OpenNote::new(note);
            for link in &open.links {
                self.cache.add_link_hook(link.clone());
            }
            self.open = Some(open);
        }
        self.scroll_to = Some(anchor.unwrap_or_default());
        state.mark_note_read(topic);
    }

    /// The search box and the topic list (or the search results). Returns what to open.
    fn side_list(
        &mut self,
        ui: &mut egui::Ui,
        state: &AppState,
    ) -> Option<(String, Option<String>)> {
        let mut select = None;
        ui.add_space(theme::GAP / 2.0);
        let label = ui.label("Search notes");
        ui.add(
            egui::TextEdit::singleline(&mut self.query)
                .hint_text("words in any note")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        ui.add_space(theme::GAP / 2.0);
        egui::ScrollArea::vertical().show(ui, |ui| {
            let query = self.query.trim().to_lowercase();
            if query.is_empty() {
                let (read, total) = state.notes_read_count();
                ui.label(
                    RichText::new(format!("{read} of {total} read"))
                        .color(theme::muted(ui.visuals())),
                );
                for topic in &state.pack.topics {
                    let selected = self.open_topic() == Some(topic.id.as_str());
                    let mut text = RichText::new(&topic.title);
                    if state.is_note_read(&topic.id) {
                        text = text.color(theme::muted(ui.visuals()));
                    }
                    let r = ui.selectable_label(selected, text).on_hover_text(
                        if state.is_note_read(&topic.id) {
                            "Read"
                        } else {
                            "Not read yet"
                        },
                    );
                    if r.clicked() {
                        select = Some((topic.id.clone(), None));
                    }
                }
            } else if let Some(index) = &self.index {
                let hits: Vec<_> = index
                    .search
                    .iter()
                    .filter(|(_, _, text)| text.contains(&query))
                    .collect();
                ui.label(
                    RichText::new(format!("{} matching sections", hits.len()))
                        .color(theme::muted(ui.visuals())),
                );
                for (r, title, _) in hits.into_iter().take(200) {
                    let topic = state
                        .pack
                        .topic(&r.topic)
                        .map_or(r.topic.as_str(), |t| t.title.as_str());
                    if ui
                        .selectable_label(false, format!("{topic} › {title}"))
                        .clicked()
                    {
                        select = Some((r.topic.clone(), Some(r.anchor.clone())));
                    }
                }
            }
        });
        select
    }

    fn note_view(&mut self, ui: &mut egui::Ui, state: &AppState, cmds: &mut Vec<Command>) {
        let Some(open) = &self.open else {
            ui.label("This pack has no notes.");
            return;
        };
        let Some(index) = &self.index else {
            return;
        };
        let note = state.pack.note(&open.topic);
        let scroll_to = self.scroll_to.take();
        egui::ScrollArea::vertical()
            .id_salt(("note", &open.topic))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.set_max_width(theme::READING_WIDTH);
                if scroll_to.as_deref() == Some("") {
                    ui.scroll_to_cursor(Some(egui::Align::TOP));
                }
                if let Some(sim) = note.and_then(|n| n.simulator)
                    && ui
                        .button(format!("Open the {} simulator", sim.name()))
                        .on_hover_text("See this topic's behaviour play out")
                        .clicked()
                {
                    cmds.push(Command::OpenSimulator(sim));
                }
                for (i, chunk) in open.chunks.iter().enumerate() {
                    // Each chunk gets its own id space: tables inside derive their ids from it.
                    let r = ui.push_id(i, |ui| {
                        CommonMarkViewer::new().show(ui, &mut self.cache, &chunk.markdown);
                    });
                    if chunk.anchor.is_some() && chunk.anchor == scroll_to {
                        r.response.scroll_to_me(Some(egui::Align::TOP));
                    }
                    if let Some(anchor) = &chunk.anchor {
                        let key = SectionRef {
                            topic: open.topic.clone(),
                            anchor: anchor.clone(),
                        };
                        if let Some((cards, questions)) = index.cited_by.get(&key) {
                            citations(ui, &index.pack, &key, cards, questions);
                        }
                    }
                    super::widgets::open_clicked(&mut self.cache, &open.links, &open.topic, cmds);
                }
            });
    }
}

/// "Cited by 2 cards, 1 question", expandable to the items themselves.
fn citations(
    ui: &mut egui::Ui,
    pack: &Pack,
    key: &SectionRef,
    cards: &[usize],
    questions: &[usize],
) {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let title = format!(
        "Practise this section: {}, {}",
        plural(cards.len(), "card", "cards"),
        plural(questions.len(), "question", "questions")
    );
    egui::CollapsingHeader::new(RichText::new(title).color(theme::accent(ui.visuals())))
        .id_salt(("cited", key))
        .show(ui, |ui| {
            for &i in cards {
                ui.label(format!("Card: {}", one_line(&pack.cards[i].front)));
            }
            for &i in questions {
                ui.label(format!("Question: {}", one_line(&pack.questions[i].stem)));
            }
        });
    ui.add_space(theme::GAP / 2.0);
}

fn one_line(markdown: &str) -> String {
    let line = markdown.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 140 {
        format!("{}…", line.chars().take(140).collect::<String>())
    } else {
        line
    }
}

impl OpenNote {
    fn new(note: &content::Note) -> Self {
        let mut chunks = Vec::new();
        let body = &note.body;
        let first = note.sections.first().map_or(body.len(), |s| s.offset);
        if !body[..first].trim().is_empty() {
            chunks.push(Chunk {
                anchor: None,
                markdown: body[..first].to_owned(),
            });
        }
        for (i, s) in note.sections.iter().enumerate() {
            let end = note.sections.get(i + 1).map_or(body.len(), |n| n.offset);
            chunks.push(Chunk {
                anchor: Some(s.anchor.clone()),
                markdown: body[s.offset..end].to_owned(),
            });
        }
        let links = super::widgets::pack_links(body, &note.topic);
        Self {
            topic: note.topic.clone(),
            chunks,
            links,
        }
    }
}

impl PackIndex {
    fn new(pack: Arc<Pack>) -> Self {
        let mut cited_by: HashMap<SectionRef, (Vec<usize>, Vec<usize>)> = HashMap::new();
        for (i, c) in pack.cards.iter().enumerate() {
            cited_by.entry(c.source.clone()).or_default().0.push(i);
        }
        for (i, q) in pack.questions.iter().enumerate() {
            cited_by.entry(q.source.clone()).or_default().1.push(i);
        }
        let mut search = Vec::new();
        for note in &pack.notes {
            for (i, s) in note.sections.iter().enumerate() {
                let end = note
                    .sections
                    .get(i + 1)
                    .map_or(note.body.len(), |n| n.offset);
                search.push((
                    SectionRef {
                        topic: note.topic.clone(),
                        anchor: s.anchor.clone(),
                    },
                    s.title.clone(),
                    note.body[s.offset..end].to_lowercase(),
                ));
            }
        }
        Self {
            pack,
            cited_by,
            search,
        }
    }
}
