//! The errors that stop a command (exit code 2): unreadable files, bad configuration, malformed
//! front matter, template failures. Findings of the checks are not errors; they are
//! [`crate::diag::Diagnostic`]s.

use std::path::PathBuf;

/// Something that keeps a command from running. Every variant names the file, and the line
/// where one is known, so the message alone tells the user where to look.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder involved.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// book.toml is malformed or has an unknown key.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// 1-based line of the offending key or value.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong, naming the key.
        message: String,
    },
    /// A problem at a known place of book.toml (a syntax error, an unknown key or value, an
    /// unknown rule id, a scope source that cannot be read): printed like a finding, with the
    /// line, a caret under the key or value, and help such as "did you mean".
    #[error("{0}")]
    ConfigAt(Box<ConfigProblem>),
    /// A page's YAML front matter could not be parsed.
    #[error("{}:{line}: malformed front matter: {message}", path.display())]
    FrontMatter {
        /// The page.
        path: PathBuf,
        /// 1-based line in the page.
        line: usize,
        /// The YAML parser's message.
        message: String,
    },
    /// A template failed to load or render.
    #[error("template error: {0}")]
    Template(String),
    /// Invalid input that is not tied to one file (bad arguments, unsafe build dir, …).
    #[error("{0}")]
    Invalid(String),
}

/// A problem at a byte span of a configuration file, with the file's text to show it.
#[derive(Debug, Clone)]
pub struct ConfigProblem {
    /// The file on disk.
    pub path: PathBuf,
    /// The file as reports name it, relative to the project (`book.toml`).
    pub file: String,
    /// The file's text.
    pub text: std::sync::Arc<str>,
    /// Where (bytes of `text`).
    pub span: crate::source::Span,
    /// What is wrong, naming the key.
    pub message: String,
    /// How to fix it ("did you mean `title`?"), when known.
    pub help: Option<String>,
}

impl std::fmt::Display for ConfigProblem {
    /// `book.toml:3:1: unknown key `titel` in [book]; did you mean `title`?`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = crate::source::LineIndex::new(&self.text).line_col(&self.text, self.span.start);
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            at.line,
            at.column,
            self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, "; {help}")?;
        }
        Ok(())
    }
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// `Result` with stepbook's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
