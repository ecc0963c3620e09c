//! The HTTP probe after a failed handshake: a `fetch` in no-cors mode, which resolves for any
//! response (even one the page may not read) and rejects only when DNS, TCP or TLS fail.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestCache, RequestCredentials, RequestInit, RequestMode};
use wsprobe_core::diagnosis::Probe;

pub async fn probe(url: &str, timeout_ms: i32) -> Probe {
    let Some(window) = web_sys::window() else {
        return Probe::NetworkError;
    };
    let controller = AbortController::new().ok();
    let init = RequestInit::new();
    init.set_mode(RequestMode::NoCors);
    init.set_cache(RequestCache::NoStore);
    // The probe only asks whether the host answers; it carries nothing of the person's.
    init.set_credentials(RequestCredentials::Omit);
    if let Some(c) = &controller {
        init.set_signal(Some(&c.signal()));
    }
    let abort = controller
        .clone()
        .map(|c| Closure::<dyn FnMut()>::new(move || c.abort()));
    if let Some(abort) = &abort {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            abort.as_ref().unchecked_ref(),
            timeout_ms,
        );
    }
    let answered = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .is_ok();
    let aborted = controller.as_ref().is_some_and(|c| c.signal().aborted());
    // The timer may still fire after this; it then aborts a finished fetch, which does nothing.
    if let Some(abort) = abort {
        abort.forget();
    }
    match (answered, aborted) {
        (true, _) => Probe::Answered,
        (false, true) => Probe::NoAnswer,
        (false, false) => Probe::NetworkError,
    }
}
