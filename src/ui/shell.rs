//! The eframe app: top navigation, banners, the current screen, and command handling.

use std::sync::Arc;

use egui::{RichText, Ui};

use crate::app::watch::PackWatcher;
use crate::app::{AppState, NoticeLevel};
use crate::content::Diagnostic;

use super::dashboard::DashboardScreen;
use super::notes::NotesScreen;
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
    watcher: Option<PackWatcher>,
    /// Errors of the pack as last loaded from its folder; shown until fixed.
    pack_errors: Vec<Diagnostic>,
    fonts_installed: bool,
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
            watcher: None,
            pack_errors: Vec::new(),
            fonts_installed: false,
        }
    }

    /// Live preview: reload the pack whenever its folder changes. `errors` are the errors of the
    /// pack as first loaded.
    pub fn with_watcher(mut self, watcher: PackWatcher, errors: Vec<Diagnostic>) -> Self {
        self.watcher = Some(watcher);
        self.pack_errors = errors;
        self
    }

    /// The logic pass eframe runs before every frame and, while the window is hidden, on its
    /// own: installs the fonts once, picks up a reloaded pack, and runs [`AppState::tick`] (the
    /// exam clock keeps being saved and submits at time-up even when minimised).
    pub fn logic(&mut self, ctx: &egui::Context) {
        if !self.fonts_installed {
            theme::install_fonts(ctx);
            self.fonts_installed = true;
        }
        self.poll_reload();
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
        let mut cmds = Vec::new();
        let exam_left = if self.screen == Screen::Quiz {
            None
        } else {
            self.state.exam_time_left()
        };

        if !ui.ctx().egui_wants_keyboard_input() {
            for screen in Screen::ALL {
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
                for screen in Screen::ALL {
                    let key = screen.key().name();
                    let r = ui
                        .selectable_label(self.screen == screen, screen.label())
                        .on_hover_text(format!("{} ({key})", screen.label()));
                    if r.clicked() {
                        cmds.push(Command::Go(screen));
                    }
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if let Some(left) = exam_left {
                        let text = format!("Mock exam: {} left", super::quiz::clock(left));
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
            || !self.pack_errors.is_empty()
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
            }
        });

        for cmd in cmds {
            self.apply(cmd);
        }
    }

    /// Applies a screen's request. Kept apart from drawing so it can be tested without a frame.
    pub fn apply(&mut self, cmd: Command) {
        match cmd {
            Command::Go(screen) => self.screen = screen,
            Command::OpenSection(section) => {
                self.notes.open(&section.topic, Some(&section.anchor));
                self.screen = Screen::Notes;
            }
            Command::OpenSimulator(name) => {
                self.simulators.open(&name);
                self.screen = Screen::Simulators;
            }
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
        if !self.pack_errors.is_empty() {
            let tone = theme::wrong(ui.visuals());
            banner(ui, tone, |ui| {
                ui.label(
                        RichText::new(format!(
                            "This pack has {} error(s); the app shows what loaded. Fix them and save: it reloads by itself.",
                            self.pack_errors.len()
                        ))
                        .color(tone)
                        .strong(),
                    );
                egui::ScrollArea::vertical()
                    .max_height(120.0)
                    .show(ui, |ui| {
                        for d in &self.pack_errors {
                            ui.label(RichText::new(d.to_string()).monospace());
                        }
                    });
            });
        }
    }

    fn poll_reload(&mut self) {
        let Some(watcher) = &self.watcher else {
            return;
        };
        match watcher.poll() {
            None => {}
            Some(Err(e)) => self.state.notify(
                NoticeLevel::Error,
                format!("Could not reload the pack: {e}"),
            ),
            Some(Ok(report)) => {
                self.pack_errors = report
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == crate::content::Severity::Error)
                    .cloned()
                    .collect();
                self.state.replace_pack(Arc::new(report.pack));
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

/// A full-width strip tinted with `tone`, for messages about the whole app.
fn banner(ui: &mut Ui, tone: egui::Color32, add: impl FnOnce(&mut Ui)) {
    egui::Frame::new()
        .fill(theme::banner_fill(ui.visuals(), tone))
        .inner_margin(6.0)
        .show(ui, add);
}
