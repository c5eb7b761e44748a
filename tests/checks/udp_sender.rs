//! Checks of the UDP sender (`exercises/src/udp_sender.rs`).

use std::io::{Cursor, ErrorKind};
use std::net::{SocketAddr, UdpSocket};

use grader::peer::UdpPeer;
use grader::{Check, Failure, Session, WAIT};

use super::has_ipv6_loopback;

pub const CHECKS: &[Check] = grader::checks!("udp_sender": opens_a_socket_near_the_destination, opens_a_new_port_each_time, sends_each_line_as_one_datagram, sends_each_line_as_it_is_typed, sends_an_empty_line_as_an_empty_datagram, stops_after_bye, stops_at_the_end_of_input, returns_how_many_it_sent, refuses_a_line_that_is_not_utf8);

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

fn opens_a_new_port_each_time(session: &Session) -> Result<(), Failure> {
    let to: SocketAddr = "127.0.0.1:5000".parse().expect("literal address");
    let mut kept = Vec::new();
    for turn in ["first", "second"] {
        let socket =
            session.call("udp_sender::open", WAIT, move || subject::udp_sender::open(to))?;
        let socket = socket.map_err(|err| {
            session.note(format!("open({to}), the {turn} time: ✗ {err}"));
            let mistake = if err.kind() == ErrorKind::AddrInUse {
                "binding a fixed port: bind port 0, and the OS picks a free one each time, so \
                 that two senders can run at once"
                    .to_string()
            } else {
                format!("it returned the error {err}")
            };
            session.wrong(format!("open({to}) to succeed the {turn} time"), mistake)
        })?;
        let local = socket.local_addr().map_err(|err| session.wrong("a bound socket", err))?;
        session.note(format!("open({to}), the {turn} time, bound {local} (kept open)"));
        kept.push((socket, local));
    }
    if kept[0].1 == kept[1].1 {
        return Err(session.wrong(
            "two sockets on two ports",
            "binding a fixed port: bind port 0, and the OS picks a free one each time",
        ));
    }
    Ok(())
}

/// Calls `send_lines` with `input` towards a reference receiver; returns what it
/// returned and the datagrams that arrived.
fn send_through_function(
    session: &Session,
    input: &'static [u8],
) -> Result<(std::io::Result<usize>, Vec<Vec<u8>>), Failure> {
    let receiver = UdpPeer::bind(session, "receiver")?;
    let to = receiver.addr();
    let socket = UdpSocket::bind("127.0.0.1:0").map_err(|err| session.wrong("a socket", err))?;
    session.note(format!("send_lines(socket, {to}, {})", grader::peer::show(input)));
    let result = session.call("udp_sender::send_lines", WAIT, move || {
        subject::udp_sender::send_lines(&socket, to, Cursor::new(input))
    })?;
    session.note(format!("send_lines returned {result:?}"));
    Ok((result, receiver.drain()))
}

fn returns_how_many_it_sent(session: &Session) -> Result<(), Failure> {
    let cases: [(&[u8], &[&str]); 3] = [
        (b"one\ntwo\nbye\nafter bye\n", &["one", "two", "bye"]),
        (b"one\r\n\ntwo", &["one", "", "two"]),
        (b"", &[]),
    ];
    for (input, datagrams) in cases {
        let want = datagrams.len();
        let (result, got) = send_through_function(session, input)?;
        match result {
            Ok(count) if count == want && got.len() == want => {}
            Ok(count) if got.len() == want => {
                return Err(session.wrong(
                    format!("send_lines to return Ok({want}): it sent {want} datagrams"),
                    format!(
                        "it returned Ok({count}): count each datagram as `send_to` succeeds, \
                         and return the count"
                    ),
                ));
            }
            Ok(_) => {
                let got: Vec<String> =
                    got.iter().map(|d| String::from_utf8_lossy(d).into_owned()).collect();
                return Err(session.wrong(
                    format!("the datagrams {datagrams:?}, and Ok({want}) returned"),
                    datagrams_mistake(&got, datagrams),
                ));
            }
            Err(err) => {
                return Err(session.wrong(
                    format!("send_lines to return Ok({want})"),
                    format!("it returned the error {err}"),
                ));
            }
        }
    }
    Ok(())
}

fn refuses_a_line_that_is_not_utf8(session: &Session) -> Result<(), Failure> {
    let (result, got) = send_through_function(session, b"one\ncaf\xe9\ntwo\n")?;
    let expected = "the datagram \"one\", then an error of kind InvalidData for the line that is \
                    not UTF-8, as the doc says";
    match result {
        Err(err) if err.kind() == ErrorKind::InvalidData && got == [b"one".to_vec()] => Ok(()),
        Err(err) if err.kind() == ErrorKind::InvalidData => {
            // What arrived is looked at before how many: a datagram "one\n" did go out in
            // time, with its line ending.
            let got: Vec<String> =
                got.iter().map(|d| String::from_utf8_lossy(d).into_owned()).collect();
            let mistake = if got.is_empty() {
                "no datagram arrived before the error: reading the whole input before sending \
                 (`read_to_string`, or collecting the lines first); send each line as it is read"
                    .to_string()
            } else {
                datagrams_mistake(&got, &["one"])
            };
            Err(session.wrong(expected, mistake))
        }
        Err(err) => Err(session.wrong(
            expected,
            format!(
                "an error of kind {:?} ({err}): let the error of reading the line through",
                err.kind()
            ),
        )),
        Ok(_) => Err(session.wrong(
            expected,
            "sending or skipping the line that is not UTF-8 (reading bytes, or converting them \
             with `from_utf8_lossy`): `BufRead::lines` gives that line as an error; return it \
             with `?`",
        )),
    }
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
    Err(session.wrong(format!("the datagrams {want:?}, in order"), datagrams_mistake(got, want)))
}

/// What the datagrams `got`, instead of `want`, show: their content first (line endings
/// kept, several lines in one), then which are missing or too many.
fn datagrams_mistake(got: &[String], want: &[&str]) -> String {
    if got.is_empty() {
        "nothing arrived: sending to another address than the one given, or not sending at all"
            .to_string()
    } else if got.iter().any(|d| d.trim_end().contains('\n')) {
        "several lines in one datagram: call `send_to` once per line".to_string()
    } else if got.iter().any(|d| d.ends_with('\r')) {
        "the datagrams carry the `\\r` of a `\\r\\n` line ending: strip both, as `BufRead::lines` does"
            .to_string()
    } else if got.iter().any(|d| d.ends_with('\n')) {
        "the datagrams carry the line's `\\n`: send the line without its line ending".to_string()
    } else if got.len() + 1 == want.len()
        && want.last() == Some(&"bye")
        && want.starts_with(&got.iter().map(String::as_str).collect::<Vec<_>>())
    {
        "stopping at `bye` without sending it: send it, then stop, so that the receiver stops too"
            .to_string()
    } else if want.contains(&"")
        && got.iter().map(String::as_str).eq(want.iter().copied().filter(|w| !w.is_empty()))
    {
        "skipping empty lines: send every line, an empty one as a datagram of 0 bytes".to_string()
    } else if got.iter().zip(want).any(|(got, want)| got != want && got == want.trim()) {
        "trimming the lines: send each line as it is, without its line ending only".to_string()
    } else if got.len() > want.len() {
        format!(
            "{} datagram(s) too many: stop after `bye`, and send nothing for the end of input",
            got.len() - want.len()
        )
    } else {
        "the lines out of order, changed, or some missing".to_string()
    }
}

fn sends_each_line_as_one_datagram(session: &Session) -> Result<(), Failure> {
    let got = send_through_program(session, "hello\n  how are u \nhéllo wörld\nbye\n")?;
    expect_datagrams(session, &got, &["hello", "  how are u ", "héllo wörld", "bye"])
}

fn sends_each_line_as_it_is_typed(session: &Session) -> Result<(), Failure> {
    let receiver = UdpPeer::bind(session, "receiver")?;
    let mut sender = session.start("udp-sender", &receiver.addr().to_string())?;
    for (at, line) in ["hello", "bye"].into_iter().enumerate() {
        sender.type_in(&format!("{line}\n"));
        match receiver.receive() {
            Some((bytes, _)) if bytes == line.as_bytes() => {}
            Some((bytes, _)) => {
                let got = [String::from_utf8_lossy(&bytes).into_owned()];
                return Err(session
                    .wrong(format!("the datagram {line:?}"), datagrams_mistake(&got, &[line])));
            }
            None => {
                let expected = format!(
                    "the datagram {line:?} as soon as its line was typed, before the input ends"
                );
                // The line before went out as it was typed: the timing is right, and only
                // this line is missing.
                let mistake = if at > 0 && line == "bye" {
                    "the line `bye` not sent, though the line before it went out as soon as it \
                     was typed: stopping at `bye` without sending it; send it, then stop, so \
                     that the receiver stops too"
                } else if !sender.is_running() {
                    "the program ended before sending it: its stderr above says why"
                } else {
                    // The probe, on a failure only: does the datagram come once the input ends?
                    sender.close_stdin();
                    session.note("→ stdin closed");
                    if receiver.receive().is_some() {
                        "the datagram came only once the input ended: reading the whole input \
                         before sending (`read_to_string`, or collecting the lines first); send \
                         each line as soon as it is read"
                    } else {
                        "no datagram, even once the input ended: sending to another address \
                         than the one given, or not sending at all; see the other checks"
                    }
                };
                return Err(sender.explain(session, session.wrong(expected, mistake)));
            }
        }
    }
    sender.exits_successfully(session, "the line `bye`, with the input still open")
}

fn sends_an_empty_line_as_an_empty_datagram(session: &Session) -> Result<(), Failure> {
    let got = send_through_program(session, "one\n\ntwo\n")?;
    if got == ["one", "two"] {
        return Err(session.wrong(
            "the datagrams [\"one\", \"\", \"two\"]: an empty line is an empty datagram",
            "skipping empty lines: send every line, an empty one as a datagram of 0 bytes",
        ));
    }
    expect_datagrams(session, &got, &["one", "", "two"])
}

fn stops_after_bye(session: &Session) -> Result<(), Failure> {
    let got = send_through_program(session, "BYE\nbye \n bye\nbyebye\nbye\r\nafter bye\n")?;
    let want = ["BYE", "bye ", " bye", "byebye", "bye"];
    let stopped_early = got.len() < want.len()
        && got.last().is_some_and(|last| last.trim().eq_ignore_ascii_case("bye"));
    if stopped_early {
        return Err(session.wrong(
            format!("the datagrams {want:?}: only the line `bye` itself ends the input"),
            "stopping at a line that is not exactly `bye`: comparing loosely (`trim`, \
             `starts_with`, `contains`, ignoring case); compare the line with `==`",
        ));
    }
    expect_datagrams(session, &got, &want)
}

fn stops_at_the_end_of_input(session: &Session) -> Result<(), Failure> {
    let got = send_through_program(session, "one\r\ntwo")?;
    expect_datagrams(session, &got, &["one", "two"])
}
