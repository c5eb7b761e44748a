//! TCP server: the answering end of the workbook's chat protocol.
//!
//! The protocol: UTF-8 text lines, each ending in `\n` (a `\r` just before it is
//! dropped too, so telnet works). For each question line the server answers one line:
//!
//! | question        | answer    |
//! |-----------------|-----------|
//! | `how are u`     | `fine`    |
//! | `how old are u` | `nicai`   |
//! | `bye`           | `bye`, then the server closes this connection |
//! | anything else   | `pardon?` |
//!
//! TCP is a byte stream, so one `read` may hold half a line or several lines: the
//! server reads whole lines through a `BufReader`. Each client gets its own thread,
//! so a slow client never holds up the others.
//!
//! Exercise: read "TCP programming" (book/src/tcp.md), then replace the four `todo!()`s.
//! Leave the signatures as they are: the grader calls these functions.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

/// The answer to any question the server does not know.
pub const DEFAULT_REPLY: &str = "pardon?";

// ANCHOR: reply
/// The answer to one question, given without its line ending.
pub fn reply(question: &str) -> &'static str {
    // TODO: match the whole question against the table above.
    todo!("answer one question")
}
// ANCHOR_END: reply

// ANCHOR: bind
/// Binds a listening TCP socket to `addr`, such as `127.0.0.1:50007`; port 0 asks the
/// OS for any free port.
pub fn bind(addr: &str) -> io::Result<TcpListener> {
    // TODO: bind a TcpListener to exactly the address given.
    todo!("bind a TCP listener to `addr`")
}
// ANCHOR_END: bind

// ANCHOR: serve
/// Accepts clients forever, each served by `handle_client` on a thread of its own.
/// A client that fails is reported on stderr; the server goes on serving the others.
pub fn serve(listener: TcpListener) -> io::Result<()> {
    // TODO: loop over `listener.incoming()`; give each client its own thread that calls
    // `handle_client` and reports its error on stderr. One client's error must not stop
    // the others.
    todo!("accept clients forever")
}
// ANCHOR_END: serve

// ANCHOR: handle_client
/// Answers one client's questions, a line each, until it says `bye` or closes the
/// connection. Returns an error for a line that is not UTF-8.
pub fn handle_client(stream: TcpStream) -> io::Result<()> {
    // TODO: keep one BufReader over the stream (`try_clone` gives a second handle for
    // writing). Loop: `read_line`; a line without its `\n` means the client has gone
    // (0 bytes, or half a line): return. Drop the `\n` and any `\r`, `write_all` the reply
    // with `\n`, and return after answering `bye`.
    todo!("answer one client")
}
// ANCHOR_END: handle_client
