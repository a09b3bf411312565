//! `coldstart new`: a small pack that shows every feature of the format, with comments saying
//! what each field does. It passes `coldstart check` and `coldstart lint` as written.

use std::path::{Path, PathBuf};

/// The starter pack's files: path inside the pack, text with `{{ID}}`, `{{TITLE}}` and
/// `{{TODAY}}` still to fill in.
const FILES: &[(&str, &str)] = &[
    ("pack.toml", include_str!("template/pack.toml")),
    (
        "notes/function-timeout.md",
        include_str!("template/notes/function-timeout.md"),
    ),
    (
        "cards/function-timeout.toml",
        include_str!("template/cards/function-timeout.toml"),
    ),
    (
        "questions/function-timeout.toml",
        include_str!("template/questions/function-timeout.toml"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum NewError {
    #[error(
        "the pack id {0:?} is not valid: use lowercase ASCII letters, digits and '-' (for example my-course)"
    )]
    BadId(String),
    #[error("the title is empty")]
    EmptyTitle,
    #[error("{0} already exists and is not an empty folder; nothing was written")]
    NotEmpty(PathBuf),
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Whether `id` is a valid pack, topic, card or question id.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A pack id made from a folder name: lowercased, other characters turned into '-'.
pub fn id_from_dir(dir: &Path) -> String {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut id = String::new();
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            id.push(c);
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_matches('-').to_owned();
    if id.is_empty() {
        "my-pack".to_owned()
    } else {
        id
    }
}

/// The starter pack's files with the placeholders filled in, as (path, text).
pub fn files(id: &str, title: &str, today: jiff::civil::Date) -> Vec<(&'static str, String)> {
    let id = toml_string(id);
    let title = toml_string(title);
    let today = today.to_string();
    FILES
        .iter()
        .map(|(path, text)| {
            (
                *path,
                text.replace("{{ID}}", &id)
                    .replace("{{TITLE}}", &title)
                    .replace("{{TODAY}}", &today),
            )
        })
        .collect()
}

/// Writes the starter pack into `dir`, which must not exist or be an empty folder. Returns the
/// paths written. On an error nothing that was there before is touched.
pub fn write_new(
    dir: &Path,
    id: &str,
    title: &str,
    today: jiff::civil::Date,
) -> Result<Vec<PathBuf>, NewError> {
    if !valid_id(id) {
        return Err(NewError::BadId(id.to_owned()));
    }
    if title.trim().is_empty() {
        return Err(NewError::EmptyTitle);
    }
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| NewError::Io { path, source }
    };
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(io(dir))?;
        if entries.next().is_some() {
            return Err(NewError::NotEmpty(dir.to_owned()));
        }
    }
    let mut written = Vec::new();
    for (rel, text) in files(id, title, today) {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        // create_new: never overwrite a file, even one that appeared since the check above.
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(io(&path))?;
        std::io::Write::write_all(&mut f, text.as_bytes()).map_err(io(&path))?;
        written.push(path);
    }
    Ok(written)
}

/// `s` as a TOML basic string, quotes included.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_folder_names() {
        assert_eq!(id_from_dir(Path::new("/x/My Course_2")), "my-course-2");
        assert_eq!(id_from_dir(Path::new("/x/__")), "my-pack");
        assert!(valid_id("a-1"));
        assert!(!valid_id("A"));
        assert!(!valid_id(""));
    }

    #[test]
    fn a_title_with_quotes_stays_one_toml_string() {
        let d = jiff::civil::date(2026, 12, 3);
        let files = files("x", "Say \"hi\"\n", d);
        let pack: toml::Table = toml::from_str(&files[0].1).expect("pack.toml parses");
        assert_eq!(pack["title"].as_str(), Some("Say \"hi\"\n"));
    }
}
