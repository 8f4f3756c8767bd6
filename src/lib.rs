//! stepbook: a documentation site generator for step-by-step guides, with executable checks.
//!
//! Data flows one way for every command: `book.toml` → [`config::Settings`]; the content folder →
//! [`page::parse_page`] (one pulldown-cmark pass per page) → [`page::Page`]; pages and the
//! [`project::SiteIndex`] feed both the renderer and [`check::run`], whose [`diag::Report`] is
//! printed by one formatter.
//!
//! The library is what the `stepbook` binary calls. Its public surface is the pipeline's stages:
//! [`Project`] (a folder loaded for checks) and [`Book`] (loaded for building), [`check::run`]
//! and the rule registry, [`diag`] (findings and their formats), [`Renderer`] and
//! [`output::write_site`], [`serve::start`], and the page model in [`page`]. Everything else
//! (mdBook compatibility, scope sources, image decoding, link resolution internals) is private.
//!
//! # Example
//!
//! Check a folder of guides and read the findings:
//!
//! ```
//! # fn main() -> stepbook::Result<()> {
//! let dir = tempfile::tempdir().expect("a temporary folder");
//! std::fs::write(
//!     dir.path().join("GUIDE.md"),
//!     "# Guide\n\n## Step 1: Open the console\n\nThen go on with Step 2.\n",
//! )
//! .expect("a page");
//! let project = stepbook::Project::load(dir.path())?;
//! let report = stepbook::check::run(&project, &stepbook::check::CheckOptions::default())?;
//! let finding = &report.diagnostics[0];
//! assert_eq!(finding.rule, "broken-step-ref");
//! assert_eq!(finding.file, "GUIDE.md");
//! assert_eq!(report.locate(finding).start.line, 5);
//! # Ok(())
//! # }
//! ```

pub mod cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod diag;
pub mod error;
#[doc(hidden)]
pub mod fuzz;
pub mod images;
pub mod lexical;
mod mdbook;
pub mod output;
pub mod page;
mod percent;
mod progress;
pub mod project;
mod raster;
pub mod record_file;
pub mod render;
mod resolve;
mod scaffold;
mod scopes;
pub mod serve;
pub mod site;
pub mod source;
mod suggest;

pub use error::{Error, Result};
pub use project::{Book, Project};
pub use render::Renderer;
pub use scopes::refresh_sources;
