//! A labelled text field for one value of a step (a close reason's pattern, a refusal's
//! status). Text that does not read yet stays in the field with the reason beside it, and the
//! step keeps its last good value; a value changed from elsewhere (another saved request
//! opened, Undo) shows in the field.

use leptos::prelude::*;
use wsprobe_core::scenario::StepKind;

use crate::step_editor::StepEditor;

#[component]
pub fn StepText(
    step: StepEditor,
    /// What the step holds, as the field shows it.
    stored: Memo<String>,
    /// Reads the field's text into the step; Err says why it does not read.
    read: fn(&mut StepKind, &str) -> Result<(), String>,
    /// The visible label, and the accessible name.
    label: &'static str,
    placeholder: &'static str,
    /// The input's class (its width).
    class: &'static str,
    /// A line under the field that explains it.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// Digits only: phones show a number pad.
    #[prop(optional)]
    numeric: bool,
) -> impl IntoView {
    let text = RwSignal::new(stored.get_untracked());
    let problem = RwSignal::new(None::<String>);
    // Only a value that reads differently from the text replaces it, so typing is never
    // reformatted under the cursor.
    Effect::new(move |_| {
        let now = stored.get();
        if text.with_untracked(|t| t.trim() != now.trim()) {
            text.set(now);
            problem.set(None);
        }
    });
    let slug = label.to_lowercase().replace(' ', "-");
    let hint_id = format!("step-{}-{slug}-hint", step.id);
    let problem_id = format!("step-{}-{slug}-problem", step.id);
    let described = match hint {
        Some(_) => format!("{hint_id} {problem_id}"),
        None => problem_id.clone(),
    };
    view! {
        <label class="step-option step-text">
            {label}
            <input
                type="text"
                class=class
                spellcheck="false"
                aria-label=label
                placeholder=placeholder
                inputmode=numeric.then_some("numeric")
                aria-describedby=described
                aria-invalid=move || problem.with(Option::is_some).to_string()
                prop:value=text
                on:input=move |ev| {
                    let typed = event_target_value(&ev);
                    text.set(typed.clone());
                    step.apply_to(problem, |k| read(k, &typed));
                }
            />
        </label>
        {hint
            .map(|hint| {
                view! {
                    <p class="hint step-hint" id=hint_id>
                        {hint}
                    </p>
                }
            })}
        <p
            class="step-problem"
            id=problem_id
            role="alert"
            hidden=move || problem.with(Option::is_none)
        >
            {move || problem.get()}
        </p>
    }
}
