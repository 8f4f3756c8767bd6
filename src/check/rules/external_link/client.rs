//! The HTTP side of `external-link`, the one place that knows the link-checking client
//! (lychee-lib), the async runtime (tokio) and the progress bar (indicatif), so that any of them
//! can be swapped without touching the rule.
//!
//! [`check_urls`] requests each URL once, at most [`ClientOptions::concurrency`] at a time, on a
//! tokio runtime of its own (started on a thread of its own, so it works whether or not the
//! caller already runs inside a runtime). lychee's defaults apply: `GET`, up to 10 redirects,
//! [`lychee_lib::DEFAULT_MAX_RETRIES`] retries with exponential back-off for timeouts, 5xx and
//! 408, 1xx/2xx accepted. On top of them: a 20 s timeout per request, `429 Too Many
//! Requests` accepted (a rate-limited host exists; see the rule's docs), loopback and private
//! addresses checked, fragments not checked.

use std::time::Duration;

use futures::stream::{self, StreamExt};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use lychee_lib::{ClientBuilder, Status, StatusCodeSelector, StatusRange};

/// How URLs are checked.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Time allowed for one request, connection included.
    pub timeout: Duration,
    /// Retries after a timeout, a 5xx or a 408 (lychee's rule of what is transient; a 429 would
    /// be retried too, but it is accepted).
    pub max_retries: u64,
    /// Wait before the first retry; doubled before each further one.
    pub retry_wait: Duration,
    /// Draw a progress bar on stderr.
    pub progress: bool,
}

impl Default for ClientOptions {
    /// 16 at once, 20 s, lychee's retries, and a progress bar only when stderr is a terminal
    /// and not CI (SPEC.md, Commands; [`crate::progress::wanted`]).
    fn default() -> Self {
        ClientOptions {
            concurrency: 16,
            timeout: Duration::from_secs(20),
            max_retries: lychee_lib::DEFAULT_MAX_RETRIES,
            retry_wait: Duration::from_secs(lychee_lib::DEFAULT_RETRY_WAIT_TIME_SECS),
            progress: crate::progress::wanted(),
        }
    }
}

/// What one URL gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// An accepted status (1xx, 2xx, 429).
    Ok,
    /// Not checked: a reserved example domain (`example.com`, `*.test`, `*.invalid` …, as
    /// lychee skips them) or a scheme the client does not handle.
    Skipped,
    /// The final status (after redirects and retries) was not accepted: code and reason phrase
    /// (`404`, `Not Found`; empty for a code without one).
    Status(u16, String),
    /// No HTTP answer: timeout, DNS failure, refused connection, TLS error … (a short reason).
    Unreachable(String),
    /// The URL cannot be requested as written.
    Invalid(String),
}

/// Checks `urls` (http or https, without fragment) and returns one [`Answer`] per URL, in the
/// same order. Never fails as a whole: a client that cannot start gives every URL a
/// [`Answer::Unreachable`] that says why.
pub fn check_urls(urls: &[&str], opts: &ClientOptions) -> Vec<Answer> {
    let all = |why: &str| vec![Answer::Unreachable(why.to_string()); urls.len()];
    std::thread::scope(|s| {
        s.spawn(|| run(urls, opts))
            .join()
            .unwrap_or_else(|_| Err("the link checker stopped unexpectedly".to_string()))
    })
    .unwrap_or_else(|e| all(&e))
}

/// Runs the checks on a fresh current-thread runtime.
fn run(urls: &[&str], opts: &ClientOptions) -> Result<Vec<Answer>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the HTTP runtime: {e}"))?;
    let accepted = [(100, 103), (200, 299), (429, 429)]
        .into_iter()
        .map(|(lo, hi)| StatusRange::new(lo, hi))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("bad accepted status range: {e}"))?;
    // Inside `check`, the command's bar counts the links; a bar of its own otherwise.
    crate::progress::stage("checking links", urls.len());
    let bar = progress_bar(urls.len(), opts.progress && !crate::progress::running());
    let answers = runtime.block_on(async {
        let client = ClientBuilder::builder()
            .timeout(opts.timeout)
            .max_retries(opts.max_retries)
            .retry_wait_time(opts.retry_wait)
            .accepted(StatusCodeSelector::new_from(accepted))
            .user_agent(concat!("stepbook/", env!("CARGO_PKG_VERSION")).to_string())
            // Explicit, though lychee's default: docs checked against a local server work.
            .exclude_all_private(false)
            .exclude_private_ips(false)
            .exclude_link_local_ips(false)
            .exclude_loopback_ips(false)
            .build()
            .client()
            .map_err(|e| format!("cannot start the HTTP client: {e}"))?;
        let client = &client;
        let bar = &bar;
        let mut answers: Vec<(usize, Answer)> = stream::iter(urls.iter().enumerate())
            .map(|(i, url)| async move {
                let answer = match client.check(*url).await {
                    Ok(response) => answer(response.status(), opts.timeout),
                    Err(e) => Answer::Invalid(e.to_string()),
                };
                bar.inc(1);
                crate::progress::inc(1);
                (i, answer)
            })
            .buffer_unordered(opts.concurrency.max(1))
            .collect()
            .await;
        answers.sort_by_key(|(i, _)| *i);
        Ok::<_, String>(answers.into_iter().map(|(_, a)| a).collect())
    });
    bar.finish_and_clear();
    answers
}

/// A bar on stderr counting checked URLs, or a hidden one.
fn progress_bar(len: usize, visible: bool) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("checking external links [{bar:30}] {pos}/{len}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// The [`Answer`] for lychee's status of one request.
fn answer(status: &Status, timeout: Duration) -> Answer {
    if status.is_success() {
        return Answer::Ok;
    }
    if status.is_excluded() || status.is_unsupported() {
        return Answer::Skipped;
    }
    if status.is_timeout() {
        return Answer::Unreachable(format!("no answer within {} s", timeout.as_secs()));
    }
    if let Some(code) = status.code() {
        let reason = code.canonical_reason().unwrap_or("").to_string();
        return Answer::Status(code.as_u16(), reason);
    }
    Answer::Unreachable(lower_first(&status.details()))
}

/// `Connection refused - …` → `connection refused - …`, to read inside a sentence.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_first_lowers_only_the_first_letter() {
        assert_eq!(
            lower_first("Connection refused - DNS"),
            "connection refused - DNS"
        );
        assert_eq!(lower_first(""), "");
    }

    #[test]
    fn no_urls_no_requests() {
        assert!(check_urls(&[], &ClientOptions::default()).is_empty());
    }
}
