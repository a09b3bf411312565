//! The `coldstart` binary: parses arguments, resolves paths, opens the store, starts the GUI or
//! runs a subcommand. Nothing else lives here.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use coldstart::app::pack_load::{self, PackLoad};
use coldstart::app::watch::PackWatcher;
use coldstart::app::{AppState, NoticeLevel};
use coldstart::clock::SystemClock;
use coldstart::content;
use coldstart::ui::ColdstartApp;

/// Learn AWS Lambda for the AWS certification exams: notes, flashcards, quizzes, simulators.
#[derive(Parser)]
#[command(name = "coldstart", version, about)]
struct Cli {
    /// Open the app on this content pack folder instead of the built-in one (reloads on change).
    #[arg(long, value_name = "DIR", global = true)]
    pack: Option<PathBuf>,

    /// Open the installed pack with this id (see `coldstart pack list`) instead of the active one.
    #[arg(long, value_name = "ID", global = true, conflicts_with = "pack")]
    pack_id: Option<String>,

    /// Where progress is kept (default: the platform's data folder).
    #[arg(long, value_name = "DIR", env = "COLDSTART_DATA_DIR", global = true)]
    data_dir: Option<PathBuf>,

    /// Preview a pack as its author: browse every card and question by topic and section;
    /// nothing is recorded (progress stays in memory and is never written).
    #[arg(long)]
    preview: bool,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Validate a content pack: print every problem as path:line:col and exit 1 if any is an
    /// error (2 on usage or I/O errors).
    Check {
        /// The pack folder (the one holding pack.toml).
        dir: PathBuf,
        /// Print a JSON report instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Run a simulator (retry, traffic, concurrency, sqs, kinesis) and print its timeline;
    /// `coldstart sim NAME --help` lists its keys.
    Sim(coldstart::cli::sim::SimArgs),
    /// Print your progress on the pack: cards due, retention, streak, exam outlook, every topic.
    Stats {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List the exams the pack prepares for, with their status, dates, shape and domains.
    Exams {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write your answers as CSV (flashcard reviews, or quiz answers) to a file or stdout.
    Export {
        /// Which answers.
        #[arg(value_enum)]
        what: coldstart::cli::export::What,
        /// Write to this file instead of stdout.
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Start a pack: write a small valid pack into DIR showing every feature of the format,
    /// with comments on each field.
    New {
        /// The folder to create (it must not exist or be empty).
        dir: PathBuf,
        /// The pack id (default: made from the folder name).
        #[arg(long)]
        id: Option<String>,
        /// The pack title.
        #[arg(long)]
        title: Option<String>,
    },
    /// Item statistics: per question, from first-sight answers, the share right, discrimination,
    /// how often each choice is picked and the time spent; flags questions to look at.
    ItemStats {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Leave out questions with fewer first-sight answers than this.
        #[arg(long, value_name = "N", default_value_t = 5)]
        min_answers: usize,
        /// Read learners' `coldstart export quiz` CSV files (one per learner) instead of your
        /// progress.
        #[arg(long, value_name = "FILE", num_args = 1..)]
        from: Vec<PathBuf>,
    },
    /// Packs, cards and questions to and from other tools: `coldstart pack export`,
    /// `import-cards`, `import-anki`.
    #[command(subcommand)]
    Pack(coldstart::cli::pack::PackCommand),
    /// Copy your progress file (SQLite's online backup, checked) to today's backup beside it,
    /// or to FILE. Close the coldstart window first.
    Backup {
        /// Write the copy here instead (a new file).
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Replace your progress with a backup: it is checked first and your current progress file
    /// is kept aside. Close the coldstart window first.
    Restore {
        /// The backup (a file in `backups/` beside your progress, or one `backup -o` wrote).
        file: PathBuf,
    },
    /// Fit the memory model (FSRS parameters) to your review history, as the app does by
    /// itself; adopted only if it predicts your newest reviews better. Close the window first.
    Optimize {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Second opinions on the writing of a pack's questions and cards (warnings L001…, see
    /// content/README.md); exit 1 if the pack does not pass `check`.
    Lint {
        /// The pack folder.
        dir: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    coldstart::memory::limit_retained();
    let mut cli = Cli::parse();
    // `--pack-id ID` is the installed pack's folder, without live reload.
    let live = cli.pack.is_some();
    if let Some(id) = &cli.pack_id {
        match installed_dir(id, cli.data_dir.clone()) {
            Ok(dir) => cli.pack = Some(dir),
            Err(e) => {
                eprintln!("coldstart: {e:#}");
                return ExitCode::from(2);
            }
        }
    }
    // Commands that read "the pack" follow the one chosen on the Packs screen, as the app does.
    if cli.pack.is_none()
        && matches!(
            cli.command,
            Some(Command::Stats { .. } | Command::Exams { .. } | Command::Export { .. })
                | Some(Command::ItemStats { .. })
        )
        && let Ok(data) = data_dir(cli.data_dir.clone())
    {
        let library = coldstart::library::Library::new(&data);
        if let coldstart::library::Active::Installed(id) = library.active()
            && library.open(&id).is_ok()
        {
            cli.pack = library.dir_of(&id);
        }
    }
    match cli.command {
        Some(Command::Check { dir, json }) => {
            let (code, report) = coldstart::cli::check::run_keeping(
                &dir,
                json,
                &mut std::io::stdout(),
                &mut std::io::stderr(),
            );
            // The process ends here: the system takes the report's memory back at once, far
            // faster than freeing each of a large pack's allocations (see `run_keeping`).
            std::mem::forget(report);
            ExitCode::from(code as u8)
        }
        Some(Command::Sim(args)) => {
            let code =
                coldstart::cli::sim::run(&args, &mut std::io::stdout(), &mut std::io::stderr());
            ExitCode::from(code as u8)
        }
        Some(Command::Stats { json }) => with_progress(cli.pack, cli.data_dir, |pack, store| {
            let mut state = AppState::new(pack, store, Arc::new(SystemClock))?;
            Ok(coldstart::cli::stats::run(
                &mut state,
                json,
                &mut std::io::stdout(),
                &mut std::io::stderr(),
            ))
        }),
        Some(Command::Exams { json }) => {
            let pack = match &cli.pack {
                None => content::embedded().context("the built-in pack is broken"),
                Some(dir) => content::load_dir(dir)
                    .map(|r| r.pack)
                    .with_context(|| format!("cannot read pack folder {}", dir.display())),
            };
            match pack {
                Ok(pack) => {
                    let code = coldstart::cli::exams::run(
                        &pack,
                        json,
                        &mut std::io::stdout(),
                        &mut std::io::stderr(),
                    );
                    ExitCode::from(code as u8)
                }
                Err(e) => {
                    eprintln!("coldstart: {e:#}");
                    ExitCode::from(2)
                }
            }
        }
        Some(Command::Export { what, out }) => {
            with_progress(cli.pack, cli.data_dir, |pack, store| {
                let mut err = std::io::stderr();
                Ok(match &out {
                    Some(path) => coldstart::cli::export::run_to_file(
                        &store,
                        &pack.meta.id,
                        what,
                        path,
                        &mut err,
                    ),
                    None => {
                        let mut stdout = coldstart::cli::export::stdout()
                            .context("cannot write to standard output")?;
                        let code = coldstart::cli::export::run(
                            &store,
                            &pack.meta.id,
                            what,
                            &mut stdout,
                            &mut err,
                        );
                        match stdout.flush() {
                            Ok(()) => code,
                            Err(_) if code != 0 => code,
                            Err(e) => {
                                eprintln!("coldstart: cannot write the export: {e}");
                                2
                            }
                        }
                    }
                })
            })
        }
        Some(Command::New { dir, id, title }) => {
            let code = coldstart::cli::new::run(
                &dir,
                id.as_deref(),
                title.as_deref(),
                today(),
                &mut std::io::stdout(),
                &mut std::io::stderr(),
            );
            ExitCode::from(code as u8)
        }
        Some(Command::ItemStats {
            json,
            min_answers,
            from,
        }) if !from.is_empty() => {
            let result = load_pack(cli.pack.as_deref()).and_then(|pack| {
                let answers = coldstart::cli::item_stats::answers_from_files(&from)
                    .map_err(anyhow::Error::msg)?;
                Ok(coldstart::cli::item_stats::run(
                    &pack,
                    &answers,
                    json,
                    min_answers,
                    &mut std::io::stdout(),
                    &mut std::io::stderr(),
                ))
            });
            exit(result)
        }
        Some(Command::ItemStats {
            json, min_answers, ..
        }) => with_progress(cli.pack, cli.data_dir, |pack, store| {
            let answers = coldstart::cli::item_stats::answers_from_store(&store, &pack.meta.id)
                .map_err(anyhow::Error::msg)?;
            Ok(coldstart::cli::item_stats::run(
                &pack,
                &answers,
                json,
                min_answers,
                &mut std::io::stdout(),
                &mut std::io::stderr(),
            ))
        }),
        Some(Command::Pack(cmd)) => run_pack(cmd, cli.pack, cli.data_dir),
        Some(Command::Lint { dir, json }) => {
            let code = coldstart::cli::lint::run(
                &dir,
                json,
                today(),
                &mut std::io::stdout(),
                &mut std::io::stderr(),
            );
            ExitCode::from(code as u8)
        }
        Some(Command::Backup { out }) => exit(data_dir(cli.data_dir).map(|data| {
            coldstart::cli::backup::run_backup(
                &data.join(coldstart::store::FILE_NAME),
                out.as_deref(),
                today(),
                &mut std::io::stdout(),
                &mut std::io::stderr(),
            )
        })),
        Some(Command::Restore { file }) => exit(data_dir(cli.data_dir).map(|data| {
            coldstart::cli::backup::run_restore(
                &data.join(coldstart::store::FILE_NAME),
                &file,
                &mut std::io::stdout(),
                &mut std::io::stderr(),
            )
        })),
        Some(Command::Optimize { json }) => exit((|| {
            let pack = load_pack(cli.pack.as_deref())?;
            let data = data_dir(cli.data_dir)?;
            let (store, _) = coldstart::store::Store::open_in_dir(&data)?;
            Ok(coldstart::cli::optimize::run(
                &store,
                &pack.meta.id,
                jiff::Timestamp::now(),
                json,
                &mut std::io::stdout(),
                &mut std::io::stderr(),
            ))
        })()),
        None => match run_gui(cli.pack, live, cli.data_dir, cli.preview) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("coldstart: {e:#}");
                ExitCode::from(2)
            }
        },
    }
}

/// Runs a subcommand that reads the learner's progress on a pack. Exit 2 when the pack or the
/// store cannot be opened: the progress file is opened read-only, so it is never created, set
/// aside or changed; a missing, damaged or locked one (the app is open) is reported.
fn with_progress(
    pack_dir: Option<PathBuf>,
    data: Option<PathBuf>,
    run: impl FnOnce(Arc<content::Pack>, coldstart::store::Store) -> anyhow::Result<i32>,
) -> ExitCode {
    let result = (|| {
        let pack = match &pack_dir {
            None => content::embedded().context("the built-in pack is broken")?,
            Some(dir) => {
                content::load_dir(dir)
                    .with_context(|| format!("cannot read pack folder {}", dir.display()))?
                    .pack
            }
        };
        let data = data_dir(data)?;
        let path = data.join(coldstart::store::FILE_NAME);
        // Read-only: never creates, sets aside or changes the progress file; damage is reported.
        let store = coldstart::store::Store::open_read_only(&path)?;
        run(Arc::new(pack), store)
    })();
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            eprintln!("coldstart: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run_pack(
    cmd: coldstart::cli::pack::PackCommand,
    pack_dir: Option<PathBuf>,
    data: Option<PathBuf>,
) -> ExitCode {
    use coldstart::cli::pack::{self, PackCommand};
    use coldstart::cli::pack_library;
    let (mut out, mut err) = (std::io::stdout(), std::io::stderr());
    let library = match data_dir(data.clone()) {
        Ok(d) => coldstart::library::Library::new(&d),
        Err(e) => {
            eprintln!("coldstart: {e:#}");
            return ExitCode::from(2);
        }
    };
    let progress_file = || {
        data_dir(data.clone())
            .ok()
            .map(|d| d.join(coldstart::store::FILE_NAME))
            .filter(|p| p.exists())
            .and_then(|p| coldstart::store::Store::open_read_only(&p).ok())
    };
    match cmd {
        PackCommand::List { json } => {
            let store = progress_file();
            let code = pack_library::list(&library, store.as_ref(), json, &mut out, &mut err);
            ExitCode::from(code as u8)
        }
        PackCommand::Install { path, yes } => {
            ExitCode::from(pack_library::install(&library, &path, yes, &mut out, &mut err) as u8)
        }
        PackCommand::Remove {
            id,
            delete_progress,
        } => {
            // Deleting progress needs the progress file writable (not open in the app): opened
            // before anything is removed, so a locked file stops the whole remove.
            let mut store = if delete_progress {
                let opened = data_dir(data.clone())
                    .and_then(|d| Ok(coldstart::store::Store::open_in_dir(&d)?.0));
                match opened {
                    Ok(s) => Some(s),
                    Err(e) => {
                        eprintln!("coldstart: cannot open the progress file: {e:#}");
                        return ExitCode::from(2);
                    }
                }
            } else {
                progress_file()
            };
            let code = pack_library::remove(
                &library,
                store.as_mut(),
                &id,
                delete_progress,
                &mut out,
                &mut err,
            );
            ExitCode::from(code as u8)
        }
        PackCommand::Export(args) => {
            // Without --pack, an installed pack of that id, else the built-in one.
            let pack_dir = pack_dir.or_else(|| {
                library
                    .is_installed(&args.id)
                    .then(|| library.dir_of(&args.id))
                    .flatten()
            });
            let src = match pack::source(pack_dir.as_deref()) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("coldstart: {e}");
                    return ExitCode::from(2);
                }
            };
            let now_ms = jiff::Timestamp::now().as_millisecond();
            if !args.with_progress {
                let code = pack::export(&args, &src, None, now_ms, &mut out, &mut err);
                return ExitCode::from(code as u8);
            }
            with_progress(pack_dir, data, |_, store| {
                let id = &src.pack.meta.id;
                let states = store.card_states(id)?;
                let log = store.answers_since(id, jiff::Timestamp::MIN)?;
                let progress = coldstart::authoring::exchange::anki::Progress {
                    states: &states,
                    log: &log,
                };
                Ok(pack::export(
                    &args,
                    &src,
                    Some(&progress),
                    now_ms,
                    &mut out,
                    &mut err,
                ))
            })
        }
        PackCommand::ImportCards { file, into, topic } => {
            ExitCode::from(pack::import_cards(&file, &into, &topic, &mut out, &mut err) as u8)
        }
        PackCommand::ImportAnki { file, into, topic } => {
            ExitCode::from(
                pack::import_anki(&file, &into, topic.as_deref(), &mut out, &mut err) as u8,
            )
        }
    }
}

/// The pack a subcommand works on: `--pack DIR` (which must pass `check`) or the built-in one.
fn load_pack(dir: Option<&std::path::Path>) -> anyhow::Result<content::Pack> {
    match dir {
        None => Ok(content::embedded().context("the built-in pack is broken")?),
        Some(dir) => Ok(content::load_dir(dir)
            .with_context(|| format!("cannot read pack folder {}", dir.display()))?
            .into_valid()
            .map_err(|e| {
                let first = e
                    .diagnostics
                    .first()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                anyhow::anyhow!(
                    "{} has {} errors (run `coldstart check`), the first: {first}",
                    dir.display(),
                    e.diagnostics.len()
                )
            })?),
    }
}

/// Exit code of a subcommand that returns one, or 2 with the error on stderr.
fn exit(result: anyhow::Result<i32>) -> ExitCode {
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            eprintln!("coldstart: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Today's date where the user is.
fn today() -> jiff::civil::Date {
    jiff::tz::TimeZone::system()
        .to_datetime(jiff::Timestamp::now())
        .date()
}

fn data_dir(explicit: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    if let Some(dir) = explicit {
        return Ok(dir);
    }
    let dirs = directories::ProjectDirs::from("", "", "coldstart")
        .context("cannot find a data folder for this user; pass --data-dir")?;
    Ok(dirs.data_dir().to_owned())
}

/// The folder of the installed pack `id`.
fn installed_dir(id: &str, data: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    let library = coldstart::library::Library::new(&data_dir(data)?);
    match library.dir_of(id) {
        Some(dir) if library.is_installed(id) => Ok(dir),
        _ => anyhow::bail!("no installed pack {id:?} (see `coldstart pack list`)"),
    }
}

fn run_gui(
    pack_dir: Option<PathBuf>,
    live: bool,
    data: Option<PathBuf>,
    preview: bool,
) -> anyhow::Result<()> {
    let data = data_dir(data)?;
    let library = coldstart::library::Library::new(&data);
    // Any pack but the built-in one is read on a thread, started first so it runs while the
    // progress file opens and the window is made; the window shows "Loading <pack>…" until it
    // arrives. The built-in pack was checked before the build shipped: it is only parsed.
    // `wake` repaints the window when a live reload arrives, once there is a window.
    let window: Arc<std::sync::OnceLock<egui::Context>> = Arc::default();
    let wake = {
        let window = window.clone();
        move || {
            if let Some(ctx) = window.get() {
                ctx.request_repaint();
            }
        }
    };
    let mut start_notice = None;
    let load = match (pack_dir, library.active()) {
        (Some(dir), _) if !dir.is_dir() => {
            anyhow::bail!("cannot read pack folder {}: not a folder", dir.display())
        }
        (Some(dir), _) if live => match PackWatcher::start_reading(&dir, wake) {
            Ok(w) => Load::Watched(w, pack_load::folder_name(&dir)),
            Err(e) => {
                start_notice = Some(format!(
                    "Live reload is off: cannot watch {}: {e}",
                    dir.display()
                ));
                Load::Thread(PackLoad::folder(&dir))
            }
        },
        (Some(dir), _) => Load::Thread(PackLoad::folder(&dir)),
        (None, coldstart::library::Active::BuiltIn) => Load::BuiltIn,
        // The pack chosen on the Packs screen, if it still opens (else the built-in one).
        (None, coldstart::library::Active::Installed(id)) => {
            let lib = library.clone();
            Load::Thread(PackLoad::spawn(id.clone(), move || {
                lib.open(&id)
                    .map(|pack| pack_load::Loaded {
                        pack,
                        diagnostics: Vec::new(),
                    })
                    .map_err(|e| format!("The pack {id:?} you chose could not be opened: {e}"))
            }))
        }
    };
    let pack = match &load {
        Load::BuiltIn => content::embedded().context("the built-in pack is broken")?,
        // A placeholder until the pack arrives.
        _ => content::Pack::default(),
    };
    // A progress file that cannot be used still opens the window, on an in-memory store with a
    // banner saying so; it is also said here for whoever started coldstart from a terminal.
    // Preview records nothing: an in-memory state, the progress file never opened.
    let state = if preview {
        let mut state = AppState::in_memory(Arc::new(pack), Arc::new(SystemClock))
            .context("cannot start the preview")?;
        state.notify(
            NoticeLevel::Info,
            "Preview: nothing you do in this window is saved, and no note is marked read in your progress.",
        );
        state
    } else {
        AppState::open_in_dir(Arc::new(pack), &data, Arc::new(SystemClock))
            .context("cannot keep progress even in memory")?
    };
    let title = match &state.not_saving {
        None if preview => "coldstart (preview)",
        None => "coldstart",
        Some(not_saving) => {
            eprintln!(
                "coldstart: progress is NOT being saved.\n  {}\n  {}",
                not_saving.reason, not_saving.remedy
            );
            "coldstart (progress not saved)"
        }
    };

    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(title)
            .with_app_id(APP_ID)
            .with_icon(window_icon())
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([800.0, 560.0]),
        ..Default::default()
    };
    eframe::run_native(
        "coldstart",
        options,
        Box::new(move |cc| {
            coldstart::ui::theme::install(&cc.egui_ctx);
            let mut app = ColdstartApp::new(state).with_library(library);
            if preview {
                app = app.with_preview();
            }
            if let Some(text) = start_notice {
                app.state.notify(NoticeLevel::Warning, text);
            }
            app = match load {
                Load::BuiltIn => app,
                Load::Watched(watcher, name) => app.with_watched_loading(watcher, name),
                Load::Thread(load) => app.with_loading(load),
            };
            let _ = window.set(cc.egui_ctx.clone());
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}

/// Where the window's pack comes from (see `run_gui`).
enum Load {
    BuiltIn,
    /// `--pack DIR`: read first by its live-reload watcher.
    Watched(PackWatcher, String),
    /// An installed pack, or `--pack-id`'s folder.
    Thread(PackLoad),
}

/// The desktop id: the `.desktop` entry's name and `StartupWMClass`, so desktops group the
/// window under the menu entry and show its icon.
const APP_ID: &str = "org.coldstart.Coldstart";

/// The window icon, the same image the `.desktop` entry installs.
fn window_icon() -> egui::IconData {
    // A PNG built into the binary cannot fail to decode unless the build is broken; a window
    // without an icon is still better than no window.
    eframe::icon_data::from_png_bytes(include_bytes!("../assets/icons/coldstart-128.png"))
        .unwrap_or_default()
}
