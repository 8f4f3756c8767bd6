//! A small blocking WebDriver client (W3C WebDriver, <https://www.w3.org/TR/webdriver2/>): the
//! handful of commands the browser test sends to chromedriver over HTTP/1.1 on 127.0.0.1.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::http::request_waiting;

/// The key under which WebDriver names an element (W3C WebDriver §12.1, "web element
/// identifier").
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A WebDriver session.
pub struct Session {
    addr: SocketAddr,
    id: String,
    closed: std::cell::Cell<bool>,
}

/// An element of the current page.
pub struct Element<'s> {
    session: &'s Session,
    id: String,
}

/// Sends `method path` with an optional JSON body; returns the answer's `value` or the
/// WebDriver error (`error: message`).
fn call(addr: SocketAddr, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let body = body.map(Value::to_string).unwrap_or_default();
    let raw = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let r = request_waiting(addr, &raw, Duration::from_secs(120));
    let v: Value = serde_json::from_slice(&r.body)
        .unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {}", r.text()));
    let value = v.get("value").cloned().unwrap_or(Value::Null);
    if r.status == 200 {
        Ok(value)
    } else {
        Err(format!(
            "{}: {}",
            value["error"].as_str().unwrap_or("?"),
            value["message"].as_str().unwrap_or("")
        ))
    }
}

impl Session {
    /// Opens a session on the driver at `addr` with these capabilities (`alwaysMatch`).
    pub fn new(addr: SocketAddr, capabilities: Value) -> Session {
        let v = call(
            addr,
            "POST",
            "/session",
            Some(&json!({ "capabilities": { "alwaysMatch": capabilities } })),
        )
        .expect("new WebDriver session");
        let id = v["sessionId"].as_str().expect("sessionId").to_string();
        Session {
            addr,
            id,
            closed: std::cell::Cell::new(false),
        }
    }

    fn cmd(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        call(
            self.addr,
            method,
            &format!("/session/{}{path}", self.id),
            body,
        )
    }

    /// Navigates to `url` and waits for the page to load.
    pub fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(&json!({ "url": url })))
            .unwrap_or_else(|e| panic!("goto {url}: {e}"));
    }

    /// Runs `script` (a function body) in the page and returns what it returns.
    pub fn execute(&self, script: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(&json!({ "script": script, "args": [] })),
        )
        .unwrap_or_else(|e| panic!("execute {script}: {e}"))
    }

    /// The first element matching the CSS selector, if any.
    pub fn find(&self, css: &str) -> Option<Element<'_>> {
        let v = self
            .cmd(
                "POST",
                "/element",
                Some(&json!({ "using": "css selector", "value": css })),
            )
            .ok()?;
        Some(Element {
            session: self,
            id: v[ELEMENT_KEY].as_str().expect("element id").to_string(),
        })
    }

    /// Resizes the window (W3C WebDriver §11.8.2, Set Window Rect); in headless Chromium the
    /// viewport takes the whole window.
    pub fn set_window_size(&self, width: u32, height: u32) {
        self.cmd(
            "POST",
            "/window/rect",
            Some(&json!({ "width": width, "height": height })),
        )
        .unwrap_or_else(|e| panic!("window size {width}×{height}: {e}"));
    }

    /// Every element matching the CSS selector.
    pub fn find_all(&self, css: &str) -> Vec<Element<'_>> {
        let found = self
            .cmd(
                "POST",
                "/elements",
                Some(&json!({ "using": "css selector", "value": css })),
            )
            .unwrap_or_default();
        found
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|v| Element {
                        session: self,
                        id: v[ELEMENT_KEY].as_str().expect("element id").to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The first element matching the CSS selector, waiting up to [`PATIENCE`] for it.
    pub fn wait_for(&self, css: &str) -> Element<'_> {
        assert!(eventually(|| self.find(css).is_some()), "no element {css}");
        self.find(css).expect("found above")
    }

    /// A PNG of the viewport.
    pub fn screenshot(&self) -> Vec<u8> {
        let v = self.cmd("GET", "/screenshot", None).expect("screenshot");
        base64_decode(v.as_str().expect("base64 text"))
    }

    /// Ends the session (the browser quits).
    pub fn close(&self) {
        if !self.closed.replace(true) {
            let _ = self.cmd("DELETE", "", None);
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.close();
    }
}

impl Element<'_> {
    /// The rendered text.
    pub fn text(&self) -> String {
        let v = self
            .session
            .cmd("GET", &format!("/element/{}/text", self.id), None)
            .unwrap_or_default();
        v.as_str().unwrap_or_default().to_string()
    }

    /// Clicks the element as a user would (scrolled into view first; §12.5.1, Element Click).
    pub fn click(&self) {
        self.session
            .cmd(
                "POST",
                &format!("/element/{}/click", self.id),
                Some(&json!({})),
            )
            .unwrap_or_else(|e| panic!("click: {e}"));
    }

    /// Types `text` into the element (special keys from [`keys`]).
    pub fn send_keys(&self, text: &str) {
        self.session
            .cmd(
                "POST",
                &format!("/element/{}/value", self.id),
                Some(&json!({ "text": text })),
            )
            .unwrap_or_else(|e| panic!("send keys: {e}"));
    }

    /// The value of attribute `name`, if the element has it.
    pub fn attr(&self, name: &str) -> Option<String> {
        self.session
            .cmd(
                "GET",
                &format!("/element/{}/attribute/{name}", self.id),
                None,
            )
            .ok()?
            .as_str()
            .map(str::to_string)
    }

    /// A PNG of the element.
    pub fn screenshot(&self) -> Vec<u8> {
        let v = self
            .session
            .cmd("GET", &format!("/element/{}/screenshot", self.id), None)
            .expect("element screenshot");
        base64_decode(v.as_str().expect("base64 text"))
    }
}

/// WebDriver's codes for special keys (W3C WebDriver §17.4.2), for [`Element::send_keys`].
pub mod keys {
    pub const ENTER: &str = "\u{E007}";
    pub const ESCAPE: &str = "\u{E00C}";
    pub const UP: &str = "\u{E013}";
    pub const DOWN: &str = "\u{E015}";
}

/// How long the browser may take to show a change: generous, because this is a correctness
/// test on a shared machine, not a benchmark (SPEC keeps timing in benchmarks).
pub const PATIENCE: Duration = Duration::from_secs(30);

/// chromedriver on a free port of 127.0.0.1, killed when dropped.
pub struct Driver {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The binary named by environment variable `var`, else `default`.
fn binary(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default))
}

/// Starts chromedriver (`CHROMEDRIVER`, else /usr/bin/chromedriver), logging to `log`; fails
/// the test, naming the Debian packages, when it is missing (browser tests never skip).
pub fn start_driver(log: &Path) -> Driver {
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

/// A session of headless Chromium (`CHROMIUM`, else /usr/bin/chromium), 1280×900, with its
/// profile in `profile`.
pub fn browser(driver: &Driver, profile: &Path) -> Session {
    browser_with(driver, profile, &[])
}

/// [`browser`] with extra command-line `flags` (`--force-dark-mode`).
pub fn browser_with(driver: &Driver, profile: &Path, flags: &[&str]) -> Session {
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
pub fn eventually(mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + PATIENCE;
    while Instant::now() < deadline {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    false
}

/// Decodes standard base64 (RFC 4648 §4), as WebDriver sends screenshots.
pub fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {:?}", c as char),
        }
    };
    let digits: Vec<u8> = text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= value(*c) << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

#[test]
fn base64_decodes() {
    assert_eq!(base64_decode("aGVsbG8="), b"hello");
    assert_eq!(base64_decode("aGVsbA=="), b"hell");
    assert_eq!(base64_decode("aGVs"), b"hel");
}
