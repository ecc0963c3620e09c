use leptos::prelude::*;

use crate::session::Session;

#[component]
pub fn RequestBar(session: Session) -> impl IntoView {
    let live = move || session.state().is_live();
    let invalid = move || session.request_error.with(Option::is_some).to_string();
    let clear_error = move |_| session.request_error.set(None);
    view! {
        <form
            class="request-bar"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                session.toggle();
            }
        >
            <label class="field field-url">
                <span class="field-label">"URL"</span>
                <input
                    type="text"
                    inputmode="url"
                    spellcheck="false"
                    autocomplete="off"
                    placeholder="wss://example.com/socket"
                    aria-invalid=invalid
                    aria-describedby="request-error"
                    bind:value=session.url
                    on:input=clear_error
                />
            </label>
            <label class="field field-protocols">
                <span class="field-label">"Subprotocols"</span>
                <input
                    type="text"
                    spellcheck="false"
                    autocomplete="off"
                    placeholder="chat, json"
                    bind:value=session.subprotocols
                    on:input=clear_error
                />
            </label>
            <button type="submit" class="connect" class:live=live>
                {move || if live() { "Disconnect" } else { "Connect" }}
            </button>
        </form>
        <p id="request-error" class="request-error" role="alert">
            {move || session.request_error.get()}
        </p>
    }
}
