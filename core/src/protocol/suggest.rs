//! A guess at the protocol from the URL and the requested subprotocols, so the matching
//! helper can be offered before the person goes looking for it.

use crate::query;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suggestion {
    SocketIo,
    JsonRpc,
    Graphql,
    Stomp,
    Mqtt,
}

/// Socket.IO for a `/socket.io/` path or an `EIO` parameter; JSON-RPC for a requested
/// subprotocol naming it (`jsonrpc`, `json-rpc`, any case); GraphQL for its subprotocols or a
/// path ending in `/graphql`; STOMP for its subprotocols (`v12.stomp`…) or a path ending in
/// `/stomp`; MQTT for its subprotocol or a path ending in `/mqtt`.
pub fn suggest(url: &str, subprotocols: &str) -> Option<Suggestion> {
    let before_fragment = url.split('#').next().unwrap_or(url);
    let (path, query_text) = query::split_url(before_fragment);
    let socket_io_path = path.contains("/socket.io/") || path.ends_with("/socket.io");
    let eio = query::query_pairs(query_text.unwrap_or(""))
        .iter()
        .any(|(name, _)| name == "EIO");
    if socket_io_path || eio {
        return Some(Suggestion::SocketIo);
    }
    let protocols = subprotocols.to_ascii_lowercase();
    if protocols.contains("graphql") || path.trim_end_matches('/').ends_with("/graphql") {
        return Some(Suggestion::Graphql);
    }
    let stomp_protocol = protocols.split(',').any(|p| p.trim().ends_with(".stomp"));
    if stomp_protocol || path.trim_end_matches('/').ends_with("/stomp") {
        return Some(Suggestion::Stomp);
    }
    let mqtt_protocol = protocols
        .split(',')
        .any(|p| matches!(p.trim(), "mqtt" | "mqttv3.1"));
    if mqtt_protocol || path.trim_end_matches('/').ends_with("/mqtt") {
        return Some(Suggestion::Mqtt);
    }
    (protocols.contains("jsonrpc") || protocols.contains("json-rpc")).then_some(Suggestion::JsonRpc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn socket_io_by_path_or_query() {
        for url in [
            "ws://h/socket.io/?EIO=4&transport=websocket",
            "wss://h/socket.io",
            "ws://h/app/socket.io/",
            "ws://h/custom?EIO=3",
        ] {
            assert_eq!(suggest(url, ""), Some(Suggestion::SocketIo), "{url}");
        }
        assert_eq!(
            suggest("ws://h/?eio=4", ""),
            None,
            "the server reads EIO as written"
        );
        assert_eq!(suggest("ws://h/socket.io.js", ""), None);
        assert_eq!(suggest("ws://h/#/socket.io/", ""), None);
    }

    #[test]
    fn json_rpc_by_subprotocol() {
        assert_eq!(suggest("ws://h/", "JSONRPC"), Some(Suggestion::JsonRpc));
        assert_eq!(
            suggest("ws://h/", "chat, json-rpc-2.0"),
            Some(Suggestion::JsonRpc)
        );
        assert_eq!(suggest("ws://h/", "jsonrpc.v2"), Some(Suggestion::JsonRpc));
        assert_eq!(suggest("ws://h/rpc", "chat"), None);
        assert_eq!(
            suggest("ws://h/socket.io/", "jsonrpc"),
            Some(Suggestion::SocketIo),
            "the URL wins"
        );
    }

    #[test]
    fn graphql_by_subprotocol_or_path() {
        assert_eq!(
            suggest("ws://h/rpc", "graphql-ws"),
            Some(Suggestion::Graphql)
        );
        assert_eq!(
            suggest("ws://h/", "graphql-transport-ws"),
            Some(Suggestion::Graphql)
        );
        assert_eq!(
            suggest("wss://h/api/graphql", ""),
            Some(Suggestion::Graphql)
        );
        assert_eq!(
            suggest("wss://h/graphql?x=1", ""),
            Some(Suggestion::Graphql)
        );
        assert_eq!(suggest("wss://h/graphql-docs/x", ""), None);
    }

    #[test]
    fn stomp_by_subprotocol_or_path() {
        assert_eq!(
            suggest("ws://h/ws", "v12.stomp, v11.stomp"),
            Some(Suggestion::Stomp)
        );
        assert_eq!(suggest("ws://h/app/stomp/", ""), Some(Suggestion::Stomp));
        assert_eq!(suggest("ws://h/stomping", "stomp"), None);
    }

    #[test]
    fn mqtt_by_subprotocol_or_path() {
        assert_eq!(suggest("ws://h/", "mqtt"), Some(Suggestion::Mqtt));
        assert_eq!(
            suggest("wss://broker:8884/mqtt", ""),
            Some(Suggestion::Mqtt)
        );
        assert_eq!(suggest("ws://h/", "mqttish"), None);
    }

    proptest! {
        #[test]
        fn never_panics(url in ".{0,30}", protocols in ".{0,20}") {
            let _ = suggest(&url, &protocols);
        }
    }
}
