//! Mistakes in the UDP sender.

use std::io::{self, BufRead};
use std::net::{SocketAddr, UdpSocket};

use crate::{Mistake, making};
use solutions::udp_sender as model;

/// Each mistake made here, the checks that must catch it, and words their message must contain.
pub const MISTAKES: &[Mistake] = &[
    (
        "sender_binds_every_interface",
        &["udp_sender::opens_a_socket_near_the_destination"],
        "every interface",
    ),
    ("sender_binds_ipv4_only", &["udp_sender::opens_a_socket_near_the_destination"], "same family"),
    (
        "sender_sends_all_in_one",
        &["udp_sender::sends_each_line_as_one_datagram", "udp_sender::stops_after_bye"],
        "once per line",
    ),
    (
        "sender_keeps_the_newline",
        &[
            "udp_sender::sends_each_line_as_one_datagram",
            "udp_sender::stops_at_the_end_of_input",
            "udp_sender::sends_each_line_as_it_is_typed",
            "udp_sender::refuses_a_line_that_is_not_utf8",
            "udp_sender::returns_how_many_it_sent",
        ],
        "without its line ending",
    ),
    ("sender_ignores_bye", &["udp_sender::stops_after_bye"], "stop after `bye`"),
    ("sender_keeps_the_cr", &["udp_sender::stops_at_the_end_of_input"], "`\\r`"),
    ("sender_stops_on_a_trimmed_bye", &["udp_sender::stops_after_bye"], "comparing loosely"),
    (
        "sender_skips_empty_lines",
        &[
            "udp_sender::sends_an_empty_line_as_an_empty_datagram",
            "udp_sender::returns_how_many_it_sent",
        ],
        "skipping empty lines",
    ),
    (
        "sender_trims_lines",
        &["udp_sender::sends_each_line_as_one_datagram", "udp_sender::stops_after_bye"],
        "trim",
    ),
    (
        "sender_swallows_bye",
        &[
            "udp_sender::sends_each_line_as_one_datagram",
            "udp_sender::stops_after_bye",
            "udp_sender::sends_each_line_as_it_is_typed",
            "udp_sender::returns_how_many_it_sent",
        ],
        "without sending it",
    ),
    (
        "sender_reads_all_input_first",
        &[
            "udp_sender::sends_each_line_as_it_is_typed",
            "udp_sender::refuses_a_line_that_is_not_utf8",
        ],
        "reading the whole input before sending",
    ),
    ("sender_miscounts", &["udp_sender::returns_how_many_it_sent"], "count each datagram"),
    ("sender_reads_lossily", &["udp_sender::refuses_a_line_that_is_not_utf8"], "`from_utf8_lossy`"),
    ("sender_binds_a_fixed_port", &["udp_sender::opens_a_new_port_each_time"], "fixed port"),
];

pub fn open(to: SocketAddr) -> io::Result<UdpSocket> {
    if making("sender_binds_every_interface") {
        return UdpSocket::bind(if to.is_ipv4() { "0.0.0.0:0" } else { "[::]:0" });
    }
    if making("sender_binds_a_fixed_port") {
        return UdpSocket::bind("127.0.0.1:5001");
    }
    if making("sender_binds_ipv4_only") {
        return UdpSocket::bind(if to.ip().is_loopback() { "127.0.0.1:0" } else { "0.0.0.0:0" });
    }
    model::open(to)
}

pub fn send_lines(
    socket: &UdpSocket,
    to: SocketAddr,
    mut input: impl BufRead,
) -> io::Result<usize> {
    if making("sender_sends_all_in_one") {
        let mut all = String::new();
        io::Read::read_to_string(&mut input, &mut all)?;
        socket.send_to(all.as_bytes(), to)?;
        return Ok(1);
    }
    if making("sender_reads_all_input_first") {
        let mut all = String::new();
        io::Read::read_to_string(&mut input, &mut all)?;
        let mut sent = 0;
        for line in all.lines() {
            socket.send_to(line.as_bytes(), to)?;
            sent += 1;
            if line == "bye" {
                break;
            }
        }
        return Ok(sent);
    }
    let mut sent = 0;
    loop {
        let mut line = String::new();
        if making("sender_reads_lossily") {
            let mut bytes = Vec::new();
            input.read_until(b'\n', &mut bytes)?;
            line = String::from_utf8_lossy(&bytes).into_owned();
        } else {
            input.read_line(&mut line)?;
        }
        if line.is_empty() {
            return Ok(if making("sender_miscounts") { 0 } else { sent });
        }
        if making("sender_keeps_the_cr") {
            line = line.trim_end_matches('\n').to_string();
        } else if !making("sender_keeps_the_newline") {
            line = line.trim_end_matches(['\r', '\n']).to_string();
        }
        if making("sender_skips_empty_lines") && line.is_empty() {
            continue;
        }
        if making("sender_trims_lines") {
            line = line.trim().to_string();
        }
        if making("sender_swallows_bye") && line == "bye" {
            return Ok(sent);
        }
        socket.send_to(line.as_bytes(), to)?;
        sent += 1;
        let bye = if making("sender_stops_on_a_trimmed_bye") { line.trim() } else { &line[..] };
        if bye == "bye" && !making("sender_ignores_bye") {
            return Ok(if making("sender_miscounts") { 0 } else { sent });
        }
    }
}
