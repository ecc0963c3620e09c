//! A list kept in localStorage as one versioned document, as signals the page reads.
//! Nothing a person saved is ever dropped: text that cannot be read is copied to a backup key
//! before anything is written over it, and a failed write leaves the stored state as it was.

use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wsprobe_core::clock;
use wsprobe_core::saved::{self, Problem, Reading};

use crate::glue::clock as browser_clock;
use crate::glue::storage::Store;

/// Text found under one of our keys that could not be read in full, kept for the person.
#[derive(Clone, Debug, PartialEq)]
pub struct Unreadable {
    pub what: &'static str,
    pub problem: String,
    /// Where the original text is kept; None when even the backup could not be written.
    pub backup_key: Option<String>,
    pub raw: String,
}

/// The storage every list shares, and what could not be read from it.
#[derive(Clone, Copy)]
pub struct Vault {
    /// None when the browser gives no storage: lists then live in memory for the visit.
    pub store: Option<Store>,
    pub unreadable: RwSignal<Vec<Unreadable>>,
}

impl Vault {
    /// Copies `raw` to a backup key (once) and tells the person; false if the copy failed.
    fn keep_unreadable(
        &self,
        store: Store,
        key: &str,
        what: &'static str,
        problem: Problem,
        raw: String,
    ) -> bool {
        let known = self.unreadable.with_untracked(|list| {
            list.iter()
                .find(|u| u.raw == raw)
                .map(|u| u.backup_key.is_some())
        });
        if known == Some(true) {
            return true;
        }
        // The same text may have been kept on an earlier visit.
        let prefix = format!("{key}.backup.");
        let earlier = store
            .keys()
            .into_iter()
            .find(|k| k.starts_with(&prefix) && store.read(k).as_ref() == Some(&raw));
        let backup_key = earlier.or_else(|| {
            let backup_key = format!("{prefix}{}", clock::iso_utc(browser_clock::epoch_ms()));
            store
                .write_text(&backup_key, &raw)
                .ok()
                .map(|()| backup_key)
        });
        let kept = backup_key.is_some();
        self.unreadable
            .update(|list| match list.iter_mut().find(|u| u.raw == raw) {
                Some(u) => u.backup_key = backup_key,
                None => list.push(Unreadable {
                    what,
                    problem: problem.to_string(),
                    backup_key,
                    raw,
                }),
            });
        kept
    }
}

/// How a list is read from its stored document and written back. Kept as plain functions so
/// that a list of large items (saved requests, with their scenarios) can get them from a lazily
/// loaded chunk, and their JSON code stays out of the first load.
pub struct Codec<T> {
    read: fn(Option<&str>, &str) -> Reading<T>,
    document: fn(&str, &[T]) -> Result<String, String>,
}

impl<T> Clone for Codec<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Codec<T> {}

impl<T: Serialize + DeserializeOwned> Codec<T> {
    /// serde's, for `T`: where this is called decides which wasm file the code is in.
    pub fn serde() -> Self {
        Self {
            read: saved::read::<T>,
            document: saved::document::<T>,
        }
    }
}

pub struct StoredList<T: Send + Sync + 'static> {
    pub items: RwSignal<Vec<T>>,
    /// Whether the list has been read (its code has loaded) and can be written.
    pub ready: RwSignal<bool>,
    /// None until the list's code has loaded (`attach`): the list is then read.
    codec: StoredValue<Option<Codec<T>>>,
    vault: Vault,
    /// The localStorage key, and the list's name inside the document.
    key: &'static str,
    list: &'static str,
    /// What a person calls it, for messages.
    what: &'static str,
}

impl<T: Send + Sync + 'static> Clone for StoredList<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for StoredList<T> {}

impl<T: Clone + Send + Sync + 'static> StoredList<T> {
    /// A list read once its code is given (`attach`); empty, and not writable, until then.
    pub fn open_later(
        vault: Vault,
        key: &'static str,
        list: &'static str,
        what: &'static str,
    ) -> Self {
        Self {
            items: RwSignal::new(Vec::new()),
            ready: RwSignal::new(false),
            codec: StoredValue::new(None),
            vault,
            key,
            list,
            what,
        }
    }

    /// Gives the list its code and reads it, the first time only, keeping a backup of
    /// whatever cannot be read in full.
    pub fn attach(&self, codec: Codec<T>) {
        if self.codec.with_value(Option::is_some) {
            return;
        }
        self.codec.set_value(Some(codec));
        if let Some(store) = self.vault.store {
            let raw = store.read(self.key);
            let reading = (codec.read)(raw.as_deref(), self.list);
            if let (Some(problem), Some(raw)) = (reading.problem, raw) {
                self.vault
                    .keep_unreadable(store, self.key, self.what, problem, raw);
            }
            self.items.set(reading.items);
        }
        self.ready.set(true);
    }

    /// After another tab wrote `key` (empty: it cleared all storage), shows what it wrote.
    /// Backups are made by whoever writes next.
    pub fn reload_if(&self, key: &str) {
        if let (Some(store), Some(codec)) = (self.vault.store, self.codec.get_value())
            && (key == self.key || key.is_empty())
        {
            self.items
                .set((codec.read)(store.read(self.key).as_deref(), self.list).items);
        }
    }

    /// Applies `edit` to what is stored now (another tab may have written since this one read)
    /// and writes it. On Err, storage and the list are as they were.
    pub fn edit(&self, edit: impl FnOnce(&mut Vec<T>)) -> Result<(), String> {
        let Some(store) = self.vault.store else {
            self.items.update(edit);
            return Ok(());
        };
        let Some(codec) = self.codec.get_value() else {
            return Err(format!(
                "{} are still loading; try again in a moment.",
                self.what
            ));
        };
        let raw = store.read(self.key);
        let reading = (codec.read)(raw.as_deref(), self.list);
        if let (Some(problem), Some(raw)) = (reading.problem, raw)
            && !self
                .vault
                .keep_unreadable(store, self.key, self.what, problem, raw)
        {
            return Err(format!(
                "{} could not be saved: a backup of what is stored could not be made first",
                self.what
            ));
        }
        let mut items = reading.items;
        edit(&mut items);
        let not_saved =
            |why: String| format!("Not saved: {why}. What was saved before is unchanged.");
        let text = (codec.document)(self.list, &items).map_err(not_saved)?;
        store
            .write_text(self.key, &text)
            .map_err(|why| not_saved(why.to_string()))?;
        self.items.set(items);
        Ok(())
    }
}
