//! Why a step failed: what it expected, what came instead, the closest messages and, for
//! JSON, each field that differs.

use leptos::prelude::*;
use wsprobe_core::scenario::StepState;

#[component]
pub fn StepFailure(state: Signal<Option<StepState>>) -> impl IntoView {
    let failure = move || state.get().and_then(|s| s.failure().cloned());
    move || {
        failure().map(|failure| {
            let skipped = (failure.skipped > 0)
                .then(|| format!("{} other messages passed over.", failure.skipped));
            view! {
                <div class="step-failure">
                    <p>
                        <span class="failure-label">"Expected "</span>
                        {failure.expected.clone()}
                    </p>
                    <p>
                        <span class="failure-label">"Instead "</span>
                        {failure.actual.clone()}
                    </p>
                    {skipped.map(|text| view! { <p class="muted">{text}</p> })}
                    <ul class="failure-near">
                        {failure
                            .received
                            .into_iter()
                            .map(|near| {
                                view! {
                                    <li>
                                        <code>{near.preview}</code>
                                        " \u{2014} "
                                        {near.why}
                                        <ul class="failure-differences">
                                            {near
                                                .differences
                                                .iter()
                                                .map(|d| view! { <li>{d.to_string()}</li> })
                                                .collect_view()}
                                        </ul>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    }
}
