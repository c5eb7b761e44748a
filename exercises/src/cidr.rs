//! An IPv4 address block in CIDR notation (RFC 4632), such as
//! `192.168.1.64/26`.
//!
//! The prefix length says how many leading bits of an address name the network;
//! the rest pick a host on it. Routers compare only the prefix, and a host
//! compares it to decide whether a destination is on its own link or must go to
//! a router. This module parses `a.b.c.d/n` into a [`Cidr`] and works out the
//! block's mask, network and broadcast addresses, how many hosts it holds, and
//! whether it contains an address.
//!
//! Two decisions, both documented where they apply: host bits set in the
//! written address are cleared (`192.168.1.77/26` is the block
//! `192.168.1.64/26`, the network that address is on), and [`Cidr::host_count`]
//! follows RFC 3021 for /31 and counts the single address of a /32.
//!
//! Exercise: read "IP addressing, NAT and DNS" (book/src/ip.md), then replace
//! the `todo!()`s, starting with `mask_bits`. You may parse the address with
//! `"…".parse::<Ipv4Addr>()` here. Leave the signatures as they are: the grader
//! calls these functions.

use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;

/// The longest prefix an IPv4 address has: all 32 bits.
pub const MAX_PREFIX: u8 = 32;

// ANCHOR: types
/// A block of IPv4 addresses: its network address and its prefix length.
///
/// The network address always has its host bits (those after the prefix)
/// cleared, so two values are equal exactly when they are the same block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: Ipv4Addr,
    prefix: u8,
}

/// Why a text is not a block in CIDR notation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CidrError {
    /// There is no `/` between the address and the prefix length: `10.0.0.0`.
    MissingSlash,
    /// The part before the `/` is not an IPv4 address: `10.0.0/8`.
    BadAddress,
    /// The part after the `/` is not a decimal number: `10.0.0.0/`,
    /// `10.0.0.0/x`.
    BadPrefix,
    /// The prefix length is more than 32: `10.0.0.0/33`.
    PrefixTooLong,
}
// ANCHOR_END: types

impl fmt::Display for CidrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CidrError::MissingSlash => "no `/` between the address and the prefix length",
            CidrError::BadAddress => "the part before the `/` is not an IPv4 address",
            CidrError::BadPrefix => "the prefix length is not a decimal number",
            CidrError::PrefixTooLong => "the prefix length is more than 32",
        })
    }
}

impl std::error::Error for CidrError {}

/// Written the usual way, `192.168.1.64/26`.
impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

// ANCHOR: mask_bits
/// The mask of a prefix length as a 32-bit number: `prefix` one-bits, then
/// zeros. `prefix` is at most 32.
fn mask_bits(prefix: u8) -> u32 {
    // TODO: return the mask; the chapter shows the /0 trap (`u32::checked_shl`).
    todo!("the mask of a prefix length")
}
// ANCHOR_END: mask_bits

// ANCHOR: new
impl Cidr {
    /// The block of prefix length `prefix` that `addr` is on. Host bits set in
    /// `addr` are cleared: `new(192.168.1.77, 26)` is `192.168.1.64/26`. A
    /// prefix length over 32 is [`CidrError::PrefixTooLong`].
    pub fn new(addr: Ipv4Addr, prefix: u8) -> Result<Cidr, CidrError> {
        // TODO: return the block, or PrefixTooLong; clear the host bits with
        // `mask_bits` on `addr.to_bits()`, and come back with `Ipv4Addr::from_bits`.
        todo!("build the block, its host bits cleared")
    }

    /// The prefix length, 0 to 32.
    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// The network address: the first address of the block, its host bits all
    /// 0.
    pub fn network(&self) -> Ipv4Addr {
        self.network
    }
}
// ANCHOR_END: new

// ANCHOR: methods
impl Cidr {
    /// The mask: `prefix` one-bits then zeros, `255.255.255.192` for a /26.
    pub fn mask(&self) -> Ipv4Addr {
        // TODO: turn `mask_bits` into an Ipv4Addr (`Ipv4Addr::from_bits`).
        todo!("the mask as an address")
    }

    /// The last address of the block, its host bits all 1: the broadcast
    /// address of a /0 to /30. A /31 has no broadcast address (RFC 3021) and a
    /// /32 has a single address; for them this is still the last address.
    pub fn broadcast(&self) -> Ipv4Addr {
        // TODO: compute it with bitwise operators on u32s.
        todo!("the last address of the block")
    }

    /// How many addresses of the block can be given to hosts: all but the
    /// network and broadcast addresses for a /0 to /30 (2^(32 − prefix) − 2),
    /// both addresses of a /31 on a point-to-point link (2, RFC 3021), and the
    /// one address of a /32 (1).
    pub fn host_count(&self) -> u32 {
        // TODO: count by the chapter's cidr decisions; 2^32 does not fit in a u32.
        todo!("how many hosts the block holds")
    }

    /// Whether `addr` is in the block: whether its first `prefix` bits are the
    /// network's.
    pub fn contains(&self, addr: Ipv4Addr) -> bool {
        // TODO: compare the first `prefix` bits, as u32s.
        todo!("whether addr is in the block")
    }
}
// ANCHOR_END: methods

// ANCHOR: from_str
/// Parses `a.b.c.d/n`, such as `192.168.1.77/26`, as [`Cidr::new`] would build
/// it: host bits in the address are cleared.
impl FromStr for Cidr {
    type Err = CidrError;

    fn from_str(text: &str) -> Result<Cidr, CidrError> {
        // TODO: split at the `/` (`str::split_once`), read both halves by the
        // chapter's cidr rules, and build the block with `Cidr::new`.
        todo!("parse `a.b.c.d/n`")
    }
}
// ANCHOR_END: from_str
