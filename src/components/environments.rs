//! Environments: named sets of variables for `{{name}}`, one of them active.

use leptos::prelude::*;
use wsprobe_core::saved::{self, ListChange};
use wsprobe_core::variables::{BUILTIN_NAMES, Environment, Variable};

use crate::library::Library;

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
                <button type="button" class="small" aria-label="New environment" on:click=create>"New"</button>
            </div>
            <select
                aria-label="Environment"
                on:change=move |ev| {
                    let id = event_target_value(&ev);
                    library.choose_environment(if id.is_empty() { None } else { Some(id) });
                }
            >
                <option value="" selected=move || active().is_none()>"No environment"</option>
                <For
                    each=move || library.environments.items.with(|all| saved::by_name(all))
                    key=|env| (env.id.clone(), env.name.clone())
                    children=move |env| {
                        let id = env.id.clone();
                        view! {
                            <option value=env.id.clone() selected=move || library.active_environment.with(|a| a.as_deref() == Some(id.as_str()))>
                                {env.name.clone()}
                            </option>
                        }
                    }
                />
            </select>
            <Show when=move || active().is_some()>
                <ActiveEnvironment library error />
                <button type="button" class="small" on:click=remove>"Delete environment"</button>
            </Show>
            <p class="hint">"Use {{name}} in the URL, parameters or message (\\{{ sends the braces as they are). Built-in: " {builtins.clone()}</p>
            <p class="hint error" role="alert">{move || error.get()}</p>
        </section>
    }
}

#[component]
fn ActiveEnvironment(library: Library, error: RwSignal<Option<String>>) -> impl IntoView {
    let active = move || library.active();
    let edit = move |f: &dyn Fn(&mut Environment)| error.set(library.edit_active(f).err());
    let rows = move || 0..active().map_or(0, |e| e.variables.len());
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
            <For each=rows key=|i| *i let:i>
                <VariableRow library error i />
            </For>
        </div>
        <button type="button" class="small" on:click=move |_| edit(&|env| env.variables.push(Variable::default()))>
            "Add variable"
        </button>
    }
}

#[component]
fn VariableRow(library: Library, error: RwSignal<Option<String>>, i: usize) -> impl IntoView {
    let variable = move || {
        library
            .active()
            .and_then(|e| e.variables.get(i).cloned())
            .unwrap_or_default()
    };
    let edit = move |f: &dyn Fn(&mut Variable)| {
        error.set(
            library
                .edit_active(|env| env.variables.get_mut(i).into_iter().for_each(f))
                .err(),
        )
    };
    view! {
        <div class="variable-row">
            <input
                type="text"
                aria-label="Variable name"
                placeholder="name"
                spellcheck="false"
                prop:value=move || variable().name
                on:input=move |ev| {
                    let name = event_target_value(&ev);
                    edit(&|v| v.name = name.clone());
                }
            />
            <input
                type=move || if variable().secret { "password" } else { "text" }
                aria-label="Variable value"
                placeholder="value"
                spellcheck="false"
                autocomplete="off"
                prop:value=move || variable().value
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    edit(&|v| v.value = value.clone());
                }
            />
            <label class="toggle" title="Keep its value out of exports unless asked">
                <input
                    type="checkbox"
                    aria-label="Secret variable"
                    prop:checked=move || variable().secret
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        edit(&|v| v.secret = on);
                    }
                />
            </label>
            <button
                type="button"
                class="small icon"
                aria-label="Remove variable"
                on:click=move |_| {
                    let removed = library
                        .edit_active(|env| {
                            if i < env.variables.len() {
                                env.variables.remove(i);
                            }
                        });
                    error.set(removed.err());
                }
            >
                "\u{d7}"
            </button>
        </div>
    }
}
