//! Captures: a value taken from the message an expect step matched, kept as a variable for
//! the steps after it.

use regex_lite::Regex;
use serde_json::Value;

use super::matchers::{self, Message};
use super::model::Capture;

#[derive(Debug, Clone)]
pub(crate) struct Take {
    pub name: String,
    from: From,
}

#[derive(Debug, Clone)]
enum From {
    Pointer(String),
    Regex(Regex, usize),
}

impl Take {
    pub fn compile(capture: &Capture) -> Result<Self, String> {
        let name = capture.name.trim();
        if name.is_empty() || name.starts_with('$') || name.contains("{{") || name.contains("}}") {
            return Err(format!(
                "a capture needs a variable name without braces that does not start with $ (not \u{201c}{}\u{201d})",
                capture.name
            ));
        }
        let from = match (&capture.pointer, &capture.regex) {
            (Some(pointer), None) => {
                matchers::check_pointer(pointer)?;
                From::Pointer(pointer.clone())
            }
            (None, Some(pattern)) => {
                let re = matchers::regex(pattern)?;
                if capture.group >= re.captures_len() {
                    return Err(format!(
                        "the capture {name} takes group {} of /{pattern}/, which has {} groups",
                        capture.group,
                        re.captures_len() - 1
                    ));
                }
                From::Regex(re, capture.group)
            }
            _ => {
                return Err(format!(
                    "the capture {name} needs either a pointer or a regex (one of them)"
                ));
            }
        };
        Ok(Self {
            name: name.to_string(),
            from,
        })
    }

    /// The value as text, and as JSON when it came from a JSON Pointer.
    pub fn take(&self, message: &Message<'_>) -> Result<(String, Option<Value>), String> {
        let fail = |why: String| format!("the message matched, but capturing {}: {why}", self.name);
        match &self.from {
            From::Pointer(pointer) => {
                let json = message.json().map_err(fail)?;
                let value = json
                    .pointer(pointer)
                    .ok_or_else(|| fail(format!("{pointer} is not in it")))?;
                Ok((matchers::value_text(value), Some(value.clone())))
            }
            From::Regex(re, group) => {
                let text = message.text().map_err(fail)?;
                let found = re
                    .captures(text)
                    .and_then(|c| c.get(*group))
                    .ok_or_else(|| fail(format!("/{}/ does not match it", re.as_str())))?;
                Ok((found.as_str().to_string(), None))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::events::Payload;
    use serde_json::json;

    fn capture(pointer: Option<&str>, regex: Option<&str>, group: usize) -> Result<Take, String> {
        Take::compile(&Capture {
            name: "v".into(),
            pointer: pointer.map(String::from),
            regex: regex.map(String::from),
            group,
        })
    }

    #[test]
    fn takes_from_a_pointer_or_a_group() {
        let payload = Payload::Text(r#"{"id":42,"token":"abc"}"#.into());
        let message = Message::new(&payload);
        let by_pointer = capture(Some("/id"), None, 1).unwrap();
        assert_eq!(
            by_pointer.take(&message),
            Ok(("42".into(), Some(json!(42))))
        );
        let string = capture(Some("/token"), None, 1).unwrap();
        assert_eq!(
            string.take(&message),
            Ok(("abc".into(), Some(json!("abc"))))
        );
        let by_group = capture(None, Some(r#""token":"(\w+)""#), 1).unwrap();
        assert_eq!(by_group.take(&message), Ok(("abc".into(), None)));
        let whole = capture(None, Some("[0-9]+"), 0).unwrap();
        assert_eq!(whole.take(&message), Ok(("42".into(), None)));
        let missing = capture(Some("/nope"), None, 1).unwrap();
        assert!(
            missing
                .take(&message)
                .is_err_and(|e| e.contains("/nope is not in it"))
        );
    }

    #[test]
    fn a_capture_must_say_where_from() {
        assert!(capture(None, None, 1).is_err());
        assert!(capture(Some("/a"), Some("x"), 1).is_err());
        assert!(capture(None, Some("(a)"), 2).is_err_and(|e| e.contains("has 1 groups")));
        assert!(
            Take::compile(&Capture {
                name: "$uuid".into(),
                pointer: Some("/a".into()),
                ..Capture::default()
            })
            .is_err()
        );
    }
}
