//! Requests waiting for their answer, in bounded memory: a server that never answers must not
//! grow the page without end, so past the limit the oldest is forgotten.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;

/// Requests waiting for their answer (packets, frames awaiting a receipt) that a client keeps;
/// past this the oldest are forgotten.
pub(crate) const MAX_WAITING: usize = 10_000;
/// Subscriptions a client keeps for its list; past this the oldest ended ones are forgotten.
pub(crate) const MAX_SUBSCRIPTIONS: usize = 500;

#[derive(Debug, Clone)]
pub(crate) struct Pending<K, V> {
    limit: usize,
    /// Each key with the insertion number it was stored under, and its value.
    waiting: HashMap<K, (u64, V)>,
    /// Keys in insertion order; entries whose number no longer matches were answered or replaced.
    order: VecDeque<(u64, K)>,
    next: u64,
}

impl<K: Hash + Eq + Clone, V> Pending<K, V> {
    pub(crate) fn new(limit: usize) -> Self {
        Self {
            limit: limit.max(1),
            waiting: HashMap::new(),
            order: VecDeque::new(),
            next: 0,
        }
    }

    /// Remembers `value` under `key` (replacing any before), forgetting the oldest past the limit.
    pub(crate) fn insert(&mut self, key: K, value: V) {
        let number = self.next;
        self.next = self.next.wrapping_add(1);
        self.waiting.insert(key.clone(), (number, value));
        self.order.push_back((number, key));
        while self.waiting.len() > self.limit {
            let Some((number, key)) = self.order.pop_front() else {
                break;
            };
            if self.waiting.get(&key).is_some_and(|(n, _)| *n == number) {
                self.waiting.remove(&key);
            }
        }
        // Answered keys leave stale entries behind; sweep them before they outnumber the live.
        if self.order.len() > self.limit.saturating_mul(2) {
            let waiting = &self.waiting;
            self.order
                .retain(|(number, key)| waiting.get(key).is_some_and(|(n, _)| n == number));
        }
    }

    pub(crate) fn remove(&mut self, key: &K) -> Option<V> {
        self.waiting.remove(key).map(|(_, value)| value)
    }

    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        self.waiting.get(key).map(|(_, value)| value)
    }

    pub(crate) fn clear(&mut self) {
        self.waiting.clear();
        self.order.clear();
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.waiting.len()
    }

    #[cfg(test)]
    pub(crate) fn order_len(&self) -> usize {
        self.order.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_oldest_is_forgotten_first() {
        let mut pending = Pending::new(2);
        pending.insert(1, "a");
        pending.insert(2, "b");
        pending.insert(3, "c");
        assert_eq!(pending.get(&1), None);
        assert_eq!(pending.remove(&2), Some("b"));
        assert_eq!(pending.remove(&2), None);
        assert_eq!(pending.get(&3), Some(&"c"));
    }

    #[test]
    fn a_replaced_key_counts_from_its_newest_insert() {
        let mut pending = Pending::new(2);
        pending.insert(1, "a");
        pending.insert(2, "b");
        pending.insert(1, "a again");
        pending.insert(3, "c");
        assert_eq!(pending.get(&2), None, "2 is now the oldest");
        assert_eq!(pending.get(&1), Some(&"a again"));
    }

    proptest! {
        #[test]
        fn memory_stays_bounded(ops in proptest::collection::vec((any::<bool>(), 0u8..20), 0..400)) {
            let mut pending = Pending::new(5);
            for (insert, key) in ops {
                if insert {
                    pending.insert(key, ());
                } else {
                    pending.remove(&key);
                }
                prop_assert!(pending.len() <= 5);
                prop_assert!(pending.order_len() <= 11);
            }
        }
    }
}
