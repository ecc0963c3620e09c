//! Turns the page's connect message into a target and an HTTP/1.1 upgrade request, refusing
//! anything that would break the handshake or smuggle a second request.

use std::time::Duration;

use url::{Host, Position, Url};
use wsprobe_core::relay::{HttpHead, header_problem};
use wsprobe_core::subprotocols::is_token;

/// An hour is longer than anyone waits for a handshake, and keeps deadline arithmetic finite.
const MAX_TIMEOUT_MS: u64 = 3_600_000;

pub struct Target {
    pub tls: bool,
    /// A name to resolve, or an IP literal (without brackets).
    pub host: String,
    pub port: u16,
    pub key: String,
    pub offered_protocols: Vec<String>,
    pub head: HttpHead,
    /// How long the whole handshake may take.
    pub limit: Duration,
}

impl Target {
    /// The bytes to write: the request line, the headers in order, and the blank line.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = format!("{}\r\n", self.head.line);
        for (name, value) in &self.head.headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str("\r\n");
        out.into_bytes()
    }
}

/// The target of a connect message (`ControlRequest::Connect`'s fields).
pub fn build(
    url: &str,
    subprotocols: &[String],
    page_headers: &[(String, String)],
    timeout_ms: u64,
) -> Result<Target, String> {
    let url = Url::parse(url.trim()).map_err(|e| format!("not a URL: {e}"))?;
    let tls = match url.scheme() {
        "ws" => false,
        "wss" => true,
        other => {
            return Err(format!(
                "the URL must start with ws:// or wss://, not {other}://"
            ));
        }
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(
            "the URL carries a user name or password, which WebSocket clients do not send; \
             use an Authorization header instead"
                .to_string(),
        );
    }
    let host = match url.host() {
        Some(Host::Domain(name)) => name.to_string(),
        Some(Host::Ipv4(ip)) => ip.to_string(),
        Some(Host::Ipv6(ip)) => ip.to_string(),
        None => return Err("the URL has no host".to_string()),
    };
    let port = url
        .port_or_known_default()
        .unwrap_or(if tls { 443 } else { 80 });
    // url already writes the host in its canonical form (brackets for IPv6, punycode) and
    // leaves out a default port, which is what Host should say.
    let host_header = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        (None, _) => return Err("the URL has no host".to_string()),
    };

    for protocol in subprotocols {
        if !is_token(protocol) {
            return Err(format!(
                "subprotocol {protocol:?} is not a valid token (letters, digits and !#$%&'*+-.^_`|~ only)"
            ));
        }
    }
    for (name, value) in page_headers {
        check_header(name, value)?;
    }

    let key = tokio_tungstenite::tungstenite::handshake::client::generate_key();
    let mut headers = vec![
        ("Host".to_string(), host_header),
        ("Upgrade".to_string(), "websocket".to_string()),
        ("Connection".to_string(), "Upgrade".to_string()),
        ("Sec-WebSocket-Key".to_string(), key.clone()),
        ("Sec-WebSocket-Version".to_string(), "13".to_string()),
    ];
    if !subprotocols.is_empty() {
        headers.push((
            "Sec-WebSocket-Protocol".to_string(),
            subprotocols.join(", "),
        ));
    }
    headers.extend(page_headers.iter().cloned());
    // A Sec-WebSocket-Protocol header from the page offers protocols as well.
    let offered_protocols = headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("sec-websocket-protocol"))
        .flat_map(|(_, v)| v.split(','))
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    Ok(Target {
        tls,
        host,
        port,
        key,
        offered_protocols,
        head: HttpHead {
            line: format!(
                "GET {} HTTP/1.1",
                &url[Position::BeforePath..Position::AfterQuery]
            ),
            headers,
            body: None,
        },
        limit: Duration::from_millis(timeout_ms.clamp(1, MAX_TIMEOUT_MS)),
    })
}

fn check_header(name: &str, value: &str) -> Result<(), String> {
    header_problem(name, value).map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wsprobe_core::relay::DEFAULT_TIMEOUT_MS;

    fn connect(url: &str, headers: &[(&str, &str)], protocols: &[&str]) -> Result<Target, String> {
        let protocols: Vec<String> = protocols.iter().map(|p| p.to_string()).collect();
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        build(url, &protocols, &headers, DEFAULT_TIMEOUT_MS)
    }

    #[test]
    fn writes_the_upgrade_request_in_order() {
        let target = connect(
            "wss://Example.com:8443/chat?room=1#frag",
            &[("Authorization", "Bearer x"), ("Cookie", "a=1")],
            &["chat", "json"],
        )
        .unwrap();
        assert!(target.tls);
        assert_eq!((target.host.as_str(), target.port), ("example.com", 8443));
        assert_eq!(target.head.line, "GET /chat?room=1 HTTP/1.1");
        let names: Vec<&str> = target
            .head
            .headers
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "Host",
                "Upgrade",
                "Connection",
                "Sec-WebSocket-Key",
                "Sec-WebSocket-Version",
                "Sec-WebSocket-Protocol",
                "Authorization",
                "Cookie"
            ]
        );
        assert_eq!(target.head.headers[0].1, "example.com:8443");
        assert_eq!(target.head.headers[5].1, "chat, json");
        assert_eq!(target.offered_protocols, ["chat", "json"]);
        let bytes = String::from_utf8(target.to_bytes()).unwrap();
        assert!(bytes.starts_with("GET /chat?room=1 HTTP/1.1\r\nHost: example.com:8443\r\n"));
        assert!(bytes.ends_with("Cookie: a=1\r\n\r\n"));
    }

    #[test]
    fn default_ports_and_ipv6() {
        let target = connect("ws://[::1]/", &[], &[]).unwrap();
        assert_eq!((target.host.as_str(), target.port), ("::1", 80));
        assert_eq!(target.head.headers[0].1, "[::1]");
        assert_eq!(connect("wss://a.example", &[], &[]).unwrap().port, 443);
    }

    #[test]
    fn refuses_what_would_break_the_handshake() {
        for (url, headers, protocols, says) in [
            ("http://a.example", vec![], vec![], "ws:// or wss://"),
            ("not a url", vec![], vec![], "not a URL"),
            ("ws://u:p@a.example", vec![], vec![], "user name"),
            ("ws://a.example", vec![("host", "b")], vec![], "header Host"),
            (
                "ws://a.example",
                vec![("Content-Length", "1")],
                vec![],
                "Content-Length",
            ),
            (
                "ws://a.example",
                vec![("Sec-WebSocket-Extensions", "x")],
                vec![],
                "Extensions",
            ),
            (
                "ws://a.example",
                vec![("X-A", "1\r\nEvil: 1")],
                vec![],
                "line break",
            ),
            ("ws://a.example", vec![("X A", "1")], vec![], "not valid"),
            ("ws://a.example", vec![("", "1")], vec![], "not valid"),
            ("ws://a.example", vec![], vec!["a b"], "subprotocol"),
        ] {
            match connect(url, &headers, &protocols) {
                Err(e) => assert!(e.contains(says), "{url} {headers:?}: {e}"),
                Ok(_) => panic!("{url} {headers:?} {protocols:?} was accepted"),
            }
        }
    }
}
