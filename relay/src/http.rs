//! The page-facing side of the upgrade, done by hand so a refusal can carry a status and a
//! plain-text reason the user can read in the browser's network panel.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use wsprobe_core::relay::http_head::{self, RequestHead};

const MAX_REQUEST_BYTES: usize = 16 * 1024;

pub struct Request {
    /// Its `leftover` holds the page's first frames, if it was quick.
    pub head: RequestHead,
    query: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.header(name)
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn is_upgrade(&self) -> bool {
        let connection_upgrade = self.header("connection").is_some_and(|c| {
            c.split(',')
                .any(|t| t.trim().eq_ignore_ascii_case("upgrade"))
        });
        connection_upgrade
            && self
                .header("upgrade")
                .is_some_and(|u| u.eq_ignore_ascii_case("websocket"))
            && self.header("sec-websocket-key").is_some()
    }
}

/// Reads one request head; None when the peer sends garbage, too much, or goes away.
pub async fn read_request<S: AsyncRead + Unpin + Send>(stream: &mut S) -> Option<Request> {
    let head =
        http_head::read_request(stream, MAX_REQUEST_BYTES, |s, b| Box::pin(s.read(b))).await?;
    let query = parse_query(&head.query);
    Some(Request { head, query })
}

fn parse_query(query: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_bytes())
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect()
}

/// Completes the upgrade with no subprotocol and no extension.
pub async fn accept<S: AsyncWrite + Unpin>(
    stream: &mut S,
    request: &Request,
) -> std::io::Result<()> {
    let key = request.header("sec-websocket-key").unwrap_or_default();
    let response = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Accept: {}\r\n\r\n",
        derive_accept_key(key.as_bytes())
    );
    stream.write_all(response.as_bytes()).await?;
    stream.flush().await
}

/// A refusal: status, a plain-text body saying why, and the connection closed.
pub async fn refuse<S: AsyncWrite + Unpin>(
    stream: &mut S,
    status: u16,
    body: &str,
) -> std::io::Result<()> {
    let reason = match status {
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        426 => "Upgrade Required",
        _ => "Error",
    };
    let body = format!("wsprobe relay: {body}\n");
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Length: {}\r\nSec-WebSocket-Version: 13\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}
