//! The pack library as the app uses it: the list the Packs screen draws (built-in and installed
//! packs with the learner's progress in each, read once per change, not per frame), switching
//! the open pack, installing with a look at what changes first, and removing.

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};

use crate::content::{self, Pack};
use crate::library::{Active, Library, LibraryError, Staged};
use crate::store::PackProgress;

use super::pack_load::{Loaded, PackLoad};
use super::{AppState, NoticeLevel};

/// One pack on the Packs screen.
#[derive(Clone, Debug)]
pub struct PackEntry {
    pub choice: Active,
    pub id: String,
    pub title: String,
    pub version: String,
    pub authors: Vec<String>,
    pub license: Option<String>,
    pub topics: usize,
    pub cards: usize,
    pub questions: usize,
    pub progress: PackProgress,
    /// Why an installed pack cannot be opened (its files changed on disk).
    pub error: Option<String>,
}

impl PackEntry {
    fn new(choice: Active, id: &str, pack: Result<&Pack, &String>, state: &AppState) -> Self {
        let progress = state.store.pack_progress(id).unwrap_or_default();
        let mut e = PackEntry {
            choice,
            id: id.to_owned(),
            title: id.to_owned(),
            version: String::new(),
            authors: Vec::new(),
            license: None,
            topics: 0,
            cards: 0,
            questions: 0,
            progress,
            error: None,
        };
        match pack {
            Ok(p) => {
                e.title = p.meta.title.clone();
                e.version = p.meta.version.clone();
                e.authors = p.meta.authors.clone();
                e.license = p.meta.license.clone();
                e.topics = p.topics.len();
                e.cards = p.cards.len();
                e.questions = p.questions.len();
            }
            Err(err) => e.error = Some(err.clone()),
        }
        e
    }
}

/// Why an install was refused, for the screen to show.
#[derive(Clone, Debug)]
pub struct Refusal {
    pub message: String,
    /// The pack's errors, `file:line:col` first.
    pub diagnostics: Vec<String>,
}

/// The library of the data folder, with what the Packs screen shows.
pub struct PackLibrary {
    pub library: Library,
    pub entries: Vec<PackEntry>,
    pub active: Active,
    /// A pack checked and waiting for the learner to confirm the install.
    pub staged: Option<Staged>,
    /// The last install that was refused.
    pub refusal: Option<Refusal>,
    /// Reading the list, and checking a pack to install, run on threads of their own (a pack
    /// can take a while to read); [`Self::poll`] collects them.
    listing: Option<Receiver<Listing>>,
    staging: Option<Receiver<Result<Staged, LibraryError>>>,
    /// An installed pack being read to switch to (the window shows "Loading…" meanwhile).
    switching: Option<(Active, PackLoad)>,
    /// The new version of the open pack, just installed, read on a thread: the old version
    /// stays on screen until it arrives.
    updating: Option<PackLoad>,
    /// A switch finished since [`Self::take_switched`] was last asked: the screens start afresh.
    switched: bool,
}

/// What the listing thread reads: the built-in pack and the installed ones.
struct Listing {
    builtin: Result<Pack, String>,
    installed: Result<Vec<crate::library::Installed>, LibraryError>,
}

impl PackLibrary {
    pub fn new(library: Library) -> Self {
        let active = library.active();
        PackLibrary {
            library,
            entries: Vec::new(),
            active,
            staged: None,
            refusal: None,
            listing: None,
            staging: None,
            switching: None,
            updating: None,
            switched: false,
        }
    }

    /// Whether a pack to install is being checked.
    pub fn checking(&self) -> bool {
        self.staging.is_some()
    }

    /// Whether a list, a check or a pack to switch to is being read.
    pub fn busy(&self) -> bool {
        self.listing.is_some()
            || self.staging.is_some()
            || self.switching.is_some()
            || self.updating.is_some()
    }

    /// The pack being read to switch to, by id, while it is read.
    pub fn switching(&self) -> Option<&str> {
        self.switching.as_ref().map(|(_, load)| load.name.as_str())
    }

    /// Whether a switch finished since the last call (the window then starts every screen
    /// afresh on the new pack).
    pub fn take_switched(&mut self) -> bool {
        std::mem::take(&mut self.switched)
    }

    /// Collects what the threads read, if they are done (every frame, from the logic pass).
    pub fn poll(&mut self, state: &mut AppState) {
        if let Some((_, load)) = &self.switching
            && let Some(result) = load.poll()
            && let Some((to, _)) = self.switching.take()
        {
            self.switched_to(state, to, result);
        }
        if let Some(result) = self.updating.as_ref().and_then(PackLoad::poll) {
            self.updating = None;
            self.updated(state, result);
        }
        if let Some(rx) = &self.listing {
            match rx.try_recv() {
                Ok(listing) => {
                    self.listing = None;
                    self.apply_listing(listing, state);
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => self.listing = None,
            }
        }
        if let Some(rx) = &self.staging {
            match rx.try_recv() {
                Ok(result) => {
                    self.staging = None;
                    self.apply_staged(result);
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => self.staging = None,
            }
        }
    }

    /// Waits for the threads (tests, which must not depend on how fast a thread runs; a pack
    /// to switch to is waited for at most a minute).
    pub fn wait(&mut self, state: &mut AppState) {
        if let Some((to, load)) = self.switching.take() {
            match load.wait(std::time::Duration::from_secs(60)) {
                Some(result) => self.switched_to(state, to, result),
                None => self.switching = Some((to, load)),
            }
        }
        if let Some(load) = self.updating.take() {
            match load.wait(std::time::Duration::from_secs(60)) {
                Some(result) => self.updated(state, result),
                None => self.updating = Some(load),
            }
        }
        if let Some(rx) = self.listing.take()
            && let Ok(listing) = rx.recv()
        {
            self.apply_listing(listing, state);
        }
        if let Some(rx) = self.staging.take()
            && let Ok(result) = rx.recv()
        {
            self.apply_staged(result);
        }
    }

    fn apply_listing(&mut self, listing: Listing, state: &AppState) {
        let mut entries = Vec::new();
        let id = listing
            .builtin
            .as_ref()
            .map(|p| p.meta.id.clone())
            .unwrap_or_default();
        entries.push(PackEntry::new(
            Active::BuiltIn,
            &id,
            listing.builtin.as_ref(),
            state,
        ));
        match listing.installed {
            Ok(list) => {
                for i in list {
                    let choice = Active::Installed(i.id.clone());
                    entries.push(PackEntry::new(choice, &i.id, i.pack.as_ref(), state));
                }
            }
            Err(e) => self.refusal = Some(refusal(&e)),
        }
        self.entries = entries;
    }

    fn apply_staged(&mut self, result: Result<Staged, LibraryError>) {
        match result {
            Ok(s) => self.staged = Some(s),
            Err(e) => self.refusal = Some(refusal(&e)),
        }
    }

    /// Reads the library again (on a thread) and the progress in each pack (when it is back):
    /// after a change, or when the Packs screen opens.
    pub fn refresh(&mut self, _state: &AppState) {
        self.active = self.library.active();
        let library = self.library.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(Listing {
                builtin: content::embedded().map_err(|e| e.to_string()),
                installed: library.list(),
            });
        });
        self.listing = Some(rx);
    }

    /// Opens another pack: the state re-reads the learner's progress on it. Refused while a mock
    /// exam's clock runs; a practice session or a finished exam is closed first. The built-in
    /// pack needs parsing only and opens at once; an installed one is read on a thread
    /// ([`PackLoad`]), and the switch completes when [`Self::poll`] collects it (the window
    /// shows "Loading…" meanwhile). False when refused at once.
    pub fn switch(&mut self, state: &mut AppState, to: Active) -> bool {
        if state.exam_time_left().is_some() {
            state.notify(
                NoticeLevel::Warning,
                "A mock exam is running: submit it or leave it for later (Quiz screen) before switching packs.",
            );
            return false;
        }
        self.updating = None;
        match &to {
            Active::BuiltIn => {
                let pack = content::embedded().map_err(|e| e.to_string());
                let ok = pack.is_ok();
                self.switched_to(
                    state,
                    to,
                    pack.map(|pack| Loaded {
                        pack,
                        diagnostics: Vec::new(),
                    }),
                );
                ok
            }
            Active::Installed(id) => {
                let load = PackLoad::installed(&self.library, id);
                self.switching = Some((to, load));
                true
            }
        }
    }

    /// Completes a switch with the pack read for it.
    fn switched_to(&mut self, state: &mut AppState, to: Active, pack: Result<Loaded, String>) {
        let pack = match pack {
            Ok(l) => l.pack,
            Err(e) => {
                state.notify(NoticeLevel::Error, format!("Could not open the pack: {e}"));
                return;
            }
        };
        if state.quiz.practice.is_some() {
            state.practice_end();
            state.practice_close();
        }
        state.exam_close();
        let title = pack.meta.title.clone();
        state.replace_pack(Arc::new(pack));
        if let Err(e) = self.library.set_active(&to) {
            state.notify(
                NoticeLevel::Warning,
                format!("Switched, but the choice could not be remembered: {e}"),
            );
        }
        state.notify(NoticeLevel::Info, format!("Now studying {title}."));
        self.switched = true;
        self.refresh(state);
    }

    /// Copies or unpacks the pack at `path` and checks it; the screen then shows what installing
    /// it would change ([`Self::staged`]) or why it is refused ([`Self::refusal`]).
    pub fn stage(&mut self, path: &Path) {
        self.staged = None;
        self.refusal = None;
        let (library, path) = (self.library.clone(), path.to_owned());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(library.stage(&path));
        });
        self.staging = Some(rx);
    }

    /// Drops the staged pack: nothing is installed.
    pub fn cancel(&mut self) {
        self.staged = None;
    }

    /// Installs the staged pack. `confirmed`: the learner agreed to replace a newer version or
    /// another author's pack. If the pack is the one open, its new version is read on a thread
    /// and replaces it when [`Self::poll`] collects it.
    pub fn install(&mut self, state: &mut AppState, confirmed: bool) {
        let Some(staged) = self.staged.take() else {
            return;
        };
        let id = staged.pack.meta.id.clone();
        let title = staged.pack.meta.title.clone();
        match self.library.commit(staged, confirmed) {
            Ok(_) => {
                state.notify(NoticeLevel::Info, format!("Installed {title}."));
                if self.active == Active::Installed(id.clone()) {
                    self.updating = Some(PackLoad::installed(&self.library, &id));
                }
            }
            Err(e) => self.refusal = Some(refusal(&e)),
        }
        self.refresh(state);
    }

    /// Puts the new version of the open pack in place, once read.
    fn updated(&mut self, state: &mut AppState, result: Result<Loaded, String>) {
        match result {
            // Unless the learner has switched to another pack meanwhile.
            Ok(l) if l.pack.meta.id == state.pack.meta.id => state.replace_pack(Arc::new(l.pack)),
            Ok(_) => {}
            Err(e) => state.notify(
                NoticeLevel::Error,
                format!("Installed, but the new version could not be opened: {e}"),
            ),
        }
    }

    /// Removes an installed pack's files (the built-in pack opens if it was the active one) and,
    /// if asked, the learner's progress on it.
    pub fn remove(&mut self, state: &mut AppState, id: &str, delete_progress: bool) {
        if self.active == Active::Installed(id.to_owned()) && !self.switch(state, Active::BuiltIn) {
            return;
        }
        if let Err(e) = self.library.remove(id) {
            state.notify(NoticeLevel::Error, format!("Could not remove {id}: {e}"));
            self.refresh(state);
            return;
        }
        let mut text = format!("Removed {id}.");
        if delete_progress {
            match state.store.delete_pack_progress(id) {
                Ok(_) => text.push_str(" Its progress was deleted."),
                Err(e) => state.report("delete the pack's progress", &e),
            }
            if state.pack.meta.id == id {
                // The built-in pack shares the id: its progress went too.
                let pack = state.pack.clone();
                state.replace_pack(pack);
            }
        } else {
            text.push_str(
                " Your progress on it is kept: reinstall it to pick up where you left off.",
            );
        }
        state.notify(NoticeLevel::Info, text);
        self.refresh(state);
    }
}

fn refusal(e: &LibraryError) -> Refusal {
    Refusal {
        message: e.to_string(),
        diagnostics: match e {
            LibraryError::Invalid(d) => d.iter().map(ToString::to_string).collect(),
            _ => Vec::new(),
        },
    }
}
