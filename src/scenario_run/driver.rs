//! Carrying out the engine's actions: dialling, sending and closing through the session,
//! arming its timers, and following each step's state.

use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use wsprobe_core::compose::Frame;
use wsprobe_core::decimal::fixed;
use wsprobe_core::link_trust::ConsentNeeded;
use wsprobe_core::scenario::{Action, Event, Run, Scenario, StepKind, StepState, TimerId};

use super::ScenarioRun;
use crate::glue::{clock, random};
use crate::session::AfterConsent;

impl ScenarioRun {
    pub(super) fn start(&self) -> Result<(), String> {
        if self.is_running() {
            return Err("A scenario is running; wait for it to finish.".into());
        }
        if self.session.state().is_live() {
            return Err(
                "A scenario makes its own connection: disconnect first, then run it.".into(),
            );
        }
        let mut scenario = self.editor.scenario.get_untracked();
        if scenario.steps.is_empty() {
            return Err(
                "This request has no scenario yet: add a step, or connect, exchange \
                        messages and press Record as scenario."
                    .into(),
            );
        }
        if scenario.name.is_empty() {
            scenario.name = self.editor.name.get_untracked();
        }
        self.check_consent(&scenario)?;
        let request = untrack(|| self.editor.request());
        // The environments are read with their panel, just after the page starts.
        if !self.library.environments.ready.get_untracked() {
            return Err(
                "The environments are still loading; run the scenario again in a moment.".into(),
            );
        }
        let variables = untrack(|| self.library.active_variables());
        let run = Run::new(&scenario, &request, &variables)
            .map_err(|e| e.to_string())?
            .with_seed(u64::from(random::u32()) << 32 | u64::from(random::u32()));
        self.steps.set(
            scenario
                .steps
                .iter()
                .map(|s| (s.id, StepState::Pending))
                .collect(),
        );
        self.report.set(None);
        self.notice.set(None);
        self.copied.set(false);
        self.engine.set_value(Some(run));
        let this = *self;
        let watcher: Rc<dyn Fn(Event)> = Rc::new(move |event| this.handle(event));
        self.session.watch(Some(watcher));
        self.mark(format!(
            "Scenario \u{201c}{}\u{201d} started",
            scenario_name(&scenario)
        ));
        let actions = self
            .engine
            .try_update_value(|run| run.as_mut().map(|r| r.start(clock::epoch_ms())))
            .flatten()
            .unwrap_or_default();
        self.carry_out(actions);
        Ok(())
    }

    /// A linked request's scenario sends the person's secrets only where they agreed.
    pub(super) fn check_consent(&self, scenario: &Scenario) -> Result<(), String> {
        let texts: Vec<&str> = scenario
            .steps
            .iter()
            .filter_map(|s| match &s.kind {
                StepKind::Send { text, .. } => Some(text.as_str()),
                StepKind::Emit { args, .. } => Some(args.as_str()),
                StepKind::Call { params, .. } => Some(params.as_str()),
                _ => None,
            })
            .collect();
        let url = self.editor.url.get_untracked();
        let host = wsprobe_core::endpoint::Endpoint::parse(&url)
            .map(|e| crate::session::host_of(&e))
            .unwrap_or_default();
        match untrack(|| self.session.link_consent(&host, texts.iter().copied())) {
            Ok(()) => Ok(()),
            Err(needed) => {
                let why = consent_message(&needed);
                self.session.ask_consent(needed, AfterConsent::Nothing);
                Err(why)
            }
        }
    }

    pub(super) fn handle(&self, event: Event) {
        let now = clock::epoch_ms();
        let actions = self
            .engine
            .try_update_value(|run| run.as_mut().map(|r| r.handle(event, now)))
            .flatten()
            .unwrap_or_default();
        self.carry_out(actions);
    }

    /// Stop scenario: the engine ends the run, the running step failed as stopped by you.
    pub fn stop(&self) {
        self.queue.set_value(Vec::new());
        let now = clock::epoch_ms();
        let actions = self
            .engine
            .try_update_value(|run| {
                run.as_mut()
                    .map(|r| r.abort("you stopped the scenario", now))
            })
            .flatten()
            .unwrap_or_default();
        self.carry_out(actions);
    }

    pub(super) fn carry_out(&self, actions: Vec<Action>) {
        for action in actions {
            match action {
                // The page dials the editor's request as Connect does (relay, consent and all).
                Action::Dial(_) => self.session.connect(),
                Action::Send(payload) => {
                    if let Err(why) = self.session.send_frame(Frame::from(payload)) {
                        self.mark(format!("Scenario: the message was not sent: {why}"));
                    }
                }
                Action::Close { code, reason } => self.session.close_with(code, &reason),
                Action::ArmTimer { id, after_ms } => self.arm(id, after_ms),
                Action::CancelTimer(id) => self.cancel(id),
                Action::StepChanged { index, state } => self.step_changed(index, state),
                Action::Finished(_) => self.finished(),
            }
        }
    }

    pub(super) fn arm(&self, id: TimerId, after_ms: f64) {
        let this = *self;
        let fire = move || {
            this.timers
                .update_value(|timers| timers.retain(|(armed, _)| *armed != id));
            this.handle(Event::TimerFired(id));
        };
        match set_timeout_with_handle(fire, Duration::from_secs_f64(after_ms.max(0.0) / 1000.0)) {
            Ok(handle) => self.timers.update_value(|t| t.push((id, handle))),
            // Without a timer the step could wait for ever: end it now as timed out.
            Err(_) => self.handle(Event::TimerFired(id)),
        }
    }

    pub(super) fn cancel(&self, id: TimerId) {
        self.timers.update_value(|timers| {
            timers.retain(|(armed, handle)| {
                if *armed == id {
                    handle.clear();
                }
                *armed != id
            })
        });
    }

    pub(super) fn step_changed(&self, index: usize, state: StepState) {
        if state.is_final() {
            let title = self.report_title(index);
            let took = state
                .duration_ms()
                .map(|ms| format!(" in {} ms", fixed(ms, 0)))
                .unwrap_or_default();
            let detail = state
                .failure()
                .map(|f| format!(": {f}"))
                .unwrap_or_default();
            self.mark(format!(
                "Step {}: {}{took} \u{2014} {title}{detail}",
                index + 1,
                state.word()
            ));
        }
        self.steps.update(|steps| {
            if let Some(step) = steps.get_mut(index) {
                step.1 = state;
            }
        });
    }

    pub(super) fn report_title(&self, index: usize) -> String {
        self.engine
            .with_value(|run| {
                run.as_ref()
                    .and_then(|r| r.title(index))
                    .map(str::to_string)
            })
            .unwrap_or_default()
    }

    pub(super) fn finished(&self) {
        let report = self.engine.with_value(|run| run.as_ref().map(Run::report));
        self.session.watch(None);
        self.clear_timers();
        if let Some(report) = report {
            let counts = report.counts();
            self.mark(format!(
                "Scenario {}: {} passed, {} failed",
                report.verdict.map_or("ended", |v| v.word()),
                counts.passed,
                counts.failed
            ));
            if self.suite.with_untracked(Option::is_some) {
                self.suite_add(report.clone());
            }
            self.report.set(Some(report));
        }
        if self.suite.with_untracked(Option::is_some) {
            // After the run's own close has been handled.
            let this = *self;
            queue_microtask(move || this.next_in_suite());
        }
    }
}

fn scenario_name(scenario: &Scenario) -> &str {
    if scenario.name.is_empty() {
        "unnamed"
    } else {
        &scenario.name
    }
}

fn consent_message(needed: &ConsentNeeded) -> String {
    format!("Not run: {needed}")
}
