//! GraphQL over WebSocket from the client's side, in both protocols still deployed: the
//! `graphql-transport-ws` protocol (github.com/enisdenjo/graphql-ws, PROTOCOL.md) and the
//! legacy `graphql-ws` one of subscriptions-transport-ws. connection_init goes first, each
//! operation is listed with its id and state, every result is named for the log, pings are
//! answered, and anything that breaks the protocol is said plainly.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::payload::plural;
use crate::protocol::note::{Note, NoteKind, clip, elapsed, json_brief};

/// Operations kept for the list; past this the oldest finished ones are forgotten.
const MAX_OPERATIONS: usize = 500;
/// How much of a server's message a summary quotes.
const QUOTED_CHARS: usize = 160;

/// Which of the two GraphQL-over-WebSocket protocols the connection speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Dialect {
    /// graphql-ws (the library) and most servers since 2021.
    #[default]
    #[serde(rename = "graphql-transport-ws")]
    TransportWs,
    /// subscriptions-transport-ws, Apollo's former protocol.
    #[serde(rename = "graphql-ws")]
    Legacy,
}

impl Dialect {
    pub const ALL: [Dialect; 2] = [Self::TransportWs, Self::Legacy];

    /// The subprotocol that asks for it.
    pub fn subprotocol(self) -> &'static str {
        match self {
            Self::TransportWs => "graphql-transport-ws",
            Self::Legacy => "graphql-ws",
        }
    }

    /// What the chooser shows.
    pub fn label(self) -> &'static str {
        match self {
            Self::TransportWs => "graphql-transport-ws",
            Self::Legacy => "graphql-ws (legacy)",
        }
    }

    pub fn from_label(label: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.label() == label)
    }

    /// The dialect a negotiated subprotocol names; None for any other.
    pub fn negotiated(subprotocol: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|d| d.subprotocol() == subprotocol.trim())
    }
}

/// What a close code of the `graphql-transport-ws` protocol means; None for others.
pub fn close_meaning(code: u16) -> Option<&'static str> {
    Some(match code {
        4400 => {
            "Bad request: the server could not read a message (not JSON, an unknown type, or a \
             subscribe without a query)."
        }
        4401 => {
            "Unauthorized: an operation was sent before the server acknowledged connection_init."
        }
        4403 => {
            "Forbidden: the server refused connection_init, most often over its payload (a \
             missing or wrong token)."
        }
        4406 => {
            "Subprotocol not acceptable: the server speaks graphql-transport-ws and the client \
             asked for another protocol."
        }
        4408 => {
            "Connection initialisation timeout: no connection_init arrived in the time the server \
             allows."
        }
        4409 => "Subscriber already exists: an operation reused the id of one still running.",
        4429 => "Too many initialisation requests: connection_init was sent more than once.",
        4500 => "Internal server error: the server failed while handling a message.",
        4504 => {
            "Connection acknowledgement timeout: the server never acknowledged connection_init."
        }
        _ => return None,
    })
}

/// What kind of operation a document holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    Query,
    Mutation,
    Subscription,
}

impl OperationKind {
    pub fn word(self) -> &'static str {
        match self {
            Self::Query => "query",
            Self::Mutation => "mutation",
            Self::Subscription => "subscription",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum OperationState {
    /// Sent; nothing back yet.
    Waiting,
    /// At least one result came, and more may.
    Receiving,
    /// The server said complete.
    Completed,
    /// The server answered with errors; no more results follow.
    Failed(String),
    /// The person stopped it.
    Stopped,
    /// The connection closed while it ran.
    Cut,
}

impl OperationState {
    pub fn word(&self) -> &'static str {
        match self {
            Self::Waiting => "Waiting",
            Self::Receiving => "Receiving",
            Self::Completed => "Completed",
            Self::Failed(_) => "Failed",
            Self::Stopped => "Stopped",
            Self::Cut => "Ended by the close",
        }
    }

    pub fn is_running(&self) -> bool {
        matches!(self, Self::Waiting | Self::Receiving)
    }
}

/// One operation sent on the connection, as the Subscriptions list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Never reused, unlike an id a person may type again: the list keys its rows by it.
    pub seq: u64,
    pub id: String,
    /// The operation name, or the first field it selects.
    pub name: String,
    pub kind: Option<OperationKind>,
    pub state: OperationState,
    pub results: u64,
    pub sent_ms: f64,
    /// From sending to the first answer.
    pub first_answer_ms: Option<f64>,
}

/// What a received frame asks of the page beyond logging it.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// A frame to write (a pong).
    Send(String),
    /// connection_ack, with its payload if any, and how long it took.
    Acknowledged {
        payload: Option<Value>,
        rtt_ms: Option<f64>,
    },
    /// The legacy protocol's connection_error: the server refused connection_init.
    Refused(String),
    /// The first answer to an operation, for the Latency panel.
    Answered { rtt_ms: f64 },
}

/// What one incoming frame meant.
pub type Reading = crate::protocol::note::Reading<Output>;

/// A frame the client wrote, with what it means for its row.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub text: String,
    pub note: Note,
}

#[derive(Debug, Clone)]
pub struct GraphqlClient {
    dialect: Dialect,
    init_sent_ms: Option<f64>,
    acknowledged: bool,
    next_id: u64,
    next_seq: u64,
    operations: Vec<Operation>,
}

impl GraphqlClient {
    pub fn new(dialect: Dialect) -> Self {
        Self {
            dialect,
            init_sent_ms: None,
            acknowledged: false,
            next_id: 1,
            next_seq: 1,
            operations: Vec::new(),
        }
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    pub fn acknowledged(&self) -> bool {
        self.acknowledged
    }

    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// The connection closed: what still ran ends with it.
    pub fn connection_closed(&mut self) {
        for operation in &mut self.operations {
            if operation.state.is_running() {
                operation.state = OperationState::Cut;
            }
        }
    }

    /// connection_init with `payload` (JSON text, empty for none), the first frame to send.
    pub fn init(&mut self, payload: &str, now_ms: f64) -> Result<Written, String> {
        let mut message = Map::new();
        message.insert("type".into(), "connection_init".into());
        if let Some(value) = json_object(payload, "the connection payload")? {
            message.insert("payload".into(), value);
        }
        self.init_sent_ms = Some(now_ms);
        Ok(Written {
            text: Value::Object(message).to_string(),
            note: Note::new(NoteKind::Connect, "connection_init"),
        })
    }

    /// An operation: `query` as typed, `variables` a JSON object or empty, `operation_name`
    /// empty for none. Refused before the server acknowledged connection_init, since the
    /// server would close the connection over it (4401).
    pub fn subscribe(
        &mut self,
        query: &str,
        variables: &str,
        operation_name: &str,
        now_ms: f64,
    ) -> Result<Written, String> {
        if !self.acknowledged {
            return Err(match self.dialect {
                Dialect::TransportWs => {
                    "the server has not acknowledged connection_init yet; an operation sent now \
                     would close the connection (4401)"
                }
                Dialect::Legacy => "the server has not acknowledged connection_init yet",
            }
            .into());
        }
        if query.trim().is_empty() {
            return Err("type the query, mutation or subscription in Message".into());
        }
        let mut payload = Map::new();
        payload.insert("query".into(), query.into());
        if let Some(value) = json_object(variables, "the variables")? {
            payload.insert("variables".into(), value);
        }
        let operation_name = operation_name.trim();
        if !operation_name.is_empty() {
            payload.insert("operationName".into(), operation_name.into());
        }
        let id = self.fresh_id();
        let kind = match self.dialect {
            Dialect::TransportWs => "subscribe",
            Dialect::Legacy => "start",
        };
        let text = json!({"id": id, "type": kind, "payload": payload}).to_string();
        let operation = self.learn(id, query, operation_name, now_ms);
        Ok(Written {
            text,
            note: sent_operation_note(kind, &operation),
        })
    }

    /// Stops a running operation: complete (or the legacy stop) with its id.
    pub fn stop(&mut self, id: &str) -> Option<Written> {
        let operation = self
            .operations
            .iter_mut()
            .find(|o| o.id == id && o.state.is_running())?;
        operation.state = OperationState::Stopped;
        let kind = match self.dialect {
            Dialect::TransportWs => "complete",
            Dialect::Legacy => "stop",
        };
        Some(Written {
            text: json!({"id": id, "type": kind}).to_string(),
            note: Note::new(
                NoteKind::Disconnect,
                format!("{kind} {id} \u{b7} {}", operation.name),
            )
            .with_event(operation.name.clone()),
        })
    }

    /// A frame written by someone else (typed by hand, or a scenario's step): its note, and
    /// what the client must learn from it (an operation to pair, an init sent).
    pub fn sent_elsewhere(&mut self, text: &str, now_ms: f64) -> Option<Note> {
        let message: Map<String, Value> = serde_json::from_str(text).ok()?;
        let kind = message.get("type")?.as_str()?.to_string();
        let id = message.get("id").and_then(id_text);
        match (kind.as_str(), id) {
            ("connection_init", _) => {
                self.init_sent_ms = Some(now_ms);
                Some(Note::new(NoteKind::Connect, "connection_init"))
            }
            ("subscribe" | "start", Some(id)) => {
                let payload = message.get("payload");
                let query = payload
                    .and_then(|p| p.get("query"))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let name = payload
                    .and_then(|p| p.get("operationName"))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let operation = self.learn(id, query, name, now_ms);
                Some(sent_operation_note(&kind, &operation))
            }
            ("complete" | "stop", Some(id)) => {
                if let Some(o) = self
                    .operations
                    .iter_mut()
                    .find(|o| o.id == id && o.state.is_running())
                {
                    o.state = OperationState::Stopped;
                }
                Some(Note::new(NoteKind::Disconnect, format!("{kind} {id}")))
            }
            ("ping" | "pong", _) => Some(Note::new(NoteKind::Heartbeat, kind)),
            ("connection_terminate", _) => Some(Note::new(NoteKind::Disconnect, kind)),
            _ => None,
        }
    }

    /// A text frame from the server.
    pub fn on_text(&mut self, text: &str, now_ms: f64) -> Reading {
        let message: Map<String, Value> = match serde_json::from_str(text) {
            Ok(Value::Object(message)) => message,
            Ok(other) => {
                return Reading::note(Note::problem(format!(
                    "Not a GraphQL message: {} instead of an object",
                    crate::scenario::diff::type_name(&other)
                )));
            }
            Err(e) => {
                return Reading::note(Note::problem(format!(
                    "Not a GraphQL message: not JSON ({e})"
                )));
            }
        };
        let Some(kind) = message.get("type").and_then(Value::as_str) else {
            return Reading::note(Note::problem("Not a GraphQL message: no \"type\""));
        };
        let payload = message.get("payload");
        let id = message.get("id").and_then(id_text);
        match (self.dialect, kind) {
            (_, "connection_ack") => self.on_ack(payload, now_ms),
            (Dialect::TransportWs, "ping") => {
                let mut pong = Map::new();
                pong.insert("type".into(), "pong".into());
                if let Some(payload) = payload {
                    pong.insert("payload".into(), payload.clone());
                }
                Reading {
                    note: Note::new(NoteKind::Heartbeat, "ping"),
                    outputs: vec![Output::Send(Value::Object(pong).to_string())],
                }
            }
            (Dialect::TransportWs, "pong") | (Dialect::Legacy, "ka") => {
                Reading::note(Note::new(NoteKind::Heartbeat, kind))
            }
            (Dialect::Legacy, "connection_error") => {
                let why = payload
                    .map(error_text)
                    .unwrap_or_else(|| "no reason given".into());
                Reading {
                    note: Note::new(
                        NoteKind::ConnectError,
                        format!("connection_error \u{b7} {why}"),
                    ),
                    outputs: vec![Output::Refused(why)],
                }
            }
            (Dialect::TransportWs, "next") | (Dialect::Legacy, "data") => {
                self.on_result(kind, id, payload, now_ms)
            }
            (_, "error") => self.on_error(id, payload, now_ms),
            (_, "complete") => self.on_complete(id, now_ms),
            (dialect, other) => Reading::note(Note::problem(format!(
                "Not a message of {}: type \"{}\"",
                dialect.subprotocol(),
                clip(other, QUOTED_CHARS)
            ))),
        }
    }

    fn on_ack(&mut self, payload: Option<&Value>, now_ms: f64) -> Reading {
        let rtt_ms = self.init_sent_ms.map(|sent| elapsed(sent, now_ms));
        self.acknowledged = true;
        let payload = payload.filter(|p| !p.is_null()).cloned();
        let mut note = Note::new(
            NoteKind::Connect,
            match &payload {
                Some(p) => format!("connection_ack {}", json_brief(p)),
                None => "connection_ack".into(),
            },
        );
        if let Some(rtt) = rtt_ms {
            note = note.with_rtt(rtt);
        }
        Reading {
            note,
            outputs: vec![Output::Acknowledged { payload, rtt_ms }],
        }
    }

    fn on_result(
        &mut self,
        kind: &str,
        id: Option<String>,
        payload: Option<&Value>,
        now_ms: f64,
    ) -> Reading {
        let operation = match self.operation_for(kind, id, "") {
            Ok(operation) => operation,
            Err(problem) => return problem,
        };
        operation.results += 1;
        if operation.state == OperationState::Waiting {
            operation.state = OperationState::Receiving;
        }
        let errors = payload
            .and_then(|p| p.get("errors"))
            .and_then(Value::as_array)
            .filter(|e| !e.is_empty());
        let data = payload.and_then(|p| p.get("data"));
        let shown = match (data, errors) {
            (_, Some(errors)) => format!(
                "{} \u{b7} {}",
                plural(errors.len(), "error"),
                errors_text(errors)
            ),
            (Some(data), None) => json_brief(data),
            (None, None) => payload.map(json_brief).unwrap_or_default(),
        };
        let note = Note::new(
            if errors.is_some() {
                NoteKind::Error
            } else {
                NoteKind::Result
            },
            format!(
                "{kind} {} \u{b7} {} #{} \u{b7} {shown}",
                operation.id, operation.name, operation.results
            ),
        )
        .with_event(operation.name.clone());
        timed(operation, note, now_ms)
    }

    fn on_error(&mut self, id: Option<String>, payload: Option<&Value>, now_ms: f64) -> Reading {
        let why = payload
            .map(error_text)
            .unwrap_or_else(|| "no errors given".into());
        let operation = match self.operation_for("error", id, &format!(" \u{b7} {why}")) {
            Ok(operation) => operation,
            Err(problem) => return problem,
        };
        operation.state = OperationState::Failed(why.clone());
        let note = Note::new(
            NoteKind::Error,
            format!(
                "error {} \u{b7} {} \u{b7} {why}",
                operation.id, operation.name
            ),
        )
        .with_event(operation.name.clone());
        timed(operation, note, now_ms)
    }

    fn on_complete(&mut self, id: Option<String>, now_ms: f64) -> Reading {
        let operation = match self.operation_for("complete", id, "") {
            Ok(operation) => operation,
            Err(problem) => return problem,
        };
        if operation.state.is_running() {
            operation.state = OperationState::Completed;
        }
        let note = Note::new(
            NoteKind::Disconnect,
            format!(
                "complete {} \u{b7} {} after {}",
                operation.id,
                operation.name,
                plural(operation.results as usize, "result")
            ),
        )
        .with_event(operation.name.clone());
        timed(operation, note, now_ms)
    }

    /// The running operation a `kind` message from the server names, or the note to log
    /// instead: no id, one this page never sent, one stopped (a race), one already ended (a
    /// fault). `more` is added to the note.
    fn operation_for(
        &mut self,
        kind: &str,
        id: Option<String>,
        more: &str,
    ) -> Result<&mut Operation, Reading> {
        let Some(id) = id else {
            return Err(Reading::note(Note::problem(format!(
                "{kind} without an id{more}"
            ))));
        };
        let Some(operation) = self.operations.iter_mut().find(|o| o.id == id) else {
            return Err(Reading::note(Note::problem(format!(
                "{kind} for {}, an operation this page did not send{more}",
                clip(&id, QUOTED_CHARS)
            ))));
        };
        match &operation.state {
            OperationState::Waiting | OperationState::Receiving => Ok(operation),
            // The server had sent it before the stop reached it: a race, not a fault.
            OperationState::Stopped => Err(Reading::note(Note::new(
                NoteKind::Disconnect,
                format!(
                    "{kind} {} \u{b7} {}, after you stopped it{more}",
                    operation.id, operation.name
                ),
            ))),
            ended => Err(Reading::note(Note::problem(format!(
                "{kind} for {} ({}), which had already ended ({}){more}",
                operation.id,
                operation.name,
                ended.word().to_lowercase()
            )))),
        }
    }

    /// The next id no operation holds: a hand-typed one may have taken a number.
    fn fresh_id(&mut self) -> String {
        loop {
            let id = self.next_id.to_string();
            self.next_id += 1;
            if !self.operations.iter().any(|o| o.id == id) {
                return id;
            }
        }
    }

    fn learn(&mut self, id: String, query: &str, name: &str, now_ms: f64) -> Operation {
        let (kind, first_field) = read_document(query);
        let name = if name.is_empty() {
            first_field.unwrap_or_else(|| "anonymous".into())
        } else {
            name.to_string()
        };
        let seq = self.next_seq;
        self.next_seq += 1;
        let operation = Operation {
            seq,
            id,
            name,
            kind,
            state: OperationState::Waiting,
            results: 0,
            sent_ms: now_ms,
            first_answer_ms: None,
        };
        // An id reused by hand starts a new operation under it.
        self.operations.retain(|o| o.id != operation.id);
        self.operations.push(operation.clone());
        if self.operations.len() > MAX_OPERATIONS {
            let oldest_finished = self.operations.iter().position(|o| !o.state.is_running());
            self.operations.remove(oldest_finished.unwrap_or(0));
        }
        operation
    }
}

/// `text` as a JSON object, None when empty; Err says, about `what`, why it is not one.
fn json_object(text: &str, what: &str) -> Result<Option<Value>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    match serde_json::from_str(text) {
        Ok(value @ Value::Object(_)) => Ok(Some(value)),
        Ok(other) => Err(format!(
            "{what} must be a JSON object, not {}",
            crate::scenario::diff::type_name(&other)
        )),
        Err(e) => Err(format!("{what} is not JSON: {e}")),
    }
}

/// The reading of an answer to `operation`: the first is timed, for the Latency panel.
fn timed(operation: &mut Operation, note: Note, now_ms: f64) -> Reading {
    if operation.first_answer_ms.is_some() {
        return Reading::note(note);
    }
    let rtt = elapsed(operation.sent_ms, now_ms);
    operation.first_answer_ms = Some(rtt);
    Reading {
        note: note.with_rtt(rtt),
        outputs: vec![Output::Answered { rtt_ms: rtt }],
    }
}

fn sent_operation_note(kind: &str, operation: &Operation) -> Note {
    let what = operation
        .kind
        .map(OperationKind::word)
        .unwrap_or("operation");
    Note::new(
        NoteKind::Call,
        format!("{kind} {} \u{b7} {what} {}", operation.id, operation.name),
    )
    .with_event(operation.name.clone())
}

/// An id as the protocol writes it: a string (legacy servers may echo a number).
fn id_text(id: &Value) -> Option<String> {
    match id {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The messages of GraphQL errors, or the payload as JSON when it holds none.
fn error_text(payload: &Value) -> String {
    match payload {
        Value::Array(errors) => errors_text(errors),
        Value::Object(o) => match o.get("message").and_then(Value::as_str) {
            Some(message) => clip(message, QUOTED_CHARS),
            None => json_brief(payload),
        },
        Value::String(s) => clip(s, QUOTED_CHARS),
        other => json_brief(other),
    }
}

fn errors_text(errors: &[Value]) -> String {
    let messages: Vec<String> = errors
        .iter()
        .map(|e| match e.get("message").and_then(Value::as_str) {
            Some(m) => m.to_string(),
            None => e.to_string(),
        })
        .collect();
    clip(&messages.join("; "), QUOTED_CHARS)
}

/// The kind of the document's first operation and the name it goes by (its own name, or
/// else its first field), read lexically: enough to label a row, not to validate.
pub fn read_document(query: &str) -> (Option<OperationKind>, Option<String>) {
    let mut words = Tokens::new(query);
    let mut kind = None;
    while let Some(token) = words.next() {
        match token {
            Token::Word(w) if kind.is_none() && w == "fragment" => skip_block(&mut words),
            Token::Word(w) if kind.is_none() => {
                kind = match w {
                    "query" => Some(OperationKind::Query),
                    "mutation" => Some(OperationKind::Mutation),
                    "subscription" => Some(OperationKind::Subscription),
                    _ => return (None, None),
                };
                if let Some(Token::Word(name)) = words.peek() {
                    return (kind, Some(name.to_string()));
                }
            }
            Token::Open => {
                let kind = kind.or(Some(OperationKind::Query));
                let field = words.find_map(|t| match t {
                    Token::Word(w) => Some(w.to_string()),
                    _ => None,
                });
                return (kind, field);
            }
            // Variable definitions and directives come before the selection set.
            _ => {}
        }
    }
    (kind, None)
}

/// Skips a fragment definition: up to the end of its selection set.
fn skip_block(words: &mut Tokens<'_>) {
    let mut depth = 0usize;
    for token in words.by_ref() {
        match token {
            Token::Open => depth += 1,
            Token::Close if depth <= 1 => return,
            Token::Close => depth -= 1,
            _ => {}
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token<'a> {
    Word(&'a str),
    Open,
    Close,
    Other,
}

/// GraphQL's lexical tokens, coarsely: names, braces, and the rest as single characters;
/// comments and strings are skipped.
struct Tokens<'a> {
    rest: &'a str,
    peeked: Option<Option<Token<'a>>>,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            rest: text,
            peeked: None,
        }
    }

    fn peek(&mut self) -> Option<Token<'a>> {
        if self.peeked.is_none() {
            self.peeked = Some(self.read());
        }
        self.peeked.flatten()
    }

    fn read(&mut self) -> Option<Token<'a>> {
        loop {
            let trimmed = self
                .rest
                .trim_start_matches(|c: char| c.is_whitespace() || c == ',' || c == '\u{feff}');
            let mut chars = trimmed.chars();
            let first = chars.next()?;
            if first == '#' {
                self.rest = trimmed.split_once('\n').map_or("", |(_, after)| after);
                continue;
            }
            if first == '"' {
                self.rest = skip_string(trimmed);
                return Some(Token::Other);
            }
            if first.is_ascii_alphabetic() || first == '_' {
                let end = trimmed
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(trimmed.len());
                let (word, rest) = trimmed.split_at(end);
                self.rest = rest;
                return Some(Token::Word(word));
            }
            self.rest = chars.as_str();
            return Some(match first {
                '{' => Token::Open,
                '}' => Token::Close,
                _ => Token::Other,
            });
        }
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        match self.peeked.take() {
            Some(peeked) => peeked,
            None => self.read(),
        }
    }
}

/// The text after a string that starts `text` (block strings included), or "" when unclosed.
fn skip_string(text: &str) -> &str {
    if let Some(block) = text.strip_prefix("\"\"\"") {
        return block.split_once("\"\"\"").map_or("", |(_, after)| after);
    }
    let mut escaped = false;
    for (at, c) in text.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return text.get(at + 1..).unwrap_or(""),
            _ => escaped = false,
        }
    }
    ""
}

#[cfg(test)]
mod tests;
