//! Unpacking a pack's zip, which is hostile until proven otherwise.
//!
//! Every entry is looked at before anything is written: names that climb or are absolute (`..`,
//! a leading `/`, a drive letter, a backslash), links and other entries that are not plain files
//! or folders, encrypted entries, duplicates (also ones that differ only in case, which collide on
//! some file systems), more than [`MAX_ENTRIES`] entries, more than [`MAX_UNPACKED`] bytes in all
//! or an entry that claims to grow more than [`MAX_RATIO`] times (a zip bomb) each refuse the
//! whole zip, with the entry named. Then only the pack's own files (`pack.toml`, `notes/*.md`,
//! `cards/*.toml`, `questions/*.toml`) are written, into a fresh folder the caller owns, each
//! read no further than its declared size.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;

use super::{LibraryError, io_err, is_pack_file};
use crate::content::MAX_FILE_BYTES;

/// More entries than this and the zip is refused.
pub const MAX_ENTRIES: usize = 20_000;

/// More bytes than this, unpacked, in all entries together and the zip is refused.
pub const MAX_UNPACKED: u64 = 100 * 1024 * 1024;

/// An entry whose unpacked size is more than this many times its packed size is refused.
pub const MAX_RATIO: u64 = 100;

/// A zip file larger than this is not opened at all.
pub const MAX_ZIP_BYTES: u64 = MAX_UNPACKED;

fn refuse(entry: &str, reason: impl Into<String>) -> LibraryError {
    LibraryError::Unsafe {
        entry: entry.to_owned(),
        reason: reason.into(),
    }
}

/// Why an entry's name is refused, if it is.
fn bad_name(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("an entry has no name");
    }
    if name.contains('\\') {
        return Some("the name has a backslash, which climbs out of the folder on Windows");
    }
    if name.contains('\0') || name.chars().any(char::is_control) {
        return Some("the name has control characters");
    }
    if name.starts_with('/') {
        return Some("the path is absolute");
    }
    if name.contains(':') {
        return Some("the name has a drive letter or a ':'");
    }
    let trimmed = name.strip_suffix('/').unwrap_or(name);
    for part in trimmed.split('/') {
        match part {
            ".." => return Some("the path climbs out of the folder with '..'"),
            "." | "" => return Some("the path has an empty or '.' part"),
            _ => {}
        }
    }
    None
}

/// What kind of entry the Unix mode says, when it says anything but a file or a folder.
fn special_kind(mode: Option<u32>) -> Option<&'static str> {
    match mode? & 0o170_000 {
        0 | 0o100_000 | 0o040_000 => None,
        0o120_000 => Some("a symbolic link"),
        0o010_000 => Some("a FIFO"),
        0o020_000 | 0o060_000 => Some("a device"),
        0o140_000 => Some("a socket"),
        _ => Some("not a regular file"),
    }
}

/// The entries to unpack: zip index and path inside the pack folder; and the files of the pack
/// folder that are not pack files (left out).
pub(super) struct Plan {
    pub files: Vec<(usize, String)>,
    pub ignored: Vec<String>,
}

/// Checks every entry of `zip` and finds the pack folder. Reads no file data.
fn plan<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>) -> Result<Plan, LibraryError> {
    if zip.len() > MAX_ENTRIES {
        return Err(refuse(
            "(the whole zip)",
            format!(
                "it has {} entries; a pack zip may have at most {MAX_ENTRIES}",
                zip.len()
            ),
        ));
    }
    if zip.has_duplicate_names() {
        return Err(refuse(
            "(the whole zip)",
            "two entries have the same name: which one is the pack's is not clear",
        ));
    }
    let mut total: u64 = 0;
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut files: Vec<(usize, String)> = Vec::new();
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i)?;
        let name = entry.name()?.into_owned();
        if let Some(reason) = bad_name(&name) {
            return Err(refuse(&name, reason));
        }
        if entry.encrypted() {
            return Err(refuse(&name, "the entry is encrypted"));
        }
        if entry.is_symlink() {
            return Err(refuse(&name, "the entry is a symbolic link"));
        }
        if let Some(kind) = special_kind(entry.unix_mode()) {
            return Err(refuse(&name, format!("the entry is {kind}")));
        }
        let key = name.trim_end_matches('/').to_lowercase();
        if let Some(first) = seen.insert(key, name.clone()) {
            return Err(refuse(
                &name,
                format!("a second entry with the name of {first:?} (names differ only in case)"),
            ));
        }
        if entry.is_dir() {
            continue;
        }
        let size = entry.size();
        total = total.saturating_add(size);
        if total > MAX_UNPACKED {
            return Err(refuse(
                &name,
                format!(
                    "the zip unpacks to more than {} MiB",
                    MAX_UNPACKED / 1024 / 1024
                ),
            ));
        }
        if size > entry.compressed_size().max(1).saturating_mul(MAX_RATIO) {
            return Err(refuse(
                &name,
                format!(
                    "the entry grows from {} to {size} bytes, more than {MAX_RATIO} times (a zip bomb?)",
                    entry.compressed_size()
                ),
            ));
        }
        files.push((i, name));
    }

    // The pack folder: the zip's root, or one folder down.
    let roots: Vec<&str> = files
        .iter()
        .filter_map(|(_, n)| n.strip_suffix("pack.toml"))
        .filter(|prefix| prefix.is_empty() || prefix.matches('/').count() == 1)
        .collect();
    let root = match roots.as_slice() {
        [one] => (*one).to_owned(),
        [] => {
            let deeper = files
                .iter()
                .map(|(_, n)| n)
                .find(|n| n.ends_with("/pack.toml"));
            return Err(match deeper {
                Some(n) => refuse(
                    n,
                    "the pack folder must be at the zip's root or one folder down",
                ),
                None => LibraryError::NotAPack("the zip has no pack.toml".to_owned()),
            });
        }
        many => {
            return Err(LibraryError::NotAPack(format!(
                "the zip holds more than one pack ({}); install them one by one",
                many.iter()
                    .map(|r| format!("{r}pack.toml"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    };
    let mut plan = Plan {
        files: Vec::new(),
        ignored: Vec::new(),
    };
    for (i, name) in files {
        // Entries outside the pack folder (`__MACOSX/…`, a README beside it) are left out.
        let Some(rel) = name.strip_prefix(&root) else {
            continue;
        };
        if is_pack_file(rel) {
            plan.files.push((i, rel.to_owned()));
        } else {
            plan.ignored.push(rel.to_owned());
        }
    }
    Ok(plan)
}

/// Unpacks the pack in the zip at `path` into `dest` (an empty folder). Returns the files of the
/// pack folder that were left out because they are not pack files.
pub(super) fn unpack(path: &Path, dest: &Path) -> Result<Vec<String>, LibraryError> {
    let file = File::open(path).map_err(io_err(path))?;
    let meta = file.metadata().map_err(io_err(path))?;
    if !meta.is_file() {
        return Err(LibraryError::NotAPack(format!(
            "{} is not a file",
            path.display()
        )));
    }
    if meta.len() > MAX_ZIP_BYTES {
        return Err(LibraryError::NotAPack(format!(
            "{} is larger than {} MiB",
            path.display(),
            MAX_ZIP_BYTES / 1024 / 1024
        )));
    }
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file))?;
    let plan = plan(&mut zip)?;
    for (i, rel) in &plan.files {
        let mut entry = zip.by_index(*i)?;
        let name = entry.name()?.into_owned();
        let size = entry.size();
        if size > MAX_FILE_BYTES {
            return Err(refuse(
                &name,
                format!(
                    "{size} bytes; a pack file may have at most {} KiB",
                    MAX_FILE_BYTES / 1024
                ),
            ));
        }
        let mut bytes = Vec::with_capacity(size as usize);
        // Never read past the declared size: a lying header cannot unpack more.
        (&mut entry)
            .take(size + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| refuse(&name, format!("cannot unpack: {e}")))?;
        if bytes.len() as u64 != size {
            return Err(refuse(
                &name,
                "the entry's data does not match its declared size",
            ));
        }
        let target = dest.join(rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        let mut out = File::options()
            .write(true)
            .create_new(true)
            .open(&target)
            .map_err(io_err(&target))?;
        out.write_all(&bytes).map_err(io_err(&target))?;
    }
    Ok(plan.ignored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_climb_are_refused() {
        for name in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "C:/x",
            "C:x",
            "a\\..\\x",
            "a//b",
            "./a",
        ] {
            assert!(bad_name(name).is_some(), "{name}");
        }
        for name in ["pack.toml", "p/notes/a.md", "p/", "a..b/c"] {
            assert!(bad_name(name).is_none(), "{name}");
        }
    }
}
