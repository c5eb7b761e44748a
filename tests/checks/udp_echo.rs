//! Checks of the UDP echo server (`exercises/src/udp_echo.rs`).

use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use grader::peer::{UdpPeer, show};
use grader::program::Running;
use grader::{Check, Failure, Session, WAIT};

use super::expect_bound_as_asked;

pub const CHECKS: &[Check] = grader::checks!("udp_echo": echoes_a_datagram_to_its_sender, echoes_each_sender_its_own_datagrams, echoes_long_and_empty_datagrams_whole, serve_returns_its_own_errors);

const WRONG_ADDRESS: &str = "no echo came back: sending it somewhere else (to a fixed address or port, \
     or to the server's own address, instead of the sender's address that `recv_from` returned \
     with the datagram), or not sending it at all";

fn echoes_a_datagram_to_its_sender(session: &Session) -> Result<(), Failure> {
    let socket = UdpSocket::bind("127.0.0.1:0").map_err(|err| session.wrong("a socket", err))?;
    let addr = socket.local_addr().map_err(|err| session.wrong("a socket", err))?;
    let peer = UdpPeer::bind(session, "sender")?;
    peer.send(b"hello", addr);
    session.note(format!("calls echo_one on the socket at {addr}, which holds that datagram"));
    let got = session.call("udp_echo::echo_one", WAIT, move || {
        let mut buf = vec![0; 65_535];
        subject::udp_echo::echo_one(&socket, &mut buf)
    })?;
    let (len, from) = got.map_err(|err| {
        let mistake = if is_too_long(&err.to_string()) {
            format!("it returned the error {err}: {WHOLE_BUFFER}")
        } else {
            format!("it returned the error {err}")
        };
        session.wrong("echo_one to return Ok", mistake)
    })?;
    session.note(format!("echo_one returned ({len}, {from})"));
    if (len, from) != (5, peer.addr()) {
        return Err(session.wrong(
            format!("echo_one to return (5, {}): the datagram's length and its sender", peer.addr()),
            "returning something other than what `recv_from` said: its length and the sender's address",
        ));
    }
    match peer.receive() {
        Some((bytes, echo_from)) if bytes == b"hello" && echo_from == addr => Ok(()),
        Some((bytes, _)) if bytes != b"hello" => Err(session
            .wrong("the echo \"hello\", the same 5 bytes", wrong_bytes_mistake(b"hello", &bytes))),
        Some(_) => Err(session.wrong(
            format!("the echo to come from {addr}, the socket the datagram was sent to"),
            "sending the echo from another socket: send it with the one that received the datagram",
        )),
        None => Err(session.wrong(format!("the echo \"hello\" at {}", peer.addr()), WRONG_ADDRESS)),
    }
}

fn echoes_each_sender_its_own_datagrams(session: &Session) -> Result<(), Failure> {
    let mut server = session.start("udp-echo", "127.0.0.1:0")?;
    let addr = server.listening(session)?;
    expect_bound_as_asked(session, "127.0.0.1:0", addr)?;
    let alice = UdpPeer::bind(session, "alice")?;
    let bob = UdpPeer::bind(session, "bob")?;
    let turns: [(&UdpPeer, &[u8]); 4] = [
        (&alice, b"ping 1 1700000000000000"),
        (&bob, b"bye"),
        (&alice, "h\u{e9}llo w\u{f6}rld".as_bytes()),
        (&bob, b"hello from bob"),
    ];
    for (turn, (peer, bytes)) in turns.into_iter().enumerate() {
        expect_echo(session, &mut server, peer, bytes, addr).map_err(|failure| match failure {
            // Alice was echoed and Bob, the second sender, is not: a socket tied to one peer.
            Failure::Wrong { expected, .. } if turn == 1 && server.is_running() => session.wrong(
                expected,
                "no echo for a second sender, though the first was echoed: a socket tied to the \
                 first sender (`connect`), which then receives only that sender's datagrams, or \
                 echoes sent to the first sender's address; answer each datagram with \
                 `send_to(.., sender)`, the sender `recv_from` gave",
            ),
            other => other,
        })?;
    }
    let extra = [alice.drain(), bob.drain()].concat();
    if !extra.is_empty() {
        return Err(session.wrong(
            "exactly one echo per datagram, to its sender only",
            "sending each echo to more than one address, or more than once",
        ));
    }
    Ok(())
}

fn echoes_long_and_empty_datagrams_whole(session: &Session) -> Result<(), Failure> {
    let mut server = session.start("udp-echo", "127.0.0.1:0")?;
    let addr = server.listening(session)?;
    let peer = UdpPeer::bind(session, "sender")?;
    let long: Vec<u8> = (0..60_000u32).map(|i| (i % 251) as u8).collect();
    for bytes in [&b"short"[..], b"  spaced out \r\n", &[0, 255, 10, 13, 0], &long, b""] {
        expect_echo(session, &mut server, &peer, bytes, addr)?;
    }
    Ok(())
}

fn serve_returns_its_own_errors(session: &Session) -> Result<(), Failure> {
    let socket = UdpSocket::bind("127.0.0.1:0").map_err(|err| session.wrong("a socket", err))?;
    let timeout = Duration::from_millis(100);
    socket.set_read_timeout(Some(timeout)).map_err(|err| session.wrong("a socket", err))?;
    let addr = socket.local_addr().map_err(|err| session.wrong("a socket", err))?;
    let peer = UdpPeer::bind(session, "sender")?;
    peer.send(b"hello", addr);
    session.note(format!(
        "calls serve on the socket at {addr}, which holds that datagram and has a read \
         timeout of {timeout:?}; nothing more comes"
    ));
    let result = session.call("udp_echo::serve", WAIT, move || subject::udp_echo::serve(&socket));
    let result = result.map_err(|failure| match failure {
        Failure::Wrong { expected, .. } => session.wrong(
            format!("{expected}: the read timeout is the server's own error"),
            "ignoring every error and going on (`let _ = echo_one(..)`, or `continue` on any \
             error): an error of the server's own socket comes back at once, every time, so \
             the loop spins; go on only after an error about one sender (`ConnectionReset`, \
             `ConnectionRefused`) and return the others",
        ),
        not_done => not_done,
    })?;
    match result {
        Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
            session.note(format!("serve returned the error {err}"));
            match peer.receive() {
                Some((bytes, _)) if bytes == b"hello" => Ok(()),
                _ => Err(session.wrong(
                    "the echo of \"hello\" before serve returned",
                    "see the other checks of echo_one",
                )),
            }
        }
        Err(err) => Err(session.wrong(
            "serve to return the read timeout's error (WouldBlock or TimedOut)",
            // EMSGSIZE: sending more bytes than a datagram holds, such as the whole buffer.
            if err.raw_os_error() == Some(90) || err.to_string().contains("too long") {
                format!(
                    "it returned the error {err} from sending the echo of 5 bytes: sending the \
                     whole buffer instead of the bytes received; echo `&buf[..len]`, with the \
                     `len` that `recv_from` returned"
                )
            } else {
                format!(
                    "it returned another error, {err}: the read timeout's error changed on its \
                     way out (return it as it came), or echoing the one datagram failed (see \
                     the other checks of echo_one)"
                )
            },
        )),
        Ok(()) => Err(session.wrong(
            "serve to return the read timeout's error, not Ok",
            "taking an error for the end of the work: return the error itself",
        )),
    }
}

/// Sends `bytes` from `peer` and expects the very same bytes back from `server_addr`.
fn expect_echo(
    session: &Session,
    server: &mut Running,
    peer: &UdpPeer,
    bytes: &[u8],
    server_addr: SocketAddr,
) -> Result<(), Failure> {
    peer.send(bytes, server_addr);
    let want = format!("the echo {} ({} bytes) at {}", show(bytes), bytes.len(), peer.addr());
    match hear(session, server, peer)? {
        Some((echo, from)) if echo == bytes && from == server_addr => Ok(()),
        Some((echo, _)) if echo != bytes => {
            Err(session.wrong(want, wrong_bytes_mistake(bytes, &echo)))
        }
        Some(_) => Err(session.wrong(
            format!("the echo to come from {server_addr}, where the datagram was sent"),
            "sending the echo from another socket: send it with the one that received the datagram",
        )),
        None if bytes.is_empty() => Err(session.wrong(
            want,
            "no echo of the empty datagram: a datagram of 0 bytes is a datagram too; echo it, \
             do not take `len == 0` for the end of anything",
        )),
        None => Err(session.wrong(want, WRONG_ADDRESS)),
    }
}

const WHOLE_BUFFER: &str = "sending the whole buffer, 65,535 bytes, which is more than one \
     datagram can carry, so `send_to` fails (`Message too long`); the datagram is `buf[..len]`";

/// Whether an error says a datagram was too long to send (EMSGSIZE).
fn is_too_long(text: &str) -> bool {
    text.contains("too long") || text.contains("os error 90") || text.contains("os error 10040")
}

fn wrong_bytes_mistake(sent: &[u8], echo: &[u8]) -> String {
    let (got, came) = (echo.len(), sent.len());
    let lossy = String::from_utf8_lossy(sent);
    if echo == lossy.as_bytes() {
        format!(
            "an echo of {got} bytes for a datagram of {came}, its bytes that are not UTF-8 \
             turned into `\\u{{fffd}}`: converting the datagram to text (`from_utf8_lossy`); \
             echo the bytes as they are"
        )
    } else if got > came && echo.starts_with(sent) {
        format!(
            "an echo of {got} bytes for a datagram of {came}: sending the whole buffer; the \
             datagram is `buf[..len]`"
        )
    } else if echo == sent.trim_ascii() || echo == sent.trim_ascii_end() {
        format!(
            "an echo of {got} bytes for a datagram of {came}, its spaces or line ending cut: \
             trimming the datagram; echo the bytes as they are"
        )
    } else if got < came && sent.starts_with(echo) {
        format!(
            "an echo of {got} bytes for a datagram of {came}: a receive buffer smaller than the \
             datagram; on Linux `recv_from` silently drops what does not fit, so make it 65,535 bytes"
        )
    } else {
        "the echo is not the same bytes: send back exactly what came, unchanged; or an \
         earlier datagram's echo sent again (each datagram gets one echo)"
            .to_string()
    }
}

/// Waits up to [`WAIT`] for one datagram at `peer`, watching that the server still runs.
fn hear(
    session: &Session,
    server: &mut Running,
    peer: &UdpPeer,
) -> Result<Option<(Vec<u8>, SocketAddr)>, Failure> {
    let deadline = Instant::now() + WAIT;
    let _ = peer.socket.set_read_timeout(Some(Duration::from_millis(25)));
    let mut buf = vec![0; 65_535];
    loop {
        if let Ok((len, from)) = peer.socket.recv_from(&mut buf) {
            session.note(format!(
                "{}: ← datagram {} ({len} bytes) from {from}",
                peer.addr(),
                show(&buf[..len])
            ));
            return Ok(Some((buf[..len].to_vec(), from)));
        }
        if !server.is_running() {
            let mistake = if is_too_long(&server.stderr()) {
                format!(
                    "the server stopped on an error, as an echo longer than any datagram can be \
                     failed to send: {WHOLE_BUFFER}; or the bytes changed on the way (a text \
                     conversion such as `from_utf8_lossy` makes bytes that are not UTF-8 longer)"
                )
            } else {
                "the server returned: a missing loop (it echoes until it is stopped, even after \
                 `bye`), or an error returned with `?`"
                    .to_string()
            };
            let failure = session.wrong("the echo server to keep running", mistake);
            return Err(server.explain(session, failure));
        }
        if Instant::now() >= deadline {
            session.note(format!("{}: … no datagram within {WAIT:?}", peer.addr()));
            return Ok(None);
        }
    }
}
