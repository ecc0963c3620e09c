//! The command that starts a relay for this very page, with a button to copy it: the page's
//! origin is named with `--allow-origin` when it is not on this machine, and `--page` makes the
//! relay print a link that pairs this page in one click.

use leptos::prelude::*;
use wsprobe_core::relay::pairing;

use crate::glue::{clipboard, page};

#[component]
pub fn RelayCommand() -> impl IntoView {
    let command = pairing::command(&page::address(), &page::origin());
    let status = RwSignal::new(None::<(String, bool)>);
    let copy = {
        let command = command.clone();
        move |_| {
            let command = command.clone();
            leptos::task::spawn_local(async move {
                let said = clipboard::copy_and_say(
                    &command,
                    "Command copied.",
                    "select the command and copy it",
                );
                status.set(Some(said.await));
            });
        }
    };
    view! {
        <div class="relay-command">
            <p class="hint">
                "Start the relay on this machine with this command, then open the link it prints to pair this page (or paste its token above). From a checkout, "
                <code>"cargo run -p wsprobe-cli -- relay"</code> " takes the same arguments."
            </p>
            <div class="command-row">
                <code class="command" aria-label="Relay command">
                    {command}
                </code>
                <button type="button" class="small" on:click=copy>
                    "Copy relay command"
                </button>
            </div>
            {move || {
                status
                    .get()
                    .map(|(text, error)| {
                        view! {
                            <p class="hint" class:error=error role="status">
                                {text}
                            </p>
                        }
                    })
            }}
        </div>
    }
}
