//! The Internet checksum, the 16-bit check that IPv4, UDP, TCP and ICMP use.
//!
//! RFC 1071 defines it: add up the data as 16-bit words in network byte order
//! (big-endian) with one's complement addition, then invert the bits of the
//! sum. One's complement addition is ordinary addition where a carry out of the
//! top bit is added back in at the bottom ("end-around carry"). A last odd byte
//! counts as the high byte of a word whose low byte is zero.
//!
//! The sender computes the checksum with the checksum field set to zero and
//! writes it into that field. The receiver sums the whole header, checksum
//! field included: if nothing changed on the way, the sum is 0xffff, so the
//! checksum of the whole header is 0.
//!
//! Exercise: read "The layer model" (book/src/layers.md), then replace the two
//! `todo!()`s. Leave the signatures as they are: the grader calls these
//! functions.

// ANCHOR: sum
/// The one's complement sum (RFC 1071) of `bytes`, read as big-endian 16-bit
/// words, with every carry out of bit 15 added back in at bit 0. A last odd
/// byte is the high byte of a word whose low byte is zero. The sum of no bytes
/// is 0.
pub fn ones_complement_sum(bytes: &[u8]) -> u16 {
    // TODO: add up the words as the chapter's checksum section says, in a
    // u64 (`chunks_exact`, `u16::from_be_bytes`).
    todo!("the one's complement sum of 16-bit words")
}
// ANCHOR_END: sum

// ANCHOR: checksum
/// The Internet checksum of `bytes` (RFC 1071): the bits of their one's
/// complement sum, inverted. Over a header whose checksum field is zero, this
/// is the value to write into the field; over a header as received, checksum
/// field included, it is 0 when the header is intact.
pub fn internet_checksum(bytes: &[u8]) -> u16 {
    // TODO: compute it from `ones_complement_sum`.
    todo!("the complement of the sum")
}
// ANCHOR_END: checksum
