//! The connection to the server, step by step (DNS, TCP, TLS, upgrade), each step timed so the
//! page can show where time went and where it failed.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{Instant, timeout_at};
use tokio_rustls::TlsConnector;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use wsprobe_core::relay::http_head::{self, ResponseHead};
use wsprobe_core::relay::{Certificate, Handshake, HttpHead, Stage, Timings};

use crate::control::millis;
use crate::destination;
use crate::request::Target;
use crate::tls::{self, Tls};

const MAX_RESPONSE_HEAD: usize = 64 * 1024;
const MAX_BODY_SHOWN: usize = 2048;

/// Plain TCP or TLS, behind one type so the session does not care which.
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}
pub type Upstream = WebSocketStream<Box<dyn Io>>;

pub struct Connected {
    pub socket: Upstream,
    /// The successful handshake's report, all but the session id.
    pub handshake: Handshake,
}

/// Everything measured and learnt so far, so a failure can report it.
struct Progress {
    request: HttpHead,
    timings: Timings,
    certificate: Option<Certificate>,
    deadline: Instant,
    limit: Duration,
}

impl Progress {
    fn fail(&self, stage: Stage, error: impl Into<String>) -> Handshake {
        Handshake {
            request: Some(self.request.clone()),
            certificate: self.certificate.clone(),
            timings: self.timings,
            ..Handshake::failed(stage, error)
        }
    }

    fn timed_out(&self, waiting_for: &str) -> Handshake {
        let limit = if self.limit.subsec_millis() == 0 {
            format!("{} s", self.limit.as_secs())
        } else {
            format!("{} ms", self.limit.as_millis())
        };
        self.fail(
            Stage::Timeout,
            format!("no answer within {limit} ({waiting_for})"),
        )
    }
}

/// `beyond_loopback`: the relay listens where other machines reach it, so some addresses are
/// refused (see `destination`).
pub async fn connect(
    target: &Target,
    tls: &Tls,
    max_message_bytes: usize,
    beyond_loopback: bool,
) -> Result<Connected, Handshake> {
    let mut progress = Progress {
        request: target.head.clone(),
        timings: Timings::default(),
        certificate: None,
        deadline: Instant::now() + target.limit,
        limit: target.limit,
    };

    let addrs = resolve(target, &mut progress).await?;
    let addrs = destination::allowed(addrs, &target.host, beyond_loopback)
        .map_err(|e| progress.fail(Stage::Url, e))?;
    let tcp = tcp_connect(&addrs, &mut progress).await?;
    let mut io: Box<dyn Io> = if target.tls {
        Box::new(tls_connect(tcp, target, tls, &mut progress).await?)
    } else {
        Box::new(tcp)
    };

    let started = Instant::now();
    let exchange = async {
        io.write_all(&target.to_bytes()).await?;
        io.flush().await?;
        read_head(&mut io).await
    };
    let head = match timeout_at(progress.deadline, exchange).await {
        Err(_) => {
            return Err(progress
                .timed_out("the server accepted the connection but sent no upgrade response"));
        }
        Ok(Err(e)) => return Err(progress.fail(Stage::Http, e.to_string())),
        Ok(Ok(head)) => head,
    };
    progress.timings.upgrade_ms = Some(millis(started.elapsed()));

    let mut response = HttpHead {
        line: head.line.clone(),
        headers: head.headers.clone(),
        body: None,
    };
    if head.status != 101 {
        let body = read_body(&mut io, &head, progress.deadline).await;
        response.body = Some(String::from_utf8_lossy(&body).into_owned());
        let mut failure = progress.fail(
            Stage::Http,
            // The status line itself is in the response, and the page's headline quotes it.
            format!(
                "it answered {} instead of 101 Switching Protocols",
                head.status
            ),
        );
        failure.response = Some(response);
        return Err(failure);
    }
    let (protocol, extensions) = match check_upgrade(&head, target) {
        Ok(agreed) => agreed,
        Err(e) => {
            let mut failure = progress.fail(Stage::Protocol, e);
            // Every failure's response has a body, for one shape; after a 101 there is none.
            response.body = Some(String::new());
            failure.response = Some(response);
            return Err(failure);
        }
    };

    let config = WebSocketConfig::default()
        .max_message_size(Some(max_message_bytes))
        .max_frame_size(Some(max_message_bytes));
    // Frames the server sent right behind its 101 are already in `leftover`; keep them.
    let socket =
        WebSocketStream::from_partially_read(io, head.leftover, Role::Client, Some(config)).await;
    Ok(Connected {
        socket,
        handshake: Handshake {
            ok: true,
            request: Some(progress.request),
            response: Some(response),
            timings: progress.timings,
            protocol,
            extensions,
            ..Handshake::default()
        },
    })
}

async fn resolve(target: &Target, progress: &mut Progress) -> Result<Vec<SocketAddr>, Handshake> {
    let started = Instant::now();
    let lookup = tokio::net::lookup_host((target.host.as_str(), target.port));
    let result = timeout_at(progress.deadline, lookup).await;
    let resolved = match result {
        Err(_) => return Err(progress.timed_out(&format!("resolving {}", target.host))),
        Ok(r) => r,
    };
    progress.timings.dns_ms = Some(millis(started.elapsed()));
    match resolved {
        Ok(addrs) => {
            let addrs: Vec<SocketAddr> = addrs.collect();
            if addrs.is_empty() {
                Err(progress.fail(
                    Stage::Dns,
                    format!("name not resolved: {} (no addresses)", target.host),
                ))
            } else {
                Ok(addrs)
            }
        }
        Err(e) => Err(progress.fail(
            Stage::Dns,
            format!("name not resolved: {} ({e})", target.host),
        )),
    }
}

/// Tries each address in turn, as browsers do when a name has several.
async fn tcp_connect(
    addrs: &[SocketAddr],
    progress: &mut Progress,
) -> Result<TcpStream, Handshake> {
    let started = Instant::now();
    let mut last_error = String::new();
    for addr in addrs {
        match timeout_at(progress.deadline, TcpStream::connect(addr)).await {
            Err(_) => {
                progress.timings.tcp_ms = Some(millis(started.elapsed()));
                return Err(progress.timed_out(&format!("TCP connect to {addr}")));
            }
            Ok(Ok(stream)) => {
                progress.timings.tcp_ms = Some(millis(started.elapsed()));
                let _ = stream.set_nodelay(true);
                return Ok(stream);
            }
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                last_error = format!("connection refused by {addr}");
            }
            Ok(Err(e)) => last_error = format!("cannot connect to {addr}: {e}"),
        }
    }
    progress.timings.tcp_ms = Some(millis(started.elapsed()));
    Err(progress.fail(Stage::Tcp, last_error))
}

async fn tls_connect(
    tcp: TcpStream,
    target: &Target,
    tls: &Tls,
    progress: &mut Progress,
) -> Result<tokio_rustls::client::TlsStream<TcpStream>, Handshake> {
    let name = rustls::pki_types::ServerName::try_from(target.host.clone()).map_err(|e| {
        progress.fail(
            Stage::Url,
            format!("{} is not a TLS server name: {e}", target.host),
        )
    })?;
    let (config, recorded) = tls
        .client_config()
        .map_err(|e| progress.fail(Stage::Tls, e))?;
    let started = Instant::now();
    let result = timeout_at(
        progress.deadline,
        TlsConnector::from(config).connect(name, tcp),
    )
    .await;
    progress.timings.tls_ms = Some(millis(started.elapsed()));
    progress.certificate = recorded.certificate();
    match result {
        Err(_) => Err(progress.timed_out("TLS handshake")),
        Ok(Err(e)) => Err(progress.fail(Stage::Tls, format!("TLS: {}", tls::explain(&e)))),
        Ok(Ok(stream)) => {
            // The certificate is only reported when something went wrong.
            progress.certificate = None;
            Ok(stream)
        }
    }
}

async fn read_head<S: AsyncRead + Unpin>(io: &mut S) -> std::io::Result<ResponseHead> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        let n = io.read(&mut chunk).await?;
        if n == 0 {
            let what = if buf.is_empty() {
                "the server closed the connection without answering the upgrade request".to_string()
            } else {
                format!(
                    "the server closed the connection in the middle of its response: {:?}",
                    String::from_utf8_lossy(&buf[..buf.len().min(200)])
                )
            };
            return Err(std::io::Error::other(what));
        }
        buf.extend_from_slice(&chunk[..n]);
        match http_head::parse_response(&buf) {
            Ok(Some(head)) => return Ok(head),
            Ok(None) if buf.len() <= MAX_RESPONSE_HEAD => {}
            Ok(None) => {
                return Err(std::io::Error::other(
                    "the response head is larger than 64 KiB",
                ));
            }
            Err(e) => {
                return Err(std::io::Error::other(format!(
                    "not an HTTP response ({e}): {:?}",
                    String::from_utf8_lossy(&buf[..buf.len().min(200)])
                )));
            }
        }
    }
}

/// The start of a refusal's body: what Content-Length promises, or what comes before the
/// server closes, never more than 2048 bytes and never past the deadline.
async fn read_body<S: AsyncRead + Unpin>(
    io: &mut S,
    head: &ResponseHead,
    deadline: Instant,
) -> Vec<u8> {
    let wanted = head
        .header("content-length")
        .and_then(|l| l.trim().parse::<usize>().ok())
        .unwrap_or(MAX_BODY_SHOWN)
        .min(MAX_BODY_SHOWN);
    let mut body = head.leftover.clone();
    let mut chunk = [0u8; 1024];
    while body.len() < wanted {
        match timeout_at(deadline, io.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => body.extend_from_slice(&chunk[..n]),
            _ => break,
        }
    }
    body.truncate(wanted);
    body
}

/// RFC 6455 §4.1: the checks a client must make before it treats the connection as open.
fn check_upgrade(head: &ResponseHead, target: &Target) -> Result<(String, String), String> {
    let upgrade = head.header("upgrade").unwrap_or("");
    if !upgrade.eq_ignore_ascii_case("websocket") {
        return Err(format!(
            "the 101 response has Upgrade: {upgrade:?}, not \"websocket\""
        ));
    }
    let connection = head.header("connection").unwrap_or("");
    if !connection
        .split(',')
        .any(|t| t.trim().eq_ignore_ascii_case("upgrade"))
    {
        return Err(format!(
            "the 101 response has Connection: {connection:?}, without \"Upgrade\""
        ));
    }
    let expected = derive_accept_key(target.key.as_bytes());
    match head.header("sec-websocket-accept") {
        Some(accept) if accept.trim() == expected => {}
        Some(accept) => {
            return Err(format!(
                "Sec-WebSocket-Accept is {accept:?}, expected {expected:?} for the key sent"
            ));
        }
        None => return Err("the 101 response has no Sec-WebSocket-Accept".to_string()),
    }
    let protocol = head.header("sec-websocket-protocol").unwrap_or("").trim();
    if !protocol.is_empty() && !target.offered_protocols.iter().any(|p| p == protocol) {
        return Err(format!(
            "the server chose subprotocol {protocol:?}, which was not offered"
        ));
    }
    // No extension is offered, so any in the answer would change the framing unannounced.
    let extensions = head.header("sec-websocket-extensions").unwrap_or("").trim();
    if !extensions.is_empty() {
        return Err(format!(
            "the server answered with extensions {extensions:?}, but none were offered"
        ));
    }
    Ok((protocol.to_string(), extensions.to_string()))
}
