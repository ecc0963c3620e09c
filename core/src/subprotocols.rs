//! The subprotocols a request asks for, typed as a comma-separated list.
//! Checked here because the browser throws a bare SyntaxError for a bad one.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubprotocolError {
    InvalidToken { protocol: String },
    Duplicate { protocol: String },
}

impl fmt::Display for SubprotocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidToken { protocol } => write!(
                f,
                "The subprotocol \u{201c}{protocol}\u{201d} has a character subprotocol names cannot contain: \
                 use letters, digits and ! # $ % & ' * + - . ^ _ ` | ~ only, and separate names with commas."
            ),
            Self::Duplicate { protocol } => write!(
                f,
                "The subprotocol \u{201c}{protocol}\u{201d} is listed twice; browsers refuse a list with repeats."
            ),
        }
    }
}

impl std::error::Error for SubprotocolError {}

/// Splits on commas, trims, skips empty items, keeps the order given.
pub fn parse(list: &str) -> Result<Vec<String>, SubprotocolError> {
    let mut protocols: Vec<String> = Vec::new();
    for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if !is_token(item) {
            return Err(SubprotocolError::InvalidToken {
                protocol: item.to_string(),
            });
        }
        if protocols.iter().any(|p| p == item) {
            return Err(SubprotocolError::Duplicate {
                protocol: item.to_string(),
            });
        }
        protocols.push(item.to_string());
    }
    Ok(protocols)
}

/// An HTTP token (RFC 9110 `tchar`s), as subprotocol and header names must be.
pub fn is_token(text: &str) -> bool {
    !text.is_empty() && text.chars().all(is_token_char)
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn splits_and_trims_in_order() {
        assert_eq!(parse(""), Ok(vec![]));
        assert_eq!(parse(" , "), Ok(vec![]));
        assert_eq!(
            parse("chat, json ,v2.wsprobe"),
            Ok(vec!["chat".into(), "json".into(), "v2.wsprobe".into()])
        );
    }

    #[test]
    fn refuses_bad_names_and_repeats() {
        assert_eq!(
            parse("a b"),
            Err(SubprotocolError::InvalidToken {
                protocol: "a b".into()
            })
        );
        assert_eq!(
            parse("chat;v=1"),
            Err(SubprotocolError::InvalidToken {
                protocol: "chat;v=1".into()
            })
        );
        assert_eq!(
            parse("caf\u{e9}"),
            Err(SubprotocolError::InvalidToken {
                protocol: "caf\u{e9}".into()
            })
        );
        assert_eq!(
            parse("a,b,a"),
            Err(SubprotocolError::Duplicate {
                protocol: "a".into()
            })
        );
        assert_eq!(parse("A,a"), Ok(vec!["A".into(), "a".into()]));
    }

    proptest! {
        #[test]
        fn accepted_lists_hold_only_unique_tokens(list in ".{0,40}") {
            if let Ok(protocols) = parse(&list) {
                for (i, p) in protocols.iter().enumerate() {
                    prop_assert!(!p.is_empty() && p.chars().all(is_token_char));
                    prop_assert!(!protocols[..i].contains(p));
                }
            }
        }
    }
}
