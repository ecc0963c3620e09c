//! What the composer sends: the typed text read in the chosen format and checked, so that
//! nothing malformed is ever sent by accident.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{encoding, json_check, json_view};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Text,
    Json,
    /// Sent as a binary frame.
    Hex,
    /// Sent as a binary frame.
    Base64,
}

impl Format {
    /// An example of the format, shown in the empty composer.
    pub fn placeholder(self) -> &'static str {
        match self {
            Self::Text => "Type a message; {{name}} uses a variable",
            Self::Json => "{\"type\": \"hello\"}",
            Self::Hex => "de ad be ef or 0xde:0xad",
            Self::Base64 => "aGVsbG8=",
        }
    }

    pub const ALL: [Format; 4] = [Format::Text, Format::Json, Format::Hex, Format::Base64];

    /// The option's label in the Message format list.
    pub fn label(self) -> &'static str {
        match self {
            Self::Text => "Text",
            Self::Json => "JSON",
            Self::Hex => "Hex",
            Self::Base64 => "Base64",
        }
    }

    pub fn from_label(label: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.label() == label)
    }

    pub fn is_binary(self) -> bool {
        matches!(self, Self::Hex | Self::Base64)
    }
}

/// A frame ready for the socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    Text(String),
    Binary(Vec<u8>),
}

impl Frame {
    /// What Send would put on the wire, for the line under the composer.
    pub fn summary(&self) -> String {
        match self {
            Self::Text(text) => format!(
                "{} bytes as a text frame",
                crate::payload::format_count(text.len() as u64)
            ),
            Self::Binary(bytes) => format!(
                "{} bytes as a binary frame",
                crate::payload::format_count(bytes.len() as u64)
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComposeError {
    Json {
        line: usize,
        column: usize,
        why: String,
    },
    /// A character that is not a hex digit or separator, at this character index (from 1).
    HexCharacter {
        at: usize,
        found: char,
    },
    OddHexDigits,
    Base64Character {
        at: usize,
        found: char,
    },
    Base64Length,
}

impl fmt::Display for ComposeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json { line, column, why } => {
                write!(f, "Not valid JSON: {why} (line {line}, column {column}).")
            }
            Self::HexCharacter { at, found } => write!(
                f,
                "Not valid hex: \u{201c}{found}\u{201d} at character {at} is not a hex digit. \
                 Use 0-9 and a-f, separated by spaces or colons if you like (0x prefixes are fine)."
            ),
            Self::OddHexDigits => write!(
                f,
                "Not valid hex: an odd number of digits; each byte is two digits."
            ),
            Self::Base64Character { at, found } => write!(
                f,
                "Not valid Base64: \u{201c}{found}\u{201d} at character {at} is not in the Base64 alphabet."
            ),
            Self::Base64Length => write!(
                f,
                "Not valid Base64: the length does not fit (one character too many or too few, or misplaced = padding)."
            ),
        }
    }
}

impl std::error::Error for ComposeError {}

/// The frame `text` makes in `format`, or why it makes none.
pub fn frame(format: Format, text: &str) -> Result<Frame, ComposeError> {
    match format {
        Format::Text => Ok(Frame::Text(text.to_string())),
        Format::Json => check_json(text).map(|()| Frame::Text(text.to_string())),
        Format::Hex => parse_hex(text).map(Frame::Binary),
        Format::Base64 => parse_base64(text).map(Frame::Binary),
    }
}

pub fn check_json(text: &str) -> Result<(), ComposeError> {
    json_check::check(text).map_err(|e| ComposeError::Json {
        line: e.line,
        column: e.column,
        why: e.why.into(),
    })
}

/// `text` indented two spaces a level, numbers and strings exactly as written.
pub fn pretty_json(text: &str) -> Result<String, ComposeError> {
    check_json(text)?;
    json_view::parse(text.trim())
        .map(|node| node.pretty())
        .ok_or(ComposeError::Json {
            line: 1,
            column: 1,
            why: "nested too deeply to reformat".into(),
        })
}

/// `text` without any whitespace outside strings.
pub fn minify_json(text: &str) -> Result<String, ComposeError> {
    check_json(text)?;
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    Ok(out)
}

/// Bytes from hex digits; spaces, tabs, newlines, colons, dashes and commas separate, and a
/// `0x` may start any group.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, ComposeError> {
    let mut digits = Vec::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts_group = i == 0 || is_hex_separator(chars[i - 1]);
        if starts_group && c == '0' && matches!(chars.get(i + 1), Some('x' | 'X')) {
            i += 2;
            continue;
        }
        match c.to_digit(16) {
            Some(d) => digits.push(d as u8),
            None if is_hex_separator(c) => {}
            None => {
                return Err(ComposeError::HexCharacter {
                    at: i + 1,
                    found: c,
                });
            }
        }
        i += 1;
    }
    if digits.len() % 2 == 1 {
        return Err(ComposeError::OddHexDigits);
    }
    Ok(digits
        .chunks(2)
        .map(|pair| pair[0] << 4 | pair[1])
        .collect())
}

fn is_hex_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, ':' | '-' | ',')
}

/// Bytes from Base64, standard or URL-safe alphabet, padding optional, whitespace ignored, bits
/// left over at the end ignored: people paste Base64 from anywhere.
pub fn parse_base64(text: &str) -> Result<Vec<u8>, ComposeError> {
    let mut standard = String::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        match c {
            c if c.is_whitespace() => {}
            'A'..='Z' | 'a'..='z' | '0'..='9' | '+' | '/' | '=' => standard.push(c),
            '-' => standard.push('+'),
            '_' => standard.push('/'),
            _ => {
                return Err(ComposeError::Base64Character {
                    at: i + 1,
                    found: c,
                });
            }
        }
    }
    // Every character is in the alphabet by now: what is left to go wrong is where the text
    // ends (cut short, or padding in the middle or too much of it).
    encoding::decode_base64_padded_or_not(&standard).map_err(|_| ComposeError::Base64Length)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::base64;
    use proptest::prelude::*;

    #[test]
    fn text_is_sent_as_typed() {
        assert_eq!(
            frame(Format::Text, " {not json "),
            Ok(Frame::Text(" {not json ".into()))
        );
    }

    #[test]
    fn json_is_checked_with_line_and_column() {
        assert_eq!(
            frame(Format::Json, r#"{"a": [1, 2]}"#),
            Ok(Frame::Text(r#"{"a": [1, 2]}"#.into()))
        );
        let error = frame(Format::Json, "{\n  \"a\": 1,\n  \"b\" 2\n}").err();
        assert_eq!(
            error,
            Some(ComposeError::Json {
                line: 3,
                column: 7,
                why: "expected `:`".into()
            })
        );
        assert!(frame(Format::Json, "").is_err());
        assert!(frame(Format::Json, "{} {}").is_err());
    }

    #[test]
    fn json_pretty_and_minified_keep_numbers_and_strings() {
        let text = r#"{ "n": 12345678901234567890.5, "s": "a \" b  c", "l": [ ] }"#;
        assert_eq!(
            minify_json(text),
            Ok(r#"{"n":12345678901234567890.5,"s":"a \" b  c","l":[]}"#.into())
        );
        assert_eq!(
            pretty_json(text),
            Ok(
                "{\n  \"n\": 12345678901234567890.5,\n  \"s\": \"a \\\" b  c\",\n  \"l\": []\n}"
                    .into()
            )
        );
        assert!(pretty_json("{").is_err());
    }

    #[test]
    fn hex_takes_spaces_colons_and_prefixes() {
        assert_eq!(
            parse_hex("de ad:BE-ef,0x01 0X02\n0a"),
            Ok(vec![0xde, 0xad, 0xbe, 0xef, 1, 2, 0x0a])
        );
        assert_eq!(parse_hex(""), Ok(vec![]));
        assert_eq!(parse_hex("0x"), Ok(vec![]));
        assert_eq!(parse_hex("abc"), Err(ComposeError::OddHexDigits));
        assert_eq!(
            parse_hex("ab zz"),
            Err(ComposeError::HexCharacter { at: 4, found: 'z' })
        );
        assert_eq!(
            parse_hex("a0x1"),
            Err(ComposeError::HexCharacter { at: 3, found: 'x' })
        );
    }

    #[test]
    fn base64_takes_both_alphabets_and_optional_padding() {
        assert_eq!(parse_base64("aGVsbG8="), Ok(b"hello".to_vec()));
        assert_eq!(parse_base64("aGVs bG8"), Ok(b"hello".to_vec()));
        assert_eq!(parse_base64("-_8"), Ok(vec![0xfb, 0xff]));
        assert_eq!(parse_base64("+/8="), Ok(vec![0xfb, 0xff]));
        assert_eq!(
            parse_base64("aGVsbG8*"),
            Err(ComposeError::Base64Character { at: 8, found: '*' })
        );
        assert_eq!(parse_base64("aGVsb"), Err(ComposeError::Base64Length));
        assert_eq!(parse_base64("aG=Vs"), Err(ComposeError::Base64Length));
        assert_eq!(parse_base64("aGVsbG8=="), Err(ComposeError::Base64Length));
    }

    #[test]
    fn formats_have_the_contract_labels() {
        let labels: Vec<&str> = Format::ALL.iter().map(|f| f.label()).collect();
        assert_eq!(labels, ["Text", "JSON", "Hex", "Base64"]);
        assert_eq!(Format::from_label("JSON"), Some(Format::Json));
        assert!(Format::Hex.is_binary() && !Format::Json.is_binary());
    }

    proptest! {
        #[test]
        fn hex_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..64), sep in "[ :,-]?") {
            let text: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
            prop_assert_eq!(parse_hex(&text.join(&sep)), Ok(bytes));
        }

        #[test]
        fn base64_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            prop_assert_eq!(parse_base64(&base64(&bytes)), Ok(bytes));
        }

        #[test]
        fn malformed_input_is_an_error_not_a_panic(text in ".{0,40}") {
            let _ = parse_hex(&text);
            let _ = parse_base64(&text);
            let _ = pretty_json(&text);
            let _ = minify_json(&text);
        }

        #[test]
        fn minified_json_means_the_same(text in r#"\{ ?"[a-z ]{0,5}" ?: ?\[ ?[0-9]{1,3} ?, ?"[ a-z\\]{0,4}" ?\] ?\}"#) {
            if let Ok(min) = minify_json(&text) {
                prop_assert_eq!(json_view::parse(&min), json_view::parse(&text));
            }
        }
    }
}
