//! UDP pinger: measures round-trip times to an echo server, after Kurose and Ross's
//! UDP pinger lab.
//!
//! It sends numbered pings, one at a time, each as one datagram `ping <seq> <send-time>`,
//! and waits up to a timeout for that ping's echo. An echo that does not come in time
//! counts as lost. UDP may lose, delay and duplicate datagrams, so an echo that does
//! come may belong to an earlier ping: the sequence number in it says which, and only
//! the echo of the ping being waited for counts.
//!
//! Output, one line per ping, then a summary:
//!
//! ```text
//! seq=1 time=0.215 ms
//! seq=2 lost
//! 2 sent, 1 received, 50.0% lost, rtt min/avg/max = 0.215/0.215/0.215 ms
//! ```

use std::io::{self, ErrorKind, Write};
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How long the program waits for each echo.
pub const TIMEOUT: Duration = Duration::from_secs(1);

/// How many pings the program sends unless told otherwise.
pub const DEFAULT_COUNT: u32 = 10;

// ANCHOR: message
/// The datagram for ping number `seq` sent at `sent_at`: `ping <seq> <send-time>`, the
/// send time in whole microseconds since the Unix epoch, such as `ping 3 1700000000123456`.
pub fn ping_message(seq: u32, sent_at: SystemTime) -> String {
    // A clock set before 1970 is not worth failing for: the time is only informative.
    let micros = sent_at.duration_since(UNIX_EPOCH).unwrap_or_default().as_micros();
    format!("ping {seq} {micros}")
}

/// The sequence number an echo carries, if it is a ping message at all: the number after
/// the word `ping`. `None` for anything else.
pub fn echo_seq(echo: &[u8]) -> Option<u32> {
    let text = std::str::from_utf8(echo).ok()?;
    let mut words = text.split(' ');
    if words.next()? != "ping" {
        return None;
    }
    words.next()?.parse().ok()
}
// ANCHOR_END: message

// ANCHOR: ping_one
/// Sends ping number `seq` from `socket` to `to`, and waits up to `timeout` for its echo.
/// Returns the round-trip time, or `None` if the echo did not come in time. Datagrams
/// from anyone else, and echoes of other pings (late or duplicated), are ignored: they
/// do not end the wait and do not extend it. Any other error is returned, such as
/// `ConnectionRefused` on a connected socket when nobody listens at `to`.
pub fn ping_one(
    socket: &UdpSocket,
    to: SocketAddr,
    seq: u32,
    timeout: Duration,
) -> io::Result<Option<Duration>> {
    // The round trip is timed with `Instant`, which only moves forward; the wall-clock
    // time in the message could jump if the system clock is set.
    let sent = Instant::now();
    socket.send_to(ping_message(seq, SystemTime::now()).as_bytes(), to)?;
    let deadline = sent + timeout;
    let mut buf = [0; 1024];
    loop {
        // Wait only for what is left of this ping's time, however many datagrams were
        // ignored so far. A read timeout of zero means "no timeout": stop before it.
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(None);
        }
        socket.set_read_timeout(Some(left))?;
        match socket.recv_from(&mut buf) {
            Ok((len, from)) if from == to && echo_seq(&buf[..len]) == Some(seq) => {
                return Ok(Some(sent.elapsed()));
            }
            Ok(_) => {} // someone else's datagram, or an echo of an earlier ping
            // Unix says WouldBlock when a read timeout passes, Windows says TimedOut.
            Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Ok(None);
            }
            Err(err) => return Err(err),
        }
    }
}
// ANCHOR_END: ping_one

// ANCHOR: ping
/// Sends `count` pings, numbered from 1, each waiting up to `timeout` for its echo, and
/// writes one line per ping to `out` as it ends, `seq=<n> time=<ms> ms` or `seq=<n> lost`,
/// then the summary line. Returns each ping's round-trip time, `None` for a lost one.
pub fn ping(
    socket: &UdpSocket,
    to: SocketAddr,
    count: u32,
    timeout: Duration,
    out: &mut impl Write,
) -> io::Result<Vec<Option<Duration>>> {
    let mut rtts = Vec::new();
    for seq in 1..=count {
        let rtt = ping_one(socket, to, seq, timeout)?;
        match rtt {
            Some(rtt) => writeln!(out, "seq={seq} time={} ms", millis(rtt))?,
            None => writeln!(out, "seq={seq} lost")?,
        }
        out.flush()?;
        rtts.push(rtt);
    }
    writeln!(out, "{}", summary(&rtts))?;
    out.flush()?;
    Ok(rtts)
}
// ANCHOR_END: ping

// ANCHOR: summary
/// The summary line for these round-trip times (`None` for a lost ping):
/// `<sent> sent, <received> received, <loss>% lost`, the loss with one decimal, then,
/// if any echo came, `, rtt min/avg/max = <min>/<avg>/<max> ms` over the echoes that
/// came. No pings at all count as 0.0% lost.
pub fn summary(rtts: &[Option<Duration>]) -> String {
    let sent = rtts.len();
    let came: Vec<Duration> = rtts.iter().flatten().copied().collect();
    let lost = sent - came.len();
    // Floating point, or 1 lost of 3 is 0% in integer division.
    let loss = if sent == 0 { 0.0 } else { lost as f64 * 100.0 / sent as f64 };
    let mut line = format!("{sent} sent, {} received, {loss:.1}% lost", came.len());
    if let (Some(min), Some(max)) = (came.iter().min(), came.iter().max()) {
        // The average of the echoes that came: a lost ping has no round-trip time.
        let avg = came.iter().sum::<Duration>() / came.len() as u32;
        line +=
            &format!(", rtt min/avg/max = {}/{}/{} ms", millis(*min), millis(avg), millis(*max));
    }
    line
}

/// A duration in milliseconds with three decimals: `0.215`.
pub fn millis(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}
// ANCHOR_END: summary
