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
    // `prefix_len` one-bits, then zeros. Shifting a u32 by 32 overflows, so /0 (no
    // prefix bits at all) cannot be `u32::MAX << 32`: `checked_shl` gives None there.
    let mask = u32::MAX.checked_shl(32 - u32::from(prefix_len)).unwrap_or(0);
    u32::from(addr) & mask == u32::from(network) & mask
}

/// Whether `addr` is in the block `network/prefix_len`, as [`in_prefix_v4`] for IPv6's
/// 128 bits: 0 matches every address, 128 only `network` itself.
pub fn in_prefix_v6(addr: Ipv6Addr, network: Ipv6Addr, prefix_len: u8) -> bool {
    let mask = u128::MAX.checked_shl(128 - u32::from(prefix_len)).unwrap_or(0);
    u128::from(addr) & mask == u128::from(network) & mask
}
// ANCHOR_END: in_prefix

// ANCHOR: classify
/// The IPv4 blocks, as the chapter's table lists them (IANA's special-purpose registry,
/// RFC 6890 and its updates; multicast has a registry of its own, RFC 5771). Some blocks
/// lie inside others, so the narrower one comes first: the first block that matches wins.
const V4_BLOCKS: &[(Ipv4Addr, u8, AddressKind)] = &[
    // Inside 0.0.0.0/8, 240.0.0.0/4 and 192.0.0.0/24 below.
    (Ipv4Addr::new(0, 0, 0, 0), 32, AddressKind::Unspecified),
    (Ipv4Addr::new(255, 255, 255, 255), 32, AddressKind::Broadcast),
    // Port Control Protocol anycast (RFC 7723) and TURN anycast (RFC 8155): the registry
    // calls these two globally reachable, though the rest of 192.0.0.0/24 is not.
    (Ipv4Addr::new(192, 0, 0, 9), 32, AddressKind::Global),
    (Ipv4Addr::new(192, 0, 0, 10), 32, AddressKind::Global),
    (Ipv4Addr::new(127, 0, 0, 0), 8, AddressKind::Loopback),
    (Ipv4Addr::new(10, 0, 0, 0), 8, AddressKind::Private),
    // 172.16.0.0 to 172.31.255.255: the second byte's top four bits are 0001.
    (Ipv4Addr::new(172, 16, 0, 0), 12, AddressKind::Private),
    (Ipv4Addr::new(192, 168, 0, 0), 16, AddressKind::Private),
    // 100.64.0.0 to 100.127.255.255: the second byte's top two bits are 01.
    (Ipv4Addr::new(100, 64, 0, 0), 10, AddressKind::Shared),
    (Ipv4Addr::new(169, 254, 0, 0), 16, AddressKind::LinkLocal),
    // 224.0.0.0 to 239.255.255.255: the first byte's top four bits are 1110.
    (Ipv4Addr::new(224, 0, 0, 0), 4, AddressKind::Multicast),
    (Ipv4Addr::new(192, 0, 2, 0), 24, AddressKind::Documentation),
    (Ipv4Addr::new(198, 51, 100, 0), 24, AddressKind::Documentation),
    (Ipv4Addr::new(203, 0, 113, 0), 24, AddressKind::Documentation),
    // "This network" (RFC 791): only ever a source, while a host learns its address.
    (Ipv4Addr::new(0, 0, 0, 0), 8, AddressKind::Reserved),
    // IETF protocol assignments (RFC 6890 section 2.1).
    (Ipv4Addr::new(192, 0, 0, 0), 24, AddressKind::Reserved),
    // Benchmarking (RFC 2544): 198.18.0.0 to 198.19.255.255, the last bit of 18 is free.
    (Ipv4Addr::new(198, 18, 0, 0), 15, AddressKind::Reserved),
    // Reserved since RFC 1112: 240.0.0.0 to 255.255.255.254, the top four bits 1111.
    (Ipv4Addr::new(240, 0, 0, 0), 4, AddressKind::Reserved),
];

/// The IPv6 blocks (RFC 6890). None overlaps another. The IPv4-mapped block is handled
/// before these.
const V6_BLOCKS: &[(Ipv6Addr, u8, AddressKind)] = &[
    (Ipv6Addr::UNSPECIFIED, 128, AddressKind::Unspecified),
    (Ipv6Addr::LOCALHOST, 128, AddressKind::Loopback),
    // fe80:: to febf:ffff:…: the first ten bits are 1111 1110 10.
    (Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0), 10, AddressKind::LinkLocal),
    // fc00:: to fdff:ffff:…: the first seven bits are 1111 110.
    (Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 0), 7, AddressKind::UniqueLocal),
    (Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0), 8, AddressKind::Multicast),
    (Ipv6Addr::new(0x2001, 0x0db8, 0, 0, 0, 0, 0, 0), 32, AddressKind::Documentation),
];

/// `::ffff:0:0/96`: IPv6 addresses that carry an IPv4 address in their last 32 bits.
const V4_MAPPED: (Ipv6Addr, u8) = (Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0, 0), 96);

/// The kind of any IP address.
pub fn classify(addr: IpAddr) -> AddressKind {
    match addr {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

/// The kind of an IPv4 address: the kind of the block it is in, or `Global`.
pub fn classify_v4(addr: Ipv4Addr) -> AddressKind {
    V4_BLOCKS
        .iter()
        .find(|&&(network, prefix_len, _)| in_prefix_v4(addr, network, prefix_len))
        .map_or(AddressKind::Global, |&(_, _, kind)| kind)
}

/// The kind of an IPv6 address. An IPv4-mapped address (`::ffff:a.b.c.d`) is the kind of
/// the IPv4 address `a.b.c.d` it carries.
pub fn classify_v6(addr: Ipv6Addr) -> AddressKind {
    let (mapped, mapped_len) = V4_MAPPED;
    if in_prefix_v6(addr, mapped, mapped_len) {
        // The carried IPv4 address is the last 32 bits; `as u32` keeps exactly those.
        return classify_v4(Ipv4Addr::from(u128::from(addr) as u32));
    }
    V6_BLOCKS
        .iter()
        .find(|&&(network, prefix_len, _)| in_prefix_v6(addr, network, prefix_len))
        .map_or(AddressKind::Global, |&(_, _, kind)| kind)
}
// ANCHOR_END: classify
