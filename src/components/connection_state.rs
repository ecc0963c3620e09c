use leptos::prelude::*;

use crate::session::Session;

#[component]
pub fn ConnectionState(session: Session) -> impl IntoView {
    let word = move || session.state().word();
    view! {
        <p class="state-badge" role="status" aria-label="Connection state" data-state=word>
            <span class="state-dot" aria-hidden="true"></span>
            {word}
        </p>
    }
}
