//! Whether a text is one JSON value, and if not where and why, in serde_json's words and at
//! its positions: the composer and the protocols' argument fields check what a person typed
//! with it. Written here so that the page's first load needs no JSON library; a property test
//! keeps it saying exactly what `serde_json::from_str::<IgnoredAny>` says, for any text.
//! Nesting is followed with a list, not recursion, so no depth can exhaust the stack.

/// Why a text is not JSON; `line` from 1, `column` in bytes as serde_json counts them (the
/// byte at fault for most problems, the one before it where a token ended badly).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub why: &'static str,
    pub line: usize,
    pub column: usize,
}

const EOF_IN_VALUE: &str = "EOF while parsing a value";
const EOF_IN_LIST: &str = "EOF while parsing a list";
const EOF_IN_OBJECT: &str = "EOF while parsing an object";
const EOF_IN_STRING: &str = "EOF while parsing a string";
const EXPECTED_VALUE: &str = "expected value";
const EXPECTED_WORD: &str = "expected ident";
const EXPECTED_COLON: &str = "expected `:`";
const EXPECTED_LIST_COMMA: &str = "expected `,` or `]`";
const EXPECTED_OBJECT_COMMA: &str = "expected `,` or `}`";
const KEY_NOT_STRING: &str = "key must be a string";
const BAD_NUMBER: &str = "invalid number";
const BAD_ESCAPE: &str = "invalid escape";
const CONTROL_CHARACTER: &str = "control character (\\u0000-\\u001F) found while parsing a string";
const TRAILING: &str = "trailing characters";

/// Ok if `text` is one JSON value (RFC 8259), with whitespace around it.
pub fn check(text: &str) -> Result<(), JsonError> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        at: 0,
    };
    reader.value()?;
    match reader.skip_whitespace() {
        Some(_) => Err(reader.peek_error(TRAILING)),
        None => Ok(()),
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }

    fn peek_digit(&self) -> bool {
        self.peek().is_some_and(|b| b.is_ascii_digit())
    }

    fn skip_whitespace(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.at += 1;
        }
        self.peek()
    }

    /// A problem with the byte last read.
    fn error(&self, why: &'static str) -> JsonError {
        self.error_at(self.at, why)
    }

    /// A problem with the byte about to be read.
    fn peek_error(&self, why: &'static str) -> JsonError {
        self.error_at((self.at + 1).min(self.bytes.len()), why)
    }

    fn error_at(&self, end: usize, why: &'static str) -> JsonError {
        let before = self.bytes.get(..end).unwrap_or(self.bytes);
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |newline| newline + 1);
        JsonError {
            why,
            line: 1 + before.iter().filter(|&&b| b == b'\n').count(),
            column: end - line_start,
        }
    }

    /// One value, containers and all.
    fn value(&mut self) -> Result<(), JsonError> {
        // The containers open around the reading point, innermost last.
        let mut open: Vec<u8> = Vec::new();
        loop {
            let Some(first) = self.skip_whitespace() else {
                return Err(self.peek_error(EOF_IN_VALUE));
            };
            let mut after_member = true;
            match first {
                b'n' => self.word(b"null")?,
                b't' => self.word(b"true")?,
                b'f' => self.word(b"false")?,
                b'-' => {
                    self.at += 1;
                    self.number()?;
                }
                b'0'..=b'9' => self.number()?,
                b'"' => {
                    self.at += 1;
                    self.string()?;
                }
                b'[' | b'{' => {
                    self.at += 1;
                    open.push(first);
                    after_member = false;
                }
                _ => return Err(self.peek_error(EXPECTED_VALUE)),
            }
            // Close what ends here, then step past the comma to the next member.
            loop {
                let Some(&container) = open.last() else {
                    return Ok(());
                };
                let list = container == b'[';
                match self.skip_whitespace() {
                    Some(b',') if after_member => {
                        self.at += 1;
                        break;
                    }
                    Some(b']') if list => {}
                    Some(b'}') if !list => {}
                    Some(_) if after_member => {
                        return Err(self.peek_error(if list {
                            EXPECTED_LIST_COMMA
                        } else {
                            EXPECTED_OBJECT_COMMA
                        }));
                    }
                    Some(_) => break,
                    None => {
                        return Err(self.peek_error(if list {
                            EOF_IN_LIST
                        } else {
                            EOF_IN_OBJECT
                        }));
                    }
                }
                self.at += 1;
                open.pop();
                after_member = true;
            }
            if open.last() == Some(&b'{') {
                self.key()?;
            }
        }
    }

    /// An object member's key and its colon.
    fn key(&mut self) -> Result<(), JsonError> {
        match self.skip_whitespace() {
            Some(b'"') => self.at += 1,
            Some(_) => return Err(self.peek_error(KEY_NOT_STRING)),
            None => return Err(self.peek_error(EOF_IN_OBJECT)),
        }
        self.string()?;
        match self.skip_whitespace() {
            Some(b':') => {
                self.at += 1;
                Ok(())
            }
            Some(_) => Err(self.peek_error(EXPECTED_COLON)),
            None => Err(self.peek_error(EOF_IN_OBJECT)),
        }
    }

    /// `null`, `true` or `false`, whose first letter was peeked.
    fn word(&mut self, word: &[u8]) -> Result<(), JsonError> {
        self.at += 1;
        for &expected in word.iter().skip(1) {
            match self.next() {
                None => return Err(self.error(EOF_IN_VALUE)),
                Some(byte) if byte != expected => return Err(self.error(EXPECTED_WORD)),
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// A number after its minus sign: `0` or digits not led by 0, a fraction, an exponent.
    fn number(&mut self) -> Result<(), JsonError> {
        match self.next() {
            Some(b'0') if self.peek_digit() => return Err(self.peek_error(BAD_NUMBER)),
            Some(b'0') => {}
            Some(b'1'..=b'9') => {
                while self.peek_digit() {
                    self.at += 1;
                }
            }
            // A byte that is not a digit counts as read; the end of the text does not.
            Some(_) | None => return Err(self.error(BAD_NUMBER)),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if !self.peek_digit() {
                return Err(self.peek_error(BAD_NUMBER));
            }
            while self.peek_digit() {
                self.at += 1;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if self.next().is_none_or(|b| !b.is_ascii_digit()) {
                return Err(self.error(BAD_NUMBER));
            }
            while self.peek_digit() {
                self.at += 1;
            }
        }
        Ok(())
    }

    /// A string after its opening quote, through its closing one.
    fn string(&mut self) -> Result<(), JsonError> {
        loop {
            while self
                .peek()
                .is_some_and(|b| b != b'"' && b != b'\\' && b >= 0x20)
            {
                self.at += 1;
            }
            match self.peek() {
                None => return Err(self.error(EOF_IN_STRING)),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.at += 1;
                    self.escape()?;
                }
                Some(_) => return Err(self.error(CONTROL_CHARACTER)),
            }
        }
    }

    /// What follows a backslash; `\u` takes any four hex digits (a lone surrogate included).
    fn escape(&mut self) -> Result<(), JsonError> {
        match self.next() {
            None => Err(self.error(EOF_IN_STRING)),
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(()),
            Some(b'u') => match self.bytes.get(self.at..self.at + 4) {
                Some(digits) => {
                    self.at += 4;
                    if digits.iter().all(u8::is_ascii_hexdigit) {
                        Ok(())
                    } else {
                        Err(self.error(BAD_ESCAPE))
                    }
                }
                None => {
                    self.at = self.bytes.len();
                    Err(self.error(EOF_IN_STRING))
                }
            },
            Some(_) => Err(self.error(BAD_ESCAPE)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use proptest::prelude::*;

    type Said = Result<(), (String, usize, usize)>;

    /// What `check` says of `text`: why, line and column.
    fn we_say(text: &str) -> Said {
        check(text).map_err(|e| (e.why.to_string(), e.line, e.column))
    }

    /// What serde_json says of it, in the same terms.
    fn serde_says(text: &str) -> Said {
        serde_json::from_str::<serde::de::IgnoredAny>(text)
            .map(drop)
            .map_err(|e| {
                let message = e.to_string();
                let why = message.split(" at line ").next().unwrap_or(&message);
                (why.to_string(), e.line(), e.column())
            })
    }

    #[test]
    fn says_why_and_where_as_serde_json_does() {
        let cases = [
            ("{\n  \"a\": 1,\n  \"b\" 2\n}", "expected `:`", 3, 7),
            ("", "EOF while parsing a value", 1, 0),
            ("[1,\n 2", "EOF while parsing a list", 2, 2),
            ("{", "EOF while parsing an object", 1, 1),
            ("[1,]", "expected value", 1, 4),
            ("{} {}", "trailing characters", 1, 4),
            ("nul", "EOF while parsing a value", 1, 3),
            ("nulL", "expected ident", 1, 4),
            ("01", "invalid number", 1, 2),
            ("-", "invalid number", 1, 1),
            ("1.e5", "invalid number", 1, 3),
            ("1e+", "invalid number", 1, 3),
            ("\"a\\x\"", "invalid escape", 1, 4),
            ("\"\\u12g4\"", "invalid escape", 1, 7),
            ("\"\\u12", "EOF while parsing a string", 1, 5),
            (
                "\"a\u{1}\"",
                "control character (\\u0000-\\u001F) found while parsing a string",
                1,
                2,
            ),
            ("{1: 2}", "key must be a string", 1, 2),
            ("[1 2]", "expected `,` or `]`", 1, 4),
            ("{\"a\": 1 \"b\"}", "expected `,` or `}`", 1, 9),
        ];
        for (text, why, line, column) in cases {
            let expected = Err((why.to_string(), line, column));
            assert_eq!(serde_says(text), expected, "serde_json on {text:?}");
            assert_eq!(we_say(text), expected, "on {text:?}");
        }
        for text in [
            r#"{"a": [1, 2.5e-3, true, null, "\ud800 \n"]}"#,
            " [] ",
            "-0",
            "\"é\"",
        ] {
            assert_eq!(check(text), Ok(()), "on {text:?}");
        }
    }

    #[test]
    fn nesting_costs_no_stack() {
        let deep = "[".repeat(1_000_000) + &"]".repeat(1_000_000);
        assert_eq!(check(&deep), Ok(()));
        assert_eq!(
            check(&"{\"a\":".repeat(100_000)).map_err(|e| e.why),
            Err("EOF while parsing a value")
        );
    }

    /// Text made of JSON's own pieces, mostly well formed, so that errors come deep inside.
    fn jsonish() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("null".to_string()),
            Just("true".to_string()),
            "-?(0|[1-9][0-9]{0,3})(\\.[0-9]{1,3})?([eE][+-]?[0-9]{1,2})?",
            "\"([a-zé \\\\\"/bfnrtu0-9A-F]|\\\\[\"\\\\/bfnrt]|\\\\u[0-9a-fA-F]{4}){0,6}\"",
        ];
        let value = leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4)
                    .prop_map(|items| format!("[{}]", items.join(","))),
                prop::collection::vec(("\"[a-z]{0,3}\"", inner), 0..4).prop_map(|members| {
                    let members: Vec<String> = members
                        .into_iter()
                        .map(|(k, v)| format!("{k}:{v}"))
                        .collect();
                    format!("{{{}}}", members.join(","))
                }),
            ]
        });
        // Then break it, perhaps: cut it, or put a stray byte in.
        (
            value,
            any::<prop::sample::Index>(),
            0usize..4,
            "[ \n\t,:\\[\\]{}\"\\\\0-9a-z\\-.+\u{1}é]",
        )
            .prop_map(|(text, at, how, stray)| {
                let cut = at.index(text.len() + 1);
                let cut = (0..=cut)
                    .rev()
                    .find(|&i| text.is_char_boundary(i))
                    .unwrap_or(0);
                match how {
                    0 => text,
                    1 => text[..cut].to_string(),
                    2 => format!("{}{stray}{}", &text[..cut], &text[cut..]),
                    _ => format!("{} {stray}", text),
                }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn agrees_with_serde_json_on_jsonish_text(text in jsonish()) {
            prop_assert_eq!(we_say(&text), serde_says(&text));
        }

        #[test]
        fn agrees_with_serde_json_on_any_text(text in "[ \n\t,:\\[\\]{}\"\\\\0-9eE.+\\-a-z\u{0}-\u{1f}é]{0,24}") {
            prop_assert_eq!(we_say(&text), serde_says(&text));
        }
    }
}
