//! Chat syntax: what one message of the chat protocol looks like as bytes.
//!
//! A message is one line of UTF-8 text (RFC 3629) ending in `\n`; a `\r` just before the
//! `\n` is dropped too, so telnet's `\r\n` works. A line may be at most [`MAX_LINE_LEN`]
//! bytes long, counting its line ending, as SMTP counts its CRLF (RFC 5321, section
//! 4.5.3.1). That limit is what lets a server refuse a peer that sends and sends and never
//! ends its line, instead of buffering it until memory runs out.
//!
//! This module knows nothing about sockets, answers or turns. [`encode`] turns a message
//! into the bytes to write; [`decode`] finds the first line in the bytes read so far and
//! says how many of them it used, so that the caller can keep the rest for the next line.
//! It is strict in what it sends and a little lenient in what it accepts (the optional
//! `\r`), the robustness principle of RFC 1122, section 1.2.2.
//!
//! Exercise: read "Protocols: syntax, semantics, timing" (book/src/protocols.md), then
//! replace the two `todo!()`s. Leave the signatures as they are: the grader calls these
//! functions.

use std::fmt;
use std::str::Utf8Error;

/// The most bytes one line may take on the wire, its `\n` (and `\r`, if any) included.
/// So a message of at most 1023 bytes fits, or 1022 if it is sent with `\r\n`.
pub const MAX_LINE_LEN: usize = 1024;

// ANCHOR: error
/// Why bytes are not a line of the chat protocol, or a message cannot become one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyntaxError {
    /// No `\n` yet: the line is not complete. Read more bytes and try again; if the peer
    /// has closed the connection, it vanished in the middle of a line.
    Incomplete,
    /// The line takes more than [`MAX_LINE_LEN`] bytes, or would once its `\n` arrives.
    TooLong,
    /// The line's bytes are not UTF-8. The error says where the bad bytes start.
    NotUtf8(Utf8Error),
    /// A message to encode holds a `\r` or a `\n`, so it cannot be sent as one line.
    LineBreakInMessage,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyntaxError::Incomplete => write!(f, "the line has no `\\n` yet"),
            SyntaxError::TooLong => {
                write!(f, "the line is longer than {MAX_LINE_LEN} bytes")
            }
            SyntaxError::NotUtf8(err) => write!(f, "the line is not UTF-8: {err}"),
            SyntaxError::LineBreakInMessage => {
                write!(f, "a message cannot hold a `\\r` or a `\\n`")
            }
        }
    }
}

impl std::error::Error for SyntaxError {}
// ANCHOR_END: error

// ANCHOR: encode
/// The bytes that send `message` as one line: its UTF-8 bytes, then `\n`.
///
/// Refuses a message holding `\r` or `\n` (the peer would read it as two lines, or lose
/// its last `\r`), and a message too long for the peer to accept.
pub fn encode(message: &str) -> Result<Vec<u8>, SyntaxError> {
    // TODO: return the line's bytes, or the SyntaxError that the chapter's "What `encode`
    // refuses" gives (`str::contains`, `str::len`).
    todo!("encode a message as one line")
}
// ANCHOR_END: encode

// ANCHOR: decode
/// Decodes the first line in `bytes`: returns its text, without the `\n` and without one
/// `\r` just before it, and how many bytes of `bytes` the line took, its ending included.
/// The bytes after those belong to the next line; they are not looked at.
pub fn decode(bytes: &[u8]) -> Result<(&str, usize), SyntaxError> {
    // TODO: decode the first line by the chapter's chat_syntax rules; find its end with
    // `iter().position` and check its UTF-8 with `std::str::from_utf8`.
    todo!("decode the first line")
}
// ANCHOR_END: decode
