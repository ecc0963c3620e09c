//! Facts about the page itself, and listeners on its window.

use std::cell::{Cell, RefCell};

use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;

/// `location.protocol`, such as "https:"; empty if the page has no window.
pub fn protocol() -> String {
    web_sys::window()
        .and_then(|w| w.location().protocol().ok())
        .unwrap_or_default()
}

/// `location.hostname`, such as "127.0.0.1"; empty if the page has no window.
pub fn hostname() -> String {
    web_sys::window()
        .and_then(|w| w.location().hostname().ok())
        .unwrap_or_default()
}

/// A part of `navigator` that only secure pages have (`serviceWorker`, `clipboard`): None on a
/// page served over plain http from another machine, where it is undefined and touching it
/// would throw.
pub fn secure_navigator_part<T: JsCast>(name: &str) -> Option<T> {
    let navigator = web_sys::window()?.navigator();
    js_sys::Reflect::get(&navigator, &JsValue::from_str(name))
        .ok()?
        .dyn_into::<T>()
        .ok()
}

/// `location.origin`, such as "https://you.github.io" ("null" for a file); empty if the page
/// has no window.
pub fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// The page's address without its fragment: what a share link is built on.
pub fn address() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|href| href.split('#').next().unwrap_or_default().to_string())
        .unwrap_or_default()
}

/// `location.hash` including its `#`; empty when there is none.
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Removes the fragment from the address bar without reloading or adding a history step,
/// so that reloading does not open the same share link over later edits.
pub fn forget_fragment() {
    if let Some(window) = web_sys::window()
        && let Ok(history) = window.history()
    {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&address()));
    }
}

/// A listener on the window, until `remove` is called (dropping it leaves it listening, like
/// Leptos's own handles). Only an id, so that a reactive owner's cleanup (which must be Send)
/// can hold it; the callback stays on this side.
#[must_use = "call remove() when the listener's owner is cleaned up"]
#[derive(Debug)]
pub struct Listener(u32);

thread_local! {
    /// The live listeners: id, event and the callback the window holds.
    static LIVE: RefCell<Vec<(u32, &'static str, JsValue)>> = const { RefCell::new(Vec::new()) };
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

impl Listener {
    /// Stops listening; the callback is freed once JavaScript lets go of it.
    pub fn remove(self) {
        let found = LIVE.with_borrow_mut(|live| {
            let at = live.iter().position(|(id, ..)| *id == self.0)?;
            Some(live.swap_remove(at))
        });
        if let (Some((_, event, callback)), Some(window)) = (found, web_sys::window()) {
            let _ = window.remove_event_listener_with_callback(event, callback.unchecked_ref());
        }
    }
}

/// Calls `handle` for every `event` on the window until the returned listener is removed.
pub fn on_window_event<E: wasm_bindgen::convert::FromWasmAbi + 'static>(
    event: &'static str,
    handle: impl Fn(E) + 'static,
) -> Listener {
    // JavaScript owns the callback: once removed and collected, the Rust closure is freed.
    let callback = Closure::<dyn Fn(E)>::new(handle).into_js_value();
    if let Some(window) = web_sys::window() {
        let _ = window.add_event_listener_with_callback(event, callback.unchecked_ref());
    }
    let id = NEXT_ID.with(|next| {
        let id = next.get();
        next.set(id.wrapping_add(1));
        id
    });
    LIVE.with_borrow_mut(|live| live.push((id, event, callback)));
    Listener(id)
}

/// Calls `changed` when the fragment changes, as when a share link is pasted into this tab,
/// until the returned listener is removed.
pub fn on_fragment_change(changed: impl Fn() + 'static) -> Listener {
    on_window_event("hashchange", move |_: web_sys::Event| changed())
}

/// Whether the page runs inside a frame of a page from another origin, which could then
/// dress it up and lead the person to type into it (clickjacking). A meta CSP cannot set
/// `frame-ancestors`, so the page checks: reading the top page's origin fails across origins.
pub fn framed_by_another_site() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let Ok(Some(top)) = window.top() else {
        return false;
    };
    if top == window {
        return false;
    }
    let here = window.location().origin().ok();
    here.is_none() || top.location().origin().ok() != here
}

/// The browser's own description of itself, for the connection report.
pub fn user_agent() -> String {
    web_sys::window()
        .and_then(|w| w.navigator().user_agent().ok())
        .unwrap_or_default()
}

/// Sets the page's theme ("light" or "dark"); None follows the system.
pub fn set_theme(theme: Option<&str>) {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element());
    if let Some(root) = root {
        let _ = match theme {
            Some(theme) => root.set_attribute("data-theme", theme),
            None => root.remove_attribute("data-theme"),
        };
    }
}

/// Calls `pressed(key)` for keys pressed outside text fields (shortcuts such as `?`), until the
/// returned listener is removed.
pub fn on_shortcut_key(pressed: impl Fn(String) + 'static) -> Listener {
    on_window_event("keydown", move |ev: web_sys::KeyboardEvent| {
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| {
                matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                    || el.has_attribute("contenteditable")
            });
        if !typing && !ev.ctrl_key() && !ev.meta_key() && !ev.alt_key() {
            pressed(ev.key());
        }
    })
}

/// The browser drops the focus of a button whose row a list moves: give it back on the next
/// frame, so that a keyboard user can press Move again.
pub fn focus_again(event: &web_sys::MouseEvent) {
    if let Some(button) = event
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let again = Closure::once_into_js(move || {
            let _ = button.focus();
        });
        if let Some(window) = web_sys::window() {
            let _ = window.request_animation_frame(again.unchecked_ref());
        }
    }
}

/// Runs `work` once, when the page has nothing else to do (requestIdleCallback, which fires
/// after the first paint) but within two seconds even on a page that is never idle (a busy
/// machine, a stream), or after three seconds where the browser lacks it (Safari).
pub fn when_idle(work: impl FnOnce() + 'static) {
    const AT_THE_LATEST_MS: u32 = 2000;
    let Some(window) = web_sys::window() else {
        return;
    };
    // Freed by wasm-bindgen once called; never called only if the page goes first.
    let callback = Closure::once_into_js(work);
    let options = web_sys::IdleRequestOptions::new();
    options.set_timeout(AT_THE_LATEST_MS);
    if window
        .request_idle_callback_with_options(callback.unchecked_ref(), &options)
        .is_err()
    {
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), 3000);
    }
}

/// Removes index.html's frame, shown while the WebAssembly loaded, before the app mounts.
pub fn remove_loading_shell() {
    if let Some(shell) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("shell"))
    {
        shell.remove();
    }
}
