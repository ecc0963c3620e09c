//! What a run prints: a line per step as it ends (✓ passed, ✗ failed, - skipped) with its
//! duration, a failure in full, and the raw response of a refused handshake. Colour only on a
//! terminal and never with NO_COLOR set (anstream strips it otherwise).

use std::io::Write;

use anstyle::{AnsiColor, Style};
use wsprobe_core::scenario::{Failure, Report, StepState, Verdict};

const PASS: Style = AnsiColor::Green.on_default();
const FAIL: Style = AnsiColor::Red.on_default().bold();
const DIM: Style = Style::new().dimmed();
const BOLD: Style = Style::new().bold();

pub struct Printer {
    out: anstream::Stdout,
    titles: Vec<String>,
    /// A refusal's response, printed under the step that dialled once that step ends.
    refusal: Option<(usize, String)>,
}

impl Printer {
    pub fn new() -> Self {
        Self {
            out: anstream::stdout(),
            titles: Vec::new(),
            refusal: None,
        }
    }

    /// Starts a scenario: its name, where it came from, and its steps' titles.
    pub fn scenario(&mut self, name: &str, source: &str, titles: Vec<String>) {
        self.titles = titles;
        self.refusal = None;
        self.line(format_args!(
            "{BOLD}Scenario \u{201c}{name}\u{201d}{BOLD:#} {DIM}({source}){DIM:#}"
        ));
    }

    pub fn refusal(&mut self, step: usize, response: String) {
        self.refusal = Some((step, response));
    }

    /// Prints a step once it has ended; other states print nothing.
    pub fn step(&mut self, index: usize, state: &StepState) {
        let title = self.titles.get(index).cloned().unwrap_or_default();
        let number = index + 1;
        let ms = state.duration_ms().unwrap_or(0.0);
        match state {
            StepState::Passed {
                skipped, captured, ..
            } => {
                self.line(format_args!(
                    "  {PASS}\u{2713}{PASS:#} {number}. {title} {DIM}({ms:.0} ms){DIM:#}"
                ));
                if *skipped > 0 {
                    self.detail(&format!("passed over {skipped} messages"));
                }
                for c in captured {
                    self.detail(&format!("captured {} = {}", c.name, c.value));
                }
            }
            StepState::Failed { failure, .. } => {
                self.line(format_args!(
                    "  {FAIL}\u{2717}{FAIL:#} {number}. {title} {DIM}({ms:.0} ms){DIM:#}"
                ));
                self.failure(failure);
            }
            StepState::Skipped => {
                self.line(format_args!("  {DIM}- {number}. {title} (skipped){DIM:#}"));
            }
            StepState::Pending | StepState::Running => return,
        }
        if let Some((_, response)) = self.refusal.take_if(|(step, _)| *step == index) {
            self.detail("the server answered:");
            for line in response.lines() {
                let line = format!("| {line}");
                self.line(format_args!("        {DIM}{}{DIM:#}", line.trim_end()));
            }
        }
    }

    fn failure(&mut self, failure: &Failure) {
        self.detail(&format!("expected: {}", failure.expected));
        self.detail(&format!("actual:   {}", failure.actual));
        if failure.skipped > 0 {
            self.detail(&format!("({} messages passed over)", failure.skipped));
        }
        for near in &failure.received {
            self.detail(&format!("received {}: {}", near.preview, near.why));
            for difference in &near.differences {
                self.line(format_args!("          {difference}"));
            }
        }
    }

    /// The scenario's verdict and counts.
    pub fn verdict(&mut self, report: &Report, stopped: Option<&str>) {
        let counts = report.counts();
        let seconds = report.duration_ms / 1000.0;
        let tally = format!(
            "in {seconds:.3} s ({} passed, {} failed, {} skipped)",
            counts.passed, counts.failed, counts.skipped
        );
        match report.verdict {
            Some(Verdict::Passed) => self.line(format_args!("  {PASS}passed{PASS:#} {tally}")),
            _ => self.line(format_args!("  {FAIL}failed{FAIL:#} {tally}")),
        }
        if let Some(why) = stopped {
            self.detail(why);
        }
        self.line(format_args!(""));
    }

    pub fn total(&mut self, passed: usize, failed: usize) {
        let style = if failed == 0 { PASS } else { FAIL };
        let scenarios = if passed + failed == 1 {
            "scenario"
        } else {
            "scenarios"
        };
        self.line(format_args!(
            "{style}{} {scenarios}: {passed} passed, {failed} failed{style:#}",
            passed + failed
        ));
    }

    fn detail(&mut self, text: &str) {
        for line in text.lines() {
            self.line(format_args!("      {line}"));
        }
    }

    /// A closed stdout (`| head`) is no reason to stop the run: the exit status still tells.
    fn line(&mut self, text: std::fmt::Arguments<'_>) {
        let _ = writeln!(self.out, "{text}");
    }
}
