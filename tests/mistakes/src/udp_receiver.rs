//! Mistakes in the UDP receiver.

use std::io::{self, BufWriter, Write};
use std::net::UdpSocket;

use crate::making;
use solutions::udp_receiver as model;

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
        let shown = if making("receiver_prints_own_address") {
            socket.local_addr()?
        } else {
            sender
        };
        let text = String::from_utf8_lossy(&buf[..len]);
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
