use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;

fn parsed(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// A client past connection_ack.
fn acknowledged(dialect: Dialect) -> GraphqlClient {
    let mut client = GraphqlClient::new(dialect);
    let _ = client.init("", 0.0);
    let reading = client.on_text(r#"{"type":"connection_ack"}"#, 5.0);
    assert_eq!(
        reading.outputs,
        [Output::Acknowledged {
            payload: None,
            rtt_ms: Some(5.0)
        }]
    );
    client
}

#[test]
fn connection_init_carries_its_payload_or_says_why_not() {
    let mut client = GraphqlClient::new(Dialect::TransportWs);
    let Ok(init) = client.init(r#"{"token":"abc"}"#, 1.0) else {
        panic!("a JSON object was refused")
    };
    assert_eq!(
        parsed(&init.text),
        json!({"type":"connection_init","payload":{"token":"abc"}})
    );
    let Ok(bare) = client.init("  ", 1.0) else {
        panic!("an empty payload was refused")
    };
    assert_eq!(parsed(&bare.text), json!({"type":"connection_init"}));
    assert_eq!(
        client.init("[1]", 1.0).err().as_deref(),
        Some("the connection payload must be a JSON object, not an array")
    );
    let Err(why) = client.init("{token", 1.0) else {
        panic!("bad JSON was accepted")
    };
    assert!(
        why.starts_with("the connection payload is not JSON: "),
        "{why}"
    );
}

#[test]
fn no_operation_goes_before_the_ack() {
    let mut client = GraphqlClient::new(Dialect::TransportWs);
    let Err(why) = client.subscribe("{ hello }", "", "", 0.0) else {
        panic!("an operation went before connection_ack")
    };
    assert!(why.contains("(4401)"), "{why}");
    assert!(client.operations().is_empty());
}

#[test]
fn a_subscription_is_listed_receives_results_and_stops() {
    let mut client = acknowledged(Dialect::TransportWs);
    let Ok(sent) = client.subscribe(
        "subscription Greet($n: Int) { greetings(count: $n) }",
        r#"{"n": 2}"#,
        "",
        10.0,
    ) else {
        panic!("subscribe refused")
    };
    assert_eq!(
        parsed(&sent.text),
        json!({"id":"1","type":"subscribe","payload":{
            "query":"subscription Greet($n: Int) { greetings(count: $n) }",
            "variables":{"n":2}}})
    );
    assert_eq!(sent.note.summary, "subscribe 1 \u{b7} subscription Greet");
    let first = client.on_text(
        r#"{"id":"1","type":"next","payload":{"data":{"greetings":"Hi"}}}"#,
        22.5,
    );
    assert_eq!(first.note.kind, NoteKind::Result);
    assert_eq!(
        first.note.summary,
        "next 1 \u{b7} Greet #1 \u{b7} {\"greetings\":\"Hi\"} \u{b7} 12.5 ms"
    );
    assert_eq!(first.outputs, [Output::Answered { rtt_ms: 12.5 }]);
    let second = client.on_text(
        r#"{"id":"1","type":"next","payload":{"data":{"greetings":"Bonjour"}}}"#,
        30.0,
    );
    assert!(second.outputs.is_empty(), "only the first answer is timed");
    let operation = &client.operations()[0];
    assert_eq!(operation.results, 2);
    assert_eq!(operation.state, OperationState::Receiving);
    let Some(stop) = client.stop("1") else {
        panic!("a running subscription could not be stopped")
    };
    assert_eq!(parsed(&stop.text), json!({"id":"1","type":"complete"}));
    assert_eq!(client.operations()[0].state, OperationState::Stopped);
    assert_eq!(client.stop("1"), None, "stopped once");
    assert_eq!(client.stop("9"), None);
    let _ = client.subscribe("subscription { ticks }", "", "", 40.0);
    client.connection_closed();
    let states: Vec<&str> = client.operations().iter().map(|o| o.state.word()).collect();
    assert_eq!(states, ["Stopped", "Ended by the close"]);
}

#[test]
fn a_query_is_answered_then_completed() {
    let mut client = acknowledged(Dialect::TransportWs);
    let _ = client.subscribe("{ hello }", "", "", 0.0);
    let _ = client.on_text(
        r#"{"id":"1","type":"next","payload":{"data":{"hello":"world"}}}"#,
        3.0,
    );
    let done = client.on_text(r#"{"id":"1","type":"complete"}"#, 4.0);
    assert_eq!(done.note.summary, "complete 1 \u{b7} hello after 1 result");
    let operation = &client.operations()[0];
    assert_eq!(operation.kind, Some(OperationKind::Query));
    assert_eq!(operation.state, OperationState::Completed);
}

#[test]
fn errors_fail_the_operation_with_their_messages() {
    let mut client = acknowledged(Dialect::TransportWs);
    let _ = client.subscribe("{ nope }", "", "", 0.0);
    let reading = client.on_text(
        r#"{"id":"1","type":"error","payload":[{"message":"Cannot query field \"nope\" on type \"Query\"."}]}"#,
        2.0,
    );
    assert_eq!(reading.note.kind, NoteKind::Error);
    assert_eq!(
        client.operations()[0].state,
        OperationState::Failed("Cannot query field \"nope\" on type \"Query\".".into())
    );
    let partial = {
        let _ = client.subscribe("{ a }", "", "", 0.0);
        client.on_text(
            r#"{"id":"2","type":"next","payload":{"data":null,"errors":[{"message":"boom"}]}}"#,
            1.0,
        )
    };
    assert_eq!(partial.note.kind, NoteKind::Error);
    assert!(
        partial.note.summary.contains("1 error \u{b7} boom"),
        "{}",
        partial.note.summary
    );
}

#[test]
fn frames_after_an_operation_ended_are_not_taken_as_answers() {
    let mut client = acknowledged(Dialect::TransportWs);
    let _ = client.subscribe("subscription { ticks }", "", "", 0.0);
    let _ = client.stop("1");
    let late = client.on_text(
        r#"{"id":"1","type":"next","payload":{"data":{"ticks":1}}}"#,
        90.0,
    );
    assert_eq!(late.note.kind, NoteKind::Disconnect);
    assert_eq!(
        late.note.summary,
        "next 1 \u{b7} ticks, after you stopped it"
    );
    assert!(late.outputs.is_empty(), "not timed");
    assert_eq!(client.operations()[0].results, 0, "not counted");
    let _ = client.subscribe("{ a }", "", "", 0.0);
    let _ = client.on_text(
        r#"{"id":"2","type":"error","payload":[{"message":"no"}]}"#,
        1.0,
    );
    let after = client.on_text(r#"{"id":"2","type":"complete"}"#, 2.0);
    assert_eq!(after.note.kind, NoteKind::Problem);
    assert_eq!(
        after.note.summary,
        "complete for 2 (a), which had already ended (failed)"
    );
    let long_id = "x".repeat(10_000);
    let stray = client.on_text(&format!(r#"{{"id":"{long_id}","type":"next"}}"#), 3.0);
    assert!(
        stray.note.summary.len() < 400,
        "{}",
        stray.note.summary.len()
    );
}

#[test]
fn pings_are_answered_with_their_payload() {
    let mut client = acknowledged(Dialect::TransportWs);
    let reading = client.on_text(r#"{"type":"ping","payload":{"at":1}}"#, 0.0);
    assert_eq!(reading.note.kind, NoteKind::Heartbeat);
    let [Output::Send(pong)] = reading.outputs.as_slice() else {
        panic!("no pong: {:?}", reading.outputs)
    };
    assert_eq!(parsed(pong), json!({"type":"pong","payload":{"at":1}}));
}

#[test]
fn the_legacy_protocol_starts_stops_and_reads_data() {
    let mut client = acknowledged(Dialect::Legacy);
    let Ok(sent) = client.subscribe("subscription { ticks }", "", "Ticks", 0.0) else {
        panic!("start refused")
    };
    assert_eq!(
        parsed(&sent.text),
        json!({"id":"1","type":"start","payload":{"query":"subscription { ticks }","operationName":"Ticks"}})
    );
    let data = client.on_text(
        r#"{"id":"1","type":"data","payload":{"data":{"ticks":1}}}"#,
        1.0,
    );
    assert_eq!(data.note.kind, NoteKind::Result);
    let ka = client.on_text(r#"{"type":"ka"}"#, 1.0);
    assert_eq!(ka.note.kind, NoteKind::Heartbeat);
    let Some(stop) = client.stop("1") else {
        panic!("not stopped")
    };
    assert_eq!(parsed(&stop.text), json!({"id":"1","type":"stop"}));
    // A message of the other protocol is named as such.
    let next = client.on_text(r#"{"id":"1","type":"next"}"#, 1.0);
    assert_eq!(
        next.note.summary,
        "Not a message of graphql-ws: type \"next\""
    );
}

#[test]
fn a_refused_legacy_init_says_why() {
    let mut client = GraphqlClient::new(Dialect::Legacy);
    let reading = client.on_text(
        r#"{"type":"connection_error","payload":{"message":"Not authorized"}}"#,
        0.0,
    );
    assert_eq!(reading.outputs, [Output::Refused("Not authorized".into())]);
    assert!(!client.acknowledged());
}

#[test]
fn frames_typed_by_hand_are_learnt() {
    let mut client = acknowledged(Dialect::TransportWs);
    let note = client.sent_elsewhere(
        r#"{"id":"1","type":"subscribe","payload":{"query":"mutation { shout(text: \"a\") }"}}"#,
        0.0,
    );
    assert_eq!(
        note.map(|n| n.summary).as_deref(),
        Some("subscribe 1 \u{b7} mutation shout")
    );
    // The page's own next id steps over the one typed.
    let Ok(sent) = client.subscribe("{ hello }", "", "", 0.0) else {
        panic!("refused")
    };
    assert_eq!(parsed(&sent.text)["id"], json!("2"));
    let reply = client.on_text(r#"{"id":"1","type":"next","payload":{"data":{}}}"#, 1.0);
    assert_eq!(reply.note.kind, NoteKind::Result);
    assert_eq!(client.sent_elsewhere("not json", 0.0), None);
}

#[test]
fn what_breaks_the_protocol_is_said() {
    let mut client = acknowledged(Dialect::TransportWs);
    for (text, said) in [
        (
            "[1]",
            "Not a GraphQL message: an array instead of an object",
        ),
        ("{}", "Not a GraphQL message: no \"type\""),
        (r#"{"type":"next"}"#, "next without an id"),
        (
            r#"{"type":"next","id":"7"}"#,
            "next for 7, an operation this page did not send",
        ),
        (
            r#"{"type":"subscribe","id":"7"}"#,
            "Not a message of graphql-transport-ws: type \"subscribe\"",
        ),
    ] {
        let reading = client.on_text(text, 0.0);
        assert_eq!(reading.note.kind, NoteKind::Problem, "{text}");
        assert_eq!(reading.note.summary, said, "{text}");
    }
}

#[test]
fn documents_are_labelled_by_kind_and_name() {
    for (query, kind, name) in [
        ("{ hello }", Some(OperationKind::Query), Some("hello")),
        ("query Q { a }", Some(OperationKind::Query), Some("Q")),
        (
            "# c\nsubscription($n: Int = 2) @live { greetings(count: $n) }",
            Some(OperationKind::Subscription),
            Some("greetings"),
        ),
        (
            "fragment F on T { x { y } }\nmutation { shout(text: \"}\") }",
            Some(OperationKind::Mutation),
            Some("shout"),
        ),
        ("nonsense", None, None),
        ("", None, None),
    ] {
        assert_eq!(
            read_document(query),
            (kind, name.map(String::from)),
            "{query}"
        );
    }
}

#[test]
fn close_codes_of_the_protocol_are_explained() {
    for code in [4400, 4401, 4403, 4406, 4408, 4409, 4429, 4500] {
        assert!(close_meaning(code).is_some(), "{code}");
    }
    assert_eq!(close_meaning(4000), None);
    assert_eq!(Dialect::negotiated("graphql-ws"), Some(Dialect::Legacy));
    assert_eq!(Dialect::negotiated(""), None);
}

#[test]
fn the_list_stays_bounded() {
    let mut client = acknowledged(Dialect::TransportWs);
    for _ in 0..MAX_OPERATIONS + 50 {
        let _ = client.subscribe("{ a }", "", "", 0.0);
    }
    assert_eq!(client.operations().len(), MAX_OPERATIONS);
}

proptest! {
    #[test]
    fn any_frame_reads_to_a_note(text in ".{0,200}") {
        for dialect in Dialect::ALL {
            let mut client = acknowledged(dialect);
            let _ = client.subscribe("{ a }", "", "", 0.0);
            let reading = client.on_text(&text, 1.0);
            prop_assert!(!reading.note.summary.is_empty());
            let _ = client.sent_elsewhere(&text, 1.0);
        }
    }

    #[test]
    fn any_message_shape_reads(
        kind in prop::sample::select(vec!["connection_ack", "next", "data", "error", "complete", "ping", "pong", "ka", "connection_error", "x"]),
        id in prop::option::of(prop_oneof![Just(json!("1")), Just(json!(1)), Just(json!(null)), Just(json!([]))]),
        payload in prop::option::of(prop_oneof![Just(json!(null)), Just(json!([])), Just(json!({"data":null})), Just(json!({"errors":[1,{}]})), Just(json!("s"))]),
    ) {
        let mut message = serde_json::Map::new();
        message.insert("type".into(), kind.into());
        if let Some(id) = id { message.insert("id".into(), id); }
        if let Some(payload) = payload { message.insert("payload".into(), payload); }
        for dialect in Dialect::ALL {
            let mut client = acknowledged(dialect);
            let _ = client.subscribe("subscription { a }", "", "", 0.0);
            let reading = client.on_text(&Value::Object(message.clone()).to_string(), 1.0);
            prop_assert!(!reading.note.summary.is_empty());
        }
    }

    #[test]
    fn any_document_is_read_without_panic(query in "[a-z{}()#\"\\\\ \n$:,@.]{0,80}") {
        let _ = read_document(&query);
    }
}
