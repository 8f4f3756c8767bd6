//! Browser test of `stepbook serve` in headless Chromium, driven over WebDriver (the small client
//! in `support::webdriver`, chromedriver started here on a free port): the page loads, an edit to
//! the Markdown makes the browser reload by itself (keeping the scroll position) and show the new
//! text, and a page with a broken image shows the finding in the panel, of which a screenshot is
//! saved.
//!
//! Needs the Debian packages `chromium` and `chromium-driver` (CI installs them). When
//! chromedriver is missing the test fails and says so; it never skips. CHROMEDRIVER and CHROMIUM
//! override the binaries' paths.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::Project;
use crate::support::webdriver::Session;

/// How long the browser may take to show a change: generous, because this is a correctness
/// test on a shared machine, not a benchmark (SPEC keeps timing in benchmarks).
const PATIENCE: Duration = Duration::from_secs(30);

/// chromedriver, killed when the test ends.
pub(crate) struct Driver {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn binary(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default))
}

pub(crate) fn start_driver(log: &Path) -> Driver {
    let driver = binary("CHROMEDRIVER", "/usr/bin/chromedriver");
    assert!(
        driver.is_file(),
        "chromedriver not found at {}: install the Debian packages `chromium` and \
         `chromium-driver` (or set CHROMEDRIVER); this browser test does not skip",
        driver.display()
    );
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = Command::new(&driver)
        .arg(format!("--port={port}"))
        .arg(format!("--log-path={}", log.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", driver.display()));
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(addr).is_err() {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not listen on {addr}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Driver { child, addr }
}

fn browser(driver: &Driver, profile: &Path) -> Session {
    browser_with(driver, profile, &[])
}

/// A headless Chromium session with extra command-line `flags` (`--force-dark-mode`).
pub(crate) fn browser_with(driver: &Driver, profile: &Path, flags: &[&str]) -> Session {
    let chromium = binary("CHROMIUM", "/usr/bin/chromium");
    let mut args = vec![
        "--headless".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--no-first-run".into(),
        "--disable-dev-shm-usage".into(),
        "--window-size=1280,900".into(),
        format!("--user-data-dir={}", profile.display()),
    ];
    args.extend(flags.iter().map(|f| f.to_string()));
    Session::new(
        driver.addr,
        json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium, "args": args },
        }),
    )
}

/// Polls `check` until it returns true; false if [`PATIENCE`] passes first.
pub(crate) fn eventually(mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + PATIENCE;
    while Instant::now() < deadline {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    false
}

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
    assert!(
        eventually(|| c.find("#stepbook-findings").is_some()),
        "the findings panel"
    );
    let panel = c.find("#stepbook-findings").expect("the findings panel");
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

    // Fixing the page removes the panel (after the automatic reload).
    p.write(
        "content/shots.md",
        "# Screenshots\n\nOpen the settings page.\n",
    );
    assert!(
        eventually(|| c.find("#stepbook-findings").is_none()),
        "panel gone after the fix"
    );
    c.close();
    assert!(shot_path.is_file());
    drop(driver);
    drop(srv);
}
