//! The scenario file people commit next to their code:
//!
//! ```json
//! {"wsprobe": "scenario", "version": 1, "name": "Echo", "request": {"url": "ws://…"},
//!  "steps": [{"id": 1, "kind": "connect"}, …]}
//! ```
//!
//! Described in docs/scenario.schema.json. A file from an older version is brought up to
//! date by `migrate` before it is read; one from a newer version is refused, naming both.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::model::{Scenario, Step};
use crate::request::Request;

/// The `"wsprobe"` value of a scenario file.
pub const KIND: &str = "scenario";
/// The version this code writes and the newest it reads.
pub const VERSION: u64 = 1;

/// A scenario and the request it runs against.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScenarioFile {
    /// The request; its own `scenario` is left empty (the steps are `scenario`'s).
    pub request: Request,
    pub scenario: Scenario,
}

impl ScenarioFile {
    /// The file for a request that carries its scenario.
    pub fn from_request(request: &Request) -> Self {
        Self {
            request: Request {
                scenario: Scenario::default(),
                ..request.clone()
            },
            scenario: request.scenario.clone(),
        }
    }

    /// The request with the scenario in it, as it is saved and shared.
    pub fn into_request(self) -> Request {
        Request {
            scenario: self.scenario,
            ..self.request
        }
    }
}

/// The file as written, version 1.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    wsprobe: String,
    version: u64,
    #[serde(default)]
    name: String,
    #[serde(default)]
    request: Request,
    #[serde(default)]
    steps: Vec<Step>,
}

/// Reads a scenario file, or says what is wrong with it and where.
pub fn read(text: &str) -> Result<ScenarioFile, String> {
    if text.len() > crate::saved::MAX_IMPORT_BYTES {
        return Err(crate::saved::too_large(text.len()));
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "The file is not valid JSON (line {}, column {}): {}",
            e.line(),
            e.column(),
            strip_position(&e.to_string())
        )
    })?;
    let version = check_header(&value)?;
    let document: Document = if version == VERSION {
        // Read from the text so that errors say the line as well as the path.
        let mut reader = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut reader).map_err(|e| {
            let inner = e.inner();
            format!(
                "The scenario file is not valid at {} (line {}, column {}): {}",
                path_words(&e.path().to_string()),
                inner.line(),
                inner.column(),
                strip_position(&inner.to_string())
            )
        })?
    } else {
        let value = migrate(value, version)?;
        serde_path_to_error::deserialize(value).map_err(|e| {
            format!(
                "The scenario file (version {version}, brought up to version {VERSION}) is not valid at {}: {}",
                path_words(&e.path().to_string()),
                e.inner()
            )
        })?
    };
    let mut steps = document.steps;
    number_steps(&mut steps)?;
    Ok(ScenarioFile {
        request: Request {
            scenario: Scenario::default(),
            ..document.request
        }
        .in_step(),
        scenario: Scenario {
            name: document.name,
            steps,
        },
    })
}

/// The file's text, indented, as `read` reads it back.
pub fn write(file: &ScenarioFile) -> String {
    let document = Document {
        wsprobe: KIND.into(),
        version: VERSION,
        name: file.scenario.name.clone(),
        request: Request {
            scenario: Scenario::default(),
            ..file.request.clone()
        },
        steps: file.scenario.steps.clone(),
    };
    serde_json::to_string_pretty(&document).unwrap_or_default() + "\n"
}

/// The file's version, once it is known to be a wsprobe scenario file at all.
fn check_header(value: &Value) -> Result<u64, String> {
    let Some(object) = value.as_object() else {
        return Err(
            "The file is JSON but not a wsprobe scenario file (it is not an object).".into(),
        );
    };
    match object.get("wsprobe").and_then(Value::as_str) {
        Some(KIND) => {}
        Some("saved") => {
            return Err(
                "The file is a wsprobe export of saved requests, not a scenario file; import it from the saved requests."
                    .into(),
            );
        }
        _ => {
            return Err(
                "The file is JSON but not a wsprobe scenario file (it has no \"wsprobe\": \"scenario\")."
                    .into(),
            );
        }
    }
    match object.get("version").and_then(Value::as_u64) {
        Some(version) if version > VERSION => Err(format!(
            "The scenario file was made by a newer wsprobe: version {version}, this reads up to {VERSION}. Update wsprobe to read it."
        )),
        Some(version) => Ok(version),
        None => Err("The scenario file has no version number (\"version\": 1).".into()),
    }
}

/// Brings a document of an older version up to `VERSION`, one version at a time.
fn migrate(mut value: Value, from: u64) -> Result<Value, String> {
    for version in from..VERSION {
        value = upgrade(version, value)?;
    }
    Ok(value)
}

/// One version up, `version` to `version + 1`: a change to the format adds its arm here
/// (`1 => …` for 1 to 2) and keeps the others, so a file of any age still reads.
fn upgrade(version: u64, _value: Value) -> Result<Value, String> {
    // No version before 1 was ever written.
    Err(format!(
        "The scenario file says version {version}, which no wsprobe ever wrote."
    ))
}

/// Gives every step without an id (0) one no other step has, and refuses ids used twice.
fn number_steps(steps: &mut [Step]) -> Result<(), String> {
    let mut seen = std::collections::HashSet::new();
    for (i, step) in steps.iter().enumerate() {
        if step.id != 0 && !seen.insert(step.id) {
            return Err(format!(
                "Two steps have the id {} (the second is step {}); ids tell steps apart, so each must be different.",
                step.id,
                i + 1
            ));
        }
    }
    let mut next = steps.iter().map(|s| s.id).max().unwrap_or(0);
    for step in steps.iter_mut().filter(|s| s.id == 0) {
        next = next.saturating_add(1);
        step.id = next;
    }
    Ok(())
}

/// `steps[2].match` as people say it; `.` alone is the whole document.
fn path_words(path: &str) -> String {
    if path == "." || path.is_empty() {
        "the top level".into()
    } else {
        path.to_string()
    }
}

/// serde_json's message without its trailing " at line L column C", given separately.
fn strip_position(message: &str) -> String {
    message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::model::{Matcher, Mode, StepKind};

    const ECHO: &str = r#"{
  "wsprobe": "scenario",
  "version": 1,
  "name": "Echo",
  "request": {"url": "ws://127.0.0.1:9001/echo"},
  "steps": [
    {"kind": "connect"},
    {"id": 7, "kind": "send", "text": "hi"},
    {"kind": "expect_message", "match": {"equals": "hi"}}
  ]
}"#;

    #[test]
    fn a_file_reads_and_writes_back() {
        let file = read(ECHO).unwrap();
        assert_eq!(file.scenario.name, "Echo");
        assert_eq!(file.request.url, "ws://127.0.0.1:9001/echo");
        let ids: Vec<u64> = file.scenario.steps.iter().map(|s| s.id).collect();
        assert_eq!(ids, [8, 7, 9], "missing ids are given after the largest");
        assert_eq!(
            file.scenario.steps[2].kind,
            StepKind::ExpectMessage {
                matcher: Matcher::Equals("hi".into()),
                mode: Mode::Next,
                timeout_ms: 5000,
                capture: vec![]
            }
        );
        assert_eq!(read(&write(&file)), Ok(file.clone()));
        let request = file.clone().into_request();
        assert_eq!(request.scenario.steps.len(), 3);
        assert_eq!(ScenarioFile::from_request(&request), file);
    }

    #[test]
    fn newer_foreign_and_broken_files_say_why() {
        let error = |text: &str| read(text).err().unwrap_or_default();
        assert_eq!(
            error(r#"{"wsprobe": "scenario", "version": 2, "steps": []}"#),
            "The scenario file was made by a newer wsprobe: version 2, this reads up to 1. Update wsprobe to read it."
        );
        assert!(error(r#"{"version": 1, "steps": []}"#).contains("not a wsprobe scenario file"));
        assert!(
            error(r#"{"wsprobe": "saved", "version": 1}"#).contains("export of saved requests")
        );
        assert!(error("[1]").contains("not an object"));
        assert!(error("{").contains("not valid JSON (line 1"));
        assert!(error(r#"{"wsprobe": "scenario"}"#).contains("no version"));
        assert!(
            error(r#"{"wsprobe": "scenario", "version": 0}"#)
                .contains("version 0, which no wsprobe ever wrote")
        );
        let typo = error(&ECHO.replace("\"match\"", "\"mach\""));
        assert!(
            typo.contains("steps[2]") && typo.contains("line 9") && typo.contains("mach"),
            "{typo}"
        );
        let twice = error(&ECHO.replace(
            "{\"kind\": \"connect\"}",
            "{\"id\": 7, \"kind\": \"connect\"}",
        ));
        assert!(twice.contains("Two steps have the id 7"), "{twice}");
    }
}
