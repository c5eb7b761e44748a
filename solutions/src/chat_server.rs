//! A chat server that holds up: the chat protocol of `tcp_server.rs`, served to clients
//! who do not all play by the rules.
//!
//! The questions and answers are the same (`how are u` gets `fine`, and so on). What is
//! new is what the server does when a client misbehaves. It never lets one client cost
//! more than a bounded amount of memory or hold up anybody else:
//!
//! | the client                                    | the server                              |
//! |-----------------------------------------------|-----------------------------------------|
//! | sends a line longer than [`MAX_LINE`] bytes    | answers `error: line too long`, closes  |
//! | sends a line that is not UTF-8                 | answers `error: not UTF-8`, closes      |
//! | does not finish a line within the idle time   | answers `error: timed out`, closes      |
//! | closes the connection, even mid-line          | closes too, quietly: returns `Ok(())`   |
//! | resets the connection                         | says nothing: returns the reset's error |
//!
//! The idle time is a deadline for each whole line, counted from when the server starts
//! waiting for it: a client that says nothing is dropped after it, and so is one that
//! sends a byte every few seconds (*slowloris*), which a timeout per read never drops.
//!
//! Design: a thread per client. Each thread costs little while it waits (its stack is
//! mostly untouched memory) and the OS wakes it when its client sends something, so a
//! slow or silent client only ever blocks its own thread. A fixed pool of N threads
//! would cap the threads, but then N silent clients would block everyone else until
//! their timeouts: a pool needs non-blocking sockets to be fair, which is what async
//! runtimes provide. The read timeout bounds how long a thread waits; [`MAX_LINE`]
//! bounds how much it buffers.

use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

/// The longest line the server accepts, in bytes, counting its `\n`.
pub const MAX_LINE: usize = 1024;

/// How long the program gives a client to send each whole line before dropping it.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// The error line for a line longer than [`MAX_LINE`].
pub const TOO_LONG: &str = "error: line too long";
/// The error line for a line that is not UTF-8.
pub const NOT_UTF8: &str = "error: not UTF-8";
/// The error line for a client that said nothing for the idle time.
pub const TIMED_OUT: &str = "error: timed out";

/// What one bounded read of a line found.
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    /// A whole line of UTF-8 text, without its `\n` and without a `\r` before
    /// it.
    Text(String),
    /// `max` bytes came without a `\n`. The rest of the line was left unread.
    TooLong,
    /// A whole line came, but it is not UTF-8.
    NotUtf8,
    /// The end of the stream: the client closed its side, perhaps in the middle
    /// of a line.
    End,
}

/// The answer to one question: the same table as `tcp_server.rs`, given.
pub fn reply(question: &str) -> &'static str {
    match question {
        "how are u" => "fine",
        "how old are u" => "nicai",
        "bye" => "bye",
        _ => "pardon?",
    }
}

// ANCHOR: read_line_bounded
/// Reads one line of at most `max` bytes, counting its `\n`, and never reads
/// more than `max` bytes of it from `reader`, however long the line is.
pub fn read_line_bounded(reader: &mut impl BufRead, max: usize) -> io::Result<Line> {
    let mut bytes = Vec::new();
    // `take` stops handing out bytes after `max`: a line of several megabytes
    // costs us `max` bytes of memory, not several megabytes.
    reader.take(max as u64).read_until(b'\n', &mut bytes)?;
    if bytes.last() != Some(&b'\n') {
        // No `\n`: either we hit the limit, or the stream ended first.
        return Ok(if bytes.len() == max { Line::TooLong } else { Line::End });
    }
    bytes.pop();
    if bytes.last() == Some(&b'\r') {
        bytes.pop();
    }
    Ok(String::from_utf8(bytes).map_or(Line::NotUtf8, Line::Text))
}
// ANCHOR_END: read_line_bounded

// ANCHOR: handle_client
/// Answers one client's questions until it says `bye` or closes the connection,
/// even in the middle of a line (then `Ok(())`), or until it breaks a rule: a
/// line too long (an error of kind `InvalidData`), not UTF-8 (`InvalidData`), or
/// a line not complete within `idle` of when the server began to wait for it
/// (`TimedOut`). Then it sends the error line, closes the connection and returns
/// that error. A read that fails otherwise (a reset) returns its error as it is,
/// with nothing sent.
pub fn handle_client(stream: TcpStream, idle: Duration) -> io::Result<()> {
    // The write timeout covers the client that sends questions but never reads
    // the answers.
    stream.set_write_timeout(Some(idle))?;
    let mut writer = stream.try_clone()?;
    // The deadline is set anew for each line, below.
    let mut reader = BufReader::new(Deadline { stream, until: Instant::now() });
    loop {
        // Each line gets `idle` from now, however its bytes trickle in.
        reader.get_mut().until = Instant::now() + idle;
        let line = match read_line_bounded(&mut reader, MAX_LINE) {
            Ok(line) => line,
            // A read timeout shows up as `WouldBlock` on Unix and `TimedOut` on
            // Windows.
            Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return refuse(&mut writer, TIMED_OUT, ErrorKind::TimedOut);
            }
            Err(err) => return Err(err), // a reset: nobody is left to tell
        };
        let question = match line {
            Line::Text(question) => question,
            Line::TooLong => return refuse(&mut writer, TOO_LONG, ErrorKind::InvalidData),
            Line::NotUtf8 => return refuse(&mut writer, NOT_UTF8, ErrorKind::InvalidData),
            Line::End => return Ok(()),
        };
        let answer = reply(&question);
        writer.write_all(format!("{answer}\n").as_bytes())?;
        if answer == "bye" {
            return Ok(());
        }
    }
}

/// The client's side of the stream, read against a deadline: each read waits only
/// for what is left until `until`, and fails with `TimedOut` once it has passed.
/// A timeout per read alone would let a client that sends a byte every few
/// seconds keep its thread forever.
struct Deadline {
    stream: TcpStream,
    until: Instant,
}

impl Read for Deadline {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.read(buf)
    }
}

/// Tells the client why it is being dropped, then returns that reason as the
/// error. The stream is dropped by the caller's return, which closes the
/// connection.
fn refuse(writer: &mut TcpStream, error_line: &str, kind: ErrorKind) -> io::Result<()> {
    // The client may be gone already; the error we return matters more than
    // this one.
    let _ = writer.write_all(format!("{error_line}\n").as_bytes());
    Err(io::Error::new(kind, error_line))
}
// ANCHOR_END: handle_client

// ANCHOR: serve
/// Accepts clients forever, each served by [`handle_client`] on a thread of its
/// own with the idle timeout `idle`. A client's error is reported on stderr; it
/// never stops the server.
pub fn serve(listener: TcpListener, idle: Duration) -> io::Result<()> {
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(stream) => stream,
            Err(err) => {
                // Running out of file descriptors, for one: wait for clients to
                // leave.
                eprintln!("accept failed: {err}");
                continue;
            }
        };
        thread::spawn(move || {
            let peer = stream.peer_addr();
            if let Err(err) = handle_client(stream, idle) {
                eprintln!("client {peer:?}: {err}");
            }
        });
    }
    Ok(())
}
// ANCHOR_END: serve
