//! What `wsprobe run` is given: scenario files, share links and the page's export files, read
//! into scenarios to run, or every problem with them, each naming its input.

use std::fmt;
use std::path::Path;

use serde_json::Value;
use wsprobe_core::request::Request;
use wsprobe_core::saved::ExportFile;
use wsprobe_core::scenario::{
    DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, Scenario, ScenarioFile, StepKind, file,
};
use wsprobe_core::share_link;

/// One scenario to run, with the request it dials.
#[derive(Debug)]
pub struct Job {
    /// The file or link it came from, for messages.
    pub source: String,
    pub request: Request,
    /// Named (after the saved request or the file when it had no name of its own).
    pub scenario: Scenario,
    /// What `--only` matches: the scenario's name and the saved request's.
    names: Vec<String>,
}

/// A problem with one input; shown as `source: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub source: String,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.message)
    }
}

/// Every input read, then `only` applied; all problems at once, so one run shows them all.
pub fn load(inputs: &[String], only: &[String]) -> Result<Vec<Job>, Vec<InputError>> {
    let mut jobs = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        match read_input(input) {
            Ok(found) => jobs.extend(found),
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if only.is_empty() {
        return Ok(jobs);
    }
    for name in only {
        if !jobs.iter().any(|job| job.names.contains(name)) {
            let known: Vec<String> = jobs
                .iter()
                .map(|job| format!("\u{201c}{}\u{201d}", job.scenario.name))
                .collect();
            errors.push(InputError {
                source: "--only".into(),
                message: format!(
                    "no scenario is named \u{201c}{name}\u{201d} (the inputs hold: {})",
                    known.join(", ")
                ),
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    jobs.retain(|job| only.iter().any(|name| job.names.contains(name)));
    Ok(jobs)
}

/// Makes `ms` the timeout of every waiting step that left it at its default.
pub fn set_step_timeout(scenario: &mut Scenario, ms: u64) {
    for step in &mut scenario.steps {
        match &mut step.kind {
            StepKind::Connect { timeout_ms, .. } if *timeout_ms == DEFAULT_CONNECT_TIMEOUT_MS => {
                *timeout_ms = ms;
            }
            StepKind::ExpectMessage { timeout_ms, .. }
            | StepKind::ExpectClose { timeout_ms, .. }
                if *timeout_ms == DEFAULT_TIMEOUT_MS =>
            {
                *timeout_ms = ms;
            }
            _ => {}
        }
    }
}

fn is_link(input: &str) -> bool {
    ["http://", "https://", "#", "share="]
        .iter()
        .any(|start| input.starts_with(start))
}

fn read_input(input: &str) -> Result<Vec<Job>, InputError> {
    if is_link(input) {
        read_link(input).map(|job| vec![job])
    } else {
        read_file(input)
    }
}

fn read_link(link: &str) -> Result<Job, InputError> {
    let (shown, cut) = wsprobe_core::payload::text_preview(link, 60);
    let source = format!("share link {shown}{}", if cut { "\u{2026}" } else { "" });
    let fail = |message: String| InputError {
        source: source.clone(),
        message,
    };
    let fragment = match link.split_once('#') {
        Some((_, fragment)) => fragment,
        None if link.starts_with("share=") => link,
        None => {
            return Err(fail(
                "the link has no #share=… part, so it is not a wsprobe share link".into(),
            ));
        }
    };
    let request = share_link::decode(fragment).map_err(|e| fail(e.to_string()))?;
    let split = ScenarioFile::from_request(&request);
    if split.scenario.steps.is_empty() {
        return Err(fail(
            "the shared request has no scenario (no steps to run)".into(),
        ));
    }
    Ok(job(source, split, "shared request", None))
}

fn read_file(path: &str) -> Result<Vec<Job>, InputError> {
    let fail = |message: String| InputError {
        source: path.to_string(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| fail(format!("cannot read it: {e}")))?;
    let is_export = serde_json::from_str::<Value>(&text)
        .ok()
        .is_some_and(|v| v.get("wsprobe").and_then(Value::as_str) == Some("saved"));
    if is_export {
        return read_export(path, &text).map_err(fail);
    }
    let scenario_file = file::read(&text).map_err(fail)?;
    if scenario_file.scenario.steps.is_empty() {
        return Err(fail("the scenario has no steps".into()));
    }
    let stem = Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().trim_end_matches(".json").to_string())
        .unwrap_or_default();
    Ok(vec![job(path.to_string(), scenario_file, &stem, None)])
}

/// Every saved request in the export that has a scenario.
fn read_export(path: &str, text: &str) -> Result<Vec<Job>, String> {
    let export = ExportFile::read(text)?;
    if let Some(problem) = &export.requests.problem {
        return Err(format!("the export file cannot be used: {problem}"));
    }
    let total = export.requests.items.len();
    let jobs: Vec<Job> = export
        .requests
        .items
        .iter()
        .filter(|saved| !saved.request.scenario.steps.is_empty())
        .map(|saved| {
            job(
                format!("{path} (saved request \u{201c}{}\u{201d})", saved.name),
                ScenarioFile::from_request(&saved.request),
                &saved.name,
                Some(&saved.name),
            )
        })
        .collect();
    if jobs.is_empty() {
        return Err(format!(
            "none of its {total} saved requests has a scenario, so there is nothing to run"
        ));
    }
    Ok(jobs)
}

fn job(source: String, file: ScenarioFile, fallback: &str, saved: Option<&str>) -> Job {
    let mut scenario = file.scenario;
    let mut names = vec![scenario.name.clone()];
    names.extend(saved.map(str::to_string));
    if scenario.name.trim().is_empty() {
        scenario.name = fallback.to_string();
    }
    Job {
        source,
        request: file.request,
        scenario,
        names,
    }
}
