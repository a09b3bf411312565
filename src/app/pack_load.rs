//! A pack folder read and checked on a thread of its own, so the window opens (on a "Loading…"
//! state) before a large pack has been parsed: at start-up on an installed pack, and when the
//! Packs screen switches to one. `--pack DIR` gets its first read from the watcher instead
//! ([`super::watch::PackWatcher::start_reading`]). The frame loop only polls the channel.

use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError, channel};
use std::time::Duration;

use crate::content::{self, Diagnostic, Pack};
use crate::library::Library;

/// What a finished read gives: the pack, and the diagnostics of its folder (errors and warnings;
/// an installed pack is read only if it has no errors).
#[derive(Clone, Debug)]
pub struct Loaded {
    pub pack: Pack,
    pub diagnostics: Vec<Diagnostic>,
}

/// A read under way.
pub struct PackLoad {
    /// What the window says it is loading: the folder's name, or the installed pack's id.
    pub name: String,
    rx: Receiver<Result<Loaded, String>>,
}

impl PackLoad {
    /// Runs `read` on a new thread.
    pub fn spawn(
        name: impl Into<String>,
        read: impl FnOnce() -> Result<Loaded, String> + Send + 'static,
    ) -> Self {
        let (tx, rx) = channel();
        // Without a thread, `tx` is dropped with the closure and `poll` says the read stopped.
        let _ = std::thread::Builder::new()
            .name("pack-load".into())
            .spawn(move || {
                let _ = tx.send(read());
                crate::memory::release_freed();
            });
        Self {
            name: name.into(),
            rx,
        }
    }

    /// Reads the pack folder `dir` as `coldstart check` does: the pack with every diagnostic.
    pub fn folder(dir: &Path) -> Self {
        let dir = dir.to_owned();
        let name = folder_name(&dir);
        Self::spawn(name, move || {
            content::load_dir(&dir)
                .map(|r| Loaded {
                    pack: r.pack,
                    diagnostics: r.diagnostics,
                })
                .map_err(|e| format!("cannot read pack folder {}: {e}", dir.display()))
        })
    }

    /// Opens the installed pack `id` ([`Library::open`]: refused if it has errors).
    pub fn installed(library: &Library, id: &str) -> Self {
        let (library, id_owned) = (library.clone(), id.to_owned());
        Self::spawn(id, move || {
            library
                .open(&id_owned)
                .map(|pack| Loaded {
                    pack,
                    diagnostics: Vec::new(),
                })
                .map_err(|e| e.to_string())
        })
    }

    /// The result, once the thread is done; `None` while it reads.
    pub fn poll(&self) -> Option<Result<Loaded, String>> {
        match self.rx.try_recv() {
            Ok(r) => Some(r),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                Some(Err("the thread reading the pack stopped".to_owned()))
            }
        }
    }

    /// Waits at most `limit` for the result (tests and tools; never the frame loop).
    pub fn wait(&self, limit: Duration) -> Option<Result<Loaded, String>> {
        match self.rx.recv_timeout(limit) {
            Ok(r) => Some(r),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => {
                Some(Err("the thread reading the pack stopped".to_owned()))
            }
        }
    }
}

/// The last part of a pack folder's path, as the loading state names it.
pub fn folder_name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| dir.display().to_string())
}
