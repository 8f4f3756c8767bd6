//! Browser test of the in-page findings of `stepbook serve` (issue 9), in headless Chromium over
//! WebDriver: the bundled guide (book.toml, content/, res/ of this repository, which holds a
//! broken step reference, two accidental code blocks and a scope list that lacks scopes) is served
//! from a temporary copy and opened at 1280 px and 390 px, in light and dark. In each:
//! - every finding of the page has a note in the page, and no note and not the bar overlaps
//!   the box of any other element (compared from the DOM's client rects);
//! - clicking the bar's entry for the broken step reference brings its note into view.
//!
//! Then fixing the step reference in the Markdown removes its mark without a manual reload.
//! Screenshots go to `$STEPBOOK_SHOTS` (default `target/findings-shots/`).

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::support::Project;
use crate::support::webdriver::{Session, browser_with, eventually, start_driver};

fn shots_dir() -> PathBuf {
    let dir = std::env::var_os("STEPBOOK_SHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/findings-shots"));
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

/// For each mark (a note or the bar): the other elements whose boxes overlap it by more than
/// one pixel in each direction, ignoring its ancestors and descendants and invisible elements.
const OVERLAPS_JS: &str = r#"
var marks = Array.from(document.querySelectorAll('.sb-note, #stepbook-findings'));
var others = Array.from(document.querySelectorAll('body *')).filter(function (e) {
  var cs = getComputedStyle(e);
  if (cs.visibility === 'hidden' || cs.display === 'none') { return false; }
  var r = e.getBoundingClientRect();
  return r.width > 1 && r.height > 1;
});
var out = [];
marks.forEach(function (m) {
  var a = m.getBoundingClientRect();
  others.forEach(function (o) {
    if (o === m || o.contains(m) || m.contains(o)) { return; }
    var b = o.getBoundingClientRect();
    var w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    var h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (w > 1 && h > 1) {
      out.push((m.id || m.className) + ' overlaps ' + o.tagName.toLowerCase() + '.' + o.className);
    }
  });
});
return out;
"#;

fn js(c: &Session, script: &str) -> Value {
    c.execute(script)
}

fn save_shot(c: &Session, name: &str) -> PathBuf {
    let png = c.screenshot();
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    let path = shots_dir().join(name);
    std::fs::write(&path, &png).expect("save screenshot");
    path
}

/// Opens CREDENTIALS.html at `width` and checks marks, overlaps and the scroll of one entry.
fn check_view(c: &Session, base: &str, width: u32, scheme: &str) {
    c.set_window_size(width, 900);
    // The resize reaches the page asynchronously; load the page once it has.
    assert!(
        eventually(|| js(c, "return window.innerWidth") == json!(width)),
        "the viewport is {width} px wide"
    );
    c.goto(&format!("{base}CREDENTIALS.html"));
    let dark = js(
        c,
        "return matchMedia('(prefers-color-scheme: dark)').matches",
    );
    assert_eq!(dark, json!(scheme == "dark"), "colour scheme at {width} px");
    let found = eventually(|| {
        let n = js(
            c,
            "return [document.querySelectorAll('#stepbook-findings ol.sb-page > li').length, \
             document.querySelectorAll('.sb-note').length]",
        );
        n[0].as_u64().unwrap_or(0) > 0 && n[0] == n[1]
    });
    assert!(
        found,
        "every finding of the page has a note ({width} px, {scheme})"
    );
    // The broken step reference is marked on the code block it sits in (an accidental code
    // block: the blockquote renders as literal text).
    let marked = js(
        c,
        "var li = document.querySelector('#stepbook-findings li[data-rule=\"broken-step-ref\"]'); \
         var note = document.getElementById('sb-f-' + li.getAttribute('data-index')); \
         var prev = note.parentElement.previousElementSibling; \
         return [note.textContent, prev ? prev.tagName : '', prev ? prev.classList.contains('sb-marked') : false];",
    );
    assert!(
        marked[0].as_str().unwrap_or("").contains("Step 6"),
        "{marked}"
    );
    // A code block is a `<div class="code-block">` around its `<pre>` (copy button, hidden lines).
    assert_eq!(marked[1], json!("DIV"), "{marked}");
    assert_eq!(marked[2], json!(true), "{marked}");

    js(c, "window.scrollTo(0, 0); return 0");
    let overlaps = js(c, OVERLAPS_JS);
    assert_eq!(
        overlaps,
        json!([]),
        "marks overlap other elements at {width} px ({scheme})"
    );
    let bar_open = js(
        c,
        "return document.querySelector('#stepbook-findings > details').open",
    );
    assert_eq!(
        bar_open,
        json!(width > 700),
        "the bar is open on a wide screen and closed on a phone ({width} px, {scheme})"
    );
    save_shot(c, &format!("guide-{width}-{scheme}-top.png"));

    // Open the bar (on a phone it starts closed) and click the step reference's entry.
    if width <= 700 {
        c.find("#stepbook-findings > details > summary")
            .expect("bar summary")
            .click();
    }
    c.find("#stepbook-findings li[data-rule=\"broken-step-ref\"] a.sb-go")
        .expect("entry")
        .click();
    let in_view = eventually(|| {
        let v = js(
            c,
            "var li = document.querySelector('#stepbook-findings li[data-rule=\"broken-step-ref\"]'); \
             var r = document.getElementById('sb-f-' + li.getAttribute('data-index')).getBoundingClientRect(); \
             return window.scrollY > 0 && r.top >= 0 && r.bottom <= window.innerHeight;",
        );
        v == json!(true)
    });
    assert!(
        in_view,
        "clicking the entry scrolls its mark into view ({width} px, {scheme})"
    );
    save_shot(c, &format!("guide-{width}-{scheme}-entry.png"));
}

#[test]
fn findings_are_marked_in_the_page_in_light_and_dark_at_two_widths() {
    let p = Project::bundled().file(
        "content/NOTES.md",
        "---\nscopes: [\"Nope\"]\n---\n\n# Notes\n\nFirst read [the setup](SETUP.md), then go on.\n",
    );
    let summary = p.read("content/SUMMARY.md");
    p.write(
        "content/SUMMARY.md",
        &format!("{summary}\n- [Notes](NOTES.md)\n"),
    );
    let srv = p.serve();
    let base = srv.url().to_string();
    let driver = start_driver(&p.outer.path().join("chromedriver.log"));
    for scheme in ["dark", "light"] {
        let profile = p.outer.path().join(format!("profile-{scheme}"));
        let flags: &[&str] = if scheme == "dark" {
            &["--hide-scrollbars", "--force-dark-mode"]
        } else {
            &["--hide-scrollbars"]
        };
        let c = browser_with(&driver, &profile, flags);
        check_view(&c, &base, 1280, scheme);
        check_view(&c, &base, 390, scheme);
        if scheme == "dark" {
            c.close();
            continue;
        }
        // A finding in the front matter (which renders as nothing) marks the nearest element,
        // the title; a broken link is outlined itself, with its note after its paragraph.
        c.set_window_size(1280, 900);
        c.goto(&format!("{base}NOTES.html"));
        assert!(
            eventually(
                || js(&c, "return document.querySelectorAll('.sb-note').length") == json!(2)
            ),
            "two notes on NOTES.html"
        );
        let places = js(
            &c,
            "return Array.from(document.querySelectorAll('.sb-notes')).map(function (b) { \
               var prev = b.previousElementSibling; \
               return [prev.tagName, b.textContent.indexOf('scope-missing') >= 0, \
                       !!prev.querySelector('a.sb-marked')]; })",
        );
        assert_eq!(
            places,
            json!([["H1", true, false], ["P", false, true]]),
            "front matter → title; link → its paragraph"
        );
        save_shot(&c, "notes-1280-light.png");

        // Fix the step reference: the page reloads by itself and its mark is gone.
        c.set_window_size(1280, 900);
        c.goto(&format!("{base}CREDENTIALS.html"));
        js(&c, "window.__before_fix = true; return 0");
        let text = p.read("content/CREDENTIALS.md");
        assert!(text.contains("in Step 6 and"));
        p.write(
            "content/CREDENTIALS.md",
            &text.replace("in Step 6 and", "in Step 3 and"),
        );
        let gone = eventually(|| {
            js(
                &c,
                "return window.__before_fix === undefined && \
                 document.querySelectorAll('.sb-note').length > 0 && \
                 !document.querySelector('#stepbook-findings li[data-rule=\"broken-step-ref\"]') && \
                 !Array.from(document.querySelectorAll('.sb-note')).some(function (n) { \
                   return n.textContent.indexOf('broken-step-ref') >= 0; })",
            ) == json!(true)
        });
        assert!(
            gone,
            "fixing the step reference removes its mark without a manual reload"
        );
        save_shot(&c, "guide-1280-light-fixed.png");
        c.close();
    }
    drop(driver);
    drop(srv);
}
