//! Reference peers for the file transfer protocol of `file_transfer.rs`:
//!
//! ```text
//! FILE <length> <crc32 as 8 hex digits> <name>\n   then exactly <length> bytes
//! answer: ok\n   or   error: <why>\n
//! ```
//!
//! Both peers are deliberately awkward, as TCP allows: the sender splits what it sends
//! at odd places, with pauses, so that the header and the file's first bytes arrive
//! together and the rest in pieces; the receiver reads in small reads of odd sizes.
//! Written with plain std::net, independently of the model answer.

use std::fs;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::peer::show;
use crate::session::{Failure, Session, Transcript, WAIT};

/// The longest header line the protocol allows, counting its `\n`.
pub const MAX_HEADER: usize = 1024;

/// The CRC-32 of `bytes` (IEEE 802.3, reflected, as zlib computes it), a byte at a time
/// from a table of the bitwise CRC of each byte value (fast enough in a debug build for
/// the checks' files of megabytes).
pub fn crc32(bytes: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut crc = i as u32;
            let mut bit = 0;
            while bit < 8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
                bit += 1;
            }
            table[i] = crc;
            i += 1;
        }
        table
    };
    !bytes
        .iter()
        .fold(!0u32, |crc, &byte| (crc >> 8) ^ TABLE[((crc ^ u32::from(byte)) & 0xff) as usize])
}

/// The header line for `data` stored as `name`, with its `\n`.
pub fn header(data: &[u8], name: &str) -> String {
    format!("FILE {} {:08x} {name}\n", data.len(), crc32(data))
}

/// `len` bytes that look random, the same for the same `seed`.
pub fn sample(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

/// A fresh folder of the check's own, removed with everything in it when dropped.
pub struct Scratch {
    /// The folder.
    pub path: PathBuf,
}

impl Scratch {
    /// Makes an empty folder under the system's temporary folder.
    pub fn new(session: &Session) -> Result<Scratch, Failure> {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "grader-{}-{}-{}",
            session.krate,
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).map_err(|err| session.wrong("a scratch folder", err))?;
        Ok(Scratch { path })
    }

    /// A sub-folder, made empty.
    pub fn folder(&self, session: &Session, name: &str) -> Result<PathBuf, Failure> {
        let path = self.path.join(name);
        fs::create_dir_all(&path).map_err(|err| session.wrong("a scratch folder", err))?;
        Ok(path)
    }

    /// Writes a file of the check's in the scratch folder and returns its path.
    pub fn file(&self, session: &Session, name: &str, data: &[u8]) -> Result<PathBuf, Failure> {
        let path = self.path.join(name);
        fs::write(&path, data).map_err(|err| session.wrong("a file to send", err))?;
        Ok(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// The names in `dir`, sorted; empty if it cannot be read.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|list| {
            list.filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Every file under `root`, at any depth, outside the folder `except`: paths relative
/// to `root`, sorted.
pub fn files_outside(root: &Path, except: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path == except {
                continue;
            }
            if path.is_dir() {
                folders.push(path);
            } else {
                let shown = path.strip_prefix(root).unwrap_or(&path);
                found.push(shown.display().to_string());
            }
        }
    }
    found.sort();
    found
}

/// A connected pair on loopback: (the check's end, the end for the code under test).
pub fn loopback_pair(session: &Session) -> Result<(TcpStream, TcpStream), Failure> {
    let pair = || -> io::Result<(TcpStream, TcpStream)> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let ours = TcpStream::connect(listener.local_addr()?)?;
        let (theirs, _) = listener.accept()?;
        ours.set_nodelay(true)?;
        Ok((ours, theirs))
    };
    pair().map_err(|err| session.wrong("a loopback connection for the check", err))
}

/// What the other side answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// One line, with its `\n`.
    Line(String),
    /// The connection closed with no whole line; any bytes that came are kept.
    Closed(String),
    /// Nothing within [`WAIT`]; any bytes that came are kept.
    Silence(String),
    /// The connection was reset before a whole line came.
    Reset(String),
}

/// Reads one answer line of at most `MAX_HEADER` bytes, a few bytes at a time.
fn read_answer(stream: &mut TcpStream) -> Answer {
    let mut line = Vec::new();
    let mut byte = [0; 1];
    while line.len() < MAX_HEADER {
        match stream.read(&mut byte) {
            Ok(0) => return Answer::Closed(String::from_utf8_lossy(&line).into_owned()),
            Ok(_) => {
                line.push(byte[0]);
                if byte[0] == b'\n' {
                    return Answer::Line(String::from_utf8_lossy(&line).into_owned());
                }
            }
            Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Answer::Silence(String::from_utf8_lossy(&line).into_owned());
            }
            Err(err) if err.kind() == ErrorKind::Interrupted => {}
            Err(err) => return Answer::Reset(err.to_string()),
        }
    }
    Answer::Line(String::from_utf8_lossy(&line).into_owned())
}

fn describe(answer: &Answer) -> String {
    match answer {
        Answer::Line(line) => format!("← {}", show(line.as_bytes())),
        Answer::Closed(rest) if rest.is_empty() => "← connection closed, no answer".into(),
        Answer::Closed(rest) => format!("← {} then connection closed", show(rest.as_bytes())),
        Answer::Silence(rest) if rest.is_empty() => format!("… no answer within {WAIT:?}"),
        Answer::Silence(rest) => {
            format!("← {} then nothing within {WAIT:?}", show(rest.as_bytes()))
        }
        Answer::Reset(err) => format!("✗ {err}"),
    }
}

/// What a reference sender sends: a header, the file's bytes, and whether it then
/// closes its sending half (as a sender cut short would) before waiting for the answer.
pub struct Transfer {
    /// The header line as sent, or any other bytes standing for one.
    pub header: Vec<u8>,
    /// The bytes after the header.
    pub data: Vec<u8>,
    /// Whether to close the sending half after the data.
    pub then_close: bool,
}

impl Transfer {
    /// A whole, good transfer of `data` named `name`: its header right, its data whole.
    pub fn of(name: &str, data: &[u8]) -> Transfer {
        Transfer { header: header(data, name).into_bytes(), data: data.to_vec(), then_close: false }
    }
}

/// A reference sender running on a thread of its own.
pub struct ReferenceSender(JoinHandle<Answer>);

impl ReferenceSender {
    /// Sends `transfer` over `stream` in pieces of odd sizes, then waits for the answer.
    pub fn start(log: &Transcript, stream: TcpStream, transfer: Transfer) -> ReferenceSender {
        ReferenceSender::sending(log, stream, transfer, send_in_odd_pieces)
    }

    /// Sends `transfer` over `stream` in one write, then waits for the answer: for checks
    /// of what the header says, where pieces would only add their pauses.
    pub fn start_whole(log: &Transcript, stream: TcpStream, transfer: Transfer) -> ReferenceSender {
        ReferenceSender::sending(log, stream, transfer, send_whole)
    }

    fn sending(
        log: &Transcript,
        mut stream: TcpStream,
        transfer: Transfer,
        send: fn(&Transcript, &mut TcpStream, &Transfer) -> io::Result<()>,
    ) -> ReferenceSender {
        let log = log.clone();
        ReferenceSender(thread::spawn(move || {
            let sent = send(&log, &mut stream, &transfer);
            if let Err(err) = sent {
                log.note(format!("sender: ✗ send failed: {err}"));
            }
            if transfer.then_close {
                log.note("sender: → closes its sending half (a transfer cut short)");
                let _ = stream.shutdown(Shutdown::Write);
            }
            let answer = read_answer(&mut stream);
            log.note(format!("sender: {}", describe(&answer)));
            answer
        }))
    }

    /// Waits for the sender to hear its answer (it gives up after [`WAIT`]).
    pub fn answer(self) -> Answer {
        self.0.join().unwrap_or(Answer::Reset("the reference sender panicked".into()))
    }
}

/// Writes the header and data in one write.
fn send_whole(log: &Transcript, stream: &mut TcpStream, t: &Transfer) -> io::Result<()> {
    stream.set_write_timeout(Some(WAIT))?;
    stream.set_read_timeout(Some(WAIT))?;
    log.note(format!(
        "sender: → header {}, then {} bytes of data, in one write",
        show(&t.header),
        t.data.len()
    ));
    stream.write_all(&[&t.header[..], &t.data[..]].concat())
}

/// Writes the header and data in pieces of odd sizes: the header in two, its second part
/// together with the file's first bytes, the rest in pieces of 1, 7, 4093, 65521, ...
/// bytes, pausing after the first few so that they arrive as separate reads.
fn send_in_odd_pieces(log: &Transcript, stream: &mut TcpStream, t: &Transfer) -> io::Result<()> {
    stream.set_write_timeout(Some(WAIT))?;
    stream.set_read_timeout(Some(WAIT))?;
    let pause = || thread::sleep(Duration::from_millis(10));
    let cut = t.header.len().min(5);
    let head = t.data.len().min(3);
    log.note(format!("sender: → header {}", show(&t.header)));
    stream.write_all(&t.header[..cut])?;
    pause();
    let mut second = t.header[cut..].to_vec();
    second.extend_from_slice(&t.data[..head]);
    stream.write_all(&second)?;
    pause();
    const SIZES: [usize; 6] = [1, 7, 4093, 65_521, 13, 32_749];
    let (mut at, mut writes) = (head, 2);
    while at < t.data.len() {
        let size = SIZES[writes % SIZES.len()].min(t.data.len() - at);
        stream.write_all(&t.data[at..at + size])?;
        at += size;
        writes += 1;
        if writes < 6 {
            pause();
        }
    }
    log.note(format!(
        "sender: → {} bytes of data in {writes} writes of odd sizes (the first few bytes with \
         the header's end)",
        t.data.len()
    ));
    Ok(())
}

/// How the reference receiver answers.
#[derive(Debug, Clone, Copy)]
pub enum Reply {
    /// `ok` if the header, the length and the checksum are right, else `error: ...`.
    Honest,
    /// This line, whatever came.
    Say(&'static str),
    /// Closes the connection without a word once the file is in.
    HangUp,
}

/// What the reference receiver got.
#[derive(Debug, Default, Clone)]
pub struct Received {
    /// Whether anybody connected.
    pub connected: bool,
    /// The header line, with its `\n`, if one came.
    pub header: Option<String>,
    /// The bytes after the header, up to the length it gave.
    pub data: Vec<u8>,
    /// What the receiver answered, if it did.
    pub answered: Option<String>,
}

/// A reference receiver for one transfer, on a thread of its own.
pub struct ReferenceReceiver {
    /// Where it listens.
    pub addr: SocketAddr,
    thread: JoinHandle<Received>,
}

impl ReferenceReceiver {
    /// Listens on a free loopback port; the first connection within [`WAIT`] gets `reply`.
    pub fn start(session: &Session, reply: Reply) -> Result<ReferenceReceiver, Failure> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.set_nonblocking(true).map(|()| l))
            .map_err(|err| session.wrong("a reference receiver", err))?;
        let addr =
            listener.local_addr().map_err(|err| session.wrong("a reference receiver", err))?;
        session.note(format!("receiver: reference receiver listening on {addr}"));
        let log = session.log.clone();
        let thread = thread::spawn(move || {
            let deadline = Instant::now() + WAIT;
            loop {
                match listener.accept() {
                    Ok((stream, _)) => {
                        log.note("receiver: a sender connected");
                        return receive(&log, stream, reply);
                    }
                    Err(_) if Instant::now() < deadline => thread::sleep(Duration::from_millis(5)),
                    Err(_) => {
                        log.note(format!("receiver: … nobody connected within {WAIT:?}"));
                        return Received::default();
                    }
                }
            }
        });
        Ok(ReferenceReceiver { addr, thread })
    }

    /// Waits for the transfer to end and returns what came.
    pub fn received(self) -> Received {
        self.thread.join().unwrap_or_default()
    }
}

/// Reads a header and the data it announces in reads of odd sizes, then answers.
fn receive(log: &Transcript, mut stream: TcpStream, reply: Reply) -> Received {
    let mut got = Received { connected: true, ..Received::default() };
    if stream.set_read_timeout(Some(WAIT)).is_err() {
        return got;
    }
    const SIZES: [usize; 4] = [1, 13, 509, 4099];
    let mut bytes = Vec::new();
    let mut buf = [0; 4099];
    let (mut reads, mut ended) = (0, None);
    let mut wanted: Option<usize> = None;
    loop {
        let end_of_header =
            if got.header.is_none() { bytes.iter().position(|&b| b == b'\n') } else { None };
        if let Some(end) = end_of_header {
            let line: Vec<u8> = bytes.drain(..=end).collect();
            let text = String::from_utf8_lossy(&line).into_owned();
            log.note(format!("receiver: ← header {}", show(&line)));
            wanted = parse_len(&text);
            got.header = Some(text);
        }
        if got.header.is_none() && bytes.len() >= MAX_HEADER {
            log.note(format!("receiver: ← {} with no `\\n`", show(&bytes)));
            break;
        }
        if wanted.is_some_and(|len| bytes.len() >= len) || got.header.is_some() && wanted.is_none()
        {
            break;
        }
        let size = SIZES[reads % SIZES.len()];
        reads += 1;
        match stream.read(&mut buf[..size]) {
            Ok(0) => {
                ended = Some("the sender closed the connection".to_string());
                break;
            }
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
            Err(err) if err.kind() == ErrorKind::Interrupted => {}
            Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                ended = Some(format!("nothing more came within {WAIT:?}"));
                break;
            }
            Err(err) => {
                ended = Some(err.to_string());
                break;
            }
        }
    }
    if let Some(len) = wanted {
        bytes.truncate(len);
        log.note(format!(
            "receiver: ← {} of {len} bytes of data, in {reads} reads of 1, 13, 509 or 4099 bytes",
            bytes.len()
        ));
    }
    if let Some(why) = &ended {
        log.note(format!("receiver: … {why}"));
    }
    got.data = bytes;
    let answer = match reply {
        Reply::HangUp => {
            log.note("receiver: → closes the connection without answering");
            return got;
        }
        Reply::Say(line) => line.to_string(),
        Reply::Honest => verdict(&got),
    };
    log.note(format!("receiver: → {}", show(format!("{answer}\n").as_bytes())));
    let _ = stream.write_all(format!("{answer}\n").as_bytes());
    got.answered = Some(answer);
    got
}

/// The length a header line announces, if it is a header line.
fn parse_len(line: &str) -> Option<usize> {
    line.strip_prefix("FILE ")?.split(' ').next()?.parse().ok()
}

/// What an honest receiver answers to what came.
fn verdict(got: &Received) -> String {
    let Some(header) = &got.header else { return "error: no header".into() };
    let fields: Vec<&str> = header.trim_end_matches('\n').splitn(4, ' ').collect();
    let [_, len, crc, _name] = fields[..] else { return "error: bad header".into() };
    let (Ok(len), Ok(crc)) = (len.parse::<usize>(), u32::from_str_radix(crc, 16)) else {
        return "error: bad header".into();
    };
    if got.data.len() != len {
        return format!("error: truncated: got {} of {len} bytes", got.data.len());
    }
    if crc32(&got.data) != crc {
        return "error: checksum mismatch".into();
    }
    "ok".into()
}
