//! Environments: named sets of variables for `{{name}}`, one of them active.

use leptos::prelude::*;
use wsprobe_core::saved::{self, ListChange};
use wsprobe_core::variables::{BUILTIN_NAMES, Environment, Variable};

use crate::components::active_environment::ActiveEnvironment;
use crate::lazy::{Loaded, split_point};
use crate::library::{Library, use_library};
use crate::stored_list::Codec;

#[component]
pub fn Environments() -> impl IntoView {
    let library = use_library();
    // The environments are read with this panel's code, not with the first page.
    library.environments.attach(Codec::serde());
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

split_point! {
    panels:
    /// The split point: this panel's code is in `split_panels.wasm` (src/lazy.rs).
    pub fn environments_chunk() -> Loaded<fn() -> AnyView> {
        Ok(|| view! { <Environments /> }.into_any())
    }
}
