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
    // TODO: format the datagram; `SystemTime::duration_since` and `Duration::as_micros` help.
    todo!("format the ping")
}

/// The sequence number an echo carries, if it is a ping message at all: the number after
/// the word `ping`. `None` for anything else.
pub fn echo_seq(echo: &[u8]) -> Option<u32> {
    // TODO: read the number back out (`std::str::from_utf8`; `?` works on Options).
    todo!("read the sequence number")
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
    // TODO: send the ping, then wait for its echo with `set_read_timeout` and `recv_from`.
    // "The pinger" lists the four things that make it right.
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
    // TODO: run `ping_one` for each ping and write its line (`millis`), then the summary.
    todo!("ping `count` times and summarise")
}
// ANCHOR_END: ping

// ANCHOR: summary
/// The summary line for these round-trip times (`None` for a lost ping):
/// `<sent> sent, <received> received, <loss>% lost`, the loss with one decimal, then,
/// if any echo came, `, rtt min/avg/max = <min>/<avg>/<max> ms` over the echoes that
/// came. No pings at all count as 0.0% lost.
pub fn summary(rtts: &[Option<Duration>]) -> String {
    // TODO: build the line; "The pinger" says how the loss and the averages are counted.
    todo!("summarise the pings")
}

/// A duration in milliseconds with three decimals: `0.215`.
pub fn millis(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}
// ANCHOR_END: summary
