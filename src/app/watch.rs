//! Live preview for authors: watches a pack folder and reloads it off the UI thread, keeping
//! the last good version of each file that a save broke.
//!
//! An author saves mid-edit all the time. A file that no longer checks must not empty the app
//! (a broken `pack.toml` would lose every topic): [`LastGood`] shows that file's last version
//! that checked, mixed with the files that still check, and reports the diagnostics of the
//! files as saved, so the banner says what to fix while the screens keep working.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use crate::content::{self, Diagnostic, FolderRead, Pack, PackFile, Severity, UNREADABLE};

/// How many times live reload widens the set of files it swaps for their last good version
/// before it falls back to the whole last good pack.
const MIX_ROUNDS: usize = 4;

/// One reload: the pack to show and what is wrong with the folder as saved.
#[derive(Clone, Debug)]
pub struct Reload {
    /// The pack to show: the folder as saved when it checks, otherwise the files that check
    /// mixed with the last good version of the others (see [`LastGood::reload`]).
    pub pack: Arc<Pack>,
    /// Every diagnostic of the folder as saved, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// What is shown instead of the files as saved.
    pub kept: Kept,
}

impl Reload {
    /// Errors in the folder as saved, the ones that follow from an unreadable file included.
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
}

/// Which last good versions a reload shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Kept {
    /// Nothing: the folder as saved checks (or nothing ever did, and the app shows what loaded).
    #[default]
    Nothing,
    /// The last good version of these files (paths in the pack), the rest as saved.
    Files(Vec<String>),
    /// The whole last good pack: the broken files' last good versions did not fit the rest.
    WholePack,
}

/// The last version of each file that was part of a pack without errors, and that pack.
#[derive(Default)]
pub struct LastGood {
    /// Deflated: live reload keeps every file of the pack, and pack text deflates to under a
    /// third of its size.
    files: HashMap<String, Stored>,
    /// Good files not stored yet: [`LastGood::settle`] deflates them once the reload has gone
    /// out, so the author does not wait for it.
    pending: Option<Pending>,
    /// Shared with the window, not copied: a large pack is tens of MB.
    pack: Option<Arc<Pack>>,
}

/// A file's last good version.
struct Stored {
    /// Of the file's bytes, so a reload deflates only the files that changed.
    hash: u64,
    deflated: Box<[u8]>,
}

/// Files a reload found good, to be stored.
struct Pending {
    files: Vec<PackFile>,
    /// The whole folder checked: these are all the good files there are, and the last good
    /// versions of files that are gone are forgotten.
    whole: bool,
}

impl LastGood {
    /// Checks the folder as read and decides what to show.
    ///
    /// 1. The folder checks: show it, and remember every file as good.
    /// 2. Otherwise each file with an error is replaced by its last good version (left out if
    ///    it never had one), in place, so the pack keeps its order. If that mix checks, show
    ///    it and remember the files that were not replaced as good.
    /// 3. Otherwise show the last good pack as it was; with none, what loaded.
    ///
    /// The diagnostics are always those of the folder as saved.
    pub fn reload(&mut self, read: FolderRead) -> Reload {
        self.settle();
        let saved = content::load_read(&read);
        if saved.errors() == 0 {
            self.pending = Some(Pending {
                files: read.files,
                whole: true,
            });
            let pack = Arc::new(saved.pack);
            self.pack = Some(pack.clone());
            return Reload {
                pack,
                diagnostics: saved.diagnostics,
                kept: Kept::Nothing,
            };
        }
        // Replace the files that cannot be read first (a TOML syntax error makes every file
        // that names its topics wrong too), then whatever still has errors, a few rounds at
        // most. A broken file without a good version (a new one) is left out. The swaps only
        // grow from round to round, so they are made in place.
        let with_errors = |diags: &[Diagnostic], unreadable_only: bool| -> BTreeSet<String> {
            diags
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .filter(|d| !unreadable_only || UNREADABLE.contains(&d.code))
                .map(|d| d.file.clone())
                .collect()
        };
        let mut swap = with_errors(&saved.diagnostics, true);
        if swap.is_empty() {
            swap = with_errors(&saved.diagnostics, false);
        }
        let mut mix = FolderRead {
            files: read.files,
            problems: Vec::new(),
        };
        let mut swapped: BTreeSet<String> = BTreeSet::new();
        let mut kept = Vec::new();
        for _ in 0..MIX_ROUNDS {
            let mut files = Vec::with_capacity(mix.files.len());
            for f in std::mem::take(&mut mix.files) {
                if !swap.contains(&f.path) || swapped.contains(&f.path) {
                    files.push(f);
                } else if let Some(good) = self.good(&f.path) {
                    kept.push(f.path.clone());
                    files.push(good);
                }
            }
            // A broken file the folder read refused (too large, not a regular file) is not
            // among the files read; its last good version joins at the end.
            for path in &swap {
                if !swapped.contains(path)
                    && !files.iter().any(|f| f.path == *path)
                    && let Some(good) = self.good(path)
                {
                    kept.push(path.clone());
                    files.push(good);
                }
            }
            swapped.extend(swap.iter().cloned());
            mix.files = files;
            let checked = content::load_read(&mix);
            if checked.errors() == 0 {
                self.pending = Some(Pending {
                    files: mix.files,
                    whole: false,
                });
                let pack = Arc::new(checked.pack);
                self.pack = Some(pack.clone());
                return Reload {
                    pack,
                    diagnostics: saved.diagnostics,
                    kept: if kept.is_empty() {
                        Kept::Nothing
                    } else {
                        Kept::Files(kept)
                    },
                };
            }
            let before = swap.len();
            swap.extend(with_errors(&checked.diagnostics, false));
            if swap.len() == before {
                break;
            }
        }
        match &self.pack {
            Some(pack) => Reload {
                pack: pack.clone(),
                diagnostics: saved.diagnostics,
                kept: Kept::WholePack,
            },
            None => Reload {
                pack: Arc::new(saved.pack),
                diagnostics: saved.diagnostics,
                kept: Kept::Nothing,
            },
        }
    }

    /// Stores the good files of the last reload, deflating those that changed. [`Self::reload`]
    /// does it first; call it after sending a reload, so the files do not wait in memory whole.
    pub fn settle(&mut self) {
        let Some(Pending { files, whole }) = self.pending.take() else {
            return;
        };
        let mut stored = if whole {
            HashMap::with_capacity(files.len())
        } else {
            std::mem::take(&mut self.files)
        };
        for f in files {
            let hash = hash(&f.bytes);
            let same = self.files.remove(&f.path).filter(|s| s.hash == hash);
            let deflated = match same {
                Some(s) => s.deflated,
                None => miniz_oxide::deflate::compress_to_vec(&f.bytes, DEFLATE_LEVEL)
                    .into_boxed_slice(),
            };
            stored.insert(f.path, Stored { hash, deflated });
        }
        self.files = stored;
    }

    /// The last good version of the file at `path`, if it has one.
    fn good(&self, path: &str) -> Option<PackFile> {
        let stored = self.files.get(path)?;
        // Deflated here from bytes that were read under the folder's size limit.
        let bytes = miniz_oxide::inflate::decompress_to_vec(&stored.deflated).ok()?;
        Some(PackFile {
            path: path.to_owned(),
            bytes: Cow::Owned(bytes),
        })
    }
}

/// Pack text deflates to about 28 % at this level, in about 15 ms per MB; higher levels
/// gain little more.
const DEFLATE_LEVEL: u8 = 3;

fn hash(bytes: &[u8]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// Reloads arrive here; the frame loop only polls the channel.
pub struct PackWatcher {
    _watcher: notify::RecommendedWatcher,
    reports: Receiver<Result<Reload, String>>,
}

impl PackWatcher {
    /// Starts watching `dir`. `wake` is called after each reload so the UI can repaint. The
    /// folder is read once before this returns, so a file broken by the first save already has
    /// a last good version to fall back on.
    pub fn start(dir: &Path, wake: impl Fn() + Send + 'static) -> notify::Result<Self> {
        Self::start_with(dir, wake, false)
    }

    /// Like [`Self::start`], but the folder's first read happens on the watcher's thread and
    /// arrives as the first reload: how the app opens on `--pack DIR` without reading the
    /// folder before its window (the window shows "Loading…" until then). Changes saved while
    /// it is read are picked up after it, as with [`Self::start`].
    pub fn start_reading(dir: &Path, wake: impl Fn() + Send + 'static) -> notify::Result<Self> {
        Self::start_with(dir, wake, true)
    }

    fn start_with(
        dir: &Path,
        wake: impl Fn() + Send + 'static,
        first_report: bool,
    ) -> notify::Result<Self> {
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
        // Read before returning, so a save right after the start already has a last good
        // version of every file to fall back on.
        let mut last_good = LastGood::default();
        if !first_report && let Ok(read) = content::read_dir(&dir) {
            last_good.reload(read);
        }
        std::thread::Builder::new()
            .name("pack-reload".into())
            .spawn(move || {
                if first_report {
                    let first = content::read_dir(&dir)
                        .map(|read| last_good.reload(read))
                        .map_err(|e| e.to_string());
                    if reports_tx.send(first).is_err() {
                        return;
                    }
                    wake();
                }
                // The good files are deflated after the first pack has gone out.
                last_good.settle();
                crate::memory::release_freed();
                while events_rx.recv().is_ok() {
                    // Editors save in bursts: wait for the folder to settle, then load once.
                    std::thread::sleep(Duration::from_millis(150));
                    while events_rx.try_recv().is_ok() {}
                    let reload = content::read_dir(&dir)
                        .map(|read| last_good.reload(read))
                        .map_err(|e| e.to_string());
                    if reports_tx.send(reload).is_err() {
                        break;
                    }
                    wake();
                    last_good.settle();
                    crate::memory::release_freed();
                }
            })
            .map_err(|e| notify::Error::generic(&e.to_string()))?;
        Ok(Self {
            _watcher: watcher,
            reports,
        })
    }

    /// The newest reload since the last call, if any.
    pub fn poll(&self) -> Option<Result<Reload, String>> {
        self.reports.try_iter().last()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> PackFile {
        PackFile {
            path: path.to_owned(),
            bytes: std::borrow::Cow::Owned(text.as_bytes().to_vec()),
        }
    }

    const PACK: &str = "format = 1\nid = \"p\"\ntitle = \"P\"\nversion = \"1.0.0\"\n\
        description = \"D.\"\n\n[[topic]]\nid = \"t\"\ntitle = \"T\"\nweight = 1\n";
    const NOTE: &str = "+++\ntopic = \"t\"\n+++\n\n# T\n\n## A\n\nText.\n";
    const CARD: &str = "[[card]]\nid = \"c1\"\ntopic = \"t\"\nfront = \"F\"\nback = \"B\"\n\
        source = \"t#a\"\n";

    fn read(files: Vec<PackFile>) -> FolderRead {
        FolderRead {
            files,
            problems: Vec::new(),
        }
    }

    #[test]
    fn a_broken_file_keeps_its_last_good_version_and_the_rest_moves_on() {
        let mut lg = LastGood::default();
        let first = lg.reload(read(vec![
            file("pack.toml", PACK),
            file("notes/t.md", NOTE),
            file("cards/a.toml", CARD),
        ]));
        assert_eq!((first.errors(), &first.kept), (0, &Kept::Nothing));
        // pack.toml broken, the card edited: the topics stay, the edit shows.
        let card2 = CARD.replace("back = \"B\"", "back = \"B2\"");
        let r = lg.reload(read(vec![
            file("pack.toml", "format = 1\n[[topic\n"),
            file("notes/t.md", NOTE),
            file("cards/a.toml", &card2),
        ]));
        assert!(r.errors() > 0);
        assert_eq!(r.kept, Kept::Files(vec!["pack.toml".to_owned()]));
        assert_eq!(r.pack.topics.len(), 1, "the topics are still there");
        assert_eq!(r.pack.card("c1").map(|c| c.back.as_str()), Some("B2"));
        // Fixed: the saved version replaces the kept one.
        let fixed = PACK.replace("title = \"T\"", "title = \"T2\"");
        let r = lg.reload(read(vec![
            file("pack.toml", &fixed),
            file("notes/t.md", NOTE),
            file("cards/a.toml", &card2),
        ]));
        assert_eq!((r.errors(), &r.kept), (0, &Kept::Nothing));
        assert_eq!(r.pack.topics[0].title, "T2");
        // Broken again: what is kept is the newest good version, not the first.
        let r = lg.reload(read(vec![
            file("pack.toml", "format = 1\n[[topic\n"),
            file("notes/t.md", NOTE),
            file("cards/a.toml", &card2),
        ]));
        assert_eq!(r.kept, Kept::Files(vec!["pack.toml".to_owned()]));
        assert_eq!(r.pack.topics[0].title, "T2");
    }

    #[test]
    fn without_a_good_version_the_app_shows_what_loaded() {
        let mut lg = LastGood::default();
        let r = lg.reload(read(vec![file("pack.toml", "[[topic\n")]));
        assert!(r.errors() > 0);
        assert_eq!(r.kept, Kept::Nothing);
        assert!(r.pack.topics.is_empty());
    }
}
