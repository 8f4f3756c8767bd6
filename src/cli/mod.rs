//! Command-line interface (clap, derive API): one file per subcommand. Each subcommand returns
//! an [`Outcome`]; [`run`] maps it, or an error, to the exit code.

pub mod build;
pub mod check;
pub mod init;
pub mod rules;
pub mod serve;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// When to colour terminal output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    /// Colour when standard output is a terminal and NO_COLOR is unset.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Whether to colour output written to a stream that `is_terminal` says is (or not) a
    /// terminal; honours NO_COLOR (<https://no-color.org>).
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// stepbook: build and check step-by-step documentation guides.
#[derive(Debug, Parser)]
#[command(name = "stepbook", version, about, long_about = None)]
pub struct Cli {
    /// When to use colour: auto, always, never (NO_COLOR is honoured).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Tests only: search index shards of at most this many pages (see
    /// `render::search::set_shard_pages`). Not shown in the help.
    #[arg(long, global = true, hide = true)]
    pub search_shard_pages: Option<usize>,
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render the site into the build dir and print the checks' findings.
    Build(build::Args),
    /// Run the checks only.
    Check(check::Args),
    /// Build, serve on localhost, rebuild on change and reload open pages.
    Serve(serve::Args),
    /// List the rules.
    Rules(rules::RulesArgs),
    /// Print one rule's documentation.
    Explain(rules::ExplainArgs),
    /// Create a project that builds and checks clean (never overwrites a file).
    Init(init::Args),
}

/// How a command that ran ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: error-level findings (check, build --strict).
    Findings,
    /// Exit 2: the command could not run, and has already said why.
    Failed,
}

/// Prints `e` to stderr: like a finding (the file's line, a caret, help) when it has a place in
/// a file (book.toml), else as one `error: …` line.
pub fn report_error(e: &crate::Error, color: ColorChoice) {
    use std::io::IsTerminal;
    match error_report(e) {
        Some(report) => {
            let color = color.enabled(std::io::stderr().is_terminal());
            eprint!("{}", crate::diag::human::render_findings(&report, color));
        }
        None => eprintln!("error: {e}"),
    }
}

/// The report that shows `e` like a finding ([`crate::diag::Report::from_error`]), its file
/// named relative to the current folder as findings are.
pub fn error_report(e: &crate::Error) -> Option<crate::diag::Report> {
    let report = crate::diag::Report::from_error(e)?;
    let dir = match e {
        crate::Error::ConfigAt(p) => p.path.parent(),
        crate::Error::Config { path, .. } => path.parent(),
        _ => None,
    };
    Some(match dir {
        Some(dir) => check::relative_to_cwd(vec![(dir.to_path_buf(), report)]),
        None => report,
    })
}

/// Fails when `project` has no Markdown page: a typo in the path, or the wrong folder, should
/// not read as "no problems found" (ripgrep exits 2 when it searched no file). The content
/// folder is named relative to the current folder, as findings are.
///
/// Errors: [`crate::Error::Invalid`] "no Markdown pages found in DIR".
pub fn require_pages(project: &crate::project::Project) -> crate::Result<()> {
    if !project.pages.is_empty() {
        return Ok(());
    }
    let dir = &project.settings.content_dir;
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.clone());
    let shown = std::env::current_dir()
        .ok()
        .map(|c| std::fs::canonicalize(&c).unwrap_or(c))
        .map(|cwd| check::display_path(&dir, &cwd))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| ".".to_string());
    Err(crate::Error::Invalid(format!(
        "no Markdown pages found in {shown}"
    )))
}

/// Runs the parsed command and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    if let Some(pages) = cli.search_shard_pages {
        crate::render::search::set_shard_pages(pages);
    }
    // Cache files are written while the command goes on; waited for below.
    crate::cache::allow_background_writes();
    let result = match &cli.command {
        Command::Build(a) => build::run(a, cli.color),
        Command::Check(a) => check::run(a, cli.color),
        Command::Serve(a) => serve::run(a, cli.color),
        Command::Rules(a) => rules::run_rules(a, cli.color),
        Command::Explain(a) => rules::run_explain(a, cli.color),
        Command::Init(a) => init::run(a),
    };
    // Cache files still being written (the page cache) are whole before the process ends.
    crate::cache::wait_for_writes(None);
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Ok(Outcome::Failed) => ExitCode::from(2),
        Err(e) => {
            report_error(&e, cli.color);
            ExitCode::from(2)
        }
    }
}
