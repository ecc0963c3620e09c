//! Saved requests and the history of connections, as the page holds them: signals the
//! components read, kept in step with localStorage and with other tabs of the page.
//! Nothing a person saved is ever dropped: text that cannot be read is copied to a backup key
//! before anything is written over it, and a failed write leaves the stored state as it was.

use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wsprobe_core::clock;
use wsprobe_core::request::Request;
use wsprobe_core::saved::{
    self, HistoryChange, HistoryEntry, Problem, Reading, RequestChange, SavedRequest,
};

use crate::glue::clock as browser_clock;
use crate::glue::storage::{self, Store};

const REQUESTS_KEY: &str = "wsprobe.requests";
const HISTORY_KEY: &str = "wsprobe.history";

/// Text found under one of our keys that could not be read in full, kept for the person.
#[derive(Clone, Debug, PartialEq)]
pub struct Unreadable {
    pub what: &'static str,
    pub problem: String,
    /// Where the original text is kept; None when even the backup could not be written.
    pub backup_key: Option<String>,
    pub raw: String,
}

#[derive(Clone, Copy)]
pub struct Library {
    pub requests: RwSignal<Vec<SavedRequest>>,
    pub history: RwSignal<Vec<HistoryEntry>>,
    /// Set when the browser gives no storage: everything still works for this visit.
    pub unavailable: RwSignal<Option<String>>,
    pub unreadable: RwSignal<Vec<Unreadable>>,
    /// The last write that failed in the background (history), for the person to see.
    pub error: RwSignal<Option<String>>,
    store: StoredValue<Option<Store>>,
}

impl Library {
    pub fn open() -> Self {
        let (store, unavailable) = match storage::open() {
            Ok(store) => (Some(store), None),
            Err(why) => (None, Some(why)),
        };
        let this = Self {
            requests: RwSignal::new(Vec::new()),
            history: RwSignal::new(Vec::new()),
            unavailable: RwSignal::new(unavailable),
            unreadable: RwSignal::new(Vec::new()),
            error: RwSignal::new(None),
            store: StoredValue::new(store),
        };
        if let Some(store) = store {
            this.requests
                .set(this.load(store, REQUESTS_KEY, saved::REQUESTS, "Saved requests"));
            this.history
                .set(this.load(store, HISTORY_KEY, saved::HISTORY, "History"));
            store.on_change_elsewhere(move |key| this.reload(store, &key));
        }
        this
    }

    /// Adds or replaces a saved request (by id). Err leaves both storage and the list unchanged.
    fn change_request(&self, change: RequestChange) -> Result<(), String> {
        self.change_requests(&[change])
    }

    fn change_requests(&self, changes: &[RequestChange]) -> Result<(), String> {
        let saved = self.write(
            REQUESTS_KEY,
            saved::REQUESTS,
            "Saved requests",
            self.requests,
            |items| {
                changes.iter().for_each(|c| c.apply(items));
            },
        )?;
        self.requests.set(saved);
        Ok(())
    }

    /// Records in the history; a failure is shown, as nothing waits on it.
    pub fn record_history(&self, change: HistoryChange) {
        match self.write(
            HISTORY_KEY,
            saved::HISTORY,
            "History",
            self.history,
            |items| change.apply(items),
        ) {
            Ok(saved) => self.history.set(saved),
            Err(why) => self.error.set(Some(format!("History: {why}"))),
        }
    }

    /// Saves `request` as `name`: over the saved request `id` when given, else as a new one.
    /// Returns the id it is saved under; refuses a name another saved request has.
    pub fn save(&self, id: Option<String>, name: &str, request: Request) -> Result<String, String> {
        let name = name.trim();
        if name.is_empty() {
            return Err("Give the request a name to save it under.".into());
        }
        let taken = self.requests.with_untracked(|all| {
            all.iter()
                .any(|r| r.name == name && Some(&r.id) != id.as_ref())
        });
        if taken {
            return Err(format!(
                "A saved request is already called \u{201c}{name}\u{201d}. Choose another name, or open that one and save over it."
            ));
        }
        let id = id.unwrap_or_else(Self::new_id);
        self.change_request(RequestChange::Put(SavedRequest {
            id: id.clone(),
            name: name.to_string(),
            request,
        }))?;
        Ok(id)
    }

    pub fn find(&self, id: &str) -> Option<SavedRequest> {
        self.requests
            .with_untracked(|all| all.iter().find(|r| r.id == id).cloned())
    }

    pub fn rename(&self, id: &str, name: &str) -> Result<(), String> {
        let saved = self
            .find(id)
            .ok_or("That request is no longer saved (another tab removed it).")?;
        self.save(Some(saved.id), name, saved.request).map(drop)
    }

    /// Saves a copy under a free name, such as "Echo (2)".
    pub fn duplicate(&self, id: &str) -> Result<(), String> {
        let saved = self
            .find(id)
            .ok_or("That request is no longer saved (another tab removed it).")?;
        let name = self
            .requests
            .with_untracked(|all| saved::free_name(all, &saved.name));
        self.save(None, &name, saved.request).map(drop)
    }

    /// Removes a saved request and returns it, so the removal can be undone.
    pub fn delete(&self, id: &str) -> Result<SavedRequest, String> {
        let saved = self
            .find(id)
            .ok_or("That request is no longer saved (another tab removed it).")?;
        self.change_request(RequestChange::Remove { id: id.to_string() })?;
        Ok(saved)
    }

    pub fn restore(&self, saved: SavedRequest) -> Result<(), String> {
        let name = self
            .requests
            .with_untracked(|all| saved::free_name(all, &saved.name));
        self.change_request(RequestChange::Put(SavedRequest { name, ..saved }))
    }

    /// Everything saved, as the text of an export file.
    pub fn export_file(&self) -> String {
        self.requests.with_untracked(|requests| {
            self.history
                .with_untracked(|history| saved::export_file(requests, history))
        })
    }

    /// Merges an export file in, never overwriting; returns what it did, in words.
    pub fn import_file(&self, text: &str) -> Result<String, String> {
        let (reading, history) = saved::read_export_file(text)?;
        let (changes, report) = self
            .requests
            .with_untracked(|all| saved::merge_import(all, reading.items, Self::new_id));
        self.change_requests(&changes)?;
        let merged = self.write(
            HISTORY_KEY,
            saved::HISTORY,
            "History",
            self.history,
            |existing| {
                *existing = saved::merge_history(existing, history);
            },
        )?;
        self.history.set(merged);
        let skipped = reading
            .problem
            .map(|p| format!(" Some of the file could not be read: {p}."))
            .unwrap_or_default();
        Ok(format!("{report}{skipped}"))
    }

    /// A fresh id for a saved request or history entry.
    pub fn new_id() -> String {
        format!(
            "{:x}-{:08x}",
            browser_clock::epoch_ms() as u64,
            (js_sys::Math::random() * f64::from(u32::MAX)) as u32
        )
    }

    /// Reads, and keeps a backup of whatever cannot be read in full.
    fn load<T: DeserializeOwned>(
        &self,
        store: Store,
        key: &str,
        list: &str,
        what: &'static str,
    ) -> Vec<T> {
        let raw = store.read(key);
        let reading: Reading<T> = saved::read(raw.as_deref(), list);
        if let (Some(problem), Some(raw)) = (reading.problem, raw) {
            self.keep_unreadable(store, key, what, problem, raw);
        }
        reading.items
    }

    fn reload(&self, store: Store, key: &str) {
        // Another tab wrote; read what it wrote. Backups are made by whoever writes next.
        let raw = store.read(key);
        match key {
            REQUESTS_KEY => self
                .requests
                .set(saved::read(raw.as_deref(), saved::REQUESTS).items),
            HISTORY_KEY => self
                .history
                .set(saved::read(raw.as_deref(), saved::HISTORY).items),
            "" => {
                self.requests.set(Vec::new());
                self.history.set(Vec::new());
            }
            _ => {}
        }
    }

    /// Applies `edit` to what is stored now (another tab may have written since this one read),
    /// writes it, and returns the new list. Without storage, edits the list in memory.
    fn write<T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static>(
        &self,
        key: &str,
        list: &str,
        what: &'static str,
        current: RwSignal<Vec<T>>,
        edit: impl FnOnce(&mut Vec<T>),
    ) -> Result<Vec<T>, String> {
        let Some(store) = self.store.get_value() else {
            let mut items = current.get_untracked();
            edit(&mut items);
            return Ok(items);
        };
        let raw = store.read(key);
        let reading: Reading<T> = saved::read(raw.as_deref(), list);
        if let (Some(problem), Some(raw)) = (reading.problem, raw)
            && !self.keep_unreadable(store, key, what, problem, raw)
        {
            return Err(format!(
                "{what} could not be saved: a backup of what is stored could not be made first"
            ));
        }
        let mut items = reading.items;
        edit(&mut items);
        store
            .write_json(key, &saved::document(list, &items))
            .map_err(|why| format!("Not saved: {why}. What was saved before is unchanged."))?;
        Ok(items)
    }

    /// Copies `raw` to a backup key and tells the person; false if the copy failed.
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
