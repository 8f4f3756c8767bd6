//! What `serve` adds to served HTML, and only there (`build` output never has it): the reload
//! script, the findings panel, and the error and not-found pages.
//!
//! The reload script keeps a WebSocket to [`WS_PATH`]. The server sends the current build
//! generation (and the generation its findings belong to) when the socket opens and after every
//! rebuild; when the generation differs from the one the page was served with, the script stores
//! the scroll position in sessionStorage (per path) and reloads; the reloaded page scrolls back.
//! Pages are published as soon as they are rendered and the checks' findings follow: when only
//! the findings changed, the script fetches the page's panel from [`PANEL_PATH`] and swaps it in
//! without reloading. A lost connection is retried with back-off, so a restarted server is
//! picked up.
//!
//! The panel is fixed at the bottom right, collapsible (`<details>`, its state kept in
//! sessionStorage), and lists the page's findings (level, rule, line, message, help) with the
//! site-wide counts. A clean page has no panel.

use super::engine::{PagePanel, Snapshot};
use crate::diag::Level;

/// The WebSocket endpoint of the reload channel.
pub const WS_PATH: &str = "/__stepbook/ws";

/// The endpoint that returns one page's panel (`?path=/a.html`).
pub const PANEL_PATH: &str = "/__stepbook/panel";

/// The id of the findings panel element.
pub const PANEL_ID: &str = "stepbook-findings";

const RELOAD_JS: &str = r#"(function () {
  var gen = window.__stepbookGeneration;
  var checked = window.__stepbookChecked;
  var key = "stepbook-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var restore = function () { window.scrollTo(0, Number(saved)); };
    if (document.readyState === "complete") { restore(); } else { window.addEventListener("load", restore); }
  }
  function wirePanel() {
    var panel = document.getElementById("stepbook-findings");
    if (!panel) { return; }
    var details = panel.querySelector("details");
    if (sessionStorage.getItem("stepbook-panel") === "closed") { details.open = false; }
    details.addEventListener("toggle", function () {
      sessionStorage.setItem("stepbook-panel", details.open ? "open" : "closed");
    });
  }
  wirePanel();
  function refreshPanel(to) {
    fetch("/__stepbook/panel?path=" + encodeURIComponent(location.pathname), { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var old = document.getElementById("stepbook-panel-root");
        if (old) { old.remove(); }
        if (html) { document.body.insertAdjacentHTML("beforeend", html); wirePanel(); }
        checked = to;
      });
  }
  var delay = 200;
  function connect() {
    var proto = location.protocol === "https:" ? "wss:" : "ws:";
    var ws = new WebSocket(proto + "//" + location.host + "/__stepbook/ws");
    ws.onopen = function () { delay = 200; };
    ws.onmessage = function (ev) {
      var msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      if (typeof msg.generation === "number" && msg.generation !== gen) {
        sessionStorage.setItem(key, String(window.scrollY));
        location.reload();
      } else if (typeof msg.checked === "number" && msg.checked !== checked) {
        refreshPanel(msg.checked);
      }
    };
    ws.onclose = function () {
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 3000);
    };
  }
  connect();
})();"#;

const PANEL_CSS: &str = "#stepbook-findings{position:fixed;right:12px;bottom:12px;z-index:2147483647;\
max-width:min(560px,calc(100vw - 24px));max-height:60vh;overflow:auto;background:#fff;color:#1f2328;\
border:1px solid #d0d7de;border-left:4px solid #cf222e;border-radius:6px;\
box-shadow:0 4px 16px rgba(0,0,0,.18);font:13px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif}\
#stepbook-findings.warn{border-left-color:#bf8700}\
#stepbook-findings summary{cursor:pointer;padding:8px 12px;font-weight:600}\
#stepbook-findings ol{margin:0;padding:0 12px 10px 12px;list-style:none}\
#stepbook-findings li{padding:6px 0;border-top:1px solid #eaeef2}\
#stepbook-findings .lvl{display:inline-block;font-weight:600;text-transform:uppercase;font-size:11px;\
padding:0 5px;border-radius:3px;color:#fff;background:#cf222e}\
#stepbook-findings .lvl.warning{background:#9a6700}\
#stepbook-findings code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}\
#stepbook-findings .msg{margin:2px 0 0 0}\
#stepbook-findings .help{margin:2px 0 0 0;color:#57606a}\
#stepbook-findings .site{font-weight:400;color:#57606a}";

pub use crate::render::escape;

/// The reload script tags for a page of `snap`.
pub fn reload_script(snap: &Snapshot) -> String {
    format!(
        "<script>window.__stepbookGeneration = {}; window.__stepbookChecked = {};</script>\n<script>{RELOAD_JS}</script>\n",
        snap.generation, snap.checked
    )
}

/// The panel for `panel`, with the site-wide counts of `snap`.
pub fn panel_html(panel: &PagePanel, snap: &Snapshot) -> String {
    let page_errors = panel
        .items
        .iter()
        .filter(|i| i.level == Level::Error)
        .count();
    let n = panel.items.len();
    let mut out = format!(
        "<div id=\"stepbook-panel-root\">\n<style>{PANEL_CSS}</style>\n<aside id=\"{PANEL_ID}\" class=\"{}\" data-findings=\"{n}\" \
data-site-errors=\"{}\" data-site-warnings=\"{}\">\n<details open>\n<summary>stepbook: {n} {} \
on this page <span class=\"site\">· site: {} {}, {} {}{}</span></summary>\n<ol>\n",
        if page_errors > 0 { "error" } else { "warn" },
        snap.errors,
        snap.warnings,
        if n == 1 { "finding" } else { "findings" },
        snap.errors,
        if snap.errors == 1 { "error" } else { "errors" },
        snap.warnings,
        if snap.warnings == 1 {
            "warning"
        } else {
            "warnings"
        },
        if snap.checked < snap.generation {
            " · checking the edit…"
        } else {
            ""
        },
    );
    for item in &panel.items {
        out.push_str(&format!(
            "<li data-rule=\"{rule}\" data-line=\"{line}\"><span class=\"lvl {lvl}\">{lvl}</span> \
<code>{rule}</code> <span class=\"loc\">{file}:{line}:{col}</span>\n<p class=\"msg\">{msg}</p>\n",
            rule = item.rule,
            lvl = item.level.as_str(),
            file = escape(&panel.file),
            line = item.line,
            col = item.column,
            msg = escape(&item.message),
        ));
        if let Some(help) = &item.help {
            out.push_str(&format!("<p class=\"help\">help: {}</p>\n", escape(help)));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n</details>\n</aside>\n</div>\n");
    out
}

/// `html` with the reload script and, when `panel` is given, the findings panel inserted before
/// the last `</body>` (appended when there is none).
pub fn inject(html: &str, snap: &Snapshot, panel: Option<&PagePanel>) -> String {
    let mut extra = String::new();
    if let Some(stale) = &snap.stale {
        extra.push_str(&stale_html(stale));
    }
    if let Some(panel) = panel {
        extra.push_str(&panel_html(panel, snap));
    }
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
    use super::*;
    use crate::serve::engine::PanelItem;

    #[test]
    fn inject_goes_before_body_end_and_escapes() {
        let snap = Snapshot {
            generation: 7,
            checked: 7,
            errors: 3,
            warnings: 1,
            ..Snapshot::default()
        };
        let panel = PagePanel {
            file: "content/a.md".into(),
            items: vec![PanelItem {
                rule: "missing-image",
                level: Level::Error,
                line: 4,
                column: 1,
                message: "image <x.png> does not exist".into(),
                help: Some("did you mean `y.png`?".into()),
            }],
        };
        let html = inject("<html><body><p>hi</p></body></html>", &snap, Some(&panel));
        assert!(html.ends_with("</body></html>"));
        assert!(html.contains("window.__stepbookGeneration = 7;"));
        assert!(html.contains("image &lt;x.png&gt; does not exist"));
        assert!(html.contains("content/a.md:4:1"));
        assert!(html.contains("site: 3 errors, 1 warning"));
        assert!(html.find("<aside") < html.find("</body>"));
        let clean = inject("<p>no body tag</p>", &snap, None);
        assert!(clean.starts_with("<p>no body tag</p><script>"));
        assert!(!html.contains("checking the edit"));
        let stale = Snapshot {
            checked: 6,
            ..snap.clone()
        };
        assert!(panel_html(&panel, &stale).contains("checking the edit"));
        assert!(!clean.contains("<aside"));
    }
}
