//! What a step that speaks a protocol has besides its Expected text: the event an Expect
//! event step waits for, whether an Emit asks for an acknowledgement, whether a Call is a
//! notification, and whether an Expect result wants an error.

use leptos::prelude::*;
use wsprobe_core::scenario::StepKind;
use wsprobe_core::scenario::edit;

use crate::components::step_check::StepCheck;
use crate::components::step_text::StepText;
use crate::step_editor::StepEditor;

#[component]
pub fn StepProtocol(step: StepEditor, kind: Memo<StepKind>) -> impl IntoView {
    let event = Memo::new(move |_| kind.with(edit::event_name).unwrap_or_default());
    let is_event = move || matches!(kind.get(), StepKind::ExpectEvent { .. });
    view! {
        <Show when=is_event>
            <StepText
                step
                stored=event
                read=edit::set_event_name
                label="Event"
                placeholder="event name (empty: any)"
                class="step-event"
            />
        </Show>
        {move || {
            kind.with(edit::protocol_flag_label)
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
    }
}
