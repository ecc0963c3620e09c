//! Messages sent earlier, brought back into the composer with Alt+Up and Alt+Down, kept per
//! request. The position travels with its own list: a position kept apart from the list it
//! points into once outlived a switch to a shorter list and read past its end.

use std::collections::HashMap;

use crate::compose::Format;

/// How many sent messages each request keeps.
pub const LIMIT: usize = 50;

/// One sent draft: what it was sent as, and its text.
pub type Draft = (Format, String);

#[derive(Debug, Default)]
struct Drafts {
    /// Oldest first.
    sent: Vec<Draft>,
    /// How far back the person has gone; None when at the draft.
    position: Option<usize>,
}

/// Sent drafts by request (a saved request's id, or "" for an unsaved one).
#[derive(Debug, Default)]
pub struct Recall {
    by_request: HashMap<String, Drafts>,
}

impl Recall {
    /// Keeps a draft just sent (a repeat of the last one only once) and returns to the draft.
    pub fn sent(&mut self, request: &str, draft: Draft) {
        let drafts = self.by_request.entry(request.to_string()).or_default();
        if drafts.sent.last() != Some(&draft) {
            drafts.sent.push(draft);
        }
        let excess = drafts.sent.len().saturating_sub(LIMIT);
        drafts.sent.drain(..excess);
        drafts.position = None;
    }

    /// The draft one step older (or newer) for `request`; `Some(None)` means back at an empty
    /// composer, `None` that there is nothing to recall.
    pub fn step(&mut self, request: &str, older: bool) -> Option<Option<Draft>> {
        let drafts = self.by_request.get_mut(request)?;
        let last = drafts.sent.len().checked_sub(1)?;
        let next = match (drafts.position.map(|i| i.min(last)), older) {
            (None, true) => Some(last),
            (None, false) => None,
            (Some(i), true) => Some(i.saturating_sub(1)),
            (Some(i), false) if i < last => Some(i + 1),
            (Some(_), false) => None,
        };
        drafts.position = next;
        Some(next.and_then(|i| drafts.sent.get(i).cloned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text(t: &str) -> Draft {
        (Format::Text, t.to_string())
    }

    #[test]
    fn goes_back_and_forth_then_returns_to_the_draft() {
        let mut recall = Recall::default();
        assert_eq!(recall.step("a", true), None, "nothing sent yet");
        for t in ["1", "2", "2", "3"] {
            recall.sent("a", text(t));
        }
        assert_eq!(recall.step("a", true), Some(Some(text("3"))));
        assert_eq!(recall.step("a", true), Some(Some(text("2"))));
        assert_eq!(recall.step("a", true), Some(Some(text("1"))));
        assert_eq!(
            recall.step("a", true),
            Some(Some(text("1"))),
            "stays at the oldest"
        );
        assert_eq!(recall.step("a", false), Some(Some(text("2"))));
        assert_eq!(recall.step("a", false), Some(Some(text("3"))));
        assert_eq!(recall.step("a", false), Some(None), "back at the draft");
    }

    #[test]
    fn each_request_keeps_its_own_place() {
        let mut recall = Recall::default();
        for t in ["1", "2", "3", "4", "5"] {
            recall.sent("long", text(t));
        }
        recall.sent("short", text("only"));
        assert_eq!(recall.step("long", true), Some(Some(text("5"))));
        // Once one position served both lists, and this read past the short one's end.
        assert_eq!(recall.step("short", true), Some(Some(text("only"))));
        assert_eq!(recall.step("short", true), Some(Some(text("only"))));
        assert_eq!(recall.step("long", true), Some(Some(text("4"))));
    }

    #[test]
    fn keeps_the_newest_fifty() {
        let mut recall = Recall::default();
        for i in 0..60 {
            recall.sent("a", text(&i.to_string()));
        }
        for _ in 0..LIMIT + 5 {
            recall.step("a", true);
        }
        assert_eq!(recall.step("a", true), Some(Some(text("10"))));
    }

    proptest! {
        #[test]
        fn any_sequence_of_sends_and_steps_never_panics(
            ops in proptest::collection::vec((0u8..3, any::<bool>(), ".{0,3}"), 0..80)
        ) {
            let mut recall = Recall::default();
            for (request, older, t) in ops {
                let request = request.to_string();
                if t.is_empty() {
                    recall.step(&request, older);
                } else {
                    recall.sent(&request, text(&t));
                }
            }
        }
    }
}
