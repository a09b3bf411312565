//! The Notes screen: the pack's topics in a side list, the selected note rendered from Markdown,
//! section by section, each with the cards and questions that cite it.

use std::collections::HashMap;
use std::sync::Arc;

use egui::RichText;
use egui_commonmark::{CommonMarkCache, CommonMarkViewer};

use crate::app::AppState;
use crate::content::{self, Pack, SectionRef};

use super::table::NoteTable;
use super::{Command, theme};

/// One section of the open note, ready to draw.
struct Chunk {
    /// `None` for text before the first heading.
    anchor: Option<String>,
    /// Its prose and tables, split once when the note opens.
    blocks: Vec<Block>,
}

enum Block {
    Markdown(String),
    Table(NoteTable),
}

impl Chunk {
    fn new(anchor: Option<String>, markdown: &str) -> Self {
        let blocks = content::markdown_blocks(markdown)
            .into_iter()
            .map(|b| match b {
                content::Block::Markdown(m) => Block::Markdown(m),
                content::Block::Table(t) => Block::Table(NoteTable::new(t)),
            })
            .collect();
        Self { anchor, blocks }
    }
}

/// Seconds on a note, its end in view, after which it counts as read.
const READ_AFTER_END_S: i64 = 5;
/// Seconds on a note after which it counts as read wherever the learner is in it.
const READ_AFTER_S: i64 = 90;

/// What the open note needs, computed once when it is opened (never per frame).
struct OpenNote {
    topic: String,
    /// When it was opened, and whether its end has been on screen: a note is read once the
    /// learner has scrolled through it (or stayed a while), not when a link or search hit
    /// opens it.
    opened_at: jiff::Timestamp,
    end_seen: bool,
    /// Off once the learner marked this note unread while it is open: their word stands.
    auto_read: bool,
    chunks: Vec<Chunk>,
    /// Every relative link in the note; registered as link hooks so clicks stay in the app.
    links: Vec<String>,
}

/// Per pack: who cites each section, and lowercase section text for search.
struct PackIndex {
    pack: Arc<Pack>,
    cited_by: HashMap<SectionRef, (Vec<usize>, Vec<usize>)>,
    /// (section, its title, its text lowercased for matching, its text as written).
    search: Vec<(SectionRef, String, String, String)>,
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
    /// Notes opened before the current one (Back) and after it (Forward): (topic, anchor).
    back: Vec<(String, Option<String>)>,
    forward: Vec<(String, Option<String>)>,
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

        let mut select = self.keys(ui, state);
        egui::Panel::left("topics")
            .resizable(true)
            .default_size(theme::SIDE_WIDTH)
            .show(ui, |ui| {
                select = self.side_list(ui, state);
            });
        if let Some((topic, anchor)) = select {
            self.select(state, &topic, anchor);
        }

        let mut nav = None;
        egui::CentralPanel::default().show(ui, |ui| {
            nav = self.note_view(ui, state, cmds);
        });
        match nav {
            Some(Nav::Back) => self.go_back(state),
            Some(Nav::Forward) => self.go_forward(state),
            Some(Nav::Unread(topic)) => {
                state.mark_note_unread(&topic);
                if let Some(open) = &mut self.open {
                    open.auto_read = false;
                }
            }
            None => {}
        }
        self.maybe_read(ui, state);
    }

    /// A note is read when its end has been in view for a few seconds, or after a while on it.
    fn maybe_read(&mut self, ui: &egui::Ui, state: &mut AppState) {
        let Some(open) = &self.open else { return };
        if state.is_note_read(&open.topic) || !open.auto_read {
            return;
        }
        let on_it = state.clock.now().duration_since(open.opened_at).as_secs();
        if (open.end_seen && on_it >= READ_AFTER_END_S) || on_it >= READ_AFTER_S {
            let topic = open.topic.clone();
            state.mark_note_read(&topic);
            // The side list and the bar above the note say so on the next frame.
            ui.ctx().request_repaint();
        } else {
            // Come back when the time is up, even without input.
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs(1));
        }
    }

    /// `/` focuses the search box; ↑/↓ walk the topic list; Alt+←/→ go back and forward.
    fn keys(&mut self, ui: &egui::Ui, state: &mut AppState) -> Option<(String, Option<String>)> {
        if ui.ctx().egui_wants_keyboard_input() {
            return None;
        }
        let (slash, up, down, back, forward) = ui.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, egui::Key::Slash),
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
                i.consume_key(egui::Modifiers::ALT, egui::Key::ArrowLeft),
                i.consume_key(egui::Modifiers::ALT, egui::Key::ArrowRight),
            )
        });
        if slash {
            ui.memory_mut(|m| m.request_focus(search_id()));
        }
        if back {
            self.go_back(state);
        }
        if forward {
            self.go_forward(state);
        }
        if up || down {
            let topics = &state.pack.topics;
            let at = self
                .open_topic()
                .and_then(|t| topics.iter().position(|x| x.id == t));
            let next = match (at, up) {
                (Some(i), true) => i.checked_sub(1),
                (Some(i), false) => (i + 1 < topics.len()).then_some(i + 1),
                (None, _) => (!topics.is_empty()).then_some(0),
            };
            return next.map(|i| (topics[i].id.clone(), None));
        }
        None
    }

    fn go_back(&mut self, state: &mut AppState) {
        if let Some(to) = self.back.pop() {
            if let Some(open) = &self.open {
                self.forward.push((open.topic.clone(), None));
            }
            self.show(state, &to.0, to.1);
        }
    }

    fn go_forward(&mut self, state: &mut AppState) {
        if let Some(to) = self.forward.pop() {
            if let Some(open) = &self.open {
                self.back.push((open.topic.clone(), None));
            }
            self.show(state, &to.0, to.1);
        }
    }

    /// Opens a note as a new step: the one it leaves goes on the Back list.
    fn select(&mut self, state: &mut AppState, topic: &str, anchor: Option<String>) {
        if let Some(open) = &self.open
            && (open.topic != topic || anchor.is_some())
        {
            self.back.push((open.topic.clone(), None));
            self.forward.clear();
        }
        self.show(state, topic, anchor);
    }

    /// Opens a note (at a section) without touching Back and Forward.
    fn show(&mut self, state: &AppState, topic: &str, anchor: Option<String>) {
        let Some(note) = state.pack.note(topic) else {
            return;
        };
        if self.open.as_ref().is_none_or(|o| o.topic != topic) {
            let open = OpenNote::new(note, state.clock.now());
            for link in &open.links {
                self.cache.add_link_hook(link.clone());
            }
            self.open = Some(open);
        }
        self.scroll_to = Some(anchor.unwrap_or_default());
    }

    /// The search box and the topic list (or the search results). Returns what to open.
    fn side_list(
        &mut self,
        ui: &mut egui::Ui,
        state: &AppState,
    ) -> Option<(String, Option<String>)> {
        let mut select = None;
        ui.add_space(theme::GAP / 2.0);
        let label = ui.label("Search notes (/)");
        ui.add(
            egui::TextEdit::singleline(&mut self.query)
                .id(search_id())
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
                    // Read notes keep full contrast (they are not disabled): a tick says it.
                    let text = if state.is_note_read(&topic.id) {
                        RichText::new(format!("✓ {}", topic.title))
                    } else {
                        RichText::new(&topic.title)
                    };
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
                    .filter(|(_, _, text, _)| text.contains(&query))
                    .collect();
                ui.label(
                    RichText::new(format!("{} matching sections", hits.len()))
                        .color(theme::muted(ui.visuals())),
                );
                for (r, title, lower, written) in hits.into_iter().take(200) {
                    let topic = state
                        .pack
                        .topic(&r.topic)
                        .map_or(r.topic.as_str(), |t| t.title.as_str());
                    let clicked = ui
                        .selectable_label(false, format!("{topic} › {title}"))
                        .clicked();
                    if let Some(job) = snippet(ui, lower, written, &query) {
                        ui.label(job);
                    }
                    if clicked {
                        select = Some((r.topic.clone(), Some(r.anchor.clone())));
                    }
                }
            }
        });
        select
    }

    fn note_view(
        &mut self,
        ui: &mut egui::Ui,
        state: &AppState,
        cmds: &mut Vec<Command>,
    ) -> Option<Nav> {
        let mut nav = None;
        let Some(open) = &mut self.open else {
            ui.label("This pack has no notes.");
            return None;
        };
        let Some(index) = &self.index else {
            return None;
        };
        let note = state.pack.note(&open.topic);
        let scroll_to = self.scroll_to.take();
        ui.horizontal(|ui| {
            if ui
                .add_enabled(!self.back.is_empty(), egui::Button::new("← Back"))
                .on_hover_text("Alt+←")
                .clicked()
            {
                nav = Some(Nav::Back);
            }
            if ui
                .add_enabled(!self.forward.is_empty(), egui::Button::new("Forward →"))
                .on_hover_text("Alt+→")
                .clicked()
            {
                nav = Some(Nav::Forward);
            }
            let muted = theme::muted(ui.visuals());
            if state.is_note_read(&open.topic) {
                ui.label(RichText::new("✓ Read").color(muted));
                if ui.small_button("Mark unread").clicked() {
                    nav = Some(Nav::Unread(open.topic.clone()));
                }
            } else {
                ui.label(
                    RichText::new("Counts as read once you reach its end (or after a while)")
                        .color(muted),
                );
            }
        });
        let output = egui::ScrollArea::vertical()
            .id_salt(("note", &open.topic))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.set_max_width(ui.available_width().min(theme::READING_WIDTH));
                if scroll_to.as_deref() == Some("") {
                    ui.scroll_to_cursor(Some(egui::Align::TOP));
                }
                if ui
                    .button("Drill this topic")
                    .on_hover_text("All its questions as practice now, its cards first in Review")
                    .clicked()
                {
                    cmds.push(Command::Drill(SectionRef {
                        topic: open.topic.clone(),
                        anchor: String::new(),
                    }));
                }
                if let Some(sim) = note.and_then(|n| n.simulator)
                    && ui
                        .button(format!("Open the {} simulator", sim.name()))
                        .on_hover_text("See this topic's behaviour play out")
                        .clicked()
                {
                    cmds.push(Command::OpenSimulator(sim));
                }
                for (i, chunk) in open.chunks.iter_mut().enumerate() {
                    // Each chunk gets its own id space: tables inside derive their ids from it.
                    let r = ui.push_id(i, |ui| {
                        for (j, block) in chunk.blocks.iter_mut().enumerate() {
                            match block {
                                Block::Markdown(m) => {
                                    CommonMarkViewer::new().show(ui, &mut self.cache, m);
                                }
                                Block::Table(t) => {
                                    ui.push_id(j, |ui| {
                                        t.show(ui, &mut self.cache, &open.topic, cmds);
                                    });
                                }
                            }
                        }
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
                            citations(ui, &index.pack, &key, cards, questions, cmds);
                        }
                    }
                    super::widgets::open_clicked(&mut self.cache, &open.links, &open.topic, cmds);
                }
            });
        // The end of the note is in view (a short note shows it at once).
        let bottom = output.state.clamped_offset().y + output.inner_rect.height();
        if bottom + 4.0 >= output.content_size.y
            && let Some(open) = &mut self.open
        {
            open.end_seen = true;
        }
        nav
    }
}

/// What the bar above the note asked for.
enum Nav {
    Back,
    Forward,
    Unread(String),
}

fn search_id() -> egui::Id {
    egui::Id::unique("notes-search")
}

/// A line of the section around the first match, the matched words highlighted.
fn snippet(
    ui: &egui::Ui,
    lower: &str,
    written: &str,
    query: &str,
) -> Option<egui::text::LayoutJob> {
    let at = lower.find(query)?;
    // Shown as written where lowercasing kept every byte offset (it does for ASCII).
    let text = if written.len() == lower.len()
        && written.is_char_boundary(at)
        && written.is_char_boundary(at + query.len())
    {
        written
    } else {
        lower
    };
    let start = text[..at]
        .char_indices()
        .rev()
        .nth(50)
        .map_or(0, |(i, _)| i);
    let end = text[at + query.len()..]
        .char_indices()
        .nth(70)
        .map_or(text.len(), |(i, _)| at + query.len() + i);
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let v = ui.visuals();
    let plain = egui::TextFormat::simple(egui::FontId::proportional(12.5), theme::muted(v));
    let hit = egui::TextFormat {
        background: v.selection.bg_fill,
        color: v.strong_text_color(),
        ..plain.clone()
    };
    let mut job = egui::text::LayoutJob::default();
    let before = flat(&text[start..at]);
    job.append(
        &format!("{}{before} ", if start > 0 { "…" } else { "" }),
        0.0,
        plain.clone(),
    );
    job.append(&text[at..at + query.len()], 0.0, hit);
    let after = flat(&text[at + query.len()..end]);
    job.append(
        &format!(" {after}{}", if end < text.len() { "…" } else { "" }),
        0.0,
        plain,
    );
    job.wrap.max_width = ui.available_width();
    Some(job)
}

/// "Cited by 2 cards, 1 question", expandable to the items themselves.
fn citations(
    ui: &mut egui::Ui,
    pack: &Pack,
    key: &SectionRef,
    cards: &[usize],
    questions: &[usize],
    cmds: &mut Vec<Command>,
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
            if ui
                .button("Drill this section")
                .on_hover_text("Its questions as practice now, its cards first in Review")
                .clicked()
            {
                cmds.push(Command::Drill(key.clone()));
            }
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
    fn new(note: &content::Note, now: jiff::Timestamp) -> Self {
        let mut chunks = Vec::new();
        let body = &note.body;
        let first = note.sections.first().map_or(body.len(), |s| s.offset);
        if !body[..first].trim().is_empty() {
            chunks.push(Chunk::new(None, &body[..first]));
        }
        for (i, s) in note.sections.iter().enumerate() {
            let end = note.sections.get(i + 1).map_or(body.len(), |n| n.offset);
            chunks.push(Chunk::new(Some(s.anchor.clone()), &body[s.offset..end]));
        }
        let links = super::widgets::pack_links(body, &note.topic);
        Self {
            topic: note.topic.clone(),
            opened_at: now,
            end_seen: false,
            auto_read: true,
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
                    note.body[s.offset..end].to_owned(),
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
