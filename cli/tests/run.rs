//! `wsprobe run` against the project's test server: verdicts, exit statuses, the report files,
//! what is sent (headers, cookies, captures, secrets) and what is printed.

// A test that cannot go on should stop with the reason: unwrap, expect and panic are its way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Dir, closed_port, scenario, test_server};

const ECHO_STEPS: &str = r#"
    {"kind": "connect"},
    {"kind": "send", "text": "hello"},
    {"kind": "expect_message", "match": {"equals": "hello"}},
    {"kind": "send", "format": "hex", "text": "de ad"},
    {"kind": "expect_message", "match": {"binary_equals": "de ad"}},
    {"kind": "close", "code": 4000, "reason": "done"},
    {"kind": "expect_close", "code": 4000}"#;

const FAILING_STEPS: &str = r#"
    {"kind": "connect"},
    {"kind": "send", "format": "json", "text": "{\"a\": 1, \"b\": [1, 2]}"},
    {"kind": "expect_message", "match": {"json_subset": {"a": 2}}, "timeout_ms": 2000},
    {"kind": "close"}"#;

fn echo_url() -> String {
    format!("{}/echo", test_server())
}

#[test]
fn a_passing_file_exits_0_with_a_mark_per_step() {
    let dir = Dir::new();
    let file = dir.write("echo.json", &scenario("Echo", &echo_url(), "", ECHO_STEPS));
    let output = dir.wsprobe(&["run", &file], &[]);
    output
        .expect_code(0)
        .has("\u{2713} 1. Connect")
        .has("\u{2713} 7. Expect close 4000")
        .lacks("\u{2717}");
    assert!(
        output.stdout.contains("1 scenario: 1 passed, 0 failed"),
        "{output}"
    );
}

#[test]
fn a_failing_file_exits_1_naming_the_step_with_expected_and_actual() {
    let dir = Dir::new();
    let file = dir.write(
        "fails.json",
        &scenario("Fails", &echo_url(), "", FAILING_STEPS),
    );
    dir.wsprobe(&["run", &file], &[])
        .expect_code(1)
        .has("\u{2717} 3. Expect message: JSON subset {\"a\":2}")
        .has("expected: the next message")
        .has("actual:   the next message did not match")
        .has("/a: expected 2, found 1")
        .has("- 4. Close 1000 (skipped)");
}

#[test]
fn bad_files_exit_2_each_named_with_its_problem() {
    let dir = Dir::new();
    let typo = dir.write(
        "typo.json",
        &scenario(
            "Typo",
            &echo_url(),
            "",
            r#"{"kind": "connect"}, {"kind": "sned"}"#,
        ),
    );
    let not_json = dir.write("broken.json", "{\"wsprobe\": ");
    let empty = dir.write("empty.json", &scenario("Empty", &echo_url(), "", ""));
    let output = dir.wsprobe(&["run", &typo, &not_json, &empty, "missing.json"], &[]);
    output
        .expect_code(2)
        .has(&format!(
            "{typo}: The scenario file is not valid at steps[1]"
        ))
        .has("unknown variant `sned`")
        .has(&format!("{not_json}: The file is not valid JSON (line 1"))
        .has(&format!("{empty}: the scenario has no steps"))
        .has("missing.json: cannot read it");
    assert!(output.stdout.is_empty(), "nothing runs: {output}");
}

#[test]
fn a_newer_version_exits_2() {
    let dir = Dir::new();
    let file = dir.write(
        "v9.json",
        r#"{"wsprobe": "scenario", "version": 9, "steps": [{"kind": "connect"}]}"#,
    );
    dir.wsprobe(&["run", &file], &[])
        .expect_code(2)
        .has("v9.json: The scenario file was made by a newer wsprobe: version 9");
}

#[test]
fn share_links_run_and_malformed_ones_exit_2() {
    let dir = Dir::new();
    let text = scenario("Shared echo", &echo_url(), "", ECHO_STEPS);
    let request = wsprobe_core::scenario::file::read(&text)
        .unwrap()
        .into_request();
    let link = format!(
        "https://example.github.io/wsprobe/#{}",
        wsprobe_core::share_link::encode(&request)
    );
    dir.wsprobe(&["run", &link], &[])
        .expect_code(0)
        .has("Scenario \u{201c}Shared echo\u{201d}");
    let cut = &link[..link.len() - 7];
    dir.wsprobe(&["run", cut], &[])
        .expect_code(2)
        .has("share link https://example.github.io/wsprobe/#share=1.")
        .has("This share link");
    dir.wsprobe(&["run", "https://example.github.io/wsprobe/"], &[])
        .expect_code(2)
        .has("has no #share=");
}

#[test]
fn an_export_file_runs_its_scenarios_and_only_picks_by_name() {
    use wsprobe_core::saved::{ExportFile, SavedRequest};
    let dir = Dir::new();
    let saved = |name: &str, steps: &str| SavedRequest {
        id: name.to_lowercase(),
        name: name.into(),
        request: wsprobe_core::scenario::file::read(&scenario("", &echo_url(), "", steps))
            .unwrap()
            .into_request(),
    };
    let no_scenario = SavedRequest {
        id: "plain".into(),
        name: "Plain".into(),
        request: wsprobe_core::request::Request::default(),
    };
    let requests = [
        saved("Good", ECHO_STEPS),
        no_scenario,
        saved("Bad", FAILING_STEPS),
    ];
    let export = dir.write(
        "export.json",
        &ExportFile::write(&requests, &[], &[], false),
    );
    dir.wsprobe(&["run", &export], &[])
        .expect_code(1)
        .has("Scenario \u{201c}Good\u{201d}")
        .has("Scenario \u{201c}Bad\u{201d}")
        .has("2 scenarios: 1 passed, 1 failed");
    dir.wsprobe(&["run", &export, "--only", "Good"], &[])
        .expect_code(0)
        .lacks("Bad");
    dir.wsprobe(&["run", &export, "--only", "Good", "--only", "Nope"], &[])
        .expect_code(2)
        .has("--only: no scenario is named \u{201c}Nope\u{201d}")
        .has("\u{201c}Bad\u{201d}");
}

#[test]
fn junit_and_json_reports_count_what_ran() {
    let dir = Dir::new();
    let pass = dir.write("pass.json", &scenario("Pass", &echo_url(), "", ECHO_STEPS));
    let fail = dir.write(
        "fail.json",
        &scenario("Fail", &echo_url(), "", FAILING_STEPS),
    );
    dir.wsprobe(
        &[
            "run", &pass, &fail, "--junit", "out.xml", "--json", "out.json",
        ],
        &[],
    )
    .expect_code(1);

    let xml = dir.read("out.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(root.attribute("tests"), Some("11"), "{xml}");
    assert_eq!(root.attribute("failures"), Some("1"), "{xml}");
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    let names: Vec<_> = suites.iter().filter_map(|s| s.attribute("name")).collect();
    assert_eq!(names, ["Pass", "Fail"]);
    assert_eq!(suites[1].attribute("skipped"), Some("1"));
    let failure = doc
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert!(
        failure.text().unwrap().contains("/a: expected 2, found 1"),
        "{xml}"
    );

    let json: serde_json::Value = serde_json::from_str(&dir.read("out.json")).unwrap();
    let verdicts: Vec<_> = json["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["passed", "failed"]);
    assert_eq!(
        json["reports"][1]["steps"][2]["state"]["failure"]["step"],
        2
    );
}

#[test]
fn a_refused_handshake_passes_when_expected_and_prints_the_response() {
    let dir = Dir::new();
    let url = format!("{}/reject?status=401", test_server());
    let refused = dir.write(
        "refused.json",
        &scenario(
            "Refused",
            &url,
            "",
            r#"{"kind": "connect", "refused": true, "status": 401}"#,
        ),
    );
    dir.wsprobe(&["run", &refused], &[])
        .expect_code(0)
        .has("\u{2713} 1. Connect, expecting the handshake to be refused with HTTP 401")
        .has("| HTTP/1.1 401 Unauthorized")
        .has("| www-authenticate: Bearer realm=\"wsprobe\"")
        .has("| wsprobe test server: upgrade refused with 401 as asked");
    let opened = dir.write(
        "opened.json",
        &scenario("Opened", &url, "", r#"{"kind": "connect"}"#),
    );
    dir.wsprobe(&["run", &opened], &[])
        .expect_code(1)
        .has("the server answered 401 Unauthorized instead of 101 Switching Protocols")
        .has("| HTTP/1.1 401 Unauthorized");
}

#[test]
fn headers_cookies_and_secret_variables_are_sent() {
    let dir = Dir::new();
    let env = dir.write(
        "env.json",
        r#"{"id": "e", "name": "local", "variables": [
            {"name": "room", "value": "7"}, {"name": "api-token", "value": "", "secret": true}]}"#,
    );
    let request = r#", "cookies": "session=abc",
        "headers": [{"name": "X-Room", "value": "{{room}}"},
                    {"name": "Authorization", "value": "Bearer {{api-token}}"}]"#;
    let file = dir.write(
        "headers.json",
        &scenario(
            "Headers",
            &format!("{}/headers", test_server()),
            request,
            r#"{"kind": "connect"},
               {"kind": "expect_message", "match": {"json_subset":
                 {"x-room": "7", "cookie": "session=abc", "authorization": "Bearer s3cret"}}}"#,
        ),
    );
    dir.wsprobe(
        &["run", &file, "--env", &env],
        &[("WSPROBE_VAR_API_TOKEN", "s3cret")],
    )
    .expect_code(0);
    // Without the environment variable the secret has no value, and the run says where it goes.
    dir.wsprobe(&["run", &file, "--env", &env], &[])
        .expect_code(2)
        .has("{{api-token}}")
        .has("set WSPROBE_VAR_API_TOKEN");
}

#[test]
fn a_captured_value_is_reused_in_a_later_send() {
    let dir = Dir::new();
    let file = dir.write(
        "capture.json",
        &scenario(
            "Capture",
            &echo_url(),
            "",
            r#"{"kind": "connect"},
               {"kind": "send", "format": "json", "text": "{\"id\": \"abc-123\"}"},
               {"kind": "expect_message", "capture": [{"name": "id", "pointer": "/id"}]},
               {"kind": "send", "text": "again {{id}}"},
               {"kind": "expect_message", "match": {"equals": "again abc-123"}}"#,
        ),
    );
    dir.wsprobe(&["run", &file], &[])
        .expect_code(0)
        .has("captured id = abc-123");
}

#[test]
fn colour_only_when_asked_and_never_with_no_color() {
    let dir = Dir::new();
    let file = dir.write("echo.json", &scenario("Echo", &echo_url(), "", ECHO_STEPS));
    let forced = dir.wsprobe(&["run", &file], &[("CLICOLOR_FORCE", "1")]);
    assert!(forced.stdout.contains("\u{1b}["), "colour forced: {forced}");
    let plain = dir.wsprobe(&["run", &file], &[]);
    assert!(!plain.stdout.contains('\u{1b}'), "not a terminal: {plain}");
    let no_color = dir.wsprobe(
        &["run", &file],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    );
    no_color.expect_code(0);
    assert!(!no_color.stdout.contains('\u{1b}'), "NO_COLOR: {no_color}");
}

#[test]
fn timeouts_and_unreachable_servers_fail_clearly() {
    let dir = Dir::new();
    let hang = dir.write(
        "hang.json",
        &scenario(
            "Hang",
            &format!("{}/hang", test_server()),
            "",
            r#"{"kind": "connect"}, {"kind": "close"}"#,
        ),
    );
    dir.wsprobe(&["run", &hang, "--timeout", "300"], &[])
        .expect_code(1)
        .has("\u{2717} 1. Connect")
        .has("it was still running when --timeout 300 ms was up")
        .has("- 2. Close 1000 (skipped)");
    dir.wsprobe(&["run", &hang, "--step-timeout", "200"], &[])
        .expect_code(1)
        .has("the handshake had not finished after 200 ms");
    let nowhere = dir.write(
        "nowhere.json",
        &scenario(
            "Nowhere",
            &format!("ws://127.0.0.1:{}/", closed_port()),
            "",
            r#"{"kind": "connect"}"#,
        ),
    );
    dir.wsprobe(&["run", &nowhere], &[])
        .expect_code(1)
        .has("the TCP connection to 127.0.0.1:");
}
