//! What Disconnect closes with: a code a browser may send, and a reason, checked as typed.

use leptos::prelude::*;
use wsprobe_core::close_code;

use crate::session::ConnectionOptions;

#[component]
pub fn CloseOptions(options: RwSignal<ConnectionOptions>) -> impl IntoView {
    let close_problem =
        move || options.with(|o| close_code::check_user_close(o.close_code, &o.close_reason).err());
    let close_meaning = move || {
        let code = options.with(|o| o.close_code);
        close_code::describe(code).meaning
    };
    view! {
        <label class="option">
            <span>"Close code"</span>
            <input
                type="number"
                min="1000"
                max="4999"
                aria-invalid=move || close_problem().is_some().to_string()
                prop:value=move || options.with(|o| o.close_code).to_string()
                on:input=move |ev| {
                    let code = event_target_value(&ev).trim().parse::<u16>().unwrap_or(0);
                    options.update(|o| o.close_code = code);
                }
            />
        </label>
        <p class="hint">{close_meaning}</p>
        <label class="option">
            <span>"Close reason"</span>
            <input
                type="text"
                aria-invalid=move || close_problem().is_some().to_string()
                prop:value=move || options.with(|o| o.close_reason.clone())
                on:input=move |ev| options.update(|o| o.close_reason = event_target_value(&ev))
            />
        </label>
        <p class="hint error" role="alert">
            {close_problem}
        </p>
    }
}
