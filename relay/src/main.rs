//! `wsprobe-relay`: see `wsprobe-relay --help`.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    wsprobe_relay::command::run(&args).await
}
