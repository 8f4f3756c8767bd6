//! A raw HTTP/1.1 client (raw, so crafted paths reach the server unnormalised) and a tiny
//! HTTP/1.1 server on 127.0.0.1 that answers from a function and records every request.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

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
    request_waiting(addr, raw, Duration::from_secs(10))
}

/// [`request`], waiting up to `patience` for the answer (a browser starting up is slow).
pub fn request_waiting(addr: SocketAddr, raw: &str, patience: Duration) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(patience)).expect("timeout");
    stream.write_all(raw.as_bytes()).expect("send");
    // Read until the server closes the connection or the body announced by Content-Length has
    // arrived (a server may keep the connection open).
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            if length.is_some_and(|n| buf.len() >= end + 4 + n) {
                break;
            }
        }
        match stream.read(&mut chunk).expect("read response") {
            0 => break,
            n => buf.extend_from_slice(&chunk[..n]),
        }
    }
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

/// A request the [`Server`] received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `HEAD`, …
    pub method: String,
    /// The request target as sent (`/scopes.json`).
    pub path: String,
    /// Header names and values, as sent.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// The value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the [`Server`] answers.
#[derive(Debug, Clone)]
pub struct Reply {
    /// Status line after `HTTP/1.1 `: `200 OK`.
    pub status: String,
    /// Extra header lines, each ending in `\r\n`.
    pub headers: String,
    pub body: Vec<u8>,
}

impl Reply {
    /// `status` with `body` as text.
    pub fn new(status: &str, body: &str) -> Reply {
        Reply {
            status: status.to_string(),
            headers: String::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    /// Adds a header line.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push_str(&format!("{name}: {value}\r\n"));
        self
    }
}

type Answer = dyn Fn(&Request) -> Reply + Send + Sync;

/// The path [`Server::sync`] requests; answered by the server itself and not recorded.
const SYNC_PATH: &str = "/__test-sync";

/// A tiny HTTP/1.1 server on 127.0.0.1 (a free port): each connection is handled on its own
/// thread, answered by a function, and recorded (method, path, headers). Every answer closes
/// the connection. Stopped when dropped.
pub struct Server {
    port: u16,
    seen: Arc<Mutex<Vec<Request>>>,
    accepted: Arc<Mutex<usize>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Starts a server that answers every request with `answer`.
    pub fn start(answer: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("local addr").port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let accepted = Arc::new(Mutex::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let answer: Arc<Answer> = Arc::new(answer);
        let (seen2, accepted2, stop2) = (seen.clone(), accepted.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                *accepted2.lock().expect("lock") += 1;
                let (seen, answer) = (seen2.clone(), answer.clone());
                std::thread::spawn(move || serve_one(stream, &seen, &*answer));
            }
        });
        Server {
            port,
            seen,
            accepted,
            stop,
            thread: Some(thread),
        }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Every request answered so far, in the order they were read.
    pub fn requests(&self) -> Vec<Request> {
        self.seen.lock().expect("lock").clone()
    }

    /// The paths of [`Server::requests`], sorted.
    pub fn paths(&self) -> Vec<String> {
        let mut p: Vec<String> = self.requests().into_iter().map(|r| r.path).collect();
        p.sort();
        p
    }

    /// Connections accepted so far, not counting [`Server::sync`]'s.
    pub fn connections(&self) -> usize {
        *self.accepted.lock().expect("lock")
    }

    /// Waits until every connection opened before this call has been accepted: sends its own
    /// request (connections are accepted in the order they arrive) and waits for the answer.
    /// Then [`Server::connections`] counts everything a finished run of the program did.
    pub fn sync(&self) {
        let addr: SocketAddr = ([127, 0, 0, 1], self.port).into();
        let before = *self.accepted.lock().expect("lock");
        let r = get(addr, SYNC_PATH);
        assert_eq!(r.status, 204, "sync request");
        let mut accepted = self.accepted.lock().expect("lock");
        assert!(*accepted > before, "the sync connection was counted");
        *accepted -= 1;
    }

    /// Stops accepting connections (later connections are refused).
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            t.join().expect("server thread");
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Reads one request (head, and a body announced by Content-Length or chunked), records it,
/// answers, and drains the connection until the client closes it.
fn serve_one(stream: TcpStream, seen: &Mutex<Vec<Request>>, answer: &Answer) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() || first.is_empty() {
        return;
    }
    let mut words = first.split_whitespace();
    let method = words.next().unwrap_or("").to_string();
    let path = words.next().unwrap_or("").to_string();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let request = Request {
        method,
        path,
        headers,
    };
    if let Some(len) = request
        .header("content-length")
        .and_then(|v| v.parse::<usize>().ok())
    {
        let mut body = vec![0; len];
        let _ = reader.read_exact(&mut body);
    } else if request
        .header("transfer-encoding")
        .is_some_and(|v| v.contains("chunked"))
    {
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim() == "0" {
                let mut end = String::new();
                let _ = reader.read_line(&mut end);
                break;
            }
        }
    }
    let reply = if request.path == SYNC_PATH {
        Reply::new("204 No Content", "")
    } else {
        seen.lock().expect("lock").push(request.clone());
        answer(&request)
    };
    let mut out = stream;
    let _ = write!(
        out,
        "HTTP/1.1 {}\r\n{}Content-Length: {}\r\nConnection: close\r\n\r\n",
        reply.status,
        reply.headers,
        reply.body.len()
    );
    let _ = out.write_all(&reply.body);
    let _ = out.flush();
    let _ = out.shutdown(std::net::Shutdown::Write);
    let mut rest = Vec::new();
    let _ = reader.get_mut().read_to_end(&mut rest);
}
