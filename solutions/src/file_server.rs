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
    // `take` makes the cap part of the reader: past MAX_HEAD bytes it reports the end.
    let mut head = reader.take(MAX_HEAD as u64);
    // A request line that alone fills the cap is a target too long to take (RFC 9112,
    // section 3); the header fields filling it is another status.
    let line = head_line(&mut head).map_err(|err| match err {
        BadRequest::TooLarge => BadRequest::UriTooLong,
        other => other,
    })?;
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed(format!("not a request line: {line:?}")));
    };
    if !is_token(method) || target.is_empty() {
        return Err(malformed(format!("not a request line: {line:?}")));
    }
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err(malformed(format!("not HTTP/1.0 or HTTP/1.1: {version:?}")));
    }
    let mut headers = Vec::new();
    loop {
        let line = head_line(&mut head)?;
        if line.is_empty() {
            break;
        }
        // A line starting with a space would continue the one before ("obsolete line
        // folding"); RFC 9112 (section 5.2) lets a server refuse it.
        let (name, value) = line
            .split_once(':')
            .filter(|(name, _)| is_token(name))
            .ok_or_else(|| malformed(format!("not a header field: {line:?}")))?;
        headers.push((name.to_string(), value.trim_matches([' ', '\t']).to_string()));
    }
    // One server may serve many names, so HTTP/1.1 demands exactly one Host
    // (RFC 9112, section 3.2).
    let hosts = headers.iter().filter(|(name, _)| name.eq_ignore_ascii_case("host")).count();
    if hosts > 1 || (hosts == 0 && version == "HTTP/1.1") {
        return Err(malformed(format!("{hosts} Host fields in an {version} request")));
    }
    Ok(Request { method: method.into(), target: target.into(), version: version.into(), headers })
}

/// One line of the head, without its line ending.
fn head_line(head: &mut io::Take<&mut impl BufRead>) -> Result<String, BadRequest> {
    let mut bytes = Vec::new();
    head.read_until(b'\n', &mut bytes).map_err(BadRequest::Gone)?;
    if bytes.pop() != Some(b'\n') {
        // No line end: either the cap cut the head short, or the client left.
        return Err(if head.limit() == 0 {
            BadRequest::TooLarge
        } else {
            BadRequest::Gone(io::ErrorKind::UnexpectedEof.into())
        });
    }
    if bytes.last() == Some(&b'\r') {
        bytes.pop();
    }
    String::from_utf8(bytes).map_err(|_| malformed("a line that is not text".into()))
}

/// Whether `text` is a token (RFC 9110, section 5.6.2): what methods and field names are
/// made of. No spaces, no `:`, no control characters.
fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn malformed(why: String) -> BadRequest {
    BadRequest::Malformed(why)
}
// ANCHOR_END: read_request

// ANCHOR: local_path
/// The file under `root` that `target` names, or the status refusing it. The query
/// (`?...`) is dropped, the path percent-decoded (`%20` is a space), then split at `/`:
/// empty and `.` segments are skipped, a `..` segment is [`FORBIDDEN`], and every other
/// segment is joined onto `root`. A target that does not start with `/`, or a bad `%`
/// escape, is [`BAD_REQUEST`].
pub fn local_path(root: &Path, target: &str) -> Result<PathBuf, Status> {
    let path = target.split('?').next().unwrap_or("");
    if !path.starts_with('/') {
        return Err(BAD_REQUEST);
    }
    // Decode first, then judge: `%2e%2e` is `..` once decoded, and `%2f` is a `/`.
    let decoded = percent_decode(path).ok_or(BAD_REQUEST)?;
    let mut file = root.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {} // `//` and `/./` name nothing new
            ".." => return Err(FORBIDDEN),
            // A plain name, without `/`, can never climb out of `root` or replace it the
            // way joining an absolute path would.
            name => file.push(name),
        }
    }
    Ok(file)
}

/// `%XX` escapes to the bytes they stand for; `None` for a bad escape or a result that
/// is not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        if first == b'%' {
            let hex = std::str::from_utf8(tail.get(..2)?).ok()?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            rest = &tail[2..];
        } else {
            bytes.push(first);
            rest = tail;
        }
    }
    String::from_utf8(bytes).ok()
}
// ANCHOR_END: local_path

// ANCHOR: content_type
/// The `Content-Type` for `path`, from [`CONTENT_TYPES`] by its extension in any case,
/// else [`DEFAULT_CONTENT_TYPE`].
pub fn content_type(path: &Path) -> &'static str {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    CONTENT_TYPES
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(extension))
        .map_or(DEFAULT_CONTENT_TYPE, |(_, media_type)| media_type)
}
// ANCHOR_END: content_type

// ANCHOR: answer
/// The response to `request` for the files under `root`, as the table at the top says.
/// Every response has `Content-Type`, `Content-Length` and `Connection: close`; an
/// error's body is its status line as text, such as `404 Not Found\n`. A 405 adds
/// `Allow: GET, HEAD`. For `HEAD` the body is empty, whatever the status, while
/// `Content-Length` stays the length `GET` would get (`14` for `404 Not Found\n`).
pub fn answer(root: &Path, request: &Request) -> Response {
    let mut response = answer_get(root, request);
    if request.method == "HEAD" {
        response.body.clear(); // the same head, the length of the body not sent
    }
    response
}

/// The response `GET` would get, for `GET` and `HEAD`; the refusal for other methods.
fn answer_get(root: &Path, request: &Request) -> Response {
    let method = request.method.as_str();
    if method != "GET" && method != "HEAD" {
        // Methods are case-sensitive (RFC 9110, section 9.1): `get` is not known.
        if !KNOWN_METHODS.contains(&method) {
            return error_response(NOT_IMPLEMENTED);
        }
        let mut response = error_response(METHOD_NOT_ALLOWED);
        response.headers.push(("Allow".into(), "GET, HEAD".into()));
        return response;
    }
    let path = match local_path(root, &request.target) {
        Ok(path) => path,
        Err(status) => return error_response(status),
    };
    // A folder is no file; reading one fails, and so does reading a missing file.
    match fs::read(&path) {
        Ok(body) if path.is_file() => response(OK, content_type(&path), body),
        _ => error_response(NOT_FOUND),
    }
}

/// A response with the three header fields every response here carries.
fn response(status: Status, media_type: &str, body: Vec<u8>) -> Response {
    let headers = vec![
        ("Content-Type".to_string(), media_type.to_string()),
        ("Content-Length".to_string(), body.len().to_string()),
        ("Connection".to_string(), "close".to_string()),
    ];
    Response { status, headers, body }
}

/// An error response whose body is its status line, such as `404 Not Found\n`.
pub fn error_response(status: Status) -> Response {
    let Status(code, reason) = status;
    response(status, "text/plain; charset=utf-8", format!("{code} {reason}\n").into_bytes())
}
// ANCHOR_END: answer

// ANCHOR: write_response
/// Writes `response`: the status line `HTTP/1.1 <code> <reason>`, each header field as
/// `name: value`, an empty line, every line ending in CRLF, then the body.
pub fn write_response(out: &mut impl Write, response: &Response) -> io::Result<()> {
    let Status(code, reason) = response.status;
    let mut head = format!("HTTP/1.1 {code} {reason}\r\n");
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    // One buffer for the head and the body: fewer, fuller TCP segments.
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&response.body);
    out.write_all(&bytes)?;
    out.flush()
}
// ANCHOR_END: write_response

// ANCHOR: serve
/// Binds a listening TCP socket to `addr`, such as `127.0.0.1:8000`.
pub fn bind(addr: &str) -> io::Result<TcpListener> {
    TcpListener::bind(addr)
}

/// Accepts connections forever, each handled by [`handle_connection`] on a thread of
/// its own. A connection that fails is reported on stderr; the others go on.
pub fn serve(listener: TcpListener, root: PathBuf) -> io::Result<()> {
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(stream) => stream,
            Err(err) => {
                eprintln!("accept failed: {err}");
                continue;
            }
        };
        let root = root.clone();
        thread::spawn(move || {
            let peer = stream.peer_addr();
            if let Err(err) = handle_connection(stream, &root) {
                eprintln!("client {peer:?}: {err}");
            }
        });
    }
    Ok(())
}

/// Serves the one request of one connection: reads it, answers it (400, 414 or 431 for
/// a bad head), and returns, which closes the connection. A client gone before its head
/// ended gets no answer. A client idle for [`IDLE`] is dropped.
pub fn handle_connection(stream: TcpStream, root: &Path) -> io::Result<()> {
    stream.set_read_timeout(Some(IDLE))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let response = match read_request(&mut reader) {
        Ok(request) => answer(root, &request),
        Err(BadRequest::Malformed(_)) => error_response(BAD_REQUEST),
        Err(BadRequest::UriTooLong) => error_response(URI_TOO_LONG),
        Err(BadRequest::TooLarge) => error_response(HEAD_TOO_LARGE),
        Err(BadRequest::Gone(_)) => return Ok(()),
    };
    let mut writer = stream;
    write_response(&mut writer, &response)
}
// ANCHOR_END: serve
