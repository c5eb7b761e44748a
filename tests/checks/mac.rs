//! Checks of the MAC address type (`exercises/src/mac.rs`).

use std::net::Ipv6Addr;

use grader::{Check, Failure, Session, WAIT};
use subject::mac::{MacAddress, ParseMacError};

pub const CHECKS: &[Check] = grader::checks!("mac": parses_all_three_notations_in_any_case, displays_lower_case_with_colons, rejects_text_without_separators, rejects_mixed_separators, rejects_too_few_or_too_many_groups, rejects_groups_of_the_wrong_length, rejects_characters_that_are_not_hex_digits, tells_group_from_individual_addresses, tells_local_from_universal_addresses, takes_only_all_ones_for_broadcast, gives_the_oui, builds_the_modified_eui64_interface_id, builds_the_ipv6_link_local_address);

/// The chapter's example address, `00:1a:2b:3c:4d:5e`.
const EXAMPLE: [u8; 6] = [0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e];

/// Parses `text` with the code under test.
fn parse(session: &Session, text: &'static str) -> Result<Result<[u8; 6], ParseMacError>, Failure> {
    let got = session.call("mac::MacAddress::from_str", WAIT, move || {
        text.parse::<MacAddress>().map(|mac| mac.0)
    })?;
    let shown = match &got {
        Ok(bytes) => format!("Ok({})", hex(bytes)),
        Err(err) => format!("Err({err:?})"),
    };
    session.note(format!("{text:?}.parse::<MacAddress>() = {shown}"));
    Ok(got)
}

/// Bytes as the check shows them, whatever the Display under test does.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":")
}

fn parses_all_three_notations_in_any_case(session: &Session) -> Result<(), Failure> {
    let cases: [(&str, [u8; 6]); 12] = [
        ("00:1a:2b:3c:4d:5e", EXAMPLE),
        ("00:1A:2B:3C:4D:5E", EXAMPLE),
        ("00-1A-2B-3C-4D-5E", EXAMPLE),
        ("00-1a-2b-3c-4d-5e", EXAMPLE),
        ("001a.2b3c.4d5e", EXAMPLE),
        ("001A.2B3C.4D5E", EXAMPLE),
        ("00:1a:2B:3c:4D:5e", EXAMPLE),
        ("ff:ff:ff:ff:ff:ff", [0xff; 6]),
        ("FF-FF-FF-FF-FF-FF", [0xff; 6]),
        ("ffff.ffff.ffff", [0xff; 6]),
        ("00:00:00:00:00:00", [0; 6]),
        ("a0:b1:c2:d3:e4:f5", [0xa0, 0xb1, 0xc2, 0xd3, 0xe4, 0xf5]),
    ];
    for (text, want) in cases {
        match parse(session, text)? {
            Ok(got) if got == want => {}
            Ok(got) => {
                return Err(session.wrong(
                    format!("{text:?} to be the bytes {}", hex(&want)),
                    format!(
                        "it gave {}: each byte is two hex digits, the first one the high four bits \
                         (value × 16), read left to right",
                        hex(&got)
                    ),
                ));
            }
            Err(err) => {
                let mistake = if text.chars().any(|c| c.is_ascii_uppercase()) {
                    format!(
                        "it gave {err:?}: upper-case hex digits are digits too (case does not matter)"
                    )
                } else {
                    format!("it gave {err:?}: the colon, hyphen and dotted notations are all valid")
                };
                return Err(session.wrong(format!("{text:?} to parse"), mistake));
            }
        }
    }
    Ok(())
}

fn displays_lower_case_with_colons(session: &Session) -> Result<(), Failure> {
    let cases: [([u8; 6], &str); 4] = [
        (EXAMPLE, "00:1a:2b:3c:4d:5e"),
        ([0; 6], "00:00:00:00:00:00"),
        ([0xff; 6], "ff:ff:ff:ff:ff:ff"),
        ([0x0a, 0xb0, 0x01, 0x10, 0xef, 0x05], "0a:b0:01:10:ef:05"),
    ];
    for (bytes, want) in cases {
        let got =
            session.call("mac::MacAddress::fmt", WAIT, move || MacAddress(bytes).to_string())?;
        session.note(format!("MacAddress([{}]).to_string() = {got:?}", hex(&bytes)));
        if got != want {
            let mistake = if got.eq_ignore_ascii_case(want) {
                "upper-case digits: the canonical form is lower case (`{:02x}`, not `{:02X}`)"
            } else if got.split(':').count() == 6 && got.len() < want.len() {
                "bytes below 0x10 printed as one digit: pad each to two with `{:02x}`"
            } else {
                "another notation or order: six bytes, two lower-case hex digits each, joined by `:`"
            };
            return Err(session.wrong(format!("{want:?}"), mistake));
        }
    }
    // What goes in in any notation comes out in the canonical one.
    let got = session.call("mac::MacAddress::fmt", WAIT, move || {
        "001A.2B3C.4D5E".parse::<MacAddress>().map(|mac| mac.to_string())
    })?;
    session.note(format!("\"001A.2B3C.4D5E\".parse::<MacAddress>() then to_string() = {got:?}"));
    if got != Ok("00:1a:2b:3c:4d:5e".to_string()) {
        return Err(session.wrong(
            "\"00:1a:2b:3c:4d:5e\" from \"001A.2B3C.4D5E\"",
            match got {
                // Not a fault of the printing: the parsing refused a good address.
                Err(_) => {
                    "the parsing refused a good address, written with dots and upper-case \
                           digits: the checks of parsing say why"
                }
                Ok(_) => "the parsed bytes printed in another form: always print the canonical one",
            },
        ));
    }
    Ok(())
}

/// Expects each text to be rejected with the error `want` gives for it.
fn expect_errors(
    session: &Session,
    cases: &[(&'static str, ParseMacError)],
    mistake: &str,
) -> Result<(), Failure> {
    for (text, want) in cases {
        // A panic on one of these texts is most often the very check this text is about,
        // missing: a digit read that is not there, or a byte slice through a character.
        let got = parse(session, text).map_err(|failure| match failure {
            Failure::Wrong { expected, .. } if expected.contains("panic") => session.wrong(
                expected,
                format!("a panic on {text:?}, which should be Err({want:?}): {mistake}"),
            ),
            other => other,
        })?;
        if got.as_ref().err() != Some(want) {
            let expected = format!("Err({want:?}) for {text:?}");
            if let Err(ParseMacError::WrongGroupLength { group, .. }) = &got
                && group.chars().count() == 2
            {
                return Err(session.wrong(
                    expected,
                    format!(
                        "measuring a group with `str::len`, which counts bytes: {group:?} is two \
                         characters but {} bytes; count `chars()`, or test the digits first",
                        group.len()
                    ),
                ));
            }
            // A digit error for a group of the wrong length: the digits were judged first.
            if let (Err(ParseMacError::InvalidDigit(c)), ParseMacError::WrongGroupLength { .. }) =
                (&got, want)
            {
                return Err(session.wrong(
                    expected,
                    format!(
                        "it gave InvalidDigit({c:?}): the group's digits judged before its length \
                         (`from_str_radix` fails on an empty group, and takes a `+` too); check \
                         each group's length first, then its characters"
                    ),
                ));
            }
            let what = match got {
                Ok(_) => "it was accepted".to_string(),
                Err(err) => format!("it gave {err:?}"),
            };
            return Err(session.wrong(expected, format!("{what}: {mistake}")));
        }
    }
    Ok(())
}

fn rejects_text_without_separators(session: &Session) -> Result<(), Failure> {
    expect_errors(
        session,
        &[
            ("", ParseMacError::NoSeparator),
            ("001a2b3c4d5e", ParseMacError::NoSeparator),
            ("00 1a 2b 3c 4d 5e", ParseMacError::NoSeparator),
        ],
        "text without `:`, `-` or `.` is in none of the three notations (this includes the \
         empty string): look for the separator first",
    )
}

fn rejects_mixed_separators(session: &Session) -> Result<(), Failure> {
    expect_errors(
        session,
        &[
            ("00:1a-2b:3c-4d:5e", ParseMacError::MixedSeparators),
            ("00-1a-2b-3c-4d:5e", ParseMacError::MixedSeparators),
            ("001a.2b3c:4d5e", ParseMacError::MixedSeparators),
            ("00:1a:2b:3c:4d.5e", ParseMacError::MixedSeparators),
        ],
        "splitting on any separator accepts a mix; each notation uses one kind only: find which \
         separators occur, and refuse more than one kind",
    )
}

fn rejects_too_few_or_too_many_groups(session: &Session) -> Result<(), Failure> {
    let count = |separator, found| ParseMacError::WrongGroupCount { separator, found };
    expect_errors(
        session,
        &[
            ("00:1a:2b:3c:4d", count(':', 5)),
            ("00:1a:2b:3c:4d:5e:6f", count(':', 7)),
            ("00-1a-2b-3c-4d", count('-', 5)),
            ("00-1a-2b-3c-4d-5e-6f-70", count('-', 8)),
            ("001a.2b3c", count('.', 2)),
            ("001a.2b3c.4d5e.6f70", count('.', 4)),
            ("00:1a", count(':', 2)),
        ],
        "not counting the groups: six with `:` or `-`, three with `.`; `found` is the number of \
         groups in the text",
    )
}

fn rejects_groups_of_the_wrong_length(session: &Session) -> Result<(), Failure> {
    let length = |separator, group: &str| ParseMacError::WrongGroupLength {
        separator,
        group: group.to_string(),
    };
    expect_errors(
        session,
        &[
            ("0:1a:2b:3c:4d:5e", length(':', "0")),
            ("00:1a:2b:3c:4d:5", length(':', "5")),
            ("00:1a:2b:3c:4d:", length(':', "")),
            ("00:1a:2b:3c:4d:5e0", length(':', "5e0")),
            ("000-1a-2b-3c-4d-5e", length('-', "000")),
            ("01a.2b3c.4d5e", length('.', "01a")),
            ("001a.2b3c.4d5e5", length('.', "4d5e5")),
            ("00.1a2b.3c4d5e", length('.', "00")),
        ],
        "not checking each group's length: two digits with `:` or `-`, four with `.`; `group` \
         is the group as written",
    )
}

fn rejects_characters_that_are_not_hex_digits(session: &Session) -> Result<(), Failure> {
    expect_errors(
        session,
        &[
            ("00:1a:2b:3c:4d:5g", ParseMacError::InvalidDigit('g')),
            ("+0:1a:2b:3c:4d:5e", ParseMacError::InvalidDigit('+')),
            ("00:+a:2b:3c:4d:5e", ParseMacError::InvalidDigit('+')),
            ("00-1A-2B-3C-4D-5Z", ParseMacError::InvalidDigit('Z')),
            ("001a.2b3c.4d5x", ParseMacError::InvalidDigit('x')),
            ("00:1a:2b:3c:4d: e", ParseMacError::InvalidDigit(' ')),
            // Two characters, three bytes: a group's length counts characters.
            ("00:1a:2b:3c:4d:5é", ParseMacError::InvalidDigit('é')),
            // Four characters, five bytes: slicing it at byte 2 or 4 would split the `é`.
            ("001é.2b3c.4d5e", ParseMacError::InvalidDigit('é')),
            ("é01a.2b3c.4d5e", ParseMacError::InvalidDigit('é')),
        ],
        "only 0-9, a-f and A-F are hex digits, and the error names the first other character: \
         `u8::from_str_radix` also takes a leading `+`, so test each character with \
         `char::to_digit(16)`",
    )?;
    // The format is exact: what is around the address is part of the text.
    expect_errors(
        session,
        &[
            ("00:1a:2b:3c:4d:5e\n", ParseMacError::InvalidDigit('\n')),
            (" 00:1a:2b:3c:4d:5e", ParseMacError::InvalidDigit(' ')),
            ("001a.2b3c.4d5e\r\n", ParseMacError::InvalidDigit('\r')),
        ],
        "trimming the text, or skipping spaces and line ends: the format is exact, and they are \
         characters that are not hex digits",
    )
}

/// The edge-case addresses and their three flags, in the order [`GROUP`], [`LOCAL`],
/// [`BROADCAST`].
const FLAGS: [([u8; 6], [bool; 3]); 10] = [
    (EXAMPLE, [false, false, false]),
    ([0xff; 6], [true, true, true]),
    ([0; 6], [false, false, false]),
    ([0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb], [true, false, false]),
    ([0x33, 0x33, 0x00, 0x00, 0x00, 0x01], [true, true, false]),
    ([0x02, 0x00, 0x00, 0x00, 0x00, 0x01], [false, true, false]),
    ([0xb6, 0x3e, 0x91, 0x07, 0xc2, 0x5d], [false, true, false]),
    ([0x80, 0x00, 0x00, 0x00, 0x00, 0x01], [false, false, false]),
    ([0x00, 0x00, 0x00, 0x00, 0x00, 0x01], [false, false, false]),
    ([0xff, 0xff, 0xff, 0xff, 0xff, 0xfe], [true, true, false]),
];
const GROUP: usize = 0;
const LOCAL: usize = 1;
const BROADCAST: usize = 2;

/// Asks one flag of every address in [`FLAGS`] and compares it with column `column`.
fn expect_flag(
    session: &Session,
    name: &str,
    flag: fn(&MacAddress) -> bool,
    column: usize,
    mistake: &str,
) -> Result<(), Failure> {
    for (bytes, flags) in FLAGS {
        let want = flags[column];
        let got = session
            .call(&format!("mac::MacAddress::{name}"), WAIT, move || flag(&MacAddress(bytes)))?;
        session.note(format!("{}.{name}() = {got}", hex(&bytes)));
        if got != want {
            return Err(session.wrong(
                format!(
                    "{}.{name}() to be {want} (its first byte is {:08b})",
                    hex(&bytes),
                    bytes[0]
                ),
                mistake,
            ));
        }
    }
    Ok(())
}

fn tells_group_from_individual_addresses(session: &Session) -> Result<(), Failure> {
    expect_flag(
        session,
        "is_multicast",
        MacAddress::is_multicast,
        GROUP,
        "testing the wrong bit or byte: the I/G bit is the lowest bit (0x01) of the first byte; \
         it is sent first, but it is not the high bit",
    )
}

fn tells_local_from_universal_addresses(session: &Session) -> Result<(), Failure> {
    expect_flag(
        session,
        "is_local",
        MacAddress::is_local,
        LOCAL,
        "testing the wrong bit or byte: the U/L bit is the second-lowest bit (0x02) of the first \
         byte",
    )
}

fn takes_only_all_ones_for_broadcast(session: &Session) -> Result<(), Failure> {
    expect_flag(
        session,
        "is_broadcast",
        MacAddress::is_broadcast,
        BROADCAST,
        "broadcast is exactly ff:ff:ff:ff:ff:ff: all six bytes, not only the first, and not \
         every group address",
    )
}

fn gives_the_oui(session: &Session) -> Result<(), Failure> {
    let cases: [([u8; 6], [u8; 3]); 3] = [
        (EXAMPLE, [0x00, 0x1a, 0x2b]),
        ([0x00, 0x00, 0x5e, 0x00, 0x53, 0x01], [0x00, 0x00, 0x5e]),
        ([0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb], [0x01, 0x00, 0x5e]),
    ];
    for (bytes, want) in cases {
        let got = session.call("mac::MacAddress::oui", WAIT, move || MacAddress(bytes).oui())?;
        session.note(format!("{}.oui() = {}", hex(&bytes), hex(&got)));
        if got != want {
            return Err(session.wrong(
                format!("{}.oui() to be {}", hex(&bytes), hex(&want)),
                "the OUI is the first three bytes, as written; the vendor's own part is the last three",
            ));
        }
    }
    Ok(())
}

/// The edge cases and their modified EUI-64 link-local addresses. The first two are the
/// chapter's worked example and its check-yourself answer.
const LINK_LOCAL: [([u8; 6], &str); 8] = [
    (EXAMPLE, "fe80::21a:2bff:fe3c:4d5e"),
    ([0x00, 0x00, 0x5e, 0x00, 0x53, 0x01], "fe80::200:5eff:fe00:5301"),
    ([0x02, 0x00, 0x00, 0x00, 0x00, 0x01], "fe80::ff:fe00:1"),
    ([0xff; 6], "fe80::fdff:ffff:feff:ffff"),
    ([0; 6], "fe80::200:ff:fe00:0"),
    ([0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb], "fe80::300:5eff:fe00:fb"),
    ([0x33, 0x33, 0x00, 0x00, 0x00, 0x01], "fe80::3133:ff:fe00:1"),
    ([0xb6, 0x3e, 0x91, 0x07, 0xc2, 0x5d], "fe80::b43e:91ff:fe07:c25d"),
];

/// What most likely turned `bytes` into `got` instead of `want`.
fn eui64_mistake(bytes: [u8; 6], got: &[u8], want: &[u8]) -> &'static str {
    if got.len() == want.len() && got[1..] == want[1..] {
        // Setting and flipping agree on universal addresses: only a local one, whose U/L
        // bit is already 1, tells them apart.
        if got[0] == bytes[0] | 0x02 {
            "the U/L bit is set (`|`) instead of flipped (`^`): a local address, whose bit is \
             already 1, must get 0"
        } else if got[0] == bytes[0] {
            "the U/L bit is not flipped: XOR the first byte with 0x02"
        } else {
            "the wrong bit is flipped: the U/L bit is 0x02, the I/G bit 0x01 stays as it is"
        }
    } else if got.get(3..5) != Some(&[0xff, 0xfe][..]) {
        "`ff:fe` belongs between the third and fourth bytes of the MAC address"
    } else {
        "another layout: the first three bytes (the first with its U/L bit flipped), `ff:fe`, \
         then the last three"
    }
}

fn builds_the_modified_eui64_interface_id(session: &Session) -> Result<(), Failure> {
    for (bytes, address) in LINK_LOCAL {
        let want: Ipv6Addr = address.parse().expect("the check's addresses parse");
        let want = want.octets()[8..].to_vec();
        let got = session.call("mac::MacAddress::interface_id", WAIT, move || {
            MacAddress(bytes).interface_id()
        })?;
        session.note(format!("{}.interface_id() = {}", hex(&bytes), hex(&got)));
        if got[..] != want[..] {
            return Err(session.wrong(
                format!("{}.interface_id() to be {}", hex(&bytes), hex(&want)),
                eui64_mistake(bytes, &got, &want),
            ));
        }
    }
    Ok(())
}

fn builds_the_ipv6_link_local_address(session: &Session) -> Result<(), Failure> {
    for (bytes, address) in LINK_LOCAL {
        let want: Ipv6Addr = address.parse().expect("the check's addresses parse");
        let got = session
            .call("mac::MacAddress::link_local", WAIT, move || MacAddress(bytes).link_local())?;
        session.note(format!("{}.link_local() = {got}", hex(&bytes)));
        if got != want {
            let expected = format!("{}.link_local() to be {want}", hex(&bytes));
            let (got, want) = (got.octets(), want.octets());
            let mistake = if got[8..] == want[8..] {
                "a wrong prefix: the first 64 bits are fe80:0:0:0, the link-local prefix fe80::/64"
            } else if got[..8] == want[..8] {
                let mut reversed = want[8..].to_vec();
                reversed.reverse();
                if got[8..] == reversed[..] {
                    "the identifier's bytes reversed: keep them in order (`to_be_bytes`, not \
                     `to_le_bytes`, if you go through a number)"
                } else {
                    eui64_mistake(bytes, &got[8..], &want[8..])
                }
            } else {
                "the last 64 bits are the interface identifier, after the prefix fe80::/64"
            };
            return Err(session.wrong(expected, mistake));
        }
    }
    Ok(())
}
