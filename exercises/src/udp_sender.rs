//! UDP sender: the sending end of the seed's UDP programs.
//!
//! It sends each line of its input, without the newline, as one datagram to the
//! receiver, in order, and stops after the line `bye` or at the end of the input.
//!
//! Exercise: read "UDP programming" (book/src/udp.md), then replace the two `todo!()`s.
//! Leave the signatures as they are: the grader calls these functions.

use std::io::{self, BufRead};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};

// ANCHOR: open
/// Opens a UDP socket for sending to `to`: bound to port 0 (the OS picks a free port),
/// on the loopback address when `to` is on loopback, otherwise on the unspecified
/// address, and always of the same family (IPv4 or IPv6) as `to`.
pub fn open(to: SocketAddr) -> io::Result<UdpSocket> {
    // TODO: choose 127.0.0.1, 0.0.0.0, ::1 or :: by the family of `to` and whether it is
    // loopback, then bind a UdpSocket there on port 0.
    todo!("bind a UDP socket to send to `to`")
}
// ANCHOR_END: open

// ANCHOR: send
/// Sends each line of `input`, without its line ending (`\n` or `\r\n`), as one
/// datagram to `to`: an empty line is an empty datagram. Stops after sending the line
/// `bye` (exactly), or at the end of the input. Returns how many datagrams it sent.
/// A line that is not UTF-8 is an error of kind `InvalidData`; the lines before it
/// are sent.
pub fn send_lines(socket: &UdpSocket, to: SocketAddr, input: impl BufRead) -> io::Result<usize> {
    // TODO: for each line of `input`, `send_to` it as one datagram; stop after `bye`.
    todo!("send each line as one datagram")
}
// ANCHOR_END: send
