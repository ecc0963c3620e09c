//! The URL's query as a table: each row a parameter, in step with the URL field both ways.

use leptos::prelude::*;
use wsprobe_core::query::{Param, looks_like_credential};

use crate::session::Session;

#[component]
pub fn ParamsTable(session: Session) -> impl IntoView {
    let rows = move || 0..session.params.with(Vec::len);
    let add = move |_| session.edit_params(|params| params.push(Param::default()));
    let count = move || {
        let n = session
            .params
            .with(|p| p.iter().filter(|p| p.enabled && !p.is_blank()).count());
        if n == 0 {
            String::new()
        } else {
            format!("({n} sent)")
        }
    };
    view! {
        <section class="params" aria-labelledby="params-title">
            <div class="params-head">
                <h2 id="params-title">"Query parameters"</h2>
                <span class="muted">{count}</span>
                <button type="button" class="small" on:click=add>"Add parameter"</button>
            </div>
            <div class="param-rows">
                <For each=rows key=|i| *i let:i>
                    <ParamRow session i />
                </For>
            </div>
        </section>
    }
}

#[component]
fn ParamRow(session: Session, i: usize) -> impl IntoView {
    let param = move || {
        session
            .params
            .with(|p| p.get(i).cloned().unwrap_or_default())
    };
    let edit = move |change: &dyn Fn(&mut Param)| {
        session.edit_params(|params| {
            if let Some(p) = params.get_mut(i) {
                change(p);
            }
        })
    };
    let automatic = move || looks_like_credential(&param().name);
    view! {
        <div class="param-row" class:disabled=move || !param().enabled>
            <input
                type="checkbox"
                aria-label="Send parameter"
                title="Send this parameter"
                prop:checked=move || param().enabled
                on:change=move |ev| edit(&|p| p.enabled = event_target_checked(&ev))
            />
            <input
                type="text"
                class="param-name"
                aria-label="Parameter name"
                placeholder="name"
                spellcheck="false"
                autocomplete="off"
                prop:value=move || param().name
                on:input=move |ev| edit(&|p| p.name = event_target_value(&ev))
            />
            <input
                type="text"
                class="param-value"
                aria-label="Parameter value"
                placeholder="value"
                spellcheck="false"
                autocomplete="off"
                prop:value=move || param().value
                on:input=move |ev| edit(&|p| p.value = event_target_value(&ev))
            />
            <label
                class="toggle"
                title=move || {
                    if automatic() {
                        "Its name looks like a credential, so it is kept out of share links"
                    } else {
                        "Keep its value out of share links"
                    }
                }
            >
                <input
                    type="checkbox"
                    prop:checked=move || param().is_secret()
                    disabled=automatic
                    on:change=move |ev| edit(&|p| p.secret = event_target_checked(&ev))
                />
                "Secret"
            </label>
            <button
                type="button"
                class="small icon"
                aria-label="Remove parameter"
                title="Remove parameter"
                on:click=move |_| {
                    session
                        .edit_params(|params| {
                            if i < params.len() {
                                params.remove(i);
                            }
                        })
                }
            >
                "×"
            </button>
        </div>
    }
}
