//! The /deflate endpoint's own frame loop, with RFC 7692 permessage-deflate:
//! tungstenite refuses frames with RSV1 set, which is how compressed messages arrive.

use std::io;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::codec::{self, Refusal};

const CONTINUATION: u8 = 0x0;
const CLOSE: u8 = 0x8;
const PING: u8 = 0x9;
const PONG: u8 = 0xa;
const PROTOCOL_ERROR: u16 = 1002;
const TOO_BIG: u16 = 1009;

struct Frame {
    fin: bool,
    rsv1: bool,
    opcode: u8,
    payload: Vec<u8>,
}

/// Why the loop stopped: the peer went away, or it sent something that gets a close code.
enum Stop {
    Io(io::Error),
    Refused(Refusal),
}

impl From<io::Error> for Stop {
    fn from(e: io::Error) -> Self {
        Stop::Io(e)
    }
}

impl From<Refusal> for Stop {
    fn from(r: Refusal) -> Self {
        Stop::Refused(r)
    }
}

fn refuse(code: u16, why: &'static str) -> Stop {
    Stop::Refused(Refusal { code, why })
}

/// Echoes messages of at most `limit` bytes (on the wire and inflated) until the peer closes.
pub async fn echo(
    stream: TcpStream,
    leftover: Vec<u8>,
    compress: bool,
    limit: usize,
) -> io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut read = io::Cursor::new(leftover).chain(read);
    match run(&mut read, &mut write, compress, limit).await {
        Ok(()) => Ok(()),
        Err(Stop::Io(e)) => Err(e),
        Err(Stop::Refused(Refusal { code, why })) => {
            // The reason says why in the client's close event; then stop reading at once.
            let payload = [&code.to_be_bytes()[..], why.as_bytes()].concat();
            write_frame(&mut write, CLOSE, false, &payload).await?;
            write.shutdown().await?;
            Err(io::Error::new(io::ErrorKind::InvalidData, why))
        }
    }
}

async fn run<R, W>(read: &mut R, write: &mut W, compress: bool, limit: usize) -> Result<(), Stop>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    // The message being assembled from fragments: opcode, compressed, bytes so far.
    let mut message: Option<(u8, bool, Vec<u8>)> = None;
    loop {
        let frame = read_frame(read, limit).await?;
        match (frame.opcode, message.as_mut()) {
            (CLOSE, _) => {
                let code = frame.payload.get(..2).unwrap_or(&[0x03, 0xe8]).to_vec();
                write_frame(write, CLOSE, false, &code).await?;
                write.shutdown().await?;
                return Ok(());
            }
            (PING, _) => write_frame(write, PONG, false, &frame.payload).await?,
            (PONG, _) => {}
            (CONTINUATION, Some((_, _, bytes))) if !frame.rsv1 => {
                // Checked per fragment: endless continuations must not wait for a final one.
                if bytes.len() + frame.payload.len() > limit {
                    return Err(refuse(TOO_BIG, "message past the size limit"));
                }
                bytes.extend_from_slice(&frame.payload)
            }
            (0x1 | 0x2, None) if compress || !frame.rsv1 => {
                message = Some((frame.opcode, frame.rsv1, frame.payload));
            }
            _ => return Err(refuse(PROTOCOL_ERROR, "unexpected frame")),
        }
        if frame.fin && frame.opcode < CLOSE {
            let Some((opcode, compressed, bytes)) = message.take() else {
                continue;
            };
            let bytes = if compressed {
                codec::inflate(&bytes, limit)?
            } else {
                bytes
            };
            let payload = if compress {
                codec::deflate(&bytes)?
            } else {
                bytes
            };
            write_frame(write, opcode, compress, &payload).await?;
        }
    }
}

async fn read_frame<R: AsyncRead + Unpin>(read: &mut R, limit: usize) -> Result<Frame, Stop> {
    let mut head = [0u8; 2];
    read.read_exact(&mut head).await?;
    let len = match head[1] & 0x7f {
        126 => u64::from(read.read_u16().await?),
        127 => read.read_u64().await?,
        n => u64::from(n),
    };
    let (fin, opcode) = (head[0] & 0x80 != 0, head[0] & 0x0f);
    if len > limit as u64 {
        return Err(refuse(TOO_BIG, "frame past the size limit"));
    }
    if opcode >= CLOSE && (len > 125 || !fin) {
        return Err(refuse(
            PROTOCOL_ERROR,
            "control frame fragmented or too long",
        ));
    }
    if head[1] & 0x80 == 0 {
        return Err(refuse(PROTOCOL_ERROR, "client frame not masked"));
    }
    let mut mask = [0u8; 4];
    read.read_exact(&mut mask).await?;
    // Grows with what arrives, not with what the header claims.
    let mut payload = Vec::new();
    (&mut *read).take(len).read_to_end(&mut payload).await?;
    if payload.len() as u64 != len {
        return Err(Stop::Io(io::ErrorKind::UnexpectedEof.into()));
    }
    for (i, b) in payload.iter_mut().enumerate() {
        *b ^= mask[i % 4];
    }
    Ok(Frame {
        fin,
        rsv1: head[0] & 0x40 != 0,
        opcode,
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
