//! The project's test server in-process on 127.0.0.1 (started once per test binary), scenario
//! files in a temporary directory, and the built `wsprobe` run on them with a time limit.

#![allow(dead_code)] // Each test file uses its own part of this.

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// Far longer than any scenario here takes on a loaded 2-core machine; a hang still ends.
const RUN_LIMIT: Duration = Duration::from_secs(60);

/// The test server's ws:// base URL; it runs on its own thread until the test binary exits.
pub fn test_server() -> &'static str {
    static SERVER: OnceLock<String> = OnceLock::new();
    SERVER.get_or_init(|| {
        let addr = serve_on_thread(|listener| {
            wsprobe_test_server::serve_with(listener, wsprobe_test_server::Options::default())
        });
        format!("ws://{addr}")
    })
}

/// Runs `serve` on a listener on 127.0.0.1, in a runtime on its own thread until the test
/// binary exits; returns the listener's address.
pub fn serve_on_thread<F, Fut>(serve: F) -> SocketAddr
where
    F: FnOnce(tokio::net::TcpListener) -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            serve(tokio::net::TcpListener::from_std(listener).unwrap()).await;
        });
    });
    addr
}

/// A port nothing listens on: free a moment ago.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A scenario file for `url`, as people write them.
pub fn scenario(name: &str, url: &str, extra_request: &str, steps: &str) -> String {
    format!(
        r#"{{"wsprobe": "scenario", "version": 1, "name": "{name}",
  "request": {{"url": "{url}"{extra_request}}},
  "steps": [{steps}]}}"#
    )
}

pub struct Dir {
    pub dir: TempDir,
}

impl Dir {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn write(&self, name: &str, text: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap()
    }

    /// Runs `wsprobe args…` with `env` added (colour variables cleared unless given).
    pub fn wsprobe(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        run_wsprobe(self.dir.path(), args, env)
    }
}

#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

fn run_wsprobe(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    // Files, not pipes: nothing to drain while waiting, and the limit below still holds.
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let stamp = RUNS.fetch_add(1, Ordering::Relaxed);
    let out_path = dir.join(format!("stdout-{stamp}.txt"));
    let err_path = dir.join(format!("stderr-{stamp}.txt"));
    let mut command = Command::new(env!("CARGO_BIN_EXE_wsprobe"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > RUN_LIMIT {
            let _ = child.kill();
            panic!("wsprobe {args:?} still ran after {RUN_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Output {
        code: status.code().unwrap_or(-1),
        stdout: std::fs::read_to_string(out_path).unwrap(),
        stderr: std::fs::read_to_string(err_path).unwrap(),
    }
}

impl Output {
    /// Asserts the exit status, showing everything printed when it is not the one expected.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "exit status; output:\n{self}");
        self
    }

    pub fn has(&self, text: &str) -> &Self {
        assert!(
            self.stdout.contains(text) || self.stderr.contains(text),
            "expected {text:?} in the output:\n{self}"
        );
        self
    }

    pub fn lacks(&self, text: &str) -> &Self {
        assert!(
            !self.stdout.contains(text) && !self.stderr.contains(text),
            "did not expect {text:?} in the output:\n{self}"
        );
        self
    }
}

impl std::fmt::Display for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "--- stdout\n{}--- stderr\n{}---",
            self.stdout, self.stderr
        )
    }
}
