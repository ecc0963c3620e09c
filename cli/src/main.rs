//! `wsprobe`: runs scenario files against WebSocket servers (`wsprobe run`) and the local relay
//! for the browser page (`wsprobe relay`).

mod args;
mod dial;
mod driver;
mod env;
mod inputs;
mod print;
mod run;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Run(args) => run::main(args),
        Command::Relay { args } => relay(&args),
    }
}

/// The relay's own command, on the multi-threaded runtime it is written for.
fn relay(args: &[String]) -> ExitCode {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(wsprobe_relay::command::run(args)),
        Err(e) => {
            eprintln!("wsprobe relay: cannot start the async runtime: {e}");
            ExitCode::FAILURE
        }
    }
}
