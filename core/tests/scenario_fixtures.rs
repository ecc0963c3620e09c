//! Every shared fixture in fixtures/scenarios/ gives the verdict it states. The page's wasm
//! tests check the same files through the same `fixture::check`.

// A test that cannot go on should stop with the reason: unwrap, expect and panic are its way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::PathBuf;

use wsprobe_core::scenario::fixture;

mod common;

fn fixtures() -> Vec<PathBuf> {
    common::json_files(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/scenarios"))
}

#[test]
fn every_fixture_gives_its_verdict() {
    let paths = fixtures();
    assert!(paths.len() >= 15, "only {} fixtures", paths.len());
    let failures: Vec<String> = paths
        .iter()
        .filter_map(|path| {
            let text = fs::read_to_string(path).unwrap();
            fixture::check(&text)
                .err()
                .map(|e| format!("{}:\n{e}", path.display()))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_fixture_that_disagrees_is_caught() {
    let path = fixtures()
        .into_iter()
        .find(|p| p.ends_with("echo_passes.json"))
        .unwrap();
    let text = fs::read_to_string(path).unwrap();
    let wrong = text.replace(
        r#""steps": ["passed", "passed", "passed", "passed", "passed"]"#,
        r#""steps": ["passed", "passed", "failed", "skipped", "skipped"]"#,
    );
    assert_ne!(wrong, text);
    let error = fixture::check(&wrong).unwrap_err();
    assert!(error.contains("steps were"), "{error}");
    assert!(fixture::check("{}").is_err());
}

#[test]
fn each_kind_of_expectation_is_compared() {
    let read = |name: &str| {
        let path = fixtures().into_iter().find(|p| p.ends_with(name)).unwrap();
        fs::read_to_string(path).unwrap()
    };
    let cases = [
        (
            "echo_passes.json",
            r#"{"send": {"text": "hello"}}"#,
            r#"{"send": {"text": "hullo"}}"#,
            "the actions were",
        ),
        (
            "skip_until_counts.json",
            r#""skipped": {"1": 3"#,
            r#""skipped": {"1": 2"#,
            "passed over Some(3)",
        ),
        (
            "json_subset_passes_and_captures.json",
            r#""token": "ab12"}"#,
            r#""token": "ab13"}"#,
            "captured token",
        ),
        (
            "text_matchers.json",
            "it is a binary message (4 bytes)",
            "it is a binary message (5 bytes)",
            "does not say",
        ),
        (
            "reply_before_expect_is_kept.json",
            r#""5": 199"#,
            r#""5": 198"#,
            "took Some(199.0) ms",
        ),
        (
            "refused_unexpectedly_fails.json",
            r#"["Cookie", "sid=s1"]"#,
            r#"["Cookie", "sid=s2"]"#,
            "dialled",
        ),
        (
            "binary_and_size_matchers.json",
            r#"{"binary": "00 01 02"}]"#,
            r#"{"binary": "00 01"}]"#,
            "sent",
        ),
    ];
    for (name, from, to, says) in cases {
        let text = read(name);
        let wrong = text.replacen(from, to, 1);
        assert_ne!(wrong, text, "{name}: {from} not found");
        let error = fixture::check(&wrong).err().unwrap_or_default();
        assert!(error.contains(says), "{name}: {error}");
    }
}

#[test]
fn the_page_runs_every_fixture_too() {
    // The wasm test lists the files by name (include_str! needs them); none may be left out.
    let wasm_test = fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/scenario_fixtures.rs"),
    )
    .unwrap();
    for path in fixtures() {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            wasm_test.contains(&format!("fixtures/scenarios/{file}")),
            "tests/scenario_fixtures.rs does not run {file}"
        );
    }
}
