//! UDP sender: the sending end of the seed's UDP programs.
//!
//! It sends each line of its input, without the newline, as one datagram to the
//! receiver, in order, and stops after the line `bye` or at the end of the input.

use std::io::{self, BufRead};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};

// ANCHOR: open
/// Opens a UDP socket for sending to `to`: bound to port 0 (the OS picks a free port),
/// on the loopback address when `to` is on loopback, otherwise on the unspecified
/// address, and always of the same family (IPv4 or IPv6) as `to`.
pub fn open(to: SocketAddr) -> io::Result<UdpSocket> {
    let ip: IpAddr = match (to.is_ipv4(), to.ip().is_loopback()) {
        (true, true) => Ipv4Addr::LOCALHOST.into(),
        (true, false) => Ipv4Addr::UNSPECIFIED.into(),
        (false, true) => Ipv6Addr::LOCALHOST.into(),
        (false, false) => Ipv6Addr::UNSPECIFIED.into(),
    };
    UdpSocket::bind(SocketAddr::new(ip, 0))
}
// ANCHOR_END: open

// ANCHOR: send
/// Sends each line of `input`, without its line ending (`\n` or `\r\n`), as one
/// datagram to `to`: an empty line is an empty datagram. Stops after sending the line
/// `bye` (exactly), or at the end of the input. Returns how many datagrams it sent.
/// A line that is not UTF-8 is an error of kind `InvalidData`; the lines before it
/// are sent.
pub fn send_lines(socket: &UdpSocket, to: SocketAddr, input: impl BufRead) -> io::Result<usize> {
    let mut sent = 0;
    for line in input.lines() {
        let line = line?;
        socket.send_to(line.as_bytes(), to)?;
        sent += 1;
        if line == "bye" {
            break;
        }
    }
    Ok(sent)
}
// ANCHOR_END: send
