//! `stepbook serve` (placeholder until its issue lands).

use super::{ColorChoice, Outcome};
use crate::error::{Error, Result};

/// Arguments of `stepbook serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project folder.
    pub dir: Option<std::path::PathBuf>,
}

/// Runs `stepbook serve`.
pub fn run(_args: &Args, _color: ColorChoice) -> Result<Outcome> {
    Err(Error::Invalid("`stepbook serve` is not implemented yet".into()))
}
