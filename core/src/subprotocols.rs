//! The subprotocols a request asks for, typed as a comma-separated list.
//! Checked here because the browser throws a bare SyntaxError for a bad one.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubprotocolError {
    InvalidToken { protocol: String },
    Duplicate { protocol: String },
}

impl fmt::Display for SubprotocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidToken { protocol } => write!(
                f,
                "The subprotocol \u{201c}{protocol}\u{201d} has a character subprotocol names cannot contain: \
                 use letters, digits and ! # $ % & ' * + - . ^ _ ` | ~ only, and separate names with commas."
            ),
            Self::Duplicate { protocol } => write!(
                f,
                "The subprotocol \u{201c}{protocol}\u{201d} is listed twice; browsers refuse a list with repeats."
            ),
        }
    }
}

impl std::error::Error for SubprotocolError {}

/// Splits on commas, trims, skips empty items, keeps the order given.
pub fn parse(list: &str) -> Result<Vec<String>, SubprotocolError> {
    let mut protocols: Vec<String> = Vec::new();
    for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if !is_token(item) {
            return Err(SubprotocolError::InvalidToken {
                protocol: item.to_string(),
            });
        }
        if protocols.iter().any(|p| p == item) {
            return Err(SubprotocolError::Duplicate {
                protocol: item.to_string(),
            });
        }
        protocols.push(item.to_string());
    }
    Ok(protocols)
}

/// An HTTP token (RFC 9110 `tchar`s), as subprotocol and header names must be.
pub fn is_token(text: &str) -> bool {
    !text.is_empty() && text.chars().all(is_token_char)
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// Whether a listed subprotocol carries a credential: browsers cannot send headers, so
/// servers take tokens as subprotocols (`access_token, <token>`, Kubernetes'
/// `base64url.bearer.authorization.k8s.io.<token>`, or a bare JWT). `previous` is the entry
/// before it in the list.
pub fn looks_like_credential(protocol: &str, previous: Option<&str>) -> bool {
    const NAMES: [&str; 6] = ["token", "bearer", "authorization", "auth", "jwt", "apikey"];
    let lower = protocol.to_ascii_lowercase();
    let after_a_name = previous.is_some_and(|p| {
        let p = p.to_ascii_lowercase().replace(['-', '_'], "");
        NAMES.iter().any(|n| p.ends_with(&n.replace('-', "")))
    });
    let jwt = lower.starts_with("eyj") && protocol.matches('.').count() == 2;
    // A name with a long value glued on, as Kubernetes does.
    let carries_value = ["bearer", "authorization", "token"]
        .iter()
        .any(|n| lower.contains(n) && protocol.len() >= n.len() + 16);
    let long_random = protocol.len() >= 32
        && protocol.chars().any(|c| c.is_ascii_digit())
        && protocol.chars().any(|c| c.is_ascii_alphabetic());
    after_a_name || jwt || carries_value || long_random
}

/// The list as typed, with every credential (see `looks_like_credential`) replaced by `mask`.
pub fn masked(list: &str, mask: &str) -> String {
    let items: Vec<&str> = list.split(',').collect();
    let mut previous: Option<&str> = None;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let trimmed = item.trim();
        if !trimmed.is_empty() && looks_like_credential(trimmed, previous) {
            out.push(item.replace(trimmed, mask));
        } else {
            out.push(item.to_string());
        }
        if !trimmed.is_empty() {
            previous = Some(trimmed);
        }
    }
    out.join(",")
}

/// The listed subprotocols that carry a credential, to mask wherever they are shown.
pub fn credentials(list: &str) -> Vec<String> {
    let masked = masked(list, "");
    list.split(',')
        .zip(masked.split(','))
        .filter(|(typed, kept)| typed != kept)
        .map(|(typed, _)| typed.trim().to_string())
        .collect()
}

/// Whether any listed subprotocol carries a credential.
pub fn has_credential(list: &str) -> bool {
    !credentials(list).is_empty()
}

/// Subprotocols the page fills in itself when a protocol is chosen (GraphQL's, MQTT's, STOMP's).
const FILLED_IN: [&str; 6] = [
    "graphql-transport-ws",
    "graphql-ws",
    "mqtt",
    "v12.stomp",
    "v11.stomp",
    "v10.stomp",
];

/// The Subprotocols field once a protocol that asks for `wanted` (one or a comma-separated
/// list) is chosen: `wanted` when the field is empty or holds only what the page filled in
/// for another protocol; None leaves what the person typed alone.
pub fn on_choosing(current: &str, wanted: &str) -> Option<String> {
    let listed: Vec<&str> = current
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let only_filled_in = listed.iter().all(|s| FILLED_IN.contains(s));
    let already = listed.iter().copied().eq(wanted.split(',').map(str::trim));
    (only_filled_in && !already).then(|| wanted.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn choosing_a_protocol_asks_for_its_subprotocol_unless_others_are_typed() {
        use super::on_choosing;
        assert_eq!(
            on_choosing("", "graphql-transport-ws").as_deref(),
            Some("graphql-transport-ws")
        );
        assert_eq!(
            on_choosing(" graphql-transport-ws ", "graphql-ws").as_deref(),
            Some("graphql-ws")
        );
        assert_eq!(on_choosing("graphql-ws", "mqtt").as_deref(), Some("mqtt"));
        assert_eq!(on_choosing("mqtt", "mqtt"), None);
        assert_eq!(
            on_choosing("graphql-ws, chat", "graphql-transport-ws"),
            None
        );
        assert_eq!(on_choosing("chat", "mqtt"), None);
        // STOMP asks for its three versions; what the page filled in for it is its own.
        let stomp = "v12.stomp, v11.stomp, v10.stomp";
        assert_eq!(on_choosing("mqtt", stomp).as_deref(), Some(stomp));
        assert_eq!(on_choosing("v12.stomp,v11.stomp, v10.stomp", stomp), None);
        assert_eq!(on_choosing(stomp, "mqtt").as_deref(), Some("mqtt"));
        assert_eq!(on_choosing("v12.stomp, chat", "mqtt"), None);
    }

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn splits_and_trims_in_order() {
        assert_eq!(parse(""), Ok(vec![]));
        assert_eq!(parse(" , "), Ok(vec![]));
        assert_eq!(
            parse("chat, json ,v2.wsprobe"),
            Ok(vec!["chat".into(), "json".into(), "v2.wsprobe".into()])
        );
    }

    #[test]
    fn refuses_bad_names_and_repeats() {
        assert_eq!(
            parse("a b"),
            Err(SubprotocolError::InvalidToken {
                protocol: "a b".into()
            })
        );
        assert_eq!(
            parse("chat;v=1"),
            Err(SubprotocolError::InvalidToken {
                protocol: "chat;v=1".into()
            })
        );
        assert_eq!(
            parse("caf\u{e9}"),
            Err(SubprotocolError::InvalidToken {
                protocol: "caf\u{e9}".into()
            })
        );
        assert_eq!(
            parse("a,b,a"),
            Err(SubprotocolError::Duplicate {
                protocol: "a".into()
            })
        );
        assert_eq!(parse("A,a"), Ok(vec!["A".into(), "a".into()]));
    }

    #[test]
    fn tokens_carried_as_subprotocols_are_masked_and_names_kept() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
        assert_eq!(
            masked(&format!("access_token, {jwt}"), "***"),
            "access_token, ***"
        );
        assert_eq!(masked(&format!("chat,{jwt}"), "***"), "chat,***");
        assert_eq!(masked("Bearer, abc", ""), "Bearer, ");
        assert_eq!(
            masked(
                "base64url.bearer.authorization.k8s.io.ZXlKaGJHY2lPaUpTVXpJ, v4.channel.k8s.io",
                "***"
            ),
            "***, v4.channel.k8s.io"
        );
        assert_eq!(
            masked("x, 3f9a1c2b7d4e5f60718293a4b5c6d7e8f9", "***"),
            "x, ***",
            "a long random-looking name"
        );
        for ordinary in [
            "chat, json",
            "graphql-transport-ws, graphql-ws",
            "v10.stomp, v11.stomp, v12.stomp",
            "mqtt, mqttv3.1",
            "wamp.2.json, wamp.2.msgpack",
            "actioncable-v1-json, actioncable-unsupported",
            "",
        ] {
            assert_eq!(masked(ordinary, "***"), ordinary);
            assert!(!has_credential(ordinary), "{ordinary}");
        }
        assert!(has_credential("access_token, abc"));
        assert_eq!(credentials("chat, access_token, abc"), ["abc"]);
    }

    proptest! {
        #[test]
        fn masking_keeps_the_number_of_entries(list in ".{0,60}") {
            prop_assert_eq!(masked(&list, "***").split(',').count(), list.split(',').count());
        }

        #[test]
        fn accepted_lists_hold_only_unique_tokens(list in ".{0,40}") {
            if let Ok(protocols) = parse(&list) {
                for (i, p) in protocols.iter().enumerate() {
                    prop_assert!(!p.is_empty() && p.chars().all(is_token_char));
                    prop_assert!(!protocols[..i].contains(p));
                }
            }
        }
    }
}
