//! A static file server: HTTP/1.1's answering end, for the files under one folder
//! (RFC 9110, RFC 9112).
//!
//! Each connection carries one request. The server reads the request head (a request
//! line such as `GET /hello.txt HTTP/1.1`, header fields, an empty line), answers, and
//! closes the connection: every response says `Connection: close`, and its body's end
//! is given by `Content-Length`.
//!
//! The answers:
//!
//! | request | status |
//! |---|---|
//! | `GET` or `HEAD` of a file under the folder | 200 OK, with the file |
//! | a path naming no file (or a folder) | 404 Not Found |
//! | a path with a `..` segment, however spelled (`..`, `%2e%2e`, `.%2E`) | 403 Forbidden |
//! | another method of [`KNOWN_METHODS`] (`POST`, `DELETE`, ...) | 405 Method Not Allowed, with `Allow: GET, HEAD` |
//! | a method not in [`KNOWN_METHODS`] (`BREW`, and lowercase `get`: methods are case-sensitive) | 501 Not Implemented |
//! | a request line or header field that breaks the syntax; HTTP/1.1 without one `Host` | 400 Bad Request |
//! | a request line that alone runs past [`MAX_HEAD`] bytes | 414 URI Too Long |
//! | a head whose header fields take it past [`MAX_HEAD`] bytes | 431 Request Header Fields Too Large |
//!
//! A response to `HEAD` never has a body, whatever its status: it has the head the same
//! request with `GET` would get, `Content-Length` included (RFC 9110, section 9.3.2).
//!
//! The request target is untrusted input: it is percent-decoded, then split into
//! segments, and only plain names are joined onto the folder, so no file outside it is
//! ever served. Each connection gets its own thread, and a bad request only ends its own
//! connection.
//!
//! Exercise: read "The application layer" (book/src/application.md), then replace the
//! nine `todo!()`s. Leave the signatures as they are: the grader calls these functions.
//! Add private helper functions as you like (reading one line, percent-decoding).

use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

// ANCHOR: types
/// The most bytes a request head may take, from the request line's first byte to the end
/// of the empty line. A longer head is refused (414 if the request line alone is too
/// long, 431 otherwise), so no client can make the server read (and keep) without end.
pub const MAX_HEAD: usize = 8 * 1024;

/// How long a connection may sit idle before the server gives up on it.
pub const IDLE: Duration = Duration::from_secs(10);

/// The media type of a file, by its extension (matched in any case).
pub const CONTENT_TYPES: &[(&str, &str)] = &[
    ("html", "text/html; charset=utf-8"),
    ("txt", "text/plain; charset=utf-8"),
    ("md", "text/markdown; charset=utf-8"),
    ("css", "text/css"),
    ("js", "text/javascript"),
    ("json", "application/json"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("svg", "image/svg+xml"),
];

/// The media type of any other file: "some bytes".
pub const DEFAULT_CONTENT_TYPE: &str = "application/octet-stream";

/// A response's status: its code and reason phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status(pub u16, pub &'static str);

pub const OK: Status = Status(200, "OK");
pub const BAD_REQUEST: Status = Status(400, "Bad Request");
pub const FORBIDDEN: Status = Status(403, "Forbidden");
pub const NOT_FOUND: Status = Status(404, "Not Found");
pub const METHOD_NOT_ALLOWED: Status = Status(405, "Method Not Allowed");
pub const URI_TOO_LONG: Status = Status(414, "URI Too Long");
pub const HEAD_TOO_LARGE: Status = Status(431, "Request Header Fields Too Large");
pub const NOT_IMPLEMENTED: Status = Status(501, "Not Implemented");

/// The methods this server recognises: the eight RFC 9110 defines (section 9), spelled
/// exactly so. It allows only `GET` and `HEAD`; another of these gets 405 Method Not
/// Allowed (section 15.5.6), and any other method, 501 Not Implemented (section 15.6.2).
pub const KNOWN_METHODS: &[&str] =
    &["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE"];

/// A request head, as read from the connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The method, such as `GET`, as sent: methods are case-sensitive.
    pub method: String,
    /// The request target, such as `/hello.txt?x=1`, still percent-encoded.
    pub target: String,
    /// `HTTP/1.1` or `HTTP/1.0`.
    pub version: String,
    /// The header fields in order: each name as sent, each value without the spaces
    /// around it.
    pub headers: Vec<(String, String)>,
}

/// Why no request could be read.
#[derive(Debug)]
pub enum BadRequest {
    /// The head breaks the syntax of RFC 9112: answer 400 Bad Request.
    Malformed(String),
    /// The request line alone runs past [`MAX_HEAD`] bytes (no `\n` within them): answer
    /// 414 URI Too Long (RFC 9112, section 3).
    UriTooLong,
    /// The request line ended in time, but the header fields take the head past
    /// [`MAX_HEAD`] bytes: answer 431 (RFC 6585, section 5).
    TooLarge,
    /// The client closed the connection (or it failed) before the head ended: there is
    /// nobody to answer.
    Gone(io::Error),
}

/// A response to send: the status line's code and reason, the header fields, the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status, such as [`OK`].
    pub status: Status,
    /// The header fields, in the order they are sent.
    pub headers: Vec<(String, String)>,
    /// The body: exactly `Content-Length` bytes (none for `HEAD`).
    pub body: Vec<u8>,
}
// ANCHOR_END: types

// ANCHOR: read_request
/// Reads one request head: the request line, then header fields up to the empty line.
/// Lines end in CRLF; a lone LF is accepted too (RFC 9112, section 2.2), so `nc` works.
/// Reads at most [`MAX_HEAD`] bytes. A line that is not UTF-8 is `Malformed`. The
/// method is any token; which methods are known is for [`answer`] to judge.
pub fn read_request(reader: &mut impl BufRead) -> Result<Request, BadRequest> {
    // TODO: read lines through `Read::take` and `read_until` (`Take::limit` helps); the
    // rules are under "The request head" in the chapter.
    todo!("read a request head")
}
// ANCHOR_END: read_request

// ANCHOR: local_path
/// The file under `root` that `target` names, or the status refusing it. The query
/// (`?...`) is dropped, the path percent-decoded (`%20` is a space), then split at `/`:
/// empty and `.` segments are skipped, a `..` segment is [`FORBIDDEN`], and every other
/// segment is joined onto `root`. A target that does not start with `/`, or a bad `%`
/// escape, is [`BAD_REQUEST`].
pub fn local_path(root: &Path, target: &str) -> Result<PathBuf, Status> {
    // TODO: decode, then build the path with `PathBuf::push`, as "The target is hostile"
    // in the chapter says (`u8::from_str_radix` reads a `%XX`).
    todo!("map the target to a file under root")
}
// ANCHOR_END: local_path

// ANCHOR: content_type
/// The `Content-Type` for `path`, from [`CONTENT_TYPES`] by its extension in any case,
/// else [`DEFAULT_CONTENT_TYPE`].
pub fn content_type(path: &Path) -> &'static str {
    // TODO: look the extension up (`Path::extension`, `eq_ignore_ascii_case`).
    todo!("name the file's media type")
}
// ANCHOR_END: content_type

// ANCHOR: answer
/// The response to `request` for the files under `root`, as the table at the top says.
/// Every response has `Content-Type`, `Content-Length` and `Connection: close`; an
/// error's body is its status line as text, such as `404 Not Found\n`. A 405 adds
/// `Allow: GET, HEAD`. For `HEAD` the body is empty, whatever the status, while
/// `Content-Length` stays the length `GET` would get (`14` for `404 Not Found\n`).
pub fn answer(root: &Path, request: &Request) -> Response {
    // TODO: follow the table, with `local_path` and `fs::read` (`Path::is_file` tells a
    // file from a folder).
    todo!("answer one request")
}

/// An error response whose body is its status line, such as `404 Not Found\n`.
pub fn error_response(status: Status) -> Response {
    // TODO: build the response; "The answers" in the chapter gives its head.
    todo!("make an error response")
}
// ANCHOR_END: answer

// ANCHOR: write_response
/// Writes `response`: the status line `HTTP/1.1 <code> <reason>`, each header field as
/// `name: value`, an empty line, every line ending in CRLF, then the body.
pub fn write_response(out: &mut impl Write, response: &Response) -> io::Result<()> {
    // TODO: `write_all` the head, then the body; flush.
    todo!("write a response")
}
// ANCHOR_END: write_response

// ANCHOR: serve
/// Binds a listening TCP socket to `addr`, such as `127.0.0.1:8000`.
pub fn bind(addr: &str) -> io::Result<TcpListener> {
    // TODO: bind a TcpListener to exactly the address given.
    todo!("bind a TCP listener to `addr`")
}

/// Accepts connections forever, each handled by [`handle_connection`] on a thread of
/// its own. A connection that fails is reported on stderr; the others go on.
pub fn serve(listener: TcpListener, root: PathBuf) -> io::Result<()> {
    // TODO: a thread per connection, calling `handle_connection`.
    todo!("accept connections forever")
}

/// Serves the one request of one connection: reads it, answers it (400, 414 or 431 for
/// a bad head), and returns, which closes the connection. A client gone before its head
/// ended gets no answer. A client idle for [`IDLE`] is dropped.
pub fn handle_connection(stream: TcpStream, root: &Path) -> io::Result<()> {
    // TODO: set the read timeout, `read_request` through a `BufReader`, answer, and
    // write the response (`try_clone` gives a second handle).
    todo!("serve one connection")
}
// ANCHOR_END: serve
