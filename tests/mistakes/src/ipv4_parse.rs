//! Mistakes in the dotted-quad parser.

use std::net::Ipv4Addr;

use crate::{Mistake, making};
use solutions::ipv4_parse as model;
pub use solutions::ipv4_parse::Ipv4ParseError;

/// Each mistake made here, the checks that must catch it, and words their message must contain.
pub const MISTAKES: &[Mistake] = &[
    (
        "ipparse_allows_leading_zero",
        &["ipv4_parse::reports_the_first_problem_from_the_left"],
        "not applied even in a text of four parts",
    ),
    (
        "ipparse_counts_parts_first",
        &["ipv4_parse::reports_the_first_problem_from_the_left"],
        "counting the parts before reading them",
    ),
    (
        "ipparse_fills_missing_parts_with_zero",
        &["ipv4_parse::rejects_too_few_parts"],
        "TooFewParts",
    ),
    (
        "ipparse_caps_at_three_characters",
        &["ipv4_parse::rejects_a_non_digit", "ipv4_parse::rejects_a_leading_zero"],
        "by its length",
    ),
    (
        "ipparse_uses_u8_parse",
        &[
            "ipv4_parse::rejects_a_non_digit",
            "ipv4_parse::agrees_with_std_on_a_table_of_inputs",
            "ipv4_parse::agrees_with_std_on_a_random_sample",
        ],
        "accepts a leading `+`",
    ),
    (
        "ipparse_allows_leading_zero",
        &[
            "ipv4_parse::rejects_a_leading_zero",
            "ipv4_parse::agrees_with_std_on_a_table_of_inputs",
            "ipv4_parse::agrees_with_std_on_every_short_string",
        ],
        "leading zero",
    ),
    (
        "ipparse_lone_zero_is_a_leading_zero",
        &["ipv4_parse::parses_a_dotted_quad", "ipv4_parse::agrees_with_std_on_every_short_string"],
        "lone `0`",
    ),
    ("ipparse_overflows_on_a_long_part", &["ipv4_parse::rejects_a_part_over_255"], "overflow"),
    ("ipparse_wraps_a_long_part", &["ipv4_parse::rejects_a_part_over_255"], "over 255"),
    (
        "ipparse_ignores_extra_parts",
        &[
            "ipv4_parse::rejects_too_many_parts",
            "ipv4_parse::agrees_with_std_on_a_table_of_inputs",
            "ipv4_parse::agrees_with_std_on_every_short_string",
        ],
        "fourth part",
    ),
    (
        "ipparse_empty_part_is_zero",
        &["ipv4_parse::rejects_an_empty_part", "ipv4_parse::agrees_with_std_on_every_short_string"],
        "empty part",
    ),
    (
        "ipparse_leading_zero_first",
        &["ipv4_parse::rejects_a_non_digit"],
        "testing for a leading zero before",
    ),
    (
        "ipparse_trims_spaces",
        &[
            "ipv4_parse::rejects_a_non_digit",
            "ipv4_parse::agrees_with_std_on_a_table_of_inputs",
            "ipv4_parse::agrees_with_std_on_a_random_sample",
        ],
        "trimming",
    ),
];

pub fn ipv4_parse(text: &str) -> Result<Ipv4Addr, Ipv4ParseError> {
    if !MISTAKES.iter().any(|(name, ..)| making(name)) {
        return model::ipv4_parse(text);
    }
    let text = if making("ipparse_trims_spaces") { text.trim() } else { text };
    if making("ipparse_counts_parts_first") {
        match text.split('.').count() {
            0..=3 => return Err(Ipv4ParseError::TooFewParts),
            5.. => return Err(Ipv4ParseError::TooManyParts),
            _ => {}
        }
    }
    let mut parts = text.split('.');
    let mut bytes = [0u8; 4];
    for byte in &mut bytes {
        let part = match parts.next() {
            Some(part) => part,
            None if making("ipparse_fills_missing_parts_with_zero") => "0",
            None => return Err(Ipv4ParseError::TooFewParts),
        };
        *byte = parse_part(part)?;
    }
    if parts.next().is_some() && !making("ipparse_ignores_extra_parts") {
        return Err(Ipv4ParseError::TooManyParts);
    }
    Ok(Ipv4Addr::from(bytes))
}

/// With a mistake made, a part is tested for a leading zero before its digits
/// (`ipparse_leading_zero_first` is that order alone).
fn parse_part(part: &str) -> Result<u8, Ipv4ParseError> {
    if making("ipparse_caps_at_three_characters") && part.len() > 3 {
        return Err(Ipv4ParseError::OutOfRange);
    }
    if part.is_empty() {
        return if making("ipparse_empty_part_is_zero") {
            Ok(0)
        } else {
            Err(Ipv4ParseError::EmptyPart)
        };
    }
    let leading_zero = if making("ipparse_lone_zero_is_a_leading_zero") {
        part.starts_with('0')
    } else {
        part.len() > 1 && part.starts_with('0')
    };
    if leading_zero && !making("ipparse_allows_leading_zero") {
        return Err(Ipv4ParseError::LeadingZero);
    }
    if making("ipparse_uses_u8_parse") {
        return part.parse::<u8>().map_err(|err| match err.kind() {
            std::num::IntErrorKind::PosOverflow => Ipv4ParseError::OutOfRange,
            _ => Ipv4ParseError::NotADigit,
        });
    }
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Ipv4ParseError::NotADigit);
    }
    // Adds up every digit first and compares with 255 only at the end.
    let mut value: u32 = 0;
    for digit in part.bytes().map(|b| u32::from(b - b'0')) {
        value = if making("ipparse_overflows_on_a_long_part") {
            value * 10 + digit
        } else if making("ipparse_wraps_a_long_part") {
            value.wrapping_mul(10).wrapping_add(digit)
        } else {
            value.saturating_mul(10).saturating_add(digit)
        };
    }
    u8::try_from(value).map_err(|_| Ipv4ParseError::OutOfRange)
}
