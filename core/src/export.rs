//! Log entries as JSON Lines, so a saved log can be read by jq and scripts.

use crate::clock::iso_utc;
use crate::encoding::{base64, json_string};
use crate::log::{LogEntry, Payload};

impl LogEntry {
    /// One JSON object without a trailing newline; binary payloads as base64 strings, and
    /// what the protocol made of the frame, if anything, as `note`.
    pub fn to_json_line(&self) -> String {
        let payload = match &self.payload {
            Payload::Text(text) | Payload::Event(text) => json_string(text),
            Payload::Binary(bytes) => format!("\"{}\"", base64(bytes)),
        };
        let note = self
            .note
            .as_ref()
            .map(|n| format!(",\"note\":{}", json_string(&n.summary)))
            .unwrap_or_default();
        format!(
            "{{\"seq\":{},\"time\":\"{}\",\"direction\":\"{}\",\"kind\":\"{}\",\"size\":{},\"payload\":{payload}{note}}}",
            self.seq,
            iso_utc(self.time_ms),
            self.direction.word(),
            self.payload.kind(),
            self.payload.size(),
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::json_view::{self, JsonNode};
    use crate::log::{Direction, LogEntry, Payload};
    use proptest::prelude::*;

    const TIME: f64 = 1_795_638_077_462.0;

    fn entry(direction: Direction, payload: Payload) -> LogEntry {
        LogEntry {
            seq: 7,
            time_ms: TIME,
            direction,
            payload,
            note: None,
        }
    }

    #[test]
    fn writes_each_kind_of_entry() {
        let sent = entry(
            Direction::Sent,
            Payload::Text("say \"hi\"\\\n\u{1}é".into()),
        );
        assert_eq!(
            sent.to_json_line(),
            r#"{"seq":7,"time":"2026-11-25T20:21:17.462Z","direction":"sent","kind":"text","size":13,"payload":"say \"hi\"\\\n\u0001é"}"#
        );
        let binary = entry(Direction::Received, Payload::Binary(b"foob".to_vec()));
        assert_eq!(
            binary.to_json_line(),
            r#"{"seq":7,"time":"2026-11-25T20:21:17.462Z","direction":"received","kind":"binary","size":4,"payload":"Zm9vYg=="}"#
        );
        let event = entry(Direction::Event, Payload::Event("Closed 1000".into()));
        assert_eq!(
            event.to_json_line(),
            r#"{"seq":7,"time":"2026-11-25T20:21:17.462Z","direction":"event","kind":"event","size":0,"payload":"Closed 1000"}"#
        );
        let noted = LogEntry {
            note: Some(Box::new(crate::log::EntryNote {
                summary: "ack 0 [\"pong\"] \u{b7} 3.1 ms".into(),
                heartbeat: false,
                problem: false,
            })),
            ..entry(Direction::Received, Payload::Text("430[\"pong\"]".into()))
        };
        assert_eq!(
            noted.to_json_line(),
            r#"{"seq":7,"time":"2026-11-25T20:21:17.462Z","direction":"received","kind":"text","size":11,"payload":"430[\"pong\"]","note":"ack 0 [\"pong\"] · 3.1 ms"}"#
        );
    }

    fn payload() -> impl Strategy<Value = Payload> {
        prop_oneof![
            any::<String>().prop_map(Payload::Text),
            proptest::collection::vec(any::<u8>(), 0..64).prop_map(Payload::Binary),
            any::<String>().prop_map(Payload::Event),
        ]
    }

    proptest! {
        #[test]
        fn every_line_is_one_json_object(
            payload in payload(),
            seq in any::<u64>(),
            time_ms in any::<f64>(),
            direction in prop_oneof![Just(Direction::Sent), Just(Direction::Received), Just(Direction::Event)],
        ) {
            let line = LogEntry { seq, time_ms, direction, payload, note: None }.to_json_line();
            prop_assert!(!line.contains('\n'));
            let parsed = json_view::parse(&line);
            let keys: Option<Vec<&str>> = match &parsed {
                Some(JsonNode::Object(members)) => Some(members.iter().map(|(k, _)| k.as_str()).collect()),
                _ => None,
            };
            let expected = ["\"seq\"", "\"time\"", "\"direction\"", "\"kind\"", "\"size\"", "\"payload\""];
            prop_assert_eq!(keys, Some(expected.to_vec()));
        }
    }
}
