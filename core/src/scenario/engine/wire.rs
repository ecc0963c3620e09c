//! The protocol a run speaks on its connection, between the socket and the steps: it answers
//! for the protocol (pongs, namespace CONNECTs, acknowledgements the server asks for), turns
//! frames into events for Expect event and replies for Expect result, and says when the
//! protocol's own handshake is done. Plain WebSocket passes every frame through.

use serde_json::{Value, json};

use crate::compose::Frame;
use crate::protocol::graphql::{
    Dialect, GraphqlClient, Output as GraphqlOutput, Reading as GraphqlReading,
};
use crate::protocol::json_rpc::{JsonRpcClient, Outcome as RpcOutcome};
use crate::protocol::mqtt::client::{
    ConnectSettings, MqttClient, Output as MqttOutput, Reading as MqttReading,
};
use crate::protocol::note::{NoteKind, json_brief};
use crate::protocol::settings::{Protocol, ProtocolSettings};
use crate::protocol::socket_io_client::{Output, Reading, SocketIoClient};
use crate::protocol::stomp::client::{
    ConnectSettings as StompConnect, Output as StompOutput, Reading as StompReading, StompClient,
    websocket_frame,
};
use crate::scenario::events::Payload;

/// A received message not yet read by an expect step.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unread {
    pub payload: Payload,
    /// The protocol's event it carries: its name and its arguments as JSON text.
    pub event: Option<(String, Payload)>,
}

impl Unread {
    pub fn plain(payload: Payload) -> Self {
        Self {
            payload,
            event: None,
        }
    }

    /// One line for a failure: the event and its arguments, or the message.
    pub fn preview(&self) -> String {
        match &self.event {
            Some((name, args)) => format!("event \u{201c}{name}\u{201d} {}", args.preview()),
            None => self.payload.preview(),
        }
    }
}

/// The answer to a Call or an Emit with ack.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Reply {
    /// A JSON-RPC result, or a Socket.IO acknowledgement's arguments.
    Result(Value),
    /// A JSON-RPC error: its object, and its words (`error -32601 Method not found: …`).
    Error(Value, String),
}

/// What one received frame gave the run.
#[derive(Debug, Default)]
pub(crate) struct Heard {
    /// Frames the protocol answers with.
    pub answers: Vec<Frame>,
    /// For the queue; None for the protocol's own housekeeping (pings, CONNECTs, replies).
    pub unread: Option<Unread>,
    /// Replies, keyed as `Sent::reply_key` names them.
    pub replies: Vec<(String, Reply)>,
    /// A namespace the server refused, in words.
    pub refused: Option<String>,
}

/// What a Call or an Emit wrote, and the key its reply will come under.
pub(crate) struct Written {
    pub frames: Vec<Frame>,
    pub reply_key: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) enum Wire {
    Raw,
    SocketIo {
        client: Box<SocketIoClient>,
        /// Where an Emit naming no namespace goes.
        first_namespace: String,
    },
    JsonRpc(JsonRpcClient),
    Graphql {
        client: Box<GraphqlClient>,
        /// The protocol to speak when the server negotiates none.
        chosen: Dialect,
        /// connection_init's payload, variables filled in.
        init_payload: String,
    },
    Mqtt {
        client: Box<MqttClient>,
        /// CONNECT's fields, variables filled in.
        connect: ConnectSettings,
    },
    Stomp {
        client: Box<StompClient>,
        /// CONNECT's headers, variables filled in.
        connect: StompConnect,
        /// The start of a frame split across messages, until the message that ends it.
        held: Vec<u8>,
    },
}

impl Wire {
    /// The wire for a connection with `settings`, the auth payload's variables filled in.
    pub fn new(settings: &ProtocolSettings) -> Result<Self, String> {
        Ok(match settings.protocol {
            Protocol::WebSocket => Self::Raw,
            Protocol::Graphql => Self::Graphql {
                client: Box::new(GraphqlClient::new(settings.graphql.dialect)),
                chosen: settings.graphql.dialect,
                init_payload: settings.graphql.init_payload.clone(),
            },
            Protocol::Mqtt => Self::Mqtt {
                client: Box::new(MqttClient::new(settings.mqtt.connect.version)),
                connect: settings.mqtt.connect.clone(),
            },
            Protocol::Stomp => Self::Stomp {
                client: Box::default(),
                connect: settings.stomp.connect.clone(),
                held: Vec::new(),
            },
            Protocol::JsonRpc => Self::JsonRpc(JsonRpcClient::new()),
            Protocol::SocketIo => Self::SocketIo {
                client: Box::new(settings.socket_io.client()?),
                first_namespace: settings.socket_io.first_namespace(),
            },
        })
    }

    /// The connection opened with `subprotocol`: what the client says first (GraphQL's
    /// connection_init), or why it cannot.
    pub fn opened(&mut self, subprotocol: &str, now_ms: f64) -> Result<Vec<Frame>, String> {
        match self {
            Self::Graphql {
                client,
                chosen,
                init_payload,
            } => {
                **client = GraphqlClient::new(Dialect::negotiated(subprotocol).unwrap_or(*chosen));
                let init = client.init(init_payload, now_ms)?;
                Ok(vec![Frame::Text(init.text)])
            }
            Self::Mqtt { client, connect } => {
                **client = MqttClient::new(connect.version);
                let written = client
                    .connect(connect, now_ms)
                    .map_err(|why| format!("CONNECT was not sent: {why}"))?;
                Ok(vec![Frame::Binary(written.bytes)])
            }
            Self::Stomp {
                client,
                connect,
                held,
            } => {
                **client = StompClient::default();
                held.clear();
                let written = client
                    .connect(connect, subprotocol, now_ms)
                    .map_err(|why| format!("CONNECT was not sent: {why}"))?;
                Ok(vec![websocket_frame(written.bytes)])
            }
            Self::Raw | Self::SocketIo { .. } | Self::JsonRpc(_) => Ok(Vec::new()),
        }
    }

    /// Whether the protocol's own handshake is done (Socket.IO: the session open and every
    /// namespace answered; GraphQL: connection_init acknowledged).
    pub fn ready(&self) -> bool {
        match self {
            Self::SocketIo { client, .. } => client.handshake_done(),
            Self::Graphql { client, .. } => client.acknowledged(),
            Self::Mqtt { client, .. } => client.connected(),
            Self::Stomp { client, .. } => client.connected(),
            Self::Raw | Self::JsonRpc(_) => true,
        }
    }

    pub fn hear(&mut self, payload: Payload, now_ms: f64) -> Heard {
        match self {
            Self::Raw => Heard {
                unread: Some(Unread::plain(payload)),
                ..Heard::default()
            },
            Self::SocketIo { client, .. } => {
                let reading = match &payload {
                    Payload::Text(text) => client.on_text(text, now_ms),
                    Payload::Binary(bytes) => client.on_binary(bytes, now_ms),
                };
                socket_io_heard(reading, payload)
            }
            Self::JsonRpc(client) => match &payload {
                Payload::Text(text) => {
                    let reading = client.on_text(text, now_ms);
                    let replies: Vec<(String, Reply)> = reading
                        .paired
                        .into_iter()
                        .map(|paired| (paired.id, rpc_reply(paired.outcome)))
                        .collect();
                    let event =
                        matches!(reading.note.kind, NoteKind::Call | NoteKind::Notification)
                            .then(|| server_request(text))
                            .flatten();
                    // Responses are the steps' replies; anything else is for the queue.
                    let housekeeping = !replies.is_empty()
                        || matches!(reading.note.kind, NoteKind::Result | NoteKind::Error);
                    Heard {
                        unread: (!housekeeping).then_some(Unread { payload, event }),
                        replies,
                        ..Heard::default()
                    }
                }
                Payload::Binary(_) => Heard {
                    unread: Some(Unread::plain(payload)),
                    ..Heard::default()
                },
            },
            Self::Graphql { client, .. } => match &payload {
                Payload::Text(text) => graphql_heard(client.on_text(text, now_ms), payload),
                Payload::Binary(_) => Heard {
                    unread: Some(Unread::plain(payload)),
                    ..Heard::default()
                },
            },
            Self::Mqtt { client, .. } => match &payload {
                Payload::Binary(bytes) => mqtt_heard(client.on_bytes(bytes, now_ms), payload),
                Payload::Text(_) => Heard {
                    unread: Some(Unread::plain(payload)),
                    ..Heard::default()
                },
            },
            Self::Stomp { client, held, .. } => {
                let bytes = match &payload {
                    Payload::Text(text) => text.as_bytes(),
                    Payload::Binary(bytes) => bytes.as_slice(),
                };
                let reading = client.on_bytes(bytes, now_ms);
                // A frame split across messages is read whole, by the message that ends it.
                let mut all = std::mem::take(held);
                all.extend_from_slice(bytes);
                let done = all.len().saturating_sub(client.pending());
                *held = all.split_off(done);
                let whole = match websocket_frame(all) {
                    Frame::Text(text) => Payload::Text(text),
                    Frame::Binary(bytes) => Payload::Binary(bytes),
                };
                stomp_heard(reading, whole)
            }
        }
    }

    /// Pings due (Socket.IO 2); at `next_tick_ms`.
    pub fn tick(&mut self, now_ms: f64) -> Vec<Frame> {
        match self {
            Self::SocketIo { client, .. } => client
                .on_tick(now_ms)
                .into_iter()
                .filter_map(|output| match output {
                    Output::Send(frame) => Some(frame),
                    _ => None,
                })
                .collect(),
            Self::Mqtt { client, .. } => client
                .on_tick(now_ms)
                .into_iter()
                .filter_map(|output| match output {
                    MqttOutput::Send(bytes, _) => Some(Frame::Binary(bytes)),
                    _ => None,
                })
                .collect(),
            Self::Stomp { client, .. } => client
                .on_tick(now_ms)
                .into_iter()
                .filter_map(|output| match output {
                    StompOutput::Send(bytes, _) => Some(websocket_frame(bytes)),
                    _ => None,
                })
                .collect(),
            Self::Raw | Self::JsonRpc(_) | Self::Graphql { .. } => Vec::new(),
        }
    }

    pub fn next_tick_ms(&self) -> Option<f64> {
        match self {
            Self::SocketIo { client, .. } => client.next_tick_ms(),
            Self::Mqtt { client, .. } => client.next_tick_ms(),
            Self::Stomp { client, .. } => client.next_tick_ms(),
            Self::Raw | Self::JsonRpc(_) | Self::Graphql { .. } => None,
        }
    }

    /// The run is closing the connection: what the protocol says first.
    pub fn closing(&mut self, now_ms: f64) -> Option<Frame> {
        match self {
            Self::Mqtt { client, .. } => client.disconnect(now_ms).map(|w| Frame::Binary(w.bytes)),
            Self::Stomp { client, .. } => {
                client.disconnect(now_ms).map(|w| websocket_frame(w.bytes))
            }
            _ => None,
        }
    }

    /// A frame the run wrote: MQTT and STOMP learn the packets and frames their answers will
    /// pair with, and count their keep alive or heart-beat from the last one.
    pub fn wrote(&mut self, payload: &Payload, now_ms: f64) {
        match (self, payload) {
            (Self::Mqtt { client, .. }, Payload::Binary(bytes)) => {
                client.sent(bytes, now_ms, true);
            }
            (Self::Stomp { client, .. }, Payload::Text(text)) => {
                client.sent(text.as_bytes(), now_ms, true);
            }
            (Self::Stomp { client, .. }, Payload::Binary(bytes)) => {
                client.sent(bytes, now_ms, true);
            }
            _ => {}
        }
    }

    /// Emit: `args` is the JSON array typed, variables filled in.
    pub fn emit(
        &mut self,
        namespace: &str,
        event: &str,
        args: &str,
        ack: bool,
        now_ms: f64,
    ) -> Result<Written, String> {
        let Self::SocketIo {
            client,
            first_namespace,
        } = self
        else {
            return Err("Emit needs the request's Protocol set to Socket.IO".into());
        };
        let namespace = if namespace.is_empty() {
            first_namespace.as_str()
        } else {
            namespace
        };
        let sent = client
            .emit(namespace, event, args, ack, now_ms)
            .map_err(|e| e.to_string())?;
        Ok(Written {
            frames: sent.frames,
            reply_key: sent.ack.map(|(namespace, id)| ack_key(&namespace, id)),
        })
    }

    /// Call: `params` is the JSON typed, variables filled in.
    pub fn call(
        &mut self,
        method: &str,
        params: &str,
        notification: bool,
        now_ms: f64,
    ) -> Result<Written, String> {
        let Self::JsonRpc(client) = self else {
            return Err("Call needs the request's Protocol set to JSON-RPC".into());
        };
        let called = client
            .call(method, params, notification, now_ms)
            .map_err(|e| e.to_string())?;
        Ok(Written {
            frames: vec![Frame::Text(called.text)],
            reply_key: called.id,
        })
    }
}

/// How an acknowledgement's reply is told apart: by its namespace and id.
pub(in crate::scenario) fn ack_key(namespace: &str, id: u64) -> String {
    format!("{namespace}#{id}")
}

fn socket_io_heard(reading: Reading, payload: Payload) -> Heard {
    let mut heard = Heard::default();
    let mut event = None;
    for output in reading.outputs {
        match output {
            Output::Send(frame) => heard.answers.push(frame),
            Output::Event { name, args, .. } => {
                event = Some((name, Payload::Text(args.to_string())));
            }
            Output::Acked {
                namespace,
                id,
                args,
                ..
            } => heard
                .replies
                .push((ack_key(&namespace, id), Reply::Result(args))),
            Output::ConnectError {
                namespace,
                message,
                data,
            } => {
                let data = data
                    .map(|d| format!(" (data: {})", json_brief(&d)))
                    .unwrap_or_default();
                heard.refused = Some(format!(
                    "the server refused namespace {namespace}: {message}{data}"
                ));
            }
            Output::Opened(_)
            | Output::Connected { .. }
            | Output::Disconnected { .. }
            | Output::Silent { .. } => {}
        }
    }
    let housekeeping = matches!(
        reading.note.kind,
        NoteKind::Heartbeat
            | NoteKind::Handshake
            | NoteKind::Connect
            | NoteKind::ConnectError
            | NoteKind::Attachment
            | NoteKind::Ack
    );
    if event.is_some() || !housekeeping {
        heard.unread = Some(Unread { payload, event });
    }
    heard
}

/// GraphQL's handshake and pings are the run's; results, errors and completes are the
/// steps' to read, as messages.
fn graphql_heard(reading: GraphqlReading, payload: Payload) -> Heard {
    let mut heard = Heard::default();
    for output in reading.outputs {
        match output {
            GraphqlOutput::Send(text) => heard.answers.push(Frame::Text(text)),
            GraphqlOutput::Refused(why) => {
                heard.refused = Some(format!("the server refused connection_init: {why}"));
            }
            GraphqlOutput::Acknowledged { .. } | GraphqlOutput::Answered { .. } => {}
        }
    }
    let housekeeping = matches!(
        reading.note.kind,
        NoteKind::Heartbeat | NoteKind::Connect | NoteKind::ConnectError
    );
    if !housekeeping {
        heard.unread = Some(Unread::plain(payload));
    }
    heard
}

/// MQTT's handshake, acknowledgements and pings are the run's; PUBLISH and the rest are the
/// steps' to read, as messages.
fn mqtt_heard(reading: MqttReading, payload: Payload) -> Heard {
    let mut heard = Heard::default();
    for output in reading.outputs {
        match output {
            MqttOutput::Send(bytes, _) => heard.answers.push(Frame::Binary(bytes)),
            MqttOutput::Refused { code, name, .. } => {
                heard.refused = Some(format!("the broker refused CONNECT: {name} ({code})"));
            }
            MqttOutput::Connected { .. } | MqttOutput::RoundTrip(_) | MqttOutput::Trouble(_) => {}
        }
    }
    let housekeeping = matches!(
        reading.note.kind,
        NoteKind::Heartbeat
            | NoteKind::Connect
            | NoteKind::ConnectError
            | NoteKind::Ack
            | NoteKind::Attachment
    );
    if !housekeeping {
        heard.unread = Some(Unread::plain(payload));
    }
    heard
}

/// STOMP's CONNECTED, heart-beats and receipts are the run's; MESSAGE, ERROR and the rest are
/// the steps' to read, as messages.
fn stomp_heard(reading: StompReading, payload: Payload) -> Heard {
    let mut heard = Heard::default();
    for output in reading.outputs {
        match output {
            StompOutput::Send(bytes, _) => heard.answers.push(websocket_frame(bytes)),
            StompOutput::Refused { message, body } => {
                let body = if body.is_empty() {
                    String::new()
                } else {
                    format!(" ({body})")
                };
                heard.refused = Some(format!("the broker refused CONNECT: {message}{body}"));
            }
            StompOutput::Connected { .. }
            | StompOutput::Failed { .. }
            | StompOutput::RoundTrip(_)
            | StompOutput::Trouble(_) => {}
        }
    }
    let housekeeping = matches!(
        reading.note.kind,
        NoteKind::Heartbeat | NoteKind::Connect | NoteKind::Ack | NoteKind::Attachment
    );
    if !housekeeping {
        heard.unread = Some(Unread::plain(payload));
    }
    heard
}

/// A notification or call from the server: its method and params (null when it has none).
fn server_request(text: &str) -> Option<(String, Payload)> {
    let value: Value = serde_json::from_str(text).ok()?;
    let method = value.get("method")?.as_str()?.to_string();
    let params = value.get("params").cloned().unwrap_or(Value::Null);
    Some((method, Payload::Text(params.to_string())))
}

fn rpc_reply(outcome: RpcOutcome) -> Reply {
    match outcome {
        RpcOutcome::Result(value) => Reply::Result(value),
        RpcOutcome::Error {
            code,
            meaning,
            message,
            data,
        } => {
            let mut object = json!({"code": code, "message": message});
            if let (Some(data), Some(fields)) = (&data, object.as_object_mut()) {
                fields.insert("data".into(), data.clone());
            }
            let words = format!("error {code} {meaning}: {message}");
            Reply::Error(object, words)
        }
    }
}
