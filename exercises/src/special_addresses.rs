//! Special-purpose addresses: which blocks of the address space IANA sets aside (RFC 6890),
//! and how a program tells whether an address falls in one.
//!
//! A router, a firewall or a server that logs its clients often needs to know what kind of
//! address it is looking at: a private one that must never leave the site, a loopback one
//! that never left the machine, a documentation one that should not be on a wire at all.
//! Every such kind is a block: a prefix, written in CIDR notation. An address is in the
//! block when its first `prefix_len` bits equal the block's, which is one mask and one
//! comparison on the address as an integer.
//!
//! IPv4-mapped IPv6 addresses (`::ffff:0:0/96`, RFC 4291 section 2.5.5.2) are how a
//! dual-stack socket shows an IPv4 peer, so `::ffff:127.0.0.1` is classified as the IPv4
//! address it carries: loopback. Only that /96 is unwrapped: `::1` and `::` are IPv6's own
//! loopback and unspecified addresses, not `0.0.0.1` and `0.0.0.0`.
//!
//! Exercise: read "IP addressing, NAT and DNS" (book/src/ip.md), then replace the four
//! `todo!()`s. Do the prefix arithmetic yourself rather than calling std's `is_*` methods.
//! Leave the signatures as they are: the grader calls these functions.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

// ANCHOR: kind
/// The kind of an IP address, by the special-purpose block it belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AddressKind {
    /// "No address": `0.0.0.0` and `::` (RFC 1122, RFC 4291). As a bind address, "every
    /// local address".
    Unspecified,
    /// The machine itself: `127.0.0.0/8` (RFC 1122) and `::1` (RFC 4291).
    Loopback,
    /// Private IPv4: `10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16` (RFC 1918).
    Private,
    /// Shared address space between a carrier-grade NAT and its customers:
    /// `100.64.0.0/10` (RFC 6598).
    Shared,
    /// Valid on one link only: `169.254.0.0/16` (RFC 3927) and `fe80::/10` (RFC 4291).
    LinkLocal,
    /// One packet to a group: `224.0.0.0/4` (RFC 5771) and `ff00::/8` (RFC 4291).
    Multicast,
    /// For examples in books: `192.0.2.0/24`, `198.51.100.0/24`, `203.0.113.0/24`
    /// (RFC 5737) and `2001:db8::/32` (RFC 3849).
    Documentation,
    /// The limited broadcast address `255.255.255.255` (RFC 919, RFC 1122).
    Broadcast,
    /// IPv6's counterpart of private addresses: `fc00::/7` (RFC 4193).
    UniqueLocal,
    /// Set aside, not globally reachable (IANA's special-purpose registry, RFC 6890, says
    /// "Globally Reachable: False"), and none of the kinds above: `0.0.0.0/8` ("this
    /// network", RFC 791) but for `0.0.0.0`; `192.0.0.0/24` (IETF protocol assignments,
    /// RFC 6890) but for `192.0.0.9` and `192.0.0.10`, two anycast addresses the registry
    /// calls globally reachable; `198.18.0.0/15` (benchmarking, RFC 2544); and
    /// `240.0.0.0/4` (reserved, RFC 1112) but for `255.255.255.255`.
    Reserved,
    /// In none of the blocks above: an ordinary address. For IPv4 these are exactly the
    /// unicast addresses IANA's registry leaves globally reachable (`192.0.0.9` and
    /// `192.0.0.10` among them). IPv6's registry has more blocks than this exercise takes (such as
    /// `2001:2::/48` for benchmarking and `3fff::/20` for documentation, RFC 9637): those
    /// are left here too.
    Global,
}
// ANCHOR_END: kind

// ANCHOR: in_prefix
/// Whether `addr` is in the block `network/prefix_len`: whether its first `prefix_len`
/// bits are those of `network`. A prefix length of 0 matches every address, 32 only
/// `network` itself; it is never more than 32.
pub fn in_prefix_v4(addr: Ipv4Addr, network: Ipv4Addr, prefix_len: u8) -> bool {
    // TODO: compare the first `prefix_len` bits as u32s (`u32::from`); mind the /0 trap
    // the chapter describes (`checked_shl`).
    todo!("compare the first prefix_len bits")
}

/// Whether `addr` is in the block `network/prefix_len`, as [`in_prefix_v4`] for IPv6's
/// 128 bits: 0 matches every address, 128 only `network` itself.
pub fn in_prefix_v6(addr: Ipv6Addr, network: Ipv6Addr, prefix_len: u8) -> bool {
    // TODO: do as in_prefix_v4 does, on u128s (`u128::from`).
    todo!("compare the first prefix_len bits")
}
// ANCHOR_END: in_prefix

// ANCHOR: classify
/// The kind of any IP address.
pub fn classify(addr: IpAddr) -> AddressKind {
    match addr {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

/// The kind of an IPv4 address: the kind of the block it is in, or `Global`.
pub fn classify_v4(addr: Ipv4Addr) -> AddressKind {
    // TODO: find the block of the chapter's table that `addr` is in, with in_prefix_v4.
    // Where one block lies inside another (0.0.0.0 in 0.0.0.0/8), the narrower one wins.
    todo!("find the IPv4 block addr is in")
}

/// The kind of an IPv6 address. An IPv4-mapped address (`::ffff:a.b.c.d`) is the kind of
/// the IPv4 address `a.b.c.d` it carries.
pub fn classify_v6(addr: Ipv6Addr) -> AddressKind {
    // TODO: as classify_v4, with in_prefix_v6; unwrap an IPv4-mapped address as the
    // chapter describes.
    todo!("find the IPv6 block addr is in")
}
// ANCHOR_END: classify
