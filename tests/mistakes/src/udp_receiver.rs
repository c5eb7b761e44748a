//! Mistakes in the UDP receiver.

use std::io::{self, BufWriter, Write};
use std::net::UdpSocket;

use crate::{Mistake, making};
use solutions::udp_receiver as model;

/// Each mistake made here, the checks that must catch it, and words their message must contain.
pub const MISTAKES: &[Mistake] = &[
    (
        "receiver_binds_every_interface",
        &["udp_receiver::binds_the_address_it_is_given"],
        "fixed address",
    ),
    ("receiver_buffers_output", &["udp_receiver::prints_each_datagram_with_its_sender"], "flush"),
    ("receiver_small_buffer", &["udp_receiver::keeps_long_datagrams_whole"], "buffer smaller"),
    (
        "receiver_prints_the_whole_buffer",
        &[
            "udp_receiver::prints_each_datagram_with_its_sender",
            "udp_receiver::keeps_long_datagrams_whole",
            "udp_receiver::exits_after_bye",
        ],
        "whole buffer",
    ),
    (
        "receiver_prints_own_address",
        &["udp_receiver::prints_each_datagram_with_its_sender"],
        "own address",
    ),
    ("receiver_stops_on_prefix", &["udp_receiver::exits_after_bye"], "starts_with"),
    (
        "receiver_never_stops",
        &["udp_receiver::exits_after_bye", "udp_receiver::keeps_long_datagrams_whole"],
        "does not stop",
    ),
];

pub fn bind(addr: &str) -> io::Result<UdpSocket> {
    if making("receiver_binds_every_interface") {
        return UdpSocket::bind("0.0.0.0:0");
    }
    model::bind(addr)
}

pub fn receive_until_bye(socket: &UdpSocket, out: &mut impl Write) -> io::Result<()> {
    if making("receiver_buffers_output") {
        return receive_without_flushing(socket, BufWriter::new(out));
    }
    let small = making("receiver_small_buffer");
    let mut buf = vec![0; if small { 1024 } else { model::BUFFER_LEN }];
    loop {
        let (len, sender) = socket.recv_from(&mut buf)?;
        let shown =
            if making("receiver_prints_own_address") { socket.local_addr()? } else { sender };
        let bytes = if making("receiver_prints_the_whole_buffer") { &buf[..] } else { &buf[..len] };
        let text = String::from_utf8_lossy(bytes);
        writeln!(out, "{shown}: {text}")?;
        out.flush()?;
        let done = if making("receiver_stops_on_prefix") {
            text.starts_with("bye")
        } else {
            text == "bye"
        };
        if done && !making("receiver_never_stops") {
            return Ok(());
        }
    }
}

fn receive_without_flushing(socket: &UdpSocket, mut out: impl Write) -> io::Result<()> {
    let mut buf = vec![0; model::BUFFER_LEN];
    loop {
        let (len, sender) = socket.recv_from(&mut buf)?;
        let text = String::from_utf8_lossy(&buf[..len]);
        writeln!(out, "{sender}: {text}")?;
        if text == "bye" {
            return Ok(());
        }
    }
}
