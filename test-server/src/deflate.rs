//! The /deflate endpoint's own frame loop, with RFC 7692 permessage-deflate:
//! tungstenite refuses frames with RSV1 set, which is how compressed messages arrive.

use std::io;

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;
/// Ends every sync-flushed deflate block; RFC 7692 strips it on the wire.
const SYNC_TAIL: [u8; 4] = [0x00, 0x00, 0xff, 0xff];

const CONTINUATION: u8 = 0x0;
const CLOSE: u8 = 0x8;
const PING: u8 = 0x9;
const PONG: u8 = 0xa;

struct Frame {
    fin: bool,
    rsv1: bool,
    opcode: u8,
    payload: Vec<u8>,
}

pub async fn echo(stream: TcpStream, leftover: Vec<u8>, compress: bool) -> io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut read = io::Cursor::new(leftover).chain(read);
    // The message being assembled from fragments: opcode, compressed, bytes so far.
    let mut message: Option<(u8, bool, Vec<u8>)> = None;
    loop {
        let frame = read_frame(&mut read).await?;
        match (frame.opcode, message.as_mut()) {
            (CLOSE, _) => {
                let code = frame.payload.get(..2).unwrap_or(&[0x03, 0xe8]).to_vec();
                write_frame(&mut write, CLOSE, false, &code).await?;
                return write.shutdown().await;
            }
            (PING, _) => write_frame(&mut write, PONG, false, &frame.payload).await?,
            (PONG, _) => {}
            (CONTINUATION, Some((_, _, bytes))) if !frame.rsv1 => {
                bytes.extend_from_slice(&frame.payload)
            }
            (0x1 | 0x2, None) if compress || !frame.rsv1 => {
                message = Some((frame.opcode, frame.rsv1, frame.payload));
            }
            _ => return protocol_error(&mut write, "unexpected frame").await,
        }
        if frame.fin && frame.opcode < CLOSE {
            let Some((opcode, compressed, bytes)) = message.take() else {
                continue;
            };
            if bytes.len() > MAX_MESSAGE_BYTES {
                return protocol_error(&mut write, "message too big").await;
            }
            let bytes = if compressed { inflate(&bytes)? } else { bytes };
            let payload = if compress { deflate(&bytes)? } else { bytes };
            write_frame(&mut write, opcode, compress, &payload).await?;
        }
    }
}

async fn protocol_error<W: AsyncWrite + Unpin>(write: &mut W, why: &str) -> io::Result<()> {
    write_frame(write, CLOSE, false, &[0x03, 0xea]).await?;
    Err(io::Error::new(io::ErrorKind::InvalidData, why.to_string()))
}

async fn read_frame<R: AsyncRead + Unpin>(read: &mut R) -> io::Result<Frame> {
    let mut head = [0u8; 2];
    read.read_exact(&mut head).await?;
    let len = match head[1] & 0x7f {
        126 => read.read_u16().await? as u64,
        127 => read.read_u64().await?,
        n => n as u64,
    };
    if len > MAX_MESSAGE_BYTES as u64 {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "frame too big"));
    }
    if head[1] & 0x80 == 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "client frame not masked",
        ));
    }
    let mut mask = [0u8; 4];
    read.read_exact(&mut mask).await?;
    let mut payload = vec![0u8; len as usize];
    read.read_exact(&mut payload).await?;
    for (i, b) in payload.iter_mut().enumerate() {
        *b ^= mask[i % 4];
    }
    Ok(Frame {
        fin: head[0] & 0x80 != 0,
        rsv1: head[0] & 0x40 != 0,
        opcode: head[0] & 0x0f,
        payload,
    })
}

async fn write_frame<W: AsyncWrite + Unpin>(
    write: &mut W,
    opcode: u8,
    rsv1: bool,
    payload: &[u8],
) -> io::Result<()> {
    let mut head = vec![0x80 | if rsv1 { 0x40 } else { 0 } | opcode];
    match payload.len() {
        n if n < 126 => head.push(n as u8),
        n if n <= u16::MAX as usize => {
            head.push(126);
            head.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            head.push(127);
            head.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    write.write_all(&head).await?;
    write.write_all(payload).await?;
    write.flush().await
}

fn inflate(compressed: &[u8]) -> io::Result<Vec<u8>> {
    let input = [compressed, &SYNC_TAIL].concat();
    let mut inflater = Decompress::new(false);
    let mut out = Vec::with_capacity(compressed.len() * 4 + 64);
    loop {
        let consumed = inflater.total_in() as usize;
        inflater
            .decompress_vec(&input[consumed..], &mut out, FlushDecompress::Sync)
            .map_err(io::Error::other)?;
        if inflater.total_in() as usize == input.len() && out.len() < out.capacity() {
            return Ok(out);
        }
        if out.len() > MAX_MESSAGE_BYTES {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "message inflates past the limit",
            ));
        }
        out.reserve(out.capacity().max(1024));
    }
}

fn deflate(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut deflater = Compress::new(Compression::fast(), false);
    let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
    loop {
        let consumed = deflater.total_in() as usize;
        deflater
            .compress_vec(&bytes[consumed..], &mut out, FlushCompress::Sync)
            .map_err(io::Error::other)?;
        if deflater.total_in() as usize == bytes.len() && out.len() < out.capacity() {
            break;
        }
        out.reserve(out.capacity().max(1024));
    }
    if out.ends_with(&SYNC_TAIL) {
        out.truncate(out.len() - SYNC_TAIL.len());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deflate_and_inflate_round_trip_without_the_sync_tail() {
        for input in [
            &b""[..],
            b"a",
            b"hello hello hello hello",
            &[0u8; 100_000],
            &(0..=255u8).cycle().take(70_000).collect::<Vec<_>>(),
        ] {
            let compressed = deflate(input).unwrap();
            assert!(!compressed.ends_with(&SYNC_TAIL));
            assert_eq!(inflate(&compressed).unwrap(), input);
        }
    }

    #[test]
    fn inflates_what_rfc_7692_gives_as_its_example() {
        // RFC 7692 §7.2.3.1: "Hello" compressed.
        assert_eq!(
            inflate(&[0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00]).unwrap(),
            b"Hello"
        );
    }
}
