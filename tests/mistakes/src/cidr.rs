//! Mistakes in the CIDR block.
//!
//! `solutions::cidr::Cidr` keeps its fields private, so this module has a `Cidr` of its
//! own with the same methods; without a mistake each gives the model answer's result.

use std::net::Ipv4Addr;
use std::str::FromStr;

use crate::{Mistake, making};
use solutions::cidr as model;
pub use solutions::cidr::{CidrError, MAX_PREFIX};

/// Each mistake made here, the checks that must catch it, and words their message must contain.
pub const MISTAKES: &[Mistake] = &[
    (
        "cidr_parses_the_prefix_as_u8",
        &["cidr::rejects_a_prefix_over_32", "cidr::rejects_malformed_text"],
        "u8",
    ),
    (
        "cidr_mask_shifts_by_32",
        &["cidr::handles_prefix_0", "cidr::handles_every_prefix_length"],
        "shifting a u32 by 32",
    ),
    (
        "cidr_mask_wraps_the_shift",
        &["cidr::handles_prefix_0", "cidr::handles_every_prefix_length"],
        "shifting a u32 by 32",
    ),
    (
        "cidr_mask_at_the_low_end",
        &[
            "cidr::parses_the_chapters_example",
            "cidr::handles_prefix_8",
            "cidr::handles_prefix_24",
            "cidr::handles_every_prefix_length",
        ],
        "wrong end",
    ),
    (
        "cidr_keeps_host_bits",
        &[
            "cidr::parses_the_chapters_example",
            "cidr::handles_prefix_8",
            "cidr::handles_prefix_24",
            "cidr::handles_every_prefix_length",
        ],
        "host bits",
    ),
    (
        "cidr_counts_every_address",
        &["cidr::handles_prefix_8", "cidr::handles_prefix_24"],
        "are no hosts",
    ),
    ("cidr_prefix_by_its_length", &["cidr::handles_prefix_8"], "leading zero"),
    ("cidr_trims_the_text", &["cidr::rejects_malformed_text"], "trimming the text"),
    ("cidr_numeric_prefix", &["cidr::rejects_malformed_text"], "another script"),
    ("cidr_host_count_ignores_rfc3021", &["cidr::handles_prefix_31"], "RFC 3021"),
    ("cidr_host_count_overflows", &["cidr::handles_prefix_0"], "overflow"),
    (
        "cidr_contains_leaves_out_the_last_address",
        &["cidr::parses_the_chapters_example", "cidr::handles_prefix_32"],
        "last address",
    ),
    ("cidr_accepts_a_long_prefix", &["cidr::rejects_a_prefix_over_32"], "longer than the 32 bits"),
    ("cidr_rejects_prefix_32", &["cidr::rejects_a_prefix_over_32"], "`>= 32`"),
    ("cidr_splits_at_the_last_slash", &["cidr::rejects_malformed_text"], "first `/`"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: Ipv4Addr,
    prefix: u8,
}

fn mask_bits(prefix: u8) -> u32 {
    if making("cidr_mask_shifts_by_32") {
        return u32::MAX << (32 - prefix);
    }
    if making("cidr_mask_wraps_the_shift") {
        return u32::MAX.wrapping_shl(u32::from(32 - prefix));
    }
    if making("cidr_mask_at_the_low_end") {
        return u32::MAX.checked_shr(u32::from(32 - prefix)).unwrap_or(0);
    }
    model::Cidr::new(Ipv4Addr::BROADCAST, prefix.min(MAX_PREFIX)).map_or(0, |c| c.mask().to_bits())
}

impl Cidr {
    pub fn new(addr: Ipv4Addr, prefix: u8) -> Result<Cidr, CidrError> {
        let too_long = if making("cidr_rejects_prefix_32") { prefix >= 32 } else { prefix > 32 };
        if too_long && !making("cidr_accepts_a_long_prefix") {
            return Err(CidrError::PrefixTooLong);
        }
        let network = if making("cidr_keeps_host_bits") {
            addr
        } else {
            Ipv4Addr::from_bits(addr.to_bits() & mask_bits(prefix))
        };
        Ok(Cidr { network, prefix })
    }

    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    pub fn network(&self) -> Ipv4Addr {
        self.network
    }

    pub fn mask(&self) -> Ipv4Addr {
        Ipv4Addr::from_bits(mask_bits(self.prefix))
    }

    pub fn broadcast(&self) -> Ipv4Addr {
        Ipv4Addr::from_bits(self.network.to_bits() | !mask_bits(self.prefix))
    }

    pub fn host_count(&self) -> u32 {
        let addresses_less_one = !mask_bits(self.prefix);
        if making("cidr_host_count_ignores_rfc3021") {
            return addresses_less_one.saturating_sub(1);
        }
        if making("cidr_counts_every_address") {
            return addresses_less_one.wrapping_add(1);
        }
        if making("cidr_host_count_overflows") {
            return 2u32.pow(u32::from(32 - self.prefix)).saturating_sub(2).max(1);
        }
        match self.prefix {
            32 => 1,
            31 => 2,
            _ => addresses_less_one - 1,
        }
    }

    pub fn contains(&self, addr: Ipv4Addr) -> bool {
        if making("cidr_contains_leaves_out_the_last_address") {
            return self.network <= addr && addr < self.broadcast();
        }
        addr.to_bits() & mask_bits(self.prefix) == self.network.to_bits()
    }
}

impl FromStr for Cidr {
    type Err = CidrError;

    fn from_str(text: &str) -> Result<Cidr, CidrError> {
        let split = if making("cidr_splits_at_the_last_slash") {
            text.rsplit_once('/')
        } else {
            text.split_once('/')
        };
        let (addr, prefix) = split.ok_or(CidrError::MissingSlash)?;
        let (addr, prefix) = if making("cidr_trims_the_text") {
            (addr.trim(), prefix.trim())
        } else {
            (addr, prefix)
        };
        if making("cidr_prefix_by_its_length") && prefix.len() > 2 {
            return Err(CidrError::PrefixTooLong);
        }
        if making("cidr_prefix_by_its_length") && prefix.starts_with('0') && prefix.len() > 1 {
            return Err(CidrError::BadPrefix);
        }
        if making("cidr_numeric_prefix") {
            // Digits checked with `is_numeric` and added up by hand, `c - '0'` for each.
            if prefix.is_empty() || !prefix.chars().all(char::is_numeric) {
                return Err(CidrError::BadPrefix);
            }
            let value = prefix.chars().fold(0u32, |n, c| {
                n.saturating_mul(10).saturating_add(u32::from(c).saturating_sub(u32::from('0')))
            });
            let addr: Ipv4Addr = addr.parse().map_err(|_| CidrError::BadAddress)?;
            return Cidr::new(addr, u8::try_from(value).unwrap_or(u8::MAX));
        }
        let addr: Ipv4Addr = addr.parse().map_err(|_| CidrError::BadAddress)?;
        if making("cidr_parses_the_prefix_as_u8") {
            return Cidr::new(addr, prefix.parse::<u8>().map_err(|_| CidrError::BadPrefix)?);
        }
        if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CidrError::BadPrefix);
        }
        Cidr::new(addr, prefix.parse::<u8>().unwrap_or(u8::MAX))
    }
}
