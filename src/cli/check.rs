//! `stepbook check` (placeholder until its issue lands).

use super::{ColorChoice, Outcome};
use crate::error::{Error, Result};

/// Arguments of `stepbook check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project folder.
    pub dir: Option<std::path::PathBuf>,
}

/// Runs `stepbook check`.
pub fn run(_args: &Args, _color: ColorChoice) -> Result<Outcome> {
    Err(Error::Invalid("`stepbook check` is not implemented yet".into()))
}
