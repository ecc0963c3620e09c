//! What a person types for Socket.IO, checked before anything is sent: namespaces, auth
//! payloads, event names and arguments.

use std::fmt;

use serde_json::Value;

use crate::compose::{self, ComposeError};
use crate::protocol::socket_io::BinaryError;
use crate::scenario::diff::type_name;

/// Names Socket.IO keeps for itself: a client may not emit them.
const RESERVED_EVENTS: [&str; 6] = [
    "connect",
    "connect_error",
    "disconnect",
    "disconnecting",
    "newListener",
    "removeListener",
];

#[derive(Debug, Clone, PartialEq)]
pub enum EmitError {
    Namespace(NamespaceError),
    /// Never asked to connect: the server would drop the packet.
    UnknownNamespace {
        namespace: String,
        known: Vec<String>,
    },
    Reserved(String),
    /// The server refused the namespace: it would close the connection over a packet there.
    Refused(String),
    Args(ComposeError),
    /// The arguments were JSON, but this kind of value rather than an array.
    ArgsNotArray(&'static str),
    Binary(BinaryError),
}

impl fmt::Display for EmitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Namespace(error) => error.fmt(f),
            Self::UnknownNamespace { namespace, known } => write!(
                f,
                "Not connecting to namespace {namespace}: add it to the namespaces first (now: {}).",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ),
            Self::Reserved(name) => write!(
                f,
                "\u{201c}{name}\u{201d} is reserved by Socket.IO and cannot be emitted; pick another event name."
            ),
            Self::Refused(namespace) => write!(
                f,
                "Not emitted on {namespace}: the server refused that namespace, and would close \
                 the whole connection over a packet sent there. Fix the auth payload and connect \
                 again."
            ),
            Self::Args(error) => write!(f, "The arguments must be a JSON array. {error}"),
            Self::ArgsNotArray(found) => write!(
                f,
                "The arguments must be a JSON array, as in [\"hi\", 1], but this is {found}."
            ),
            Self::Binary(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for EmitError {}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NamespaceError {
    Comma(String),
    Query(String),
    /// Socket.IO servers take only a JSON object as the auth payload.
    AuthNotObject(String),
}

impl fmt::Display for NamespaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Comma(name) => write!(
                f,
                "The namespace {name} has a comma, which ends a namespace on the wire; use a name without one."
            ),
            Self::Query(name) => write!(
                f,
                "The namespace {name} has a query (?); send credentials as the auth payload instead."
            ),
            Self::AuthNotObject(name) => write!(
                f,
                "The auth payload for {name} must be a JSON object, as in {{\"token\": \"…\"}}."
            ),
        }
    }
}

impl std::error::Error for NamespaceError {}

/// A namespace as written on the wire: `/` for none, a leading `/` added when left out.
pub fn namespace_name(typed: &str) -> Result<String, NamespaceError> {
    let typed = typed.trim();
    let name = if typed.starts_with('/') {
        typed.to_string()
    } else {
        format!("/{typed}")
    };
    if name.contains(',') {
        Err(NamespaceError::Comma(name))
    } else if name.contains('?') {
        Err(NamespaceError::Query(name))
    } else {
        Ok(name)
    }
}

pub(crate) fn checked_namespace(
    name: &str,
    auth: Option<&Value>,
) -> Result<String, NamespaceError> {
    let name = namespace_name(name)?;
    match auth {
        Some(auth) if !auth.is_object() => Err(NamespaceError::AuthNotObject(name)),
        _ => Ok(name),
    }
}

pub(crate) fn parse_args(args_json: &str) -> Result<Value, EmitError> {
    if args_json.trim().is_empty() {
        return Ok(Value::Array(Vec::new()));
    }
    let value: Value = serde_json::from_str(args_json).map_err(|_| {
        match compose::check_json(args_json) {
            Err(error) => EmitError::Args(error),
            // Valid JSON that serde_json still refused: nested past its depth limit.
            Ok(()) => EmitError::ArgsNotArray("nested too deeply"),
        }
    })?;
    match value {
        Value::Array(_) => Ok(value),
        other => Err(EmitError::ArgsNotArray(type_name(&other))),
    }
}

/// Refuses the event names Socket.IO keeps for itself.
pub(crate) fn check_event(event: &str) -> Result<(), EmitError> {
    if RESERVED_EVENTS.contains(&event) {
        Err(EmitError::Reserved(event.to_string()))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn namespaces_get_their_slash_and_lose_nothing_else() {
        assert_eq!(namespace_name(""), Ok("/".into()));
        assert_eq!(namespace_name(" admin "), Ok("/admin".into()));
        assert_eq!(namespace_name("/a/b"), Ok("/a/b".into()));
        assert_eq!(
            namespace_name("/a,b")
                .err()
                .map(|e| e.to_string())
                .as_deref(),
            Some(
                "The namespace /a,b has a comma, which ends a namespace on the wire; use a name without one."
            )
        );
        assert_eq!(
            namespace_name("a?x=1")
                .err()
                .map(|e| e.to_string())
                .as_deref(),
            Some(
                "The namespace /a?x=1 has a query (?); send credentials as the auth payload instead."
            )
        );
        assert_eq!(checked_namespace("a", Some(&json!({}))), Ok("/a".into()));
        assert_eq!(
            checked_namespace("a", Some(&json!([]))),
            Err(NamespaceError::AuthNotObject("/a".into()))
        );
    }

    #[test]
    fn arguments_are_an_array_or_nothing() {
        assert_eq!(parse_args("  "), Ok(json!([])));
        assert_eq!(parse_args("[1, \"a\"]"), Ok(json!([1, "a"])));
        assert_eq!(parse_args("5"), Err(EmitError::ArgsNotArray("a number")));
        assert_eq!(parse_args("null"), Err(EmitError::ArgsNotArray("null")));
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(
            parse_args(&deep),
            Err(EmitError::ArgsNotArray("nested too deeply"))
        );
        assert!(matches!(parse_args("[1,"), Err(EmitError::Args(_))));
    }

    #[test]
    fn reserved_names_are_exact() {
        for name in RESERVED_EVENTS {
            assert_eq!(check_event(name), Err(EmitError::Reserved(name.into())));
        }
        assert_eq!(check_event("Connect"), Ok(()));
    }
}
