//! Scenario steps that speak a protocol (Emit, Expect event, Call, Expect result), run
//! against the frames a Socket.IO or JSON-RPC server sends, as their documents give them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::json;
use wsprobe_core::compose::Format;
use wsprobe_core::protocol::settings::{Protocol, ProtocolSettings, SocketIoRelease};
use wsprobe_core::request::Request;
use wsprobe_core::scenario::{
    Action, Capture, Event, Matcher, Mode, Payload, PointerMatch, Run, Scenario, StepKind,
    StepState, Verdict,
};

mod common;
use common::connect;

const OPEN: &str =
    r#"0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#;

fn request(protocol: Protocol, namespaces: &str) -> Request {
    let mut settings = ProtocolSettings {
        protocol,
        ..ProtocolSettings::default()
    };
    settings.socket_io.namespaces = namespaces.into();
    Request {
        url: "ws://127.0.0.1:9/".into(),
        protocol: settings,
        ..Request::default()
    }
}

fn scenario(kinds: Vec<StepKind>) -> Scenario {
    common::steps(kinds)
}

/// The handshake done: the socket opened with no subprotocol.
fn open(run: &mut Run, at: f64) -> Vec<Action> {
    run.handle(
        Event::Opened {
            subprotocol: String::new(),
        },
        at,
    )
}

/// A run of `steps` for `request`, started, its socket open; and what the opening asked for.
fn opened(steps: Vec<StepKind>, request: &Request) -> (Run, Vec<Action>) {
    let mut run = Run::new(&scenario(steps), request, &[]).unwrap();
    run.start(0.0);
    let actions = open(&mut run, 1.0);
    (run, actions)
}

fn emit(event: &str, args: &str, ack: bool) -> StepKind {
    StepKind::Emit {
        event: event.into(),
        args: args.into(),
        namespace: String::new(),
        ack,
    }
}

fn call(method: &str, params: &str) -> StepKind {
    StepKind::Call {
        method: method.into(),
        params: params.into(),
        notification: false,
    }
}

fn result(matcher: Matcher, error: bool) -> StepKind {
    StepKind::ExpectResult {
        matcher,
        error,
        timeout_ms: 1000,
        capture: vec![],
    }
}

fn event(name: &str, matcher: Matcher) -> StepKind {
    StepKind::ExpectEvent {
        event: name.into(),
        matcher,
        mode: Mode::SkipUntil,
        timeout_ms: 1000,
        capture: vec![],
    }
}

/// The text frames among `actions`.
fn sent(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Send(Payload::Text(text)) => Some(text.clone()),
            _ => None,
        })
        .collect()
}

fn text(run: &mut Run, frame: &str, at: f64) -> Vec<Action> {
    run.handle(Event::Message(Payload::Text(frame.into())), at)
}

fn state(run: &Run, index: usize) -> &'static str {
    run.states()[index].word()
}

fn failure(run: &Run, index: usize) -> String {
    match &run.states()[index] {
        StepState::Failed { failure, .. } => failure.actual.clone(),
        other => panic!("step {index} is {}", other.word()),
    }
}

#[test]
fn a_socket_io_exchange_waits_for_the_namespace_answers_pings_and_pairs_the_ack() {
    let steps = vec![
        connect(),
        emit("ping", r#"["{{who}}"]"#, true),
        StepKind::ExpectResult {
            matcher: Matcher::JsonSubset(json!(["pong", "ada"])),
            error: false,
            timeout_ms: 1000,
            capture: vec![Capture {
                name: "word".into(),
                pointer: Some("/0".into()),
                ..Capture::default()
            }],
        },
        event(
            "news",
            Matcher::JsonPointer(PointerMatch {
                pointer: "/0/n".into(),
                equals: Some(json!(1)),
                ..PointerMatch::default()
            }),
        ),
        emit("said", r#"["{{word}}"]"#, false),
        StepKind::Close {
            code: 1000,
            reason: String::new(),
        },
    ];
    let vars = [wsprobe_core::variables::Variable {
        name: "who".into(),
        value: "ada".into(),
        secret: false,
    }];
    let mut run = Run::new(&scenario(steps), &request(Protocol::SocketIo, "/"), &vars).unwrap();
    let start = run.start(0.0);
    let dial = start.iter().find_map(|a| match a {
        Action::Dial(target) => Some(target.url.clone()),
        _ => None,
    });
    assert_eq!(
        dial.as_deref(),
        Some("ws://127.0.0.1:9/socket.io/?EIO=4&transport=websocket")
    );
    open(&mut run, 1.0);
    assert_eq!(state(&run, 0), "running", "Connect waits for Socket.IO");
    let opened = text(&mut run, OPEN, 2.0);
    assert_eq!(sent(&opened), ["40"], "the namespace is asked for");
    assert!(
        opened
            .iter()
            .any(|a| matches!(a, Action::ArmTimer { after_ms, .. } if *after_ms >= 25_000.0)),
        "the heartbeat is timed: {opened:?}"
    );
    assert_eq!(state(&run, 0), "running");
    let joined = text(&mut run, r#"40{"sid":"s1"}"#, 3.0);
    assert_eq!(state(&run, 0), "passed");
    assert_eq!(sent(&joined), [r#"420["ping","ada"]"#]);
    assert_eq!(
        sent(&text(&mut run, "2", 4.0)),
        ["3"],
        "the ping is answered"
    );
    // An event before the ack waits in the queue for Expect event.
    text(&mut run, r#"42["news",{"n":1}]"#, 5.0);
    assert_eq!(state(&run, 2), "running");
    let acked = text(&mut run, r#"430["pong","ada"]"#, 6.0);
    assert_eq!(state(&run, 2), "passed");
    assert_eq!(state(&run, 3), "passed");
    assert_eq!(
        sent(&acked),
        [r#"42["said","pong"]"#],
        "the capture is used"
    );
    assert!(
        acked
            .iter()
            .any(|a| matches!(a, Action::Close { code: 1000, .. }))
    );
    assert_eq!(run.verdict(), Some(Verdict::Passed));
}

#[test]
fn an_ack_on_a_namespace_named_without_its_slash_is_read() {
    let (mut run, _) = opened(
        vec![
            connect(),
            StepKind::Emit {
                event: "whoami".into(),
                args: String::new(),
                namespace: "admin".into(),
                ack: true,
            },
            result(Matcher::Equals(r#"["admin"]"#.into()), false),
        ],
        &request(Protocol::SocketIo, "/, /admin"),
    );
    text(&mut run, OPEN, 2.0);
    text(&mut run, "40", 3.0);
    let joined = text(&mut run, "40/admin,", 4.0);
    assert_eq!(sent(&joined), [r#"42/admin,0["whoami"]"#]);
    text(&mut run, r#"43/admin,0["admin"]"#, 5.0);
    assert_eq!(run.verdict(), Some(Verdict::Passed), "{:?}", run.states());
}

#[test]
fn a_refused_namespace_fails_the_connect_with_the_servers_message() {
    let (mut run, _) = opened(
        vec![connect(), emit("x", "", false)],
        &request(Protocol::SocketIo, "/admin"),
    );
    assert_eq!(sent(&text(&mut run, OPEN, 2.0)), ["40/admin,"]);
    text(
        &mut run,
        r#"44/admin,{"message":"Not authorized","data":{"reason":"bad token"}}"#,
        3.0,
    );
    assert_eq!(
        failure(&run, 0),
        r#"the server refused namespace /admin: Not authorized (data: {"reason":"bad token"})"#
    );
    assert_eq!(state(&run, 1), "skipped");
}

#[test]
fn an_expect_event_in_next_mode_names_what_came_instead() {
    let (mut run, _) = opened(
        vec![
            connect(),
            StepKind::ExpectEvent {
                event: "news".into(),
                matcher: Matcher::Any,
                mode: Mode::Next,
                timeout_ms: 1000,
                capture: vec![],
            },
        ],
        &request(Protocol::SocketIo, ""),
    );
    text(&mut run, OPEN, 2.0);
    text(&mut run, "40", 3.0);
    // Pings are the protocol's own: they are not the next event.
    text(&mut run, "2", 4.0);
    text(&mut run, r#"42["weather",1]"#, 5.0);
    assert_eq!(failure(&run, 1), "the next message did not match");
    let StepState::Failed { failure, .. } = &run.states()[1] else {
        panic!()
    };
    assert_eq!(failure.received.len(), 1);
    assert_eq!(
        failure.received[0].why,
        "it is event \u{201c}weather\u{201d}, not \u{201c}news\u{201d}"
    );
    assert!(
        failure.received[0]
            .preview
            .starts_with("event \u{201c}weather\u{201d}"),
        "{}",
        failure.received[0].preview
    );
}

#[test]
fn json_rpc_calls_pair_results_and_errors_and_server_notifications_are_events() {
    let steps = vec![
        connect(),
        call("subtract", "[42, 23]"),
        result(Matcher::Equals("19".into()), false),
        call("nope", ""),
        result(
            Matcher::JsonPointer(PointerMatch {
                pointer: "/code".into(),
                equals: Some(json!(-32601)),
                ..PointerMatch::default()
            }),
            true,
        ),
        event("tick", Matcher::JsonSubset(json!([2]))),
        call("nope", ""),
        result(Matcher::Any, false),
    ];
    let (mut run, opened) = opened(steps, &request(Protocol::JsonRpc, ""));
    assert_eq!(
        sent(&opened),
        [r#"{"jsonrpc":"2.0","method":"subtract","params":[42,23],"id":1}"#]
    );
    let first = text(&mut run, r#"{"jsonrpc":"2.0","result":19,"id":1}"#, 2.0);
    assert_eq!(state(&run, 2), "passed");
    assert_eq!(
        sent(&first),
        [r#"{"jsonrpc":"2.0","method":"nope","id":2}"#]
    );
    text(
        &mut run,
        r#"{"jsonrpc":"2.0","method":"tick","params":[1]}"#,
        3.0,
    );
    text(
        &mut run,
        r#"{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":2}"#,
        4.0,
    );
    assert_eq!(state(&run, 4), "passed");
    assert_eq!(state(&run, 5), "running", "tick [1] is passed over");
    text(
        &mut run,
        r#"{"jsonrpc":"2.0","method":"tick","params":[2]}"#,
        5.0,
    );
    assert_eq!(state(&run, 5), "passed");
    text(
        &mut run,
        r#"{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":3}"#,
        6.0,
    );
    assert_eq!(
        failure(&run, 7),
        "the call of \u{201c}nope\u{201d} failed: error -32601 Method not found: Method not found"
    );
}

#[test]
fn a_reply_that_does_not_come_says_which_request_it_answers() {
    let (mut run, opened) = opened(
        vec![connect(), call("slow", "[]"), result(Matcher::Any, false)],
        &request(Protocol::JsonRpc, ""),
    );
    let timer = opened
        .iter()
        .find_map(|a| match a {
            Action::ArmTimer { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap();
    run.handle(Event::TimerFired(timer), 1001.0);
    assert_eq!(
        failure(&run, 2),
        "no reply to the call of \u{201c}slow\u{201d} arrived within 1000 ms"
    );
}

#[test]
fn protocol_steps_need_their_protocol_and_a_reply_needs_a_request() {
    let error = |kinds: Vec<StepKind>, protocol: Protocol| {
        Run::new(&scenario(kinds), &request(protocol, ""), &[])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    assert_eq!(
        error(vec![connect(), emit("a", "", false)], Protocol::WebSocket),
        "Step 2 (Emit \u{201c}a\u{201d}): Emit speaks Socket.IO, but this request's Protocol is \
         WebSocket; choose Socket.IO beside Subprotocols"
    );
    assert_eq!(
        error(
            vec![connect(), emit("a", "", false), result(Matcher::Any, false)],
            Protocol::SocketIo
        ),
        "Step 3 (Expect result within 1000 ms): no Call or Emit with acknowledgement comes before it, so no \
         reply is awaited"
    );
    assert_eq!(
        error(
            vec![connect(), emit("a", "", true), result(Matcher::Any, true)],
            Protocol::SocketIo
        ),
        "Step 3 (Expect error within 1000 ms): a Socket.IO acknowledgement has no error: expect its result \
         instead"
    );
    assert!(
        error(
            vec![connect(), emit("connect", "", false)],
            Protocol::SocketIo
        )
        .contains("reserved"),
        "a reserved event name is refused before the run"
    );
}

#[test]
fn socket_io_2_pings_on_its_own_timer() {
    let mut req = request(Protocol::SocketIo, "");
    req.protocol.socket_io.release = SocketIoRelease::V2;
    let mut run = Run::new(
        &scenario(vec![
            connect(),
            StepKind::Wait { ms: 60_000 },
            StepKind::Send {
                format: Format::Text,
                text: "x".into(),
            },
        ]),
        &req,
        &[],
    )
    .unwrap();
    let start = run.start(0.0);
    assert!(
        start
            .iter()
            .any(|a| matches!(a, Action::Dial(t) if t.url.ends_with("EIO=3&transport=websocket"))),
        "{start:?}"
    );
    open(&mut run, 1.0);
    let opened = text(
        &mut run,
        r#"0{"sid":"abc","upgrades":[],"pingInterval":1000,"pingTimeout":500}"#,
        2.0,
    );
    text(&mut run, "40", 3.0);
    assert_eq!(state(&run, 0), "passed");
    let tick = opened
        .iter()
        .find_map(|a| match a {
            Action::ArmTimer { id, after_ms } if *after_ms <= 1000.0 => Some(*id),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no heartbeat timer: {opened:?}"));
    let fired = run.handle(Event::TimerFired(tick), 1002.0);
    assert_eq!(sent(&fired), ["2"], "the client pings: {fired:?}");
    assert!(
        fired.iter().any(|a| matches!(a, Action::ArmTimer { .. })),
        "and times the next: {fired:?}"
    );
}

mod any_frames {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    fn step() -> impl Strategy<Value = StepKind> {
        prop_oneof![
            Just(connect()),
            Just(emit("ping", "[1]", true)),
            Just(emit("chat", "", false)),
            Just(emit("bad", "{", false)),
            Just(call("subtract", "[2, 1]")),
            Just(result(Matcher::Any, false)),
            Just(result(Matcher::Equals("1".into()), true)),
            Just(event("", Matcher::Any)),
            Just(event("news", Matcher::JsonSubset(json!([1])))),
            Just(StepKind::Wait { ms: 300 }),
            Just(StepKind::Close {
                code: 1000,
                reason: String::new()
            }),
        ]
    }

    fn frame() -> impl Strategy<Value = Event> {
        prop_oneof![
            Just(OPEN.to_string()),
            Just(r#"0{"sid":"a","pingInterval":100,"pingTimeout":50}"#.to_string()),
            Just("40".to_string()),
            Just("2".to_string()),
            Just(r#"42["news",1]"#.to_string()),
            Just(r#"430["pong"]"#.to_string()),
            Just(r#"451-["b",{"_placeholder":true,"num":0}]"#.to_string()),
            Just(r#"44{"message":"no"}"#.to_string()),
            Just(r#"{"jsonrpc":"2.0","result":1,"id":1}"#.to_string()),
            Just(r#"{"jsonrpc":"2.0","error":{"code":1,"message":"x"},"id":1}"#.to_string()),
            Just(r#"{"jsonrpc":"2.0","method":"news","params":[1]}"#.to_string()),
            ".{0,6}",
        ]
        .prop_map(|t| Event::Message(Payload::Text(t)))
        .boxed()
        .prop_union(
            prop_oneof![
                Just(Event::Opened {
                    subprotocol: String::new()
                }),
                proptest::collection::vec(any::<u8>(), 0..4)
                    .prop_map(|b| Event::Message(Payload::Binary(b))),
                Just(Event::Closed {
                    code: 1006,
                    reason: String::new(),
                    clean: false
                }),
            ]
            .boxed(),
        )
    }

    proptest! {
        /// Whatever the server sends, every run of protocol steps ends once its timers fire,
        /// the heartbeat's included, and leaves no timer armed.
        #[test]
        fn any_frames_then_the_timers_end_every_protocol_run(
            socket_io in any::<bool>(),
            v2 in any::<bool>(),
            kinds in proptest::collection::vec(step(), 0..7),
            events in proptest::collection::vec(frame(), 0..12),
        ) {
            let mut req = request(if socket_io { Protocol::SocketIo } else { Protocol::JsonRpc }, "");
            if v2 {
                req.protocol.socket_io.release = SocketIoRelease::V2;
            }
            let Ok(run) = Run::new(&scenario(kinds), &req, &[]) else {
                return Ok(());
            };
            let mut run = run;
            let mut armed: BTreeMap<u64, f64> = BTreeMap::new();
            let mut now = 0.0;
            let take = |actions: Vec<Action>, now: f64, armed: &mut BTreeMap<u64, f64>| {
                for action in actions {
                    match action {
                        Action::ArmTimer { id, after_ms } => {
                            assert!(after_ms >= 0.0);
                            armed.insert(id.0, now + after_ms);
                        }
                        Action::CancelTimer(id) => {
                            armed.remove(&id.0);
                        }
                        _ => {}
                    }
                }
            };
            take(run.start(now), now, &mut armed);
            for event in events {
                now += 1.0;
                take(run.handle(event, now), now, &mut armed);
            }
            let mut fired = 0;
            while let Some((id, due)) = armed.iter().min_by(|a, b| a.1.total_cmp(b.1)).map(|(i, d)| (*i, *d)) {
                armed.remove(&id);
                now = f64::max(now, due);
                take(run.handle(Event::TimerFired(wsprobe_core::scenario::TimerId(id)), now), now, &mut armed);
                fired += 1;
                prop_assert!(fired < 10_000, "timers keep coming");
            }
            prop_assert!(run.is_finished(), "{:?}", run.states());
        }
    }
}

fn expect_message(matcher: Matcher) -> StepKind {
    StepKind::ExpectMessage {
        matcher,
        mode: Mode::Next,
        timeout_ms: 1000,
        capture: vec![],
    }
}

#[test]
fn a_graphql_run_sends_connection_init_from_the_settings_and_connects_on_its_ack() {
    let mut request = request(Protocol::Graphql, "/");
    request.protocol.graphql.init_payload = r#"{"token": "{{token}}"}"#.into();
    let send = StepKind::Send {
        format: Format::Text,
        text: r#"{"id":"1","type":"subscribe","payload":{"query":"{ hello }"}}"#.into(),
    };
    let answer = expect_message(Matcher::Contains("Hello".into()));
    let mut run = Run::new(
        &scenario(vec![connect(), send, answer]),
        &request,
        &[wsprobe_core::variables::Variable {
            name: "token".into(),
            value: "s3cret".into(),
            secret: true,
        }],
    )
    .unwrap();
    run.start(0.0);
    let opened = run.handle(
        Event::Opened {
            subprotocol: "graphql-transport-ws".into(),
        },
        1.0,
    );
    assert_eq!(
        sent(&opened),
        [r#"{"payload":{"token":"s3cret"},"type":"connection_init"}"#]
    );
    assert_eq!(state(&run, 0), "running", "the Connect waits for the ack");
    let acked = text(&mut run, r#"{"type":"connection_ack"}"#, 2.0);
    assert_eq!(state(&run, 0), "passed");
    assert_eq!(sent(&acked).len(), 1, "the Send goes after the ack");
    // The server's ping is answered by the run, and is no step's message.
    let pinged = text(&mut run, r#"{"type":"ping"}"#, 3.0);
    assert_eq!(sent(&pinged), [r#"{"type":"pong"}"#]);
    text(
        &mut run,
        r#"{"id":"1","type":"next","payload":{"data":{"hello":"Hello"}}}"#,
        4.0,
    );
    assert_eq!(state(&run, 2), "passed");
}

#[test]
fn a_refused_graphql_connection_init_fails_the_connect_in_the_servers_words() {
    let mut request = request(Protocol::Graphql, "/");
    request.protocol.graphql.dialect = wsprobe_core::protocol::graphql::Dialect::Legacy;
    let (mut run, actions) = opened(vec![connect()], &request);
    assert_eq!(sent(&actions), [r#"{"type":"connection_init"}"#]);
    text(
        &mut run,
        r#"{"type":"connection_error","payload":{"message":"Not authorized"}}"#,
        2.0,
    );
    assert_eq!(
        failure(&run, 0),
        "the server refused connection_init: Not authorized"
    );
}

/// The binary frames among `actions`.
fn sent_bytes(actions: &[Action]) -> Vec<Vec<u8>> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Send(Payload::Binary(bytes)) => Some(bytes.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn an_mqtt_run_connects_with_the_settings_answers_the_broker_and_reads_its_messages() {
    use wsprobe_core::protocol::mqtt::packet::{self, MqttVersion, Packet, Publish};
    let mut request = request(Protocol::Mqtt, "/");
    request.protocol.mqtt.connect.username = "wsprobe".into();
    request.protocol.mqtt.connect.password = "{{pw}}".into();
    let subscribe = packet::encode(
        &Packet::Subscribe(packet::Subscribe {
            packet_id: 1,
            properties: Vec::new(),
            filters: vec![("a/#".into(), 1)],
        }),
        MqttVersion::V311,
    );
    let steps = vec![
        connect(),
        StepKind::Send {
            format: Format::Hex,
            text: wsprobe_core::payload::hex(&subscribe),
        },
        expect_message(Matcher::Any),
    ];
    let mut run = Run::new(
        &scenario(steps),
        &request,
        &[wsprobe_core::variables::Variable {
            name: "pw".into(),
            value: "letmein".into(),
            secret: true,
        }],
    )
    .unwrap();
    run.start(0.0);
    let opened = open(&mut run, 1.0);
    let [connect_bytes] = sent_bytes(&opened).try_into().unwrap();
    let Ok(Some((Packet::Connect(c), _))) = packet::decode(&connect_bytes, MqttVersion::V311)
    else {
        panic!("not CONNECT")
    };
    assert_eq!(c.password.as_deref(), Some(&b"letmein"[..]));
    assert_eq!(state(&run, 0), "running", "the Connect waits for CONNACK");
    let acked = run.handle(Event::Message(Payload::Binary(vec![0x20, 2, 0, 0])), 2.0);
    assert_eq!(state(&run, 0), "passed");
    assert_eq!(sent_bytes(&acked), [subscribe]);
    // The SUBACK is the run's; the message at QoS 1 is the step's, and acknowledged.
    run.handle(Event::Message(Payload::Binary(vec![0x90, 3, 0, 1, 1])), 3.0);
    assert_eq!(state(&run, 2), "running");
    let message = packet::encode(
        &Packet::Publish(Publish {
            dup: false,
            qos: 1,
            retain: false,
            topic: "a/b".into(),
            packet_id: Some(9),
            properties: Vec::new(),
            payload: b"hi".to_vec(),
        }),
        MqttVersion::V311,
    );
    let answered = run.handle(Event::Message(Payload::Binary(message)), 4.0);
    assert_eq!(sent_bytes(&answered), [vec![0x40, 2, 0, 9]]);
    assert_eq!(state(&run, 2), "passed");
}

#[test]
fn a_refused_mqtt_connect_fails_the_connect_with_the_reason() {
    let (mut run, _) = opened(vec![connect()], &request(Protocol::Mqtt, "/"));
    run.handle(Event::Message(Payload::Binary(vec![0x20, 2, 0, 5])), 2.0);
    assert_eq!(
        failure(&run, 0),
        "the broker refused CONNECT: not authorized (5)"
    );
}

#[test]
fn an_mqtt_run_says_disconnect_before_its_close() {
    let steps = vec![
        connect(),
        StepKind::Close {
            code: 1000,
            reason: String::new(),
        },
    ];
    let (mut run, _) = opened(steps, &request(Protocol::Mqtt, "/"));
    let actions = run.handle(Event::Message(Payload::Binary(vec![0x20, 2, 0, 0])), 2.0);
    assert_eq!(sent_bytes(&actions), [vec![0xE0, 0x00]]);
    let send = actions.iter().position(|a| matches!(a, Action::Send(_)));
    let close = actions
        .iter()
        .position(|a| matches!(a, Action::Close { code: 1000, .. }));
    assert!(send < close && send.is_some(), "{actions:?}");
}
