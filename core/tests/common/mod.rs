//! What the scenario tests share: strategies for scenarios of every step kind and matcher and
//! events of every kind, valid or not; a Connect step; the JSON files of a folder.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use serde_json::{Value, json};
use wsprobe_core::compose::Format;
use wsprobe_core::scenario::{
    Capture, Event, Matcher, Mode, Payload, PointerMatch, Scenario, SizeRange, Step, StepKind,
    TimerId,
};

pub fn matcher() -> impl Strategy<Value = Matcher> {
    prop_oneof![
        Just(Matcher::Any),
        "[a-c]{0,3}".prop_map(Matcher::Equals),
        "[a-c]{0,2}".prop_map(Matcher::Contains),
        "\\^?[a-c]{1,2}\\$?".prop_map(Matcher::Regex),
        prop_oneof![
            Just(json!({})),
            Just(json!({"a": 1})),
            Just(json!({"b": [1, {"c": "x"}]})),
            Just(json!([1, 2]))
        ]
        .prop_map(Matcher::JsonSubset),
        (
            prop_oneof![Just("/a"), Just("/b/0"), Just(""), Just("/x~1y")],
            0..4u8
        )
            .prop_map(|(pointer, test)| Matcher::JsonPointer(PointerMatch {
                pointer: pointer.into(),
                equals: (test == 1).then(|| json!(1)),
                matches: (test == 2).then(|| "1".into()),
                exists: (test == 3).then_some(false),
            })),
        "([0-9a-f]{2} ?){0,3}".prop_map(Matcher::BinaryEquals),
        "([0-9a-f]{2}){0,2}".prop_map(Matcher::BinaryPrefix),
        (proptest::option::of(0..4u64), proptest::option::of(4..8u64))
            .prop_map(|(min, max)| Matcher::Size(SizeRange { min, max })),
    ]
}

fn capture() -> impl Strategy<Value = Capture> {
    prop_oneof![
        Just(Capture {
            name: "got".into(),
            pointer: Some("/a".into()),
            ..Capture::default()
        }),
        Just(Capture {
            name: "word".into(),
            regex: Some("([a-c]+)".into()),
            group: 1,
            ..Capture::default()
        }),
    ]
}

pub fn step_kind() -> impl Strategy<Value = StepKind> {
    let ms = 0..3000u64;
    prop_oneof![
        (
            ms.clone(),
            proptest::option::of(prop_oneof![Just(""), Just("chat")]),
            any::<bool>(),
            proptest::option::of(400..404u16)
        )
            .prop_map(
                |(timeout_ms, subprotocol, refused, status)| StepKind::Connect {
                    timeout_ms,
                    subprotocol: if refused {
                        None
                    } else {
                        subprotocol.map(String::from)
                    },
                    refused,
                    status: if refused { status } else { None },
                }
            ),
        prop_oneof![
            (
                Just(Format::Text),
                "[a-c{}]{0,4}".prop_map(|t| t.replace("{{", "x"))
            ),
            (Just(Format::Json), Just("{\"a\": 1}".to_string())),
            (Just(Format::Hex), Just("01 02".to_string())),
            (Just(Format::Base64), Just("AAE=".to_string())),
        ]
        .prop_map(|(format, text)| StepKind::Send { format, text }),
        (
            matcher(),
            prop_oneof![Just(Mode::Next), Just(Mode::SkipUntil)],
            ms.clone(),
            proptest::collection::vec(capture(), 0..2)
        )
            .prop_map(
                |(matcher, mode, timeout_ms, capture)| StepKind::ExpectMessage {
                    matcher,
                    mode,
                    timeout_ms,
                    capture,
                }
            ),
        (matcher(), ms.clone())
            .prop_map(|(matcher, for_ms)| StepKind::ExpectNoMessage { matcher, for_ms }),
        (1..4u64, matcher(), ms.clone()).prop_map(|(count, matcher, within_ms)| {
            StepKind::ExpectMessages {
                count,
                matcher,
                within_ms,
            }
        }),
        ms.clone().prop_map(|ms| StepKind::Wait { ms }),
        (prop_oneof![Just(1000u16), 3000..5000u16], "[a-z ]{0,8}")
            .prop_map(|(code, reason)| StepKind::Close { code, reason }),
        (
            proptest::option::of(prop_oneof![Just(1000u16), Just(1006u16), Just(4000u16)]),
            proptest::option::of("\\^?[a-c]{0,2}"),
            ms
        )
            .prop_map(|(code, reason, timeout_ms)| StepKind::ExpectClose {
                code,
                reason,
                timeout_ms,
            }),
    ]
}

/// The steps that speak a protocol, for files and the editor (a run needs the protocol).
pub fn protocol_step_kind() -> impl Strategy<Value = StepKind> {
    let ms = 0..3000u64;
    prop_oneof![
        (
            "[a-c]{1,3}",
            prop_oneof![Just(""), Just("[1]"), Just("[\"{{x}}\"]")],
            prop_oneof![Just(""), Just("/admin")],
            any::<bool>()
        )
            .prop_map(|(event, args, namespace, ack)| StepKind::Emit {
                event,
                args: args.into(),
                namespace: namespace.into(),
                ack,
            }),
        (
            "[a-c]{0,3}",
            matcher(),
            prop_oneof![Just(Mode::Next), Just(Mode::SkipUntil)],
            ms.clone(),
            proptest::collection::vec(capture(), 0..2)
        )
            .prop_map(|(event, matcher, mode, timeout_ms, capture)| {
                StepKind::ExpectEvent {
                    event,
                    matcher,
                    mode,
                    timeout_ms,
                    capture,
                }
            }),
        (
            "[a-c]{1,3}",
            prop_oneof![Just(""), Just("[1, 2]"), Just("{\"a\": 1}")],
            any::<bool>()
        )
            .prop_map(|(method, params, notification)| StepKind::Call {
                method,
                params: params.into(),
                notification,
            }),
        (
            matcher(),
            any::<bool>(),
            ms,
            proptest::collection::vec(capture(), 0..2)
        )
            .prop_map(
                |(matcher, error, timeout_ms, capture)| StepKind::ExpectResult {
                    matcher,
                    error,
                    timeout_ms,
                    capture,
                }
            ),
    ]
}

/// A scenario of these steps, numbered from 1.
pub fn steps(kinds: Vec<StepKind>) -> Scenario {
    Scenario {
        name: "test".into(),
        steps: kinds
            .into_iter()
            .zip(1..)
            .map(|(kind, id)| Step::new(id, kind))
            .collect(),
    }
}

/// Scenarios of every step kind, protocol steps included: for files, not runs.
pub fn any_scenario() -> impl Strategy<Value = Scenario> {
    proptest::collection::vec(prop_oneof![step_kind(), protocol_step_kind()], 0..8).prop_map(steps)
}

/// Scenarios that compile: their steps, each with its own id.
pub fn scenario() -> impl Strategy<Value = Scenario> {
    (
        "[A-Za-z ]{0,12}",
        proptest::collection::vec(step_kind(), 0..8),
    )
        .prop_map(|(name, kinds)| Scenario {
            name,
            steps: kinds
                .into_iter()
                .zip(1..)
                .map(|(kind, id)| Step::new(id, kind))
                .collect(),
        })
}

/// Message data of every kind: text, JSON (deep, huge numbers), invalid UTF-8 as binary.
pub fn payload() -> impl Strategy<Value = Payload> {
    prop_oneof![
        "[a-c]{0,4}".prop_map(Payload::Text),
        prop_oneof![
            Just(r#"{"a":1}"#.to_string()),
            Just(r#"{"a":"abc","b":[1,{"c":"x"}]}"#.to_string()),
            Just("[1,2]".to_string()),
            Just(r#"{"a":1e400}"#.to_string()),
            Just(r#"{"a":123456789012345678901234567890}"#.to_string()),
            (1..300usize).prop_map(|depth| format!("{}1{}", "[".repeat(depth), "]".repeat(depth))),
            (1..300usize).prop_map(|depth| format!(
                "{}{}",
                "{\"a\":".repeat(depth),
                "}".repeat(depth)
            )),
        ]
        .prop_map(Payload::Text),
        ".{0,8}".prop_map(Payload::Text),
        proptest::collection::vec(any::<u8>(), 0..8).prop_map(Payload::Binary),
    ]
}

/// Any event, including timers the run never armed and handshakes it never asked for.
pub fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        prop_oneof![Just(""), Just("chat"), Just("other")].prop_map(|s| Event::Opened {
            subprotocol: s.into()
        }),
        (proptest::option::of(400..404u16), ".{0,4}")
            .prop_map(|(status, detail)| Event::Refused { status, detail }),
        payload().prop_map(Event::Message),
        payload().prop_map(Event::Message),
        payload().prop_map(Event::Message),
        (
            prop_oneof![Just(1000u16), Just(1006u16), Just(4000u16), any::<u16>()],
            "[a-c]{0,3}",
            any::<bool>()
        )
            .prop_map(|(code, reason, clean)| Event::Closed {
                code,
                reason,
                clean
            }),
        (0..12u64).prop_map(|id| Event::TimerFired(TimerId(id))),
    ]
}

/// A JSON value of a given shape, for matching tests.
pub fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-2i64..3).prop_map(|n| json!(n)),
        "[ab]{0,2}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            proptest::collection::btree_map("[ab]", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A Connect step that waits 1 s for the handshake.
pub fn connect() -> StepKind {
    StepKind::Connect {
        timeout_ms: 1000,
        subprotocol: None,
        refused: false,
        status: None,
    }
}

/// The `.json` files in `dir`, sorted.
pub fn json_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
}
