//! Environments: named sets of variables for `{{name}}`, one of them active.

use leptos::prelude::*;
use wsprobe_core::saved::{self, ListChange};
use wsprobe_core::variables::{BUILTIN_NAMES, Environment, Variable};

use crate::components::name_value_row::{NameValue, NameValueRow, RowEdit, RowWords};
use crate::library::Library;
use crate::rows::RowList;

#[component]
pub fn Environments(library: Library) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let active = move || library.active();
    let change =
        move |change: ListChange<Environment>| error.set(library.change_environment(change).err());
    let create = move |_| {
        let name = library
            .environments
            .items
            .with_untracked(|all| saved::free_name(all, "New environment"));
        let id = Library::new_id();
        change(ListChange::Put(Environment {
            id: id.clone(),
            name,
            variables: vec![Variable::default()],
        }));
        library.choose_environment(Some(id));
    };
    let remove = move |_| {
        if let Some(env) = untrack(active) {
            change(ListChange::Remove { id: env.id });
            library.choose_environment(None);
        }
    };
    let builtins = BUILTIN_NAMES.map(|n| format!("{{{{{n}}}}}")).join(" ");
    view! {
        <section class="panel environments" aria-labelledby="environments-title">
            <div class="panel-head">
                <h2 id="environments-title">"Environments"</h2>
                <button type="button" class="small" aria-label="New environment" on:click=create>
                    "New"
                </button>
            </div>
            <select
                aria-label="Environment"
                on:change=move |ev| {
                    let id = event_target_value(&ev);
                    library.choose_environment(if id.is_empty() { None } else { Some(id) });
                }
            >
                <option value="" selected=move || active().is_none()>
                    "No environment"
                </option>
                <For
                    each=move || library.environments.items.with(|all| saved::by_name(all))
                    key=|env| (env.id.clone(), env.name.clone())
                    children=move |env| {
                        let id = env.id.clone();
                        view! {
                            <option
                                value=env.id.clone()
                                selected=move || {
                                    library
                                        .active_environment
                                        .with(|a| a.as_deref() == Some(id.as_str()))
                                }
                            >
                                {env.name.clone()}
                            </option>
                        }
                    }
                />
            </select>
            <Show when=move || active().is_some()>
                <ActiveEnvironment library error />
                <button type="button" class="small" on:click=remove>
                    "Delete environment"
                </button>
            </Show>
            <p class="hint">
                "Use {{name}} in the URL, parameters or message (\\{{ sends the braces as they are). Built-in: "
                {builtins.clone()}
            </p>
            <p class="hint error" role="alert">
                {move || error.get()}
            </p>
        </section>
    }
}

#[component]
fn ActiveEnvironment(library: Library, error: RwSignal<Option<String>>) -> impl IntoView {
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
