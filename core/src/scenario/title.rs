//! Steps and matchers in words, for the UI's rows, reports and failures.

use super::model::{
    Capture, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, Matcher, Mode, PointerMatch,
    SizeRange, StepKind,
};
use crate::payload::text_preview;

/// `text` quoted and cut to 60 characters.
fn quoted(text: &str) -> String {
    let (shown, cut) = text_preview(text, 60);
    format!(
        "\u{201c}{shown}{}\u{201d}",
        if cut { "\u{2026}" } else { "" }
    )
}

fn cut(text: &str) -> String {
    let (shown, cut) = text_preview(text, 60);
    if cut {
        format!("{shown}\u{2026}")
    } else {
        shown
    }
}

impl Matcher {
    /// `JSON subset {"type":"welcome"}`, `contains “hi”`, `/id equals 7`...
    pub fn describe(&self) -> String {
        match self {
            Self::Any => "any message".into(),
            Self::Equals(text) => format!("equals {}", quoted(text)),
            Self::Contains(text) => format!("contains {}", quoted(text)),
            Self::Regex(pattern) => format!("matches /{}/", cut(pattern)),
            Self::JsonSubset(value) => format!("JSON subset {}", cut(&value.to_string())),
            Self::JsonPointer(p) => describe_pointer(p),
            Self::BinaryEquals(hex) => format!("binary equal to {}", cut(hex.trim())),
            Self::BinaryPrefix(hex) => format!("binary starting with {}", cut(hex.trim())),
            Self::Size(SizeRange { min, max }) => match (min, max) {
                (Some(min), Some(max)) => format!("size {min}\u{2013}{max} bytes"),
                (Some(min), None) => format!("size at least {min} bytes"),
                (None, Some(max)) => format!("size at most {max} bytes"),
                (None, None) => "any size".into(),
            },
        }
    }
}

fn describe_pointer(p: &PointerMatch) -> String {
    let at = if p.pointer.is_empty() {
        "the message".to_string()
    } else {
        p.pointer.clone()
    };
    match (&p.equals, &p.matches, p.exists) {
        (Some(value), _, _) => format!("{at} equals {}", cut(&value.to_string())),
        (None, Some(pattern), _) => format!("{at} matches /{}/", cut(pattern)),
        (None, None, Some(false)) => format!("{at} absent"),
        (None, None, _) => format!("{at} exists"),
    }
}

fn within(ms: u64, default: u64) -> String {
    if ms == default {
        String::new()
    } else {
        format!(" within {ms} ms")
    }
}

/// `, capturing token, id` for a step that captures.
fn capturing(capture: &[Capture]) -> String {
    if capture.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = capture.iter().map(|c| c.name.trim()).collect();
    format!(", capturing {}", names.join(", "))
}

impl StepKind {
    /// The step in words, as its row and its test case are titled.
    pub fn title(&self) -> String {
        match self {
            Self::Connect {
                timeout_ms,
                subprotocol,
                refused,
                status,
            } => {
                let mut title = "Connect".to_string();
                if *refused {
                    title.push_str(", expecting the handshake to be refused");
                    if let Some(status) = status {
                        title.push_str(&format!(" with HTTP {status}"));
                    }
                } else {
                    match subprotocol.as_deref() {
                        Some("") => title.push_str(", expecting no subprotocol"),
                        Some(p) => {
                            title.push_str(&format!(", expecting subprotocol {}", quoted(p)))
                        }
                        None => {}
                    }
                }
                title + &within(*timeout_ms, DEFAULT_CONNECT_TIMEOUT_MS)
            }
            Self::Send { format, text } => format!("Send {}: {}", format.label(), cut(text)),
            Self::ExpectMessage {
                matcher,
                mode,
                timeout_ms,
                capture,
            } => {
                let mut title = match mode {
                    Mode::Next => "Expect message: ".to_string(),
                    Mode::SkipUntil => "Expect message (passing over others): ".to_string(),
                };
                title.push_str(&matcher.describe());
                title + &within(*timeout_ms, DEFAULT_TIMEOUT_MS) + &capturing(capture)
            }
            Self::Emit {
                event,
                args,
                namespace,
                ack,
            } => {
                let mut title = format!("Emit {}", quoted(event));
                if !args.trim().is_empty() {
                    title.push_str(&format!(" {}", cut(args.trim())));
                }
                if !namespace.trim().is_empty() {
                    title.push_str(&format!(" on {}", namespace.trim()));
                }
                if *ack {
                    title.push_str(", asking for an acknowledgement");
                }
                title
            }
            Self::ExpectEvent {
                event,
                matcher,
                mode,
                timeout_ms,
                capture,
            } => {
                let mut title = if event.trim().is_empty() {
                    "Expect any event".to_string()
                } else {
                    format!("Expect event {}", quoted(event.trim()))
                };
                if *mode == Mode::SkipUntil {
                    title.push_str(" (passing over others)");
                }
                if !matcher.is_any() {
                    title.push_str(&format!(": {}", matcher.describe()));
                }
                title + &within(*timeout_ms, DEFAULT_TIMEOUT_MS) + &capturing(capture)
            }
            Self::Call {
                method,
                params,
                notification,
            } => {
                let verb = if *notification { "Notify" } else { "Call" };
                let mut title = format!("{verb} {}", quoted(method));
                if !params.trim().is_empty() {
                    title.push_str(&format!(" {}", cut(params.trim())));
                }
                title
            }
            Self::ExpectResult {
                matcher,
                error,
                timeout_ms,
                capture,
            } => {
                let mut title = if *error {
                    "Expect error".to_string()
                } else {
                    "Expect result".to_string()
                };
                if !matcher.is_any() {
                    title.push_str(&format!(": {}", matcher.describe()));
                }
                title + &within(*timeout_ms, DEFAULT_TIMEOUT_MS) + &capturing(capture)
            }
            Self::ExpectNoMessage { matcher, for_ms } => match matcher {
                Matcher::Any => format!("Expect no message for {for_ms} ms"),
                m => format!("Expect no message ({}) for {for_ms} ms", m.describe()),
            },
            Self::ExpectMessages {
                count,
                matcher,
                within_ms,
            } => {
                let noun = if *count == 1 { "message" } else { "messages" };
                match matcher {
                    Matcher::Any => format!("Expect {count} {noun} within {within_ms} ms"),
                    m => format!(
                        "Expect {count} {noun} ({}) within {within_ms} ms",
                        m.describe()
                    ),
                }
            }
            Self::Wait { ms } => format!("Wait {ms} ms"),
            Self::Close { code, reason } if reason.is_empty() => format!("Close {code}"),
            Self::Close { code, reason } => format!("Close {code} {}", quoted(reason)),
            Self::ExpectClose {
                code,
                reason,
                timeout_ms,
            } => {
                let mut title = "Expect close".to_string();
                if let Some(code) = code {
                    title.push_str(&format!(" {code}"));
                }
                if let Some(pattern) = reason {
                    title.push_str(&format!(", reason matching /{}/", cut(pattern)));
                }
                title + &within(*timeout_ms, DEFAULT_TIMEOUT_MS)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::Format;
    use serde_json::json;

    #[test]
    fn steps_read_as_words() {
        let expect = StepKind::ExpectMessage {
            matcher: Matcher::JsonSubset(json!({"type": "welcome"})),
            mode: Mode::Next,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            capture: vec![],
        };
        assert_eq!(
            expect.title(),
            r#"Expect message: JSON subset {"type":"welcome"}"#
        );
        let send = StepKind::Send {
            format: Format::Json,
            text: "{\"a\": 1}".into(),
        };
        assert_eq!(send.title(), "Send JSON: {\"a\": 1}");
        let refused = StepKind::Connect {
            timeout_ms: 3000,
            subprotocol: None,
            refused: true,
            status: Some(401),
        };
        assert_eq!(
            refused.title(),
            "Connect, expecting the handshake to be refused with HTTP 401 within 3000 ms"
        );
        let none = StepKind::ExpectNoMessage {
            matcher: Matcher::Contains("error".into()),
            for_ms: 1000,
        };
        assert_eq!(
            none.title(),
            "Expect no message (contains \u{201c}error\u{201d}) for 1000 ms"
        );
        let close = StepKind::ExpectClose {
            code: Some(4001),
            reason: Some("^bye".into()),
            timeout_ms: DEFAULT_TIMEOUT_MS,
        };
        assert_eq!(close.title(), "Expect close 4001, reason matching /^bye/");
        let emit = StepKind::Emit {
            event: "chat".into(),
            args: "[\"hi\"]".into(),
            namespace: "/admin".into(),
            ack: true,
        };
        assert_eq!(
            emit.title(),
            "Emit \u{201c}chat\u{201d} [\"hi\"] on /admin, asking for an acknowledgement"
        );
        let event = StepKind::ExpectEvent {
            event: "tick".into(),
            matcher: Matcher::Any,
            mode: Mode::SkipUntil,
            timeout_ms: 100,
            capture: vec![],
        };
        assert_eq!(
            event.title(),
            "Expect event \u{201c}tick\u{201d} (passing over others) within 100 ms"
        );
        let call = StepKind::Call {
            method: "subtract".into(),
            params: "[42, 23]".into(),
            notification: false,
        };
        assert_eq!(call.title(), "Call \u{201c}subtract\u{201d} [42, 23]");
        let error = StepKind::ExpectResult {
            matcher: Matcher::JsonSubset(json!({"code": -32601})),
            error: true,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            capture: vec![],
        };
        assert_eq!(
            error.title(),
            r#"Expect error: JSON subset {"code":-32601}"#
        );
    }
}
