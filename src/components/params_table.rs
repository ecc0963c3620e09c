//! The URL's query as a table: each row a parameter, in step with the URL field both ways.
//! Its code is in a chunk (src/lazy.rs): the URL field alone is the first minute's.

use leptos::prelude::*;
use wsprobe_core::query::{Param, looks_like_credential};

use crate::components::name_value_row::{NameValueRow, RowWords};
use crate::editor::Editor;
use crate::editor::use_editor;
use crate::lazy::{Loaded, split_point};
use crate::rows::{NameValue, RowEdit};

const WORDS: RowWords = RowWords {
    class: "param-row",
    send: "Send parameter",
    name: "Parameter name",
    value: "Parameter value",
    name_placeholder: "name",
    remove: "Remove parameter",
    secret: "Secret",
    secret_word: Some("Secret"),
    mask_secret_value: false,
};

split_point! {
    panels:
    /// The split point: this table's code is in `split_panels.wasm` (src/lazy.rs).
    pub fn params_chunk() -> Loaded<fn() -> AnyView> {
        Ok(|| view! { <ParamsTable /> }.into_any())
    }
}

#[component]
fn ParamsTable() -> impl IntoView {
    let editor = use_editor();
    let add = move |_| editor.edit_params(|params| params.push(Param::default()));
    let count = move || {
        let n = editor.params.with(|rows| {
            rows.iter()
                .filter(|r| r.value.enabled && !r.value.is_blank())
                .count()
        });
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
                <button type="button" class="small" on:click=add>
                    "Add parameter"
                </button>
            </div>
            <div class="param-rows">
                <For each=move || editor.params.ids() key=|id| *id let:id>
                    <ParamRow editor id />
                </For>
            </div>
        </section>
    }
}

#[component]
fn ParamRow(editor: Editor, id: u64) -> impl IntoView {
    let row = Signal::derive(move || {
        let p = editor.params.get(id).unwrap_or_default();
        NameValue {
            secret: Some(p.is_secret()),
            secret_by_name: looks_like_credential(&p.name),
            enabled: Some(p.enabled),
            name: p.name,
            value: p.value,
            problem: None,
        }
    });
    let on_edit = move |edit: RowEdit| {
        editor.edit_params(|params| {
            params.edit(id, |p| match edit {
                RowEdit::Enabled(on) => p.enabled = on,
                RowEdit::Name(name) => p.name = name,
                RowEdit::Value(value) => p.value = value,
                RowEdit::Secret(on) => p.secret = on,
            })
        })
    };
    let on_remove = move |()| editor.edit_params(|params| params.remove(id));
    view! { <NameValueRow words=WORDS row on_edit on_remove /> }
}
