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

// ANCHOR: sum
/// The one's complement sum (RFC 1071) of `bytes`, read as big-endian 16-bit
/// words, with every carry out of bit 15 added back in at bit 0. A last odd
/// byte is the high byte of a word whose low byte is zero. The sum of no bytes
/// is 0.
pub fn ones_complement_sum(bytes: &[u8]) -> u16 {
    // Add in a wider integer, which keeps the carries (a u64 cannot overflow on
    // any slice that fits in memory), and fold them back into 16 bits at the
    // end.
    let mut sum: u64 = 0;
    let mut words = bytes.chunks_exact(2);
    for word in &mut words {
        sum += u64::from(u16::from_be_bytes([word[0], word[1]]));
    }
    if let [last] = words.remainder() {
        // Pad on the right: the odd byte is the high-order byte of the last
        // word.
        sum += u64::from(u16::from_be_bytes([*last, 0]));
    }
    // Fold until no carry is left: adding the carries back can itself carry
    // once more.
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum as u16
}
// ANCHOR_END: sum

// ANCHOR: checksum
/// The Internet checksum of `bytes` (RFC 1071): the bits of their one's
/// complement sum, inverted. Over a header whose checksum field is zero, this
/// is the value to write into the field; over a header as received, checksum
/// field included, it is 0 when the header is intact.
pub fn internet_checksum(bytes: &[u8]) -> u16 {
    !ones_complement_sum(bytes)
}
// ANCHOR_END: checksum
