//! HTTP/1.1 client: the asking end of the web, for one `GET` (RFC 9110, RFC 9112).
//!
//! It takes an `http://host:port/path` URL apart, connects to the host, sends one
//! request with `Host` and `Connection: close`, and reads the response: a status line,
//! header fields, an empty line, then the body. Every line of the head ends in CRLF.
//!
//! The hard part is the body's end. TCP marks nothing, so the response says where its
//! body stops, in one of three ways (RFC 9112, section 6.3):
//!
//! - `Transfer-Encoding: chunked`: the body comes in chunks, each a hexadecimal size
//!   line then that many bytes; a chunk of size 0 ends it, followed by optional trailer
//!   fields and an empty line;
//! - `Content-Length: N`: exactly N bytes follow the empty line;
//! - neither: the body runs until the server closes the connection.
//!
//! Responses with status 1xx, 204 (No Content) or 304 (Not Modified) have no body at all.
//! Header field names are case-insensitive: `content-length` is `Content-Length`.
//!
//! Exercise: read "The application layer" (book/src/application.md), then replace the
//! five `todo!()`s. Leave the signatures as they are: the grader calls these functions.
//! Add private helper functions as you like (reading one line, parsing the header fields).

use std::fmt;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;

/// The port an `http://` URL means when it names none (RFC 9110, section 4.2.1).
pub const DEFAULT_PORT: u16 = 80;

// ANCHOR: url
/// What a client needs from an `http://` URL: where to connect, and what to ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// The host as the URL writes it: a name, an IPv4 address, or an IPv6 address in
    /// brackets (`[::1]`), so that `format!("{host}:{port}")` can be connected to.
    pub host: String,
    /// The port written after the host, or [`DEFAULT_PORT`].
    pub port: u16,
    /// The request target: the path and query, starting with `/` (just `/` when the URL
    /// has no path). A fragment (`#...`) is never sent, so it is not here.
    pub target: String,
}

/// Why a URL cannot be fetched by this client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlError {
    /// No `scheme://` at the start, as in `example.com/`.
    NoScheme,
    /// A scheme other than `http`: `https` needs TLS, which this client does not speak.
    Unsupported(String),
    /// Nothing between `http://` and the path.
    NoHost,
    /// `user@` before the host: RFC 9110 (section 4.2.4) says to treat it as an error.
    UserInfo,
    /// A port that is not a number from 0 to 65535, written in digits only (no `+`).
    BadPort(String),
}
// ANCHOR_END: url

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlError::NoScheme => write!(f, "not a URL: it should start with http://"),
            UrlError::Unsupported(scheme) => {
                write!(f, "{scheme}:// is not supported: only http:// (no TLS)")
            }
            UrlError::NoHost => write!(f, "no host after http://"),
            UrlError::UserInfo => write!(f, "a user name before the host is not accepted"),
            UrlError::BadPort(port) => write!(f, "{port:?} is not a port number"),
        }
    }
}

impl std::error::Error for UrlError {}

// ANCHOR: response
/// One HTTP response as it came off the wire, its body decoded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Response {
    /// The status line without its line ending, such as `HTTP/1.1 200 OK`.
    pub status_line: String,
    /// The status code from the status line, such as 200.
    pub status: u16,
    /// The header fields in the order they came: each name as the server wrote it, each
    /// value without the spaces around it.
    pub headers: Vec<(String, String)>,
    /// The body, with any chunked transfer coding removed.
    pub body: Vec<u8>,
    /// Trailer fields, sent after the last chunk of a chunked body.
    pub trailers: Vec<(String, String)>,
}
// ANCHOR_END: response

// ANCHOR: parse_url
/// Takes `url` apart: `http://host[:port][/path][?query][#fragment]`. The scheme is
/// matched in any case (`HTTP://` is `http://`).
pub fn parse_url(url: &str) -> Result<Url, UrlError> {
    // TODO: take the URL apart with `str::split_once` and `str::find`; "The URL" in the
    // chapter says what to refuse.
    todo!("take the URL apart")
}
// ANCHOR_END: parse_url

// ANCHOR: request_head
/// The request to send for `url`: a `GET` request line, `Host` (with the port unless it
/// is 80), `Connection: close`, and the empty line that ends the head, each line ending
/// in CRLF.
pub fn request_head(url: &Url) -> String {
    // TODO: `format!` the head described under "The request".
    todo!("write the request head")
}
// ANCHOR_END: request_head

// ANCHOR: read_response
/// Reads one response from `reader`: the status line, the header fields up to the empty
/// line, then the body, framed as the headers say. A response that breaks the syntax is
/// an `io::ErrorKind::InvalidData` error: a status line that is not `HTTP/1.x` and a
/// three-digit code, a field line without a name or with a space before its `:`, a
/// Content-Length that is not digits or two that differ (`5, 5` is 5), a chunk size
/// that is not hexadecimal digits, a chunk longer than its size. A response cut short
/// by the connection closing, in the head or in the body, is an
/// `io::ErrorKind::UnexpectedEof` error.
pub fn read_response(reader: &mut impl BufRead) -> io::Result<Response> {
    // TODO: read the head with `read_until`, then the body as "Where the body ends" in the
    // chapter says (`Read::take`, `u64::from_str_radix`, `read_to_end`).
    todo!("read a response")
}
// ANCHOR_END: read_response

// ANCHOR: get
/// Fetches `url`: connects to its host and port, sends [`request_head`], and reads the
/// response with [`read_response`].
pub fn get(url: &Url) -> io::Result<Response> {
    // TODO: connect with `TcpStream::connect`, send the head, read through a `BufReader`.
    todo!("fetch the URL")
}

/// Prints `response` as `http-get` shows it: the status line, one `name: value` line
/// per header field, an empty line, then the body's bytes as they are. Lines end in
/// `\n`; trailer fields are not printed.
pub fn write_response(response: &Response, out: &mut impl Write) -> io::Result<()> {
    // TODO: `writeln!` the head, `write_all` the body (it may not be text); flush.
    todo!("print the response")
}
// ANCHOR_END: get
