//! Mistakes in the MAC address type.

use std::fmt;
use std::net::Ipv6Addr;
use std::str::FromStr;

use crate::{Mistake, making};
use solutions::mac as model;
pub use solutions::mac::{GROUP_BIT, LOCAL_BIT, ParseMacError};

/// Each mistake made here, the checks that must catch it, and words their message must contain.
pub const MISTAKES: &[Mistake] = &[
    (
        "mac_reads_bare_hex",
        &["mac::rejects_text_without_separators"],
        "none of the three notations",
    ),
    ("mac_trims", &["mac::rejects_characters_that_are_not_hex_digits"], "trimming the text"),
    ("mac_counts_bytes", &["mac::rejects_characters_that_are_not_hex_digits"], "counts bytes"),
    ("mac_lower_case_only", &["mac::parses_all_three_notations_in_any_case"], "upper-case hex"),
    ("mac_lower_case_only", &["mac::displays_lower_case_with_colons"], "the parsing refused"),
    ("mac_splits_on_any_separator", &["mac::rejects_mixed_separators"], "splitting on any"),
    ("mac_from_str_radix", &["mac::rejects_characters_that_are_not_hex_digits"], "from_str_radix"),
    ("mac_digits_before_length", &["mac::rejects_groups_of_the_wrong_length"], "before its length"),
    (
        "mac_no_group_length_check",
        &["mac::rejects_groups_of_the_wrong_length"],
        "each group's length",
    ),
    (
        "mac_short_groups_accepted",
        &["mac::rejects_groups_of_the_wrong_length"],
        "a panic on \"0:1a:2b:3c:4d:5e\"",
    ),
    ("mac_counts_separators", &["mac::rejects_too_few_or_too_many_groups"], "the number of groups"),
    ("mac_display_upper_case", &["mac::displays_lower_case_with_colons"], "upper-case digits"),
    ("mac_display_unpadded", &["mac::displays_lower_case_with_colons"], "pad each to two"),
    ("mac_tests_the_high_bit", &["mac::tells_group_from_individual_addresses"], "not the high bit"),
    (
        "mac_swaps_the_flag_bits",
        &[
            "mac::tells_group_from_individual_addresses",
            "mac::tells_local_from_universal_addresses",
        ],
        "testing the wrong bit",
    ),
    ("mac_broadcast_by_first_byte", &["mac::takes_only_all_ones_for_broadcast"], "all six bytes"),
    ("mac_broadcast_is_multicast", &["mac::takes_only_all_ones_for_broadcast"], "every group"),
    ("mac_oui_last_three", &["mac::gives_the_oui"], "first three bytes"),
    (
        "mac_sets_the_ul_bit",
        &["mac::builds_the_modified_eui64_interface_id", "mac::builds_the_ipv6_link_local_address"],
        "instead of flipped",
    ),
    ("mac_no_flip", &["mac::builds_the_modified_eui64_interface_id"], "not flipped"),
    ("mac_flips_the_ig_bit", &["mac::builds_the_modified_eui64_interface_id"], "wrong bit"),
    ("mac_fffe_at_the_end", &["mac::builds_the_modified_eui64_interface_id"], "belongs between"),
    ("mac_link_local_reversed", &["mac::builds_the_ipv6_link_local_address"], "reversed"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MacAddress(pub [u8; 6]);

impl MacAddress {
    fn model(self) -> model::MacAddress {
        model::MacAddress(self.0)
    }
}

impl FromStr for MacAddress {
    type Err = ParseMacError;

    fn from_str(text: &str) -> Result<MacAddress, ParseMacError> {
        let text = if making("mac_trims") { text.trim() } else { text };
        if making("mac_lower_case_only") {
            if let Some(upper) = text.chars().find(char::is_ascii_uppercase) {
                return Err(ParseMacError::InvalidDigit(upper));
            }
        }
        if making("mac_reads_bare_hex") && text.len() == 12 {
            let mut bytes = [0; 6];
            for (byte, pair) in bytes.iter_mut().zip(text.as_bytes().chunks(2)) {
                let pair = std::str::from_utf8(pair).unwrap_or("zz");
                *byte = u8::from_str_radix(pair, 16)
                    .map_err(|_| ParseMacError::InvalidDigit(pair.chars().next().unwrap_or('?')))?;
            }
            return Ok(MacAddress(bytes));
        }
        if making("mac_counts_bytes") && text.contains(':') {
            // Group lengths measured with `str::len`, in bytes, before the digits.
            if let Some(group) = text.split(':').find(|group| group.len() != 2) {
                let group = group.to_string();
                return Err(ParseMacError::WrongGroupLength { separator: ':', group });
            }
        }
        if making("mac_splits_on_any_separator") {
            return split_on_any_separator(text);
        }
        if making("mac_from_str_radix") {
            // The structure checked as the model does, with `+` taken for a digit, then
            // each byte read with `from_str_radix`, which takes a leading `+`.
            model::MacAddress::from_str(&text.replace('+', "0"))?;
            return bytes_from_str_radix(text);
        }
        match model::MacAddress::from_str(text) {
            Ok(mac) => Ok(MacAddress(mac.0)),
            Err(ParseMacError::WrongGroupLength { separator, group })
                if making("mac_short_groups_accepted") =>
            {
                // Only groups too long are refused (`>` for `!=`); the digits of the rest
                // are paired up two by two, whatever group they came from.
                let digits = if separator == '.' { 4 } else { 2 };
                if group.chars().count() > digits {
                    return Err(ParseMacError::WrongGroupLength { separator, group });
                }
                let hex: Vec<u8> = text
                    .chars()
                    .filter(|&c| c != separator)
                    .map(|c| c.to_digit(16).map_or(0, |d| d as u8))
                    .collect();
                let mut bytes = [0; 6];
                for (byte, pair) in bytes.iter_mut().zip(hex.chunks(2)) {
                    *byte = pair[0] << 4 | pair[1];
                }
                Ok(MacAddress(bytes))
            }
            // The digits judged before the length: an empty group fails to parse first.
            Err(ParseMacError::WrongGroupLength { group, .. })
                if making("mac_digits_before_length") && group.is_empty() =>
            {
                Err(ParseMacError::InvalidDigit('?'))
            }
            Err(ParseMacError::WrongGroupLength { separator, .. })
                if making("mac_no_group_length_check") =>
            {
                // Each group read as a number, whatever its length.
                let mut bytes = [0; 6];
                for (byte, group) in bytes.iter_mut().zip(text.split(separator)) {
                    *byte = u8::from_str_radix(group, 16).map_err(|_| {
                        ParseMacError::InvalidDigit(group.chars().next().unwrap_or('?'))
                    })?;
                }
                Ok(MacAddress(bytes))
            }
            Err(ParseMacError::WrongGroupCount { separator, found })
                if making("mac_counts_separators") =>
            {
                Err(ParseMacError::WrongGroupCount { separator, found: found - 1 })
            }
            Err(err) => Err(err),
        }
    }
}

/// Splits on every `:`, `-` and `.`, as if they were one separator.
fn split_on_any_separator(text: &str) -> Result<MacAddress, ParseMacError> {
    let groups: Vec<&str> = text.split([':', '-', '.']).collect();
    let canonical = match groups.len() {
        3 => groups.join("."),
        _ => groups.join(":"),
    };
    model::MacAddress::from_str(&canonical).map(|mac| MacAddress(mac.0))
}

/// Reads the twelve digits two at a time with `u8::from_str_radix`.
fn bytes_from_str_radix(text: &str) -> Result<MacAddress, ParseMacError> {
    let digits: String = text.chars().filter(|c| !matches!(c, ':' | '-' | '.')).collect();
    let mut bytes = [0; 6];
    for (i, byte) in bytes.iter_mut().enumerate() {
        let pair = digits.get(2 * i..2 * i + 2).unwrap_or("");
        *byte = u8::from_str_radix(pair, 16)
            .map_err(|_| ParseMacError::InvalidDigit(pair.chars().next().unwrap_or('?')))?;
    }
    Ok(MacAddress(bytes))
}

impl fmt::Display for MacAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d, e, g] = self.0;
        if making("mac_display_upper_case") {
            return write!(f, "{a:02X}:{b:02X}:{c:02X}:{d:02X}:{e:02X}:{g:02X}");
        }
        if making("mac_display_unpadded") {
            return write!(f, "{a:x}:{b:x}:{c:x}:{d:x}:{e:x}:{g:x}");
        }
        self.model().fmt(f)
    }
}

impl MacAddress {
    pub fn is_multicast(&self) -> bool {
        if making("mac_tests_the_high_bit") {
            return self.0[0] & 0x80 != 0;
        }
        if making("mac_swaps_the_flag_bits") {
            return self.0[0] & LOCAL_BIT != 0;
        }
        self.model().is_multicast()
    }

    pub fn is_local(&self) -> bool {
        if making("mac_swaps_the_flag_bits") {
            return self.0[0] & GROUP_BIT != 0;
        }
        self.model().is_local()
    }

    pub fn is_broadcast(&self) -> bool {
        if making("mac_broadcast_by_first_byte") {
            return self.0[0] == 0xff;
        }
        if making("mac_broadcast_is_multicast") {
            return self.model().is_multicast();
        }
        self.model().is_broadcast()
    }

    pub fn oui(&self) -> [u8; 3] {
        if making("mac_oui_last_three") {
            let [.., d, e, g] = self.0;
            return [d, e, g];
        }
        self.model().oui()
    }

    pub fn interface_id(&self) -> [u8; 8] {
        let [a, b, c, d, e, g] = self.0;
        if making("mac_sets_the_ul_bit") {
            return [a | LOCAL_BIT, b, c, 0xff, 0xfe, d, e, g];
        }
        if making("mac_no_flip") {
            return [a, b, c, 0xff, 0xfe, d, e, g];
        }
        if making("mac_flips_the_ig_bit") {
            return [a ^ GROUP_BIT, b, c, 0xff, 0xfe, d, e, g];
        }
        if making("mac_fffe_at_the_end") {
            return [a ^ LOCAL_BIT, b, c, d, e, g, 0xff, 0xfe];
        }
        self.model().interface_id()
    }

    pub fn link_local(&self) -> Ipv6Addr {
        let id = self.interface_id();
        if making("mac_link_local_reversed") {
            let id = u64::from_le_bytes(id);
            return Ipv6Addr::from(0xfe80_u128 << 112 | u128::from(id));
        }
        let mut octets = [0; 16];
        octets[..2].copy_from_slice(&[0xfe, 0x80]);
        octets[8..].copy_from_slice(&id);
        Ipv6Addr::from(octets)
    }
}
