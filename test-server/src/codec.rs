//! RFC 7692 permessage-deflate payloads: inflating what a client sends (which may be hostile)
//! and deflating the echo.

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};

/// Ends every sync-flushed deflate block; RFC 7692 strips it on the wire.
pub const SYNC_TAIL: [u8; 4] = [0x00, 0x00, 0xff, 0xff];
/// Output is taken in pieces of this size, so memory follows real output, not claims.
const PIECE: usize = 64 * 1024;

/// Why a compressed message was refused, as the close code to send and a reason.
#[derive(Debug, PartialEq)]
pub struct Refusal {
    pub code: u16,
    pub why: &'static str,
}

const INVALID: u16 = 1007;
const TOO_BIG: u16 = 1009;

/// Inflates one message's payload, at most `limit` bytes of it. A fresh inflater each time:
/// the server agrees client_no_context_takeover, and a final block (BFINAL) ends the stream,
/// so nothing carries over to the next message either way.
pub fn inflate(compressed: &[u8], limit: usize) -> Result<Vec<u8>, Refusal> {
    let input = [compressed, &SYNC_TAIL].concat();
    let mut inflater = Decompress::new(false);
    let mut piece = vec![0u8; PIECE];
    let mut out = Vec::new();
    loop {
        let (read, written) = (inflater.total_in(), inflater.total_out());
        let consumed = usize::try_from(read).unwrap_or(usize::MAX).min(input.len());
        let status = inflater
            .decompress(&input[consumed..], &mut piece, FlushDecompress::Sync)
            .map_err(|_| refuse(INVALID, "not valid deflate data"))?;
        let produced = usize::try_from(inflater.total_out() - written).unwrap_or(PIECE);
        out.extend_from_slice(&piece[..produced.min(PIECE)]);
        if out.len() > limit {
            return Err(refuse(TOO_BIG, "message inflates past the limit"));
        }
        let all_read = inflater.total_in() as usize >= input.len();
        match status {
            // A final block: what follows (the sync tail, padding) is not part of the message.
            Status::StreamEnd => return Ok(out),
            _ if all_read && produced < PIECE => return Ok(out),
            _ if inflater.total_in() == read && produced == 0 => {
                return Err(refuse(INVALID, "deflate data that cannot be inflated"));
            }
            _ => {}
        }
    }
}

fn refuse(code: u16, why: &'static str) -> Refusal {
    Refusal { code, why }
}

/// Compresses one message as RFC 7692 sends it: sync-flushed, without the tail.
pub fn deflate(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut deflater = Compress::new(Compression::fast(), false);
    let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
    loop {
        let consumed = deflater.total_in() as usize;
        deflater
            .compress_vec(&bytes[consumed..], &mut out, FlushCompress::Sync)
            .map_err(std::io::Error::other)?;
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
mod fuzz;

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: usize = 1 << 20;

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
            assert_eq!(inflate(&compressed, LIMIT).unwrap(), input);
        }
    }

    #[test]
    fn inflates_what_rfc_7692_gives_as_its_examples() {
        // §7.2.3.1 "Hello" compressed; §7.2.3.3 the same in a block with BFINAL set.
        let plain = [0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00];
        let with_bfinal = [0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x00];
        assert_eq!(inflate(&plain, LIMIT).unwrap(), b"Hello");
        assert_eq!(inflate(&with_bfinal, LIMIT).unwrap(), b"Hello");
    }

    #[test]
    fn output_stops_at_the_limit() {
        let compressed = deflate(&[7u8; 300_000]).unwrap();
        assert_eq!(inflate(&compressed, 300_000).unwrap().len(), 300_000);
        assert_eq!(inflate(&compressed, 299_999).unwrap_err().code, TOO_BIG);
    }
}
