//! The WebSocket client of the preview's reload channel (`/__stepbook/ws`).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use futures::StreamExt;
use tokio_tungstenite::tungstenite::Message;

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
