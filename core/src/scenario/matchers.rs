//! Matchers made ready to run: regular expressions compiled and hex parsed once, when the run
//! is made; variables replaced once, when the step starts; each message parsed as JSON at
//! most once per step, however many checks read it.

use std::cell::OnceCell;

use regex_lite::Regex;
use serde_json::Value;

use super::diff::{self, Difference};
use super::events::Payload;
use super::model::{Matcher, PointerMatch, SizeRange};
use super::vars::{self, Vars};
use crate::variables::{Builtins, Variable};

/// A received message as the checks of one step see it.
pub(crate) struct Message<'a> {
    pub payload: &'a Payload,
    json: OnceCell<Option<Value>>,
}

impl<'a> Message<'a> {
    pub fn new(payload: &'a Payload) -> Self {
        Self {
            payload,
            json: OnceCell::new(),
        }
    }

    pub fn text(&self) -> Result<&'a str, String> {
        match self.payload {
            Payload::Text(text) => Ok(text),
            Payload::Binary(bytes) => Err(format!(
                "it is a binary message ({} bytes), not text",
                bytes.len()
            )),
        }
    }

    /// The message as JSON, parsed on first use.
    pub fn json(&self) -> Result<&Value, String> {
        let text = self.text()?;
        self.json
            .get_or_init(|| serde_json::from_str(text).ok())
            .as_ref()
            .ok_or_else(|| "it is not JSON".to_string())
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Check {
    Any,
    Equals(String),
    Contains(String),
    Regex(Regex),
    JsonSubset(Value),
    Pointer { pointer: String, test: PointerTest },
    BinaryEquals(Vec<u8>),
    BinaryPrefix(Vec<u8>),
    Size { min: u64, max: u64 },
}

#[derive(Debug, Clone)]
pub(crate) enum PointerTest {
    Exists,
    Absent,
    Equals(Value),
    Matches(Regex),
}

/// A regular expression, or what is wrong with it in words.
pub(crate) fn regex(pattern: &str) -> Result<Regex, String> {
    Regex::new(pattern).map_err(|e| format!("the regular expression /{pattern}/ is not valid: {e}"))
}

pub(crate) fn check_pointer(pointer: &str) -> Result<(), String> {
    if pointer.is_empty() || pointer.starts_with('/') {
        Ok(())
    } else {
        Err(format!(
            "the JSON Pointer \u{201c}{pointer}\u{201d} must start with / (like /user/name), or be empty for the whole message"
        ))
    }
}

fn hex(text: &str) -> Result<Vec<u8>, String> {
    crate::compose::parse_hex(text).map_err(|e| e.to_string())
}

impl Check {
    /// Compiles `matcher`, checking that every variable in it will be known (`known`).
    pub fn compile(matcher: &Matcher, known: &[Variable]) -> Result<Self, String> {
        let known_text = |text: &str| vars::check(text, known).map_err(|e| e.to_string());
        Ok(match matcher {
            Matcher::Any => Self::Any,
            Matcher::Equals(text) => {
                known_text(text)?;
                Self::Equals(text.clone())
            }
            Matcher::Contains(text) => {
                known_text(text)?;
                Self::Contains(text.clone())
            }
            Matcher::Regex(pattern) => Self::Regex(regex(pattern)?),
            Matcher::JsonSubset(value) => {
                vars::check_json(value, known).map_err(|e| e.to_string())?;
                Self::JsonSubset(value.clone())
            }
            Matcher::JsonPointer(p) => Self::pointer(p, known)?,
            Matcher::BinaryEquals(text) => Self::BinaryEquals(hex(text)?),
            Matcher::BinaryPrefix(text) => Self::BinaryPrefix(hex(text)?),
            Matcher::Size(SizeRange { min, max }) => {
                let (min, max) = (min.unwrap_or(0), max.unwrap_or(u64::MAX));
                if min > max {
                    return Err(format!(
                        "the size range is empty: at least {min} and at most {max} bytes"
                    ));
                }
                Self::Size { min, max }
            }
        })
    }

    fn pointer(p: &PointerMatch, known: &[Variable]) -> Result<Self, String> {
        check_pointer(&p.pointer)?;
        let test = match (&p.equals, &p.matches, p.exists) {
            (None, None, None | Some(true)) => PointerTest::Exists,
            (None, None, Some(false)) => PointerTest::Absent,
            (Some(value), None, None | Some(true)) => {
                vars::check_json(value, known).map_err(|e| e.to_string())?;
                PointerTest::Equals(value.clone())
            }
            (None, Some(pattern), None | Some(true)) => PointerTest::Matches(regex(pattern)?),
            (Some(_), Some(_), _) => {
                return Err("a JSON Pointer match takes equals or matches, not both".into());
            }
            (_, _, Some(false)) => {
                return Err(
                    "a JSON Pointer match with exists: false cannot also expect a value".into(),
                );
            }
        };
        Ok(Self::Pointer {
            pointer: p.pointer.clone(),
            test,
        })
    }

    /// The check with variables replaced, once as its step starts.
    pub fn resolve(&self, vars: &Vars, builtins: &mut Builtins<'_>) -> Result<Self, String> {
        let text = |t: &str, b: &mut Builtins<'_>| vars.text(t, b).map_err(|e| e.to_string());
        let json = |v: &Value, b: &mut Builtins<'_>| {
            if vars::json_has_variables(v) {
                vars.json(v, b).map_err(|e| e.to_string())
            } else {
                Ok(v.clone())
            }
        };
        Ok(match self {
            Self::Equals(t) => Self::Equals(text(t, builtins)?),
            Self::Contains(t) => Self::Contains(text(t, builtins)?),
            Self::JsonSubset(v) => Self::JsonSubset(json(v, builtins)?),
            Self::Pointer {
                pointer,
                test: PointerTest::Equals(v),
            } => Self::Pointer {
                pointer: pointer.clone(),
                test: PointerTest::Equals(json(v, builtins)?),
            },
            other => other.clone(),
        })
    }

    /// Whether `message` matches, or why not in words ("it is not JSON").
    pub fn test(&self, message: &Message<'_>) -> Result<(), String> {
        match self {
            Self::Any => Ok(()),
            Self::Equals(expected) => {
                let text = message.text()?;
                ok_if(text == expected, || "the text differs".into())
            }
            Self::Contains(part) => {
                let text = message.text()?;
                ok_if(text.contains(part.as_str()), || {
                    "the text does not contain it".into()
                })
            }
            Self::Regex(re) => {
                let text = message.text()?;
                ok_if(re.is_match(text), || {
                    "the text does not match the pattern".into()
                })
            }
            Self::JsonSubset(expected) => {
                let actual = message.json()?;
                ok_if(diff::is_subset(expected, actual), || {
                    "the JSON differs".into()
                })
            }
            Self::Pointer { pointer, test } => {
                let found = message.json()?.pointer(pointer);
                pointer_test(pointer, test, found)
            }
            Self::BinaryEquals(bytes) => {
                let actual = binary(message.payload)?;
                ok_if(actual == bytes.as_slice(), || "the bytes differ".into())
            }
            Self::BinaryPrefix(bytes) => {
                let actual = binary(message.payload)?;
                ok_if(actual.starts_with(bytes), || {
                    "it starts with other bytes".into()
                })
            }
            Self::Size { min, max } => {
                let size = message.payload.size() as u64;
                ok_if((*min..=*max).contains(&size), || {
                    format!("it is {size} bytes")
                })
            }
        }
    }

    /// Field by field, how a JSON message differs from a JSON expectation.
    pub fn differences(&self, message: &Message<'_>) -> Vec<Difference> {
        let Ok(actual) = message.json() else {
            return Vec::new();
        };
        match self {
            Self::JsonSubset(expected) => diff::diff(expected, actual),
            Self::Pointer {
                pointer,
                test: PointerTest::Equals(expected),
            } => match actual.pointer(pointer) {
                Some(found) => diff::diff_at(expected, found, pointer),
                None => Vec::new(),
            },
            _ => Vec::new(),
        }
    }
}

fn pointer_test(pointer: &str, test: &PointerTest, found: Option<&Value>) -> Result<(), String> {
    let at = if pointer.is_empty() {
        "the message"
    } else {
        pointer
    };
    match (test, found) {
        (PointerTest::Absent, None) => Ok(()),
        (PointerTest::Absent, Some(v)) => Err(format!("{at} is there ({})", diff::short(v))),
        (_, None) => Err(format!("{at} is not there")),
        (PointerTest::Exists, Some(_)) => Ok(()),
        (PointerTest::Equals(expected), Some(v)) => ok_if(diff::same(expected, v), || {
            format!("{at} is {}", diff::short(v))
        }),
        (PointerTest::Matches(re), Some(v)) => {
            let text = value_text(v);
            ok_if(re.is_match(&text), || {
                format!("{at} is {}, which does not match", diff::short(v))
            })
        }
    }
}

/// A value as a variable or a pattern sees it: a string's own text, anything else as JSON.
pub(crate) fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn binary(payload: &Payload) -> Result<&[u8], String> {
    match payload {
        Payload::Binary(bytes) => Ok(bytes),
        Payload::Text(text) => Err(format!(
            "it is a text message ({} bytes), not binary",
            text.len()
        )),
    }
}

fn ok_if(ok: bool, why: impl FnOnce() -> String) -> Result<(), String> {
    if ok { Ok(()) } else { Err(why()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(matcher: Matcher) -> Check {
        Check::compile(&matcher, &[]).unwrap()
    }

    fn text(t: &str) -> Payload {
        Payload::Text(t.into())
    }

    fn test(check: &Check, payload: &Payload) -> Result<(), String> {
        check.test(&Message::new(payload))
    }

    #[test]
    fn text_matchers() {
        let hello = text("hello world");
        assert_eq!(
            test(&check(Matcher::Equals("hello world".into())), &hello),
            Ok(())
        );
        assert!(test(&check(Matcher::Equals("hello".into())), &hello).is_err());
        assert_eq!(
            test(&check(Matcher::Contains("lo w".into())), &hello),
            Ok(())
        );
        assert_eq!(
            test(&check(Matcher::Regex("^h.*d$".into())), &hello),
            Ok(())
        );
        assert!(test(&check(Matcher::Regex("^world".into())), &hello).is_err());
        assert_eq!(
            test(
                &check(Matcher::Equals("x".into())),
                &Payload::Binary(vec![1])
            ),
            Err("it is a binary message (1 bytes), not text".into())
        );
    }

    #[test]
    fn json_matchers() {
        let msg = text(r#"{"type":"welcome","user":{"id":7,"name":"ann"},"n":null}"#);
        assert_eq!(
            test(
                &check(Matcher::JsonSubset(json!({"user": {"id": 7}}))),
                &msg
            ),
            Ok(())
        );
        assert_eq!(
            test(&check(Matcher::JsonSubset(json!({"x": 1}))), &text("{nope")),
            Err("it is not JSON".into())
        );
        let pointer = |p: PointerMatch| check(Matcher::JsonPointer(p));
        let at = |path: &str| PointerMatch {
            pointer: path.into(),
            ..PointerMatch::default()
        };
        assert_eq!(test(&pointer(at("/user/name")), &msg), Ok(()));
        assert_eq!(test(&pointer(at("/n")), &msg), Ok(()));
        assert_eq!(
            test(&pointer(at("/user/age")), &msg),
            Err("/user/age is not there".into())
        );
        let absent = PointerMatch {
            exists: Some(false),
            ..at("/error")
        };
        assert_eq!(test(&pointer(absent), &msg), Ok(()));
        let equals = PointerMatch {
            equals: Some(json!(7.0)),
            ..at("/user/id")
        };
        assert_eq!(test(&pointer(equals), &msg), Ok(()));
        let matches = PointerMatch {
            matches: Some("^a".into()),
            ..at("/user/name")
        };
        assert_eq!(test(&pointer(matches), &msg), Ok(()));
        let number = PointerMatch {
            matches: Some("^7$".into()),
            ..at("/user/id")
        };
        assert_eq!(test(&pointer(number), &msg), Ok(()));
    }

    #[test]
    fn binary_and_size_matchers() {
        let bytes = Payload::Binary(vec![0xde, 0xad, 0xbe, 0xef]);
        assert_eq!(
            test(&check(Matcher::BinaryEquals("de ad be ef".into())), &bytes),
            Ok(())
        );
        assert_eq!(
            test(&check(Matcher::BinaryPrefix("0xde 0xad".into())), &bytes),
            Ok(())
        );
        assert!(test(&check(Matcher::BinaryPrefix("ad".into())), &bytes).is_err());
        assert!(test(&check(Matcher::BinaryEquals("de".into())), &text("\u{de}")).is_err());
        let size = |min, max| check(Matcher::Size(SizeRange { min, max }));
        assert_eq!(test(&size(Some(4), Some(4)), &bytes), Ok(()));
        assert_eq!(
            test(&size(None, Some(3)), &bytes),
            Err("it is 4 bytes".into())
        );
        assert_eq!(test(&size(Some(2), None), &text("é")), Ok(()));
    }

    #[test]
    fn bad_matchers_say_what_is_wrong() {
        let error = |m: Matcher| Check::compile(&m, &[]).err().unwrap_or_default();
        assert!(error(Matcher::Regex("(".into())).contains("/(/ is not valid"));
        assert!(error(Matcher::BinaryEquals("zz".into())).contains("Not valid hex"));
        assert!(error(Matcher::Equals("{{who}}".into())).contains("{{who}}"));
        assert!(
            error(Matcher::JsonPointer(PointerMatch {
                pointer: "user".into(),
                ..PointerMatch::default()
            }))
            .contains("must start with /")
        );
        assert!(
            error(Matcher::Size(SizeRange {
                min: Some(5),
                max: Some(1)
            }))
            .contains("empty")
        );
    }

    #[test]
    fn a_message_is_parsed_once_per_step() {
        let payload = text(r#"{"a":1}"#);
        let message = Message::new(&payload);
        let first: *const Value = message.json().unwrap();
        let second: *const Value = message.json().unwrap();
        assert_eq!(first, second);
    }
}
