//! File transfer over TCP: one file per connection, framed by a header line.
//!
//! The protocol. The sender connects and sends one header line, then the file's bytes:
//!
//! ```text
//! FILE <length> <crc32> <name>\n      length in bytes, decimal; CRC-32 as 8 lowercase hex digits
//! <exactly length bytes>
//! ```
//!
//! The receiver reads the header (at most [`MAX_HEADER`] bytes), reads exactly `length`
//! bytes, checks their CRC-32, stores them as `<name>` in its directory, and answers one
//! line: `ok`, or `error: <why>`. Then it closes the connection. The sender succeeds only
//! on `ok`.
//!
//! TCP is a byte stream, so the header tells where the file ends: the receiver reads to
//! the length, not to the end of the stream (the sender is still there, waiting for the
//! answer). The length catches a transfer cut short; the checksum catches bytes changed
//! on the way or by a buggy program; the name check keeps the file in its directory.
//!
//! Exercise: read "TCP programming" (book/src/tcp.md), then replace the five `todo!()`s.
//! Leave the signatures as they are: the grader calls these functions. `Header` and the
//! CRC-32 table are given.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, ErrorKind, Read, Seek, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

/// The longest header line the receiver reads, in bytes, counting its `\n`.
pub const MAX_HEADER: usize = 1024;

/// How long the receiver waits for the next bytes before giving a transfer up.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// The header line that opens a transfer: `FILE <len> <crc> <name>\n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The file's length in bytes: exactly this many bytes follow the header.
    pub len: u64,
    /// The CRC-32 of those bytes.
    pub crc: u32,
    /// The file's name, without any directory.
    pub name: String,
}

impl Header {
    /// The header as it goes on the wire, with its `\n`.
    pub fn line(&self) -> String {
        format!("FILE {} {:08x} {}\n", self.len, self.crc, self.name)
    }

    /// Reads a header line given without its `\n`; `None` if it is not one.
    pub fn parse(line: &str) -> Option<Header> {
        let rest = line.strip_prefix("FILE ")?;
        let (len, rest) = rest.split_once(' ')?;
        let (crc, name) = rest.split_once(' ')?;
        let digits = |text: &str, hex: bool| {
            !text.is_empty()
                && text
                    .bytes()
                    .all(|b| if hex { b.is_ascii_hexdigit() } else { b.is_ascii_digit() })
        };
        if !digits(len, false) || crc.len() != 8 || !digits(crc, true) || name.is_empty() {
            return None;
        }
        Some(Header {
            len: len.parse().ok()?,
            crc: u32::from_str_radix(crc, 16).ok()?,
            name: name.to_string(),
        })
    }
}

/// The CRC-32 of every byte value, computed once at compile time: entry `n` is
/// what the eight shift-and-xor steps of the bitwise CRC do to the byte `n`.
pub const CRC32_TABLE: [u32; 256] = {
    let mut table = [0; 256];
    let mut n = 0;
    while n < 256 {
        let mut crc = n as u32;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            bit += 1;
        }
        table[n] = crc;
        n += 1;
    }
    table
};

// ANCHOR: crc32
/// Continues the CRC-32 `crc` over `bytes` (start with 0): `crc32(crc32(0, a),
/// b)` is `crc32(0, ab)`. The CRC-32 of Ethernet, zip and PNG: `crc32(0,
/// b"123456789")` is `0xcbf43926`.
pub fn crc32(crc: u32, bytes: &[u8]) -> u32 {
    // TODO: the table-driven algorithm under "CRC-32" in the chapter (CRC32_TABLE).
    todo!("CRC-32")
}
// ANCHOR_END: crc32

// ANCHOR: is_safe_name
/// Whether `name` is a plain file name that stays inside the receiver's
/// directory: not empty, not `.` or `..`, without `/`, `\` or NUL.
pub fn is_safe_name(name: &str) -> bool {
    // TODO: judge the name (`str::contains` takes an array of chars).
    todo!("a plain file name?")
}
// ANCHOR_END: is_safe_name

// ANCHOR: send_file
/// Sends the file at `path` over `stream` as its file name, then waits for the
/// receiver's answer. Returns the number of bytes sent if the answer is the
/// line `ok\n` exactly, and an error otherwise: an `error: ...` line, any other
/// line (`okay`), or no answer at all. The error's kind and text are yours to
/// choose; the checks look only at `Ok` or `Err`.
pub fn send_file(stream: TcpStream, path: &Path) -> io::Result<u64> {
    // TODO: send the header and the file as "The sender" in the chapter says
    // (`Seek::rewind`, `io::copy`), then read the answer.
    todo!("send one file and wait for ok")
}
// ANCHOR_END: send_file

// ANCHOR: receive_file
/// Receives one file from `stream` into the directory `dir` and answers the
/// sender: `ok` once the file is stored, `error: <why>` if the header, the
/// name, the length or the checksum is wrong. Returns the stored file's path
/// (`dir.join(name)`), or the error it answered. A refused file leaves nothing
/// behind in `dir`.
///
/// `<why>` is one line of your own words: the checks demand only that the
/// answer start with `error: ` and end with `\n`, and that an `Err` be
/// returned (of any kind). The model answer says `bad header`, `bad file name`,
/// `truncated: got <n> of <len> bytes` or `checksum mismatch`. A header line
/// that is not UTF-8, or not exactly `FILE <len> <crc> <name>` with single
/// spaces and `FILE` in capitals, is a bad header.
pub fn receive_file(stream: TcpStream, dir: &Path) -> io::Result<PathBuf> {
    // TODO: read the header (`Header::parse`), then the file, as "Store only
    // verified files" in the chapter says; answer on the stream.
    todo!("receive one file")
}
// ANCHOR_END: receive_file

// ANCHOR: serve
/// Receives files forever, each connection on a thread of its own with a read
/// timeout of `idle` (the program passes [`IDLE_TIMEOUT`]), into `dir`.
/// Prints each stored file's path on stdout and each refused transfer on
/// stderr.
pub fn serve(listener: TcpListener, dir: &Path, idle: Duration) -> io::Result<()> {
    // TODO: a thread per connection, with a read timeout of `idle`,
    // calling `receive_file`.
    todo!("receive files forever")
}
// ANCHOR_END: serve
