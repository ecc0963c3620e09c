//! How many messages a step expects, and how long it waits (or pauses).

use leptos::prelude::*;
use wsprobe_core::scenario::StepKind;
use wsprobe_core::scenario::edit;

use crate::step_editor::StepEditor;

#[component]
pub fn StepLimits(step: StepEditor, kind: Memo<StepKind>) -> impl IntoView {
    let timeout = move || edit::timeout_ms(&kind.get());
    let timeout_label = move || match kind.get() {
        StepKind::Wait { .. } | StepKind::ExpectNoMessage { .. } => "Duration (ms)",
        _ => "Timeout (ms)",
    };
    let count = move || match kind.get() {
        StepKind::ExpectMessages { count, .. } => Some(count),
        _ => None,
    };
    let set_count = move |text: String| {
        step.apply(|k| {
            let n = text.trim().parse().map_err(|_| {
                format!(
                    "A count is a whole number, like 3; not \u{201c}{}\u{201d}.",
                    text.trim()
                )
            })?;
            if let StepKind::ExpectMessages { count, .. } = k {
                *count = n;
            }
            Ok(())
        })
    };
    view! {
        <Show when=move || count().is_some()>
            <label class="step-option">
                "Count"
                <input
                    type="number"
                    min="1"
                    class="step-number-input"
                    prop:value=move || count().map(|c| c.to_string()).unwrap_or_default()
                    on:change=move |ev| set_count(event_target_value(&ev))
                />
            </label>
        </Show>
        <Show when=move || timeout().is_some()>
            <label class="step-option">
                {timeout_label}
                <input
                    type="number"
                    min="0"
                    class="step-number-input"
                    prop:value=move || timeout().map(|t| t.to_string()).unwrap_or_default()
                    on:change=move |ev| {
                        let text = event_target_value(&ev);
                        step.apply(|k| edit::set_timeout_ms(k, &text))
                    }
                />
            </label>
        </Show>
    }
}
