//! Helpers for the `serve` tests: a temporary project, the server started in-process on a free
//! port, a raw HTTP/1.1 client (raw, so crafted paths reach the server unnormalised) and a
//! WebSocket client for the reload channel.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use stepbook::serve::{Running, ServeOptions, start};
use tokio_tungstenite::tungstenite::Message;

/// A project in a temporary folder: `outer/proj`, so that `outer` can hold files outside it.
pub struct TempProject {
    pub outer: tempfile::TempDir,
    pub root: PathBuf,
}

impl TempProject {
    /// A project with `files` (path relative to the project root → text).
    pub fn new(files: &[(&str, &str)]) -> TempProject {
        let outer = tempfile::tempdir().expect("temp dir");
        let root = outer.path().join("proj");
        std::fs::create_dir_all(&root).expect("project dir");
        let p = TempProject { outer, root };
        for (rel, text) in files {
            p.write(rel, text);
        }
        p
    }

    /// Writes `text` to `rel` (folders created).
    pub fn write(&self, rel: &str, text: &str) {
        write_file(&self.root.join(rel), text.as_bytes());
    }

    /// Starts `serve` on 127.0.0.1, port 0.
    pub fn serve(&self) -> Running {
        let mut opts = ServeOptions::new(self.root.clone());
        opts.port = 0;
        opts.quiet = std::env::var_os("STEPBOOK_SERVE_VERBOSE").is_none();
        start(&opts).expect("serve starts")
    }
}

/// Writes `bytes` to `path`, creating folders.
pub fn write_file(path: &Path, bytes: &[u8]) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("create folder");
    }
    std::fs::write(path, bytes).expect("write file");
}

/// A parsed HTTP response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `GET <target> HTTP/1.1` exactly as given and reads the whole response.
pub fn get(addr: SocketAddr, target: &str) -> Response {
    request(
        addr,
        &format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    )
}

/// Sends a raw request and reads the whole response (the connection is closed by the server).
pub fn request(addr: SocketAddr, raw: &str) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream.write_all(raw.as_bytes()).expect("send");
    let mut buf = Vec::new();
    stream.read_to_end(&mut buf).expect("read response");
    parse_response(&buf)
}

fn parse_response(buf: &[u8]) -> Response {
    let end = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("header end");
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().expect("status line");
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let raw_body = &buf[end + 4..];
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let body = if chunked {
        dechunk(raw_body)
    } else {
        raw_body.to_vec()
    };
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(nl) = data.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&data[..nl]).into_owned();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("0").trim(), 16)
            .expect("chunk size");
        if size == 0 {
            break;
        }
        let start = nl + 2;
        out.extend_from_slice(&data[start..start + size]);
        data = &data[start + size + 2..];
    }
    out
}

/// One message of the reload channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    /// `hello`, `reload` or `findings`.
    pub kind: String,
    /// The served generation.
    pub generation: u64,
    /// The generation the findings belong to.
    pub checked: u64,
}

/// The reload channel seen by a test: a WebSocket to `/__stepbook/ws`.
pub struct Reloads {
    rt: tokio::runtime::Runtime,
    ws: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
}

impl Reloads {
    /// Connects to the server at `addr`.
    pub fn connect(addr: SocketAddr) -> Reloads {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let url = format!("ws://{addr}/__stepbook/ws");
        let (ws, _) = rt
            .block_on(tokio_tungstenite::connect_async(url))
            .expect("websocket connects");
        Reloads { rt, ws }
    }

    /// The `hello` message's generation.
    pub fn hello(&mut self) -> Option<u64> {
        self.until("hello", Duration::from_secs(5))
            .map(|m| m.generation)
    }

    /// The generation of the next `reload` message (other messages skipped), or `None` after
    /// `timeout`.
    pub fn reload(&mut self, timeout: Duration) -> Option<u64> {
        self.until("reload", timeout).map(|m| m.generation)
    }

    /// The `checked` generation of the next `findings` message (the panels are up to date).
    pub fn findings(&mut self, timeout: Duration) -> Option<u64> {
        self.until("findings", timeout).map(|m| m.checked)
    }

    fn until(&mut self, kind: &str, timeout: Duration) -> Option<Msg> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let msg = self.next(left)?;
            if msg.kind == kind {
                return Some(msg);
            }
        }
    }

    /// The next message, or `None` after `timeout`.
    pub fn next(&mut self, timeout: Duration) -> Option<Msg> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let ws = &mut self.ws;
            let msg = self
                .rt
                .block_on(async { tokio::time::timeout(left, ws.next()).await })
                .ok()??
                .expect("websocket message");
            if let Message::Text(text) = msg {
                let v: serde_json::Value = serde_json::from_str(&text).expect("json message");
                return Some(Msg {
                    kind: v["type"].as_str().expect("type").to_string(),
                    generation: v["generation"].as_u64().expect("generation"),
                    checked: v["checked"].as_u64().expect("checked"),
                });
            }
        }
    }
}
