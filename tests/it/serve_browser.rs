//! Browser test of `stepbook serve` in headless Chromium, driven over WebDriver (the small client
//! in `support::webdriver`, chromedriver started here on a free port): the page loads, an edit to
//! the Markdown makes the browser reload by itself (keeping the scroll position) and show the new
//! text, and a page with a broken image shows the finding in the panel, of which a screenshot is
//! saved.
//!
//! Needs the Debian packages `chromium` and `chromium-driver` (CI installs them). When
//! chromedriver is missing the test fails and says so; it never skips. CHROMEDRIVER and CHROMIUM
//! override the binaries' paths.

use serde_json::json;

use crate::support::Project;
use crate::support::webdriver::{Session, browser, eventually, start_driver};

fn body_text(c: &Session) -> String {
    c.find("article").map(|e| e.text()).unwrap_or_default()
}

#[test]
fn browser_reloads_on_edit_and_shows_the_panel() {
    let long: String = (1..=80)
        .map(|i| format!("Paragraph {i} of a long guide, to scroll past.\n\n"))
        .collect();
    let p = Project::with(&[
        (
            "book.toml",
            "[book]\ntitle = \"Browser test\"\nsrc = \"content\"\n",
        ),
        ("content/a.md", &format!("# Alpha\n\nFirst text.\n\n{long}")),
        (
            "content/shots.md",
            "# Screenshots\n\nOpen the settings page.\n\n![The settings page](res/settings.png)\n",
        ),
    ]);
    let srv = p.serve();
    let base = srv.url().to_string();
    let profile = p.outer.path().join("chromium-profile");
    let driver = start_driver(&p.outer.path().join("chromedriver.log"));
    let shot_path = p.outer.path().join("serve-panel.png");
    let c = browser(&driver, &profile);
    // The page loads.
    c.goto(&format!("{base}a.html"));
    assert!(body_text(&c).contains("First text."));
    // Wait for the reload socket, scroll down, and mark this document.
    assert!(
        eventually(|| c.execute("return typeof window.__stepbookGeneration") == json!("number")),
        "reload script present"
    );
    // No wait for the socket: when it connects after the edit below, the server's `hello`
    // names a newer generation and the page reloads all the same.
    c.execute("window.scrollTo(0, 900); window.__before_reload = true;");
    let y0 = c.execute("return window.scrollY");
    assert!(
        y0.as_f64().unwrap_or(0.0) > 800.0,
        "page did not scroll: {y0}"
    );

    // Edit the Markdown: the browser reloads by itself and shows the new text.
    p.write(
        "content/a.md",
        &format!("# Alpha\n\nEdited text.\n\n{long}"),
    );
    assert!(
        eventually(|| body_text(&c).contains("Edited text.")),
        "the browser did not show the edit"
    );
    let marker = c.execute("return window.__before_reload === undefined");
    assert_eq!(marker, json!(true), "the page was not reloaded");
    let y1 = c.execute("return window.scrollY").as_f64().unwrap_or(0.0);
    assert!((y1 - 900.0).abs() < 50.0, "scroll position not kept: {y1}");
    // A clean page lists no finding of its own (the other page's is one click away).
    let own =
        c.execute("return document.querySelectorAll('#stepbook-findings ol.sb-page li').length");
    assert_eq!(own, json!(0));

    // A page with a broken image shows the finding in the panel.
    c.goto(&format!("{base}shots.html"));
    let panel = c.wait_for("#stepbook-findings");
    let text = panel.text();
    assert!(text.contains("missing-image"), "{text}");
    assert!(text.contains("content/shots.md:5:"), "{text}");
    assert!(text.contains("1 finding on this page"), "{text}");
    // The bar sits in the flow at the top of the content: it covers nothing.
    let position =
        c.execute("return getComputedStyle(document.getElementById('stepbook-findings')).position");
    assert_eq!(position, json!("static"));
    let png = panel.screenshot();
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    std::fs::write(&shot_path, &png).expect("save screenshot");
    std::fs::write("/tmp/serve-panel.png", &png).expect("copy screenshot for the lead");
    let page = c.screenshot();
    std::fs::write(shot_path.with_file_name("serve-page.png"), &page).expect("save page");
    std::fs::write("/tmp/serve-page.png", &page).expect("copy page screenshot");

    // The panel folds: a click on its summary closes the <details>.
    let open = "return document.querySelector('#stepbook-findings details').open";
    let before = c.execute(open);
    c.find("#stepbook-findings summary")
        .expect("panel summary")
        .click();
    assert_ne!(
        c.execute(open),
        before,
        "the click did not toggle the panel"
    );

    // Fixing the page removes the panel (after the automatic reload).
    p.write(
        "content/shots.md",
        "# Screenshots\n\nOpen the settings page.\n",
    );
    assert!(
        eventually(|| c.find("#stepbook-findings").is_none()),
        "panel gone after the fix"
    );

    // The rest of the WebDriver client that other browser tests use: typing, lists, attributes.
    c.goto("data:text/html,<input id=q title=box><p>a</p><p>b</p>");
    let input = c.wait_for("#q");
    input.send_keys("stepbook");
    input.send_keys(crate::support::webdriver::keys::ENTER);
    assert_eq!(
        c.execute("return document.getElementById('q').value"),
        json!("stepbook")
    );
    assert_eq!(input.attr("title").as_deref(), Some("box"));
    assert_eq!(c.find_all("p").len(), 2);
    c.close();
    assert!(shot_path.is_file());
    drop(driver);
    drop(srv);
}
