//! `wsprobe-test-server [--port N] [--allow-origin ORIGIN]...`: serves the test endpoints on
//! 127.0.0.1.

use std::process::ExitCode;

use tokio::net::TcpListener;
use wsprobe_test_server::args;

#[tokio::main]
async fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let (port, options) = match args::parse(&argv) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("{message}\n{}", args::USAGE);
            return ExitCode::from(2);
        }
    };
    // Loopback only: this server echoes whatever it is sent and must not be reachable from outside.
    let listener = match TcpListener::bind(("127.0.0.1", port)).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("wsprobe-test-server: cannot listen on 127.0.0.1:{port}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let addr = match listener.local_addr() {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("wsprobe-test-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Scripts read this first line to learn the port.
    println!("wsprobe test server listening on ws://{addr}");
    println!("{}", wsprobe_test_server::endpoints_help(&addr.to_string()));
    tokio::select! {
        () = wsprobe_test_server::serve_with(listener, options) => ExitCode::SUCCESS,
        _ = tokio::signal::ctrl_c() => ExitCode::SUCCESS,
    }
}
