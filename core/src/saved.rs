//! What the browser keeps between visits: saved requests and the history of connections,
//! each a versioned JSON document. Reading is lenient (whatever can be read is kept, and the
//! caller is told what could not be, so it can keep the original text); writing applies one
//! change to the freshly read document, so two tabs never erase each other's saves.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::connection::Attempt;
use crate::request::Request;
use crate::variables::Environment;

/// The version this code writes and the newest it reads.
pub const DOCUMENT_VERSION: u64 = 1;
/// Connections remembered in the history, most recent first.
pub const HISTORY_LIMIT: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedRequest {
    pub id: String,
    pub name: String,
    pub request: Request,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub id: String,
    /// Milliseconds since the Unix epoch.
    pub at: f64,
    pub url: String,
    #[serde(default)]
    pub subprotocols: String,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    Connecting,
    Opened,
    /// Opened, then closed with this code.
    Closed {
        code: u16,
    },
    /// Never opened; the browser reported this code (usually 1006).
    Failed {
        code: u16,
    },
    /// Refused before dialling (bad URL, mixed content...).
    NotDialled,
}

impl Outcome {
    pub fn of(attempt: &Attempt) -> Self {
        match (&attempt.refused, &attempt.opened, &attempt.closed) {
            (Some(_), _, _) => Self::NotDialled,
            (None, Some(_), Some(closed)) => Self::Closed {
                code: closed.code.code,
            },
            (None, None, Some(closed)) => Self::Failed {
                code: closed.code.code,
            },
            (None, Some(_), None) => Self::Opened,
            (None, None, None) => Self::Connecting,
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Connecting => write!(f, "in progress"),
            Self::Opened => write!(f, "opened"),
            Self::Closed { code } => write!(f, "opened, closed {code}"),
            Self::Failed { code } => write!(f, "failed ({code})"),
            Self::NotDialled => write!(f, "not dialled"),
        }
    }
}

/// Why some or all of a stored document could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    NotJson,
    NotOurs,
    Newer { version: u64 },
    Damaged { entries: usize },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotJson => write!(f, "it is not valid JSON"),
            Self::NotOurs => write!(f, "it is not in wsprobe's format"),
            Self::Newer { version } => write!(
                f,
                "it was written by a newer wsprobe (format {version}; this page reads up to {DOCUMENT_VERSION}); \
                 what this page understands of it was loaded"
            ),
            Self::Damaged { entries: 1 } => {
                write!(f, "one entry in it is damaged; the rest was loaded")
            }
            Self::Damaged { entries } => write!(
                f,
                "{entries} entries in it are damaged; the rest was loaded"
            ),
        }
    }
}

/// What could be read of a document, and what could not.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading<T> {
    pub items: Vec<T>,
    pub problem: Option<Problem>,
}

/// Reads the list stored under `list` in a document; `None` (nothing stored yet) is empty.
pub fn read<T: DeserializeOwned>(raw: Option<&str>, list: &str) -> Reading<T> {
    let Some(raw) = raw else {
        return Reading {
            items: Vec::new(),
            problem: None,
        };
    };
    let failed = |problem| Reading {
        items: Vec::new(),
        problem: Some(problem),
    };
    let Ok(document) = serde_json::from_str::<Value>(raw) else {
        return failed(Problem::NotJson);
    };
    let (Some(version), Some(Value::Array(entries))) = (
        document.get("version").and_then(Value::as_u64),
        document.get(list),
    ) else {
        return failed(Problem::NotOurs);
    };
    if version == 0 {
        return failed(Problem::NotOurs);
    }
    let total = entries.len();
    let items: Vec<T> = entries
        .iter()
        .filter_map(|e| T::deserialize(e).ok())
        .collect();
    let problem = if version > DOCUMENT_VERSION {
        Some(Problem::Newer { version })
    } else if items.len() < total {
        Some(Problem::Damaged {
            entries: total - items.len(),
        })
    } else {
        None
    };
    Reading { items, problem }
}

/// The document that stores `items` under `list`.
pub fn document<T: Serialize>(list: &str, items: &[T]) -> Value {
    serde_json::json!({ "version": DOCUMENT_VERSION, list: items })
}

pub const REQUESTS: &str = "requests";
pub const HISTORY: &str = "history";
pub const ENVIRONMENTS: &str = "environments";

/// Lists whose entries are told apart by an id.
pub trait Keyed {
    fn id(&self) -> &str;
}

impl Keyed for SavedRequest {
    fn id(&self) -> &str {
        &self.id
    }
}

impl Keyed for Environment {
    fn id(&self) -> &str {
        &self.id
    }
}

/// One edit to a list, applied to what is stored at the moment of writing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListChange<T> {
    /// Adds the entry, or replaces the one with the same id.
    Put(T),
    Remove {
        id: String,
    },
}

pub type RequestChange = ListChange<SavedRequest>;

impl<T: Keyed + Clone> ListChange<T> {
    pub fn apply(&self, items: &mut Vec<T>) {
        match self {
            Self::Put(item) => match items.iter_mut().find(|i| i.id() == item.id()) {
                Some(existing) => *existing = item.clone(),
                None => items.push(item.clone()),
            },
            Self::Remove { id } => items.retain(|i| i.id() != id),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum HistoryChange {
    /// Adds the entry at the front, or updates the one with the same id where it is.
    Record(HistoryEntry),
    Clear,
}

impl HistoryChange {
    pub fn apply(&self, history: &mut Vec<HistoryEntry>) {
        match self {
            Self::Record(entry) => match history.iter_mut().find(|e| e.id == entry.id) {
                Some(existing) => *existing = entry.clone(),
                None => {
                    history.insert(0, entry.clone());
                    history.truncate(HISTORY_LIMIT);
                }
            },
            Self::Clear => history.clear(),
        }
    }
}

/// Saved things a person names: requests and environments.
pub trait Named: Keyed + Clone {
    const NOUN: (&'static str, &'static str);
    fn name(&self) -> &str;
    /// The same content, whatever the name and id.
    fn same_content(&self, other: &Self) -> bool;
    fn renamed(self, id: String, name: String) -> Self;
}

impl Named for SavedRequest {
    const NOUN: (&'static str, &'static str) = ("request", "requests");
    fn name(&self) -> &str {
        &self.name
    }
    fn same_content(&self, other: &Self) -> bool {
        self.request == other.request
    }
    fn renamed(self, id: String, name: String) -> Self {
        Self { id, name, ..self }
    }
}

impl Named for Environment {
    const NOUN: (&'static str, &'static str) = ("environment", "environments");
    fn name(&self) -> &str {
        &self.name
    }
    fn same_content(&self, other: &Self) -> bool {
        self.variables == other.variables
    }
    fn renamed(self, id: String, name: String) -> Self {
        Self { id, name, ..self }
    }
}

/// In the order lists show them: by name, ignoring case.
pub fn by_name<T: Named>(items: &[T]) -> Vec<T> {
    let mut sorted = items.to_vec();
    sorted.sort_by(|a, b| {
        a.name()
            .to_lowercase()
            .cmp(&b.name().to_lowercase())
            .then_with(|| a.name().cmp(b.name()))
    });
    sorted
}

/// `wanted`, or `wanted (2)`, `wanted (3)`... whichever nothing in `taken` is called.
pub fn free_name<T: Named>(taken: &[T], wanted: &str) -> String {
    let is_taken = |name: &str| taken.iter().any(|t| t.name() == name);
    if !is_taken(wanted) {
        return wanted.to_string();
    }
    (2..)
        .map(|n| format!("{wanted} ({n})"))
        .find(|name| !is_taken(name))
        .unwrap_or_default()
}

/// What an import did, for the message that reports it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportReport {
    /// Singular and plural of what was imported.
    pub noun: (&'static str, &'static str),
    pub added: usize,
    /// (name in the file, name it was saved under) for names already in use.
    pub renamed: Vec<(String, String)>,
    /// Identical to one already saved (under any name).
    pub already_saved: usize,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let noun = |n: usize| if n == 1 { self.noun.0 } else { self.noun.1 };
        write!(f, "Imported {} {}", self.added, noun(self.added))?;
        if self.already_saved > 0 {
            write!(
                f,
                "; {} {} already saved",
                self.already_saved,
                noun(self.already_saved)
            )?;
        }
        for (from, to) in &self.renamed {
            write!(
                f,
                "; \u{201c}{from}\u{201d} saved as \u{201c}{to}\u{201d} (the name was taken)"
            )?;
        }
        write!(f, ".")
    }
}

/// The changes that merge `incoming` into `existing`: nothing already saved is overwritten,
/// what is already saved (under any name) is not added twice, something different under a
/// taken name gets a free name, and each added entry a new id.
pub fn merge_import<T: Named>(
    existing: &[T],
    incoming: Vec<T>,
    mut new_id: impl FnMut() -> String,
) -> (Vec<ListChange<T>>, ImportReport) {
    let mut all = existing.to_vec();
    let mut changes = Vec::new();
    let mut report = ImportReport {
        noun: T::NOUN,
        ..ImportReport::default()
    };
    for item in incoming {
        if all.iter().any(|r| r.same_content(&item)) {
            report.already_saved += 1;
            continue;
        }
        let name = free_name(&all, item.name());
        if name != item.name() {
            report.renamed.push((item.name().to_string(), name.clone()));
        }
        let added = item.renamed(new_id(), name);
        all.push(added.clone());
        changes.push(ListChange::Put(added));
        report.added += 1;
    }
    (changes, report)
}

/// The history after an import: entries from both, once each, most recent first, bounded.
pub fn merge_history(existing: &[HistoryEntry], incoming: Vec<HistoryEntry>) -> Vec<HistoryEntry> {
    let mut all = existing.to_vec();
    all.extend(
        incoming
            .into_iter()
            .filter(|e| !existing.iter().any(|x| x.id == e.id)),
    );
    all.sort_by(|a, b| b.at.total_cmp(&a.at));
    all.truncate(HISTORY_LIMIT);
    all
}

/// Everything saved, as one file a person downloads and imports elsewhere.
pub struct ExportFile {
    pub requests: Reading<SavedRequest>,
    pub history: Vec<HistoryEntry>,
    pub environments: Vec<Environment>,
}

impl ExportFile {
    /// The file's text; environments as given (the caller decides about secrets).
    pub fn write(
        requests: &[SavedRequest],
        history: &[HistoryEntry],
        environments: &[Environment],
    ) -> String {
        let file = serde_json::json!({
            "wsprobe": "saved",
            "version": DOCUMENT_VERSION,
            REQUESTS: requests,
            HISTORY: history,
            ENVIRONMENTS: environments,
        });
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }

    /// Reads a file made by `write`, or says why it cannot.
    pub fn read(text: &str) -> Result<Self, String> {
        let requests: Reading<SavedRequest> = read(Some(text), REQUESTS);
        match requests.problem {
            Some(Problem::NotJson) => {
                Err("The file is not JSON, so it is not a wsprobe export.".into())
            }
            Some(Problem::NotOurs) => Err(
                "The file is JSON but not a wsprobe export (it has no versioned list of requests)."
                    .into(),
            ),
            _ => Ok(Self {
                requests,
                history: read(Some(text), HISTORY).items,
                environments: read(Some(text), ENVIRONMENTS).items,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn saved(id: &str, name: &str, url: &str) -> SavedRequest {
        SavedRequest {
            id: id.into(),
            name: name.into(),
            request: Request {
                url: url.into(),
                ..Request::default()
            },
        }
    }

    fn entry(id: &str, at: f64) -> HistoryEntry {
        HistoryEntry {
            id: id.into(),
            at,
            url: "ws://h/".into(),
            subprotocols: String::new(),
            outcome: Outcome::Opened,
        }
    }

    #[test]
    fn a_document_reads_back_what_was_written() {
        let requests = vec![
            saved("a", "Echo", "ws://127.0.0.1:9001/echo"),
            saved("b", "Chat", "ws://h/chat"),
        ];
        let reading =
            read::<SavedRequest>(Some(&document(REQUESTS, &requests).to_string()), REQUESTS);
        assert_eq!(
            reading,
            Reading {
                items: requests,
                problem: None
            }
        );
        assert_eq!(
            read::<SavedRequest>(None, REQUESTS),
            Reading {
                items: vec![],
                problem: None
            }
        );
    }

    #[test]
    fn damaged_entries_are_skipped_and_counted() {
        let raw = r#"{"version":1,"requests":[{"id":"a","name":"Echo","request":{"url":"ws://h/"}},{"id":7},"x"]}"#;
        let reading = read::<SavedRequest>(Some(raw), REQUESTS);
        assert_eq!(reading.items, vec![saved("a", "Echo", "ws://h/")]);
        assert_eq!(reading.problem, Some(Problem::Damaged { entries: 2 }));
    }

    #[test]
    fn garbage_foreign_and_newer_documents_are_named() {
        let problem = |raw: &str| read::<SavedRequest>(Some(raw), REQUESTS).problem;
        assert_eq!(problem("{not json"), Some(Problem::NotJson));
        assert_eq!(problem("[1,2]"), Some(Problem::NotOurs));
        assert_eq!(problem(r#"{"requests":[]}"#), Some(Problem::NotOurs));
        assert_eq!(
            problem(r#"{"version":0,"requests":[]}"#),
            Some(Problem::NotOurs)
        );
        let newer = read::<SavedRequest>(
            Some(
                r#"{"version":2,"requests":[{"id":"a","name":"E","request":{"url":"ws://h/"},"tags":[]}]}"#,
            ),
            REQUESTS,
        );
        assert_eq!(newer.items.len(), 1);
        assert_eq!(newer.problem, Some(Problem::Newer { version: 2 }));
    }

    #[test]
    fn changes_from_two_tabs_both_survive() {
        // Each tab writes its change onto what is stored at that moment, not onto what it loaded.
        let mut stored = vec![saved("a", "A", "ws://h/a")];
        RequestChange::Put(saved("b", "B", "ws://h/b")).apply(&mut stored);
        RequestChange::Put(saved("c", "C", "ws://h/c")).apply(&mut stored);
        RequestChange::Put(saved("a", "A2", "ws://h/a2")).apply(&mut stored);
        let names: Vec<&str> = stored.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["A2", "B", "C"]);
        RequestChange::Remove { id: "b".into() }.apply(&mut stored);
        assert_eq!(stored.len(), 2);
    }

    #[test]
    fn history_is_most_recent_first_updated_in_place_and_bounded() {
        let mut history = Vec::new();
        for i in 0..HISTORY_LIMIT + 5 {
            HistoryChange::Record(entry(&i.to_string(), i as f64)).apply(&mut history);
        }
        assert_eq!(history.len(), HISTORY_LIMIT);
        assert_eq!(history[0].id, (HISTORY_LIMIT + 4).to_string());
        HistoryChange::Record(HistoryEntry {
            outcome: Outcome::Closed { code: 1000 },
            ..entry("50", 50.0)
        })
        .apply(&mut history);
        assert_eq!(history.len(), HISTORY_LIMIT);
        assert!(
            history
                .iter()
                .any(|e| e.id == "50" && e.outcome == Outcome::Closed { code: 1000 })
        );
        HistoryChange::Clear.apply(&mut history);
        assert!(history.is_empty());
    }

    #[test]
    fn an_import_never_overwrites_a_request_of_the_same_name() {
        let existing = vec![
            saved("a", "Echo", "ws://h/echo"),
            saved("b", "Chat", "ws://h/chat"),
        ];
        let incoming = vec![
            saved("x", "Echo", "ws://h/echo"),
            saved("y", "Chat", "ws://other/chat"),
            saved("z", "New", "ws://h/new"),
            saved("w", "Echo copy", "ws://h/echo"),
        ];
        let mut n = 0;
        let (changes, report) = merge_import(&existing, incoming, || {
            n += 1;
            format!("id{n}")
        });
        assert_eq!(
            changes,
            vec![
                RequestChange::Put(saved("id1", "Chat (2)", "ws://other/chat")),
                RequestChange::Put(saved("id2", "New", "ws://h/new")),
            ]
        );
        assert_eq!(
            report.to_string(),
            "Imported 2 requests; 2 requests already saved; \u{201c}Chat\u{201d} saved as \u{201c}Chat (2)\u{201d} (the name was taken)."
        );
    }

    #[test]
    fn an_export_imports_back() {
        let requests = vec![saved("a", "Echo", "ws://h/echo")];
        let history = vec![entry("h1", 5.0)];
        let environments = vec![Environment {
            id: "e".into(),
            name: "local".into(),
            variables: vec![],
        }];
        let file = ExportFile::read(&ExportFile::write(&requests, &history, &environments))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(file.requests.items, requests);
        assert_eq!(file.history, history);
        assert_eq!(file.environments, environments);
        assert!(ExportFile::read("hello").is_err());
        assert!(ExportFile::read("{}").is_err());
        assert_eq!(
            merge_history(&history, vec![entry("h1", 5.0), entry("h0", 9.0)])
                .iter()
                .map(|e| e.id.as_str())
                .collect::<Vec<_>>(),
            ["h0", "h1"]
        );
    }

    #[test]
    fn an_attempt_ends_in_the_outcome_history_shows() {
        let mut attempt = Attempt::dial("ws://h/".into(), vec![], 0.0);
        assert_eq!(Outcome::of(&attempt), Outcome::Connecting);
        let mut failed = attempt.clone();
        failed.on_close(5.0, 1006, String::new(), false);
        assert_eq!(Outcome::of(&failed).to_string(), "failed (1006)");
        attempt.on_open(1.0, String::new(), String::new());
        assert_eq!(Outcome::of(&attempt), Outcome::Opened);
        attempt.on_close(9.0, 1000, String::new(), true);
        assert_eq!(Outcome::of(&attempt).to_string(), "opened, closed 1000");
        assert_eq!(
            Outcome::of(&Attempt::refuse("x".into(), vec![], "bad".into())),
            Outcome::NotDialled
        );
    }

    #[test]
    fn the_list_is_by_name_ignoring_case() {
        let requests = vec![
            saved("1", "beta", ""),
            saved("2", "Alpha (2)", ""),
            saved("3", "alpha", ""),
            saved("4", "Alpha", ""),
        ];
        let names: Vec<String> = by_name(&requests).into_iter().map(|r| r.name).collect();
        assert_eq!(names, ["Alpha", "alpha", "Alpha (2)", "beta"]);
    }

    #[test]
    fn free_names_count_up() {
        let taken = vec![saved("a", "Echo", ""), saved("b", "Echo (2)", "")];
        assert_eq!(free_name(&taken, "Echo"), "Echo (3)");
        assert_eq!(free_name(&taken, "Other"), "Other");
    }

    proptest! {
        #[test]
        fn reading_any_text_never_panics(raw in ".{0,80}") {
            let _ = read::<SavedRequest>(Some(&raw), REQUESTS);
            let _ = read::<HistoryEntry>(Some(&raw), HISTORY);
        }

        #[test]
        fn any_saved_requests_read_back(names in proptest::collection::vec(".{0,12}", 0..6), url in ".{0,30}") {
            let requests: Vec<SavedRequest> = names.iter().enumerate().map(|(i, n)| saved(&i.to_string(), n, &url)).collect();
            let reading = read::<SavedRequest>(Some(&document(REQUESTS, &requests).to_string()), REQUESTS);
            prop_assert_eq!(reading.items, requests);
            prop_assert_eq!(reading.problem, None);
        }
    }
}
