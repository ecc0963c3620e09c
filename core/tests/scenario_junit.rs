//! The JUnit XML of scenario reports: valid against fixtures/junit.xsd (checked with
//! xmllint where it is installed: Debian's libxml2-utils), and always read back with an XML
//! parser to check its structure and counts, nasty text included.

// A test that cannot go on should stop with the reason: unwrap, expect and panic are its way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;

use wsprobe_core::request::Request;
use wsprobe_core::scenario::{
    Event, Matcher, Mode, Payload, Report, Run, Scenario, Step, StepKind, SuiteReport,
};

mod common;
use common::connect;

fn step(id: u64, kind: StepKind) -> Step {
    Step::new(id, kind)
}

/// A run that fails on a message full of characters XML cannot hold or must escape.
fn failing_report() -> Report {
    let scenario = Scenario {
        name: "Nasty <&> \"quotes\" 'and' \u{1b}[31mcolours\u{1b}[0m\u{0}\u{fffe}".into(),
        steps: vec![
            step(1, connect()),
            step(
                2,
                StepKind::Send {
                    format: Default::default(),
                    text: "hi".into(),
                },
            ),
            step(
                3,
                StepKind::ExpectMessage {
                    matcher: Matcher::JsonSubset(serde_json::json!({"a": "<b>&\u{7}"})),
                    mode: Mode::Next,
                    timeout_ms: 5000,
                    capture: vec![],
                },
            ),
            step(
                4,
                StepKind::Close {
                    code: 1000,
                    reason: String::new(),
                },
            ),
        ],
    };
    let mut run = Run::new(
        &scenario,
        &Request {
            url: "ws://h/".into(),
            ..Request::default()
        },
        &[],
    )
    .unwrap();
    run.start(1_000.0);
    run.handle(
        Event::Opened {
            subprotocol: String::new(),
        },
        1_012.0,
    );
    run.handle(
        Event::Message(Payload::Text("{\"a\":\"<c> é 🦀\\n]]>\"}".into())),
        2_512.5,
    );
    run.report()
}

/// A started run of Connect then Wait 20 ms, called `name`.
fn connect_and_wait(name: &str) -> Run {
    let scenario = Scenario {
        name: name.into(),
        steps: vec![step(1, connect()), step(2, StepKind::Wait { ms: 20 })],
    };
    let mut run = Run::new(
        &scenario,
        &Request {
            url: "ws://h/".into(),
            ..Request::default()
        },
        &[],
    )
    .unwrap();
    run.start(0.0);
    run
}

fn passing_report() -> Report {
    let mut run = connect_and_wait("Quick");
    run.handle(
        Event::Opened {
            subprotocol: String::new(),
        },
        3.0,
    );
    run.handle(Event::TimerFired(wsprobe_core::scenario::TimerId(2)), 23.0);
    run.report()
}

fn unfinished_report() -> Report {
    connect_and_wait("Cut short").report()
}

fn suite() -> SuiteReport {
    SuiteReport {
        name: "wsprobe scenarios".into(),
        reports: vec![failing_report(), passing_report(), unfinished_report()],
    }
}

fn attr<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> &'a str {
    node.attribute(name)
        .unwrap_or_else(|| panic!("no {name} on {node:?}"))
}

#[test]
fn the_xml_says_what_the_reports_say() {
    let xml = suite().to_junit_xml();
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(attr(root, "name"), "wsprobe scenarios");
    assert_eq!(attr(root, "tests"), "8");
    assert_eq!(attr(root, "failures"), "1");
    let suites: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert_eq!(suites.len(), 3);

    let nasty = suites[0];
    assert_eq!(
        attr(nasty, "name"),
        "Nasty <&> \"quotes\" 'and' [31mcolours[0m"
    );
    assert_eq!(
        (
            attr(nasty, "tests"),
            attr(nasty, "failures"),
            attr(nasty, "errors"),
            attr(nasty, "skipped")
        ),
        ("4", "1", "0", "1")
    );
    assert_eq!(attr(nasty, "time"), "1.512");
    let cases: Vec<_> = nasty.children().filter(|n| n.is_element()).collect();
    assert_eq!(cases.len(), 4);
    assert_eq!(attr(cases[0], "name"), "1. Connect within 1000 ms");
    assert_eq!(attr(cases[0], "time"), "0.012");
    assert_eq!(attr(cases[0], "classname"), attr(nasty, "name"));
    let failure = cases[2].first_element_child().unwrap();
    assert_eq!(failure.tag_name().name(), "failure");
    assert_eq!(attr(failure, "message"), "the next message did not match");
    let text = failure.text().unwrap();
    assert!(
        text.contains("/a: expected \"<b>&\\u0007\", found \"<c>"),
        "{text}"
    );
    assert!(text.contains("é 🦀\\n]]>"), "{text}");
    assert!(!xml.contains('\u{0}') && !xml.contains('\u{1b}') && !xml.contains('\u{fffe}'));
    assert_eq!(
        cases[3].first_element_child().unwrap().tag_name().name(),
        "skipped"
    );
    assert!(
        cases[1].first_element_child().is_none(),
        "a passed case is empty"
    );

    let quick = suites[1];
    assert_eq!(
        (
            attr(quick, "tests"),
            attr(quick, "failures"),
            attr(quick, "skipped")
        ),
        ("2", "0", "0")
    );
    assert_eq!(attr(quick, "time"), "0.023");

    let cut = suites[2];
    assert_eq!(
        attr(cut, "skipped"),
        "2",
        "steps that never ran count as skipped"
    );
}

#[test]
fn one_report_is_a_document_of_one_suite() {
    let xml = passing_report().to_junit_xml("only");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(attr(doc.root_element(), "name"), "only");
    assert_eq!(
        doc.root_element()
            .children()
            .filter(|n| n.is_element())
            .count(),
        1
    );
}

#[test]
fn the_xml_is_valid_against_the_junit_schema() {
    // scripts/setup.sh installs it; a test that quietly skipped would prove nothing.
    let Ok(version) = Command::new("xmllint").arg("--version").output() else {
        panic!("xmllint is not installed: run scripts/setup.sh (Debian: libxml2-utils)");
    };
    assert!(version.status.success());
    let xsd = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/junit.xsd");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    for (name, xml) in [
        ("suite.xml", suite().to_junit_xml()),
        ("one.xml", failing_report().to_junit_xml("one")),
        ("empty.xml", SuiteReport::default().to_junit_xml()),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, &xml).unwrap();
        let out = Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(&xsd)
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}\n{xml}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // And the schema does refuse what is wrong.
    let bad = dir.join("bad.xml");
    std::fs::write(&bad, "<testsuites><testsuite name=\"x\" tests=\"NaN\" failures=\"0\" errors=\"0\"/></testsuites>").unwrap();
    let out = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&xsd)
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn text_and_json_summaries() {
    let report = failing_report();
    let text = report.to_text();
    assert!(text.starts_with("Scenario \u{201c}Nasty"), "{text}");
    assert!(
        text.contains("FAILED in 1.512 s (2 passed, 1 failed, 1 skipped)"),
        "{text}"
    );
    assert!(
        text.contains("  FAIL 3. Expect message: JSON subset"),
        "{text}"
    );
    assert!(text.contains("  skip 4. Close 1000"), "{text}");
    let back: Report = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(back, report);
    let summary = suite().to_text();
    assert!(
        summary.ends_with("3 scenarios: 1 passed, 1 failed\n"),
        "{summary}"
    );
    assert_eq!(suite().verdict(), None, "one still runs");
}
