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
    let mut reply = Reply { code: 0, lines: Vec::new() };
    loop {
        let mut bytes = Vec::new();
        reader.read_until(b'\n', &mut bytes)?;
        if bytes.pop() != Some(b'\n') {
            return Err(SmtpError::Io(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection in the middle of a reply",
            )));
        }
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        let line = String::from_utf8_lossy(&bytes).into_owned();
        let malformed = || SmtpError::Malformed(line.clone());
        let digits = line.get(..3).filter(|d| d.bytes().all(|b| b.is_ascii_digit()));
        let code: u16 = digits.and_then(|d| d.parse().ok()).ok_or_else(malformed)?;
        if !reply.lines.is_empty() && code != reply.code {
            return Err(malformed()); // every line of one reply has the same code
        }
        reply.code = code;
        match line.as_bytes().get(3) {
            Some(b'-') => reply.lines.push(line[4..].to_string()),
            Some(b' ') => {
                reply.lines.push(line[4..].to_string());
                return Ok(reply);
            }
            None => {
                reply.lines.push(String::new());
                return Ok(reply);
            }
            Some(_) => return Err(malformed()),
        }
    }
}
// ANCHOR_END: read_reply

// ANCHOR: dot_stuff
/// The message as it goes after `354`: each line ending in CRLF (whether it ended in
/// LF, CRLF or nothing), a line starting with `.` given one more `.` in front, and last
/// the line `.` that ends the message (RFC 5321, section 4.5.2).
pub fn dot_stuff(message: &[u8]) -> Vec<u8> {
    let mut data = Vec::with_capacity(message.len() + 16);
    for line in message.split_inclusive(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        // Without the extra dot, a line holding only `.` would end the message early.
        if line.starts_with(b".") {
            data.push(b'.');
        }
        data.extend_from_slice(line);
        data.extend_from_slice(b"\r\n");
    }
    data.extend_from_slice(b".\r\n");
    data
}
// ANCHOR_END: dot_stuff

// ANCHOR: send_mail
/// Sends `message` from `from` to `to` over `stream`, a fresh connection to the server:
/// the whole conversation in the table at the top, ending with `QUIT`. If any step gets
/// a reply other than the one it needs, sends `QUIT` (unless that was the step) and
/// returns the error. `from` may be empty: `MAIL FROM:<>` is a message nobody should
/// reply to, such as a bounce.
pub fn send_mail(stream: TcpStream, from: &str, to: &str, message: &[u8]) -> Result<(), SmtpError> {
    // EHLO names the client. Without a domain name of its own, the client gives its
    // address as an address literal (RFC 5321, section 4.1.3).
    let name = match stream.local_addr()?.ip() {
        IpAddr::V4(ip) => format!("[{ip}]"),
        IpAddr::V6(ip) => format!("[IPv6:{ip}]"),
    };
    let writer = stream.try_clone()?;
    let mut smtp = Conversation { reader: BufReader::new(stream), writer, said_quit: false };
    let result = smtp.transaction(&name, from, to, message);
    if matches!(result, Err(SmtpError::Refused { .. } | SmtpError::Malformed(_))) && !smtp.said_quit
    {
        // Say goodbye politely; its reply changes nothing.
        let _ = smtp.command("QUIT", &[221]);
    }
    result
}

/// One connection to the server, in turns: a command, then its whole reply.
struct Conversation {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    /// Whether `QUIT` has been sent: after it, there is nothing more to say.
    said_quit: bool,
}

impl Conversation {
    fn transaction(
        &mut self,
        name: &str,
        from: &str,
        to: &str,
        message: &[u8],
    ) -> Result<(), SmtpError> {
        self.expect("the greeting", &[220])?;
        self.command(&format!("EHLO {name}"), &[250])?;
        self.command(&format!("MAIL FROM:<{from}>"), &[250])?;
        self.command(&format!("RCPT TO:<{to}>"), &[250, 251])?;
        self.command("DATA", &[354])?;
        self.writer.write_all(&dot_stuff(message))?;
        self.expect("the message", &[250])?;
        self.command("QUIT", &[221])?;
        Ok(())
    }

    /// Sends one command line, then waits for its whole reply, which must carry one of
    /// the `expected` codes.
    fn command(&mut self, line: &str, expected: &'static [u16]) -> Result<Reply, SmtpError> {
        self.said_quit |= line == "QUIT";
        self.writer.write_all(format!("{line}\r\n").as_bytes())?;
        self.expect(line, expected)
    }

    /// Reads one reply and demands one of the `expected` codes: exactly, since `250` to
    /// `DATA` would mean the server is not waiting for a message.
    fn expect(&mut self, step: &str, expected: &'static [u16]) -> Result<Reply, SmtpError> {
        let reply = read_reply(&mut self.reader)?;
        if expected.contains(&reply.code) {
            Ok(reply)
        } else {
            Err(SmtpError::Refused { step: step.to_string(), expected, reply })
        }
    }
}
// ANCHOR_END: send_mail
