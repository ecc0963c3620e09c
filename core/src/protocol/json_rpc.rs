//! JSON-RPC 2.0 from the client's side (jsonrpc.org/specification): requests written with
//! numbered ids, responses paired with their requests and timed, and everything the server
//! sends named for the log, including what breaks the specification.

use std::fmt;

use serde_json::{Map, Value};

use crate::compose::{self, ComposeError};
use crate::payload::plural;
use crate::protocol::note::{Note, NoteKind, clip, elapsed, json_brief};
use crate::protocol::pending::Pending;
use crate::scenario::diff::type_name;

/// Requests waiting for their response; past this the oldest are forgotten.
const MAX_PENDING: usize = 10_000;
/// How much of a server's message an error summary quotes.
const QUOTED_CHARS: usize = 120;

/// What an error code means, from the specification's table.
pub fn error_meaning(code: i64) -> &'static str {
    match code {
        -32700 => "Parse error",
        -32600 => "Invalid Request",
        -32601 => "Method not found",
        -32602 => "Invalid params",
        -32603 => "Internal error",
        -32099..=-32000 => "Server error (implementation-defined)",
        -32768..=-32000 => "Reserved",
        _ => "Application error",
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Result(Value),
    Error {
        code: i64,
        meaning: &'static str,
        message: String,
        data: Option<Value>,
    },
}

/// A response matched with its request.
#[derive(Debug, Clone, PartialEq)]
pub struct Paired {
    /// The id as JSON: `3`, `"abc"`.
    pub id: String,
    pub method: String,
    pub rtt_ms: f64,
    pub outcome: Outcome,
}

/// A request written by `JsonRpcClient::call`.
#[derive(Debug, Clone, PartialEq)]
pub struct Called {
    pub text: String,
    pub note: Note,
    /// The id its response will carry, as JSON (`3`); None for a notification.
    pub id: Option<String>,
}

/// What one received frame meant.
#[derive(Debug, Clone, PartialEq)]
pub struct RpcReading {
    pub note: Note,
    pub paired: Vec<Paired>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CallError {
    EmptyMethod,
    Params(ComposeError),
    /// The params were JSON, but this kind of value.
    ParamsKind(&'static str),
    /// Text typed as a whole request that is not JSON.
    Json(ComposeError),
    /// Not a request; `item` counts from 1 within a batch.
    NotRequest {
        item: Option<usize>,
        why: String,
    },
    EmptyBatch,
    DuplicateId(String),
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyMethod => write!(f, "The method name is empty; type the method to call."),
            Self::Params(error) => write!(f, "The params must be a JSON array or object. {error}"),
            Self::ParamsKind(found) => write!(
                f,
                "The params must be a JSON array or object (or left empty), but this is {found}."
            ),
            Self::Json(error) => write!(f, "Not a JSON-RPC request. {error}"),
            Self::NotRequest { item: None, why } => write!(f, "Not a JSON-RPC request: {why}."),
            Self::NotRequest {
                item: Some(item),
                why,
            } => write!(
                f,
                "Item {item} of the batch is not a JSON-RPC request: {why}."
            ),
            Self::EmptyBatch => write!(
                f,
                "An empty batch: the specification wants at least one request in the array."
            ),
            Self::DuplicateId(id) => write!(
                f,
                "The id {id} is already waiting for its response; responses could not be told \
                 apart. Use another id."
            ),
        }
    }
}

impl std::error::Error for CallError {}

#[derive(Debug, Clone)]
struct Waiting {
    method: String,
    sent_ms: f64,
}

/// A request as the specification defines it.
#[derive(Debug, Clone)]
struct Request {
    method: String,
    params: Option<Value>,
    /// None for a notification.
    id: Option<Value>,
}

impl Request {
    /// `call 3 subtract [42,23]`, `notification update [1,2]`.
    fn note(&self, prefix: &str) -> Note {
        let params = self
            .params
            .as_ref()
            .map(|p| format!(" {}", json_brief(p)))
            .unwrap_or_default();
        let (kind, what) = match &self.id {
            Some(id) => (NoteKind::Call, format!("call {}", json_brief(id))),
            None => (NoteKind::Notification, "notification".to_string()),
        };
        Note::new(kind, format!("{prefix}{what} {}{params}", self.method)).with_event(&self.method)
    }
}

#[derive(Debug, Clone)]
pub struct JsonRpcClient {
    next_id: u64,
    pending: Pending<String, Waiting>,
}

impl Default for JsonRpcClient {
    fn default() -> Self {
        Self {
            next_id: 1,
            pending: Pending::new(MAX_PENDING),
        }
    }
}

impl JsonRpcClient {
    pub fn new() -> Self {
        Self::default()
    }

    /// The text of a request for `method` with the params typed (empty for none), numbered
    /// 1, 2, 3…, or of a notification, which has no id and gets no response.
    pub fn call(
        &mut self,
        method: &str,
        params_json: &str,
        notification: bool,
        now_ms: f64,
    ) -> Result<Called, CallError> {
        if method.trim().is_empty() {
            return Err(CallError::EmptyMethod);
        }
        let params = parse_params(params_json)?;
        let id = (!notification).then(|| {
            // Skip ids the person used in requests typed whole.
            while self.pending.get(&self.next_id.to_string()).is_some() {
                self.next_id = self.next_id.wrapping_add(1);
            }
            let id = self.next_id;
            self.next_id = self.next_id.wrapping_add(1);
            id
        });
        let mut text = format!("{{\"jsonrpc\":\"2.0\",\"method\":{}", Value::from(method));
        if let Some(params) = &params {
            text.push_str(&format!(",\"params\":{params}"));
        }
        if let Some(id) = id {
            text.push_str(&format!(",\"id\":{id}"));
        }
        text.push('}');
        let request = Request {
            method: method.to_string(),
            params,
            id: id.map(Value::from),
        };
        self.register(&request, now_ms);
        Ok(Called {
            text,
            note: request.note(""),
            id: id.map(|id| id.to_string()),
        })
    }

    /// Reads a request or batch typed whole, before it is sent, so that its responses pair.
    /// An error registers nothing; the text may still go out on purpose, to see how a server
    /// takes an invalid request.
    pub fn sent_raw(&mut self, text: &str, now_ms: f64) -> Result<Note, CallError> {
        let value: Value = serde_json::from_str(text).map_err(|_| json_error(text))?;
        let requests = match value {
            Value::Array(items) if items.is_empty() => return Err(CallError::EmptyBatch),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    read_request(item).map_err(|why| CallError::NotRequest {
                        item: Some(i.saturating_add(1)),
                        why,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
            single => vec![
                read_request(&single).map_err(|why| CallError::NotRequest { item: None, why })?,
            ],
        };
        let mut ids: Vec<String> = Vec::new();
        for id in requests.iter().filter_map(|r| r.id.as_ref()) {
            let key = id.to_string();
            if ids.contains(&key) || self.pending.get(&key).is_some() {
                return Err(CallError::DuplicateId(key));
            }
            ids.push(key);
        }
        for request in &requests {
            self.register(request, now_ms);
        }
        Ok(match requests.as_slice() {
            [single] => single.note(""),
            batch => {
                let calls = batch.iter().filter(|r| r.id.is_some()).count();
                let parts = [
                    (calls, "call"),
                    (batch.len().saturating_sub(calls), "notification"),
                ];
                Note::new(NoteKind::Call, format!("batch: {}", counts(&parts)))
            }
        })
    }

    /// What a received frame means: responses paired, the server's own requests named.
    pub fn on_text(&mut self, text: &str, now_ms: f64) -> RpcReading {
        let value: Value = match serde_json::from_str(text) {
            Ok(value) => value,
            Err(_) => {
                return RpcReading {
                    note: Note::problem(json_error(text).to_string()),
                    paired: Vec::new(),
                };
            }
        };
        let Value::Array(items) = value else {
            let (note, paired) = self.read_one(&value, now_ms);
            return RpcReading {
                note,
                paired: paired.into_iter().collect(),
            };
        };
        if items.is_empty() {
            return RpcReading {
                note: Note::problem("An empty batch: a JSON-RPC batch holds at least one response"),
                paired: Vec::new(),
            };
        }
        let mut paired = Vec::new();
        let mut notes = Vec::new();
        for item in &items {
            let (note, pair) = self.read_one(item, now_ms);
            notes.push(note);
            paired.extend(pair);
        }
        RpcReading {
            note: batch_note(&notes),
            paired,
        }
    }

    fn register(&mut self, request: &Request, now_ms: f64) {
        if let Some(id) = &request.id {
            self.pending.insert(
                id.to_string(),
                Waiting {
                    method: request.method.clone(),
                    sent_ms: now_ms,
                },
            );
        }
    }

    fn read_one(&mut self, value: &Value, now_ms: f64) -> (Note, Option<Paired>) {
        let Some(object) = value.as_object() else {
            let why = format!("Not a JSON-RPC object: {}", json_brief(value));
            return (Note::problem(why), None);
        };
        if object.contains_key("method") {
            let note = match read_request(value) {
                Ok(request) => request.note("server "),
                Err(why) => Note::problem(format!("An invalid request from the server: {why}")),
            };
            return (note, None);
        }
        match read_response(object) {
            Ok((id, outcome)) => self.pair(id, outcome, now_ms),
            Err(why) => (Note::problem(format!("An invalid response: {why}")), None),
        }
    }

    fn pair(&mut self, id: &Value, outcome: Outcome, now_ms: f64) -> (Note, Option<Paired>) {
        let key = id.to_string();
        let words = outcome_words(&key, &outcome);
        let Some(waiting) = self.pending.remove(&key) else {
            let note = match (&outcome, id) {
                // The server could not read a request well enough to know its id.
                (Outcome::Error { .. }, Value::Null) => {
                    Note::new(NoteKind::Error, outcome_words("(no id)", &outcome))
                }
                _ => Note::problem(format!("{words} matches no request")),
            };
            return (note, None);
        };
        let rtt_ms = elapsed(waiting.sent_ms, now_ms);
        let kind = match outcome {
            Outcome::Result(_) => NoteKind::Result,
            Outcome::Error { .. } => NoteKind::Error,
        };
        let note = Note::new(kind, words)
            .with_event(waiting.method.clone())
            .with_rtt(rtt_ms);
        let paired = Paired {
            id: key,
            method: waiting.method,
            rtt_ms,
            outcome,
        };
        (note, Some(paired))
    }
}

fn parse_params(params_json: &str) -> Result<Option<Value>, CallError> {
    if params_json.trim().is_empty() {
        return Ok(None);
    }
    let value: Value =
        serde_json::from_str(params_json).map_err(|_| match compose::check_json(params_json) {
            Err(error) => CallError::Params(error),
            Ok(()) => CallError::ParamsKind("nested too deeply"),
        })?;
    match value {
        Value::Array(_) | Value::Object(_) => Ok(Some(value)),
        other => Err(CallError::ParamsKind(type_name(&other))),
    }
}

/// Why `text` is not JSON, with the line and column.
fn json_error(text: &str) -> CallError {
    match compose::check_json(text) {
        Err(error) => CallError::Json(error),
        Ok(()) => CallError::NotRequest {
            item: None,
            why: "nested too deeply to read".into(),
        },
    }
}

fn read_request(value: &Value) -> Result<Request, String> {
    let object = value
        .as_object()
        .ok_or_else(|| format!("a request is an object, not {}", type_name(value)))?;
    check_version(object)?;
    let method = object
        .get("method")
        .and_then(Value::as_str)
        .ok_or("\"method\" must be a string")?
        .to_string();
    let params = object.get("params").cloned();
    if params
        .as_ref()
        .is_some_and(|p| !p.is_array() && !p.is_object())
    {
        return Err("\"params\" must be an array or an object".into());
    }
    let id = object.get("id").cloned();
    if let Some(id) = &id {
        check_id(id)?;
    }
    Ok(Request { method, params, id })
}

fn read_response(object: &Map<String, Value>) -> Result<(&Value, Outcome), String> {
    check_version(object)?;
    let id = object.get("id").ok_or("it has no \"id\"")?;
    check_id(id)?;
    let outcome = match (object.get("result"), object.get("error")) {
        (Some(_), Some(_)) => return Err("it has both \"result\" and \"error\"".into()),
        (None, None) => {
            return Err(
                "it is neither a request (no \"method\") nor a response (no \"result\" or \"error\")"
                    .into(),
            );
        }
        (Some(result), None) => Outcome::Result(result.clone()),
        (None, Some(error)) => read_error(error)?,
    };
    Ok((id, outcome))
}

fn read_error(error: &Value) -> Result<Outcome, String> {
    let wrong = || "\"error\" must be an object with an integer \"code\" and a string \"message\"";
    let object = error.as_object().ok_or_else(wrong)?;
    let code = object
        .get("code")
        .and_then(Value::as_i64)
        .ok_or_else(wrong)?;
    let message = object
        .get("message")
        .and_then(Value::as_str)
        .ok_or_else(wrong)?;
    Ok(Outcome::Error {
        code,
        meaning: error_meaning(code),
        message: message.to_string(),
        data: object.get("data").cloned(),
    })
}

fn check_version(object: &Map<String, Value>) -> Result<(), String> {
    match object.get("jsonrpc") {
        Some(Value::String(version)) if version == "2.0" => Ok(()),
        Some(other) => Err(format!(
            "\"jsonrpc\" must be \"2.0\", not {}",
            json_brief(other)
        )),
        None => Err("\"jsonrpc\": \"2.0\" is missing".into()),
    }
}

fn check_id(id: &Value) -> Result<(), String> {
    match id {
        Value::String(_) | Value::Number(_) | Value::Null => Ok(()),
        other => Err(format!(
            "\"id\" must be a string, a number or null, not {}",
            type_name(other)
        )),
    }
}

/// `result 3 19`, `error 3 -32601 Method not found: no such method "x"`.
fn outcome_words(id: &str, outcome: &Outcome) -> String {
    match outcome {
        Outcome::Result(result) => format!("result {id} {}", json_brief(result)),
        Outcome::Error {
            code,
            meaning,
            message,
            ..
        } => {
            let mut words = format!("error {id} {code} {meaning}");
            if !message.eq_ignore_ascii_case(meaning) {
                words.push_str(": ");
                words.push_str(&clip(message, QUOTED_CHARS));
            }
            words
        }
    }
}

/// `2 results, 1 error`: the non-zero counts.
fn counts(parts: &[(usize, &str)]) -> String {
    let shown: Vec<String> = parts
        .iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, word)| plural(*count, word))
        .collect();
    shown.join(", ")
}

/// One line for a batch of responses: the counts, and the first problem if there is one.
fn batch_note(notes: &[Note]) -> Note {
    let count = |kind| notes.iter().filter(|n| n.kind == kind).count();
    let problems = count(NoteKind::Problem);
    let errors = count(NoteKind::Error);
    let results = count(NoteKind::Result);
    let parts = [
        (results, "result"),
        (errors, "error"),
        (count(NoteKind::Call), "server call"),
        (count(NoteKind::Notification), "notification"),
        (problems, "problem"),
    ];
    let mut summary = format!("batch: {}", counts(&parts));
    if let Some(first) = notes.iter().find(|n| n.kind == NoteKind::Problem) {
        summary.push_str(&format!(" ({})", first.summary));
    }
    let kind = if problems > 0 {
        NoteKind::Problem
    } else if errors > 0 {
        NoteKind::Error
    } else if results > 0 {
        NoteKind::Result
    } else {
        notes.first().map_or(NoteKind::Notification, |n| n.kind)
    };
    Note::new(kind, summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mutate;
    use proptest::prelude::*;
    use serde_json::json;

    fn result(id: &str, method: &str, rtt_ms: f64, value: Value) -> Paired {
        Paired {
            id: id.into(),
            method: method.into(),
            rtt_ms,
            outcome: Outcome::Result(value),
        }
    }

    #[test]
    fn calls_are_numbered_and_paired_with_their_results() {
        let mut rpc = JsonRpcClient::new();
        let Called { text, note, .. } = rpc.call("subtract", "[42, 23]", false, 100.0).unwrap();
        assert_eq!(
            text,
            r#"{"jsonrpc":"2.0","method":"subtract","params":[42,23],"id":1}"#
        );
        assert_eq!(
            (note.kind, note.summary.as_str()),
            (NoteKind::Call, "call 1 subtract [42,23]")
        );
        assert_eq!(note.event.as_deref(), Some("subtract"));
        let Called { text, .. } = rpc
            .call(
                "subtract",
                r#"{"subtrahend": 23, "minuend": 42}"#,
                false,
                101.0,
            )
            .unwrap();
        assert_eq!(
            text,
            r#"{"jsonrpc":"2.0","method":"subtract","params":{"minuend":42,"subtrahend":23},"id":2}"#
        );
        let Called { text, .. } = rpc.call("ping", "  ", false, 102.0).unwrap();
        assert_eq!(text, r#"{"jsonrpc":"2.0","method":"ping","id":3}"#);

        let reading = rpc.on_text(r#"{"jsonrpc": "2.0", "result": 19, "id": 1}"#, 104.2);
        assert_eq!(reading.note.kind, NoteKind::Result);
        assert_eq!(reading.note.summary, "result 1 19 \u{b7} 4.2 ms");
        assert_eq!(reading.paired.len(), 1);
        assert_eq!(reading.paired[0].outcome, Outcome::Result(json!(19)));
        assert!((reading.paired[0].rtt_ms - 4.2).abs() < 1e-9);
        // Paired once: the same response again matches nothing.
        let again = rpc.on_text(r#"{"jsonrpc": "2.0", "result": 19, "id": 1}"#, 105.0);
        assert_eq!(again.note.kind, NoteKind::Problem);
        assert_eq!(again.note.summary, "result 1 19 matches no request");
    }

    #[test]
    fn notifications_have_no_id_and_wait_for_nothing() {
        let mut rpc = JsonRpcClient::new();
        let Called { text, note, .. } = rpc.call("update", "[1,2,3,4,5]", true, 0.0).unwrap();
        assert_eq!(
            text,
            r#"{"jsonrpc":"2.0","method":"update","params":[1,2,3,4,5]}"#
        );
        assert_eq!(
            (note.kind, note.summary.as_str()),
            (NoteKind::Notification, "notification update [1,2,3,4,5]")
        );
        let Called { text, .. } = rpc.call("next", "", false, 0.0).unwrap();
        assert!(
            text.ends_with(r#""id":1}"#),
            "a notification uses no id: {text}"
        );
    }

    #[test]
    fn errors_are_named_from_the_table() {
        let mut rpc = JsonRpcClient::new();
        rpc.sent_raw(r#"{"jsonrpc": "2.0", "method": "foobar", "id": "1"}"#, 10.0)
            .unwrap();
        let reading = rpc.on_text(
            r#"{"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "1"}"#,
            12.0,
        );
        assert_eq!(reading.note.kind, NoteKind::Error);
        assert_eq!(
            reading.note.summary,
            "error \"1\" -32601 Method not found \u{b7} 2.0 ms"
        );
        assert_eq!(
            reading.paired[0].outcome,
            Outcome::Error {
                code: -32601,
                meaning: "Method not found",
                message: "Method not found".into(),
                data: None
            }
        );
        rpc.call("divide", "[1, 0]", false, 0.0).unwrap();
        let reading = rpc.on_text(
            r#"{"jsonrpc":"2.0","error":{"code":-32000,"message":"division by zero","data":{"at":2}},"id":1}"#,
            3.0,
        );
        assert_eq!(
            reading.note.summary,
            "error 1 -32000 Server error (implementation-defined): division by zero \u{b7} 3.0 ms"
        );
        // A parse error has no id to pair with: an error, told as such.
        let parse = rpc.on_text(
            r#"{"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null}"#,
            4.0,
        );
        assert_eq!(
            (parse.note.kind, parse.note.summary.as_str()),
            (NoteKind::Error, "error (no id) -32700 Parse error")
        );
        assert!(parse.paired.is_empty());
    }

    #[test]
    fn error_codes_mean_what_the_specification_says() {
        for (code, meaning) in [
            (-32700, "Parse error"),
            (-32600, "Invalid Request"),
            (-32601, "Method not found"),
            (-32602, "Invalid params"),
            (-32603, "Internal error"),
            (-32000, "Server error (implementation-defined)"),
            (-32099, "Server error (implementation-defined)"),
            (-32100, "Reserved"),
            (-32768, "Reserved"),
            (-31999, "Application error"),
            (-32769, "Application error"),
            (1, "Application error"),
        ] {
            assert_eq!(error_meaning(code), meaning, "{code}");
        }
    }

    #[test]
    fn the_specifications_batch() {
        let mut rpc = JsonRpcClient::new();
        let note = rpc
            .sent_raw(
                r#"[
                {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
                {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
                {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
                {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
                {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
            ]"#,
                0.0,
            )
            .unwrap();
        assert_eq!(note.summary, "batch: 4 calls, 1 notification");
        let reading = rpc.on_text(
            r#"[
                {"jsonrpc": "2.0", "result": 7, "id": "1"},
                {"jsonrpc": "2.0", "result": 19, "id": "2"},
                {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
                {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "5"},
                {"jsonrpc": "2.0", "result": ["hello", 5], "id": "9"}
            ]"#,
            5.0,
        );
        assert_eq!(
            (reading.note.kind, reading.note.summary.as_str()),
            (NoteKind::Error, "batch: 3 results, 2 errors")
        );
        let ids: Vec<(&str, &str)> = reading
            .paired
            .iter()
            .map(|p| (p.id.as_str(), p.method.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                ("\"1\"", "sum"),
                ("\"2\"", "subtract"),
                ("\"5\"", "foo.get"),
                ("\"9\"", "get_data")
            ]
        );
        assert_eq!(reading.paired[0], result("\"1\"", "sum", 5.0, json!(7)));

        let stray = rpc.on_text(
            r#"[{"jsonrpc":"2.0","result":1,"id":7},{"jsonrpc":"2.0","method":"tick"}]"#,
            6.0,
        );
        assert_eq!(stray.note.kind, NoteKind::Problem);
        assert_eq!(
            stray.note.summary,
            "batch: 1 notification, 1 problem (result 7 1 matches no request)"
        );
    }

    #[test]
    fn the_server_may_call_and_notify_too() {
        let mut rpc = JsonRpcClient::new();
        let call = rpc.on_text(
            r#"{"jsonrpc":"2.0","method":"confirm","params":{"q":1},"id":"s1"}"#,
            0.0,
        );
        assert_eq!(
            (call.note.kind, call.note.summary.as_str()),
            (NoteKind::Call, "server call \"s1\" confirm {\"q\":1}")
        );
        let told = rpc.on_text(r#"{"jsonrpc":"2.0","method":"tick"}"#, 0.0);
        assert_eq!(
            (told.note.kind, told.note.summary.as_str()),
            (NoteKind::Notification, "server notification tick")
        );
        assert_eq!(told.note.event.as_deref(), Some("tick"));
    }

    #[test]
    fn what_breaks_the_specification_is_a_problem_with_its_reason() {
        let mut rpc = JsonRpcClient::new();
        rpc.call("a", "", false, 0.0).unwrap();
        for (text, says) in [
            (
                "{",
                "Not a JSON-RPC request. Not valid JSON: EOF while parsing an object (line 1, column 1).",
            ),
            (
                "[]",
                "An empty batch: a JSON-RPC batch holds at least one response",
            ),
            ("5", "Not a JSON-RPC object: 5"),
            (
                r#"{"result":1,"id":1}"#,
                "An invalid response: \"jsonrpc\": \"2.0\" is missing",
            ),
            (
                r#"{"jsonrpc":"1.0","result":1,"id":1}"#,
                "An invalid response: \"jsonrpc\" must be \"2.0\", not \"1.0\"",
            ),
            (
                r#"{"jsonrpc":"2.0","result":1}"#,
                "An invalid response: it has no \"id\"",
            ),
            (
                r#"{"jsonrpc":"2.0","result":1,"error":{},"id":1}"#,
                "An invalid response: it has both \"result\" and \"error\"",
            ),
            (
                r#"{"jsonrpc":"2.0","id":1}"#,
                "An invalid response: it is neither a request (no \"method\") nor a response (no \"result\" or \"error\")",
            ),
            (
                r#"{"jsonrpc":"2.0","error":{"code":"x","message":"m"},"id":1}"#,
                "An invalid response: \"error\" must be an object with an integer \"code\" and a string \"message\"",
            ),
            (
                r#"{"jsonrpc":"2.0","result":1,"id":[1]}"#,
                "An invalid response: \"id\" must be a string, a number or null, not an array",
            ),
            (
                r#"{"jsonrpc":"2.0","method":5}"#,
                "An invalid request from the server: \"method\" must be a string",
            ),
            (
                r#"{"jsonrpc":"2.0","method":"m","params":3}"#,
                "An invalid request from the server: \"params\" must be an array or an object",
            ),
        ] {
            let reading = rpc.on_text(text, 1.0);
            assert_eq!(
                (reading.note.kind, reading.note.summary.as_str()),
                (NoteKind::Problem, says),
                "{text}"
            );
            assert!(reading.paired.is_empty());
        }
        // Nothing above paired with the call: its result still pairs.
        assert_eq!(
            rpc.on_text(r#"{"jsonrpc":"2.0","result":1,"id":1}"#, 2.0)
                .paired
                .len(),
            1
        );
    }

    #[test]
    fn typed_requests_are_checked_and_their_ids_kept_apart() {
        let mut rpc = JsonRpcClient::new();
        let error = |rpc: &mut JsonRpcClient, text: &str| {
            rpc.sent_raw(text, 0.0)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert_eq!(
            error(&mut rpc, "[]"),
            "An empty batch: the specification wants at least one request in the array."
        );
        assert_eq!(
            error(
                &mut rpc,
                r#"[{"jsonrpc":"2.0","method":"a","id":1}, {"foo":"boo"}]"#
            ),
            "Item 2 of the batch is not a JSON-RPC request: \"jsonrpc\": \"2.0\" is missing."
        );
        assert_eq!(
            error(&mut rpc, "\"x\""),
            "Not a JSON-RPC request: a request is an object, not a string."
        );
        assert_eq!(
            error(&mut rpc, r#"{"jsonrpc":"2.0","method":"a","id":{}}"#),
            "Not a JSON-RPC request: \"id\" must be a string, a number or null, not an object."
        );
        assert_eq!(
            error(
                &mut rpc,
                r#"[{"jsonrpc":"2.0","method":"a","id":1}, {"jsonrpc":"2.0","method":"b","id":1}]"#
            ),
            "The id 1 is already waiting for its response; responses could not be told apart. Use another id."
        );
        // Nothing of a refused batch was kept, so id 1 is free.
        let note = rpc
            .sent_raw(r#"{"jsonrpc":"2.0","method":"a","id":1}"#, 0.0)
            .unwrap();
        assert_eq!(note.summary, "call 1 a");
        assert_eq!(
            error(&mut rpc, r#"{"jsonrpc":"2.0","method":"b","id":1}"#),
            CallError::DuplicateId("1".into()).to_string()
        );
        // Numbered calls step over ids typed by hand.
        let Called { text, .. } = rpc.call("c", "", false, 0.0).unwrap();
        assert!(text.ends_with(r#""id":2}"#), "{text}");
    }

    #[test]
    fn calls_refuse_what_the_specification_does() {
        let mut rpc = JsonRpcClient::new();
        let error = |params: &str| {
            rpc.clone()
                .call("m", params, false, 0.0)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert_eq!(
            error("5"),
            "The params must be a JSON array or object (or left empty), but this is a number."
        );
        assert_eq!(
            error("[1,"),
            "The params must be a JSON array or object. Not valid JSON: EOF while parsing a value (line 1, column 3)."
        );
        assert_eq!(
            rpc.call(" ", "", false, 0.0).err(),
            Some(CallError::EmptyMethod)
        );
    }

    proptest! {
        #[test]
        fn any_call_pairs_with_its_response(method in ".{1,10}", params in prop_oneof![Just(String::new()), Just("[1]".to_string()), Just("{\"a\":null}".to_string())], value in any::<i64>()) {
            prop_assume!(!method.trim().is_empty());
            let mut rpc = JsonRpcClient::new();
            let Called { text, .. } = rpc.call(&method, &params, false, 1.0).unwrap();
            let request: Value = serde_json::from_str(&text).unwrap();
            prop_assert!(read_request(&request).is_ok());
            let response = json!({"jsonrpc": "2.0", "result": value, "id": request["id"]});
            let reading = rpc.on_text(&response.to_string(), 2.0);
            prop_assert_eq!(reading.paired, vec![result("1", &method, 1.0, json!(value))]);
        }

        #[test]
        fn any_text_is_read_or_said_to_be_wrong(text in ".{0,60}", now in any::<f64>()) {
            let mut rpc = JsonRpcClient::new();
            let _ = rpc.sent_raw(&text, now);
            let reading = rpc.on_text(&text, now);
            prop_assert!(!reading.note.summary.is_empty());
        }

        #[test]
        fn damaged_responses_are_read_or_said_to_be_wrong(edits in mutate::edits()) {
            let mut rpc = JsonRpcClient::new();
            rpc.call("a", "[1]", false, 0.0).unwrap();
            let mut bytes = br#"[{"jsonrpc":"2.0","result":{"x":[1]},"id":1},{"jsonrpc":"2.0","error":{"code":-32601,"message":"m","data":null},"id":null}]"#.to_vec();
            mutate::apply(&mut bytes, br#"{"jsonrpc":"2.0","method":"n","params":[],"id":"s"}"#, &edits);
            let text = String::from_utf8_lossy(&bytes);
            let _ = rpc.sent_raw(&text, 0.0);
            let reading = rpc.on_text(&text, 1.0);
            prop_assert!(!reading.note.summary.is_empty());
        }
    }
}
