//! Parsing an IPv4 address written as a dotted quad, by hand.
//!
//! Every IPv4 header carries the source and destination address as a 32-bit
//! number (RFC 791); people write that number as four decimal bytes separated
//! by dots, `192.0.2.10`. This module reads such text into a
//! `std::net::Ipv4Addr`, accepting exactly what Rust's own
//! `"…".parse::<Ipv4Addr>()` accepts: four parts, each ASCII digits only,
//! no leading zero (a C parser would read `010` as octal 8), at most 255 (so
//! a valid part has one to three digits). Nothing else is allowed: no sign, no spaces, no fewer or more parts.
//! When the text is not an address, the error says which rule it broke.
//!
//! Exercise: read "IP addressing, NAT and DNS" (book/src/ip.md), then replace
//! the two `todo!()`s. Do not call `"…".parse::<Ipv4Addr>()` here: the point is
//! to write the rules yourself, and the checks compare your answers with it.
//! Leave the signatures as they are: the grader calls these functions.

use std::fmt;
use std::net::Ipv4Addr;

// ANCHOR: error
/// Why a text is not a dotted-quad IPv4 address: the first problem found
/// reading the text from left to right, part by part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ipv4ParseError {
    /// A part has no digits at all: `1..2.3`, `.1.2.3`. (The empty text is one empty
    /// part and too few parts at once: either error is right for it.)
    EmptyPart,
    /// A part of two or more digits starts with `0`: `01.2.3.4`, `0.0.0.00`.
    LeadingZero,
    /// A part holds something other than an ASCII digit `0`–`9`: a sign
    /// (`+1`, `-4`), a space, a letter.
    NotADigit,
    /// A part is more than 255: `256.0.0.0`, `1.2.3.99999999999999999999`.
    OutOfRange,
    /// The text ends before the fourth part: `1.2.3`.
    TooFewParts,
    /// The text goes on after the fourth part: `1.2.3.4.5`, `1.2.3.4.`.
    TooManyParts,
}
// ANCHOR_END: error

impl fmt::Display for Ipv4ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Ipv4ParseError::EmptyPart => "a part of the address is empty",
            Ipv4ParseError::LeadingZero => "a part of the address has a leading zero",
            Ipv4ParseError::NotADigit => {
                "a part of the address holds a character that is not a digit"
            }
            Ipv4ParseError::OutOfRange => "a part of the address is more than 255",
            Ipv4ParseError::TooFewParts => "the address has fewer than four parts",
            Ipv4ParseError::TooManyParts => "the address has more than four parts",
        })
    }
}

impl std::error::Error for Ipv4ParseError {}

// ANCHOR: ipv4_parse
/// Parses a dotted quad such as `192.0.2.10` into an [`Ipv4Addr`], accepting
/// exactly the texts that `"…".parse::<Ipv4Addr>()` accepts, and naming the
/// rule a rejected text breaks.
pub fn ipv4_parse(text: &str) -> Result<Ipv4Addr, Ipv4ParseError> {
    // TODO: read the parts of `text` (`str::split`) with `parse_part`, and build
    // the address with `Ipv4Addr::from([a, b, c, d])`.
    todo!("parse four parts and build the Ipv4Addr")
}
// ANCHOR_END: ipv4_parse

// ANCHOR: parse_part
/// Parses one part of a dotted quad: ASCII digits only, no leading zero,
/// 0 to 255.
fn parse_part(part: &str) -> Result<u8, Ipv4ParseError> {
    // TODO: return the part's value by the chapter's ipv4_parse rules; test bytes
    // with `u8::is_ascii_digit`, not `str::parse`.
    todo!("parse one part into a byte")
}
// ANCHOR_END: parse_part
