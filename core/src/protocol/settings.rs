//! Which protocol a request speaks on top of WebSocket, and its settings: saved, exported and
//! shared with the request like the rest of it.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::protocol::engine_io::{self, EngineVersion};
use crate::protocol::graphql::Dialect;
use crate::protocol::mqtt::client::ConnectSettings;
use crate::protocol::socket_io::SocketIoVersion;
use crate::protocol::socket_io_client::SocketIoClient;
use crate::protocol::stomp::client::{AckMode, ConnectSettings as StompConnect};

/// The protocol a person chose; the page suggests one but never switches by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Protocol {
    /// Frames as they are: the behaviour of a page without a protocol.
    #[default]
    WebSocket,
    SocketIo,
    JsonRpc,
    #[serde(rename = "graphql")]
    Graphql,
    Stomp,
    Mqtt,
}

impl Protocol {
    pub const ALL: [Protocol; 6] = [
        Protocol::WebSocket,
        Protocol::SocketIo,
        Protocol::JsonRpc,
        Protocol::Graphql,
        Protocol::Stomp,
        Protocol::Mqtt,
    ];

    /// The name the chooser shows, and the value it keeps.
    pub fn label(self) -> &'static str {
        match self {
            Self::WebSocket => "WebSocket",
            Self::SocketIo => "Socket.IO",
            Self::JsonRpc => "JSON-RPC",
            Self::Graphql => "GraphQL",
            Self::Stomp => "STOMP",
            Self::Mqtt => "MQTT",
        }
    }

    pub fn from_label(label: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.label() == label)
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Socket.IO releases whose wire differs: 3 and 4 share one (Engine.IO 4), 2 has its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SocketIoRelease {
    #[default]
    #[serde(rename = "4")]
    V4,
    #[serde(rename = "3")]
    V3,
    #[serde(rename = "2")]
    V2,
}

impl SocketIoRelease {
    pub const ALL: [SocketIoRelease; 3] = [Self::V4, Self::V3, Self::V2];

    pub fn label(self) -> &'static str {
        match self {
            Self::V4 => "4",
            Self::V3 => "3",
            Self::V2 => "2",
        }
    }

    pub fn from_label(label: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.label() == label)
    }

    /// The Socket.IO protocol the release speaks.
    pub fn wire(self) -> SocketIoVersion {
        match self {
            Self::V4 | Self::V3 => SocketIoVersion::V3V4,
            Self::V2 => SocketIoVersion::V2,
        }
    }

    /// The Engine.IO protocol under it.
    pub fn engine(self) -> EngineVersion {
        self.wire().engine()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SocketIoSettings {
    pub release: SocketIoRelease,
    /// Namespaces to join on connect, comma-separated; events are emitted on the first.
    pub namespaces: String,
    /// JSON sent with each namespace's CONNECT; often a token, so a secret when shared.
    pub auth: String,
    /// The event Emit sends; its arguments are the composer's message (a JSON array).
    pub event: String,
    /// Whether Emit asks the server to acknowledge.
    pub ack: bool,
}

impl Default for SocketIoSettings {
    fn default() -> Self {
        Self {
            release: SocketIoRelease::V4,
            namespaces: "/".into(),
            auth: String::new(),
            event: String::new(),
            ack: false,
        }
    }
}

impl SocketIoSettings {
    /// The namespaces as a list, each with its leading `/`; `/` when none is given.
    pub fn namespace_list(&self) -> Vec<String> {
        let list: Vec<String> = self
            .namespaces
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|n| {
                if n.starts_with('/') {
                    n.to_string()
                } else {
                    format!("/{n}")
                }
            })
            .collect();
        if list.is_empty() {
            vec!["/".to_string()]
        } else {
            list
        }
    }

    /// Where an emit naming no namespace goes: the first of the list.
    pub fn first_namespace(&self) -> String {
        self.namespace_list()
            .into_iter()
            .next()
            .unwrap_or_else(|| "/".to_string())
    }

    /// A client for these namespaces, each with the auth payload (its variables already
    /// filled in); Err says what is wrong with them.
    pub fn client(&self) -> Result<SocketIoClient, String> {
        let auth = self.auth_value()?;
        let namespaces = self
            .namespace_list()
            .into_iter()
            .map(|n| (n, auth.clone()))
            .collect();
        SocketIoClient::new(self.release.wire(), namespaces).map_err(|e| e.to_string())
    }

    /// The auth payload as JSON, None when empty; Err says where it is not JSON.
    pub fn auth_value(&self) -> Result<Option<serde_json::Value>, String> {
        if self.auth.trim().is_empty() {
            return Ok(None);
        }
        serde_json::from_str(&self.auth)
            .map(Some)
            .map_err(|e| format!("The auth payload is not JSON: {e}"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct JsonRpcSettings {
    /// The method Call invokes; its params are the composer's message. Empty: the message
    /// is sent whole, as a request or a batch written by hand.
    pub method: String,
    /// Sent without an id: the server answers nothing.
    pub notification: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct GraphqlSettings {
    /// The protocol spoken when the server negotiates no GraphQL subprotocol.
    pub dialect: Dialect,
    /// JSON sent with connection_init; often a token, so a secret when shared.
    pub init_payload: String,
    /// The operation's variables (a JSON object); the query is the composer's message.
    pub variables: String,
    pub operation_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MqttSettings {
    /// What CONNECT is made of.
    #[serde(flatten)]
    pub connect: ConnectSettings,
    /// What Subscribe subscribes to (a filter) and Publish publishes to.
    pub topic: String,
    pub qos: u8,
    pub retain: bool,
    /// MQTT 5 user properties for Publish: `name=value`, comma-separated.
    pub user_properties: String,
}

impl MqttSettings {
    /// CONNECT's fields that take variables, named as the page labels them.
    pub fn credentials_mut(&mut self) -> [(&mut String, &'static str); 3] {
        let c = &mut self.connect;
        [
            (&mut c.client_id, "Client ID"),
            (&mut c.username, "User name"),
            (&mut c.password, "Password"),
        ]
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StompSettings {
    /// What CONNECT is made of.
    #[serde(flatten)]
    pub connect: StompConnect,
    /// What Subscribe subscribes to and Send sends to.
    pub destination: String,
    pub ack: AckMode,
    /// Send's extra headers, one `name: value` per line.
    pub headers: String,
    /// Whether Subscribe, Send, ACK and NACK ask for a receipt.
    pub receipts: bool,
}

impl Default for StompSettings {
    fn default() -> Self {
        Self {
            connect: StompConnect::default(),
            destination: String::new(),
            ack: AckMode::default(),
            headers: String::new(),
            receipts: true,
        }
    }
}

impl StompSettings {
    /// CONNECT's headers that take variables, named as the page labels them.
    pub fn credentials_mut(&mut self) -> [(&mut String, &'static str); 3] {
        let c = &mut self.connect;
        [
            (&mut c.login, "Login"),
            (&mut c.passcode, "Passcode"),
            (&mut c.host, "Virtual host"),
        ]
    }
}

/// Fills each of `fields` with `fill` (which fills in variables); Err names the field.
pub fn fill_each<'a>(
    fields: impl IntoIterator<Item = (&'a mut String, &'static str)>,
    mut fill: impl FnMut(&str) -> Result<String, String>,
) -> Result<(), String> {
    for (field, name) in fields {
        *field = fill(field).map_err(|why| format!("in {name}: {why}"))?;
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProtocolSettings {
    pub protocol: Protocol,
    pub socket_io: SocketIoSettings,
    pub json_rpc: JsonRpcSettings,
    #[serde(skip_serializing_if = "is_default")]
    pub graphql: GraphqlSettings,
    #[serde(skip_serializing_if = "is_default")]
    pub stomp: StompSettings,
    #[serde(skip_serializing_if = "is_default")]
    pub mqtt: MqttSettings,
    /// For raw WebSocket: a JSON Pointer (such as `/id`) whose value a reply repeats from its
    /// request, to pair them and time the round trip. Empty: no pairing.
    pub pairing: String,
}

impl ProtocolSettings {
    /// Whether the request would store and link as one made before protocols existed.
    pub fn is_plain(&self) -> bool {
        *self == Self::default()
    }

    /// The URL to dial for `url`: Socket.IO's carries its path and transport in the query.
    pub fn dial_url(&self, url: &str) -> String {
        match self.protocol {
            Protocol::SocketIo => engine_io::dial_url(url, self.socket_io.release.engine()),
            Protocol::WebSocket
            | Protocol::JsonRpc
            | Protocol::Graphql
            | Protocol::Stomp
            | Protocol::Mqtt => url.to_string(),
        }
    }

    /// Whether sharing would leave something out unless secrets are asked for.
    pub fn has_secrets(&self) -> bool {
        !self.socket_io.auth.trim().is_empty()
            || !self.graphql.init_payload.trim().is_empty()
            || !self.mqtt.connect.password.is_empty()
            || !self.stomp.connect.passcode.is_empty()
    }

    /// What the chosen protocol sends on connecting, with the variables it may name: Socket.IO's
    /// auth payload, GraphQL's connection payload, MQTT's and STOMP's credentials.
    pub fn sent_on_connecting(&self) -> Vec<String> {
        let taken = |fields: [(&mut String, &'static str); 3]| {
            fields.map(|(field, _)| std::mem::take(field)).to_vec()
        };
        match self.protocol {
            Protocol::SocketIo => vec![self.socket_io.auth.clone()],
            Protocol::Graphql => vec![self.graphql.init_payload.clone()],
            Protocol::Mqtt => taken(self.mqtt.clone().credentials_mut()),
            Protocol::Stomp => taken(self.stomp.clone().credentials_mut()),
            Protocol::WebSocket | Protocol::JsonRpc => Vec::new(),
        }
    }

    /// The settings as they may travel without secrets: the auth payload emptied.
    pub fn without_secrets(&self) -> Self {
        let mut bare = self.clone();
        bare.socket_io.auth.clear();
        bare.graphql.init_payload.clear();
        bare.mqtt.connect.password.clear();
        bare.stomp.connect.passcode.clear();
        bare
    }
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_each_protocol_and_read_back() {
        for p in Protocol::ALL {
            assert_eq!(Protocol::from_label(p.label()), Some(p));
        }
        assert_eq!(Protocol::from_label("AMQP"), None);
        for r in SocketIoRelease::ALL {
            assert_eq!(SocketIoRelease::from_label(r.label()), Some(r));
        }
    }

    #[test]
    fn namespaces_are_listed_with_their_slash() {
        let s = SocketIoSettings {
            namespaces: " /, admin ,,/chat".into(),
            ..SocketIoSettings::default()
        };
        assert_eq!(s.namespace_list(), ["/", "/admin", "/chat"]);
        let none = SocketIoSettings {
            namespaces: " , ".into(),
            ..SocketIoSettings::default()
        };
        assert_eq!(none.namespace_list(), ["/"]);
    }

    #[test]
    fn the_auth_payload_is_json_or_a_clear_error() {
        let mut s = SocketIoSettings::default();
        assert_eq!(s.auth_value(), Ok(None));
        s.auth = r#"{"token":"abc"}"#.into();
        assert_eq!(
            s.auth_value(),
            Ok(Some(serde_json::json!({"token": "abc"})))
        );
        s.auth = "{token".into();
        let Err(why) = s.auth_value() else {
            panic!("bad JSON was accepted")
        };
        assert!(why.starts_with("The auth payload is not JSON: "), "{why}");
    }

    #[test]
    fn the_auth_payload_is_a_secret() {
        assert!(!ProtocolSettings::default().has_secrets());
        let p = ProtocolSettings {
            protocol: Protocol::SocketIo,
            socket_io: SocketIoSettings {
                auth: r#"{"token":"abc"}"#.into(),
                ..SocketIoSettings::default()
            },
            ..ProtocolSettings::default()
        };
        assert!(p.has_secrets());
        let bare = p.without_secrets();
        assert_eq!(bare.socket_io.auth, "");
        assert_eq!(bare.protocol, Protocol::SocketIo);
    }

    #[test]
    fn the_graphql_connection_payload_is_a_secret_and_settings_travel() {
        let p = ProtocolSettings {
            protocol: Protocol::Graphql,
            graphql: GraphqlSettings {
                dialect: Dialect::Legacy,
                init_payload: r#"{"token":"abc"}"#.into(),
                variables: r#"{"n":2}"#.into(),
                operation_name: "Greet".into(),
            },
            ..ProtocolSettings::default()
        };
        assert!(p.has_secrets());
        let bare = p.without_secrets();
        assert_eq!(bare.graphql.init_payload, "");
        assert_eq!(bare.graphql.variables, r#"{"n":2}"#);
        let json = serde_json::to_string(&p).unwrap_or_default();
        assert!(json.contains(r#""protocol":"graphql""#), "{json}");
        assert!(json.contains(r#""dialect":"graphql-ws""#), "{json}");
        let back: Option<ProtocolSettings> = serde_json::from_str(&json).ok();
        assert_eq!(back, Some(p));
        let plain = serde_json::to_string(&ProtocolSettings::default()).unwrap_or_default();
        assert!(!plain.contains("graphql"), "{plain}");
    }

    #[test]
    fn the_stomp_passcode_is_a_secret_and_settings_travel() {
        let p = ProtocolSettings {
            protocol: Protocol::Stomp,
            stomp: StompSettings {
                connect: StompConnect {
                    login: "alice".into(),
                    passcode: "pw".into(),
                    ..StompConnect::default()
                },
                destination: "/queue/a".into(),
                ack: AckMode::ClientIndividual,
                ..StompSettings::default()
            },
            ..ProtocolSettings::default()
        };
        assert!(p.has_secrets());
        assert_eq!(p.sent_on_connecting(), ["alice", "pw", ""]);
        let bare = p.without_secrets();
        assert_eq!(bare.stomp.connect.passcode, "");
        assert_eq!(bare.stomp.connect.login, "alice");
        let json = serde_json::to_string(&p).unwrap_or_default();
        assert!(json.contains(r#""protocol":"stomp""#), "{json}");
        assert!(json.contains(r#""ack":"client-individual""#), "{json}");
        assert!(json.contains(r#""login":"alice""#), "flattened: {json}");
        let back: Option<ProtocolSettings> = serde_json::from_str(&json).ok();
        assert_eq!(back, Some(p));
        assert!(StompSettings::default().receipts);
        assert!(
            !serde_json::to_string(&ProtocolSettings::default())
                .unwrap_or_default()
                .contains("stomp")
        );
    }

    #[test]
    fn the_mqtt_password_is_a_secret_and_settings_travel() {
        use crate::protocol::mqtt::packet::MqttVersion;
        let p = ProtocolSettings {
            protocol: Protocol::Mqtt,
            mqtt: MqttSettings {
                connect: ConnectSettings {
                    version: MqttVersion::V5,
                    username: "alice".into(),
                    password: "pw".into(),
                    ..ConnectSettings::default()
                },
                topic: "a/#".into(),
                ..MqttSettings::default()
            },
            ..ProtocolSettings::default()
        };
        assert!(p.has_secrets());
        let bare = p.without_secrets();
        assert_eq!(bare.mqtt.connect.password, "");
        assert_eq!(bare.mqtt.connect.username, "alice");
        let json = serde_json::to_string(&p).unwrap_or_default();
        assert!(json.contains(r#""protocol":"mqtt""#), "{json}");
        assert!(json.contains(r#""version":"5""#), "{json}");
        let back: Option<ProtocolSettings> = serde_json::from_str(&json).ok();
        assert_eq!(back, Some(p));
        assert!(MqttSettings::default().connect.clean_start);
        assert!(!json.contains("connect"), "flattened: {json}");
    }

    #[test]
    fn settings_read_back_from_their_json() {
        let p = ProtocolSettings {
            protocol: Protocol::JsonRpc,
            json_rpc: JsonRpcSettings {
                method: "subtract".into(),
                notification: false,
            },
            socket_io: SocketIoSettings {
                release: SocketIoRelease::V2,
                ..SocketIoSettings::default()
            },
            ..ProtocolSettings::default()
        };
        let json = serde_json::to_string(&p).unwrap_or_default();
        assert!(json.contains(r#""protocol":"json-rpc""#), "{json}");
        assert!(json.contains(r#""release":"2""#), "{json}");
        let back: Option<ProtocolSettings> = serde_json::from_str(&json).ok();
        assert_eq!(back, Some(p));
    }
}
