//! Whole-payload encodings for the detail view and exports: base64, `hexdump -C`, JSON strings.

use std::fmt::Write;

// Base64 is written here rather than taken from the `base64` crate, whose general engine is
// several KB of the page's first load; tests check both against each other.
const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64 with the standard alphabet and `=` padding (RFC 4648 §4).
pub fn base64(bytes: &[u8]) -> String {
    encode(bytes, STANDARD, true)
}

/// Base64url without padding (RFC 4648 §5): safe in a URL as it is.
pub fn base64url(bytes: &[u8]) -> String {
    encode(bytes, URL_SAFE, false)
}

fn encode(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let byte = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let group = byte(0) << 16 | byte(1) << 8 | byte(2);
        // n bytes make n + 1 symbols; the rest of the quantum is padding.
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(alphabet[(group >> (18 - 6 * i)) as usize & 63]));
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

/// The bytes of unpadded Base64 whose symbols `value` reads; bits left over at the end are
/// ignored. Err at the first symbol it cannot read (a `=` means the length is wrong), or for a
/// length no encoder writes (one symbol over a multiple of four).
fn decode(text: &[u8], value: impl Fn(u8) -> Option<u8>) -> Result<Vec<u8>, Base64Error> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let (mut group, mut bits) = (0u32, 0u32);
    for (at, &symbol) in text.iter().enumerate() {
        let Some(v) = value(symbol) else {
            return Err(if symbol == b'=' {
                Base64Error::Length
            } else {
                Base64Error::Character(at)
            });
        };
        group = (group << 6 | u32::from(v)) & 0xffff;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((group >> bits) as u8);
        }
    }
    if text.len() % 4 == 1 {
        return Err(Base64Error::Length);
    }
    Ok(out)
}

/// A symbol's 6 bits; both alphabets share their first 62 symbols, in ASCII's order.
fn value_in(alphabet: &[u8; 64], symbol: u8) -> Option<u8> {
    match symbol {
        b'A'..=b'Z' => Some(symbol - b'A'),
        b'a'..=b'z' => Some(symbol - b'a' + 26),
        b'0'..=b'9' => Some(symbol - b'0' + 52),
        _ if symbol == alphabet[62] => Some(62),
        _ if symbol == alphabet[63] => Some(63),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base64Error {
    /// A character outside the alphabet, at this index.
    Character(usize),
    /// A length no encoder produces: the text was cut short.
    Length,
}

/// Reads what `base64url` writes; padding is not expected. Bits left over by a cut are
/// ignored, so a link cut short is told apart by its length and checksum (as "incomplete"),
/// not by where the cut fell.
pub fn decode_base64url(text: &str) -> Result<Vec<u8>, Base64Error> {
    decode(text.as_bytes(), |symbol| value_in(URL_SAFE, symbol))
}

/// Reads standard Base64 with its `=` padding, without it, or with part of it (as the `base64`
/// crate's `Indifferent` mode does), ignoring bits left over at the end.
pub fn decode_base64_padded_or_not(text: &str) -> Result<Vec<u8>, Base64Error> {
    let symbols = text.trim_end_matches('=');
    let padding = text.len() - symbols.len();
    // Two symbols at the end of a quantum stand for one byte, three for two.
    let room = match symbols.len() % 4 {
        2 => 2,
        3 => 1,
        _ => 0,
    };
    if padding > room {
        return Err(Base64Error::Length);
    }
    decode(symbols.as_bytes(), |symbol| value_in(STANDARD, symbol))
}

const DUMP_WIDTH: usize = 16;
/// Width of a full line's hex column, so the ASCII column of a short last line lines up.
const DUMP_HEX_CHARS: usize = DUMP_WIDTH * 3;

/// Bytes laid out as `hexdump -C` does (without its closing offset line or `*` folding).
pub fn hex_dump(bytes: &[u8]) -> String {
    let lines = bytes.len().div_ceil(DUMP_WIDTH);
    let mut out = String::with_capacity(lines * 79);
    for (line, chunk) in bytes.chunks(DUMP_WIDTH).enumerate() {
        if line > 0 {
            out.push('\n');
        }
        let _ = write!(out, "{:08x}  ", line * DUMP_WIDTH);
        let hex_start = out.len();
        for (i, b) in chunk.iter().enumerate() {
            match i {
                0 => {}
                8 => out.push_str("  "),
                _ => out.push(' '),
            }
            let _ = write!(out, "{b:02x}");
        }
        let pad = DUMP_HEX_CHARS - (out.len() - hex_start);
        out.extend(std::iter::repeat_n(' ', pad));
        out.push_str("  |");
        out.extend(chunk.iter().map(|&b| {
            if (0x20..=0x7e).contains(&b) {
                char::from(b)
            } else {
                '.'
            }
        }));
        out.push('|');
    }
    out
}

/// `text` as a JSON string literal with its quotes (RFC 8259 §7).
pub fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_is_url_safe_and_unpadded() {
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
        assert_eq!(decode_base64url("-_8"), Ok(vec![0xfb, 0xff]));
        assert_eq!(decode_base64url("ab+c"), Err(Base64Error::Character(2)));
        assert_eq!(decode_base64url("abcde"), Err(Base64Error::Length));
        assert_eq!(decode_base64url("abc="), Err(Base64Error::Length));
        assert_eq!(decode_base64url("a\u{e9}"), Err(Base64Error::Character(1)));
    }
    use proptest::prelude::*;

    const BASE64_ALPHABET: &[u8; 64] =
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// A strict decoder, written independently of the encoder, to check round trips.
    fn decode_base64(text: &str) -> Option<Vec<u8>> {
        if !text.len().is_multiple_of(4) {
            return None;
        }
        let value = |c: u8| {
            BASE64_ALPHABET
                .iter()
                .position(|&a| a == c)
                .map(|v| v as u32)
        };
        let mut out = Vec::new();
        for quad in text.as_bytes().chunks(4) {
            let pads = quad.iter().rev().take_while(|&&c| c == b'=').count();
            let mut group = 0u32;
            for &c in &quad[..4 - pads] {
                group = group << 6 | value(c)?;
            }
            group <<= 6 * pads as u32;
            out.extend_from_slice(&group.to_be_bytes()[1..4 - pads]);
        }
        Some(out)
    }

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in vectors {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
        assert_eq!(base64(&[0xfb, 0xff, 0xbf]), "+/+/");
    }

    #[test]
    fn hex_dump_matches_hexdump_c() {
        let bytes: Vec<u8> = (0..=17).collect();
        assert_eq!(hex_dump(&[]), "");
        assert_eq!(
            hex_dump(&bytes[..1]),
            format!("00000000  00{}|.|", " ".repeat(48))
        );
        assert_eq!(
            hex_dump(&bytes[..8]),
            format!(
                "00000000  00 01 02 03 04 05 06 07{}|........|",
                " ".repeat(27)
            )
        );
        assert_eq!(
            hex_dump(&bytes[..9]),
            format!(
                "00000000  00 01 02 03 04 05 06 07  08{}|.........|",
                " ".repeat(23)
            )
        );
        let full = "00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|";
        assert_eq!(hex_dump(&bytes[..16]), full);
        assert_eq!(
            hex_dump(&bytes),
            format!("{full}\n00000010  10 11{}|..|", " ".repeat(45))
        );
        assert_eq!(
            hex_dump(b"Hi \x7e\x7f\xff"),
            format!("00000000  48 69 20 7e 7f ff{}|Hi ~..|", " ".repeat(33))
        );
    }

    #[test]
    fn json_strings_escape_quotes_backslashes_and_controls() {
        assert_eq!(json_string(""), r#""""#);
        assert_eq!(json_string("a\"b\\c/é"), r#""a\"b\\c/é""#);
        // DEL needs no escape in JSON.
        assert_eq!(
            json_string("\n\r\t\u{0}\u{1f}\u{7f}"),
            "\"\\n\\r\\t\\u0000\\u001f\u{7f}\""
        );
    }

    proptest! {
        #[test]
        fn base64_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let encoded = base64(&bytes);
            prop_assert_eq!(encoded.len(), bytes.len().div_ceil(3) * 4);
            prop_assert_eq!(decode_base64(&encoded), Some(bytes));
        }

        #[test]
        fn base64url_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            prop_assert_eq!(decode_base64url(&base64url(&bytes)), Ok(bytes));
        }

        #[test]
        fn base64url_decoding_never_panics(text in ".{0,40}") {
            let _ = decode_base64url(&text);
        }

        /// The same text as the `base64` crate writes, in both alphabets.
        #[test]
        fn encodes_as_the_base64_crate(bytes in proptest::collection::vec(any::<u8>(), 0..100)) {
            use base64::Engine as _;
            prop_assert_eq!(base64(&bytes), base64::engine::general_purpose::STANDARD.encode(&bytes));
            prop_assert_eq!(base64url(&bytes), base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes));
        }

        /// Accepts what the `base64` crate accepts, as the same bytes, configured as this reads:
        /// unpadded base64url, and standard Base64 padded or not, leftover bits ignored.
        #[test]
        fn decodes_as_the_base64_crate(text in "[A-Za-z0-9+/_=\\-!é]{0,14}") {
            use base64::Engine as _;
            use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
            let url = GeneralPurpose::new(
                &base64::alphabet::URL_SAFE,
                GeneralPurposeConfig::new()
                    .with_encode_padding(false)
                    .with_decode_padding_mode(DecodePaddingMode::RequireNone)
                    .with_decode_allow_trailing_bits(true),
            );
            let standard = GeneralPurpose::new(
                &base64::alphabet::STANDARD,
                GeneralPurposeConfig::new()
                    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
                    .with_decode_allow_trailing_bits(true),
            );
            prop_assert_eq!(decode_base64url(&text).ok(), url.decode(&text).ok());
            prop_assert_eq!(decode_base64_padded_or_not(&text).ok(), standard.decode(&text).ok());
        }

        #[test]
        fn hex_dump_has_a_line_per_16_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let dump = hex_dump(&bytes);
            let lines: Vec<&str> = if dump.is_empty() { Vec::new() } else { dump.split('\n').collect() };
            prop_assert_eq!(lines.len(), bytes.len().div_ceil(16));
            for line in lines {
                // The ASCII column starts at the same place on every line.
                prop_assert_eq!(line.find('|'), Some(60));
                prop_assert!(line.ends_with('|'));
            }
        }
    }
}
