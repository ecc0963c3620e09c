//! A checkbox of a step (Expect refusal, Skip other messages, Acknowledgement…): what it
//! reads and sets is the core's, so the row only shows it.

use leptos::prelude::*;
use wsprobe_core::scenario::StepKind;

use crate::step_editor::StepEditor;

#[component]
pub fn StepCheck(
    step: StepEditor,
    kind: Memo<StepKind>,
    label: &'static str,
    read: fn(&StepKind) -> bool,
    write: fn(&mut StepKind, bool),
) -> impl IntoView {
    view! {
        <label class="step-option">
            <input
                type="checkbox"
                prop:checked=move || kind.with(read)
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    step.set(|k| write(k, on))
                }
            />
            {label}
        </label>
    }
}
