//! TCP client: the asking end of the workbook's chat protocol.
//!
//! It connects to the server, then for each line of its input sends the line and
//! prints the one line the server answers, until it has sent `bye` or the input ends.
//! The protocol is in `tcp_server.rs`.

use std::io::{self, BufRead, BufReader, Write};
use std::net::TcpStream;

// ANCHOR: connect
/// Connects to the chat server at `addr`, such as `127.0.0.1:50007`.
pub fn connect(addr: &str) -> io::Result<TcpStream> {
    TcpStream::connect(addr)
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
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    for question in input.lines() {
        let question = question?;
        writer.write_all(format!("{question}\n").as_bytes())?;
        let mut answer = String::new();
        reader.read_line(&mut answer)?;
        if !answer.ends_with('\n') {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection before answering",
            ));
        }
        output.write_all(answer.as_bytes())?;
        output.flush()?;
        if question == "bye" {
            break;
        }
    }
    Ok(())
}
// ANCHOR_END: chat
