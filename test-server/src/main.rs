//! `wsprobe-test-server [--port N]`: serves the test endpoints on 127.0.0.1.

use std::process::ExitCode;

use tokio::net::TcpListener;

const USAGE: &str =
    "usage: wsprobe-test-server [--port N]   (N = 0 picks a free port; default 9001)";

#[tokio::main]
async fn main() -> ExitCode {
    let port = match parse_port(std::env::args().skip(1).collect()) {
        Ok(port) => port,
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
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
        () = wsprobe_test_server::serve(listener) => ExitCode::SUCCESS,
        _ = tokio::signal::ctrl_c() => ExitCode::SUCCESS,
    }
}

fn parse_port(args: Vec<String>) -> Result<u16, String> {
    match args.as_slice() {
        [] => Ok(9001),
        [flag, value] if flag == "--port" => value
            .parse()
            .map_err(|_| format!("not a port number: {value}")),
        _ => Err(format!("unexpected arguments: {}", args.join(" "))),
    }
}
