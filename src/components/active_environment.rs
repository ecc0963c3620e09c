//! The active environment: its name and its variables, one editable row each.

use leptos::prelude::*;
use wsprobe_core::variables::{Environment, Variable};

use crate::components::name_value_row::{NameValueRow, RowWords};
use crate::library::Library;
use crate::rows::RowList;
use crate::rows::{NameValue, RowEdit};

#[component]
pub fn ActiveEnvironment(library: Library, error: RwSignal<Option<String>>) -> impl IntoView {
    let active = move || library.active();
    let edit = move |f: &dyn Fn(&mut Environment)| error.set(library.edit_active(f).err());
    // The stored list, with ids that stay with each row across saves (see `RowList`).
    let rows = RowList::new(Vec::<Variable>::new());
    Effect::new(move |_| {
        let variables = active().map(|e| e.variables).unwrap_or_default();
        rows.rebuild(|_| variables, |v| v.name.clone());
    });
    view! {
        <input
            type="text"
            class="environment-name"
            aria-label="Environment name"
            prop:value=move || active().map(|e| e.name).unwrap_or_default()
            on:change=move |ev| {
                let name = event_target_value(&ev);
                edit(&|env| env.name = name.trim().to_string());
            }
        />
        <div class="variable-rows">
            <For each=move || rows.ids() key=|id| *id let:id>
                <VariableRow library error rows id />
            </For>
        </div>
        <button
            type="button"
            class="small"
            on:click=move |_| edit(&|env| env.variables.push(Variable::default()))
        >
            "Add variable"
        </button>
    }
}

const WORDS: RowWords = RowWords {
    class: "variable-row",
    send: "",
    name: "Variable name",
    value: "Variable value",
    name_placeholder: "name",
    remove: "Remove variable",
    secret: "Secret variable",
    secret_word: None,
    mask_secret_value: true,
};

#[component]
fn VariableRow(
    library: Library,
    error: RwSignal<Option<String>>,
    rows: RowList<Variable>,
    id: u64,
) -> impl IntoView {
    let row = Signal::derive(move || {
        let v = rows.get(id).unwrap_or_default();
        NameValue {
            name: v.name,
            value: v.value,
            secret: Some(v.secret),
            ..NameValue::default()
        }
    });
    // Where the row is now in the stored list, found by its id at the moment of the edit.
    let edit_stored = move |change: &dyn Fn(&mut Vec<Variable>, usize)| {
        let Some(at) = untrack(|| rows.position(id)) else {
            return;
        };
        error.set(
            library
                .edit_active(|env| change(&mut env.variables, at))
                .err(),
        );
    };
    let on_edit = move |edit: RowEdit| {
        edit_stored(&|variables, at| {
            if let Some(v) = variables.get_mut(at) {
                match &edit {
                    RowEdit::Name(name) => v.name = name.clone(),
                    RowEdit::Value(value) => v.value = value.clone(),
                    RowEdit::Secret(on) => v.secret = *on,
                    RowEdit::Enabled(_) => {}
                }
            }
        })
    };
    let on_remove = move |()| {
        edit_stored(&|variables, at| {
            if at < variables.len() {
                variables.remove(at);
            }
        })
    };
    view! { <NameValueRow words=WORDS row on_edit on_remove /> }
}
