//! A step as the page's row edits it: its kind, its match, and the one text field that says
//! what is expected (or sent), read and written in the words and forms the row shows.

use serde_json::Value;

use super::model::{
    Capture, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, Matcher, Mode, PointerMatch, Scenario,
    SizeRange, Step, StepKind,
};
use crate::compose::Format;
use crate::protocol::settings::Protocol;

/// The Step kind list, in the order a scenario usually runs.
pub const KINDS: [&str; 12] = [
    "Connect",
    "Send",
    "Expect message",
    "Expect no message",
    "Expect messages",
    "Wait",
    "Close",
    "Expect close",
    "Emit",
    "Expect event",
    "Call",
    "Expect result",
];

/// The Match list.
pub const MATCHES: [&str; 9] = [
    "Any",
    "Equals",
    "Contains",
    "Regex",
    "JSON subset",
    "JSON pointer",
    "Binary equals",
    "Binary prefix",
    "Size",
];

pub fn kind_label(kind: &StepKind) -> &'static str {
    match kind {
        StepKind::Connect { .. } => "Connect",
        StepKind::Send { .. } => "Send",
        StepKind::ExpectMessage { .. } => "Expect message",
        StepKind::ExpectNoMessage { .. } => "Expect no message",
        StepKind::ExpectMessages { .. } => "Expect messages",
        StepKind::Wait { .. } => "Wait",
        StepKind::Close { .. } => "Close",
        StepKind::ExpectClose { .. } => "Expect close",
        StepKind::Emit { .. } => "Emit",
        StepKind::ExpectEvent { .. } => "Expect event",
        StepKind::Call { .. } => "Call",
        StepKind::ExpectResult { .. } => "Expect result",
    }
}

/// A step of the kind labelled `label`, keeping what the previous kind had that still
/// applies (the match of one expect step carries to another); None for an unknown label.
pub fn with_kind(label: &str, previous: &StepKind) -> Option<StepKind> {
    let matcher = matcher(previous).cloned().unwrap_or_default();
    Some(match label {
        "Connect" => StepKind::Connect {
            timeout_ms: DEFAULT_CONNECT_TIMEOUT_MS,
            subprotocol: None,
            refused: false,
            status: None,
        },
        "Send" => StepKind::Send {
            format: Format::Text,
            text: String::new(),
        },
        "Expect message" => StepKind::ExpectMessage {
            matcher,
            mode: Mode::Next,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            capture: Vec::new(),
        },
        "Expect no message" => StepKind::ExpectNoMessage {
            matcher,
            for_ms: 1_000,
        },
        "Expect messages" => StepKind::ExpectMessages {
            count: 1,
            matcher,
            within_ms: DEFAULT_TIMEOUT_MS,
        },
        "Wait" => StepKind::Wait { ms: 1_000 },
        "Close" => StepKind::Close {
            code: 1000,
            reason: String::new(),
        },
        "Expect close" => StepKind::ExpectClose {
            code: None,
            reason: None,
            timeout_ms: DEFAULT_TIMEOUT_MS,
        },
        "Emit" => StepKind::Emit {
            event: String::new(),
            args: String::new(),
            namespace: String::new(),
            ack: false,
        },
        "Expect event" => StepKind::ExpectEvent {
            event: String::new(),
            matcher,
            mode: Mode::Next,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            capture: Vec::new(),
        },
        "Call" => StepKind::Call {
            method: String::new(),
            params: String::new(),
            notification: false,
        },
        "Expect result" => StepKind::ExpectResult {
            matcher,
            error: false,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            capture: Vec::new(),
        },
        _ => return None,
    })
}

/// The match of an expect step.
pub fn matcher(kind: &StepKind) -> Option<&Matcher> {
    match kind {
        StepKind::ExpectMessage { matcher, .. }
        | StepKind::ExpectNoMessage { matcher, .. }
        | StepKind::ExpectMessages { matcher, .. }
        | StepKind::ExpectEvent { matcher, .. }
        | StepKind::ExpectResult { matcher, .. } => Some(matcher),
        _ => None,
    }
}

fn matcher_mut(kind: &mut StepKind) -> Option<&mut Matcher> {
    match kind {
        StepKind::ExpectMessage { matcher, .. }
        | StepKind::ExpectNoMessage { matcher, .. }
        | StepKind::ExpectMessages { matcher, .. }
        | StepKind::ExpectEvent { matcher, .. }
        | StepKind::ExpectResult { matcher, .. } => Some(matcher),
        _ => None,
    }
}

pub fn matcher_label(matcher: &Matcher) -> &'static str {
    match matcher {
        Matcher::Any => "Any",
        Matcher::Equals(_) => "Equals",
        Matcher::Contains(_) => "Contains",
        Matcher::Regex(_) => "Regex",
        Matcher::JsonSubset(_) => "JSON subset",
        Matcher::JsonPointer(_) => "JSON pointer",
        Matcher::BinaryEquals(_) => "Binary equals",
        Matcher::BinaryPrefix(_) => "Binary prefix",
        Matcher::Size(_) => "Size",
    }
}

/// Changes how an expect step matches, keeping its expected text where it still reads.
pub fn set_match(kind: &mut StepKind, label: &str) {
    let text = expected_text(kind);
    let Some(matcher) = matcher_mut(kind) else {
        return;
    };
    let fresh = match label {
        "Equals" => Matcher::Equals(String::new()),
        "Contains" => Matcher::Contains(String::new()),
        "Regex" => Matcher::Regex(String::new()),
        "JSON subset" => Matcher::JsonSubset(Value::Object(Default::default())),
        "JSON pointer" => Matcher::JsonPointer(PointerMatch::default()),
        "Binary equals" => Matcher::BinaryEquals(String::new()),
        "Binary prefix" => Matcher::BinaryPrefix(String::new()),
        "Size" => Matcher::Size(SizeRange::default()),
        _ => Matcher::Any,
    };
    *matcher = fresh;
    // Text that does not read as the new match (say, words as JSON) leaves it empty.
    let _ = set_expected(kind, &text);
}

/// What the Expected field shows for a step: the match's text, the message a Send sends,
/// the subprotocol (or refusal status) of a Connect, the code of a Close or Expect close.
pub fn expected_text(kind: &StepKind) -> String {
    match kind {
        StepKind::Connect {
            subprotocol,
            refused,
            status,
            ..
        } => {
            if *refused {
                status.map(|s| s.to_string()).unwrap_or_default()
            } else {
                subprotocol.clone().unwrap_or_default()
            }
        }
        StepKind::Send { text, .. } => text.clone(),
        StepKind::Close { code, reason } => {
            if reason.is_empty() {
                code.to_string()
            } else {
                format!("{code} {reason}")
            }
        }
        StepKind::ExpectClose { code, .. } => code.map(|c| c.to_string()).unwrap_or_default(),
        StepKind::Wait { .. } => String::new(),
        StepKind::Emit {
            event,
            args,
            namespace,
            ..
        } => {
            let namespace = namespace.trim();
            let words = [namespace, event.as_str(), args.trim()];
            words
                .into_iter()
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        }
        StepKind::Call { method, params, .. } => [method.as_str(), params.trim()]
            .into_iter()
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
        StepKind::ExpectMessage { matcher, .. }
        | StepKind::ExpectNoMessage { matcher, .. }
        | StepKind::ExpectMessages { matcher, .. }
        | StepKind::ExpectEvent { matcher, .. }
        | StepKind::ExpectResult { matcher, .. } => matcher_text(matcher),
    }
}

fn matcher_text(matcher: &Matcher) -> String {
    match matcher {
        Matcher::Any => String::new(),
        Matcher::Equals(t) | Matcher::Contains(t) | Matcher::Regex(t) => t.clone(),
        Matcher::BinaryEquals(t) | Matcher::BinaryPrefix(t) => t.clone(),
        Matcher::JsonSubset(value) => value.to_string(),
        Matcher::JsonPointer(p) => match (&p.equals, &p.matches, p.exists) {
            (Some(value), _, _) => format!("{} = {value}", p.pointer),
            (None, Some(pattern), _) => format!("{} ~ {pattern}", p.pointer),
            (None, None, Some(false)) => format!("{} absent", p.pointer),
            (None, None, _) => p.pointer.clone(),
        },
        Matcher::Size(SizeRange { min, max }) => format!(
            "{}-{}",
            min.map(|m| m.to_string()).unwrap_or_default(),
            max.map(|m| m.to_string()).unwrap_or_default()
        ),
    }
}

/// What the Expected field's placeholder says, so that its forms need no manual.
pub fn expected_hint(kind: &StepKind) -> &'static str {
    match kind {
        StepKind::Connect { refused: true, .. } => "HTTP status of the refusal (optional)",
        StepKind::Connect { .. } => "subprotocol the server must choose (optional)",
        StepKind::Send { .. } => "message to send, with {{variables}}",
        StepKind::Close { .. } => "code and reason, e.g. 1000 done",
        StepKind::ExpectClose { .. } => "close code (optional)",
        StepKind::Wait { .. } => "",
        StepKind::Emit { .. } => "event and arguments, e.g. chat [\"hi\"] or /admin chat []",
        StepKind::Call { .. } => "method and params, e.g. subtract [42, 23]",
        _ => match matcher(kind) {
            Some(Matcher::JsonSubset(_)) => r#"{"type": "welcome"}"#,
            Some(Matcher::JsonPointer(_)) => "/path = 7, /path ~ regex, /path, or /path absent",
            Some(Matcher::BinaryEquals(_) | Matcher::BinaryPrefix(_)) => "hex bytes, e.g. 01 ff",
            Some(Matcher::Size(_)) => "bytes: min-max, min- or -max",
            Some(Matcher::Any) | None => "",
            Some(_) => "text, with {{variables}}",
        },
    }
}

/// Reads the Expected field into the step; Err says why the text does not read (the step
/// keeps what it had, and the field keeps the text, so nothing typed is lost).
pub fn set_expected(kind: &mut StepKind, text: &str) -> Result<(), String> {
    match kind {
        StepKind::Connect {
            subprotocol,
            refused,
            status,
            ..
        } => {
            if *refused {
                *status = read_status(text)?;
            } else {
                let name = text.trim();
                *subprotocol = (!name.is_empty()).then(|| name.to_string());
            }
        }
        StepKind::Send { text: sent, .. } => *sent = text.to_string(),
        StepKind::Close { code, reason } => {
            let text = text.trim();
            let (number, rest) = text.split_once(' ').unwrap_or((text, ""));
            *code = number.parse().map_err(|_| {
                format!("A close code is a number, like 1000; not \u{201c}{number}\u{201d}.")
            })?;
            *reason = rest.trim().to_string();
        }
        StepKind::ExpectClose { code, .. } => *code = optional_number(text, "A close code")?,
        StepKind::Wait { .. } => {}
        StepKind::Emit {
            event,
            args,
            namespace,
            ..
        } => {
            let text = text.trim();
            let (first, rest) = split_word(text);
            // A first word with a slash is the namespace, the event follows it.
            let (on, (name, rest)) = if first.starts_with('/') {
                (first, split_word(rest))
            } else {
                ("", (first, rest))
            };
            read_json_args(rest, "The arguments", true)?;
            (*namespace, *event, *args) = (on.to_string(), name.to_string(), rest.to_string());
        }
        StepKind::Call { method, params, .. } => {
            let (name, rest) = split_word(text.trim());
            read_json_args(rest, "The params", false)?;
            (*method, *params) = (name.to_string(), rest.to_string());
        }
        StepKind::ExpectMessage { matcher, .. }
        | StepKind::ExpectNoMessage { matcher, .. }
        | StepKind::ExpectMessages { matcher, .. }
        | StepKind::ExpectEvent { matcher, .. }
        | StepKind::ExpectResult { matcher, .. } => *matcher = read_matcher(matcher, text)?,
    }
    Ok(())
}

/// The first word of `text` and the rest, trimmed.
fn split_word(text: &str) -> (&str, &str) {
    match text.split_once(char::is_whitespace) {
        Some((word, rest)) => (word, rest.trim()),
        None => (text, ""),
    }
}

/// Emit's arguments (an array) or a call's params (an array or object), unless they hold
/// variables, which are read as the step runs.
fn read_json_args(text: &str, what: &str, array_only: bool) -> Result<(), String> {
    if text.is_empty() || crate::variables::has_variables(text) {
        return Ok(());
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(_)) => Ok(()),
        Ok(Value::Object(_)) if !array_only => Ok(()),
        Ok(_) if array_only => Err(format!("{what} are a JSON array, like [\"hi\", 1].")),
        Ok(_) => Err(format!("{what} are a JSON array or object, like [42, 23].")),
        Err(e) => Err(format!("{what} are not JSON yet: {e}.")),
    }
}

/// The event an Expect event step waits for, as its Event field shows it; None for others.
pub fn event_name(kind: &StepKind) -> Option<String> {
    match kind {
        StepKind::ExpectEvent { event, .. } => Some(event.clone()),
        _ => None,
    }
}

/// Reads the Event field of an Expect event step: empty waits for any event.
pub fn set_event_name(kind: &mut StepKind, text: &str) -> Result<(), String> {
    if let StepKind::ExpectEvent { event, .. } = kind {
        *event = text.trim().to_string();
    }
    Ok(())
}

fn optional_number<T: std::str::FromStr>(text: &str, what: &str) -> Result<Option<T>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|_| format!("{what} is a number; not \u{201c}{text}\u{201d}."))
}

fn read_matcher(matcher: &Matcher, text: &str) -> Result<Matcher, String> {
    Ok(match matcher {
        Matcher::Any => Matcher::Any,
        Matcher::Equals(_) => Matcher::Equals(text.to_string()),
        Matcher::Contains(_) => Matcher::Contains(text.to_string()),
        Matcher::Regex(_) => {
            regex_lite::Regex::new(text).map_err(|e| format!("Not a regular expression: {e}"))?;
            Matcher::Regex(text.to_string())
        }
        Matcher::BinaryEquals(_) => Matcher::BinaryEquals(hex(text)?),
        Matcher::BinaryPrefix(_) => Matcher::BinaryPrefix(hex(text)?),
        Matcher::JsonSubset(_) => Matcher::JsonSubset(
            serde_json::from_str(text).map_err(|e| format!("Not JSON yet: {e}."))?,
        ),
        Matcher::JsonPointer(_) => Matcher::JsonPointer(pointer(text)?),
        Matcher::Size(_) => Matcher::Size(size(text)?),
    })
}

fn hex(text: &str) -> Result<String, String> {
    crate::compose::parse_hex(text)
        .map(|_| text.to_string())
        .map_err(|e| e.to_string())
}

fn pointer(text: &str) -> Result<PointerMatch, String> {
    let text = text.trim();
    let check = |pointer: &str| -> Result<String, String> {
        let pointer = pointer.trim();
        if pointer.is_empty() || pointer.starts_with('/') {
            Ok(pointer.to_string())
        } else {
            Err(format!(
                "A JSON Pointer starts with / (like /user/id); not \u{201c}{pointer}\u{201d}."
            ))
        }
    };
    if let Some((at, value)) = text.split_once(" = ") {
        // A value that is not JSON is meant as a string: `/name = Ada`.
        let value = serde_json::from_str(value.trim())
            .unwrap_or_else(|_| Value::String(value.trim().to_string()));
        return Ok(PointerMatch {
            pointer: check(at)?,
            equals: Some(value),
            ..PointerMatch::default()
        });
    }
    if let Some((at, pattern)) = text.split_once(" ~ ") {
        regex_lite::Regex::new(pattern.trim())
            .map_err(|e| format!("Not a regular expression: {e}"))?;
        return Ok(PointerMatch {
            pointer: check(at)?,
            matches: Some(pattern.trim().to_string()),
            ..PointerMatch::default()
        });
    }
    if let Some(at) = text.strip_suffix(" absent") {
        return Ok(PointerMatch {
            pointer: check(at)?,
            exists: Some(false),
            ..PointerMatch::default()
        });
    }
    Ok(PointerMatch {
        pointer: check(text)?,
        ..PointerMatch::default()
    })
}

fn size(text: &str) -> Result<SizeRange, String> {
    let (min, max) = text.split_once('-').unwrap_or((text, text));
    Ok(SizeRange {
        min: optional_number(min, "A size")?,
        max: optional_number(max, "A size")?,
    })
}

/// What the Close reason field shows for an Expect close step: the regular expression the
/// reason must match, empty for none; None for other kinds, which have no such field.
pub fn close_reason(kind: &StepKind) -> Option<String> {
    match kind {
        StepKind::ExpectClose { reason, .. } => Some(reason.clone().unwrap_or_default()),
        _ => None,
    }
}

/// Reads the Close reason field: empty checks no reason; Err says why a pattern does not
/// compile (the step keeps the pattern it had, and the field keeps the text).
pub fn set_close_reason(kind: &mut StepKind, text: &str) -> Result<(), String> {
    if let StepKind::ExpectClose { reason, .. } = kind {
        *reason = if text.is_empty() {
            None
        } else {
            regex_lite::Regex::new(text).map_err(|e| format!("Not a regular expression: {e}"))?;
            Some(text.to_string())
        };
    }
    Ok(())
}

/// What the Refusal status field shows: the HTTP status a Connect expecting refusal wants,
/// empty for any; None for a Connect that expects to open, and other kinds.
pub fn refusal_status(kind: &StepKind) -> Option<String> {
    match kind {
        StepKind::Connect {
            refused: true,
            status,
            ..
        } => Some(status.map(|s| s.to_string()).unwrap_or_default()),
        _ => None,
    }
}

/// Reads the Refusal status field; empty expects any refusal. Err says why not.
pub fn set_refusal_status(kind: &mut StepKind, text: &str) -> Result<(), String> {
    if let StepKind::Connect {
        refused: true,
        status,
        ..
    } = kind
    {
        *status = read_status(text)?;
    }
    Ok(())
}

/// An HTTP status as the file format allows it (100 to 599), or none for empty text.
fn read_status(text: &str) -> Result<Option<u16>, String> {
    let wrong = || {
        format!(
            "An HTTP status is a number from 100 to 599, like 401; not \u{201c}{}\u{201d}.",
            text.trim()
        )
    };
    match optional_number::<u16>(text, "An HTTP status").map_err(|_| wrong())? {
        Some(status) if !(100..=599).contains(&status) => Err(wrong()),
        status => Ok(status),
    }
}

/// Whether a Connect step's Expect refusal is ticked.
pub fn expects_refusal(kind: &StepKind) -> bool {
    matches!(kind, StepKind::Connect { refused: true, .. })
}

/// Ticks or clears Expect refusal: a refusal has no subprotocol, and a new one any status.
pub fn set_expects_refusal(kind: &mut StepKind, on: bool) {
    if let StepKind::Connect {
        refused,
        status,
        subprotocol,
        ..
    } = kind
    {
        (*refused, *status, *subprotocol) = (on, None, None);
    }
}

/// The label of an expect step's checkbox that passes over what does not match, if it has one.
pub fn skip_label(kind: &StepKind) -> Option<&'static str> {
    match kind {
        StepKind::ExpectMessage { .. } => Some("Skip other messages"),
        StepKind::ExpectEvent { .. } => Some("Skip other events"),
        _ => None,
    }
}

pub fn skips_others(kind: &StepKind) -> bool {
    matches!(
        kind,
        StepKind::ExpectMessage {
            mode: Mode::SkipUntil,
            ..
        } | StepKind::ExpectEvent {
            mode: Mode::SkipUntil,
            ..
        }
    )
}

pub fn set_skips_others(kind: &mut StepKind, on: bool) {
    if let StepKind::ExpectMessage { mode, .. } | StepKind::ExpectEvent { mode, .. } = kind {
        *mode = if on { Mode::SkipUntil } else { Mode::Next };
    }
}

/// The checkbox of a step that speaks a protocol (Acknowledgement, Notification, Expect an
/// error), if it has one with the request's `protocol` (a Socket.IO ack has no error).
pub fn protocol_flag_label(kind: &StepKind, protocol: Protocol) -> Option<&'static str> {
    match kind {
        StepKind::Emit { .. } => Some("Acknowledgement"),
        StepKind::Call { .. } => Some("Notification"),
        StepKind::ExpectResult { .. } if protocol != Protocol::SocketIo => Some("Expect an error"),
        _ => None,
    }
}

pub fn protocol_flag(kind: &StepKind) -> bool {
    match kind {
        StepKind::Emit { ack: on, .. }
        | StepKind::Call {
            notification: on, ..
        }
        | StepKind::ExpectResult { error: on, .. } => *on,
        _ => false,
    }
}

pub fn set_protocol_flag(kind: &mut StepKind, on: bool) {
    if let StepKind::Emit { ack: flag, .. }
    | StepKind::Call {
        notification: flag, ..
    }
    | StepKind::ExpectResult { error: flag, .. } = kind
    {
        *flag = on;
    }
}

/// The step's time in ms as the Timeout (ms) field shows it: how long it waits, or for
/// Wait how long it pauses; None for steps that do not wait.
pub fn timeout_ms(kind: &StepKind) -> Option<u64> {
    match kind {
        StepKind::Connect { timeout_ms, .. }
        | StepKind::ExpectMessage { timeout_ms, .. }
        | StepKind::ExpectEvent { timeout_ms, .. }
        | StepKind::ExpectResult { timeout_ms, .. }
        | StepKind::ExpectClose { timeout_ms, .. } => Some(*timeout_ms),
        StepKind::ExpectNoMessage { for_ms, .. } => Some(*for_ms),
        StepKind::ExpectMessages { within_ms, .. } => Some(*within_ms),
        StepKind::Wait { ms } => Some(*ms),
        StepKind::Send { .. }
        | StepKind::Close { .. }
        | StepKind::Emit { .. }
        | StepKind::Call { .. } => None,
    }
}

/// Reads the Timeout (ms) field; Err says why not.
pub fn set_timeout_ms(kind: &mut StepKind, text: &str) -> Result<(), String> {
    let ms: u64 = text.trim().parse().map_err(|_| {
        format!(
            "A time in milliseconds is a whole number, like 5000; not \u{201c}{}\u{201d}.",
            text.trim()
        )
    })?;
    match kind {
        StepKind::Connect { timeout_ms, .. }
        | StepKind::ExpectMessage { timeout_ms, .. }
        | StepKind::ExpectEvent { timeout_ms, .. }
        | StepKind::ExpectResult { timeout_ms, .. }
        | StepKind::ExpectClose { timeout_ms, .. } => *timeout_ms = ms,
        StepKind::ExpectNoMessage { for_ms, .. } => *for_ms = ms,
        StepKind::ExpectMessages { within_ms, .. } => *within_ms = ms,
        StepKind::Wait { ms: wait } => *wait = ms,
        StepKind::Send { .. }
        | StepKind::Close { .. }
        | StepKind::Emit { .. }
        | StepKind::Call { .. } => {}
    }
    Ok(())
}

/// The first capture of an Expect message step as the row's two fields show it: the
/// variable's name and where it comes from (a JSON Pointer, or a regular expression).
pub fn capture_text(kind: &StepKind) -> (String, String) {
    match kind {
        StepKind::ExpectMessage { capture, .. }
        | StepKind::ExpectEvent { capture, .. }
        | StepKind::ExpectResult { capture, .. } => capture
            .first()
            .map(|c| {
                (
                    c.name.clone(),
                    c.pointer
                        .clone()
                        .or_else(|| c.regex.clone())
                        .unwrap_or_default(),
                )
            })
            .unwrap_or_default(),
        _ => Default::default(),
    }
}

/// Sets that capture: a source starting with `/` is a JSON Pointer, anything else a regular
/// expression whose first group is taken. An empty name removes it.
pub fn set_capture(kind: &mut StepKind, name: &str, from: &str) -> Result<(), String> {
    let (StepKind::ExpectMessage { capture, .. }
    | StepKind::ExpectEvent { capture, .. }
    | StepKind::ExpectResult { capture, .. }) = kind
    else {
        return Ok(());
    };
    let (name, from) = (name.trim(), from.trim());
    if name.is_empty() {
        capture.clear();
        return Ok(());
    }
    let item = if from.starts_with('/') || from.is_empty() {
        Capture {
            name: name.to_string(),
            pointer: Some(from.to_string()),
            regex: None,
            group: 1,
        }
    } else {
        regex_lite::Regex::new(from).map_err(|e| format!("Not a regular expression: {e}"))?;
        Capture {
            name: name.to_string(),
            pointer: None,
            regex: Some(from.to_string()),
            group: 1,
        }
    };
    *capture = vec![item];
    Ok(())
}

impl Scenario {
    /// Add step: a new step after the others, of a kind that usually follows the last one.
    pub fn add_step(&mut self) -> u64 {
        let id = self.next_id();
        let kind = match self.steps.last().map(|s| &s.kind) {
            None => "Connect",
            Some(StepKind::Connect { .. } | StepKind::ExpectMessage { .. }) => "Send",
            Some(StepKind::Close { .. }) => "Expect close",
            Some(_) => "Expect message",
        };
        let previous = StepKind::Wait { ms: 0 };
        if let Some(kind) = with_kind(kind, &previous) {
            self.steps.push(Step::new(id, kind));
        }
        id
    }

    /// The step with `id`, to edit in place.
    pub fn step_mut(&mut self, id: u64) -> Option<&mut StepKind> {
        self.steps
            .iter_mut()
            .find(|s| s.id == id)
            .map(|s| &mut s.kind)
    }

    pub fn remove_step(&mut self, id: u64) {
        self.steps.retain(|s| s.id != id);
    }

    /// A copy of the step right after it, with an id of its own.
    pub fn duplicate_step(&mut self, id: u64) {
        let next = self.next_id();
        if let Some(at) = self.steps.iter().position(|s| s.id == id)
            && let Some(step) = self.steps.get(at).cloned()
        {
            self.steps.insert(at + 1, Step::new(next, step.kind));
        }
    }

    /// Moves the step `by` places (up when negative), stopping at either end.
    pub fn move_step(&mut self, id: u64, by: isize) {
        let Some(at) = self.steps.iter().position(|s| s.id == id) else {
            return;
        };
        let to = at
            .saturating_add_signed(by)
            .min(self.steps.len().saturating_sub(1));
        if to != at {
            let step = self.steps.remove(at);
            self.steps.insert(to, step);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn expect(matcher: Matcher) -> StepKind {
        StepKind::ExpectMessage {
            matcher,
            mode: Mode::Next,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            capture: vec![],
        }
    }

    #[test]
    fn every_kind_and_match_label_reads_back() {
        let mut kind = StepKind::Wait { ms: 5 };
        for label in KINDS {
            kind = with_kind(label, &kind).unwrap();
            assert_eq!(kind_label(&kind), label);
        }
        let mut kind = expect(Matcher::Any);
        for label in MATCHES {
            set_match(&mut kind, label);
            assert_eq!(matcher(&kind).map(matcher_label), Some(label));
        }
        assert_eq!(with_kind("Dance", &kind), None);
    }

    #[test]
    fn expected_text_round_trips_through_each_form() {
        let cases = [
            (Matcher::Equals(String::new()), "hello {{name}}"),
            (Matcher::Contains(String::new()), "ell"),
            (Matcher::Regex(String::new()), "^h.*o$"),
            (Matcher::JsonSubset(json!({})), r#"{"type":"welcome"}"#),
            (Matcher::JsonPointer(PointerMatch::default()), "/id = 7"),
            (Matcher::JsonPointer(PointerMatch::default()), "/name ~ ^A"),
            (Matcher::JsonPointer(PointerMatch::default()), "/token"),
            (
                Matcher::JsonPointer(PointerMatch::default()),
                "/error absent",
            ),
            (Matcher::BinaryPrefix(String::new()), "01 ff"),
            (Matcher::Size(SizeRange::default()), "10-200"),
            (Matcher::Size(SizeRange::default()), "-200"),
        ];
        for (matcher, text) in cases {
            let mut kind = expect(matcher);
            set_expected(&mut kind, text).unwrap();
            assert_eq!(expected_text(&kind), text);
        }
    }

    #[test]
    fn text_that_does_not_read_is_refused_and_the_step_kept() {
        let mut kind = expect(Matcher::JsonSubset(json!({"a": 1})));
        assert!(set_expected(&mut kind, "{\"a\": ").is_err());
        assert_eq!(expected_text(&kind), r#"{"a":1}"#);
        let mut regex = expect(Matcher::Regex("a".into()));
        assert!(set_expected(&mut regex, "(").is_err());
        assert!(set_expected(&mut expect(Matcher::BinaryEquals(String::new())), "0g").is_err());
        assert!(
            set_expected(
                &mut expect(Matcher::JsonPointer(PointerMatch::default())),
                "id"
            )
            .is_err()
        );
        let mut close = with_kind("Close", &kind).unwrap();
        assert!(set_expected(&mut close, "bye").is_err());
        set_expected(&mut close, "4000 done now").unwrap();
        assert_eq!(
            close,
            StepKind::Close {
                code: 4000,
                reason: "done now".into()
            }
        );
    }

    #[test]
    fn a_pointer_value_that_is_not_json_is_a_string() {
        let mut kind = expect(Matcher::JsonPointer(PointerMatch::default()));
        set_expected(&mut kind, "/name = Ada").unwrap();
        assert_eq!(
            matcher(&kind),
            Some(&Matcher::JsonPointer(PointerMatch {
                pointer: "/name".into(),
                equals: Some(json!("Ada")),
                ..PointerMatch::default()
            }))
        );
    }

    #[test]
    fn timeouts_and_captures_read_or_say_why_not() {
        let mut kind = expect(Matcher::Any);
        set_timeout_ms(&mut kind, " 250 ").unwrap();
        assert_eq!(timeout_ms(&kind), Some(250));
        assert!(set_timeout_ms(&mut kind, "soon").is_err());
        assert!(set_timeout_ms(&mut kind, "-1").is_err());
        set_capture(&mut kind, "token", "/token").unwrap();
        assert_eq!(capture_text(&kind), ("token".into(), "/token".into()));
        set_capture(&mut kind, "n", r"id=(\d+)").unwrap();
        assert_eq!(capture_text(&kind), ("n".into(), r"id=(\d+)".into()));
        assert!(set_capture(&mut kind, "n", "(").is_err());
        set_capture(&mut kind, "", "").unwrap();
        assert_eq!(capture_text(&kind), (String::new(), String::new()));
    }

    #[test]
    fn checkboxes_read_and_set_what_their_kind_has() {
        let mut connect = with_kind("Connect", &StepKind::Wait { ms: 0 }).unwrap();
        set_expected(&mut connect, "chat").unwrap();
        set_expects_refusal(&mut connect, true);
        assert!(expects_refusal(&connect));
        assert_eq!(expected_text(&connect), "");
        let mut event = with_kind("Expect event", &connect).unwrap();
        assert_eq!(skip_label(&event), Some("Skip other events"));
        set_skips_others(&mut event, true);
        assert!(skips_others(&event));
        assert_eq!(protocol_flag_label(&event, Protocol::SocketIo), None);
        let result = with_kind("Expect result", &event).unwrap();
        assert_eq!(protocol_flag_label(&result, Protocol::SocketIo), None);
        assert_eq!(
            protocol_flag_label(&result, Protocol::JsonRpc),
            Some("Expect an error")
        );
        let mut emit = with_kind("Emit", &event).unwrap();
        assert_eq!(
            protocol_flag_label(&emit, Protocol::SocketIo),
            Some("Acknowledgement")
        );
        set_protocol_flag(&mut emit, true);
        assert!(protocol_flag(&emit));
        set_expected(&mut emit, r#"/admin chat ["hi", 1]"#).unwrap();
        assert_eq!(
            emit,
            StepKind::Emit {
                event: "chat".into(),
                args: r#"["hi", 1]"#.into(),
                namespace: "/admin".into(),
                ack: true
            }
        );
        assert_eq!(expected_text(&emit), r#"/admin chat ["hi", 1]"#);
        assert!(set_expected(&mut emit, "chat {").is_err());
        assert!(set_expected(&mut emit, r#"chat {"a": 1}"#).is_err());
        let mut call = with_kind("Call", &emit).unwrap();
        set_expected(&mut call, r#"subtract {"a": {{x}}}"#).unwrap();
        assert_eq!(expected_text(&call), r#"subtract {"a": {{x}}}"#);
        assert!(set_expected(&mut call, "subtract 7").is_err());
    }

    #[test]
    fn steps_are_added_moved_duplicated_and_removed_by_id() {
        let mut scenario = Scenario::default();
        let connect = scenario.add_step();
        let send = scenario.add_step();
        let expect = scenario.add_step();
        let kinds = |s: &Scenario| {
            s.steps
                .iter()
                .map(|s| kind_label(&s.kind))
                .collect::<Vec<_>>()
        };
        assert_eq!(kinds(&scenario), ["Connect", "Send", "Expect message"]);
        scenario.move_step(expect, -5);
        scenario.move_step(connect, 1);
        let ids = |s: &Scenario| s.steps.iter().map(|s| s.id).collect::<Vec<_>>();
        assert_eq!(ids(&scenario), [expect, send, connect]);
        scenario.duplicate_step(connect);
        assert_eq!(ids(&scenario), [expect, send, connect, 4]);
        scenario.remove_step(connect);
        scenario.move_step(send, 9);
        assert_eq!(ids(&scenario), [expect, 4, send]);
        if let Some(kind) = scenario.step_mut(4) {
            *kind = StepKind::Wait { ms: 3 };
        }
        assert_eq!(kinds(&scenario), ["Expect message", "Wait", "Send"]);
    }

    #[test]
    fn a_refused_connect_reads_a_status() {
        let mut kind = StepKind::Connect {
            timeout_ms: 1,
            subprotocol: None,
            refused: true,
            status: None,
        };
        set_expected(&mut kind, "401").unwrap();
        assert_eq!(expected_text(&kind), "401");
        assert!(set_expected(&mut kind, "four").is_err());
    }

    #[test]
    fn an_expect_close_reads_a_reason_pattern_and_keeps_the_last_good_one() {
        let mut kind = with_kind("Expect close", &StepKind::Wait { ms: 0 }).unwrap();
        assert_eq!(close_reason(&kind).as_deref(), Some(""));
        set_close_reason(&mut kind, "^bye( now)?$").unwrap();
        assert_eq!(close_reason(&kind).as_deref(), Some("^bye( now)?$"));
        // A pattern that does not compile says why; the step keeps the pattern it had.
        let why = set_close_reason(&mut kind, "(bye").unwrap_err();
        assert!(why.contains("regular expression"), "{why}");
        assert_eq!(close_reason(&kind).as_deref(), Some("^bye( now)?$"));
        // The code is the Expected field's; the reason leaves it as it is.
        set_expected(&mut kind, "4001").unwrap();
        set_close_reason(&mut kind, "").unwrap();
        assert_eq!(
            kind,
            StepKind::ExpectClose {
                code: Some(4001),
                reason: None,
                timeout_ms: DEFAULT_TIMEOUT_MS
            }
        );
        assert_eq!(close_reason(&with_kind("Close", &kind).unwrap()), None);
        let mut close = with_kind("Close", &kind).unwrap();
        assert!(set_close_reason(&mut close, "x").is_ok());
        assert_eq!(close_reason(&close), None);
    }

    #[test]
    fn only_a_connect_expecting_refusal_has_a_refusal_status() {
        let mut kind = with_kind("Connect", &StepKind::Wait { ms: 0 }).unwrap();
        assert_eq!(refusal_status(&kind), None);
        if let StepKind::Connect { refused, .. } = &mut kind {
            *refused = true;
        }
        assert_eq!(refusal_status(&kind).as_deref(), Some(""));
        set_refusal_status(&mut kind, " 403 ").unwrap();
        assert_eq!(refusal_status(&kind).as_deref(), Some("403"));
        for bad in ["four", "70000", "-1", "99", "600"] {
            let why = set_refusal_status(&mut kind, bad).unwrap_err();
            assert!(why.contains("HTTP status"), "{why}");
            assert_eq!(refusal_status(&kind).as_deref(), Some("403"));
        }
        set_refusal_status(&mut kind, "").unwrap();
        assert!(matches!(
            kind,
            StepKind::Connect {
                refused: true,
                status: None,
                ..
            }
        ));
    }
}
