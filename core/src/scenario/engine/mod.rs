//! The run: a deterministic state machine between a scenario and a driver (the page's
//! WebSocket, the relay, the command line). The driver reports events with their times and
//! carries out the actions it gets back; the run has no clock, no I/O and no randomness of
//! its own (`{{$uuid}}` draws from a seeded generator), so a recorded trace of events gives
//! the same actions and the same verdict in every driver.

use std::collections::VecDeque;
use std::sync::Arc;

use super::events::{
    Action, Captured, DialTarget, Event, Failure, Near, Payload, RECENT, StepState, TimerId,
    Verdict,
};
use super::matchers::{Check, Message};
use super::model::Scenario;
use super::plan::{self, Plan, ScenarioError, Want};
use super::report::{Report, StepReport};
use super::vars::Vars;
use crate::request::Request;
use crate::variables::{Builtins, Variable};

mod replies;
mod steps;
pub(super) mod wire;

use wire::{Reply, Unread, Wire};

/// The reason the run gives when it closes a connection it leaves behind.
pub const FINISHED_REASON: &str = "scenario finished";

/// Messages that may wait unread (a Wait or a Send running while a stream arrives); past
/// this the run fails rather than grow without bound, as the page's log is bounded too.
pub const MAX_UNREAD: usize = 50_000;

#[derive(Debug, Clone)]
pub struct Run {
    name: String,
    plans: Arc<[Plan]>,
    titles: Vec<String>,
    expected: Vec<String>,
    ids: Vec<u64>,
    states: Vec<StepState>,
    /// The step running or next to run; `plans.len()` once all have run.
    current: usize,
    phase: Phase,
    started_ms: f64,
    ended_ms: f64,
    step_started_ms: f64,
    link: Link,
    /// Messages received and not yet read by an expect step (see the module `scenario`).
    queue: VecDeque<Unread>,
    /// The protocol spoken on the connection (made afresh by each Connect).
    wire: Wire,
    /// Replies received and not yet read by an Expect result step, by their key.
    replies: VecDeque<(String, Reply)>,
    /// The reply the next Expect result reads: its key, and the request in words.
    awaiting: Option<(String, String)>,
    /// The protocol's heartbeat timer, and when it is due.
    tick: Option<(TimerId, f64)>,
    /// The one timer the running step waits on.
    timer: Option<TimerId>,
    timers_made: u64,
    vars: Vars,
    request: Request,
    random_state: u64,
    sent: u64,
    active: Active,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Ready,
    Running,
    Finished(Verdict),
}

#[derive(Debug, Clone, PartialEq)]
enum Link {
    Idle,
    Dialling,
    Open,
    /// Asked to close; messages may still arrive.
    Closing,
    Closed {
        code: u16,
        reason: String,
    },
    Refused,
}

/// What the running step has gathered.
#[derive(Debug, Clone, Default)]
struct Active {
    /// The step's matcher with variables replaced.
    check: Option<Check>,
    /// What the step reads: messages, or the protocol's events.
    want: Want,
    skipped: usize,
    matched: u64,
    recent: VecDeque<Unread>,
    captured: Vec<Captured>,
}

impl Active {
    fn remember(&mut self, unread: Unread) {
        if self.recent.len() == RECENT {
            self.recent.pop_front();
        }
        self.recent.push_back(unread);
    }
}

enum Outcome {
    Pass,
    Fail(String),
}

impl Run {
    /// Compiles the scenario for a run of `request` with the environment's `variables`; a
    /// step that cannot run (a bad pattern, bad hex, an unknown variable) is named here.
    pub fn new(
        scenario: &Scenario,
        request: &Request,
        variables: &[Variable],
    ) -> Result<Self, ScenarioError> {
        let plans = plan::compile(scenario, request, variables)?;
        let steps = &scenario.steps;
        Ok(Self {
            name: scenario.name.clone(),
            plans: plans.into(),
            titles: steps.iter().map(|s| s.kind.title()).collect(),
            expected: steps.iter().map(|s| plan::expectation(&s.kind)).collect(),
            ids: steps.iter().map(|s| s.id).collect(),
            states: vec![StepState::Pending; steps.len()],
            current: 0,
            phase: Phase::Ready,
            started_ms: 0.0,
            ended_ms: 0.0,
            step_started_ms: 0.0,
            link: Link::Idle,
            queue: VecDeque::new(),
            wire: Wire::Raw,
            replies: VecDeque::new(),
            awaiting: None,
            tick: None,
            timer: None,
            timers_made: 0,
            vars: Vars::new(variables),
            request: request.clone(),
            random_state: seeded(0),
            sent: 0,
            active: Active::default(),
        })
    }

    /// Seeds `{{$uuid}}` and `{{$randomInt}}`; the driver passes real randomness, a test a
    /// constant.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.random_state = seeded(seed);
        self
    }

    /// Starts the first step. `at_ms` here and in `handle`: milliseconds since the Unix
    /// epoch (only `{{$timestamp}}` reads them as dates; durations are differences).
    pub fn start(&mut self, at_ms: f64) -> Vec<Action> {
        let mut out = Vec::new();
        if self.phase == Phase::Ready {
            self.phase = Phase::Running;
            self.started_ms = at_ms;
            self.advance(at_ms, &mut out);
        }
        out
    }

    /// Takes one event; before `start` and after the run finished, events are ignored.
    pub fn handle(&mut self, event: Event, at_ms: f64) -> Vec<Action> {
        let mut out = Vec::new();
        if self.phase != Phase::Running {
            return out;
        }
        let outcome = match event {
            Event::TimerFired(id) if self.timer == Some(id) => {
                self.timer = None;
                self.on_timeout()
            }
            Event::TimerFired(id) if self.tick.is_some_and(|(tick, _)| tick == id) => {
                self.tick = None;
                if self.link == Link::Open {
                    for frame in self.wire.tick(at_ms) {
                        out.push(Action::Send(frame.into()));
                    }
                }
                None
            }
            Event::TimerFired(_) => None,
            Event::Opened { subprotocol } if self.link == Link::Dialling => {
                self.link = Link::Open;
                match self.wire.opened(&subprotocol, at_ms) {
                    Ok(frames) => {
                        out.extend(frames.into_iter().map(|f| Action::Send(f.into())));
                        self.on_opened(&subprotocol)
                    }
                    Err(why) => Some(Outcome::Fail(why)),
                }
            }
            Event::Refused { status, detail } if self.link == Link::Dialling => {
                self.link = Link::Refused;
                self.on_refused(status, &detail)
            }
            Event::Message(_) if self.queue.len() >= MAX_UNREAD => Some(Outcome::Fail(format!(
                "more than {MAX_UNREAD} messages arrived that no step read; the run stops \
                     here rather than hold them all (read them with skip until, or expect N \
                     messages)"
            ))),
            Event::Message(payload) if matches!(self.link, Link::Open | Link::Closing) => {
                self.hear(payload, at_ms, &mut out)
            }
            Event::Closed { code, .. } if self.link == Link::Dialling => {
                // A browser reports a refused handshake as a close before open.
                self.link = Link::Refused;
                self.on_refused(
                    None,
                    &format!("the connection closed with code {code} before it opened"),
                )
            }
            Event::Closed { code, reason, .. }
                if matches!(self.link, Link::Open | Link::Closing) =>
            {
                self.link = Link::Closed { code, reason };
                self.on_closed()
            }
            Event::Opened { .. }
            | Event::Refused { .. }
            | Event::Message(_)
            | Event::Closed { .. } => None,
        };
        if let Some(outcome) = outcome {
            self.complete(at_ms, outcome, &mut out);
            self.advance(at_ms, &mut out);
        }
        // The protocol learns what the steps wrote (MQTT: packet ids to pair, the keep alive).
        for action in &out {
            if let Action::Send(payload) = action {
                self.wire.wrote(payload, at_ms);
            }
        }
        self.arm_tick(at_ms, &mut out);
        out
    }

    /// A message on the open connection: the protocol answers what it must, replies are kept
    /// for Expect result, and the rest joins the queue.
    fn hear(&mut self, payload: Payload, at: f64, out: &mut Vec<Action>) -> Option<Outcome> {
        let heard = self.wire.hear(payload, at);
        if self.link == Link::Open {
            out.extend(heard.answers.into_iter().map(|f| Action::Send(f.into())));
        }
        let replied = !heard.replies.is_empty();
        for reply in heard.replies {
            if self.replies.len() >= MAX_UNREAD {
                self.replies.pop_front();
            }
            self.replies.push_back(reply);
        }
        if let Some(unread) = heard.unread {
            self.queue.push_back(unread);
        }
        if let Some(Plan::Connect { .. }) = self.plans.get(self.current) {
            return match heard.refused {
                Some(why) => Some(Outcome::Fail(why)),
                None => self.handshaken(),
            };
        }
        if replied
            && matches!(
                self.plans.get(self.current),
                Some(Plan::ExpectResult { .. })
            )
        {
            return self.read_reply();
        }
        self.on_message()
    }

    /// Keeps one timer armed for the protocol's heartbeat while the connection is open.
    fn arm_tick(&mut self, at: f64, out: &mut Vec<Action>) {
        let due = if self.link == Link::Open && self.phase == Phase::Running {
            self.wire.next_tick_ms()
        } else {
            None
        };
        match (self.tick, due) {
            // An early firing finds nothing due and arms again.
            (Some((_, armed)), Some(due)) if armed <= due => {}
            (current, due) => {
                if let Some((id, _)) = current {
                    out.push(Action::CancelTimer(id));
                }
                self.tick = due.map(|due| {
                    self.timers_made += 1;
                    let id = TimerId(self.timers_made);
                    out.push(Action::ArmTimer {
                        id,
                        after_ms: duration(at, due),
                    });
                    (id, due)
                });
            }
        }
    }

    /// Ends the run now, for a reason the driver has (its overall time limit, or the person
    /// pressing Stop): the running step fails with `reason` as what happened, the steps not
    /// reached are skipped, the connection is closed. Ignored unless the run is running.
    pub fn abort(&mut self, reason: &str, at_ms: f64) -> Vec<Action> {
        let mut out = Vec::new();
        if self.phase == Phase::Running {
            self.complete(at_ms, Outcome::Fail(reason.to_string()), &mut out);
        }
        out
    }

    /// Step `index` in words, as its report titles it.
    pub fn title(&self, index: usize) -> Option<&str> {
        self.titles.get(index).map(String::as_str)
    }

    pub fn verdict(&self) -> Option<Verdict> {
        match self.phase {
            Phase::Finished(verdict) => Some(verdict),
            _ => None,
        }
    }

    pub fn is_finished(&self) -> bool {
        self.verdict().is_some()
    }

    /// The timer the running step waits on, if any.
    pub fn armed_timer(&self) -> Option<TimerId> {
        self.timer
    }

    pub fn states(&self) -> &[StepState] {
        &self.states
    }

    /// Variables captured so far, with their current values.
    pub fn captured(&self) -> Vec<Captured> {
        self.vars
            .captured()
            .into_iter()
            .map(|(name, value)| Captured { name, value })
            .collect()
    }

    pub fn report(&self) -> Report {
        let end = if self.is_finished() {
            self.ended_ms
        } else {
            self.step_started_ms
        };
        Report {
            name: self.name.clone(),
            verdict: self.verdict(),
            duration_ms: duration(self.started_ms, end),
            steps: self
                .states
                .iter()
                .enumerate()
                .map(|(index, state)| StepReport {
                    index,
                    id: self.ids.get(index).copied().unwrap_or_default(),
                    title: self.titles.get(index).cloned().unwrap_or_default(),
                    state: state.clone(),
                })
                .collect(),
            captured: self.captured(),
        }
    }

    /// Starts steps until one waits for the driver or the run ends.
    fn advance(&mut self, at: f64, out: &mut Vec<Action>) {
        while self.phase == Phase::Running {
            let plans = Arc::clone(&self.plans);
            let Some(plan) = plans.get(self.current) else {
                self.finish(at, Verdict::Passed, out);
                return;
            };
            if !matches!(self.states.get(self.current), Some(StepState::Pending)) {
                return;
            }
            self.set_state(self.current, StepState::Running, out);
            self.step_started_ms = at;
            self.active = Active::default();
            match self.enter(plan, at, out) {
                Some(outcome) => self.complete(at, outcome, out),
                None => {
                    let after = plan.timeout_ms().unwrap_or_default();
                    self.timers_made += 1;
                    let id = TimerId(self.timers_made);
                    self.timer = Some(id);
                    out.push(Action::ArmTimer {
                        id,
                        after_ms: after as f64,
                    });
                }
            }
        }
    }

    fn complete(&mut self, at: f64, outcome: Outcome, out: &mut Vec<Action>) {
        if let Some(id) = self.timer.take() {
            out.push(Action::CancelTimer(id));
        }
        let index = self.current;
        let duration_ms = duration(self.step_started_ms, at);
        let active = std::mem::take(&mut self.active);
        match outcome {
            Outcome::Pass => {
                let state = StepState::Passed {
                    duration_ms,
                    skipped: active.skipped,
                    captured: active.captured,
                };
                self.set_state(index, state, out);
                self.current += 1;
            }
            Outcome::Fail(actual) => {
                let failure = Failure {
                    step: index,
                    expected: self.expected.get(index).cloned().unwrap_or_default(),
                    actual,
                    received: near(&active),
                    skipped: active.skipped,
                };
                self.set_state(
                    index,
                    StepState::Failed {
                        duration_ms,
                        failure,
                    },
                    out,
                );
                for later in index + 1..self.states.len() {
                    self.set_state(later, StepState::Skipped, out);
                }
                self.current = self.states.len();
                self.finish(at, Verdict::Failed, out);
            }
        }
    }

    fn finish(&mut self, at: f64, verdict: Verdict, out: &mut Vec<Action>) {
        if let Some(id) = self.timer.take() {
            out.push(Action::CancelTimer(id));
        }
        if let Some((id, _)) = self.tick.take() {
            out.push(Action::CancelTimer(id));
        }
        // A run leaves no connection behind.
        if matches!(self.link, Link::Dialling | Link::Open) {
            self.link = Link::Closing;
            out.push(Action::Close {
                code: 1000,
                reason: FINISHED_REASON.into(),
            });
        }
        self.phase = Phase::Finished(verdict);
        self.ended_ms = at;
        out.push(Action::Finished(verdict));
    }

    fn set_state(&mut self, index: usize, state: StepState, out: &mut Vec<Action>) {
        if let Some(slot) = self.states.get_mut(index) {
            *slot = state.clone();
            out.push(Action::StepChanged { index, state });
        }
    }

    fn substitute(&mut self, text: &str, at: f64) -> Result<String, String> {
        let state = &mut self.random_state;
        let mut random = || next_random(state);
        self.vars
            .text(
                text,
                &mut Builtins {
                    now_ms: at,
                    random: &mut random,
                    counter: self.sent,
                },
            )
            .map_err(|e| e.to_string())
    }

    fn resolve(&mut self, check: &Check, at: f64) -> Result<Check, String> {
        let state = &mut self.random_state;
        let mut random = || next_random(state);
        check.resolve(
            &self.vars,
            &mut Builtins {
                now_ms: at,
                random: &mut random,
                counter: self.sent,
            },
        )
    }

    fn dial_target(&mut self, at: f64) -> Result<DialTarget, String> {
        let request = self.request.clone();
        let url = request
            .protocol
            .dial_url(&self.substitute(&request.url, at)?);
        let list = self.substitute(&request.subprotocols, at)?;
        let subprotocols = crate::subprotocols::parse(&list).map_err(|e| e.to_string())?;
        let mut headers = Vec::new();
        for (name, value) in crate::relay::outgoing_headers(&request.headers, &request.cookies) {
            headers.push((self.substitute(&name, at)?, self.substitute(&value, at)?));
        }
        Ok(DialTarget {
            url,
            subprotocols,
            headers,
            relay: request.needs_relay(),
        })
    }
}

/// The messages a failed step read last, each with why it did not match.
fn near(active: &Active) -> Vec<Near> {
    active
        .recent
        .iter()
        .map(|unread| {
            let (why, differences) = match (&active.check, wanted(&active.want, unread)) {
                (Some(check), Ok(payload)) => {
                    let message = Message::new(payload);
                    match check.test(&message) {
                        Ok(()) => ("it matches".to_string(), Vec::new()),
                        Err(why) => (why, check.differences(&message)),
                    }
                }
                (Some(_), Err(why)) => (why, Vec::new()),
                (None, _) => (String::new(), Vec::new()),
            };
            Near {
                preview: unread.preview(),
                why,
                differences,
            }
        })
        .collect()
}

/// What a step reading `want` matches in `unread`: the message, or the event's arguments;
/// Err says why it is not what the step reads.
fn wanted<'a>(want: &Want, unread: &'a Unread) -> Result<&'a Payload, String> {
    match (want, &unread.event) {
        (Want::Message, _) => Ok(&unread.payload),
        (Want::Event(name), Some((got, args))) if name.is_empty() || name == got => Ok(args),
        (Want::Event(name), Some((got, _))) => Err(format!(
            "it is event \u{201c}{got}\u{201d}, not \u{201c}{name}\u{201d}"
        )),
        (Want::Event(_), None) => Err("it is not an event".into()),
    }
}

/// `end - start`, never negative or NaN whatever times a driver passes.
fn duration(start: f64, end: f64) -> f64 {
    let d = end - start;
    if d.is_finite() && d > 0.0 { d } else { 0.0 }
}

fn seeded(seed: u64) -> u64 {
    match seed ^ 0x9e37_79b9_7f4a_7c15 {
        0 => 0x9e37_79b9_7f4a_7c15,
        state => state,
    }
}

/// xorshift64*: plenty for test data, and the same in every driver.
fn next_random(state: &mut u64) -> u32 {
    let mut x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 32) as u32
}
