//! `stepbook serve [DIR] [-p PORT] [-n HOST] [-o]`: build, serve on localhost, rebuild on change
//! and reload open pages, with the checks' findings shown in the page (mdBook's flags).

use super::{ColorChoice, Outcome};
use crate::error::Result;
use crate::serve::{ServeOptions, start};

/// Arguments of `stepbook serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project folder (default: the current folder).
    pub dir: Option<std::path::PathBuf>,
    /// Port to listen on; 0 picks a free port and prints it.
    #[arg(short, long, default_value_t = 3000)]
    pub port: u16,
    /// Host name or IP address to listen on; anything but loopback prints a warning.
    #[arg(short = 'n', long, default_value = "127.0.0.1")]
    pub hostname: String,
    /// Open the site in the default web browser.
    #[arg(short, long)]
    pub open: bool,
}

/// Runs `stepbook serve` until interrupted.
///
/// Errors: the project cannot be loaded, the port is in use or the address cannot be bound.
pub fn run(args: &Args, color: ColorChoice) -> Result<Outcome> {
    use std::io::IsTerminal;
    let opts = ServeOptions {
        hostname: args.hostname.clone(),
        port: args.port,
        open: args.open,
        color: color.enabled(std::io::stdout().is_terminal()),
        ..ServeOptions::new(super::build::built_folder(
            args.dir.as_deref().unwrap_or(std::path::Path::new(".")),
        ))
    };
    start(&opts)?.wait()?;
    Ok(Outcome::Success)
}
