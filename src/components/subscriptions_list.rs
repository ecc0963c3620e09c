//! The Subscriptions list of a protocol (GraphQL's operations, MQTT's filters, STOMP's
//! subscriptions): one row per key, in the list's order, shown while it has any.

use leptos::prelude::*;

#[component]
pub fn SubscriptionsList(
    /// The rows' stable keys, in order.
    keys: Signal<Vec<u64>>,
    /// The row for a key; it reads what it shows from the protocol's list by that key.
    row: fn(u64) -> AnyView,
) -> impl IntoView {
    view! {
        <Show when=move || keys.with(|k| !k.is_empty())>
            <ul class="operations" aria-label="Subscriptions">
                <For each=move || keys.get() key=|key| *key children=move |key| row(key) />
            </ul>
        </Show>
    }
}

/// The keys of `list`'s items, in order, for `SubscriptionsList`.
pub fn keys_of<T: Send + Sync + 'static>(
    list: RwSignal<Vec<T>>,
    key_of: fn(&T) -> u64,
) -> Signal<Vec<u64>> {
    Signal::derive(move || list.with(|items| items.iter().map(key_of).collect()))
}

/// What a row reads: its item of the list, found by its key, as it changes (None once gone).
pub struct RowItem<T: Send + Sync + 'static>(Memo<Option<T>>);

impl<T: Send + Sync + 'static> Clone for RowItem<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for RowItem<T> {}

impl<T: Clone + PartialEq + Send + Sync + 'static> RowItem<T> {
    pub fn new(list: RwSignal<Vec<T>>, key: u64, key_of: fn(&T) -> u64) -> Self {
        Self(Memo::new(move |_| {
            list.with(|items| items.iter().find(|item| key_of(item) == key).cloned())
        }))
    }

    /// Text made of the item; empty once it is gone.
    pub fn text(self, f: fn(&T) -> String) -> impl Fn() -> String + Copy + Send + Sync {
        move || self.0.with(|item| item.as_ref().map(f).unwrap_or_default())
    }

    /// Whether the item is there and `f` holds for it.
    pub fn is(self, f: fn(&T) -> bool) -> impl Fn() -> bool + Copy + Send + Sync {
        move || self.0.with(|item| item.as_ref().is_some_and(f))
    }

    /// What `f` makes of the item now, without tracking it (in a click handler).
    pub fn now<R>(self, f: impl FnOnce(&T) -> R) -> Option<R> {
        self.0.with_untracked(|item| item.as_ref().map(f))
    }
}
