//! The `wsprobe-relay` command, also run as `wsprobe relay`: reads the arguments, listens, serves
//! until Ctrl+C.

use std::io::Write;
use std::process::ExitCode;

use tokio::net::TcpListener;

use crate::{Parsed, banner, check_bind, parse_args, serve, usage};

/// The whole command: `args` are its arguments, without the program name.
pub async fn run(args: &[String]) -> ExitCode {
    let config = match parse_args(args) {
        Ok(Parsed::Run(config)) => config,
        Ok(Parsed::Help) => {
            println!("{}", usage());
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("wsprobe-relay: {message}\n{}", usage());
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
