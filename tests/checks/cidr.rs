//! Checks of the CIDR block (`exercises/src/cidr.rs`).
//!
//! Every prefix length from /0 to /32 is tried; /0 and /32 are where a shift by 32 bits
//! goes wrong, and /31 and /32 are where the host count needs thought (RFC 3021).

use std::net::Ipv4Addr;

use grader::{Check, Failure, Session, WAIT};
use subject::cidr::{Cidr, CidrError};

pub const CHECKS: &[Check] = grader::checks!("cidr": parses_the_chapters_example, handles_prefix_0, handles_prefix_8, handles_prefix_24, handles_prefix_31, handles_prefix_32, handles_every_prefix_length, rejects_a_prefix_over_32, rejects_malformed_text);

/// Calls `f` on the code under test, naming it `what`, and words a panic in terms of the
/// overflow that most often causes it here.
fn call<T: Send + 'static>(
    session: &Session,
    what: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Failure> {
    session.call(what, WAIT, f).map_err(|failure| {
        let last = session.log.events().last().cloned().unwrap_or_default();
        match failure {
            Failure::Wrong { expected, .. } if last.contains("shift") => session.wrong(
                expected,
                "shifting a u32 by 32 bits, which overflows: it happens at /0 (`u32::MAX << (32 - 0)`) \
                 or /32 (`u32::MAX >> 32`); use `checked_shl` / `checked_shr`, or treat that prefix \
                 on its own",
            ),
            Failure::Wrong { expected, .. } if last.contains("overflow") => session.wrong(
                expected,
                "arithmetic overflow: 2^32, the number of addresses in a /0, does not fit in a \
                 u32, and a /32 minus 2 hosts goes below 0; see what `host_count` must give for \
                 /0, /31 and /32",
            ),
            other => other,
        }
    })
}

/// Parses `text` with the learner's `Cidr::from_str`, expecting success.
fn parse_block(session: &Session, text: &'static str) -> Result<Cidr, Failure> {
    let got = call(session, "cidr::Cidr::from_str", move || text.parse::<Cidr>())?;
    session.note(format!("{text:?}.parse::<Cidr>() = {got:?}"));
    got.map_err(|err| {
        session.wrong(
            format!("{text:?} to parse as a block"),
            format!("it returned Err({err:?}): the address is valid and the prefix is 0 to 32"),
        )
    })
}

/// What a block must give, written with the numbers worked out by hand.
struct Want {
    text: &'static str,
    network: [u8; 4],
    mask: [u8; 4],
    broadcast: [u8; 4],
    hosts: u32,
    inside: &'static [[u8; 4]],
    outside: &'static [[u8; 4]],
}

fn expect_block(session: &Session, want: &Want) -> Result<(), Failure> {
    let text = want.text;
    let (written, prefix) = text.split_once('/').expect("checks write a slash");
    let written: Ipv4Addr = written.parse().expect("checks write valid addresses");
    let prefix: u8 = prefix.parse().expect("checks write valid prefixes");
    let block = parse_block(session, text)?;

    let mask = call(session, "cidr::Cidr::mask", move || block.mask())?;
    session.note(format!("mask() = {mask}"));
    let want_mask = Ipv4Addr::from(want.mask);
    if mask != want_mask {
        let mistake = mask_mistake(prefix, mask);
        return Err(session.wrong(format!("the mask of {text} to be {want_mask}"), mistake));
    }

    let network = call(session, "cidr::Cidr::network", move || block.network())?;
    session.note(format!("network() = {network}"));
    let want_network = Ipv4Addr::from(want.network);
    if network != want_network {
        let mistake = if network == written {
            "keeping the host bits of the address as written: clear them when you build the \
             block (address AND mask), since the block is the network the address is on"
        } else {
            "a network address computed with the wrong mask: it is the address AND the mask"
        };
        return Err(session.wrong(format!("the network of {text} to be {want_network}"), mistake));
    }

    let prefix_got = call(session, "cidr::Cidr::prefix", move || block.prefix())?;
    if prefix_got != prefix {
        return Err(session.wrong(
            format!("prefix() of {text} to be {prefix}"),
            "storing a prefix length other than the one written",
        ));
    }

    let broadcast = call(session, "cidr::Cidr::broadcast", move || block.broadcast())?;
    session.note(format!("broadcast() = {broadcast}"));
    let want_broadcast = Ipv4Addr::from(want.broadcast);
    if broadcast != want_broadcast {
        return Err(session.wrong(
            format!("the broadcast (last) address of {text} to be {want_broadcast}"),
            "a broadcast address other than the network with every host bit set: network OR \
             (NOT mask)",
        ));
    }

    let hosts = call(session, "cidr::Cidr::host_count", move || block.host_count())?;
    session.note(format!("host_count() = {hosts}"));
    if hosts != want.hosts {
        let mistake = match prefix {
            31 => "subtracting the network and broadcast addresses from a /31: RFC 3021 lets \
                   both of its two addresses be hosts on a point-to-point link, so it has 2"
                .to_string(),
            32 => "a /32 is exactly one address, one host: its count is 1".to_string(),
            0 => "2^32 − 2 = 4294967294 hosts in a /0: computing 2^32 in a u32 overflows, but \
                  2^32 − 1 is `!mask`, every host bit set"
                .to_string(),
            _ => format!(
                "a /{prefix} has 2^{} addresses, of which the network and broadcast addresses \
                 are no hosts: 2^{} − 2",
                32 - prefix,
                32 - prefix
            ),
        };
        return Err(session.wrong(format!("host_count() of {text} to be {}", want.hosts), mistake));
    }

    let cases =
        want.inside.iter().map(|a| (a, true)).chain(want.outside.iter().map(|a| (a, false)));
    for (&addr, inside) in cases {
        let addr = Ipv4Addr::from(addr);
        let got = call(session, "cidr::Cidr::contains", move || block.contains(addr))?;
        session.note(format!("contains({addr}) = {got}"));
        if got != inside {
            let mistake = if inside && addr == want_broadcast {
                "leaving out the last address of the block (`addr < broadcast`): an address is \
                 in the block when its first prefix bits are the network's, `addr & mask == \
                 network`"
            } else if inside && addr == want_network {
                "leaving out the first address of the block: an address is in the block when \
                 `addr & mask == network`"
            } else {
                "comparing the wrong bits: an address is in the block when `addr & mask == \
                 network`"
            };
            let is = if inside { "in" } else { "not in" };
            return Err(session.wrong(format!("{addr} to be {is} {text}"), mistake));
        }
    }
    Ok(())
}

fn parses_the_chapters_example(session: &Session) -> Result<(), Failure> {
    expect_block(
        session,
        &Want {
            text: "192.168.1.77/26",
            network: [192, 168, 1, 64],
            mask: [255, 255, 255, 192],
            broadcast: [192, 168, 1, 127],
            hosts: 62,
            inside: &[[192, 168, 1, 64], [192, 168, 1, 77], [192, 168, 1, 100], [192, 168, 1, 127]],
            outside: &[[192, 168, 1, 63], [192, 168, 1, 128], [192, 168, 2, 77], [0, 0, 0, 0]],
        },
    )?;
    let (a, b) =
        (parse_block(session, "192.168.1.77/26")?, parse_block(session, "192.168.1.64/26")?);
    if a != b {
        return Err(session.wrong(
            "192.168.1.77/26 and 192.168.1.64/26 to be the same block",
            "keeping the host bits of the address as written: clear them when you build the block",
        ));
    }
    Ok(())
}

fn handles_prefix_0(session: &Session) -> Result<(), Failure> {
    for text in ["0.0.0.0/0", "203.0.113.77/0"] {
        expect_block(
            session,
            &Want {
                text,
                network: [0, 0, 0, 0],
                mask: [0, 0, 0, 0],
                broadcast: [255, 255, 255, 255],
                hosts: 4_294_967_294,
                inside: &[[0, 0, 0, 0], [255, 255, 255, 255], [203, 0, 113, 77], [10, 0, 0, 1]],
                outside: &[],
            },
        )?;
    }
    Ok(())
}

fn handles_prefix_8(session: &Session) -> Result<(), Failure> {
    expect_block(
        session,
        &Want {
            text: "10.20.30.40/8",
            network: [10, 0, 0, 0],
            mask: [255, 0, 0, 0],
            broadcast: [10, 255, 255, 255],
            hosts: 16_777_214,
            inside: &[[10, 0, 0, 0], [10, 20, 30, 40], [10, 255, 255, 255]],
            outside: &[[9, 255, 255, 255], [11, 0, 0, 0], [138, 20, 30, 40]],
        },
    )?;
    // A leading zero in the prefix length is still the number 8.
    for text in ["10.20.30.40/08", "10.20.30.40/008"] {
        let got = call(session, "cidr::Cidr::from_str", move || text.parse::<Cidr>())?;
        session.note(format!("{text:?}.parse::<Cidr>() = {got:?}"));
        if got.map(|block| (block.network(), block.prefix())) != Ok((Ipv4Addr::new(10, 0, 0, 0), 8))
        {
            return Err(session.wrong(
                format!("{text:?} to be the block 10.0.0.0/8"),
                "refusing a prefix length written with a leading zero (judging it by its \
                 length in characters, or by its first digit): it is the decimal number 8",
            ));
        }
    }
    Ok(())
}

fn handles_prefix_24(session: &Session) -> Result<(), Failure> {
    expect_block(
        session,
        &Want {
            text: "192.0.2.55/24",
            network: [192, 0, 2, 0],
            mask: [255, 255, 255, 0],
            broadcast: [192, 0, 2, 255],
            hosts: 254,
            inside: &[[192, 0, 2, 0], [192, 0, 2, 1], [192, 0, 2, 255]],
            outside: &[[192, 0, 1, 255], [192, 0, 3, 0], [193, 0, 2, 55]],
        },
    )
}

fn handles_prefix_31(session: &Session) -> Result<(), Failure> {
    expect_block(
        session,
        &Want {
            text: "198.51.100.7/31",
            network: [198, 51, 100, 6],
            mask: [255, 255, 255, 254],
            broadcast: [198, 51, 100, 7],
            hosts: 2,
            inside: &[[198, 51, 100, 6], [198, 51, 100, 7]],
            outside: &[[198, 51, 100, 5], [198, 51, 100, 8]],
        },
    )
}

fn handles_prefix_32(session: &Session) -> Result<(), Failure> {
    expect_block(
        session,
        &Want {
            text: "203.0.113.9/32",
            network: [203, 0, 113, 9],
            mask: [255, 255, 255, 255],
            broadcast: [203, 0, 113, 9],
            hosts: 1,
            inside: &[[203, 0, 113, 9]],
            outside: &[[203, 0, 113, 8], [203, 0, 113, 10], [0, 0, 0, 0]],
        },
    )
}

/// The likely mistake behind a wrong mask for a /`prefix`.
fn mask_mistake(prefix: u8, mask: Ipv4Addr) -> String {
    let host_bits = 32 - u32::from(prefix);
    if prefix == 0 || prefix == 32 {
        "shifting a u32 by 32 bits: in a release build Rust's `<<` and `>>` take the shift \
         modulo 32, so `u32::MAX << 32` is `u32::MAX` and not 0 (in a debug build it panics); \
         use `checked_shl` or `checked_shr`, or treat that prefix on its own"
            .into()
    } else if mask.to_bits() == u32::MAX >> host_bits {
        "the one-bits at the wrong end: the prefix is the leading bits of the address, so the \
         mask's one-bits are the high ones (shift `u32::MAX` left, with `<<`)"
            .into()
    } else {
        format!(
            "a mask with the wrong number of one-bits: a /{prefix} mask is {prefix} one-bits \
             followed by {host_bits} zero-bits"
        )
    }
}

/// Every prefix length, built with `Cidr::new`, against masks computed here.
fn handles_every_prefix_length(session: &Session) -> Result<(), Failure> {
    let all_ones = Ipv4Addr::BROADCAST;
    for prefix in 0..=32u8 {
        let block = call(session, "cidr::Cidr::new", move || Cidr::new(all_ones, prefix))?;
        session.note(format!("Cidr::new({all_ones}, {prefix}) = {block:?}"));
        let block = block.map_err(|err| {
            session.wrong(
                format!("Cidr::new({all_ones}, {prefix}) to succeed"),
                format!("it returned Err({err:?}): every prefix length from 0 to 32 is valid"),
            )
        })?;
        let want_mask =
            Ipv4Addr::from_bits(if prefix == 0 { 0 } else { u32::MAX << (32 - prefix) });
        let mask = call(session, "cidr::Cidr::mask", move || block.mask())?;
        if mask != want_mask {
            session.note(format!("/{prefix}: mask() = {mask}"));
            return Err(session.wrong(
                format!("mask() of a /{prefix} to be {want_mask}"),
                mask_mistake(prefix, mask),
            ));
        }
        // Built from 255.255.255.255, the network address is the mask itself.
        let network = call(session, "cidr::Cidr::network", move || block.network())?;
        if network != want_mask {
            session.note(format!("/{prefix}: network() = {network}"));
            return Err(session.wrong(
                format!("network() of {all_ones}/{prefix} to be {want_mask}"),
                "keeping the host bits of the address: clear them with the mask in `new`",
            ));
        }
        let broadcast = call(session, "cidr::Cidr::broadcast", move || block.broadcast())?;
        if broadcast != all_ones {
            session.note(format!("/{prefix}: broadcast() = {broadcast}"));
            return Err(session.wrong(
                format!("broadcast() of {all_ones}/{prefix} to be {all_ones}"),
                "a broadcast address other than network OR (NOT mask)",
            ));
        }
        let want_hosts = match prefix {
            32 => 1,
            31 => 2,
            _ => u32::try_from((1u64 << (32 - prefix)) - 2).expect("at most 2^32 − 2"),
        };
        let hosts = call(session, "cidr::Cidr::host_count", move || block.host_count())?;
        if hosts != want_hosts {
            session.note(format!("/{prefix}: host_count() = {hosts}"));
            return Err(session.wrong(
                format!("host_count() of a /{prefix} to be {want_hosts}"),
                if prefix == 0 {
                    "computing 2^32 in a u32, which overflows (`1u32 << 32`): 2^32 − 1 is `!mask`"
                } else {
                    "a wrong host count: 2^(32 − n) − 2 for a /0 to /30, 2 for a /31 \
                     (RFC 3021), 1 for a /32"
                },
            ));
        }
        let has_zero =
            call(session, "cidr::Cidr::contains", move || block.contains(Ipv4Addr::UNSPECIFIED))?;
        if has_zero != (prefix == 0) {
            session.note(format!("/{prefix}: contains(0.0.0.0) = {has_zero}"));
            return Err(session.wrong(
                format!("contains(0.0.0.0) of {all_ones}/{prefix} to be {}", prefix == 0),
                "comparing the wrong bits: an address is in the block when `addr & mask == \
                 network`",
            ));
        }
    }
    session.note(
        "every prefix length from /0 to /32 gave the right mask, network, broadcast, \
                  host count and contains(0.0.0.0)",
    );
    Ok(())
}

fn rejects_a_prefix_over_32(session: &Session) -> Result<(), Failure> {
    let addr = Ipv4Addr::new(10, 0, 0, 0);
    for prefix in [33, 64, 255] {
        let got = call(session, "cidr::Cidr::new", move || Cidr::new(addr, prefix))?;
        session.note(format!("Cidr::new({addr}, {prefix}) = {got:?}"));
        if got != Err(CidrError::PrefixTooLong) {
            return Err(session.wrong(
                format!("Cidr::new({addr}, {prefix}) to be Err(PrefixTooLong)"),
                "accepting a prefix longer than the 32 bits an IPv4 address has",
            ));
        }
    }
    for (text, also) in [
        ("10.0.0.0/33", None),
        ("10.0.0.0/64", None),
        ("10.0.0.0/255", None),
        ("10.0.0.0/256", None),
        ("10.0.0.0/99999999999", Some(CidrError::BadPrefix)),
    ] {
        let got = call(session, "cidr::Cidr::from_str", move || text.parse::<Cidr>())?;
        session.note(format!("{text:?}.parse::<Cidr>() = {got:?}"));
        let fine = got == Err(CidrError::PrefixTooLong) || also.is_some_and(|e| got == Err(e));
        if !fine {
            let mistake = if got == Err(CidrError::BadPrefix) {
                "parsing the prefix length as a u8: 256 does not fit in one, but it is still a \
                 number, just one too big for a prefix, so PrefixTooLong"
            } else {
                "accepting a prefix longer than the 32 bits an IPv4 address has"
            };
            return Err(session.wrong(format!("{text:?} to be Err(PrefixTooLong)"), mistake));
        }
    }
    // The boundary itself is valid.
    parse_block(session, "10.0.0.0/32").map_err(|_| {
        session.wrong(
            "\"10.0.0.0/32\" to parse: 32 is a valid prefix length",
            "comparing with `>= 32` instead of `> 32`",
        )
    })?;
    Ok(())
}

fn rejects_malformed_text(session: &Session) -> Result<(), Failure> {
    let cases = [
        ("10.0.0.0", CidrError::MissingSlash, "there is no `/`"),
        ("", CidrError::MissingSlash, "there is no `/`"),
        ("10.0.0/8", CidrError::BadAddress, "the address has three parts"),
        ("/8", CidrError::BadAddress, "there is no address"),
        ("010.0.0.0/8", CidrError::BadAddress, "the address has a leading zero"),
        ("10.0.0.0 /8", CidrError::BadAddress, "the address is followed by a space"),
        ("10.0.0.0/", CidrError::BadPrefix, "the prefix length is empty"),
        ("10.0.0.0/x", CidrError::BadPrefix, "the prefix length is a letter"),
        ("10.0.0.0/-1", CidrError::BadPrefix, "the prefix length has a sign"),
        ("10.0.0.0/+8", CidrError::BadPrefix, "the prefix length has a sign"),
        ("10.0.0.0/ 8", CidrError::BadPrefix, "the prefix length starts with a space"),
        ("10.0.0.0/8/8", CidrError::BadPrefix, "there is a second `/`"),
        ("10.0.0.0/8 ", CidrError::BadPrefix, "the prefix length ends with a space"),
        ("10.0.0.0/8\n", CidrError::BadPrefix, "the prefix length ends with a newline"),
        (" 10.0.0.0/8", CidrError::BadAddress, "the address starts with a space"),
        ("10.0.0.0/٨", CidrError::BadPrefix, "the prefix length is an Arabic-Indic digit"),
        ("10.0.0.0/3٣", CidrError::BadPrefix, "the prefix length ends in an Arabic-Indic digit"),
        ("10.0.0.0/8.", CidrError::BadPrefix, "the prefix length ends with a dot"),
    ];
    for (text, want, why) in cases {
        let got = call(session, "cidr::Cidr::from_str", move || text.parse::<Cidr>())?;
        session.note(format!("{text:?}.parse::<Cidr>() = {got:?}"));
        if got != Err(want) {
            let mistake = if text.contains('+') && got.is_ok() {
                "parsing the prefix length with `parse::<u8>()`, which takes a leading `+`: \
                 check that it is decimal digits only"
            } else if text.contains(char::is_whitespace) && got.is_ok() {
                "trimming the text: the format is exact, and a space or newline makes it \
                 malformed"
            } else if !text.is_ascii() {
                "taking a digit of another script for a decimal digit (`char::is_numeric`): \
                 only the ASCII digits 0 to 9 count (`u8::is_ascii_digit`)"
            } else {
                "splitting at the first `/` (`split_once('/')`) and then checking each side: \
                 the address with `parse::<Ipv4Addr>()`, the prefix as decimal digits only"
            };
            return Err(session.wrong(format!("{text:?} to be Err({want:?}): {why}"), mistake));
        }
    }
    Ok(())
}
