//! The command line: `wsprobe-test-server [--port N] [--allow-origin ORIGIN]...`.

use crate::{Options, origin};

pub const USAGE: &str = "usage: wsprobe-test-server [--port N] [--allow-origin ORIGIN]...
  --port N               port on 127.0.0.1 (default 9001; 0 picks a free port)
  --allow-origin ORIGIN  also accept WebSocket handshakes from pages on ORIGIN, e.g.
                         https://you.github.io (repeatable); pages on localhost always may";

/// The port and options the arguments ask for, or what is wrong with them.
pub fn parse(args: &[String]) -> Result<(u16, Options), String> {
    let (mut port, mut options) = (9001, Options::default());
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--port" => {
                let v = value()?;
                port = v.parse().map_err(|_| format!("not a port number: {v}"))?;
            }
            "--allow-origin" => {
                options
                    .allowed_origins
                    .push(origin::parse_option(value()?)?);
            }
            other => return Err(format!("unexpected argument: {other}")),
        }
    }
    Ok((port, options))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(line: &str) -> Result<(u16, Options), String> {
        parse(
            &line
                .split_whitespace()
                .map(String::from)
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn flags_and_defaults() {
        let Ok((port, options)) = run("") else {
            panic!("no arguments are fine")
        };
        assert_eq!((port, options.allowed_origins.len()), (9001, 0));
        let Ok((port, options)) =
            run("--allow-origin https://a.example/ --port 0 --allow-origin http://b.example:8")
        else {
            panic!("valid arguments")
        };
        assert_eq!(port, 0);
        assert_eq!(
            options.allowed_origins,
            ["https://a.example", "http://b.example:8"]
        );
        for bad in [
            "--port",
            "--port x",
            "--allow-origin a.example",
            "--allow-origin null",
            "--allow-origin https://a.example/page",
            "--nope",
        ] {
            assert!(run(bad).is_err(), "{bad}");
        }
    }
}
