//! The progress bar of `build` and `check` (indicatif), on stderr: pages read, pages rendered,
//! pages checked, images read, links checked. It appears only when the run has lasted half a second, and only on a
//! terminal: never when stderr is a pipe or a file, never in CI (`CI` set), never with
//! `TERM=dumb`; it is cleared when the work ends, so the findings and the summary line print
//! below a clean screen.
//!
//! The library reports through free functions ([`stage`], [`inc`]) that do nothing unless a
//! command has started a bar with [`start`]; `serve` and the tests never do. One bar per
//! process, like a logger.

use std::io::IsTerminal;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long the work runs before the bar is drawn (`STEPBOOK_PROGRESS_DELAY_MS` overrides it,
/// for tests).
pub const DELAY: Duration = Duration::from_millis(500);

fn current() -> &'static Mutex<Option<ProgressBar>> {
    static CURRENT: OnceLock<Mutex<Option<ProgressBar>>> = OnceLock::new();
    CURRENT.get_or_init(|| Mutex::new(None))
}

fn bar() -> Option<ProgressBar> {
    current().lock().ok().and_then(|b| b.clone())
}

/// True when a bar may be drawn: stderr is a terminal, `CI` is unset and `TERM` is not `dumb`.
pub fn wanted() -> bool {
    std::io::stderr().is_terminal()
        && std::env::var_os("CI").is_none()
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

/// Keeps the bar of one command; dropping it clears the bar.
#[must_use = "the bar is cleared when the guard is dropped"]
pub struct Guard {
    bar: Option<ProgressBar>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
            if let Ok(mut c) = current().lock() {
                *c = None;
            }
        }
    }
}

/// Starts the process's bar when `enabled` (see [`wanted`]); it stays hidden until the work
/// has lasted [`DELAY`].
pub fn start(enabled: bool) -> Guard {
    if !enabled {
        return Guard { bar: None };
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
    if let Ok(style) = ProgressStyle::with_template("{msg:>16} [{bar:30}] {pos}/{len}") {
        bar.set_style(style.progress_chars("=> "));
    }
    if let Ok(mut c) = current().lock() {
        *c = Some(bar.clone());
    }
    let delay = std::env::var("STEPBOOK_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(DELAY, Duration::from_millis);
    if delay.is_zero() {
        show(&bar);
        return Guard { bar: Some(bar) };
    }
    let shown = bar.clone();
    // Detached: it only ever touches the bar, and does nothing once the bar is finished.
    let _ = std::thread::Builder::new()
        .name("stepbook-progress".into())
        .spawn(move || {
            std::thread::sleep(delay);
            if !shown.is_finished() {
                show(&shown);
            }
        });
    Guard { bar: Some(bar) }
}

fn show(bar: &ProgressBar) {
    bar.set_draw_target(ProgressDrawTarget::stderr());
    bar.enable_steady_tick(Duration::from_millis(100));
}

/// Runs `f` (which prints to the terminal) with the bar hidden, so the text does not mix with it.
pub fn suspend<R>(f: impl FnOnce() -> R) -> R {
    match bar() {
        Some(bar) => bar.suspend(f),
        None => f(),
    }
}

/// True while a command's bar is started (shown or not yet).
pub fn running() -> bool {
    bar().is_some()
}

/// Begins a stage of `len` steps named `what` ("reading pages").
pub fn stage(what: &'static str, len: usize) {
    if let Some(bar) = bar() {
        bar.set_message(what);
        bar.set_length(len as u64);
        bar.set_position(0);
    }
}

/// Counts `n` steps of the current stage done.
pub fn inc(n: usize) {
    if let Some(bar) = bar() {
        bar.inc(n as u64);
    }
}
