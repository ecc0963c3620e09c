//! Parts of the page whose code loads when first used. A `#[wasm_split(name, fallible)]`
//! function is cut into its own wasm file (`split_<name>.wasm`) by scripts/split-wasm.mjs and
//! fetched on its first call. A `Chunk` tracks that load for the page: started on first use or
//! quietly once the page is idle, shown as "Loading…", and on failure (offline before the
//! service worker had cached it) as a message with a Retry button instead of a dead page.
//!
//! Two chunks today, by when they are wanted: `panels` (everything beside the first minute's
//! URL, Connect, Handshake, composer and log), and `scenario` (the Scenario panel, its runner
//! and the engine). Fewer chunks download less in all: each file gzips alone, and code that two
//! chunks share goes into a third. `scripts/why-first-load.py NAME` says what keeps a function
//! in the first load.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos::task::spawn_local;
pub use wasm_split_helpers::SplitLoaderError;
#[cfg(feature = "split")]
pub use wasm_split_helpers::wasm_split;

use crate::glue::page;

/// A split point: `split_point! { panels: fn x() -> Loaded<R> { … } }` makes `async fn x()`,
/// whose body is cut into `split_panels.wasm` in the split build (feature `split`, which
/// scripts/split-wasm.mjs turns on). Without the feature (the wasm-bindgen tests, `cargo check`)
/// it is a plain async function: an unsplit wasm would import a loader nobody provides.
macro_rules! split_point {
    ($chunk:ident: $(#[$attr:meta])* $vis:vis fn $name:ident() -> $ret:ty $body:block) => {
        #[cfg(feature = "split")]
        $(#[$attr])*
        #[$crate::lazy::wasm_split($chunk, fallible)]
        $vis fn $name() -> $ret $body

        #[cfg(not(feature = "split"))]
        $(#[$attr])*
        $vis async fn $name() -> $ret $body
    };
}
pub(crate) use split_point;

/// What a split function hands back: usually the panel's render function, which then lives in
/// (and runs from) the chunk.
pub type Loaded<R> = Result<R, SplitLoaderError>;
type Load<R> = fn() -> Pin<Box<dyn Future<Output = Loaded<R>>>>;

#[derive(Clone, Copy)]
enum State<R> {
    Idle,
    Loading,
    Ready(R),
    Failed,
}

/// One lazily loaded chunk. `R` is `Copy` (a `fn` pointer into the chunk), so the signal can
/// hold it and every render can call it.
pub struct Chunk<R: Copy + Send + Sync + 'static> {
    state: RwSignal<State<R>>,
    load: Load<R>,
    /// What it is, in the person's words, for "Loading …" and a failure's message.
    what: &'static str,
    /// Parts that are only on the page at times (the entry view) show nothing while loading.
    quiet: bool,
}

impl<R: Copy + Send + Sync + 'static> Clone for Chunk<R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<R: Copy + Send + Sync + 'static> Copy for Chunk<R> {}

impl<R: Copy + Send + Sync + 'static> Chunk<R> {
    /// `load` calls the split function, e.g. `|| Box::pin(help_chunk())`; `what` names the
    /// part, as in "Loading the saved requests…".
    pub fn new(what: &'static str, load: Load<R>) -> Self {
        Self {
            state: RwSignal::new(State::Idle),
            load,
            what,
            quiet: false,
        }
    }

    /// Shows nothing until loaded, for a part that is not always on the page.
    pub fn quiet(self) -> Self {
        Self {
            quiet: true,
            ..self
        }
    }

    /// Starts the load unless it is under way or done; after a failure, tries again (the
    /// splitter's loader does not remember failures).
    pub fn start(self) {
        if !matches!(
            self.state.try_get_untracked(),
            Some(State::Idle | State::Failed)
        ) {
            return;
        }
        self.state.set(State::Loading);
        let load = self.load;
        spawn_local(async move {
            let next = match load().await {
                Ok(ready) => State::Ready(ready),
                Err(_) => State::Failed,
            };
            // The panel may be gone by now.
            let _ = self.state.try_set(next);
        });
    }

    /// Loads the chunk once the page has painted and is idle, so nobody waits on first use.
    pub fn preload_when_idle(self) {
        page::when_idle(move || self.start());
    }

    /// The chunk's part of the page: "Loading …" (nothing if quiet), then what `render` makes
    /// of the loaded value; a message and Retry if the load failed.
    pub fn view(self, render: impl Fn(R) -> AnyView + Send + Sync + 'static) -> impl IntoView {
        move || self.now(&render)
    }

    fn now(self, render: &impl Fn(R) -> AnyView) -> AnyView {
        match self.state.get() {
            State::Idle | State::Loading if self.quiet => ().into_any(),
            State::Idle | State::Loading => view! { <p class="hint loading">{format!("Loading {}\u{2026}", self.what)}</p> }
            .into_any(),
            State::Ready(ready) => render(ready),
            State::Failed => view! {
                <p class="hint error" role="alert">
                    {format!(
                        "Could not load {}. Check the connection and try again; if it keeps failing, a newer wsprobe may have replaced this one, and reloading the page fetches it.",
                        self.what,
                    )}
                </p>
                <button
                    type="button"
                    class="small"
                    aria-label=format!("Retry loading {}", self.what)
                    on:click=move |_| self.start()
                >
                    "Retry"
                </button>
            }
            .into_any(),
        }
    }
}

/// A panel whose code is in a chunk, loaded once the page is idle (or at once when a first
/// paint is done); `load` calls a split function that hands back the panel's render function.
pub fn panel(what: &'static str, load: Load<fn() -> AnyView>) -> impl IntoView {
    shown(Chunk::new(what, load))
}

/// A panel whose chunk the caller also starts by other means (`Chunk::start`).
pub fn chunk_panel(chunk: Chunk<fn() -> AnyView>) -> impl IntoView {
    shown(chunk)
}

/// The same, for a part that is only on the page at times: nothing shows while it loads.
pub fn quiet_panel(what: &'static str, load: Load<fn() -> AnyView>) -> impl IntoView {
    shown(Chunk::new(what, load).quiet())
}

fn shown(chunk: Chunk<fn() -> AnyView>) -> impl IntoView {
    chunk.preload_when_idle();
    chunk.view(|render| render())
}
