//! Backups as the app sees them: the day's automatic backup of the progress file, made on a
//! background thread started by the first [`AppState::tick`] (never delaying the window), the
//! list the Progress screen shows, restoring one, and — when the progress file was found damaged
//! — the newest good backup offered in a banner.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, TryRecvError};

use crate::store::StoreError;
use crate::store::backup::{self, BackupInfo, DailyOutcome};

use super::{AppState, NoticeLevel};

/// What the background backup sends back: what it did, then the backups on disk.
type Done = (Result<DailyOutcome, StoreError>, Vec<BackupInfo>);

/// The backup state `AppState` keeps.
#[derive(Default)]
pub struct Backups {
    /// The day's backup was started (or is not to be made in this session).
    started: bool,
    rx: Option<Receiver<Done>>,
    list: Vec<BackupInfo>,
    /// The newest good backup, offered after the progress file was found damaged.
    offer: Option<BackupInfo>,
}

impl AppState {
    /// Starts the day's backup on a background thread once the progress file is known sound
    /// (the store's background check has passed; called from [`AppState::tick`]), and collects
    /// its result; cheap otherwise. A file found damaged is never backed up: the store replaces
    /// it, and [`AppState::offer_backup_after_damage`] turns the day's backup off.
    pub(super) fn backups_tick(&mut self) {
        if !self.backups.started && !self.store.integrity_check_running() {
            self.backups.started = true;
            if let Some(db) = self.store.path().map(Path::to_owned) {
                let today = self
                    .reviews
                    .study_day()
                    .time_zone()
                    .to_datetime(self.clock.now())
                    .date();
                let (tx, rx) = mpsc::channel();
                let spawned = std::thread::Builder::new()
                    .name("progress-backup".into())
                    .spawn(move || {
                        let outcome = backup::daily_backup(&db, today);
                        let list = backup::list_backups(&backup::backup_dir(&db));
                        let _ = tx.send((outcome, list));
                        crate::memory::release_freed();
                    });
                match spawned {
                    Ok(_) => self.backups.rx = Some(rx),
                    Err(e) => self.notify(
                        NoticeLevel::Warning,
                        format!("Could not start today's backup of your progress: {e}"),
                    ),
                }
            }
        }
        let Some(rx) = &self.backups.rx else {
            return;
        };
        let (outcome, list) = match rx.try_recv() {
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => {
                self.backups.rx = None;
                return;
            }
            Ok(done) => done,
        };
        self.backups.rx = None;
        self.backups.list = list;
        match outcome {
            Ok(DailyOutcome::Made(_) | DailyOutcome::AlreadyToday) => {}
            Ok(DailyOutcome::NoSpace { needed, free }) => self.notify(
                NoticeLevel::Warning,
                format!(
                    "Today's backup of your progress was skipped: the backups would take {} of the {} free on the disk, more than a tenth of it. Free some space to have backups again.",
                    human_size(needed),
                    human_size(free)
                ),
            ),
            Err(e) => self.report("make today's backup of your progress", &e),
        }
    }

    /// The backups beside the progress file, newest first (as of the last backup or restore).
    pub fn backups(&self) -> &[BackupInfo] {
        &self.backups.list
    }

    /// Whether the day's backup is still being made.
    pub fn backup_running(&self) -> bool {
        self.backups.rx.is_some()
    }

    /// Whether the day's backup is over for this session: made, found made already, skipped, or
    /// not to be made (progress in memory, or a damaged file replaced).
    pub fn daily_backup_done(&self) -> bool {
        self.backups.started && self.backups.rx.is_none()
    }

    /// Where backups are kept, or `None` when progress is not kept in a file.
    pub fn backup_dir(&self) -> Option<PathBuf> {
        self.store.path().map(backup::backup_dir)
    }

    /// The newest good backup, offered after the progress file was found damaged and replaced.
    pub fn backup_offer(&self) -> Option<&BackupInfo> {
        self.backups.offer.as_ref()
    }

    /// Declines the offered backup.
    pub fn dismiss_backup_offer(&mut self) {
        self.backups.offer = None;
    }

    /// The progress file was found damaged and a fresh one started: offers the newest backup
    /// that passes its checks, and makes no automatic backup of the fresh file in this session
    /// (it would only displace a good one).
    pub(super) fn offer_backup_after_damage(&mut self) {
        self.backups.started = true;
        if let Some(dir) = self.backup_dir() {
            self.backups.offer = backup::newest_good_backup(&dir);
            self.backups.list = backup::list_backups(&dir);
        }
    }

    /// Restores the backup at `path`: the current progress file is kept aside, the backup
    /// checked and the app reopened on it (everything read from the old file is read again).
    /// Returns whether it was restored; a failure leaves progress as it was, with a banner.
    pub fn restore_backup(&mut self, path: &Path) -> bool {
        match self.store.restore_from(path) {
            Ok(kept) => {
                self.reload_after_replace();
                self.backups.offer = None;
                if let Some(dir) = self.backup_dir() {
                    self.backups.list = backup::list_backups(&dir);
                }
                self.notify(
                    NoticeLevel::Info,
                    format!(
                        "Restored your progress from {}. What you had before was kept as {}.",
                        path.display(),
                        kept.display()
                    ),
                );
                true
            }
            Err(e) => {
                self.report("restore that backup", &e);
                false
            }
        }
    }
}

/// `812 KB`, `3.4 MB`: a size in words a learner reads at a glance.
pub fn human_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.0} KB", b / KB)
    } else if b < KB * KB * KB {
        format!("{:.1} MB", b / KB / KB)
    } else {
        format!("{:.1} GB", b / KB / KB / KB)
    }
}
