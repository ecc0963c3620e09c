//! Property tests that reach past the first check: they start from valid relay messages and
//! valid upgrade requests and damage them (flip bits, cut them short, splice two together,
//! put odd values in fields), so most inputs get deep into the parsers before anything fails.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::http_head::{self, RequestHead};
use super::{ControlRequest, RelayMessage};
use crate::mutate;

/// Valid messages from the relay to the page, one of each shape.
fn relay_messages() -> Vec<String> {
    vec![
        r#"{"type":"handshake","ok":true,"session":"s1","request":{"line":"GET / HTTP/1.1","headers":[["Host","h"]]},"response":{"line":"HTTP/1.1 101 Switching Protocols","headers":[["Upgrade","websocket"]]},"timings":{"dns_ms":0.1,"tcp_ms":0.2,"tls_ms":null,"upgrade_ms":1.5},"protocol":"chat","extensions":""}"#.into(),
        r#"{"type":"handshake","ok":false,"stage":"tls","error":"tls","request":{"line":"GET / HTTP/1.1","headers":[]},"response":{"line":"HTTP/1.1 401 Unauthorized","headers":[],"body":"no"},"certificate":{"subject":"CN=a","issuer":"CN=b","not_before":"x","not_after":"y"},"timings":{}}"#.into(),
        r#"{"type":"pong","id":7,"rtt_ms":1.5}"#.into(),
        r#"{"type":"server_ping","payload_hex":"ab"}"#.into(),
        r#"{"type":"closed","code":1000,"reason":"bye","clean":true}"#.into(),
        r#"{"type":"error","error":"boom"}"#.into(),
    ]
}

/// Valid messages from the page to the relay.
fn control_requests() -> Vec<String> {
    vec![
        r#"{"type":"connect","url":"ws://127.0.0.1:9001/echo","subprotocols":["chat"],"headers":[["Authorization","Bearer t"]],"timeout_ms":10000}"#.into(),
        r#"{"type":"connect","url":"ws://x"}"#.into(),
        r#"{"type":"ping","id":3}"#.into(),
        r#"{"type":"close","code":4000,"reason":"bye"}"#.into(),
        r#"{"type":"close"}"#.into(),
    ]
}

/// Valid upgrade requests as pages and clients send them.
fn request_heads() -> Vec<String> {
    vec![
        "GET /control?token=a+b%2Bc HTTP/1.1\r\nHost: 127.0.0.1:9797\r\nConnection: Upgrade\r\n\
         Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
         Origin: http://localhost:8080\r\n\r\n"
            .into(),
        "GET /data?token=t&session=0123abcd HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Upgrade\r\n\
         Upgrade: WebSocket\r\nSec-WebSocket-Key: k\r\nSec-WebSocket-Protocol: a, b\r\n\r\n\x01\x00"
            .into(),
        "GET / HTTP/1.1\r\nHost: h\r\n\r\n".into(),
    ]
}

/// Values that a field should not hold, and some it may.
fn odd_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(json!(-1)),
        Just(json!(1.5)),
        Just(json!(u64::MAX)),
        Just(json!(1e308)),
        Just(json!(true)),
        Just(json!([])),
        Just(json!({})),
        Just(json!([["a", "b", "c"]])),
        Just(json!("connect")),
        ".{0,8}".prop_map(Value::String),
        any::<i64>().prop_map(|n| json!(n)),
    ]
}

/// One way of damaging a valid text.
#[derive(Clone, Debug)]
enum Damage {
    /// A bit flipped, a cut, a splice with the other text, or an insert (`crate::mutate`).
    Bytes(mutate::Edit),
    /// The n-th field (in a walk of the JSON) gets this value; for heads, the n-th line.
    Replace(usize, Value),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        3 => mutate::edit().prop_map(Damage::Bytes),
        1 => (any::<usize>(), odd_value()).prop_map(|(n, v)| Damage::Replace(n, v)),
    ]
}

/// `text` damaged one way; `other` is the second text for a splice.
fn apply(
    text: &str,
    other: &str,
    damage: &Damage,
    replace: fn(&str, usize, &Value) -> Vec<u8>,
) -> Vec<u8> {
    match damage {
        Damage::Bytes(edit) => {
            let mut bytes = text.as_bytes().to_vec();
            mutate::apply(&mut bytes, other.as_bytes(), &[*edit]);
            bytes
        }
        Damage::Replace(n, value) => replace(text, *n, value),
    }
}

/// The JSON with the n-th value in a depth-first walk (the whole message counts too) replaced.
fn replace_json(text: &str, n: usize, value: &Value) -> Vec<u8> {
    fn walk(node: &mut Value, n: &mut usize, value: &Value) -> bool {
        if *n == 0 {
            *node = value.clone();
            return true;
        }
        *n -= 1;
        match node {
            Value::Object(map) => map.values_mut().any(|v| walk(v, n, value)),
            Value::Array(items) => items.iter_mut().any(|v| walk(v, n, value)),
            _ => false,
        }
    }
    let Ok(mut root) = serde_json::from_str::<Value>(text) else {
        return text.as_bytes().to_vec();
    };
    // Skip the root most of the time: a whole-message swap stops at the first check.
    let mut n = 1 + n % 40;
    walk(&mut root, &mut n, value);
    root.to_string().into_bytes()
}

/// The head with its n-th line's value (after `: `, or the query) replaced by the value's text.
fn replace_line(text: &str, n: usize, value: &Value) -> Vec<u8> {
    let mut lines: Vec<String> = text.split("\r\n").map(String::from).collect();
    let i = n % lines.len().max(1);
    let new = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if let Some(line) = lines.get_mut(i) {
        *line = match line.split_once(": ").or_else(|| line.split_once('?')) {
            Some((name, _)) if line.contains(": ") => format!("{name}: {new}"),
            Some((path, _)) => format!("{path}?{new} HTTP/1.1"),
            None => new,
        };
    }
    lines.join("\r\n").into_bytes()
}

/// Reads a request head as the relay does, `chunk` bytes at a time.
fn read_in_chunks(sent: &[u8], chunk: usize) -> Option<RequestHead> {
    struct Peer<'s>(&'s [u8], usize);
    fn read<'a>(peer: &'a mut Peer<'_>, buf: &'a mut [u8]) -> http_head::ReadFuture<'a> {
        let n = peer.0.len().min(buf.len()).min(peer.1);
        buf[..n].copy_from_slice(&peer.0[..n]);
        peer.0 = &peer.0[n..];
        Box::pin(std::future::ready(Ok(n)))
    }
    let mut peer = Peer(sent, chunk.max(1));
    let future = http_head::read_request(&mut peer, 4096, read);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match std::pin::pin!(future).poll(&mut cx) {
        std::task::Poll::Ready(head) => head,
        std::task::Poll::Pending => panic!("the reads are all ready at once"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn damaged_relay_messages_parse_or_say_why(
        (a, b) in (0..6usize, 0..6usize),
        damage in damage(),
    ) {
        let all = relay_messages();
        let text = apply(&all[a], &all[b], &damage, replace_json);
        match RelayMessage::parse(&String::from_utf8_lossy(&text)) {
            // What parses is a whole message: written out, it reads back.
            Ok(message) => prop_assert!(RelayMessage::parse(&message.to_json()).is_ok()),
            Err(e) => prop_assert!(e.starts_with("the relay sent something this page does not understand ("), "{}", e),
        }
    }

    #[test]
    fn damaged_control_requests_parse_or_say_why(
        (a, b) in (0..5usize, 0..5usize),
        damage in damage(),
    ) {
        let all = control_requests();
        let text = apply(&all[a], &all[b], &damage, replace_json);
        match serde_json::from_str::<ControlRequest>(&String::from_utf8_lossy(&text)) {
            Ok(request) => prop_assert!(serde_json::from_str::<ControlRequest>(&request.to_json()).is_ok()),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn damaged_request_heads_are_read_or_refused_the_same_in_any_chunks(
        (a, b) in (0..3usize, 0..3usize),
        damage in damage(),
        chunk in 1..64usize,
    ) {
        let all = request_heads();
        let sent = apply(&all[a], &all[b], &damage, replace_line);
        let whole = read_in_chunks(&sent, sent.len());
        let chunked = read_in_chunks(&sent, chunk);
        match (&whole, &chunked) {
            (None, None) => {}
            (Some(w), Some(c)) => {
                prop_assert_eq!((&w.path, &w.params, &w.headers), (&c.path, &c.params, &c.headers));
                prop_assert!(!w.path.contains('?') && w.leftover.len() < sent.len());
            }
            _ => prop_assert!(false, "read whole: {}, in chunks of {chunk}: {}", whole.is_some(), chunked.is_some()),
        }
    }
}

/// The damage mostly leaves parsable JSON, so the properties above test more than the tokenizer.
#[test]
fn replaced_fields_keep_the_json_valid() {
    for text in relay_messages().iter().chain(&control_requests()) {
        for n in 0..40 {
            let damaged = replace_json(text, n, &json!(-1));
            assert!(
                serde_json::from_slice::<Value>(&damaged).is_ok(),
                "{text} {n}"
            );
        }
    }
}
