//! An editable table's rows in the page: each with an id that stays with it (see
//! `wsprobe_core::rows`), so that views key them by id, never by position.

use std::cell::Cell;
use std::hash::Hash;

use leptos::prelude::*;
use wsprobe_core::rows::{self, Row};

thread_local! {
    static NEXT_ID: Cell<u64> = const { Cell::new(0) };
}

/// A fresh id, unique in this page.
pub fn new_id() -> u64 {
    NEXT_ID.with(|n| {
        n.set(n.get() + 1);
        n.get()
    })
}

pub struct RowList<T: Send + Sync + 'static> {
    rows: RwSignal<Vec<Row<T>>>,
}

impl<T: Send + Sync + 'static> Clone for RowList<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for RowList<T> {}

impl<T: Clone + Send + Sync + 'static> RowList<T> {
    pub fn new(values: Vec<T>) -> Self {
        Self {
            rows: RwSignal::new(rows::with_ids(values, &mut new_id)),
        }
    }

    /// The values in order (tracked).
    pub fn values(&self) -> Vec<T> {
        self.rows.with(|r| rows::values(r))
    }

    /// Reads the rows (tracked).
    pub fn with<R>(&self, read: impl FnOnce(&[Row<T>]) -> R) -> R {
        self.rows.with(|r| read(r))
    }

    /// The ids in order (tracked): what a `<For>` iterates.
    pub fn ids(&self) -> Vec<u64> {
        self.rows.with(|r| r.iter().map(|r| r.id).collect())
    }

    /// The row with `id` (tracked); `None` once it is removed.
    pub fn get(&self, id: u64) -> Option<T> {
        self.rows
            .with(|r| r.iter().find(|r| r.id == id).map(|r| r.value.clone()))
    }

    /// New rows, as when a request is opened.
    /// Where the row with `id` is now (tracked).
    pub fn position(&self, id: u64) -> Option<usize> {
        self.rows.with(|r| r.iter().position(|r| r.id == id))
    }

    pub fn set(&self, values: Vec<T>) {
        self.rows.set(rows::with_ids(values, &mut new_id));
    }

    /// The table rebuilt from elsewhere, each row keeping its id (see `rows::keep_ids`).
    pub fn rebuild<K: Hash + Eq>(
        &self,
        edit: impl FnOnce(Vec<T>) -> Vec<T>,
        key: impl Fn(&T) -> K,
    ) {
        self.rows.update(|r| {
            let values = edit(rows::values(r));
            *r = rows::keep_ids(r, values, key, &mut new_id);
        });
    }

    pub fn push(&self, value: T) {
        let id = new_id();
        self.rows.update(|r| r.push(Row { id, value }));
    }

    pub fn edit(&self, id: u64, change: impl FnOnce(&mut T)) {
        self.rows.update(|r| {
            if let Some(value) = rows::find_mut(r, id) {
                change(value);
            }
        });
    }

    pub fn remove(&self, id: u64) {
        self.rows.update(|r| rows::remove(r, id));
    }

    pub fn move_by(&self, id: u64, step: isize) {
        self.rows.update(|r| rows::move_by(r, id, step));
    }
}

/// What a name/value row (a parameter, a header, a variable) shows.
#[derive(Clone, Default, PartialEq)]
pub struct NameValue {
    pub name: String,
    pub value: String,
    /// Whether it is sent; None for rows without the switch.
    pub enabled: Option<bool>,
    /// Whether its value is kept out of links and exports; None for rows without the switch.
    pub secret: Option<bool>,
    /// Secret because of its name, so the switch cannot turn it off.
    pub secret_by_name: bool,
    /// What is wrong with it, said under the row.
    pub problem: Option<String>,
}

/// A change the person made to a row.
pub enum RowEdit {
    Enabled(bool),
    Name(String),
    Value(String),
    Secret(bool),
}
