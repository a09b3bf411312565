//! Content packs: the model, loading from the embedded pack or a folder, and validation.

mod diagnostic;
mod exam;
mod load;
mod markdown;
mod model;
mod raw;
mod slug;

pub use diagnostic::{Diagnostic, Severity, printable};
pub use exam::{
    ExamDomain, ExamProfile, ExamStatus, FALLBACK_EXAM_ID, PassMark, largest_remainder,
};
pub use load::{
    FORMAT, FolderRead, InvalidPack, MAX_FILE_BYTES, MAX_FILES, MAX_ITEMS, MAX_PACK_BYTES,
    MAX_WEIGHT, PackFile, Report, UNREADABLE, load_dir, load_files, load_read, read_dir,
};
pub use markdown::{
    Block, LinkTarget, TableText, blocks as markdown_blocks, options as markdown_options,
    resolve_link,
};
pub use model::*;
pub use slug::slugify;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_pack.rs"));
}

/// The files of the default pack, embedded in the binary by `build.rs`.
pub fn embedded_files() -> Vec<PackFile> {
    embedded::FILES
        .iter()
        .map(|(path, bytes)| PackFile {
            path: (*path).to_owned(),
            bytes: std::borrow::Cow::Borrowed(*bytes),
        })
        .collect()
}

/// The default pack, parsed only: it is validated before a build ships
/// (`tests/embedded_pack.rs` runs the full check on these very files and compares the packs),
/// so the checks that can only find problems are skipped here ([`load::load_trusted`]). An
/// error here is a build defect.
pub fn embedded() -> Result<Pack, InvalidPack> {
    load::load_trusted(&embedded_files()).into_valid()
}

/// The default pack with every check run, as `coldstart check` runs them on a folder: for the
/// tests that guard it, and the start-up benchmark's comparison.
pub fn embedded_checked() -> Report {
    load_files(&embedded_files())
}
