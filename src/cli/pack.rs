//! `coldstart pack …`: exchange of packs, cards and questions, and the pack library's `list`,
//! `install` and `remove` (in `pack_library`).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::authoring::exchange::{self, ExchangeError, ImportReport, anki, quiz_formats};
use crate::content::{self, Pack, PackFile};

#[derive(clap::Subcommand, Debug)]
pub enum PackCommand {
    /// List the built-in pack and the installed ones, with your progress in each (* active).
    List {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Install a pack from a folder or a .zip into the library (checked first; refused with
    /// the reasons if it has errors or the zip is unsafe). Installing an installed id updates it.
    Install {
        /// The pack folder or .zip file.
        path: PathBuf,
        /// Replace an installed pack even with an older version or by another author.
        #[arg(long)]
        yes: bool,
    },
    /// Remove an installed pack's files; your progress on it is kept unless --delete-progress.
    Remove {
        /// The pack id.
        id: String,
        /// Also delete your progress on the pack (reviews, quiz answers, notes read).
        #[arg(long)]
        delete_progress: bool,
    },
    /// Write a pack in another format: the pack folder as a zip (default), its cards as an Anki
    /// package or CSV, its questions as Moodle XML or GIFT.
    Export(ExportArgs),
    /// Append cards from a spreadsheet (CSV with a header row: front, back, source, tags) to
    /// DIR/cards/TOPIC.toml; rows that cannot be taken are reported with their line.
    ImportCards {
        /// The CSV file.
        file: PathBuf,
        /// The pack folder to add the cards to.
        #[arg(long, value_name = "DIR")]
        into: PathBuf,
        /// The topic the cards belong to (it must have a note).
        #[arg(long, value_name = "TOPIC")]
        topic: String,
    },
    /// Turn the Basic notes of an Anki package into cards of a pack folder (HTML → Markdown
    /// where it can be, reported where not).
    ImportAnki {
        /// The .apkg file (exported with "Support older Anki versions" if from Anki 2.1.50+).
        file: PathBuf,
        /// The pack folder to add the cards to.
        #[arg(long, value_name = "DIR")]
        into: PathBuf,
        /// The topic the cards belong to (default: the pack's first topic).
        #[arg(long, value_name = "TOPIC")]
        topic: Option<String>,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The pack folder itself, zipped.
    Zip,
    /// Cards as an Anki package.
    Apkg,
    /// Questions as Moodle XML (multiple choice with feedback per choice).
    Moodle,
    /// Questions in GIFT (Moodle's text format).
    Gift,
    /// Cards as CSV (front, back, source, tags, refs, id).
    Csv,
}

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// The pack id: an installed pack's, the built-in pack's, or that of the folder given with
    /// --pack.
    pub id: String,
    #[arg(long, value_enum, default_value_t = Format::Zip)]
    pub format: Format,
    /// The file to write.
    #[arg(long, short, value_name = "FILE")]
    pub out: PathBuf,
    /// apkg only: carry your review history (and each card's schedule) into the package.
    #[arg(long)]
    pub with_progress: bool,
}

/// The pack to export: its model and its files.
pub struct Source {
    pub pack: Pack,
    pub files: Vec<PackFile>,
}

/// The built-in pack, or the folder `dir` (which must pass `check`).
pub fn source(dir: Option<&Path>) -> Result<Source, String> {
    match dir {
        None => {
            let files = content::embedded_files();
            let pack = content::load_files(&files)
                .into_valid()
                .map_err(|_| "the built-in pack is broken".to_owned())?;
            Ok(Source { pack, files })
        }
        Some(dir) => {
            let report = content::load_dir(dir)
                .map_err(|e| format!("cannot read pack folder {}: {e}", dir.display()))?;
            let errors = report.errors();
            let pack = report.into_valid().map_err(|_| {
                format!(
                    "{} has {errors} errors; run `coldstart check {}`",
                    dir.display(),
                    dir.display()
                )
            })?;
            let files = exchange::read_pack_files(dir).map_err(|e| e.to_string())?;
            Ok(Source { pack, files })
        }
    }
}

/// `pack export`. `progress` is the learner's history when `--with-progress` was given.
/// Exit codes: 0 written, 2 an error (unknown id, I/O).
pub fn export(
    args: &ExportArgs,
    src: &Source,
    progress: Option<&anki::Progress<'_>>,
    now_ms: i64,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    if args.id != src.pack.meta.id {
        let _ = writeln!(
            err,
            "coldstart: no pack {:?} here: the {} pack is {:?} (give another folder with --pack DIR)",
            args.id,
            if src.files.iter().any(|f| f.path == "pack.toml") {
                "chosen"
            } else {
                "built-in"
            },
            src.pack.meta.id
        );
        return 2;
    }
    if args.with_progress && args.format != Format::Apkg {
        let _ = writeln!(
            err,
            "coldstart: --with-progress applies to --format apkg only"
        );
        return 2;
    }
    let result: Result<String, ExchangeError> = (|| {
        let path = &args.out;
        let create = || std::fs::File::create(path).map_err(exchange::io_err(path));
        match args.format {
            Format::Zip => {
                let w = exchange::write_pack_zip(
                    &src.files,
                    &src.pack.meta.id,
                    std::io::BufWriter::new(create()?),
                )?;
                w.into_inner()
                    .map_err(|e| exchange::io_err(path)(e.into_error()))?;
                Ok(format!("{} files", src.files.len()))
            }
            Format::Apkg => {
                anki::write_apkg(&src.pack, progress, now_ms, path)?;
                Ok(format!(
                    "{} cards{}",
                    src.pack.cards.len(),
                    progress.map_or(String::new(), |p| format!(", {} reviews", p.log.len()))
                ))
            }
            Format::Moodle => {
                std::fs::write(path, quiz_formats::moodle_xml(&src.pack))
                    .map_err(exchange::io_err(path))?;
                Ok(format!("{} questions", src.pack.questions.len()))
            }
            Format::Gift => {
                std::fs::write(path, quiz_formats::gift(&src.pack))
                    .map_err(exchange::io_err(path))?;
                Ok(format!("{} questions", src.pack.questions.len()))
            }
            Format::Csv => {
                let mut w = std::io::BufWriter::new(create()?);
                exchange::write_cards_csv(&src.pack, &mut w)?;
                w.flush().map_err(exchange::io_err(path))?;
                Ok(format!("{} cards", src.pack.cards.len()))
            }
        }
    })();
    match result {
        Ok(what) => {
            let _ = writeln!(out, "wrote {} ({what})", args.out.display());
            0
        }
        Err(e) => {
            let _ = writeln!(err, "coldstart: {e}");
            2
        }
    }
}

/// Prints an import's report, then checks the pack again so a problem in the new cards shows.
/// Exit codes: 0 imported (rows may have been skipped), 1 the pack has errors after the import,
/// 2 nothing imported (unreadable input or folder).
pub fn print_import(
    dir: &Path,
    result: Result<ImportReport, ExchangeError>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "coldstart: {e}");
            return 2;
        }
    };
    for s in &report.skipped {
        let _ = writeln!(err, "line {}: skipped: {}", s.line, s.reason);
    }
    for s in &report.warnings {
        let _ = writeln!(err, "line {}: warning: {}", s.line, s.reason);
    }
    let _ = writeln!(
        out,
        "added {} cards to {}; skipped {}",
        report.added.len(),
        dir.join(&report.file).display(),
        report.skipped.len()
    );
    match content::load_dir(dir) {
        Ok(r) if r.errors() > 0 => {
            for d in r.diagnostics.iter().filter(|d| d.file == report.file) {
                let _ = writeln!(err, "{d}");
            }
            let _ = writeln!(
                err,
                "coldstart: the pack now has {} errors; run `coldstart check {}`",
                r.errors(),
                dir.display()
            );
            1
        }
        _ => 0,
    }
}

/// `pack import-cards`.
pub fn import_cards(
    file: &Path,
    into: &Path,
    topic: &str,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let result = std::fs::File::open(file)
        .map_err(exchange::io_err(file))
        .and_then(|f| exchange::import_cards(std::io::BufReader::new(f), into, topic));
    print_import(into, result, out, err)
}

/// `pack import-anki`.
pub fn import_anki(
    file: &Path,
    into: &Path,
    topic: Option<&str>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let topic = match topic {
        Some(t) => t.to_owned(),
        None => match content::load_dir(into)
            .ok()
            .and_then(|r| r.pack.topics.first().map(|t| t.id.clone()))
        {
            Some(t) => t,
            None => {
                let _ = writeln!(
                    err,
                    "coldstart: {} has no topic to put the cards in (give --topic)",
                    into.display()
                );
                return 2;
            }
        },
    };
    print_import(into, anki::import_anki(file, into, &topic), out, err)
}
