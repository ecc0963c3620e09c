use leptos::prelude::*;
use wsprobe_core::connection::ConnectionState;

use crate::session::Session;

#[component]
pub fn Composer(session: Session) -> impl IntoView {
    let open = move || session.state() == ConnectionState::Open;
    let send = move || {
        if open() {
            session.send();
        }
    };
    let hint = move || {
        session.send_error.get().unwrap_or_else(|| {
            if open() {
                "Ctrl+Enter (⌘+Enter) sends."
            } else {
                "Connect to send messages."
            }
            .to_string()
        })
    };
    view! {
        <section class="panel composer" aria-labelledby="composer-title">
            <h2 id="composer-title">"Compose"</h2>
            <textarea
                class="message"
                aria-label="Message"
                spellcheck="false"
                placeholder="Type a message"
                bind:value=session.message
                on:keydown=move |ev| {
                    if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                        ev.prevent_default();
                        send();
                    }
                }
            ></textarea>
            <div class="composer-actions">
                <p id="send-hint" class="hint" class:error=move || session.send_error.with(Option::is_some)>
                    {hint}
                </p>
                <button type="button" class="send" aria-describedby="send-hint" disabled=move || !open() on:click=move |_| send()>
                    "Send"
                </button>
            </div>
        </section>
    }
}
