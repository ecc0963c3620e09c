//! Request and response paired on a raw WebSocket by a value both carry, found by a JSON
//! Pointer (RFC 6901) such as `/id`: many APIs echo a request id, and the pair's round trip
//! is the server's latency.

use serde_json::Value;

use crate::protocol::note::elapsed;
use crate::protocol::pending::Pending;

/// Sent messages waiting for their answer; past this the oldest are forgotten.
const MAX_PENDING: usize = 10_000;

#[derive(Debug, Clone)]
pub struct Correlator {
    pointer: String,
    /// Sent time by the value's canonical JSON.
    pending: Pending<String, f64>,
}

impl Correlator {
    /// A correlator on `pointer`, or why it is not a JSON Pointer.
    pub fn new(pointer: &str) -> Result<Self, String> {
        check_pointer(pointer)?;
        Ok(Self {
            pointer: pointer.to_string(),
            pending: Pending::new(MAX_PENDING),
        })
    }

    /// Remembers a sent message's value at the pointer; returns it as JSON, or None when the
    /// message is not JSON or has nothing there.
    pub fn on_sent(&mut self, text: &str, now_ms: f64) -> Option<String> {
        let key = self.key(text)?;
        self.pending.insert(key.clone(), now_ms);
        Some(key)
    }

    /// The value and round trip when a received message answers a sent one (once only).
    pub fn on_received(&mut self, text: &str, now_ms: f64) -> Option<(String, f64)> {
        let key = self.key(text)?;
        let sent_ms = self.pending.remove(&key)?;
        Some((key, elapsed(sent_ms, now_ms)))
    }

    fn key(&self, text: &str) -> Option<String> {
        let value: Value = serde_json::from_str(text).ok()?;
        value.pointer(&self.pointer).map(Value::to_string)
    }
}

/// RFC 6901: empty (the whole message), or `/`-separated names where `~` is only `~0` or `~1`.
fn check_pointer(pointer: &str) -> Result<(), String> {
    if !pointer.is_empty() && !pointer.starts_with('/') {
        return Err(format!(
            "A JSON Pointer starts with / (as in /id or /data/0/id), or is empty for the whole \
             message; \u{201c}{pointer}\u{201d} does not."
        ));
    }
    let mut chars = pointer.chars().enumerate().peekable();
    while let Some((at, c)) = chars.next() {
        if c == '~' && !matches!(chars.peek(), Some((_, '0' | '1'))) {
            let found = chars.peek().map_or("the end".to_string(), |(_, c)| {
                format!("\u{201c}{c}\u{201d}")
            });
            return Err(format!(
                "In a JSON Pointer, ~ is written ~0 and a / inside a name ~1; the ~ at character \
                 {} is followed by {found}.",
                at.saturating_add(1)
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn pairs_by_the_value_at_the_pointer() {
        let mut c = Correlator::new("/id").unwrap();
        assert_eq!(
            c.on_sent(r#"{"id": 7, "op": "get"}"#, 100.0),
            Some("7".into())
        );
        assert_eq!(c.on_sent(r#"{"id": "7"}"#, 110.0), Some("\"7\"".into()));
        assert_eq!(c.on_sent("not json", 120.0), None);
        assert_eq!(c.on_sent(r#"{"other": 1}"#, 120.0), None);
        assert_eq!(
            c.on_received(r#"{"id":"7","ok":true}"#, 115.0),
            Some(("\"7\"".into(), 5.0))
        );
        assert_eq!(
            c.on_received(r#"{"ok":true,"id":7}"#, 130.5),
            Some(("7".into(), 30.5))
        );
        assert_eq!(c.on_received(r#"{"id":7}"#, 140.0), None, "paired once");
        assert_eq!(c.on_received("[", 140.0), None);
    }

    #[test]
    fn pointers_reach_into_arrays_and_escaped_names() {
        let mut c = Correlator::new("/data/0/a~1b~0c").unwrap();
        c.on_sent(r#"{"data":[{"a/b~c":{"x":1}}]}"#, 0.0);
        assert_eq!(
            c.on_received(r#"{"data":[{"a/b~c":{"x":1}}]}"#, 2.0),
            Some((r#"{"x":1}"#.into(), 2.0))
        );
        let mut whole = Correlator::new("").unwrap();
        whole.on_sent("[1, 2]", 0.0);
        assert_eq!(whole.on_received("[1,2]", 1.0), Some(("[1,2]".into(), 1.0)));
    }

    #[test]
    fn bad_pointers_say_what_is_wrong() {
        assert_eq!(
            Correlator::new("id").err().as_deref(),
            Some(
                "A JSON Pointer starts with / (as in /id or /data/0/id), or is empty for the whole message; \u{201c}id\u{201d} does not."
            )
        );
        assert_eq!(
            Correlator::new("/a~2").err().as_deref(),
            Some(
                "In a JSON Pointer, ~ is written ~0 and a / inside a name ~1; the ~ at character 3 is followed by \u{201c}2\u{201d}."
            )
        );
        assert!(
            Correlator::new("/a~")
                .err()
                .is_some_and(|e| e.ends_with("followed by the end."))
        );
        assert!(Correlator::new("/~0/~1/").is_ok());
    }

    #[test]
    fn memory_is_bounded() {
        let mut c = Correlator::new("/id").unwrap();
        for id in 0..MAX_PENDING + 5 {
            c.on_sent(&format!(r#"{{"id":{id}}}"#), 0.0);
        }
        assert_eq!(
            c.on_received(r#"{"id":0}"#, 1.0),
            None,
            "the oldest was forgotten"
        );
        assert!(c.on_received(r#"{"id":5}"#, 1.0).is_some());
    }

    proptest! {
        #[test]
        fn any_pointer_and_text_is_handled(pointer in "(/[a-z~0-9]{0,3}){0,3}|.{0,6}", text in ".{0,30}") {
            if let Ok(mut c) = Correlator::new(&pointer) {
                c.on_sent(&text, 0.0);
                if let Some((_, rtt)) = c.on_received(&text, 1.0) {
                    prop_assert_eq!(rtt, 1.0);
                }
            }
        }
    }
}
