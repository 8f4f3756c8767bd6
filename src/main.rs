//! The `stepbook` binary: parse arguments, call the library, map the outcome to an exit code
//! (0 clean, 1 error-level findings, 2 could not run).

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = stepbook::cli::Cli::parse();
    stepbook::cli::run(cli)
}
