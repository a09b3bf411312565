//! Subcommands of the `coldstart` binary, as library functions so tests can call them.

pub mod backup;
pub mod check;
pub mod exams;
pub mod export;
pub mod item_stats;
pub mod lint;
pub mod new;
pub mod optimize;
pub mod pack;
pub mod pack_library;
pub mod reports;
pub mod sim;
pub mod stats;

/// What a subcommand's output not being written means: nothing, when the reader went away on
/// purpose (`coldstart sim retry | head`: a closed pipe, as ripgrep treats it), else an error
/// said on stderr. `Ok` carries on as if written.
pub fn output_written(
    written: std::io::Result<()>,
    who: &str,
    err: &mut dyn std::io::Write,
) -> Result<(), i32> {
    match written {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => {
            let _ = writeln!(err, "{who}: cannot write output: {e}");
            Err(2)
        }
    }
}
