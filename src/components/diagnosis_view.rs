//! A failed handshake's diagnosis: the likely cause and how sure it is, what was checked,
//! what to try, and one-click retries when the subprotocols may be to blame.

use leptos::prelude::*;
use wsprobe_core::diagnosis::{Cause, Diagnosis};

use crate::editor::use_editor;
use crate::session::use_session;

#[component]
pub fn DiagnosisView(diagnosis: Diagnosis) -> impl IntoView {
    let session = use_session();
    let editor = use_editor();
    let Diagnosis {
        cause,
        certainty,
        headline,
        checked,
        next,
    } = diagnosis;
    let requested = session
        .attempt
        .with_untracked(|a| a.as_ref().map(|a| a.requested.clone()).unwrap_or_default());
    let retry = move |protocols: String| {
        editor.subprotocols.set(protocols);
        session.connect();
    };
    let retries = (cause == Cause::SubprotocolOrUpgrade).then(|| {
        let alone = requested.clone().into_iter().map(move |p| {
            let label = format!("Retry with only {p}");
            view! {
                <button type="button" class="small" on:click=move |_| retry(p.clone())>
                    {label}
                </button>
            }
        });
        view! {
            <div class="retries">
                <button type="button" class="small" on:click=move |_| retry(String::new())>
                    "Retry without subprotocols"
                </button>
                {alone.collect_view()}
            </div>
        }
    });
    view! {
        <div class="diagnosis" data-cause=format!("{cause:?}")>
            <h3>"Diagnosis " <span class="certainty">{certainty.to_string()}</span></h3>
            <p class="headline">{headline}</p>
            <Show when={
                let empty = checked.is_empty();
                move || !empty
            }>
                <p class="checked">"Checked: " {checked.join("; ")} "."</p>
            </Show>
            <ul class="next">{next.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
            {retries}
        </div>
    }
}
