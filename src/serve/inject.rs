//! What `serve` adds to served HTML, and only there (`build` output never has it): the reload
//! script, the findings bar and the marks in the page, and the error and not-found pages.
//!
//! The reload script keeps a WebSocket to [`WS_PATH`]. The server sends the current build
//! generation (and the generation its findings belong to) when the socket opens and after every
//! rebuild; when the generation differs from the one the page was served with, the script stores
//! the scroll position in sessionStorage (per path) and reloads; the reloaded page scrolls back.
//! Pages are published as soon as they are rendered and the checks' findings follow: when only
//! the findings changed, the script fetches the page's bar from [`PANEL_PATH`] and swaps it in
//! (and the marks with it) without reloading. A lost connection is retried with back-off.
//!
//! The bar is a compact `<details>` at the top of the page's content, in the flow, so it never
//! covers anything (closed on phones; its state kept in sessionStorage). Each entry links to its
//! mark. The marks are made in the browser: the preview renders pages with source positions
//! ([`crate::render::source_map`]), and the script outlines the element whose range holds each
//! finding (the nearest element when the finding's text renders as nothing) and puts a note with
//! level, rule, message and help right after its block. The other pages' findings are one click
//! away, in a nested list that links to their marks.

use super::engine::{PagePanel, PanelItem, SiteItem, Snapshot};
use crate::diag::Level;

/// The WebSocket endpoint of the reload channel.
pub const WS_PATH: &str = "/__stepbook/ws";

/// The endpoint that returns one page's bar (`?path=/a.html`).
pub const PANEL_PATH: &str = "/__stepbook/panel";

/// The id of the findings bar element.
pub const PANEL_ID: &str = "stepbook-findings";

/// How many of the other pages' findings the bar lists (the terminal has them all).
const SITE_LIST_MAX: usize = 50;

const PREVIEW_JS: &str = include_str!("preview.js");
const PREVIEW_CSS: &str = include_str!("preview.css");

pub use crate::render::escape;

/// The reload script tags for a page of `snap`.
pub fn reload_script(snap: &Snapshot) -> String {
    format!(
        "<script>window.__stepbookGeneration = {}; window.__stepbookChecked = {};</script>\n<script>{PREVIEW_JS}</script>\n",
        snap.generation, snap.checked
    )
}

fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// `3 errors, 1 warning`, `2 warnings`, `1 error`.
fn counts(errors: usize, warnings: usize) -> String {
    match (errors, warnings) {
        (e, 0) => plural(e, "error"),
        (0, w) => plural(w, "warning"),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    }
}

/// The bar of the page at site path `key`: its findings, and the site's. `None` when neither
/// the page nor the site has a finding.
pub fn panel_html(key: &str, snap: &Snapshot) -> Option<String> {
    let empty = PagePanel::default();
    let panel = snap.panels.get(key).unwrap_or(&empty);
    if panel.items.is_empty() && snap.site.is_empty() {
        return None;
    }
    let page_errors = panel
        .items
        .iter()
        .filter(|i| i.level == Level::Error)
        .count();
    let n = panel.items.len();
    let class = match (n, page_errors) {
        (0, _) => "clean",
        (_, 0) => "warn",
        _ => "error",
    };
    let page_text = if n == 0 {
        "no findings on this page".to_string()
    } else {
        format!("{} on this page", plural(n, "finding"))
    };
    let mut out = format!(
        "<div id=\"stepbook-panel-root\">\n<style>{PREVIEW_CSS}</style>\n<aside id=\"{PANEL_ID}\" class=\"{class}\" \
data-findings=\"{n}\" data-site-errors=\"{}\" data-site-warnings=\"{}\" aria-label=\"stepbook findings\">\n\
<details{}>\n<summary>stepbook: {page_text} <span class=\"site\">· site: {} in {}</span>{}</summary>\n",
        snap.errors,
        snap.warnings,
        if n > 0 { " open" } else { "" },
        counts(snap.errors, snap.warnings),
        plural(snap.files_with_findings, "file"),
        if snap.checked < snap.generation {
            " <span class=\"checking\">· checking the edit…</span>"
        } else {
            ""
        },
    );
    if n > 0 {
        out.push_str("<ol class=\"sb-page\">\n");
        for (index, item) in panel.items.iter().enumerate() {
            page_entry(&mut out, &panel.file, index, item);
        }
        out.push_str("</ol>\n");
    }
    site_list(&mut out, key, snap);
    out.push_str("</details>\n</aside>\n</div>\n");
    Some(out)
}

/// One entry of the page's list: a link to its mark, and the mark's note in a `<template>`.
fn page_entry(out: &mut String, file: &str, index: usize, item: &PanelItem) {
    let help = item
        .help
        .as_ref()
        .map(|h| format!("<p class=\"help\">help: {}</p>", escape(h)))
        .unwrap_or_default();
    let note_help = item
        .help
        .as_ref()
        .map(|h| format!("<div class=\"sb-help\">help: {}</div>", escape(h)))
        .unwrap_or_default();
    out.push_str(&format!(
        "<li data-rule=\"{rule}\" data-line=\"{line}\" data-start=\"{start}\" data-end=\"{end}\" \
data-level=\"{lvl}\" data-index=\"{index}\"><a class=\"sb-go\" href=\"#sb-f-{index}\">\
<span class=\"lvl {lvl}\">{lvl}</span> <code>{rule}</code> <span class=\"loc\">{file}:{line}:{col}</span>\n\
<span class=\"msg\">{msg}</span></a>{help}\n\
<template><span class=\"sb-lvl\">{lvl}</span> <code class=\"sb-rule\">{rule}</code> \
<span class=\"sb-msg\">{msg}</span> <span class=\"sb-line\">(line {line})</span>{note_help}</template></li>\n",
        rule = item.rule,
        lvl = item.level.as_str(),
        file = escape(file),
        line = item.line,
        col = item.column,
        start = item.start,
        end = item.end,
        msg = escape(&item.message),
    ));
}

/// The other pages' findings (and those in files that are not pages), one click away.
fn site_list(out: &mut String, key: &str, snap: &Snapshot) {
    let others: Vec<&SiteItem> = snap
        .site
        .iter()
        .filter(|s| s.page.as_deref() != Some(key))
        .collect();
    if others.is_empty() {
        return;
    }
    out.push_str(&format!(
        "<details class=\"sb-site\"><summary>Elsewhere in the site: {}</summary>\n<ol>\n",
        plural(others.len(), "finding")
    ));
    for s in others.iter().take(SITE_LIST_MAX) {
        let loc = format!("{}:{}:{}", escape(&s.file), s.item.line, s.item.column);
        let place = match &s.page {
            Some(page) => format!("<a href=\"/{}#sb-f-{}\">{loc}</a>", escape(page), s.index),
            None => format!("<span class=\"loc\">{loc}</span>"),
        };
        out.push_str(&format!(
            "<li data-rule=\"{rule}\"><span class=\"lvl {lvl}\">{lvl}</span> <code>{rule}</code> {place}\n\
<span class=\"msg\">{msg}</span></li>\n",
            rule = s.item.rule,
            lvl = s.item.level.as_str(),
            msg = escape(&s.item.message),
        ));
    }
    if others.len() > SITE_LIST_MAX {
        out.push_str(&format!(
            "<li>… and {} more: the terminal running `stepbook serve` lists them all</li>\n",
            others.len() - SITE_LIST_MAX
        ));
    }
    out.push_str("</ol>\n</details>\n");
}

/// `html` (the page at site path `key`) with the reload script and the findings bar inserted
/// before the last `</body>` (appended when there is none).
pub fn inject(html: &str, snap: &Snapshot, key: &str) -> String {
    let mut extra = String::new();
    if let Some(stale) = &snap.stale {
        extra.push_str(&stale_html(stale));
    }
    extra.push_str(&panel_html(key, snap).unwrap_or_default());
    extra.push_str(&reload_script(snap));
    let at = html
        .rfind("</body>")
        .or_else(|| html.rfind("</BODY>"))
        .unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + extra.len());
    out.push_str(&html[..at]);
    out.push_str(&extra);
    out.push_str(&html[at..]);
    out
}

/// The notice shown at the top of every page while the served site may be stale.
pub fn stale_html(message: &str) -> String {
    format!(
        "<div id=\"stepbook-stale\" role=\"alert\" style=\"position:fixed;top:0;left:0;right:0;\
z-index:2147483647;background:#fff8c5;color:#1f2328;border-bottom:1px solid #d4a72c;padding:6px 12px;\
font:13px/1.45 system-ui,sans-serif\">stepbook: {}</div>\n",
        escape(message)
    )
}

/// The page shown in place of the site while the build fails.
pub fn error_page(message: &str, snap: &Snapshot) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>stepbook: build failed</title>\n\
<style>body{{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1f2328}}\
pre{{background:#fff1f0;border:1px solid #cf222e;border-radius:6px;padding:1rem;white-space:pre-wrap}}</style>\n</head>\n<body>\n\
<h1>The build failed</h1>\n<p>stepbook keeps watching; this page reloads when the next save builds.</p>\n\
<pre id=\"stepbook-build-error\">{}</pre>\n{}</body>\n</html>\n",
        escape(message),
        reload_script(snap)
    )
}

/// The built-in not-found page (used when the site has no `404.html`).
pub fn not_found_page(path: &str, snap: &Snapshot) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Not found</title>\n</head>\n<body>\n\
<h1>404: not found</h1>\n<p>The site has no page at <code>{}</code>. <a href=\"/\">Go to the start page</a>.</p>\n{}</body>\n</html>\n",
        escape(path),
        reload_script(snap)
    )
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn item() -> PanelItem {
        PanelItem {
            rule: "missing-image",
            level: Level::Error,
            line: 4,
            column: 1,
            start: 20,
            end: 40,
            message: "image <x.png> does not exist".into(),
            help: Some("did you mean `y.png`?".into()),
        }
    }

    fn snap() -> Snapshot {
        let panel = PagePanel {
            file: "content/a.md".into(),
            items: vec![item()],
        };
        Snapshot {
            generation: 7,
            checked: 7,
            errors: 3,
            warnings: 1,
            files_with_findings: 2,
            panels: Arc::new([("a.html".to_string(), panel)].into_iter().collect()),
            site: Arc::new(vec![
                SiteItem {
                    file: "content/a.md".into(),
                    page: Some("a.html".into()),
                    index: 0,
                    item: item(),
                },
                SiteItem {
                    file: "content/b.md".into(),
                    page: Some("b.html".into()),
                    index: 0,
                    item: item(),
                },
            ]),
            ..Snapshot::default()
        }
    }

    #[test]
    fn inject_goes_before_body_end_and_escapes() {
        let snap = snap();
        let html = inject("<html><body><p>hi</p></body></html>", &snap, "a.html");
        assert!(html.ends_with("</body></html>"));
        assert!(html.contains("window.__stepbookGeneration = 7;"));
        assert!(html.contains("image &lt;x.png&gt; does not exist"));
        assert!(html.contains("content/a.md:4:1"));
        assert!(html.contains("data-start=\"20\" data-end=\"40\""));
        assert!(html.contains("href=\"#sb-f-0\""));
        assert!(html.contains("site: 3 errors, 1 warning in 2 files"));
        // The other page's finding is one click away, linked to its mark.
        assert!(html.contains("href=\"/b.html#sb-f-0\""), "{html}");
        assert!(!html.contains("href=\"/a.html#sb-f-0\""), "{html}");
        assert!(html.find("<aside") < html.find("</body>"));
        assert!(!html.contains("checking the edit"));
        let stale = Snapshot {
            checked: 6,
            ..snap.clone()
        };
        assert!(
            panel_html("a.html", &stale)
                .unwrap()
                .contains("checking the edit")
        );
        // A clean page of a site with findings: the bar with the site's count only.
        let clean = panel_html("c.html", &snap).unwrap();
        assert!(clean.contains("no findings on this page"));
        assert!(!clean.contains("class=\"sb-page\""));
        // A clean site: no bar at all.
        let none = inject("<p>no body tag</p>", &Snapshot::default(), "a.html");
        assert!(none.starts_with("<p>no body tag</p><script>"));
        assert!(!none.contains("<aside"));
    }
}
