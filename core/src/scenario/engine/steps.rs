//! What each kind of step does: as it starts, and on each event while it runs. Every
//! function returns the step's outcome once it has one, `None` while it waits.

use std::sync::Arc;

use super::{Link, Outcome, Run};
use crate::close_code;
use crate::compose;
use crate::scenario::capture::Take;
use crate::scenario::events::{Action, Captured, Payload};
use crate::scenario::matchers::Message;
use crate::scenario::model::Mode;
use crate::scenario::plan::{Plan, Want};

use super::wanted;

impl Run {
    /// What a step does as it starts; `None` while it waits.
    pub(super) fn enter(&mut self, plan: &Plan, at: f64, out: &mut Vec<Action>) -> Option<Outcome> {
        match plan {
            Plan::Connect { .. } => {
                if matches!(self.link, Link::Dialling | Link::Open | Link::Closing) {
                    return Some(Outcome::Fail(
                        "the connection is already open; add a Close step before connecting again"
                            .into(),
                    ));
                }
                match self
                    .dial_target(at)
                    .and_then(|target| Ok((target, self.new_wire(at)?)))
                {
                    Ok((target, wire)) => {
                        // A new connection starts with nothing unread and nothing awaited.
                        self.queue.clear();
                        self.replies.clear();
                        self.awaiting = None;
                        self.wire = wire;
                        self.link = Link::Dialling;
                        out.push(Action::Dial(target));
                        None
                    }
                    Err(why) => Some(Outcome::Fail(why)),
                }
            }
            Plan::Send { format, text } => Some(match self.not_open("send") {
                Some(why) => Outcome::Fail(why),
                None => match self
                    .substitute(text, at)
                    .and_then(|text| compose::frame(*format, &text).map_err(|e| e.to_string()))
                {
                    Ok(frame) => {
                        self.sent += 1;
                        out.push(Action::Send(frame.into()));
                        Outcome::Pass
                    }
                    Err(why) => Outcome::Fail(why),
                },
            }),
            Plan::Close { code, reason } => Some(match self.not_open("close") {
                Some(why) => Outcome::Fail(why),
                None => match self.substitute(reason, at).and_then(|reason| {
                    close_code::check_user_close(*code, &reason).map(|()| reason)
                }) {
                    Ok(reason) => {
                        self.link = Link::Closing;
                        // The protocol's goodbye first (MQTT's DISCONNECT: no will published).
                        if let Some(bye) = self.wire.closing(at) {
                            out.push(Action::Send(bye.into()));
                        }
                        out.push(Action::Close {
                            code: *code,
                            reason,
                        });
                        Outcome::Pass
                    }
                    Err(why) => Outcome::Fail(why),
                },
            }),
            Plan::Wait { .. } => None,
            Plan::Emit {
                event,
                args,
                namespace,
                ack,
            } => Some(self.emit(event, args, namespace, *ack, at, out)),
            Plan::Call {
                method,
                params,
                notification,
            } => Some(self.call(method, params, *notification, at, out)),
            Plan::ExpectResult { check, .. } => {
                if let Some(why) = self.never_opened() {
                    return Some(Outcome::Fail(why));
                }
                match self.resolve(check, at) {
                    Ok(check) => self.active.check = Some(check),
                    Err(why) => return Some(Outcome::Fail(why)),
                }
                if self.awaiting.is_none() {
                    return Some(Outcome::Fail(
                        "no reply is awaited: the Call or Emit with acknowledgement before this \
                         step did not send, or its reply was read by an earlier Expect result"
                            .into(),
                    ));
                }
                self.read_reply().or_else(|| self.closed_before_reply())
            }
            Plan::Expect { check, .. }
            | Plan::ExpectCount { check, .. }
            | Plan::ExpectNone { check, .. } => {
                if let Some(why) = self.never_opened() {
                    return Some(Outcome::Fail(why));
                }
                match self.resolve(check, at) {
                    Ok(check) => self.active.check = Some(check),
                    Err(why) => return Some(Outcome::Fail(why)),
                }
                if let Plan::Expect { want, .. } = plan {
                    self.active.want = want.clone();
                }
                if let Plan::ExpectNone { .. } = plan {
                    let found = self.queue.iter().position(|p| self.matches(&p.payload));
                    if let Some(found) = found.and_then(|i| self.queue.get(i)).cloned() {
                        self.active.remember(found);
                        return Some(Outcome::Fail("a matching message arrived".into()));
                    }
                    return matches!(self.link, Link::Closed { .. }).then_some(Outcome::Pass);
                }
                self.read(plan).or_else(|| self.closed_before_match())
            }
            Plan::ExpectClose { code, reason, .. } => match &self.link {
                Link::Closed { .. } => Some(self.judge_close(*code, reason.as_ref())),
                Link::Idle | Link::Refused => Some(Outcome::Fail(
                    "the connection never opened, so it cannot close".into(),
                )),
                Link::Dialling | Link::Open | Link::Closing => None,
            },
        }
    }

    pub(super) fn on_timeout(&mut self) -> Option<Outcome> {
        let plans = Arc::clone(&self.plans);
        Some(match plans.get(self.current)? {
            Plan::Connect { timeout_ms, .. } if self.link == Link::Open => Outcome::Fail(format!(
                "the connection opened, but the protocol's handshake (Socket.IO's session and \
                 namespaces) had not finished after {timeout_ms} ms"
            )),
            Plan::Connect { timeout_ms, .. } => Outcome::Fail(format!(
                "the handshake had not finished after {timeout_ms} ms"
            )),
            Plan::Expect {
                mode,
                timeout_ms,
                want,
                ..
            } => {
                let noun = match want {
                    Want::Message => "message",
                    Want::Event(_) => "event",
                };
                Outcome::Fail(match (mode, self.active.skipped) {
                    (Mode::SkipUntil, n) if n > 0 => format!(
                        "none of the {n} messages that arrived within {timeout_ms} ms matched"
                    ),
                    _ => format!("no {noun} arrived within {timeout_ms} ms"),
                })
            }
            Plan::ExpectResult { timeout_ms, .. } => Outcome::Fail(format!(
                "no reply to {} arrived within {timeout_ms} ms",
                self.awaited_words()
            )),
            Plan::ExpectCount {
                count, within_ms, ..
            } => Outcome::Fail(format!(
                "{} of the {count} arrived within {within_ms} ms",
                self.active.matched
            )),
            Plan::ExpectClose { timeout_ms, .. } => Outcome::Fail(format!(
                "the connection was still open after {timeout_ms} ms"
            )),
            Plan::ExpectNone { .. } | Plan::Wait { .. } => Outcome::Pass,
            Plan::Send { .. } | Plan::Close { .. } | Plan::Emit { .. } | Plan::Call { .. } => {
                return None;
            }
        })
    }

    pub(super) fn on_opened(&mut self, subprotocol: &str) -> Option<Outcome> {
        let plans = Arc::clone(&self.plans);
        let Some(Plan::Connect {
            subprotocol: wanted,
            refused,
            ..
        }) = plans.get(self.current)
        else {
            return None;
        };
        let chose = if subprotocol.is_empty() {
            "no subprotocol".to_string()
        } else {
            format!("subprotocol \u{201c}{subprotocol}\u{201d}")
        };
        match wanted {
            _ if *refused => Some(Outcome::Fail(format!(
                "the handshake succeeded: the connection opened with {chose}"
            ))),
            Some(wanted) if wanted != subprotocol => {
                Some(Outcome::Fail(format!("the server chose {chose}")))
            }
            // The protocol's own handshake may still be under way.
            _ => self.handshaken(),
        }
    }

    /// A Connect passes once the protocol's handshake is done too.
    pub(super) fn handshaken(&self) -> Option<Outcome> {
        self.wire.ready().then_some(Outcome::Pass)
    }

    pub(super) fn on_refused(&mut self, status: Option<u16>, detail: &str) -> Option<Outcome> {
        let plans = Arc::clone(&self.plans);
        let Some(Plan::Connect {
            refused,
            status: wanted,
            ..
        }) = plans.get(self.current)
        else {
            return None;
        };
        let detail = if detail.is_empty() {
            String::new()
        } else {
            format!(": {detail}")
        };
        Some(match (refused, wanted, status) {
            (false, _, Some(status)) => Outcome::Fail(format!(
                "the handshake was refused with HTTP {status}{detail}"
            )),
            (false, _, None) => Outcome::Fail(format!("the handshake was refused{detail}")),
            (true, None, _) => Outcome::Pass,
            (true, Some(wanted), Some(status)) if wanted == &status => Outcome::Pass,
            (true, Some(_), Some(status)) => Outcome::Fail(format!(
                "the handshake was refused with HTTP {status}{detail}"
            )),
            (true, Some(_), None) => Outcome::Fail(format!(
                "the handshake was refused{detail}, but this driver cannot see its HTTP status \
                 (a browser does not tell it); run the scenario through the relay or the \
                 command line to check the status"
            )),
        })
    }

    pub(super) fn on_message(&mut self) -> Option<Outcome> {
        let plans = Arc::clone(&self.plans);
        match plans.get(self.current)? {
            plan @ (Plan::Expect { .. } | Plan::ExpectCount { .. }) => self.read(plan),
            Plan::ExpectNone { .. } => {
                let newest = self.queue.back()?;
                if !self.matches(&newest.payload) {
                    return None;
                }
                let newest = newest.clone();
                self.active.remember(newest);
                Some(Outcome::Fail("a matching message arrived".into()))
            }
            _ => None,
        }
    }

    pub(super) fn on_closed(&mut self) -> Option<Outcome> {
        let plans = Arc::clone(&self.plans);
        match plans.get(self.current)? {
            Plan::Expect { .. } | Plan::ExpectCount { .. } => self.closed_before_match(),
            // Nothing more can arrive: what was expected not to has not.
            Plan::ExpectNone { .. } => Some(Outcome::Pass),
            Plan::ExpectClose { code, reason, .. } => {
                Some(self.judge_close(*code, reason.as_ref()))
            }
            Plan::ExpectResult { .. } => self.closed_before_reply(),
            Plan::Connect { .. } => Some(Outcome::Fail(format!(
                "the connection closed ({}) during the protocol's handshake",
                match &self.link {
                    Link::Closed { code, reason } => closed_words(*code, reason),
                    _ => String::new(),
                }
            ))),
            _ => None,
        }
    }

    /// Reads unread messages for an expect step until it passes or fails.
    pub(super) fn read(&mut self, plan: &Plan) -> Option<Outcome> {
        let check = self.active.check.take()?;
        let mut outcome = None;
        while let Some(unread) = self.queue.pop_front() {
            let read = wanted(&self.active.want, &unread).ok();
            let message = read.map(Message::new);
            let matched = message.as_ref().is_some_and(|m| check.test(m).is_ok());
            match plan {
                Plan::Expect { mode, takes, .. } => {
                    if let (true, Some(read)) = (matched, &message) {
                        let failed = self.capture(takes, read).err();
                        drop(message);
                        outcome = Some(match failed {
                            Some(why) => {
                                self.active.remember(unread);
                                Outcome::Fail(why)
                            }
                            None => Outcome::Pass,
                        });
                        break;
                    }
                    drop(message);
                    self.active.remember(unread);
                    if *mode == Mode::Next {
                        outcome = Some(Outcome::Fail("the next message did not match".into()));
                        break;
                    }
                    self.active.skipped += 1;
                }
                Plan::ExpectCount { count, .. } => {
                    drop(message);
                    if matched {
                        self.active.matched += 1;
                        if self.active.matched >= *count {
                            outcome = Some(Outcome::Pass);
                            break;
                        }
                    } else {
                        self.active.skipped += 1;
                        self.active.remember(unread);
                    }
                }
                _ => break,
            }
        }
        self.active.check = Some(check);
        outcome
    }

    /// Takes the step's captures from `message` into variables; Err says which did not read.
    pub(super) fn capture(&mut self, takes: &[Take], message: &Message<'_>) -> Result<(), String> {
        for take in takes {
            let (text, json) = take.take(message)?;
            self.active.captured.push(Captured {
                name: take.name.clone(),
                value: text.clone(),
            });
            self.vars.set(&take.name, text, json);
        }
        Ok(())
    }

    /// An expect step still waiting on a connection that has closed fails saying so.
    pub(super) fn closed_before_match(&self) -> Option<Outcome> {
        match &self.link {
            Link::Closed { code, reason } => Some(Outcome::Fail(format!(
                "the connection closed ({}) before {}",
                closed_words(*code, reason),
                match self.plans.get(self.current) {
                    Some(Plan::ExpectCount { count, .. }) => {
                        format!("{count} messages arrived ({} did)", self.active.matched)
                    }
                    _ => "a matching message arrived".to_string(),
                }
            ))),
            _ => None,
        }
    }

    pub(super) fn judge_close(
        &self,
        code: Option<u16>,
        reason: Option<&regex_lite::Regex>,
    ) -> Outcome {
        let Link::Closed {
            code: got,
            reason: said,
        } = &self.link
        else {
            return Outcome::Fail("the connection is not closed".into());
        };
        let code_ok = code.is_none_or(|c| c == *got);
        let reason_ok = reason.is_none_or(|re| re.is_match(said));
        if code_ok && reason_ok {
            Outcome::Pass
        } else {
            Outcome::Fail(format!(
                "the connection closed with {}",
                closed_words(*got, said)
            ))
        }
    }

    pub(super) fn matches(&self, payload: &Payload) -> bool {
        self.active
            .check
            .as_ref()
            .is_some_and(|c| c.test(&Message::new(payload)).is_ok())
    }

    /// Why a step that needs an open connection cannot `act`, if it cannot.
    pub(super) fn not_open(&self, act: &str) -> Option<String> {
        match &self.link {
            Link::Open => None,
            Link::Idle | Link::Dialling => Some(format!(
                "cannot {act}: not connected (add a Connect step before this one)"
            )),
            Link::Refused => Some(format!("cannot {act}: the handshake was refused")),
            Link::Closing => Some(format!("cannot {act}: the connection is closing")),
            Link::Closed { code, reason } => Some(format!(
                "cannot {act}: the connection closed ({})",
                closed_words(*code, reason)
            )),
        }
    }

    pub(super) fn never_opened(&self) -> Option<String> {
        match self.link {
            Link::Idle | Link::Dialling => {
                Some("not connected (add a Connect step before this one)".into())
            }
            Link::Refused => Some("not connected: the handshake was refused".into()),
            _ => None,
        }
    }
}

pub(super) fn closed_words(code: u16, reason: &str) -> String {
    let name = close_code::describe(code).name;
    if reason.is_empty() {
        format!("code {code}, {name}, no reason")
    } else {
        format!("code {code}, {name}, reason \u{201c}{reason}\u{201d}")
    }
}
