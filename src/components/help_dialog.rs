//! The keyboard shortcuts, in a dialog opened with `?` or the button beside the theme.

use leptos::html::Dialog;
use leptos::prelude::*;

use crate::glue::page;

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

#[component]
pub fn HelpDialog() -> impl IntoView {
    let dialog = NodeRef::<Dialog>::new();
    let open = move || {
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
