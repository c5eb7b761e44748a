//! TCP client: the asking end of the workbook's chat protocol.
//!
//! It connects to the server, then for each line of its input sends the line and
//! prints the one line the server answers, until it has sent `bye` or the input ends.
//! The protocol is in `tcp_server.rs`.
//!
//! Exercise: read "TCP programming" (book/src/tcp.md), then replace the two `todo!()`s.
//! Leave the signatures as they are: the grader calls these functions.

use std::io::{self, BufRead, BufReader, Write};
use std::net::TcpStream;

// ANCHOR: connect
/// Connects to the chat server at `addr`, such as `127.0.0.1:50007`.
pub fn connect(addr: &str) -> io::Result<TcpStream> {
    // TODO: connect a TcpStream to `addr`; return the error if nobody listens.
    todo!("connect to the server")
}
// ANCHOR_END: connect

// ANCHOR: chat
/// For each line of `input`: sends it to the server, without its own line ending
/// (`\n` or `\r\n`) and ending in `\n` (an empty line too), then reads the server's
/// one-line answer and writes it to `output`, ending in `\n`. Stops after the answer
/// to `bye`, or at the end of the input. An answer cut short by the server closing
/// the connection is an error of kind `UnexpectedEof`, and an input line or an answer
/// that is not UTF-8 one of kind `InvalidData`.
pub fn chat(stream: TcpStream, input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    // TODO: keep one BufReader over the stream for reading answers (`try_clone` gives a
    // second handle for writing). For each input line: `write_all` it with `\n`,
    // `read_line` one answer (one without its `\n` means the server hung up: an error),
    // write it to `output` and flush; stop after `bye`.
    todo!("ask each question and print each answer")
}
// ANCHOR_END: chat
