//! MAC addresses: the 48-bit addresses (EUI-48) that name a network interface
//! on an Ethernet or Wi-Fi link. Every frame starts with a destination and a
//! source MAC address; a card ignores frames whose destination is not its own
//! or a group it listens to.
//!
//! This module reads the three notations people write them in, prints the one
//! Linux uses, reads the two flag bits of the first byte (RFC 9542, which
//! replaced RFC 7042), and builds the IPv6 link-local address of an interface
//! from its MAC address with the modified EUI-64 recipe of RFC 4291, Appendix
//! A.
//!
//! Exercise: read "MAC addresses" (book/src/mac.md), then replace the eight
//! `todo!()`s. Leave the signatures as they are: the grader calls these
//! functions.

use std::fmt;
use std::net::Ipv6Addr;
use std::str::FromStr;

// ANCHOR: type
/// A MAC address: six bytes, in the order they are written and sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MacAddress(pub [u8; 6]);

/// The I/G bit of the first byte: 1 for a group (multicast or broadcast)
/// address.
pub const GROUP_BIT: u8 = 0x01;
/// The U/L bit of the first byte: 1 for a locally administered address.
pub const LOCAL_BIT: u8 = 0x02;
// ANCHOR_END: type

// ANCHOR: error
/// Why a text is not a MAC address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseMacError {
    /// There is no `:`, `-` or `.` in it, as in `001a2b3c4d5e` or the empty
    /// string.
    NoSeparator,
    /// It mixes separators, as in `00:1a-2b:3c-4d:5e`: each notation uses one
    /// kind.
    MixedSeparators,
    /// The separator calls for a different number of groups: six with `:` or
    /// `-`, three with `.`. `found` is how many groups the text has.
    WrongGroupCount { separator: char, found: usize },
    /// A group has the wrong number of digits: two with `:` or `-`, four with
    /// `.`. `group` is the group as written.
    WrongGroupLength { separator: char, group: String },
    /// A character that is not a hexadecimal digit (`0`-`9`, `a`-`f`, `A`-`F`).
    InvalidDigit(char),
}
// ANCHOR_END: error

impl fmt::Display for ParseMacError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseMacError::NoSeparator => write!(f, "no `:`, `-` or `.` between the groups"),
            ParseMacError::MixedSeparators => write!(f, "more than one kind of separator"),
            ParseMacError::WrongGroupCount { separator, found } => {
                write!(f, "{found} groups separated by `{separator}`")
            }
            ParseMacError::WrongGroupLength { separator, group } => {
                write!(f, "the group {group:?} has the wrong length for `{separator}` notation")
            }
            ParseMacError::InvalidDigit(c) => write!(f, "{c:?} is not a hexadecimal digit"),
        }
    }
}

impl std::error::Error for ParseMacError {}

// ANCHOR: parse
impl FromStr for MacAddress {
    type Err = ParseMacError;

    /// Reads `00:1a:2b:3c:4d:5e`, `00-1A-2B-3C-4D-5E` or `001a.2b3c.4d5e`, in
    /// upper or lower case.
    fn from_str(text: &str) -> Result<MacAddress, ParseMacError> {
        // TODO: read the text by the chapter's "Reading" rules (`split`,
        // `char::to_digit(16)`); each broken rule has its own ParseMacError.
        todo!("parse a MAC address")
    }
}
// ANCHOR_END: parse

// ANCHOR: display
impl fmt::Display for MacAddress {
    /// The canonical form: lower case, two digits a byte, separated by colons,
    /// as Linux's `ip link` prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // TODO: `write!` the canonical form (`{:02x}`).
        todo!("print the canonical form")
    }
}
// ANCHOR_END: display

// ANCHOR: bits
impl MacAddress {
    /// Whether this is a group address (multicast or broadcast): the I/G bit,
    /// the lowest bit of the first byte, is 1. It is the first address bit on
    /// the wire, because Ethernet sends each byte lowest bit first.
    pub fn is_multicast(&self) -> bool {
        // TODO: test GROUP_BIT in the first byte with `&`.
        todo!("the I/G bit")
    }

    /// Whether this is locally administered (set by software, not from the
    /// maker's OUI): the U/L bit, the second-lowest bit of the first byte, is
    /// 1.
    pub fn is_local(&self) -> bool {
        // TODO: test LOCAL_BIT in the first byte with `&`.
        todo!("the U/L bit")
    }

    /// Whether this is the broadcast address `ff:ff:ff:ff:ff:ff`, "every
    /// interface on the link". It is a group address too.
    pub fn is_broadcast(&self) -> bool {
        // TODO: compare the bytes with the broadcast address's.
        todo!("all ones")
    }

    /// The first three bytes, as written. For a universally administered
    /// address this is the OUI the IEEE assigned to the maker.
    pub fn oui(&self) -> [u8; 3] {
        // TODO: return the first three bytes as an array.
        todo!("the first three bytes")
    }
}
// ANCHOR_END: bits

// ANCHOR: eui64
impl MacAddress {
    /// The modified EUI-64 interface identifier (RFC 4291, Appendix A): `ff:fe`
    /// inserted between the third and fourth bytes, and the U/L bit flipped.
    pub fn interface_id(&self) -> [u8; 8] {
        // TODO: follow the chapter's modified EUI-64 recipe; flip with `^`.
        todo!("the modified EUI-64 interface identifier")
    }

    /// The IPv6 link-local address of this interface: the prefix fe80::/64
    /// followed by the interface identifier.
    pub fn link_local(&self) -> Ipv6Addr {
        // TODO: put fe80::/64 and `interface_id()` into 16 bytes, then `Ipv6Addr::from`.
        todo!("fe80::/64 and the interface identifier")
    }
}
// ANCHOR_END: eui64
