//! Mistakes in building and parsing Ethernet II / IPv4 / UDP frames.

use std::net::Ipv4Addr;

use crate::{Mistake, making};
use solutions::checksum::internet_checksum;
use solutions::frames as model;
pub use solutions::frames::{
    DONT_FRAGMENT, ETHERNET_HEADER_LEN, ETHERTYPE_IPV4, Frame, FrameError, IPV4_HEADER_LEN,
    MAX_PAYLOAD_LEN, MIN_FRAME_LEN, PROTOCOL_UDP, TTL, UDP_HEADER_LEN,
};

/// Each mistake made here, the checks that must catch it, and words their message must contain.
pub const MISTAKES: &[Mistake] = &[
    (
        "frames_no_pseudo_header",
        &[
            "frames::checksums_the_pseudo_header_and_the_datagram",
            "frames::builds_captured_frames_byte_for_byte",
        ],
        "pseudo-header",
    ),
    ("frames_no_pseudo_header", &["frames::parses_a_header_with_options"], "even without options"),
    (
        "frames_swaps_macs",
        &["frames::builds_captured_frames_byte_for_byte"],
        "the destination MAC comes first",
    ),
    (
        "frames_ip_checksum_over_packet",
        &["frames::builds_captured_frames_byte_for_byte"],
        "20-byte IPv4 header only",
    ),
    (
        "frames_ip_checksum_over_packet",
        &["frames::round_trips_edge_values"],
        "build wrote a wrong IPv4 header checksum",
    ),
    (
        "frames_no_padding",
        &["frames::pads_short_frames_to_60_bytes", "frames::builds_captured_frames_byte_for_byte"],
        "pad with zero bytes",
    ),
    (
        "frames_sends_zero_checksum",
        &["frames::writes_and_reads_a_zero_udp_checksum_as_ffff"],
        "sending a computed 0 as 0",
    ),
    (
        "frames_no_length_limit",
        &["frames::refuses_a_payload_too_long_for_one_packet"],
        "no check of the payload's length",
    ),
    (
        "frames_parse_keeps_padding",
        &["frames::parses_captured_frames", "frames::round_trips_edge_values"],
        "Ethernet padding",
    ),
    ("frames_parse_fixed_udp_offset", &["frames::parses_a_header_with_options"], "fixed offset"),
    (
        "frames_parse_ip_checksum_over_20_bytes",
        &["frames::parses_a_header_with_options"],
        "over 20 bytes only",
    ),
    (
        "frames_parse_ignores_ihl",
        &["frames::rejects_a_truncated_frame"],
        "the IPv4 header checksummed before the frame is known to hold all of it",
    ),
    ("frames_parse_ignores_ihl", &["frames::parses_a_header_with_options"], "20 bytes only"),
    (
        "frames_parse_rejects_zero_udp_checksum",
        &["frames::accepts_a_udp_checksum_of_zero_as_none"],
        "computed none",
    ),
    (
        "frames_parse_recomputes_udp_checksum",
        &["frames::writes_and_reads_a_zero_udp_checksum_as_ffff"],
        "comparing the checksum recomputed",
    ),
    (
        "frames_parse_sums_the_padding",
        &["frames::writes_and_reads_a_zero_udp_checksum_as_ffff"],
        "the Ethernet padding summed",
    ),
    (
        "frames_parse_skips_udp_checksum",
        &["frames::rejects_a_bad_udp_checksum"],
        "not verifying the UDP checksum",
    ),
    (
        "frames_parse_skips_ip_checksum",
        &["frames::rejects_a_bad_ipv4_header_checksum"],
        "not verifying the IPv4 header checksum",
    ),
    (
        "frames_parse_no_room_for_udp",
        &["frames::rejects_inconsistent_lengths"],
        "lengths that do not fit",
    ),
    (
        "frames_parse_indexes_blindly",
        &["frames::rejects_a_truncated_frame"],
        "a panic on a frame cut short",
    ),
    (
        "frames_parse_truncated_as_bad_length",
        &["frames::rejects_a_truncated_frame"],
        "a cut-short packet a length mismatch",
    ),
    (
        "frames_parse_ignores_udp_length",
        &["frames::rejects_inconsistent_lengths"],
        "not comparing the UDP length",
    ),
    (
        "frames_parse_bare_header_as_truncated",
        &["frames::rejects_inconsistent_lengths"],
        "reading a length field as a frame cut short",
    ),
    (
        "frames_parse_ignores_ethertype",
        &["frames::rejects_frames_that_are_not_ipv4_udp"],
        "not checking the EtherType",
    ),
    (
        "frames_parse_checks_the_length_first",
        &["frames::rejects_frames_that_are_not_ipv4_udp"],
        "before the EtherType",
    ),
    (
        "frames_parse_ignores_protocol",
        &["frames::rejects_frames_that_are_not_ipv4_udp"],
        "not checking the IPv4 protocol",
    ),
];

pub fn udp_checksum(src_ip: Ipv4Addr, dst_ip: Ipv4Addr, datagram: &[u8]) -> u16 {
    if making("frames_no_pseudo_header") {
        return internet_checksum(datagram);
    }
    model::udp_checksum(src_ip, dst_ip, datagram)
}

pub fn build(frame: &Frame) -> Result<Vec<u8>, FrameError> {
    let data_len = frame.payload.len();
    if data_len > MAX_PAYLOAD_LEN && !making("frames_no_length_limit") {
        return Err(FrameError::PayloadTooLong { len: data_len });
    }
    let udp_len = (UDP_HEADER_LEN + data_len) as u16;
    let total_len = (IPV4_HEADER_LEN + UDP_HEADER_LEN + data_len) as u16;
    let mut bytes = Vec::new();
    if making("frames_swaps_macs") {
        bytes.extend_from_slice(&frame.src_mac);
        bytes.extend_from_slice(&frame.dst_mac);
    } else {
        bytes.extend_from_slice(&frame.dst_mac);
        bytes.extend_from_slice(&frame.src_mac);
    }
    bytes.extend_from_slice(&ETHERTYPE_IPV4.to_be_bytes());
    let ip = bytes.len();
    bytes.extend_from_slice(&[0x45, 0]);
    bytes.extend_from_slice(&total_len.to_be_bytes());
    bytes.extend_from_slice(&[0, 0]);
    bytes.extend_from_slice(&DONT_FRAGMENT.to_be_bytes());
    bytes.extend_from_slice(&[TTL, PROTOCOL_UDP, 0, 0]);
    bytes.extend_from_slice(&frame.src_ip.octets());
    bytes.extend_from_slice(&frame.dst_ip.octets());
    if !making("frames_ip_checksum_over_packet") {
        let sum = internet_checksum(&bytes[ip..]);
        bytes[ip + 10..ip + 12].copy_from_slice(&sum.to_be_bytes());
    }
    let udp = bytes.len();
    bytes.extend_from_slice(&frame.src_port.to_be_bytes());
    bytes.extend_from_slice(&frame.dst_port.to_be_bytes());
    bytes.extend_from_slice(&udp_len.to_be_bytes());
    bytes.extend_from_slice(&[0, 0]);
    bytes.extend_from_slice(&frame.payload);
    let sum = match udp_checksum(frame.src_ip, frame.dst_ip, &bytes[udp..]) {
        0 if !making("frames_sends_zero_checksum") => 0xffff,
        sum => sum,
    };
    bytes[udp + 6..udp + 8].copy_from_slice(&sum.to_be_bytes());
    if making("frames_ip_checksum_over_packet") {
        let sum = internet_checksum(&bytes[ip..]);
        bytes[ip + 10..ip + 12].copy_from_slice(&sum.to_be_bytes());
    }
    if bytes.len() < MIN_FRAME_LEN && !making("frames_no_padding") {
        bytes.resize(MIN_FRAME_LEN, 0);
    }
    Ok(bytes)
}

pub fn parse(bytes: &[u8]) -> Result<Frame, FrameError> {
    let blind = making("frames_parse_indexes_blindly");
    if making("frames_parse_checks_the_length_first") && bytes.len() < 42 {
        return Err(FrameError::Truncated);
    }
    if bytes.len() < ETHERNET_HEADER_LEN && !blind {
        return Err(FrameError::Truncated);
    }
    let (ethernet, packet) = (&bytes[..ETHERNET_HEADER_LEN], &bytes[ETHERNET_HEADER_LEN..]);
    let ethertype = u16::from_be_bytes([ethernet[12], ethernet[13]]);
    if ethertype != ETHERTYPE_IPV4 && !making("frames_parse_ignores_ethertype") {
        return Err(FrameError::NotIpv4 { ethertype });
    }
    // `<=` for `<`: a packet that is exactly an IPv4 header taken as cut short.
    let bare = making("frames_parse_bare_header_as_truncated") && packet.len() == IPV4_HEADER_LEN;
    if (packet.len() < IPV4_HEADER_LEN || bare) && !blind {
        return Err(FrameError::Truncated);
    }
    let version = packet[0] >> 4;
    if version != 4 {
        return Err(FrameError::NotVersion4 { version });
    }
    let ihl = packet[0] & 0x0f;
    if ihl < 5 {
        return Err(FrameError::BadHeaderLength { ihl });
    }
    // A learner who ignores the IHL takes every header as 20 bytes.
    let header_len = if making("frames_parse_ignores_ihl") { 20 } else { usize::from(ihl) * 4 };
    if packet.len() < header_len && !blind {
        return Err(FrameError::Truncated);
    }
    let summed = if making("frames_parse_ip_checksum_over_20_bytes") { 20 } else { header_len };
    if internet_checksum(&packet[..summed]) != 0 && !making("frames_parse_skips_ip_checksum") {
        return Err(FrameError::BadIpChecksum);
    }
    let protocol = packet[9];
    if protocol != PROTOCOL_UDP && !making("frames_parse_ignores_protocol") {
        return Err(FrameError::NotUdp { protocol });
    }
    let total_len = usize::from(u16::from_be_bytes([packet[2], packet[3]]));
    if total_len > packet.len() && !blind {
        if making("frames_parse_truncated_as_bad_length") {
            return Err(FrameError::BadLength);
        }
        return Err(FrameError::Truncated);
    }
    if total_len < header_len + UDP_HEADER_LEN && !blind && !making("frames_parse_no_room_for_udp")
    {
        return Err(FrameError::BadLength);
    }
    let src_ip = Ipv4Addr::new(packet[12], packet[13], packet[14], packet[15]);
    let dst_ip = Ipv4Addr::new(packet[16], packet[17], packet[18], packet[19]);
    let udp_start = if making("frames_parse_fixed_udp_offset") { 20 } else { header_len };
    let datagram = &packet[udp_start..total_len];
    let udp_len = usize::from(u16::from_be_bytes([datagram[4], datagram[5]]));
    if udp_len != datagram.len() && !making("frames_parse_ignores_udp_length") {
        return Err(FrameError::BadLength);
    }
    let sent = u16::from_be_bytes([datagram[6], datagram[7]]);
    let intact = if making("frames_parse_recomputes_udp_checksum") {
        let mut zeroed = datagram.to_vec();
        zeroed[6..8].fill(0);
        udp_checksum(src_ip, dst_ip, &zeroed) == sent
    } else if making("frames_parse_sums_the_padding") {
        udp_checksum(src_ip, dst_ip, &packet[udp_start..]) == 0
    } else {
        udp_checksum(src_ip, dst_ip, datagram) == 0
    };
    let check = sent != 0 || making("frames_parse_rejects_zero_udp_checksum");
    if check && !intact && !making("frames_parse_skips_udp_checksum") {
        return Err(FrameError::BadUdpChecksum);
    }
    let payload = if making("frames_parse_keeps_padding") {
        packet[udp_start + UDP_HEADER_LEN..].to_vec()
    } else {
        datagram[UDP_HEADER_LEN..].to_vec()
    };
    Ok(Frame {
        src_mac: ethernet[6..12].try_into().expect("6 bytes"),
        dst_mac: ethernet[..6].try_into().expect("6 bytes"),
        src_ip,
        dst_ip,
        src_port: u16::from_be_bytes([datagram[0], datagram[1]]),
        dst_port: u16::from_be_bytes([datagram[2], datagram[3]]),
        payload,
    })
}
