//! Repeat sending: what the person typed into the repeat fields, checked, and how far a run
//! has got, in words.

use crate::payload::format_count;

/// Why the repeat fields cannot start a run.
pub const INVALID: &str = "Repeat needs a whole number of milliseconds above 0, and a count above 0 (or blank for until stopped).";

/// The interval and the count typed into the repeat fields: (every_ms, times), times None
/// for "until stopped" (a blank field).
pub fn parse(every_ms: &str, times: &str) -> Result<(u32, Option<u32>), &'static str> {
    let positive = |text: &str| text.trim().parse::<u32>().ok().filter(|&n| n > 0);
    let every_ms = positive(every_ms).ok_or(INVALID)?;
    let times = if times.trim().is_empty() {
        None
    } else {
        Some(positive(times).ok_or(INVALID)?)
    };
    Ok((every_ms, times))
}

/// A run of repeated sends.
#[derive(Clone, Debug, PartialEq)]
pub struct Repeat {
    pub every_ms: u32,
    /// None: until stopped.
    pub times: Option<u32>,
    pub sent: u32,
    pub running: bool,
    /// Why it stopped, when not by reaching `times`.
    pub stopped_because: Option<String>,
}

impl Repeat {
    /// How far the run has got, for the line beside the controls.
    pub fn progress(&self) -> String {
        let of = self
            .times
            .map(|t| format!(" of {}", format_count(t.into())))
            .unwrap_or_default();
        let sent = format_count(self.sent.into());
        match (&self.stopped_because, self.running) {
            (_, true) => format!("Sending: {sent}{of}"),
            (None, false) => format!("Done: sent {sent}{of}"),
            (Some(why), false) => format!("Stopped after {sent}{of}: {why}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn whole_numbers_above_zero_and_a_blank_count() {
        assert_eq!(parse("1000", "10"), Ok((1000, Some(10))));
        assert_eq!(parse(" 5 ", " "), Ok((5, None)));
        for (every, times) in [
            ("0", "1"),
            ("1.5", "1"),
            ("", "1"),
            ("10", "0"),
            ("10", "-1"),
            ("x", ""),
            ("99999999999", ""),
        ] {
            assert_eq!(parse(every, times), Err(INVALID), "{every:?} {times:?}");
        }
    }

    #[test]
    fn progress_says_how_far_and_why_it_stopped() {
        let mut run = Repeat {
            every_ms: 10,
            times: Some(1000),
            sent: 12,
            running: true,
            stopped_because: None,
        };
        assert_eq!(run.progress(), "Sending: 12 of 1,000");
        run.running = false;
        assert_eq!(run.progress(), "Done: sent 12 of 1,000");
        run.stopped_because = Some("the connection closed".into());
        run.times = None;
        assert_eq!(run.progress(), "Stopped after 12: the connection closed");
    }

    proptest! {
        #[test]
        fn any_typing_is_a_run_or_the_reason(every in ".{0,12}", times in ".{0,12}") {
            if let Ok((every_ms, times)) = parse(&every, &times) {
                prop_assert!(every_ms > 0 && times.is_none_or(|t| t > 0));
            }
        }
    }
}
