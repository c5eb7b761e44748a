//! Reference peers for HTTP/1.1, written with plain std::net: a server that sends canned
//! responses in awkward pieces, a raw client that sends requests byte for byte and reads
//! the answer strictly, and a folder of files for a file server to serve.

use std::fs;
use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use crate::peer::{Heard, ReferenceServer, ServerEnd, TcpPeer, show, tcp_pair};
use crate::session::{Failure, Session, Transcript, WAIT};

/// The pause between two pieces of one message: long enough that they arrive as two
/// reads, short enough to keep the checks fast.
pub const PAUSE: Duration = Duration::from_millis(20);

/// Sends `pieces`, one write each, with a [`PAUSE`] between.
pub fn send_pieces(peer: &mut TcpPeer, pieces: &[Vec<u8>]) {
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            thread::sleep(PAUSE);
        }
        peer.send(piece);
    }
}

/// Text pieces as bytes.
pub fn pieces(texts: &[&str]) -> Vec<Vec<u8>> {
    texts.iter().map(|t| t.as_bytes().to_vec()).collect()
}

/// What a canned server does once its response is out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    /// Closes the connection: the end of a body with no other framing.
    Close,
    /// Keeps the connection open until the client closes it (or [`WAIT`] passes): a
    /// client must find the body's end from the response itself.
    StayOpen,
}

fn finish(server: &mut TcpPeer, then: Then) {
    match then {
        Then::Close => server.finish_sending(),
        Then::StayOpen => {
            let _ = server.hear();
        }
    }
}

/// A loopback connection whose far end, the peer called `name`, sends `bytes` in their
/// pieces, then does `then`. Returns the near end, for the code under test to read.
pub fn fed_stream(
    session: &Session,
    name: &str,
    bytes: Vec<Vec<u8>>,
    then: Then,
) -> Result<TcpStream, Failure> {
    let (mut peer, theirs) = tcp_pair(session, name)?;
    thread::spawn(move || {
        send_pieces(&mut peer, &bytes);
        finish(&mut peer, then);
    });
    Ok(theirs)
}

/// A reference HTTP server for one connection: reads the request head, then sends a
/// canned response in its pieces and does `then`.
pub struct CannedServer {
    /// Where it listens.
    pub addr: SocketAddr,
    server: ReferenceServer,
    request: Arc<Mutex<Vec<String>>>,
}

impl CannedServer {
    /// Listens on a free loopback port.
    pub fn start(
        session: &Session,
        response: Vec<Vec<u8>>,
        then: Then,
    ) -> Result<CannedServer, Failure> {
        let request = Arc::new(Mutex::new(Vec::new()));
        let lines = Arc::clone(&request);
        let server = ReferenceServer::start(session, move |peer| {
            loop {
                match peer.hear() {
                    Heard::Line(line) => {
                        let end = line == "\r\n" || line == "\n";
                        lines.lock().unwrap_or_else(|e| e.into_inner()).push(line);
                        if end {
                            break;
                        }
                    }
                    // No whole head: no answer.
                    _ => return,
                }
            }
            send_pieces(peer, &response);
            finish(peer, then);
        })?;
        Ok(CannedServer { addr: server.addr, server, request })
    }

    /// Waits for the conversation to end; returns what the server saw and the request
    /// head's lines, each with its line ending.
    pub fn finish(self) -> (ServerEnd, Vec<String>) {
        let end = self.server.finish();
        let lines = std::mem::take(&mut *self.request.lock().unwrap_or_else(|e| e.into_inner()));
        (end, lines)
    }
}

/// A response as a strict client read it.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    /// The status line, without its CRLF.
    pub status_line: String,
    /// The header fields, names as sent, values trimmed.
    pub headers: Vec<(String, String)>,
    /// Exactly `Content-Length` bytes of body.
    pub body: Vec<u8>,
}

impl Answer {
    /// The status code, or 0 if the status line has none.
    pub fn status(&self) -> u16 {
        self.status_line.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0)
    }

    /// The value of the header field `name`, matched in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A raw HTTP client, held by the check: it sends bytes exactly as given.
pub struct RawClient {
    name: String,
    stream: TcpStream,
    reader: BufReader<TcpStream>,
    log: Transcript,
}

impl RawClient {
    /// Connects to `addr` as the client called `name`.
    pub fn connect(session: &Session, name: &str, addr: SocketAddr) -> Result<RawClient, Failure> {
        let connected = TcpStream::connect_timeout(&addr, WAIT).and_then(|stream| {
            stream.set_read_timeout(Some(WAIT))?;
            stream.set_nodelay(true)?;
            Ok(stream)
        });
        let stream = connected.map_err(|err| {
            session.note(format!("{name}: ✗ cannot connect to {addr}: {err}"));
            session.wrong(
                format!("the server to accept a connection at {addr}"),
                "the server stopped listening: it returned from its accept loop (an error from \
                 one connection returned with `?` stops the whole server), or crashed",
            )
        })?;
        session.note(format!("{name}: connected to {addr}"));
        let reader = BufReader::new(
            stream.try_clone().map_err(|err| session.wrong("a usable connection", err))?,
        );
        Ok(RawClient { name: name.to_string(), stream, reader, log: session.log.clone() })
    }

    /// Sends `pieces`, one write each, with a [`PAUSE`] between.
    pub fn send(&mut self, pieces: &[Vec<u8>]) {
        for (i, piece) in pieces.iter().enumerate() {
            if i > 0 {
                thread::sleep(PAUSE);
            }
            self.log.note(format!("{}: → {}", self.name, show(piece)));
            if let Err(err) = self.stream.write_all(piece) {
                self.log.note(format!("{}: ✗ send failed: {err}", self.name));
            }
        }
    }

    /// Reads one response strictly: CRLF line ends, a `Content-Length`, exactly that many
    /// body bytes, then the connection closed.
    pub fn answer(&mut self, session: &Session) -> Result<Answer, Failure> {
        let name = self.name.clone();
        let mut line = |what: &str| -> Result<String, Failure> {
            let mut bytes = Vec::new();
            match self.reader.read_until(b'\n', &mut bytes) {
                Ok(_) if bytes.ends_with(b"\r\n") => {
                    session.note(format!("{name}: ← {}", show(&bytes)));
                    bytes.truncate(bytes.len() - 2);
                    Ok(String::from_utf8_lossy(&bytes).into_owned())
                }
                Ok(_) if bytes.ends_with(b"\n") => {
                    session.note(format!("{name}: ← {}", show(&bytes)));
                    Err(session.wrong(
                        format!("{what} ending in CRLF"),
                        "a line ending in `\\n` alone: every line of an HTTP head ends in `\\r\\n`",
                    ))
                }
                Ok(_) if bytes.is_empty() => {
                    session.note(format!("{name}: ← connection closed"));
                    Err(session.wrong(
                        what,
                        "the connection closed without a (whole) answer: the server dropped the \
                         connection, or its thread ended early (a panic, or an error returned \
                         before writing)",
                    ))
                }
                Ok(_) => {
                    session.note(format!("{name}: ← {} then connection closed", show(&bytes)));
                    Err(session.wrong(what, "the answer stops in the middle of a line"))
                }
                Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    session.note(format!("{name}: … nothing more within {WAIT:?}"));
                    Err(session.wrong(
                        format!("{what} within {WAIT:?}"),
                        "no answer: the server waits for more of the request than it needs, \
                         writes without flushing, or serves one connection at a time",
                    ))
                }
                Err(err) => {
                    session.note(format!("{name}: ✗ {err}"));
                    Err(session.wrong(
                        what,
                        "the connection was reset: the server closed it without answering",
                    ))
                }
            }
        };
        let status_line = line("a status line such as `HTTP/1.1 200 OK`")?;
        let mut headers = Vec::new();
        loop {
            let field = line("a header field line, or the empty line that ends the head")?;
            if field.is_empty() {
                break;
            }
            let Some((n, v)) = field.split_once(':') else {
                return Err(session.wrong(
                    "header fields written as `Name: value`",
                    format!("the line {field:?} has no `:`"),
                ));
            };
            headers.push((n.to_string(), v.trim().to_string()));
        }
        let mut answer = Answer { status_line, headers, body: Vec::new() };
        if !answer.status_line.starts_with("HTTP/1.1 ") || answer.status() == 0 {
            return Err(session.wrong(
                "a status line such as `HTTP/1.1 200 OK`",
                format!(
                    "the status line {:?} is not `HTTP/1.1 <code> <reason>`",
                    answer.status_line
                ),
            ));
        }
        let Some(length) = answer.header("content-length").and_then(|v| v.parse::<u64>().ok())
        else {
            return Err(session.wrong(
                "a `Content-Length` header field giving the body's length",
                "no Content-Length: the client cannot tell where the body ends",
            ));
        };
        let read = (&mut self.reader).take(length).read_to_end(&mut answer.body);
        session.note(format!(
            "{}: ← a body of {} bytes: {}",
            self.name,
            answer.body.len(),
            show(&answer.body)
        ));
        if read.is_err() || (answer.body.len() as u64) < length {
            return Err(session.wrong(
                format!("{length} body bytes, as Content-Length says"),
                "a Content-Length larger than the body sent",
            ));
        }
        Ok(answer)
    }

    /// Expects the server to close the connection after its answer, with nothing more.
    pub fn expect_closed(&mut self, session: &Session) -> Result<(), Failure> {
        let mut rest = Vec::new();
        match self.reader.read_to_end(&mut rest) {
            Ok(_) if rest.is_empty() => {
                session.note(format!("{}: ← connection closed", self.name));
                Ok(())
            }
            Err(err) if err.kind() == ErrorKind::ConnectionReset => Ok(()),
            Ok(_) => {
                session.note(format!("{}: ← {} after the body", self.name, show(&rest)));
                Err(session.wrong(
                    "nothing after the body",
                    "more bytes than Content-Length says: the length counts the body's bytes, \
                     not the head's, and not characters",
                ))
            }
            Err(_) => {
                session.note(format!("{}: … still open {WAIT:?} after the answer", self.name));
                Err(session.wrong(
                    "the connection closed after the answer (`Connection: close`)",
                    "the connection is kept open: return from the function that owns the stream \
                     once the answer is written",
                ))
            }
        }
    }

    /// Closes our sending half: the request is all there is.
    pub fn finish_sending(&mut self) {
        self.log.note(format!("{}: → closes its sending half", self.name));
        let _ = self.stream.shutdown(std::net::Shutdown::Write);
    }
}

/// The text of the file `hello.txt` in a [`Site`].
pub const HELLO: &[u8] = b"hello, world\n";
/// The text of `secret.txt`, which sits beside the served folder, never in it.
pub const SECRET: &[u8] = b"the secret that must never be served\n";

/// A folder of files to serve, made fresh for one check and removed after it:
/// `<base>/www` is the folder to serve, `<base>/secret.txt` sits outside it.
pub struct Site {
    /// The folder holding both the served folder and the secret.
    pub base: PathBuf,
    /// The folder to serve.
    pub root: PathBuf,
}

impl Site {
    /// Makes the folder and its files.
    pub fn new(session: &Session) -> Result<Site, Failure> {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let base = std::env::temp_dir().join(format!(
            "netbook-site-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        let root = base.join("www");
        let made = || -> io::Result<()> {
            let _ = fs::remove_dir_all(&base);
            fs::create_dir_all(root.join("sub"))?;
            fs::write(base.join("secret.txt"), SECRET)?;
            fs::write(root.join("hello.txt"), HELLO)?;
            fs::write(root.join("index.html"), "<!doctype html>\r\n\r\n<p>Hi</p>\n")?;
            fs::write(root.join("sub/page.html"), "<p>a page</p>\n")?;
            fs::write(root.join("with space.txt"), "spaced\n")?;
            fs::write(root.join("data.bin"), Site::data())?;
            Ok(())
        };
        made().map_err(|err| session.wrong("a folder of files for the check", err))?;
        session.note(format!(
            "files: {}/ holds hello.txt, index.html, sub/page.html, \"with space.txt\", data.bin; \
             {}/secret.txt sits beside it",
            root.display(),
            base.display()
        ));
        Ok(Site { base, root })
    }

    /// The bytes of `data.bin`: every byte value, twice, CR and LF among them.
    pub fn data() -> Vec<u8> {
        (0..=255u8).chain(0..=255u8).collect()
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.base);
    }
}
