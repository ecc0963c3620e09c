//! wsprobe's WebSocket test server: a real peer for the tests and for people trying the app.
//! Each path is one behaviour (see `endpoints_help`); query parameters tune it.

pub mod args;
mod codec;
mod deflate;
mod handshake;
mod headers;
mod origin;
mod routes;

use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use wsprobe_core::relay::http_head;

pub use routes::endpoints_help;

/// How the server treats its clients. `Default` is what the command runs with.
#[derive(Clone, Debug)]
pub struct Options {
    /// Browser pages allowed besides those on localhost (`--allow-origin`); compared after
    /// normalising both sides, so case and a default port do not matter.
    pub allowed_origins: Vec<String>,
    /// A client that has not sent its whole request head by then is dropped.
    pub head_timeout: Duration,
    /// The largest message a client may send, compressed or inflated, fragmented or not.
    pub max_message_bytes: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            allowed_origins: Vec::new(),
            head_timeout: http_head::REQUEST_TIMEOUT,
            max_message_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Serves connections until the listener fails; each connection runs on its own task.
pub async fn serve_with(listener: TcpListener, options: Options) {
    let options = Arc::new(options);
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(routes::handle(stream, options.clone()));
            }
            Err(e) => {
                // Out of file descriptors and the like: wait instead of spinning.
                eprintln!("wsprobe-test-server: accept failed: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
    }
}
