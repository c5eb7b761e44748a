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
//!
//! Exercise: read "TCP programming" (book/src/tcp.md), then replace the three `todo!()`s.
//! Leave the signatures as they are: the grader calls these functions.

use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

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
    // TODO: read the line's bytes with `Read::take` and `read_until`, then tell
    // the four kinds of `Line` apart (`String::from_utf8`).
    todo!("read one line of at most `max` bytes")
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
    // TODO: give each line a deadline of `idle` from when you start to wait for it
    // (before each read, a read timeout of what is left of it), set a write
    // timeout, then answer lines from `read_line_bounded` as the table at the top
    // says.
    todo!("answer one client, within limits")
}
// ANCHOR_END: handle_client

// ANCHOR: serve
/// Accepts clients forever, each served by [`handle_client`] on a thread of its
/// own with the idle timeout `idle`. A client's error is reported on stderr; it
/// never stops the server.
pub fn serve(listener: TcpListener, idle: Duration) -> io::Result<()> {
    // TODO: a thread per client, as in tcp_server, calling `handle_client`.
    todo!("accept clients forever")
}
// ANCHOR_END: serve
