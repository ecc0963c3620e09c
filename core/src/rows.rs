//! Rows of an editable table (parameters, headers, templates) with ids that stay with each
//! row through edits, moves and removals, so that a view keyed by id keeps each input, its
//! focus and its value with the right row. Keyed by position instead, removing a row above
//! the one being typed in hands that input to its neighbour.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;

/// A row and its id, unique within the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row<T> {
    pub id: u64,
    pub value: T,
}

/// Fresh rows for `values`, as when a request is opened.
pub fn with_ids<T>(values: Vec<T>, new_id: &mut dyn FnMut() -> u64) -> Vec<Row<T>> {
    values
        .into_iter()
        .map(|value| Row {
            id: new_id(),
            value,
        })
        .collect()
}

/// The values alone, in order.
pub fn values<T: Clone>(rows: &[Row<T>]) -> Vec<T> {
    rows.iter().map(|r| r.value.clone()).collect()
}

/// `values`, rebuilt from elsewhere (the table after the URL was typed in), keeping the id
/// of the row each one came from: the row at the same place if it has the same `key`, else
/// the first unclaimed row with that key, else (when the number of rows is unchanged) the
/// row at the same place; a new id otherwise. Linear: a pasted URL may hold
/// hundreds of thousands of parameters.
pub fn keep_ids<T, K: Hash + Eq>(
    old: &[Row<T>],
    values: Vec<T>,
    key: impl Fn(&T) -> K,
    new_id: &mut dyn FnMut() -> u64,
) -> Vec<Row<T>> {
    let mut claimed = vec![false; old.len()];
    let mut by_key: HashMap<K, VecDeque<usize>> = HashMap::new();
    for (j, row) in old.iter().enumerate() {
        by_key.entry(key(&row.value)).or_default().push_back(j);
    }
    let same_length = old.len() == values.len();
    let mut rows = Vec::with_capacity(values.len());
    for (i, value) in values.into_iter().enumerate() {
        let k = key(&value);
        let at_place = old
            .get(i)
            .filter(|r| !claimed[i] && key(&r.value) == k)
            .map(|_| i);
        let found = at_place
            .or_else(|| {
                let queue = by_key.get_mut(&k)?;
                while let Some(j) = queue.pop_front() {
                    if !claimed[j] {
                        return Some(j);
                    }
                }
                None
            })
            // As many rows as before: an edit in place, such as a renamed row.
            .or_else(|| (same_length && !claimed.get(i).copied().unwrap_or(true)).then_some(i));
        let id = match found {
            Some(j) => {
                claimed[j] = true;
                old[j].id
            }
            None => new_id(),
        };
        rows.push(Row { id, value });
    }
    rows
}

/// The row with `id`, to edit in place.
pub fn find_mut<T>(rows: &mut [Row<T>], id: u64) -> Option<&mut T> {
    rows.iter_mut().find(|r| r.id == id).map(|r| &mut r.value)
}

/// Moves the row with `id` one place up (`-1`) or down (`1`); nothing past either end.
pub fn move_by<T>(rows: &mut [Row<T>], id: u64, step: isize) {
    let Some(i) = rows.iter().position(|r| r.id == id) else {
        return;
    };
    if let Some(j) = i.checked_add_signed(step).filter(|&j| j < rows.len()) {
        rows.swap(i, j);
    }
}

/// Removes the row with `id`, if it is still there.
pub fn remove<T>(rows: &mut Vec<Row<T>>, id: u64) {
    rows.retain(|r| r.id != id);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn counter() -> impl FnMut() -> u64 {
        let mut n = 100;
        move || {
            n += 1;
            n
        }
    }

    fn ids<T>(rows: &[Row<T>]) -> Vec<u64> {
        rows.iter().map(|r| r.id).collect()
    }

    #[test]
    fn rows_keep_their_ids_through_moves_and_removals() {
        let mut next = counter();
        let mut rows = with_ids(vec!["a", "b", "c"], &mut next);
        assert_eq!(ids(&rows), [101, 102, 103]);
        move_by(&mut rows, 103, -1);
        assert_eq!(values(&rows), ["a", "c", "b"]);
        assert_eq!(ids(&rows), [101, 103, 102]);
        move_by(&mut rows, 101, -1);
        move_by(&mut rows, 102, 1);
        assert_eq!(ids(&rows), [101, 103, 102], "nothing moves past an end");
        remove(&mut rows, 101);
        assert_eq!(ids(&rows), [103, 102]);
        if let Some(v) = find_mut(&mut rows, 102) {
            *v = "B";
        }
        assert_eq!(values(&rows), ["c", "B"]);
    }

    #[test]
    fn a_rebuilt_table_keeps_the_ids_of_the_rows_it_came_from() {
        let mut next = counter();
        let old = with_ids(vec!["a", "b", "c"], &mut next);
        let same = |x: &&str| x.chars().next();
        // "b" typed into: the same place, same name.
        assert_eq!(
            ids(&keep_ids(&old, vec!["a", "bx", "c"], same, &mut next)),
            [101, 102, 103]
        );
        // "a" deleted from the URL: the others keep theirs.
        assert_eq!(
            ids(&keep_ids(&old, vec!["b", "c"], same, &mut next)),
            [102, 103]
        );
        // Renamed in place: the same row.
        assert_eq!(
            ids(&keep_ids(&old, vec!["a", "x", "c"], same, &mut next)),
            [101, 102, 103]
        );
        // A new row in the middle gets a new id.
        assert_eq!(
            ids(&keep_ids(&old, vec!["a", "z", "b", "c"], same, &mut next)),
            [101, 104, 102, 103]
        );
    }

    proptest! {
        #[test]
        fn ids_stay_unique_whatever_the_table_becomes(
            before in proptest::collection::vec(0u8..4, 0..12),
            after in proptest::collection::vec(0u8..4, 0..12),
        ) {
            let mut next = counter();
            let old = with_ids(before, &mut next);
            let rows = keep_ids(&old, after.clone(), |a| *a, &mut next);
            prop_assert_eq!(values(&rows), after);
            let mut seen = ids(&rows);
            seen.sort_unstable();
            seen.dedup();
            prop_assert_eq!(seen.len(), rows.len());
        }
    }
}
