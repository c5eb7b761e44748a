//! Mistakes in the UDP echo server.

use std::io;
use std::net::{SocketAddr, UdpSocket};

use crate::{Mistake, making};
pub use solutions::udp_echo::BUFFER_LEN;

/// Each mistake made here, the checks that must catch it, and words their message must contain.
pub const MISTAKES: &[Mistake] = &[
    (
        "echo_replies_to_its_own_address",
        &[
            "udp_echo::echoes_a_datagram_to_its_sender",
            "udp_echo::echoes_each_sender_its_own_datagrams",
        ],
        "sender's address",
    ),
    (
        "echo_replies_to_a_fixed_port",
        &[
            "udp_echo::echoes_a_datagram_to_its_sender",
            "udp_echo::echoes_each_sender_its_own_datagrams",
        ],
        "fixed address or port",
    ),
    (
        "echo_sends_the_whole_buffer",
        &[
            "udp_echo::echoes_a_datagram_to_its_sender",
            "udp_echo::echoes_long_and_empty_datagrams_whole",
            "udp_echo::serve_returns_its_own_errors",
        ],
        "the whole buffer",
    ),
    ("echo_small_buffer", &["udp_echo::echoes_long_and_empty_datagrams_whole"], "buffer smaller"),
    (
        "echo_skips_empty_datagrams",
        &["udp_echo::echoes_long_and_empty_datagrams_whole"],
        "empty datagram",
    ),
    (
        "echo_converts_to_text",
        &["udp_echo::echoes_long_and_empty_datagrams_whole"],
        "from_utf8_lossy",
    ),
    ("echo_trims", &["udp_echo::echoes_long_and_empty_datagrams_whole"], "trimming the datagram"),
    (
        "echo_ignores_every_error",
        &["udp_echo::serve_returns_its_own_errors"],
        "ignoring every error",
    ),
    (
        "echo_connects_to_the_first_sender",
        &["udp_echo::echoes_each_sender_its_own_datagrams"],
        "`connect`",
    ),
    (
        "echo_stops_after_bye",
        &["udp_echo::echoes_each_sender_its_own_datagrams"],
        "even after `bye`",
    ),
];

pub fn echo_one(socket: &UdpSocket, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
    let (len, sender) = socket.recv_from(buf)?;
    let to = if making("echo_replies_to_its_own_address") {
        socket.local_addr()?
    } else if making("echo_replies_to_a_fixed_port") {
        SocketAddr::from(([127, 0, 0, 1], 5000))
    } else {
        sender
    };
    if making("echo_skips_empty_datagrams") && len == 0 {
        return Ok((len, sender));
    }
    let bytes = if making("echo_sends_the_whole_buffer") { &buf[..] } else { &buf[..len] };
    if making("echo_converts_to_text") {
        socket.send_to(String::from_utf8_lossy(bytes).as_bytes(), to)?;
        return Ok((len, sender));
    }
    if making("echo_trims") {
        socket.send_to(bytes.trim_ascii(), to)?;
        return Ok((len, sender));
    }
    socket.send_to(bytes, to)?;
    Ok((len, sender))
}

/// The model's loop, around this module's `echo_one`.
pub fn serve(socket: &UdpSocket) -> io::Result<()> {
    let mut buf = vec![0; if making("echo_small_buffer") { 1024 } else { BUFFER_LEN }];
    if making("echo_connects_to_the_first_sender") {
        let (len, first) = socket.recv_from(&mut buf)?;
        socket.connect(first)?;
        socket.send(&buf[..len])?;
        loop {
            let len = socket.recv(&mut buf)?;
            socket.send(&buf[..len])?;
        }
    }
    loop {
        if making("echo_ignores_every_error") {
            let _ = echo_one(socket, &mut buf);
            continue;
        }
        let (len, _) = echo_one(socket, &mut buf)?;
        if making("echo_stops_after_bye") && &buf[..len] == b"bye" {
            return Ok(());
        }
    }
}
