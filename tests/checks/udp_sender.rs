//! Checks of the UDP sender (`exercises/src/udp_sender.rs`).

use std::net::SocketAddr;

use grader::peer::UdpPeer;
use grader::{Check, Failure, Session, WAIT};

use super::has_ipv6_loopback;

pub const CHECKS: &[Check] = grader::checks!("udp_sender": opens_a_socket_near_the_destination, sends_each_line_as_one_datagram, stops_after_bye, stops_at_the_end_of_input);

fn opens_a_socket_near_the_destination(session: &Session) -> Result<(), Failure> {
    let mut cases = vec![("127.0.0.1:5000", "127.0.0.1"), ("192.0.2.7:5000", "0.0.0.0")];
    if has_ipv6_loopback() {
        cases.extend([("[::1]:5000", "::1"), ("[2001:db8::7]:5000", "::")]);
    }
    for (to, want_ip) in cases {
        let to: SocketAddr = to.parse().expect("literal address");
        let socket =
            session.call("udp_sender::open", WAIT, move || subject::udp_sender::open(to))?;
        let socket = socket.map_err(|err| {
            session.wrong(format!("open({to}) to succeed"), format!("it returned the error {err}"))
        })?;
        let local = socket.local_addr().map_err(|err| session.wrong("a bound socket", err))?;
        session.note(format!("open({to}) bound {local}"));
        if local.is_ipv4() != to.is_ipv4() {
            return Err(session.wrong(
                format!("a socket of the same family as {to}"),
                "binding an IPv4 address for an IPv6 destination, or the reverse: `send_to` would fail",
            ));
        }
        if local.ip().to_string() != want_ip {
            let mistake = if local.ip().is_loopback() {
                "binding loopback for a destination elsewhere: its datagrams could never leave this machine"
            } else {
                "binding every interface when loopback would do: bind no wider than the traffic needs"
            };
            return Err(session
                .wrong(format!("a socket bound to {want_ip} for the destination {to}"), mistake));
        }
        if local.port() == 0 {
            return Err(session.wrong("a real port", "the socket is not bound"));
        }
    }
    Ok(())
}

/// Runs the sender with `input` against a reference receiver; returns the datagrams that
/// arrived, as text.
fn send_through_program(session: &Session, input: &str) -> Result<Vec<String>, Failure> {
    let receiver = UdpPeer::bind(session, "receiver")?;
    let addr = receiver.addr().to_string();
    let finished = session.run_to_end("udp-sender", &addr, input)?;
    if !finished.output.status.success() {
        return Err(session
            .wrong("exit code 0", "an error returned along the way: its stderr above says which"));
    }
    // Loopback delivers a datagram as it is sent: once the sender has ended, every
    // datagram it sent is already waiting here.
    let got: Vec<String> =
        receiver.drain().iter().map(|d| String::from_utf8_lossy(d).into_owned()).collect();
    Ok(got)
}

fn expect_datagrams(session: &Session, got: &[String], want: &[&str]) -> Result<(), Failure> {
    if got == want {
        return Ok(());
    }
    let mistake = if got.is_empty() {
        "nothing arrived: sending to another address than the one given, or not sending at all"
            .to_string()
    } else if got.iter().any(|d| d.trim_end().contains('\n')) {
        "several lines in one datagram: call `send_to` once per line".to_string()
    } else if got.iter().any(|d| d.ends_with('\r')) {
        "the datagrams carry the `\\r` of a `\\r\\n` line ending: strip both, as `BufRead::lines` does"
            .to_string()
    } else if got.iter().any(|d| d.ends_with('\n')) {
        "the datagrams carry the line's `\\n`: send the line without its line ending".to_string()
    } else if got.len() > want.len() {
        format!(
            "{} datagram(s) too many: stop after `bye`, and send nothing for the end of input",
            got.len() - want.len()
        )
    } else {
        "the lines out of order, changed, or some missing".to_string()
    };
    Err(session.wrong(format!("the datagrams {want:?}, in order"), mistake))
}

fn sends_each_line_as_one_datagram(session: &Session) -> Result<(), Failure> {
    let got = send_through_program(session, "hello\nhow are u\nhéllo wörld\nbye\n")?;
    expect_datagrams(session, &got, &["hello", "how are u", "héllo wörld", "bye"])
}

fn stops_after_bye(session: &Session) -> Result<(), Failure> {
    let got = send_through_program(session, "one\nbye\nafter bye\n")?;
    expect_datagrams(session, &got, &["one", "bye"])
}

fn stops_at_the_end_of_input(session: &Session) -> Result<(), Failure> {
    let got = send_through_program(session, "one\r\ntwo")?;
    expect_datagrams(session, &got, &["one", "two"])
}
