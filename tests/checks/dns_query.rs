//! Checks of the DNS client (`exercises/src/dns_query.rs`): messages as RFC 1035 lays them
//! out, read and written in-process, then the client against the grader's reference DNS
//! server on loopback, which can be told to misbehave.

use std::net::{IpAddr, UdpSocket};
use std::time::{Duration, Instant};

use grader::dns::{Behaviour, DnsServer, FORGED, Query, answer_to, hex};
use grader::program::Finished;
use grader::{Check, Failure, Session, WAIT};
use subject::dns_query::{DnsError, Header, Record, RecordData, Response};

pub const CHECKS: &[Check] = grader::checks!("dns_query": encodes_a_name_as_labels, rejects_empty_and_overlong_labels_and_names, builds_a_query_as_rfc_1035_lays_it_out, reads_the_header, follows_compression_pointers, reads_a_label_that_is_not_utf8, rejects_pointer_loops_and_pointers_out_of_bounds, parses_a_real_reply_with_compressed_names, parses_a_cname_chain_with_pointers_into_record_data, reads_past_every_question, collects_the_addresses_of_the_asked_type, ignores_the_z_ad_and_cd_bits, refuses_address_records_of_the_wrong_length, refuses_a_reply_cut_short_at_any_byte, reports_nxdomain_and_other_error_codes, reports_a_truncated_reply, rejects_a_reply_that_is_not_a_response, ignores_replies_with_another_id, ignores_replies_from_other_addresses, gives_up_after_the_timeout, prints_one_address_per_line, reports_errors_in_one_line);

const MS: Duration = Duration::from_millis(1);

/// The query from "The application layer": ID 0x1a2b, RD, one question, `example.com` A IN.
const EXAMPLE_QUERY: &[u8] = &[
    0x1a, 0x2b, // ID
    0x01, 0x00, // flags: RD
    0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // QDCOUNT 1, ANCOUNT, NSCOUNT, ARCOUNT 0
    7, b'e', b'x', b'a', b'm', b'p', b'l', b'e', 3, b'c', b'o', b'm', 0, // QNAME
    0x00, 0x01, // QTYPE A
    0x00, 0x01, // QCLASS IN
];

/// A real reply, captured on this workbook's machine from dnsmasq 2.90 on loopback:
/// `dnsmasq --port=53530 --listen-address=127.0.0.1 --bind-interfaces --no-resolv
/// --no-hosts --local-ttl=300 --local=/example.test/
/// --host-record=host.example.test,192.0.2.10,2001:db8::10
/// --cname=www.example.test,host.example.test`, asked `www.example.test` A with ID 0x5ee5.
/// dnsmasq writes the CNAME's target in full, then points the A record's name at it.
const CAPTURED_A: &[u8] = &[
    0x5e, 0xe5, 0x85, 0x80, // ID, flags: QR, AA, RD, RA, RCODE 0
    0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, // 1 question, 2 answers
    // offset 12, the question: www.example.test A IN
    0x03, 0x77, 0x77, 0x77, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x04, 0x74, 0x65, 0x73,
    0x74, 0x00, 0x00, 0x01, 0x00, 0x01,
    // offset 34: name = pointer to 12, CNAME, IN, TTL 300, RDLENGTH 19
    0xc0, 0x0c, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x13,
    // offset 46: host.example.test, written in full
    0x04, 0x68, 0x6f, 0x73, 0x74, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x04, 0x74, 0x65,
    0x73, 0x74, 0x00,
    // offset 65: name = pointer to 46, A, IN, TTL 300, RDLENGTH 4, 192.0.2.10
    0xc0, 0x2e, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x04, 0xc0, 0x00, 0x02, 0x0a,
];

/// The same capture for `www.example.test` AAAA, ID 0x5ee6.
const CAPTURED_AAAA: &[u8] = &[
    0x5e, 0xe6, 0x85, 0x80, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, //
    0x03, 0x77, 0x77, 0x77, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x04, 0x74, 0x65, 0x73,
    0x74, 0x00, 0x00, 0x1c, 0x00, 0x01, //
    0xc0, 0x0c, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x13, //
    0x04, 0x68, 0x6f, 0x73, 0x74, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x04, 0x74, 0x65,
    0x73, 0x74, 0x00, //
    0xc0, 0x2e, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x10, // AAAA, 16 bytes:
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
];

/// The same capture for `nothere.example.test` A, ID 0x5ee7: NXDOMAIN, no answers.
const CAPTURED_NXDOMAIN: &[u8] = &[
    0x5e, 0xe7, 0x81, 0x83, // flags: QR, RD, RA, RCODE 3
    0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, //
    0x07, 0x6e, 0x6f, 0x74, 0x68, 0x65, 0x72, 0x65, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65,
    0x04, 0x74, 0x65, 0x73, 0x74, 0x00, 0x00, 0x01, 0x00, 0x01,
];

/// Built by hand, as the grader's reference server compresses: `www.example.test` A,
/// answered with a chain of two CNAMEs and two A records. Pointers appear inside record
/// data (the CNAME targets end in a pointer) and point into record data.
const CHAIN: &[u8] = &[
    0x12, 0x34, 0x85, 0x80, 0x00, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, // 4 answers
    // 12: www.example.test (example.test at 16), A, IN
    3, b'w', b'w', b'w', 7, b'e', b'x', b'a', b'm', b'p', b'l', b'e', 4, b't', b'e', b's', b't', 0,
    0x00, 0x01, 0x00, 0x01,
    // 34: www.example.test CNAME, TTL 86400 (a day: more than 16 bits), RDLENGTH 6:
    // "web" + pointer to 16
    0xc0, 0x0c, 0x00, 0x05, 0x00, 0x01, 0x00, 0x01, 0x51, 0x80, 0x00, 0x06, //
    3, b'w', b'e', b'b', 0xc0, 0x10, // 46: web.example.test
    // 52: pointer to 46 (web.example.test) CNAME, TTL 3600, RDLENGTH 7: "host" + pointer to 16
    0xc0, 0x2e, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x07, //
    4, b'h', b'o', b's', b't', 0xc0, 0x10, // 64: host.example.test
    // 71: pointer to 64 (host.example.test) A, TTL 300: 192.0.2.10
    0xc0, 0x40, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x04, 192, 0, 2, 10,
    // 87: the same name, A 192.0.2.11
    0xc0, 0x40, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x04, 192, 0, 2, 11,
];

fn record(name: &str, rtype: u16, ttl: u32, data: RecordData) -> Record {
    Record { name: name.into(), rtype, class: 1, ttl, data }
}

fn a(text: &str) -> RecordData {
    RecordData::A(text.parse().expect("a literal IPv4 address"))
}

fn ips(texts: &[&str]) -> Vec<IpAddr> {
    texts.iter().map(|t| t.parse().expect("a literal address")).collect()
}

/// Wire bytes for a name of these labels, uncompressed.
fn labels(parts: &[&str]) -> Vec<u8> {
    let mut wire = Vec::new();
    for part in parts {
        wire.push(part.len() as u8);
        wire.extend_from_slice(part.as_bytes());
    }
    wire.push(0);
    wire
}

fn encode(session: &Session, name: &str) -> Result<Result<Vec<u8>, DnsError>, Failure> {
    let owned = name.to_string();
    let got = session.call("dns_query::encode_name", WAIT, move || {
        let mut out = vec![0xaa];
        subject::dns_query::encode_name(&owned, &mut out).map(|()| out)
    })?;
    let shown = if name.len() > 40 {
        format!("a name of {} bytes", name.len())
    } else {
        format!("{name:?}")
    };
    match &got {
        Ok(out) => session.note(format!("encode_name({shown}) appended {}", hex(&out[1..]))),
        Err(err) => session.note(format!("encode_name({shown}) = Err({err})")),
    }
    Ok(got)
}

fn encodes_a_name_as_labels(session: &Session) -> Result<(), Failure> {
    let long = "x".repeat(63);
    let cases = [
        ("example.com", labels(&["example", "com"])),
        ("example.com.", labels(&["example", "com"])),
        ("WWW.Example.COM", labels(&["WWW", "Example", "COM"])),
        ("a", labels(&["a"])),
        (".", vec![0]),
        ("", vec![0]),
        ("caf\u{e9}.test", labels(&["caf\u{e9}", "test"])),
        (&format!("{long}.test"), labels(&[&long, "test"])),
    ];
    for (name, want) in cases {
        let got = encode(session, name)?;
        let mut appended = vec![0xaa];
        appended.extend_from_slice(&want);
        match got {
            Ok(out) if out == appended => {}
            Ok(out) if out[..] == want[..] || out.first() != Some(&0xaa) => {
                return Err(session.wrong(
                    "encode_name to append to `out`, keeping what was there (the query's header)",
                    "replacing or clearing `out`: push onto it, or `extend_from_slice`",
                ));
            }
            Ok(out)
                if !name.is_ascii()
                    && out.len() > 1
                    && usize::from(out[1]) == "caf\u{e9}".chars().count() =>
            {
                return Err(session.wrong(
                    format!("{name:?} as {}", hex(&want)),
                    "a label's length counted in characters: it is the number of bytes \
                     (`str::len`), and `\u{e9}` takes two in UTF-8",
                ));
            }
            Ok(_) => {
                return Err(session.wrong(
                    format!("{name:?} as {}", hex(&want)),
                    "a name other than labels: each label's length in one byte, then its bytes \
                     unchanged (case kept), then one zero byte; a final dot adds no empty label, \
                     and `.` alone (or the empty name) is the root, the zero byte alone",
                ));
            }
            Err(err) => {
                return Err(session.wrong(
                    format!("{name:?} as {}", hex(&want)),
                    format!(
                        "it was refused ({err}): a label of 63 bytes is allowed, and so is one \
                         final dot; `.` and the empty name are the root"
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn rejects_empty_and_overlong_labels_and_names(session: &Session) -> Result<(), Failure> {
    let l63 = "x".repeat(63);
    let l64 = "y".repeat(64);
    let wire_255 = format!("{l63}.{l63}.{l63}.{}", "z".repeat(61));
    let wire_256 = format!("{l63}.{l63}.{l63}.{}", "z".repeat(62));
    let wide = "\u{e9}".repeat(32);
    let cases: [(&str, bool, &str); 7] = [
        ("a..b", false, "an empty label between two dots"),
        (".a", false, "an empty label before the first dot"),
        (&format!("{l64}.test"), false, "a label of 64 bytes: a label is at most 63"),
        (
            &wire_256,
            false,
            "a name of 256 bytes on the wire, counting the length bytes and the final zero",
        ),
        (&wire_255, true, "a name of exactly 255 bytes on the wire, the most allowed"),
        (&format!("{l63}.test"), true, "a label of exactly 63 bytes"),
        // After the ASCII cases: a program that gets here counts ASCII labels right.
        (&wide, false, "a label of 32 `\u{e9}`: 32 characters, but 64 bytes"),
    ];
    for (name, allowed, what) in cases {
        let got = encode(session, name)?;
        match (got, allowed) {
            (Ok(_), true) | (Err(DnsError::BadName(_)), false) => {}
            (Ok(_), false) if !name.is_ascii() => {
                return Err(session.wrong(
                    format!("Err(DnsError::BadName) for {what}"),
                    "a label's length counted in characters: the limit of 63 is in bytes \
                     (`str::len`), and `\u{e9}` takes two in UTF-8",
                ));
            }
            (Ok(_), false) => {
                return Err(session.wrong(
                    format!("Err(DnsError::BadName) for {what}"),
                    "not checking each label (1 to 63 bytes) and the whole name (at most 255 bytes \
                     on the wire: every length byte, every label and the final zero)",
                ));
            }
            (Err(err), false) => {
                return Err(session.wrong(
                    format!("Err(DnsError::BadName) for {what}"),
                    format!("another error, {err:?}: a name that cannot be encoded is a BadName"),
                ));
            }
            (Err(err), true) => {
                return Err(session.wrong(
                    format!("Ok for {what}"),
                    format!("it was refused ({err}): an off-by-one in the limits (63 and 255 are allowed)"),
                ));
            }
        }
    }
    Ok(())
}

fn builds_a_query_as_rfc_1035_lays_it_out(session: &Session) -> Result<(), Failure> {
    let mut aaaa = vec![0xbe, 0xef, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
    aaaa.extend(labels(&["host", "example", "test"]));
    aaaa.extend([0x00, 0x1c, 0x00, 0x01]);
    let cases = [
        (0x1a2b, "example.com", 1, EXAMPLE_QUERY.to_vec()),
        (0xbeef, "host.example.test.", 28, aaaa),
    ];
    for (id, name, qtype, want) in cases {
        let got = session.call("dns_query::build_query", WAIT, move || {
            subject::dns_query::build_query(id, name, qtype)
        })?;
        let got = got.map_err(|err| {
            session.wrong(format!("a query for {name:?}"), format!("it returned the error {err}"))
        })?;
        session.note(format!("build_query({id:#06x}, {name:?}, {qtype}) = {}", hex(&got)));
        if got != want {
            let swapped = |at: usize| got.get(at..at + 2) == Some(&[want[at + 1], want[at]][..]);
            let mistake = if got.len() >= 12 && (0..12).step_by(2).all(swapped) {
                "every header field written low byte first: DNS sends each 16-bit number \
                 big-endian, in network byte order (`to_be_bytes`, not `to_le_bytes`)"
            } else if got.len() < 12 || got[..2] != want[..2] {
                "the ID is not the first two bytes, big-endian (`to_be_bytes`)"
            } else if got[2..4] != want[2..4] {
                "the flags are not 0x0100: a query has QR = 0, opcode 0, and RD (recursion desired) set"
            } else if got[4..12] != want[4..12] {
                "the counts are not QDCOUNT 1, ANCOUNT 0, NSCOUNT 0, ARCOUNT 0, each 2 bytes big-endian"
            } else if got.len() != want.len() {
                "the question is not the name's labels, then QTYPE and QCLASS (1, IN), 2 bytes each"
            } else {
                "QTYPE or QCLASS in the wrong byte order: every number on the wire is big-endian"
            };
            return Err(session.wrong(format!("the bytes {}", hex(&want)), mistake));
        }
    }
    let long = "x".repeat(64);
    let refused = session.call("dns_query::build_query", WAIT, move || {
        subject::dns_query::build_query(1, &long, 1)
    })?;
    if refused.is_ok() {
        let encoded = encode(session, &"x".repeat(64))?;
        return Err(session.wrong(
            "build_query to refuse a name with a 64-byte label",
            if encoded.is_ok() {
                "encode_name itself accepts a label of 64 bytes (a label is 1 to 63 bytes): \
                 the check rejects_empty_and_overlong_labels_and_names says more"
            } else {
                "not passing on encode_name's error: use `?`"
            },
        ));
    }
    Ok(())
}

fn reads_the_header(session: &Session) -> Result<(), Failure> {
    let got = session
        .call("dns_query::parse_header", WAIT, || subject::dns_query::parse_header(CAPTURED_A))?;
    session.note(format!("parse_header(the captured reply) = {got:?}"));
    let want = Header {
        id: 0x5ee5,
        flags: 0x8580,
        questions: 1,
        answers: 2,
        authorities: 0,
        additionals: 0,
    };
    match got {
        Ok(header) if header == want => {}
        _ => {
            return Err(session.wrong(
                format!("{want:?}"),
                "the six fields not read in order as big-endian 16-bit numbers: ID, flags, QDCOUNT, \
                 ANCOUNT, NSCOUNT, ARCOUNT",
            ));
        }
    }
    for len in [0, 11] {
        let got = session.call("dns_query::parse_header", WAIT, move || {
            subject::dns_query::parse_header(&CAPTURED_A[..len])
        })?;
        session.note(format!("parse_header(the first {len} bytes) = {got:?}"));
        if !matches!(got, Err(DnsError::Malformed(_))) {
            return Err(session.wrong(
                format!("Err(DnsError::Malformed) for a message of {len} bytes"),
                "not checking that the message holds the whole 12-byte header (`read_u16` does)",
            ));
        }
    }
    Ok(())
}

/// The example of RFC 1035, section 4.1.4: F.ISI.ARPA at 20, FOO.F.ISI.ARPA at 40 as
/// `FOO` and a pointer to 20, ARPA at 64 as a pointer to 26, the root at 92; and, added,
/// BAR.FOO.F.ISI.ARPA at 70 as `BAR` and a pointer to 40, a pointer to a pointer.
fn rfc_1035_example() -> Vec<u8> {
    let mut msg = vec![0; 100];
    msg[20..32].copy_from_slice(&[1, b'F', 3, b'I', b'S', b'I', 4, b'A', b'R', b'P', b'A', 0]);
    msg[40..46].copy_from_slice(&[3, b'F', b'O', b'O', 0xc0, 20]);
    msg[64..66].copy_from_slice(&[0xc0, 26]);
    msg[70..76].copy_from_slice(&[3, b'B', b'A', b'R', 0xc0, 40]);
    msg[92] = 0;
    msg
}

fn follows_compression_pointers(session: &Session) -> Result<(), Failure> {
    let cases = [
        (20, "F.ISI.ARPA", 32),
        (40, "FOO.F.ISI.ARPA", 46),
        (64, "ARPA", 66),
        (70, "BAR.FOO.F.ISI.ARPA", 76),
        (92, ".", 93),
    ];
    for (start, name, end) in cases {
        let got = session.call("dns_query::read_name", WAIT, move || {
            subject::dns_query::read_name(&rfc_1035_example(), start)
        })?;
        session.note(format!("read_name(RFC 1035's example, {start}) = {got:?}"));
        match got {
            Ok((got_name, got_end)) if got_name == name && got_end == end => {}
            Ok((got_name, got_end)) if got_name == name => {
                return Err(session.wrong(
                    format!("({name:?}, {end}): the offset just past the name where it started"),
                    format!(
                        "the offset {got_end}: after a pointer, the name ends in place after the \
                         pointer's 2 bytes, not where the bytes it points to end"
                    ),
                ));
            }
            Ok((got_name, _)) => {
                let mistake = if got_name.ends_with('.') && name != "." {
                    "a final dot: join the labels with dots, with none at the end (the root alone is `.`)"
                } else {
                    "not following the pointer: a length byte with its two top bits set (0xc0) starts \
                     a 2-byte pointer; its other 14 bits are the offset, from the message's start, \
                     where the rest of the name is"
                };
                return Err(session.wrong(format!("({name:?}, {end})"), mistake));
            }
            Err(err) => {
                return Err(session.wrong(
                    format!("({name:?}, {end})"),
                    format!("it returned the error {err}: a pointer to an earlier place is fine"),
                ));
            }
        }
    }
    Ok(())
}

/// A name whose label is not UTF-8 may be read lossily or refused, but never panic.
fn reads_a_label_that_is_not_utf8(session: &Session) -> Result<(), Failure> {
    let msg = [&[0u8; 12][..], &[2, 0xff, 0xfe, 3, b'c', b'o', b'm', 0]].concat();
    session.note(format!("read_name at 12 of {}: a label of the bytes ff fe", hex(&msg)));
    let got = session
        .call("dns_query::read_name", WAIT, move || subject::dns_query::read_name(&msg, 12))?;
    session.note(format!("read_name = {got:?}"));
    match got {
        Ok((_, 20)) | Err(DnsError::Malformed(_)) => Ok(()),
        other => Err(session.wrong(
            "Ok((the name read lossily, 20)) or Err(DnsError::Malformed) for a label of bytes \
             that are not UTF-8",
            format!("{other:?}: the name ends just past its zero byte, at 20"),
        )),
    }
}

fn rejects_pointer_loops_and_pointers_out_of_bounds(session: &Session) -> Result<(), Failure> {
    let header = [0u8; 12];
    let trusting = "trusting the message: check every offset against its length before reading \
         (`msg.get(..)`)";
    let not_back = "following a pointer that does not point back: a pointer points to a name \
         written earlier in the message (RFC 1035, section 4.1.4); refuse one that points to \
         itself, past itself or into the labels it continues, so no chain can go round";
    let too_long = "not counting the whole name: stop at 255 bytes on the wire, counting the \
         labels reached through every pointer, not only those before the first";
    // A name of 257 bytes in four parts, each under 255 alone: x (at 12), then y and a
    // pointer to x (at 77), z and a pointer to y (at 143), w and a pointer to z (at 209).
    let part = |c: u8| [&[63u8][..], &[c; 63]].concat();
    let chained = [
        &header[..],
        &part(b'x'),
        &[0],
        &part(b'y'),
        &[0xc0, 12],
        &part(b'z'),
        &[0xc0, 77],
        &part(b'w'),
        &[0xc0, 143],
    ]
    .concat();
    let cases: [(&str, Vec<u8>, usize, &str); 13] = [
        ("a pointer to itself", [&header[..], &[0xc0, 12]].concat(), 12, not_back),
        ("two pointers to each other", [&header[..], &[0xc0, 14, 0xc0, 12]].concat(), 12, not_back),
        (
            "a label, then a pointer back to that label: a loop through the name itself",
            [&header[..], &[1, b'a', 0xc0, 12]].concat(),
            12,
            not_back,
        ),
        (
            "a pointer into its own second byte",
            [&header[..], &[0xc0, 13], &[0; 14]].concat(),
            12,
            not_back,
        ),
        (
            "a pointer forward, to a good name written after it",
            [&header[..], &[0xc0, 14, 1, b'a', 0]].concat(),
            12,
            not_back,
        ),
        ("a pointer past the end", [&header[..], &[0xc0, 0xff]].concat(), 12, trusting),
        (
            "a pointer cut in half at the end",
            [&header[..], &[1, b'a', 0xc0]].concat(),
            12,
            trusting,
        ),
        (
            "a label longer than what is left",
            [&header[..], &[5, b'a', b'b']].concat(),
            12,
            trusting,
        ),
        ("a name without its final zero", [&header[..], &[1, b'a']].concat(), 12, trusting),
        (
            "a label type 01 (reserved)",
            [&header[..], &[0x41, b'a', 0]].concat(),
            12,
            "a length byte whose top two bits are 01 or 10 taken for a label: those label types \
             are reserved (RFC 1035, section 4.1.4); refuse them",
        ),
        ("a name of 321 bytes", [&header[..], &part(b'x').repeat(5), &[0]].concat(), 12, too_long),
        ("a name of 257 bytes, in four parts joined by pointers", chained, 209, too_long),
        (
            "a name of 256 bytes: labels of 63, 63, 63 and 62 bytes",
            [&header[..], &part(b'x').repeat(3), &[62], &[b'z'; 62], &[0]].concat(),
            12,
            "a limit one byte too generous: a name takes at most 255 bytes on the wire, \
             counting each length byte and the final zero",
        ),
    ];
    for (what, msg, start, mistake) in cases {
        session.note(format!(
            "read_name at {start} of a message holding {what}: {}{}",
            hex(&msg[..msg.len().min(40)]),
            if msg.len() > 40 {
                format!(" … ({} bytes in all)", msg.len())
            } else {
                String::new()
            }
        ));
        let got = session
            .call("dns_query::read_name", 1000 * MS, move || {
                subject::dns_query::read_name(&msg, start)
            })
            .map_err(|failure| match failure {
                Failure::Wrong { expected, .. } if expected.contains("to return within") => session
                    .wrong(
                        format!("Err(DnsError::Malformed) for {what}"),
                        "following pointers round a loop forever: demand that each pointer point \
                     before the labels it continues (or count the jumps and give up), and stop at \
                     255 bytes",
                    ),
                failure => failure,
            })?;
        session.note(format!("read_name = {got:?}"));
        if !matches!(got, Err(DnsError::Malformed(_))) {
            return Err(session.wrong(format!("Err(DnsError::Malformed) for {what}"), mistake));
        }
    }
    let longest = [&header[..], &part(b'x').repeat(3), &[61], &[b'z'; 61], &[0]].concat();
    session.note("read_name at 12 of a name of exactly 255 bytes: labels of 63, 63, 63 and 61");
    let got = session
        .call("dns_query::read_name", WAIT, move || subject::dns_query::read_name(&longest, 12))?;
    session.note(format!("read_name = {:?}", got.as_ref().map(|(name, end)| (name.len(), end))));
    if !matches!(got, Ok((_, 267))) {
        return Err(session.wrong(
            "Ok((the name, 267)) for a name of exactly 255 bytes, the most allowed",
            "a limit one byte too strict: 255 bytes on the wire are allowed, counting each \
             length byte and the final zero",
        ));
    }
    Ok(())
}

/// After the code under test returned an error for a well-formed reply: looks for the cause
/// in reading replies (names, pointers, offsets) rather than in the check's own angle.
/// Calls read_name on RFC 1035's example, pointers included, then parse_response on `good`
/// (a well-formed reply), if given; says what was misread, if anything. Runs only after a
/// failure, so it costs the model answer nothing.
fn misreads_replies(session: &Session, good: Option<(&str, Vec<u8>)>) -> Option<String> {
    for (start, name, end) in
        [(20, "F.ISI.ARPA", 32), (40, "FOO.F.ISI.ARPA", 46), (70, "BAR.FOO.F.ISI.ARPA", 76)]
    {
        let got = session
            .call("dns_query::read_name", WAIT, move || {
                subject::dns_query::read_name(&rfc_1035_example(), start)
            })
            .ok()?;
        session
            .note(format!("to find the cause: read_name(RFC 1035's example, {start}) = {got:?}"));
        match got {
            Ok((got_name, got_end)) if got_name == name && got_end == end => {}
            Ok((got_name, got_end)) if got_name == name => {
                return Some(format!(
                    "read_name(RFC 1035's example, {start}) returns the offset {got_end}, not \
                     {end}: after a pointer, a name ends in place after the pointer's 2 bytes, \
                     not where the bytes it points to end, so every field after a compressed \
                     name is read from the wrong place (the check follows_compression_pointers \
                     says so too)"
                ));
            }
            got => {
                return Some(format!(
                    "read_name(RFC 1035's example, {start}) = {got:?}, not Ok(({name:?}, {end})): \
                     names with pointers are misread (the check follows_compression_pointers \
                     says how)"
                ));
            }
        }
    }
    // One A record with its name in full, after no question and after one: if only the
    // second is misread, the question is skipped wrongly.
    let record: &[u8] = &[
        4, b'h', b'o', b's', b't', 7, b'e', b'x', b'a', b'm', b'p', b'l', b'e', 4, b't', b'e',
        b's', b't', 0, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x04, 192, 0, 2, 10,
    ];
    let bare = [&[0x12, 0x34, 0x85, 0x80, 0, 0, 0, 1, 0, 0, 0, 0][..], record].concat();
    let asked =
        [&[0x12, 0x34, 0x85, 0x80, 0, 1, 0, 1, 0, 0, 0, 0][..], &CAPTURED_A[12..34], record]
            .concat();
    let read = |msg: Vec<u8>| {
        session
            .call("dns_query::parse_response", WAIT, move || {
                subject::dns_query::parse_response(&msg).map(|r| r.answers)
            })
            .ok()
    };
    let (without, with) = (read(bare)?, read(asked)?);
    session.note(format!(
        "to find the cause: one A record read after no question: {without:?}; after one: {with:?}"
    ));
    if without.is_ok() && with.as_ref().ok() != without.as_ref().ok() {
        return Some(
            "a reply with one question is misread where the same reply without it is read \
             right: the question is skipped wrongly; skip QDCOUNT questions, each a name (read \
             with read_name, which gives where it ends) and then 4 bytes, QTYPE and QCLASS"
                .into(),
        );
    }
    let (what, msg) = good?;
    let got = session
        .call("dns_query::parse_response", WAIT, move || subject::dns_query::parse_response(&msg))
        .ok()?;
    session.note(format!("to find the cause: parse_response({what}) = {got:?}"));
    let err = got.err()?;
    Some(format!(
        "parse_response({what}), a well-formed reply, returns the error {err} too: its records \
         are misread (each is a name, type, class, TTL, RDLENGTH, then RDLENGTH bytes of data; \
         the checks of parse_response say where)"
    ))
}

/// The words for an error returned for a well-formed reply: the cause in reading replies
/// that [`misreads_replies`] finds, else `mistake`, the check's own angle.
fn unless_misread(
    session: &Session,
    err: &DnsError,
    good: Option<(&str, Vec<u8>)>,
    mistake: String,
) -> String {
    // An RCODE no 4 bits can hold: read with a wider mask, it took other flags in.
    if let DnsError::ErrorCode(code) = err {
        if u32::from(*code) > 15 {
            return format!(
                "it returned the error {err} for a well-formed reply whose RCODE is 0: RCODE is \
                 the low 4 bits of the flags (`flags & 0x000f`); a wider mask takes the RA or Z \
                 bits in, and a good answer reads as an error"
            );
        }
    }
    match misreads_replies(session, good) {
        Some(cause) => format!(
            "it returned the error {err} for a well-formed reply, so the fault is in how \
             replies are read: {cause}"
        ),
        None => mistake,
    }
}

fn parse(session: &Session, what: &str, msg: &'static [u8]) -> Result<Response, Failure> {
    let got = session
        .call("dns_query::parse_response", WAIT, move || subject::dns_query::parse_response(msg))?;
    session.note(format!("parse_response({what}) = {got:?}"));
    got.map_err(|err| {
        if let Some(cause) = misreads_replies(session, None) {
            return session
                .wrong(format!("parse_response to read {what}"), format!("it returned the error {err}: {cause}"));
        }
        session.wrong(
            format!("parse_response to read {what}"),
            format!(
                "it returned the error {err}: read past the question (its name, then 4 bytes), then \
                 each record: name, type, class, TTL (4 bytes), RDLENGTH, then RDLENGTH bytes of \
                 data; a CNAME's data is a name that may end in a pointer, which is an offset in \
                 the whole message, so read it with read_name(msg, where the data starts)"
            ),
        )
    })
}

fn expect_records(session: &Session, got: &Response, want: &[Record]) -> Result<(), Failure> {
    if got.answers == want {
        return Ok(());
    }
    let mistake = if got.answers.len() != want.len() {
        "a different number of records: read ANCOUNT records, each ending RDLENGTH bytes after its \
         RDLENGTH field"
    } else if got.answers.iter().zip(want).any(|(g, w)| g.name != w.name) {
        "a record's name not read in full: names in records are compressed, so read them with \
         read_name and go on from the offset it returns"
    } else if got.answers.iter().zip(want).any(|(g, w)| g.data != w.data) {
        "record data misread: A is 4 bytes, AAAA 16, and a CNAME's data is a name that may end \
         in a pointer, so read it with read_name from the whole message"
    } else if got.answers.iter().zip(want).any(|(g, w)| g.ttl != w.ttl && g.ttl == w.ttl & 0xffff) {
        "the TTL read as 16 bits: it is 32 bits, big-endian (`read_u32`), and a day is 86400 s"
    } else {
        "the type, class or TTL misread: 2, 2 and 4 bytes after the name, big-endian"
    };
    Err(session.wrong(format!("the records {want:?}"), mistake))
}

fn parses_a_real_reply_with_compressed_names(session: &Session) -> Result<(), Failure> {
    let got = parse(session, "the reply dnsmasq gave for www.example.test A", CAPTURED_A)?;
    let header_ok = got.header.id == 0x5ee5 && got.header.answers == 2;
    if !header_ok {
        return Err(session.wrong("the header ID 0x5ee5 and 2 answers", "the header misread"));
    }
    expect_records(
        session,
        &got,
        &[
            record("www.example.test", 5, 300, RecordData::Cname("host.example.test".into())),
            record("host.example.test", 1, 300, a("192.0.2.10")),
        ],
    )?;
    let got = parse(session, "the reply dnsmasq gave for www.example.test AAAA", CAPTURED_AAAA)?;
    expect_records(
        session,
        &got,
        &[
            record("www.example.test", 5, 300, RecordData::Cname("host.example.test".into())),
            record(
                "host.example.test",
                28,
                300,
                RecordData::Aaaa("2001:db8::10".parse().expect("v6")),
            ),
        ],
    )
}

fn parses_a_cname_chain_with_pointers_into_record_data(session: &Session) -> Result<(), Failure> {
    let got = parse(session, "a reply with a CNAME chain", CHAIN)?;
    expect_records(
        session,
        &got,
        &[
            record("www.example.test", 5, 86400, RecordData::Cname("web.example.test".into())),
            record("web.example.test", 5, 3600, RecordData::Cname("host.example.test".into())),
            record("host.example.test", 1, 300, a("192.0.2.10")),
            record("host.example.test", 1, 300, a("192.0.2.11")),
        ],
    )
}

/// An answer for `a.test`, 192.0.2.1, after no question at all.
const NO_QUESTION: &[u8] = &[
    0x12, 0x34, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0, // header: QDCOUNT 0, ANCOUNT 1
    1, b'a', 4, b't', b'e', b's', b't', 0, 0, 1, 0, 1, 0, 0, 1, 0x2c, 0, 4, 192, 0, 2, 1,
];

/// Two questions, `a.test` and `b.test`, then one answer that points at the first name.
const TWO_QUESTIONS: &[u8] = &[
    0x12, 0x34, 0x81, 0x80, 0, 2, 0, 1, 0, 0, 0, 0, // header: QDCOUNT 2, ANCOUNT 1
    1, b'a', 4, b't', b'e', b's', b't', 0, 0, 1, 0, 1, // a.test A IN, at offset 12
    1, b'b', 4, b't', b'e', b's', b't', 0, 0, 1, 0, 1, // b.test A IN
    0xc0, 12, 0, 1, 0, 1, 0, 0, 1, 0x2c, 0, 4, 192, 0, 2, 1,
];

fn reads_past_every_question(session: &Session) -> Result<(), Failure> {
    let want = [record("a.test", 1, 300, a("192.0.2.1"))];
    for (what, msg) in
        [("a reply with no question", NO_QUESTION), ("a reply with two questions", TWO_QUESTIONS)]
    {
        let got = session.call("dns_query::parse_response", WAIT, move || {
            subject::dns_query::parse_response(msg)
        })?;
        session.note(format!("parse_response({what}) = {got:?}"));
        if !matches!(&got, Ok(response) if response.answers == want) {
            let mistake = "reading past one question whatever QDCOUNT says: skip QDCOUNT \
                           questions (each a name, then 4 bytes), since a reply may carry none \
                           or several";
            let good = ("the captured dnsmasq reply for www.example.test A", CAPTURED_A.to_vec());
            let mistake = match &got {
                Err(err) => unless_misread(session, err, Some(good), mistake.into()),
                Ok(_) => match misreads_replies(session, None) {
                    Some(cause) => format!("the records misread, and {cause}"),
                    None => mistake.into(),
                },
            };
            return Err(session.wrong(format!("the records {want:?} from {what}"), mistake));
        }
    }
    Ok(())
}

/// Calls `addresses(msg, qtype)`.
fn addresses(
    session: &Session,
    what: &str,
    msg: Vec<u8>,
    qtype: u16,
) -> Result<Result<Vec<IpAddr>, DnsError>, Failure> {
    let got = session
        .call("dns_query::addresses", WAIT, move || subject::dns_query::addresses(&msg, qtype))?;
    session.note(format!("addresses({what}, {qtype}) = {got:?}"));
    Ok(got)
}

fn collects_the_addresses_of_the_asked_type(session: &Session) -> Result<(), Failure> {
    let cases: [(&str, &[u8], u16, Vec<IpAddr>); 4] = [
        ("the captured A reply", CAPTURED_A, 1, ips(&["192.0.2.10"])),
        ("the captured AAAA reply", CAPTURED_AAAA, 28, ips(&["2001:db8::10"])),
        ("the CNAME chain", CHAIN, 1, ips(&["192.0.2.10", "192.0.2.11"])),
        ("the CNAME chain, asking for AAAA", CHAIN, 28, vec![]),
    ];
    for (what, msg, qtype, want) in cases {
        match addresses(session, what, msg.to_vec(), qtype)? {
            Ok(got) if got == want => {}
            Ok(_) => {
                return Err(session.wrong(
                    format!("the addresses {want:?}, in the order given"),
                    "not keeping exactly the answer records of the type asked for (and class IN): \
                     CNAME records and records of the other address type are passed over",
                ));
            }
            Err(err) => {
                let mistake = format!(
                    "it returned the error {err}: a reply with RCODE 0 and QR set is an answer"
                );
                let good = Some((what, msg.to_vec()));
                let mistake = unless_misread(session, &err, good, mistake);
                return Err(session.wrong(format!("the addresses {want:?}"), mistake));
            }
        }
    }
    Ok(())
}

fn ignores_the_z_ad_and_cd_bits(session: &Session) -> Result<(), Failure> {
    for (bits, what) in [
        (0x20u8, "AD (bit 5), as a validating resolver sends"),
        (0x0010, "CD (bit 4)"),
        (0x0030, "AD and CD"),
        (0x0070, "Z, AD and CD"),
    ] {
        let mut msg = CAPTURED_A.to_vec();
        msg[3] |= bits;
        let shown = format!(
            "the captured A reply with {what} set, flags {:#06x}",
            0x8580 | u16::from(bits)
        );
        match addresses(session, &shown, msg, 1)? {
            Ok(got) if got == ips(&["192.0.2.10"]) => {}
            Ok(_) => {
                return Err(
                    session.wrong(format!("[192.0.2.10] for {shown}"), "the wrong addresses")
                );
            }
            Err(DnsError::ErrorCode(code)) => {
                return Err(session.wrong(
                    format!("[192.0.2.10] for {shown}"),
                    format!(
                        "RCODE read as {code}: RCODE is the flags' low four bits only \
                         (`flags & 0x000f`); the bits above it are Z, AD and CD"
                    ),
                ));
            }
            Err(err) => {
                let mistake = format!(
                    "it returned the error {err}: demanding that the three bits between RA and \
                     RCODE be 0; only bit 6 is Z, bit 5 is AD and bit 4 is CD (RFC 4035, section \
                     3.2.3; RFC 6895, section 2), and a reply is not refused for them"
                );
                let good =
                    Some(("the captured A reply as it came, flags 0x8580", CAPTURED_A.to_vec()));
                let mistake = unless_misread(session, &err, good, mistake);
                return Err(session.wrong(format!("[192.0.2.10] for {shown}"), mistake));
            }
        }
    }
    Ok(())
}

/// Every reply cut short, at each byte: all of its bytes belong to the header's question
/// and its records, so each cut leaves something missing that a count or a length promised.
fn refuses_a_reply_cut_short_at_any_byte(session: &Session) -> Result<(), Failure> {
    for (what, msg) in
        [("the captured A reply", CAPTURED_A), ("the reply with a CNAME chain", CHAIN)]
    {
        for len in 0..msg.len() {
            let cut = &msg[..len];
            let got = session
                .call("dns_query::parse_response", WAIT, move || {
                    subject::dns_query::parse_response(cut)
                })
                .map_err(|failure| match failure {
                    Failure::Wrong { expected, .. } => session.wrong(
                        expected,
                        format!(
                            "a panic on {what} cut short after {len} of its {} bytes: an index \
                             or a slice past the end of the message (`msg[a..b]`, `msg[i]`); \
                             read with `msg.get(a..b)` and return `Malformed` when it gives \
                             `None` (a count or an RDLENGTH can promise more bytes than came)",
                            msg.len()
                        ),
                    ),
                    not_done => not_done,
                })?;
            if !matches!(got, Err(DnsError::Malformed(_))) {
                session.note(format!("parse_response({what}, cut after {len} bytes) = {got:?}"));
                return Err(session.wrong(
                    format!("Err(DnsError::Malformed) for {what} cut short after {len} bytes"),
                    "a reply cut short taken as whole, or refused as something else: the header \
                     promises QDCOUNT questions and ANCOUNT records, and each record RDLENGTH \
                     bytes of data; when the message ends before them, it is malformed",
                ));
            }
        }
        session.note(format!("parse_response refused {what} cut after each of its bytes"));
    }
    Ok(())
}

fn refuses_address_records_of_the_wrong_length(session: &Session) -> Result<(), Failure> {
    // The captured A reply, its A record given a fifth byte of data (RDLENGTH 5).
    let mut a5 = CAPTURED_A.to_vec();
    let rdlength_at = 65 + 10;
    a5[rdlength_at + 1] = 5;
    a5.push(0x63);
    // The captured AAAA reply, its AAAA record cut to 15 bytes (RDLENGTH 15).
    let mut aaaa15 = CAPTURED_AAAA.to_vec();
    aaaa15[65 + 11] = 15;
    aaaa15.pop();
    for (what, msg) in [("an A record of 5 bytes", a5), ("an AAAA record of 15 bytes", aaaa15)] {
        let got = session.call("dns_query::parse_response", WAIT, move || {
            subject::dns_query::parse_response(&msg)
        })?;
        session.note(format!("parse_response(a reply with {what}) = {got:?}"));
        if !matches!(got, Err(DnsError::Malformed(_))) {
            return Err(session.wrong(
                format!("Err(DnsError::Malformed) for a reply with {what}"),
                "an address record of the wrong length let through: A data is exactly 4 bytes \
                 and AAAA exactly 16 (RFC 1035, section 3.4.1; RFC 3596, section 2.2); any other \
                 RDLENGTH for them is malformed, not a record of another kind",
            ));
        }
    }
    Ok(())
}

/// `msg` with its RCODE set to `rcode`.
fn with_rcode(msg: &[u8], rcode: u8) -> Vec<u8> {
    let mut msg = msg.to_vec();
    msg[3] = (msg[3] & 0xf0) | rcode;
    msg
}

fn reports_nxdomain_and_other_error_codes(session: &Session) -> Result<(), Failure> {
    let got = addresses(session, "the captured NXDOMAIN reply", CAPTURED_NXDOMAIN.to_vec(), 1)?;
    if !matches!(got, Err(DnsError::NoSuchName)) {
        return Err(session.wrong(
            "Err(DnsError::NoSuchName) for a reply with RCODE 3",
            "not reading RCODE, the flags' low four bits: 3 is NXDOMAIN, the name does not exist, \
             which is not the same as a name with no addresses",
        ));
    }
    for rcode in [2, 5, 1] {
        let got = addresses(
            session,
            &format!("a reply with RCODE {rcode}"),
            with_rcode(CAPTURED_A, rcode),
            1,
        )?;
        if !matches!(got, Err(DnsError::ErrorCode(code)) if code == rcode) {
            let mistake = "not checking RCODE before taking the records: any RCODE but 0 is an \
                           error, to be reported";
            let mistake = match &got {
                Err(err @ DnsError::Malformed(_)) => match misreads_replies(session, None) {
                    Some(cause) => format!(
                        "it returned the error {err}: the records, well formed, were read before \
                         RCODE was looked at, and misread: {cause}"
                    ),
                    None => mistake.into(),
                },
                _ => mistake.into(),
            };
            return Err(session.wrong(
                format!("Err(DnsError::ErrorCode({rcode})) for a reply with RCODE {rcode}"),
                mistake,
            ));
        }
    }
    Ok(())
}

fn reports_a_truncated_reply(session: &Session) -> Result<(), Failure> {
    let mut cut = CHAIN[..40].to_vec();
    cut[2] |= 0x02;
    let got = addresses(session, "a reply with TC set, cut short inside its first record", cut, 1)?;
    if !matches!(got, Err(DnsError::Truncated)) {
        return Err(session.wrong(
            "Err(DnsError::Truncated)",
            "not checking the TC bit (0x0200 in the flags) before reading the records: a truncated \
             reply may end in the middle of one, and the client should say it was truncated",
        ));
    }
    let mut whole = CHAIN.to_vec();
    whole[2] |= 0x02;
    let got = addresses(session, "the whole CNAME chain with TC set", whole, 1)?;
    if !matches!(got, Err(DnsError::Truncated)) {
        let mistake = "not checking the TC bit: a truncated reply may lack records, so its answer \
                       is not to be trusted";
        let mistake = match &got {
            Err(err @ DnsError::Malformed(_)) => match misreads_replies(session, None) {
                Some(cause) => format!(
                    "it returned the error {err}: the records, well formed, were read before TC \
                     was looked at, and misread: {cause}"
                ),
                None => mistake.into(),
            },
            _ => mistake.into(),
        };
        return Err(
            session.wrong("Err(DnsError::Truncated) even though these records read well", mistake)
        );
    }
    Ok(())
}

fn rejects_a_reply_that_is_not_a_response(session: &Session) -> Result<(), Failure> {
    let got = addresses(
        session,
        "the query itself (as an echo server would send it back)",
        EXAMPLE_QUERY.to_vec(),
        1,
    )?;
    if !matches!(got, Err(DnsError::NotAResponse)) {
        return Err(session.wrong(
            "Err(DnsError::NotAResponse)",
            "not checking the QR bit (0x8000 in the flags): a message with QR = 0 is a query",
        ));
    }
    Ok(())
}

/// Calls `resolve` against a reference server behaving so; returns what it returned, how
/// long it took, once the server has seen one well-formed query with the ID given.
fn resolve_against(
    session: &Session,
    behaviour: Behaviour,
    timeout: Duration,
    wait: Duration,
) -> Result<(Result<Vec<IpAddr>, DnsError>, Duration), Failure> {
    let server = DnsServer::start(session, behaviour)?;
    let to = server.addr;
    let socket = UdpSocket::bind("127.0.0.1:0")
        .map_err(|err| session.wrong("a socket for the client", err))?;
    session.note(format!(
        "calls resolve(socket, {to}, 0x4242, \"host.example.test\", 1, {timeout:?})"
    ));
    let started = Instant::now();
    let got = session.call("dns_query::resolve", wait, move || {
        subject::dns_query::resolve(&socket, to, 0x4242, "host.example.test", 1, timeout)
    });
    let took = started.elapsed();
    let queries = server.finish();
    let got = got.map_err(|failure| match failure {
        Failure::Wrong { expected, .. } if expected.contains("to return within") => session.wrong(
            format!("resolve to give up after its timeout, {timeout:?}"),
            "no timeout, or one that starts again: set a read timeout, and let each ignored \
             datagram leave the deadline where it was, waiting only for what is left of it",
        ),
        failure => failure,
    })?;
    session.note(format!("resolve returned {got:?} after {took:?}"));
    expect_good_queries(session, &queries, Some(0x4242))?;
    Ok((got, took))
}

/// Expects exactly one query, well-formed, with the ID given if any.
fn expect_good_queries(
    session: &Session,
    queries: &[Query],
    id: Option<u16>,
) -> Result<(), Failure> {
    if let [query] = queries {
        if let Some(problem) = query.problems.first() {
            return Err(session.wrong(
                "a query as RFC 1035 lays it out",
                format!("the server found that {problem}"),
            ));
        }
        if id.is_some_and(|id| id != query.id) {
            return Err(session.wrong(
                format!("a query with the ID given, {:#06x}", id.unwrap_or_default()),
                "another ID in the query: pass `id` to build_query",
            ));
        }
        return Ok(());
    }
    Err(session.wrong(
        "exactly one query sent to the server",
        format!("{} queries: send the query once, then only receive", queries.len()),
    ))
}

fn ignores_replies_with_another_id(session: &Session) -> Result<(), Failure> {
    let (got, ..) = resolve_against(session, Behaviour::WrongIdFirst, 1000 * MS, WAIT)?;
    expect_host_addresses(session, got, "a reply with another ID")
}

fn ignores_replies_from_other_addresses(session: &Session) -> Result<(), Failure> {
    let (got, ..) = resolve_against(session, Behaviour::ForgedSourceFirst, 1000 * MS, WAIT)?;
    expect_host_addresses(session, got, "a reply from another address than the server's")
}

fn expect_host_addresses(
    session: &Session,
    got: Result<Vec<IpAddr>, DnsError>,
    first: &str,
) -> Result<(), Failure> {
    let want = ips(&["192.0.2.10", "192.0.2.11"]);
    match got {
        Ok(got) if got == want => Ok(()),
        Ok(got) if got.iter().any(|ip| ip.to_string() == FORGED) => Err(session.wrong(
            format!("{want:?}, from the real answer that came second"),
            format!(
                "taking {first} for the answer: ignore every datagram that does not come from the \
                 server's address with the query's ID, and keep waiting"
            ),
        )),
        Ok(_) => Err(session.wrong(format!("{want:?}"), "the wrong addresses")),
        Err(err) => {
            let mistake = format!(
                "it returned the error {err}: {first} came first, and is to be ignored (it may be \
                 a late answer to an earlier query, or a forgery), not taken for a failure"
            );
            let good = ("the server's real answer", answer_to(0x4242, "host.example.test", 1));
            let mistake = unless_misread(session, &err, Some(good), mistake);
            Err(session.wrong(format!("{want:?}, from the real answer that came second"), mistake))
        }
    }
}

fn gives_up_after_the_timeout(session: &Session) -> Result<(), Failure> {
    // A server that sends nothing: the only way out is the read timeout passing.
    let (got, _) = resolve_against(session, Behaviour::Silent, 100 * MS, 1500 * MS)?;
    match got {
        Err(DnsError::Timeout) => {}
        Err(DnsError::Io(err)) => {
            return Err(session.wrong(
                "Err(DnsError::Timeout) from a server that never answers",
                format!(
                    "the error {err}: a read timeout passing shows as WouldBlock (TimedOut on \
                     Windows); that is DnsError::Timeout"
                ),
            ));
        }
        other => {
            return Err(session.wrong(
                "Err(DnsError::Timeout) from a server that never answers",
                format!("{other:?}"),
            ));
        }
    }
    let (got, took) = resolve_against(session, Behaviour::Stale, 200 * MS, 1500 * MS)?;
    match got {
        Err(DnsError::Timeout) if took >= 190 * MS && took <= 700 * MS => Ok(()),
        Err(DnsError::Timeout) if took < 190 * MS => Err(session.wrong(
            "Err(DnsError::Timeout) after the whole 200ms",
            format!("it gave up after {took:?}: a wrong reply ended the wait; ignore it and wait on"),
        )),
        Err(DnsError::Timeout) => Err(session.wrong(
            "Err(DnsError::Timeout) about 200ms after the query",
            format!(
                "it took {took:?}: the timeout starts again with each ignored reply; compute the \
                 deadline once, then wait only for what is left of it"
            ),
        )),
        Err(DnsError::Io(err)) => Err(session.wrong(
            "Err(DnsError::Timeout)",
            format!(
                "the error {err}: a read timeout passing shows as WouldBlock (TimedOut on Windows); \
                 that is DnsError::Timeout"
            ),
        )),
        other => Err(session.wrong(
            "Err(DnsError::Timeout): only replies with another ID came, never the answer",
            format!("{other:?}: a reply with another ID taken for the answer, or for an error"),
        )),
    }
}

/// Runs `dns-query NAME TYPE ADDR` against a reference server behaving so.
fn run_query(
    session: &Session,
    behaviour: Behaviour,
    name: &str,
    qtype: &str,
) -> Result<Finished, Failure> {
    run_query_with_id(session, behaviour, name, qtype).map(|(finished, _)| finished)
}

/// Runs `dns-query NAME TYPE ADDR` against a reference server behaving so; returns how
/// the program ended and the ID of its query.
fn run_query_with_id(
    session: &Session,
    behaviour: Behaviour,
    name: &str,
    qtype: &str,
) -> Result<(Finished, u16), Failure> {
    let server = DnsServer::start(session, behaviour)?;
    let addr = server.addr.to_string();
    let finished = session.run_with_args_to_end("dns-query", &[name, qtype, &addr], "");
    let queries = server.finish();
    let finished = finished?;
    expect_good_queries(session, &queries, None)?;
    Ok((finished, queries[0].id))
}

fn prints_one_address_per_line(session: &Session) -> Result<(), Failure> {
    let cases = [
        ("host.example.test", "A", "192.0.2.10\n192.0.2.11\n"),
        ("www.example.test", "AAAA", "2001:db8::10\n"),
        ("WWW.Example.Test", "A", "192.0.2.10\n192.0.2.11\n"),
    ];
    let mut ids = Vec::new();
    for (name, qtype, want) in cases {
        let (finished, id) = run_query_with_id(session, Behaviour::Normal, name, qtype)?;
        ids.push(id);
        if !finished.output.status.success() {
            let qtype_number = if qtype == "A" { 1 } else { 28 };
            let good = ("the server's answer", answer_to(id, name, qtype_number));
            let mistake = match misreads_replies(session, Some(good)) {
                Some(cause) => format!("an error for a good answer (its stderr above): {cause}"),
                None => "an error for a good answer: its stderr above says which; the checks of \
                         parse_response and addresses above say where"
                    .into(),
            };
            return Err(
                session.wrong(format!("exit code 0 and exactly {want:?} on stdout"), mistake)
            );
        }
        if finished.stdout() != want {
            return Err(session.wrong(
                format!("exactly {want:?} on stdout"),
                "each address alone on a line, in the order the reply gives them, and nothing \
                 else on stdout; or an answer misread (the checks of parse_response and \
                 addresses above say where)",
            ));
        }
    }
    session.note(format!("the three queries' IDs: {ids:04x?}"));
    if ids.iter().all(|&id| id == ids[0]) {
        return Err(session.wrong(
            "a new, hard to guess ID for each query",
            "the same ID in every run: anyone who can guess the ID can forge the answer (RFC \
             5452, section 4.3); take each query's ID from `random_id()`",
        ));
    }
    Ok(())
}

fn reports_errors_in_one_line(session: &Session) -> Result<(), Failure> {
    let cases = [
        (Behaviour::Normal, "missing.example.test", "NXDOMAIN"),
        (Behaviour::Normal, "fail.example.test", "SERVFAIL"),
        (Behaviour::Truncated, "host.example.test", "truncated"),
        (Behaviour::EchoesTheQuery, "host.example.test", "not a response"),
    ];
    for (behaviour, name, words) in cases {
        let finished = run_query(session, behaviour, name, "A")?;
        let stderr = finished.stderr();
        let mistake = if stderr.contains("panicked") {
            "a panic: an `unwrap()`, `expect()` or index out of range on the reply; return a \
             DnsError instead"
        } else if finished.output.status.success() || !finished.stdout().is_empty() {
            "the reply taken for an answer: the header's QR bit, TC bit and RCODE are checked \
             before the records are read, and any of them gives an error, not addresses"
        } else if stderr.lines().count() != 1 {
            "more than one line on stderr: the error's `Display`, once, is the whole report"
        } else if !stderr.contains(words) {
            "another DnsError than the one that fits: NXDOMAIN is RCODE 3, SERVFAIL RCODE 2, \
             the TC bit is 0x0200 and the QR bit 0x8000 in the flags"
        } else {
            ""
        };
        if !mistake.is_empty() {
            return Err(session.wrong(
                format!(
                    "a non-zero exit, nothing on stdout, and one line on stderr saying {words:?}"
                ),
                mistake,
            ));
        }
    }
    Ok(())
}
