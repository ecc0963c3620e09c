use proptest::prelude::*;

use super::*;

fn frames(bytes: &[u8], version: StompVersion) -> Vec<Result<Read, DecodeError>> {
    FrameStream::default().push(bytes, version)
}

fn only_frame(bytes: &[u8], version: StompVersion) -> Frame {
    match frames(bytes, version).as_slice() {
        [Ok(Read::Frame(frame))] => frame.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn rabbitmqs_message_is_read_with_its_escaped_header_and_trailing_eol() {
    // As RabbitMQ 3.10 sent it in this project's e2e broker.
    let wire = b"MESSAGE\nsubscription:s1\ndestination:/queue/a\nmessage-id:T_s1@@1\n\
ack:T_s1@@1\nx-k:a\\cb\ncontent-type:text/plain\ncontent-length:5\n\nhello\0\n";
    let read = frames(wire, StompVersion::V12);
    assert_eq!(read.len(), 2);
    let Some(Ok(Read::Frame(frame))) = read.first() else {
        panic!("{read:?}");
    };
    assert_eq!(frame.command, "MESSAGE");
    assert_eq!(frame.header("x-k"), Some("a:b"));
    assert_eq!(frame.header("destination"), Some("/queue/a"));
    assert_eq!(frame.body, b"hello");
    assert_eq!(read.get(1), Some(&Ok(Read::HeartBeats(1))));
}

#[test]
fn a_content_length_body_may_hold_nuls() {
    let frame = Frame::new("SEND")
        .with("destination", "/queue/a")
        .with_body(vec![1, 0, 2, 0]);
    let bytes = frame.encode(StompVersion::V12);
    assert_eq!(only_frame(&bytes, StompVersion::V12), frame);
}

#[test]
fn crlf_lines_and_heart_beats_are_read() {
    let wire = b"\r\n\nCONNECTED\r\nversion:1.2\r\nheart-beat:0,0\r\n\r\n\0";
    let read = frames(wire, StompVersion::V12);
    assert_eq!(read.len(), 2, "{read:?}");
    assert_eq!(read.first(), Some(&Ok(Read::HeartBeats(2))));
    let Some(Ok(Read::Frame(frame))) = read.get(1) else {
        panic!("{read:?}");
    };
    assert_eq!(frame.command, "CONNECTED");
    assert_eq!(frame.header("version"), Some("1.2"));
    assert!(frame.body.is_empty());
}

#[test]
fn the_first_of_a_repeated_header_counts() {
    let frame = only_frame(b"MESSAGE\nfoo:World\nfoo:Hello\n\n\0", StompVersion::V12);
    assert_eq!(frame.header("foo"), Some("World"));
    assert_eq!(frame.headers.len(), 2);
}

#[test]
fn connect_is_never_escaped_and_1_0_escapes_nothing() {
    let connect = Frame::new("CONNECT").with("passcode", "a:b\\c");
    let text = String::from_utf8(connect.encode(StompVersion::V12)).unwrap_or_default();
    assert!(text.contains("passcode:a:b\\c\n"), "{text}");
    let send = Frame::new("SEND").with("k", "a:b");
    let v12 = String::from_utf8(send.encode(StompVersion::V12)).unwrap_or_default();
    assert!(v12.contains("k:a\\cb\n"), "{v12}");
    let v10 = String::from_utf8(send.encode(StompVersion::V10)).unwrap_or_default();
    assert!(v10.contains("k:a:b\n"), "{v10}");
    // 1.0 reads the colon as part of the value.
    assert_eq!(
        only_frame(b"MESSAGE\nk:a:b\\c\n\n\0", StompVersion::V10).header("k"),
        Some("a:b\\c")
    );
}

#[test]
fn broken_frames_say_what_is_wrong() {
    let cases: [(&[u8], DecodeError); 6] = [
        (
            b"SEND\nk:a\\tb\n\n\0",
            DecodeError::UndefinedEscape("\\t".into()),
        ),
        (
            b"SEND\nno colon\n\n\0",
            DecodeError::NoColon("no colon".into()),
        ),
        (
            b"SEND\ncontent-length:x\n\n\0",
            DecodeError::BadContentLength("x".into()),
        ),
        (
            b"SEND\ncontent-length:1\n\nab\0",
            DecodeError::NoNulAfterBody,
        ),
        (b"SEND\nk:v\0\n\n\0", DecodeError::NoBlankLine),
        (b"SEND\nk:\xff\n\n\0", DecodeError::NotUtf8),
    ];
    for (bytes, expected) in cases {
        assert_eq!(
            frames(bytes, StompVersion::V12),
            vec![Err(expected.clone())],
            "{}",
            String::from_utf8_lossy(bytes)
        );
        assert!(!expected.to_string().is_empty());
    }
    // \r is an escape in 1.2 only.
    assert_eq!(
        frames(b"SEND\nk:\\r\n\n\0", StompVersion::V11),
        vec![Err(DecodeError::UndefinedEscape("\\r".into()))]
    );
    assert_eq!(
        only_frame(b"SEND\nk:\\r\n\n\0", StompVersion::V12).header("k"),
        Some("\r")
    );
}

#[test]
fn heart_beats_in_a_row_are_counted_not_listed() {
    let many = vec![b'\n'; 100_000];
    assert_eq!(
        frames(&many, StompVersion::V12),
        vec![Ok(Read::HeartBeats(100_000))]
    );
}

#[test]
fn a_large_frame_trickling_in_is_read_whole_once_its_nul_arrives() {
    // With content-length, and NULs in the body: read once all of it is there.
    let frame = Frame::new("MESSAGE")
        .with("destination", "/q")
        .with_body([0u8, 1, 2].repeat(20_000));
    let bytes = frame.encode(StompVersion::V12);
    let mut stream = FrameStream::default();
    let mut read = Vec::new();
    for piece in bytes.chunks(7) {
        read.extend(stream.push(piece, StompVersion::V12));
    }
    assert_eq!(read, vec![Ok(Read::Frame(frame))]);
    // Without: at its first NUL.
    let text = format!("SEND\n\n{}\0", "x".repeat(50_000));
    let mut stream = FrameStream::default();
    let mut read = Vec::new();
    for piece in text.as_bytes().chunks(5) {
        read.extend(stream.push(piece, StompVersion::V12));
    }
    assert_eq!(read.len(), 1);
    assert_eq!(stream.pending(), 0);
}

#[test]
fn a_frame_too_large_is_refused_before_it_is_held() {
    let huge = format!("SEND\ncontent-length:{}\n\n", MAX_FRAME + 1);
    assert_eq!(
        frames(huge.as_bytes(), StompVersion::V12),
        vec![Err(DecodeError::TooLarge(MAX_FRAME + 1))]
    );
    // Held piece by piece, with no NUL to end it.
    let mut stream = FrameStream::default();
    let piece = vec![b'x'; 1024 * 1024];
    let mut read = stream.push(b"SEND\n\n", StompVersion::V12);
    for _ in 0..17 {
        read.extend(stream.push(&piece, StompVersion::V12));
    }
    assert!(
        matches!(read.as_slice(), [Err(DecodeError::TooLarge(_))]),
        "{read:?}"
    );
    assert_eq!(stream.pending(), 1024 * 1024);
}

#[test]
fn versions_come_from_subprotocols_and_connected() {
    assert_eq!(
        StompVersion::negotiated("v11.stomp"),
        Some(StompVersion::V11)
    );
    assert_eq!(StompVersion::negotiated("mqtt"), None);
    assert_eq!(StompVersion::from_header(None), Some(StompVersion::V10));
    assert_eq!(
        StompVersion::from_header(Some("1.2")),
        Some(StompVersion::V12)
    );
    assert_eq!(StompVersion::from_header(Some("2.0")), None);
}

fn any_version() -> impl Strategy<Value = StompVersion> {
    prop_oneof![
        Just(StompVersion::V10),
        Just(StompVersion::V11),
        Just(StompVersion::V12)
    ]
}

/// A frame `version` can carry: 1.0 cannot escape, so its headers hold no EOL or colon in
/// names; 1.1 cannot carry CR.
fn any_frame(version: StompVersion) -> impl Strategy<Value = Frame> {
    let text = match version {
        StompVersion::V10 => "[^\n\r:\0]{0,12}",
        StompVersion::V11 => "[^\r\0]{0,12}",
        StompVersion::V12 => "[^\0]{0,12}",
    };
    let value = match version {
        StompVersion::V10 => "[^\n\r\0]{0,12}",
        _ => text,
    };
    (
        prop_oneof![
            Just("SEND"),
            Just("MESSAGE"),
            Just("SUBSCRIBE"),
            Just("ERROR"),
            Just("RECEIPT")
        ],
        prop::collection::vec(("[a-z][a-z-]{0,8}".prop_map(String::from), value), 0..5),
        prop::collection::vec(any::<u8>(), 0..40),
    )
        .prop_map(|(command, headers, body)| {
            let mut frame = Frame::new(command);
            for (name, value) in headers {
                if name != "content-length" {
                    frame = frame.with(&name, value);
                }
            }
            frame.with_body(body)
        })
}

proptest! {
    #[test]
    fn any_frame_round_trips(
        (version, frame) in any_version().prop_flat_map(|v| (Just(v), any_frame(v)))
    ) {
        let bytes = frame.encode(version);
        prop_assert_eq!(decode(&bytes, version), Ok(Some((Read::Frame(frame), bytes.len()))));
    }

    #[test]
    fn frames_cut_anywhere_or_packed_read_the_same(
        frames_in in prop::collection::vec(any_frame(StompVersion::V12), 1..4),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..4),
    ) {
        let mut wire = Vec::new();
        for frame in &frames_in {
            wire.extend(frame.encode(StompVersion::V12));
            wire.push(b'\n');
        }
        let mut at: Vec<usize> = cuts.iter().map(|i| i.index(wire.len() + 1)).collect();
        at.sort_unstable();
        let mut stream = FrameStream::default();
        let mut read = Vec::new();
        let mut from = 0;
        for cut in at.into_iter().chain([wire.len()]) {
            read.extend(stream.push(wire.get(from..cut).unwrap_or_default(), StompVersion::V12));
            from = cut;
        }
        let expected: Vec<Result<Read, DecodeError>> = frames_in
            .into_iter()
            .flat_map(|f| [Ok(Read::Frame(f)), Ok(Read::HeartBeats(1))])
            .collect();
        prop_assert_eq!(read, expected);
        prop_assert_eq!(stream.pending(), 0);
    }

    #[test]
    fn any_bytes_read_as_frames_or_a_clear_error(
        bytes in prop::collection::vec(any::<u8>(), 0..200),
        version in any_version(),
    ) {
        let mut stream = FrameStream::default();
        let read = stream.push(&bytes, version);
        // An error is the last thing read, and says something.
        if let Some(pos) = read.iter().position(Result::is_err) {
            prop_assert_eq!(pos + 1, read.len());
            if let Some(Err(e)) = read.last() {
                prop_assert!(!e.to_string().is_empty());
            }
        }
        prop_assert!(stream.pending() <= bytes.len());
    }
}
