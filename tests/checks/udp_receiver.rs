//! Checks of the UDP receiver (`exercises/src/udp_receiver.rs`).

use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};

use grader::peer::UdpPeer;
use grader::{Check, Failure, Session, WAIT};

use super::{expect_bound_as_asked, expect_two_free_ports, has_ipv6_loopback};

pub const CHECKS: &[Check] = grader::checks!("udp_receiver": binds_the_address_it_is_given, prints_each_datagram_with_its_sender, keeps_long_datagrams_whole, prints_odd_datagrams_as_they_are, flushes_each_line, exits_after_bye);

/// The mistake of a buffer with room but no length: every datagram reads as empty.
const ZERO_BUFFER: &str = "every datagram printed empty: a receive buffer of length 0; \
     `Vec::with_capacity` gives room but no length, and `recv_from` fills only the length; \
     make it `vec![0; 65_535]`";

/// Whether every line of `out` shows an empty text, as a buffer of length 0 gives.
fn all_empty(out: &[u8]) -> bool {
    let text = String::from_utf8_lossy(out);
    !text.is_empty() && text.lines().all(|line| line.ends_with(": "))
}

/// The mistake of printing the whole receive buffer: its unused bytes show as `\0`.
const WHOLE_BUFFER: &str = "printing the whole buffer: only `&buf[..len]` is the datagram, the rest \
                            is left over (zeros, or bytes of an earlier datagram)";

/// What is wrong with the start of `line`, which should be `<from>: `, the sender's whole
/// address (IP address and port, as `{}` shows a `SocketAddr`) and a colon and a space;
/// `None` if it starts so. Every line-matching check asks this first, so that a wrong
/// format is not blamed on one datagram's text.
fn prefix_mistake(line: &str, from: SocketAddr) -> Option<&'static str> {
    if line.starts_with(&format!("{from}: ")) {
        return None;
    }
    Some(if line.starts_with(&format!("{}: ", from.ip())) {
        "the sender's port missing: a line starts with the sender's IP address alone; print the \
         whole address `recv_from` returned, port included (`{sender}`, not `sender.ip()`)"
    } else if line.starts_with(&from.to_string()) {
        "something other than `: ` (a colon and one space) between the sender's address and \
         the text"
    } else {
        "a line format other than `<sender address>: <text>`: the sender's address as `{}` \
         shows the `SocketAddr` that `recv_from` returned (`127.0.0.1:40612`), then `: `"
    })
}

/// [`prefix_mistake`] of the first line of `out` whose start is wrong.
fn lines_prefix_mistake(out: &[u8], from: SocketAddr) -> Option<&'static str> {
    String::from_utf8_lossy(out).lines().find_map(|line| prefix_mistake(line, from))
}

fn binds_the_address_it_is_given(session: &Session) -> Result<(), Failure> {
    expect_two_free_ports(session, "udp_receiver::bind", subject::udp_receiver::bind, |s| {
        s.local_addr()
    })?;
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
            } else if line.ends_with(": \n") {
                ZERO_BUFFER
            } else if line.contains(&addr.to_string()) {
                "printing the receiver's own address: print the sender's, which `recv_from` returns"
            } else if let Some(mistake) = prefix_mistake(&line, peer.addr()) {
                mistake
            } else if line.trim_end() == want.trim_end() {
                "a line ending other than a single `\\n`"
            } else if !line.contains(text) {
                "the text missing or changed: convert exactly the received bytes, `&buf[..len]`, \
                 with `String::from_utf8_lossy` and print it as it is (not with `{:?}`)"
            } else {
                "a line format other than `<sender address>: <text>`"
            };
            return Err(session.wrong(format!("the line {want:?}"), mistake));
        }
    }
    if !receiver.is_running() {
        return Err(session.wrong(
            "the receiver to keep running until `bye`",
            "stopping before `bye`: a loop that ends early (after a fixed count, or on a \
             condition other than the datagram `bye`)",
        ));
    }
    Ok(())
}

/// Sends `datagrams` from one peer to a fresh socket, then calls `receive_until_bye` on
/// it; returns what it returned, what it wrote, and the sender's address.
fn receive_in_process(
    session: &Session,
    datagrams: &[&[u8]],
) -> Result<(std::io::Result<()>, Vec<u8>, std::net::SocketAddr), Failure> {
    let socket = UdpSocket::bind("127.0.0.1:0").map_err(|err| session.wrong("a socket", err))?;
    socket.set_read_timeout(Some(WAIT)).map_err(|err| session.wrong("a socket", err))?;
    let addr = socket.local_addr().map_err(|err| session.wrong("a socket", err))?;
    let sender = UdpPeer::bind(session, "sender")?;
    for datagram in datagrams {
        sender.send(datagram, addr);
    }
    session.note("calls receive_until_bye on a socket that holds those datagrams");
    let (result, out) = session.call("udp_receiver::receive_until_bye", WAIT * 2, move || {
        let mut out = Vec::new();
        (subject::udp_receiver::receive_until_bye(&socket, &mut out), out)
    })?;
    let lines: Vec<String> = out
        .split_inclusive(|&b| b == b'\n')
        .map(|line| grader::peer::show_at_most(line, 80))
        .collect();
    session.note(format!("it returned {result:?} and wrote {} line(s):", lines.len()));
    for line in lines.iter().take(8) {
        session.note(format!("  {line}"));
    }
    Ok((result, out, sender.addr()))
}

/// Expects `receive_until_bye` to have returned Ok once it received `bye`.
fn expect_ok_after_bye(session: &Session, result: std::io::Result<()>) -> Result<(), Failure> {
    result.map_err(|err| {
        let mistake = if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) {
            "it went on waiting after `bye` until the socket's timeout: a loop that does not stop at `bye`".to_string()
        } else {
            format!("it returned the error {err}")
        };
        session.wrong("receive_until_bye to return Ok after `bye`", mistake)
    })
}

/// A writer that keeps what was written and where in it each flush came.
#[derive(Default)]
struct Recorder {
    bytes: Vec<u8>,
    flushed_at: Vec<usize>,
}

impl std::io::Write for Recorder {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.flushed_at.push(self.bytes.len());
        Ok(())
    }
}

fn flushes_each_line(session: &Session) -> Result<(), Failure> {
    let socket = UdpSocket::bind("127.0.0.1:0").map_err(|err| session.wrong("a socket", err))?;
    socket.set_read_timeout(Some(WAIT)).map_err(|err| session.wrong("a socket", err))?;
    let addr = socket.local_addr().map_err(|err| session.wrong("a socket", err))?;
    let sender = UdpPeer::bind(session, "sender")?;
    for datagram in [&b"one"[..], b"two", b"bye"] {
        sender.send(datagram, addr);
    }
    session.note("calls receive_until_bye with a writer that records each flush");
    let (result, out) = session.call("udp_receiver::receive_until_bye", WAIT * 2, move || {
        let mut out = Recorder::default();
        (subject::udp_receiver::receive_until_bye(&socket, &mut out), out)
    })?;
    expect_ok_after_bye(session, result)?;
    let ends: Vec<usize> =
        out.bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(at, _)| at + 1).collect();
    session.note(format!(
        "it wrote {} line(s) and flushed at byte(s) {:?}; the lines end at {ends:?}",
        ends.len(),
        out.flushed_at
    ));
    if ends.len() != 3 {
        return Err(session.wrong(
            "three lines, one per datagram",
            "see the other checks: this one looks at the flushes",
        ));
    }
    if let Some(end) = ends.iter().find(|end| !out.flushed_at.contains(end)) {
        return Err(session.wrong(
            format!("a flush right after each line (the line ending at byte {end} had none)"),
            "no `out.flush()` after writing the line: a buffered `out` (a file, a pipe, a \
             `BufWriter`) keeps the line until its buffer fills, and whoever reads it waits",
        ));
    }
    Ok(())
}

fn keeps_long_datagrams_whole(session: &Session) -> Result<(), Failure> {
    let long = "x".repeat(1_500);
    let longest = "y".repeat(60_000);
    let (result, out, from) =
        receive_in_process(session, &[long.as_bytes(), longest.as_bytes(), b"bye"])?;
    if out.contains(&0) {
        return Err(session.wrong("each line to hold exactly its datagram", WHOLE_BUFFER));
    }
    if all_empty(&out) {
        return Err(session.wrong("each line to hold exactly its datagram", ZERO_BUFFER));
    }
    expect_ok_after_bye(session, result)?;
    let out = String::from_utf8_lossy(&out);
    let lines: Vec<&str> = out.lines().collect();
    session.note(format!(
        "the lines' lengths: {:?} (want {:?})",
        lines.iter().map(|l| l.len()).collect::<Vec<_>>(),
        [
            from.to_string().len() + 2 + 1_500,
            from.to_string().len() + 2 + 60_000,
            from.to_string().len() + 5
        ]
    ));
    let want = [format!("{from}: {long}"), format!("{from}: {longest}"), format!("{from}: bye")];
    if lines != want {
        let cut = lines.len() == want.len()
            && lines.iter().zip(&want).all(|(got, want)| want.starts_with(got));
        let mistake = if let Some(mistake) = lines_prefix_mistake(out.as_bytes(), from) {
            mistake
        } else if lines[..] == want[..2] {
            NO_LINE_FOR_BYE
        } else if cut {
            "a receive buffer smaller than the datagram: on Linux `recv_from` silently drops \
             what does not fit; make it 65,535 bytes, the most a UDP datagram can carry"
        } else {
            "lines other than `<sender address>: <text>`, one per datagram: see what it wrote \
             above"
        };
        return Err(session.wrong(
            "three lines: the 1,500-byte datagram, the 60,000-byte datagram and `bye`, each whole",
            mistake,
        ));
    }
    Ok(())
}

const NO_LINE_FOR_BYE: &str = "no line for `bye`: stopping as soon as it comes, before printing \
     it; print its line like every other datagram's, then stop";

fn prints_odd_datagrams_as_they_are(session: &Session) -> Result<(), Failure> {
    let datagrams: [&[u8]; 7] = [b"caf\xe9", b"", b"bye ", b"BYE", b" bye", b"bye\r", b"bye"];
    // The first datagram is not UTF-8: a panic here is an `unwrap` of its conversion.
    let (result, out, from) =
        receive_in_process(session, &datagrams).map_err(|failure| match failure {
            Failure::Wrong { expected, mistake } if mistake.contains("unwrap()") => {
                Failure::Wrong {
                    expected,
                    mistake: "a panic on the datagram that is not UTF-8 (`from_utf8(..)` \
                        unwrapped): a receiver must not die of one peer's garbage; show it \
                        with `String::from_utf8_lossy`"
                        .into(),
                }
            }
            other => other,
        })?;
    let want: String = ["caf\u{fffd}", "", "bye ", "BYE", " bye", "bye\r", "bye"]
        .iter()
        .map(|text| format!("{from}: {text}\n"))
        .collect();
    let out_text = String::from_utf8_lossy(&out);
    if out == want.as_bytes() {
        return expect_ok_after_bye(session, result);
    }
    let got_lines = out_text.lines().count();
    let mistake = if want.strip_suffix(&format!("{from}: bye\n")) == Some(&*out_text) {
        NO_LINE_FOR_BYE
    } else if all_empty(&out) {
        ZERO_BUFFER
    } else if let Some(mistake) = lines_prefix_mistake(&out, from) {
        mistake
    } else if std::str::from_utf8(&out).is_err() {
        "writing the datagram's bytes as they are: show them as text with \
         `String::from_utf8_lossy`, which turns bytes that are not UTF-8 into `�`"
    } else if result.is_err() && got_lines == 0 {
        "an error for a datagram that is not UTF-8 (`String::from_utf8` or `str::from_utf8` \
         with `?`): show it with `String::from_utf8_lossy` instead"
    } else if !out_text.contains("caf") {
        "no line for the datagram that is not UTF-8: every datagram gets its line; show it \
         with `String::from_utf8_lossy`"
    } else if !out_text.contains(&format!("{from}: \n")) {
        "no line for the empty datagram: every datagram gets its line, even one of 0 bytes"
    } else if result.is_ok() && !out_text.ends_with(&format!("{from}: bye\n")) {
        "stopping at a datagram that is not exactly `bye`: comparing loosely (`trim`, \
         `starts_with`, ignoring case); compare the text with `==`"
    } else {
        "each datagram's text changed (trimmed, or its case changed): print it as it came"
    };
    Err(session.wrong(format!("exactly {want:?}"), mistake))
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
                "stopping at `byebye` (comparing with `starts_with` or `contains` instead of \
                 `==`), or stopping at `bye` without printing its line first",
            ),
            other => other,
        })?;
    if line != want {
        let mistake = if line.contains('\0') {
            WHOLE_BUFFER
        } else if line == format!("{}: byebye\n", sender.addr()) {
            "bytes left over from the earlier, longer datagram `byebye`: print only what this \
             datagram carried, `&buf[..len]`"
        } else if line.ends_with(": \n") {
            ZERO_BUFFER
        } else {
            prefix_mistake(&line, sender.addr()).unwrap_or(
                "the line for `bye` differs: print it as every other datagram, then stop",
            )
        };
        return Err(session.wrong(format!("the line {want:?} before the receiver ends"), mistake));
    }
    receiver.exits_successfully(session, "the datagram `bye`")
}
