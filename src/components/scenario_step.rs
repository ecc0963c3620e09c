//! One step of the scenario: its state in the last run, its kind and fields, and its failure.

use leptos::prelude::*;
use wsprobe_core::decimal::fixed;
use wsprobe_core::scenario::edit::{self, KINDS};
use wsprobe_core::scenario::{StepKind, StepState};

use crate::components::step_failure::StepFailure;
use crate::components::step_fields::StepFields;
use crate::components::step_moves::StepMoves;
use crate::editor::use_editor;
use crate::scenario_run::use_scenario_run;
use crate::step_editor::StepEditor;

#[component]
pub fn ScenarioStep(id: u64) -> impl IntoView {
    let editor = use_editor();
    let runs = use_scenario_run();
    let step = StepEditor::new(editor, id);
    let kind = Memo::new(move |_| {
        editor
            .scenario
            .with(|s| s.steps.iter().find(|s| s.id == id).map(|s| s.kind.clone()))
            .unwrap_or(StepKind::Wait { ms: 0 })
    });
    let state = Signal::derive(move || runs.state_of(id));
    let word = move || {
        state.get().map_or("Pending".to_string(), |s| {
            let took = s
                .duration_ms()
                .map(|ms| format!(" {} ms", fixed(ms, 0)))
                .unwrap_or_default();
            format!("{}{took}", state_word(&s))
        })
    };
    let class = move || {
        format!(
            "scenario-step state-{}",
            state.get().map_or("pending", |s| s.word())
        )
    };
    view! {
        <li class=class>
            <div class="step-head">
                <span class="step-number">{move || step.number()}</span>
                <select
                    aria-label="Step kind"
                    on:change=move |ev| {
                        let label = event_target_value(&ev);
                        step.set(|kind| {
                            if let Some(new) = edit::with_kind(&label, kind) {
                                *kind = new;
                            }
                        })
                    }
                >
                    {KINDS
                        .into_iter()
                        .map(|k| {
                            view! {
                                <option value=k selected=move || edit::kind_label(&kind.get()) == k>
                                    {k}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <StepMoves step />
            </div>
            <StepFields step kind status=Signal::derive(word) />
            <StepFailure state />
        </li>
    }
}

/// The state as the contract words it.
fn state_word(state: &StepState) -> &'static str {
    match state {
        StepState::Pending => "Pending",
        StepState::Running => "Running",
        StepState::Passed { .. } => "Passed",
        StepState::Failed { .. } => "Failed",
        StepState::Skipped => "Skipped",
    }
}
