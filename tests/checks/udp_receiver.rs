//! Checks of the UDP receiver (`exercises/src/udp_receiver.rs`).

use std::io::ErrorKind;
use std::net::UdpSocket;

use grader::peer::UdpPeer;
use grader::{Check, Failure, Session, WAIT};

use super::{expect_bound_as_asked, has_ipv6_loopback};

pub const CHECKS: &[Check] = grader::checks!("udp_receiver": binds_the_address_it_is_given, prints_each_datagram_with_its_sender, keeps_long_datagrams_whole, exits_after_bye);

/// The mistake of printing the whole receive buffer: its unused bytes show as `\0`.
const WHOLE_BUFFER: &str = "printing the whole buffer: only `&buf[..len]` is the datagram, the rest \
                            is left over (zeros, or bytes of an earlier datagram)";

fn binds_the_address_it_is_given(session: &Session) -> Result<(), Failure> {
    let mut asked = vec!["127.0.0.1:0"];
    if has_ipv6_loopback() {
        asked.push("[::1]:0");
    }
    for addr in asked {
        let socket =
            session.call("udp_receiver::bind", WAIT, move || subject::udp_receiver::bind(addr))?;
        let socket = socket.map_err(|err| {
            session
                .wrong(format!("bind({addr:?}) to succeed"), format!("it returned the error {err}"))
        })?;
        let bound = socket.local_addr().map_err(|err| session.wrong("a bound socket", err))?;
        expect_bound_as_asked(session, addr, bound)?;
    }
    Ok(())
}

fn prints_each_datagram_with_its_sender(session: &Session) -> Result<(), Failure> {
    let mut receiver = session.start("udp-receiver", "127.0.0.1:0")?;
    let addr = receiver.listening(session)?;
    expect_bound_as_asked(session, "127.0.0.1:0", addr)?;
    let alice = UdpPeer::bind(session, "alice")?;
    let bob = UdpPeer::bind(session, "bob")?;
    for (peer, text) in [(&alice, "hello"), (&bob, "how are u"), (&alice, "héllo wörld")] {
        peer.send(text.as_bytes(), addr);
        let want = format!("{}: {text}\n", peer.addr());
        let line = receiver.line(session, &format!("the line {want:?}"))?;
        if line != want {
            let mistake = if line.contains('\0') {
                WHOLE_BUFFER
            } else if line.contains(&addr.to_string()) {
                "printing the receiver's own address: print the sender's, which `recv_from` returns"
            } else if line.trim_end() == want.trim_end() {
                "a line ending other than a single `\\n`"
            } else if !line.contains(text) {
                "not converting exactly the received bytes: use `&buf[..len]`"
            } else {
                "a line format other than `<sender address>: <text>`"
            };
            return Err(session.wrong(format!("the line {want:?}"), mistake));
        }
    }
    if !receiver.is_running() {
        return Err(session.wrong(
            "the receiver to keep running until `bye`",
            "stopping after the first datagram",
        ));
    }
    Ok(())
}

fn keeps_long_datagrams_whole(session: &Session) -> Result<(), Failure> {
    let socket = UdpSocket::bind("127.0.0.1:0").map_err(|err| session.wrong("a socket", err))?;
    socket.set_read_timeout(Some(WAIT)).map_err(|err| session.wrong("a socket", err))?;
    let addr = socket.local_addr().map_err(|err| session.wrong("a socket", err))?;
    let sender = UdpPeer::bind(session, "sender")?;
    let long = "x".repeat(1_500);
    let longest = "y".repeat(60_000);
    for text in [long.as_str(), longest.as_str(), "bye"] {
        sender.send(text.as_bytes(), addr);
    }
    session.note("calls receive_until_bye on a socket that holds those three datagrams");
    let (result, out) = session.call("udp_receiver::receive_until_bye", WAIT * 2, move || {
        let mut out = Vec::new();
        (subject::udp_receiver::receive_until_bye(&socket, &mut out), out)
    })?;
    if out.contains(&0) {
        return Err(session.wrong("each line to hold exactly its datagram", WHOLE_BUFFER));
    }
    result.map_err(|err| {
        let mistake = if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) {
            "it went on waiting after `bye` until the socket's timeout: a loop that does not stop at `bye`".to_string()
        } else {
            format!("it returned the error {err}")
        };
        session.wrong("receive_until_bye to return Ok after `bye`", mistake)
    })?;
    let out = String::from_utf8_lossy(&out);
    let from = sender.addr();
    let lines: Vec<&str> = out.lines().collect();
    session.note(format!(
        "it wrote {} line(s), of lengths {:?}",
        lines.len(),
        lines.iter().map(|l| l.len()).collect::<Vec<_>>()
    ));
    let want = [format!("{from}: {long}"), format!("{from}: {longest}"), format!("{from}: bye")];
    if lines != want {
        return Err(session.wrong(
            "three lines: the 1,500-byte datagram, the 60,000-byte datagram and `bye`, each whole",
            "a receive buffer smaller than the datagram: `recv_from` silently drops what does not fit; \
             make it 65,535 bytes, the most a UDP datagram can carry",
        ));
    }
    Ok(())
}

fn exits_after_bye(session: &Session) -> Result<(), Failure> {
    let mut receiver = session.start("udp-receiver", "127.0.0.1:0")?;
    let addr = receiver.listening(session)?;
    let sender = UdpPeer::bind(session, "sender")?;
    sender.send(b"byebye", addr);
    receiver.line(session, "the line for `byebye`")?;
    sender.send(b"bye", addr);
    let want = format!("{}: bye\n", sender.addr());
    // A receiver that ended after `byebye` has no line left for `bye`.
    let line =
        receiver.line(session, &format!("the line {want:?}")).map_err(|failure| match failure {
            Failure::Wrong { .. } if !receiver.is_running() => session.wrong(
                "the receiver to stop only at exactly `bye`, not at `byebye`",
                "comparing with `starts_with` or `contains` instead of `==`",
            ),
            other => other,
        })?;
    if line != want {
        let mistake =
            if line.contains('\0') { WHOLE_BUFFER } else { "not printing the last datagram" };
        return Err(session.wrong(format!("the line {want:?} before the receiver ends"), mistake));
    }
    receiver.exits_successfully(session, "the datagram `bye`")
}
