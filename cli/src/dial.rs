//! Dialling a scenario's request: DNS, TCP, TLS for wss://, then the upgrade with the request's
//! own headers, cookies and subprotocols. Each way it can fail says which part failed.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::error::{ProtocolError, SubProtocolError};
use tokio_tungstenite::tungstenite::handshake::client::Request;
use tokio_tungstenite::tungstenite::http::HeaderMap;
use tokio_tungstenite::tungstenite::http::header::{HeaderName, HeaderValue};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{self, Error};
use wsprobe_core::scenario::DialTarget;
use wsprobe_relay::tls::{self, Tls};

/// Plain TCP or TLS, behind one type: the driver does not care which.
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}
pub type Socket = WebSocketStream<Box<dyn Io>>;

/// Far above what tests send; a bound still, so a runaway server cannot take all memory.
const MAX_MESSAGE_BYTES: usize = 256 << 20;
/// Enough of a refusal's body to read its explanation.
const MAX_BODY_SHOWN: usize = 2048;

pub enum Dialled {
    Open {
        /// Boxed: a socket is large, and this passes through the driver by value.
        socket: Box<Socket>,
        /// What the server chose; `""` for none.
        subprotocol: String,
    },
    Refused {
        /// The HTTP status when the server answered something other than 101.
        status: Option<u16>,
        detail: String,
        /// The response as received (status line, headers, body), when there was one.
        response: Option<String>,
    },
}

impl Dialled {
    fn refused(detail: String) -> Self {
        Self::Refused {
            status: None,
            detail,
            response: None,
        }
    }
}

pub async fn dial(target: DialTarget, tls: Arc<Tls>) -> Dialled {
    match try_dial(&target, &tls).await {
        Ok(dialled) | Err(dialled) => dialled,
    }
}

async fn try_dial(target: &DialTarget, tls: &Tls) -> Result<Dialled, Dialled> {
    let request = build_request(target).map_err(Dialled::refused)?;
    let uri = request.uri().clone();
    let secure = uri.scheme_str() == Some("wss");
    let host = uri.host().unwrap_or_default().to_string();
    let port = uri.port_u16().unwrap_or(if secure { 443 } else { 80 });
    let tcp = connect(&host, port).await.map_err(Dialled::refused)?;
    let io: Box<dyn Io> = if secure {
        Box::new(handshake(tcp, &host, tls).await.map_err(Dialled::refused)?)
    } else {
        Box::new(tcp)
    };
    let config = WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE_BYTES))
        .max_frame_size(Some(MAX_MESSAGE_BYTES));
    match tokio_tungstenite::client_async_with_config(request, io, Some(config)).await {
        Ok((socket, response)) => Ok(Dialled::Open {
            socket: Box::new(socket),
            subprotocol: header(response.headers(), "sec-websocket-protocol"),
        }),
        Err(Error::Http(response)) => {
            let status = response.status();
            Err(Dialled::Refused {
                status: Some(status.as_u16()),
                detail: format!(
                    "the server answered {} {} instead of 101 Switching Protocols",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or("")
                ),
                response: Some(raw_response(&response)),
            })
        }
        Err(e) => Err(Dialled::refused(upgrade_error(&e, target))),
    }
}

/// What went wrong after the server answered 101, in words.
fn upgrade_error(error: &Error, target: &DialTarget) -> String {
    let asked = target.subprotocols.join(", ");
    match error {
        Error::Protocol(ProtocolError::SecWebSocketSubProtocolError(e)) => match e {
            SubProtocolError::NoSubProtocol => format!(
                "the server chose none of the subprotocols asked for ({asked}); a browser fails this too"
            ),
            SubProtocolError::ServerSentSubProtocolNoneRequested => {
                "the server chose a subprotocol though none was asked for".into()
            }
            SubProtocolError::InvalidSubProtocol => {
                format!("the server chose a subprotocol that was not asked for ({asked} were)")
            }
        },
        e => format!("the upgrade failed: {e}"),
    }
}

/// The upgrade request: tungstenite's, with the request's headers (the first of a name
/// replaces tungstenite's own, e.g. Host or Origin) and its subprotocols.
fn build_request(target: &DialTarget) -> Result<Request, String> {
    let mut request = target
        .url
        .as_str()
        .into_client_request()
        .map_err(|e| format!("the URL {} cannot be dialled: {e}", target.url))?;
    if !matches!(request.uri().scheme_str(), Some("ws" | "wss")) || request.uri().host().is_none() {
        return Err(format!(
            "the URL {} cannot be dialled: it must be ws://host… or wss://host…",
            target.url
        ));
    }
    let headers = request.headers_mut();
    let mut seen: Vec<HeaderName> = Vec::new();
    for (name, value) in &target.headers {
        let name = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| format!("\u{201c}{name}\u{201d} is not a valid header name"))?;
        let value = HeaderValue::from_str(value)
            .map_err(|_| format!("the value of the header {name} is not valid in a header"))?;
        if seen.contains(&name) {
            headers.append(name, value);
        } else {
            headers.insert(name.clone(), value);
            seen.push(name);
        }
    }
    if !target.subprotocols.is_empty() {
        let list = HeaderValue::from_str(&target.subprotocols.join(", "))
            .map_err(|_| "the subprotocols are not valid in a header".to_string())?;
        headers.insert("sec-websocket-protocol", list);
    }
    Ok(request)
}

async fn connect(host: &str, port: u16) -> Result<TcpStream, String> {
    // Brackets of an IPv6 literal are the URL's, not the address's.
    let name = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((name, port))
        .await
        .map_err(|e| format!("the name {name} did not resolve: {e}"))?
        .collect();
    let mut last = format!("the name {name} resolved to no address");
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(stream) => {
                // Small messages go out at once, as a browser sends them.
                let _ = stream.set_nodelay(true);
                return Ok(stream);
            }
            Err(e) => last = format!("the TCP connection to {addr} failed: {e}"),
        }
    }
    Err(last)
}

async fn handshake(
    tcp: TcpStream,
    host: &str,
    tls: &Tls,
) -> Result<tokio_rustls::client::TlsStream<TcpStream>, String> {
    let (config, _) = tls.client_config()?;
    let name = host.trim_start_matches('[').trim_end_matches(']');
    let server_name = rustls::pki_types::ServerName::try_from(name.to_string())
        .map_err(|e| format!("{name} cannot be checked against a certificate: {e}"))?;
    TlsConnector::from(config)
        .connect(server_name, tcp)
        .await
        .map_err(|e| format!("the TLS handshake with {name} failed: {}", tls::explain(&e)))
}

/// The relay's TLS set-up (the Mozilla roots, ring) with the CAs of every --ca-file added, as
/// the relay's own --ca-file adds them; each file that cannot be used is named with why.
pub fn client_tls(ca_files: &[PathBuf]) -> Result<Tls, Vec<String>> {
    let mut roots = Vec::new();
    let mut errors = Vec::new();
    for file in ca_files {
        match tls::read_ca_file(file) {
            Ok(found) => roots.extend(found),
            Err(why) => errors.push(why),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Tls::new(&roots).map_err(|why| vec![why])
}

fn header(headers: &HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// The refusal as it came: status line, headers, then the body (cut, and lossy if not UTF-8).
fn raw_response(response: &tungstenite::http::Response<Option<Vec<u8>>>) -> String {
    let status = response.status();
    let mut out = format!(
        "{:?} {} {}\n",
        response.version(),
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    );
    for (name, value) in response.headers() {
        out.push_str(&format!(
            "{name}: {}\n",
            String::from_utf8_lossy(value.as_bytes())
        ));
    }
    if let Some(body) = response.body().as_deref().filter(|b| !b.is_empty()) {
        out.push('\n');
        let shown = body.get(..MAX_BODY_SHOWN).unwrap_or(body);
        out.push_str(&String::from_utf8_lossy(shown));
        if shown.len() < body.len() {
            out.push_str(&format!("\n… ({} bytes in all)", body.len()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(url: &str, headers: &[(&str, &str)], subprotocols: &[&str]) -> DialTarget {
        DialTarget {
            url: url.into(),
            subprotocols: subprotocols.iter().map(|s| s.to_string()).collect(),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            relay: false,
        }
    }

    #[test]
    fn the_request_carries_headers_and_subprotocols() {
        let request = build_request(&target(
            "ws://127.0.0.1:1/x",
            &[("X-A", "1"), ("x-a", "2"), ("Origin", "http://o")],
            &["a", "b"],
        ))
        .unwrap();
        let values: Vec<_> = request.headers().get_all("x-a").iter().collect();
        assert_eq!(values, ["1", "2"]);
        assert_eq!(request.headers()["sec-websocket-protocol"], "a, b");
        assert_eq!(request.headers()["origin"], "http://o");
    }

    #[test]
    fn bad_urls_and_headers_say_what_is_wrong() {
        let error = |t| build_request(&t).err().unwrap_or_default();
        assert!(error(target("http://x", &[], &[])).contains("cannot be dialled"));
        assert!(error(target("ws://x", &[("a b", "1")], &[])).contains("\u{201c}a b\u{201d}"));
        assert!(error(target("ws://x", &[("a", "1\n")], &[])).contains("header a"));
    }
}
