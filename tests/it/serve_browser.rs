//! Browser test of `stepbook serve` in headless Chromium, driven over WebDriver (fantoccini,
//! chromedriver started here on a free port): the page loads, an edit to the Markdown makes the
//! browser reload by itself (keeping the scroll position) and show the new text, and a page with
//! a broken image shows the finding in the panel, of which a screenshot is saved.
//!
//! Needs the Debian packages `chromium` and `chromium-driver` (CI installs them). When
//! chromedriver is missing the test fails and says so; it never skips. CHROMEDRIVER and CHROMIUM
//! override the binaries' paths.

use crate::serve_support as support;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use support::TempProject;

/// chromedriver, killed when the test ends.
struct Driver {
    child: Child,
    url: String,
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

fn start_driver(log: &Path) -> Driver {
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
    Driver {
        child,
        url: format!("http://{addr}"),
    }
}

async fn browser(driver: &Driver, profile: &Path) -> Client {
    let chromium = binary("CHROMIUM", "/usr/bin/chromium");
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--window-size=1280,900",
                format!("--user-data-dir={}", profile.display()),
            ],
        },
    });
    let serde_json::Value::Object(caps) = caps else {
        unreachable!("capabilities are an object")
    };
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("WebDriver session with headless Chromium")
}

/// Polls `check` until it returns true or `timeout` passes; returns the time it took.
async fn eventually<F, Fut>(timeout: Duration, mut check: F) -> Option<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while started.elapsed() < timeout {
        if check().await {
            return Some(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    None
}

async fn body_text(c: &Client) -> String {
    match c.find(Locator::Css("article")).await {
        Ok(e) => e.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

#[test]
fn browser_reloads_on_edit_and_shows_the_panel() {
    let long: String = (1..=80)
        .map(|i| format!("Paragraph {i} of a long guide, to scroll past.\n\n"))
        .collect();
    let p = TempProject::new(&[
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
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let shot_path = p.outer.path().join("serve-panel.png");
    rt.block_on(async {
        let c = browser(&driver, &profile).await;
        let result = async {
            // The page loads.
            c.goto(&format!("{base}a.html")).await.expect("goto a.html");
            assert!(body_text(&c).await.contains("First text."));
            // Wait for the reload socket, scroll down, and mark this document.
            eventually(Duration::from_secs(5), || async {
                c.execute("return typeof window.__stepbookGeneration", vec![])
                    .await
                    .map(|v| v == json!("number"))
                    .unwrap_or(false)
            })
            .await
            .expect("reload script present");
            tokio::time::sleep(Duration::from_millis(300)).await;
            c.execute(
                "window.scrollTo(0, 900); window.__before_reload = true;",
                vec![],
            )
            .await
            .expect("scroll");
            let y0 = c
                .execute("return window.scrollY", vec![])
                .await
                .expect("scrollY");
            assert!(
                y0.as_f64().unwrap_or(0.0) > 800.0,
                "page did not scroll: {y0}"
            );

            // Edit the Markdown: the browser reloads by itself and shows the new text.
            p.write(
                "content/a.md",
                &format!("# Alpha\n\nEdited text.\n\n{long}"),
            );
            let took = eventually(Duration::from_secs(5), || async {
                body_text(&c).await.contains("Edited text.")
            })
            .await
            .expect("the browser did not show the edit within 5 s");
            let marker = c
                .execute("return window.__before_reload === undefined", vec![])
                .await
                .expect("marker");
            assert_eq!(marker, json!(true), "the page was not reloaded");
            let y1 = c
                .execute("return window.scrollY", vec![])
                .await
                .expect("scrollY");
            let y1 = y1.as_f64().unwrap_or(0.0);
            assert!((y1 - 900.0).abs() < 50.0, "scroll position not kept: {y1}");
            assert!(took < Duration::from_secs(2), "reload took {took:?}");
            // A clean page has no panel.
            assert!(c.find(Locator::Id("stepbook-findings")).await.is_err());

            // A page with a broken image shows the finding in the panel.
            c.goto(&format!("{base}shots.html"))
                .await
                .expect("goto shots.html");
            let panel = c
                .wait()
                .at_most(Duration::from_secs(5))
                .for_element(Locator::Id("stepbook-findings"))
                .await
                .expect("the findings panel");
            let text = panel.text().await.expect("panel text");
            assert!(text.contains("missing-image"), "{text}");
            assert!(text.contains("content/shots.md:5:"), "{text}");
            assert!(text.contains("1 finding on this page"), "{text}");
            let position = c
                .execute(
                    "var r = document.getElementById('stepbook-findings').getBoundingClientRect(); \
                     return [r.right, r.bottom, window.innerWidth, window.innerHeight, \
                     getComputedStyle(document.getElementById('stepbook-findings')).position];",
                    vec![],
                )
                .await
                .expect("panel position");
            assert_eq!(position[4], json!("fixed"));
            let right_gap =
                position[2].as_f64().unwrap_or(0.0) - position[0].as_f64().unwrap_or(0.0);
            let bottom_gap =
                position[3].as_f64().unwrap_or(0.0) - position[1].as_f64().unwrap_or(0.0);
            assert!(
                right_gap < 40.0 && bottom_gap < 40.0,
                "panel not bottom-right: {position}"
            );
            let png = panel.screenshot().await.expect("panel screenshot");
            assert!(png.starts_with(b"\x89PNG"), "not a PNG");
            std::fs::write(&shot_path, &png).expect("save screenshot");
            std::fs::write("/tmp/serve-panel.png", &png).expect("copy screenshot for the lead");
            let page = c.screenshot().await.expect("page screenshot");
            std::fs::write(shot_path.with_file_name("serve-page.png"), &page).expect("save page");
            std::fs::write("/tmp/serve-page.png", &page).expect("copy page screenshot");

            // Fixing the page removes the panel (after the automatic reload).
            p.write(
                "content/shots.md",
                "# Screenshots\n\nOpen the settings page.\n",
            );
            eventually(Duration::from_secs(5), || async {
                c.find(Locator::Id("stepbook-findings")).await.is_err()
            })
            .await
            .expect("panel gone after the fix");
        }
        .await;
        let _ = c.close().await;
        result
    });
    assert!(shot_path.is_file());
    drop(driver);
    drop(srv);
}
