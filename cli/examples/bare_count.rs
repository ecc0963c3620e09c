//! The command line's yardstick: the least a tokio-tungstenite client can do with a flood, which
//! is to count it. Same runtime (tokio, one thread), same socket set-up (TCP_NODELAY, the same
//! message limits) and same library as `wsprobe run`, and nothing else: no engine, no copies.
//!
//! ```sh
//! cargo run --release -p wsprobe-cli --example bare_count -- ws://127.0.0.1:PORT/flood?count=1000000 1000000
//! ```
//!
//! Prints one line of JSON: `{"count": N, "ms": …, "open_ms": …}`, where `ms` runs from before
//! the TCP connection to the N-th message (as the Connect and Expect steps of `wsprobe run`
//! together do) and `open_ms` is the handshake's share of it. Part of the benchmark
//! (`e2e/bench.js --only=cli`).

use std::process::ExitCode;
use std::time::Instant;

use futures_util::StreamExt;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

/// As cli/src/dial.rs allows.
const MAX_MESSAGE_BYTES: usize = 256 << 20;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(url), Some(count)) = (args.next(), args.next()) else {
        eprintln!("usage: bare_count URL COUNT");
        return ExitCode::from(2);
    };
    let Ok(count) = count.replace(['_', ','], "").parse::<u64>() else {
        eprintln!("bare_count: COUNT must be a whole number, not {count}");
        return ExitCode::from(2);
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("bare_count: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(flood(&url, count)) {
        Ok((ms, open_ms)) => {
            println!("{{\"count\": {count}, \"ms\": {ms}, \"open_ms\": {open_ms}}}");
            ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("bare_count: {why}");
            ExitCode::FAILURE
        }
    }
}

/// Connects, counts `count` data messages, closes; the times to the N-th message and to open.
async fn flood(url: &str, count: u64) -> Result<(f64, f64), String> {
    let request = url
        .into_client_request()
        .map_err(|e| format!("{url}: {e}"))?;
    let host = request.uri().host().unwrap_or_default().to_string();
    let port = request.uri().port_u16().unwrap_or(80);
    let started = Instant::now();
    let tcp = TcpStream::connect((host.as_str(), port))
        .await
        .map_err(|e| format!("cannot connect to {host}:{port}: {e}"))?;
    let _ = tcp.set_nodelay(true);
    let config = WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE_BYTES))
        .max_frame_size(Some(MAX_MESSAGE_BYTES));
    let (mut socket, _) = tokio_tungstenite::client_async_with_config(request, tcp, Some(config))
        .await
        .map_err(|e| format!("the upgrade failed: {e}"))?;
    let open_ms = started.elapsed().as_secs_f64() * 1000.0;
    let mut received = 0u64;
    while received < count {
        match socket.next().await {
            Some(Ok(Message::Text(_) | Message::Binary(_))) => received += 1,
            Some(Ok(Message::Close(_))) | None => {
                return Err(format!(
                    "the connection closed after {received} of {count} messages"
                ));
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => {
                return Err(format!(
                    "the connection broke after {received} of {count} messages: {e}"
                ));
            }
        }
    }
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let _ = socket.close(None).await;
    Ok((ms, open_ms))
}
