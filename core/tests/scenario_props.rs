//! Whatever a driver reports, in whatever order, a run never panics and never hangs: when
//! the driver fires the timers it was asked to arm, every run ends with every step in a
//! final state.

// A test that cannot go on should stop with the reason: unwrap, expect and panic are its way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;

use proptest::prelude::*;
use wsprobe_core::request::Request;
use wsprobe_core::scenario::{Action, Event, Payload, Run, Scenario, StepState, TimerId};

/// The driver's side: the timers it holds, the time, and everything the run asked.
#[derive(Default)]
struct Driver {
    now: f64,
    armed: BTreeMap<TimerId, f64>,
    finished: usize,
    after_finish: usize,
    actions: Vec<Action>,
}

impl Driver {
    fn take(
        &mut self,
        actions: Vec<Action>,
        states: &mut [StepState],
    ) -> Result<(), TestCaseError> {
        for action in actions {
            if self.finished > 0 {
                self.after_finish += 1;
            }
            match &action {
                Action::ArmTimer { id, after_ms } => {
                    prop_assert!(
                        self.armed.is_empty(),
                        "a second timer armed: {:?}",
                        self.armed
                    );
                    prop_assert!(*after_ms >= 0.0);
                    self.armed.insert(*id, self.now + after_ms);
                }
                Action::CancelTimer(id) => {
                    prop_assert!(
                        self.armed.remove(id).is_some(),
                        "cancelled {id:?}, not armed"
                    );
                }
                Action::StepChanged { index, state } => {
                    let old = states.get(*index).cloned();
                    prop_assert!(old.is_some(), "no step {index}");
                    let old = old.unwrap_or(StepState::Pending);
                    let allowed = matches!(
                        (&old, state),
                        (StepState::Pending, StepState::Running | StepState::Skipped)
                            | (
                                StepState::Running,
                                StepState::Passed { .. } | StepState::Failed { .. }
                            )
                    );
                    prop_assert!(allowed, "step {index} went from {old:?} to {state:?}");
                    states[*index] = state.clone();
                }
                Action::Finished(_) => self.finished += 1,
                Action::Dial(_) | Action::Send(_) | Action::Close { .. } => {}
            }
            self.actions.push(action);
        }
        Ok(())
    }

    fn earliest_timer(&self) -> Option<(TimerId, f64)> {
        self.armed.iter().map(|(id, at)| (*id, *at)).next()
    }
}

fn request() -> Request {
    Request {
        url: "ws://h/".into(),
        subprotocols: "chat".into(),
        ..Request::default()
    }
}

/// Fires armed timers until the run ends, then checks how it ended.
fn run_to_end(
    run: &mut Run,
    driver: &mut Driver,
    states: &mut [StepState],
    scenario: &Scenario,
) -> Result<(), TestCaseError> {
    let mut fired = 0;
    while let Some((id, due)) = driver.earliest_timer() {
        driver.armed.remove(&id);
        driver.now = driver.now.max(due);
        let actions = run.handle(Event::TimerFired(id), driver.now);
        driver.take(actions, states)?;
        fired += 1;
        prop_assert!(fired <= scenario.steps.len() + 1, "timers keep coming");
    }
    prop_assert!(
        run.is_finished(),
        "the run waits with no timer armed: {:?}",
        run.states()
    );
    prop_assert_eq!(driver.finished, 1);
    prop_assert_eq!(driver.after_finish, 0, "actions after Finished");
    prop_assert!(run.armed_timer().is_none());
    for (i, state) in run.states().iter().enumerate() {
        prop_assert!(state.is_final(), "step {} is {:?}", i, state);
        prop_assert_eq!(Some(state), states.get(i), "the actions told another story");
    }
    let report = run.report();
    let counts = report.counts();
    prop_assert_eq!(counts.total(), scenario.steps.len());
    prop_assert!(counts.failed <= 1);
    let _ = (
        report.to_text(),
        report.to_json(),
        report.to_junit_xml("suite"),
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Events at random, timers the run never armed and handshakes it never asked for
    /// included.
    #[test]
    fn any_events_then_the_timers_end_every_run(
        scenario in common::scenario(),
        events in proptest::collection::vec((common::event(), 0..400u32), 0..30),
        seed in any::<u64>(),
    ) {
        let mut run = Run::new(&scenario, &request(), &[]).unwrap().with_seed(seed);
        let mut driver = Driver::default();
        let mut states = vec![StepState::Pending; scenario.steps.len()];
        let started = run.start(0.0);
        driver.take(started, &mut states)?;
        for (event, dt) in events {
            driver.now += f64::from(dt);
            if let Event::TimerFired(id) = &event {
                // A driver forgets a timer once it fires.
                driver.armed.remove(id);
            }
            let actions = run.handle(event, driver.now);
            driver.take(actions, &mut states)?;
            // A run that waits always waits on a timer, so it cannot hang.
            prop_assert!(run.is_finished() || run.armed_timer().is_some());
            prop_assert_eq!(run.armed_timer(), driver.earliest_timer().map(|t| t.0));
        }
        run_to_end(&mut run, &mut driver, &mut states, &scenario)?;
    }

    /// A server that opens, echoes and closes as asked, between random messages of its own:
    /// runs go deep into their scenarios, and still end.
    #[test]
    fn an_echoing_server_then_the_timers_end_every_run(
        scenario in common::scenario(),
        noise in proptest::collection::vec(proptest::option::of(common::payload()), 0..20),
    ) {
        let mut run = Run::new(&scenario, &request(), &[]).unwrap();
        let mut driver = Driver::default();
        let mut states = vec![StepState::Pending; scenario.steps.len()];
        let mut pending: Vec<Action> = run.start(0.0);
        let mut noise = noise.into_iter();
        for _ in 0..200 {
            driver.take(pending.clone(), &mut states)?;
            let mut replies = Vec::new();
            for action in pending.drain(..) {
                match action {
                    Action::Dial(_) => replies.push(Event::Opened { subprotocol: "chat".into() }),
                    Action::Send(payload) => replies.push(Event::Message(payload)),
                    Action::Close { code, reason } => {
                        replies.push(Event::Closed { code, reason, clean: true })
                    }
                    _ => {}
                }
            }
            if let Some(Some(extra)) = noise.next() {
                replies.push(Event::Message(extra));
            }
            if replies.is_empty() {
                break;
            }
            driver.now += 1.0;
            for event in replies {
                pending.extend(run.handle(event, driver.now));
            }
        }
        driver.take(pending, &mut states)?;
        run_to_end(&mut run, &mut driver, &mut states, &scenario)?;
    }

    /// No message data breaks a matcher: invalid UTF-8, huge numbers, JSON nested past any
    /// parser's limit.
    #[test]
    fn no_message_data_panics(matcher in common::matcher(), payloads in proptest::collection::vec(common::payload(), 1..6)) {
        use wsprobe_core::scenario::{Mode, Step, StepKind};
        for mode in [Mode::Next, Mode::SkipUntil] {
            let scenario = Scenario {
                name: String::new(),
                steps: vec![
                    Step::new(1, StepKind::Connect { timeout_ms: 10, subprotocol: None, refused: false, status: None }),
                    Step::new(2, StepKind::ExpectMessage { matcher: matcher.clone(), mode, timeout_ms: 10, capture: vec![] }),
                ],
            };
            let mut run = Run::new(&scenario, &request(), &[]).unwrap();
            run.start(0.0);
            run.handle(Event::Opened { subprotocol: String::new() }, 1.0);
            for payload in &payloads {
                run.handle(Event::Message(payload.clone()), 2.0);
            }
            let _ = run.report().to_junit_xml("x");
        }
    }
}

#[test]
fn deep_and_huge_json_is_read_without_harm() {
    use wsprobe_core::scenario::{Matcher, Mode, Step, StepKind};
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let scenario = Scenario {
        name: String::new(),
        steps: vec![
            Step::new(
                1,
                StepKind::Connect {
                    timeout_ms: 10,
                    subprotocol: None,
                    refused: false,
                    status: None,
                },
            ),
            Step::new(
                2,
                StepKind::ExpectMessage {
                    matcher: Matcher::JsonSubset(serde_json::json!([])),
                    mode: Mode::SkipUntil,
                    timeout_ms: 10,
                    capture: vec![],
                },
            ),
        ],
    };
    let mut run = Run::new(&scenario, &request(), &[]).unwrap();
    run.start(0.0);
    run.handle(
        Event::Opened {
            subprotocol: String::new(),
        },
        1.0,
    );
    run.handle(Event::Message(Payload::Text(deep)), 2.0);
    run.handle(Event::Message(Payload::Binary(vec![0xff, 0xfe, 0x80])), 3.0);
    run.handle(Event::TimerFired(TimerId(2)), 10.0);
    let report = run.report();
    let failure = report.steps[1].state.failure().unwrap().to_string();
    assert!(failure.contains("it is not JSON"), "{failure}");
}
