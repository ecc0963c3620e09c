//! Reading the page's control messages. The messages both ways are `wsprobe_core::relay`'s
//! `ControlRequest` and `RelayMessage`, shared with the page.

use serde_json::Value;
use wsprobe_core::relay::ControlRequest;

/// Reads one control message, with an error the page can show when it is not one.
pub fn parse_command(text: &str) -> Result<ControlRequest, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let kind = match value.get("type") {
        Some(Value::String(kind)) => kind.clone(),
        Some(_) => return Err("\"type\" must be a string".to_string()),
        None => return Err("the message has no \"type\"".to_string()),
    };
    if !["connect", "ping", "close"].contains(&kind.as_str()) {
        return Err(format!(
            "unknown message type \"{kind}\" (expected connect, ping or close)"
        ));
    }
    serde_json::from_value(value).map_err(|e| format!("bad {kind} message: {e}"))
}

/// Milliseconds with microsecond precision, which is as fine as these measurements mean anything.
pub fn millis(d: std::time::Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use wsprobe_core::relay::{DEFAULT_TIMEOUT_MS, Handshake, RelayMessage, Stage};

    #[test]
    fn parses_commands_and_explains_bad_ones() {
        let connect = |headers: &[(&str, &str)]| ControlRequest::Connect {
            url: "ws://x".into(),
            subprotocols: vec![],
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
        };
        assert_eq!(
            parse_command(r#"{"type":"connect","url":"ws://x"}"#),
            Ok(connect(&[]))
        );
        assert_eq!(
            parse_command(r#"{"type":"connect","url":"ws://x","headers":[["A","b"]]}"#),
            Ok(connect(&[("A", "b")]))
        );
        assert!(matches!(
            parse_command(r#"{"type":"close"}"#),
            Ok(ControlRequest::Close { code: 1000, .. })
        ));
        assert!(matches!(
            parse_command(r#"{"type":"ping","id":7}"#),
            Ok(ControlRequest::Ping { id: 7 })
        ));
        for (bad, says) in [
            ("{", "not JSON"),
            ("[]", "no \"type\""),
            (r#"{"type":1}"#, "must be a string"),
            (r#"{"type":"jump"}"#, "unknown message type \"jump\""),
            (r#"{"type":"ping"}"#, "bad ping message"),
            (r#"{"type":"ping","id":-1}"#, "bad ping message"),
            (r#"{"type":"connect","headers":"x"}"#, "bad connect message"),
        ] {
            match parse_command(bad) {
                Err(e) => assert!(e.contains(says), "{bad}: {e}"),
                Ok(c) => panic!("{bad}: {c:?}"),
            }
        }
    }

    #[test]
    fn events_have_the_documented_shape() {
        let failed = RelayMessage::Handshake(Box::new(Handshake::failed(
            Stage::Dns,
            "name not resolved: x",
        )));
        assert_eq!(
            failed.to_json(),
            r#"{"type":"handshake","ok":false,"stage":"dns","error":"name not resolved: x","request":null,"response":null,"certificate":null,"timings":{"dns_ms":null,"tcp_ms":null,"tls_ms":null,"upgrade_ms":null}}"#
        );
        let pong = RelayMessage::Pong { id: 7, rtt_ms: 1.5 };
        assert_eq!(pong.to_json(), r#"{"type":"pong","id":7,"rtt_ms":1.5}"#);
        let ping = RelayMessage::ServerPing {
            payload_hex: "ab".into(),
        };
        assert_eq!(
            ping.to_json(),
            r#"{"type":"server_ping","payload_hex":"ab"}"#
        );
        let closed = RelayMessage::Closed {
            code: 1000,
            reason: "bye".into(),
            clean: true,
        };
        assert_eq!(
            closed.to_json(),
            r#"{"type":"closed","code":1000,"reason":"bye","clean":true}"#
        );
    }
}
