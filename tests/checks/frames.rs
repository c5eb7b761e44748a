//! Checks of building and parsing Ethernet II / IPv4 / UDP frames (`exercises/src/frames.rs`).
//!
//! The frames come from real captures (see `captures.rs`). Frames that `build` must
//! produce were made from them (identification 0, padding to 60 bytes) and checked with
//! `tcpdump -vv`, which verified both checksums of each. Damaged frames are made here
//! from good ones, one fault at a time, with the other checksums made right again so
//! that only the fault under test is there to find.

use std::net::Ipv4Addr;

use grader::{Check, Failure, Session, WAIT};
use subject::frames::{Frame, FrameError};

use super::captures::{
    BOOK_HELLO, LOOPBACK_EMPTY, LOOPBACK_EMPTY_UDP_CHECKSUM, LOOPBACK_HELLO,
    LOOPBACK_HELLO_UDP_CHECKSUM, LOOPBACK_NO_CHECKSUM, VETH_BYE, VETH_HELLO, VETH_HOW_ARE_U,
};
use super::checksum::reference_sum;

pub const CHECKS: &[Check] = grader::checks!("frames": checksums_the_pseudo_header_and_the_datagram, builds_captured_frames_byte_for_byte, pads_short_frames_to_60_bytes, writes_and_reads_a_zero_udp_checksum_as_ffff, refuses_a_payload_too_long_for_one_packet, parses_captured_frames, parses_a_header_with_options, accepts_a_udp_checksum_of_zero_as_none, rejects_a_bad_udp_checksum, rejects_a_bad_ipv4_header_checksum, rejects_a_truncated_frame, rejects_inconsistent_lengths, rejects_frames_that_are_not_ipv4_udp, round_trips_edge_values);

const LOOPBACK: Ipv4Addr = Ipv4Addr::LOCALHOST;
const HOST_1: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 1);
const HOST_2: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 2);
const MAC_1: [u8; 6] = [0x02, 0, 0, 0, 0, 0x01];
const MAC_2: [u8; 6] = [0x02, 0, 0, 0, 0, 0x02];

/// Where the UDP datagram starts in a frame without IPv4 options.
const UDP: usize = 34;

/// [`VETH_HELLO`] as `build` must make it: identification 0 (so another IPv4
/// checksum) and padded to 60 bytes. `tcpdump -vv`: `[udp sum ok]`, no bad IPv4 checksum.
const BUILT_VETH_HELLO: [u8; 60] = [
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x45, 0x00,
    0x00, 0x21, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0xb6, 0xc8, 0xc0, 0x00, 0x02, 0x01, 0xc0, 0x00,
    0x02, 0x02, 0xc3, 0xcb, 0x13, 0x88, 0x00, 0x0d, 0x60, 0xaa, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
];

/// [`VETH_HOW_ARE_U`] as `build` must make it.
const BUILT_VETH_HOW_ARE_U: [u8; 60] = [
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x45, 0x00,
    0x00, 0x25, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0xb6, 0xc4, 0xc0, 0x00, 0x02, 0x01, 0xc0, 0x00,
    0x02, 0x02, 0xc3, 0xcb, 0x13, 0x88, 0x00, 0x11, 0x89, 0x51, 0x68, 0x6f, 0x77, 0x20, 0x61, 0x72,
    0x65, 0x20, 0x75, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
];

/// [`LOOPBACK_HELLO`] as `build` must make it, with the UDP checksum a network card would
/// have filled in (0x69ab).
const BUILT_LOOPBACK_HELLO: [u8; 60] = [
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x45, 0x00,
    0x00, 0x21, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x3c, 0xca, 0x7f, 0x00, 0x00, 0x01, 0x7f, 0x00,
    0x00, 0x01, 0x9c, 0x40, 0xb8, 0x13, 0x00, 0x0d, 0x69, 0xab, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
];

/// `hello` from 192.0.2.1 to the broadcast address and MAC, as `build` must make it.
const BUILT_BROADCAST_HELLO: [u8; 60] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x45, 0x00,
    0x00, 0x21, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x78, 0xcb, 0xc0, 0x00, 0x02, 0x01, 0xff, 0xff,
    0xff, 0xff, 0xc3, 0xcb, 0x13, 0x88, 0x00, 0x0d, 0x22, 0xad, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
];

/// The two data bytes a4 82 from 192.0.2.1:50123 to 192.0.2.2:5000: chosen so that the
/// UDP checksum computes to 0, which is sent as 0xffff (RFC 768).
const BUILT_ZERO_SUM: [u8; 60] = [
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x45, 0x00,
    0x00, 0x1e, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0xb6, 0xcb, 0xc0, 0x00, 0x02, 0x01, 0xc0, 0x00,
    0x02, 0x02, 0xc3, 0xcb, 0x13, 0x88, 0x00, 0x0a, 0xff, 0xff, 0xa4, 0x82, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
];

/// [`VETH_HELLO`] with a 4-byte IPv4 option, Router Alert (94 04 00 00, RFC 2113): IHL 6,
/// a 24-byte IPv4 header, the UDP datagram at byte 38. Hand-made (identification 0x1234);
/// `tcpdump -vv` shows `options (RA)` and `[udp sum ok]`.
const WITH_OPTIONS: [u8; 51] = [
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x46, 0x00,
    0x00, 0x25, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x0f, 0x8c, 0xc0, 0x00, 0x02, 0x01, 0xc0, 0x00,
    0x02, 0x02, 0x94, 0x04, 0x00, 0x00, 0xc3, 0xcb, 0x13, 0x88, 0x00, 0x0d, 0x60, 0xaa, 0x68, 0x65,
    0x6c, 0x6c, 0x6f,
];

fn frame(
    (src_mac, dst_mac): ([u8; 6], [u8; 6]),
    (src_ip, dst_ip): (Ipv4Addr, Ipv4Addr),
    (src_port, dst_port): (u16, u16),
    payload: &[u8],
) -> Frame {
    Frame { src_mac, dst_mac, src_ip, dst_ip, src_port, dst_port, payload: payload.to_vec() }
}

/// What the Ethernet `hello` frames carry.
fn veth_hello() -> Frame {
    frame((MAC_1, MAC_2), (HOST_1, HOST_2), (50123, 5000), b"hello")
}

/// What the loopback `hello` frames carry.
fn loopback_hello() -> Frame {
    frame(([0; 6], [0; 6]), (LOOPBACK, LOOPBACK), (40000, 47123), b"hello")
}

fn mac(mac: &[u8; 6]) -> String {
    let hex: Vec<String> = mac.iter().map(|b| format!("{b:02x}")).collect();
    hex.join(":")
}

/// A frame's fields on one line, the payload cut short when long.
fn show(frame: &Frame) -> String {
    let payload = if frame.payload.len() <= 24 {
        format!("{:?}", String::from_utf8_lossy(&frame.payload))
    } else {
        format!("({} bytes)", frame.payload.len())
    };
    format!(
        "{} > {}, {}:{} > {}:{}, payload {payload}",
        mac(&frame.src_mac),
        mac(&frame.dst_mac),
        frame.src_ip,
        frame.src_port,
        frame.dst_ip,
        frame.dst_port,
    )
}

fn show_result(result: &Result<Frame, FrameError>) -> String {
    match result {
        Ok(frame) => format!("Ok({})", show(frame)),
        Err(err) => format!("Err({err:?})"),
    }
}

fn hex(bytes: &[u8]) -> String {
    let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    hex.join(" ")
}

/// Writes `value` big-endian at `at`.
fn put_u16(bytes: &mut [u8], at: usize, value: u16) {
    bytes[at..at + 2].copy_from_slice(&value.to_be_bytes());
}

/// Makes the IPv4 header checksum of `bytes` right again after a change, for a header
/// of `header_len` bytes.
fn fix_ip_checksum(bytes: &mut [u8], header_len: usize) {
    let header = 14..14 + header_len;
    put_u16(bytes, 24, 0);
    let sum = !reference_sum(&bytes[header]);
    put_u16(bytes, 24, sum);
}

fn build(session: &Session, frame: &Frame) -> Result<Result<Vec<u8>, FrameError>, Failure> {
    let owned = frame.clone();
    let got = session
        .call("frames::build", WAIT, move || subject::frames::build(&owned))
        .inspect_err(|_| session.note(format!("that was build({})", show(frame))))?;
    match &got {
        Ok(bytes) if bytes.len() <= 64 => {
            session.note(format!("build({}) = {} bytes: {}", show(frame), bytes.len(), hex(bytes)));
        }
        Ok(bytes) => session.note(format!("build({}) = {} bytes", show(frame), bytes.len())),
        Err(err) => session.note(format!("build({}) = Err({err:?})", show(frame))),
    }
    Ok(got)
}

fn parse(
    session: &Session,
    what: &str,
    bytes: &[u8],
) -> Result<Result<Frame, FrameError>, Failure> {
    let owned = bytes.to_vec();
    let got = session
        .call("frames::parse", WAIT, move || subject::frames::parse(&owned))
        .inspect_err(|_| session.note(format!("that was parse({what}: {})", hex(bytes))))?;
    session.note(format!("parse({what}, {} bytes) = {}", bytes.len(), show_result(&got)));
    Ok(got)
}

/// Expects `parse` to return `want` for `bytes`, and words the difference.
fn expect_parse(
    session: &Session,
    what: &str,
    bytes: &[u8],
    want: Result<Frame, FrameError>,
    mistake: impl FnOnce(&Result<Frame, FrameError>) -> String,
) -> Result<(), Failure> {
    let got = parse(session, what, bytes).map_err(|failure| match failure {
        // A panic where lengths that do not fit are due an error: one was used unchecked.
        Failure::Wrong { expected, .. }
            if want == Err(FrameError::BadLength) && expected.contains("not to panic") =>
        {
            session.wrong(
                format!("parse({what}) = Err(BadLength), not a panic"),
                "a panic on lengths that do not fit: a length read from the frame was used to \
                 slice or subtract before it was checked; the IPv4 total length must leave room \
                 for the IPv4 header and the 8-byte UDP header (at least IHL × 4 + 8), and the \
                 UDP length must be at least 8 and match; check them first and return BadLength",
            )
        }
        failure => failure,
    })?;
    if got != want {
        let mistake = mistake(&got);
        return Err(session.wrong(format!("parse({what}) = {}", show_result(&want)), mistake));
    }
    Ok(())
}

/// The usual reasons why parsing an intact frame goes wrong, from what came back.
fn diagnose_parse(want: &Frame, got: &Result<Frame, FrameError>) -> String {
    match got {
        Ok(got)
            if got.src_mac == want.dst_mac
                && got.dst_mac == want.src_mac
                && got.src_mac != got.dst_mac =>
        {
            "the MAC addresses swapped: the destination MAC comes first in the Ethernet header, \
             bytes 0 to 5, then the source, bytes 6 to 11"
                .into()
        }
        Ok(got) if got.src_ip != want.src_ip || got.dst_ip != want.dst_ip => {
            "the IP addresses read from the wrong bytes: the source address is at bytes 12 to \
             15 of the IPv4 header, the destination at 16 to 19"
                .into()
        }
        Ok(got) if got.src_port != want.src_port || got.dst_port != want.dst_port => {
            "the ports read from the wrong bytes or in host byte order: the UDP source port is \
             the first two bytes of the UDP header, the destination the next two, both \
             `u16::from_be_bytes`"
                .into()
        }
        Ok(got) if got.payload.starts_with(&want.payload) => {
            "data that runs past the IPv4 packet: bytes after the IPv4 total length are \
             Ethernet padding, and the data ends where the UDP length says"
                .into()
        }
        Ok(_) => "a payload other than the bytes after the 8-byte UDP header".into(),
        Err(FrameError::BadIpChecksum) => {
            "an intact IPv4 header rejected: `internet_checksum` over the whole IPv4 header (IHL \
             × 4 bytes), checksum field included, is 0 when the header is intact"
                .into()
        }
        Err(FrameError::BadUdpChecksum) => {
            "an intact UDP datagram rejected: `udp_checksum` over the datagram as received \
             (from the IPv4 addresses and the UDP header up to the UDP length) is 0 when it is \
             intact"
                .into()
        }
        Err(FrameError::BadLength) => {
            "lengths compared wrongly: the UDP length must equal the IPv4 total length minus \
             the IPv4 header length, and bytes after the total length are padding"
                .into()
        }
        Err(FrameError::Truncated) => {
            "a complete frame called truncated: it only is when it ends before the IPv4 total \
             length (counted from the end of the Ethernet header) says the packet does"
                .into()
        }
        Err(err) => format!(
            "rejecting an intact frame as {err:?}: multi-byte fields are big-endian, and the \
             first IPv4 byte holds the version in its high 4 bits, the IHL in its low 4"
        ),
    }
}

/// Names the field at byte `at` of a frame built without options, and the likely mistake.
fn field_at(at: usize, payload_len: usize) -> (&'static str, &'static str) {
    match at {
        0..=11 => (
            "an Ethernet MAC address",
            "the destination MAC comes first in the Ethernet header, then the source MAC",
        ),
        12..=13 => ("the EtherType", "ETHERTYPE_IPV4 written big-endian, `to_be_bytes`: 08 00"),
        14 => {
            ("the IPv4 version and IHL", "0x45: version 4 in the high 4 bits, IHL 5 in the low 4")
        }
        15 => ("the type of service", "type of service 0"),
        16..=17 => (
            "the IPv4 total length",
            "the total length counts the IPv4 header, the UDP header and the data (20 + 8 + \
             payload), big-endian; not the Ethernet header, not the padding",
        ),
        18..=19 => ("the identification", "identification 0"),
        20..=21 => ("the flags and fragment offset", "DONT_FRAGMENT, 0x4000, big-endian"),
        22 => ("the time to live", "TTL, 64"),
        23 => ("the protocol", "PROTOCOL_UDP, 17"),
        24..=25 => (
            "the IPv4 header checksum",
            "the IPv4 checksum is `internet_checksum` over the 20-byte IPv4 header only, \
             computed while its checksum field is 0 and written big-endian",
        ),
        26..=33 => (
            "an IPv4 address",
            "the source address comes before the destination, each as `Ipv4Addr::octets`",
        ),
        34..=37 => ("a UDP port", "the source port comes first, then the destination, big-endian"),
        38..=39 => (
            "the UDP length",
            "the UDP length counts the 8-byte UDP header and the data, big-endian",
        ),
        40..=41 => (
            "the UDP checksum",
            "the UDP checksum is `udp_checksum(src_ip, dst_ip, ..)` over the UDP header, with \
             its checksum field 0, and the data: the pseudo-header must be in the sum",
        ),
        _ if at < 42 + payload_len => ("the data", "the payload, as it is, after the UDP header"),
        _ => ("the padding", "zero bytes after the packet, up to MIN_FRAME_LEN (60) bytes"),
    }
}

/// Expects `build(frame)` to be `want` byte for byte, and names the first field that differs.
fn expect_built(session: &Session, frame: &Frame, want: &[u8]) -> Result<(), Failure> {
    let got = build(session, frame)?.map_err(|err| {
        session.wrong(
            format!("build to return the {}-byte frame {}", want.len(), hex(want)),
            format!("it returned the error {err:?}"),
        )
    })?;
    if got == want {
        return Ok(());
    }
    let expected = format!("the {}-byte frame {}", want.len(), hex(want));
    match got.iter().zip(want).position(|(a, b)| a != b) {
        Some(at) => {
            let (field, mistake) = field_at(at, frame.payload.len());
            session.note(format!("the first difference is at byte {at}, in {field}"));
            Err(session.wrong(expected, mistake))
        }
        None if got.len() < want.len() && got.len() >= 42 + frame.payload.len() => Err(session
            .wrong(
                expected,
                format!(
                    "a frame of {} bytes, not padded: Ethernet needs at least 60 bytes (without \
                     FCS), so pad with zero bytes up to MIN_FRAME_LEN",
                    got.len()
                ),
            )),
        None => Err(session.wrong(
            expected,
            format!(
                "a frame of {} bytes: the three headers (14 + 20 + 8 bytes) and the data, \
                 padded with zero bytes to 60 bytes if shorter, nothing more",
                got.len()
            ),
        )),
    }
}

fn checksums_the_pseudo_header_and_the_datagram(session: &Session) -> Result<(), Failure> {
    let cases: [(&str, &[u8], Ipv4Addr, Ipv4Addr, u16); 5] = [
        ("loopback `hello`", &LOOPBACK_HELLO, LOOPBACK, LOOPBACK, LOOPBACK_HELLO_UDP_CHECKSUM),
        (
            "loopback empty datagram",
            &LOOPBACK_EMPTY,
            LOOPBACK,
            LOOPBACK,
            LOOPBACK_EMPTY_UDP_CHECKSUM,
        ),
        ("Ethernet `hello`", &VETH_HELLO, HOST_1, HOST_2, 0x60aa),
        ("Ethernet `how are u`", &VETH_HOW_ARE_U, HOST_1, HOST_2, 0x8951),
        ("Ethernet `bye!`", &VETH_BYE, HOST_1, HOST_2, 0xdce3),
    ];
    for (what, frame, src, dst, want) in cases {
        let mut datagram = frame[UDP..].to_vec();
        datagram[6..8].fill(0);
        session.note(format!("the UDP datagram of the {what}, checksum field set to 0"));
        let owned = datagram.clone();
        let got = session.call("frames::udp_checksum", WAIT, move || {
            subject::frames::udp_checksum(src, dst, &owned)
        })?;
        session.note(format!("udp_checksum({src}, {dst}, {}) = {got:#06x}", hex(&datagram)));
        if got != want {
            let pseudo = |parts: &[&[u8]]| {
                let mut covered: Vec<u8> = parts.concat();
                covered.extend_from_slice(&datagram);
                !reference_sum(&covered)
            };
            let (s, d) = (src.octets(), dst.octets());
            let len = (datagram.len() as u16).to_be_bytes();
            let mistake = if got == !reference_sum(&datagram) {
                "forgetting the pseudo-header: the sum covers the source and destination IPv4 \
                 addresses, a zero byte, the protocol 17 and the UDP length, then the datagram"
            } else if got == pseudo(&[&s, &d, &[0, 17]]) {
                "a pseudo-header without the UDP length (2 bytes, big-endian) after the protocol"
            } else if got == pseudo(&[&s, &d, &len]) {
                "a pseudo-header without the zero byte and the protocol number 17"
            } else if got == pseudo(&[&s, &d, &[17, 0], &len]) {
                "the zero byte and the protocol swapped: the pseudo-header has 0 then 17"
            } else {
                "a pseudo-header other than source address, destination address, 0, 17, UDP \
                 length (12 bytes), or a checksum other than `internet_checksum` over it and \
                 the datagram"
            };
            return Err(session.wrong(
                format!("{want:#06x}, the UDP checksum of that datagram (as tcpdump computed it)"),
                mistake,
            ));
        }
    }
    // Over a datagram as received, checksum field included, an intact one checks to 0.
    let datagram = VETH_HELLO[UDP..].to_vec();
    let got = session.call("frames::udp_checksum", WAIT, move || {
        subject::frames::udp_checksum(HOST_1, HOST_2, &datagram)
    })?;
    session.note(format!("udp_checksum of the Ethernet `hello` datagram as captured = {got:#06x}"));
    if got != 0 {
        return Err(session.wrong(
            "0, the checksum of an intact datagram with its checksum field included",
            "a sum that leaves out part of the datagram or changes the checksum field",
        ));
    }
    Ok(())
}

fn builds_captured_frames_byte_for_byte(session: &Session) -> Result<(), Failure> {
    let broadcast =
        frame((MAC_1, [0xff; 6]), (HOST_1, Ipv4Addr::BROADCAST), (50123, 5000), b"hello");
    let cases: [(Frame, &[u8]); 4] = [
        (veth_hello(), &BUILT_VETH_HELLO),
        (
            frame((MAC_1, MAC_2), (HOST_1, HOST_2), (50123, 5000), b"how are u"),
            &BUILT_VETH_HOW_ARE_U,
        ),
        (loopback_hello(), &BUILT_LOOPBACK_HELLO),
        (broadcast, &BUILT_BROADCAST_HELLO),
    ];
    for (frame, want) in cases {
        expect_built(session, &frame, want)?;
    }
    Ok(())
}

fn pads_short_frames_to_60_bytes(session: &Session) -> Result<(), Failure> {
    // 14 + 20 + 8 = 42 bytes of headers: data of 18 bytes or more needs no padding.
    for (data_len, frame_len) in [(0, 60), (1, 60), (17, 60), (18, 60), (19, 61), (100, 142)] {
        let payload = vec![b'x'; data_len];
        let frame = frame((MAC_1, MAC_2), (HOST_1, HOST_2), (50123, 5000), &payload);
        let got = build(session, &frame)?.map_err(|err| {
            session.wrong(format!("a frame of {frame_len} bytes"), format!("the error {err:?}"))
        })?;
        let total_len = got.get(16..18).map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])));
        if got.len() != frame_len {
            let mistake = if got.len() == 42 + data_len {
                "no padding: an Ethernet frame is at least 60 bytes without its FCS, so pad with \
                 zero bytes after the packet up to MIN_FRAME_LEN"
            } else {
                "padding that is not just enough: pad only frames shorter than 60 bytes, and \
                 only up to 60"
            };
            return Err(session.wrong(
                format!("a frame of {frame_len} bytes for {data_len} bytes of data"),
                mistake,
            ));
        }
        if got[42 + data_len..].iter().any(|&b| b != 0) {
            return Err(session.wrong("padding of zero bytes", "padding with bytes other than 0"));
        }
        if total_len != Some(28 + data_len) {
            return Err(session.wrong(
                format!("an IPv4 total length of {} (20 + 8 + {data_len})", 28 + data_len),
                "counting the padding in the IPv4 total length: padding goes after the packet, \
                 outside it, added last",
            ));
        }
    }
    Ok(())
}

fn writes_and_reads_a_zero_udp_checksum_as_ffff(session: &Session) -> Result<(), Failure> {
    let zero_sum = frame((MAC_1, MAC_2), (HOST_1, HOST_2), (50123, 5000), &[0xa4, 0x82]);
    let got = build(session, &zero_sum)?;
    if let Ok(bytes) = &got {
        if bytes.get(40..42) == Some(&[0, 0]) {
            return Err(session.wrong(
                "the UDP checksum field ff ff: this datagram's checksum computes to 0",
                "sending a computed 0 as 0: in IPv4 a UDP checksum field of 0 means \"no \
                 checksum\", so a computed 0 is sent as 0xffff (RFC 768)",
            ));
        }
    }
    expect_built(session, &zero_sum, &BUILT_ZERO_SUM)?;
    // First a frame with no padding, so that only the reading of ff ff can go wrong.
    let (unpadded, unpadded_frame) = unpadded_zero_sum();
    let what = "a 62-byte frame (no padding) whose UDP checksum field is ff ff";
    let got = parse(session, what, &unpadded)?;
    if got != Ok(unpadded_frame.clone()) {
        let mistake = if got == Err(FrameError::BadUdpChecksum) {
            "comparing the checksum recomputed with the field zeroed (0) with the field \
             (0xffff): check instead that `udp_checksum` over the datagram as received is 0"
                .into()
        } else {
            diagnose_parse(&unpadded_frame, &got)
        };
        return Err(
            session.wrong(format!("parse({what}) = {}", show_result(&Ok(unpadded_frame))), mistake)
        );
    }
    expect_parse(
        session,
        "a 60-byte frame, 16 bytes of it padding, whose UDP checksum field is ff ff",
        &BUILT_ZERO_SUM,
        Ok(zero_sum.clone()),
        |got| {
            if got == &Err(FrameError::BadUdpChecksum) {
                "the Ethernet padding summed as part of the UDP datagram: the same checksum \
                 field passed in a frame without padding. The datagram ends where the IPv4 total \
                 length says (the UDP length agrees); sum only that, with that length"
                    .into()
            } else {
                diagnose_parse(&zero_sum, got)
            }
        },
    )
}

/// A 62-byte frame, too long to need padding, whose UDP checksum computes to 0 and is so
/// sent as ff ff: 18 bytes of text, then a word chosen to bring the sum to 0xffff.
fn unpadded_zero_sum() -> (Vec<u8>, Frame) {
    let mut payload = b"no padding, sum 0:".to_vec();
    payload.extend([0, 0]);
    let mut bytes = BUILT_ZERO_SUM[..42].to_vec();
    bytes.extend(&payload);
    put_u16(&mut bytes, 16, 28 + payload.len() as u16);
    put_u16(&mut bytes, 38, 8 + payload.len() as u16);
    fix_ip_checksum(&mut bytes, 20);
    let mut covered = [HOST_1.octets(), HOST_2.octets()].concat();
    covered.extend([0, 17, 0, 8 + payload.len() as u8]);
    covered.extend(&bytes[UDP..]);
    let fill = !reference_sum(&covered);
    let end = bytes.len();
    put_u16(&mut bytes, end - 2, fill);
    put_u16(&mut payload, 18, fill);
    put_u16(&mut bytes, UDP + 6, 0xffff);
    (bytes, frame((MAC_1, MAC_2), (HOST_1, HOST_2), (50123, 5000), &payload))
}

fn refuses_a_payload_too_long_for_one_packet(session: &Session) -> Result<(), Failure> {
    let longest = frame((MAC_1, MAC_2), (HOST_1, HOST_2), (50123, 5000), &vec![0xff; 65_507]);
    let got = build(session, &longest)?;
    let lengths = got.as_ref().ok().and_then(|b| {
        Some((
            b.len(),
            u16::from_be_bytes(b.get(16..18)?.try_into().ok()?),
            u16::from_be_bytes(b.get(38..40)?.try_into().ok()?),
        ))
    });
    session.note(format!("frame length, IPv4 total length, UDP length: {lengths:?}"));
    if lengths != Some((14 + 65_535, 65_535, 65_515)) {
        let mistake = match got {
            Err(_) => "refusing the longest payload that fits: MAX_PAYLOAD_LEN (65,507) bytes is \
                       allowed, only more is too long"
                .to_string(),
            Ok(_) => "lengths wrongly computed for the longest datagram".to_string(),
        };
        return Err(session.wrong(
            "a frame of 65,549 bytes, with IPv4 total length 65,535 and UDP length 65,515",
            mistake,
        ));
    }
    for len in [65_508, 65_536, 100_000] {
        let too_long = frame((MAC_1, MAC_2), (HOST_1, HOST_2), (50123, 5000), &vec![0; len]);
        let got = build(session, &too_long)?;
        if got != Err(FrameError::PayloadTooLong { len }) {
            return Err(session.wrong(
                format!("Err(PayloadTooLong {{ len: {len} }})"),
                "no check of the payload's length: the IPv4 total length is 16 bits, so more \
                 than MAX_PAYLOAD_LEN bytes of data cannot be sent in one packet, and `as u16` \
                 silently cuts the lengths short",
            ));
        }
    }
    Ok(())
}

fn parses_captured_frames(session: &Session) -> Result<(), Failure> {
    let mut loopback_hello_fixed = LOOPBACK_HELLO.to_vec();
    put_u16(&mut loopback_hello_fixed, UDP + 6, LOOPBACK_HELLO_UDP_CHECKSUM);
    let mut loopback_empty_fixed = LOOPBACK_EMPTY.to_vec();
    put_u16(&mut loopback_empty_fixed, UDP + 6, LOOPBACK_EMPTY_UDP_CHECKSUM);
    let veth = |payload: &[u8]| frame((MAC_1, MAC_2), (HOST_1, HOST_2), (50123, 5000), payload);
    let loopback =
        |payload: &[u8]| frame(([0; 6], [0; 6]), (LOOPBACK, LOOPBACK), (40000, 47123), payload);
    let cases: [(&str, &[u8], Frame); 6] = [
        ("the Ethernet `hello`", &VETH_HELLO, veth(b"hello")),
        ("the Ethernet `how are u`", &VETH_HOW_ARE_U, veth(b"how are u")),
        ("the Ethernet `bye!`", &VETH_BYE, veth(b"bye!")),
        ("the chapter's `hello`, padded to 60 bytes", &BOOK_HELLO, veth(b"hello")),
        ("the loopback `hello`, UDP checksum filled in", &loopback_hello_fixed, loopback(b"hello")),
        (
            "the loopback empty datagram, UDP checksum filled in",
            &loopback_empty_fixed,
            loopback(b""),
        ),
    ];
    for (what, bytes, want) in cases {
        let expected = Ok(want.clone());
        expect_parse(session, what, bytes, expected, |got| diagnose_parse(&want, got))?;
    }
    Ok(())
}

fn parses_a_header_with_options(session: &Session) -> Result<(), Failure> {
    let want = veth_hello();
    // The same datagram without options first: what goes wrong there is not the options.
    expect_parse(
        session,
        "the Ethernet `hello`, no options",
        &VETH_HELLO,
        Ok(want.clone()),
        |got| format!("even without options: {}", diagnose_parse(&want, got)),
    )?;
    expect_parse(
        session,
        "`hello` with a 24-byte IPv4 header (IHL 6)",
        &WITH_OPTIONS,
        Ok(want.clone()),
        |got| match got {
            Err(FrameError::BadIpChecksum) => {
                "a header checksum over 20 bytes only: it covers the \
            whole IPv4 header, IHL × 4 bytes, options included"
                    .into()
            }
            Err(FrameError::BadLength | FrameError::BadUdpChecksum) | Ok(_) => {
                "a UDP header read at \
            a fixed offset: it starts after IHL × 4 bytes of IPv4 header, which options make \
            longer than 20"
                    .into()
            }
            _ => diagnose_parse(&want, got),
        },
    )
}

fn accepts_a_udp_checksum_of_zero_as_none(session: &Session) -> Result<(), Failure> {
    let want = loopback_hello();
    expect_parse(
        session,
        "the loopback `hello` sent with SO_NO_CHECK, UDP checksum 0",
        &LOOPBACK_NO_CHECKSUM,
        Ok(want.clone()),
        |got| match got {
            Err(FrameError::BadUdpChecksum) => {
                "checking a UDP checksum of 0: in IPv4 it means the \
            sender computed none (RFC 768), so there is nothing to check"
                    .into()
            }
            _ => diagnose_parse(&want, got),
        },
    )
}

fn rejects_a_bad_udp_checksum(session: &Session) -> Result<(), Failure> {
    let mut flipped = VETH_HELLO.to_vec();
    flipped[42] ^= 0x20; // `hello` became `Hello`
    let mut odd_byte = VETH_HELLO.to_vec();
    odd_byte[46] ^= 0x01; // the last, odd, byte: `hellp`
    let mut moved = VETH_HELLO.to_vec();
    moved[33] = 3; // to 192.0.2.3: only the pseudo-header notices
    fix_ip_checksum(&mut moved, 20);
    let mut field = VETH_HELLO.to_vec();
    put_u16(&mut field, UDP + 6, 0x60ab);
    let cases: [(&str, &[u8]); 5] = [
        (
            "the loopback `hello` as captured, UDP checksum 0xfe20 (offloaded, never filled in)",
            &LOOPBACK_HELLO,
        ),
        ("the Ethernet `hello` with `hello` changed to `Hello`", &flipped),
        ("the Ethernet `hello` with `hello` changed to `hellp`", &odd_byte),
        ("the Ethernet `hello` with its UDP checksum field changed by 1", &field),
        ("the Ethernet `hello` sent to 192.0.2.3 instead (IPv4 checksum made right)", &moved),
    ];
    for (what, bytes) in cases {
        expect_parse(session, what, bytes, Err(FrameError::BadUdpChecksum), |got| match got {
            Ok(_) if what.contains("192.0.2.3") => "a UDP checksum checked without the \
                pseudo-header: it must include the IPv4 addresses, so that a datagram delivered \
                to the wrong host fails"
                .into(),
            Ok(_) if what.contains("hellp") => "a last odd byte left out of the UDP checksum: it \
                counts as the word `[last, 0]`"
                .into(),
            Ok(_) => "not verifying the UDP checksum: unless the field is 0, `udp_checksum` over \
                the datagram as received must be 0"
                .into(),
            Err(err) => {
                format!("the error {err:?} for a datagram whose only fault is its UDP checksum")
            }
        })?;
    }
    Ok(())
}

fn rejects_a_bad_ipv4_header_checksum(session: &Session) -> Result<(), Failure> {
    let mut ttl = VETH_HELLO.to_vec();
    ttl[22] = 63;
    let mut swapped = VETH_HELLO.to_vec();
    swapped.swap(24, 25);
    let mut source = VETH_HELLO.to_vec();
    source[29] = 9; // from 192.0.2.9: the UDP checksum fails too, but IPv4 comes first
    let mut options = WITH_OPTIONS.to_vec();
    options[36] = 0x01; // a byte of the option: only a checksum over IHL × 4 bytes sees it
    let cases: [(&str, &[u8]); 4] = [
        ("the Ethernet `hello` with its time to live changed from 64 to 63", &ttl),
        ("the Ethernet `hello` with the two bytes of its IPv4 checksum swapped", &swapped),
        ("the Ethernet `hello` from 192.0.2.9 instead", &source),
        ("`hello` with an IPv4 option changed", &options),
    ];
    for (what, bytes) in cases {
        expect_parse(session, what, bytes, Err(FrameError::BadIpChecksum), |got| match got {
            Err(FrameError::BadUdpChecksum) => "checking the UDP datagram before the IPv4 header \
                that carries it: parse checks the IPv4 header checksum first"
                .into(),
            Ok(_) if what.contains("option") => "an IPv4 header checksum over 20 bytes only: it \
                covers IHL × 4 bytes, options included"
                .into(),
            Ok(_) => "not verifying the IPv4 header checksum: `internet_checksum` over the whole \
                IPv4 header as received must be 0"
                .into(),
            Err(err) => format!(
                "the error {err:?} for a frame whose only fault is its IPv4 header checksum"
            ),
        })?;
    }
    Ok(())
}

fn rejects_a_truncated_frame(session: &Session) -> Result<(), Failure> {
    // Every prefix of a frame is cut short: in the Ethernet header, in the IPv4 header, or
    // before the IPv4 total length.
    let cuts: Vec<(&str, &[u8])> = (0..VETH_HELLO.len())
        .map(|len| ("the Ethernet `hello`", &VETH_HELLO[..len]))
        .chain((34..38).map(|len| ("`hello` with IHL 6", &WITH_OPTIONS[..len])))
        .collect();
    for (what, bytes) in cuts {
        let what = format!("{what} cut to {} bytes", bytes.len());
        let cut_short = |failure: Failure| match failure {
            // A panic here is a read past the frame's end.
            Failure::Wrong { expected, mistake } if mistake.contains("unwrap()") => {
                Failure::Wrong {
                    expected,
                    mistake: "a panic on a frame cut short: a slice or index past its end. Before \
                    reading each part, check the frame holds it (14 bytes of Ethernet header, \
                    IHL × 4 of IPv4 header, then the IPv4 total length) and return Truncated"
                        .into(),
                }
            }
            other => other,
        };
        expect_parse(session, &what, bytes, Err(FrameError::Truncated), |got| match got {
            Ok(_) => "taking what is there: a frame that ends before the IPv4 total length \
                says is cut short"
                .into(),
            Err(FrameError::BadLength) => "calling a cut-short packet a length mismatch: when \
                the frame ends before the IPv4 total length says the packet does, it is \
                Truncated"
                .into(),
            Err(FrameError::BadIpChecksum) if what.contains("IHL 6") => "the IPv4 header \
                checksummed before the frame is known to hold all of it: IHL × 4 bytes (24 \
                here) must be there first. Or the IHL ignored: a header taken as 20 bytes \
                checksums wrong once it has options"
                .into(),
            Err(err) => format!(
                "the error {err:?}: compare the frame's length with what each header needs \
                 before reading it"
            ),
        })
        .map_err(cut_short)?;
    }
    // Cutting only padding leaves a whole packet.
    let want = veth_hello();
    expect_parse(
        session,
        "the chapter's `hello` with 6 of its 13 bytes of padding cut off",
        &BOOK_HELLO[..54],
        Ok(want.clone()),
        |got| diagnose_parse(&want, got),
    )
}

fn rejects_inconsistent_lengths(session: &Session) -> Result<(), Failure> {
    // The UDP checksum is set to 0 ("none") so that only the lengths can be wrong.
    let base = || {
        let mut bytes = VETH_HELLO.to_vec();
        put_u16(&mut bytes, UDP + 6, 0);
        bytes
    };
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    for udp_len in [12, 14, 7, 0, 0xffff] {
        let mut bytes = base();
        put_u16(&mut bytes, UDP + 4, udp_len);
        cases.push((format!("the Ethernet `hello` with UDP length {udp_len} (it is 13)"), bytes));
    }
    for total_len in [32, 27, 20, 19, 0] {
        let mut bytes = base();
        put_u16(&mut bytes, 16, total_len);
        fix_ip_checksum(&mut bytes, 20);
        cases.push((
            format!("the Ethernet `hello` with IPv4 total length {total_len} (it is 33)"),
            bytes,
        ));
    }
    // A frame exactly as long as an IPv4 header without options, which says so: whole,
    // but with no room for a UDP header.
    let mut header_only = VETH_HELLO[..34].to_vec();
    put_u16(&mut header_only, 16, 20);
    fix_ip_checksum(&mut header_only, 20);
    cases.push((
        "the Ethernet `hello` cut to its 20-byte IPv4 header, IPv4 total length 20".into(),
        header_only,
    ));
    let mut padded = BOOK_HELLO.to_vec();
    put_u16(&mut padded, UDP + 6, 0);
    put_u16(&mut padded, 16, 46);
    fix_ip_checksum(&mut padded, 20);
    cases.push((
        "the chapter's `hello` with an IPv4 total length of 46, padding included".into(),
        padded,
    ));
    for (what, bytes) in cases {
        expect_parse(session, &what, &bytes, Err(FrameError::BadLength), |got| match got {
            Ok(_) => "not comparing the UDP length with the IPv4 payload: the UDP length must be \
                the IPv4 total length minus IHL × 4, and at least 8"
                .into(),
            Err(FrameError::Truncated) => "reading a length field as a frame cut short: the \
                frame is whole, the lengths in it disagree"
                .into(),
            Err(err) => format!(
                "the error {err:?}: check the IPv4 total length (at least IHL × 4 + 8) and the \
                 UDP length (equal to what the IPv4 packet carries) before the UDP checksum"
            ),
        })?;
    }
    Ok(())
}

fn rejects_frames_that_are_not_ipv4_udp(session: &Session) -> Result<(), Failure> {
    let mut cases: Vec<(String, Vec<u8>, FrameError)> = Vec::new();
    for ethertype in [0x86dd, 0x0806, 0x0008] {
        let mut bytes = VETH_HELLO.to_vec();
        put_u16(&mut bytes, 12, ethertype);
        cases.push((
            format!("the Ethernet `hello` with EtherType {ethertype:#06x}"),
            bytes,
            FrameError::NotIpv4 { ethertype },
        ));
    }
    for (first, error) in [
        (0x65, FrameError::NotVersion4 { version: 6 }),
        (0x05, FrameError::NotVersion4 { version: 0 }),
        (0x54, FrameError::NotVersion4 { version: 5 }),
        (0x44, FrameError::BadHeaderLength { ihl: 4 }),
        (0x40, FrameError::BadHeaderLength { ihl: 0 }),
    ] {
        let mut bytes = VETH_HELLO.to_vec();
        bytes[14] = first;
        fix_ip_checksum(&mut bytes, 20);
        cases.push((
            format!("the Ethernet `hello` with first IPv4 byte {first:#04x}"),
            bytes,
            error,
        ));
    }
    for protocol in [6, 1, 0] {
        let mut bytes = VETH_HELLO.to_vec();
        bytes[23] = protocol;
        fix_ip_checksum(&mut bytes, 20);
        cases.push((
            format!("the Ethernet `hello` with IPv4 protocol {protocol}"),
            bytes,
            FrameError::NotUdp { protocol },
        ));
    }
    for (what, bytes, want) in cases {
        expect_parse(session, &what, &bytes, Err(want), |_| match want {
            FrameError::NotIpv4 { .. } => "not checking the EtherType, bytes 12 and 13, \
                big-endian: only 0x0800 means IPv4"
                .into(),
            FrameError::NotVersion4 { .. } => "not checking the version, the high 4 bits \
                of the first IPv4 byte (`byte >> 4`)"
                .into(),
            FrameError::BadHeaderLength { .. } => "not checking the IHL, the low 4 bits of \
                the first IPv4 byte (`byte & 0x0f`): below 5 the header would be shorter than \
                its 20 fixed bytes"
                .into(),
            _ => "not checking the IPv4 protocol, byte 9 of the IPv4 header: only 17 \
                means UDP"
                .into(),
        })?;
    }
    // The layers are checked in the order they are read: a frame that is no IPv4 is
    // NotIpv4, however short the rest of it is.
    let mut ipv6_header_only = VETH_HELLO[..14].to_vec();
    put_u16(&mut ipv6_header_only, 12, 0x86dd);
    let want = FrameError::NotIpv4 { ethertype: 0x86dd };
    expect_parse(
        session,
        "a 14-byte frame, only an Ethernet header, with EtherType 0x86dd",
        &ipv6_header_only,
        Err(want),
        |got| match got {
            Err(FrameError::Truncated) => "checking the length of the whole frame before the \
                EtherType: parse checks the layers in the order they are read, so a frame that \
                is not IPv4 is NotIpv4 whatever follows its Ethernet header"
                .into(),
            _ => "not checking the EtherType, bytes 12 and 13, big-endian: only 0x0800 means \
                IPv4"
                .into(),
        },
    )
}

fn round_trips_edge_values(session: &Session) -> Result<(), Failure> {
    let carries = vec![0xff; 65_507];
    let mtu = (0..1472).map(|i| i as u8).collect::<Vec<u8>>();
    let cases = [
        frame(([0; 6], [0xff; 6]), (Ipv4Addr::UNSPECIFIED, Ipv4Addr::BROADCAST), (68, 67), b""),
        frame(([0xff; 6], [0; 6]), (Ipv4Addr::BROADCAST, Ipv4Addr::UNSPECIFIED), (0, 65535), b"!"),
        frame(
            ([0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f], MAC_1),
            (Ipv4Addr::new(10, 0, 0, 1), LOOPBACK),
            (65535, 0),
            &[0; 18],
        ),
        frame((MAC_2, MAC_1), (HOST_2, HOST_1), (5000, 50123), &mtu),
        frame((MAC_1, MAC_2), (HOST_1, HOST_2), (1, 2), &carries),
    ];
    for want in cases {
        let bytes = build(session, &want)?.map_err(|err| {
            session
                .wrong(format!("build({}) to succeed", show(&want)), format!("the error {err:?}"))
        })?;
        expect_parse(session, "that frame", &bytes, Ok(want.clone()), |got| {
            // A header checksum that is wrong by the reference sum is build's fault, not parse's.
            let ip_header =
                bytes.get(14..14 + 4 * usize::from(bytes.get(14).map_or(5, |b| b & 0x0f)));
            match ip_header {
                Some(header)
                    if got == &Err(FrameError::BadIpChecksum)
                        && reference_sum(header) != 0xffff =>
                {
                    "build wrote a wrong IPv4 header checksum, and parse rightly refused it: the \
                     checksum covers the IPv4 header alone (IHL × 4 bytes from byte 14, the \
                     checksum field 0 while summing), not the Ethernet header or the data"
                        .to_string()
                }
                _ => format!("build and parse disagree: {}", diagnose_parse(&want, got)),
            }
        })?;
    }
    Ok(())
}
