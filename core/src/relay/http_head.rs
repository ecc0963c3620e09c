//! HTTP/1.1 heads as the relay and the project's test server read them: the page's (or a
//! client's) upgrade request, and a server's answer to the relay's. Pure and runtime-free, so
//! both binaries share it; each passes in its own way of reading.

use std::pin::Pin;

/// How many headers a request may have.
const MAX_REQUEST_HEADERS: usize = 64;
/// How many headers a response may have.
const MAX_RESPONSE_HEADERS: usize = 128;

pub struct RequestHead {
    /// The target up to `?` ("/" when the request line has none).
    pub path: String,
    /// The query's parameters in order, percent-decoded as RFC 3986 says: `+` stays a `+`.
    /// A WebSocket URL's query is not an HTML form, and the page leaves `+` unescaped.
    pub params: Vec<(String, String)>,
    /// In the order received, names as the client wrote them.
    pub headers: Vec<(String, String)>,
    /// Bytes read past the end of the head (the first frames, if the client was quick).
    pub leftover: Vec<u8>,
}

pub struct ResponseHead {
    pub status: u16,
    /// The status line as sent, e.g. `HTTP/1.1 101 Switching Protocols`.
    pub line: String,
    pub headers: Vec<(String, String)>,
    /// Bytes read past the end of the head: the body, or frames sent right behind a 101.
    pub leftover: Vec<u8>,
}

impl RequestHead {
    /// The first header of this name, in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        find(&self.headers, name)
    }

    /// Every comma-separated value of a header that may repeat, in order.
    pub fn header_list(&self, name: &str) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .flat_map(|(_, v)| v.split(','))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// The first query parameter of this name, decoded.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether this asks for a WebSocket (RFC 6455 section 4.2.1: Connection names `upgrade`,
    /// Upgrade is `websocket`, and there is a key).
    pub fn is_websocket_upgrade(&self) -> bool {
        self.header_list("connection")
            .iter()
            .any(|t| t.eq_ignore_ascii_case("upgrade"))
            && self
                .header("upgrade")
                .is_some_and(|u| u.eq_ignore_ascii_case("websocket"))
            && self.header("sec-websocket-key").is_some()
    }
}

/// The head of a 101 answer to an upgrade: `accept` is the Sec-WebSocket-Accept value derived
/// from the request's key; the chosen subprotocol and extension when there are any.
pub fn accept_response(accept: &str, protocol: Option<&str>, extension: Option<&str>) -> String {
    let mut head = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Accept: {accept}\r\n"
    );
    if let Some(protocol) = protocol {
        head.push_str(&format!("Sec-WebSocket-Protocol: {protocol}\r\n"));
    }
    if let Some(extension) = extension {
        head.push_str(&format!("Sec-WebSocket-Extensions: {extension}\r\n"));
    }
    head.push_str("\r\n");
    head
}

impl ResponseHead {
    /// The first header of this name, in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        find(&self.headers, name)
    }
}

fn find<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// One read from a socket into a buffer, boxed so that this crate needs no async runtime.
pub type ReadFuture<'a> = Pin<Box<dyn Future<Output = std::io::Result<usize>> + Send + 'a>>;

/// Reads one request head from `stream` with `read` (1 KiB at a time); None when the peer
/// sends garbage, `limit` bytes or more without finishing the head, or goes away.
pub async fn read_request<S>(
    stream: &mut S,
    limit: usize,
    mut read: impl for<'a> FnMut(&'a mut S, &'a mut [u8]) -> ReadFuture<'a>,
) -> Option<RequestHead> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let n = read(stream, &mut chunk).await.ok().filter(|&n| n > 0)?;
        buf.extend_from_slice(&chunk[..n]);
        match parse_request(&buf) {
            Ok(Some(head)) => return Some(head),
            Ok(None) if buf.len() < limit => {}
            _ => return None,
        }
    }
}

/// The most a request head may take, in bytes and in time, wherever one is read.
pub const MAX_REQUEST_BYTES: usize = 16 * 1024;
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// A timer from the caller's runtime, e.g. `Box::pin(tokio::time::sleep(REQUEST_TIMEOUT))`.
pub type Deadline<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// `read_request` with `MAX_REQUEST_BYTES`, given up (None) when `deadline` fires first: a
/// client that sends half a head and stalls must not hold its connection for ever.
pub async fn read_request_before<S>(
    stream: &mut S,
    read: impl for<'a> FnMut(&'a mut S, &'a mut [u8]) -> ReadFuture<'a>,
    mut deadline: Deadline<'_>,
) -> Option<RequestHead> {
    let mut reading = std::pin::pin!(read_request(stream, MAX_REQUEST_BYTES, read));
    std::future::poll_fn(|cx| match reading.as_mut().poll(cx) {
        std::task::Poll::Ready(head) => std::task::Poll::Ready(head),
        std::task::Poll::Pending => deadline.as_mut().poll(cx).map(|()| None),
    })
    .await
}

/// The request head at the start of `buf`; None while it is incomplete.
fn parse_request(buf: &[u8]) -> Result<Option<RequestHead>, httparse::Error> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_REQUEST_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    let httparse::Status::Complete(len) = parsed.parse(buf)? else {
        return Ok(None);
    };
    let target = parsed.path.unwrap_or("/");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    Ok(Some(RequestHead {
        path: path.to_string(),
        params: crate::query::query_pairs(query),
        headers: owned(parsed.headers),
        leftover: buf[len..].to_vec(),
    }))
}

/// The response head at the start of `buf`; None while it is incomplete.
pub fn parse_response(buf: &[u8]) -> Result<Option<ResponseHead>, httparse::Error> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_RESPONSE_HEADERS];
    let mut parsed = httparse::Response::new(&mut headers);
    let httparse::Status::Complete(len) = parsed.parse(buf)? else {
        return Ok(None);
    };
    let line_end = buf.windows(2).position(|w| w == b"\r\n").unwrap_or(0);
    Ok(Some(ResponseHead {
        status: parsed.code.unwrap_or(0),
        line: String::from_utf8_lossy(&buf[..line_end]).into_owned(),
        headers: owned(parsed.headers),
        leftover: buf[len..].to_vec(),
    }))
}

fn owned(headers: &[httparse::Header]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|h| {
            let value = String::from_utf8_lossy(h.value).into_owned();
            (h.name.to_string(), value)
        })
        .collect()
}

#[cfg(test)]
mod deadline_tests {
    use super::*;
    use std::task::{Context, Poll, Waker};

    fn poll_once<F: Future>(f: F) -> Poll<F::Output> {
        std::pin::pin!(f).poll(&mut Context::from_waker(Waker::noop()))
    }

    fn stalled<'a>(_: &'a mut u8, _: &'a mut [u8]) -> ReadFuture<'a> {
        Box::pin(std::future::pending())
    }

    #[test]
    fn a_stalled_head_gives_up_when_the_deadline_fires() {
        let fired: Deadline = Box::pin(std::future::ready(()));
        let mut peer = 0u8;
        let read = read_request_before(&mut peer, stalled, fired);
        assert!(matches!(poll_once(read), Poll::Ready(None)));
        let later: Deadline = Box::pin(std::future::pending());
        assert!(poll_once(read_request_before(&mut peer, stalled, later)).is_pending());
    }

    #[test]
    fn a_whole_head_wins_over_a_deadline_that_has_not_fired() {
        let mut sent = &b"GET /echo HTTP/1.1\r\nHost: h\r\n\r\n"[..];
        fn read<'a>(s: &'a mut &[u8], b: &'a mut [u8]) -> ReadFuture<'a> {
            let n = s.len().min(b.len());
            b[..n].copy_from_slice(&s[..n]);
            *s = &s[n..];
            Box::pin(std::future::ready(Ok(n)))
        }
        let later: Deadline = Box::pin(std::future::pending());
        let Poll::Ready(Some(head)) = poll_once(read_request_before(&mut sent, read, later)) else {
            panic!("a request");
        };
        assert_eq!(head.path, "/echo");
    }
}
