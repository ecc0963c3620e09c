//! The command line, as clap reads it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "wsprobe",
    version,
    about = "Runs wsprobe scenarios against WebSocket servers, and the wsprobe relay",
    after_help = "Exit status of `wsprobe run`: 0 all passed, 1 a scenario failed, 2 the input was bad \
(or a report could not be written).\nSee `wsprobe run --help`."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Runs scenarios and reports each step; exit status 0 passed, 1 failed, 2 bad input
    Run(RunArgs),
    /// Runs the local relay for the browser page, exactly as `wsprobe-relay` does
    /// (`wsprobe relay --help` lists its options)
    #[command(disable_help_flag = true)]
    Relay {
        /// The relay's own options, passed on unchanged.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, num_args = 0..)]
        args: Vec<String>,
    },
}

#[derive(Args, Debug)]
#[command(
    after_help = "Variables: --env reads an environment as the page exports it ({\"name\": …, \
\"variables\": [{\"name\": …, \"value\": …, \"secret\": true}]}), the page's whole export file (pick \
one of its environments with --env-name), or a plain {\"name\": \"value\"} object (null for a secret). \
A variable's value is taken from the environment variable WSPROBE_VAR_<NAME> when that is set \
(NAME upper-cased, other characters than letters and digits as _), e.g. WSPROBE_VAR_API_TOKEN for \
api-token; secret variables left empty in the file must be given that way. Secrets are never read \
from the command line.

Exit status: 0 every scenario passed; 1 a scenario failed; 2 the input was bad (an unreadable or \
invalid file, an unknown version, a malformed share link, an unknown --only name, no scenario, \
a --ca-file that holds no readable certificate) or a report could not be written."
)]
pub struct RunArgs {
    /// Scenario files (.json), share links (https://…#share=1.…) or the page's export files
    /// (every saved request with a scenario runs)
    #[arg(value_name = "FILE|LINK", required = true)]
    pub inputs: Vec<String>,

    /// Runs only the scenarios with this name (a saved request's or the scenario's); repeatable
    #[arg(long, value_name = "NAME")]
    pub only: Vec<String>,

    /// Variables for {{name}}: an environment file (see below)
    #[arg(long, value_name = "FILE")]
    pub env: Option<PathBuf>,

    /// With an export file as --env: the environment to use, by name
    #[arg(long, value_name = "NAME", requires = "env")]
    pub env_name: Option<String>,

    /// Also trusts the CA certificates in this PEM file for wss:// servers, e.g. a development
    /// CA or a company's own (repeatable)
    #[arg(long, value_name = "FILE")]
    pub ca_file: Vec<PathBuf>,

    /// Writes a JUnit XML report (a test suite per scenario, a test case per step)
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,

    /// Writes the results as JSON
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,

    /// Stops a scenario still running after MS milliseconds and fails it (default: no cap;
    /// every waiting step has its own timeout)
    #[arg(long, value_name = "MS", value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: Option<u64>,

    /// Waits MS milliseconds in connect, expect_message and expect_close steps that leave
    /// timeout_ms at its default (10000 for connect, 5000 for the others)
    #[arg(long, value_name = "MS", value_parser = clap::value_parser!(u64).range(1..))]
    pub step_timeout: Option<u64>,
}
