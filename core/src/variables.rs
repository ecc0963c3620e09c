//! Variables: `{{name}}` in the URL, parameters and messages, replaced from the active
//! environment or a built-in such as `{{$uuid}}`. An unknown or unterminated variable is an
//! error shown before sending, never sent literally.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::clock;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Variable {
    pub name: String,
    pub value: String,
    /// Kept out of share links and exports unless the person asks.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub secret: bool,
}

/// A named set of variables, such as "local" or "staging".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Environment {
    pub id: String,
    pub name: String,
    pub variables: Vec<Variable>,
}

impl Environment {
    /// The same environment with secret values emptied.
    pub fn without_secrets(&self) -> Self {
        let variables = self
            .variables
            .iter()
            .map(|v| {
                if v.secret {
                    Variable {
                        value: String::new(),
                        ..v.clone()
                    }
                } else {
                    v.clone()
                }
            })
            .collect();
        Self {
            variables,
            ..self.clone()
        }
    }
}

/// What the built-ins are made from; the page supplies the clock, randomness and the counter.
pub struct Builtins<'a> {
    pub now_ms: f64,
    /// Uniformly random 32-bit numbers.
    pub random: &'a mut dyn FnMut() -> u32,
    /// Messages sent on this connection so far.
    pub counter: u64,
}

pub const BUILTIN_NAMES: [&str; 5] = [
    "$timestamp",
    "$isoTimestamp",
    "$uuid",
    "$randomInt",
    "$counter",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariableError {
    Unknown { name: String },
    Unterminated { at: usize },
    Empty { at: usize },
}

impl fmt::Display for VariableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unknown { name } if name.starts_with('$') => write!(
                f,
                "{{{{{name}}}}} is not a built-in variable; the built-ins are {}.",
                BUILTIN_NAMES.map(|n| format!("{{{{{n}}}}}")).join(", ")
            ),
            Self::Unknown { name } => write!(
                f,
                "{{{{{name}}}}} is not defined in the active environment. Add it there, or write \\{{{{ to send the braces as they are."
            ),
            Self::Unterminated { at } => write!(
                f,
                "A variable opened with {{{{ at character {at} is never closed with }}}}; write \\{{{{ to send the braces as they are."
            ),
            Self::Empty { at } => write!(
                f,
                "An empty variable {{{{}}}} at character {at}; put a name between the braces."
            ),
        }
    }
}

impl std::error::Error for VariableError {}

/// Whether `text` has anything to replace; most text has not, and is then used as it is.
pub fn has_variables(text: &str) -> bool {
    text.contains("{{")
}

/// `text` with every `{{name}}` replaced: `$` names from the built-ins, others from `variables`
/// (names trimmed, so `{{ token }}` works), and every `\{{` turned into a literal `{{`. The first
/// problem found is returned.
pub fn substitute(
    text: &str,
    variables: &[Variable],
    builtins: &mut Builtins<'_>,
) -> Result<String, VariableError> {
    replace_each(text, |name| value_of(name, variables, builtins))
}

/// The names of the environment's secret variables that `texts` would send, each once, in
/// the order first used: what a request from someone else would carry off.
pub fn secrets_used<'a>(
    texts: impl IntoIterator<Item = &'a str>,
    variables: &[Variable],
) -> Vec<String> {
    let mut used: Vec<String> = Vec::new();
    for text in texts.into_iter().filter(|t| has_variables(t)) {
        // Up to the first problem: what follows it is never sent.
        let _ = replace_each(text, |name| {
            let secret = variables
                .iter()
                .rev()
                .find(|v| v.name.trim() == name)
                .is_some_and(|v| v.secret);
            if secret && !used.iter().any(|u| u == name) {
                used.push(name.to_string());
            }
            Ok(String::new())
        });
    }
    used
}

/// `text` with each `{{name}}` replaced by what `value` gives for its trimmed name, and each
/// `\{{` by a literal `{{`.
fn replace_each(
    text: &str,
    mut value: impl FnMut(&str) -> Result<String, VariableError>,
) -> Result<String, VariableError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        // `\{{` is a literal `{{`, for messages that carry braces of their own (templates).
        if let Some(before) = rest[..open].strip_suffix('\\') {
            out.push_str(before);
            out.push_str("{{");
            rest = &rest[open + 2..];
            continue;
        }
        out.push_str(&rest[..open]);
        let at = text.len() - rest.len() + open;
        let after = &rest[open + 2..];
        let close = after.find("}}").ok_or(VariableError::Unterminated {
            at: char_index(text, at),
        })?;
        let name = after[..close].trim();
        if name.is_empty() {
            return Err(VariableError::Empty {
                at: char_index(text, at),
            });
        }
        out.push_str(&value(name)?);
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

fn value_of(
    name: &str,
    variables: &[Variable],
    builtins: &mut Builtins<'_>,
) -> Result<String, VariableError> {
    let unknown = || VariableError::Unknown {
        name: name.to_string(),
    };
    if !name.starts_with('$') {
        return variables
            .iter()
            .rev()
            .find(|v| v.name.trim() == name)
            .map(|v| v.value.clone())
            .ok_or_else(unknown);
    }
    Ok(match name {
        "$timestamp" => format!("{}", (builtins.now_ms / 1000.0).floor() as i64),
        "$isoTimestamp" => clock::iso_utc(builtins.now_ms),
        "$uuid" => uuid_v4([
            (builtins.random)(),
            (builtins.random)(),
            (builtins.random)(),
            (builtins.random)(),
        ]),
        "$randomInt" => ((builtins.random)() % 1001).to_string(),
        "$counter" => builtins.counter.to_string(),
        _ => return Err(unknown()),
    })
}

/// A version 4 UUID from 128 random bits.
fn uuid_v4(words: [u32; 4]) -> String {
    let mut bytes = [0u8; 16];
    for (chunk, word) in bytes.chunks_mut(4).zip(words) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    bytes[6] = bytes[6] & 0x0f | 0x40;
    bytes[8] = bytes[8] & 0x3f | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

fn char_index(text: &str, byte: usize) -> usize {
    text[..byte].chars().count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn vars() -> Vec<Variable> {
        vec![
            Variable {
                name: "token".into(),
                value: "abc".into(),
                secret: true,
            },
            Variable {
                name: "room".into(),
                value: "7".into(),
                secret: false,
            },
        ]
    }

    fn run(text: &str) -> Result<String, VariableError> {
        let mut n = 0u32;
        let mut random = move || {
            n += 1;
            n.wrapping_mul(0x9e37_79b9)
        };
        substitute(
            text,
            &vars(),
            &mut Builtins {
                now_ms: 1_700_000_000_123.0,
                random: &mut random,
                counter: 41,
            },
        )
    }

    #[test]
    fn secrets_used_names_each_secret_once_and_nothing_escaped_or_public() {
        let texts = [
            "ws://h/?a={{ token }}&r={{room}}",
            "\\{{token}} {{$uuid}}",
            "{{token}}{{token}}",
            "plain",
        ];
        assert_eq!(secrets_used(texts, &vars()), vec!["token".to_string()]);
        assert!(secrets_used(["{{room}} \\{{token}}"], &vars()).is_empty());
        assert!(secrets_used(["{{unknown}} {{token"], &vars()).is_empty());
    }

    #[test]
    fn replaces_names_and_builtins() {
        assert_eq!(
            run("ws://h/{{room}}?t={{ token }}"),
            Ok("ws://h/7?t=abc".into())
        );
        assert_eq!(
            run("{{$timestamp}} {{$counter}}"),
            Ok("1700000000 41".into())
        );
        assert_eq!(
            run("{{$isoTimestamp}}"),
            Ok("2023-11-14T22:13:20.123Z".into())
        );
        assert_eq!(
            run("no braces, { single } }}"),
            Ok("no braces, { single } }}".into())
        );
    }

    #[test]
    fn uuid_is_version_4() {
        let Ok(uuid) = run("{{$uuid}}") else {
            panic!("uuid")
        };
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4");
        assert!("89ab".contains(&uuid[19..20]), "{uuid}");
        assert_ne!(
            run("{{$uuid}} {{$uuid}}").map(|s| s[..36] == s[37..]),
            Ok(true)
        );
    }

    #[test]
    fn random_ints_are_0_to_1000() {
        for _ in 0..20 {
            let n: u32 = run("{{$randomInt}}")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(9999);
            assert!(n <= 1000);
        }
    }

    #[test]
    fn problems_are_named() {
        assert_eq!(
            run("a {{nope}}"),
            Err(VariableError::Unknown {
                name: "nope".into()
            })
        );
        assert_eq!(run("é{{token"), Err(VariableError::Unterminated { at: 2 }));
        assert_eq!(run("{{ }}"), Err(VariableError::Empty { at: 1 }));
        assert!(
            run("{{$nope}}")
                .err()
                .is_some_and(|e| e.to_string().contains("{{$uuid}}"))
        );
    }

    #[test]
    fn a_backslash_sends_braces_as_they_are() {
        assert_eq!(run(r"\{{user}} is {{token}}"), Ok("{{user}} is abc".into()));
        assert_eq!(run(r"open \{{ only"), Ok("open {{ only".into()));
        assert_eq!(run(r"{{token}}\{{\{{x}}}}"), Ok("abc{{{{x}}}}".into()));
        // A lone backslash elsewhere is text like any other.
        assert_eq!(run(r"a\b {{token}}"), Ok(r"a\b abc".into()));
        assert!(
            run("{{nope}}")
                .err()
                .is_some_and(|e| e.to_string().contains(r"write \{{"))
        );
    }

    #[test]
    fn secrets_are_emptied_for_sharing() {
        let env = Environment {
            id: "e".into(),
            name: "local".into(),
            variables: vars(),
        };
        let shared = env.without_secrets();
        assert_eq!(shared.variables[0].value, "");
        assert_eq!(shared.variables[1].value, "7");
    }

    proptest! {
        #[test]
        fn any_text_substitutes_or_errs_without_panic(text in ".{0,40}") {
            let _ = run(&text);
        }

        #[test]
        fn text_without_braces_is_unchanged(text in "[^{]{0,40}") {
            prop_assert_eq!(run(&text), Ok(text));
        }
    }
}
