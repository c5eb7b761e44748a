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
//!
//! Exercise: do `checksum.rs` first. Then read "The layer model"
//! (book/src/layers.md) and replace the three `todo!()`s. Leave the signatures
//! as they are: the grader calls these functions.

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
    // TODO: return the `internet_checksum` of the chapter's pseudo-header
    // followed by `datagram`, gathered in one Vec<u8>.
    todo!("the checksum over the pseudo-header and the datagram")
}
// ANCHOR_END: udp_checksum

// ANCHOR: build
/// The Ethernet II frame that carries `frame.payload` in a UDP datagram in an
/// IPv4 packet, padded to [`MIN_FRAME_LEN`] bytes, without the FCS.
///
/// The IPv4 header has no options, type of service 0, identification 0, "don't
/// fragment", time to live [`TTL`] and both checksums filled in.
pub fn build(frame: &Frame) -> Result<Vec<u8>, FrameError> {
    // TODO: lay the frame out in a Vec<u8> as the chapter's tables say
    // (`to_be_bytes`, `Ipv4Addr::octets`), checksums and padding included.
    todo!("build the Ethernet, IPv4 and UDP headers")
}
// ANCHOR_END: build

// ANCHOR: parse
/// The fields of an Ethernet II frame carrying IPv4 carrying UDP, as a capture
/// tool shows it (without the FCS), after checking every header, length and
/// checksum. Padding after the IPv4 packet is ignored; a UDP checksum of 0
/// means "none".
pub fn parse(bytes: &[u8]) -> Result<Frame, FrameError> {
    // TODO: run the chapter's "What `parse` checks" and read the fields; use
    // `get` or `split_at_checked`, so that a short frame is an error, not a panic.
    todo!("check and read the Ethernet, IPv4 and UDP headers")
}
// ANCHOR_END: parse
