//! Messages about the person's data: storage that is missing, full or unreadable, the share
//! link or relay pairing link the page was opened with; and a new version of the page, ready to load.

use leptos::prelude::*;

use crate::components::unreadable_notice::UnreadableNotice;
use crate::context::use_update_ready;
use crate::glue::offline;
use crate::library::use_library;
use crate::relay_settings::use_relay_settings;
use crate::sharing::use_sharing;

#[component]
pub fn Notices() -> impl IntoView {
    let sharing = use_sharing();
    let update_ready = use_update_ready();
    let library = use_library();
    let relay = use_relay_settings();
    view! {
        <div class="notices">
            <Show when=move || update_ready.get()>
                <p class="notice" role="status">
                    "A new version of wsprobe is ready. "
                    <button type="button" class="link" on:click=move |_| offline::activate_update()>
                        "Reload to update"
                    </button>
                </p>
            </Show>
            {move || {
                library
                    .unavailable
                    .get()
                    .map(|why| {
                        view! {
                            <p class="notice warn" role="alert">
                                "This browser does not let the page keep anything ("
                                {why}
                                "), so nothing you save will be remembered after this visit. Everything else works."
                            </p>
                        }
                    })
            }}
            <For
                each=move || library.unreadable.get()
                key=|u| (u.what, u.backup_key.clone())
                children=move |u| view! { <UnreadableNotice unreadable=u /> }
            />
            {move || {
                library
                    .error
                    .get()
                    .map(|why| {
                        view! {
                            <Dismissible
                                text=why
                                error=true
                                dismiss=move || library.error.set(None)
                            />
                        }
                    })
            }}
            {move || {
                sharing
                    .opened
                    .get()
                    .map(|(text, error)| {
                        view! {
                            <Dismissible text error dismiss=move || sharing.opened.set(None)>
                                <Show when=move || sharing.undo.with(Option::is_some)>
                                    <button
                                        type="button"
                                        class="link"
                                        on:click=move |_| sharing.undo_open()
                                    >
                                        "Undo"
                                    </button>
                                    " "
                                </Show>
                            </Dismissible>
                        }
                    })
            }}
            {move || {
                relay
                    .paired
                    .get()
                    .map(|(text, error)| {
                        view! { <Dismissible text error dismiss=move || relay.paired.set(None) /> }
                    })
            }}
        </div>
    }
}

/// A message about the page's data with a Dismiss button (and any other buttons before it).
#[component]
fn Dismissible(
    text: String,
    error: bool,
    dismiss: impl Fn() + 'static,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <p class="notice" class:error=error role=if error { "alert" } else { "status" }>
            {text}
            " "
            {children.map(|buttons| buttons())}
            <button type="button" class="link" on:click=move |_| dismiss()>
                "Dismiss"
            </button>
        </p>
    }
}
