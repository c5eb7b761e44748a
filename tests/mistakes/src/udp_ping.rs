//! Mistakes in the UDP pinger.

use std::io::{self, ErrorKind, Write};
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::{Mistake, making};
use solutions::udp_ping as model;
pub use solutions::udp_ping::{DEFAULT_COUNT, TIMEOUT, millis};

/// Each mistake made here, the checks that must catch it, and words their message must contain.
pub const MISTAKES: &[Mistake] = &[
    ("ping_time_in_millis", &["udp_ping::builds_the_ping_message"], "microseconds"),
    ("ping_unwraps_the_epoch", &["udp_ping::builds_the_ping_message"], "before 1970"),
    (
        "ping_seq_of_any_second_word",
        &["udp_ping::reads_the_sequence_number_of_an_echo"],
        "first word is `ping`",
    ),
    (
        "ping_numbers_from_zero",
        &[
            "udp_ping::pings_in_turn_and_writes_a_line_for_each",
            "udp_ping::prints_each_ping_and_a_summary",
        ],
        "the first is 1",
    ),
    (
        "ping_without_timeout",
        &["udp_ping::gives_up_after_the_timeout", "udp_ping::ignores_late_and_duplicate_echoes"],
        "without `set_read_timeout`",
    ),
    ("ping_timeout_is_an_error", &["udp_ping::gives_up_after_the_timeout"], "WouldBlock"),
    (
        "ping_every_error_is_a_loss",
        &["udp_ping::reports_a_refused_ping_as_an_error"],
        "only WouldBlock and TimedOut",
    ),
    (
        "ping_waits_the_timeout_constant",
        &["udp_ping::gives_up_after_the_timeout"],
        "the constant `TIMEOUT`",
    ),
    (
        "ping_returns_the_time_left",
        &["udp_ping::measures_the_round_trip_time_of_one_ping"],
        "not the time from `send_to`",
    ),
    (
        "ping_times_the_wrong_stretch",
        &["udp_ping::measures_the_round_trip_time_of_one_ping"],
        "timing the wrong stretch",
    ),
    (
        "ping_prints_lost_as_timed_out",
        &["udp_ping::pings_in_turn_and_writes_a_line_for_each"],
        "`seq=<n> lost`",
    ),
    (
        "ping_takes_any_echo",
        &[
            "udp_ping::ignores_late_and_duplicate_echoes",
            "udp_ping::gives_up_on_time_despite_stray_echoes",
        ],
        "compare the sequence number",
    ),
    (
        "ping_clock_restarts_at_each_read",
        &["udp_ping::measures_the_round_trip_time_of_one_ping"],
        "not anew before each read",
    ),
    (
        "ping_rtt_in_whole_milliseconds",
        &["udp_ping::measures_the_round_trip_time_of_one_ping"],
        "whole milliseconds",
    ),
    (
        "ping_restarts_the_timeout",
        &["udp_ping::gives_up_on_time_despite_stray_echoes"],
        "starts again",
    ),
    (
        "ping_whole_timeout_for_each_read",
        &["udp_ping::gives_up_on_time_despite_stray_echoes"],
        "waits the whole timeout again",
    ),
    (
        "ping_gives_up_at_a_stray_datagram",
        &[
            "udp_ping::ignores_late_and_duplicate_echoes",
            "udp_ping::ignores_echoes_from_other_addresses",
        ],
        "ignore",
    ),
    (
        "ping_accepts_any_sender",
        &["udp_ping::ignores_echoes_from_other_addresses"],
        "anyone can send",
    ),
    (
        "ping_counts_lost_in_the_average",
        &["udp_ping::summarises_loss_and_round_trip_times"],
        "must not count in the average",
    ),
    (
        "ping_integer_loss_percentage",
        &["udp_ping::summarises_loss_and_round_trip_times"],
        "loss percentage",
    ),
];

pub fn ping_message(seq: u32, sent_at: SystemTime) -> String {
    if making("ping_time_in_millis") {
        let millis = sent_at.duration_since(UNIX_EPOCH).unwrap_or_default().as_millis();
        return format!("ping {seq} {millis}");
    }
    if making("ping_unwraps_the_epoch") {
        let micros = sent_at.duration_since(UNIX_EPOCH).unwrap().as_micros();
        return format!("ping {seq} {micros}");
    }
    model::ping_message(seq, sent_at)
}

pub fn echo_seq(echo: &[u8]) -> Option<u32> {
    if making("ping_seq_of_any_second_word") {
        let text = std::str::from_utf8(echo).ok()?;
        return text.split(' ').nth(1)?.parse().ok();
    }
    model::echo_seq(echo)
}

pub fn ping_one(
    socket: &UdpSocket,
    to: SocketAddr,
    seq: u32,
    timeout: Duration,
) -> io::Result<Option<Duration>> {
    let sent = Instant::now();
    socket.send_to(ping_message(seq, SystemTime::now()).as_bytes(), to)?;
    let timeout = if making("ping_waits_the_timeout_constant") { TIMEOUT } else { timeout };
    let deadline = sent + timeout;
    let mut buf = [0; 1024];
    loop {
        let read_started = Instant::now();
        let left = deadline.saturating_duration_since(Instant::now());
        // The mistake has no deadline at all: each read gets the whole timeout again.
        if left.is_zero() && !making("ping_restarts_the_timeout") {
            return Ok(None);
        }
        if making("ping_without_timeout") {
            socket.set_read_timeout(None)?;
        } else if making("ping_restarts_the_timeout") || making("ping_whole_timeout_for_each_read")
        {
            socket.set_read_timeout(Some(timeout))?;
        } else {
            socket.set_read_timeout(Some(left))?;
        }
        match socket.recv_from(&mut buf) {
            Ok((len, from)) => {
                let arrived = Instant::now();
                let from_server = from == to || making("ping_accepts_any_sender");
                let this_ping = echo_seq(&buf[..len]) == Some(seq) || making("ping_takes_any_echo");
                if from_server && this_ping {
                    if making("ping_returns_the_time_left") {
                        return Ok(Some(left));
                    }
                    if making("ping_rtt_in_whole_milliseconds") {
                        let millis = sent.elapsed().as_millis() as u64;
                        return Ok(Some(Duration::from_millis(millis)));
                    }
                    if making("ping_clock_restarts_at_each_read") {
                        return Ok(Some(read_started.elapsed()));
                    }
                    if making("ping_times_the_wrong_stretch") {
                        return Ok(Some(arrived.elapsed()));
                    }
                    return Ok(Some(sent.elapsed()));
                }
                if making("ping_gives_up_at_a_stray_datagram") {
                    return Ok(None);
                }
            }
            Err(err) if making("ping_timeout_is_an_error") => return Err(err),
            Err(_) if making("ping_every_error_is_a_loss") => return Ok(None),
            Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Ok(None);
            }
            Err(err) => return Err(err),
        }
    }
}

pub fn ping(
    socket: &UdpSocket,
    to: SocketAddr,
    count: u32,
    timeout: Duration,
    out: &mut impl Write,
) -> io::Result<Vec<Option<Duration>>> {
    let seqs = if making("ping_numbers_from_zero") { 0..count } else { 1..count + 1 };
    let mut rtts = Vec::new();
    for seq in seqs {
        let rtt = ping_one(socket, to, seq, timeout)?;
        match rtt {
            Some(rtt) => writeln!(out, "seq={seq} time={} ms", millis(rtt))?,
            None if making("ping_prints_lost_as_timed_out") => {
                writeln!(out, "seq={seq} timed out")?;
            }
            None => writeln!(out, "seq={seq} lost")?,
        }
        out.flush()?;
        rtts.push(rtt);
    }
    writeln!(out, "{}", summary(&rtts))?;
    out.flush()?;
    Ok(rtts)
}

pub fn summary(rtts: &[Option<Duration>]) -> String {
    if making("ping_counts_lost_in_the_average") {
        let came: Vec<Duration> = rtts.iter().flatten().copied().collect();
        let line = model::summary(rtts);
        if let (Some(min), Some(max)) = (came.iter().min(), came.iter().max()) {
            let avg = came.iter().sum::<Duration>() / rtts.len() as u32;
            let head = line.split(", rtt").next().unwrap_or_default();
            return format!(
                "{head}, rtt min/avg/max = {}/{}/{} ms",
                millis(*min),
                millis(avg),
                millis(*max)
            );
        }
        return line;
    }
    if making("ping_integer_loss_percentage") && !rtts.is_empty() {
        let lost = rtts.iter().filter(|r| r.is_none()).count();
        let integer = lost * 100 / rtts.len();
        let line = model::summary(rtts);
        let (head, rest) = line.split_once("% lost").unwrap_or((&line, ""));
        let head = head.rsplit_once(", ").map_or(head, |(h, _)| h);
        return format!("{head}, {:.1}% lost{rest}", integer as f64);
    }
    model::summary(rtts)
}
