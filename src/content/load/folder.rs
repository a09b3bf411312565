//! Reading a pack folder from disk without leaving it.
//!
//! On Unix every file and subfolder is opened relative to its parent's open handle with
//! `O_NOFOLLOW`, and what was opened is checked on the handle itself (a regular file, within the
//! size limit): the check and the read are one operation, so a symbolic link swapped in after a
//! check is refused by the kernel instead of followed. A path is looked at (`lstat`) before it is
//! opened, so a FIFO, a device or a socket is never opened at all; files are also opened with
//! `O_NONBLOCK`, so even one swapped in between the look and the open cannot block the load.
//! Elsewhere the same walk checks each path with `symlink_metadata` before reading it.

use std::io::{self, Read};
use std::path::Path;

use super::{MAX_FILE_BYTES, MAX_FILES, MAX_PACK_BYTES, PackFile};
use crate::content::diagnostic::{Severity, Sink};

/// What a path is, seen without following a symbolic link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    File {
        len: u64,
    },
    Folder,
    Symlink,
    /// A FIFO, a device, a socket or anything else that is not a file: never opened.
    Special(&'static str),
}

/// The subfolders a pack reads, with the extension of their files.
const FOLDERS: [(&str, &str); 3] = [("notes", ".md"), ("cards", ".toml"), ("questions", ".toml")];

/// Entries of one subfolder looked at, at most: a bound on listing a huge folder.
const MAX_ENTRIES: usize = 1_000_000;

const SYMLINK: &str = "symbolic links are not followed: a pack cannot reach outside its folder";

/// Reads `pack.toml` and the files of `notes/`, `cards/` and `questions/`. Problems with single
/// files and subfolders go to the returned [`Sink`]; an `Err` means the folder itself cannot be
/// read.
pub(super) fn read(dir: &Path) -> io::Result<(Vec<PackFile>, Sink)> {
    let root = Folder::open_root(dir)?;
    let mut walk = Walk {
        files: Vec::new(),
        sink: Sink::new(),
        bytes: 0,
        count: 0,
    };
    walk.file(&root, "pack.toml", "pack.toml");
    for (sub, ext) in FOLDERS {
        walk.folder(&root, sub, ext);
    }
    // W006: a name at the top that looks meant for coldstart but is not read (`card/`,
    // `Notes/`, `Pack.toml`). A listing that fails here was reported above, or is harmless.
    if let Ok((names, _)) = root.names() {
        let mut names: Vec<String> = names
            .into_iter()
            .filter_map(|n| match n {
                Name::Text(t) => Some(t),
                Name::Bytes(_) => None,
            })
            .collect();
        names.sort();
        for name in names {
            let lower = name.to_ascii_lowercase();
            let meant = match lower.as_str() {
                "pack.toml" if name != "pack.toml" => Some("pack.toml".to_owned()),
                "card" | "cards" | "note" | "notes" | "question" | "questions"
                    if !FOLDERS.iter().any(|(sub, _)| *sub == name) =>
                {
                    let plural = lower.trim_end_matches('s');
                    Some(format!("{plural}s/"))
                }
                _ => None,
            };
            if let Some(meant) = meant {
                walk.sink.push(
                    &name,
                    None,
                    0,
                    Severity::Warning,
                    "W006",
                    format!(
                        "`{name}` is not read: coldstart reads `{meant}` (lowercase, as written)"
                    ),
                );
            }
        }
    }
    Ok((walk.files, walk.sink))
}

struct Walk {
    files: Vec<PackFile>,
    sink: Sink,
    /// Bytes read so far, against [`MAX_PACK_BYTES`].
    bytes: u64,
    /// Files named like pack files so far, against [`MAX_FILES`].
    count: usize,
}

impl Walk {
    fn refuse(&mut self, rel: &str, code: &'static str, message: impl Into<String>) {
        self.sink.push(rel, None, 0, Severity::Error, code, message);
    }

    fn folder(&mut self, root: &Folder, sub: &str, ext: &str) {
        match root.kind(sub) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return,
            Err(e) => return self.refuse(sub, "E001", format!("cannot read the folder: {e}")),
            Ok(Kind::Folder) => {}
            Ok(Kind::Symlink) => return self.refuse(sub, "E009", SYMLINK),
            Ok(Kind::File { .. }) => {
                return self.refuse(sub, "E021", format!("`{sub}` is a file, not a folder"));
            }
            Ok(Kind::Special(what)) => {
                return self.refuse(sub, "E021", format!("`{sub}` is {what}, not a folder"));
            }
        }
        let folder = match root.subfolder(sub) {
            Ok(f) => f,
            Err(e) if is_symlink_error(&e) => return self.refuse(sub, "E009", SYMLINK),
            Err(e) => return self.refuse(sub, "E001", format!("cannot list the folder: {e}")),
        };
        let (mut names, complete) = match folder.names() {
            Ok(listed) => listed,
            Err(e) => return self.refuse(sub, "E001", format!("cannot list the folder: {e}")),
        };
        if !complete {
            self.refuse(
                sub,
                "E020",
                format!("the folder has more than {MAX_ENTRIES} entries; the rest were not read"),
            );
        }
        names.retain(|n| !n.as_bytes().starts_with(b"."));
        // W006: `x.TOML` or `x.Md` next to the files that are read.
        for n in &names {
            let b = n.as_bytes();
            if !b.ends_with(ext.as_bytes())
                && b.len() >= ext.len()
                && b[b.len() - ext.len()..].eq_ignore_ascii_case(ext.as_bytes())
            {
                let rel = format!("{sub}/{}", n.lossy());
                self.sink.push(
                    &rel,
                    None,
                    0,
                    Severity::Warning,
                    "W006",
                    format!("not read: only names ending in `{ext}` (lowercase) are read here"),
                );
            }
        }
        names.retain(|n| n.as_bytes().ends_with(ext.as_bytes()));
        names.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        for name in names {
            let rel = format!("{sub}/{}", name.lossy());
            let Name::Text(name) = name else {
                self.refuse(
                    &rel,
                    "E022",
                    "the file name is not valid UTF-8; rename the file",
                );
                continue;
            };
            self.file(&folder, &name, &rel);
        }
    }

    /// Reads one file, or says why it was not read.
    fn file(&mut self, folder: &Folder, name: &str, rel: &str) {
        match folder.kind(name) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return,
            Err(e) => return self.refuse(rel, "E001", format!("cannot read the file: {e}")),
            Ok(kind) => {
                if !self.acceptable(rel, kind) {
                    return;
                }
            }
        }
        self.count += 1;
        if self.count > MAX_FILES {
            if self.count == MAX_FILES + 1 {
                self.refuse(
                    rel,
                    "E020",
                    format!(
                        "the pack has more than {MAX_FILES} files; this one and those after it \
                         were not read"
                    ),
                );
            }
            return;
        }
        let (file, kind) = match folder.open_file(name) {
            Ok(opened) => opened,
            Err(e) if is_symlink_error(&e) => return self.refuse(rel, "E009", SYMLINK),
            Err(e) => return self.refuse(rel, "E001", format!("cannot read the file: {e}")),
        };
        // Checked again on the handle: what is read is what was checked.
        if !self.acceptable(rel, kind) {
            return;
        }
        // Room for the length the handle has (within the limit, which `acceptable` checked),
        // so the buffer is not grown and copied as the file is read; a file that grew since
        // is still read to the limit.
        let len = match kind {
            Kind::File { len } => len.min(MAX_FILE_BYTES) as usize,
            _ => 0,
        };
        let mut bytes = Vec::with_capacity(len + 1);
        if let Err(e) = file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes) {
            return self.refuse(rel, "E001", format!("cannot read the file: {e}"));
        }
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return self.refuse(rel, "E008", too_big(bytes.len() as u64));
        }
        self.bytes += bytes.len() as u64;
        if self.bytes > MAX_PACK_BYTES {
            return self.refuse(rel, "E020", over_total());
        }
        self.files.push(PackFile {
            path: rel.to_owned(),
            bytes: std::borrow::Cow::Owned(bytes),
        });
    }

    /// Whether a path of this kind may be read; says why not.
    fn acceptable(&mut self, rel: &str, kind: Kind) -> bool {
        match kind {
            Kind::File { len } if len > MAX_FILE_BYTES => self.refuse(rel, "E008", too_big(len)),
            Kind::File { len } if self.bytes + len > MAX_PACK_BYTES => {
                self.refuse(rel, "E020", over_total())
            }
            Kind::File { .. } => return true,
            Kind::Symlink => self.refuse(rel, "E009", SYMLINK),
            Kind::Folder => self.refuse(rel, "E021", "this is a folder, not a file"),
            Kind::Special(what) => self.refuse(
                rel,
                "E021",
                format!("this is {what}, not a regular file; it was not opened"),
            ),
        }
        false
    }
}

fn too_big(len: u64) -> String {
    format!("file is {len} bytes; the limit is {MAX_FILE_BYTES} (1 MiB)")
}

fn over_total() -> String {
    format!(
        "not read: the pack's files add up to more than {} MiB, the limit for a whole pack",
        MAX_PACK_BYTES / (1024 * 1024)
    )
}

/// A file name as listed: text, or bytes that are not UTF-8.
enum Name {
    Text(String),
    Bytes(Vec<u8>),
}

impl Name {
    fn as_bytes(&self) -> &[u8] {
        match self {
            Name::Text(t) => t.as_bytes(),
            Name::Bytes(b) => b,
        }
    }

    fn lossy(&self) -> String {
        String::from_utf8_lossy(self.as_bytes()).into_owned()
    }
}

#[cfg(unix)]
fn is_symlink_error(e: &io::Error) -> bool {
    e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error())
}

#[cfg(not(unix))]
fn is_symlink_error(_: &io::Error) -> bool {
    false
}

/// An open folder: its handle on Unix, its path elsewhere.
#[cfg(unix)]
struct Folder {
    fd: std::os::fd::OwnedFd,
}

#[cfg(unix)]
impl Folder {
    fn open_root(dir: &Path) -> io::Result<Self> {
        use rustix::fs::{Mode, OFlags};
        let meta = std::fs::metadata(dir)?;
        if !meta.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                format!("{} is not a folder", dir.display()),
            ));
        }
        // The folder the user named may itself be reached through a link; what is inside it
        // may not. Opening it for reading fails on a folder that cannot be listed.
        let fd = rustix::fs::open(
            dir,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
        Ok(Self { fd })
    }

    fn kind(&self, name: &str) -> io::Result<Kind> {
        let stat = rustix::fs::statat(&self.fd, name, rustix::fs::AtFlags::SYMLINK_NOFOLLOW)?;
        Ok(kind_of(&stat))
    }

    fn subfolder(&self, name: &str) -> io::Result<Self> {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(&self.fd, name, flags, Mode::empty())?;
        Ok(Self { fd })
    }

    fn open_file(&self, name: &str) -> io::Result<(std::fs::File, Kind)> {
        use rustix::fs::{Mode, OFlags};
        let flags =
            OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(&self.fd, name, flags, Mode::empty())?;
        let kind = kind_of(&rustix::fs::fstat(&fd)?);
        Ok((std::fs::File::from(fd), kind))
    }

    /// The names in the folder, and whether that is all of them (see [`MAX_ENTRIES`]).
    fn names(&self) -> io::Result<(Vec<Name>, bool)> {
        let mut names = Vec::new();
        let dir = rustix::fs::Dir::read_from(&self.fd)?;
        for (i, entry) in dir.enumerate() {
            if i >= MAX_ENTRIES {
                return Ok((names, false));
            }
            let entry = entry?;
            let bytes = entry.file_name().to_bytes();
            if bytes == b"." || bytes == b".." {
                continue;
            }
            names.push(match std::str::from_utf8(bytes) {
                Ok(t) => Name::Text(t.to_owned()),
                Err(_) => Name::Bytes(bytes.to_vec()),
            });
        }
        Ok((names, true))
    }
}

#[cfg(unix)]
fn kind_of(stat: &rustix::fs::Stat) -> Kind {
    use rustix::fs::FileType;
    match FileType::from_raw_mode(stat.st_mode) {
        FileType::RegularFile => Kind::File {
            len: u64::try_from(stat.st_size).unwrap_or(u64::MAX),
        },
        FileType::Directory => Kind::Folder,
        FileType::Symlink => Kind::Symlink,
        FileType::Fifo => Kind::Special("a FIFO (named pipe)"),
        FileType::Socket => Kind::Special("a socket"),
        FileType::CharacterDevice | FileType::BlockDevice => Kind::Special("a device"),
        FileType::Unknown => Kind::Special("not a regular file"),
    }
}

/// An open folder: its path, on systems without `openat`. Each path is checked with
/// `symlink_metadata` before it is read.
#[cfg(not(unix))]
struct Folder {
    path: std::path::PathBuf,
}

#[cfg(not(unix))]
impl Folder {
    fn open_root(dir: &Path) -> io::Result<Self> {
        let meta = std::fs::metadata(dir)?;
        if !meta.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                format!("{} is not a folder", dir.display()),
            ));
        }
        std::fs::read_dir(dir)?;
        Ok(Self {
            path: dir.to_owned(),
        })
    }

    fn kind(&self, name: &str) -> io::Result<Kind> {
        let meta = std::fs::symlink_metadata(self.path.join(name))?;
        let t = meta.file_type();
        Ok(if t.is_symlink() {
            Kind::Symlink
        } else if t.is_dir() {
            Kind::Folder
        } else if t.is_file() {
            Kind::File { len: meta.len() }
        } else {
            Kind::Special("not a regular file")
        })
    }

    fn subfolder(&self, name: &str) -> io::Result<Self> {
        Ok(Self {
            path: self.path.join(name),
        })
    }

    fn open_file(&self, name: &str) -> io::Result<(std::fs::File, Kind)> {
        let kind = self.kind(name)?;
        let file = std::fs::File::open(self.path.join(name))?;
        Ok((file, kind))
    }

    fn names(&self) -> io::Result<(Vec<Name>, bool)> {
        let mut names = Vec::new();
        for (i, entry) in std::fs::read_dir(&self.path)?.enumerate() {
            if i >= MAX_ENTRIES {
                return Ok((names, false));
            }
            names.push(match entry?.file_name().into_string() {
                Ok(t) => Name::Text(t),
                Err(os) => Name::Bytes(os.to_string_lossy().into_owned().into_bytes()),
            });
        }
        Ok((names, true))
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// The race the issue found: a path checked as a file, then swapped for a link before it is
    /// read. Opening is what refuses the link now, so the swap is simulated by opening a link
    /// directly: the kernel says no, nothing outside the pack is read.
    #[test]
    fn a_link_swapped_in_after_the_check_is_not_followed() {
        let outside = tempfile::tempdir().expect("tempdir");
        std::fs::write(outside.path().join("secret.toml"), "secret = 1").expect("write");
        std::fs::create_dir(outside.path().join("folder")).expect("mkdir");
        let pack = tempfile::tempdir().expect("tempdir");
        std::os::unix::fs::symlink(
            outside.path().join("secret.toml"),
            pack.path().join("pack.toml"),
        )
        .expect("symlink");
        std::os::unix::fs::symlink(outside.path().join("folder"), pack.path().join("cards"))
            .expect("symlink");
        let root = Folder::open_root(pack.path()).expect("open the pack folder");
        let e = root
            .open_file("pack.toml")
            .expect_err("a link is not opened");
        assert!(is_symlink_error(&e), "{e}");
        assert!(root.subfolder("cards").is_err());
        // And through the whole walk: each is a diagnostic, nothing is read.
        let (files, sink) = read(pack.path()).expect("read");
        assert!(files.is_empty());
        let codes: Vec<(&str, &str)> = sink
            .diagnostics
            .iter()
            .map(|d| (d.file.as_str(), d.code))
            .collect();
        assert_eq!(codes, [("pack.toml", "E009"), ("cards", "E009")]);
    }
}
