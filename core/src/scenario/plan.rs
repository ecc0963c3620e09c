//! A scenario checked and compiled for a run: every regular expression, hex string and
//! constant message made ready once, and every variable known before the first step.

use std::fmt;

use regex_lite::Regex;

use super::capture::Take;
use super::matchers::{self, Check};
use super::model::{Matcher, Mode, Scenario, StepKind};
use super::vars;
use crate::compose::{self, Format};
use crate::protocol::settings::Protocol;
use crate::request::Request;
use crate::variables::{self, Variable};

/// Why a scenario cannot run, naming the step (from 1, with its title) where there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    /// The step's index, from 0.
    pub step: Option<usize>,
    pub title: String,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.step {
            Some(i) => write!(f, "Step {} ({}): {}", i + 1, self.title, self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

impl std::error::Error for ScenarioError {}

/// What an expect step reads: any message, or only the protocol's events (by name; any
/// when empty), matched on their arguments.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum Want {
    #[default]
    Message,
    Event(String),
}

#[derive(Debug, Clone)]
pub(crate) enum Plan {
    Connect {
        timeout_ms: u64,
        subprotocol: Option<String>,
        refused: bool,
        status: Option<u16>,
    },
    Send {
        format: Format,
        text: String,
    },
    Expect {
        check: Check,
        mode: Mode,
        timeout_ms: u64,
        takes: Vec<Take>,
        want: Want,
    },
    Emit {
        event: String,
        args: String,
        namespace: String,
        ack: bool,
    },
    Call {
        method: String,
        params: String,
        notification: bool,
    },
    ExpectResult {
        check: Check,
        error: bool,
        timeout_ms: u64,
        takes: Vec<Take>,
    },
    ExpectNone {
        check: Check,
        for_ms: u64,
    },
    ExpectCount {
        check: Check,
        count: u64,
        within_ms: u64,
    },
    Wait {
        ms: u64,
    },
    Close {
        code: u16,
        reason: String,
    },
    ExpectClose {
        code: Option<u16>,
        reason: Option<Regex>,
        timeout_ms: u64,
    },
}

impl Plan {
    /// How long the step may wait for the driver; every step that waits has one.
    pub fn timeout_ms(&self) -> Option<u64> {
        match self {
            Self::Connect { timeout_ms, .. }
            | Self::Expect { timeout_ms, .. }
            | Self::ExpectResult { timeout_ms, .. }
            | Self::ExpectClose { timeout_ms, .. } => Some(*timeout_ms),
            Self::ExpectNone { for_ms, .. } => Some(*for_ms),
            Self::ExpectCount { within_ms, .. } => Some(*within_ms),
            Self::Wait { ms } => Some(*ms),
            Self::Send { .. } | Self::Close { .. } | Self::Emit { .. } | Self::Call { .. } => None,
        }
    }
}

/// Compiles every step of `scenario`, run against `request` with `environment`.
pub(crate) fn compile(
    scenario: &Scenario,
    request: &Request,
    environment: &[Variable],
) -> Result<Vec<Plan>, ScenarioError> {
    // Names known so far: the environment's, then each capture as its step is passed.
    let mut known: Vec<Variable> = environment.to_vec();
    let mut plans = Vec::with_capacity(scenario.steps.len());
    // Whether a Call or an Emit with ack came before, for an Expect result to read.
    let mut asked = false;
    for (index, step) in scenario.steps.iter().enumerate() {
        let error = |message: String| ScenarioError {
            step: Some(index),
            title: step.kind.title(),
            message,
        };
        check_protocol(&step.kind, request.protocol.protocol, asked).map_err(error)?;
        let plan = compile_step(&step.kind, request, &known).map_err(error)?;
        match &plan {
            Plan::Expect { takes, .. } | Plan::ExpectResult { takes, .. } => {
                known.extend(takes.iter().map(|t| Variable {
                    name: t.name.clone(),
                    value: String::new(),
                    secret: false,
                }));
            }
            Plan::Emit { ack, .. } => asked |= *ack,
            Plan::Call { notification, .. } => asked |= !*notification,
            _ => {}
        }
        plans.push(plan);
    }
    Ok(plans)
}

/// Steps that speak a protocol need the request to speak it.
fn check_protocol(kind: &StepKind, protocol: Protocol, asked: bool) -> Result<(), String> {
    let needs = |wanted: &[Protocol], step: &str| {
        if wanted.contains(&protocol) {
            Ok(())
        } else {
            let names: Vec<&str> = wanted.iter().map(|p| p.label()).collect();
            Err(format!(
                "{step} speaks {}, but this request's Protocol is {protocol}; choose {} \
                 beside Subprotocols",
                names.join(" or "),
                names.join(" or ")
            ))
        }
    };
    match kind {
        StepKind::Emit { .. } => needs(&[Protocol::SocketIo], "Emit"),
        StepKind::Call { .. } => needs(&[Protocol::JsonRpc], "Call"),
        StepKind::ExpectEvent { .. } => {
            needs(&[Protocol::SocketIo, Protocol::JsonRpc], "Expect event")
        }
        StepKind::ExpectResult { error, .. } => {
            needs(&[Protocol::SocketIo, Protocol::JsonRpc], "Expect result")?;
            if *error && protocol == Protocol::SocketIo {
                return Err(
                    "a Socket.IO acknowledgement has no error: expect its result instead".into(),
                );
            }
            if asked {
                Ok(())
            } else {
                Err(
                    "no Call or Emit with acknowledgement comes before it, so no reply is \
                     awaited"
                        .into(),
                )
            }
        }
        _ => Ok(()),
    }
}

fn compile_step(kind: &StepKind, request: &Request, known: &[Variable]) -> Result<Plan, String> {
    let known_text = |text: &str| vars::check(text, known).map_err(|e| e.to_string());
    Ok(match kind {
        StepKind::Connect {
            timeout_ms,
            subprotocol,
            refused,
            status,
        } => {
            if *refused && subprotocol.is_some() {
                return Err(
                    "a handshake expected to be refused has no subprotocol to check".into(),
                );
            }
            if status.is_some() && !*refused {
                return Err(
                    "an HTTP status is checked only on a refused handshake (set refused)".into(),
                );
            }
            for text in request_texts(request) {
                known_text(text)?;
            }
            Plan::Connect {
                timeout_ms: *timeout_ms,
                subprotocol: subprotocol.as_ref().map(|s| s.trim().to_string()),
                refused: *refused,
                status: *status,
            }
        }
        StepKind::Send { format, text } => {
            known_text(text)?;
            // Checked now unless variables may change it; then as it is sent.
            if !variables::has_variables(text) {
                compose::frame(*format, text).map_err(|e| e.to_string())?;
            }
            Plan::Send {
                format: *format,
                text: text.clone(),
            }
        }
        StepKind::ExpectMessage {
            matcher,
            mode,
            timeout_ms,
            capture,
        } => expect(matcher, *mode, *timeout_ms, capture, Want::Message, known)?,
        StepKind::ExpectEvent {
            event,
            matcher,
            mode,
            timeout_ms,
            capture,
        } => {
            let want = Want::Event(event.trim().to_string());
            expect(matcher, *mode, *timeout_ms, capture, want, known)?
        }
        StepKind::ExpectResult {
            matcher,
            error,
            timeout_ms,
            capture,
        } => Plan::ExpectResult {
            check: Check::compile(matcher, known)?,
            error: *error,
            timeout_ms: *timeout_ms,
            takes: takes(capture)?,
        },
        StepKind::Emit {
            event,
            args,
            namespace,
            ack,
        } => {
            known_text(args)?;
            crate::protocol::socket_io_input::check_event(event).map_err(|e| e.to_string())?;
            Plan::Emit {
                event: event.clone(),
                args: args.clone(),
                namespace: namespace.trim().to_string(),
                ack: *ack,
            }
        }
        StepKind::Call {
            method,
            params,
            notification,
        } => {
            known_text(params)?;
            if method.trim().is_empty() {
                return Err("the method name is empty; type the method to call".into());
            }
            Plan::Call {
                method: method.clone(),
                params: params.clone(),
                notification: *notification,
            }
        }
        StepKind::ExpectNoMessage { matcher, for_ms } => Plan::ExpectNone {
            check: Check::compile(matcher, known)?,
            for_ms: *for_ms,
        },
        StepKind::ExpectMessages {
            count,
            matcher,
            within_ms,
        } => {
            if *count == 0 {
                return Err("expecting 0 messages: use an Expect no message step for that".into());
            }
            Plan::ExpectCount {
                check: Check::compile(matcher, known)?,
                count: *count,
                within_ms: *within_ms,
            }
        }
        StepKind::Wait { ms } => Plan::Wait { ms: *ms },
        StepKind::Close { code, reason } => {
            known_text(reason)?;
            // The same codes in every driver, so a scenario has one verdict everywhere.
            let reason_now = if variables::has_variables(reason) {
                ""
            } else {
                reason
            };
            crate::close_code::check_user_close(*code, reason_now)?;
            Plan::Close {
                code: *code,
                reason: reason.clone(),
            }
        }
        StepKind::ExpectClose {
            code,
            reason,
            timeout_ms,
        } => Plan::ExpectClose {
            code: *code,
            reason: reason.as_deref().map(matchers::regex).transpose()?,
            timeout_ms: *timeout_ms,
        },
    })
}

fn expect(
    matcher: &Matcher,
    mode: Mode,
    timeout_ms: u64,
    capture: &[super::model::Capture],
    want: Want,
    known: &[Variable],
) -> Result<Plan, String> {
    Ok(Plan::Expect {
        check: Check::compile(matcher, known)?,
        mode,
        timeout_ms,
        takes: takes(capture)?,
        want,
    })
}

fn takes(capture: &[super::model::Capture]) -> Result<Vec<Take>, String> {
    capture.iter().map(Take::compile).collect()
}

/// The parts of a request that take variables when it is dialled.
pub(crate) fn request_texts(request: &Request) -> impl Iterator<Item = &str> {
    [
        request.url.as_str(),
        request.subprotocols.as_str(),
        request.cookies.as_str(),
        request.protocol.socket_io.auth.as_str(),
        request.protocol.graphql.init_payload.as_str(),
        request.protocol.mqtt.connect.client_id.as_str(),
        request.protocol.mqtt.connect.username.as_str(),
        request.protocol.mqtt.connect.password.as_str(),
        request.protocol.stomp.connect.login.as_str(),
        request.protocol.stomp.connect.passcode.as_str(),
        request.protocol.stomp.connect.host.as_str(),
    ]
    .into_iter()
    .chain(
        request
            .headers
            .iter()
            .filter(|h| h.enabled)
            .flat_map(|h| [h.name.as_str(), h.value.as_str()]),
    )
}

/// What a step expects, in words that follow "expected", for its failure.
pub(crate) fn expectation(kind: &StepKind) -> String {
    let matching = |m: &Matcher| match m {
        Matcher::Any => String::new(),
        m => format!(" matching: {}", m.describe()),
    };
    match kind {
        StepKind::Connect {
            refused: true,
            status,
            ..
        } => match status {
            Some(status) => format!("the handshake to be refused with HTTP {status}"),
            None => "the handshake to be refused".into(),
        },
        StepKind::Connect {
            timeout_ms,
            subprotocol,
            ..
        } => match subprotocol.as_deref() {
            Some("") => {
                format!("the connection to open within {timeout_ms} ms with no subprotocol")
            }
            Some(p) => format!(
                "the connection to open within {timeout_ms} ms with subprotocol \u{201c}{p}\u{201d}"
            ),
            None => format!("the connection to open within {timeout_ms} ms"),
        },
        StepKind::Send { .. } => "to send the message".into(),
        StepKind::ExpectMessage {
            matcher,
            mode: Mode::Next,
            timeout_ms,
            ..
        } => format!(
            "the next message within {timeout_ms} ms{}",
            matching(matcher)
        ),
        StepKind::ExpectMessage {
            matcher,
            timeout_ms,
            ..
        } => format!("a message within {timeout_ms} ms{}", matching(matcher)),
        StepKind::ExpectNoMessage { matcher, for_ms } => {
            format!("no message{} for {for_ms} ms", matching(matcher))
        }
        StepKind::ExpectMessages {
            count,
            matcher,
            within_ms,
        } => format!(
            "{count} messages{} within {within_ms} ms",
            matching(matcher)
        ),
        StepKind::Wait { ms } => format!("to wait {ms} ms"),
        StepKind::Emit { event, .. } => format!("to emit \u{201c}{event}\u{201d}"),
        StepKind::Call { method, .. } => format!("to call \u{201c}{method}\u{201d}"),
        StepKind::ExpectEvent {
            event,
            matcher,
            mode,
            timeout_ms,
            ..
        } => {
            let which = if event.trim().is_empty() {
                "event".to_string()
            } else {
                format!("event \u{201c}{}\u{201d}", event.trim())
            };
            let next = if *mode == Mode::Next {
                "the next "
            } else {
                "an "
            };
            format!(
                "{next}{which} within {timeout_ms} ms{}",
                matching(matcher).replace("matching:", "with arguments matching:")
            )
        }
        StepKind::ExpectResult {
            matcher,
            error,
            timeout_ms,
            ..
        } => {
            let what = if *error { "an error" } else { "a result" };
            format!("{what} within {timeout_ms} ms{}", matching(matcher))
        }
        StepKind::Close { code, .. } => format!("to close the connection with {code}"),
        StepKind::ExpectClose {
            code,
            reason,
            timeout_ms,
        } => {
            let mut text = "the connection to close".to_string();
            if let Some(code) = code {
                text.push_str(&format!(" with code {code}"));
            }
            if let Some(pattern) = reason {
                text.push_str(&format!(", reason matching /{pattern}/"));
            }
            format!("{text} within {timeout_ms} ms")
        }
    }
}
