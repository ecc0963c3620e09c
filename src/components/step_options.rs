//! A Connect step's refusal test and its status; an expect step's skipping and capture; an
//! Expect close step's reason; a protocol step's Acknowledgement, Notification or Expect an
//! error.

use leptos::prelude::*;
use wsprobe_core::scenario::StepKind;
use wsprobe_core::scenario::edit;

use crate::components::step_check::StepCheck;
use crate::components::step_text::StepText;
use crate::editor::use_editor;
use crate::step_editor::StepEditor;

/// What the Refusal status field says of where the status can be checked.
const STATUS_HINT: &str = "A browser does not tell a page the HTTP status of a refused \
handshake: the status is checked only through the relay (Use relay) or by wsprobe run. In the \
browser alone a step with a status fails, saying so. Empty: any refusal.";

#[component]
pub fn StepOptions(step: StepEditor, kind: Memo<StepKind>) -> impl IntoView {
    let editor = use_editor();
    let is_connect = move || matches!(kind.get(), StepKind::Connect { .. });
    let refused = move || kind.with(edit::expects_refusal);
    let captures = move || {
        matches!(
            kind.get(),
            StepKind::ExpectMessage { .. }
                | StepKind::ExpectEvent { .. }
                | StepKind::ExpectResult { .. }
        )
    };
    let capture = move || edit::capture_text(&kind.get());
    let is_expect_close = move || matches!(kind.get(), StepKind::ExpectClose { .. });
    let status = Memo::new(move |_| kind.with(edit::refusal_status).unwrap_or_default());
    let reason = Memo::new(move |_| kind.with(edit::close_reason).unwrap_or_default());
    view! {
        <Show when=is_connect>
            <StepCheck
                step
                kind
                label="Expect refusal"
                read=edit::expects_refusal
                write=edit::set_expects_refusal
            />
            <Show when=refused>
                <StepText
                    step
                    stored=status
                    read=edit::set_refusal_status
                    label="Refusal status"
                    placeholder="any"
                    class="step-number-input"
                    hint=STATUS_HINT
                    numeric=true
                />
            </Show>
        </Show>
        <Show when=is_expect_close>
            <StepText
                step
                stored=reason
                read=edit::set_close_reason
                label="Close reason"
                placeholder="regular expression (optional)"
                class="step-pattern"
            />
        </Show>
        {move || {
            let protocol = editor.protocol.with(|p| p.protocol);
            kind.with(|k| edit::protocol_flag_label(k, protocol))
                .map(|label| {
                    view! {
                        <StepCheck
                            step
                            kind
                            label
                            read=edit::protocol_flag
                            write=edit::set_protocol_flag
                        />
                    }
                })
        }}
        {move || {
            kind.with(edit::skip_label)
                .map(|label| {
                    view! {
                        <StepCheck
                            step
                            kind
                            label
                            read=edit::skips_others
                            write=edit::set_skips_others
                        />
                    }
                })
        }}
        <Show when=captures>
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
