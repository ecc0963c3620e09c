//! A Connect step's refusal test; an Expect message step's skipping and capture.

use leptos::prelude::*;
use wsprobe_core::scenario::edit;
use wsprobe_core::scenario::{Mode, StepKind};

use crate::step_editor::StepEditor;

#[component]
pub fn StepOptions(step: StepEditor, kind: Memo<StepKind>) -> impl IntoView {
    let is_connect = move || matches!(kind.get(), StepKind::Connect { .. });
    let refused = move || matches!(kind.get(), StepKind::Connect { refused: true, .. });
    let is_expect = move || matches!(kind.get(), StepKind::ExpectMessage { .. });
    let skips = move || {
        matches!(
            kind.get(),
            StepKind::ExpectMessage {
                mode: Mode::SkipUntil,
                ..
            }
        )
    };
    let capture = move || edit::capture_text(&kind.get());
    view! {
        <Show when=is_connect>
            <label class="step-option">
                <input
                    type="checkbox"
                    prop:checked=refused
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        step.set(|k| {
                            if let StepKind::Connect { refused, status, subprotocol, .. } = k {
                                (*refused, *status, *subprotocol) = (on, None, None);
                            }
                        })
                    }
                />
                "Expect refusal"
            </label>
        </Show>
        <Show when=is_expect>
            <label class="step-option">
                <input
                    type="checkbox"
                    prop:checked=skips
                    on:change=move |ev| {
                        let mode = if event_target_checked(&ev) {
                            Mode::SkipUntil
                        } else {
                            Mode::Next
                        };
                        step.set(|k| {
                            if let StepKind::ExpectMessage { mode: m, .. } = k {
                                *m = mode;
                            }
                        })
                    }
                />
                "Skip other messages"
            </label>
            <input
                type="text"
                class="step-capture"
                aria-label="Capture into"
                placeholder="capture into variable"
                prop:value=move || capture().0
                on:change=move |ev| {
                    let name = event_target_value(&ev);
                    step.apply(|k| {
                        let from = edit::capture_text(k).1;
                        edit::set_capture(k, &name, &from)
                    })
                }
            />
            <input
                type="text"
                class="step-capture"
                aria-label="Capture from"
                placeholder="/json/pointer or regex (group 1)"
                prop:value=move || capture().1
                on:change=move |ev| {
                    let from = event_target_value(&ev);
                    step.apply(|k| {
                        let name = edit::capture_text(k).0;
                        edit::set_capture(k, &name, &from)
                    })
                }
            />
        </Show>
    }
}
