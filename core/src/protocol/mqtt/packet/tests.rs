use proptest::prelude::*;

use super::*;

fn round_trip(packet: &Packet, version: MqttVersion) -> Packet {
    let bytes = encode(packet, version);
    match decode(&bytes, version) {
        Ok(Some((back, used))) => {
            assert_eq!(used, bytes.len(), "{packet:?}");
            back
        }
        other => panic!("{packet:?} did not read back: {other:?}"),
    }
}

#[test]
fn connect_is_written_as_the_specification_shows() {
    let connect = Packet::Connect(Box::new(Connect {
        version: MqttVersion::V311,
        client_id: "a".into(),
        clean_start: true,
        keep_alive: 60,
        username: None,
        password: None,
        will: None,
        properties: Vec::new(),
    }));
    assert_eq!(
        encode(&connect, MqttVersion::V311),
        [
            0x10, 13, 0, 4, b'M', b'Q', b'T', b'T', 4, 0x02, 0, 60, 0, 1, b'a'
        ]
    );
    assert_eq!(encode(&Packet::PingReq, MqttVersion::V5), [0xC0, 0]);
    // MQTT 5 adds an empty property length after the keep alive.
    let Packet::Connect(mut c) = connect else {
        unreachable!()
    };
    c.version = MqttVersion::V5;
    let v5 = encode(&Packet::Connect(c), MqttVersion::V5);
    assert_eq!(
        v5.get(..13),
        Some(&[0x10, 14, 0, 4, b'M', b'Q', b'T', b'T', 5, 0x02, 0, 60, 0][..])
    );
}

#[test]
fn remaining_length_takes_up_to_four_bytes() {
    let publish = |n: usize| {
        Packet::Publish(Publish {
            dup: false,
            qos: 0,
            retain: false,
            topic: "t".into(),
            packet_id: None,
            properties: Vec::new(),
            payload: vec![7; n],
        })
    };
    // 3 bytes of topic field + payload: 127 fits one length byte, 128 needs two.
    assert_eq!(encode(&publish(124), MqttVersion::V311).get(1), Some(&127));
    assert_eq!(
        encode(&publish(125), MqttVersion::V311).get(1..3),
        Some(&[0x80, 0x01][..])
    );
    let big = publish(20_000);
    assert_eq!(round_trip(&big, MqttVersion::V311), big);
    assert_eq!(
        decode(&[0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], MqttVersion::V311),
        Err(DecodeError::LengthTooLong)
    );
    assert_eq!(
        decode(&[0x30, 0xFF, 0xFF, 0xFF, 0x7F], MqttVersion::V311),
        Err(DecodeError::TooLarge(268_435_455))
    );
}

#[test]
fn bad_packets_say_what_is_wrong() {
    for (bytes, said) in [
        (&[0x00, 0x00][..], "packet type 0 is reserved"),
        (&[0xF0, 0x00][..], "packet type 15 is reserved"),
        (
            &[0xC1, 0x00][..],
            "PINGREQ with fixed-header flags 0b0001, which MQTT forbids",
        ),
        (
            &[0x80, 0x03, 0, 1, 0][..],
            "SUBSCRIBE with fixed-header flags 0b0000, which MQTT forbids",
        ),
        (
            &[0x36, 0x03, 0, 1, b't'][..],
            "PUBLISH with fixed-header flags 0b0110, which MQTT forbids",
        ),
        (
            &[0x40, 0x02, 0, 0][..],
            "malformed packet: packet identifier 0",
        ),
        (
            &[0x30, 0x03, 0, 5, b't'][..],
            "malformed packet: it ends inside its strings",
        ),
        (
            &[0x30, 0x04, 0, 2, 0xC3, 0x28][..],
            "malformed packet: its string is not UTF-8",
        ),
        (
            &[0xD0, 0x01, 0][..],
            "PINGRESP with 1 bytes past its last field",
        ),
    ] {
        match decode(bytes, MqttVersion::V311) {
            Err(e) => assert_eq!(e.to_string(), said, "{bytes:?}"),
            other => panic!("{bytes:?} read as {other:?}"),
        }
    }
    assert_eq!(decode(&[0x30], MqttVersion::V311), Ok(None));
    assert_eq!(decode(&[0x30, 0x05, 0, 1], MqttVersion::V311), Ok(None));
}

#[test]
fn v5_acks_may_leave_out_their_reason_and_properties() {
    let bare = [0x40, 0x02, 0, 9];
    let Ok(Some((Packet::Ack(ack), 4))) = decode(&bare, MqttVersion::V5) else {
        panic!("PUBACK without a reason was refused")
    };
    assert_eq!((ack.packet_id, ack.reason), (9, 0));
    let refused = [0x40, 0x03, 0, 9, 0x87];
    let Ok(Some((Packet::Ack(ack), _))) = decode(&refused, MqttVersion::V5) else {
        panic!("PUBACK with a reason was refused")
    };
    assert_eq!(ack.reason, 0x87);
    assert_eq!(encode(&Packet::Ack(ack.clone()), MqttVersion::V5), refused);
}

#[test]
fn a_stream_reads_packets_split_across_and_packed_into_messages() {
    let a = encode(&Packet::PingResp, MqttVersion::V311);
    let b = encode(
        &Packet::SubAck(SubAck {
            packet_id: 3,
            properties: Vec::new(),
            codes: vec![1, 0x80],
        }),
        MqttVersion::V311,
    );
    let mut joined = a.clone();
    joined.extend_from_slice(&b);
    let mut stream = PacketStream::default();
    let (first, second) = joined.split_at(a.len() + 2);
    let read: Vec<_> = stream.push(first, MqttVersion::V311);
    assert_eq!(read, [Ok(Packet::PingResp)]);
    assert_eq!(stream.pending(), 2);
    let read = stream.push(second, MqttVersion::V311);
    assert!(matches!(read.as_slice(), [Ok(Packet::SubAck(s))] if s.codes == [1, 0x80]));
    assert_eq!(stream.pending(), 0);
    // After an error nothing of the broken packet is kept.
    let read = stream.push(&[0xC1, 0x00, 0xD0, 0x00], MqttVersion::V311);
    assert_eq!(read.len(), 1);
    assert!(read[0].is_err());
    assert_eq!(stream.pending(), 0);
}

fn text() -> impl Strategy<Value = String> {
    ".{0,12}"
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..24)
}

fn properties(v5: bool) -> BoxedStrategy<Vec<Property>> {
    if !v5 {
        return Just(Vec::new()).boxed();
    }
    let one = prop_oneof![
        any::<u8>().prop_map(|v| Property::Byte(0x01, v)),
        any::<u16>().prop_map(|v| Property::Short(0x23, v)),
        any::<u32>().prop_map(|v| Property::Int(0x02, v)),
        (0u32..268_435_455).prop_map(|v| Property::VarInt(0x0B, v)),
        text().prop_map(|v| Property::Text(0x03, v)),
        bytes().prop_map(|v| Property::Binary(0x09, v)),
        (text(), text()).prop_map(|(n, v)| Property::User(n, v)),
    ];
    proptest::collection::vec(one, 0..4).boxed()
}

fn packet_id() -> impl Strategy<Value = u16> {
    1..=u16::MAX
}

fn packet(version: MqttVersion) -> BoxedStrategy<Packet> {
    let v5 = version == MqttVersion::V5;
    let will = (text(), bytes(), 0u8..3, any::<bool>(), properties(v5)).prop_map(
        |(topic, payload, qos, retain, properties)| Will {
            topic,
            payload,
            qos,
            retain,
            properties,
        },
    );
    let connect = (
        text(),
        any::<bool>(),
        any::<u16>(),
        proptest::option::of(text()),
        proptest::option::of(bytes()),
        proptest::option::of(will),
        properties(v5),
    )
        .prop_map(
            move |(client_id, clean_start, keep_alive, username, password, will, properties)| {
                Packet::Connect(Box::new(Connect {
                    version,
                    client_id,
                    clean_start,
                    keep_alive,
                    username,
                    password,
                    will,
                    properties,
                }))
            },
        );
    let publish = (
        any::<bool>(),
        0u8..3,
        any::<bool>(),
        text(),
        packet_id(),
        properties(v5),
        bytes(),
    )
        .prop_map(|(dup, qos, retain, topic, id, properties, payload)| {
            Packet::Publish(Publish {
                dup,
                qos,
                retain,
                topic,
                packet_id: (qos > 0).then_some(id),
                properties,
                payload,
            })
        });
    let ack = (0usize..4, packet_id(), any::<u8>(), properties(v5)).prop_map(
        move |(kind, packet_id, reason, properties)| {
            let kind = [
                AckKind::PubAck,
                AckKind::PubRec,
                AckKind::PubRel,
                AckKind::PubComp,
            ]
            .get(kind)
            .copied()
            .unwrap_or(AckKind::PubAck);
            Packet::Ack(Ack {
                kind,
                packet_id,
                reason: if v5 { reason } else { 0 },
                properties: if reason == 0 { Vec::new() } else { properties },
            })
        },
    );
    let sub_ack = (packet_id(), properties(v5), bytes(), any::<bool>()).prop_map(
        |(packet_id, properties, codes, unsub)| {
            let ack = SubAck {
                packet_id,
                properties,
                codes,
            };
            if unsub {
                Packet::UnsubAck(ack)
            } else {
                Packet::SubAck(ack)
            }
        },
    );
    let subscribe = (
        packet_id(),
        properties(v5),
        proptest::collection::vec((text(), any::<u8>()), 1..4),
    )
        .prop_map(|(packet_id, properties, filters)| {
            Packet::Subscribe(Subscribe {
                packet_id,
                properties,
                filters,
            })
        });
    let unsubscribe = (
        packet_id(),
        properties(v5),
        proptest::collection::vec(text(), 1..4),
    )
        .prop_map(|(packet_id, properties, filters)| {
            Packet::Unsubscribe(Unsubscribe {
                packet_id,
                properties,
                filters,
            })
        });
    let connack = (any::<bool>(), any::<u8>(), properties(v5)).prop_map(
        |(session_present, code, properties)| Packet::ConnAck {
            session_present,
            code,
            properties,
        },
    );
    let disconnect = (any::<u8>(), properties(v5)).prop_map(move |(reason, properties)| {
        if v5 {
            Packet::Disconnect { reason, properties }
        } else {
            Packet::Disconnect {
                reason: 0,
                properties: Vec::new(),
            }
        }
    });
    prop_oneof![
        connect,
        connack,
        publish,
        ack,
        subscribe,
        sub_ack,
        unsubscribe,
        Just(Packet::PingReq),
        Just(Packet::PingResp),
        disconnect,
    ]
    .boxed()
}

proptest! {
    #[test]
    fn any_packet_round_trips_in_3_1_1(p in packet(MqttVersion::V311)) {
        prop_assert_eq!(round_trip(&p, MqttVersion::V311), p);
    }

    #[test]
    fn any_packet_round_trips_in_5(p in packet(MqttVersion::V5)) {
        prop_assert_eq!(round_trip(&p, MqttVersion::V5), p);
    }

    #[test]
    fn any_bytes_read_to_a_packet_or_a_clear_error(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        for version in MqttVersion::ALL {
            match decode(&bytes, version) {
                Ok(Some((_, used))) => prop_assert!(used <= bytes.len()),
                Ok(None) => {}
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
        }
    }

    #[test]
    fn packets_arrive_whole_however_the_messages_cut_them(
        packets in proptest::collection::vec(packet(MqttVersion::V5), 1..6),
        cuts in proptest::collection::vec(0usize..400, 0..6),
    ) {
        let bytes: Vec<u8> = packets.iter().flat_map(|p| encode(p, MqttVersion::V5)).collect();
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(bytes.len())).collect();
        cuts.sort_unstable();
        let mut stream = PacketStream::default();
        let mut read = Vec::new();
        let mut from = 0;
        for cut in cuts.into_iter().chain(std::iter::once(bytes.len())) {
            read.extend(stream.push(bytes.get(from..cut).unwrap_or(&[]), MqttVersion::V5));
            from = cut;
        }
        let read: Vec<Packet> = read.into_iter().filter_map(Result::ok).collect();
        prop_assert_eq!(read, packets);
        prop_assert_eq!(stream.pending(), 0);
    }
}
