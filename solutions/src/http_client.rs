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
    let (scheme, rest) = url.split_once("://").ok_or(UrlError::NoScheme)?;
    if !scheme.eq_ignore_ascii_case("http") {
        return Err(UrlError::Unsupported(scheme.to_string()));
    }
    // The authority (host and port) runs up to the first `/`, `?` or `#`.
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, rest) = rest.split_at(end);
    if authority.contains('@') {
        return Err(UrlError::UserInfo);
    }
    // An IPv6 address holds colons itself, so it comes in brackets: `[::1]:8080`.
    let (host, port) = match authority.strip_prefix('[') {
        Some(inside) => {
            let close = inside.find(']').ok_or(UrlError::NoHost)?;
            (&authority[..close + 2], &inside[close + 1..])
        }
        None => authority.find(':').map_or((authority, ""), |at| authority.split_at(at)),
    };
    if host.is_empty() || host == "[]" {
        return Err(UrlError::NoHost);
    }
    let port = match port {
        "" | ":" => DEFAULT_PORT,
        _ => {
            let digits = port.strip_prefix(':').unwrap_or(port);
            match digits.parse() {
                Ok(number) if digits.bytes().all(|b| b.is_ascii_digit()) => number,
                _ => return Err(UrlError::BadPort(digits.to_string())),
            }
        }
    };
    // The fragment is for the browser: it is never sent to the server.
    let path_and_query = rest.split('#').next().unwrap_or("");
    let target = if path_and_query.starts_with('/') {
        path_and_query.to_string()
    } else {
        format!("/{path_and_query}")
    };
    Ok(Url { host: host.to_string(), port, target })
}
// ANCHOR_END: parse_url

// ANCHOR: request_head
/// The request to send for `url`: a `GET` request line, `Host` (with the port unless it
/// is 80), `Connection: close`, and the empty line that ends the head, each line ending
/// in CRLF.
pub fn request_head(url: &Url) -> String {
    let host = if url.port == DEFAULT_PORT {
        url.host.clone()
    } else {
        format!("{}:{}", url.host, url.port)
    };
    format!("GET {} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n", url.target)
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
    let status_line = read_line(reader)?.ok_or_else(|| eof("before the status line"))?;
    let status = parse_status_line(&status_line)?;
    let headers = read_fields(reader)?;
    let mut response = Response { status_line, status, headers, ..Response::default() };

    if (100..200).contains(&status) || status == 204 || status == 304 {
        return Ok(response); // these never have a body
    }
    if let Some(codings) = field(&response.headers, "transfer-encoding") {
        // The last coding applied is the last one listed; only `chunked` says where the
        // body ends. Any other coding: the body runs to the end of the connection.
        let last = codings.rsplit(',').next().unwrap_or("").trim();
        if last.eq_ignore_ascii_case("chunked") {
            read_chunked(reader, &mut response)?;
        } else {
            reader.read_to_end(&mut response.body)?;
        }
    } else if let Some(length) = content_length(&response.headers)? {
        reader.take(length).read_to_end(&mut response.body)?;
        if (response.body.len() as u64) < length {
            return Err(eof(&format!(
                "after {} of the {length} body bytes Content-Length announced",
                response.body.len()
            )));
        }
    } else {
        reader.read_to_end(&mut response.body)?;
    }
    Ok(response)
}

/// `HTTP/1.1 200 OK` → 200.
fn parse_status_line(line: &str) -> io::Result<u16> {
    let mut parts = line.splitn(3, ' ');
    let version = parts.next().unwrap_or("");
    let code = parts.next().unwrap_or("");
    if !version.starts_with("HTTP/1.") || code.len() != 3 {
        return Err(invalid(format!("not an HTTP/1.x status line: {line:?}")));
    }
    code.parse()
        .ok()
        .filter(|_| code.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| invalid(format!("no three-digit status code in the status line {line:?}")))
}

/// Reads `name: value` lines up to the empty line that ends them.
fn read_fields(reader: &mut impl BufRead) -> io::Result<Vec<(String, String)>> {
    let mut fields = Vec::new();
    loop {
        let line = read_line(reader)?.ok_or_else(|| eof("in the header fields"))?;
        if line.is_empty() {
            return Ok(fields);
        }
        let (name, value) =
            line.split_once(':').ok_or_else(|| invalid(format!("not a field line: {line:?}")))?;
        if name.is_empty() || name.contains([' ', '\t']) {
            return Err(invalid(format!("not a field name: {name:?}")));
        }
        fields.push((name.to_string(), value.trim_matches([' ', '\t']).to_string()));
    }
}

/// The value of the field called `name`, whatever the case of either. Several fields
/// of one name are joined with commas, which is what they mean (RFC 9110, section 5.3).
fn field(fields: &[(String, String)], name: &str) -> Option<String> {
    let values: Vec<&str> = fields
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// The body length `Content-Length` gives, if any. `5, 5` is 5; two different lengths
/// or one that is not a number are errors: the body's end would be a guess.
fn content_length(fields: &[(String, String)]) -> io::Result<Option<u64>> {
    let Some(values) = field(fields, "content-length") else { return Ok(None) };
    let mut length = None;
    for value in values.split(',').map(str::trim) {
        let number: u64 = value
            .parse()
            .ok()
            .filter(|_| value.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| invalid(format!("Content-Length is not a number: {value:?}")))?;
        if length.is_some_and(|l| l != number) {
            return Err(invalid(format!("two different Content-Lengths: {values}")));
        }
        length = Some(number);
    }
    Ok(length)
}

/// Reads a chunked body: chunks of `size[;extensions] CRLF data CRLF`, the size in
/// hexadecimal, until the chunk of size 0; then trailer fields up to an empty line.
fn read_chunked(reader: &mut impl BufRead, response: &mut Response) -> io::Result<()> {
    let body = &mut response.body;
    loop {
        let line = read_line(reader)?.ok_or_else(|| eof("in a chunk-size line"))?;
        // Extensions after `;` carry nothing this client needs.
        let size = line.split(';').next().unwrap_or("").trim_matches([' ', '\t']);
        let size = u64::from_str_radix(size, 16)
            .ok()
            .filter(|_| !size.is_empty() && size.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| invalid(format!("not a chunk size: {line:?}")))?;
        if size == 0 {
            break;
        }
        let before = body.len() as u64;
        reader.take(size).read_to_end(body)?;
        if body.len() as u64 - before < size {
            return Err(eof("in the middle of a chunk"));
        }
        match read_line(reader)? {
            Some(end) if end.is_empty() => {}
            _ => return Err(invalid("a chunk is longer than its size says".to_string())),
        }
    }
    response.trailers = read_fields(reader)?;
    Ok(())
}

/// One line without its CRLF (a lone LF is accepted too), or `None` at the end of the
/// stream. The bytes are read as they come: a line may arrive in many pieces.
fn read_line(reader: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut bytes = Vec::new();
    reader.read_until(b'\n', &mut bytes)?;
    if bytes.is_empty() {
        return Ok(None);
    }
    if bytes.pop() != Some(b'\n') {
        return Err(eof("in the middle of a line"));
    }
    if bytes.last() == Some(&b'\r') {
        bytes.pop();
    }
    String::from_utf8(bytes).map(Some).map_err(|_| invalid("a line that is not text".into()))
}

fn invalid(why: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, why)
}

fn eof(place: &str) -> io::Error {
    io::Error::new(io::ErrorKind::UnexpectedEof, format!("the connection closed {place}"))
}
// ANCHOR_END: read_response

// ANCHOR: get
/// Fetches `url`: connects to its host and port, sends [`request_head`], and reads the
/// response with [`read_response`].
pub fn get(url: &Url) -> io::Result<Response> {
    let mut stream = TcpStream::connect(format!("{}:{}", url.host, url.port))?;
    stream.write_all(request_head(url).as_bytes())?;
    read_response(&mut BufReader::new(stream))
}

/// Prints `response` as `http-get` shows it: the status line, one `name: value` line
/// per header field, an empty line, then the body's bytes as they are. Lines end in
/// `\n`; trailer fields are not printed.
pub fn write_response(response: &Response, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "{}", response.status_line)?;
    for (name, value) in &response.headers {
        writeln!(out, "{name}: {value}")?;
    }
    writeln!(out)?;
    out.write_all(&response.body)?;
    out.flush()
}
// ANCHOR_END: get
