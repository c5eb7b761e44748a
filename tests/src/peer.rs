//! Reference peers, written with plain std::net: the other end of every conversation
//! a check has with the code under test. Every read has a timeout and every event goes
//! to the transcript.

use std::fmt::Display;
use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::session::{Failure, Session, Transcript, WAIT};

/// The chat protocol's answers, as the reference server gives them.
pub fn chat_answer(question: &str) -> &'static str {
    match question {
        "how are u" => "fine",
        "how old are u" => "nicai",
        "bye" => "bye",
        _ => "pardon?",
    }
}

/// How long [`TcpPeer::send_in_two_parts`] gives the other end to react to the first
/// part alone: ten times the scheduling delay seen on a loaded machine, so that a program
/// that takes one `read` for one message has read the first part by itself by then. A
/// right program is never held up longer, and never fails for it.
pub const SPLIT_PAUSE: Duration = Duration::from_millis(300);

/// How long the probe after a silence listens once the check's end has closed its
/// sending half: the code under test sees the end of input at once, so an answer held
/// until then comes within a scheduling delay. Spent only on a failure.
pub const HELD_PROBE: Duration = Duration::from_millis(1000);

/// The diagnosis when the answer came only after the check's end closed its sending half.
pub const HELD_UNTIL_THE_END: &str = "no answer until the client closed its sending half, \
    then the answer came: the answers are held back until the connection's end, by writes \
    through a `BufWriter` that is flushed only when it is dropped (call `flush()` after each \
    answer), or by reading all the input before answering";

/// One end of a TCP connection, held by the check.
pub struct TcpPeer {
    name: String,
    stream: TcpStream,
    reader: BufReader<TcpStream>,
    log: Transcript,
    /// Whether some bytes came that never got their `\n`.
    pub heard_unterminated: bool,
    /// Whether the other end sent something between the two parts of a message sent by
    /// [`TcpPeer::send_in_two_parts`]: it took the first part for the whole message.
    pub heard_before_the_rest: bool,
}

/// What a read from a [`TcpPeer`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum Heard {
    /// A whole line, with its `\n`.
    Line(String),
    /// The other end closed the connection; any bytes before the close are kept.
    Closed(String),
    /// Nothing more within [`WAIT`]; any bytes that did come are kept.
    Silence(String),
    /// The connection was reset or failed.
    Error(String),
}

impl TcpPeer {
    /// Connects to `addr` as the client called `name`.
    pub fn connect(session: &Session, name: &str, addr: SocketAddr) -> Result<TcpPeer, Failure> {
        match TcpStream::connect_timeout(&addr, WAIT) {
            Ok(stream) => {
                session.note(format!("{name}: connected to {addr}"));
                TcpPeer::new(&session.log, name, stream)
                    .map_err(|err| session.wrong("a usable connection", err))
            }
            Err(err) => {
                session.note(format!("{name}: ✗ cannot connect to {addr}: {err}"));
                Err(session.wrong(
                    format!("the server to accept a connection at {addr}"),
                    "the server stopped listening: it accepted only one client, or returned from its \
                     accept loop (an error from one client returned with `?` stops the whole server), \
                     or crashed",
                ))
            }
        }
    }

    /// Wraps an already-connected stream, with a read timeout of [`WAIT`].
    pub fn new(log: &Transcript, name: &str, stream: TcpStream) -> io::Result<TcpPeer> {
        stream.set_read_timeout(Some(WAIT))?;
        stream.set_nodelay(true)?;
        let reader = BufReader::new(stream.try_clone()?);
        Ok(TcpPeer {
            name: name.to_string(),
            stream,
            reader,
            log: log.clone(),
            heard_unterminated: false,
            heard_before_the_rest: false,
        })
    }

    /// Sends `bytes` in one write.
    pub fn send(&mut self, bytes: &[u8]) {
        self.log.note(format!("{}: → {}", self.name, show(bytes)));
        if let Err(err) = self.stream.write_all(bytes) {
            self.log.note(format!("{}: ✗ send failed: {err}", self.name));
        }
    }

    /// Sends `bytes` in two writes, so that they arrive apart: after the first part it
    /// waits up to [`SPLIT_PAUSE`] for the other end to react to that part alone (a
    /// program that takes one `read` for one message answers it, or sends its next
    /// message, and the wait ends there), then sends the rest. Whatever came is kept for
    /// the next [`TcpPeer::hear`].
    pub fn send_in_two_parts(&mut self, bytes: &[u8], split_at: usize) {
        let (first, second) = bytes.split_at(split_at);
        self.send(first);
        let _ = self.stream.set_read_timeout(Some(SPLIT_PAUSE));
        let reacted = matches!(self.reader.fill_buf(), Ok(buffered) if !buffered.is_empty());
        let _ = self.stream.set_read_timeout(Some(WAIT));
        self.heard_before_the_rest |= reacted;
        if reacted {
            self.log.note(format!(
                "{}: (the other end sent something before the rest was sent)",
                self.name
            ));
        }
        self.send(second);
    }

    /// Reads up to the next `\n`, or until the connection closes or [`WAIT`] passes.
    pub fn hear(&mut self) -> Heard {
        self.hear_for(WAIT)
    }

    /// Reads up to the next `\n`, or until the connection closes or the read timeout set
    /// on the stream, `wait` for the transcript, passes.
    fn hear_for(&mut self, wait: Duration) -> Heard {
        let mut bytes = Vec::new();
        let heard = match self.reader.read_until(b'\n', &mut bytes) {
            Ok(_) if bytes.ends_with(b"\n") => {
                Heard::Line(String::from_utf8_lossy(&bytes).into_owned())
            }
            Ok(_) => Heard::Closed(String::from_utf8_lossy(&bytes).into_owned()),
            Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                Heard::Silence(String::from_utf8_lossy(&bytes).into_owned())
            }
            Err(err) => Heard::Error(err.to_string()),
        };
        if let Heard::Closed(rest) | Heard::Silence(rest) = &heard {
            self.heard_unterminated |= !rest.is_empty();
        }
        let event = match &heard {
            Heard::Line(line) => format!("← {}", show(line.as_bytes())),
            Heard::Closed(rest) if rest.is_empty() => "← connection closed".to_string(),
            Heard::Closed(rest) => format!("← {} then connection closed", show(rest.as_bytes())),
            Heard::Silence(rest) if rest.is_empty() => format!("… nothing within {wait:?}"),
            Heard::Silence(rest) => {
                format!("← {} then nothing within {wait:?}", show(rest.as_bytes()))
            }
            Heard::Error(err) => format!("✗ {err}"),
        };
        self.log.note(format!("{}: {event}", self.name));
        heard
    }

    /// Expects the line `expected` (given without its `\n`).
    pub fn expect_line(&mut self, session: &Session, expected: &str) -> Result<(), Failure> {
        self.expect_answer(session, None, expected, None)
    }

    /// Expects the line `expected` (given without its `\n`) as the answer to `question`
    /// (as it was sent, line ending and all), if known: the diagnosis then names what the
    /// question shows (a `\r` kept, an empty line taken for the end, `bye` not answered).
    /// `if_missing`, if given, is the diagnosis when no line comes at all.
    pub fn expect_answer(
        &mut self,
        session: &Session,
        question: Option<&[u8]>,
        expected: &str,
        if_missing: Option<&str>,
    ) -> Result<(), Failure> {
        let want = format!("{expected}\n");
        let asked = question.map(|q| String::from_utf8_lossy(q).into_owned()).unwrap_or_default();
        let bare = asked.trim_end_matches('\n').trim_end_matches('\r');
        let heard = self.hear();
        let missing = |default: &str| if_missing.unwrap_or(default).to_string();
        let mistake = match heard {
            Heard::Line(line) if line == want => return Ok(()),
            Heard::Line(line) if line.trim_end() == expected => format!(
                "the line ends in {:?}: end each line with a single `\\n`",
                &line[expected.len()..]
            ),
            Heard::Line(line) if asked.ends_with("\r\n") && line == "pardon?\n" => format!(
                "a different answer, {line:?}: the `\\r` of a `\\r\\n` line kept in the \
                 question; drop a `\\r` before the `\\n` too (telnet sends `\\r\\n`)"
            ),
            Heard::Line(line) if expected == "pardon?" && question.is_some() => format!(
                "a different answer, {line:?}, to {bare:?}: matching loosely (trimming spaces, \
                 ignoring case, `contains`); compare the whole question exactly, without only \
                 its line ending"
            ),
            Heard::Line(line) => format!(
                "a different answer, {line:?}: compare the question exactly, without its line ending"
            ),
            Heard::Silence(rest) if !rest.is_empty() => {
                "the answer lacks its `\\n`, so the other side cannot know it is complete".into()
            }
            Heard::Silence(_) if self.held_until_the_end(&want) => HELD_UNTIL_THE_END.into(),
            Heard::Silence(_) => missing(
                "no answer: writes through a `BufWriter` that is never flushed, a read that waits \
                 for more than one line, or one client served at a time",
            ),
            Heard::Closed(rest) if !rest.is_empty() => {
                "the answer lacks its `\\n`, so the other side cannot know it is complete".into()
            }
            Heard::Closed(_) | Heard::Error(_) if question.is_some() && bare == "bye" => {
                "closing the connection on `bye` without answering it: write `bye` first, then \
                 close"
                    .into()
            }
            Heard::Closed(_) | Heard::Error(_) if question.is_some() && bare.is_empty() => {
                "taking an empty line for the end of the connection: only a read of 0 bytes \
                 means the client has gone; an empty line is `\\n`, a question answered \
                 `pardon?`"
                    .into()
            }
            Heard::Closed(_) | Heard::Error(_) => missing(
                "the connection closed: the code stopped serving this client (an error returned \
                 with `?`, or a panic in its thread)",
            ),
        };
        Err(session.wrong(format!("the line {want:?}"), mistake))
    }

    /// The probe after a silence, run only on a failure: closes our sending half and
    /// listens for [`HELD_PROBE`]. Whether `want` came only then, which means it was held
    /// back until the code under test saw the end of our input.
    fn held_until_the_end(&mut self, want: &str) -> bool {
        self.finish_sending();
        let _ = self.stream.set_read_timeout(Some(HELD_PROBE));
        let heard = self.hear_for(HELD_PROBE);
        let _ = self.stream.set_read_timeout(Some(WAIT));
        matches!(heard, Heard::Line(line) if line == want)
    }

    /// Expects the other end to close the connection, with nothing more said.
    pub fn expect_closed(&mut self, session: &Session, after: &str) -> Result<(), Failure> {
        self.expect_closed_else(
            session,
            format!("the connection to be closed after {after}"),
            "the stream is not dropped: return from the function that owns it",
        )
    }

    /// Expects the other end to close the connection, with nothing more said; else fails
    /// with `expected` and `mistake`.
    pub fn expect_closed_else(
        &mut self,
        session: &Session,
        expected: impl Display,
        mistake: impl Display,
    ) -> Result<(), Failure> {
        match self.hear() {
            Heard::Closed(rest) if rest.is_empty() => Ok(()),
            Heard::Error(_) => Ok(()), // a reset is a close too
            _ => Err(session.wrong(expected, mistake)),
        }
    }

    /// Closes our sending half (a FIN): "I have nothing more to say".
    pub fn finish_sending(&mut self) {
        self.log.note(format!("{}: → closes its sending half", self.name));
        let _ = self.stream.shutdown(Shutdown::Write);
    }

    /// A second handle on our end, to write from another thread while this one reads.
    pub fn writer(&self) -> io::Result<TcpStream> {
        self.stream.try_clone()
    }

    /// The address of our end.
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.stream.local_addr().ok()
    }
}

/// A connected pair on loopback: the check's peer, and the other end to hand to the
/// code under test.
pub fn tcp_pair(session: &Session, name: &str) -> Result<(TcpPeer, TcpStream), Failure> {
    let pair = || -> io::Result<(TcpPeer, TcpStream)> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let ours = TcpStream::connect(listener.local_addr()?)?;
        let (theirs, _) = listener.accept()?;
        Ok((TcpPeer::new(&session.log, name, ours)?, theirs))
    };
    pair().map_err(|err| session.wrong("a loopback connection for the check", err))
}

/// A reference TCP server for one connection: accepts it within [`WAIT`] and serves it on
/// a thread of its own. `T` is what serving it found out.
pub struct ReferenceServer<T = ServerEnd> {
    /// Where it listens.
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Option<T>>,
}

/// What the line-based reference server saw, once it has finished.
#[derive(Debug, Default, Clone, Copy)]
pub struct ServerEnd {
    /// Whether anybody connected.
    pub connected: bool,
    /// Whether the client sent bytes that never got their `\n`.
    pub heard_unterminated: bool,
    /// Whether the client sent something between the two parts of an answer.
    pub heard_before_the_rest: bool,
}

impl<T: Send + 'static> ReferenceServer<T> {
    /// Listens on a free loopback port as the server called `what`, and hands the first
    /// connection (blocking, as accepted) to `serve` with the transcript.
    pub fn accept_one(
        session: &Session,
        what: &str,
        serve: impl FnOnce(TcpStream, &Transcript) -> T + Send + 'static,
    ) -> Result<ReferenceServer<T>, Failure> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.set_nonblocking(true).map(|()| l))
            .map_err(|err| session.wrong(format!("a {what}"), err))?;
        let addr = listener.local_addr().map_err(|err| session.wrong(format!("a {what}"), err))?;
        session.note(format!("server: {what} listening on {addr}"));
        let log = session.log.clone();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let thread = thread::spawn(move || {
            let deadline = Instant::now() + WAIT;
            loop {
                if stopped.load(Ordering::Relaxed) {
                    log.note("server: … nobody connected");
                    return None;
                }
                match listener.accept() {
                    Ok((stream, from)) => {
                        log.note(format!("server: accepted a connection from {from}"));
                        if let Err(err) = stream.set_nonblocking(false) {
                            log.note(format!("server: ✗ {err}"));
                        }
                        return Some(serve(stream, &log));
                    }
                    Err(err)
                        if err.kind() == ErrorKind::WouldBlock && Instant::now() < deadline =>
                    {
                        thread::sleep(Duration::from_millis(5));
                    }
                    Err(_) => {
                        log.note(format!("server: … no connection within {WAIT:?}"));
                        return None;
                    }
                }
            }
        });
        Ok(ReferenceServer { addr, stop, thread })
    }

    /// Stops waiting for a connection, waits for the serving to end if one came, and
    /// returns what it found out, or `None` if nobody connected.
    pub fn outcome(self) -> Option<T> {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap_or(None)
    }
}

impl ReferenceServer<ServerEnd> {
    /// Listens on a free loopback port and runs `script` on the first connection, through
    /// a [`TcpPeer`] called `server`.
    pub fn start(
        session: &Session,
        script: impl FnOnce(&mut TcpPeer) + Send + 'static,
    ) -> Result<ReferenceServer, Failure> {
        ReferenceServer::accept_one(session, "reference server", move |stream, log| {
            match TcpPeer::new(log, "server", stream) {
                Ok(mut peer) => {
                    script(&mut peer);
                    ServerEnd {
                        connected: true,
                        heard_unterminated: peer.heard_unterminated,
                        heard_before_the_rest: peer.heard_before_the_rest,
                    }
                }
                Err(err) => {
                    log.note(format!("server: ✗ {err}"));
                    ServerEnd { connected: true, ..ServerEnd::default() }
                }
            }
        })
    }

    /// Stops waiting for a connection, waits for the script to end if one came, and
    /// says what it saw.
    pub fn finish(self) -> ServerEnd {
        self.outcome().unwrap_or_default()
    }
}

/// A UDP socket held by the check, on a free loopback port.
pub struct UdpPeer {
    name: String,
    /// The socket itself.
    pub socket: UdpSocket,
    log: Transcript,
}

impl UdpPeer {
    /// Binds `127.0.0.1:0` with a read timeout of [`WAIT`].
    pub fn bind(session: &Session, name: &str) -> Result<UdpPeer, Failure> {
        UdpPeer::bind_at(session, name, "127.0.0.1:0")
    }

    /// Binds `addr` with a read timeout of [`WAIT`].
    pub fn bind_at(session: &Session, name: &str, addr: &str) -> Result<UdpPeer, Failure> {
        let socket = UdpSocket::bind(addr)
            .and_then(|s| s.set_read_timeout(Some(WAIT)).map(|()| s))
            .map_err(|err| session.wrong("a UDP socket for the check", err))?;
        Ok(UdpPeer { name: name.to_string(), socket, log: session.log.clone() })
    }

    /// The address this peer is bound to.
    pub fn addr(&self) -> SocketAddr {
        self.socket.local_addr().expect("a bound socket has an address")
    }

    /// Sends one datagram to `to`.
    pub fn send(&self, bytes: &[u8], to: SocketAddr) {
        self.log.note(format!(
            "{} ({}): → datagram {} to {to}",
            self.name,
            self.addr(),
            show(bytes)
        ));
        if let Err(err) = self.socket.send_to(bytes, to) {
            self.log.note(format!("{}: ✗ send failed: {err}", self.name));
        }
    }

    /// Waits up to [`WAIT`] for one datagram.
    pub fn receive(&self) -> Option<(Vec<u8>, SocketAddr)> {
        let mut buf = vec![0; 65_535];
        match self.socket.recv_from(&mut buf) {
            Ok((len, from)) => {
                buf.truncate(len);
                self.log.note(format!("{}: ← datagram {} from {from}", self.name, show(&buf)));
                Some((buf, from))
            }
            Err(_) => {
                self.log.note(format!("{}: … no datagram within {WAIT:?}", self.name));
                None
            }
        }
    }

    /// Every datagram already waiting, without blocking.
    pub fn drain(&self) -> Vec<Vec<u8>> {
        let mut all = Vec::new();
        if self.socket.set_nonblocking(true).is_ok() {
            let mut buf = vec![0; 65_535];
            while let Ok((len, from)) = self.socket.recv_from(&mut buf) {
                self.log.note(format!(
                    "{}: ← datagram {} from {from}",
                    self.name,
                    show(&buf[..len])
                ));
                all.push(buf[..len].to_vec());
            }
            let _ = self.socket.set_nonblocking(false);
        }
        all
    }
}

/// Bytes as the transcript shows them: a quoted string with escapes, shortened if long.
pub fn show(bytes: &[u8]) -> String {
    show_at_most(bytes, 60)
}

/// Bytes as [`show`] shows them, shortened past `shown` bytes.
pub fn show_at_most(bytes: &[u8], shown: usize) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(shown)]);
    if bytes.len() > shown {
        format!("{text:?}… ({} bytes in all)", bytes.len())
    } else if std::str::from_utf8(bytes).is_err() {
        format!("{:?} (not UTF-8)", bytes)
    } else {
        format!("{text:?}")
    }
}

/// A reference UDP server on a thread of its own, for the checks' protocol servers (echo,
/// DNS): a socket on a free loopback port, a second socket to send from another address,
/// and a stop flag. [`UdpServer::finish`] stops it and returns what its loop returned.
pub struct UdpServer<T> {
    /// Where it listens.
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: JoinHandle<T>,
}

/// What a reference UDP server's loop is given.
pub struct UdpServerParts {
    /// The listening socket, with a short read timeout so that the loop sees `stop` soon.
    pub socket: UdpSocket,
    /// A second socket, to send from an address that is not the server's.
    pub other: UdpSocket,
    /// The check's transcript.
    pub log: Transcript,
    /// Set when the check is done: the loop should return.
    pub stop: Arc<AtomicBool>,
}

impl<T: Default + Send + 'static> UdpServer<T> {
    /// Binds the sockets and runs `serve` on them; `what` names the server in a failure.
    pub fn start(
        session: &Session,
        what: &str,
        serve: impl FnOnce(UdpServerParts) -> T + Send + 'static,
    ) -> Result<UdpServer<T>, Failure> {
        let setup = || -> io::Result<(UdpSocket, UdpSocket, SocketAddr)> {
            let socket = UdpSocket::bind("127.0.0.1:0")?;
            socket.set_read_timeout(Some(Duration::from_millis(20)))?;
            let addr = socket.local_addr()?;
            Ok((socket, UdpSocket::bind("127.0.0.1:0")?, addr))
        };
        let (socket, other, addr) = setup().map_err(|err| session.wrong(what, err))?;
        let stop = Arc::new(AtomicBool::new(false));
        let parts =
            UdpServerParts { socket, other, log: session.log.clone(), stop: Arc::clone(&stop) };
        let thread = thread::spawn(move || serve(parts));
        Ok(UdpServer { addr, stop, thread })
    }

    /// Stops the server and returns what its loop returned.
    pub fn finish(self) -> T {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap_or_default()
    }
}

/// The next datagram a reference UDP server receives into `buf`: its length and sender,
/// or `None` once `stop` is set, once `2 × WAIT` has passed since `started` (a peer that
/// never stops is not served forever), or on an error, which goes to the transcript as
/// the error of the server called `who`.
pub fn receive_until_stopped(
    socket: &UdpSocket,
    buf: &mut [u8],
    started: Instant,
    stop: &AtomicBool,
    log: &Transcript,
    who: &str,
) -> Option<(usize, SocketAddr)> {
    while !stop.load(Ordering::Relaxed) && started.elapsed() < WAIT * 2 {
        match socket.recv_from(buf) {
            Ok(got) => return Some(got),
            // The socket's short timeout: look at the stop flag again.
            Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(err) => {
                log.note(format!("{who}: ✗ {err}"));
                return None;
            }
        }
    }
    None
}

/// Connects `count` clients to the server at `addr`, all staying connected, and expects
/// each to get its answer: a batch of a hundred at a time asks (half `how are u`, half
/// `how old are u`) and is answered before the next batch connects, so that the
/// server's accept queue never overflows.
pub fn many_clients_are_answered(
    session: &Session,
    addr: SocketAddr,
    count: usize,
) -> Result<Vec<TcpStream>, Failure> {
    // Why a client goes unanswered, unless the probe after it finds otherwise.
    let mistake = "serving only a few clients at once: one client at a time, or a pool of \
                   fewer threads than clients, each held by a client who stays connected; give \
                   each client a thread of its own";
    let mut all = Vec::new();
    let deadline = Instant::now() + WAIT;
    while all.len() < count {
        let first = all.len();
        let mut batch = Vec::new();
        for i in first..count.min(first + 100) {
            let mut stream = TcpStream::connect_timeout(&addr, WAIT).map_err(|err| {
                session.note(format!("client {i}: ✗ cannot connect: {err}"));
                session.wrong(format!("{count} connections accepted"), mistake)
            })?;
            let question: &[u8] = if i % 2 == 0 { b"how are u\n" } else { b"how old are u\n" };
            let _ = stream.write_all(question);
            batch.push((i, stream));
        }
        for (i, stream) in batch.into_iter().rev() {
            let want = if i % 2 == 0 { "fine\n" } else { "nicai\n" };
            let left =
                deadline.saturating_duration_since(Instant::now()).max(Duration::from_millis(1));
            let _ = stream.set_read_timeout(Some(left));
            let mut answer = Vec::new();
            let _ = BufReader::new(&stream).take(64).read_until(b'\n', &mut answer);
            if answer != want.as_bytes() {
                let ending = answer.trim_ascii_end() == want.trim_end().as_bytes();
                // The probe, on a failure only: an answer held back until the end of input.
                let held = answer.is_empty() && {
                    let _ = stream.shutdown(Shutdown::Write);
                    let _ = stream.set_read_timeout(Some(HELD_PROBE));
                    let _ = BufReader::new(&stream).take(64).read_until(b'\n', &mut answer);
                    answer == want.as_bytes()
                };
                session.note(format!(
                    "clients 0 to {}: connected, each sent one question (`how are u` if even, \
                     `how old are u` if odd) and stays connected",
                    i
                ));
                if held {
                    session.note(format!(
                        "client {i}: … nothing (waited until {WAIT:?} after the first connection)"
                    ));
                    session.note(format!("client {i}: → closes its sending half"));
                    session.note(format!("client {i}: ← {}", show(&answer)));
                } else {
                    session.note(format!(
                        "client {i}: ← {} (waited until {WAIT:?} after the first connection)",
                        show(&answer)
                    ));
                }
                let mistake = if held {
                    HELD_UNTIL_THE_END
                } else if ending {
                    "an answer that does not end in a single `\\n`"
                } else {
                    mistake
                };
                return Err(session.wrong(
                    format!("every one of {count} clients connected at once answered within {WAIT:?}, client {i} with {want:?}"),
                    mistake,
                ));
            }
            all.push(stream);
        }
    }
    session.note(format!(
        "{count} clients connected, all staying connected, each asked one question and got its answer"
    ));
    Ok(all)
}

/// A client that sends empty lines, each a question answered `pardon?`, and never reads
/// an answer, until the server's answers fill the buffers between them and its own
/// writes stop going out (the server has stopped reading it: its writes to it block), or
/// for at most [`SPLIT_PAUSE`] × 3. Returned open.
pub fn client_who_stops_reading(session: &Session, addr: SocketAddr) -> Result<TcpStream, Failure> {
    // How long writes may make no progress before the server counts as no longer reading.
    const STUCK: Duration = Duration::from_millis(100);
    let mut slacker = TcpStream::connect_timeout(&addr, WAIT)
        .map_err(|err| session.wrong("a connection for slacker", err))?;
    // Non-blocking, so that a write takes whatever room there is at once: a blocking write
    // with a timeout waits out the whole timeout whenever the room is less than its bytes.
    slacker.set_nonblocking(true).map_err(|err| session.wrong("a non-blocking socket", err))?;
    // An empty line is the shortest question and gets an answer eight times its size.
    let questions = vec![b'\n'; 64 * 1024];
    let started = Instant::now();
    let mut progress = started;
    let mut sent = 0usize;
    let mut blocked = false;
    while started.elapsed() < SPLIT_PAUSE * 3 {
        match slacker.write(&questions) {
            Ok(n) => {
                sent += n;
                progress = Instant::now();
            }
            Err(err) if err.kind() == ErrorKind::WouldBlock => {
                if progress.elapsed() >= STUCK {
                    blocked = true;
                    break;
                }
                thread::sleep(Duration::from_millis(2));
            }
            Err(_) => {
                blocked = true;
                break;
            }
        }
    }
    let _ = slacker.set_nonblocking(false);
    session.note(format!(
        "slacker: → {sent} empty lines and reads none of the answers; {} after {:?}",
        if blocked { "its writes stopped going out" } else { "still sending" },
        started.elapsed()
    ));
    Ok(slacker)
}
