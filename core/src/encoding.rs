//! Whole-payload encodings for the detail view and exports: base64, `hexdump -C`, JSON strings.

use std::fmt::Write;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, NO_PAD, STANDARD, URL_SAFE_NO_PAD};

/// Reads what `base64url` writes; bits left over by a cut are ignored, so a link cut short is
/// told apart by its length and checksum (as "incomplete"), not by where the cut fell.
const URL_SAFE_READER: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    NO_PAD.with_decode_allow_trailing_bits(true),
);

/// Base64 with the standard alphabet and `=` padding (RFC 4648 §4).
pub fn base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Base64url without padding (RFC 4648 §5): safe in a URL as it is.
pub fn base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base64Error {
    /// A character outside the alphabet, at this index.
    Character(usize),
    /// A length no encoder produces: the text was cut short.
    Length,
}

/// Reads what `base64url` writes; padding is not expected.
pub fn decode_base64url(text: &str) -> Result<Vec<u8>, Base64Error> {
    URL_SAFE_READER.decode(text).map_err(|e| match e {
        base64::DecodeError::InvalidByte(at, _) | base64::DecodeError::InvalidLastSymbol(at, _) => {
            Base64Error::Character(at)
        }
        base64::DecodeError::InvalidLength(_) | base64::DecodeError::InvalidPadding => {
            Base64Error::Length
        }
    })
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
