//! The eframe app: top navigation, banners, the current screen, and command handling.

use std::sync::Arc;

use egui::{RichText, Ui};

use crate::app::pack_load::PackLoad;
use crate::app::watch::{Kept, PackWatcher};
use crate::app::{AppState, NoticeLevel};
use crate::content::Diagnostic;

use super::dashboard::DashboardScreen;
use super::notes::NotesScreen;
use super::packs::{PackAction, PacksScreen};
use super::preview::PreviewScreen;
use super::progress::ProgressScreen;
use super::quiz::QuizScreen;
use super::review::ReviewScreen;
use super::simulators::SimulatorsScreen;
use super::{Command, Screen, theme};

pub struct ColdstartApp {
    pub state: AppState,
    pub screen: Screen,
    pub dashboard: DashboardScreen,
    pub notes: NotesScreen,
    pub review: ReviewScreen,
    pub quiz: QuizScreen,
    pub simulators: SimulatorsScreen,
    pub progress: ProgressScreen,
    pub packs: PacksScreen,
    /// The pack library of the data folder (none on an in-memory state).
    pub library: Option<crate::app::library::PackLibrary>,
    /// Preview mode (`--preview`, or the Packs screen's toggle): the Browse screen is offered,
    /// and the state keeps nothing.
    pub preview: Option<PreviewScreen>,
    /// The learner's own state, set aside while they preview from the Packs screen; `None`
    /// otherwise (and under `--preview`, which has no state to return to).
    studying: Option<AppState>,
    watcher: Option<PackWatcher>,
    /// Diagnostics of the pack folder as last saved; shown until fixed.
    pack_errors: PackProblems,
    /// Which last good versions are shown while the folder has errors.
    pack_kept: Kept,
    /// The pack the window waits for at start-up: until it arrives the state holds a
    /// placeholder and the window shows only "Loading <name>…".
    loading: Option<StartLoad>,
    fonts_installed: bool,
}

/// Where the pack the window opens on comes from, while it is read.
enum StartLoad {
    /// `--pack DIR`: the live-reload watcher's first read (named by the folder).
    Watcher(String),
    /// An installed pack, or a folder without live reload, read by a thread of its own.
    Thread(PackLoad),
}

impl ColdstartApp {
    pub fn new(state: AppState) -> Self {
        Self {
            state,
            screen: Screen::Dashboard,
            dashboard: DashboardScreen::default(),
            notes: NotesScreen::default(),
            review: ReviewScreen::default(),
            quiz: QuizScreen::default(),
            simulators: SimulatorsScreen::default(),
            progress: ProgressScreen::default(),
            packs: PacksScreen::default(),
            library: None,
            preview: None,
            studying: None,
            watcher: None,
            pack_errors: PackProblems::default(),
            pack_kept: Kept::Nothing,
            loading: None,
            fonts_installed: false,
        }
    }

    /// The pack library of the data folder, for the Packs screen.
    pub fn with_library(mut self, library: crate::library::Library) -> Self {
        self.library = Some(crate::app::library::PackLibrary::new(library));
        self
    }

    /// Live preview: reload the pack whenever its folder changes. `diagnostics` are those of
    /// the pack as first loaded (errors and warnings).
    pub fn with_watcher(mut self, watcher: PackWatcher, diagnostics: Vec<Diagnostic>) -> Self {
        self.watcher = Some(watcher);
        self.set_pack_diagnostics(diagnostics);
        self
    }

    /// Opens on a pack still being read (an installed pack or a folder, without live reload):
    /// the window shows "Loading <name>…" until it arrives, then the pack; if it cannot be read,
    /// the built-in pack opens and a banner says why. The state's pack until then is a
    /// placeholder (`Pack::default()`).
    pub fn with_loading(mut self, load: PackLoad) -> Self {
        self.loading = Some(StartLoad::Thread(load));
        self
    }

    /// Opens on `--pack DIR` as its watcher first reads it ([`PackWatcher::start_reading`]):
    /// "Loading <name>…" until that read arrives, then live reload as [`Self::with_watcher`].
    pub fn with_watched_loading(mut self, watcher: PackWatcher, name: impl Into<String>) -> Self {
        self.watcher = Some(watcher);
        self.loading = Some(StartLoad::Watcher(name.into()));
        self
    }

    /// The pack the window is waiting for, by name: at start-up, or while the Packs screen
    /// switches to an installed pack.
    pub fn loading(&self) -> Option<&str> {
        match &self.loading {
            Some(StartLoad::Watcher(name)) => Some(name),
            Some(StartLoad::Thread(load)) => Some(&load.name),
            None => self.library.as_ref().and_then(|l| l.switching()),
        }
    }

    /// Preview mode for authors: opens on the Browse screen. Pair it with an in-memory state
    /// (`AppState::in_memory`), so nothing is recorded.
    pub fn with_preview(mut self) -> Self {
        self.preview = Some(PreviewScreen::default());
        self.screen = Screen::Browse;
        self
    }

    /// Whether the screen is offered: the pack's declarations, and Browse only in preview mode.
    fn offers(&self, screen: Screen) -> bool {
        screen.available(&self.state.pack) && (screen != Screen::Browse || self.preview.is_some())
    }

    /// Errors first, then warnings, each group in the order the loader gave them.
    fn set_pack_diagnostics(&mut self, mut diagnostics: Vec<Diagnostic>) {
        diagnostics.sort_by_key(|d| d.severity != crate::content::Severity::Error);
        self.pack_errors = PackProblems {
            errors: diagnostics
                .iter()
                .filter(|d| d.severity == crate::content::Severity::Error)
                .count(),
            lines: diagnostics.iter().map(ToString::to_string).collect(),
        };
    }

    /// The logic pass eframe runs before every frame and, while the window is hidden, on its
    /// own: installs the fonts once, picks up a reloaded pack, and runs [`AppState::tick`] (the
    /// exam clock keeps being saved and submits at time-up even when minimised).
    pub fn logic(&mut self, ctx: &egui::Context) {
        if !self.fonts_installed {
            theme::install_fonts(ctx);
            self.fonts_installed = true;
        }
        self.poll_start();
        self.poll_reload();
        if self.loading.is_some() {
            // The state's pack is a placeholder: nothing runs on it (the first tick, which
            // looks at the pack's reviews, waits for the real one). Look again soon.
            ctx.request_repaint_after(std::time::Duration::from_millis(30));
            return;
        }
        if let Some(lib) = &mut self.library {
            lib.poll(&mut self.state);
            if lib.busy() {
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
            }
            if lib.take_switched() {
                self.start_screens_afresh();
            }
        }
        if self.loading().is_some() {
            // Switching: look again soon, the pack arrives from a thread.
            ctx.request_repaint_after(std::time::Duration::from_millis(30));
        }
        let ticked = self.state.tick();
        if ticked.exam_timed_out && self.screen != Screen::Quiz {
            self.state.notify(
                NoticeLevel::Warning,
                "Time ran out on your mock exam: it was submitted. The report is on the Quiz screen.",
            );
        }
        if ticked.exam_running {
            // The countdown changes once a second; this also keeps `logic` running while the
            // window is hidden.
            ctx.request_repaint_after(std::time::Duration::from_secs(1));
        }
        if ticked.background {
            // Collect (or start) the work on threads without waiting for the learner's input.
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    /// One whole frame as eframe runs it: [`Self::logic`], then [`Self::show`]. For headless
    /// tests.
    pub fn frame(&mut self, ui: &mut Ui) {
        self.logic(&ui.ctx().clone());
        self.show(ui);
    }

    /// Draws one whole frame and applies what the screens asked for. Reads state only; the
    /// logic pass ([`Self::logic`]) has run before it.
    pub fn show(&mut self, ui: &mut Ui) {
        if let Some(name) = self.loading() {
            loading_screen(ui, name);
            return;
        }
        let mut cmds = Vec::new();
        let exam_left = if self.screen == Screen::Quiz {
            None
        } else {
            self.state.exam_time_left()
        };

        if let Some(path) = super::packs::dropped_path(ui.ctx()) {
            cmds.push(Command::Go(Screen::Packs));
            cmds.push(Command::Pack(PackAction::Stage(path)));
        }
        if !ui.ctx().egui_wants_keyboard_input() {
            for screen in Screen::ALL.into_iter().filter(|s| self.offers(*s)) {
                let pressed = ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, screen.key()));
                if pressed {
                    cmds.push(Command::Go(screen));
                }
            }
        }

        egui::Panel::top("nav").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new("coldstart").strong());
                ui.separator();
                for screen in Screen::ALL.into_iter().filter(|s| self.offers(*s)) {
                    let key = screen.key().name();
                    let r = ui
                        .selectable_label(self.screen == screen, screen.label())
                        .on_hover_text(format!("{} ({key})", screen.label()));
                    if r.clicked() {
                        cmds.push(Command::Go(screen));
                    }
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if self.studying.is_some() {
                        let r = ui
                            .button(
                                RichText::new("Leave preview").color(theme::accent(ui.visuals())),
                            )
                            .on_hover_text("Back to studying, with your progress as you left it");
                        if r.clicked() {
                            cmds.push(Command::Preview(false));
                        }
                        ui.separator();
                    }
                    if let Some(left) = exam_left {
                        let text = format!("Mock exam: {} left", crate::format::clock(left));
                        let r = ui
                            .button(RichText::new(text).color(theme::warning(ui.visuals())))
                            .on_hover_text("The exam clock is running. Back to the exam (Q)");
                        if r.clicked() {
                            cmds.push(Command::Go(Screen::Quiz));
                        }
                        ui.separator();
                    }
                    // The pack's name takes what room the tabs leave (at a large interface
                    // scale, little) and is elided rather than drawn over them.
                    let meta = &self.state.pack.meta;
                    let name = format!("{} {}", meta.title, meta.version);
                    ui.add(
                        egui::Label::new(
                            RichText::new(name.as_str()).color(theme::muted(ui.visuals())),
                        )
                        .truncate(),
                    )
                    .on_hover_text(name);
                });
            });
        });

        if self.state.not_saving.is_some()
            || !self.state.notices.is_empty()
            || self.state.backup_offer().is_some()
            || !self.pack_errors.lines.is_empty()
        {
            egui::Panel::top("notices").show(ui, |ui| self.banners(ui));
        }

        egui::CentralPanel::default().show(ui, |ui| {
            let state = &mut self.state;
            match self.screen {
                Screen::Dashboard => self.dashboard.ui(ui, state, &mut cmds),
                Screen::Notes => self.notes.ui(ui, state, &mut cmds),
                Screen::Review => self.review.ui(ui, state, &mut cmds),
                Screen::Quiz => self.quiz.ui(ui, state, &mut cmds),
                Screen::Simulators => self.simulators.ui(ui, state, &mut cmds),
                Screen::Progress => self.progress.ui(ui, state, &mut cmds),
                Screen::Packs => self.packs.ui(ui, self.library.as_ref(), &mut cmds),
                Screen::Browse => {
                    if let Some(preview) = &mut self.preview {
                        preview.ui(ui, &state.pack, &mut cmds);
                    }
                }
            }
        });

        for cmd in cmds {
            self.apply(cmd);
        }
    }

    /// Applies a screen's request. Kept apart from drawing so it can be tested without a frame.
    pub fn apply(&mut self, cmd: Command) {
        match cmd {
            Command::Go(Screen::Packs) => {
                if let Some(lib) = &mut self.library {
                    lib.refresh(&self.state);
                }
                self.screen = Screen::Packs;
            }
            Command::Go(screen) if self.offers(screen) => self.screen = screen,
            Command::Go(_) => {}
            Command::OpenSection(section) => {
                self.notes.open(&section.topic, Some(&section.anchor));
                self.screen = Screen::Notes;
            }
            Command::OpenSimulator(kind) if self.state.pack.has_simulator(kind) => {
                self.simulators.open(kind);
                self.screen = Screen::Simulators;
            }
            Command::OpenSimulator(_) => {}
            Command::Drill(section) => self.drill(&section),
            Command::Pack(action) => self.apply_pack(action),
            Command::Preview(on) => self.toggle_preview(on),
        }
    }

    /// Enters or leaves the author's preview. Entering sets the learner's state aside (a running
    /// mock exam's clock stopped and saved) and opens Browse on a fresh in-memory state, so
    /// nothing done while previewing reaches the progress file; leaving brings it back.
    fn toggle_preview(&mut self, on: bool) {
        let switching = self
            .library
            .as_ref()
            .is_some_and(|lib| lib.switching().is_some());
        if on && switching {
            self.state.notify(
                NoticeLevel::Info,
                "The pack you switched to is still being read; preview it once it is open.",
            );
            return;
        }
        if on && self.preview.is_none() {
            let mut preview =
                match AppState::in_memory(self.state.pack.clone(), self.state.clock.clone()) {
                    Ok(s) => s,
                    Err(e) => {
                        self.state
                            .notify(NoticeLevel::Error, format!("Cannot start the preview: {e}"));
                        return;
                    }
                };
            preview.notify(
                NoticeLevel::Info,
                "Preview: nothing you do here is recorded, and no note is marked read. \
                 \"Leave preview\" (top right) takes you back to your own progress.",
            );
            self.state.exam_pause();
            self.studying = Some(std::mem::replace(&mut self.state, preview));
            self.reset_screens();
            self.preview = Some(PreviewScreen::default());
            self.screen = Screen::Browse;
        } else if !on && let Some(studying) = self.studying.take() {
            // The pack may have been reloaded meanwhile: come back to the newest.
            let pack = self.state.pack.clone();
            self.state = studying;
            if !Arc::ptr_eq(&pack, &self.state.pack) {
                self.state.replace_pack(pack);
            }
            self.preview = None;
            self.reset_screens();
            self.screen = Screen::Dashboard;
        }
    }

    /// Every screen's view state afresh (a new pack, or another state behind them).
    fn reset_screens(&mut self) {
        self.dashboard = DashboardScreen::default();
        self.notes = NotesScreen::default();
        self.review = ReviewScreen::default();
        self.quiz = QuizScreen::default();
        self.simulators = SimulatorsScreen::default();
        self.progress = ProgressScreen::default();
    }

    /// The questions of a section (or topic) as practice, its cards first in Review.
    fn drill(&mut self, section: &crate::content::SectionRef) {
        let pack = self.state.pack.clone();
        let cites = |s: &crate::content::SectionRef| {
            s.topic == section.topic && (section.anchor.is_empty() || s.anchor == section.anchor)
        };
        let cards: Vec<usize> = (0..pack.cards.len())
            .filter(|&i| cites(&pack.cards[i].source))
            .collect();
        let questions: Vec<String> = pack
            .questions
            .iter()
            .filter(|q| cites(&q.source))
            .map(|q| q.id.clone())
            .collect();
        let n_cards = cards.len();
        if n_cards > 0 {
            self.state.drill_cards(cards);
        }
        let practising = !questions.is_empty()
            && self.state.quiz.practice.is_none()
            && self.state.start_practice(crate::quiz::PracticeConfig {
                count: questions.len(),
                questions,
                ..Default::default()
            });
        if practising {
            self.screen = Screen::Quiz;
            if n_cards > 0 {
                self.state.notify(
                    NoticeLevel::Info,
                    format!("Its {n_cards} card(s) come first in Review (R) when you are done."),
                );
            }
        } else if n_cards > 0 {
            self.screen = Screen::Review;
        }
    }

    /// Runs a Packs screen action on the library and the state. Switching packs stops live
    /// reload and starts every screen afresh on the new pack.
    fn apply_pack(&mut self, action: PackAction) {
        if self.studying.is_some() && !matches!(action, PackAction::Stage(_) | PackAction::Cancel) {
            self.state.notify(
                NoticeLevel::Info,
                "Leave the preview (top right) before installing, switching or removing packs.",
            );
            return;
        }
        let Some(lib) = &mut self.library else {
            return;
        };
        let before = self.state.pack.clone();
        match action {
            PackAction::Switch(to) => {
                lib.switch(&mut self.state, to);
            }
            PackAction::Stage(path) => lib.stage(&path),
            PackAction::Install { confirmed } => lib.install(&mut self.state, confirmed),
            PackAction::Cancel => lib.cancel(),
            PackAction::Remove {
                id,
                delete_progress,
            } => lib.remove(&mut self.state, &id, delete_progress),
        }
        let switching = lib.switching().is_some();
        if !Arc::ptr_eq(&before, &self.state.pack) {
            self.start_screens_afresh();
        }
        if switching {
            // The switch completes when the pack has been read; live reload stops now.
            self.watcher = None;
            self.pack_errors = PackProblems::default();
        }
    }

    /// After a switch of packs: live reload stops and every screen starts on the new pack.
    fn start_screens_afresh(&mut self) {
        self.watcher = None;
        self.pack_errors = PackProblems::default();
        self.reset_screens();
    }

    /// Collects the pack read at start-up by a thread ([`Self::with_loading`]).
    fn poll_start(&mut self) {
        let Some(StartLoad::Thread(load)) = &self.loading else {
            return;
        };
        let Some(result) = load.poll() else {
            return;
        };
        self.loading = None;
        match result {
            Ok(loaded) => {
                self.state.replace_pack(Arc::new(loaded.pack));
                self.notes.pack_changed();
            }
            Err(e) => self.open_built_in_instead(&e),
        }
    }

    /// The pack to open on could not be read: the built-in pack opens, and a banner says why.
    fn open_built_in_instead(&mut self, why: &str) {
        match crate::content::embedded() {
            Ok(pack) => {
                self.state.replace_pack(Arc::new(pack));
                self.notes.pack_changed();
                self.state.notify(
                    NoticeLevel::Warning,
                    format!("{why}. The built-in pack is open instead."),
                );
            }
            Err(e) => self.state.notify(
                NoticeLevel::Error,
                format!("{why}; the built-in pack could not be opened either: {e}"),
            ),
        }
    }

    fn banners(&mut self, ui: &mut Ui) {
        if let Some(not_saving) = &self.state.not_saving {
            // No Dismiss: it stays true for as long as the window is open.
            let tone = theme::wrong(ui.visuals());
            banner(ui, tone, |ui| {
                ui.label(
                    RichText::new(crate::app::NotSaving::HEADLINE)
                        .color(tone)
                        .strong(),
                );
                ui.label(RichText::new(&not_saving.reason).color(tone));
                ui.label(RichText::new(&not_saving.remedy).color(tone));
            });
        }
        let mut dismissed = None;
        for (i, notice) in self.state.notices.iter().enumerate() {
            let tone = match notice.level {
                NoticeLevel::Info => theme::accent(ui.visuals()),
                NoticeLevel::Warning => theme::warning(ui.visuals()),
                NoticeLevel::Error => theme::wrong(ui.visuals()),
            };
            banner(ui, tone, |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(&notice.text).color(tone));
                    if ui.small_button("Dismiss").clicked() {
                        dismissed = Some(i);
                    }
                });
            });
        }
        if let Some(i) = dismissed {
            self.state.notices.remove(i);
        }
        super::backups::offer_banner(ui, &mut self.state);
        let problems = &self.pack_errors;
        if !problems.lines.is_empty() {
            let errors = problems.errors;
            let warnings = problems.lines.len() - errors;
            let tone = if errors > 0 {
                theme::wrong(ui.visuals())
            } else {
                theme::warning(ui.visuals())
            };
            let headline = pack_headline(errors, warnings, &self.pack_kept);
            banner(ui, tone, |ui| {
                ui.label(RichText::new(headline).color(tone).strong());
                // One line each, laid out only while in view: a pack can have thousands. A line
                // too long for the window is cut short; hovering it shows it whole.
                let row = ui.text_style_height(&egui::TextStyle::Monospace);
                egui::ScrollArea::vertical().max_height(120.0).show_rows(
                    ui,
                    row,
                    problems.lines.len(),
                    |ui, rows| {
                        for line in &problems.lines[rows] {
                            ui.add(egui::Label::new(RichText::new(line).monospace()).truncate());
                        }
                    },
                );
            });
        }
    }

    fn poll_reload(&mut self) {
        let Some(watcher) = &self.watcher else {
            return;
        };
        let first = matches!(self.loading, Some(StartLoad::Watcher(_)));
        let polled = watcher.poll();
        if first && polled.is_some() {
            self.loading = None;
        }
        match polled {
            None => {}
            Some(Err(e)) if first => {
                self.watcher = None;
                self.open_built_in_instead(&format!("Could not read the pack folder: {e}"));
            }
            Some(Err(e)) => self.state.notify(
                NoticeLevel::Error,
                format!("Could not reload the pack: {e}"),
            ),
            Some(Ok(reload)) => {
                self.set_pack_diagnostics(reload.diagnostics);
                self.pack_kept = reload.kept;
                self.state.replace_pack(reload.pack);
                self.notes.pack_changed();
            }
        }
    }
}

impl eframe::App for ColdstartApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        ColdstartApp::logic(self, ctx);
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // Stops and saves a mock exam's clock: it runs only while the app is open.
        self.state.exam_pause();
    }
}

/// The pack banner's first line: how many problems, and what the app shows meanwhile.
fn pack_headline(errors: usize, warnings: usize, kept: &Kept) -> String {
    let count = |n: usize, what: &str| match n {
        1 => format!("1 {what}"),
        n => format!("{n} {what}s"),
    };
    if errors == 0 {
        return format!(
            "This pack has {}: worth fixing, but nothing is missing because of it.",
            count(warnings, "warning")
        );
    }
    let shown = match kept {
        Kept::Nothing => "the app shows what loaded".to_owned(),
        Kept::Files(files) => format!(
            "the app shows the last good version of {}",
            files.join(", ")
        ),
        Kept::WholePack => "the app shows the pack as it last loaded without errors".to_owned(),
    };
    format!(
        "This pack has {}; {shown}. Fix them and save: it reloads by itself.",
        count(errors, "error")
    )
}

/// The window while the pack it opens on is read: one line, centred in the whole window, the
/// same size from the first frame to the last (nothing else is drawn, so nothing moves it).
fn loading_screen(ui: &mut Ui, name: &str) {
    egui::CentralPanel::default().show(ui, |ui| {
        let text = RichText::new(format!("Loading {name}…"))
            .size(16.0)
            .color(theme::muted(ui.visuals()));
        // A fixed box at the centre: a long name is elided, never wrapped onto a second line.
        let rect = egui::Rect::from_center_size(ui.max_rect().center(), egui::vec2(480.0, 32.0));
        ui.put(rect, egui::Label::new(text).truncate());
    });
}

/// A full-width strip tinted with `tone`, for messages about the whole app.
fn banner(ui: &mut Ui, tone: egui::Color32, add: impl FnOnce(&mut Ui)) {
    egui::Frame::new()
        .fill(theme::banner_fill(ui.visuals(), tone))
        .inner_margin(6.0)
        .show(ui, add);
}

/// A pack folder's diagnostics as the banner shows them: errors first, each as one line.
#[derive(Default)]
struct PackProblems {
    errors: usize,
    lines: Vec<String>,
}
