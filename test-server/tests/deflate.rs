//! /deflate with the compressed messages a real client may send, over a real socket; every
//! wait is bounded, so a server that hangs fails the test instead of stalling it.

// A test that cannot go on should stop with the reason: unwrap, expect and panic are its way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{LIMIT, close_code, frame, inflate, read_frame, server_with, upgrade};
use wsprobe_test_server::Options;

const OFFER: &str = "Sec-WebSocket-Extensions: permessage-deflate\r\n";

async fn deflate_client(options: Options) -> tokio::net::TcpStream {
    let addr = server_with(options).await;
    let (stream, head) = upgrade(&addr, "/deflate", OFFER).await;
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    stream
}

async fn write(stream: &mut tokio::net::TcpStream, bytes: &[u8]) {
    use tokio::io::AsyncWriteExt;
    stream.write_all(bytes).await.expect("write frame");
}

/// RFC 7692 §7.2.3.3: "Hello" in a DEFLATE block with BFINAL set, then a non-final one.
#[tokio::test(flavor = "multi_thread")]
async fn a_message_ending_in_a_final_block_is_echoed_and_the_next_one_too() {
    let mut stream = deflate_client(Options::default()).await;
    let with_bfinal = [0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x00];
    let without = [0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00];
    for payload in [&with_bfinal[..], &without, &with_bfinal] {
        write(&mut stream, &frame(0xc1, payload)).await;
        let Some((first, reply)) = read_frame(&mut stream).await else {
            panic!("the server hung up after {payload:02x?}");
        };
        assert_eq!(first, 0xc1, "a final, compressed text frame");
        assert_eq!(inflate(&reply), b"Hello");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn data_that_does_not_inflate_closes_with_1007() {
    // BTYPE 11 is reserved: no inflater can make progress on it.
    for bad in [&[0xff, 0xff, 0xff][..], &[0x07, 0x00, 0x00, 0x00]] {
        let mut stream = deflate_client(Options::default()).await;
        write(&mut stream, &frame(0xc2, bad)).await;
        assert_eq!(close_code(&mut stream).await, Some(1007), "{bad:02x?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_that_inflates_past_the_limit_closes_with_1009() {
    let options = Options {
        max_message_bytes: 64 * 1024,
        ..Options::default()
    };
    let mut stream = deflate_client(options).await;
    // A megabyte of zeros compresses to about a kilobyte: a small zip bomb.
    let mut deflater = flate2::Compress::new(flate2::Compression::best(), false);
    let mut bomb = Vec::with_capacity(1 << 20);
    deflater
        .compress_vec(&vec![0u8; 1 << 20], &mut bomb, flate2::FlushCompress::Sync)
        .expect("compress");
    assert!(bomb.len() < 4096, "{}", bomb.len());
    write(&mut stream, &frame(0xc2, &bomb)).await;
    let code = tokio::time::timeout(LIMIT, close_code(&mut stream)).await;
    assert_eq!(code.expect("in time"), Some(1009));
}
