//! Before a request from someone else's share link sends the person's secret variables:
//! which secrets, to which host, and their word.

use leptos::prelude::*;

use crate::session::Session;

#[component]
pub fn ConsentPrompt(session: Session) -> impl IntoView {
    move || {
        session.consent_needed.get().map(|(needed, _)| {
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
                            on:click=move |_| session.consent_needed.set(None)
                        >
                            "Do not send"
                        </button>
                    </p>
                </div>
            }
        })
    }
}
