//! Mistakes in the Internet checksum.

use crate::{Mistake, making};
use solutions::checksum as model;

/// Each mistake made here, the checks that must catch it, and words their message must contain.
pub const MISTAKES: &[Mistake] = &[
    (
        "checksum_host_byte_order",
        &["checksum::sums_16_bit_words_in_network_byte_order"],
        "host byte order",
    ),
    (
        "checksum_drops_the_carry",
        &["checksum::folds_the_carry_back_in", "checksum::an_intact_header_checks_to_zero"],
        "dropping the carry",
    ),
    ("checksum_folds_once", &["checksum::folds_the_carry_back_in"], "only once"),
    ("checksum_odd_byte_low", &["checksum::pads_an_odd_last_byte_with_zero"], "low-order byte"),
    (
        "checksum_drops_odd_byte",
        &["checksum::pads_an_odd_last_byte_with_zero"],
        "leaving out a last odd byte",
    ),
    (
        "checksum_pairs_every_chunk",
        &["checksum::pads_an_odd_last_byte_with_zero", "checksum::complements_the_sum"],
        "the unpaired last byte",
    ),
    (
        "checksum_not_inverted",
        &["checksum::complements_the_sum", "checksum::computes_captured_ipv4_header_checksums"],
        "returning the sum itself",
    ),
    (
        "checksum_not_inverted",
        &["checksum::an_intact_header_checks_to_zero"],
        "`!ones_complement_sum(bytes)`",
    ),
];

pub fn ones_complement_sum(bytes: &[u8]) -> u16 {
    if making("checksum_drops_the_carry") {
        // A u16 that wraps: every carry is lost.
        return words(bytes).fold(0_u16, u16::wrapping_add);
    }
    if making("checksum_folds_once") {
        let sum: u32 = words(bytes).map(u32::from).sum();
        return ((sum & 0xffff) + (sum >> 16)) as u16;
    }
    if making("checksum_pairs_every_chunk") {
        // `chunks(2)` ends with a chunk of 1 when the length is odd: `w[1]` panics.
        let mut sum: u64 =
            bytes.chunks(2).map(|w| u64::from(u16::from_be_bytes([w[0], w[1]]))).sum();
        while sum > 0xffff {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return sum as u16;
    }
    if making("checksum_host_byte_order")
        || making("checksum_odd_byte_low")
        || making("checksum_drops_odd_byte")
    {
        let mut sum: u64 = words(bytes).map(u64::from).sum();
        while sum > 0xffff {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return sum as u16;
    }
    model::ones_complement_sum(bytes)
}

/// The words of `bytes`, read with whichever mistake is being made.
fn words(bytes: &[u8]) -> impl Iterator<Item = u16> + '_ {
    let pairs = bytes.chunks_exact(2).map(|pair| {
        if making("checksum_host_byte_order") {
            u16::from_le_bytes([pair[0], pair[1]])
        } else {
            u16::from_be_bytes([pair[0], pair[1]])
        }
    });
    let last = match bytes.chunks_exact(2).remainder() {
        [_] if making("checksum_drops_odd_byte") => None,
        [last] if making("checksum_odd_byte_low") || making("checksum_host_byte_order") => {
            Some(u16::from(*last))
        }
        [last] => Some(u16::from_be_bytes([*last, 0])),
        _ => None,
    };
    pairs.chain(last)
}

pub fn internet_checksum(bytes: &[u8]) -> u16 {
    if making("checksum_not_inverted") {
        return ones_complement_sum(bytes);
    }
    !ones_complement_sum(bytes)
}
