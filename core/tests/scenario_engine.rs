//! The run through its public API: what `Run::new` refuses, recording, captures, and the
//! example scenarios against a server that behaves.

// A test that cannot go on should stop with the reason: unwrap, expect and panic are its way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::PathBuf;

use serde_json::json;
use wsprobe_core::compose::Format;
use wsprobe_core::request::Request;
use wsprobe_core::scenario::{
    Action, Capture, Event, Matcher, Mode, Payload, Recorded, Run, Scenario, Step, StepKind,
    StepState, TimerId, Verdict, file, record,
};
use wsprobe_core::variables::Variable;

mod common;
use common::connect;

fn request() -> Request {
    Request {
        url: "ws://h/".into(),
        ..Request::default()
    }
}

fn scenario(kinds: Vec<StepKind>) -> Scenario {
    Scenario {
        name: "test".into(),
        steps: kinds
            .into_iter()
            .zip(1..)
            .map(|(k, id)| Step::new(id, k))
            .collect(),
    }
}

fn expect(matcher: Matcher) -> StepKind {
    StepKind::ExpectMessage {
        matcher,
        mode: Mode::Next,
        timeout_ms: 1000,
        capture: vec![],
    }
}

fn send(text: &str) -> StepKind {
    StepKind::Send {
        format: Format::Text,
        text: text.into(),
    }
}

fn error(kinds: Vec<StepKind>) -> String {
    match Run::new(&scenario(kinds), &request(), &[]) {
        Ok(_) => String::new(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_step_that_cannot_run_is_named_before_the_run() {
    let regex = error(vec![connect(), expect(Matcher::Regex("a(".into()))]);
    assert!(
        regex.starts_with("Step 2 (Expect message: matches /a(/ within 1000 ms): the regular expression /a(/ is not valid: "),
        "{regex}"
    );
    let unknown = error(vec![connect(), send("{{nope}}")]);
    assert!(
        unknown.starts_with("Step 2 (Send Text: {{nope}}): {{nope}} is not defined"),
        "{unknown}"
    );
    let too_early = error(vec![
        connect(),
        send("{{id}}"),
        StepKind::ExpectMessage {
            matcher: Matcher::Any,
            mode: Mode::Next,
            timeout_ms: 10,
            capture: vec![Capture {
                name: "id".into(),
                pointer: Some("/id".into()),
                ..Capture::default()
            }],
        },
    ]);
    assert!(
        too_early.starts_with("Step 2"),
        "a capture serves only the steps after it: {too_early}"
    );
    assert!(
        error(vec![StepKind::Connect {
            timeout_ms: 1,
            subprotocol: None,
            refused: false,
            status: Some(401)
        }])
        .contains("set refused")
    );
    assert!(
        error(vec![StepKind::Send {
            format: Format::Json,
            text: "{".into()
        }])
        .contains("Not valid JSON")
    );
    assert!(
        error(vec![StepKind::Send {
            format: Format::Hex,
            text: "abc".into()
        }])
        .contains("odd number")
    );
    assert!(
        error(vec![StepKind::Close {
            code: 1001,
            reason: String::new()
        }])
        .contains("cannot be sent from a browser")
    );
    assert!(
        error(vec![StepKind::ExpectMessages {
            count: 0,
            matcher: Matcher::Any,
            within_ms: 1
        }])
        .contains("Expect no message")
    );
    assert!(
        error(vec![StepKind::ExpectClose {
            code: None,
            reason: Some("(".into()),
            timeout_ms: 1
        }])
        .contains("Step 1 (Expect close, reason matching /(/ within 1 ms)")
    );
    let request_var = Run::new(
        &scenario(vec![connect()]),
        &Request {
            url: "ws://h/{{room}}".into(),
            ..Request::default()
        },
        &[],
    );
    assert!(request_var.is_err_and(|e| {
        e.to_string()
            .starts_with("Step 1 (Connect within 1000 ms): {{room}}")
    }));
    assert_eq!(error(vec![connect(), send("{{$uuid}}")]), "");
}

/// Drives `run` as an echo server would, firing timers when nothing else happens.
fn drive_echo(run: &mut Run, subprotocol: &str) -> Vec<Action> {
    let mut all = Vec::new();
    let mut pending = run.start(0.0);
    let mut now = 0.0;
    let mut timer: Option<(TimerId, f64)> = None;
    for _ in 0..100 {
        let mut replies = Vec::new();
        for action in &pending {
            match action {
                Action::Dial(_) => replies.push(Event::Opened {
                    subprotocol: subprotocol.into(),
                }),
                Action::Send(p) => replies.push(Event::Message(p.clone())),
                Action::Close { code, reason } => replies.push(Event::Closed {
                    code: *code,
                    reason: reason.clone(),
                    clean: true,
                }),
                Action::ArmTimer { id, after_ms } => timer = Some((*id, now + after_ms)),
                Action::CancelTimer(_) => timer = None,
                _ => {}
            }
        }
        all.append(&mut pending);
        now += 1.0;
        if replies.is_empty() {
            match timer.take() {
                Some((id, at)) => {
                    now = at;
                    replies.push(Event::TimerFired(id));
                }
                None => break,
            }
        }
        for event in replies {
            pending.extend(run.handle(event, now));
        }
    }
    all
}

#[test]
fn the_echo_example_passes_against_an_echo_server() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/examples/echo.scenario.json");
    let file = file::read(&fs::read_to_string(path).unwrap()).unwrap();
    let mut run = Run::new(&file.scenario, &file.request, &[]).unwrap();
    let actions = drive_echo(&mut run, "");
    assert_eq!(
        run.verdict(),
        Some(Verdict::Passed),
        "{}",
        run.report().to_text()
    );
    assert!(actions.contains(&Action::Send(Payload::Text("hello 0".into()))));
    assert!(actions.contains(&Action::Send(Payload::Binary(vec![0xde, 0xad, 0xbe, 0xef]))));
}

#[test]
fn a_recorded_exchange_replays_as_a_passing_scenario() {
    let exchange = [
        Recorded::Sent {
            format: Format::Json,
            text: r#"{"op": "echo", "n": 1}"#.into(),
        },
        Recorded::Received(Payload::Text(r#"{"op": "echo", "n": 1}"#.into())),
        Recorded::Sent {
            format: Format::Text,
            text: "{{not a variable}}".into(),
        },
        Recorded::Received(Payload::Text("{{not a variable}}".into())),
        Recorded::sent(&Payload::Binary(vec![0, 255])),
        Recorded::Received(Payload::Binary(vec![0, 255])),
        Recorded::Closed {
            code: 1000,
            reason: String::new(),
        },
    ];
    let mut recorded = record(&exchange);
    // The recording ends with the server's close; an echo server closes when asked.
    recorded.steps.insert(
        7,
        Step::new(
            99,
            StepKind::Close {
                code: 1000,
                reason: String::new(),
            },
        ),
    );
    let mut run = Run::new(&recorded, &request(), &[]).unwrap();
    drive_echo(&mut run, "");
    assert_eq!(
        run.verdict(),
        Some(Verdict::Passed),
        "{}",
        run.report().to_text()
    );
}

#[test]
fn a_failed_capture_fails_its_step_with_the_message() {
    let kinds = vec![
        connect(),
        StepKind::ExpectMessage {
            matcher: Matcher::JsonSubset(json!({"type": "hello"})),
            mode: Mode::Next,
            timeout_ms: 100,
            capture: vec![Capture {
                name: "id".into(),
                pointer: Some("/id".into()),
                ..Capture::default()
            }],
        },
    ];
    let mut run = Run::new(&scenario(kinds), &request(), &[]).unwrap();
    run.start(0.0);
    run.handle(
        Event::Opened {
            subprotocol: String::new(),
        },
        1.0,
    );
    run.handle(
        Event::Message(Payload::Text(r#"{"type":"hello"}"#.into())),
        2.0,
    );
    let failure = run.report().steps[1].state.failure().unwrap().to_string();
    assert!(
        failure.contains("the message matched, but capturing id: /id is not in it"),
        "{failure}"
    );
    assert!(
        failure.contains("received \u{201c}{\"type\":\"hello\"}\u{201d}: it matches"),
        "{failure}"
    );
}

#[test]
fn builtins_are_seeded_and_environment_values_used() {
    let env = [Variable {
        name: "who".into(),
        value: "ann".into(),
        secret: true,
    }];
    let kinds = vec![
        connect(),
        send("{{who}} {{$uuid}} {{$counter}}"),
        send("{{$counter}}"),
    ];
    let sent = |seed| {
        let mut run = Run::new(&scenario(kinds.clone()), &request(), &env)
            .unwrap()
            .with_seed(seed);
        run.start(0.0);
        run.handle(
            Event::Opened {
                subprotocol: String::new(),
            },
            1.0,
        )
        .into_iter()
        .filter_map(|a| match a {
            Action::Send(Payload::Text(t)) => Some(t),
            _ => None,
        })
        .collect::<Vec<_>>()
    };
    let first = sent(7);
    assert_eq!(first, sent(7), "the same seed, the same values");
    assert_ne!(first, sent(8));
    assert!(
        first[0].starts_with("ann ") && first[0].ends_with(" 0"),
        "{first:?}"
    );
    assert_eq!(first[1], "1");
}

#[test]
fn events_before_start_and_after_the_end_are_ignored() {
    let mut run = Run::new(&scenario(vec![connect()]), &request(), &[]).unwrap();
    assert!(
        run.handle(
            Event::Opened {
                subprotocol: String::new()
            },
            0.0
        )
        .is_empty()
    );
    assert!(
        run.report()
            .steps
            .iter()
            .all(|s| s.state == StepState::Pending)
    );
    assert!(!run.start(1.0).is_empty());
    assert!(run.start(2.0).is_empty(), "a second start does nothing");
    run.handle(
        Event::Opened {
            subprotocol: String::new(),
        },
        3.0,
    );
    assert!(run.is_finished());
    assert!(
        run.handle(Event::Message(Payload::Text("late".into())), 4.0)
            .is_empty()
    );
    assert_eq!(run.report().duration_ms, 2.0);
    let empty = Run::new(&Scenario::default(), &request(), &[])
        .unwrap()
        .start(0.0);
    assert_eq!(empty, vec![Action::Finished(Verdict::Passed)]);
}

#[test]
fn the_scenario_travels_in_a_share_link() {
    let mut with = request();
    with.scenario = scenario(vec![
        connect(),
        expect(Matcher::JsonSubset(json!({"a": [1, {"b": null}]}))),
    ]);
    let link = wsprobe_core::share_link::encode(&with);
    assert_eq!(
        wsprobe_core::share_link::decode(&link),
        Ok(with.clone().in_step())
    );
    let file = file::ScenarioFile::from_request(&with);
    assert!(file.request.scenario.is_empty());
    assert_eq!(file.into_request(), with);
}

#[test]
fn an_aborted_run_fails_the_running_step_skips_the_rest_and_closes() {
    let mut run = Run::new(
        &scenario(vec![
            connect(),
            expect(Matcher::Contains("x".into())),
            send("later"),
        ]),
        &request(),
        &[],
    )
    .unwrap();
    // Before start, nothing happens.
    assert_eq!(run.abort("too soon", 0.0), vec![]);
    run.start(0.0);
    run.handle(
        Event::Opened {
            subprotocol: String::new(),
        },
        5.0,
    );
    let actions = run.abort("stopped by you", 40.0);
    assert!(actions.contains(&Action::Close {
        code: 1000,
        reason: wsprobe_core::scenario::FINISHED_REASON.into()
    }));
    assert!(actions.iter().any(|a| matches!(a, Action::CancelTimer(_))));
    assert_eq!(actions.last(), Some(&Action::Finished(Verdict::Failed)));
    let states: Vec<&str> = run.states().iter().map(StepState::word).collect();
    assert_eq!(states, ["passed", "failed", "skipped"]);
    let failure = run.states().get(1).and_then(StepState::failure).unwrap();
    assert_eq!(failure.actual, "stopped by you");
    assert_eq!(
        run.states().get(1).and_then(StepState::duration_ms),
        Some(35.0)
    );
    // Once finished, it stays so.
    assert_eq!(run.abort("again", 50.0), vec![]);
}

#[test]
fn a_stream_no_step_reads_fails_the_run_instead_of_filling_memory() {
    let mut run = Run::new(
        &scenario(vec![connect(), StepKind::Wait { ms: 60_000 }]),
        &request(),
        &[],
    )
    .unwrap();
    run.start(0.0);
    run.handle(
        Event::Opened {
            subprotocol: String::new(),
        },
        1.0,
    );
    for n in 0..wsprobe_core::scenario::MAX_UNREAD {
        run.handle(Event::Message(Payload::Text(n.to_string())), 2.0);
    }
    assert!(!run.is_finished());
    let actions = run.handle(Event::Message(Payload::Text("one more".into())), 3.0);
    assert_eq!(actions.last(), Some(&Action::Finished(Verdict::Failed)));
    let failure = run.states().get(1).and_then(StepState::failure).unwrap();
    assert!(
        failure
            .actual
            .contains("50000 messages arrived that no step read"),
        "{}",
        failure.actual
    );
}
