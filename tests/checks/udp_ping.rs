//! Checks of the UDP pinger (`exercises/src/udp_ping.rs`), against the grader's reference
//! echo server, which loses, delays and duplicates echoes on purpose, the same way each run.

use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use grader::ping::{EchoServer, Fate, Received};
use grader::{Check, Failure, Session, WAIT};

pub const CHECKS: &[Check] = grader::checks!("udp_ping": builds_the_ping_message, reads_the_sequence_number_of_an_echo, summarises_loss_and_round_trip_times, measures_the_round_trip_time_of_one_ping, gives_up_after_the_timeout, gives_up_on_time_despite_stray_echoes, ignores_echoes_from_other_addresses, ignores_late_and_duplicate_echoes, prints_each_ping_and_a_summary);

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

/// A client socket for the pinger, on loopback.
fn client(session: &Session) -> Result<UdpSocket, Failure> {
    UdpSocket::bind("127.0.0.1:0").map_err(|err| session.wrong("a socket for the pinger", err))
}

/// Calls `ping_one(seq)` against `server` with `timeout`, allowing the call `wait`; returns
/// what it returned and how long it took.
fn ping_one(
    session: &Session,
    server: SocketAddr,
    seq: u32,
    timeout: Duration,
    wait: Duration,
) -> Result<(Option<Duration>, Duration), Failure> {
    let socket = client(session)?;
    session.note(format!("calls ping_one(socket, {server}, {seq}, {timeout:?})"));
    let started = Instant::now();
    let got = session.call("udp_ping::ping_one", wait, move || {
        subject::udp_ping::ping_one(&socket, server, seq, timeout)
    });
    let took = started.elapsed();
    let got = got.map_err(|failure| no_timeout(session, failure, timeout))?;
    let got = got.map_err(|err| {
        let mistake = if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) {
            "a read timeout passing is how a lost echo shows: `recv_from` fails with WouldBlock \
             (TimedOut on Windows); return Ok(None) for it, not the error"
                .to_string()
        } else {
            format!("it returned the error {err}")
        };
        session.wrong("ping_one to return Ok", mistake)
    })?;
    session.note(format!("ping_one returned {got:?} after {took:?}"));
    Ok((got, took))
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

fn measures_the_round_trip_time_of_one_ping(session: &Session) -> Result<(), Failure> {
    let server = EchoServer::start(session, |_| Fate::Delay(60 * MS))?;
    let result = ping_one(session, server.addr, 5, 500 * MS, WAIT);
    let received = server.finish();
    let (rtt, _) = result?;
    expect_pings(session, &received, &[5])?;
    match rtt {
        Some(rtt) if rtt >= 60 * MS && rtt < 500 * MS => Ok(()),
        Some(rtt) if rtt < 60 * MS => Err(session.wrong(
            "a round-trip time of at least 60ms: the server held the echo that long",
            format!(
                "{rtt:?}: timing the wrong stretch; take `Instant::now()` just before `send_to` and \
                 the elapsed time when the echo arrives"
            ),
        )),
        _ => Err(session.wrong(
            "Some(round-trip time): the echo came back 60ms after the ping, within the 500ms timeout",
            "not recognising the echo as this ping's: it carries the same `ping <seq> ...` text \
             and comes from the address the ping went to; or a wait shorter than the timeout",
        )),
    }
}

fn gives_up_after_the_timeout(session: &Session) -> Result<(), Failure> {
    let server = EchoServer::start(session, |_| Fate::Drop)?;
    let result = ping_one(session, server.addr, 1, 200 * MS, 1500 * MS);
    server.finish();
    let (rtt, took) = result?;
    if rtt.is_some() {
        return Err(session.wrong(
            "None: the ping was dropped and no echo came",
            "reporting an echo that never came",
        ));
    }
    if took < 190 * MS {
        return Err(session.wrong(
            "ping_one to wait the whole 200ms timeout before calling the ping lost",
            format!(
                "it gave up after {took:?}: a non-blocking socket, or a read timeout shorter than the \
                 one given"
            ),
        ));
    }
    Ok(())
}

fn gives_up_on_time_despite_stray_echoes(session: &Session) -> Result<(), Failure> {
    let server = EchoServer::start(session, |_| Fate::Pester)?;
    let result = ping_one(session, server.addr, 1, 200 * MS, 1500 * MS);
    server.finish();
    let (rtt, took) = result?;
    if rtt.is_some() {
        return Err(session.wrong(
            "None: ping 1 was never echoed; only stale echoes of ping 0 came",
            "taking an echo of another ping for this one's: compare the sequence number in the echo \
             (`echo_seq`) with the ping's",
        ));
    }
    if took > 700 * MS {
        return Err(session.wrong(
            "ping_one to give up about 200ms after sending, whatever else arrives",
            format!(
                "it took {took:?}: the timeout starts again with each datagram that is ignored; \
                 compute the deadline once, then wait only for what is left of it"
            ),
        ));
    }
    Ok(())
}

fn ignores_echoes_from_other_addresses(session: &Session) -> Result<(), Failure> {
    let server = EchoServer::start(session, |_| Fate::Forged(80 * MS))?;
    let result = ping_one(session, server.addr, 1, 500 * MS, WAIT);
    server.finish();
    match result?.0 {
        Some(rtt) if rtt >= 80 * MS => Ok(()),
        Some(_) => Err(session.wrong(
            "a round-trip time of at least 80ms: the real echo came from the server after 80ms",
            "taking a datagram from another address for the echo: anyone can send to a UDP socket; \
             compare the sender that `recv_from` returns with the address the ping went to",
        )),
        None => Err(session.wrong(
            "Some(round-trip time): the server's echo came 80ms after the ping",
            "giving up at the first datagram that is not the echo: ignore it and keep waiting",
        )),
    }
}

/// The network the plan makes: ping 1 is echoed twice, 2 is lost, 3's echo comes after the
/// timeout, while 4 is waited for, 4's echo is slow but in time, 5 is lost, 6 comes back.
fn rough_network(n: u32) -> Fate {
    match n {
        1 => Fate::Twice(20 * MS),
        2 | 5 => Fate::Drop,
        3 => Fate::Delay(330 * MS),
        4 => Fate::Delay(170 * MS),
        _ => Fate::Echo,
    }
}

fn ignores_late_and_duplicate_echoes(session: &Session) -> Result<(), Failure> {
    let server = EchoServer::start(session, rough_network)?;
    let to = server.addr;
    let socket = client(session)?;
    let timeout = 250 * MS;
    session.note(format!("calls ping(socket, {to}, 6, {timeout:?}, out)"));
    let result = session.call("udp_ping::ping", WAIT, move || {
        let mut out = Vec::new();
        subject::udp_ping::ping(&socket, to, 6, timeout, &mut out).map(|rtts| (rtts, out))
    });
    let received = server.finish();
    let result = result.map_err(|failure| no_timeout(session, failure, timeout))?;
    let (rtts, out) = result.map_err(|err| {
        session.wrong("ping to return Ok", format!("it returned the error {err}"))
    })?;
    let out = String::from_utf8_lossy(&out).into_owned();
    session.note(format!("ping returned {rtts:?} and wrote:\n{out}"));
    expect_pings(session, &received, &[1, 2, 3, 4, 5, 6])?;
    let got: Vec<bool> = rtts.iter().map(Option::is_some).collect();
    let want = [true, false, false, true, false, true];
    let expected = "[Some, None, None, Some (at least 170ms), None, Some]: ping 2 and 5 lost, \
                    ping 3's echo too late, ping 4's echo slow but in time";
    if got.len() != want.len() {
        return Err(session.wrong(expected, format!("{} results for 6 pings", got.len())));
    }
    let mistake = if got[1] {
        Some(
            "ping 2 taken as answered: the duplicate echo of ping 1 came while ping 2 was waited \
             for; compare the sequence number in each echo with the ping's",
        )
    } else if got[4] {
        Some(
            "ping 5 taken as answered: an echo of an earlier ping came while ping 5 was waited \
             for; compare the sequence number in each echo with the ping's",
        )
    } else if got[2] {
        Some("ping 3 taken as answered: its echo came after the 250ms timeout")
    } else if !got[3] {
        Some(
            "ping 4 taken as lost: its echo came 170ms after it, within the timeout; the late echo \
             of ping 3 came first and must be ignored without ending the wait",
        )
    } else if rtts[3].is_some_and(|rtt| rtt < 170 * MS) {
        Some(
            "ping 4's round trip too short: the late echo of ping 3 taken as ping 4's; compare the \
             sequence number in each echo with the ping's",
        )
    } else if got != want {
        Some("pings taken as lost although their echo came at once")
    } else {
        None
    };
    if let Some(mistake) = mistake {
        return Err(session.wrong(expected, mistake));
    }
    let want_out = expected_output(&rtts);
    if out != want_out {
        return Err(session.wrong(
            format!("exactly this output:\n{want_out}"),
            "lines other than `seq=<n> time=<ms> ms` (three decimals) or `seq=<n> lost`, one per \
             ping as it ends, then the summary line",
        ));
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
