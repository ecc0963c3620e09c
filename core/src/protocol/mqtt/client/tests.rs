use proptest::prelude::*;

use super::*;

fn packet_of(bytes: &[u8], version: MqttVersion) -> Packet {
    match packet::decode(bytes, version) {
        Ok(Some((p, used))) if used == bytes.len() => p,
        other => panic!("not one packet: {other:?}"),
    }
}

fn from_broker(packet: Packet, version: MqttVersion) -> Vec<u8> {
    packet::encode(&packet, version)
}

fn settings(version: MqttVersion) -> ConnectSettings {
    ConnectSettings {
        version,
        client_id: "probe".into(),
        clean_start: true,
        keep_alive: 60,
        ..ConnectSettings::default()
    }
}

/// A client past an accepted CONNACK.
fn connected(version: MqttVersion) -> MqttClient {
    let mut client = MqttClient::new(version);
    let Ok(_) = client.connect(&settings(version), 0.0) else {
        panic!("CONNECT refused")
    };
    let ack = from_broker(
        Packet::ConnAck {
            session_present: false,
            code: 0,
            properties: Vec::new(),
        },
        version,
    );
    let reading = client.on_bytes(&ack, 4.0);
    assert_eq!(reading.note.summary, "CONNACK accepted \u{b7} 4.0 ms");
    assert!(client.connected());
    client
}

#[test]
fn connect_carries_the_settings() {
    let mut client = MqttClient::new(MqttVersion::V5);
    let s = ConnectSettings {
        username: "alice".into(),
        password: "pw".into(),
        will_topic: "status/probe".into(),
        will_payload: "gone".into(),
        will_qos: 1,
        will_retain: true,
        ..settings(MqttVersion::V5)
    };
    let Ok(written) = client.connect(&s, 0.0) else {
        panic!("refused")
    };
    let Packet::Connect(c) = packet_of(&written.bytes, MqttVersion::V5) else {
        panic!("not CONNECT")
    };
    assert_eq!(c.version, MqttVersion::V5);
    assert_eq!(c.client_id, "probe");
    assert_eq!(c.username.as_deref(), Some("alice"));
    assert_eq!(c.password.as_deref(), Some(&b"pw"[..]));
    let will = c.will.as_ref().map(|w| (w.topic.as_str(), w.qos, w.retain));
    assert_eq!(will, Some(("status/probe", 1, true)));
    assert!(
        !written.note.summary.contains("pw"),
        "the password stays out of the log"
    );
    let mut wild = s.clone();
    wild.will_topic = "a/#".into();
    assert!(client.connect(&wild, 0.0).is_err());
    let mut v3 = MqttClient::new(MqttVersion::V311);
    let lone_password = ConnectSettings {
        password: "pw".into(),
        ..settings(MqttVersion::V311)
    };
    assert_eq!(
        v3.connect(&lone_password, 0.0).err().as_deref(),
        Some("MQTT 3.1.1 sends a password only with a user name")
    );
}

#[test]
fn a_refused_connack_is_explained_by_its_code() {
    for (version, code, name) in [
        (MqttVersion::V311, 4, "bad user name or password"),
        (MqttVersion::V5, 0x86, "Bad User Name or Password"),
        (MqttVersion::V5, 0x87, "Not authorized"),
    ] {
        let mut client = MqttClient::new(version);
        let _ = client.connect(&settings(version), 0.0);
        let reading = client.on_bytes(
            &from_broker(
                Packet::ConnAck {
                    session_present: false,
                    code,
                    properties: Vec::new(),
                },
                version,
            ),
            1.0,
        );
        assert_eq!(reading.note.kind, NoteKind::ConnectError);
        let [Output::Refused { name: said, .. }] = reading.outputs.as_slice() else {
            panic!("{:?}", reading.outputs)
        };
        assert_eq!(*said, name);
        assert!(!client.connected());
        assert!(
            client.subscribe("a", 0, 2.0).is_err(),
            "nothing before CONNACK"
        );
    }
}

#[test]
fn subscribe_is_granted_and_counts_matching_messages() {
    let mut client = connected(MqttVersion::V311);
    let Ok(sent) = client.subscribe("sensors/+/temp", 1, 10.0) else {
        panic!("refused")
    };
    let Packet::Subscribe(s) = packet_of(&sent.bytes, MqttVersion::V311) else {
        panic!("not SUBSCRIBE")
    };
    assert_eq!(s.filters, [("sensors/+/temp".to_string(), 1)]);
    let ack = client.on_bytes(
        &from_broker(
            Packet::SubAck(SubAck {
                packet_id: s.packet_id,
                properties: Vec::new(),
                codes: vec![1],
            }),
            MqttVersion::V311,
        ),
        16.0,
    );
    assert_eq!(
        ack.note.summary,
        format!(
            "SUBACK {} \u{b7} sensors/+/temp Granted QoS 1 \u{b7} 6.0 ms",
            s.packet_id
        )
    );
    assert_eq!(ack.outputs, [Output::RoundTrip(6.0)]);
    let publish = |topic: &str, qos: u8, id: Option<u16>| {
        from_broker(
            Packet::Publish(Publish {
                dup: false,
                qos,
                retain: false,
                topic: topic.into(),
                packet_id: id,
                properties: Vec::new(),
                payload: br#"{"c": 21.5}"#.to_vec(),
            }),
            MqttVersion::V311,
        )
    };
    let message = client.on_bytes(&publish("sensors/kitchen/temp", 1, Some(7)), 20.0);
    assert_eq!(
        message.note.summary,
        "PUBLISH sensors/kitchen/temp \u{b7} QoS 1 #7 \u{b7} {\"c\":21.5}"
    );
    // QoS 1 is acknowledged.
    let [Output::Send(bytes, _)] = message.outputs.as_slice() else {
        panic!("no PUBACK")
    };
    assert!(matches!(
        packet_of(bytes, MqttVersion::V311),
        Packet::Ack(Ack {
            kind: AckKind::PubAck,
            packet_id: 7,
            ..
        })
    ));
    let _ = client.on_bytes(&publish("sensors/hall/humidity", 0, None), 21.0);
    assert_eq!(client.subscriptions()[0].messages, 1);
    assert_eq!(
        client.subscriptions()[0].state,
        SubscriptionState::Granted(1)
    );
}

#[test]
fn qos_2_completes_both_ways() {
    let mut client = connected(MqttVersion::V5);
    let Ok(sent) = client.publish("a/b", b"hi".to_vec(), 2, true, "source=probe", 100.0) else {
        panic!("refused")
    };
    let Packet::Publish(p) = packet_of(&sent.bytes, MqttVersion::V5) else {
        panic!("not PUBLISH")
    };
    assert_eq!(
        p.properties,
        [Property::User("source".into(), "probe".into())]
    );
    assert!(p.retain);
    let Some(id) = p.packet_id else {
        panic!("QoS 2 without an id")
    };
    let ack = |kind| {
        from_broker(
            Packet::Ack(Ack {
                kind,
                packet_id: id,
                reason: 0,
                properties: Vec::new(),
            }),
            MqttVersion::V5,
        )
    };
    let rec = client.on_bytes(&ack(AckKind::PubRec), 110.0);
    let [Output::Send(rel, _)] = rec.outputs.as_slice() else {
        panic!("no PUBREL")
    };
    assert!(matches!(
        packet_of(rel, MqttVersion::V5),
        Packet::Ack(Ack {
            kind: AckKind::PubRel,
            ..
        })
    ));
    let comp = client.on_bytes(&ack(AckKind::PubComp), 125.0);
    assert_eq!(comp.outputs, [Output::RoundTrip(25.0)]);
    assert_eq!(
        comp.note.summary,
        format!("PUBCOMP {id} \u{b7} a/b \u{b7} 25.0 ms")
    );
    // Received at QoS 2: PUBREC, then PUBCOMP for the broker's PUBREL.
    let incoming = from_broker(
        Packet::Publish(Publish {
            dup: false,
            qos: 2,
            retain: false,
            topic: "x".into(),
            packet_id: Some(40),
            properties: Vec::new(),
            payload: vec![0, 159],
        }),
        MqttVersion::V5,
    );
    let got = client.on_bytes(&incoming, 130.0);
    assert_eq!(got.note.summary, "PUBLISH x \u{b7} QoS 2 #40 \u{b7} 00 9f");
    assert!(matches!(got.outputs.as_slice(), [Output::Send(..)]));
    let rel = from_broker(
        Packet::Ack(Ack {
            kind: AckKind::PubRel,
            packet_id: 40,
            reason: 0,
            properties: Vec::new(),
        }),
        MqttVersion::V5,
    );
    let done = client.on_bytes(&rel, 131.0);
    let [Output::Send(comp, _)] = done.outputs.as_slice() else {
        panic!("no PUBCOMP")
    };
    assert!(matches!(
        packet_of(comp, MqttVersion::V5),
        Packet::Ack(Ack {
            kind: AckKind::PubComp,
            packet_id: 40,
            reason: 0,
            ..
        })
    ));
}

#[test]
fn keep_alive_pings_and_notices_silence() {
    let mut client = connected(MqttVersion::V311);
    assert_eq!(client.next_tick_ms(), Some(45_000.0));
    assert!(client.on_tick(44_000.0).is_empty());
    let outputs = client.on_tick(45_000.0);
    let [Output::Send(ping, note)] = outputs.as_slice() else {
        panic!("no PINGREQ")
    };
    assert_eq!(packet_of(ping, MqttVersion::V311), Packet::PingReq);
    assert_eq!(note.kind, NoteKind::Heartbeat);
    assert_eq!(client.next_tick_ms(), Some(105_000.0));
    let late = client.on_tick(105_000.0);
    assert!(matches!(late.as_slice(), [Output::Trouble(_)]));
    assert!(client.on_tick(106_000.0).is_empty(), "said once");
    let _ = client.on_bytes(&[0xD0, 0], 106_500.0);
    // PINGRESP ends the wait; the next PINGREQ is due 45 s after the last packet sent.
    assert_eq!(client.next_tick_ms(), Some(90_000.0));
}

#[test]
fn topics_and_filters_are_checked_and_matched() {
    assert!(check_filter("sport/tennis/#").is_ok());
    assert!(check_filter("+/+").is_ok());
    assert!(check_filter("sport/#/x").is_err());
    assert!(check_filter("sport+").is_err());
    assert!(check_topic("a/+").is_err());
    assert!(check_topic("").is_err());
    assert!(topic_matches("sport/#", "sport"));
    assert!(topic_matches("sport/+/player", "sport/tennis/player"));
    assert!(!topic_matches("sport/+", "sport/tennis/player"));
    assert!(!topic_matches("#", "$SYS/uptime"));
    assert!(topic_matches("$SYS/#", "$SYS/uptime"));
    assert_eq!(
        parse_user_properties("a=1, b = two\nc="),
        Ok(vec![
            Property::User("a".into(), "1".into()),
            Property::User("b".into(), "two".into()),
            Property::User("c".into(), String::new()),
        ])
    );
    assert!(parse_user_properties("novalue").is_err());
    let mut v3 = connected(MqttVersion::V311);
    assert_eq!(
        v3.publish("t", Vec::new(), 0, false, "a=1", 0.0)
            .err()
            .as_deref(),
        Some("user properties need MQTT 5: choose version 5")
    );
}

#[test]
fn answers_for_nothing_awaited_are_flagged() {
    let mut client = connected(MqttVersion::V311);
    let stray = client.on_bytes(&[0x40, 0x02, 0, 9], 1.0);
    assert_eq!(stray.note.summary, "PUBACK 9, for no packet awaiting it");
    let split = client.on_bytes(&[0x90, 0x03], 1.0);
    assert_eq!(split.note.kind, NoteKind::Attachment);
    let rest = client.on_bytes(&[0, 5, 0], 1.0);
    assert_eq!(rest.note.summary, "SUBACK 5, for no SUBSCRIBE awaiting it");
}

proptest! {
    #[test]
    fn any_bytes_from_the_broker_are_read_to_a_note(
        chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 1..5)
    ) {
        for version in MqttVersion::ALL {
            let mut client = connected(version);
            let _ = client.subscribe("a/#", 2, 0.0);
            let _ = client.publish("a/b", vec![1], 2, false, "", 0.0);
            for chunk in &chunks {
                let reading = client.on_bytes(chunk, 1.0);
                prop_assert!(!reading.note.summary.is_empty() || reading.note.kind == NoteKind::Attachment);
            }
            let _ = client.on_tick(1e12);
        }
    }
}

#[test]
fn a_silent_broker_is_told_once_and_the_timer_stops() {
    let mut client = connected(MqttVersion::V311);
    let _ = client.on_tick(45_000.0);
    assert!(matches!(
        client.on_tick(105_000.0).as_slice(),
        [Output::Trouble(_)]
    ));
    assert_eq!(client.next_tick_ms(), None, "no timer left to spin on");
}

#[test]
fn after_a_malformed_packet_nothing_more_is_read() {
    let mut client = connected(MqttVersion::V311);
    let bad = client.on_bytes(&[0xC1, 0x00], 1.0);
    assert_eq!(bad.note.kind, NoteKind::Problem);
    assert!(matches!(bad.outputs.as_slice(), [Output::Trouble(why)] if why.contains("malformed")));
    // What follows could be the rest of the bad packet: a forged PUBLISH is not answered.
    let forged = client.on_bytes(&[0x32, 0x05, 0, 1, b't', 0, 7], 2.0);
    assert!(forged.outputs.is_empty(), "{:?}", forged.outputs);
    assert_eq!(forged.note.kind, NoteKind::Problem);
}

#[test]
fn closing_says_disconnect_so_the_will_is_not_published() {
    let mut client = connected(MqttVersion::V5);
    let Some(bye) = client.disconnect(1.0) else {
        panic!("no DISCONNECT")
    };
    assert_eq!(bye.bytes, [0xE0, 0x00]);
    assert_eq!(client.disconnect(2.0), None, "once");
    assert!(client.subscribe("a", 0, 3.0).is_err());
}

#[test]
fn a_v5_connect_refused_by_a_3_1_1_broker_is_explained() {
    let mut client = MqttClient::new(MqttVersion::V5);
    let _ = client.connect(&settings(MqttVersion::V5), 0.0);
    let reading = client.on_bytes(&[0x20, 0x02, 0x00, 0x01], 1.0);
    let [Output::Refused { name, advice, .. }] = reading.outputs.as_slice() else {
        panic!("{:?} {:?}", reading.note, reading.outputs)
    };
    assert_eq!(*name, "unacceptable protocol version");
    assert!(advice.contains("3.1.1"), "{advice}");
}

#[test]
fn a_refused_unsubscribe_keeps_the_subscription() {
    let mut client = connected(MqttVersion::V5);
    let _ = client.subscribe("a/#", 0, 0.0);
    let _ = client.on_bytes(&[0x90, 0x04, 0, 1, 0, 0], 1.0);
    let _ = client.unsubscribe("a/#", 2.0);
    let refused = client.on_bytes(&[0xB0, 0x04, 0, 2, 0, 0x87], 3.0);
    assert_eq!(refused.note.kind, NoteKind::Error);
    assert!(
        refused.note.summary.contains("Not authorized"),
        "{}",
        refused.note.summary
    );
    assert_eq!(
        client.subscriptions()[0].state,
        SubscriptionState::Granted(0)
    );
}

#[test]
fn a_duplicate_qos_2_message_is_not_delivered_twice() {
    let mut client = connected(MqttVersion::V311);
    let _ = client.subscribe("x", 2, 0.0);
    let _ = client.on_bytes(&[0x90, 0x03, 0, 1, 2], 1.0);
    let publish = |dup: bool| {
        from_broker(
            Packet::Publish(Publish {
                dup,
                qos: 2,
                retain: false,
                topic: "x".into(),
                packet_id: Some(5),
                properties: Vec::new(),
                payload: b"once".to_vec(),
            }),
            MqttVersion::V311,
        )
    };
    let _ = client.on_bytes(&publish(false), 2.0);
    let again = client.on_bytes(&publish(true), 3.0);
    assert_eq!(again.note.kind, NoteKind::Ack);
    assert!(
        again.note.summary.contains("again"),
        "{}",
        again.note.summary
    );
    assert!(
        matches!(again.outputs.as_slice(), [Output::Send(..)]),
        "PUBREC again"
    );
    assert_eq!(client.subscriptions()[0].messages, 1);
}

#[test]
fn a_broker_disconnect_ends_the_session_and_fields_too_long_are_refused() {
    let mut client = connected(MqttVersion::V5);
    let said = client.on_bytes(&[0xE0, 0x00], 1.0);
    assert_eq!(said.note.summary, "DISCONNECT \u{b7} Normal disconnection");
    assert_eq!(client.next_tick_ms(), None);
    let mut client = connected(MqttVersion::V5);
    let long = "n".repeat(70_000);
    assert!(
        client
            .publish("t", Vec::new(), 0, false, &format!("{long}=1"), 0.0)
            .is_err()
    );
    let will = ConnectSettings {
        will_topic: "w".into(),
        will_payload: long,
        ..settings(MqttVersion::V5)
    };
    assert!(
        MqttClient::new(MqttVersion::V5)
            .connect(&will, 0.0)
            .is_err()
    );
}
