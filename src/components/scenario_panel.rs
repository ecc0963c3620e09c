//! The request's scenario: record it from the connection, edit its steps, run it (or every
//! saved one), and see and download the result.

use leptos::prelude::*;

use crate::components::scenario_result::ScenarioResult;
use crate::components::scenario_step::ScenarioStep;
use crate::editor::use_editor;
use crate::lazy::{Loaded, split_point};
use crate::scenario_run::ScenarioRun;
use crate::session::use_session;

#[component]
pub fn ScenarioPanel() -> impl IntoView {
    let editor = use_editor();
    // Made here, not at the page's top, so that the runner and the engine load with the panel.
    let runs = ScenarioRun::new(use_session());
    provide_context(runs);
    let running = move || runs.is_running();
    let ids = move || {
        editor
            .scenario
            .with(|s| s.steps.iter().map(|s| s.id).collect::<Vec<_>>())
    };
    view! {
        <section class="panel scenario" aria-labelledby="scenario-title">
            <div class="panel-head">
                <h2 id="scenario-title">"Scenario"</h2>
                <button type="button" class="small" on:click=move |_| runs.record()>
                    "Record as scenario"
                </button>
            </div>
            <ol class="scenario-steps" aria-label="Scenario steps">
                <For each=ids key=|id| *id let:id>
                    <ScenarioStep id />
                </For>
            </ol>
            <div class="scenario-actions">
                <button
                    type="button"
                    class="small"
                    on:click=move |_| {
                        editor
                            .scenario
                            .update(|s| {
                                s.add_step();
                            })
                    }
                >
                    "Add step"
                </button>
                <button
                    type="button"
                    class="primary small"
                    disabled=running
                    on:click=move |_| runs.run()
                >
                    "Run scenario"
                </button>
                <button
                    type="button"
                    class="small"
                    disabled=running
                    on:click=move |_| runs.run_all()
                >
                    "Run all scenarios"
                </button>
                <Show when=running>
                    <button type="button" class="small" on:click=move |_| runs.stop()>
                        "Stop scenario"
                    </button>
                </Show>
            </div>
            <ScenarioResult />
        </section>
    }
}

split_point! {
    scenario:
    /// The split point: the Scenario panel, and the engine that only it drives, are in
    /// `split_scenario.wasm` (src/lazy.rs).
    pub fn scenario_chunk() -> Loaded<fn() -> AnyView> {
        Ok(|| view! { <ScenarioPanel /> }.into_any())
    }
}
