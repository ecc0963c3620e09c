//! Mutated compressed messages, as a hostile or broken client might send them, fed straight
//! to `inflate`: it must return (no panic, no endless loop) and never hand back more than the
//! limit.

use std::sync::mpsc;
use std::time::Duration;

use flate2::{Compress, Compression, FlushCompress};
use proptest::prelude::*;
use wsprobe_core::mutate;

use super::{SYNC_TAIL, deflate, inflate};

const LIMIT: usize = 32 * 1024;

/// Text that compresses well (repeats) or not (noise), up to twice the limit once inflated.
fn plain() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        (any::<u8>(), 0..2 * LIMIT).prop_map(|(b, n)| vec![b; n]),
        (proptest::collection::vec(any::<u8>(), 1..64), 1..1000usize)
            .prop_map(|(word, n)| word.repeat(n)),
        proptest::collection::vec(any::<u8>(), 0..4096),
    ]
}

/// Ends the stream with a block marked final, as RFC 7692 §7.2.3.3 allows.
fn finished(bytes: &[u8]) -> Vec<u8> {
    let mut deflater = Compress::new(Compression::default(), false);
    let mut out = Vec::with_capacity(bytes.len() + 1024);
    let _ = deflater.compress_vec(bytes, &mut out, FlushCompress::Finish);
    out
}

#[derive(Debug, Clone)]
enum Mutation {
    None,
    /// Bits flipped, cuts, inserts, and pieces of another message's compressed bytes spliced
    /// in (`wsprobe_core::mutate`).
    Edits(Vec<mutate::Edit>, Vec<u8>),
    /// The sync tail the client should have stripped, a final block, or both, appended.
    Append(Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => Just(Mutation::None),
        3 => (mutate::edits(), plain()).prop_map(|(edits, p)| Mutation::Edits(edits, finished(&p))),
        1 => prop_oneof![
            Just(SYNC_TAIL.to_vec()),
            Just(vec![0x03, 0x00]),
            plain().prop_map(|p| finished(&p)),
        ]
        .prop_map(Mutation::Append),
    ]
}

fn apply(mut bytes: Vec<u8>, mutation: Mutation) -> Vec<u8> {
    match mutation {
        Mutation::None => {}
        Mutation::Edits(edits, other) => mutate::apply(&mut bytes, &other, &edits),
        Mutation::Append(tail) => bytes.extend_from_slice(&tail),
    }
    bytes
}

proptest! {
    #[test]
    fn mutated_messages_inflate_within_the_limit_or_are_refused(
        input in plain(),
        final_block in any::<bool>(),
        mutation in mutation(),
    ) {
        let compressed = if final_block { finished(&input) } else { deflate(&input).unwrap() };
        let untouched = matches!(mutation, Mutation::None);
        let sent = apply(compressed, mutation);
        // On its own thread, so that a loop without end fails the case instead of the run.
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || tx.send(inflate(&sent, LIMIT)));
        let result = rx.recv_timeout(Duration::from_secs(5));
        prop_assert!(result.is_ok(), "inflate did not return within 5 s");
        match result.unwrap() {
            Ok(out) => {
                prop_assert!(out.len() <= LIMIT);
                if untouched {
                    prop_assert_eq!(out, input);
                }
            }
            Err(refusal) => {
                prop_assert!([1007, 1009].contains(&refusal.code));
                if untouched {
                    prop_assert!(input.len() > LIMIT, "refused a valid message: {:?}", refusal);
                }
            }
        }
    }
}
