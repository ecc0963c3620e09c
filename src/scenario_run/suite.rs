//! Run all scenarios: every saved request that has one, in turn, as one suite.

use leptos::prelude::*;
use wsprobe_core::saved::SavedRequest;
use wsprobe_core::scenario::{Failure, Report, StepReport, StepState, SuiteReport, Verdict};

use super::ScenarioRun;

impl ScenarioRun {
    /// Run all scenarios: every saved request that has one, in turn, then the editor as it was.
    pub fn run_all(&self) {
        if self.is_running() {
            return;
        }
        let mut queue: Vec<SavedRequest> = self.library.requests.items.with_untracked(|all| {
            all.iter()
                .filter(|r| !r.request.scenario.steps.is_empty())
                .cloned()
                .collect()
        });
        if queue.is_empty() {
            return self.notice.set(Some(
                "No saved request has a scenario yet: add steps to a request and save it.".into(),
            ));
        }
        queue.reverse();
        self.before_suite.set_value(Some(self.editor.snapshot()));
        self.queue.set_value(queue);
        self.suite.set(Some(SuiteReport {
            name: "wsprobe".into(),
            reports: Vec::new(),
        }));
        self.next_in_suite();
    }

    pub(super) fn next_in_suite(&self) {
        let Some(saved) = self.queue.try_update_value(Vec::pop).flatten() else {
            if let Some(snapshot) = self.before_suite.try_update_value(Option::take).flatten() {
                self.editor.restore(snapshot);
            }
            return;
        };
        self.editor.load(saved.request);
        self.editor.saved_id.set(Some(saved.id));
        self.editor.name.set(saved.name.clone());
        if let Err(why) = self.start() {
            self.suite_add(failed_to_start(&saved.name, &why));
            self.next_in_suite();
        }
    }

    pub(super) fn suite_add(&self, report: Report) {
        self.suite.update(|suite| {
            if let Some(suite) = suite {
                suite.reports.push(report);
            }
        });
    }
}

/// A saved request whose scenario could not start, as a failed report in the suite.
fn failed_to_start(name: &str, why: &str) -> Report {
    Report {
        name: name.to_string(),
        verdict: Some(Verdict::Failed),
        duration_ms: 0.0,
        steps: vec![StepReport {
            index: 0,
            id: 0,
            title: "Start".into(),
            state: StepState::Failed {
                duration_ms: 0.0,
                failure: Failure {
                    step: 0,
                    expected: "the scenario to start".into(),
                    actual: why.to_string(),
                    received: Vec::new(),
                    skipped: 0,
                },
            },
        }],
        captured: Vec::new(),
    }
}
