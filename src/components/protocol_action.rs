//! The row a protocol acts with: what to invoke (an event, a method), a checkbox that changes
//! how (acknowledgement, notification), the button, and a hint that turns into the reason
//! when the last press was refused. The message composer holds the arguments.

use leptos::prelude::*;
use wsprobe_core::connection::ConnectionState;

use crate::components::protocol_field::ProtocolField;
use crate::session::use_session;

#[component]
pub fn ProtocolAction(
    /// The text field's label: Event, Method.
    label: &'static str,
    placeholder: &'static str,
    value: Signal<String>,
    on_input: Callback<String>,
    /// The checkbox's label: Acknowledgement, Notification.
    check: &'static str,
    checked: Signal<bool>,
    on_check: Callback<bool>,
    /// The button: Emit, Call.
    button: &'static str,
    on_press: Callback<()>,
    /// What the hint says, and whether it is an error.
    hint: Signal<(String, bool)>,
    hint_id: &'static str,
) -> impl IntoView {
    let session = use_session();
    let open = move || session.state() == ConnectionState::Open;
    view! {
        <div class="protocol-fields">
            <ProtocolField label placeholder value on_input />
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=checked
                    on:change=move |ev| on_check.run(event_target_checked(&ev))
                />
                {check}
            </label>
            <button
                type="button"
                class="send"
                aria-describedby=hint_id
                disabled=move || !open()
                on:click=move |_| on_press.run(())
            >
                {button}
            </button>
        </div>
        <p id=hint_id class="hint" class:error=move || hint.get().1>
            {move || hint.get().0}
        </p>
    }
}
