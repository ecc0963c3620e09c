//! Command-line settings and the checks that must pass before the relay listens.

use std::net::IpAddr;
use std::path::Path;
use std::time::Duration;

use rustls::pki_types::CertificateDer;

use wsprobe_core::relay::origin;

use crate::auth;

pub const USAGE_TEMPLATE: &str = "usage: wsprobe-relay [--port N] [--bind ADDR] [--allow-remote] \
[--allow-origin ORIGIN]... [--page URL] [--token T] [--ca-file PEM]... [--max-message-bytes N] [--max-sessions N] \
[--idle-secs N]

  --port N               port to listen on (default 9797; 0 picks a free port)
  --bind ADDR            address to listen on (default 127.0.0.1)
  --allow-remote         allow an address other than loopback (anyone who can reach it and
                         knows the token can then make connections from this machine)
  --allow-origin ORIGIN  also accept pages from ORIGIN, e.g. https://example.github.io (repeatable);
                         compared as browsers send it: case and a default port (80, 443) do not
                         matter, one trailing / is dropped, a longer path is refused (an origin
                         covers the whole site) and so is null (any website can make a null page)
  --page URL             the address of your wsprobe page: the relay prints a link to it that
                         pairs it in one click, and accepts that page's origin{hosted}
  --token T              the token pages must present (default: 128 random bits)
  --ca-file PEM          also trust the CA certificates in this PEM file for wss:// servers, e.g.
                         a development CA or a company's own (repeatable)
  --max-message-bytes N  largest message either way (default 67108864)
  --max-sessions N       most connections at once (default 32)
  --idle-secs N          close a connection with no frame either way for N seconds (default 900)";

/// Far beyond what one machine's sockets allow; a bound keeps the semaphore valid.
pub const MAX_SESSIONS: usize = 100_000;

#[derive(Clone, Debug)]
pub struct Config {
    pub bind: IpAddr,
    pub port: u16,
    pub allow_remote: bool,
    /// Origins accepted besides the loopback ones, normalised (see `wsprobe_core::relay::origin`).
    pub allowed_origins: Vec<String>,
    /// The page a pairing link leads to (`--page`, or the hosted page this build was made for).
    pub page: Option<String>,
    pub token: String,
    pub max_message_bytes: usize,
    pub max_sessions: usize,
    /// A session with no frame either way for this long is closed with 1001.
    pub idle: Duration,
    /// How long a session waits for its data socket after the handshake.
    pub data_wait: Duration,
    /// CA certificates trusted for wss:// besides the Mozilla roots (from --ca-file).
    pub extra_roots: Vec<CertificateDer<'static>>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: IpAddr::from([127, 0, 0, 1]),
            port: 9797,
            allow_remote: false,
            allowed_origins: Vec::new(),
            page: HOSTED_PAGE.map(String::from),
            token: String::new(),
            max_message_bytes: 64 * 1024 * 1024,
            max_sessions: 32,
            idle: Duration::from_secs(900),
            data_wait: Duration::from_secs(30),
            extra_roots: Vec::new(),
        }
    }
}

pub enum Parsed {
    Run(Config),
    Help,
}

/// Parses the arguments after the program name, and reads the files --ca-file names, so that a
/// bad one stops the relay before it listens. A missing `--token` gets a random one.
pub fn parse_args(args: &[String]) -> Result<Parsed, String> {
    let mut config = Config::default();
    let mut token = None;
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{flag} needs a value"))
                .map(String::as_str)
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Parsed::Help),
            "--allow-remote" => config.allow_remote = true,
            "--port" => {
                config.port = number(flag, value()?)?;
                // The page reaches the relay from a browser, which never dials these.
                if wsprobe_core::endpoint::is_forbidden_port(config.port) {
                    return Err(format!(
                        "--port {}: browsers never connect to this port (a Fetch standard \"bad port\"); choose another",
                        config.port
                    ));
                }
            }
            "--bind" => {
                let v = value()?;
                // Accept "[::1]" as well as "::1": people copy addresses out of URLs.
                let bare = v.trim_start_matches('[').trim_end_matches(']');
                config.bind = bare
                    .parse()
                    .map_err(|_| format!("--bind: not an IP address: {v}"))?;
            }
            "--allow-origin" => config
                .allowed_origins
                .push(wsprobe_core::relay::origin::parse_option(value()?)?),
            "--page" => {
                let v = value()?;
                let page = v.split('#').next().unwrap_or(v);
                origin_of(page)?;
                config.page = Some(page.to_string());
            }
            "--token" => {
                let v = value()?;
                if v.is_empty() || !v.bytes().all(|b| b.is_ascii_graphic()) {
                    return Err("--token: use visible ASCII characters only".to_string());
                }
                token = Some(v.to_string());
            }
            "--ca-file" => config
                .extra_roots
                .extend(crate::tls::read_ca_file(Path::new(value()?))?),
            "--max-message-bytes" => {
                config.max_message_bytes = positive(flag, number(flag, value()?)?)?
            }
            "--max-sessions" => {
                let n = positive(flag, number(flag, value()?)?)?;
                if n > MAX_SESSIONS {
                    return Err(format!("--max-sessions: at most {MAX_SESSIONS}"));
                }
                config.max_sessions = n;
            }
            "--idle-secs" => {
                config.idle = Duration::from_secs(positive(flag, number(flag, value()?)?)?)
            }
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    // The page's origin is accepted, unless it is one of this machine's (always accepted).
    if let Some(origin) = config.page.as_deref().and_then(|p| origin_of(p).ok())
        && !origin::allowed(&origin, &[])
        && !config.allowed_origins.contains(&origin)
    {
        config.allowed_origins.push(origin);
    }
    config.token = match token {
        Some(t) => t,
        None => auth::random_hex(16)?,
    };
    Ok(Parsed::Run(config))
}

/// The hosted wsprobe page this build pairs with when no `--page` is given: set by the release
/// workflow (`WSPROBE_PAGE_URL`), absent from a build of a checkout.
pub const HOSTED_PAGE: Option<&str> = option_env!("WSPROBE_PAGE_URL");

/// The usage text, naming the hosted page when this build has one.
pub fn usage() -> String {
    let hosted = match HOSTED_PAGE {
        Some(page) => format!(" (default {page})"),
        None => String::new(),
    };
    USAGE_TEMPLATE.replace("{hosted}", &hosted)
}

/// The origin of the page at `page` (`--page`), or why it is not a web page's address.
fn origin_of(page: &str) -> Result<String, String> {
    match origin::normalize(page) {
        Ok(origin) | Err(origin::Problem::HasPath(origin)) => Ok(origin),
        Err(origin::Problem::NotOrigin) => Err(format!(
            "--page: not the address of a web page (http:// or https://): {page}"
        )),
    }
}

fn number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{flag}: not a valid number: {value}"))
}

fn positive<T: PartialEq + From<u8>>(flag: &str, n: T) -> Result<T, String> {
    if n == T::from(0) {
        Err(format!("{flag} must be at least 1"))
    } else {
        Ok(n)
    }
}

/// The relay makes connections on behalf of whoever reaches it, so it stays on loopback
/// unless told otherwise.
pub fn check_bind(config: &Config) -> Result<(), String> {
    if config.bind.is_loopback() || config.allow_remote {
        Ok(())
    } else {
        Err(format!(
            "refusing to listen on {}: it is not a loopback address, so other machines could \
             use this relay to make connections from yours. Pass --allow-remote if that is \
             what you want.",
            config.bind
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    fn run(s: &str) -> Config {
        match parse_args(&args(s)) {
            Ok(Parsed::Run(config)) => config,
            Ok(Parsed::Help) => panic!("help"),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn defaults_and_a_random_token() {
        let config = run("");
        assert_eq!(config.port, 9797);
        assert_eq!(config.bind, IpAddr::from([127, 0, 0, 1]));
        assert_eq!(config.max_message_bytes, 64 << 20);
        assert_eq!(config.max_sessions, 32);
        assert_eq!(config.idle, Duration::from_secs(900));
        assert_eq!(config.token.len(), 32);
        assert_ne!(config.token, run("").token);
    }

    #[test]
    fn every_flag() {
        let config = run("--port 0 --bind [::1] --allow-origin https://a.example/ \
             --allow-origin http://b.example:8080 --token abc --max-message-bytes 10 \
             --max-sessions 2 --idle-secs 5 --allow-remote");
        assert_eq!(config.port, 0);
        assert_eq!(config.bind, "::1".parse::<IpAddr>().unwrap());
        assert_eq!(
            config.allowed_origins,
            ["https://a.example", "http://b.example:8080"]
        );
        assert_eq!(config.token, "abc");
        assert_eq!(config.max_message_bytes, 10);
        assert_eq!(config.max_sessions, 2);
        assert_eq!(config.idle, Duration::from_secs(5));
        assert!(config.allow_remote);
    }

    #[test]
    fn a_page_is_paired_by_a_link_and_its_origin_accepted() {
        let config =
            run("--page https://You.github.io/wsprobe/#x --allow-origin https://you.github.io");
        assert_eq!(
            config.page.as_deref(),
            Some("https://You.github.io/wsprobe/")
        );
        // Named once, though given twice (--allow-origin and --page).
        assert_eq!(config.allowed_origins, ["https://you.github.io"]);
        let config = run("--page http://127.0.0.1:8080/ --token t");
        assert!(
            config.allowed_origins.is_empty(),
            "loopback pages are always accepted"
        );
        let shown = super::super::banner(&"127.0.0.1:9797".parse().unwrap(), &config);
        assert!(
            shown.contains("http://127.0.0.1:8080/#relay=ws://127.0.0.1:9797&token=t"),
            "{shown}"
        );
        // A relay listening on every address is still paired through loopback; one on
        // another machine's address cannot be paired by a link.
        let shown = super::super::banner(&"0.0.0.0:1".parse().unwrap(), &config);
        assert!(shown.contains("#relay=ws://127.0.0.1:1&token=t"), "{shown}");
        let shown = super::super::banner(&"192.168.1.5:1".parse().unwrap(), &config);
        assert!(!shown.contains("#relay="), "{shown}");
        assert!(
            shown.contains("only pair a relay on this machine"),
            "{shown}"
        );
        let Err(why) = parse_args(&args("--page ws://127.0.0.1:1/")) else {
            panic!("a ws:// page accepted");
        };
        assert!(why.contains("not the address of a web page"), "{why}");
        assert!(usage().contains("--page URL"));
    }

    #[test]
    fn without_a_page_the_banner_says_how_to_pair() {
        let mut config = run("--token t");
        config.page = None;
        let shown = super::super::banner(&"127.0.0.1:9797".parse().unwrap(), &config);
        assert!(shown.contains("--page"), "{shown}");
        assert!(!shown.contains("#relay="), "{shown}");
        // Scripts read until this line (e2e/harness.js).
        assert_eq!(shown.lines().last(), Some("Stop it with Ctrl+C."));
    }

    #[test]
    fn bad_arguments_are_errors() {
        for bad in [
            "--port",
            "--port 70000",
            "--bind nowhere",
            "--max-sessions 0",
            "--max-sessions 100001",
            "--allow-origin example.com",
            "--port 6000",
            "--frobnicate",
        ] {
            assert!(parse_args(&args(bad)).is_err(), "{bad}");
        }
        assert!(matches!(parse_args(&args("--help")), Ok(Parsed::Help)));
    }

    #[test]
    fn allowed_origins_are_normalised_and_null_or_a_path_is_refused() {
        let config = run("--allow-origin HTTPS://Example.GitHub.io:443/ \
             --allow-origin http://B.example:80 --allow-origin http://b.example:8080 \
             --allow-origin https://[::1]:443");
        assert_eq!(
            config.allowed_origins,
            [
                "https://example.github.io",
                "http://b.example",
                "http://b.example:8080",
                "https://[::1]"
            ]
        );
        for (bad, says) in [
            ("null", "sandboxed"),
            ("NULL", "sandboxed"),
            ("https://you.github.io/wsprobe/", "no path"),
            ("https://you.github.io?x=1", "no path"),
            ("https://you.github.io#x", "no path"),
            ("https://user@you.github.io", "not an origin"),
            ("https://you.github.io:", "not an origin"),
            ("https://you.github.io:99999", "not an origin"),
            ("ftp://you.github.io", "not an origin"),
            ("https://", "not an origin"),
        ] {
            match parse_args(&args(&format!("--allow-origin {bad}"))) {
                Err(why) => assert!(why.contains(says) && why.contains(bad), "{bad}: {why}"),
                Ok(_) => panic!("{bad} accepted"),
            }
        }
        let usage = usage();
        assert!(usage.contains("null") && usage.contains("path"), "{usage}");
    }

    /// Writes `text` to a fresh file under the system's temporary folder; returns its path.
    fn file_with(name: &str, text: &str) -> String {
        let path =
            std::env::temp_dir().join(format!("wsprobe-relay-{}-{name}", std::process::id()));
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    }

    fn a_ca_pem() -> String {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let key = rcgen::KeyPair::generate().unwrap();
        params.self_signed(&key).unwrap().pem()
    }

    #[test]
    fn ca_files_add_every_certificate_in_them() {
        let one = file_with("one.pem", &a_ca_pem());
        let two = file_with("two.pem", &format!("{}\n{}", a_ca_pem(), a_ca_pem()));
        let config = run(&format!("--ca-file {one} --ca-file {two}"));
        assert_eq!(config.extra_roots.len(), 3);
        assert!(super::super::banner(&"127.0.0.1:1".parse().unwrap(), &config).contains("3 CA(s)"));
    }

    #[test]
    fn a_ca_file_that_is_missing_empty_or_not_pem_stops_the_relay() {
        let missing = std::env::temp_dir().join("wsprobe-relay-no-such-file.pem");
        let empty = file_with("empty.pem", "nothing here\n");
        let broken = file_with(
            "broken.pem",
            "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
        );
        for (path, says) in [
            (missing.to_string_lossy().into_owned(), "No such file"),
            (empty, "no certificate in it"),
            (broken, "--ca-file"),
        ] {
            let Err(why) = parse_args(&args(&format!("--ca-file {path}"))) else {
                panic!("{path} accepted");
            };
            assert!(why.contains(says) && why.contains(&path), "{why}");
        }
    }
}
