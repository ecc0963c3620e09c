//! What the page keeps between visits: saved requests, the history of connections and the
//! environments of variables, each a list in localStorage kept in step with other tabs.

use leptos::prelude::*;
use wsprobe_core::request::Request;
use wsprobe_core::saved::{
    self, ExportFile, HistoryChange, HistoryEntry, ListChange, Named, SavedRequest,
};
use wsprobe_core::variables::{Environment, Variable};

use crate::context::injected;
use crate::glue::clock as browser_clock;
use crate::glue::{random, storage};
use crate::stored_list::{Codec, StoredList, Unreadable, Vault};

const ACTIVE_ENVIRONMENT_KEY: &str = "wsprobe.environment";
const GONE: &str = "That request is no longer saved (another tab removed it).";

#[derive(Clone, Copy)]
pub struct Library {
    pub requests: StoredList<SavedRequest>,
    pub history: StoredList<HistoryEntry>,
    pub environments: StoredList<Environment>,
    /// The id of the environment whose variables are used; None for none.
    pub active_environment: RwSignal<Option<String>>,
    /// Set when the browser gives no storage: everything still works for this visit.
    pub unavailable: RwSignal<Option<String>>,
    pub unreadable: RwSignal<Vec<Unreadable>>,
    /// The last write that failed in the background (history), for the person to see.
    pub error: RwSignal<Option<String>>,
    /// Connections recorded before the history was read, written once it is.
    unrecorded: StoredValue<Vec<HistoryChange>>,
    vault: Vault,
}

/// What the page keeps, as provided at the page's top.
pub fn use_library() -> Library {
    injected()
}

impl Library {
    pub fn open() -> Self {
        let (store, unavailable) = match storage::open() {
            Ok(store) => (Some(store), None),
            Err(why) => (None, Some(why.to_string())),
        };
        let vault = Vault {
            store,
            unreadable: RwSignal::new(Vec::new()),
        };
        let this = Self {
            // Each list is read once its panel's code has loaded (`StoredList::attach`, in the
            // panels chunk), so no JSON code is in the first load.
            requests: StoredList::open_later(
                vault,
                "wsprobe.requests",
                saved::REQUESTS,
                "Saved requests",
            ),
            history: StoredList::open_later(vault, "wsprobe.history", saved::HISTORY, "History"),
            environments: StoredList::open_later(
                vault,
                "wsprobe.environments",
                saved::ENVIRONMENTS,
                "Environments",
            ),
            active_environment: RwSignal::new(
                store
                    .and_then(|s| s.read(ACTIVE_ENVIRONMENT_KEY))
                    .filter(|id| !id.is_empty()),
            ),
            unavailable: RwSignal::new(unavailable),
            unreadable: vault.unreadable,
            error: RwSignal::new(None),
            unrecorded: StoredValue::new(Vec::new()),
            vault,
        };
        if let Some(store) = store {
            let listener = store.on_change_elsewhere(move |key| {
                this.requests.reload_if(&key);
                this.history.reload_if(&key);
                this.environments.reload_if(&key);
            });
            // The library lives as long as its owner (the app): so does the listening.
            on_cleanup(move || listener.remove());
        }
        this
    }

    /// Records in the history; a failure is shown, as nothing waits on it. Before the history
    /// is read the change waits, and is written when it is (`attach_history`).
    pub fn record_history(&self, change: HistoryChange) {
        if !self.history.ready.get_untracked() {
            self.unrecorded.update_value(|waiting| waiting.push(change));
            return;
        }
        if let Err(why) = self.history.edit(|items| change.apply(items)) {
            self.error.set(Some(format!("History: {why}")));
        }
    }

    /// Saves `request` as `name`: over the saved request `id` when given, else as a new one.
    /// Returns the id it is saved under; refuses a name another saved request has.
    pub fn save(&self, id: Option<String>, name: &str, request: Request) -> Result<String, String> {
        let name = name.trim();
        if name.is_empty() {
            return Err("Give the request a name to save it under.".into());
        }
        let taken = self.requests.items.with_untracked(|all| {
            all.iter()
                .any(|r| r.name == name && Some(&r.id) != id.as_ref())
        });
        if taken {
            return Err(format!(
                "A saved request is already called \u{201c}{name}\u{201d}. Choose another name, or open that one and save over it."
            ));
        }
        let id = id.unwrap_or_else(Self::new_id);
        let saved = SavedRequest {
            id: id.clone(),
            name: name.to_string(),
            request,
        };
        self.requests
            .edit(|items| ListChange::Put(saved).apply(items))?;
        Ok(id)
    }

    pub fn find(&self, id: &str) -> Option<SavedRequest> {
        self.requests
            .items
            .with_untracked(|all| all.iter().find(|r| r.id == id).cloned())
    }

    pub fn rename(&self, id: &str, name: &str) -> Result<(), String> {
        let saved = self.find(id).ok_or(GONE)?;
        self.save(Some(saved.id), name, saved.request).map(drop)
    }

    /// Saves a copy under a free name, such as "Echo (2)".
    pub fn duplicate(&self, id: &str) -> Result<(), String> {
        let saved = self.find(id).ok_or(GONE)?;
        let name = self
            .requests
            .items
            .with_untracked(|all| saved::free_name(all, &saved.name));
        self.save(None, &name, saved.request).map(drop)
    }

    /// Removes a saved request and returns it, so the removal can be undone.
    pub fn delete(&self, id: &str) -> Result<SavedRequest, String> {
        let saved = self.find(id).ok_or(GONE)?;
        self.requests
            .edit(|items| ListChange::Remove { id: id.to_string() }.apply(items))?;
        Ok(saved)
    }

    pub fn restore(&self, saved: SavedRequest) -> Result<(), String> {
        let name = self
            .requests
            .items
            .with_untracked(|all| saved::free_name(all, &saved.name));
        self.requests
            .edit(|items| ListChange::Put(SavedRequest { name, ..saved }).apply(items))
    }

    /// Reads the history with `codec` (from the panels chunk), then records what waited.
    pub fn attach_history(&self, codec: Codec<HistoryEntry>) {
        self.history.attach(codec);
        let waiting = self
            .unrecorded
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        for change in waiting {
            self.record_history(change);
        }
    }

    /// The active environment (tracked), if any.
    pub fn active(&self) -> Option<Environment> {
        let id = self.active_environment.get();
        self.environments
            .items
            .with(|all| all.iter().find(|e| Some(&e.id) == id.as_ref()).cloned())
    }

    /// The variables `{{name}}` is replaced from: the active environment's.
    pub fn active_variables(&self) -> Vec<Variable> {
        self.active().map(|e| e.variables).unwrap_or_default()
    }

    pub fn edit_active(&self, edit: impl FnOnce(&mut Environment)) -> Result<(), String> {
        let Some(mut env) = untrack(|| self.active()) else {
            return Ok(());
        };
        edit(&mut env);
        self.change_environment(ListChange::Put(env))
    }

    pub fn choose_environment(&self, id: Option<String>) {
        self.set_setting(ACTIVE_ENVIRONMENT_KEY, id.as_deref().unwrap_or_default());
        self.active_environment.set(id);
    }

    /// A small preference kept as plain text (the theme, the active environment).
    pub fn setting(&self, key: &str) -> Option<String> {
        self.vault
            .store
            .and_then(|s| s.read(key))
            .filter(|v| !v.is_empty())
    }

    /// Best effort: a preference that cannot be stored still applies for this visit.
    pub fn set_setting(&self, key: &str, value: &str) {
        if let Some(store) = self.vault.store {
            let _ = store.write_text(key, value);
        }
    }

    pub fn change_environment(&self, change: ListChange<Environment>) -> Result<(), String> {
        self.environments.edit(|items| change.apply(items))
    }

    /// Everything saved, as the text of an export file; secrets only if asked.
    pub fn export_file(&self, with_secrets: bool) -> String {
        self.requests.items.with_untracked(|requests| {
            self.history.items.with_untracked(|history| {
                self.environments.items.with_untracked(|environments| {
                    ExportFile::write(requests, history, environments, with_secrets)
                })
            })
        })
    }

    /// Merges an export file in, never overwriting; returns what it did, in words.
    pub fn import_file(&self, text: &str) -> Result<String, String> {
        let file = ExportFile::read(text)?;
        let requests = import(self.requests, file.requests.items)?;
        let environments = if file.environments.is_empty() {
            String::new()
        } else {
            format!(" {}", import(self.environments, file.environments)?)
        };
        self.history
            .edit(|existing| *existing = saved::merge_history(existing, file.history))?;
        let skipped = file
            .requests
            .problem
            .map(|p| format!(" Some of the file could not be read: {p}."))
            .unwrap_or_default();
        Ok(format!("{requests}{environments}{skipped}"))
    }

    /// A fresh id for a saved request, environment or history entry.
    pub fn new_id() -> String {
        format!(
            "{:x}-{:08x}",
            browser_clock::epoch_ms() as u64,
            random::u32()
        )
    }
}

fn import<T: Named + serde::Serialize + serde::de::DeserializeOwned + Send + Sync>(
    list: StoredList<T>,
    incoming: Vec<T>,
) -> Result<String, String> {
    let (changes, report) = list
        .items
        .with_untracked(|all| saved::merge_import(all, incoming, Library::new_id));
    list.edit(|items| saved::apply_all(&changes, items))?;
    Ok(report.to_string())
}
