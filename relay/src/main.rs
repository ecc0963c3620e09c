//! `wsprobe-relay`: see `wsprobe-relay --help`.

use std::io::Write;
use std::process::ExitCode;

use tokio::net::TcpListener;
use wsprobe_relay::{Parsed, USAGE, banner, check_bind, parse_args, serve};

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match parse_args(&args) {
        Ok(Parsed::Run(config)) => config,
        Ok(Parsed::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("wsprobe-relay: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Err(message) = check_bind(&config) {
        eprintln!("wsprobe-relay: {message}");
        return ExitCode::from(2);
    }
    let listener = match TcpListener::bind((config.bind, config.port)).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!(
                "wsprobe-relay: cannot listen on {}:{}: {e}",
                config.bind, config.port
            );
            return ExitCode::FAILURE;
        }
    };
    let addr = match listener.local_addr() {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("wsprobe-relay: {e}");
            return ExitCode::FAILURE;
        }
    };
    if !addr.ip().is_loopback() {
        eprintln!(
            "wsprobe-relay: warning: listening on {addr}; anyone who can reach it and has the \
             token can make connections from this machine"
        );
    }
    println!("{}", banner(&addr, &config));
    // Scripts wait for the first line; stdout may be a pipe, which buffers.
    let _ = std::io::stdout().flush();
    tokio::select! {
        result = serve(listener, config) => match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("wsprobe-relay: {message}");
                ExitCode::FAILURE
            }
        },
        _ = tokio::signal::ctrl_c() => ExitCode::SUCCESS,
    }
}
