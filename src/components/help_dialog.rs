//! The keyboard shortcuts, in a dialog opened with `?` or the button beside the theme.
//! The button and the dialog's frame are in the first load; the list of shortcuts is in its
//! own wasm chunk (src/lazy.rs), fetched when the page is idle or on first opening.

use leptos::html::Dialog;
use leptos::prelude::*;

use crate::glue::page;
use crate::lazy::{Chunk, Loaded, split_point};

const SHORTCUTS: [(&str, &str); 7] = [
    ("Ctrl+Enter (\u{2318}+Enter)", "Send the message"),
    (
        "Alt+\u{2191} / Alt+\u{2193}",
        "Bring back earlier messages sent with this request",
    ),
    ("Enter on the URL", "Connect, or disconnect"),
    ("Tab, Shift+Tab", "Move between controls"),
    ("Enter or Space on a log entry", "Show the entry whole"),
    ("Escape", "Close the entry, or this dialog"),
    ("?", "Show these shortcuts"),
];

split_point! {
    panels:
    /// The split point: everything only this reaches goes to `split_panels.wasm`. `fallible`, so a
    /// failed fetch is an `Err` (and a Retry) rather than a panic, which would kill the page.
    fn help_chunk() -> Loaded<fn() -> AnyView> {
        Ok(shortcuts)
    }
}

fn shortcuts() -> AnyView {
    view! {
        <table>
            <tbody>
                {SHORTCUTS
                    .map(|(keys, what)| {
                        view! {
                            <tr>
                                <th scope="row">
                                    <kbd>{keys}</kbd>
                                </th>
                                <td>{what}</td>
                            </tr>
                        }
                    })}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
pub fn HelpDialog() -> impl IntoView {
    let chunk = Chunk::new("the keyboard shortcuts", || Box::pin(help_chunk()));
    chunk.preload_when_idle();
    let dialog = NodeRef::<Dialog>::new();
    let open = move || {
        chunk.start();
        if let Some(d) = dialog.get_untracked() {
            let _ = d.show_modal();
        }
    };
    let shortcut = page::on_shortcut_key(move |key| {
        if key == "?" {
            open();
        }
    });
    on_cleanup(move || shortcut.remove());
    view! {
        <button
            type="button"
            class="small icon help-button"
            aria-label="Keyboard shortcuts"
            title="Keyboard shortcuts (?)"
            on:click=move |_| open()
        >
            "?"
        </button>
        <dialog node_ref=dialog class="help" aria-labelledby="help-title">
            <h2 id="help-title">"Keyboard shortcuts"</h2>
            {chunk.view(|render| render())}
            <button
                type="button"
                class="small"
                on:click=move |_| {
                    if let Some(d) = dialog.get_untracked() {
                        d.close();
                    }
                }
            >
                "Close"
            </button>
        </dialog>
    }
}
