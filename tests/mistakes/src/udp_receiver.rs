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
    (
        "receiver_does_not_print_bye",
        &[
            "udp_receiver::keeps_long_datagrams_whole",
            "udp_receiver::prints_odd_datagrams_as_they_are",
        ],
        "no line for `bye`",
    ),
    ("receiver_never_flushes", &["udp_receiver::flushes_each_line"], "flush"),
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
    ("receiver_binds_a_fixed_port", &["udp_receiver::binds_the_address_it_is_given"], "fixed port"),
    (
        "receiver_buffer_of_length_zero",
        &[
            "udp_receiver::prints_each_datagram_with_its_sender",
            "udp_receiver::keeps_long_datagrams_whole",
            "udp_receiver::prints_odd_datagrams_as_they_are",
        ],
        "length 0",
    ),
    (
        "receiver_unwraps_utf8",
        &["udp_receiver::prints_odd_datagrams_as_they_are"],
        "a panic on the datagram that is not UTF-8",
    ),
    (
        "receiver_skips_bad_utf8",
        &["udp_receiver::prints_odd_datagrams_as_they_are"],
        "no line for the datagram that is not UTF-8",
    ),
    (
        "receiver_fails_on_bad_utf8",
        &["udp_receiver::prints_odd_datagrams_as_they_are"],
        "an error for a datagram that is not UTF-8",
    ),
    (
        "receiver_stops_on_a_trimmed_bye",
        &["udp_receiver::prints_odd_datagrams_as_they_are"],
        "comparing loosely",
    ),
    (
        "receiver_writes_raw_bytes",
        &["udp_receiver::prints_odd_datagrams_as_they_are"],
        "`String::from_utf8_lossy`",
    ),
    (
        "receiver_prints_the_ip_only",
        &[
            "udp_receiver::prints_each_datagram_with_its_sender",
            "udp_receiver::keeps_long_datagrams_whole",
            "udp_receiver::prints_odd_datagrams_as_they_are",
            "udp_receiver::exits_after_bye",
        ],
        "the sender's port missing",
    ),
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
    if making("receiver_binds_a_fixed_port") {
        return UdpSocket::bind("127.0.0.1:5000");
    }
    model::bind(addr)
}

pub fn receive_until_bye(socket: &UdpSocket, out: &mut impl Write) -> io::Result<()> {
    if making("receiver_buffers_output") {
        return receive_without_flushing(socket, BufWriter::new(out));
    }
    let small = making("receiver_small_buffer");
    let mut buf = vec![0; if small { 1024 } else { model::BUFFER_LEN }];
    if making("receiver_buffer_of_length_zero") {
        buf = Vec::with_capacity(model::BUFFER_LEN);
    }
    loop {
        let (len, sender) = socket.recv_from(&mut buf)?;
        let shown = if making("receiver_prints_own_address") {
            socket.local_addr()?.to_string()
        } else if making("receiver_prints_the_ip_only") {
            sender.ip().to_string()
        } else {
            sender.to_string()
        };
        let bytes = if making("receiver_prints_the_whole_buffer") { &buf[..] } else { &buf[..len] };
        let text = if making("receiver_unwraps_utf8") {
            std::str::from_utf8(bytes).unwrap().into()
        } else if making("receiver_fails_on_bad_utf8") {
            std::str::from_utf8(bytes).map_err(|_| io::ErrorKind::InvalidData)?.into()
        } else if making("receiver_skips_bad_utf8") {
            let Ok(text) = std::str::from_utf8(bytes) else { continue };
            text.into()
        } else {
            String::from_utf8_lossy(bytes)
        };
        if making("receiver_does_not_print_bye") && text == "bye" {
            return Ok(());
        }
        if making("receiver_writes_raw_bytes") {
            write!(out, "{shown}: ")?;
            out.write_all(bytes)?;
            writeln!(out)?;
        } else {
            writeln!(out, "{shown}: {text}")?;
        }
        if !making("receiver_never_flushes") {
            out.flush()?;
        }
        let done = if making("receiver_stops_on_prefix") {
            text.starts_with("bye")
        } else if making("receiver_stops_on_a_trimmed_bye") {
            text.trim() == "bye"
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
