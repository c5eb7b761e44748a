//! A reference SMTP server (RFC 5321), written with plain std::net, for one client.
//!
//! It keeps to the protocol's turns and says so when a client does not: a command out
//! of order gets `503`, and a command that arrives before the reply to the one before
//! it was complete (a client that does not wait) is recorded. It can refuse the
//! recipient (`550`), greet with a refusal (`554`), answer `DATA` with a wrong code,
//! and send each reply in pieces. It records the commands and the message it received,
//! dot-stuffing undone, so that a check can compare them with what was sent.

use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;

use crate::http::PAUSE;
use crate::peer::{ReferenceServer, show};
use crate::session::{Failure, Session, Transcript, WAIT};

/// How the reference server behaves.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The greeting's code: 220, or 554 to refuse the client.
    pub greeting: u16,
    /// Refuse every recipient with 550.
    pub reject_recipient: bool,
    /// The code answering `DATA`: 354, or something else to see whether the client
    /// checks it.
    pub data_reply: u16,
    /// Send each reply in pieces, split inside a line and between CR and LF.
    pub split: bool,
    /// Pause before each reply and the greeting, and record any command that arrives
    /// before the reply it should wait for.
    pub slow: bool,
    /// Answer an accepted recipient with 251 ("not local; will forward") instead of 250.
    pub forward_recipient: bool,
    /// Answer `MAIL FROM` with `221` ("closing") and close, instead of 250: a reply of the
    /// right class (2) that is not the one the step needs.
    pub closes_at_mail: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            greeting: 220,
            reject_recipient: false,
            data_reply: 354,
            split: false,
            slow: false,
            forward_recipient: false,
            closes_at_mail: false,
        }
    }
}

/// What the server saw of the conversation.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    /// Whether anybody connected.
    pub connected: bool,
    /// Each command line, without its line ending, in order.
    pub commands: Vec<String>,
    /// The message received after `DATA`, dot-stuffing undone, each line ending in `\n`.
    pub message: Option<String>,
    /// Whether a line of the message ended in a bare LF instead of CRLF.
    pub bare_lf: bool,
    /// Commands that came before the reply to the command before them was complete.
    pub early: Vec<String>,
    /// Commands answered 503 because they came out of order.
    pub out_of_order: Vec<String>,
    /// Whether the client said `QUIT`.
    pub quit: bool,
    /// Commands that ended in a bare LF instead of CRLF.
    pub bare_lf_commands: Vec<String>,
    /// Each reply the server sent, in order, with what it answered: "the greeting", a
    /// command line, or "the message"; the reply's lines without their line endings. A
    /// check compares the reply a client quotes with these, to see whether the client read
    /// in step.
    pub replies: Vec<(String, Vec<String>)>,
    /// Whether a line `QUIT` came inside the message, after the 354 to DATA: a client
    /// that did not take the 354 for "go ahead" (its replies out of step) says goodbye
    /// while the server reads the message.
    pub quit_in_message: bool,
}

/// The reference server, running on a thread of its own.
pub struct SmtpServer {
    /// Where it listens.
    pub addr: SocketAddr,
    server: ReferenceServer<Seen>,
}

impl SmtpServer {
    /// Listens on a free loopback port and serves the first client that connects.
    pub fn start(session: &Session, options: Options) -> Result<SmtpServer, Failure> {
        let server =
            ReferenceServer::accept_one(session, "reference SMTP server", move |stream, log| {
                let mut seen = Seen { connected: true, ..Seen::default() };
                if let Err(err) = converse(stream, options, log, &mut seen) {
                    log.note(format!("server: ✗ {err}"));
                }
                seen
            })?;
        Ok(SmtpServer { addr: server.addr, server })
    }

    /// Stops waiting for a client, waits for the conversation to end, and says what it saw.
    pub fn finish(self) -> Seen {
        self.server.outcome().unwrap_or_default()
    }
}

/// Where the conversation stands: which commands may come next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Greeted; waiting for EHLO or HELO.
    Greeted,
    /// Refused at the greeting: only QUIT is accepted.
    Refusing,
    /// Introduced; a mail transaction may start.
    Ready,
    /// After MAIL: waiting for a recipient.
    Mail,
    /// After at least one accepted RCPT.
    Recipients,
}

struct Connection<'a> {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    options: Options,
    log: &'a Transcript,
}

impl Connection<'_> {
    /// Whether the client has sent something we have not read yet.
    fn client_spoke(&mut self) -> bool {
        if !self.reader.buffer().is_empty() {
            return true;
        }
        let mut byte = [0; 1];
        let _ = self.writer.set_nonblocking(true);
        let spoke = matches!(self.writer.peek(&mut byte), Ok(n) if n > 0);
        let _ = self.writer.set_nonblocking(false);
        spoke
    }

    /// Sends one reply (its lines, CRLF added), in pieces if the options say so.
    /// Returns whether the client spoke before the reply was complete.
    fn reply(&mut self, lines: &[&str]) -> std::io::Result<bool> {
        if self.options.slow {
            thread::sleep(PAUSE);
        }
        let text: String = lines.iter().map(|l| format!("{l}\r\n")).collect();
        let bytes = text.as_bytes();
        let cuts: Vec<usize> = if self.options.split {
            // Inside the code, between CR and LF, and after each line of a long reply.
            let mut cuts = vec![2, bytes.len().min(text.find('\n').unwrap_or(3))];
            cuts.extend(text.match_indices("\r\n").skip(1).map(|(at, _)| at + 2));
            cuts.retain(|&c| c < bytes.len());
            cuts.dedup();
            cuts
        } else {
            Vec::new()
        };
        let mut from = 0;
        for cut in cuts {
            self.send(&bytes[from..cut])?;
            from = cut;
            thread::sleep(PAUSE);
        }
        let early = self.client_spoke();
        self.send(&bytes[from..])?;
        Ok(early)
    }

    fn send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.log.note(format!("server: → {}", show(bytes)));
        self.writer.write_all(bytes)
    }

    /// One line from the client, with its line ending; `None` when the client has gone.
    fn line(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        let mut bytes = Vec::new();
        match self.reader.read_until(b'\n', &mut bytes) {
            Ok(_) if bytes.ends_with(b"\n") => {
                self.log.note(format!("server: ← {}", show(&bytes)));
                Ok(Some(bytes))
            }
            Ok(_) => {
                let event = if bytes.is_empty() {
                    "connection closed".to_string()
                } else {
                    format!("{} then connection closed", show(&bytes))
                };
                self.log.note(format!("server: ← {event}"));
                Ok(None)
            }
            Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                self.log.note(format!("server: … nothing from the client within {WAIT:?}"));
                Ok(None)
            }
            Err(err) => Err(err),
        }
    }
}

/// `FROM:<path>` (any case) → `path`.
fn path_argument<'a>(argument: &'a str, keyword: &str) -> Option<&'a str> {
    let head = argument.get(..keyword.len())?;
    let rest = argument[keyword.len()..].strip_prefix('<')?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    rest.strip_suffix('>').filter(|p| !p.contains(['<', '>', ' ']))
}

fn converse(
    stream: TcpStream,
    options: Options,
    log: &Transcript,
    seen: &mut Seen,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(WAIT))?;
    stream.set_nodelay(true)?;
    let reader = BufReader::new(stream.try_clone()?);
    let mut c = Connection { reader, writer: stream, options, log };
    let mut state = if options.greeting == 220 { State::Greeted } else { State::Refusing };
    let greeting =
        format!("{} reference.test ESMTP the grader's reference server", options.greeting);
    let mut early = c.reply(&[&greeting])?;
    seen.replies.push(("the greeting".into(), vec![greeting]));
    while let Some(bytes) = c.line()? {
        let line = String::from_utf8_lossy(&bytes);
        let command = line.trim_end_matches('\n').trim_end_matches('\r').to_string();
        seen.commands.push(command.clone());
        if !bytes.ends_with(b"\r\n") {
            log.note(format!("server: {command:?} ended in a bare LF"));
            seen.bare_lf_commands.push(command.clone());
        }
        if early {
            seen.early.push(command.clone());
        }
        let mut answered = command.clone();
        let (verb, argument) = command.split_once(' ').unwrap_or((&command, ""));
        let verb = verb.to_ascii_uppercase();
        let out_of_order = |seen: &mut Seen| {
            log.note(format!("server: {command:?} is out of order"));
            seen.out_of_order.push(command.clone());
            vec!["503 5.5.1 Bad sequence of commands".to_string()]
        };
        let reply: Vec<String> = match (verb.as_str(), state) {
            // QUIT, or MAIL FROM when this server is to close there: 221, then the end.
            ("QUIT", _) | ("MAIL", State::Ready) if verb == "QUIT" || options.closes_at_mail => {
                seen.quit |= verb == "QUIT";
                let closing = "221 2.0.0 reference.test closing connection";
                seen.replies.push((command.clone(), vec![closing.into()]));
                c.reply(&[closing])?;
                return Ok(());
            }
            (_, State::Refusing) => out_of_order(seen),
            ("EHLO", _) if !argument.is_empty() => {
                state = State::Ready;
                ["250-reference.test greets you", "250-8BITMIME", "250-SIZE 1048576", "250 HELP"]
                    .map(String::from)
                    .to_vec()
            }
            ("HELO", _) if !argument.is_empty() => {
                state = State::Ready;
                vec!["250 reference.test".into()]
            }
            ("EHLO" | "HELO", _) => vec!["501 5.5.4 Say who you are".into()],
            ("MAIL", State::Ready) => match path_argument(argument, "FROM:") {
                Some(_) => {
                    state = State::Mail;
                    vec!["250 2.1.0 Sender OK".into()]
                }
                None => vec!["501 5.5.4 Syntax: MAIL FROM:<address>".into()],
            },
            ("RCPT", State::Mail | State::Recipients) => match path_argument(argument, "TO:") {
                Some(path) if options.reject_recipient => {
                    vec![format!("550 5.1.1 <{path}>: no such user here")]
                }
                Some(path) if options.forward_recipient => {
                    state = State::Recipients;
                    vec![format!("251 2.1.5 <{path}>: user not local; will forward")]
                }
                Some(_) => {
                    state = State::Recipients;
                    vec!["250 2.1.5 Recipient OK".into()]
                }
                None => vec!["501 5.5.4 Syntax: RCPT TO:<address>".into()],
            },
            ("DATA", State::Recipients) if options.data_reply != 354 => {
                vec![format!("{} 2.0.0 OK", options.data_reply)]
            }
            ("DATA", State::Recipients) => {
                let go_ahead = "354 End data with <CR><LF>.<CR><LF>";
                seen.replies.push((command.clone(), vec![go_ahead.into()]));
                if c.reply(&[go_ahead])? {
                    seen.early.push("the message".into());
                }
                let mut message = String::new();
                loop {
                    let Some(mut bytes) = c.line()? else {
                        seen.message = Some(message);
                        return Ok(());
                    };
                    seen.bare_lf |= !bytes.ends_with(b"\r\n");
                    bytes.pop();
                    if bytes.last() == Some(&b'\r') {
                        bytes.pop();
                    }
                    if bytes == b"." {
                        break;
                    }
                    seen.quit_in_message |= bytes.eq_ignore_ascii_case(b"QUIT");
                    // Undo dot-stuffing: a line starting with `.` was sent with one more.
                    let text = bytes.strip_prefix(b".").unwrap_or(&bytes);
                    message.push_str(&String::from_utf8_lossy(text));
                    message.push('\n');
                }
                seen.message = Some(message);
                state = State::Ready;
                answered = "the message".into();
                vec!["250 2.0.0 Message accepted".into()]
            }
            ("MAIL" | "RCPT" | "DATA", _) => out_of_order(seen),
            ("RSET", _) => {
                state = if state == State::Greeted { state } else { State::Ready };
                vec!["250 2.0.0 OK".into()]
            }
            ("NOOP", _) => vec!["250 2.0.0 OK".into()],
            _ => vec!["500 5.5.2 Command not recognized".into()],
        };
        seen.replies.push((answered, reply.clone()));
        let lines: Vec<&str> = reply.iter().map(String::as_str).collect();
        early = c.reply(&lines)?;
    }
    Ok(())
}
