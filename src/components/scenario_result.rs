//! How the last run (or Run all scenarios) ended, and its JUnit report.

use leptos::prelude::*;
use wsprobe_core::decimal::fixed;
use wsprobe_core::scenario::Verdict;

use crate::scenario_run::{ScenarioRun, use_scenario_run};

/// A button's label and what it does with the runs.
type ResultAction = (&'static str, fn(&ScenarioRun));

/// What can be done with a finished run's result, each a button.
const RESULT_ACTIONS: [ResultAction; 3] = [
    ("Download JUnit report", ScenarioRun::download_junit),
    ("Download JSON report", ScenarioRun::download_json),
    ("Copy summary", ScenarioRun::copy_summary),
];

#[component]
pub fn ScenarioResult() -> impl IntoView {
    let runs = use_scenario_run();
    // A suite's total when Run all ran last, else the last run's steps; read by five parts.
    let summary = Memo::new(move |_| {
        if let Some(suite) = runs.suite.get() {
            let (passed, failed) = suite
                .reports
                .iter()
                .fold((0, 0), |(p, f), r| match r.verdict {
                    Some(Verdict::Passed) => (p + 1, f),
                    _ => (p, f + 1),
                });
            let word = match suite.verdict() {
                Some(Verdict::Passed) => "Passed",
                Some(Verdict::Failed) => "Failed",
                None => "Running",
            };
            return Some((
                format!("{word}: {passed} passed, {failed} failed (scenarios)"),
                word,
            ));
        }
        runs.report.get().map(|report| {
            let counts = report.counts();
            let word = if report.verdict == Some(Verdict::Passed) {
                "Passed"
            } else {
                "Failed"
            };
            let skipped = if counts.skipped > 0 {
                format!(", {} skipped", counts.skipped)
            } else {
                String::new()
            };
            (
                format!(
                    "{word}: {} passed, {} failed{skipped} in {} ms",
                    counts.passed,
                    counts.failed,
                    fixed(report.duration_ms, 0),
                ),
                word,
            )
        })
    });
    view! {
        <p class="scenario-notice" role="alert" hidden=move || runs.notice.with(Option::is_none)>
            {move || runs.notice.get()}
        </p>
        <div class="scenario-result">
            <p
                role="status"
                aria-label="Scenario result"
                class=move || {
                    match summary.get().map(|(_, word)| word) {
                        Some("Passed") => "result passed",
                        Some("Failed") => "result failed",
                        _ => "result",
                    }
                }
            >
                {move || {
                    summary.get().map(|(text, _)| text).unwrap_or_else(|| "Not run yet".into())
                }}
            </p>
            {RESULT_ACTIONS
                .map(|(label, act)| {
                    view! {
                        <button
                            type="button"
                            class="small"
                            disabled=move || summary.get().is_none()
                            on:click=move |_| act(&runs)
                        >
                            {label}
                        </button>
                    }
                })}
            <span class="muted small-text" role="status" hidden=move || !runs.copied.get()>
                "Copied"
            </span>
        </div>
    }
}
