//! UDP echo server: the other end of the pinger.
//!
//! It sends every datagram it receives straight back to whoever sent it, byte for byte,
//! and keeps doing so until it is stopped. UDP has no connection, so the only thing that
//! says where the answer goes is the sender's address that `recv_from` returns with each
//! datagram: the server learns it anew for every datagram.

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
    let (len, sender) = socket.recv_from(buf)?;
    // The datagram is `buf[..len]`; the rest of the buffer is left over from before.
    socket.send_to(&buf[..len], sender)?;
    Ok((len, sender))
}
// ANCHOR_END: echo_one

// ANCHOR: serve
/// Echoes datagrams on `socket` for as long as it runs, each to its own sender.
/// Returns only on an error that is the server's own, not one sender's: a read
/// timeout set on `socket`, for one, ends it with that error.
pub fn serve(socket: &UdpSocket) -> io::Result<()> {
    let mut buf = vec![0; BUFFER_LEN];
    loop {
        match echo_one(socket, &mut buf) {
            Ok(_) => {}
            // Some systems (Windows) report a past sender that has gone away as an error
            // on a later receive. That is about one sender: keep serving the others.
            Err(err)
                if matches!(
                    err.kind(),
                    ErrorKind::ConnectionReset | ErrorKind::ConnectionRefused
                ) => {}
            Err(err) => return Err(err),
        }
    }
}
// ANCHOR_END: serve
