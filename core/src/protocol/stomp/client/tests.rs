use super::*;

fn text(written: &Written) -> String {
    String::from_utf8(written.bytes.clone()).unwrap_or_default()
}

/// CONNECT written, or the test fails saying why not.
fn connect(client: &mut StompClient, s: &ConnectSettings, subprotocol: &str, now: f64) -> Written {
    client
        .connect(s, subprotocol, now)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn settings() -> ConnectSettings {
    ConnectSettings {
        login: "wsprobe".into(),
        passcode: "letmein".into(),
        host: "/".into(),
        heart_beat_out_ms: 1000,
        heart_beat_in_ms: 2000,
    }
}

/// A client past CONNECTED, the broker offering `heart_beat`.
fn connected(heart_beat: &str) -> StompClient {
    let mut client = StompClient::default();
    connect(&mut client, &settings(), "v12.stomp", 0.0);
    let reading = client.on_bytes(
        format!("CONNECTED\nversion:1.2\nserver:RabbitMQ/3.10.8\nheart-beat:{heart_beat}\n\n\0\n")
            .as_bytes(),
        10.0,
    );
    assert_eq!(reading.note.kind, NoteKind::Connect, "{reading:?}");
    client
}

#[test]
fn connect_carries_the_settings_and_the_negotiated_version() {
    let mut client = StompClient::default();
    let written = connect(&mut client, &settings(), "v11.stomp", 0.0);
    assert_eq!(
        text(&written),
        "CONNECT\naccept-version:1.1\nhost:/\nlogin:wsprobe\npasscode:letmein\n\
         heart-beat:1000,2000\n\n\0"
    );
    assert!(
        !written.note.summary.contains("letmein"),
        "{:?}",
        written.note
    );
    let plain = connect(
        &mut StompClient::default(),
        &ConnectSettings::default(),
        "",
        0.0,
    );
    for (field, name) in [
        ("a\nb", "Login"),
        ("a\rb", "Passcode"),
        ("a\0b", "Virtual host"),
    ] {
        let mut s = ConnectSettings::default();
        match name {
            "Login" => s.login = field.into(),
            "Passcode" => s.passcode = field.into(),
            _ => s.host = field.into(),
        }
        assert_eq!(
            StompClient::default().connect(&s, "", 0.0).map(|w| w.bytes),
            Err(format!(
                "{name} holds a line break or NUL, which CONNECT cannot carry"
            ))
        );
    }
    assert_eq!(
        text(&plain),
        "CONNECT\naccept-version:1.0,1.1,1.2\nheart-beat:10000,10000\n\n\0"
    );
}

#[test]
fn connected_gives_facts_and_the_heart_beats_both_sides_agreed() {
    let mut client = StompClient::default();
    connect(&mut client, &settings(), "", 0.0);
    let reading = client.on_bytes(
        b"CONNECTED\nversion:1.2\nserver:RabbitMQ/3.10.8\nsession:s-1\nheart-beat:3000,500\n\n\0",
        25.0,
    );
    let Some(Output::Connected { facts }) = reading.outputs.first() else {
        panic!("{reading:?}");
    };
    let fact = |name: &str| {
        facts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(fact("STOMP version").as_deref(), Some("1.2"));
    assert_eq!(fact("Server").as_deref(), Some("RabbitMQ/3.10.8"));
    // The page can send every 1 s, the broker wants every 0.5 s: every 1 s. The page wants
    // every 2 s, the broker can every 3 s: every 3 s.
    assert_eq!(
        fact("Heart-beat").as_deref(),
        Some("page sends every 1 s, broker sends every 3 s")
    );
    assert_eq!(fact("CONNECTED after").as_deref(), Some("25.0 ms"));
    assert!(client.connected());
    assert_eq!(client.next_tick_ms(), Some(1000.0));
}

#[test]
fn heart_beats_go_out_when_due_and_a_silent_broker_is_told_once() {
    let mut client = connected("3000,500");
    assert!(client.on_tick(500.0).is_empty());
    let out = client.on_tick(1000.0);
    assert_eq!(
        out,
        vec![Output::Send(
            b"\n".to_vec(),
            Note::new(NoteKind::Heartbeat, "heart-beat")
        )]
    );
    // Heard at 10 ms; late past twice 3 s.
    let late = client.on_tick(6011.0);
    assert!(
        late.iter()
            .any(|o| matches!(o, Output::Trouble(why) if why.contains("every 3 s"))),
        "{late:?}"
    );
    let again = client.on_tick(9000.0);
    assert!(
        !again.iter().any(|o| matches!(o, Output::Trouble(_))),
        "{again:?}"
    );
    // A heart-beat from the broker: it speaks again.
    assert_eq!(
        client.on_bytes(b"\n", 9100.0).note.kind,
        NoteKind::Heartbeat
    );
    assert_eq!(
        client.next_tick_ms(),
        Some(10_000.0f64.min(9100.0 + 6000.0))
    );
}

#[test]
fn no_heart_beats_when_either_side_says_0() {
    let client = connected("0,0");
    assert_eq!(client.next_tick_ms(), None);
}

#[test]
fn subscribe_send_and_their_receipts_pair_with_latency() {
    let mut client = connected("0,0");
    let sub = client
        .subscribe("/queue/a", AckMode::ClientIndividual, true, 100.0)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        text(&sub),
        "SUBSCRIBE\nid:sub-1\ndestination:/queue/a\nack:client-individual\nreceipt:1\n\n\0"
    );
    let send = client
        .send(
            "/queue/a",
            "x-k: a:b\npriority: 5",
            Some("text/plain"),
            b"hi".to_vec(),
            true,
            110.0,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        text(&send),
        "SEND\ndestination:/queue/a\nx-k:a\\cb\npriority:5\ncontent-type:text/plain\n\
         content-length:2\nreceipt:2\n\nhi\0"
    );
    assert_eq!(
        send.note.summary,
        "SEND /queue/a \u{b7} hi \u{b7} receipt 2"
    );
    let reading = client.on_bytes(b"RECEIPT\nreceipt-id:1\n\n\0\n", 112.5);
    assert_eq!(reading.outputs, vec![Output::RoundTrip(12.5)]);
    assert_eq!(
        reading.note.summary,
        "RECEIPT 1 for SUBSCRIBE sub-1 \u{b7} 12.5 ms"
    );
    assert_eq!(
        client.subscriptions().first().map(|s| s.state.clone()),
        Some(SubscriptionState::Confirmed)
    );
    let reading = client.on_bytes(b"RECEIPT\nreceipt-id:2\n\n\0", 120.0);
    assert_eq!(
        reading.note.summary,
        "RECEIPT 2 for SEND /queue/a \u{b7} 10.0 ms"
    );
    let stray = client.on_bytes(b"RECEIPT\nreceipt-id:2\n\n\0", 121.0);
    assert!(stray.outputs.is_empty());
    assert!(stray.note.summary.contains("for nothing the page sent"));
}

#[test]
fn messages_wait_for_ack_and_nack_as_the_mode_says() {
    let mut client = connected("0,0");
    client
        .subscribe("/queue/i", AckMode::ClientIndividual, false, 0.0)
        .unwrap_or_else(|e| panic!("{e}"));
    client
        .subscribe("/queue/c", AckMode::Client, false, 0.0)
        .unwrap_or_else(|e| panic!("{e}"));
    client
        .subscribe("/topic/auto", AckMode::Auto, false, 0.0)
        .unwrap_or_else(|e| panic!("{e}"));
    for (sub, n) in [
        ("sub-1", 1),
        ("sub-1", 2),
        ("sub-2", 3),
        ("sub-2", 4),
        ("sub-3", 5),
    ] {
        let frame = format!(
            "MESSAGE\nsubscription:{sub}\ndestination:/d\nmessage-id:m{n}\nack:a{n}\n\nbody {n}\0"
        );
        let reading = client.on_bytes(frame.as_bytes(), 1.0);
        assert_eq!(reading.note.summary, format!("MESSAGE /d \u{b7} body {n}"));
        assert_eq!(reading.note.event.as_deref(), Some("/d"));
    }
    let counts: Vec<(u64, usize)> = client
        .subscriptions()
        .iter()
        .map(|s| (s.messages, s.unacked.len()))
        .collect();
    assert_eq!(counts, vec![(2, 2), (2, 2), (1, 0)]);
    let acks = client.acknowledge(1, true, false, 2.0).unwrap_or_default();
    let acks: Vec<String> = acks.iter().map(text).collect();
    assert_eq!(acks, vec!["ACK\nid:a1\n\n\0", "ACK\nid:a2\n\n\0"]);
    // Client mode: one NACK names the last and covers the one before.
    let nacks = client.acknowledge(2, false, true, 2.0).unwrap_or_default();
    let nacks: Vec<String> = nacks.iter().map(text).collect();
    assert_eq!(nacks, vec!["NACK\nid:a4\nreceipt:1\n\n\0"]);
    assert_eq!(
        client.acknowledge(3, true, false, 2.0),
        Err("no message of that subscription waits for it".into())
    );
    assert!(client.subscriptions().iter().all(|s| s.unacked.is_empty()));
}

#[test]
fn stomp_1_1_acks_by_message_id_and_1_0_has_no_nack() {
    for (version, expected) in [
        (
            "1.1",
            Ok("ACK\nsubscription:sub-1\nmessage-id:m1\n\n\0".to_string()),
        ),
        ("1.0", Ok("ACK\nmessage-id:m1\n\n\0".to_string())),
    ] {
        let mut client = StompClient::default();
        connect(&mut client, &settings(), "", 0.0);
        client.on_bytes(
            format!("CONNECTED\nversion:{version}\n\n\0").as_bytes(),
            1.0,
        );
        client
            .subscribe("/queue/a", AckMode::Client, false, 1.0)
            .unwrap_or_else(|e| panic!("{e}"));
        client.on_bytes(
            b"MESSAGE\nsubscription:sub-1\ndestination:/queue/a\nmessage-id:m1\nack:a1\n\nx\0",
            2.0,
        );
        if version == "1.0" {
            assert_eq!(
                client.acknowledge(1, false, false, 3.0).map(|w| w.len()),
                Err("STOMP 1.0 has no NACK".into())
            );
        }
        let ack = client
            .acknowledge(1, true, false, 3.0)
            .map(|w| w.first().map(text).unwrap_or_default());
        assert_eq!(ack, expected, "{version}");
    }
}

#[test]
fn an_error_before_connected_is_a_refusal_and_after_it_a_failure() {
    let mut client = StompClient::default();
    connect(&mut client, &settings(), "", 0.0);
    let reading = client.on_bytes(
        b"ERROR\nmessage:Access refused for user 'wsprobe'\ncontent-type:text/plain\n\
content-length:25\n\nUser authentication failed\0",
        5.0,
    );
    // content-length 25 cuts the body short of its NUL: a malformed frame, said as such.
    assert_eq!(reading.note.kind, NoteKind::Problem);
    let mut client = StompClient::default();
    connect(&mut client, &settings(), "", 0.0);
    let reading = client.on_bytes(
        b"ERROR\nmessage:Bad CONNECT\ncontent-type:text/plain\n\nAccess refused for user\0\n",
        5.0,
    );
    assert_eq!(
        reading.outputs,
        vec![Output::Refused {
            message: "Bad CONNECT".into(),
            body: "Access refused for user".into()
        }]
    );
    assert_eq!(
        reading.note.summary,
        "ERROR Bad CONNECT \u{b7} Access refused for user"
    );
    assert!(!client.connected());

    let mut client = connected("0,0");
    client
        .subscribe("/bogus/x", AckMode::Auto, true, 1.0)
        .unwrap_or_else(|e| panic!("{e}"));
    let reading = client.on_bytes(
        b"ERROR\nmessage:Unknown destination\nreceipt-id:1\n\n'/bogus/x' is not valid.\0",
        4.0,
    );
    assert!(reading.outputs.contains(&Output::Failed {
        message: "Unknown destination".into(),
        body: "'/bogus/x' is not valid.".into()
    }));
    assert_eq!(
        client.subscriptions().first().map(|s| s.state.shown()),
        Some("Refused: Unknown destination".into())
    );
    assert!(!client.connected());
    assert_eq!(
        client
            .send("/queue/a", "", None, Vec::new(), false, 5.0)
            .map(|w| w.bytes),
        Err("the broker sent ERROR, which ends the STOMP session; connect again".into())
    );
}

#[test]
fn an_error_naming_no_receipt_refuses_the_subscription_still_awaiting_its_receipt() {
    let mut client = connected("0,0");
    for destination in ["/queue/fine", "/bogus/x"] {
        client
            .subscribe(destination, AckMode::Auto, true, 1.0)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    client.on_bytes(b"RECEIPT\nreceipt-id:1\n\n\0", 2.0);
    client.on_bytes(b"ERROR\nmessage:Unknown destination\n\n\0", 3.0);
    let states: Vec<String> = client
        .subscriptions()
        .iter()
        .map(|s| s.state.shown())
        .collect();
    assert_eq!(
        states,
        vec!["Subscribed (receipt)", "Refused: Unknown destination"]
    );
}

#[test]
fn a_version_the_page_does_not_speak_ends_the_session_and_says_why() {
    let mut client = StompClient::default();
    connect(&mut client, &settings(), "", 0.0);
    let reading = client.on_bytes(b"CONNECTED\nversion:2.0\n\n\0", 1.0);
    let why = "CONNECTED names STOMP version 2.0, which the page does not speak (1.0, 1.1 and 1.2)";
    assert_eq!(
        reading.outputs,
        vec![Output::Refused {
            message: why.into(),
            body: String::new()
        }]
    );
    assert_eq!(
        client
            .subscribe("/q", AckMode::Auto, false, 2.0)
            .map(|w| w.bytes),
        Err(why.into())
    );
}

#[test]
fn an_error_after_disconnect_is_a_failure_not_a_refused_connect() {
    let mut client = connected("0,0");
    client.disconnect(1.0);
    let reading = client.on_bytes(b"ERROR\nmessage:late\n\n\0", 2.0);
    assert_eq!(
        reading.outputs,
        vec![Output::Failed {
            message: "late".into(),
            body: String::new()
        }]
    );
}

#[test]
fn nothing_is_sent_before_connected_and_bad_input_is_refused() {
    let mut client = StompClient::default();
    assert!(
        client
            .subscribe("/queue/a", AckMode::Auto, false, 0.0)
            .is_err()
    );
    let mut client = connected("0,0");
    assert_eq!(
        client
            .subscribe("  ", AckMode::Auto, false, 0.0)
            .map(|w| w.bytes),
        Err("Destination is empty (such as /queue/orders or /topic/news)".into())
    );
    assert!(
        client
            .send("/q", "no colon here", None, Vec::new(), false, 0.0)
            .is_err()
    );
    assert!(
        client
            .send("/q", "receipt: 9", None, Vec::new(), false, 0.0)
            .is_err()
    );
    assert!(client.unsubscribe(7, false, 0.0).is_err());
    // After a malformed frame nothing more is read.
    let bad = client.on_bytes(b"MESSAGE\nk:\\t\n\n\0", 1.0);
    assert!(bad.outputs.iter().any(|o| matches!(o, Output::Trouble(_))));
    let after = client.on_bytes(b"RECEIPT\nreceipt-id:1\n\n\0", 2.0);
    assert_eq!(after.note.kind, NoteKind::Problem);
}

#[test]
fn frames_written_elsewhere_are_learnt_and_named() {
    let mut client = connected("0,0");
    let note = client.sent(
        b"SUBSCRIBE\nid:mine\ndestination:/topic/t\nack:client\nreceipt:r9\n\n\0",
        50.0,
        true,
    );
    assert_eq!(
        note.map(|n| n.summary),
        Some("SUBSCRIBE mine \u{b7} /topic/t \u{b7} ack client \u{b7} receipt r9".into())
    );
    assert_eq!(client.subscriptions().len(), 1);
    let reading = client.on_bytes(b"RECEIPT\nreceipt-id:r9\n\n\0", 60.0);
    assert_eq!(reading.outputs, vec![Output::RoundTrip(10.0)]);
    assert_eq!(
        client
            .sent(b"SEND\ndestination:/q\n\nno nul", 61.0, true)
            .map(|n| n.kind),
        Some(NoteKind::Problem)
    );
    assert_eq!(client.sent(b"\n", 62.0, false), None);
    let key = client
        .subscriptions()
        .first()
        .map(|s| s.key)
        .unwrap_or_default();
    let bye = client.unsubscribe(key, false, 63.0).map(|w| text(&w));
    assert_eq!(bye, Ok("UNSUBSCRIBE\nid:mine\n\n\0".to_string()));
    assert_eq!(
        client.subscriptions().first().map(|s| s.state.clone()),
        Some(SubscriptionState::Unsubscribed)
    );
    let disconnect = client.disconnect(64.0).map(|w| text(&w));
    assert_eq!(disconnect.as_deref(), Some("DISCONNECT\nreceipt:1\n\n\0"));
    assert_eq!(client.disconnect(65.0), None);
}

#[test]
fn text_frames_stay_text_and_other_bytes_go_binary() {
    assert_eq!(
        websocket_frame(b"SEND\n\n\0".to_vec()),
        compose::Frame::Text("SEND\n\n\0".into())
    );
    assert_eq!(
        websocket_frame(vec![0xff, 0]),
        compose::Frame::Binary(vec![0xff, 0])
    );
}
