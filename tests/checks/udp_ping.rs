//! Checks of the UDP pinger (`exercises/src/udp_ping.rs`), against the grader's reference
//! echo server, which loses, delays and duplicates echoes on purpose, the same way each run.

use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use grader::ping::{EchoServer, Fate, PESTER_EVERY, Received};
use grader::{Check, Failure, Session, WAIT};

pub const CHECKS: &[Check] = grader::checks!("udp_ping": builds_the_ping_message, reads_the_sequence_number_of_an_echo, summarises_loss_and_round_trip_times, measures_the_round_trip_time_of_one_ping, gives_up_after_the_timeout, gives_up_on_time_despite_stray_echoes, ignores_echoes_from_other_addresses, ignores_late_and_duplicate_echoes, reports_a_refused_ping_as_an_error, pings_in_turn_and_writes_a_line_for_each, prints_each_ping_and_a_summary);

const MS: Duration = Duration::from_millis(1);

fn builds_the_ping_message(session: &Session) -> Result<(), Failure> {
    let cases = [
        (1, Duration::new(1_700_000_000, 123_456_789), "ping 1 1700000000123456"),
        (0, Duration::ZERO, "ping 0 0"),
        (u32::MAX, Duration::from_micros(42), "ping 4294967295 42"),
    ];
    for (seq, since_epoch, want) in cases {
        let at = UNIX_EPOCH + since_epoch;
        let got = session.call("udp_ping::ping_message", WAIT, move || {
            subject::udp_ping::ping_message(seq, at)
        })?;
        session.note(format!("ping_message({seq}, the epoch + {since_epoch:?}) = {got:?}"));
        if got != want {
            let mistake = if got.starts_with(&format!("ping {seq} ")) {
                "the send time in another unit or form: whole microseconds since the Unix epoch, \
                 `duration_since(UNIX_EPOCH)` then `as_micros()`"
            } else {
                "a message other than `ping <seq> <send-time>`: the word `ping`, the sequence number \
                 and the time, separated by single spaces"
            };
            return Err(session.wrong(format!("{want:?}"), mistake));
        }
    }
    // A clock set before 1970: `duration_since` fails, and the time is only informative.
    let before_1970 = UNIX_EPOCH - Duration::from_secs(1);
    let got = session
        .call("udp_ping::ping_message", WAIT, move || {
            subject::udp_ping::ping_message(2, before_1970)
        })
        .map_err(|failure| match failure {
            Failure::Wrong { expected, .. } => session.wrong(
                expected,
                "a panic for a send time before 1970: `duration_since(UNIX_EPOCH)` returns an \
                 error then, and `unwrap` panics; the book says to write 0 \
                 (`unwrap_or_default()`)",
            ),
            not_done => not_done,
        })?;
    session.note(format!("ping_message(2, the epoch - 1 s) = {got:?}"));
    if got != "ping 2 0" {
        return Err(session.wrong(
            "\"ping 2 0\" for a send time before 1970",
            "another time for a clock before 1970: `duration_since` fails, and the book says \
             to write 0 then",
        ));
    }
    Ok(())
}

fn reads_the_sequence_number_of_an_echo(session: &Session) -> Result<(), Failure> {
    let cases: [(&[u8], Option<u32>); 10] = [
        (b"ping 7 1700000000123456", Some(7)),
        (b"ping 4294967295 0", Some(u32::MAX)),
        (b"ping 12", Some(12)),
        (b"pong 7 1700000000123456", None),
        (b"ping x 1700000000123456", None),
        (b"ping -1 0", None),
        (b"ping 4294967296 0", None),
        (b"ping", None),
        (b"", None),
        (&[0xff, 0xfe, 0x20, 0x37], None),
    ];
    for (echo, want) in cases {
        let got =
            session.call("udp_ping::echo_seq", WAIT, move || subject::udp_ping::echo_seq(echo))?;
        session.note(format!("echo_seq({:?}) = {got:?}", String::from_utf8_lossy(echo)));
        if got != want {
            let mistake = match want {
                Some(_) => {
                    "not finding the number after `ping`: split the text on spaces and parse \
                            the second word as a u32"
                }
                None => {
                    "taking something that is not `ping <number> ...` for an echo: check the \
                         first word is `ping`, and let `parse::<u32>()` refuse what is not a u32"
                }
            };
            return Err(session.wrong(format!("echo_seq to be {want:?}"), mistake));
        }
    }
    Ok(())
}

fn summarises_loss_and_round_trip_times(session: &Session) -> Result<(), Failure> {
    let cases: [(Vec<Option<Duration>>, &str); 5] = [
        (
            vec![Some(MS), None, Some(3 * MS), None],
            "4 sent, 2 received, 50.0% lost, rtt min/avg/max = 1.000/2.000/3.000 ms",
        ),
        (
            vec![Some(MS), Some(2 * MS), Some(4 * MS)],
            "3 sent, 3 received, 0.0% lost, rtt min/avg/max = 1.000/2.333/4.000 ms",
        ),
        (
            vec![Some(Duration::from_micros(250)), None, None],
            "3 sent, 1 received, 66.7% lost, rtt min/avg/max = 0.250/0.250/0.250 ms",
        ),
        (vec![None, None, None], "3 sent, 0 received, 100.0% lost"),
        (vec![], "0 sent, 0 received, 0.0% lost"),
    ];
    for (rtts, want) in cases {
        let shown = format!("{rtts:?}");
        let got =
            session.call("udp_ping::summary", WAIT, move || subject::udp_ping::summary(&rtts))?;
        session.note(format!("summary({shown}) = {got:?}"));
        if got == want {
            continue;
        }
        let (got_loss, want_loss) = (got.split(" lost").next(), want.split(" lost").next());
        let mistake = if got_loss != want_loss {
            "a wrong loss percentage: lost ÷ sent × 100 in floating point (integer division makes \
             1 of 3 zero), with one decimal (`{:.1}`), and 0.0 when nothing was sent"
        } else if want.contains("rtt") && got.contains("rtt") {
            "wrong round-trip statistics: min, average and max over the echoes that came only; a \
             lost ping has no round-trip time, so it must not count in the average"
        } else {
            "a summary line other than `<sent> sent, <received> received, <loss>% lost`, then \
             `, rtt min/avg/max = <min>/<avg>/<max> ms` only if some echo came"
        };
        return Err(session.wrong(format!("{want:?}"), mistake));
    }
    Ok(())
}

/// The timeout a check gives a ping whose echo is sure to come: far longer than any
/// stall of a busy machine, and it costs nothing, since the echo ends the wait.
const PATIENT: Duration = Duration::from_secs(1);

/// The timeout a check gives a ping that is lost, or whose echo only comes too late: the
/// check waits it out, so it is short. No echo has to beat it, so it needs no margin.
const SHORT: Duration = Duration::from_millis(100);

/// How much later than its timeout a pinger may give up: ten times the longest stall
/// seen on a loaded two-core machine (about 45 ms).
const LATE: Duration = Duration::from_millis(500);

/// How long a check lets a pinger that waits out `SHORT` take before calling it stuck:
/// beyond `udp_ping::TIMEOUT` and `LATE`, so that a pinger that waits the constant
/// `TIMEOUT` instead of the `timeout` it was given returns, and can be told apart.
const STUCK: Duration = Duration::from_secs(2);

/// A client socket for the pinger, on loopback.
fn client(session: &Session) -> Result<UdpSocket, Failure> {
    UdpSocket::bind("127.0.0.1:0").map_err(|err| session.wrong("a socket for the pinger", err))
}

/// What one call of `ping_one` did.
struct Pinged {
    /// What it returned.
    rtt: Option<Duration>,
    /// How long the call took, measured around it.
    took: Duration,
}

/// Calls `ping_one(socket, server, seq, timeout)`, allowing the call `wait`.
fn ping_one(
    session: &Session,
    socket: &UdpSocket,
    server: SocketAddr,
    seq: u32,
    timeout: Duration,
    wait: Duration,
) -> Result<Pinged, Failure> {
    let socket = socket.try_clone().map_err(|err| session.wrong("a socket for the pinger", err))?;
    session.note(format!("calls ping_one(socket, {server}, {seq}, {timeout:?})"));
    let started = Instant::now();
    let got = session.call("udp_ping::ping_one", wait, move || {
        subject::udp_ping::ping_one(&socket, server, seq, timeout)
    });
    let took = started.elapsed();
    let got = got.map_err(|failure| no_timeout(session, failure, timeout))?;
    let rtt = got.map_err(|err| {
        let mistake = if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) {
            "a read timeout passing is how a lost echo shows: `recv_from` fails with WouldBlock \
             (TimedOut on Windows); return Ok(None) for it, not the error"
                .to_string()
        } else if err.kind() == ErrorKind::InvalidInput {
            format!(
                "it returned the error {err}: `set_read_timeout(Some(Duration::ZERO))` is an \
                 error; once nothing is left of the timeout, the ping is lost: return Ok(None) \
                 before setting the timeout"
            )
        } else {
            format!("it returned the error {err}")
        };
        session.wrong("ping_one to return Ok", mistake)
    })?;
    session.note(format!("ping_one returned {rtt:?} after {took:?}"));
    if let Some(rtt) = rtt.filter(|&rtt| rtt > took) {
        return Err(session.wrong(
            format!("a round-trip time no longer than the call itself took ({took:?})"),
            format!(
                "it returned {rtt:?}: not the time from `send_to` to the echo; take \
                 `Instant::now()` just before `send_to` and its `elapsed()` when the echo came"
            ),
        ));
    }
    Ok(Pinged { rtt, took })
}

/// Words a call that did not return in time as the pinger's usual cause.
fn no_timeout(session: &Session, failure: Failure, timeout: Duration) -> Failure {
    match failure {
        Failure::Wrong { expected, .. } if expected.contains("to return within") => session.wrong(
            format!("the pinger to give up on an echo after {timeout:?}"),
            "no timeout, or one that starts again: without `set_read_timeout`, `recv_from` waits \
             forever for an echo that was lost; with one, each datagram that is ignored must not \
             restart the wait: compute the deadline once, then wait only for what is left of it",
        ),
        failure => failure,
    }
}

/// Expects the server to have received `ping <seq> <time>` for each of `seqs`, in order,
/// with a plausible time.
fn expect_pings(session: &Session, received: &[Received], seqs: &[u32]) -> Result<(), Failure> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    let texts: Vec<String> =
        received.iter().map(|r| String::from_utf8_lossy(&r.bytes).into_owned()).collect();
    let good = texts.len() == seqs.len()
        && texts.iter().zip(seqs).all(|(text, seq)| {
            let words: Vec<&str> = text.split(' ').collect();
            let time = words.get(2).and_then(|t| t.parse::<u128>().ok()).unwrap_or(0);
            words.len() == 3
                && words[0] == "ping"
                && words[1] == seq.to_string()
                && time.abs_diff(now.as_micros()) < 60_000_000
        });
    if good {
        return Ok(());
    }
    Err(session.wrong(
        format!(
            "the echo server to receive {} ping(s), numbered {seqs:?}, each `ping <seq> <send-time>` \
             with the time in microseconds since the Unix epoch",
            seqs.len()
        ),
        format!(
            "it received {texts:?}: pings numbered otherwise (the first is 1), sent more than once, \
             or in another format"
        ),
    ))
}

/// A datagram from `server` still waiting in `socket` after the calls: an echo the pinger
/// never read, so what it returned came from something else. Deterministic: the server
/// has sent everything by the time it finished.
fn unread_echo(socket: &UdpSocket, server: SocketAddr) -> Option<String> {
    socket.set_nonblocking(true).ok()?;
    let mut buf = [0; 1024];
    while let Ok((len, from)) = socket.recv_from(&mut buf) {
        if from == server {
            return Some(String::from_utf8_lossy(&buf[..len]).into_owned());
        }
    }
    None
}

/// A socket of the check's that sends the pinger a stray `ping 0 0` every 10 ms until
/// stopped: datagrams from an address that is not the server's, to be ignored.
struct Strays {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<()>,
}

impl Strays {
    fn start(session: &Session, pinger: &UdpSocket) -> Result<Strays, Failure> {
        use std::sync::atomic::{AtomicBool, Ordering};
        let to =
            pinger.local_addr().map_err(|err| session.wrong("a socket for the pinger", err))?;
        let stray = UdpSocket::bind("127.0.0.1:0").map_err(|err| session.wrong("a socket", err))?;
        let from = stray.local_addr().map_err(|err| session.wrong("a socket", err))?;
        session
            .note(format!("{from} sends the pinger a stray `ping 0 0` every 10 ms while it waits"));
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let stopped = std::sync::Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            while !stopped.load(Ordering::Relaxed) && started.elapsed() < STUCK {
                let _ = stray.send_to(b"ping 0 0", to);
                std::thread::sleep(Duration::from_millis(10));
            }
        });
        Ok(Strays { stop, thread })
    }

    fn stop(self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let _ = self.thread.join();
    }
}

fn measures_the_round_trip_time_of_one_ping(session: &Session) -> Result<(), Failure> {
    const DELAY: Duration = Duration::from_millis(100);
    let server = EchoServer::start(session, |_| Fate::Delay(DELAY))?;
    let socket = client(session)?;
    // Strays from another address during the wait: a clock started anew at each read
    // would then time only the last stretch of it.
    let strays = Strays::start(session, &socket)?;
    let result = ping_one(session, &socket, server.addr, 5, PATIENT, STUCK);
    strays.stop();
    let received = server.finish();
    let Pinged { rtt, .. } = result?;
    expect_pings(session, &received, &[5])?;
    let held = received[0].held().unwrap_or(DELAY);
    session.note(format!("the server really held the echo {held:?}"));
    match rtt {
        // Half the delay to spare: a pinger that reads the clock just after `send_to` may
        // be paused there by a busy machine, and that is not a mistake.
        // A clock read twice lands on a whole millisecond once in a million times: an
        // exact one is a time cut to milliseconds, which makes every loopback ping 0 ms.
        Some(rtt) if rtt.subsec_nanos() % 1_000_000 == 0 => Err(session.wrong(
            format!("the round-trip time as measured, to the microsecond at least (the server held the echo {held:?})"),
            format!(
                "{rtt:?}, a whole number of milliseconds: the time cut to whole milliseconds \
                 (`as_millis`), so a loopback ping reads 0 ms; return the `Duration` that \
                 `elapsed()` gave"
            ),
        )),
        Some(rtt) if rtt + DELAY / 2 >= held => Ok(()),
        Some(rtt) => Err(session.wrong(
            format!("a round-trip time of at least {held:?}: the server held the echo that long"),
            format!(
                "{rtt:?}: timing the wrong stretch; take `Instant::now()` just before `send_to` \
                 (once, not anew before each read: strays came during the wait) and the \
                 elapsed time when the echo arrives"
            ),
        )),
        None => Err(session.wrong(
            format!(
                "Some(round-trip time): the echo came back {held:?} after the ping, within the \
                 {PATIENT:?} timeout"
            ),
            "not recognising the echo as this ping's: it carries the same `ping <seq> ...` text \
             and comes from the address the ping went to; or a wait shorter than the timeout",
        )),
    }
}

fn gives_up_after_the_timeout(session: &Session) -> Result<(), Failure> {
    let server = EchoServer::start(session, |_| Fate::Drop)?;
    let socket = client(session)?;
    let result = ping_one(session, &socket, server.addr, 1, SHORT, STUCK);
    server.finish();
    let Pinged { rtt, took } = result?;
    if rtt.is_some() {
        return Err(session.wrong(
            "None: the ping was dropped and no echo came",
            "reporting an echo that never came",
        ));
    }
    // A read timeout never ends early; the 2 ms allow for a clock's rounding.
    if took + Duration::from_millis(2) < SHORT {
        return Err(session.wrong(
            format!("ping_one to wait the whole {SHORT:?} timeout before calling the ping lost"),
            format!(
                "it gave up after {took:?}: a non-blocking socket, or a read timeout shorter than \
                 the one given"
            ),
        ));
    }
    if took > SHORT + LATE {
        let mistake = if took >= subject::udp_ping::TIMEOUT {
            format!(
                "it gave up after {took:?}: the constant `TIMEOUT` ({:?}) in place of the \
                 `timeout` it was given",
                subject::udp_ping::TIMEOUT
            )
        } else {
            format!("it gave up after {took:?}: a read timeout longer than the one given")
        };
        return Err(session.wrong(format!("ping_one to give up {SHORT:?} after sending"), mistake));
    }
    Ok(())
}

fn gives_up_on_time_despite_stray_echoes(session: &Session) -> Result<(), Failure> {
    // Twenty stale echoes per timeout: a wait that starts again at each one could only
    // end if the machine stalled the server for the whole timeout.
    const TIMEOUT: Duration = Duration::from_millis(200);
    let server = EchoServer::start(session, |_| Fate::Pester)?;
    let socket = client(session)?;
    let result = ping_one(session, &socket, server.addr, 1, TIMEOUT, STUCK);
    server.finish();
    let Pinged { rtt, took } = result?;
    if rtt.is_some() {
        return Err(session.wrong(
            "None: ping 1 was never echoed; only stale echoes of ping 0 came",
            "taking an echo of another ping for this one's: compare the sequence number in the echo \
             (`echo_seq`) with the ping's",
        ));
    }
    if took > TIMEOUT + LATE {
        return Err(session.wrong(
            format!("ping_one to give up about {TIMEOUT:?} after sending, whatever else arrives"),
            format!(
                "it took {took:?}, while a stale echo came every {PESTER_EVERY:?}: the timeout \
                 starts again with each datagram that is ignored; compute the deadline once, \
                 then wait only for what is left of it"
            ),
        ));
    }
    // In time here, since a stale echo came every 10 ms; but had they stopped just before
    // the deadline, a read that waits the whole timeout again would have run up to twice
    // it. The read timeout left on the socket tells: after 200 ms of stale echoes, what
    // was left for the last read was far less than the whole timeout. (Linux keeps it to
    // the clock tick, a few ms; a pinger that does not use read timeouts leaves `None`.)
    let last = socket.read_timeout().ok().flatten();
    session.note(format!("the read timeout left on the socket: {last:?}"));
    if last.is_some_and(|last| last + Duration::from_millis(20) >= TIMEOUT) {
        return Err(session.wrong(
            format!("the last read to wait only what was left of the {TIMEOUT:?}"),
            format!(
                "the read timeout was still {last:?} after {took:?} of stale echoes: each read \
                 waits the whole timeout again, so a stale echo just before the deadline makes \
                 the ping wait up to twice its timeout; compute the deadline once, then set the \
                 read timeout to what is left of it before each read"
            ),
        ));
    }
    Ok(())
}

fn ignores_echoes_from_other_addresses(session: &Session) -> Result<(), Failure> {
    // The forged echo goes first, the server's right after it: in that order they arrive.
    let server = EchoServer::start(session, |_| Fate::Forged(Duration::ZERO))?;
    let socket = client(session)?;
    let result = ping_one(session, &socket, server.addr, 1, PATIENT, STUCK);
    let addr = server.addr;
    server.finish();
    let Pinged { rtt, .. } = result?;
    if rtt.is_none() {
        return Err(session.wrong(
            "Some(round-trip time): the server's echo came right after the forged one",
            "giving up at the first datagram that is not the echo: ignore it and keep waiting",
        ));
    }
    if let Some(echo) = unread_echo(&socket, addr) {
        session.note(format!("the server's echo {echo:?} was still unread in the socket"));
        return Err(session.wrong(
            "ping_one to return only once the server's own echo came",
            "taking a datagram from another address for the echo: anyone can send to a UDP socket; \
             compare the sender that `recv_from` returns with the address the ping went to",
        ));
    }
    Ok(())
}

/// The network the plan makes: ping 1 is echoed, and echoed again while ping 2 is waited
/// for; ping 2 is lost; ping 3's echo comes only after ping 3 was given up, while ping 4
/// is waited for, just before ping 4's own echo.
fn rough_network(n: u32) -> Fate {
    match n {
        1 => Fate::TwiceLater,
        2 => Fate::Drop,
        3 => Fate::Later,
        _ => Fate::Echo,
    }
}

fn ignores_late_and_duplicate_echoes(session: &Session) -> Result<(), Failure> {
    let server = EchoServer::start(session, rough_network)?;
    let socket = client(session)?;
    let addr = server.addr;
    // A ping whose echo comes gets a long timeout, a lost one a short timeout: the wait
    // for a lost ping is the only one the check pays for.
    let timeouts = [PATIENT, SHORT, SHORT, PATIENT];
    // Up to the first failure, which waits for the server to finish before it is told.
    let rtts: Result<Vec<_>, Failure> = (1..)
        .zip(timeouts)
        .map(|(seq, timeout)| {
            ping_one(session, &socket, addr, seq, timeout, STUCK).map(|pinged| pinged.rtt)
        })
        .collect();
    let received = server.finish();
    let rtts = rtts?;
    expect_pings(session, &received, &[1, 2, 3, 4])?;
    let unread = unread_echo(&socket, addr);
    let got: Vec<bool> = rtts.iter().map(Option::is_some).collect();
    let expected =
        "[Some, None, None, Some]: ping 2 lost, ping 3's echo too late, ping 4's in time";
    let mistake = if got[1] || got[2] {
        "a ping taken as answered by the echo of another: a duplicate echo of ping 1 came while \
         ping 2 was waited for, and ping 3's late echo while ping 4 was; compare the sequence \
         number in each echo with the ping's"
    } else if !got[0] || !got[3] {
        "an echo that came taken as lost: the duplicate or late echo of another ping came \
         first; ignore it and keep waiting for this ping's own echo, without ending the wait"
    } else if let Some(echo) = &unread {
        session.note(format!("the server's echo {echo:?} was still unread in the socket"));
        "ping 4 answered by ping 3's late echo, which came just before ping 4's own: compare \
         the sequence number in each echo with the ping's"
    } else {
        return Ok(());
    };
    Err(session.wrong(expected, mistake))
}

fn reports_a_refused_ping_as_an_error(session: &Session) -> Result<(), Failure> {
    // A port where nobody listens: bound, then closed. On a connected UDP socket the
    // "port unreachable" that comes back shows up as ConnectionRefused on the next read.
    let closed = UdpSocket::bind("127.0.0.1:0")
        .and_then(|gone| gone.local_addr())
        .map_err(|err| session.wrong("a closed port", err))?;
    let socket = client(session)?;
    socket.connect(closed).map_err(|err| session.wrong("a connected socket", err))?;
    session.note(format!("the socket is connected to {closed}, where nobody listens"));
    let probe = socket.try_clone().map_err(|err| session.wrong("a socket", err))?;
    session.note(format!("calls ping_one(socket, {closed}, 1, {PATIENT:?})"));
    let started = Instant::now();
    let got = session.call("udp_ping::ping_one", STUCK, move || {
        subject::udp_ping::ping_one(&probe, closed, 1, PATIENT)
    });
    let took = started.elapsed();
    let got = got.map_err(|failure| no_timeout(session, failure, PATIENT))?;
    session.note(format!("ping_one returned {got:?} after {took:?}"));
    if matches!(got, Ok(None)) && took >= PATIENT {
        // No pinger can tell: the kernel limits how many "unreachable" messages it sends
        // each second, machine-wide, and this one was not sent.
        session.note("no port unreachable came back within the timeout: nothing to judge");
        return Ok(());
    }
    match got {
        Err(err) if err.kind() == ErrorKind::ConnectionRefused => Ok(()),
        Err(err) => Err(session.wrong(
            "the error ConnectionRefused",
            format!("it returned the error {err}: another error than `recv_from` gave"),
        )),
        Ok(_) => Err(session.wrong(
            "the error ConnectionRefused: the echo server's port is closed",
            "every error taken for a lost echo: only WouldBlock and TimedOut mean the timeout \
             passed; return any other error that `recv_from` gives",
        )),
    }
}

fn pings_in_turn_and_writes_a_line_for_each(session: &Session) -> Result<(), Failure> {
    // Three pings all echoed at once, then one more (on another socket) lost.
    let server = EchoServer::start(session, |n| if n <= 3 { Fate::Echo } else { Fate::Drop })?;
    let to = server.addr;
    // Up to the first failure, which waits for the server to finish before it is told.
    let outputs: Result<Vec<_>, Failure> = [(3, PATIENT), (1, SHORT)]
        .into_iter()
        .map(|(count, timeout)| {
            let socket = client(session)?;
            session.note(format!("calls ping(socket, {to}, {count}, {timeout:?}, out)"));
            let result = session.call("udp_ping::ping", STUCK, move || {
                let mut out = Vec::new();
                subject::udp_ping::ping(&socket, to, count, timeout, &mut out)
                    .map(|rtts| (rtts, out))
            });
            let (rtts, out) = result
                .map_err(|failure| no_timeout(session, failure, timeout))?
                .map_err(|err| {
                    session.wrong("ping to return Ok", format!("it returned the error {err}"))
                })?;
            let out = String::from_utf8_lossy(&out).into_owned();
            session.note(format!("ping returned {rtts:?} and wrote:\n{out}"));
            Ok((count, rtts, out))
        })
        .collect();
    let received = server.finish();
    let outputs = outputs?;
    expect_pings(session, &received, &[1, 2, 3, 1])?;
    for (count, rtts, out) in outputs {
        let want: Vec<bool> = (0..count).map(|_| count == 3).collect();
        let got: Vec<bool> = rtts.iter().map(Option::is_some).collect();
        if got != want {
            return Err(session.wrong(
                format!("{count} result(s): all Some when every echo came, None when none did"),
                format!("{got:?}: one result per ping, in order, None for a lost one"),
            ));
        }
        let want_out = expected_output(&rtts);
        if out != want_out {
            return Err(session.wrong_output(
                &want_out,
                &out,
                "lines other than `seq=<n> time=<ms> ms` (three decimals) or `seq=<n> lost`, one \
                 per ping as it ends, then the summary line",
            ));
        }
    }
    Ok(())
}

/// What `ping` should write for these round-trip times.
fn expected_output(rtts: &[Option<Duration>]) -> String {
    let millis = |d: Duration| format!("{:.3}", d.as_secs_f64() * 1000.0);
    let mut out = String::new();
    for (seq, rtt) in (1..).zip(rtts) {
        match rtt {
            Some(rtt) => out += &format!("seq={seq} time={} ms\n", millis(*rtt)),
            None => out += &format!("seq={seq} lost\n"),
        }
    }
    let came: Vec<Duration> = rtts.iter().flatten().copied().collect();
    let loss = if rtts.is_empty() {
        0.0
    } else {
        (rtts.len() - came.len()) as f64 * 100.0 / rtts.len() as f64
    };
    out += &format!("{} sent, {} received, {loss:.1}% lost", rtts.len(), came.len());
    if let (Some(min), Some(max)) = (came.iter().min(), came.iter().max()) {
        let avg = came.iter().sum::<Duration>() / came.len() as u32;
        out += &format!(", rtt min/avg/max = {}/{}/{} ms", millis(*min), millis(avg), millis(*max));
    }
    out + "\n"
}

fn prints_each_ping_and_a_summary(session: &Session) -> Result<(), Failure> {
    let server = EchoServer::start(session, |_| Fate::Echo)?;
    let addr = server.addr.to_string();
    let finished = session.run_with_args_to_end("udp-ping", &[&addr], "");
    let received = server.finish();
    let finished = finished?;
    expect_pings(session, &received, &(1..=10).collect::<Vec<_>>())?;
    let stdout = finished.stdout();
    let lines: Vec<&str> = stdout.lines().collect();
    let mut times = Vec::new();
    for (seq, line) in (1..=10).zip(&lines) {
        let time = line
            .strip_prefix(&format!("seq={seq} time="))
            .and_then(|rest| rest.strip_suffix(" ms"))
            .filter(|ms| ms.split_once('.').is_some_and(|(_, decimals)| decimals.len() == 3))
            .and_then(|ms| ms.parse::<f64>().ok());
        match time {
            Some(ms) => times.push(ms),
            None => {
                return Err(session.wrong(
                    format!("line {seq} to be `seq={seq} time=<ms> ms`, such as `seq={seq} time=0.083 ms`"),
                    format!("the line {line:?}: another format, or pings numbered from 0"),
                ));
            }
        }
    }
    let (min, max) = times.iter().fold((f64::MAX, 0.0f64), |(lo, hi), &t| (lo.min(t), hi.max(t)));
    let avg = times.iter().sum::<f64>() / times.len().max(1) as f64;
    let summary = lines.get(10).copied().unwrap_or("");
    session.note(format!("the times printed: min {min:.3}, avg {avg:.3}, max {max:.3}"));
    let stats = summary
        .strip_prefix("10 sent, 10 received, 0.0% lost, rtt min/avg/max = ")
        .and_then(|rest| rest.strip_suffix(" ms"))
        .map(|rest| rest.split('/').filter_map(|x| x.parse::<f64>().ok()).collect::<Vec<_>>());
    let fits = |got: f64, want: f64| (got - want).abs() < 0.002;
    let good = matches!(stats.as_deref(), Some(&[lo, mid, hi]) if fits(lo, min) && fits(mid, avg) && fits(hi, max));
    if times.len() != 10 || !good || lines.len() != 11 {
        return Err(session.wrong(
            format!(
                "10 lines, one per ping, then `10 sent, 10 received, 0.0% lost, rtt min/avg/max = \
                 {min:.3}/{avg:.3}/{max:.3} ms` (from the times printed)"
            ),
            "a summary that does not fit the lines above it, or extra lines on stdout: progress \
             and notes go to stderr",
        ));
    }
    if !finished.output.status.success() {
        return Err(
            session.wrong("exit code 0", "an error after the summary: its stderr above says which")
        );
    }
    Ok(())
}
