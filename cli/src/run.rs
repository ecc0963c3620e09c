//! `wsprobe run`: reads every input and compiles every scenario before dialling anything (so
//! bad input costs no traffic), runs them one after another, then writes the reports.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use wsprobe_core::scenario::{Run, SuiteReport, Verdict};

use crate::args::RunArgs;
use crate::dial::client_tls;
use crate::driver::drive;
use crate::env::{self, Loaded};
use crate::inputs::{self, InputError, Job};
use crate::print::Printer;

/// Exit statuses, as documented in `wsprobe run --help`.
const FAILED: u8 = 1;
const BAD_INPUT: u8 = 2;

pub fn main(args: RunArgs) -> ExitCode {
    let loaded = match &args.env {
        Some(path) => match env::load(path, args.env_name.as_deref(), |name| {
            std::env::var(name).ok()
        }) {
            Ok(loaded) => loaded,
            Err(message) => return bad_input(&[error(path, message)]),
        },
        None => Loaded::default(),
    };
    let mut jobs = match inputs::load(&args.inputs, &args.only) {
        Ok(jobs) => jobs,
        Err(errors) => return bad_input(&errors),
    };
    if let Some(ms) = args.step_timeout {
        for job in &mut jobs {
            inputs::set_step_timeout(&mut job.scenario, ms);
        }
    }
    let runs = match compile(&jobs, &loaded, args.env.as_deref()) {
        Ok(runs) => runs,
        Err(errors) => return bad_input(&errors),
    };
    let tls = match client_tls(&args.ca_file) {
        Ok(tls) => Arc::new(tls),
        Err(errors) => {
            for why in errors {
                eprintln!("wsprobe: {why}");
            }
            return ExitCode::from(BAD_INPUT);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("wsprobe: cannot start the async runtime: {e}");
            return ExitCode::from(FAILED);
        }
    };
    let mut printer = Printer::new();
    let cap = args.timeout.map(Duration::from_millis);
    let mut suite = SuiteReport {
        name: "wsprobe".into(),
        reports: Vec::new(),
    };
    for (job, run) in jobs.iter().zip(runs) {
        let titles = run.report().steps.into_iter().map(|s| s.title).collect();
        printer.scenario(&job.scenario.name, &job.source, titles);
        let (report, stopped) = runtime.block_on(drive(run, cap, tls.clone(), &mut printer));
        printer.verdict(
            &report,
            stopped.then_some("stopped: it ran longer than --timeout"),
        );
        suite.reports.push(report);
    }
    let passed = suite
        .reports
        .iter()
        .filter(|r| r.verdict == Some(Verdict::Passed))
        .count();
    let failed = suite.reports.len() - passed;
    printer.total(passed, failed);
    let mut write_errors = Vec::new();
    if let Some(path) = &args.junit {
        write_errors.extend(write(path, &suite.to_junit_xml()));
    }
    if let Some(path) = &args.json {
        write_errors.extend(write(path, &suite.to_json()));
    }
    if !write_errors.is_empty() {
        return bad_input(&write_errors);
    }
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(FAILED)
    }
}

/// Every scenario made ready to run; a scenario that cannot run (a bad pattern, an unknown
/// variable) is bad input, named with its file.
fn compile(
    jobs: &[Job],
    loaded: &Loaded,
    env_file: Option<&Path>,
) -> Result<Vec<Run>, Vec<InputError>> {
    let seed = seed();
    let mut runs = Vec::new();
    let mut errors = Vec::new();
    for (i, job) in jobs.iter().enumerate() {
        match Run::new(&job.scenario, &job.request, &loaded.variables) {
            Ok(run) => runs.push(run.with_seed(seed.wrapping_add(i as u64))),
            Err(e) => {
                let mut message = format!("scenario \u{201c}{}\u{201d}: {e}", job.scenario.name);
                message.push_str(&variable_hint(&message, loaded, env_file));
                errors.push(InputError {
                    source: job.source.clone(),
                    message,
                });
            }
        }
    }
    if errors.is_empty() {
        Ok(runs)
    } else {
        Err(errors)
    }
}

/// Where a variable the scenario names would have come from.
fn variable_hint(message: &str, loaded: &Loaded, env_file: Option<&Path>) -> String {
    let missing = loaded
        .missing_secrets
        .iter()
        .find(|name| message.contains(&format!("{{{{{}}}}}", name.trim())));
    match (missing, env_file) {
        (Some(name), Some(file)) => format!(
            " ({name} is a secret variable in {} with no value: set {})",
            file.display(),
            env::env_var_name(name)
        ),
        (None, None) if message.contains("is not defined") => {
            " (variables come from --env FILE; see wsprobe run --help)".into()
        }
        _ => String::new(),
    }
}

/// Fresh values for `{{$uuid}}` and `{{$randomInt}}` on every run.
fn seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    nanos ^ (u64::from(std::process::id()) << 32)
}

fn write(path: &Path, text: &str) -> Option<InputError> {
    std::fs::write(path, text)
        .err()
        .map(|e| error(path, format!("cannot write the report: {e}")))
}

fn error(path: &Path, message: String) -> InputError {
    InputError {
        source: path.display().to_string(),
        message,
    }
}

fn bad_input(errors: &[InputError]) -> ExitCode {
    for error in errors {
        eprintln!("wsprobe: {error}");
    }
    ExitCode::from(BAD_INPUT)
}
