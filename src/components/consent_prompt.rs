//! Before a request from someone else's share link sends the person's secret variables:
//! which secrets, to which host, and their word. Its code is in a chunk (src/lazy.rs); a
//! Connect that needs the word before it has loaded shows the prompt once it has.

use leptos::prelude::*;

use crate::editor::use_editor;
use crate::lazy::{Loaded, split_point};
use crate::session::use_session;

split_point! {
    panels:
    /// The split point: the prompt's code is in `split_panels.wasm` (src/lazy.rs).
    pub fn consent_chunk() -> Loaded<fn() -> AnyView> {
        Ok(|| view! { <ConsentPrompt /> }.into_any())
    }
}

#[component]
fn ConsentPrompt() -> impl IntoView {
    let session = use_session();
    let editor = use_editor();
    move || {
        editor.consent_needed.get().map(|(needed, _)| {
            view! {
                <div
                    class="notice warn consent"
                    role="alertdialog"
                    aria-label="Send secrets to this host?"
                >
                    <p>{needed.to_string()}</p>
                    <p>
                        <button type="button" on:click=move |_| session.agree_to_send_secrets()>
                            {format!("Allow for this link: send to {}", needed.host)}
                        </button>
                        " "
                        <button
                            type="button"
                            class="link"
                            on:click=move |_| editor.consent_needed.set(None)
                        >
                            "Do not send"
                        </button>
                    </p>
                </div>
            }
        })
    }
}
