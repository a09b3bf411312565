//! The Packs screen: the built-in pack and every installed one with the learner's progress in
//! each, the active one marked; open another with one click; install from a folder or a `.zip`
//! (a path typed in, or dropped on the window) after a look at what changes; remove with a
//! confirmation that says what progress is kept or lost.
//!
//! The screen holds view state only (the path being typed, which pack is being removed). The
//! library and its cached list live in [`PackLibrary`]; every change goes through a
//! [`PackAction`] the app applies after the frame.

use std::path::PathBuf;

use egui::{RichText, Ui};

use crate::app::library::{PackEntry, PackLibrary};
use crate::library::Active;
use crate::store::PackProgress;

use super::{Command, theme};

/// What the Packs screen asks the app to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackAction {
    /// Open this pack.
    Switch(Active),
    /// Check the pack at this path and show what installing it changes.
    Stage(PathBuf),
    /// Install the checked pack; `confirmed` replaces an older version or another author's.
    Install {
        confirmed: bool,
    },
    /// Forget the checked pack.
    Cancel,
    Remove {
        id: String,
        delete_progress: bool,
    },
}

/// A removal waiting for its confirmation.
struct Removing {
    id: String,
    delete_progress: bool,
}

#[derive(Default)]
pub struct PacksScreen {
    path: String,
    removing: Option<Removing>,
    /// The answer of an open file dialog (it runs on its own thread, so frames go on).
    picking: Option<std::sync::mpsc::Receiver<Option<PathBuf>>>,
    /// The dialog closed without a choice (or no dialog could be shown on this desktop).
    nothing_picked: bool,
}

/// Opens the system's file dialog (the XDG desktop portal on Linux) on a thread of its own.
fn pick(folder: bool) -> std::sync::mpsc::Receiver<Option<PathBuf>> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let dialog = rfd::FileDialog::new().set_title(if folder {
            "Install a pack folder"
        } else {
            "Install a pack zip"
        });
        let picked = if folder {
            dialog.pick_folder()
        } else {
            dialog.add_filter("Pack zip", &["zip"]).pick_file()
        };
        let _ = tx.send(picked);
    });
    rx
}

/// A line saying how much the learner has done in a pack.
pub fn progress_text(p: &PackProgress) -> String {
    if p.is_empty() {
        return "No progress yet".to_owned();
    }
    format!(
        "{} cards studied ({} reviews) · {} quiz answers · {} notes read",
        p.cards_studied, p.reviews, p.quiz_answers, p.notes_read
    )
}

/// The path of a file or folder dropped on the window this frame, if any.
pub fn dropped_path(ctx: &egui::Context) -> Option<PathBuf> {
    ctx.input(|i| i.raw.dropped_files.first().map(|f| f.path().to_owned()))
}

impl PacksScreen {
    pub fn ui(&mut self, ui: &mut Ui, library: Option<&PackLibrary>, cmds: &mut Vec<Command>) {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.add_space(theme::GAP);
            ui.label(theme::heading("Packs"));
            let Some(lib) = library else {
                ui.label(
                    RichText::new(
                        "Progress is not kept in a data folder, so packs cannot be installed. \
                         The open pack is the only one.",
                    )
                    .color(theme::muted(ui.visuals())),
                );
                preview_section(ui, cmds);
                return;
            };
            ui.label(
                RichText::new(
                    "Each pack keeps its own progress. Packs you install are kept in the data folder.",
                )
                .color(theme::muted(ui.visuals())),
            );
            ui.add_space(theme::GAP);
            for entry in &lib.entries {
                self.pack_row(ui, lib, entry, cmds);
                ui.add_space(theme::GAP / 2.0);
            }
            ui.add_space(theme::GAP);
            self.install_section(ui, lib, cmds);
            preview_section(ui, cmds);
        });
    }

    fn pack_row(
        &mut self,
        ui: &mut Ui,
        lib: &PackLibrary,
        entry: &PackEntry,
        cmds: &mut Vec<Command>,
    ) {
        let active = lib.active == entry.choice;
        let muted = theme::muted(ui.visuals());
        egui::Frame::group(ui.style())
            .inner_margin(theme::GAP)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(&entry.title).strong().size(16.0));
                    if active {
                        ui.label(
                            RichText::new("● Open now")
                                .color(theme::accent(ui.visuals()))
                                .strong(),
                        );
                    } else if entry.error.is_none()
                        && ui
                            .button(format!("Open {}", entry.title))
                            .on_hover_text("Study this pack; each pack keeps its own progress")
                            .clicked()
                    {
                        cmds.push(Command::Pack(PackAction::Switch(entry.choice.clone())));
                    }
                });
                let source = match entry.choice {
                    Active::BuiltIn => "built in",
                    Active::Installed(_) => "installed",
                };
                let mut about = format!("{} · {source}", entry.id);
                if !entry.version.is_empty() {
                    about.push_str(&format!(" · version {}", entry.version));
                }
                if !entry.authors.is_empty() {
                    about.push_str(&format!(" · by {}", entry.authors.join(", ")));
                }
                if let Some(l) = &entry.license {
                    about.push_str(&format!(" · licence {l}"));
                }
                ui.label(RichText::new(about).color(muted));
                match &entry.error {
                    Some(e) => {
                        ui.label(
                            RichText::new(format!("Cannot be opened: {e}"))
                                .color(theme::wrong(ui.visuals())),
                        );
                    }
                    None => {
                        ui.label(format!(
                            "{} topics · {} cards · {} questions",
                            entry.topics, entry.cards, entry.questions
                        ));
                    }
                }
                ui.label(progress_text(&entry.progress));
                if let Active::Installed(id) = &entry.choice {
                    // An installed copy of the built-in pack shares its id, so its progress.
                    let shared = lib
                        .entries
                        .iter()
                        .any(|e| e.choice == Active::BuiltIn && e.id == *id);
                    self.remove_controls(ui, entry, id, shared, cmds);
                }
            });
    }

    fn remove_controls(
        &mut self,
        ui: &mut Ui,
        entry: &PackEntry,
        id: &str,
        shared: bool,
        cmds: &mut Vec<Command>,
    ) {
        let confirming = self.removing.as_ref().is_some_and(|r| r.id == id);
        if !confirming {
            if ui.button(format!("Remove {}…", entry.title)).clicked() {
                self.removing = Some(Removing {
                    id: id.to_owned(),
                    delete_progress: false,
                });
            }
            return;
        }
        let tone = theme::warning(ui.visuals());
        ui.separator();
        let text = if entry.progress.is_empty() {
            format!(
                "Remove {}? Its files go; you have no progress on it.",
                entry.title
            )
        } else {
            format!(
                "Remove {}? Its files go. Your progress stays unless you tick the box, and comes back if you install it again.",
                entry.title
            )
        };
        ui.label(RichText::new(text).color(tone));
        let mut cancel = false;
        if let Some(r) = &mut self.removing {
            if !entry.progress.is_empty() {
                let mut label = format!(
                    "Also delete my progress on it: {}",
                    progress_text(&entry.progress)
                );
                if shared {
                    label.push_str(" (shared with the built-in pack of the same id)");
                }
                ui.checkbox(&mut r.delete_progress, label);
                if r.delete_progress {
                    ui.label(
                        RichText::new(
                            "Deleted progress cannot be brought back except from a backup of the data folder.",
                        )
                        .color(theme::wrong(ui.visuals())),
                    );
                }
            }
            ui.horizontal(|ui| {
                let text = if r.delete_progress {
                    "Remove pack and progress"
                } else {
                    "Remove pack"
                };
                if ui.button(text).clicked() {
                    cmds.push(Command::Pack(PackAction::Remove {
                        id: id.to_owned(),
                        delete_progress: r.delete_progress,
                    }));
                    cancel = true;
                }
                if ui.button("Cancel").clicked() {
                    cancel = true;
                }
            });
        }
        if cancel {
            self.removing = None;
        }
    }

    fn install_section(&mut self, ui: &mut Ui, lib: &PackLibrary, cmds: &mut Vec<Command>) {
        ui.label(RichText::new("Install a pack").strong().size(16.0));
        ui.label(
            RichText::new(
                "From a pack folder or a .zip an instructor gave you: choose it, type its path, or drop it on \
                 the window. It is checked before anything is installed.",
            )
            .color(theme::muted(ui.visuals())),
        );
        if let Some(rx) = &self.picking {
            match rx.try_recv() {
                Ok(Some(path)) => {
                    self.path = path.display().to_string();
                    cmds.push(Command::Pack(PackAction::Stage(path)));
                    self.picking = None;
                    self.nothing_picked = false;
                }
                Ok(None) | Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    self.picking = None;
                    self.nothing_picked = true;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {
                    ui.ctx()
                        .request_repaint_after(std::time::Duration::from_millis(200));
                }
            }
        }
        ui.horizontal(|ui| {
            let idle = self.picking.is_none();
            if ui
                .add_enabled(idle, egui::Button::new("Choose a .zip…"))
                .clicked()
            {
                self.picking = Some(pick(false));
            }
            if ui
                .add_enabled(idle, egui::Button::new("Choose a folder…"))
                .clicked()
            {
                self.picking = Some(pick(true));
            }
            if !idle {
                ui.label(
                    RichText::new("Waiting for the file dialog…").color(theme::muted(ui.visuals())),
                );
            }
        });
        ui.horizontal(|ui| {
            let r = ui.add(
                egui::TextEdit::singleline(&mut self.path)
                    .hint_text("/path/to/pack.zip or /path/to/pack-folder")
                    .desired_width(ui.available_width().min(520.0)),
            );
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let path = self.path.trim();
            if (ui
                .add_enabled(!path.is_empty(), egui::Button::new("Check and install…"))
                .clicked()
                || enter)
                && !path.is_empty()
            {
                cmds.push(Command::Pack(PackAction::Stage(PathBuf::from(path))));
            }
        });

        if lib.checking() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Checking the pack…");
            });
        }
        if let Some(refusal) = &lib.refusal {
            let tone = theme::wrong(ui.visuals());
            ui.add_space(theme::GAP / 2.0);
            ui.label(RichText::new(format!("Not installed: {}", refusal.message)).color(tone));
            if !refusal.diagnostics.is_empty() {
                egui::ScrollArea::vertical()
                    .id_salt("refusal")
                    .max_height(160.0)
                    .show(ui, |ui| {
                        for d in &refusal.diagnostics {
                            ui.label(RichText::new(d).monospace());
                        }
                    });
            }
        }

        if let Some(staged) = &lib.staged {
            ui.add_space(theme::GAP / 2.0);
            egui::Frame::group(ui.style())
                .inner_margin(theme::GAP)
                .show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    let m = &staged.pack.meta;
                    ui.label(
                        RichText::new(format!("{} {} passed the check", m.title, m.version))
                            .strong(),
                    );
                    match &staged.replaces {
                        None => {
                            ui.label(format!(
                                "New pack: {} topics, {} cards, {} questions.",
                                staged.pack.topics.len(),
                                staged.pack.cards.len(),
                                staged.pack.questions.len()
                            ));
                        }
                        Some(r) => {
                            ui.label(format!(
                                "Replaces the installed version {}. Items added: {}, removed: {}, changed: {}. Your progress is kept by item; on removed items it is kept but not shown.",
                                r.version,
                                r.diff.added.len(),
                                r.diff.removed.len(),
                                r.diff.changed.len()
                            ));
                            egui::CollapsingHeader::new("What changes")
                                .id_salt("diff")
                                .show(ui, |ui| {
                                    for (sign, ids) in [
                                        ("added", &r.diff.added),
                                        ("removed", &r.diff.removed),
                                        ("changed", &r.diff.changed),
                                    ] {
                                        for id in ids {
                                            ui.label(RichText::new(format!("{sign}: {id}")).monospace());
                                        }
                                    }
                                });
                        }
                    }
                    if !staged.ignored.is_empty() {
                        ui.label(
                            RichText::new(format!(
                                "{} files that are not pack files are left out.",
                                staged.ignored.len()
                            ))
                            .color(theme::muted(ui.visuals())),
                        );
                    }
                    let why = staged.needs_confirmation();
                    for w in &why {
                        ui.label(
                            RichText::new(format!("Careful: {w}."))
                                .color(theme::warning(ui.visuals())),
                        );
                    }
                    ui.horizontal(|ui| {
                        let (text, confirmed) = if why.is_empty() {
                            ("Install", false)
                        } else {
                            ("Replace anyway", true)
                        };
                        if ui.button(text).clicked() {
                            cmds.push(Command::Pack(PackAction::Install { confirmed }));
                            self.path.clear();
                        }
                        if ui.button("Cancel").clicked() {
                            cmds.push(Command::Pack(PackAction::Cancel));
                        }
                    });
                });
        }
    }
}

/// For the pack's author: browse the open pack without studying it.
fn preview_section(ui: &mut Ui, cmds: &mut Vec<Command>) {
    ui.add_space(theme::GAP);
    ui.label(RichText::new("Preview as its author").strong().size(16.0));
    ui.label(
        RichText::new(
            "Browse every card (front and back) and every question (key and whys) of the open \
             pack by topic and section. Nothing you do while previewing is recorded, and no \
             note is marked read; your progress is as you left it when you come back.",
        )
        .color(theme::muted(ui.visuals())),
    );
    if ui.button("Preview this pack").clicked() {
        cmds.push(Command::Preview(true));
    }
}
