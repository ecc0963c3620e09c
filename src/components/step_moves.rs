//! Move a step up or down, duplicate it, remove it.

use leptos::prelude::*;

use crate::glue::page;
use crate::step_editor::StepEditor;

#[component]
pub fn StepMoves(step: StepEditor) -> impl IntoView {
    let label = move |action: &str| format!("{action} {}", step.number());
    // A moved row loses the browser's focus: give it back so the key can be pressed again.
    let moved = move |ev: leptos::ev::MouseEvent, by: isize| {
        step.around(|s, id| s.move_step(id, by));
        page::focus_again(&ev);
    };
    view! {
        <span class="step-moves">
            <button
                type="button"
                class="small icon"
                aria-label=move || label("Move up step")
                on:click=move |ev| moved(ev, -1)
            >
                "\u{2191}"
            </button>
            <button
                type="button"
                class="small icon"
                aria-label=move || label("Move down step")
                on:click=move |ev| moved(ev, 1)
            >
                "\u{2193}"
            </button>
            <button
                type="button"
                class="small icon"
                aria-label=move || label("Duplicate step")
                on:click=move |_| step.around(|s, id| s.duplicate_step(id))
            >
                "\u{274f}"
            </button>
            <button
                type="button"
                class="small icon"
                aria-label=move || label("Remove step")
                on:click=move |_| step.around(|s, id| s.remove_step(id))
            >
                "\u{d7}"
            </button>
        </span>
    }
}
