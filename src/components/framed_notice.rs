//! What the page shows instead of itself inside another site's frame.

use leptos::prelude::*;

use crate::glue::page;

#[component]
pub fn FramedNotice() -> impl IntoView {
    view! {
        <main class="framed-notice">
            <h1>"wsprobe"</h1>
            <p role="alert">
                "wsprobe does not work inside another site\u{2019}s page, so that no site can dress it up \
                 and watch or steer what you type. Nothing was loaded."
            </p>
            <p>
                <a href=page::address() target="_blank" rel="noopener noreferrer">
                    "Open wsprobe in its own tab"
                </a>
            </p>
        </main>
    }
}
