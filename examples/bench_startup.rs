//! Benchmark: what coldstart does before its first frame, in three cases — a fresh progress file
//! with the built-in pack, a progress file with 1,000,000 reviews of the built-in pack's cards
//! (and three years of daily practice sessions, and an exam date),
//! and a pack of about 10,000 items (the built-in pack's items copied under new ids) with a fresh
//! progress file — plus, for comparison, the 1M-review file after a crash (when the integrity
//! check runs before the window).
//!
//! Run with `cargo run --release --example bench_startup`. Each phase is timed over several runs
//! (min / median / max), as the binary starts:
//! - store open: `Store::open_in_dir` (lock, foreign-log check, integrity check if needed,
//!   migrations, the session's epoch); a folder pack's read has started on a thread before it;
//! - pack load: the built-in pack parsed (`content::embedded`; it was checked before the build
//!   shipped), or for a folder pack nothing — a placeholder while the thread reads it;
//! - state ready: `AppState::new`;
//! - first frame: the app's first frame headless (`egui::Context::run_ui` with
//!   `ColdstartApp::frame`, then tessellation): the dashboard, or "Loading <pack>…";
//! - pack on screen: from the start to the end of the first frame showing the pack (for a
//!   folder pack, once its read has arrived).
//!
//! The dashboard's reads (due counts, review statistics, standing, exam outlook) are also timed
//! one by one, on starts of their own (so the timed starts' first frames do exactly what the
//! app's first frame does), to show how they grow with the history. The long history has, as a
//! learner preparing for an exam would, an exam date and a practice session every day.
//!
//! The window itself (GL context, mapping) is not here: see README ("Start-up time") for
//! comparing the window time with the egui floor under Xvfb.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use coldstart::app::AppState;
use coldstart::app::pack_load::PackLoad;
use coldstart::clock::FixedClock;
use coldstart::content::Pack;
use coldstart::srs::{CardState, LogEntry, Rating, Scheduler, SchedulerConfig};
use coldstart::store::{FILE_NAME, LOCK_SUFFIX, Store};
use coldstart::ui::ColdstartApp;
use jiff::{SignedDuration, Timestamp};

const LOG_ROWS: usize = 1_000_000;
const TARGET_ITEMS: usize = 10_000;
const RUNS: usize = 7;
/// Starts that time the dashboard's reads instead of the phases.
const READ_RUNS: usize = 3;
/// Practice answers a day in the long history.
const QUIZ_PER_DAY: usize = 20;

/// SplitMix64, so every run builds the same file.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// A progress file with `LOG_ROWS` answers to every card of `pack`, spread over three years.
fn seed_history(dir: &Path, pack: &Pack, now: Timestamp) -> Res<()> {
    let (mut store, _) = Store::open_in_dir(dir)?;
    let scheduler = Scheduler::new(SchedulerConfig::default())?;
    let mut rng = Rng(20_240_601);
    let per_card = LOG_ROWS / pack.cards.len();
    let mut states = Vec::new();
    let mut log = Vec::with_capacity(LOG_ROWS);
    for (i, c) in pack.cards.iter().enumerate() {
        let rows = per_card + usize::from(i < LOG_ROWS - per_card * pack.cards.len());
        let mut t = now.checked_sub(SignedDuration::from_hours(24 * 3 * 365))?;
        let step = SignedDuration::from_secs(3 * 365 * 86_400 / rows as i64);
        let mut card = CardState::new_card(t);
        for _ in 0..rows {
            let rating = match rng.below(100) {
                0..=9 => Rating::Again,
                10..=19 => Rating::Hard,
                20..=89 => Rating::Good,
                _ => Rating::Easy,
            };
            let o = scheduler.review(&card, rating, t)?;
            let m = o.card.memory.unwrap_or(coldstart::srs::Memory {
                stability: 1.0,
                difficulty: 5.0,
            });
            log.push(LogEntry {
                card_id: c.id.clone(),
                reviewed_at: t,
                rating,
                elapsed_days: o.elapsed_days,
                state_before: card.state,
                state_after: o.card.state,
                stability: m.stability,
                difficulty: m.difficulty,
                due_after: o.card.due,
                duration_ms: 5_000,
            });
            card = o.card;
            t = t.checked_add(step)?;
        }
        states.push((c.id.clone(), card));
    }
    store.import_reviews(&pack.meta.id, &states, &log)?;
    // An exam date, as a learner preparing for one has: the dashboard then shows the plan.
    let mut settings = store.srs_settings_for(&pack.meta.id, &pack.settings)?;
    settings.exam = Some(coldstart::srs::settings::ExamSettings {
        date: jiff::tz::TimeZone::UTC
            .to_datetime(now)
            .date()
            .checked_add(jiff::Span::new().days(30))?,
        buffer_days: coldstart::srs::settings::DEFAULT_EXAM_BUFFER_DAYS,
    });
    store.set_srs_settings_for(&pack.meta.id, &settings)?;
    // A fit of the memory model on this history, made today and not adopted: otherwise every
    // start's first logic pass would start a fit on 1,000,000 reviews on a thread, which would
    // still be using the CPU (and the file) when the next run is timed. The learner's app
    // starts it at most once per 1,000 new reviews or 30 days, after the first frame.
    let defaults = coldstart::srs::optimize::defaults();
    let fit = coldstart::srs::optimize::Fit {
        log_loss: 0.3,
        rmse_bins: 0.05,
    };
    let report = coldstart::srs::optimize::FitReport {
        train_items: LOG_ROWS,
        test_items: 0,
        current: defaults.clone(),
        current_fit: fit,
        fitted: defaults,
        fitted_fit: fit,
        adopt: false,
        reason: "bench_startup: not a real fit".to_owned(),
    };
    store.record_fit(&pack.meta.id, now, LOG_ROWS, &report)?;
    Ok(())
}

/// A practice session of `QUIZ_PER_DAY` answers every day of the three years, written straight
/// into the progress file in one transaction (the app's path writes one answer per transaction).
fn seed_quiz_history(dir: &Path, pack: &Pack, now: Timestamp) -> Res<usize> {
    let mut conn = rusqlite::Connection::open(dir.join(FILE_NAME))?;
    let tx = conn.transaction()?;
    let mut rng = Rng(7_001);
    let day_ms = 86_400_000;
    let start = now.as_millisecond() - 3 * 365 * day_ms;
    let mut answers = 0;
    for day in 0..3 * 365 {
        let at = start + day * day_ms + 18 * 3_600_000;
        tx.execute(
            "INSERT INTO quiz_attempts (pack_id, mode, seed, config, started_at, finished_at,
                 correct, total, elapsed_ms)
             VALUES (?1, 'practice', ?2, '{}', ?3, ?4, 0, ?5, 0)",
            rusqlite::params![pack.meta.id, day, at, at + 600_000, QUIZ_PER_DAY as i64],
        )?;
        let attempt = tx.last_insert_rowid();
        for position in 0..QUIZ_PER_DAY {
            let q = &pack.questions[rng.below(pack.questions.len() as u64) as usize];
            let correct = rng.below(100) < 75;
            let order: Vec<String> = (0..q.choices.len()).map(|i| i.to_string()).collect();
            let order = format!("[{}]", order.join(","));
            tx.execute(
                "INSERT INTO quiz_items (attempt_id, position, question_id, topic_id, choice_order)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![attempt, position as i64, q.id, q.topic, order],
            )?;
            tx.execute(
                "INSERT INTO quiz_answers (attempt_id, position, question_id, topic_id, chosen,
                     correct, flagged, time_ms, answered_at)
                 VALUES (?1, ?2, ?3, ?4, '[0]', ?5, 0, 30000, ?6)",
                rusqlite::params![
                    attempt,
                    position as i64,
                    q.id,
                    q.topic,
                    correct,
                    at + position as i64 * 30_000
                ],
            )?;
            answers += 1;
        }
    }
    tx.commit()?;
    Ok(answers)
}

/// The built-in pack written out as a folder, with its cards and questions copied under new ids
/// (`<id>-copyN`, in files `<name>-copyN.toml`) until it has about `TARGET_ITEMS` items.
fn big_pack(dir: &Path, pack: &Pack) -> Res<usize> {
    let items = pack.cards.len() + pack.questions.len();
    let copies = TARGET_ITEMS.div_ceil(items.max(1));
    for f in coldstart::content::embedded_files() {
        let path = dir.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &f.bytes)?;
        let is_items = f.path.starts_with("cards/") || f.path.starts_with("questions/");
        if !is_items {
            continue;
        }
        let text = String::from_utf8(f.bytes.to_vec())?;
        for n in 1..copies {
            let copied: String = text
                .lines()
                .map(|l| match l.strip_prefix("id = \"") {
                    Some(rest) => {
                        format!("id = \"{}", rest.replacen('"', &format!("-copy{n}\""), 1))
                    }
                    None => l.to_owned(),
                })
                .collect::<Vec<_>>()
                .join("\n");
            let name = path.with_file_name(format!(
                "{}-copy{n}.toml",
                path.file_stem().and_then(|s| s.to_str()).unwrap_or("items")
            ));
            std::fs::write(name, copied + "\n")?;
        }
    }
    Ok(items * copies)
}

#[derive(Default)]
struct Phases {
    open: Vec<Duration>,
    pack: Vec<Duration>,
    ready: Vec<Duration>,
    frame: Vec<Duration>,
    /// Store open + pack load + state ready: everything before the first frame.
    before: Vec<Duration>,
    /// From the start to the end of the first frame that shows the pack (for a folder pack,
    /// after its read on a thread; before that the window shows "Loading…").
    shown: Vec<Duration>,
    /// What the dashboard reads, timed apart before the first frame (built-in pack only): due
    /// counts, review statistics, standing, exam outlook.
    parts: Vec<[Duration; 4]>,
}

fn spread(v: &[Duration]) -> (Duration, Duration, Duration) {
    let mut v = v.to_vec();
    v.sort();
    (v[0], v[v.len() / 2], v[v.len() - 1])
}

/// One frame of the app as eframe runs it, headless: the logic pass, drawing the 1280×800
/// window, and tessellating what was drawn (what is left for the GPU is not timed).
fn frame(ctx: &egui::Context, app: &mut ColdstartApp) {
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        ..Default::default()
    };
    let out = ctx.run_ui(input, |ui| app.frame(ui));
    std::hint::black_box(ctx.tessellate(out.shapes, out.pixels_per_point));
}

/// One start-up as the binary does it: a folder pack's read starts first, on a thread (the
/// built-in pack is parsed on the spot), then the store opens, the state is made and the first
/// frame drawn; a folder pack is then waited for and the frame that shows it drawn.
fn start_up(data: &Path, pack_dir: Option<&Path>, now: Timestamp, p: &mut Phases) -> Res<()> {
    start(data, pack_dir, now, p, false)
}

/// A start whose phases are not kept: it times the dashboard's reads one by one instead (which
/// would otherwise leave the first tick with more to refresh than the app's first tick has).
fn time_reads(data: &Path, now: Timestamp, p: &mut Phases) -> Res<()> {
    start(data, None, now, p, true)
}

fn start(
    data: &Path,
    pack_dir: Option<&Path>,
    now: Timestamp,
    p: &mut Phases,
    reads: bool,
) -> Res<()> {
    let t0 = Instant::now();
    let load = pack_dir.map(PackLoad::folder);
    let (store, _) = Store::open_in_dir(data)?;
    let t1 = Instant::now();
    let pack = match &load {
        None => coldstart::content::embedded()?,
        // A placeholder until the read arrives.
        Some(_) => Pack::default(),
    };
    let t2 = Instant::now();
    let state = AppState::new(Arc::new(pack), store, Arc::new(FixedClock::new(now)))?;
    let t3 = Instant::now();
    // The dashboard's reads, timed on their own start: nothing is cached before the first
    // tick, so each is computed here as it is computed the first time.
    if reads {
        let mut at = vec![Instant::now()];
        std::hint::black_box(state.due_counts());
        at.push(Instant::now());
        std::hint::black_box(state.review_stats());
        at.push(Instant::now());
        std::hint::black_box(state.standing());
        at.push(Instant::now());
        std::hint::black_box(state.exam_readiness());
        at.push(Instant::now());
        p.parts
            .push([at[1] - at[0], at[2] - at[1], at[3] - at[2], at[4] - at[3]]);
        return Ok(());
    }
    let ctx = egui::Context::default();
    coldstart::ui::theme::install(&ctx);
    let mut app = ColdstartApp::new(state);
    let waiting = load.is_some();
    if let Some(load) = load {
        app = app.with_loading(load);
    }
    frame(&ctx, &mut app);
    let t4 = Instant::now();
    if waiting {
        // Bounded: a minute of frames 1 ms apart at most.
        for _ in 0..60_000 {
            if app.loading().is_none() {
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
            frame(&ctx, &mut app);
        }
        if app.loading().is_some() {
            return Err("the folder pack did not arrive within a minute".into());
        }
    }
    let t5 = Instant::now();
    p.open.push(t1 - t0);
    p.pack.push(t2 - t1);
    p.ready.push(t3 - t2);
    p.frame.push(t4 - t3);
    p.before.push(t3 - t0);
    p.shown.push(t5 - t0);
    // Not timed: let the work this start left on threads finish (the day's backup, a look at
    // whether a fit is due), so it does not share the CPU and the file with the next run — a
    // learner's next start comes after this process has ended. Bounded: a minute at most.
    for _ in 0..60_000 {
        if !app.state.backup_running() && !app.state.fit_running() {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
        frame(&ctx, &mut app);
    }
    // Closing is not part of start-up (it also waits for the background check to stop).
    drop(app);
    Ok(())
}

/// Makes the next open see an unclean shutdown, as after a crash.
fn mark_unclean(data: &Path) -> Res<()> {
    let lock = data.join(format!("{FILE_NAME}{LOCK_SUFFIX}"));
    let text = std::fs::read_to_string(&lock)?.replace("state closed", "state open");
    std::fs::write(lock, text)?;
    Ok(())
}

fn main() -> Res<()> {
    let now: Timestamp = "2026-11-26T10:00:00Z".parse()?;
    let builtin = coldstart::content::embedded()?;
    // BENCH_STARTUP_KEEP=DIR builds the cases in DIR and keeps them (for timing the window).
    let tmp = tempfile::tempdir()?;
    let root = match std::env::var_os("BENCH_STARTUP_KEEP") {
        Some(dir) => PathBuf::from(dir),
        None => tmp.path().to_owned(),
    };
    let fresh_dir = |name: &str| -> PathBuf { root.join(name) };

    let t = Instant::now();
    let history = fresh_dir("history");
    seed_history(&history, &builtin, now)?;
    let answers = seed_quiz_history(&history, &builtin, now)?;
    let size = std::fs::metadata(history.join(FILE_NAME))?.len();
    println!(
        "built a progress file with {LOG_ROWS} reviews of {} cards and {answers} practice \
         answers, with an exam date ({:.0} MB) in {:.1?}",
        builtin.cards.len(),
        size as f64 / 1e6,
        t.elapsed()
    );
    let t = Instant::now();
    let pack_dir = fresh_dir("pack");
    let items = big_pack(&pack_dir, &builtin)?;
    let report = coldstart::content::load_dir(&pack_dir)?;
    println!(
        "built a pack of {items} items ({} cards, {} questions, {} diagnostics) in {:.1?}",
        report.pack.cards.len(),
        report.pack.questions.len(),
        report.diagnostics.len(),
        t.elapsed()
    );

    let mut cases: Vec<(&str, Phases)> = Vec::new();
    // A fresh progress file each run: the learner's first start.
    let mut p = Phases::default();
    for i in 0..RUNS {
        start_up(&fresh_dir(&format!("fresh-{i}")), None, now, &mut p)?;
    }
    for i in 0..READ_RUNS {
        time_reads(&fresh_dir(&format!("fresh-reads-{i}")), now, &mut p)?;
    }
    cases.push(("fresh progress, built-in pack", p));

    let mut p = Phases::default();
    start_up(&history, None, now, &mut Phases::default())?; // warm the page cache
    for _ in 0..RUNS {
        start_up(&history, None, now, &mut p)?;
    }
    for _ in 0..READ_RUNS {
        time_reads(&history, now, &mut p)?;
    }
    cases.push(("1,000,000 reviews, built-in pack", p));

    let mut p = Phases::default();
    for i in 0..RUNS {
        start_up(
            &fresh_dir(&format!("big-{i}")),
            Some(&pack_dir),
            now,
            &mut p,
        )?;
    }
    cases.push(("~10,000-item pack, fresh progress", p));

    let mut p = Phases::default();
    for _ in 0..RUNS {
        mark_unclean(&history)?;
        start_up(&history, None, now, &mut p)?;
    }
    cases.push(("1,000,000 reviews after a crash", p));

    // The built-in pack: parsed only, as the app does, against every check run.
    let (mut parsed, mut checked) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let t = Instant::now();
        std::hint::black_box(coldstart::content::embedded()?);
        parsed.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(coldstart::content::embedded_checked());
        checked.push(t.elapsed());
    }

    println!("\n{RUNS} runs each; min / median / max");
    let (p, c) = (spread(&parsed), spread(&checked));
    println!(
        "built-in pack, parse only (the app)  {:>10.2?} {:>10.2?} {:>10.2?}",
        p.0, p.1, p.2
    );
    println!(
        "built-in pack, every check (before)  {:>10.2?} {:>10.2?} {:>10.2?}",
        c.0, c.1, c.2
    );
    let fresh_before = spread(&cases[0].1.before).1;
    let fresh_frame = spread(&cases[0].1.frame).1;
    for (name, p) in &cases {
        println!("{name}:");
        for (phase, v) in [
            ("store open", &p.open),
            ("pack load", &p.pack),
            ("state ready", &p.ready),
            ("before first frame", &p.before),
            ("first frame", &p.frame),
            ("pack on screen", &p.shown),
        ] {
            let (min, med, max) = spread(v);
            println!("  {phase:<19} {min:>10.2?} {med:>10.2?} {max:>10.2?}");
        }
        if !p.parts.is_empty() {
            let parts: Vec<String> = (0..4)
                .map(|i| {
                    let v: Vec<Duration> = p.parts.iter().map(|x| x[i]).collect();
                    format!("{:.1?}", spread(&v).1)
                })
                .collect();
            println!(
                "  (reads timed on {READ_RUNS} starts of their own, medians: due counts {}, review stats {}, standing {}, exam outlook {})",
                parts[0], parts[1], parts[2], parts[3]
            );
        }
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "  vs fresh (medians): before first frame {:+.1} ms, first frame {:+.1} ms",
            ms(spread(&p.before).1) - ms(fresh_before),
            ms(spread(&p.frame).1) - ms(fresh_frame),
        );
    }
    Ok(())
}
