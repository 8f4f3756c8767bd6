//! `external-link`: an http(s) link or image URL that answers with an error status or not at all
//! (SPEC.md, Rules; runs only with `stepbook check --external`, see [`crate::check::run`]).
//!
//! Every `http:`/`https:` destination of every page is collected: links of every kind (inline,
//! reference, autolink, raw HTML `<a href>`) and images (Markdown and `<img>`). Links inside
//! fenced or inline code are not in the page model; links inside an accidental indented code
//! block are, and are checked like the prose they were meant to be. URLs are deduplicated
//! (ignoring their `#fragment`, which is not checked), requested once each, concurrently, by
//! `client` — the one module that knows the HTTP client (lychee-lib), so it can be swapped —
//! and each failing URL is reported at every place it is written.
//!
//! What counts as broken (lychee's defaults, see `client`): a final status outside 1xx/2xx
//! after redirects and retries, a timeout (20 s), or no answer at all (DNS, refused connection,
//! TLS). `429 Too Many Requests` is accepted: the host exists and answered, it only asked us to
//! slow down, and failing CI on it would make the check flaky. Loopback addresses are checked
//! (a writer checking docs against a local server wants that); lychee's reserved example
//! domains (`example.com`, `*.test`, `*.invalid` …) are skipped, as in lychee, and so is every
//! URL matched by a regular expression of `[check] external-exclude` in book.toml. An mdBook
//! `.html` link to a sibling book is requested at the URL that `[check] site-url` and
//! `external-roots` map it to.

mod client;

use std::collections::BTreeMap;

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;
use crate::source::Span;

use client::{Answer, ClientOptions};

/// The `external-link` rule.
pub struct ExternalLink;

static META: RuleMeta = RuleMeta {
    id: "external-link",
    default_level: Level::Error,
    summary: "with --external: an http(s) link answers with an error status or not at all",
    docs: include_str!("external-link.md"),
};

/// One place a URL is written: page index in `project.pages`, span, destination as written.
struct Use<'a> {
    page: usize,
    span: Span,
    written: &'a str,
}

impl Rule for ExternalLink {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_site(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let pages = &cx.project.pages;
        let excluded = &cx.project.settings.external_exclude;
        // URL without fragment -> every place it is written. BTreeMap: requests and findings
        // come out in a stable order.
        let mut uses: BTreeMap<String, Vec<Use<'_>>> = BTreeMap::new();
        for (i, page) in pages.iter().enumerate() {
            let links = page.links.iter().map(|l| (l.dest.as_str(), l.span));
            let images = page.images.iter().map(|im| (im.src.as_str(), im.span));
            for (dest, span) in links.chain(images) {
                if !is_http(dest) || excluded.iter().any(|re| re.is_match(dest)) {
                    continue;
                }
                uses.entry(request_url(dest).to_string())
                    .or_default()
                    .push(Use {
                        page: i,
                        span,
                        written: dest,
                    });
            }
            // `.html` links to sibling books that `[check] site-url` and `external-roots` map
            // to URLs (see `crate::site::mdbook`).
            let targets = cx.targets(page);
            for (link, target) in page.links.iter().zip(&targets.links) {
                if let crate::resolve::Target::Sibling { url: Some(url), .. } = target
                    && !excluded.iter().any(|re| re.is_match(url))
                {
                    uses.entry(url.clone()).or_default().push(Use {
                        page: i,
                        span: link.span,
                        written: &link.dest,
                    });
                }
            }
        }
        if uses.is_empty() {
            return;
        }
        let urls: Vec<&str> = uses.keys().map(String::as_str).collect();
        let answers = client::check_urls(&urls, &ClientOptions::default());
        for (url, answer) in urls.iter().zip(answers) {
            let Some((message_tail, help)) = describe(&answer) else {
                continue;
            };
            for u in uses.get(*url).into_iter().flatten() {
                out.push(
                    Finding::new(
                        &pages[u.page],
                        u.span,
                        format!("{} {message_tail}", u.written),
                    )
                    .help(help),
                );
            }
        }
    }
}

/// True for an `http:` or `https:` URL (scheme compared without case, RFC 3986 §3.1).
pub(crate) fn is_http(dest: &str) -> bool {
    let lower = |n: usize| dest.get(..n).map(str::to_ascii_lowercase);
    lower(7).as_deref() == Some("http://") || lower(8).as_deref() == Some("https://")
}

/// The URL that is requested for `dest`: without its `#fragment` (fragments are not checked,
/// and `page#a` and `page#b` need one request).
fn request_url(dest: &str) -> &str {
    dest.split('#').next().unwrap_or(dest)
}

/// The end of the message after the URL, and the help line, for a failing answer; `None` when
/// the URL is fine or was not checked.
fn describe(answer: &Answer) -> Option<(String, &'static str)> {
    match answer {
        Answer::Ok | Answer::Skipped => None,
        Answer::Status(code, reason) => Some((
            format!("answered {code} {reason}").trim_end().to_string(),
            "the page has moved or is gone: update the link, or remove it",
        )),
        Answer::Unreachable(error) => Some((
            format!("did not answer: {error}"),
            "check the address; if it is only reachable from some networks, silence this \
             occurrence with `<!-- stepbook-ignore external-link: reason -->` on the line before",
        )),
        Answer::Invalid(error) => Some((format!("is not a valid URL: {error}"), "fix the address")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_are_external_links() {
        assert!(is_http("https://example.com/x"));
        assert!(is_http("HTTP://example.com"));
        assert!(!is_http("mailto:a@b.c"));
        assert!(!is_http("setup.md"));
        assert!(!is_http("http:/x"));
        assert!(!is_http("ftp://x"));
        assert!(!is_http("é"));
    }

    #[test]
    fn fragments_are_not_requested() {
        assert_eq!(request_url("https://a.org/p#b"), "https://a.org/p");
        assert_eq!(request_url("https://a.org/p?q=1"), "https://a.org/p?q=1");
    }

    #[test]
    fn messages_name_status_or_error() {
        assert_eq!(
            describe(&Answer::Status(404, "Not Found".into())).map(|d| d.0),
            Some("answered 404 Not Found".to_string())
        );
        assert_eq!(
            describe(&Answer::Status(599, String::new())).map(|d| d.0),
            Some("answered 599".to_string())
        );
        assert_eq!(
            describe(&Answer::Unreachable("connection refused".into())).map(|d| d.0),
            Some("did not answer: connection refused".to_string())
        );
        assert!(describe(&Answer::Ok).is_none());
        assert!(describe(&Answer::Skipped).is_none());
    }
}
