//! wsprobe-relay: makes WebSocket connections for the wsprobe page, with what a browser page
//! cannot do itself (custom headers, the raw handshake, pings), and pipes the messages through.
//!
//! The page opens `/control?token=T` and asks for a connection with JSON messages (see
//! `control`); after the handshake it opens `/data?token=T&session=ID`, which carries the
//! messages unchanged both ways.

mod auth;
pub mod command;
mod config;
mod control;
mod controller;
mod destination;
mod http;
mod outbox;
mod pipe;
mod request;
mod server;
mod session;
pub mod tls;
mod upstream;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::net::TcpListener;
use tokio::sync::{Semaphore, oneshot};
use wsprobe_core::relay::pairing;

pub use config::{Config, Parsed, check_bind, parse_args, usage};

/// A page's data socket, on its way to the session that waits for it.
type PageSocket = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

/// What every connection handler shares.
struct Relay {
    config: Config,
    tls: tls::Tls,
    /// One permit per session, from its connect message until it is closed.
    sessions: Arc<Semaphore>,
    /// Sessions whose handshake succeeded and whose data socket has not arrived yet.
    pending: Mutex<HashMap<String, oneshot::Sender<PageSocket>>>,
}

/// Serves pages until the listener fails. Returns early only if TLS cannot be set up.
pub async fn serve(listener: TcpListener, config: Config) -> Result<(), String> {
    let relay = Arc::new(Relay {
        tls: tls::Tls::new(&config.extra_roots)?,
        sessions: Arc::new(Semaphore::new(
            config.max_sessions.min(config::MAX_SESSIONS),
        )),
        pending: Mutex::new(HashMap::new()),
        config,
    });
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(server::handle(relay.clone(), stream));
            }
            Err(e) => {
                // Out of file descriptors and the like: wait instead of spinning.
                eprintln!("wsprobe-relay: accept failed: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
    }
}

/// Where a page on this machine reaches a relay listening on `addr`: a relay on every address
/// (0.0.0.0, ::) is reached through loopback.
fn reachable(addr: &std::net::SocketAddr) -> std::net::SocketAddr {
    let mut addr = *addr;
    match addr.ip() {
        std::net::IpAddr::V4(ip) if ip.is_unspecified() => addr.set_ip([127, 0, 0, 1].into()),
        std::net::IpAddr::V6(ip) if ip.is_unspecified() => {
            addr.set_ip(std::net::Ipv6Addr::LOCALHOST.into())
        }
        _ => {}
    }
    addr
}

/// The lines printed at start: the first is read by scripts and must keep its shape, and the
/// last ("Stop it with Ctrl+C.") tells them the banner is whole.
pub fn banner(addr: &std::net::SocketAddr, config: &Config) -> String {
    let mut origins = vec![
        "http(s)://127.0.0.1:<any port>".to_string(),
        "http(s)://localhost:<any port>".to_string(),
        "http(s)://[::1]:<any port>".to_string(),
    ];
    origins.extend(config.allowed_origins.iter().cloned());
    let reached = reachable(addr);
    let pairing = match &config.page {
        // A page pairs only with a relay on its own machine (wsprobe_core::relay::pairing).
        Some(_) if !reached.ip().is_loopback() => format!(
            "A link can only pair a relay on this machine, and this one listens on {addr}.\n\
             In the wsprobe page,"
        ),
        Some(page) => format!(
            "Open this link to pair your wsprobe page with this relay in one click:\n  {}\n\n\
             Or, in the page,",
            pairing::link(page, &format!("ws://{reached}"), &config.token)
        ),
        None => "To pair a page in one click, start the relay with --page <the page's address>.\n\
             Or, in the wsprobe page,"
            .to_string(),
    };
    format!(
        "wsprobe relay on ws://{addr} token: {token}

{pairing} open 'Headers, cookies and relay' and paste the token above into
Relay token. The page then connects through this program, so it can set any header
(Authorization, Cookie, ...), see the raw handshake and send pings.
Protocol: ws://{addr}/control?token=... (JSON commands), then ws://{addr}/data?token=...&session=ID.

Pages allowed to use it (add more with --allow-origin ORIGIN):
  {origins}
Largest message: {max} bytes; at most {sessions} connections; idle connections close after {idle} s.{trusted}
Stop it with Ctrl+C.",
        token = config.token,
        origins = origins.join("\n  "),
        max = config.max_message_bytes,
        sessions = config.max_sessions,
        idle = config.idle.as_secs(),
        trusted = match config.extra_roots.len() {
            0 => String::new(),
            n => format!("\nwss:// servers may also use certificates from the {n} CA(s) given with --ca-file."),
        },
    )
}
