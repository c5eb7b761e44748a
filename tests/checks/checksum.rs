//! Checks of the Internet checksum (`exercises/src/checksum.rs`).
//!
//! The expected values come from RFC 1071's own example, from sums small enough to do by
//! hand, and from IPv4 headers captured on loopback and Ethernet (see `captures.rs`),
//! whose checksums the Linux kernel computed.

use grader::{Check, Failure, Session, WAIT};

use super::captures::{
    BOOK_HELLO, IPV4_HEADER, LOOPBACK_EMPTY, LOOPBACK_HELLO, LOOPBACK_NO_CHECKSUM, VETH_BYE,
    VETH_HELLO, VETH_HOW_ARE_U,
};

pub const CHECKS: &[Check] = grader::checks!("checksum": sums_16_bit_words_in_network_byte_order, folds_the_carry_back_in, pads_an_odd_last_byte_with_zero, complements_the_sum, computes_captured_ipv4_header_checksums, an_intact_header_checks_to_zero);

/// RFC 1071, section 3: "the checksum of the eight bytes 00 01 f2 03 f4 f5 f6 f7": the
/// words sum to 0x2ddf0, which folds to 0xddf2, whose complement is 0x220d.
const RFC_1071_EXAMPLE: [u8; 8] = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];

fn sum(session: &Session, bytes: &[u8]) -> Result<u16, Failure> {
    let owned = bytes.to_vec();
    let got = call_on(session, "checksum::ones_complement_sum", bytes, move || {
        subject::checksum::ones_complement_sum(&owned)
    })?;
    session.note(format!("ones_complement_sum({}) = {got:#06x}", show(bytes)));
    Ok(got)
}

fn checksum(session: &Session, bytes: &[u8]) -> Result<u16, Failure> {
    let owned = bytes.to_vec();
    let got = call_on(session, "checksum::internet_checksum", bytes, move || {
        subject::checksum::internet_checksum(&owned)
    })?;
    session.note(format!("internet_checksum({}) = {got:#06x}", show(bytes)));
    Ok(got)
}

/// Calls `what` on `bytes`; a panic on an odd number of bytes is named as the unpaired
/// last byte read as a pair, which is what makes a checksum panic there.
fn call_on(
    session: &Session,
    what: &str,
    bytes: &[u8],
    f: impl FnOnce() -> u16 + Send + 'static,
) -> Result<u16, Failure> {
    match session.call(what, WAIT, move || grader::session::catch_panic(f))? {
        Ok(got) => Ok(got),
        // Reading past the end of a one-byte chunk is an index (or slice) out of range.
        Err(panic)
            if panic.is_todo()
                || bytes.len() % 2 == 0
                || !(panic.message.contains("index") || panic.message.contains("range")) =>
        {
            Err(session.panicked(what, panic))
        }
        Err(panic) => {
            session.note(format!(
                "✗ {what}({}) panicked at {}: {}",
                show(bytes),
                panic.location,
                panic.message
            ));
            Err(session.wrong(
                format!(
                    "{what} of {} byte{}, an odd number, to return a value",
                    bytes.len(),
                    if bytes.len() == 1 { "" } else { "s" }
                ),
                "a panic on the unpaired last byte: it was read as a pair (`chunks(2)` gives \
                 it alone, a chunk of 1, so `word[1]` is out of range); it counts as the word \
                 `[last, 0]`: take the pairs with `chunks_exact(2)` and the last byte from its \
                 `remainder()`",
            ))
        }
    }
}

/// Bytes as a transcript shows them: in hex, or their length when there are many.
fn show(bytes: &[u8]) -> String {
    if bytes.len() > 24 {
        return format!("{} bytes", bytes.len());
    }
    let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("[{}]", hex.join(" "))
}

/// The one's complement sum, as the grader computes it: the standard to compare with.
pub fn reference_sum(bytes: &[u8]) -> u16 {
    let mut sum: u64 = bytes
        .chunks(2)
        .map(|w| u64::from(u16::from_be_bytes([w[0], *w.get(1).unwrap_or(&0)])))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum as u16
}

/// The mistake that turns the right sum of `bytes` into `got`, found by making each of
/// the usual mistakes in turn.
fn diagnose_sum(bytes: &[u8], got: u16) -> String {
    let words = |little: bool, odd_low: bool, drop_odd: bool| -> Vec<u64> {
        let mut words: Vec<u64> = bytes
            .chunks_exact(2)
            .map(|w| {
                let pair = [w[0], w[1]];
                u64::from(if little { u16::from_le_bytes(pair) } else { u16::from_be_bytes(pair) })
            })
            .collect();
        if let ([last], false) = (bytes.chunks_exact(2).remainder(), drop_odd) {
            words.push(if odd_low { u64::from(*last) } else { u64::from(*last) << 8 });
        }
        words
    };
    let fold = |words: &[u64]| {
        let mut sum: u64 = words.iter().sum();
        while sum > 0xffff {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        sum as u16
    };
    let right = words(false, false, false);
    let truncated = right.iter().fold(0_u16, |acc, &w| acc.wrapping_add(w as u16));
    let folded_once = {
        let sum: u64 = right.iter().sum();
        ((sum & 0xffff) + (sum >> 16)) as u16
    };
    let odd = bytes.len() % 2 == 1;
    if odd && got == fold(&words(false, true, false)) {
        "adding a last odd byte as the low-order byte: it is the high-order byte of a word \
         whose low byte is zero, `[last, 0]`"
            .into()
    } else if odd && got == fold(&words(false, false, true)) {
        "leaving out a last odd byte (`chunks_exact` drops it): it counts as the word \
         `[last, 0]`"
            .into()
    } else if got == fold(&words(true, false, false)) || got == fold(&right).swap_bytes() {
        "reading the words in host byte order (`from_le_bytes` or `from_ne_bytes`): the \
         Internet checksum reads each pair of bytes as a big-endian word, `u16::from_be_bytes`"
            .into()
    } else if got == truncated {
        "adding in a u16 and dropping the carry (`wrapping_add`): one's complement addition \
         adds every carry out of bit 15 back in at bit 0"
            .into()
    } else if got == folded_once {
        "folding the carry back in only once: adding the carry can carry again, so fold until \
         the sum fits in 16 bits"
            .into()
    } else {
        "a sum other than the one's complement sum of big-endian 16-bit words: add each \
         word, then add the carries back in"
            .into()
    }
}

fn expect_sum(session: &Session, bytes: &[u8], want: u16) -> Result<(), Failure> {
    let got = sum(session, bytes)?;
    if got != want {
        return Err(session.wrong(
            format!("ones_complement_sum({}) to be {want:#06x}", show(bytes)),
            diagnose_sum(bytes, got),
        ));
    }
    Ok(())
}

fn sums_16_bit_words_in_network_byte_order(session: &Session) -> Result<(), Failure> {
    // Small enough to add by hand, and none of them carries.
    let cases: [(&[u8], u16); 5] = [
        (&[], 0x0000),
        (&[0x12, 0x34], 0x1234),
        (&[0x00, 0x01], 0x0001),
        (&[0x00, 0x01, 0xf2, 0x03], 0xf204),
        (&[0x01, 0x02, 0x03, 0x04, 0x05, 0x06], 0x090c),
    ];
    for (bytes, want) in cases {
        expect_sum(session, bytes, want)?;
    }
    // RFC 1071's example: 0x0001 + 0xf203 + 0xf4f5 + 0xf6f7 = 0x2ddf0, folded 0xddf2.
    expect_sum(session, &RFC_1071_EXAMPLE, 0xddf2)
}

fn folds_the_carry_back_in(session: &Session) -> Result<(), Failure> {
    let mut long = vec![0xff; 65_534];
    long.extend_from_slice(&[0x00, 0x02]);
    let cases: [(&[u8], u16); 6] = [
        // 0xffff + 0x0001 = 0x10000: the carry comes back as 1.
        (&[0xff, 0xff, 0x00, 0x01], 0x0001),
        (&[0x80, 0x00, 0x80, 0x00], 0x0001),
        (&[0xff, 0xff, 0xff, 0xff], 0xffff),
        // 0xffff + 0x8000 + 0x8000 = 0x1ffff; 0xffff + 0x1 = 0x10000 carries once more.
        (&[0xff, 0xff, 0x80, 0x00, 0x80, 0x00], 0x0001),
        (&[0xf0, 0x00, 0xf0, 0x00, 0xf0, 0x00, 0xf0, 0x00], 0xc003),
        // 32,767 words of 0xffff and one of 0x0002: as long as an IPv4 packet can be.
        (&long, 0x0002),
    ];
    for (bytes, want) in cases {
        expect_sum(session, bytes, want)?;
    }
    Ok(())
}

fn pads_an_odd_last_byte_with_zero(session: &Session) -> Result<(), Failure> {
    let cases: [(&[u8], u16); 5] = [
        (&[0xab], 0xab00),
        (&[0x00, 0x01, 0xf2], 0xf201),
        (b"hello", 0x43d2),
        (&[0xff, 0xff, 0xff], 0xff00),
        (&[0x01, 0x02, 0x03], 0x0402),
    ];
    for (bytes, want) in cases {
        expect_sum(session, bytes, want)?;
    }
    Ok(())
}

fn complements_the_sum(session: &Session) -> Result<(), Failure> {
    let mut book_header = BOOK_HELLO[IPV4_HEADER].to_vec();
    book_header[10..12].fill(0);
    let cases: [(&str, &[u8], u16); 5] = [
        ("RFC 1071's example", &RFC_1071_EXAMPLE, 0x220d),
        ("no bytes", &[], 0xffff),
        ("a sum of 0xffff", &[0xff, 0xff], 0x0000),
        ("the odd `hello`", b"hello", 0xbc2d),
        ("the chapter's IPv4 header with its checksum field zero", &book_header, 0x9a82),
    ];
    for (what, bytes, want) in cases {
        let got = checksum(session, bytes)?;
        if got != want {
            let right_sum = reference_sum(bytes);
            let mistake = if got == right_sum {
                "returning the sum itself: the checksum is its complement, every bit inverted \
                 with `!`"
                    .to_string()
            } else if got == right_sum.wrapping_neg() {
                "negating the sum (`wrapping_neg`, two's complement): the checksum inverts every \
                 bit of it, `!sum`"
                    .to_string()
            } else {
                format!("a wrong sum under the complement: {}", diagnose_sum(bytes, !got))
            };
            return Err(session.wrong(
                format!("internet_checksum of {what} ({}) to be {want:#06x}", show(bytes)),
                mistake,
            ));
        }
    }
    Ok(())
}

/// The captured frames, by name, all without IPv4 options.
fn captured() -> [(&'static str, &'static [u8]); 7] {
    [
        ("loopback `hello`", &LOOPBACK_HELLO),
        ("loopback empty datagram", &LOOPBACK_EMPTY),
        ("loopback `hello` without UDP checksum", &LOOPBACK_NO_CHECKSUM),
        ("Ethernet `hello`", &VETH_HELLO),
        ("Ethernet `how are u`", &VETH_HOW_ARE_U),
        ("Ethernet `bye!`", &VETH_BYE),
        ("the chapter's example", &BOOK_HELLO),
    ]
}

fn computes_captured_ipv4_header_checksums(session: &Session) -> Result<(), Failure> {
    for (what, frame) in captured() {
        let header = &frame[IPV4_HEADER];
        let want = u16::from_be_bytes([header[10], header[11]]);
        let mut zeroed = header.to_vec();
        zeroed[10..12].fill(0);
        session.note(format!("the IPv4 header of the {what}, checksum field set to 0"));
        let got = checksum(session, &zeroed)?;
        if got != want {
            let mistake = if got == reference_sum(&zeroed) {
                "returning the sum itself: the checksum is its complement, `!sum`".to_string()
            } else {
                diagnose_sum(&zeroed, !got)
            };
            return Err(session.wrong(
                format!(
                    "{want:#06x}, the checksum the Linux kernel wrote into that header \
                     (bytes 10 and 11)"
                ),
                mistake,
            ));
        }
    }
    Ok(())
}

fn an_intact_header_checks_to_zero(session: &Session) -> Result<(), Failure> {
    for (what, frame) in captured() {
        let header = &frame[IPV4_HEADER];
        session.note(format!("the IPv4 header of the {what}, as captured"));
        let got = sum(session, header)?;
        if got != 0xffff {
            return Err(session.wrong(
                "a sum of 0xffff over an intact header, checksum field included",
                diagnose_sum(header, got),
            ));
        }
        let got = checksum(session, header)?;
        if got != 0 {
            return Err(session.wrong(
                "a checksum of 0 over an intact header, checksum field included",
                "a checksum other than `!ones_complement_sum(bytes)`",
            ));
        }
    }
    // One flipped bit anywhere must show: the time to live 64 became 65.
    let mut damaged = VETH_HELLO[IPV4_HEADER].to_vec();
    damaged[8] ^= 0x01;
    session.note("the Ethernet `hello` header with its time to live changed from 64 to 65");
    let got = checksum(session, &damaged)?;
    if got == 0 {
        return Err(session.wrong(
            "a checksum other than 0 over a damaged header",
            "a checksum that ignores some of the bytes: every 16-bit word counts",
        ));
    }
    Ok(())
}
