//! The endpoint a person types: checked before the browser sees it, because
//! `new WebSocket()` quietly accepts relative and http(s) URLs and throws bare
//! exceptions for the rest.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

const EXAMPLES: &str =
    "A valid one looks like ws://127.0.0.1:9001/echo or wss://example.com/socket.";

/// A ws:// or wss:// URL that passed every check, ready to dial.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub secure: bool,
    /// ASCII letters lower-cased; IPv6 addresses keep their brackets.
    pub host: String,
    pub port: Option<u16>,
    /// Starts with `/`; includes the query, if any.
    pub path_and_query: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointError {
    Empty,
    Whitespace,
    MissingScheme {
        suggestion: Option<String>,
    },
    WrongScheme {
        scheme: String,
        suggestion: Option<String>,
    },
    Credentials,
    MissingHost,
    BadHost {
        host: String,
        why: &'static str,
    },
    BadPort {
        port: String,
    },
    Fragment,
    ControlCharacter,
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "Enter a WebSocket URL. {EXAMPLES}"),
            Self::Whitespace => write!(
                f,
                "The URL contains a space. Remove it, or write it as %20 inside the path or query. {EXAMPLES}"
            ),
            Self::MissingScheme {
                suggestion: Some(s),
            } => write!(
                f,
                "The URL has no ws:// or wss:// at the start. Did you mean {s}? {EXAMPLES}"
            ),
            Self::MissingScheme { suggestion: None } => {
                write!(f, "The URL has no ws:// or wss:// at the start. {EXAMPLES}")
            }
            Self::WrongScheme {
                scheme,
                suggestion: Some(s),
            } => write!(
                f,
                "{scheme}:// is for web pages, not WebSockets. Did you mean {s}? {EXAMPLES}"
            ),
            Self::WrongScheme {
                scheme,
                suggestion: None,
            } => write!(
                f,
                "{scheme}:// is not a WebSocket scheme; use ws:// or wss:// (wss:// is encrypted). {EXAMPLES}"
            ),
            Self::Credentials => write!(
                f,
                "Browsers do not send a user name or password written in the URL (user:pass@host). \
                 Remove it and pass credentials another way, such as a token in a query parameter."
            ),
            Self::MissingHost => write!(f, "The URL has no host after ws:// or wss://. {EXAMPLES}"),
            Self::BadHost { host, why } => {
                write!(f, "The host \u{201c}{host}\u{201d} {why}. {EXAMPLES}")
            }
            Self::BadPort { port } if port.is_empty() => {
                write!(
                    f,
                    "The URL has a colon after the host but no port number. {EXAMPLES}"
                )
            }
            Self::BadPort { port } => write!(
                f,
                "The port \u{201c}{port}\u{201d} is not a number from 1 to 65535. {EXAMPLES}"
            ),
            Self::Fragment => write!(
                f,
                "WebSocket URLs cannot have a fragment (the part from #). Remove it, or write # as %23 if it belongs to a value."
            ),
            Self::ControlCharacter => write!(
                f,
                "The URL contains an invisible control character (often from a paste). Retype it. {EXAMPLES}"
            ),
        }
    }
}

impl std::error::Error for EndpointError {}

impl Endpoint {
    pub fn parse(input: &str) -> Result<Self, EndpointError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(EndpointError::Empty);
        }
        let Some((scheme, rest)) = input.split_once("://") else {
            return Err(EndpointError::MissingScheme {
                suggestion: suggest_scheme(input),
            });
        };
        let secure = match scheme.to_ascii_lowercase().as_str() {
            "ws" => false,
            "wss" => true,
            "http" => return Err(wrong_scheme(scheme, "ws", rest)),
            "https" => return Err(wrong_scheme(scheme, "wss", rest)),
            _ if is_scheme_name(scheme) => {
                return Err(EndpointError::WrongScheme {
                    scheme: scheme.to_string(),
                    suggestion: None,
                });
            }
            _ => return Err(EndpointError::MissingScheme { suggestion: None }),
        };
        if input.chars().any(char::is_whitespace) {
            return Err(EndpointError::Whitespace);
        }
        if input.chars().any(char::is_control) {
            return Err(EndpointError::ControlCharacter);
        }
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, path_and_query) = rest.split_at(authority_end);
        if path_and_query.contains('#') {
            return Err(EndpointError::Fragment);
        }
        if authority.contains('@') {
            return Err(EndpointError::Credentials);
        }
        let (host, port) = parse_authority(authority)?;
        let path_and_query = if path_and_query.starts_with('/') {
            path_and_query.to_string()
        } else {
            format!("/{path_and_query}")
        };
        Ok(Self {
            secure,
            host,
            port,
            path_and_query,
        })
    }

    pub fn scheme(&self) -> &'static str {
        if self.secure { "wss" } else { "ws" }
    }

    /// The URL in the form the browser will dial.
    pub fn url(&self) -> String {
        match self.port {
            Some(port) => format!(
                "{}://{}:{port}{}",
                self.scheme(),
                self.host,
                self.path_and_query
            ),
            None => format!("{}://{}{}", self.scheme(), self.host, self.path_and_query),
        }
    }

    /// Loopback hosts count as secure origins, so browsers let https pages reach them over ws://.
    pub fn is_loopback(&self) -> bool {
        let host = self.host.trim_start_matches('[').trim_end_matches(']');
        host == "localhost"
            || host.ends_with(".localhost")
            || host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
            || host.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback())
    }

    /// Whether a page loaded over `page_protocol` (as `location.protocol` gives it, e.g. "https:")
    /// is blocked from dialling this endpoint as mixed content.
    pub fn is_mixed_content(&self, page_protocol: &str) -> bool {
        page_protocol.eq_ignore_ascii_case("https:") && !self.secure && !self.is_loopback()
    }

    /// The port, when it is one browsers never connect to: they fail such a connection as if
    /// nothing listened there, which would mislead a diagnosis.
    pub fn forbidden_port(&self) -> Option<u16> {
        self.port.filter(|&port| is_forbidden_port(port))
    }
}

/// Whether browsers refuse to connect to `port` whatever listens there.
pub fn is_forbidden_port(port: u16) -> bool {
    BAD_PORTS.binary_search(&port).is_ok()
}

/// The Fetch standard's "bad ports" (fetch.spec.whatwg.org/#bad-port), which Chromium, Firefox
/// and Safari all refuse: ports of other protocols (SMTP, X11, IRC...). Sorted.
const BAD_PORTS: [u16; 82] = [
    1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102,
    103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465,
    512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993,
    995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668,
    6669, 6679, 6697, 10080,
];

fn wrong_scheme(scheme: &str, replacement: &str, rest: &str) -> EndpointError {
    let suggestion = (!rest.is_empty() && !rest.chars().any(char::is_whitespace))
        .then(|| format!("{replacement}://{rest}"));
    EndpointError::WrongScheme {
        scheme: scheme.to_string(),
        suggestion,
    }
}

/// "example.com/socket" → "wss://example.com/socket"; loopback hosts get ws://.
fn suggest_scheme(input: &str) -> Option<String> {
    if input.chars().any(|c| c.is_whitespace() || c.is_control()) || input.contains('#') {
        return None;
    }
    // "http//x" or "ws:x" are a mistyped scheme, not a host called "http".
    let first_word = input
        .split([':', '/', '?'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if matches!(first_word.as_str(), "http" | "https" | "ws" | "wss") {
        return None;
    }
    let candidate = Endpoint::parse(&format!("ws://{input}")).ok()?;
    let secure = !candidate.is_loopback();
    Some(
        Endpoint {
            secure,
            ..candidate
        }
        .url(),
    )
}

fn is_scheme_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn parse_authority(authority: &str) -> Result<(String, Option<u16>), EndpointError> {
    let (host, port) = if let Some(after_bracket) = authority.strip_prefix('[') {
        let Some((inside, after)) = after_bracket.split_once(']') else {
            return Err(bad_host(
                authority,
                "opens an IPv6 address with [ but never closes it with ]",
            ));
        };
        if inside.parse::<Ipv6Addr>().is_err() {
            return Err(bad_host(authority, "is not a valid IPv6 address"));
        }
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':').ok_or_else(|| {
                bad_host(
                    authority,
                    "has text after the IPv6 address that is not a :port",
                )
            })?),
        };
        (format!("[{}]", inside.to_ascii_lowercase()), port)
    } else {
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        (check_host_name(host)?, port)
    };
    let port = port.map(parse_port).transpose()?;
    Ok((host, port))
}

fn check_host_name(host: &str) -> Result<String, EndpointError> {
    if host.is_empty() {
        return Err(EndpointError::MissingHost);
    }
    if host.contains(':') {
        return Err(bad_host(
            host,
            "looks like an IPv6 address; write it in brackets, as in ws://[::1]:9001/",
        ));
    }
    if let Some(bad) = host
        .chars()
        .find(|&c| !(c.is_alphanumeric() || matches!(c, '-' | '.' | '_')))
    {
        return Err(EndpointError::BadHost {
            host: host.to_string(),
            why: if bad == '%' {
                "has a percent sign, which host names cannot contain"
            } else {
                "has a character that host names cannot contain (only letters, digits, - . and _)"
            },
        });
    }
    // A single trailing dot is the DNS root and allowed.
    if host
        .strip_suffix('.')
        .unwrap_or(host)
        .split('.')
        .any(str::is_empty)
    {
        return Err(bad_host(host, "has an empty part between dots"));
    }
    let looks_numeric = host.chars().all(|c| c.is_ascii_digit() || c == '.');
    if looks_numeric && host.parse::<Ipv4Addr>().is_err() {
        return Err(bad_host(
            host,
            "is not a valid IPv4 address (four numbers from 0 to 255)",
        ));
    }
    // ASCII only: the browser maps the rest as IDNA says (to punycode), and Rust's Unicode
    // lowercase table would be 12 KiB of the page's first load.
    Ok(host.to_ascii_lowercase())
}

fn parse_port(port: &str) -> Result<u16, EndpointError> {
    match port.parse::<u16>() {
        Ok(p) if p > 0 && port.chars().all(|c| c.is_ascii_digit()) => Ok(p),
        _ => Err(EndpointError::BadPort {
            port: port.to_string(),
        }),
    }
}

fn bad_host(host: &str, why: &'static str) -> EndpointError {
    EndpointError::BadHost {
        host: host.to_string(),
        why,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(s: &str) -> Endpoint {
        match Endpoint::parse(s) {
            Ok(e) => e,
            Err(e) => panic!("{s:?} was refused: {e}"),
        }
    }

    #[test]
    fn accepts_common_urls_and_normalises_them() {
        assert_eq!(
            ok("ws://127.0.0.1:9001/echo").url(),
            "ws://127.0.0.1:9001/echo"
        );
        assert_eq!(ok("  WSS://Example.COM ").url(), "wss://example.com/");
        assert_eq!(ok("ws://host?x=1").url(), "ws://host/?x=1");
        assert_eq!(
            ok("ws://[::1]:9001/a/b?c=d%20e").url(),
            "ws://[::1]:9001/a/b?c=d%20e"
        );
        assert_eq!(
            ok("wss://api.example.com/v1/stream?token=abc&x=").port,
            None
        );
        assert!(ok("wss://x").secure);
        assert!(!ok("ws://x").secure);
        assert_eq!(
            ok("ws://xn--bcher-kva.example/").host,
            "xn--bcher-kva.example"
        );
        assert_eq!(ok("ws://Bücher.example/").host, "bücher.example");
        assert_eq!(ok("ws://ÜBER.Example/").host, "Über.example");
    }

    #[test]
    fn refuses_what_is_not_a_websocket_url() {
        let cases: &[(&str, EndpointError)] = &[
            ("", EndpointError::Empty),
            ("   ", EndpointError::Empty),
            (
                "http//x y",
                EndpointError::MissingScheme { suggestion: None },
            ),
            ("http//x", EndpointError::MissingScheme { suggestion: None }),
            (
                "wss:example.com",
                EndpointError::MissingScheme { suggestion: None },
            ),
            (
                "example.com",
                EndpointError::MissingScheme {
                    suggestion: Some("wss://example.com/".into()),
                },
            ),
            (
                "localhost:9001/echo",
                EndpointError::MissingScheme {
                    suggestion: Some("ws://localhost:9001/echo".into()),
                },
            ),
            (
                "http://example.com/x",
                EndpointError::WrongScheme {
                    scheme: "http".into(),
                    suggestion: Some("ws://example.com/x".into()),
                },
            ),
            (
                "HTTPS://example.com",
                EndpointError::WrongScheme {
                    scheme: "HTTPS".into(),
                    suggestion: Some("wss://example.com".into()),
                },
            ),
            (
                "ftp://x",
                EndpointError::WrongScheme {
                    scheme: "ftp".into(),
                    suggestion: None,
                },
            ),
            ("ws://exa mple.com", EndpointError::Whitespace),
            ("ws://x/a#frag", EndpointError::Fragment),
            ("ws://x#", EndpointError::Fragment),
            ("ws://user:pw@x/", EndpointError::Credentials),
            ("ws://", EndpointError::MissingHost),
            ("ws:///path", EndpointError::MissingHost),
            ("ws://:80/", EndpointError::MissingHost),
            ("ws://x:/", EndpointError::BadPort { port: "".into() }),
            ("ws://x:0/", EndpointError::BadPort { port: "0".into() }),
            (
                "ws://x:65536/",
                EndpointError::BadPort {
                    port: "65536".into(),
                },
            ),
            ("ws://x:+80/", EndpointError::BadPort { port: "+80".into() }),
            (
                "ws://x:http/",
                EndpointError::BadPort {
                    port: "http".into(),
                },
            ),
            ("ws://x\u{7}y/", EndpointError::ControlCharacter),
        ];
        for (input, expected) in cases {
            assert_eq!(
                Endpoint::parse(input).as_ref(),
                Err(expected),
                "input {input:?}"
            );
        }
    }

    #[test]
    fn refuses_bad_hosts_with_the_reason() {
        for (input, fragment) in [
            ("ws://999.1.1.1/", "IPv4"),
            ("ws://a..b/", "empty part"),
            ("ws://a%20b/", "percent"),
            ("ws://a!b/", "cannot contain"),
            ("ws://[::1/", "never closes"),
            ("ws://[zz::1]/", "IPv6"),
            ("ws://[::1]x/", ":port"),
            ("ws://./", "empty part"),
            ("ws://::1/", "brackets"),
        ] {
            match Endpoint::parse(input) {
                Err(e @ EndpointError::BadHost { .. }) => {
                    assert!(e.to_string().contains(fragment), "{input:?}: {e}")
                }
                other => panic!("{input:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn every_message_says_what_a_valid_url_looks_like_or_how_to_fix_it() {
        for input in [
            "",
            "http//x y",
            "example.com",
            "ftp://x",
            "ws://a b",
            "ws://x:0",
            "ws://999.0.0.1",
        ] {
            let message = Endpoint::parse(input)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(
                message.contains("ws://127.0.0.1:9001/echo"),
                "{input:?}: {message}"
            );
        }
    }

    #[test]
    fn mixed_content_is_ws_from_https_except_loopback() {
        assert!(ok("ws://example.com/").is_mixed_content("https:"));
        assert!(!ok("wss://example.com/").is_mixed_content("https:"));
        assert!(!ok("ws://example.com/").is_mixed_content("http:"));
        for local in [
            "ws://localhost/",
            "ws://127.0.0.1:1/",
            "ws://127.9.9.9/",
            "ws://[::1]/",
            "ws://a.localhost/",
        ] {
            assert!(!ok(local).is_mixed_content("https:"), "{local}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(input in ".{0,64}") {
            let _ = Endpoint::parse(&input);
        }

        #[test]
        fn accepted_urls_survive_a_round_trip(input in "(?i)(ws|wss|http|x)://[a-z0-9.:\\[\\]%@_-]{0,20}(/[ -~]{0,20})?") {
            if let Ok(endpoint) = Endpoint::parse(&input) {
                let url = endpoint.url();
                prop_assert_eq!(Endpoint::parse(&url), Ok(endpoint));
                prop_assert!(!url.chars().any(char::is_whitespace));
                prop_assert!(!url.contains('#'));
            }
        }

        #[test]
        fn a_suggestion_is_itself_valid(input in "[a-z0-9.:/_-]{1,30}") {
            if let Err(EndpointError::MissingScheme { suggestion: Some(s) }) = Endpoint::parse(&input) {
                prop_assert!(Endpoint::parse(&s).is_ok(), "{} suggested {}", input, s);
            }
        }
    }

    #[test]
    fn ports_browsers_refuse_are_known() {
        assert!(
            BAD_PORTS.windows(2).all(|w| w[0] < w[1]),
            "sorted, for binary search"
        );
        let port = |url: &str| Endpoint::parse(url).ok().and_then(|e| e.forbidden_port());
        assert_eq!(port("ws://127.0.0.1:6000/x"), Some(6000));
        assert_eq!(port("wss://h:10080"), Some(10080));
        assert_eq!(port("ws://h:1/"), Some(1));
        for fine in [
            "ws://h/",
            "wss://h/",
            "ws://h:80/",
            "ws://h:8080/",
            "ws://h:9001/",
            "ws://h:6001/",
        ] {
            assert_eq!(port(fine), None, "{fine}");
        }
    }
}
