//! `wsprobe run` against a WebSocket server that is not ours: Python's `websockets`
//! (tests/foreign/echo_server.py), so our client is not only ever checked against our server.
//! scripts/setup.sh installs it into target/python-venv; without it these tests fail, loudly.

// A test that cannot go on should stop with the reason: unwrap, expect and panic are its way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};

use common::{Dir, scenario};

/// The Python with `websockets`: $WSPROBE_PYTHON, or the one scripts/setup.sh makes.
fn python() -> PathBuf {
    if let Some(python) = std::env::var_os("WSPROBE_PYTHON") {
        return python.into();
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/python-venv/bin/python3")
}

/// The server's ws:// base URL. It lives as long as this test binary: it exits when its
/// standard input, held here, closes.
fn server() -> &'static str {
    static SERVER: OnceLock<(String, Mutex<Child>)> = OnceLock::new();
    let (url, _) = SERVER.get_or_init(|| {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/foreign/echo_server.py");
        let python = python();
        let mut child = Command::new(&python)
            .arg(&script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {}: {e}. The independent server needs Python 3 with the \
                     websockets package: run scripts/setup.sh (it makes target/python-venv), \
                     or set WSPROBE_PYTHON",
                    python.display()
                )
            });
        let mut line = String::new();
        let stdout = child.stdout.take().unwrap();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let Some(port) = line.trim().strip_prefix("listening on ") else {
            let _ = child.kill();
            panic!(
                "the Python websockets server did not start (it printed {line:?}); is the \
                 websockets package installed for {}? Run scripts/setup.sh",
                python.display()
            );
        };
        (format!("ws://127.0.0.1:{port}"), Mutex::new(child))
    });
    url
}

#[test]
fn a_scenario_passes_against_python_websockets() {
    let dir = Dir::new();
    let file = dir.write(
        "python.json",
        &scenario(
            "Python echo",
            &format!("{}/echo", server()),
            r#", "subprotocols": "chat.v2""#,
            r#"{"kind": "connect", "subprotocol": "chat.v2"},
               {"kind": "send", "format": "json", "text": "{\"type\": \"hello\", \"n\": [1, 2]}"},
               {"kind": "expect_message", "match": {"json_subset": {"type": "hello", "n": [1, 2]}}},
               {"kind": "send", "format": "base64", "text": "3q2+7w=="},
               {"kind": "expect_message", "match": {"binary_equals": "de ad be ef"}},
               {"kind": "expect_no_message", "for_ms": 100},
               {"kind": "close", "code": 4001, "reason": "bye"},
               {"kind": "expect_close", "code": 4001, "reason": "^bye$"}"#,
        ),
    );
    dir.wsprobe(&["run", &file], &[])
        .expect_code(0)
        .has("\u{2713} 8. Expect close 4001");
}

#[test]
fn headers_reach_python_websockets_and_its_refusal_is_read() {
    let dir = Dir::new();
    let headers = dir.write(
        "headers.json",
        &scenario(
            "Python headers",
            &format!("{}/headers", server()),
            r#", "cookies": "a=1", "headers": [{"name": "X-Probe", "value": "yes"}]"#,
            r#"{"kind": "connect"},
               {"kind": "expect_message", "match": {"json_subset": {"x-probe": "yes", "cookie": "a=1"}}}"#,
        ),
    );
    let private = dir.write(
        "private.json",
        &scenario(
            "Python refusal",
            &format!("{}/private", server()),
            "",
            r#"{"kind": "connect", "refused": true, "status": 401}"#,
        ),
    );
    dir.wsprobe(&["run", &headers, &private], &[])
        .expect_code(0)
        .has("| HTTP/1.1 401 Unauthorized")
        .has("websockets/")
        .has("| no token, no socket");
}
