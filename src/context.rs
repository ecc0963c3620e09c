//! The page's state pieces are provided once, at the top (`app.rs`), and each is read
//! through its own accessor (`use_editor`, `use_session`, …) beside its type.

use leptos::prelude::*;

/// A new version of the page is installed and waits for a reload.
#[derive(Clone, Copy)]
pub struct UpdateReady(pub RwSignal<bool>);

pub fn use_update_ready() -> RwSignal<bool> {
    injected::<UpdateReady>().0
}

/// The piece of state of type `T` that `App` provided.
pub(crate) fn injected<T: Clone + Send + Sync + 'static>() -> T {
    // Every piece is provided before any component is built; a missing one is a wiring
    // mistake in app.rs that the first end-to-end test shows, not something input can cause.
    expect_context::<T>()
}
