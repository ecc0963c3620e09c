//! The service worker that keeps the app shell for offline use (web/sw.js).

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

use crate::glue::page;

/// Registers the service worker; calls `update_ready` when a new version has been installed
/// behind the one this page runs (not on the first install).
pub fn register(update_ready: impl Fn() + Clone + 'static) {
    let Some(container) = page::secure_navigator_part::<ServiceWorkerContainer>("serviceWorker")
    else {
        return;
    };
    let had_controller = container.controller().is_some();
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(registration) = JsFuture::from(container.register("./sw.js")).await else {
            return;
        };
        let Ok(registration) = registration.dyn_into::<ServiceWorkerRegistration>() else {
            return;
        };
        if registration.waiting().is_some() && had_controller {
            update_ready();
        }
        let watched = registration.clone();
        let on_update = Closure::<dyn Fn()>::new(move || {
            let Some(installing) = watched.installing() else {
                return;
            };
            let worker = installing.clone();
            let ready = update_ready.clone();
            let on_state = Closure::<dyn Fn()>::new(move || {
                if worker.state() == ServiceWorkerState::Installed && had_controller {
                    ready();
                }
            })
            .into_js_value();
            installing.set_onstatechange(Some(on_state.unchecked_ref()));
        })
        .into_js_value();
        // Each handler is owned by the object it is set on (the installing worker, the
        // registration) and freed with it, or when replaced.
        registration.set_onupdatefound(Some(on_update.unchecked_ref()));
    });
}

/// Lets the waiting version take over, then reloads into it.
pub fn activate_update() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(container) = page::secure_navigator_part::<ServiceWorkerContainer>("serviceWorker")
    else {
        return;
    };
    // Owned by the container; a second press replaces (and so frees) the first.
    let reload = Closure::<dyn Fn()>::new(move || {
        let _ = window.location().reload();
    })
    .into_js_value();
    container.set_oncontrollerchange(Some(reload.unchecked_ref()));
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(ready) = container.ready() else { return };
        let Ok(registration) = JsFuture::from(ready).await else {
            return;
        };
        let waiting = registration
            .dyn_into::<ServiceWorkerRegistration>()
            .ok()
            .and_then(|r| r.waiting());
        if let Some(waiting) = waiting {
            let _ = waiting.post_message(&"activate-update".into());
        }
    });
}
