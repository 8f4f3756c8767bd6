//! The HTTP side (axum on tokio): the site from the current [`Snapshot`], and the reload
//! WebSocket.
//!
//! Every request reads one immutable snapshot, so a rebuild never shows half a site. Paths go
//! through [`path::site_path`] (which refuses `..`, encoded separators, backslashes, NUL, empty
//! segments) and can then only name a key of the snapshot's file map; a file streamed from disk
//! is canonicalized first (symlinks resolved) and must lie inside a content or resource root.
//! HTML pages get the reload script and the page's findings panel; while the build is failing
//! every page is the error page. `GET` and `HEAD` only.

use std::path::Path;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::broadcast;
use tokio_util::io::ReaderStream;

use super::engine::{Served, Snapshot};
use super::inject::{self, PANEL_PATH, WS_PATH};
use super::path;

/// State shared by the request handlers and the rebuild thread.
#[derive(Debug)]
pub struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    reloads: broadcast::Sender<Update>,
    /// How often the reload socket pings an open page, so that the connection's idle timeout
    /// (see [`super::listen`]) never closes a quiet page's socket.
    ping: std::time::Duration,
}

/// The response header that says the served site may be stale (see [`Snapshot::stale`]).
pub const STALE_HEADER: &str = "x-stepbook-stale";

/// What the reload socket tells open pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Update {
    /// `"hello"` (on connect), `"reload"` (new pages) or `"findings"` (new panels, same pages).
    pub kind: &'static str,
    /// The snapshot's generation.
    pub generation: u64,
    /// The generation its findings belong to.
    pub checked: u64,
}

impl Update {
    fn of(kind: &'static str, snap: &Snapshot) -> Update {
        Update {
            kind,
            generation: snap.generation,
            checked: snap.checked,
        }
    }

    /// The message as JSON: `{"type":"reload","generation":N,"checked":M}`.
    pub fn to_json(self) -> String {
        format!(
            "{{\"type\":\"{}\",\"generation\":{},\"checked\":{}}}",
            self.kind, self.generation, self.checked
        )
    }
}

impl Shared {
    /// Shared state serving `snapshot`.
    pub fn new(snapshot: Snapshot) -> Shared {
        Shared {
            snapshot: RwLock::new(Arc::new(snapshot)),
            reloads: broadcast::channel(16).0,
            ping: std::time::Duration::from_secs(20),
        }
    }

    /// Pings open pages' reload sockets every `every` (at least every 100 ms).
    pub fn ping_every(mut self, every: std::time::Duration) -> Shared {
        self.ping = every.max(std::time::Duration::from_millis(100));
        self
    }

    /// The snapshot requests are answered from.
    pub fn current(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Serves `snapshot` from now on and tells every open page: `reload` when its generation
    /// is new, `findings` when only the findings changed.
    pub fn publish(&self, snapshot: Snapshot) {
        let current = self.current();
        let unchanged =
            snapshot.generation == current.generation && snapshot.checked == current.checked;
        let kind = if snapshot.generation == current.generation {
            "findings"
        } else {
            "reload"
        };
        let update = Update::of(kind, &snapshot);
        match self.snapshot.write() {
            Ok(mut s) => *s = Arc::new(snapshot),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(snapshot),
        }
        if !unchanged {
            // No receiver (no open page) is fine.
            let _ = self.reloads.send(update);
        }
    }
}

/// The application: the reload socket at [`WS_PATH`], a page's panel at [`PANEL_PATH`], the
/// site everywhere else.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(WS_PATH, get(reload_socket))
        .route(PANEL_PATH, get(panel_fragment))
        .fallback(site_file)
        .with_state(shared)
}

/// `GET /__stepbook/panel?path=/guide/a.html`: the findings panel of that page as an HTML
/// fragment (empty when the page is clean), for the reload script to swap in when only the
/// findings changed.
async fn panel_fragment(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let snap = shared.current();
    let raw = req
        .uri()
        .query()
        .unwrap_or("")
        .split('&')
        .find_map(|kv| kv.strip_prefix("path="))
        .unwrap_or("/");
    let decoded = crate::percent::decode_lossy(raw);
    let fragment = path::site_path(&decoded)
        .ok()
        .and_then(|key| inject::panel_html(&key, &snap))
        .unwrap_or_default();
    let mut res = html(StatusCode::OK, fragment);
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

async fn reload_socket(ws: WebSocketUpgrade, State(shared): State<Arc<Shared>>) -> Response {
    ws.on_upgrade(move |socket| reload_loop(socket, shared))
}

async fn reload_loop(mut socket: WebSocket, shared: Arc<Shared>) {
    let mut rx = shared.reloads.subscribe();
    let hello = Update::of("hello", &shared.current()).to_json();
    if socket.send(Message::Text(hello.into())).await.is_err() {
        return;
    }
    let mut ping = tokio::time::interval(shared.ping);
    ping.tick().await;
    loop {
        tokio::select! {
            _ = ping.tick() => {
                if socket.send(Message::Ping(Bytes::new())).await.is_err() {
                    break;
                }
            }
            next = rx.recv() => {
                let update = match next {
                    Ok(u) => u,
                    Err(broadcast::error::RecvError::Lagged(_)) => Update::of("reload", &shared.current()),
                    Err(broadcast::error::RecvError::Closed) => break,
                };
                let msg = update.to_json();
                if socket.send(Message::Text(msg.into())).await.is_err() {
                    break;
                }
            }
            incoming = socket.recv() => match incoming {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => break,
                Some(Ok(_)) => {}
            },
        }
    }
}

async fn site_file(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let method = req.method().clone();
    if method != Method::GET && method != Method::HEAD {
        let mut res = (StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n").into_response();
        res.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return res;
    }
    let snap = shared.current();
    let mut res = respond(&snap, req.uri().path()).await;
    let headers = res.headers_mut();
    if let Some(stale) = &snap.stale {
        // Header values are visible ASCII: keep the message readable, drop the rest.
        let ascii: String = stale
            .chars()
            .map(|c| {
                if c.is_ascii_graphic() || c == ' ' {
                    c
                } else {
                    '?'
                }
            })
            .collect();
        if let Ok(v) = HeaderValue::from_str(&ascii) {
            headers.insert(STALE_HEADER, v);
        }
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if method == Method::HEAD {
        *res.body_mut() = Body::empty();
    }
    res
}

async fn respond(snap: &Snapshot, raw: &str) -> Response {
    let Ok(key) = path::site_path(raw) else {
        return html(StatusCode::BAD_REQUEST, inject::not_found_page(raw, snap));
    };
    let file = snap.files.get(&key);
    if let Some(error) = &snap.error
        && (is_html(&key) || file.is_none())
    {
        return html(
            StatusCode::INTERNAL_SERVER_ERROR,
            inject::error_page(error, snap),
        );
    }
    match file {
        Some(Served::Bytes(bytes)) if is_html(&key) => {
            let text = String::from_utf8_lossy(bytes);
            html(StatusCode::OK, inject::inject(&text, snap, &key))
        }
        Some(Served::Bytes(bytes)) => typed(
            StatusCode::OK,
            &key,
            Body::from(bytes.clone()),
            Some(bytes.len() as u64),
        ),
        Some(Served::Disk(disk)) => match open_confined(disk, &snap.roots).await {
            Some((file, len)) => typed(
                StatusCode::OK,
                &key,
                Body::from_stream(ReaderStream::new(file)),
                Some(len),
            ),
            None => not_found(snap, raw),
        },
        None if snap.files.contains_key(&format!("{key}/index.html")) => {
            let mut res = StatusCode::MOVED_PERMANENTLY.into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("{raw}/")) {
                res.headers_mut().insert(header::LOCATION, v);
            }
            res
        }
        None => not_found(snap, raw),
    }
}

/// Opens `disk` when its canonical path lies inside one of `roots`; returns the file and its
/// length.
async fn open_confined(
    disk: &Path,
    roots: &[std::path::PathBuf],
) -> Option<(tokio::fs::File, u64)> {
    let canonical = tokio::fs::canonicalize(disk).await.ok()?;
    if !roots.iter().any(|r| canonical.starts_with(r)) {
        return None;
    }
    let file = tokio::fs::File::open(&canonical).await.ok()?;
    let meta = file.metadata().await.ok()?;
    meta.is_file().then_some((file, meta.len()))
}

fn not_found(snap: &Snapshot, raw: &str) -> Response {
    match snap.files.get("404.html") {
        Some(Served::Bytes(bytes)) => {
            // The site's 404 page links relative to the root; it is served at any depth.
            let text =
                String::from_utf8_lossy(bytes).replacen("<head>", "<head>\n<base href=\"/\">", 1);
            html(
                StatusCode::NOT_FOUND,
                inject::inject(&text, snap, "404.html"),
            )
        }
        _ => html(StatusCode::NOT_FOUND, inject::not_found_page(raw, snap)),
    }
}

fn is_html(key: &str) -> bool {
    key.ends_with(".html") || key.ends_with(".htm")
}

fn html(status: StatusCode, text: String) -> Response {
    let len = text.len() as u64;
    typed(status, "x.html", Body::from(Bytes::from(text)), Some(len))
}

/// A response with the content type guessed from `key`'s extension (`; charset=utf-8` for
/// text).
fn typed(status: StatusCode, key: &str, body: Body, len: Option<u64>) -> Response {
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let textual = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            mime.essence_str(),
            "application/javascript" | "application/json" | "image/svg+xml"
        );
    let value = if textual {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let mut res = Response::new(body);
    *res.status_mut() = status;
    let headers = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&value) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    if let Some(len) = len {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    }
    res
}
