//! UDP echo server: the other end of the pinger.
//!
//! It sends every datagram it receives straight back to whoever sent it, byte for byte,
//! and keeps doing so until it is stopped. UDP has no connection, so the only thing that
//! says where the answer goes is the sender's address that `recv_from` returns with each
//! datagram: the server learns it anew for every datagram.
//!
//! Exercise: read "UDP programming" (book/src/udp.md), then replace the two `todo!()`s.
//! Leave the signatures as they are: the grader calls these functions.

use std::io::{self, ErrorKind};
use std::net::{SocketAddr, UdpSocket};

/// Room for the largest datagram UDP can carry: its length field is 16 bits (RFC 768).
/// A smaller buffer cuts longer datagrams short, and the echo with them (silently on
/// Linux; on Windows `recv_from` fails instead).
pub const BUFFER_LEN: usize = 65_535;

// ANCHOR: echo_one
/// Waits for one datagram on `socket`, using `buf` to hold it, and sends the same bytes
/// back to its sender. Returns the datagram's length and its sender's address.
pub fn echo_one(socket: &UdpSocket, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
    // TODO: receive with `recv_from` and echo the bytes with `send_to`.
    todo!("echo one datagram to its sender")
}
// ANCHOR_END: echo_one

// ANCHOR: serve
/// Echoes datagrams on `socket` for as long as it runs, each to its own sender.
/// Returns only on an error that is the server's own, not one sender's: a read
/// timeout set on `socket`, for one, ends it with that error.
pub fn serve(socket: &UdpSocket) -> io::Result<()> {
    // TODO: call `echo_one` forever, with one buffer of BUFFER_LEN bytes. Which errors
    // belong to one sender, not the server: see "The echo server".
    todo!("echo every datagram, forever")
}
// ANCHOR_END: serve
