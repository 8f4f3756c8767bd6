//! `stepbook serve`: a live preview that rebuilds on save, reloads open pages and shows the
//! checks' findings in the page (issue 5).
//!
//! Pieces, in the order data flows:
//! - [`watch`]: notify + notify-debouncer-full on the project's folders → batches of paths;
//! - [`plan`]: a pure function from changed paths to the work to do;
//! - [`engine`]: re-parses and re-renders what the plan names and publishes an immutable
//!   [`engine::Snapshot`] (open pages reload at once), then re-runs the checks and publishes
//!   their findings (open pages swap their panel in place);
//! - [`server`]: axum on tokio, serving the snapshot from memory (copied files streamed from
//!   disk) with traversal-safe [`path`]s, and the reload WebSocket;
//! - [`inject`]: the reload script and findings panel, added to served HTML only.
//!
//! ```no_run
//! let opts = stepbook::serve::ServeOptions::new("docs".into());
//! let running = stepbook::serve::start(&opts)?;
//! println!("{}", running.url());
//! running.wait()?;
//! # Ok::<(), stepbook::Error>(())
//! ```

pub mod changes;
pub mod engine;
pub mod inject;
pub mod listen;
pub mod path;
pub mod plan;
pub mod server;
pub mod site;
pub mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};
use std::thread::JoinHandle;

use engine::Engine;
use server::Shared;
use watch::WatchEvent;

use crate::error::{Error, Result};

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The project folder.
    pub dir: PathBuf,
    /// Host name or IP address to bind (default `127.0.0.1`).
    pub hostname: String,
    /// Port (default 3000; 0 picks a free one).
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// Print nothing (tests); otherwise the URL, the new and fixed findings and one line per
    /// rebuild go to standard output.
    pub quiet: bool,
    /// Connection limits (header read, idle).
    pub timeouts: listen::Timeouts,
    /// Colour the findings printed in the terminal.
    pub color: bool,
    /// Tests only: search index shards of at most this many pages.
    #[doc(hidden)]
    pub search_shard_pages: Option<usize>,
}

impl ServeOptions {
    /// mdBook's defaults: 127.0.0.1, port 3000, no browser, printing.
    pub fn new(dir: PathBuf) -> ServeOptions {
        ServeOptions {
            dir,
            hostname: "127.0.0.1".into(),
            port: 3000,
            open: false,
            quiet: false,
            timeouts: listen::Timeouts::default(),
            color: false,
            search_shard_pages: None,
        }
    }
}

/// A running preview server. Dropping it stops the server, the watcher and the rebuild thread.
pub struct Running {
    url: String,
    addr: SocketAddr,
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    stop_server: Option<tokio::sync::oneshot::Sender<()>>,
    events: Sender<WatchEvent>,
    worker: Option<JoinHandle<()>>,
}

impl Running {
    /// The site's address, `http://127.0.0.1:3000/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The build generation being served (1 after startup, +1 per rebuild).
    pub fn generation(&self) -> u64 {
        self.shared.current().generation
    }

    /// Blocks until the server stops (it runs until the process is interrupted).
    ///
    /// Errors: the listener failed.
    pub fn wait(mut self) -> Result<()> {
        let (Some(runtime), Some(server)) = (self.runtime.as_ref(), self.server.take()) else {
            return Ok(());
        };
        match runtime.block_on(server) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(Error::Invalid(format!("the server stopped: {e}"))),
            Err(e) => Err(Error::Invalid(format!("the server stopped: {e}"))),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop_server.take() {
            let _ = stop.send(());
        }
        let _ = self.events.send(WatchEvent::Stop);
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Builds the project, binds the address, starts watching and serving, and returns at once.
///
/// Errors: the project cannot be loaded (missing folder, malformed book.toml); the host name
/// does not resolve; the port is in use (the message names it) or not permitted; the watcher
/// cannot start. A failing build (a template error) is not an error: it is served as the error
/// page until the next good save.
pub fn start(opts: &ServeOptions) -> Result<Running> {
    let (engine, first) = Engine::new(&opts.dir, opts.search_shard_pages)?;
    let listener = bind(&opts.hostname, opts.port)?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::Invalid(format!("cannot read the bound address: {e}")))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| Error::Invalid(format!("cannot configure the listener: {e}")))?;
    let url = match addr.ip() {
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", addr.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}/", addr.port()),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("stepbook-serve")
        .enable_all()
        .build()
        .map_err(|e| Error::Invalid(format!("cannot start the async runtime: {e}")))?;
    let shared = Arc::new(Shared::new(engine.snapshot()).ping_every(opts.timeouts.idle / 3));
    let app = server::router(shared.clone());
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let timeouts = opts.timeouts;
    let server = runtime.spawn(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        tokio::select! {
            r = listen::serve(listener, app, timeouts) => r,
            _ = stop_rx => Ok(()),
        }
    });
    let (tx, rx) = std::sync::mpsc::channel();
    let watcher = watch::start(engine.settings(), &engine.included_files(), tx.clone())?;
    let quiet = opts.quiet;
    let color = opts.color;
    let worker_shared = shared.clone();
    let worker = std::thread::Builder::new()
        .name("stepbook-rebuild".into())
        .spawn(move || rebuild_loop(engine, watcher, rx, worker_shared, quiet, color))
        .map_err(|e| Error::Invalid(format!("cannot start the rebuild thread: {e}")))?;
    if !quiet {
        if !addr.ip().is_loopback() {
            eprintln!(
                "warning: serving on {} is reachable from other machines; the preview has no \
                 access control (use -n 127.0.0.1 to keep it local)",
                addr.ip()
            );
        }
        print!("{}", first.terminal(opts.color));
        println!();
        println!("serving {} at {url} (Ctrl-C to stop)", opts.dir.display());
    }
    if opts.open {
        open_browser(&url);
    }
    Ok(Running {
        url,
        addr,
        shared,
        runtime: Some(runtime),
        server: Some(server),
        stop_server: Some(stop_tx),
        events: tx,
        worker: Some(worker),
    })
}

/// Binds `hostname:port`, with a message that names the port when it is taken.
fn bind(hostname: &str, port: u16) -> Result<TcpListener> {
    let addrs: Vec<SocketAddr> = match hostname.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => (hostname, port)
            .to_socket_addrs()
            .map_err(|e| Error::Invalid(format!("cannot resolve host name `{hostname}`: {e}")))?
            .collect(),
    };
    TcpListener::bind(&addrs[..]).map_err(|e| {
        let what = match e.kind() {
            std::io::ErrorKind::AddrInUse => format!(
                "port {port} on {hostname} is already in use; choose another with --port, or \
                 --port 0 for a free one"
            ),
            std::io::ErrorKind::PermissionDenied => {
                format!("not permitted to listen on port {port} of {hostname}: {e}")
            }
            _ => format!("cannot listen on {hostname} port {port}: {e}"),
        };
        Error::Invalid(what)
    })
}

/// Waits for batches of changes, collects the batches of one burst, plans, rebuilds and
/// publishes; one terminal line per rebuild. Before each rebuild the watches are brought in line
/// with the settings ([`watch::update`]): a folder that appeared (`templates/`), vanished, or was
/// replaced by a new folder of the same name (`git checkout`) is watched (again), and then the
/// whole project is reloaded, to catch what was written before the new watch. When a reload
/// changes the list (book.toml moved the folders), the same happens once more after it. While a
/// folder cannot be watched, every served page says that it may be stale.
fn rebuild_loop(
    mut engine: Engine,
    mut watcher: watch::Watcher,
    rx: Receiver<WatchEvent>,
    shared: Arc<Shared>,
    quiet: bool,
    color: bool,
) {
    let mut watched = watch::watched(engine.settings(), &engine.included_files());
    let mut stale: Option<String> = None;
    let publish = |engine: &Engine, stale: &Option<String>| {
        let mut snap = engine.snapshot();
        snap.stale = stale.clone();
        shared.publish(snap);
    };
    while let Ok(first) = rx.recv() {
        let mut events = vec![first];
        while let Ok(more) = rx.recv_timeout(watch::SETTLE) {
            events.push(more);
        }
        let mut paths = Vec::new();
        let mut rescan = false;
        for event in events {
            match event {
                WatchEvent::Changed(p) => paths.extend(p),
                WatchEvent::Failed(m) => {
                    eprintln!("warning: file watcher: {m}; watching every folder again");
                    rescan = true;
                }
                WatchEvent::Rescan => rescan = true,
                WatchEvent::Stop => return,
            }
        }
        let mut plan = plan::plan(&paths, engine.settings());
        // A file other pages include changes their text: they are read again too.
        plan.pages.extend(engine.includers(&paths));
        // A folder created at the top of the project may be a resource folder named in
        // book.toml: settings decide, so reload them.
        let root = engine.settings().root.clone();
        if rescan
            || paths.iter().any(|p| {
                p.parent() == Some(root.as_path())
                    && p.is_dir()
                    && !watched.iter().any(|w| w.dir == *p)
            })
        {
            plan.reload = true;
        }
        // Watch what appeared or was replaced before reading it.
        let updated = watch::update(
            &mut watcher,
            &mut watched,
            engine.settings(),
            &engine.included_files(),
            &paths,
            rescan,
        );
        if updated.changed {
            plan.reload = true;
        }
        let before = stale.clone();
        stale = stale_message(&updated.failures);
        if stale != before {
            match (&stale, quiet) {
                (Some(m), false) => eprintln!("warning: {m}"),
                (None, false) => eprintln!("every folder is watched again"),
                _ => {}
            }
        }
        if plan.is_empty() {
            if stale != before {
                publish(&engine, &stale);
            }
            continue;
        }
        let mut rebuilt = engine.rebuild(&plan);
        publish(&engine, &stale);
        engine.check(&mut rebuilt);
        publish(&engine, &stale);
        if !quiet {
            println!("{}", rebuilt.terminal(color));
        }
        let updated = watch::update(
            &mut watcher,
            &mut watched,
            engine.settings(),
            &engine.included_files(),
            &[],
            false,
        );
        if updated.changed {
            stale = stale_message(&updated.failures);
            let again = plan::Plan {
                reload: true,
                ..plan::Plan::default()
            };
            let mut rebuilt = engine.rebuild(&again);
            publish(&engine, &stale);
            engine.check(&mut rebuilt);
            publish(&engine, &stale);
            if !quiet {
                println!("{}", rebuilt.terminal(color));
            }
        }
    }
}

/// What the pages say while some folders cannot be watched.
fn stale_message(failures: &[String]) -> Option<String> {
    (!failures.is_empty()).then(|| {
        format!(
            "the preview may be stale: {}; edits there are not seen until the folder can be \
             watched again",
            failures.join("; ")
        )
    })
}

/// Opens `url` in the default browser; a failure is a warning.
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    cmd.arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Err(e) = cmd.spawn() {
        eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
    }
}
