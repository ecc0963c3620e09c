//! Shared fixtures: a scenario, a trace of driver events, and what the run must make of
//! them. The native tests check every file in core/fixtures/scenarios/, and the page's wasm
//! tests check the same files with the same function, so both drivers agree on the verdict.
//!
//! ```json
//! {
//!   "description": "…",
//!   "scenario": { "wsprobe": "scenario", "version": 1, … },
//!   "variables": [{"name": "token", "value": "abc"}],
//!   "trace": [{"at": 0, "event": {"opened": {"subprotocol": ""}}}, …],
//!   "expect": {"verdict": "passed", "steps": ["passed", …], "sent": [{"text": "hi"}],
//!              "failure_contains": {"2": "did not match"}, "skipped": {"2": 3},
//!              "captured": {"id": "42"}, "actions": [ … every action, in order … ]}
//! }
//! ```
//!
//! The run starts at time 0 (or `start_at`) and timers are numbered from 1 in the order they
//! are armed, so a trace fires them by number.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::engine::Run;
use super::events::{Action, DialTarget, Event, Payload, Verdict};
use crate::variables::Variable;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    #[serde(default)]
    description: String,
    scenario: Value,
    #[serde(default)]
    variables: Vec<Variable>,
    #[serde(default)]
    seed: u64,
    #[serde(default)]
    start_at: f64,
    trace: Vec<Moment>,
    expect: Expected,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Moment {
    at: f64,
    event: Event,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    #[serde(default)]
    verdict: Option<Verdict>,
    /// Each step's state in words: passed, failed, skipped, running, pending.
    steps: Vec<String>,
    #[serde(default)]
    actions: Option<Vec<Action>>,
    /// The messages sent, in order.
    #[serde(default)]
    sent: Option<Vec<Payload>>,
    /// Each dial, in order.
    #[serde(default)]
    dials: Option<Vec<DialTarget>>,
    /// Step index (from 0) to text its failure must contain.
    #[serde(default)]
    failure_contains: BTreeMap<usize, String>,
    /// Step index to the messages it passed over.
    #[serde(default)]
    skipped: BTreeMap<usize, usize>,
    #[serde(default)]
    captured: BTreeMap<String, String>,
    /// Step index to its duration.
    #[serde(default)]
    durations: BTreeMap<usize, f64>,
}

/// Runs a fixture through the engine and compares; the error lists every difference.
pub fn check(text: &str) -> Result<(), String> {
    let fixture: Fixture =
        serde_json::from_str(text).map_err(|e| format!("The fixture is not readable: {e}"))?;
    let file = super::file::read(&fixture.scenario.to_string())?;
    let mut run = Run::new(&file.scenario, &file.request, &fixture.variables)
        .map_err(|e| e.to_string())?
        .with_seed(fixture.seed);
    let mut actions = run.start(fixture.start_at);
    for moment in fixture.trace {
        actions.extend(run.handle(moment.event, moment.at));
    }
    compare(&fixture.expect, &run, &actions).map_err(|e| format!("{}: {e}", fixture.description))
}

fn compare(expect: &Expected, run: &Run, actions: &[Action]) -> Result<(), String> {
    let mut problems = Vec::new();
    let report = run.report();
    let states: Vec<&str> = report.steps.iter().map(|s| s.state.word()).collect();
    if states != expect.steps {
        problems.push(format!(
            "steps were {states:?}, expected {:?}",
            expect.steps
        ));
    }
    if let Some(verdict) = expect.verdict
        && run.verdict() != Some(verdict)
    {
        problems.push(format!(
            "the verdict was {:?}, expected {verdict:?}",
            run.verdict()
        ));
    }
    if let Some(expected) = &expect.actions
        && expected.as_slice() != actions
    {
        problems.push(format!(
            "the actions were\n{}\nexpected\n{}",
            lines(actions),
            lines(expected)
        ));
    }
    let sent: Vec<Payload> = actions
        .iter()
        .filter_map(|a| match a {
            Action::Send(p) => Some(p.clone()),
            _ => None,
        })
        .collect();
    if let Some(expected) = &expect.sent
        && *expected != sent
    {
        problems.push(format!("sent {sent:?}, expected {expected:?}"));
    }
    let dials: Vec<DialTarget> = actions
        .iter()
        .filter_map(|a| match a {
            Action::Dial(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    if let Some(expected) = &expect.dials
        && *expected != dials
    {
        problems.push(format!("dialled {dials:?}, expected {expected:?}"));
    }
    for (index, part) in &expect.failure_contains {
        let failure = report
            .steps
            .get(*index)
            .and_then(|s| s.state.failure())
            .map(|f| f.to_string());
        match failure {
            Some(text) if text.contains(part.as_str()) => {}
            Some(text) => problems.push(format!(
                "step {index}'s failure does not say \u{201c}{part}\u{201d}: {text}"
            )),
            None => problems.push(format!("step {index} did not fail")),
        }
    }
    for (index, count) in &expect.skipped {
        let skipped = report.steps.get(*index).map(|s| s.state.skipped());
        if skipped != Some(*count) {
            problems.push(format!(
                "step {index} passed over {skipped:?} messages, expected {count}"
            ));
        }
    }
    let captured: BTreeMap<String, String> = run
        .captured()
        .into_iter()
        .map(|c| (c.name, c.value))
        .collect();
    for (name, value) in &expect.captured {
        if captured.get(name) != Some(value) {
            problems.push(format!(
                "captured {name} = {:?}, expected {value:?}",
                captured.get(name)
            ));
        }
    }
    for (index, ms) in &expect.durations {
        let duration = report.steps.get(*index).and_then(|s| s.state.duration_ms());
        if duration != Some(*ms) {
            problems.push(format!("step {index} took {duration:?} ms, expected {ms}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}\n\n{}", problems.join("\n"), report.to_text()))
    }
}

fn lines(actions: &[Action]) -> String {
    actions
        .iter()
        .map(|a| format!("  {}", serde_json::to_string(a).unwrap_or_default()))
        .collect::<Vec<_>>()
        .join("\n")
}
