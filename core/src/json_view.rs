//! A received JSON message as a tree the detail view can pretty-print and fold.
//!
//! Hand-written rather than serde: the view must show numbers and strings exactly as the
//! server wrote them (no float rounding, escapes kept) and keep member order and duplicates.
//! Payloads are untrusted, so parsing is linear and nesting is bounded.

/// Deeper nesting is rejected: recursion stays bounded, so hostile input cannot exhaust the stack.
pub const MAX_DEPTH: usize = 512;

#[derive(Debug, Clone, PartialEq)]
pub enum JsonNode {
    /// A number, string (with its quotes and escapes), `true`, `false` or `null`, as written.
    Scalar(String),
    Array(Vec<JsonNode>),
    /// Members in input order; keys as written, quotes included.
    Object(Vec<(String, JsonNode)>),
}

/// The one JSON value in `text` (RFC 8259), or None if it is anything else.
pub fn parse(text: &str) -> Option<JsonNode> {
    let mut parser = Parser { text, pos: 0 };
    let node = parser.element(0)?;
    (parser.pos == text.len()).then_some(node)
}

impl JsonNode {
    /// Two-space indented JSON, `"key": value`, empty containers as `[]` and `{}`.
    pub fn pretty(&self) -> String {
        let mut out = String::new();
        self.write_pretty(&mut out, 0);
        out
    }

    /// What a folded node shows: `[…] 3 items`, `{…} 1 key`; scalars and empty containers as written.
    pub fn summary(&self) -> String {
        match self {
            Self::Scalar(token) => token.clone(),
            Self::Array(items) if items.is_empty() => "[]".into(),
            Self::Object(members) if members.is_empty() => "{}".into(),
            Self::Array(items) => {
                format!("[\u{2026}] {}", crate::payload::plural(items.len(), "item"))
            }
            Self::Object(members) => format!(
                "{{\u{2026}}} {}",
                crate::payload::plural(members.len(), "key")
            ),
        }
    }

    fn write_pretty(&self, out: &mut String, indent: usize) {
        match self {
            Self::Scalar(token) => out.push_str(token),
            Self::Array(items) if items.is_empty() => out.push_str("[]"),
            Self::Object(members) if members.is_empty() => out.push_str("{}"),
            Self::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    new_line(out, indent + 1);
                    item.write_pretty(out, indent + 1);
                }
                new_line(out, indent);
                out.push(']');
            }
            Self::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    new_line(out, indent + 1);
                    out.push_str(key);
                    out.push_str(": ");
                    value.write_pretty(out, indent + 1);
                }
                new_line(out, indent);
                out.push('}');
            }
        }
    }
}

fn new_line(out: &mut String, indent: usize) {
    out.push('\n');
    out.extend(std::iter::repeat_n("  ", indent));
}

/// Recursive descent over bytes; every token boundary is an ASCII byte, so slices are valid UTF-8.
struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// A value with the whitespace around it; `depth` counts the containers enclosing it.
    fn element(&mut self, depth: usize) -> Option<JsonNode> {
        self.skip_whitespace();
        let start = self.pos;
        let node = match self.peek()? {
            b'[' => self.array(depth + 1)?,
            b'{' => self.object(depth + 1)?,
            b'"' => JsonNode::Scalar(self.string()?),
            b'-' | b'0'..=b'9' => {
                self.number()?;
                JsonNode::Scalar(self.token_from(start)?)
            }
            _ => {
                let rest = self.text.get(start..)?;
                let word = ["true", "false", "null"]
                    .into_iter()
                    .find(|w| rest.starts_with(w))?;
                self.pos += word.len();
                JsonNode::Scalar(word.into())
            }
        };
        self.skip_whitespace();
        Some(node)
    }

    fn token_from(&self, start: usize) -> Option<String> {
        self.text.get(start..self.pos).map(str::to_string)
    }

    fn array(&mut self, depth: usize) -> Option<JsonNode> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.eat(b']') {
            return Some(JsonNode::Array(items));
        }
        loop {
            items.push(self.element(depth)?);
            if self.eat(b']') {
                return Some(JsonNode::Array(items));
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    fn object(&mut self, depth: usize) -> Option<JsonNode> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.eat(b'}') {
            return Some(JsonNode::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return None;
            }
            let key = self.string()?;
            self.skip_whitespace();
            if !self.eat(b':') {
                return None;
            }
            members.push((key, self.element(depth)?));
            if self.eat(b'}') {
                return Some(JsonNode::Object(members));
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    /// A string token from its opening quote, returned as written.
    fn string(&mut self) -> Option<String> {
        let start = self.pos;
        self.pos += 1;
        loop {
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return self.token_from(start);
                }
                b'\\' => {
                    self.pos += 1;
                    match self.peek()? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.pos += 1,
                        // Lone surrogates like \ud800 are valid JSON text, so any four hex digits do.
                        b'u' => {
                            self.pos += 1;
                            for _ in 0..4 {
                                if !self.peek()?.is_ascii_hexdigit() {
                                    return None;
                                }
                                self.pos += 1;
                            }
                        }
                        _ => return None,
                    }
                }
                0x00..=0x1f => return None,
                _ => self.pos += 1,
            }
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Option<()> {
        self.eat(b'-');
        match self.peek()? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        if self.eat(b'.') && self.digits() == 0 {
            return None;
        }
        if self.eat(b'e') || self.eat(b'E') {
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if self.digits() == 0 {
                return None;
            }
        }
        Some(())
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        self.pos - start
    }
}

#[cfg(test)]
mod tests {
    use super::JsonNode::{Array, Object, Scalar};
    use super::*;
    use crate::encoding::json_string;
    use proptest::prelude::*;

    fn s(token: &str) -> JsonNode {
        Scalar(token.into())
    }

    #[test]
    fn keeps_tokens_order_and_duplicates_as_written() {
        let parsed = parse(" {\"b\": [1, -2.50e3, \"x\\\"y\"], \"a\": {}, \"b\": null}\n");
        let expected = Object(vec![
            (
                "\"b\"".into(),
                Array(vec![s("1"), s("-2.50e3"), s("\"x\\\"y\"")]),
            ),
            ("\"a\"".into(), Object(vec![])),
            ("\"b\"".into(), s("null")),
        ]);
        assert_eq!(parsed, Some(expected));
    }

    #[test]
    fn accepts_valid_json() {
        let valid = [
            "0",
            "-0",
            "1.5e+10",
            "-1E-3",
            "0.0e0",
            "123456789012345678901234567890",
            "true",
            "false",
            " null ",
            "\"\"",
            "\"\\ud800\"",
            "\"\\uDFFF\\u0041\"",
            "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
            "\"é😀\u{7f}\"",
            "[]",
            "{}",
            "[ ]",
            "{ }",
            "[1,[2,{\"a\":null}]]",
            "\t\n\r [1] \t\n\r",
            "{\"\":{\"\":[]}}",
        ];
        for text in valid {
            assert!(parse(text).is_some(), "rejected {text:?}");
        }
    }

    #[test]
    fn rejects_invalid_json() {
        let invalid = [
            "",
            " ",
            "[1,]",
            "{\"a\":1,}",
            "[,1]",
            "[1,,2]",
            "01",
            "-01",
            "00",
            "1.",
            ".5",
            "1e",
            "1e+",
            "-",
            "+1",
            "1.e3",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\u12G4\"",
            "\"\\U0041\"",
            "\"a\nb\"",
            "\"\t\"",
            "\"\u{0}\"",
            "\"open",
            "[1] x",
            "[1]]",
            "1 2",
            "{\"a\" 1}",
            "{a:1}",
            "{1:2}",
            "{\"a\"}",
            "{\"a\":}",
            "tru",
            "True",
            "nul",
            "truex",
            "[1 2]",
            "NaN",
            "Infinity",
            "'a'",
            "[",
            "{",
            "]",
            "}",
            "[\"a\":1]",
            "{\"a\":1 \"b\":2}",
            "\u{feff}1",
            "\u{a0}1",
        ];
        for text in invalid {
            assert_eq!(parse(text), None, "accepted {text:?}");
        }
    }

    #[test]
    fn nesting_is_limited_without_exhausting_the_stack() {
        let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(parse(&nested(MAX_DEPTH)).is_some());
        assert_eq!(parse(&nested(MAX_DEPTH + 1)), None);
        assert_eq!(parse(&nested(1_000_000)), None);
        assert_eq!(parse(&"[".repeat(1_000_000)), None);
        let objects = |depth: usize| format!("{}0{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        assert!(parse(&objects(MAX_DEPTH)).is_some());
        assert_eq!(parse(&objects(MAX_DEPTH + 1)), None);
        assert_eq!(parse(&"{\"a\":[".repeat(500_000)), None);
    }

    #[test]
    fn pretty_indents_by_two_and_keeps_empty_containers_short() {
        let node = parse(r#"{"b":[1,-2.50e3,"x\"y"],"a":{},"c":[]}"#);
        let expected = "{\n  \"b\": [\n    1,\n    -2.50e3,\n    \"x\\\"y\"\n  ],\n  \"a\": {},\n  \"c\": []\n}";
        assert_eq!(node.map(|n| n.pretty()).as_deref(), Some(expected));
        assert_eq!(s("\"hi\"").pretty(), "\"hi\"");
    }

    #[test]
    fn summaries_count_items_and_keys() {
        assert_eq!(
            Array(vec![s("1"), s("2"), s("3")]).summary(),
            "[\u{2026}] 3 items"
        );
        assert_eq!(Array(vec![s("1")]).summary(), "[\u{2026}] 1 item");
        assert_eq!(
            Object(vec![("\"a\"".into(), s("1"))]).summary(),
            "{\u{2026}} 1 key"
        );
        let two = Object(vec![("\"a\"".into(), s("1")), ("\"a\"".into(), s("2"))]);
        assert_eq!(two.summary(), "{\u{2026}} 2 keys");
        assert_eq!(Array(vec![]).summary(), "[]");
        assert_eq!(Object(vec![]).summary(), "{}");
        assert_eq!(s("-1.0").summary(), "-1.0");
    }

    fn scalar() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("true".to_string()),
            Just("false".to_string()),
            Just("null".to_string()),
            any::<i64>().prop_map(|n| n.to_string()),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(|f| format!("{f:e}")),
            "-?(0|[1-9][0-9]{0,5})(\\.[0-9]{1,5})?([eE][+-]?[0-9]{1,3})?",
            any::<String>().prop_map(|t| json_string(&t)),
            "\"(\\\\u[0-9a-fA-F]{4}|\\\\[\"\\\\/bfnrt]|[^\"\\\\\\x00-\\x1f])*\"",
        ]
    }

    fn node() -> impl Strategy<Value = JsonNode> {
        scalar().prop_map(Scalar).prop_recursive(5, 64, 6, |inner| {
            let key = any::<String>().prop_map(|t| json_string(&t));
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Array),
                proptest::collection::vec((key, inner), 0..6).prop_map(Object),
            ]
        })
    }

    /// The tightest text for a node, independent of `pretty`.
    fn compact(node: &JsonNode) -> String {
        match node {
            Scalar(token) => token.clone(),
            Array(items) => format!(
                "[{}]",
                items.iter().map(compact).collect::<Vec<_>>().join(",")
            ),
            Object(members) => {
                let members: Vec<String> = members
                    .iter()
                    .map(|(k, v)| format!("{k}:{}", compact(v)))
                    .collect();
                format!("{{{}}}", members.join(","))
            }
        }
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in any::<String>()) {
            let _ = parse(&text);
        }

        #[test]
        fn json_like_text_never_panics(text in "[\\[\\]{}\",:0-9eE.+\\-tfrulnas \\\\]{0,64}") {
            if let Some(node) = parse(&text) {
                prop_assert_eq!(parse(&node.pretty()), Some(node));
            }
        }

        #[test]
        fn pretty_output_parses_back_to_the_same_tree(node in node()) {
            let parsed = parse(&compact(&node));
            prop_assert_eq!(parsed.as_ref(), Some(&node));
            prop_assert_eq!(parse(&node.pretty()), Some(node));
        }
    }
}
