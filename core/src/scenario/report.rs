//! A run's results: per step, and for a whole suite of scenarios, as JSON, as plain text for
//! a terminal, and as JUnit XML for CI (in `junit`).

use serde::{Deserialize, Serialize};

use super::events::{Captured, StepState, Verdict};
use crate::decimal::fixed;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub name: String,
    /// `None` while the run goes on.
    pub verdict: Option<Verdict>,
    pub duration_ms: f64,
    pub steps: Vec<StepReport>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub captured: Vec<Captured>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepReport {
    /// From 0.
    pub index: usize,
    pub id: u64,
    pub title: String,
    pub state: StepState,
}

/// How many steps ended each way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub passed: usize,
    pub failed: usize,
    /// Skipped after a failure, or never reached.
    pub skipped: usize,
}

impl Counts {
    pub fn total(&self) -> usize {
        self.passed + self.failed + self.skipped
    }
}

impl Report {
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for step in &self.steps {
            match step.state {
                StepState::Passed { .. } => counts.passed += 1,
                StepState::Failed { .. } => counts.failed += 1,
                _ => counts.skipped += 1,
            }
        }
        counts
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// A few lines for a terminal: the verdict, then one line a step, failures in full.
    pub fn to_text(&self) -> String {
        let counts = self.counts();
        let verdict = match self.verdict {
            Some(Verdict::Passed) => "PASSED",
            Some(Verdict::Failed) => "FAILED",
            None => "RUNNING",
        };
        let mut out = format!(
            "Scenario \u{201c}{}\u{201d}: {verdict} in {} ({} passed, {} failed, {} skipped)\n",
            self.name,
            seconds_words(self.duration_ms),
            counts.passed,
            counts.failed,
            counts.skipped
        );
        for step in &self.steps {
            let mark = match step.state {
                StepState::Passed { .. } => "ok  ",
                StepState::Failed { .. } => "FAIL",
                StepState::Skipped => "skip",
                StepState::Running => "... ",
                StepState::Pending => "    ",
            };
            out.push_str(&format!("  {mark} {}. {}", step.index + 1, step.title));
            if let Some(ms) = step.state.duration_ms() {
                out.push_str(&format!(" ({} ms)", fixed(ms, 0)));
            }
            out.push('\n');
            if let StepState::Passed {
                skipped, captured, ..
            } = &step.state
            {
                if *skipped > 0 {
                    out.push_str(&format!("         passed over {skipped} messages\n"));
                }
                for c in captured {
                    out.push_str(&format!("         captured {} = {}\n", c.name, c.value));
                }
            }
            if let Some(failure) = step.state.failure() {
                for line in failure.to_string().lines() {
                    out.push_str(&format!("         {line}\n"));
                }
            }
        }
        out
    }
}

fn seconds_words(ms: f64) -> String {
    format!("{} s", fixed(ms / 1000.0, 3))
}

/// The reports of several scenarios run together ("Run all").
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SuiteReport {
    pub name: String,
    pub reports: Vec<Report>,
}

impl SuiteReport {
    /// Passed when every scenario passed; `None` while any still runs (or there are none).
    pub fn verdict(&self) -> Option<Verdict> {
        if self.reports.is_empty() {
            return None;
        }
        let mut verdict = Verdict::Passed;
        for report in &self.reports {
            match report.verdict? {
                Verdict::Failed => verdict = Verdict::Failed,
                Verdict::Passed => {}
            }
        }
        Some(verdict)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    pub fn to_text(&self) -> String {
        let failed = self
            .reports
            .iter()
            .filter(|r| r.verdict == Some(Verdict::Failed))
            .count();
        let mut out = String::new();
        for report in &self.reports {
            out.push_str(&report.to_text());
        }
        out.push_str(&format!(
            "{} scenarios: {} passed, {failed} failed\n",
            self.reports.len(),
            self.reports
                .iter()
                .filter(|r| r.verdict == Some(Verdict::Passed))
                .count()
        ));
        out
    }
}
