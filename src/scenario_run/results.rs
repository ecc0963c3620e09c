//! The last run's results as files and as text: JUnit XML for CI dashboards, JSON for tools,
//! a few lines to paste in a bug report. After Run all scenarios, the whole suite's.

use leptos::prelude::*;
use wsprobe_core::scenario::{Report, SuiteReport};

use super::ScenarioRun;
use crate::glue::{clipboard, download};

enum Results {
    One(Report),
    Suite(SuiteReport),
}

impl ScenarioRun {
    fn results(&self) -> Option<Results> {
        match (self.suite.get_untracked(), self.report.get_untracked()) {
            (Some(suite), _) => Some(Results::Suite(suite)),
            (None, Some(report)) => Some(Results::One(report)),
            (None, None) => {
                self.notice.set(Some(
                    "Run the scenario first; then its results are here.".into(),
                ));
                None
            }
        }
    }

    /// Download JUnit report.
    pub fn download_junit(&self) {
        let xml = match self.results() {
            Some(Results::Suite(suite)) => suite.to_junit_xml(),
            Some(Results::One(report)) => report.to_junit_xml("wsprobe"),
            None => return,
        };
        self.save("wsprobe-junit.xml", "application/xml", &xml);
    }

    /// Download JSON report: each step's state, duration, failure and captures.
    pub fn download_json(&self) {
        let json = match self.results() {
            Some(Results::Suite(suite)) => suite.to_json(),
            Some(Results::One(report)) => report.to_json(),
            None => return,
        };
        self.save("wsprobe-results.json", "application/json", &json);
    }

    /// Copy summary: the verdict and one line a step, failures in full.
    pub fn copy_summary(&self) {
        let text = match self.results() {
            Some(Results::Suite(suite)) => suite.to_text(),
            Some(Results::One(report)) => report.to_text(),
            None => return,
        };
        let (notice, copied) = (self.notice, self.copied);
        leptos::task::spawn_local(async move {
            match clipboard::copy_text(&text).await {
                Ok(()) => copied.set(true),
                Err(why) => notice.set(Some(format!("The summary was not copied: {why}"))),
            }
        });
    }

    fn save(&self, name: &str, mime: &str, text: &str) {
        if let Err(why) = download::save_text(name, mime, text) {
            self.notice
                .set(Some(format!("The report could not be downloaded: {why}")));
        }
    }
}
