//! A step's main fields, as its kind has them: how it matches, and what it expects (or, for
//! a Send, what it sends and in which format). Text that does not read yet stays in its
//! field with the reason beside it; the step keeps its last good value meanwhile.

use leptos::prelude::*;
use wsprobe_core::compose::Format;
use wsprobe_core::scenario::StepKind;
use wsprobe_core::scenario::edit::{self, MATCHES};

use crate::components::step_limits::StepLimits;
use crate::components::step_options::StepOptions;
use crate::components::step_text::StepText;
use crate::step_editor::StepEditor;

#[component]
pub fn StepFields(
    step: StepEditor,
    kind: Memo<StepKind>,
    /// The step's state in the last run, in words.
    status: Signal<String>,
) -> impl IntoView {
    let expected = RwSignal::new(edit::expected_text(&kind.get_untracked()));
    // A new kind or match (or a Connect turned into a refusal test, or back) shows what the
    // step now holds.
    let shape = Memo::new(move |_| {
        kind.with(|k| {
            (
                edit::kind_label(k),
                edit::matcher(k).map(edit::matcher_label),
                edit::refusal_status(k).is_some(),
            )
        })
    });
    Effect::new(move |_| {
        shape.track();
        expected.set(edit::expected_text(&kind.get_untracked()));
    });
    let matcher = move || shape.get().1;
    let event = Memo::new(move |_| kind.with(edit::event_name).unwrap_or_default());
    let is_send = move || matches!(kind.get(), StepKind::Send { .. });
    // A refused Connect's status has a field of its own, beside Expect refusal.
    let has_expected = move || {
        !matches!(
            kind.get(),
            StepKind::Wait { .. } | StepKind::Connect { refused: true, .. }
        ) && matcher() != Some("Any")
    };
    let format_is =
        move |f: Format| matches!(kind.get(), StepKind::Send { format, .. } if format == f);
    view! {
        <div class="step-fields">
            <span class="step-state">{status}</span>
            // The event an Expect event step waits for comes before how its arguments match.
            <Show when=move || matches!(kind.get(), StepKind::ExpectEvent { .. })>
                <StepText
                    step
                    stored=event
                    read=edit::set_event_name
                    label="Event"
                    placeholder="event name (empty: any)"
                    class="step-event"
                />
            </Show>
            <Show when=move || matcher().is_some()>
                <select
                    aria-label="Match"
                    on:change=move |ev| {
                        let label = event_target_value(&ev);
                        step.set(|k| edit::set_match(k, &label))
                    }
                >
                    {MATCHES
                        .into_iter()
                        .map(|m| {
                            view! { <option selected=move || matcher() == Some(m)>{m}</option> }
                        })
                        .collect_view()}
                </select>
            </Show>
            <Show when=is_send>
                <select
                    aria-label="Step format"
                    on:change=move |ev| {
                        let chosen = Format::from_label(&event_target_value(&ev))
                            .unwrap_or_default();
                        step.set(|k| {
                            if let StepKind::Send { format, .. } = k {
                                *format = chosen;
                            }
                        })
                    }
                >
                    {Format::ALL
                        .into_iter()
                        .map(|f| {
                            view! { <option selected=move || format_is(f)>{f.label()}</option> }
                        })
                        .collect_view()}
                </select>
            </Show>
            <Show when=has_expected>
                <input
                    type="text"
                    class="step-expected"
                    spellcheck="false"
                    aria-label=move || if is_send() { "Step message" } else { "Expected" }
                    placeholder=move || edit::expected_hint(&kind.get())
                    aria-invalid=move || step.problem.with(Option::is_some).to_string()
                    prop:value=expected
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        expected.set(text.clone());
                        step.apply(|k| edit::set_expected(k, &text))
                    }
                />
            </Show>
            <StepLimits step kind />
            <StepOptions step kind />
            <p class="step-problem" role="alert" hidden=move || step.problem.with(Option::is_none)>
                {move || step.problem.get()}
            </p>
        </div>
    }
}
