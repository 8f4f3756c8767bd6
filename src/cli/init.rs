//! `stepbook init [DIR] [--force]`: scaffold a project that builds and checks clean (SPEC.md,
//! Commands). The files and their contents are the library's ([`crate::scaffold`]); this file
//! parses the arguments and prints what was created and what to run next.
//!
//! An existing file is never overwritten: without `--force`, any existing target file stops
//! the command (exit 2, naming the files) before anything is written; with `--force`, the
//! missing files are created and the existing ones are listed as skipped.

use std::path::{Path, PathBuf};

use super::Outcome;
use crate::error::Result;
use crate::scaffold::{self, OnExisting, Scaffolded};

/// Arguments of `stepbook init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project folder; created when missing.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Create the files that are missing and skip the ones that exist (they are never
    /// overwritten).
    #[arg(long)]
    pub force: bool,
}

/// Runs `stepbook init`: writes book.toml, content/GUIDE.md, res/example-window.png and
/// .gitignore into DIR and prints them, the skipped ones and the next commands on stdout.
///
/// Errors (exit 2): a target file exists and `--force` is not given (the message names every
/// such file; nothing is written), or a folder or file cannot be created.
pub fn run(args: &Args) -> Result<Outcome> {
    let title = scaffold::title_for(&args.dir)?;
    let on_existing = if args.force {
        OnExisting::Skip
    } else {
        OnExisting::Refuse
    };
    let done = scaffold::scaffold(&args.dir, &title, on_existing)?;
    print!("{}", summary(&args.dir, &title, &done));
    Ok(Outcome::Success)
}

/// The text printed after a run: files created, files skipped, next commands.
fn summary(dir: &Path, title: &str, done: &Scaffolded) -> String {
    let here = dir == Path::new(".") || dir.as_os_str().is_empty();
    let shown = |rel: &Path| scaffold::shown_path(dir, rel).display().to_string();
    let mut out = String::new();
    if done.created.is_empty() {
        out.push_str("Nothing to create: every file of a new project is already there.\n");
    } else {
        out.push_str(&format!("Created the stepbook project \"{title}\":\n"));
        for rel in &done.created {
            out.push_str(&format!("  {}\n", shown(rel)));
        }
    }
    if !done.skipped.is_empty() {
        out.push_str("Skipped (already there, left untouched):\n");
        for rel in &done.skipped {
            out.push_str(&format!("  {}\n", shown(rel)));
        }
    }
    out.push_str("\nNext:\n");
    if !here {
        out.push_str(&format!(
            "  cd {}\n",
            shell_quote(&dir.display().to_string())
        ));
    }
    out.push_str("  stepbook build    render the site into book/ and run the checks\n");
    out.push_str(
        "  stepbook serve    preview the site at http://127.0.0.1:3000, rebuilt on change\n",
    );
    out.push_str("  stepbook check    run the checks only (stepbook rules lists them)\n");
    out
}

/// `s` as one POSIX shell word: unchanged when it is plain, else single-quoted.
fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || "-_./+,:@%".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_in_another_folder_says_cd_and_lists_skipped_files() {
        let done = Scaffolded {
            created: vec![PathBuf::from("content/GUIDE.md")],
            skipped: vec![PathBuf::from("book.toml")],
        };
        let text = summary(Path::new("my guides"), "my guides", &done);
        assert!(text.contains("  my guides/content/GUIDE.md\n"), "{text}");
        assert!(text.contains("Skipped (already there, left untouched):\n  my guides/book.toml\n"));
        assert!(text.contains("  cd 'my guides'\n"), "{text}");
        assert!(text.contains("  stepbook serve"), "{text}");
    }

    #[test]
    fn summary_in_the_current_folder_has_no_cd() {
        let done = Scaffolded {
            created: vec![PathBuf::from("book.toml")],
            skipped: vec![],
        };
        let text = summary(Path::new("."), "x", &done);
        assert!(
            text.starts_with("Created the stepbook project \"x\":\n  book.toml\n"),
            "{text}"
        );
        assert!(!text.contains("cd "), "{text}");
        assert!(!text.contains("Skipped"), "{text}");
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(shell_quote("docs/guides"), "docs/guides");
        assert_eq!(shell_quote("it's here"), r"'it'\''s here'");
    }
}
