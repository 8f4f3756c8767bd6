//! stepbook: a documentation site generator for step-by-step guides, with executable checks.

pub mod error;
pub mod page;
pub mod source;

pub use error::{Error, Result};
