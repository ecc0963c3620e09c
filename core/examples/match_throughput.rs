//! The scenario engine's matching throughput, natively: how many received messages a run takes
//! per second while an Expect message step in skip-until mode passes over every one of them
//! (its matcher never matches), for `contains`, `regex` and `json_subset` on 32-byte and 1 KB
//! JSON messages. Each message goes through `Run::handle(Event::Message(..))` exactly as a
//! driver hands it over (a fresh `String` each, as the command line copies it out of its socket).
//!
//! ```sh
//! cargo run --release -p wsprobe-core --example match_throughput            # 1 s per figure
//! cargo run --release -p wsprobe-core --example match_throughput -- --seconds 0.3 --json
//! cargo run --release -p wsprobe-core --example match_throughput -- --regex 'alarm'
//! ```
//!
//! `--regex P` measures another (never matching) regular expression in place of the default
//! `"k":\s*"alarm"`.
//!
//! Part of the benchmark (`scripts/bench.sh`, `e2e/bench.js --only=match`), which prints these
//! figures beside the page's flood rate.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use serde_json::json;
use wsprobe_core::request::Request;
use wsprobe_core::scenario::{
    Event, Matcher, Mode, Payload, Run, Scenario, Step, StepKind, StepState,
};

/// Messages between two readings of the clock.
const BATCH: usize = 10_000;
/// Distinct messages cycled through (their sequence numbers differ, as a flood's do).
const POOL: usize = 1_024;
const SIZES: [usize; 2] = [32, 1024];

struct Options {
    seconds: f64,
    json: bool,
    regex: String,
}

struct Figure {
    matcher: &'static str,
    size: usize,
    messages: u64,
    seconds: f64,
}

fn main() -> ExitCode {
    let options = match options() {
        Ok(options) => options,
        Err(why) => {
            eprintln!("match_throughput: {why}");
            eprintln!("usage: match_throughput [--seconds S] [--json] [--regex PATTERN]");
            return ExitCode::from(2);
        }
    };
    let mut figures = Vec::new();
    for size in SIZES {
        for (name, matcher) in matchers(&options.regex) {
            match measure(matcher, size, options.seconds) {
                Ok((messages, seconds)) => figures.push(Figure {
                    matcher: name,
                    size,
                    messages,
                    seconds,
                }),
                Err(why) => {
                    eprintln!("match_throughput: {name}, {size} B: {why}");
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    if options.json {
        let list: Vec<_> = figures
            .iter()
            .map(|f| {
                json!({
                    "matcher": f.matcher,
                    "size": f.size,
                    "messages": f.messages,
                    "seconds": f.seconds,
                    "rate": f.messages as f64 / f.seconds,
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(list));
    } else {
        println!("{:<12} {:>6} {:>14}", "matcher", "size", "messages/s");
        for f in &figures {
            let rate = f.messages as f64 / f.seconds;
            println!("{:<12} {:>4} B {:>14.0}", f.matcher, f.size, rate);
        }
    }
    ExitCode::SUCCESS
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        seconds: 1.0,
        json: false,
        regex: DEFAULT_REGEX.into(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--json" => options.json = true,
            "--seconds" => {
                let value = args.next().ok_or("--seconds needs a value")?;
                options.seconds = value
                    .parse()
                    .ok()
                    .filter(|s: &f64| s.is_finite() && *s > 0.0)
                    .ok_or(format!("--seconds {value}: not a positive number"))?;
            }
            "--regex" => options.regex = args.next().ok_or("--regex needs a pattern")?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(options)
}

/// A pattern as people write them for JSON text: a field, any spacing, a value.
const DEFAULT_REGEX: &str = r#""k":\s*"alarm""#;

/// Each never matches the messages of `message`, so every one is read and passed over.
fn matchers(regex: &str) -> [(&'static str, Matcher); 3] {
    [
        ("contains", Matcher::Contains("alarm".into())),
        ("regex", Matcher::Regex(regex.into())),
        ("json_subset", Matcher::JsonSubset(json!({"k": "alarm"}))),
    ]
}

/// `{"n":"000042","k":"tick","p":"xxx…"}`, exactly `size` bytes.
fn message(seq: usize, size: usize) -> Result<String, String> {
    let head = format!(r#"{{"n":"{:06}","k":"tick","p":""#, seq % 1_000_000);
    let tail = r#""}"#;
    let pad = size
        .checked_sub(head.len() + tail.len())
        .ok_or(format!("{size} bytes is too small for a message"))?;
    Ok(format!("{head}{}{tail}", "x".repeat(pad)))
}

/// A run at its skip-until step: Connect has passed, the expect step waits.
fn running(matcher: Matcher) -> Result<Run, String> {
    let scenario = Scenario {
        name: "match throughput".into(),
        steps: vec![
            Step::new(
                1,
                StepKind::Connect {
                    timeout_ms: 1_000,
                    subprotocol: None,
                    refused: false,
                    status: None,
                },
            ),
            Step::new(
                2,
                StepKind::ExpectMessage {
                    matcher,
                    mode: Mode::SkipUntil,
                    timeout_ms: u64::MAX / 4,
                    capture: vec![],
                },
            ),
        ],
    };
    let request = Request {
        url: "ws://bench/".into(),
        ..Request::default()
    };
    let mut run = Run::new(&scenario, &request, &[]).map_err(|e| e.to_string())?;
    run.start(0.0);
    run.handle(
        Event::Opened {
            subprotocol: String::new(),
        },
        1.0,
    );
    match run.states() {
        [StepState::Passed { .. }, StepState::Running] => Ok(run),
        states => Err(format!("the run did not reach its expect step: {states:?}")),
    }
}

/// Feeds messages for at least `seconds`; returns how many and how long it took. Checks at the
/// end (by firing the step's timer) that the step read and passed over every one.
fn measure(matcher: Matcher, size: usize, seconds: f64) -> Result<(u64, f64), String> {
    let pool = (0..POOL)
        .map(|seq| message(seq, size))
        .collect::<Result<Vec<_>, _>>()?;
    let mut run = running(matcher)?;
    // A short warm-up, outside the timing.
    for text in pool.iter().take(POOL) {
        run.handle(Event::Message(Payload::Text(text.clone())), 2.0);
    }
    let warm = POOL as u64;
    let budget = Duration::from_secs_f64(seconds);
    let mut messages = 0u64;
    let started = Instant::now();
    let mut next = pool.iter().cycle();
    loop {
        for _ in 0..BATCH {
            if let Some(text) = next.next() {
                let actions = run.handle(Event::Message(Payload::Text(text.clone())), 3.0);
                if !actions.is_empty() {
                    return Err(format!("a message ended the step: {actions:?}"));
                }
            }
        }
        messages += BATCH as u64;
        if started.elapsed() >= budget {
            break;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let timer = run.armed_timer().ok_or("the expect step armed no timer")?;
    run.handle(Event::TimerFired(timer), 4.0);
    match run.states().get(1) {
        Some(StepState::Failed { failure, .. }) if failure.skipped as u64 == messages + warm => {
            Ok((messages, elapsed))
        }
        other => Err(format!(
            "expected the step to fail having passed over {} messages, but it is {other:?}",
            messages + warm
        )),
    }
}
