//! What the stubs give whole: the command line (`src/cli.rs`, the same file in both crates)
//! and the `Display` of the error types. The learner never writes these, so the grader never
//! grades them; these tests hold them to what the usage and the book promise, so that an
//! edit to the workbook cannot break them unseen. `cargo test -p solutions --test given`.
//!
//! No test binds a fixed port: a default address is seen in what the program says or where
//! it sends, and every program started here is killed when its test ends.

use std::io::Read;
use std::net::UdpSocket;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use solutions::{chat_syntax, chat_timing, cidr, dns_query, frames, ipv4_parse, mac, nat};

/// How long a program may take to end, or to show that it is waiting as it should.
const SETTLE: Duration = Duration::from_millis(300);

/// A program of the command line, killed when dropped.
struct Program(Child);

impl Program {
    /// Starts `solutions <args>`, with stdin held open (`open_stdin`) or empty.
    fn start(args: &[&str], open_stdin: bool) -> Program {
        let stdin = if open_stdin { Stdio::piped() } else { Stdio::null() };
        let child = Command::new(env!("CARGO_BIN_EXE_solutions"))
            .args(args)
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the solutions binary starts");
        Program(child)
    }

    /// How it ended within `limit`, or `None` if it still runs.
    fn ended_within(&mut self, limit: Duration) -> Option<ExitStatus> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.0.try_wait().expect("the program can be waited for") {
                return Some(status);
            }
            if started.elapsed() >= limit {
                return None;
            }
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// Its stderr so far (all of it once it has ended, or once it is killed).
    fn stderr(&mut self) -> String {
        let _ = self.0.kill();
        let _ = self.0.wait();
        let mut text = String::new();
        if let Some(mut err) = self.0.stderr.take() {
            let _ = err.read_to_string(&mut text);
        }
        text
    }
}

impl Drop for Program {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs `solutions <args>` with an empty stdin to its end: its exit code and stderr.
fn run(args: &[&str]) -> (Option<i32>, String) {
    let mut program = Program::start(args, false);
    let status = program.ended_within(Duration::from_secs(5)).expect("the program ends");
    (status.code(), program.stderr())
}

/// A UDP socket on loopback, port 0, that gives up a read after two seconds.
fn listener() -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("a UDP socket on loopback");
    socket.set_read_timeout(Some(Duration::from_secs(2))).expect("a read timeout");
    socket
}

#[test]
fn usage_lists_every_program_and_exits_2() {
    let (code, stderr) = run(&[]);
    assert_eq!(code, Some(2), "no program named: the usage, exit code 2; stderr: {stderr}");
    assert!(stderr.starts_with("usage:"), "{stderr}");
    for (program, default) in [
        ("udp-receiver", "127.0.0.1:5000"),
        ("udp-ping", "127.0.0.1:5001"),
        ("dns-query", "127.0.0.1:53"),
        ("tcp-server", "127.0.0.1:50007"),
        ("file-send", "127.0.0.1:50008"),
        ("http-get", "http://127.0.0.1:8000/"),
        ("smtp-send", "127.0.0.1:2525"),
    ] {
        let line = stderr.lines().find(|l| l.trim_start().starts_with(program));
        assert!(
            line.is_some_and(|l| l.contains(&format!("(default: {default})"))),
            "{program} and its default {default} in the usage:\n{stderr}"
        );
    }
}

#[test]
fn arguments_that_do_not_fit_give_the_usage() {
    for args in [
        &["udp-receiver", "127.0.0.1:0", "extra"][..],
        &["udp-ping", "127.0.0.1:9", "many"],
        &["dns-query", "example.com", "MX", "127.0.0.1:9"],
        &["smtp-send", "a@example.com"],
        &["no-such-program"],
    ] {
        let (code, stderr) = run(args);
        assert_eq!(code, Some(2), "{args:?}: the usage, exit code 2; stderr: {stderr}");
        assert!(stderr.starts_with("usage:"), "{args:?}: {stderr}");
    }
}

#[test]
fn the_udp_sender_without_an_address_sends_to_port_5000() {
    // Empty stdin: nothing is sent, and the program says where it would have sent.
    let (code, stderr) = run(&["udp-sender"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("sent 0 datagram(s) to 127.0.0.1:5000"), "{stderr}");
}

#[test]
fn the_pinger_without_an_address_pings_port_5001_ten_times() {
    let mut program = Program::start(&["udp-ping"], false);
    // It ends at once if nobody listens on 5001 (connection refused); if someone does,
    // it is killed here, its first line written.
    program.ended_within(SETTLE);
    let stderr = program.stderr();
    assert!(stderr.starts_with("pinging 127.0.0.1:5001 10 time(s)"), "{stderr}");
}

#[test]
fn the_pinger_sends_the_count_it_is_given() {
    let echo = listener();
    let addr = echo.local_addr().unwrap().to_string();
    let mut program = Program::start(&["udp-ping", &addr, "3"], false);
    let mut buf = [0; 512];
    for _ in 0..3 {
        let (len, from) = echo.recv_from(&mut buf).expect("a ping");
        echo.send_to(&buf[..len], from).expect("its echo");
    }
    let status = program.ended_within(Duration::from_secs(5)).expect("the pinger ends");
    assert!(status.success(), "{}", program.stderr());
    echo.set_read_timeout(Some(SETTLE)).unwrap();
    assert!(echo.recv_from(&mut buf).is_err(), "a fourth ping, when the count was 3");
}

/// The record type asked for in a DNS query: the two bytes after the question's name.
fn qtype_of(query: &[u8]) -> u16 {
    let mut at = 12;
    while query[at] != 0 {
        at += 1 + usize::from(query[at]);
    }
    u16::from_be_bytes([query[at + 1], query[at + 2]])
}

#[test]
fn the_dns_query_takes_a_type_an_address_or_both() {
    for (args, want) in [
        (&["example.com"][..], dns_query::TYPE_A),
        (&["example.com", "AAAA"], dns_query::TYPE_AAAA),
        (&["example.com", "aaaa"], dns_query::TYPE_AAAA),
        (&["example.com", "A"], dns_query::TYPE_A),
    ] {
        let server = listener();
        let addr = server.local_addr().unwrap().to_string();
        let mut all = vec!["dns-query"];
        all.extend_from_slice(args);
        all.push(&addr);
        let _program = Program::start(&all, false);
        let mut buf = [0; 512];
        let (len, _) = server.recv_from(&mut buf).unwrap_or_else(|err| panic!("{all:?}: {err}"));
        assert_eq!(qtype_of(&buf[..len]), want, "{all:?}");
    }
}

#[test]
fn the_dns_query_without_an_address_asks_port_53() {
    for args in [&["dns-query", "example.com"][..], &["dns-query", "example.com", "AAAA"]] {
        let mut program = Program::start(args, false);
        // It waits for an answer from 127.0.0.1:53, or ends with what came from there;
        // never the usage, and never "AAAA" taken for an address.
        let status = program.ended_within(SETTLE);
        let stderr = program.stderr();
        assert_ne!(status.and_then(|s| s.code()), Some(2), "{args:?}: {stderr}");
        assert!(!stderr.contains("cannot resolve"), "{args:?}: {stderr}");
    }
}

#[test]
fn the_smtp_sender_without_an_address_reads_the_message_first() {
    // FROM and TO alone: it reads the message from stdin, held open here, so it waits.
    let mut program = Program::start(&["smtp-send", "a@example.com", "b@example.com"], true);
    let status = program.ended_within(SETTLE);
    assert!(status.is_none(), "{status:?}: {}", program.stderr());
}

#[test]
fn programs_given_a_path_alone_use_their_default_address() {
    for program in ["file-receive", "http-serve"] {
        let missing = "/no/such/folder/for/the/workbook";
        let (code, stderr) = run(&[program, missing]);
        assert_eq!(code, Some(1), "{program} {missing}: {stderr}");
        assert!(stderr.contains(&format!("{missing} is not a folder")), "{program}: {stderr}");
    }
}

/// Every message is written, and no two are the same.
fn all_distinct(messages: &[String]) {
    for (i, message) in messages.iter().enumerate() {
        assert!(!message.is_empty(), "an empty message in {messages:?}");
        assert!(!messages[..i].contains(message), "{message:?} twice in {messages:?}");
    }
}

#[test]
fn every_error_says_what_went_wrong() {
    use ipv4_parse::Ipv4ParseError as Ip;
    all_distinct(
        &[Ip::EmptyPart, Ip::LeadingZero, Ip::NotADigit, Ip::OutOfRange, Ip::TooFewParts]
            .map(|e| e.to_string()),
    );
    use cidr::CidrError as C;
    all_distinct(
        &[C::MissingSlash, C::BadAddress, C::BadPrefix, C::PrefixTooLong].map(|e| e.to_string()),
    );
    use mac::ParseMacError as M;
    all_distinct(
        &[M::NoSeparator, M::MixedSeparators, M::InvalidDigit('g')].map(|e| e.to_string()),
    );
    use chat_timing::TimingError as T;
    all_distinct(&[T::NotGreeted, T::AlreadyGreeted, T::AfterBye].map(|e| e.to_string()));
    use chat_syntax::SyntaxError as S;
    all_distinct(&[S::Incomplete, S::TooLong, S::LineBreakInMessage].map(|e| e.to_string()));
    use frames::FrameError as F;
    all_distinct(
        &[F::Truncated, F::BadIpChecksum, F::BadLength, F::BadUdpChecksum].map(|e| e.to_string()),
    );
    assert!(!nat::PortsExhausted.to_string().is_empty());
}

#[test]
fn dns_errors_name_the_rcodes_of_rfc_1035() {
    // RFC 1035 section 4.1.1: 1 format error, 2 server failure, 3 name error, 4 not
    // implemented, 5 refused.
    for (code, name) in [(1, "FORMERR"), (2, "SERVFAIL"), (4, "NOTIMP"), (5, "REFUSED")] {
        let text = dns_query::DnsError::ErrorCode(code).to_string();
        assert!(text.contains(name) && text.contains(&code.to_string()), "{code}: {text}");
    }
    assert!(dns_query::DnsError::NoSuchName.to_string().contains("NXDOMAIN"));
}

#[test]
fn a_network_is_written_as_address_slash_prefix() {
    let net: cidr::Cidr = "10.1.2.3/8".parse().expect("a network");
    assert_eq!(net.to_string(), "10.0.0.0/8");
}
