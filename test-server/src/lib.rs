//! wsprobe's WebSocket test server: a real peer for the tests and for people trying the app.
//! Each path is one behaviour (see `endpoints_help`); query parameters tune it.

mod deflate;
mod handshake;
mod routes;

use tokio::net::TcpListener;

pub use routes::endpoints_help;

/// Serves connections until the listener fails; each connection runs on its own task.
pub async fn serve(listener: TcpListener) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(routes::handle(stream));
            }
            Err(e) => {
                // Out of file descriptors and the like: wait instead of spinning.
                eprintln!("wsprobe-test-server: accept failed: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
    }
}
