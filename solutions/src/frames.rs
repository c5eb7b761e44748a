//! Encapsulation by hand: an Ethernet II frame carrying an IPv4 packet carrying
//! a UDP datagram, built and parsed byte by byte.
//!
//! This is what the operating system does below `send_to` and `recv_from`. On
//! the way down each layer puts its header in front of what the layer above
//! gave it: UDP adds ports (RFC 768), IPv4 adds addresses (RFC 791), Ethernet
//! adds MAC addresses and the EtherType (RFC 894). On the way up each layer
//! checks its header, removes it, and hands the rest to the layer its header
//! names. Every multi-byte field is in network byte order (big-endian).
//!
//! Two checksums guard the headers, both the Internet checksum of RFC 1071: the
//! IPv4 header checksum covers the IPv4 header only, and the UDP checksum
//! covers a pseudo-header (the IP addresses, the protocol and the UDP length),
//! the UDP header and the data. The Ethernet FCS at the very end of a frame is
//! the network card's business: frames here are as a capture tool shows them,
//! without it.

use std::error::Error;
use std::fmt;
use std::net::Ipv4Addr;

use crate::checksum::internet_checksum;

// ANCHOR: constants
/// Length of the Ethernet II header: destination MAC, source MAC, EtherType.
pub const ETHERNET_HEADER_LEN: usize = 14;
/// The EtherType that says "an IPv4 packet follows" (RFC 894).
pub const ETHERTYPE_IPV4: u16 = 0x0800;
/// Length of an IPv4 header without options: IHL 5, in 32-bit words.
pub const IPV4_HEADER_LEN: usize = 20;
/// The IPv4 protocol number that says "a UDP datagram follows".
pub const PROTOCOL_UDP: u8 = 17;
/// Length of the UDP header: source port, destination port, length, checksum.
pub const UDP_HEADER_LEN: usize = 8;
/// The shortest Ethernet frame without its 4-byte FCS: 14 bytes of header and
/// at least 46 of payload. Shorter frames are padded with zero bytes (RFC 894).
pub const MIN_FRAME_LEN: usize = 60;
/// The time to live that [`build`] writes, the usual default (RFC 1700).
pub const TTL: u8 = 64;
/// The flags and fragment offset that [`build`] writes: "don't fragment",
/// offset 0.
pub const DONT_FRAGMENT: u16 = 0x4000;
/// The most data one UDP datagram in IPv4 can carry: the IPv4 total length is a
/// 16-bit field, so 65,535 minus the two headers, 65,507 bytes.
pub const MAX_PAYLOAD_LEN: usize = 65_535 - IPV4_HEADER_LEN - UDP_HEADER_LEN;
// ANCHOR_END: constants

// ANCHOR: frame
/// What a frame carries, layer by layer: the fields [`build`] writes and
/// [`parse`] reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The sending network interface's MAC address (Ethernet header).
    pub src_mac: [u8; 6],
    /// The receiving network interface's MAC address (Ethernet header).
    pub dst_mac: [u8; 6],
    /// The sending host (IPv4 header).
    pub src_ip: Ipv4Addr,
    /// The receiving host (IPv4 header).
    pub dst_ip: Ipv4Addr,
    /// The sending socket's port (UDP header).
    pub src_port: u16,
    /// The receiving socket's port (UDP header).
    pub dst_port: u16,
    /// The application's bytes, as `send_to` was given them.
    pub payload: Vec<u8>,
}
// ANCHOR_END: frame

// ANCHOR: error
/// Why a frame could not be built or parsed. [`parse`] checks in the order the
/// bytes are read: Ethernet, then IPv4, then UDP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameError {
    /// [`build`] only: the payload is longer than [`MAX_PAYLOAD_LEN`].
    PayloadTooLong {
        /// The payload's length.
        len: usize,
    },
    /// The frame ends before its Ethernet header, its IPv4 header (as long as
    /// the IHL says) or its IPv4 packet (as long as the total length says)
    /// does.
    Truncated,
    /// The EtherType is not 0x0800: the frame carries something other than
    /// IPv4.
    NotIpv4 {
        /// The EtherType found.
        ethertype: u16,
    },
    /// The IP version (the high 4 bits of the first IPv4 byte) is not 4.
    NotVersion4 {
        /// The version found.
        version: u8,
    },
    /// The IHL (the low 4 bits of the first IPv4 byte) is below 5: a header
    /// shorter than 20 bytes.
    BadHeaderLength {
        /// The IHL found, in 32-bit words.
        ihl: u8,
    },
    /// The IPv4 header checksum does not check out: the header was damaged.
    BadIpChecksum,
    /// The IPv4 protocol is not 17: the packet carries something other than
    /// UDP.
    NotUdp {
        /// The protocol number found.
        protocol: u8,
    },
    /// The lengths disagree: the IPv4 total length leaves no room for the IPv4
    /// and UDP headers, or the UDP length is not the length of the IPv4
    /// packet's payload.
    BadLength,
    /// The UDP checksum is not 0 ("none") and does not check out.
    BadUdpChecksum,
}
// ANCHOR_END: error

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PayloadTooLong { len } => {
                write!(f, "a payload of {len} bytes does not fit in one IPv4 packet")
            }
            Self::Truncated => write!(f, "the frame is cut short"),
            Self::NotIpv4 { ethertype } => write!(f, "EtherType {ethertype:#06x} is not IPv4"),
            Self::NotVersion4 { version } => write!(f, "IP version {version} is not 4"),
            Self::BadHeaderLength { ihl } => write!(f, "an IHL of {ihl} is below 5"),
            Self::BadIpChecksum => write!(f, "the IPv4 header checksum is wrong"),
            Self::NotUdp { protocol } => write!(f, "IP protocol {protocol} is not UDP"),
            Self::BadLength => write!(f, "the IPv4 and UDP lengths disagree"),
            Self::BadUdpChecksum => write!(f, "the UDP checksum is wrong"),
        }
    }
}

impl Error for FrameError {}

// ANCHOR: udp_checksum
/// The UDP checksum (RFC 768): the Internet checksum over the IPv4
/// pseudo-header for `src_ip` and `dst_ip`, followed by `datagram`, a UDP
/// header and its data, at most 65,535 bytes.
///
/// Over a datagram whose checksum field is zero, this is the value to send
/// (where a result of 0 is sent as 0xffff). Over a datagram as received, it is
/// 0 when the datagram is intact.
pub fn udp_checksum(src_ip: Ipv4Addr, dst_ip: Ipv4Addr, datagram: &[u8]) -> u16 {
    // The pseudo-header is never sent: both ends build it from the IPv4 header,
    // so that a datagram delivered to the wrong host, or for another protocol,
    // fails the check.
    let udp_len = datagram.len() as u16;
    let mut covered = Vec::with_capacity(12 + datagram.len());
    covered.extend_from_slice(&src_ip.octets());
    covered.extend_from_slice(&dst_ip.octets());
    covered.push(0);
    covered.push(PROTOCOL_UDP);
    covered.extend_from_slice(&udp_len.to_be_bytes());
    covered.extend_from_slice(datagram);
    internet_checksum(&covered)
}
// ANCHOR_END: udp_checksum

// ANCHOR: build
/// The Ethernet II frame that carries `frame.payload` in a UDP datagram in an
/// IPv4 packet, padded to [`MIN_FRAME_LEN`] bytes, without the FCS.
///
/// The IPv4 header has no options, type of service 0, identification 0, "don't
/// fragment", time to live [`TTL`] and both checksums filled in.
pub fn build(frame: &Frame) -> Result<Vec<u8>, FrameError> {
    let data_len = frame.payload.len();
    if data_len > MAX_PAYLOAD_LEN {
        return Err(FrameError::PayloadTooLong { len: data_len });
    }
    // Both fit in 16 bits now: at most 65,515 and 65,535.
    let udp_len = (UDP_HEADER_LEN + data_len) as u16;
    let total_len = (IPV4_HEADER_LEN + UDP_HEADER_LEN + data_len) as u16;
    let mut bytes = Vec::new();

    // Ethernet II: the destination comes first, so that a switch can start
    // forwarding a frame as soon as it has read 6 bytes.
    bytes.extend_from_slice(&frame.dst_mac);
    bytes.extend_from_slice(&frame.src_mac);
    bytes.extend_from_slice(&ETHERTYPE_IPV4.to_be_bytes());

    // IPv4, RFC 791. Identification 0 is fine for a packet that may not be
    // fragmented (RFC 6864): nobody will ever need it to reassemble fragments.
    let ip = bytes.len();
    bytes.push(0x45); // version 4, IHL 5 words: 20 bytes, no options
    bytes.push(0); // type of service (DSCP and ECN)
    bytes.extend_from_slice(&total_len.to_be_bytes());
    bytes.extend_from_slice(&0_u16.to_be_bytes()); // identification
    bytes.extend_from_slice(&DONT_FRAGMENT.to_be_bytes());
    bytes.push(TTL);
    bytes.push(PROTOCOL_UDP);
    bytes.extend_from_slice(&[0, 0]); // header checksum, filled in below
    bytes.extend_from_slice(&frame.src_ip.octets());
    bytes.extend_from_slice(&frame.dst_ip.octets());
    // The checksum is computed with its own field zero, over the header only.
    let ip_checksum = internet_checksum(&bytes[ip..]);
    bytes[ip + 10..ip + 12].copy_from_slice(&ip_checksum.to_be_bytes());

    // UDP, RFC 768.
    let udp = bytes.len();
    bytes.extend_from_slice(&frame.src_port.to_be_bytes());
    bytes.extend_from_slice(&frame.dst_port.to_be_bytes());
    bytes.extend_from_slice(&udp_len.to_be_bytes());
    bytes.extend_from_slice(&[0, 0]); // checksum, filled in below
    bytes.extend_from_slice(&frame.payload);
    // A checksum field of 0 means "no checksum" in IPv4, so a computed 0 is
    // sent as 0xffff, which is the same number in one's complement arithmetic
    // ("negative zero").
    let udp_checksum = match udp_checksum(frame.src_ip, frame.dst_ip, &bytes[udp..]) {
        0 => 0xffff,
        sum => sum,
    };
    bytes[udp + 6..udp + 8].copy_from_slice(&udp_checksum.to_be_bytes());

    // Ethernet padding (RFC 894): zero bytes after the packet, outside it, up to
    // MIN_FRAME_LEN; a frame that long already gets none. The IPv4 total length
    // tells the receiver where the packet ends.
    let padded_len = bytes.len().max(MIN_FRAME_LEN);
    bytes.resize(padded_len, 0);
    Ok(bytes)
}
// ANCHOR_END: build

// ANCHOR: parse
/// The fields of an Ethernet II frame carrying IPv4 carrying UDP, as a capture
/// tool shows it (without the FCS), after checking every header, length and
/// checksum. Padding after the IPv4 packet is ignored; a UDP checksum of 0
/// means "none".
pub fn parse(bytes: &[u8]) -> Result<Frame, FrameError> {
    // Ethernet II: two MAC addresses and the EtherType.
    let (ethernet, packet) =
        bytes.split_at_checked(ETHERNET_HEADER_LEN).ok_or(FrameError::Truncated)?;
    let mut dst_mac = [0; 6];
    dst_mac.copy_from_slice(&ethernet[0..6]);
    let mut src_mac = [0; 6];
    src_mac.copy_from_slice(&ethernet[6..12]);
    let ethertype = u16::from_be_bytes([ethernet[12], ethernet[13]]);
    if ethertype != ETHERTYPE_IPV4 {
        return Err(FrameError::NotIpv4 { ethertype });
    }

    // IPv4: the first byte holds the version and the header length in 32-bit
    // words.
    if packet.len() < IPV4_HEADER_LEN {
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
    // Options, if any, sit between the 20 fixed bytes and the payload.
    let header_len = usize::from(ihl) * 4;
    let header = packet.get(..header_len).ok_or(FrameError::Truncated)?;
    // Summed with its checksum field, an intact header checks to 0.
    if internet_checksum(header) != 0 {
        return Err(FrameError::BadIpChecksum);
    }
    let protocol = header[9];
    if protocol != PROTOCOL_UDP {
        return Err(FrameError::NotUdp { protocol });
    }
    let total_len = usize::from(u16::from_be_bytes([header[2], header[3]]));
    if total_len > packet.len() {
        return Err(FrameError::Truncated);
    }
    if total_len < header_len + UDP_HEADER_LEN {
        return Err(FrameError::BadLength);
    }
    let src_ip = Ipv4Addr::new(header[12], header[13], header[14], header[15]);
    let dst_ip = Ipv4Addr::new(header[16], header[17], header[18], header[19]);

    // UDP: the datagram is the packet's payload; anything after the total
    // length is Ethernet padding.
    let datagram = &packet[header_len..total_len];
    let udp_len = usize::from(u16::from_be_bytes([datagram[4], datagram[5]]));
    if udp_len != datagram.len() {
        return Err(FrameError::BadLength);
    }
    let sent_checksum = u16::from_be_bytes([datagram[6], datagram[7]]);
    if sent_checksum != 0 && udp_checksum(src_ip, dst_ip, datagram) != 0 {
        return Err(FrameError::BadUdpChecksum);
    }

    Ok(Frame {
        src_mac,
        dst_mac,
        src_ip,
        dst_ip,
        src_port: u16::from_be_bytes([datagram[0], datagram[1]]),
        dst_port: u16::from_be_bytes([datagram[2], datagram[3]]),
        payload: datagram[UDP_HEADER_LEN..].to_vec(),
    })
}
// ANCHOR_END: parse
