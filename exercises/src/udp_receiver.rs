//! UDP receiver: the listening end of the seed's UDP programs.
//!
//! It binds a UDP socket and prints every datagram that arrives, one line each, as
//! `<sender address>: <text>`, until a datagram says `bye`. UDP keeps message
//! boundaries: one `send_to` on the sender is one `recv_from` here.
//!
//! Exercise: read "UDP programming" (book/src/udp.md), then replace the two `todo!()`s.
//! Leave the signatures as they are: the grader calls these functions.

use std::io::{self, Write};
use std::net::UdpSocket;

/// Room for the largest datagram UDP can carry: its length field is 16 bits (RFC 768).
/// A smaller buffer cuts longer datagrams short (silently on Linux; on Windows
/// `recv_from` fails instead).
pub const BUFFER_LEN: usize = 65_535;

// ANCHOR: bind
/// Binds a UDP socket to `addr`, such as `127.0.0.1:5000`; port 0 asks the OS for any
/// free port.
pub fn bind(addr: &str) -> io::Result<UdpSocket> {
    // TODO: bind a UdpSocket to exactly the address given.
    todo!("bind a UDP socket to `addr`")
}
// ANCHOR_END: bind

// ANCHOR: receive
/// Receives datagrams on `socket` and writes one line per datagram to `out`: the
/// sender's address, `": "`, then the text, with any bytes that are not UTF-8 shown
/// as `�` (as `String::from_utf8_lossy` does), and flushes `out` after each line, so
/// that whoever reads it sees the line at once. Returns after the datagram `bye`,
/// exactly those three bytes.
pub fn receive_until_bye(socket: &UdpSocket, out: &mut impl Write) -> io::Result<()> {
    // TODO: loop: receive one datagram into a buffer of BUFFER_LEN bytes with `recv_from`,
    // write `<sender>: <text>` and a newline to `out`, flush it, and return after `bye`.
    todo!("print each datagram until `bye`")
}
// ANCHOR_END: receive
