//! Live preview for authors: watches a pack folder and reloads it off the UI thread.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use crate::content::{self, Report};

/// Reloads arrive here; the frame loop only polls the channel.
pub struct PackWatcher {
    _watcher: notify::RecommendedWatcher,
    reports: Receiver<Result<Report, String>>,
}

impl PackWatcher {
    /// Starts watching `dir`. `wake` is called after each reload so the UI can repaint.
    pub fn start(dir: &Path, wake: impl Fn() + Send + 'static) -> notify::Result<Self> {
        let (events_tx, events_rx) = channel::<()>();
        let (reports_tx, reports) = channel();
        let mut watcher =
            notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
                if res.is_ok_and(|e| !e.kind.is_access()) {
                    let _ = events_tx.send(());
                }
            })?;
        watcher.watch(dir, RecursiveMode::Recursive)?;
        let dir: PathBuf = dir.to_owned();
        std::thread::Builder::new()
            .name("pack-reload".into())
            .spawn(move || {
                while events_rx.recv().is_ok() {
                    // Editors save in bursts: wait for the folder to settle, then load once.
                    std::thread::sleep(Duration::from_millis(150));
                    while events_rx.try_recv().is_ok() {}
                    let report = content::load_dir(&dir).map_err(|e| e.to_string());
                    if reports_tx.send(report).is_err() {
                        break;
                    }
                    wake();
                }
            })
            .map_err(|e| notify::Error::generic(&e.to_string()))?;
        Ok(Self {
            _watcher: watcher,
            reports,
        })
    }

    /// The newest reload since the last call, if any.
    pub fn poll(&self) -> Option<Result<Report, String>> {
        self.reports.try_iter().last()
    }
}
