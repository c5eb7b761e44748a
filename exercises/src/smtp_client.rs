//! SMTP client: hands one message to a mail server (RFC 5321).
//!
//! SMTP is a conversation in strict turns. The server speaks first (`220`), then the
//! client sends one command and waits for its reply before sending the next:
//!
//! | client sends | the reply it needs |
//! |---|---|
//! | (nothing: waits for the greeting) | `220` |
//! | `EHLO <its own name>` | `250` |
//! | `MAIL FROM:<alice@example.org>` | `250` |
//! | `RCPT TO:<bob@example.com>` | `250` or `251` |
//! | `DATA` | `354` |
//! | the message, dot-stuffed, then a line holding only `.` | `250` |
//! | `QUIT` | `221` |
//!
//! A reply is one or more lines, each starting with the same three-digit code: `250-`
//! (a dash) on every line but the last, `250 ` (a space) on the last. Any other code
//! than the one needed ends the attempt: the client sends `QUIT` and reports the reply.
//! Commands, replies and message lines all end in CRLF.
//!
//! Exercise: read "The application layer" (book/src/application.md), then replace the
//! three `todo!()`s. Leave the signatures as they are: the grader calls these functions.
//! Add private helper functions as you like (one command and its reply, say).

use std::fmt;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{IpAddr, TcpStream};

// ANCHOR: types
/// One reply from the server: its code and the text of each of its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The three-digit code, such as 250.
    pub code: u16,
    /// The text after the code and its `-` or space, one entry per line (`""` for a
    /// line that is just the code).
    pub lines: Vec<String>,
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code, self.lines.join(" / "))
    }
}

/// Why the message was not sent.
#[derive(Debug)]
pub enum SmtpError {
    /// The connection failed or closed.
    Io(io::Error),
    /// The server sent something that is not a reply.
    Malformed(String),
    /// The server answered `step` (`"the greeting"`, `"RCPT TO:<bob@example.com>"`,
    /// ...) with `reply` instead of one of the `expected` codes.
    Refused {
        /// What the client was waiting on: the greeting, a command, or the message.
        step: String,
        /// The codes that would have let the client go on.
        expected: &'static [u16],
        /// What came instead.
        reply: Reply,
    },
}

impl fmt::Display for SmtpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SmtpError::Io(err) => write!(f, "{err}"),
            SmtpError::Malformed(line) => write!(f, "the server sent a malformed reply: {line:?}"),
            SmtpError::Refused { step, expected, reply } => {
                let expected: Vec<String> = expected.iter().map(u16::to_string).collect();
                write!(f, "{step} was answered {reply} (expected {})", expected.join(" or "))
            }
        }
    }
}

impl std::error::Error for SmtpError {}

impl From<io::Error> for SmtpError {
    fn from(err: io::Error) -> SmtpError {
        SmtpError::Io(err)
    }
}
// ANCHOR_END: types

// ANCHOR: read_reply
/// Reads one whole reply: lines of `code-text` until the line `code text` (or just
/// `code`), every line with the same code. The line ending is CRLF; a lone LF is
/// accepted too.
pub fn read_reply(reader: &mut impl BufRead) -> Result<Reply, SmtpError> {
    // TODO: read lines with `read_until` until the reply's last one; "A reply" in the
    // chapter says how to tell it.
    todo!("read one reply")
}
// ANCHOR_END: read_reply

// ANCHOR: dot_stuff
/// The message as it goes after `354`: each line ending in CRLF (whether it ended in
/// LF, CRLF or nothing), a line starting with `.` given one more `.` in front, and last
/// the line `.` that ends the message (RFC 5321, section 4.5.2).
pub fn dot_stuff(message: &[u8]) -> Vec<u8> {
    // TODO: rewrite each line as "The message" shows (`split_inclusive` keeps a last
    // line without a newline).
    todo!("dot-stuff the message")
}
// ANCHOR_END: dot_stuff

// ANCHOR: send_mail
/// Sends `message` from `from` to `to` over `stream`, a fresh connection to the server:
/// the whole conversation in the table at the top, ending with `QUIT`. If any step gets
/// a reply other than the one it needs, sends `QUIT` (unless that was the step) and
/// returns the error. `from` may be empty: `MAIL FROM:<>` is a message nobody should
/// reply to, such as a bounce.
pub fn send_mail(stream: TcpStream, from: &str, to: &str, message: &[u8]) -> Result<(), SmtpError> {
    // TODO: hold the conversation in "The turns", one command and its reply at a time
    // (`TcpStream::local_addr` names the client; `try_clone` gives a writing handle).
    todo!("send one message")
}
// ANCHOR_END: send_mail
