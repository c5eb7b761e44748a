//! Mistakes in the special-address classifier.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::{Mistake, making};
use solutions::special_addresses as model;
pub use solutions::special_addresses::AddressKind;

/// Each mistake made here, the checks that must catch it, and words their message must contain.
pub const MISTAKES: &[Mistake] = &[
    (
        "special_addresses_loopback_as_slash24",
        &["special_addresses::classifies_loopback_and_unspecified"],
        "127.0.0.0/8",
    ),
    (
        "special_addresses_shift_overflows",
        &["special_addresses::handles_prefix_lengths_0_and_32_and_128"],
        "overflows",
    ),
    (
        "special_addresses_network_unmasked",
        &["special_addresses::matches_addresses_against_a_prefix"],
        "mask `network` too",
    ),
    (
        "special_addresses_mask_from_the_wrong_end",
        &["special_addresses::matches_addresses_against_a_prefix"],
        "one-bits from the left",
    ),
    (
        "special_addresses_172_as_slash16",
        &["special_addresses::classifies_the_private_blocks"],
        "172.16.0.0/12",
    ),
    (
        "special_addresses_shared_as_slash8",
        &["special_addresses::classifies_the_shared_address_space"],
        "too wide",
    ),
    (
        "special_addresses_link_local_v6_as_slash16",
        &["special_addresses::classifies_link_local_addresses"],
        "fe80::/10",
    ),
    (
        "special_addresses_multicast_as_slash8",
        &["special_addresses::classifies_multicast_and_broadcast"],
        "224.0.0.0/4",
    ),
    (
        "special_addresses_one_test_net",
        &["special_addresses::classifies_the_documentation_blocks"],
        "198.51.100.0/24",
    ),
    (
        "special_addresses_ula_fd_only",
        &["special_addresses::classifies_unique_local_addresses"],
        "fc00::/7",
    ),
    (
        "special_addresses_mapped_from_the_high_bits",
        &["special_addresses::classifies_ipv4_mapped_addresses_as_their_ipv4_address"],
        "first 32 bits",
    ),
    (
        "special_addresses_mapped_not_unwrapped",
        &["special_addresses::classifies_ipv4_mapped_addresses_as_their_ipv4_address"],
        "not unwrapping",
    ),
    (
        "special_addresses_unwraps_with_to_ipv4",
        &[
            "special_addresses::classifies_ipv4_mapped_addresses_as_their_ipv4_address",
            "special_addresses::classifies_loopback_and_unspecified",
        ],
        "to_ipv4",
    ),
    (
        "special_addresses_reserved_left_global",
        &["special_addresses::classifies_the_reserved_blocks"],
        "which your code misses",
    ),
    (
        "special_addresses_benchmarking_as_slash16",
        &["special_addresses::classifies_the_reserved_blocks"],
        "198.18.0.0/15",
    ),
    (
        "special_addresses_anycast_not_global",
        &["special_addresses::classifies_the_reserved_blocks"],
        "globally reachable",
    ),
    (
        "special_addresses_wider_block_first",
        &[
            "special_addresses::classifies_loopback_and_unspecified",
            "special_addresses::classifies_multicast_and_broadcast",
        ],
        "narrower block must win",
    ),
    (
        "special_addresses_wider_block_first",
        &["special_addresses::classifies_ipv4_mapped_addresses_as_their_ipv4_address"],
        "the unwrapping is right",
    ),
    (
        "special_addresses_default_unspecified",
        &["special_addresses::classifies_ordinary_addresses_as_global"],
        "a default other than",
    ),
];

pub fn in_prefix_v4(addr: Ipv4Addr, network: Ipv4Addr, prefix_len: u8) -> bool {
    let len = u32::from(prefix_len);
    if making("special_addresses_shift_overflows") {
        let mask = u32::MAX << (32 - len);
        return u32::from(addr) & mask == u32::from(network) & mask;
    }
    if making("special_addresses_network_unmasked") {
        let mask = u32::MAX.checked_shl(32 - len).unwrap_or(0);
        return u32::from(addr) & mask == u32::from(network);
    }
    if making("special_addresses_mask_from_the_wrong_end") {
        // `prefix_len` one-bits at the right-hand (least significant) end.
        let mask = u32::MAX.checked_shr(32 - len).unwrap_or(0);
        return u32::from(addr) & mask == u32::from(network) & mask;
    }
    model::in_prefix_v4(addr, network, prefix_len)
}

pub fn in_prefix_v6(addr: Ipv6Addr, network: Ipv6Addr, prefix_len: u8) -> bool {
    let len = u32::from(prefix_len);
    if making("special_addresses_shift_overflows") {
        let mask = u128::MAX << (128 - len);
        return u128::from(addr) & mask == u128::from(network) & mask;
    }
    if making("special_addresses_network_unmasked") {
        let mask = u128::MAX.checked_shl(128 - len).unwrap_or(0);
        return u128::from(addr) & mask == u128::from(network);
    }
    if making("special_addresses_mask_from_the_wrong_end") {
        let mask = u128::MAX.checked_shr(128 - len).unwrap_or(0);
        return u128::from(addr) & mask == u128::from(network) & mask;
    }
    model::in_prefix_v6(addr, network, prefix_len)
}

pub fn classify(addr: IpAddr) -> AddressKind {
    match addr {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

/// The kind to return for an address in no block.
fn default_kind() -> AddressKind {
    if making("special_addresses_default_unspecified") {
        AddressKind::Unspecified
    } else {
        AddressKind::Global
    }
}

pub fn classify_v4(addr: Ipv4Addr) -> AddressKind {
    use AddressKind as K;
    let private_172 = if making("special_addresses_172_as_slash16") { 16 } else { 12 };
    let (shared, shared_len) = if making("special_addresses_shared_as_slash8") {
        (Ipv4Addr::new(100, 0, 0, 0), 8)
    } else {
        (Ipv4Addr::new(100, 64, 0, 0), 10)
    };
    let multicast_len = if making("special_addresses_multicast_as_slash8") { 8 } else { 4 };
    let narrow = vec![
        (Ipv4Addr::new(0, 0, 0, 0), 32, K::Unspecified),
        (Ipv4Addr::new(255, 255, 255, 255), 32, K::Broadcast),
    ];
    let mut blocks = vec![
        (
            Ipv4Addr::new(127, 0, 0, 0),
            if making("special_addresses_loopback_as_slash24") { 24 } else { 8 },
            K::Loopback,
        ),
        (Ipv4Addr::new(10, 0, 0, 0), 8, K::Private),
        (Ipv4Addr::new(172, 16, 0, 0), private_172, K::Private),
        (Ipv4Addr::new(192, 168, 0, 0), 16, K::Private),
        (shared, shared_len, K::Shared),
        (Ipv4Addr::new(169, 254, 0, 0), 16, K::LinkLocal),
        (Ipv4Addr::new(224, 0, 0, 0), multicast_len, K::Multicast),
        (Ipv4Addr::new(192, 0, 2, 0), 24, K::Documentation),
    ];
    if !making("special_addresses_one_test_net") {
        blocks.push((Ipv4Addr::new(198, 51, 100, 0), 24, K::Documentation));
        blocks.push((Ipv4Addr::new(203, 0, 113, 0), 24, K::Documentation));
    }
    if !making("special_addresses_anycast_not_global") {
        blocks.insert(0, (Ipv4Addr::new(192, 0, 0, 9), 32, K::Global));
        blocks.insert(0, (Ipv4Addr::new(192, 0, 0, 10), 32, K::Global));
    }
    // The blocks the exercise once left Global, as a learner who read an older table would.
    let reserved = if making("special_addresses_reserved_left_global") {
        vec![]
    } else {
        let benchmarking_len =
            if making("special_addresses_benchmarking_as_slash16") { 16 } else { 15 };
        vec![
            (Ipv4Addr::new(0, 0, 0, 0), 8, K::Reserved),
            (Ipv4Addr::new(192, 0, 0, 0), 24, K::Reserved),
            (Ipv4Addr::new(198, 18, 0, 0), benchmarking_len, K::Reserved),
            (Ipv4Addr::new(240, 0, 0, 0), 4, K::Reserved),
        ]
    };
    // The wider blocks tried before the single addresses inside them.
    let all = if making("special_addresses_wider_block_first") {
        [blocks, reserved, narrow].concat()
    } else {
        [narrow, blocks, reserved].concat()
    };
    all.into_iter()
        .find(|&(network, len, _)| in_prefix_v4(addr, network, len))
        .map_or_else(default_kind, |(_, _, kind)| kind)
}

pub fn classify_v6(addr: Ipv6Addr) -> AddressKind {
    use AddressKind as K;
    if making("special_addresses_unwraps_with_to_ipv4") {
        if let Some(v4) = addr.to_ipv4() {
            return classify_v4(v4);
        }
    } else if making("special_addresses_mapped_from_the_high_bits") {
        if addr.to_ipv4_mapped().is_some() {
            return classify_v4(Ipv4Addr::from((u128::from(addr) >> 96) as u32));
        }
    } else if !making("special_addresses_mapped_not_unwrapped") {
        if let Some(v4) = addr.to_ipv4_mapped() {
            return classify_v4(v4);
        }
    }
    let link_local_len = if making("special_addresses_link_local_v6_as_slash16") { 16 } else { 10 };
    let (ula, ula_len) = if making("special_addresses_ula_fd_only") {
        (Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0, 0), 8)
    } else {
        (Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 0), 7)
    };
    let blocks = [
        (Ipv6Addr::UNSPECIFIED, 128, K::Unspecified),
        (Ipv6Addr::LOCALHOST, 128, K::Loopback),
        (Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0), link_local_len, K::LinkLocal),
        (ula, ula_len, K::UniqueLocal),
        (Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0), 8, K::Multicast),
        (Ipv6Addr::new(0x2001, 0x0db8, 0, 0, 0, 0, 0, 0), 32, K::Documentation),
    ];
    blocks
        .into_iter()
        .find(|&(network, len, _)| in_prefix_v6(addr, network, len))
        .map_or_else(default_kind, |(_, _, kind)| kind)
}
