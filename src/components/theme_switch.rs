//! Light, dark, or whatever the system prefers; remembered.

use leptos::prelude::*;

use crate::glue::page;
use crate::library::use_library;

const THEME_KEY: &str = "wsprobe.theme";

#[component]
pub fn ThemeSwitch() -> impl IntoView {
    let library = use_library();
    let chosen = RwSignal::new(
        library
            .setting(THEME_KEY)
            .filter(|t| t == "light" || t == "dark"),
    );
    Effect::new(move |_| page::set_theme(chosen.get().as_deref()));
    view! {
        <select
            class="theme"
            aria-label="Theme"
            on:change=move |ev| {
                let value = event_target_value(&ev);
                library.set_setting(THEME_KEY, &value);
                chosen.set(Some(value).filter(|v| !v.is_empty()));
            }
        >
            <option value="" selected=move || chosen.get().is_none()>
                "System"
            </option>
            <option value="light" selected=move || chosen.get().as_deref() == Some("light")>
                "Light"
            </option>
            <option value="dark" selected=move || chosen.get().as_deref() == Some("dark")>
                "Dark"
            </option>
        </select>
    }
}
