//! What the browser keeps between visits: saved requests and the history of connections,
//! each a versioned JSON document. Reading is lenient (whatever can be read is kept, and the
//! caller is told what could not be, so it can keep the original text); writing applies one
//! change to the freshly read document, so two tabs never erase each other's saves.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::connection::Attempt;
use crate::decimal::fixed;
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
    read_list(&document, list)
}

/// Reads the list stored under `list` in a parsed document.
fn read_list<T: DeserializeOwned>(document: &Value, list: &str) -> Reading<T> {
    let failed = |problem| Reading {
        items: Vec::new(),
        problem: Some(problem),
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

/// The text of the document that stores `items` under `list`; Err says why it could not be
/// written (serde refuses nothing wsprobe stores, but the error is passed on, not dropped).
pub fn document<T: Serialize>(list: &str, items: &[T]) -> Result<String, String> {
    serde_json::to_string(&serde_json::json!({ "version": DOCUMENT_VERSION, list: items }))
        .map_err(|e| format!("it could not be written as JSON ({e})"))
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
    /// What two entries share when they are the same whatever their names and ids.
    fn content(&self) -> impl Serialize;
    fn renamed(self, id: String, name: String) -> Self;
}

impl Named for SavedRequest {
    const NOUN: (&'static str, &'static str) = ("request", "requests");
    fn name(&self) -> &str {
        &self.name
    }
    fn content(&self) -> impl Serialize {
        &self.request
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
    fn content(&self) -> impl Serialize {
        &self.variables
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
pub fn merge_import<T: Named + Serialize>(
    existing: &[T],
    incoming: Vec<T>,
    mut new_id: impl FnMut() -> String,
) -> (Vec<ListChange<T>>, ImportReport) {
    // Sets, and the next number to try per name, so that thousands of entries under one
    // name merge in linear time rather than trying "(2)", "(3)"... against every name.
    let content = |item: &T| serde_json::to_string(&item.content()).unwrap_or_default();
    let mut contents: HashSet<String> = existing.iter().map(content).collect();
    let mut names: HashSet<String> = existing.iter().map(|t| t.name().to_string()).collect();
    let mut next_number: HashMap<String, u64> = HashMap::new();
    let mut changes = Vec::new();
    let mut report = ImportReport {
        noun: T::NOUN,
        ..ImportReport::default()
    };
    for item in incoming {
        if !contents.insert(content(&item)) {
            report.already_saved += 1;
            continue;
        }
        let wanted = item.name().to_string();
        let mut name = wanted.clone();
        if names.contains(&name) {
            let n = next_number.entry(wanted.clone()).or_insert(2);
            name = loop {
                let candidate = format!("{wanted} ({n})");
                *n += 1;
                if !names.contains(&candidate) {
                    break candidate;
                }
            };
            report.renamed.push((wanted, name.clone()));
        }
        names.insert(name.clone());
        changes.push(ListChange::Put(item.renamed(new_id(), name)));
        report.added += 1;
    }
    (changes, report)
}

/// Applies `changes` in order, finding each entry by id through an index rather than a
/// scan, for imports of thousands.
pub fn apply_all<T: Keyed + Clone>(changes: &[ListChange<T>], items: &mut Vec<T>) {
    let mut at: HashMap<String, usize> = items
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id().to_string(), i))
        .collect();
    for change in changes {
        match change {
            ListChange::Put(item) => match at.get(item.id()).and_then(|&i| items.get_mut(i)) {
                Some(existing) => *existing = item.clone(),
                None => {
                    at.insert(item.id().to_string(), items.len());
                    items.push(item.clone());
                }
            },
            ListChange::Remove { .. } => {
                change.apply(items);
                at = items
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (t.id().to_string(), i))
                    .collect();
            }
        }
    }
}

/// The history after an import: entries from both, once each, most recent first, bounded.
pub fn merge_history(existing: &[HistoryEntry], incoming: Vec<HistoryEntry>) -> Vec<HistoryEntry> {
    let mut seen: HashSet<String> = existing.iter().map(|e| e.id.clone()).collect();
    let mut all = existing.to_vec();
    all.extend(incoming.into_iter().filter(|e| seen.insert(e.id.clone())));
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

/// The largest file an import reads: far more than a browser's storage holds (about 5 MiB).
pub const MAX_IMPORT_BYTES: usize = 16 << 20;

impl ExportFile {
    /// The file's text; without `with_secrets`, what a share link would leave out is left out
    /// of every request and history entry, and secret variables' values are emptied.
    pub fn write(
        requests: &[SavedRequest],
        history: &[HistoryEntry],
        environments: &[Environment],
        with_secrets: bool,
    ) -> String {
        let file = if with_secrets {
            Self::document(requests, history, environments)
        } else {
            Self::document(
                &requests
                    .iter()
                    .map(SavedRequest::without_secrets)
                    .collect::<Vec<_>>(),
                &history
                    .iter()
                    .map(HistoryEntry::without_secrets)
                    .collect::<Vec<_>>(),
                &environments
                    .iter()
                    .map(Environment::without_secrets)
                    .collect::<Vec<_>>(),
            )
        };
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }

    fn document(
        requests: &[SavedRequest],
        history: &[HistoryEntry],
        environments: &[Environment],
    ) -> Value {
        serde_json::json!({
            "wsprobe": "saved",
            "version": DOCUMENT_VERSION,
            REQUESTS: requests,
            HISTORY: history,
            ENVIRONMENTS: environments,
        })
    }

    /// Reads a file made by `write` (parsed once), or says why it cannot.
    pub fn read(text: &str) -> Result<Self, String> {
        if text.len() > MAX_IMPORT_BYTES {
            return Err(too_large(text.len()));
        }
        let Ok(document) = serde_json::from_str::<Value>(text) else {
            return Err("The file is not JSON, so it is not a wsprobe export.".into());
        };
        let requests: Reading<SavedRequest> = read_list(&document, REQUESTS);
        match requests.problem {
            Some(Problem::NotJson | Problem::NotOurs) => Err(
                "The file is JSON but not a wsprobe export (it has no versioned list of requests)."
                    .into(),
            ),
            _ => Ok(Self {
                requests,
                history: read_list(&document, HISTORY).items,
                environments: read_list(&document, ENVIRONMENTS).items,
            }),
        }
    }
}

/// Why a file of `bytes` is not imported.
pub fn too_large(bytes: usize) -> String {
    format!(
        "The file is {} MiB; wsprobe imports files of up to {} MiB (a browser keeps about 5 MiB \
         for a page), so it was not read.",
        fixed(bytes as f64 / f64::from(1 << 20), 1),
        MAX_IMPORT_BYTES >> 20
    )
}

impl SavedRequest {
    /// As it may leave the browser without secrets: see `Request::without_secrets`.
    pub fn without_secrets(&self) -> Self {
        Self {
            request: self.request.without_secrets(),
            ..self.clone()
        }
    }
}

impl HistoryEntry {
    /// The URL and subprotocols by the same rules as a request's.
    pub fn without_secrets(&self) -> Self {
        let request = Request {
            url: self.url.clone(),
            subprotocols: self.subprotocols.clone(),
            ..Request::default()
        }
        .in_step();
        if !request.has_secrets() {
            return self.clone();
        }
        let request = request.without_secrets();
        Self {
            url: request.url,
            subprotocols: request.subprotocols,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    impl SavedRequest {
        fn in_step_for_test(self) -> Self {
            Self {
                request: self.request.in_step(),
                ..self
            }
        }
    }

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
        let reading = read::<SavedRequest>(Some(&document(REQUESTS, &requests).unwrap()), REQUESTS);
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
    fn thousands_under_one_name_merge_in_linear_time() {
        // Trying "(2)", "(3)"... against every name, for every entry, took minutes here.
        let n = 5_000;
        let existing = vec![saved("a", "Echo", "ws://h/0")];
        let incoming: Vec<SavedRequest> = (1..=n)
            .map(|i| saved(&format!("x{i}"), "Echo", &format!("ws://h/{i}")))
            .collect();
        let mut next = 0;
        let (changes, report) = merge_import(&existing, incoming, || {
            next += 1;
            format!("id{next}")
        });
        assert_eq!(report.added, n);
        let mut all = existing.clone();
        apply_all(&changes, &mut all);
        assert_eq!(all.len(), n + 1);
        let names: HashSet<&str> = all.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names.len(), n + 1, "every name different");
        assert!(names.contains("Echo (5001)"));
    }

    /// Every secret value the export test puts in, each where a share link would leave it out.
    const SECRETS: [&str; 8] = [
        "s3cret",
        "t0ken",
        "k3y",
        "c00kie",
        "jwt-v4lue",
        "hist0ry",
        "pr0t0col",
        "v4r",
    ];

    #[test]
    fn an_export_without_secrets_leaves_out_what_a_share_link_would() {
        let mut request = saved("a", "Echo", "ws://h/echo?room=1&token=s3cret");
        request.request.headers = vec![
            crate::relay::Header::bearer("t0ken"),
            crate::relay::Header::new("X-Api-Key", "k3y"),
            crate::relay::Header::new("X-Trace", "1"),
        ];
        request.request.cookies = "sid=c00kie".into();
        request.request.subprotocols = "access_token, jwt-v4lue".into();
        let mut history = entry("h", 1.0);
        history.url = "ws://h/echo?room=1&access_token=hist0ry".into();
        history.subprotocols = "Bearer, pr0t0col".into();
        let plain = entry("p", 2.0);
        let environments = vec![Environment {
            id: "e".into(),
            name: "local".into(),
            variables: vec![crate::variables::Variable {
                name: "apiKey".into(),
                value: "v4r".into(),
                secret: true,
            }],
        }];
        let requests = [request.clone().in_step_for_test()];
        let without = ExportFile::write(
            &requests,
            &[history.clone(), plain.clone()],
            &environments,
            false,
        );
        for secret in SECRETS {
            assert!(!without.contains(secret), "{secret} left in {without}");
        }
        let file = ExportFile::read(&without).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            file.requests.items[0].request.url,
            "ws://h/echo?room=1&token="
        );
        assert_eq!(
            file.history[1], plain,
            "a URL with nothing secret stays as typed"
        );
        let with = ExportFile::write(&requests, &[history], &environments, true);
        for secret in SECRETS {
            assert!(with.contains(secret), "{secret} missing with secrets");
        }
    }

    #[test]
    fn a_file_over_the_limit_is_refused_unread() {
        let big = " ".repeat(MAX_IMPORT_BYTES + 1);
        assert!(matches!(ExportFile::read(&big), Err(e) if e.contains("16 MiB")));
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
        let file = ExportFile::read(&ExportFile::write(&requests, &history, &environments, true))
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

        /// A real export, damaged, then imported: read and merged, or refused with a reason.
        #[test]
        fn any_damaged_export_imports_or_says_why(
            names in proptest::collection::vec("[a-zA-Z (2)]{0,8}", 1..8),
            edits in crate::mutate::edits(),
        ) {
            let requests: Vec<SavedRequest> = names
                .iter()
                .enumerate()
                .map(|(i, n)| saved(&i.to_string(), n, &format!("ws://h/{i}?token={n}")))
                .collect();
            let history = vec![entry("h", 1.0)];
            let mut text = ExportFile::write(&requests, &history, &[], true).into_bytes();
            let other = ExportFile::write(&requests[..1], &[], &[], false).into_bytes();
            crate::mutate::apply(&mut text, &other, &edits);
            if let Ok(file) = ExportFile::read(&String::from_utf8_lossy(&text)) {
                let mut n = 0;
                let (changes, report) = merge_import(&requests, file.requests.items, || {
                    n += 1;
                    format!("new{n}")
                });
                let mut all = requests.clone();
                apply_all(&changes, &mut all);
                prop_assert_eq!(all.len(), requests.len() + report.added);
                for change in &changes {
                    if let ListChange::Put(added) = change {
                        let same_name = all.iter().filter(|r| r.name == added.name).count();
                        prop_assert_eq!(same_name, 1, "an import never takes a name in use");
                    }
                }
                let _ = merge_history(&history, file.history);
            }
        }

        #[test]
        fn any_saved_requests_read_back(names in proptest::collection::vec(".{0,12}", 0..6), url in ".{0,30}") {
            let requests: Vec<SavedRequest> = names.iter().enumerate().map(|(i, n)| saved(&i.to_string(), n, &url)).collect();
            let reading = read::<SavedRequest>(Some(&document(REQUESTS, &requests).unwrap()), REQUESTS);
            prop_assert_eq!(reading.items, requests);
            prop_assert_eq!(reading.problem, None);
        }
    }
}
