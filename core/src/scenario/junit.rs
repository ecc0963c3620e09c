//! JUnit XML, as CI servers read it: `<testsuites>`, a `<testsuite>` per scenario, a
//! `<testcase>` per step, `<failure>` and `<skipped>` inside. Written by hand: the crates for
//! it bring a date library and more into the page for a few dozen lines.

use super::events::StepState;
use super::report::{Report, SuiteReport};
use crate::decimal::fixed;

impl Report {
    /// One `<testsuites>` holding this scenario's suite.
    pub fn to_junit_xml(&self, suite_name: &str) -> String {
        document(suite_name, std::slice::from_ref(self))
    }
}

impl SuiteReport {
    /// One `<testsuites>` named after the suite, with a `<testsuite>` per scenario.
    pub fn to_junit_xml(&self) -> String {
        document(&self.name, &self.reports)
    }
}

fn document(name: &str, reports: &[Report]) -> String {
    let (mut tests, mut failures, mut ms) = (0, 0, 0.0);
    for report in reports {
        let counts = report.counts();
        tests += counts.total();
        failures += counts.failed;
        ms += report.duration_ms;
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" time=\"{}\">\n",
        attribute(name),
        seconds(ms)
    ));
    for (i, report) in reports.iter().enumerate() {
        suite(&mut out, i, report);
    }
    out.push_str("</testsuites>\n");
    out
}

fn suite(out: &mut String, i: usize, report: &Report) {
    let counts = report.counts();
    let name = attribute(&report.name);
    out.push_str(&format!(
        "  <testsuite name=\"{name}\" id=\"{i}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{}\">\n",
        counts.total(),
        counts.failed,
        counts.skipped,
        seconds(report.duration_ms)
    ));
    for step in &report.steps {
        let time = seconds(step.state.duration_ms().unwrap_or(0.0));
        let case_name = attribute(&format!("{}. {}", step.index + 1, step.title));
        let open =
            format!("    <testcase name=\"{case_name}\" classname=\"{name}\" time=\"{time}\"");
        match &step.state {
            StepState::Passed { .. } => out.push_str(&format!("{open}/>\n")),
            StepState::Failed { failure, .. } => out.push_str(&format!(
                "{open}>\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
                attribute(&failure.actual),
                "ScenarioStepFailed",
                text(&failure.to_string())
            )),
            StepState::Skipped => out.push_str(&format!(
                "{open}>\n      <skipped message=\"an earlier step failed\"/>\n    </testcase>\n"
            )),
            StepState::Pending | StepState::Running => out.push_str(&format!(
                "{open}>\n      <skipped message=\"the run did not reach its end\"/>\n    </testcase>\n"
            )),
        }
    }
    out.push_str("  </testsuite>\n");
}

/// Seconds with millisecond precision, as `xs:decimal` (never NaN or negative).
fn seconds(ms: f64) -> String {
    let ms = if ms.is_finite() && ms > 0.0 { ms } else { 0.0 };
    fixed(ms / 1000.0, 3)
}

/// Element text: markup escaped, characters XML 1.0 cannot hold left out.
fn text(raw: &str) -> String {
    escape(raw, false)
}

/// An attribute value: as `text`, and line breaks and tabs as references, so they survive
/// attribute normalisation.
fn attribute(raw: &str) -> String {
    escape(raw, true)
}

fn escape(raw: &str, in_attribute: bool) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' if in_attribute => out.push_str("&#10;"),
            '\r' if in_attribute => out.push_str("&#13;"),
            '\t' if in_attribute => out.push_str("&#9;"),
            '\n' | '\r' | '\t' => out.push(c),
            c if allowed_in_xml(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// XML 1.0's `Char`, less the line breaks and tab handled above.
fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        assert_eq!(
            text("a<b>&\"c'\u{0}\u{1b}[0m\u{fffe}\n"),
            "a&lt;b&gt;&amp;&quot;c&apos;[0m\n"
        );
        assert_eq!(attribute("1\n2\t3"), "1&#10;2&#9;3");
    }

    #[test]
    fn times_are_decimal_seconds() {
        assert_eq!(seconds(1234.5), "1.234");
        assert_eq!(seconds(f64::NAN), "0.000");
        assert_eq!(seconds(-5.0), "0.000");
    }
}
