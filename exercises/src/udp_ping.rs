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
//!
//! Exercise: read "UDP programming" (book/src/udp.md), then replace the five `todo!()`s.
//! Leave the signatures as they are: the grader calls these functions.

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
    // TODO: `ping <seq> <micros>`: the microseconds from `sent_at.duration_since(UNIX_EPOCH)`,
    // `as_micros()`. Use 0 if the clock is before 1970 (`unwrap_or_default`).
    todo!("format the ping")
}

/// The sequence number an echo carries, if it is a ping message at all: the number after
/// the word `ping`. `None` for anything else.
pub fn echo_seq(echo: &[u8]) -> Option<u32> {
    // TODO: turn the bytes into text (`std::str::from_utf8`), check the first word is `ping`
    // and parse the second as a u32; `None` whenever any of that fails (`?` on Options).
    todo!("read the sequence number")
}
// ANCHOR_END: message

// ANCHOR: ping_one
/// Sends ping number `seq` from `socket` to `to`, and waits up to `timeout` for its echo.
/// Returns the round-trip time, or `None` if the echo did not come in time. Datagrams
/// from anyone else, and echoes of other pings (late or duplicated), are ignored: they
/// do not end the wait and do not extend it.
pub fn ping_one(
    socket: &UdpSocket,
    to: SocketAddr,
    seq: u32,
    timeout: Duration,
) -> io::Result<Option<Duration>> {
    // TODO: note `Instant::now()`, send `ping_message(seq, SystemTime::now())` to `to`, and
    // work out the deadline. Then loop: set the read timeout to what is left before the
    // deadline (return Ok(None) when nothing is left), `recv_from`; return the elapsed time
    // for an echo from `to` whose `echo_seq` is `seq`, ignore any other datagram, and
    // return Ok(None) when the read times out (WouldBlock or TimedOut).
    todo!("send one ping and wait for its echo")
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
    // TODO: for seq in 1..=count, call `ping_one`, write `seq=<n> time=<ms> ms` (with
    // `millis`) or `seq=<n> lost` and flush; then write `summary(&rtts)` as the last line.
    todo!("ping `count` times and summarise")
}
// ANCHOR_END: ping

// ANCHOR: summary
/// The summary line for these round-trip times (`None` for a lost ping):
/// `<sent> sent, <received> received, <loss>% lost`, the loss with one decimal, then,
/// if any echo came, `, rtt min/avg/max = <min>/<avg>/<max> ms` over the echoes that
/// came. No pings at all count as 0.0% lost.
pub fn summary(rtts: &[Option<Duration>]) -> String {
    // TODO: count sent and received (`iter().flatten()` keeps the echoes that came), the
    // loss in percent as an f64 with `{:.1}`, and, if any echo came, min, average and max
    // over those echoes only, each with `millis`.
    todo!("summarise the pings")
}

/// A duration in milliseconds with three decimals: `0.215`.
pub fn millis(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}
// ANCHOR_END: summary
