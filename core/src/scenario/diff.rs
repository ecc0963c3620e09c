//! JSON compared as a scenario expects it: the expected value is a *subset* of the actual one
//! (objects may hold more fields), numbers compare by value (`1` equals `1.0`), and arrays
//! compare element by element and must be as long. `diff` lists where they part, as JSON
//! Pointer paths, for a failure to show field by field.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

/// Differences listed at most, so a failure against a huge message stays readable.
pub const MAX_DIFFERENCES: usize = 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    /// A JSON Pointer into the message; `""` is the whole message.
    pub path: String,
    #[serde(flatten)]
    pub kind: DifferenceKind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "difference", rename_all = "snake_case")]
pub enum DifferenceKind {
    Missing { expected: Value },
    Different { expected: Value, actual: Value },
    Type { expected: String, actual: String },
    Length { expected: usize, actual: usize },
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "(the whole message)"
        } else {
            &self.path
        };
        match &self.kind {
            DifferenceKind::Missing { expected } => {
                write!(f, "{path}: missing (expected {})", short(expected))
            }
            DifferenceKind::Different { expected, actual } => write!(
                f,
                "{path}: expected {}, found {}",
                short(expected),
                short(actual)
            ),
            DifferenceKind::Type { expected, actual } => {
                write!(f, "{path}: expected {expected}, found {actual}")
            }
            DifferenceKind::Length { expected, actual } => write!(
                f,
                "{path}: expected {expected} element{}, found {actual}",
                if *expected == 1 { "" } else { "s" }
            ),
        }
    }
}

/// A value as compact JSON, cut to 80 characters.
pub(crate) fn short(value: &Value) -> String {
    let text = value.to_string();
    let (shown, cut) = crate::payload::text_preview(&text, 80);
    if cut {
        format!("{shown}\u{2026}")
    } else {
        shown
    }
}

/// What kind of JSON value this is, with its article, for messages.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Whether `expected` is a subset of `actual` (see the module's rules).
pub fn is_subset(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => e
            .iter()
            .all(|(k, ev)| a.get(k).is_some_and(|av| is_subset(ev, av))),
        (Value::Array(e), Value::Array(a)) => {
            e.len() == a.len() && e.iter().zip(a).all(|(ev, av)| is_subset(ev, av))
        }
        _ => same_scalar(expected, actual),
    }
}

/// Whether two values are equal, numbers by value, objects whatever their key order.
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w))
        }
        _ => same_scalar(a, b),
    }
}

fn same_scalar(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => same_number(x, y),
        (Value::Object(_) | Value::Array(_), _) | (_, Value::Object(_) | Value::Array(_)) => false,
        _ => a == b,
    }
}

fn same_number(x: &Number, y: &Number) -> bool {
    if let (Some(a), Some(b)) = (x.as_i64(), y.as_i64()) {
        return a == b;
    }
    if let (Some(a), Some(b)) = (x.as_u64(), y.as_u64()) {
        return a == b;
    }
    match (x.as_f64(), y.as_f64()) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// Where `actual` fails to hold `expected`, at most `MAX_DIFFERENCES`, paths from the root (`""`).
pub fn diff(expected: &Value, actual: &Value) -> Vec<Difference> {
    diff_at(expected, actual, "")
}

/// `diff` with every path starting at `prefix` (a JSON Pointer).
pub fn diff_at(expected: &Value, actual: &Value, prefix: &str) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut path = prefix.to_string();
    walk(expected, actual, &mut path, &mut out);
    out
}

fn walk(expected: &Value, actual: &Value, path: &mut String, out: &mut Vec<Difference>) {
    if out.len() >= MAX_DIFFERENCES {
        return;
    }
    let mut push = |kind| {
        out.push(Difference {
            path: path.clone(),
            kind,
        })
    };
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, ev) in e {
                let len = path.len();
                path.push('/');
                path.push_str(&escape(key));
                match a.get(key) {
                    Some(av) => walk(ev, av, path, out),
                    None if out.len() < MAX_DIFFERENCES => out.push(Difference {
                        path: path.clone(),
                        kind: DifferenceKind::Missing {
                            expected: ev.clone(),
                        },
                    }),
                    None => {}
                }
                path.truncate(len);
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                push(DifferenceKind::Length {
                    expected: e.len(),
                    actual: a.len(),
                });
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                let len = path.len();
                path.push('/');
                path.push_str(&i.to_string());
                walk(ev, av, path, out);
                path.truncate(len);
            }
        }
        _ if type_name(expected) != type_name(actual) => push(DifferenceKind::Type {
            expected: type_name(expected).to_string(),
            actual: format!("{} ({})", type_name(actual), short(actual)),
        }),
        _ if !same_scalar(expected, actual) => push(DifferenceKind::Different {
            expected: expected.clone(),
            actual: actual.clone(),
        }),
        _ => {}
    }
}

/// A key as a JSON Pointer token (RFC 6901): `~` as `~0`, `/` as `~1`.
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn a_subset_may_leave_fields_out_but_not_elements() {
        let actual = json!({"type": "welcome", "user": {"id": 7, "name": "a"}, "tags": [1, {"x": 1, "y": 2}]});
        assert!(is_subset(&json!({"type": "welcome"}), &actual));
        assert!(is_subset(&json!({"user": {"id": 7.0}}), &actual));
        assert!(is_subset(&json!({"tags": [1, {"y": 2}]}), &actual));
        assert!(!is_subset(&json!({"tags": [1]}), &actual));
        assert!(!is_subset(&json!({"user": {"id": "7"}}), &actual));
        assert!(!is_subset(&json!({"nope": null}), &actual));
        assert!(is_subset(&json!({}), &actual));
        assert!(!is_subset(&json!({}), &json!([])));
    }

    #[test]
    fn numbers_compare_by_value() {
        assert!(same(&json!(1), &json!(1.0)));
        assert!(same(&json!(-3), &json!(-3)));
        assert!(!same(&json!(u64::MAX), &json!(-1)));
        assert!(same(&json!({"a": 1, "b": 2}), &json!({"b": 2.0, "a": 1})));
        assert!(!same(&json!({"a": 1}), &json!({"a": 1, "b": 2})));
    }

    #[test]
    fn differences_name_their_paths() {
        let expected =
            json!({"type": "welcome", "user": {"id": 7, "a/b": 1}, "tags": [1, 2], "n": null});
        let actual = json!({"type": "hello", "user": {"id": "7"}, "tags": [1, 3, 4], "n": 0});
        let found: Vec<String> = diff(&expected, &actual)
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(
            found,
            // Keys in serde_json's order: sorted.
            [
                "/n: expected null, found a number (0)",
                "/tags: expected 2 elements, found 3",
                "/tags/1: expected 2, found 3",
                "/type: expected \"welcome\", found \"hello\"",
                "/user/a~1b: missing (expected 1)",
                "/user/id: expected a number, found a string (\"7\")",
            ]
        );
        assert_eq!(
            diff(&json!(1), &json!([1]))[0].to_string(),
            "(the whole message): expected a number, found an array ([1])"
        );
        assert_eq!(diff_at(&json!(1), &json!(2), "/a")[0].path, "/a");
    }

    #[test]
    fn a_huge_difference_is_cut_short() {
        let expected: Value = (0..100)
            .map(|i| (i.to_string(), json!(i)))
            .collect::<serde_json::Map<_, _>>()
            .into();
        assert_eq!(diff(&expected, &json!({})).len(), MAX_DIFFERENCES);
    }

    fn any_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-3i64..3).prop_map(|n| json!(n)),
            "[ab]{0,2}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                proptest::collection::btree_map("[ab]", inner, 0..3)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn a_subset_is_exactly_what_has_no_differences(e in any_json(), a in any_json()) {
            prop_assert_eq!(is_subset(&e, &a), diff(&e, &a).is_empty());
        }

        #[test]
        fn every_value_holds_itself(v in any_json()) {
            prop_assert!(is_subset(&v, &v));
            prop_assert!(same(&v, &v));
        }
    }
}
