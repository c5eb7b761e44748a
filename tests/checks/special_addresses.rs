//! Checks of the special-address classifier (`exercises/src/special_addresses.rs`).
//!
//! Every block is tried at its first and last address and at the addresses just outside
//! it, where a prefix one bit too long or too short shows. The expected kinds are written
//! out here, never taken from std's `is_*` methods.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use grader::{Check, Failure, Session, WAIT};
use subject::special_addresses::AddressKind as K;

pub const CHECKS: &[Check] = grader::checks!("special_addresses": matches_addresses_against_a_prefix, handles_prefix_lengths_0_and_32_and_128, classifies_the_private_blocks, classifies_the_shared_address_space, classifies_loopback_and_unspecified, classifies_link_local_addresses, classifies_multicast_and_broadcast, classifies_the_documentation_blocks, classifies_unique_local_addresses, classifies_the_reserved_blocks, classifies_ipv4_mapped_addresses_as_their_ipv4_address, classifies_ordinary_addresses_as_global);

/// The mistake behind a wrong answer from `in_prefix_*` on a prefix that is no edge case.
const WRONG_MASK: &str = "a mask with the wrong bits: it must be `prefix_len` one-bits from the \
                          left (the most significant end), then zeros, applied to both numbers";

/// The mistake behind a wrong answer, or a panic, on /0 or a full-length prefix.
const SHIFT_OVERFLOW: &str = "a shift by the full width: `u32::MAX << 32` (or `u128::MAX << 128`) \
                              overflows, a panic in a debug build and no shift at all in a release \
                              build. A /0 mask is all zeros; build it with `checked_shl(..).unwrap_or(0)` \
                              or a special case";

fn v4(text: &str) -> Ipv4Addr {
    text.parse().expect("checks use literal IPv4 addresses")
}

fn v6(text: &str) -> Ipv6Addr {
    text.parse().expect("checks use literal IPv6 addresses")
}

/// Calls `in_prefix_v4` or `in_prefix_v6` (by the address's family) and expects `want`;
/// `mistake` words a wrong answer.
fn expect_in_prefix(
    session: &Session,
    (addr, network, prefix_len, want): (&str, &str, u8, bool),
    mistake: &str,
) -> Result<(), Failure> {
    let call = format!("in_prefix({addr}, {network}, {prefix_len})");
    let got = if addr.contains(':') {
        let (addr, network) = (v6(addr), v6(network));
        session.call("special_addresses::in_prefix_v6", WAIT, move || {
            subject::special_addresses::in_prefix_v6(addr, network, prefix_len)
        })
    } else {
        let (addr, network) = (v4(addr), v4(network));
        session.call("special_addresses::in_prefix_v4", WAIT, move || {
            subject::special_addresses::in_prefix_v4(addr, network, prefix_len)
        })
    };
    let got = got.map_err(|failure| match failure {
        Failure::Wrong { expected, .. } => session.wrong(expected, mistake),
        not_done => not_done,
    })?;
    session.note(format!("{call} = {got}"));
    if got != want {
        return Err(session.wrong(format!("{call} to be {want}"), mistake));
    }
    Ok(())
}

fn matches_addresses_against_a_prefix(session: &Session) -> Result<(), Failure> {
    let cases = [
        // The chapter's example, 192.168.1.77/26: the block 192.168.1.64 to .127.
        ("192.168.1.77", "192.168.1.64", 26, true),
        ("192.168.1.64", "192.168.1.64", 26, true),
        ("192.168.1.127", "192.168.1.64", 26, true),
        ("192.168.1.63", "192.168.1.64", 26, false),
        ("192.168.1.128", "192.168.1.64", 26, false),
        ("10.1.2.3", "192.168.1.64", 26, false),
        // A prefix that ends inside the second byte.
        ("172.16.0.0", "172.16.0.0", 12, true),
        ("172.31.255.255", "172.16.0.0", 12, true),
        ("172.15.255.255", "172.16.0.0", 12, false),
        ("172.32.0.0", "172.16.0.0", 12, false),
        ("fe80::1", "fe80::", 10, true),
        ("febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fe80::", 10, true),
        ("fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fe80::", 10, false),
        ("fec0::", "fe80::", 10, false),
        ("2001:db8:1::1", "2001:db8::", 32, true),
        ("2001:db9::", "2001:db8::", 32, false),
    ];
    for case in cases {
        expect_in_prefix(session, case, WRONG_MASK)?;
    }
    // Only the first prefix_len bits of the network count, whatever its host bits say.
    let host_bits_set = [
        ("192.168.1.100", "192.168.1.77", 26, true),
        ("192.168.1.64", "192.168.1.77", 26, true),
        ("2001:db8:ffff::", "2001:db8::1", 32, true),
    ];
    for case in host_bits_set {
        expect_in_prefix(
            session,
            case,
            "masking only the address: mask `network` too, its host bits need not be zero \
             (192.168.1.77/26 is the same block as 192.168.1.64/26)",
        )?;
    }
    Ok(())
}

fn handles_prefix_lengths_0_and_32_and_128(session: &Session) -> Result<(), Failure> {
    let cases = [
        // /0 has no prefix bits: it matches every address, whatever the network.
        ("8.8.8.8", "0.0.0.0", 0, true),
        ("0.0.0.0", "0.0.0.0", 0, true),
        ("255.255.255.255", "10.0.0.0", 0, true),
        // /32 is exactly one address.
        ("10.0.0.1", "10.0.0.1", 32, true),
        ("10.0.0.0", "10.0.0.1", 32, false),
        ("10.0.0.2", "10.0.0.1", 32, false),
        ("255.255.255.255", "255.255.255.255", 32, true),
        ("255.255.255.254", "255.255.255.255", 32, false),
        ("::1", "::", 0, true),
        ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db8::", 0, true),
        ("::1", "::1", 128, true),
        ("::", "::1", 128, false),
        ("::2", "::1", 128, false),
        (
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe",
            128,
            false,
        ),
    ];
    for case in cases {
        expect_in_prefix(session, case, SHIFT_OVERFLOW)?;
    }
    Ok(())
}

/// One address to classify, the kind it is, and the block that decides it (with its
/// range, RFC and anything else the learner needs to see what went wrong).
type Case = (&'static str, K, &'static str);

/// Classifies each address and expects its kind. A wrong answer is worded by whether
/// the address is in the block (then the block is missing, too narrow or of the wrong
/// kind) or just outside it (then the block is too wide).
fn expect_kinds(session: &Session, cases: &[Case]) -> Result<(), Failure> {
    for &(text, want, block) in cases {
        let got = classify(session, text)?;
        if got == want {
            continue;
        }
        let mistake = if want == K::Global {
            format!(
                "a block drawn too wide: {text} is just outside {block}; check its prefix length"
            )
        } else if got == K::Global {
            format!(
                "{text} is in {block}, which your code misses: the block is missing, or its prefix \
                 is too long, so it covers too few addresses"
            )
        } else {
            format!(
                "{text} is in {block}, which is {want:?}, not {got:?}: a block given the wrong kind, \
                 a wider block that holds this one tried first (the narrower block must win), or \
                 another block drawn so wide that it covers this one"
            )
        };
        return Err(session.wrong(format!("classify({text}) to be {want:?}"), mistake));
    }
    Ok(())
}

/// Calls `classify` on the address `text` and notes the answer.
fn classify(session: &Session, text: &str) -> Result<K, Failure> {
    let addr: IpAddr = text.parse().expect("checks use literal addresses");
    let got = session.call("special_addresses::classify", WAIT, move || {
        subject::special_addresses::classify(addr)
    })?;
    session.note(format!("classify({text}) = {got:?}"));
    Ok(got)
}

fn classifies_the_private_blocks(session: &Session) -> Result<(), Failure> {
    const TEN: &str = "10.0.0.0/8 (10.0.0.0 to 10.255.255.255, RFC 1918)";
    const ONE_SEVEN_TWO: &str = "172.16.0.0/12 (172.16.0.0 to 172.31.255.255, RFC 1918)";
    const ONE_NINE_TWO: &str = "192.168.0.0/16 (192.168.0.0 to 192.168.255.255, RFC 1918)";
    expect_kinds(
        session,
        &[
            ("10.0.0.0", K::Private, TEN),
            ("10.1.2.3", K::Private, TEN),
            ("10.255.255.255", K::Private, TEN),
            ("9.255.255.255", K::Global, TEN),
            ("11.0.0.0", K::Global, TEN),
            ("172.16.0.0", K::Private, ONE_SEVEN_TWO),
            ("172.20.10.1", K::Private, ONE_SEVEN_TWO),
            ("172.31.255.255", K::Private, ONE_SEVEN_TWO),
            ("172.15.255.255", K::Global, ONE_SEVEN_TWO),
            ("172.32.0.0", K::Global, ONE_SEVEN_TWO),
            ("192.168.0.0", K::Private, ONE_NINE_TWO),
            ("192.168.255.255", K::Private, ONE_NINE_TWO),
            ("192.167.255.255", K::Global, ONE_NINE_TWO),
            ("192.169.0.0", K::Global, ONE_NINE_TWO),
        ],
    )
}

fn classifies_the_shared_address_space(session: &Session) -> Result<(), Failure> {
    const SHARED: &str = "100.64.0.0/10 (100.64.0.0 to 100.127.255.255, RFC 6598)";
    expect_kinds(
        session,
        &[
            ("100.64.0.0", K::Shared, SHARED),
            ("100.100.100.100", K::Shared, SHARED),
            ("100.127.255.255", K::Shared, SHARED),
            ("100.63.255.255", K::Global, SHARED),
            ("100.128.0.0", K::Global, SHARED),
            ("100.0.0.1", K::Global, SHARED),
        ],
    )
}

fn classifies_loopback_and_unspecified(session: &Session) -> Result<(), Failure> {
    const LOOPBACK: &str = "127.0.0.0/8 (127.0.0.0 to 127.255.255.255, RFC 1122)";
    const UNSPECIFIED: &str = "the single address 0.0.0.0 (RFC 1122), inside 0.0.0.0/8";
    const THIS_NETWORK: &str = "0.0.0.0/8 (\"this network\", RFC 791)";
    const LOOPBACK6: &str = "::1/128, the single address ::1 (RFC 4291)";
    const UNSPECIFIED6: &str = "::/128, the single address :: (RFC 4291)";
    // `Ipv6Addr::to_ipv4` unwraps ::/96 too, so ::1 comes out as the kind of 0.0.0.1.
    for (text, carried, want) in [("::1", "0.0.0.1", K::Loopback), ("::2", "0.0.0.2", K::Global)] {
        let got = classify(session, text)?;
        if got != want && got == classify(session, carried)? {
            let unwrapped = format!(
                "unwrapping {text} as the IPv4 address {carried} (`Ipv6Addr::to_ipv4` takes the \
                 deprecated IPv4-compatible ::/96 too): unwrap only ::ffff:0:0/96"
            );
            let mistake = if got == K::Global {
                format!("{unwrapped}; or, if you do, ::1/128 is missing from the IPv6 blocks")
            } else {
                unwrapped
            };
            return Err(session.wrong(format!("classify({text}) to be {want:?}"), mistake));
        }
    }
    expect_kinds(
        session,
        &[
            ("127.0.0.0", K::Loopback, LOOPBACK),
            ("127.0.0.1", K::Loopback, LOOPBACK),
            ("127.255.255.255", K::Loopback, LOOPBACK),
            ("126.255.255.255", K::Global, LOOPBACK),
            ("128.0.0.0", K::Global, LOOPBACK),
            ("0.0.0.0", K::Unspecified, UNSPECIFIED),
            ("0.0.0.1", K::Reserved, THIS_NETWORK),
            ("::1", K::Loopback, LOOPBACK6),
            ("::2", K::Global, LOOPBACK6),
            ("::", K::Unspecified, UNSPECIFIED6),
            ("::1:0:0", K::Global, UNSPECIFIED6),
        ],
    )
}

fn classifies_link_local_addresses(session: &Session) -> Result<(), Failure> {
    const LINK4: &str = "169.254.0.0/16 (169.254.0.0 to 169.254.255.255, RFC 3927)";
    const LINK6: &str = "fe80::/10 (fe80:: to febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff, RFC 4291); \
                         not fe80::/16 or fe80::/64";
    expect_kinds(
        session,
        &[
            ("169.254.0.0", K::LinkLocal, LINK4),
            ("169.254.1.2", K::LinkLocal, LINK4),
            ("169.254.255.255", K::LinkLocal, LINK4),
            ("169.253.255.255", K::Global, LINK4),
            ("169.255.0.0", K::Global, LINK4),
            ("fe80::", K::LinkLocal, LINK6),
            ("fe80::1", K::LinkLocal, LINK6),
            ("fe80:0:0:1::1", K::LinkLocal, LINK6),
            ("fe81::1", K::LinkLocal, LINK6),
            ("febf:ffff::", K::LinkLocal, LINK6),
            ("febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", K::LinkLocal, LINK6),
            ("fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", K::Global, LINK6),
            ("fec0::", K::Global, LINK6),
        ],
    )
}

fn classifies_multicast_and_broadcast(session: &Session) -> Result<(), Failure> {
    const MULTICAST4: &str = "224.0.0.0/4 (224.0.0.0 to 239.255.255.255, RFC 5771)";
    const BROADCAST: &str = "the single address 255.255.255.255 (RFC 919), inside the \
                             reserved 240.0.0.0/4";
    const RESERVED: &str = "240.0.0.0/4 (240.0.0.0 to 255.255.255.254, reserved by RFC 1112)";
    const MULTICAST6: &str =
        "ff00::/8 (ff00:: to ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, RFC 4291)";
    expect_kinds(
        session,
        &[
            ("224.0.0.0", K::Multicast, MULTICAST4),
            ("224.0.0.251", K::Multicast, MULTICAST4),
            ("239.255.255.255", K::Multicast, MULTICAST4),
            ("223.255.255.255", K::Global, MULTICAST4),
            ("240.0.0.0", K::Reserved, RESERVED),
            ("255.255.255.255", K::Broadcast, BROADCAST),
            ("255.255.255.254", K::Reserved, RESERVED),
            ("ff00::", K::Multicast, MULTICAST6),
            ("ff02::1", K::Multicast, MULTICAST6),
            ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", K::Multicast, MULTICAST6),
            ("feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", K::Global, MULTICAST6),
        ],
    )
}

fn classifies_the_documentation_blocks(session: &Session) -> Result<(), Failure> {
    const NET1: &str = "192.0.2.0/24 (TEST-NET-1, RFC 5737)";
    const NET2: &str = "198.51.100.0/24 (TEST-NET-2, RFC 5737)";
    const NET3: &str = "203.0.113.0/24 (TEST-NET-3, RFC 5737)";
    const DOC6: &str =
        "2001:db8::/32 (2001:db8:: to 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff, RFC 3849)";
    expect_kinds(
        session,
        &[
            ("192.0.2.0", K::Documentation, NET1),
            ("192.0.2.255", K::Documentation, NET1),
            ("192.0.1.255", K::Global, NET1),
            ("192.0.3.0", K::Global, NET1),
            ("198.51.100.0", K::Documentation, NET2),
            ("198.51.100.255", K::Documentation, NET2),
            ("198.51.99.255", K::Global, NET2),
            ("198.51.101.0", K::Global, NET2),
            ("203.0.113.0", K::Documentation, NET3),
            ("203.0.113.7", K::Documentation, NET3),
            ("203.0.113.255", K::Documentation, NET3),
            ("203.0.112.255", K::Global, NET3),
            ("203.0.114.0", K::Global, NET3),
            ("2001:db8::", K::Documentation, DOC6),
            ("2001:db8::1", K::Documentation, DOC6),
            ("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", K::Documentation, DOC6),
            ("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", K::Global, DOC6),
            ("2001:db9::", K::Global, DOC6),
        ],
    )
}

fn classifies_unique_local_addresses(session: &Session) -> Result<(), Failure> {
    const ULA: &str = "fc00::/7 (fc00:: to fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, RFC 4193): \
                       fc00::/8 and fd00::/8 both, though only fd00::/8 is used today";
    expect_kinds(
        session,
        &[
            ("fc00::", K::UniqueLocal, ULA),
            ("fcff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", K::UniqueLocal, ULA),
            ("fd00::", K::UniqueLocal, ULA),
            ("fd12:3456:789a::1", K::UniqueLocal, ULA),
            ("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", K::UniqueLocal, ULA),
            ("fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", K::Global, ULA),
            ("fe00::", K::Global, ULA),
        ],
    )
}

fn classifies_the_reserved_blocks(session: &Session) -> Result<(), Failure> {
    const THIS_NETWORK: &str = "0.0.0.0/8 (0.0.0.0 to 0.255.255.255, \"this network\", RFC 791)";
    const IETF: &str =
        "192.0.0.0/24 (192.0.0.0 to 192.0.0.255, IETF protocol assignments, RFC 6890)";
    // RFC 6890 lists the old 6to4 relay anycast block as globally reachable, and RFC 7526,
    // which deprecated it, did not make it otherwise: it is Global, not Reserved.
    const SIX_TO_FOUR: &str = "192.88.99.0/24, the deprecated 6to4 relay anycast block \
        (RFC 7526), which RFC 6890 lists as globally reachable: Global";
    const BENCHMARKING: &str =
        "198.18.0.0/15 (198.18.0.0 to 198.19.255.255, benchmarking, RFC 2544); not a /16";
    const FUTURE: &str = "240.0.0.0/4 (240.0.0.0 to 255.255.255.254, reserved by RFC 1112)";
    expect_kinds(
        session,
        &[
            ("0.0.0.1", K::Reserved, THIS_NETWORK),
            ("0.1.2.3", K::Reserved, THIS_NETWORK),
            ("0.255.255.255", K::Reserved, THIS_NETWORK),
            ("1.0.0.0", K::Global, THIS_NETWORK),
            ("192.0.0.0", K::Reserved, IETF),
            ("192.0.0.8", K::Reserved, IETF),
            ("192.0.0.11", K::Reserved, IETF),
            ("192.0.0.255", K::Reserved, IETF),
            ("191.255.255.255", K::Global, IETF),
            ("192.0.1.0", K::Global, IETF),
            ("192.88.99.1", K::Global, SIX_TO_FOUR),
            ("198.18.0.0", K::Reserved, BENCHMARKING),
            ("198.19.255.255", K::Reserved, BENCHMARKING),
            ("198.17.255.255", K::Global, BENCHMARKING),
            ("198.20.0.0", K::Global, BENCHMARKING),
            ("240.0.0.0", K::Reserved, FUTURE),
            ("250.1.2.3", K::Reserved, FUTURE),
            ("255.255.255.254", K::Reserved, FUTURE),
        ],
    )?;
    // Two addresses inside 192.0.0.0/24 that IANA's registry calls globally reachable.
    for text in ["192.0.0.9", "192.0.0.10"] {
        let got = classify(session, text)?;
        if got != K::Global {
            return Err(session.wrong(
                format!("classify({text}) to be Global"),
                "192.0.0.9 (Port Control Protocol anycast, RFC 7723) and 192.0.0.10 (TURN \
                 anycast, RFC 8155) are the two addresses of 192.0.0.0/24 that IANA's registry \
                 calls globally reachable: they are Global, so try them before the /24",
            ));
        }
    }
    Ok(())
}

fn classifies_ipv4_mapped_addresses_as_their_ipv4_address(
    session: &Session,
) -> Result<(), Failure> {
    const NOT_UNWRAPPED: &str = "not unwrapping IPv4-mapped addresses: an address in ::ffff:0:0/96 (RFC 4291, \
         section 2.5.5.2) is the kind of the IPv4 address in its last 32 bits";
    let mapped = [
        ("::ffff:127.0.0.1", K::Loopback),
        ("::ffff:10.1.2.3", K::Private),
        ("::ffff:172.31.255.255", K::Private),
        ("::ffff:100.64.0.1", K::Shared),
        ("::ffff:169.254.0.1", K::LinkLocal),
        ("::ffff:192.0.2.1", K::Documentation),
        ("::ffff:224.0.0.1", K::Multicast),
        ("::ffff:0.0.0.0", K::Unspecified),
        ("::ffff:255.255.255.255", K::Broadcast),
        ("::ffff:198.18.0.1", K::Reserved),
        ("::ffff:8.8.8.8", K::Global),
    ];
    for (text, want) in mapped {
        let got = classify(session, text)?;
        if got != want {
            // Only a wrong answer for the carried IPv4 address itself is not the unwrapping's fault.
            let carried = text.trim_start_matches("::ffff:");
            let plain = classify(session, carried)?;
            // The first 32 bits of a mapped address are 0.0.0.0: taken for the IPv4
            // address, they make every one of them 0.0.0.0's kind.
            let first_32 = classify(session, "0.0.0.0")?;
            let mistake = if plain == got {
                format!(
                    "classify({carried}) is {plain:?} too: the unwrapping is right, the IPv4 \
                     classification of {carried} is wrong (the other checks name its block)"
                )
            } else if got == first_32 && want != first_32 {
                format!(
                    "{got:?}, the kind of 0.0.0.0: the IPv4 address taken from the first 32 \
                     bits of the 128 (`>> 96`), which are 0 in a mapped address; it is the last \
                     32 bits (`as u32` without a shift, or `Ipv6Addr::to_ipv4_mapped`)"
                )
            } else {
                NOT_UNWRAPPED.to_string()
            };
            return Err(session.wrong(format!("classify({text}) to be {want:?}"), mistake));
        }
    }
    // Only that /96 carries an IPv4 address; `Ipv6Addr::to_ipv4` unwraps the deprecated
    // IPv4-compatible ::/96 too, which turns ::1 into 0.0.0.1 and :: into 0.0.0.0.
    let not_mapped = [
        ("::1", K::Loopback),
        ("::", K::Unspecified),
        ("::fffe:7f00:1", K::Global),
        ("::1:ffff:7f00:1", K::Global),
        ("::7f00:1", K::Global),
    ];
    for (text, want) in not_mapped {
        let got = classify(session, text)?;
        if got != want {
            return Err(session.wrong(
                format!("classify({text}) to be {want:?}: it is not IPv4-mapped"),
                "unwrapping more than ::ffff:0:0/96: `Ipv6Addr::to_ipv4` also turns ::1 into \
                 0.0.0.1 and ::7f00:1 into 127.0.0.1; unwrap only addresses whose first 96 bits \
                 are 0:0:0:0:0:ffff (`to_ipv4_mapped`, or in_prefix_v6 with a prefix of 96)",
            ));
        }
    }
    Ok(())
}

fn classifies_ordinary_addresses_as_global(session: &Session) -> Result<(), Failure> {
    for text in [
        "1.1.1.1",
        "8.8.8.8",
        "93.184.215.14",
        "172.217.16.14",
        "2001:4860:4860::8888",
        "2606:4700:4700::1111",
        "2a00:1450:4001::1",
        "2001:db9::1",
    ] {
        let got = classify(session, text)?;
        if got != K::Global {
            return Err(session.wrong(
                format!("classify({text}) to be Global"),
                "an address in none of the special blocks is Global: a block drawn too wide, \
                 or a default other than `AddressKind::Global`",
            ));
        }
    }
    Ok(())
}
