//! Damage for property tests of untrusted input: random text almost never gets past a
//! parser's first check, so these start from valid input and flip bits, cut, splice and
//! insert, reaching the checks behind the first. Shared with the test server's tests through
//! the `test-support` feature.

use proptest::prelude::*;

/// One edit: (kind, position, byte), read by `apply`.
pub type Edit = (u8, usize, u8);

/// One edit of any kind.
pub fn edit() -> impl Strategy<Value = Edit> {
    (0u8..5, any::<usize>(), any::<u8>())
}

/// A few edits.
pub fn edits() -> impl Strategy<Value = Vec<Edit>> {
    proptest::collection::vec(edit(), 1..6)
}

/// Applies each edit: flip a bit, cut, cut and splice in a tail of `other` (from `byte`),
/// insert a byte, or insert all of `other` keeping what follows (a whole valid piece mid-way).
pub fn apply(bytes: &mut Vec<u8>, other: &[u8], edits: &[Edit]) {
    for &(kind, at, byte) in edits {
        let at = at % (bytes.len() + 1);
        match kind {
            0 if at < bytes.len() => bytes[at] ^= 1 << (byte % 8),
            0 => {}
            1 => bytes.truncate(at),
            2 => {
                bytes.truncate(at);
                bytes.extend_from_slice(&other[usize::from(byte) % (other.len() + 1)..]);
            }
            3 => bytes.insert(at, byte),
            _ => {
                bytes.splice(at..at, other.iter().copied());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_edit() {
        let run = |edit: Edit| {
            let mut bytes = b"abcd".to_vec();
            apply(&mut bytes, b"XYZ", &[edit]);
            bytes
        };
        assert_eq!(run((0, 1, 0)), b"accd");
        assert_eq!(run((0, 4, 0)), b"abcd", "past the end: nothing to flip");
        assert_eq!(run((1, 2, 0)), b"ab");
        assert_eq!(run((2, 2, 1)), b"abYZ");
        assert_eq!(run((3, 0, b'!')), b"!abcd");
        assert_eq!(run((4, 2, 9)), b"abXYZcd");
        // Positions wrap around the length, so any usize lands somewhere.
        assert_eq!(run((1, 7, 0)), b"ab");
    }
}
