//! docs/scenario.schema.json describes the files the reader reads: every fixture and example
//! passes it, what `write` writes passes it, and what it refuses the reader refuses too.

// A test that cannot go on should stop with the reason: unwrap, expect and panic are its way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fs;
use std::path::PathBuf;

use common::json_files;

use proptest::prelude::*;
use serde_json::{Value, json};
use wsprobe_core::request::Request;
use wsprobe_core::scenario::{Run, ScenarioFile, file};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn schema() -> Value {
    let text = fs::read_to_string(root().join("../docs/scenario.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&schema()).unwrap()
}

fn errors(validator: &jsonschema::Validator, document: &Value) -> Vec<String> {
    validator
        .iter_errors(document)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn the_schema_is_a_valid_draft_2020_12_schema() {
    jsonschema::meta::validate(&schema()).unwrap();
    assert_eq!(
        schema()["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
}

#[test]
fn every_example_and_fixture_scenario_passes_the_schema_and_the_reader() {
    let validator = validator();
    let mut checked = 0;
    let examples = json_files(&root().join("fixtures/examples"));
    assert!(examples.len() >= 3);
    for path in examples {
        let text = fs::read_to_string(&path).unwrap();
        let document: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            errors(&validator, &document),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
        let read = file::read(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let rewritten: Value = serde_json::from_str(&file::write(&read)).unwrap();
        assert!(
            validator.is_valid(&rewritten),
            "{} rewritten",
            path.display()
        );
        // The examples' variables come from an environment; with none, only they are missing.
        let names = ["room", "token", "session"].map(|n| wsprobe_core::variables::Variable {
            name: n.into(),
            value: "x".into(),
            secret: false,
        });
        Run::new(&read.scenario, &read.request, &names)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        checked += 1;
    }
    for path in json_files(&root().join("fixtures/scenarios")) {
        let fixture: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        let document = &fixture["scenario"];
        assert_eq!(
            errors(&validator, document),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 20);
}

#[test]
fn what_the_schema_refuses_the_reader_refuses() {
    let validator = validator();
    let base = json!({"wsprobe": "scenario", "version": 1, "name": "x", "steps": []});
    let with_step = |step: Value| {
        let mut document = base.clone();
        document["steps"] = json!([step]);
        document
    };
    let refused = [
        json!({"wsprobe": "scenario", "version": 2}),
        json!({"wsprobe": "saved", "version": 1}),
        json!({"wsprobe": "scenario", "version": 1, "extra": true}),
        with_step(json!({"kind": "expect_mesage"})),
        with_step(json!({"kind": "expect_message", "timout_ms": 5})),
        with_step(json!({"kind": "expect_message", "match": {"equal": "x"}})),
        with_step(
            json!({"kind": "expect_message", "match": {"json_pointer": {"pointer": "/a", "equal": 1}}}),
        ),
        with_step(json!({"kind": "send"})),
        with_step(json!({"kind": "wait"})),
        with_step(json!({"kind": "expect_messages", "count": 2})),
        with_step(json!({"kind": "expect_message", "capture": [{"pointer": "/a"}]})),
        with_step(json!({"kind": "expect_message", "mode": "sometimes"})),
        with_step(json!({"kind": "send", "format": "xml", "text": ""})),
        with_step(json!({"id": -1, "kind": "wait", "ms": 1})),
        with_step(json!({"kind": "emit"})),
        with_step(json!({"kind": "call", "method": "m", "params": 1})),
        with_step(json!({"kind": "expect_result", "eror": true})),
        with_step(json!({"kind": "expect_event", "name": "tick"})),
    ];
    for document in refused {
        assert!(
            !validator.is_valid(&document),
            "the schema takes {document}"
        );
        assert!(
            file::read(&document.to_string()).is_err(),
            "the reader takes {document}"
        );
    }
    // Refused by both, the reader when the run is made (a code a browser cannot send).
    let bad_code = with_step(json!({"kind": "close", "code": 1001}));
    assert!(!validator.is_valid(&bad_code));
    let read = file::read(&bad_code.to_string()).unwrap();
    assert!(Run::new(&read.scenario, &Request::default(), &[]).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever the UI builds, `write` makes a file the schema accepts and `read` reads back.
    #[test]
    fn any_written_scenario_passes_the_schema_and_reads_back(scenario in common::any_scenario()) {
        let written = file::write(&ScenarioFile {
            request: Request { url: "ws://h/".into(), ..Request::default() }.in_step(),
            scenario,
        });
        let document: Value = serde_json::from_str(&written).unwrap();
        let validator = validator();
        prop_assert_eq!(errors(&validator, &document), Vec::<String>::new(), "{}", written);
        let read = file::read(&written).unwrap();
        prop_assert_eq!(file::write(&read), written);
    }
}
