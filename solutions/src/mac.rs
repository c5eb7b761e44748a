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
        // Which notation: the separators it contains decide, and there must be
        // one kind only.
        let mut present = Vec::new();
        for separator in [':', '-', '.'] {
            if text.contains(separator) {
                present.push(separator);
            }
        }
        let (separator, groups, digits) = match present[..] {
            [] => return Err(ParseMacError::NoSeparator),
            [':'] => (':', 6, 2),
            ['-'] => ('-', 6, 2),
            ['.'] => ('.', 3, 4),
            _ => return Err(ParseMacError::MixedSeparators),
        };
        let parts: Vec<&str> = text.split(separator).collect();
        let found = parts.len();
        if found != groups {
            return Err(ParseMacError::WrongGroupCount { separator, found });
        }
        // Look at every character ourselves: `u8::from_str_radix` would also
        // take a leading `+`, and `"+a"` is not two hex digits.
        let mut hex = Vec::with_capacity(12);
        for part in parts {
            for c in part.chars() {
                let value = c.to_digit(16).ok_or(ParseMacError::InvalidDigit(c))?;
                hex.push(value as u8);
            }
            if part.chars().count() != digits {
                let group = part.to_string();
                return Err(ParseMacError::WrongGroupLength { separator, group });
            }
        }
        // Twelve hex digits, two to a byte, high digit first, whatever the
        // grouping.
        let mut bytes = [0; 6];
        for (byte, pair) in bytes.iter_mut().zip(hex.chunks(2)) {
            *byte = pair[0] << 4 | pair[1];
        }
        Ok(MacAddress(bytes))
    }
}
// ANCHOR_END: parse

// ANCHOR: display
impl fmt::Display for MacAddress {
    /// The canonical form: lower case, two digits a byte, separated by colons,
    /// as Linux's `ip link` prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d, e, g] = self.0;
        // `02` pads to two digits: 0x0a is `0a`, never `a`.
        write!(f, "{a:02x}:{b:02x}:{c:02x}:{d:02x}:{e:02x}:{g:02x}")
    }
}
// ANCHOR_END: display

// ANCHOR: bits
impl MacAddress {
    /// Whether this is a group address (multicast or broadcast): the I/G bit,
    /// the lowest bit of the first byte, is 1. It is the first address bit on
    /// the wire, because Ethernet sends each byte lowest bit first.
    pub fn is_multicast(&self) -> bool {
        self.0[0] & GROUP_BIT != 0
    }

    /// Whether this is locally administered (set by software, not from the
    /// maker's OUI): the U/L bit, the second-lowest bit of the first byte, is
    /// 1.
    pub fn is_local(&self) -> bool {
        self.0[0] & LOCAL_BIT != 0
    }

    /// Whether this is the broadcast address `ff:ff:ff:ff:ff:ff`, "every
    /// interface on the link". It is a group address too.
    pub fn is_broadcast(&self) -> bool {
        self.0 == [0xff; 6]
    }

    /// The first three bytes, as written. For a universally administered
    /// address this is the OUI the IEEE assigned to the maker.
    pub fn oui(&self) -> [u8; 3] {
        let [a, b, c, ..] = self.0;
        [a, b, c]
    }
}
// ANCHOR_END: bits

// ANCHOR: eui64
impl MacAddress {
    /// The modified EUI-64 interface identifier (RFC 4291, Appendix A): `ff:fe`
    /// inserted between the third and fourth bytes, and the U/L bit flipped.
    pub fn interface_id(&self) -> [u8; 8] {
        let [a, b, c, d, e, g] = self.0;
        // Flip, not set: in an interface identifier 1 means "universal", so a
        // universal MAC address (U/L 0) gives 1 and a local one (U/L 1) gives
        // 0.
        [a ^ LOCAL_BIT, b, c, 0xff, 0xfe, d, e, g]
    }

    /// The IPv6 link-local address of this interface: the prefix fe80::/64
    /// followed by the interface identifier.
    pub fn link_local(&self) -> Ipv6Addr {
        let mut octets = [0; 16];
        octets[..2].copy_from_slice(&[0xfe, 0x80]);
        // Bytes 2 to 7 stay zero: the prefix is fe80:0000:0000:0000.
        octets[8..].copy_from_slice(&self.interface_id());
        Ipv6Addr::from(octets)
    }
}
// ANCHOR_END: eui64
