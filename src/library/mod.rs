//! The pack library: packs the learner installed, in `packs/<id>/` under the data folder, and
//! which pack is active. No UI and no SQL: progress lives in the store, keyed by pack id, and the
//! app layer (`app::library`) joins the two.
//!
//! A pack from outside is untrusted input. Installing one copies or unpacks only the pack's own
//! files into a fresh folder inside `packs/` ([`Staged`]; a zip goes through [`unzip`]),
//! validates the copy with the normal loader, and only then renames it into place
//! ([`Library::commit`]). So what is installed is exactly what was checked, nothing is ever
//! written outside `packs/`, and an install that fails or is interrupted leaves the library as it
//! was: a half-written folder has a name the library never lists (`.install-…`) and is cleared
//! on the next start; a replaced version is kept as `.old-<id>-…` until the new one is in place
//! and put back if the swap was cut short.

pub mod unzip;

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::content::{self, Diagnostic, MAX_FILE_BYTES, MAX_FILES, MAX_PACK_BYTES, Pack};

/// The folder of the data folder that holds installed packs.
pub const DIR: &str = "packs";

/// The file of the data folder that names the active pack (absent: the built-in pack).
pub const ACTIVE_FILE: &str = "active-pack";

const STAGING: &str = ".install-";
const OLD: &str = ".old-";
const REMOVING: &str = ".removing-";

#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A zip entry that could write outside the library, or is not a plain file, or is too big.
    #[error("refused: {entry}: {reason}")]
    Unsafe { entry: String, reason: String },
    #[error("refused: not a readable zip: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("refused: {0}")]
    NotAPack(String),
    /// The pack has errors: nothing was installed.
    #[error("refused: the pack has {} error(s); nothing was installed", .0.len())]
    Invalid(Vec<Diagnostic>),
    #[error("no installed pack {0:?} (see `coldstart pack list`)")]
    NotInstalled(String),
    /// The install replaces a newer version or another author's pack and was not confirmed.
    #[error("not installed without confirmation: {}", .0.join("; "))]
    NeedsConfirmation(Vec<String>),
}

pub(crate) fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> LibraryError + '_ {
    move |source| LibraryError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Whether `rel` (a path inside a pack folder, `/`-separated) is a file the loader reads.
pub(crate) fn is_pack_file(rel: &str) -> bool {
    if rel == "pack.toml" {
        return true;
    }
    let Some((dir, name)) = rel.split_once('/') else {
        return false;
    };
    let ext = match dir {
        "notes" => ".md",
        "cards" | "questions" => ".toml",
        _ => return false,
    };
    !name.contains('/') && !name.starts_with('.') && name.len() > ext.len() && name.ends_with(ext)
}

/// Whether `id` is a pack id (lowercase ASCII letters, digits and `-`), so safe as a folder name.
pub fn is_pack_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Which pack the app opens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "source", content = "id", rename_all = "kebab-case")]
pub enum Active {
    BuiltIn,
    Installed(String),
}

/// An installed pack as found in the library.
#[derive(Clone, Debug)]
pub struct Installed {
    pub id: String,
    pub dir: PathBuf,
    /// The pack, or why it cannot be opened (the files changed on disk since the install).
    pub pack: Result<Pack, String>,
}

/// What an install changes in the items of an installed pack, by id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

impl Diff {
    /// Compares the cards, questions and notes of two versions of a pack. Ids are prefixed with
    /// their kind (`card:`, `question:`, `note:`), sorted.
    pub fn between(old: &Pack, new: &Pack) -> Diff {
        // The model's `Debug` shows every field, so equal text means an equal item.
        fn items(p: &Pack) -> HashMap<String, String> {
            let mut m = HashMap::new();
            for c in &p.cards {
                m.insert(format!("card:{}", c.id), format!("{c:?}"));
            }
            for q in &p.questions {
                m.insert(format!("question:{}", q.id), format!("{q:?}"));
            }
            for n in &p.notes {
                m.insert(format!("note:{}", n.topic), n.body.clone());
            }
            m
        }
        let (a, b) = (items(old), items(new));
        let mut d = Diff::default();
        for (id, text) in &b {
            match a.get(id) {
                None => d.added.push(id.clone()),
                Some(old) if old != text => d.changed.push(id.clone()),
                Some(_) => {}
            }
        }
        d.removed = a
            .keys()
            .filter(|id| !b.contains_key(*id))
            .cloned()
            .collect();
        d.added.sort();
        d.removed.sort();
        d.changed.sort();
        d
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// The installed version an install replaces, and what the learner should know first.
#[derive(Clone, Debug, Serialize)]
pub struct Replaces {
    pub version: String,
    pub authors: Vec<String>,
    pub diff: Diff,
    /// The new version is older than the installed one.
    pub older: bool,
    /// The installed pack names authors and this one names none of them.
    pub other_author: bool,
}

/// A pack copied or unpacked into the library's staging folder and validated, not yet in place.
/// Dropping it removes the staging folder.
#[derive(Debug)]
pub struct Staged {
    dir: Option<PathBuf>,
    pub pack: Pack,
    /// Warnings of the loader (the pack has no errors).
    pub warnings: Vec<Diagnostic>,
    /// Files beside the pack's own that were left out.
    pub ignored: Vec<String>,
    /// The installed version this replaces, if any.
    pub replaces: Option<Replaces>,
}

impl Staged {
    /// Why the learner must confirm before this replaces the installed pack (empty: no need).
    pub fn needs_confirmation(&self) -> Vec<String> {
        let mut why = Vec::new();
        if let Some(r) = &self.replaces {
            if r.older {
                why.push(format!(
                    "version {} is older than the installed {}",
                    self.pack.meta.version, r.version
                ));
            }
            if r.other_author {
                why.push(format!(
                    "the installed {:?} is by {}; this one is by {}",
                    self.pack.meta.id,
                    authors(&r.authors),
                    authors(&self.pack.meta.authors)
                ));
            }
        }
        why
    }
}

fn authors(a: &[String]) -> String {
    if a.is_empty() {
        "no named author".to_owned()
    } else {
        a.join(", ")
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(dir) = self.dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Compares two pack versions: semantic versions when both parse, else text.
fn older(new: &str, installed: &str) -> bool {
    match (
        semver::Version::parse(new),
        semver::Version::parse(installed),
    ) {
        (Ok(a), Ok(b)) => a < b,
        _ => new < installed,
    }
}

/// The pack library of one data folder.
#[derive(Clone, Debug)]
pub struct Library {
    data: PathBuf,
}

impl Library {
    /// The library of `data_dir`. Nothing is created until a pack is installed; what an
    /// interrupted install or remove left behind is tidied (see the module docs).
    pub fn new(data_dir: &Path) -> Self {
        let lib = Library {
            data: data_dir.to_owned(),
        };
        lib.recover();
        lib
    }

    /// `packs/` in the data folder.
    pub fn root(&self) -> PathBuf {
        self.data.join(DIR)
    }

    /// Where the pack `id` is (or would be) installed.
    pub fn dir_of(&self, id: &str) -> Option<PathBuf> {
        is_pack_id(id).then(|| self.root().join(id))
    }

    pub fn is_installed(&self, id: &str) -> bool {
        self.dir_of(id)
            .is_some_and(|d| d.join("pack.toml").is_file())
    }

    /// Puts back a version whose replacement was cut short, and removes staging folders and
    /// the leftovers of removes. Errors are ignored: the next start tries again.
    fn recover(&self) {
        let Ok(entries) = std::fs::read_dir(self.root()) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = e.path();
            if let Some(rest) = name.strip_prefix(OLD) {
                // `.old-<id>-<stamp>`: the id is everything before the last '-'.
                let Some((id, _)) = rest.rsplit_once('-') else {
                    continue;
                };
                match self.dir_of(id) {
                    Some(dir) if !dir.exists() => {
                        let _ = std::fs::rename(&path, dir);
                    }
                    Some(_) => {
                        let _ = std::fs::remove_dir_all(&path);
                    }
                    None => {}
                }
            } else if name.starts_with(REMOVING) || (name.starts_with(STAGING) && stale(&path)) {
                let _ = std::fs::remove_dir_all(&path);
            }
        }
    }

    /// Every installed pack, by id. Folders whose pack no longer loads are listed with the
    /// reason.
    pub fn list(&self) -> Result<Vec<Installed>, LibraryError> {
        let root = self.root();
        let entries = match std::fs::read_dir(&root) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_err(&root)(e)),
        };
        let mut ids: Vec<String> = entries
            .flatten()
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| is_pack_id(n))
            .collect();
        ids.sort();
        Ok(ids
            .into_iter()
            .map(|id| {
                let dir = root.join(&id);
                let pack = self.open(&id).map_err(|e| e.to_string());
                Installed { id, dir, pack }
            })
            .collect())
    }

    /// Loads the installed pack `id`; it must pass `check`.
    pub fn open(&self, id: &str) -> Result<Pack, LibraryError> {
        let dir = self
            .dir_of(id)
            .filter(|d| d.is_dir())
            .ok_or_else(|| LibraryError::NotInstalled(id.to_owned()))?;
        let report = content::load_dir(&dir).map_err(io_err(&dir))?;
        let pack = report
            .into_valid()
            .map_err(|e| LibraryError::Invalid(e.diagnostics))?;
        if pack.meta.id != id {
            return Err(LibraryError::NotAPack(format!(
                "{} holds the pack {:?}, not {id:?}",
                dir.display(),
                pack.meta.id
            )));
        }
        Ok(pack)
    }

    /// Copies (a folder) or unpacks (a `.zip`) the pack at `src` into a staging folder and
    /// validates it. Nothing is installed yet: see [`Library::commit`].
    pub fn stage(&self, src: &Path) -> Result<Staged, LibraryError> {
        let root = self.root();
        std::fs::create_dir_all(&root).map_err(io_err(&root))?;
        let dir = root.join(format!("{STAGING}{}", stamp()));
        std::fs::create_dir(&dir).map_err(io_err(&dir))?;
        // From here on the folder is removed whatever happens.
        let mut staged = Staged {
            dir: Some(dir.clone()),
            pack: Pack::default(),
            warnings: Vec::new(),
            ignored: Vec::new(),
            replaces: None,
        };
        let meta = std::fs::metadata(src).map_err(io_err(src))?;
        staged.ignored = if meta.is_dir() {
            copy_pack(src, &dir)?
        } else {
            unzip::unpack(src, &dir)?
        };
        let report = content::load_dir(&dir).map_err(io_err(&dir))?;
        let warnings: Vec<Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == content::Severity::Warning)
            .cloned()
            .collect();
        let pack = report
            .into_valid()
            .map_err(|e| LibraryError::Invalid(e.diagnostics))?;
        if !is_pack_id(&pack.meta.id) {
            return Err(LibraryError::NotAPack(format!(
                "the pack id {:?} cannot name a folder",
                pack.meta.id
            )));
        }
        staged.replaces = match self.open(&pack.meta.id) {
            Ok(old) => Some(Replaces {
                version: old.meta.version.clone(),
                authors: old.meta.authors.clone(),
                diff: Diff::between(&old, &pack),
                older: older(&pack.meta.version, &old.meta.version),
                other_author: {
                    let a: BTreeSet<&String> = old.meta.authors.iter().collect();
                    let b: BTreeSet<&String> = pack.meta.authors.iter().collect();
                    // An installed pack that names no author cannot be told apart.
                    !a.is_empty() && a.is_disjoint(&b)
                },
            }),
            // Not installed, or installed but broken on disk: replacing it loses nothing.
            Err(_) => None,
        };
        staged.pack = pack;
        staged.warnings = warnings;
        Ok(staged)
    }

    /// Moves a staged pack into place, replacing the installed version. Refused without
    /// `confirmed` when [`Staged::needs_confirmation`] says why.
    pub fn commit(&self, mut staged: Staged, confirmed: bool) -> Result<PathBuf, LibraryError> {
        let why = staged.needs_confirmation();
        if !why.is_empty() && !confirmed {
            return Err(LibraryError::NeedsConfirmation(why));
        }
        let id = staged.pack.meta.id.clone();
        let target = self
            .dir_of(&id)
            .ok_or_else(|| LibraryError::NotAPack(format!("bad pack id {id:?}")))?;
        let Some(src) = staged.dir.clone() else {
            return Err(LibraryError::NotAPack("already installed".to_owned()));
        };
        let old = if target.exists() {
            let old = self.root().join(format!("{OLD}{id}-{}", stamp()));
            std::fs::rename(&target, &old).map_err(io_err(&target))?;
            Some(old)
        } else {
            None
        };
        if let Err(e) = std::fs::rename(&src, &target) {
            if let Some(old) = &old {
                let _ = std::fs::rename(old, &target);
            }
            return Err(io_err(&target)(e));
        }
        staged.dir = None;
        if let Some(old) = old {
            let _ = std::fs::remove_dir_all(old);
        }
        Ok(target)
    }

    /// Removes the installed pack `id`'s files (progress is the store's business). If it was
    /// the active pack, the built-in one becomes active.
    pub fn remove(&self, id: &str) -> Result<(), LibraryError> {
        let dir = self
            .dir_of(id)
            .filter(|d| d.is_dir())
            .ok_or_else(|| LibraryError::NotInstalled(id.to_owned()))?;
        let gone = self.root().join(format!("{REMOVING}{id}-{}", stamp()));
        std::fs::rename(&dir, &gone).map_err(io_err(&dir))?;
        let _ = std::fs::remove_dir_all(&gone);
        if self.active() == Active::Installed(id.to_owned()) {
            self.set_active(&Active::BuiltIn)?;
        }
        Ok(())
    }

    /// The pack the app opens: the one named in `active-pack`, if that names a pack id.
    pub fn active(&self) -> Active {
        let path = self.data.join(ACTIVE_FILE);
        let mut text = String::new();
        let read = std::fs::File::open(&path).and_then(|f| f.take(256).read_to_string(&mut text));
        match read {
            Ok(_) if is_pack_id(text.trim()) => Active::Installed(text.trim().to_owned()),
            _ => Active::BuiltIn,
        }
    }

    /// Remembers the active pack (written to a new file, then renamed over the old one).
    pub fn set_active(&self, active: &Active) -> Result<(), LibraryError> {
        let path = self.data.join(ACTIVE_FILE);
        match active {
            Active::BuiltIn => match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_err(&path)(e)),
                _ => Ok(()),
            },
            Active::Installed(id) => {
                std::fs::create_dir_all(&self.data).map_err(io_err(&self.data))?;
                let tmp = self.data.join(format!("{ACTIVE_FILE}.tmp"));
                std::fs::write(&tmp, format!("{id}\n")).map_err(io_err(&tmp))?;
                std::fs::rename(&tmp, &path).map_err(io_err(&path))
            }
        }
    }
}

/// A staging folder not touched for an hour belongs to an install that was cut short (one still
/// running writes to it).
fn stale(path: &Path) -> bool {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_none_or(|age| age > std::time::Duration::from_secs(3600))
}

/// A name part unique to this process and moment.
fn stamp() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{}{nanos}", std::process::id())
}

/// Copies the pack files of the folder `src` into `dest`: plain files only (a link, a FIFO or a
/// device refuses the install, as the loader would), none larger than a pack file may be, at most
/// as many and as much as a pack may hold. Returns the other files of `src`'s subfolders, left
/// out.
fn copy_pack(src: &Path, dest: &Path) -> Result<Vec<String>, LibraryError> {
    if !src.join("pack.toml").exists() {
        return Err(LibraryError::NotAPack(format!(
            "{} has no pack.toml",
            src.display()
        )));
    }
    let mut rels = vec!["pack.toml".to_owned()];
    let mut ignored = Vec::new();
    for sub in ["notes", "cards", "questions"] {
        let dir = src.join(sub);
        match std::fs::symlink_metadata(&dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io_err(&dir)(e)),
            Ok(m) if !m.is_dir() => {
                return Err(LibraryError::Unsafe {
                    entry: sub.to_owned(),
                    reason: "not a plain folder".to_owned(),
                });
            }
            Ok(_) => {}
        }
        let entries = std::fs::read_dir(&dir).map_err(io_err(&dir))?;
        for e in entries {
            let e = e.map_err(io_err(&dir))?;
            let Ok(name) = e.file_name().into_string() else {
                ignored.push(format!("{sub}/{}", e.file_name().to_string_lossy()));
                continue;
            };
            let rel = format!("{sub}/{name}");
            if is_pack_file(&rel) {
                rels.push(rel);
            } else {
                ignored.push(rel);
            }
            if rels.len() > MAX_FILES {
                return Err(LibraryError::NotAPack(format!(
                    "{} has more than {MAX_FILES} pack files",
                    src.display()
                )));
            }
        }
    }
    let mut total = 0u64;
    for rel in &rels {
        let from = src.join(rel);
        let bytes = read_plain_file(&from, rel)?;
        total += bytes.len() as u64;
        if total > MAX_PACK_BYTES {
            return Err(LibraryError::NotAPack(format!(
                "{} holds more than {} MiB of pack files",
                src.display(),
                MAX_PACK_BYTES / 1024 / 1024
            )));
        }
        let to = dest.join(rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        std::fs::write(&to, bytes).map_err(io_err(&to))?;
    }
    ignored.sort();
    Ok(ignored)
}

/// Reads a file that must be a plain file, without following a link even one swapped in after
/// the look (`O_NOFOLLOW` on Unix; the check is then made on the open handle).
fn read_plain_file(path: &Path, rel: &str) -> Result<Vec<u8>, LibraryError> {
    let unsafe_entry = |reason: &str| LibraryError::Unsafe {
        entry: rel.to_owned(),
        reason: reason.to_owned(),
    };
    let meta = std::fs::symlink_metadata(path).map_err(io_err(path))?;
    if meta.file_type().is_symlink() {
        return Err(unsafe_entry(
            "a symbolic link: a pack cannot reach outside its folder",
        ));
    }
    if !meta.is_file() {
        return Err(unsafe_entry("not a regular file"));
    }
    let mut options = std::fs::File::options();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let flags = rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK;
        options.custom_flags(flags.bits() as i32);
    }
    let file = options.open(path).map_err(io_err(path))?;
    let meta = file.metadata().map_err(io_err(path))?;
    if !meta.is_file() {
        return Err(unsafe_entry("not a regular file"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(unsafe_entry(&format!(
            "{} bytes; a pack file may have at most {} KiB",
            meta.len(),
            MAX_FILE_BYTES / 1024
        )));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err(path))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_files_are_recognised() {
        for rel in [
            "pack.toml",
            "notes/a.md",
            "cards/x.toml",
            "questions/q.toml",
        ] {
            assert!(is_pack_file(rel), "{rel}");
        }
        for rel in [
            "README.md",
            "notes/.a.md",
            "notes/sub/a.md",
            "cards/x.md",
            "notes/.md",
            "img/a.png",
        ] {
            assert!(!is_pack_file(rel), "{rel}");
        }
    }

    #[test]
    fn versions_compare_as_semver() {
        assert!(older("0.9.0", "0.10.0"));
        assert!(!older("1.0.0", "0.10.0"));
        assert!(!older("1.0.0", "1.0.0"));
    }
}
