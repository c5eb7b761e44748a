//! UDP in a few lines: two sockets on loopback, one datagram from one to the other.

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

// ANCHOR: hello
/// Sends `text` from one UDP socket to another on loopback and returns what the second
/// received, and from which address.
pub fn hello(text: &str) -> io::Result<(String, SocketAddr)> {
    // Port 0: "any free port". Each socket learns its real port from the OS.
    let receiver = UdpSocket::bind("127.0.0.1:0")?;
    let sender = UdpSocket::bind("127.0.0.1:0")?;
    receiver.set_read_timeout(Some(Duration::from_secs(2)))?;

    // One send_to is one datagram, addressed to the receiver's (IP address, port).
    sender.send_to(text.as_bytes(), receiver.local_addr()?)?;

    // recv_from fills the buffer with one datagram and says how long it was and
    // who sent it. Only buf[..len] is the datagram; the rest is left over.
    let mut buf = [0; 1500];
    let (len, from) = receiver.recv_from(&mut buf)?;
    let text = String::from_utf8_lossy(&buf[..len]).into_owned();
    Ok((text, from))
}
// ANCHOR_END: hello

// ANCHOR: truncated
/// Shows what a buffer too small does on Linux and macOS: it keeps the start of the
/// datagram and drops the rest, without an error. (Windows drops the rest too, but
/// returns an error, WSAEMSGSIZE.) Returns the length kept.
pub fn truncated(datagram_len: usize, buffer_len: usize) -> io::Result<usize> {
    let receiver = UdpSocket::bind("127.0.0.1:0")?;
    let sender = UdpSocket::bind("127.0.0.1:0")?;
    receiver.set_read_timeout(Some(Duration::from_secs(2)))?;
    sender.send_to(&vec![b'x'; datagram_len], receiver.local_addr()?)?;
    let mut buf = vec![0; buffer_len];
    let (len, _) = receiver.recv_from(&mut buf)?;
    Ok(len)
}
// ANCHOR_END: truncated

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hello_arrives_whole_with_its_sender() {
        let (text, from) = hello("hello").unwrap();
        assert_eq!(text, "hello");
        assert!(from.ip().is_loopback());
        assert_ne!(from.port(), 0);
    }

    #[test]
    #[cfg(unix)]
    fn a_short_buffer_cuts_the_datagram() {
        assert_eq!(truncated(2000, 1024).unwrap(), 1024);
        assert_eq!(truncated(2000, 65_535).unwrap(), 2000);
    }
}
