//! The HTTP probe after a failed handshake: a `fetch` in no-cors mode, which resolves for any
//! response (even one the page may not read) and rejects only when DNS, TCP or TLS fail.

use gloo_net::http::Request;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{AbortController, RequestCache, RequestCredentials, RequestMode, Window};
use wsprobe_core::diagnosis::Probe;

pub async fn probe(url: &str, timeout_ms: i32) -> Probe {
    let Some(window) = web_sys::window() else {
        return Probe::NetworkError;
    };
    let controller = AbortController::new().ok();
    let signal = controller.as_ref().map(AbortController::signal);
    let request = Request::get(url)
        .mode(RequestMode::NoCors)
        .cache(RequestCache::NoStore)
        // The probe only asks whether the host answers; it carries nothing of the person's.
        .credentials(RequestCredentials::Omit)
        .abort_signal(signal.as_ref())
        .build();
    let _timeout = controller.map(|c| Timeout::start(&window, timeout_ms, move || c.abort()));
    // A request the browser will not even build (a URL with a user name, say) would have
    // failed to fetch alike. gloo-net expects an Error from a failed fetch: the browser
    // rejects with a TypeError, or with the signal's AbortError, as no reason is given.
    let answered = match request {
        Ok(request) => request.send().await.is_ok(),
        Err(_) => false,
    };
    let aborted = signal.is_some_and(|s| s.aborted());
    match (answered, aborted) {
        (true, _) => Probe::Answered,
        (false, true) => Probe::NoAnswer,
        (false, false) => Probe::NetworkError,
    }
}

/// A one-shot timer that is cleared when dropped, so that none outlives the probe that set it
/// and its callback is never called after being freed.
struct Timeout {
    window: Window,
    id: Option<i32>,
    _callback: Closure<dyn FnMut()>,
}

impl Timeout {
    fn start(window: &Window, ms: i32, fire: impl FnMut() + 'static) -> Self {
        let callback = Closure::<dyn FnMut()>::new(fire);
        let id = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.as_ref().unchecked_ref(),
                ms,
            )
            .ok();
        Self {
            window: window.clone(),
            id,
            _callback: callback,
        }
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        if let Some(id) = self.id {
            self.window.clear_timeout_with_handle(id);
        }
    }
}
