//! stepbook: a documentation site generator for step-by-step guides, with executable checks.
//!
//! Data flows one way for every command: `book.toml` → [`config::Settings`]; the content folder →
//! [`page::parse_page`] (one pulldown-cmark pass per page) → [`page::Page`]; pages and the
//! [`project::SiteIndex`] feed both the renderer and [`check::run`], whose [`diag::Report`] is
//! printed by one formatter.

pub mod check;
pub mod cli;
pub mod config;
pub mod diag;
pub mod error;
#[doc(hidden)]
pub mod fuzz;
pub mod mdbook;
pub mod output;
pub mod page;
pub mod percent;
pub mod progress;
pub mod project;
pub mod raster;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod scopes;
pub mod serve;
pub mod site;
pub mod source;
pub mod suggest;

pub use error::{Error, Result};
