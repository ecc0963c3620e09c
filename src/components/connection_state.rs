use leptos::prelude::*;

use crate::session::use_session;

#[component]
pub fn ConnectionState() -> impl IntoView {
    let session = use_session();
    let word = move || session.state().word();
    view! {
        <p class="state-badge" role="status" aria-label="Connection state" data-state=word>
            <span class="state-dot" aria-hidden="true"></span>
            {word}
        </p>
    }
}
