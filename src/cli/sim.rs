//! `coldstart sim NAME [--set key=value ...] [--seed N] [--json]`: run one simulator and print
//! its timeline, so an instructor can check or quote a scenario and tests can pin it.

use std::io::Write;

use crate::sim::{self, KeyDoc};

/// Arguments of `coldstart sim`. Help is handled here rather than by clap so that
/// `coldstart sim NAME --help` can list that simulator's own keys and defaults.
#[derive(clap::Args, Debug, Clone, Default)]
#[command(disable_help_flag = true)]
pub struct SimArgs {
    /// Which simulator: retry, traffic, concurrency, sqs or kinesis.
    pub name: Option<String>,
    /// Change a setting, e.g. --set max_retry_attempts=1 (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Seed for the simulators that draw random numbers; the same seed gives the same output.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print JSON: {"sim": NAME, "config": {...}, "events": [...]}.
    #[arg(long)]
    pub json: bool,
    /// Show this help, or the keys of NAME.
    #[arg(short = 'h', long = "help")]
    pub help: bool,
}

const USAGE: &str = "usage: coldstart sim NAME [--set key=value ...] [--seed N] [--json]";

/// Exit codes: 0 success, 2 for an unknown simulator, key or value (the message says which and
/// what is accepted) or when output cannot be written.
pub fn run(args: &SimArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let Some(name) = args.name.as_deref() else {
        let _ = write_general_help(out);
        return if args.help { 0 } else { 2 };
    };
    if args.help {
        return match sim::keys_for(name) {
            Ok(keys) => match write_keys(name, keys, out) {
                Ok(()) => 0,
                Err(_) => 2,
            },
            Err(e) => {
                let _ = writeln!(err, "coldstart sim: {e}");
                2
            }
        };
    }
    let output = match sim::run(name, &args.set, args.seed) {
        Ok(o) => o,
        Err(e) => {
            let _ = writeln!(err, "coldstart sim: {e}");
            // Suggest a help page that exists: an unknown simulator has none of its own.
            let hint = match e {
                sim::SimError::UnknownSim(_) => {
                    "see `coldstart sim --help` for the simulators".to_string()
                }
                _ => format!("see `coldstart sim {name} --help` for keys and defaults"),
            };
            let _ = writeln!(err, "{hint}");
            return 2;
        }
    };
    let written = if args.json {
        writeln!(out, "{}", output.json)
    } else {
        output.log.iter().try_for_each(|l| writeln!(out, "{l}"))
    };
    match super::output_written(written, "coldstart sim", err) {
        Ok(()) => 0,
        Err(code) => code,
    }
}

fn write_general_help(out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "Run a simulator and print its timeline.\n")?;
    writeln!(out, "{USAGE}\n")?;
    writeln!(out, "NAME is one of: {}", sim::Kind::names().join(", "))?;
    writeln!(
        out,
        "`coldstart sim NAME --help` lists the keys of NAME and their defaults."
    )?;
    writeln!(out, "\noptions:")?;
    writeln!(out, "  --set KEY=VALUE  change a setting (repeatable)")?;
    writeln!(out, "  --seed N         seed for random draws (default 1)")?;
    writeln!(
        out,
        "  --json           print JSON instead of the event log"
    )
}

fn write_keys(name: &str, keys: &[KeyDoc], out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{USAGE}\n")?;
    writeln!(out, "keys for {name}:")?;
    let w = keys.iter().map(|k| k.key.len()).max().unwrap_or(0);
    for k in keys {
        writeln!(
            out,
            "  {key:<w$}  {help} (default {default}; accepts {accepts})",
            key = k.key,
            help = k.help,
            default = k.default,
            accepts = k.accepts,
        )?;
    }
    Ok(())
}
