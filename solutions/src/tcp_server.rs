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

use std::io::{self, BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

/// The answer to any question the server does not know.
pub const DEFAULT_REPLY: &str = "pardon?";

// ANCHOR: reply
/// The answer to one question, given without its line ending.
pub fn reply(question: &str) -> &'static str {
    match question {
        "how are u" => "fine",
        "how old are u" => "nicai",
        "bye" => "bye",
        _ => DEFAULT_REPLY,
    }
}
// ANCHOR_END: reply

// ANCHOR: bind
/// Binds a listening TCP socket to `addr`, such as `127.0.0.1:50007`; port 0 asks the
/// OS for any free port.
pub fn bind(addr: &str) -> io::Result<TcpListener> {
    TcpListener::bind(addr)
}
// ANCHOR_END: bind

// ANCHOR: serve
/// Accepts clients forever, each served by `handle_client` on a thread of its own.
/// A client that fails is reported on stderr; the server goes on serving the others.
pub fn serve(listener: TcpListener) -> io::Result<()> {
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(stream) => stream,
            Err(err) => {
                eprintln!("accept failed: {err}");
                continue;
            }
        };
        thread::spawn(move || {
            let peer = stream.peer_addr();
            if let Err(err) = handle_client(stream) {
                eprintln!("client {peer:?}: {err}");
            }
        });
    }
    Ok(())
}
// ANCHOR_END: serve

// ANCHOR: handle_client
/// Answers one client's questions, a line each, until it says `bye` or closes the
/// connection. Returns an error for a line that is not UTF-8.
pub fn handle_client(stream: TcpStream) -> io::Result<()> {
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let Some(question) = line.strip_suffix('\n') else {
            // The end of the stream: the client closed the connection, perhaps in the
            // middle of a line, which is no question to answer.
            return Ok(());
        };
        let question = question.strip_suffix('\r').unwrap_or(question);
        let answer = reply(question);
        writer.write_all(format!("{answer}\n").as_bytes())?;
        if answer == "bye" {
            return Ok(()); // dropping the stream closes the connection
        }
    }
}
// ANCHOR_END: handle_client
