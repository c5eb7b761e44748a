//! Checks of the HTTP client (`exercises/src/http_client.rs`).

use std::io::BufReader;
use std::net::TcpListener;

use grader::http::{CannedServer, Then, fed_stream, pieces};
use grader::peer::show;
use grader::program::Finished;
use grader::{Check, Failure, Session, WAIT};
use subject::http_client::{Response, Url, UrlError};

pub const CHECKS: &[Check] = grader::checks!("http_client": parses_http_urls, rejects_urls_it_cannot_fetch, writes_a_get_request_with_host_and_connection_close, reads_a_body_by_content_length, matches_header_names_in_any_case, decodes_a_chunked_body, reads_chunk_extensions_and_trailers, reads_a_body_until_the_connection_closes, reads_no_body_after_204_or_304, reports_a_body_cut_short, rejects_a_malformed_response, fetches_a_url_and_prints_the_response, reports_what_it_cannot_fetch);

fn parses_http_urls(session: &Session) -> Result<(), Failure> {
    let cases = [
        ("http://127.0.0.1:8080/index.html", "127.0.0.1", 8080, "/index.html"),
        ("http://example.com", "example.com", 80, "/"),
        ("http://example.com/", "example.com", 80, "/"),
        ("http://localhost:50007/a/b?x=1&y=2", "localhost", 50007, "/a/b?x=1&y=2"),
        ("http://example.com?q=1", "example.com", 80, "/?q=1"),
        ("http://example.com/page#section-2", "example.com", 80, "/page"),
        ("http://[::1]:8080/x", "[::1]", 8080, "/x"),
        ("http://[::1]/", "[::1]", 80, "/"),
        ("HTTP://Example.COM:81/", "Example.COM", 81, "/"),
        ("http://h:65535", "h", 65535, "/"),
    ];
    for (url, host, port, target) in cases {
        let got = session
            .call("http_client::parse_url", WAIT, move || subject::http_client::parse_url(url))?;
        session.note(format!("parse_url({url:?}) = {got:?}"));
        let want = Url { host: host.into(), port, target: target.into() };
        if got.as_ref() == Ok(&want) {
            continue;
        }
        let mistake = if url.starts_with("HTTP") {
            "the scheme is matched in any case: `HTTP://` is `http://` (`eq_ignore_ascii_case`)"
        } else if url.contains('[') {
            "an IPv6 address comes in brackets and holds colons itself: find the port after \
             the `]`, and keep the brackets in `host` so that `host:port` can be connected to"
        } else if url.contains('#') {
            "the fragment (`#...`) is for the browser and never sent: cut it off the target"
        } else if got.as_ref().is_ok_and(|u| u.port != port) && !url.contains(":8") {
            "a URL without a port means port 80 (`DEFAULT_PORT`)"
        } else if got.as_ref().is_ok_and(|u| !u.target.starts_with('/')) {
            "the target always starts with `/`: a URL with no path asks for `/`"
        } else {
            "splitting the URL in the wrong places: the host (and port) run from after `://` \
             to the first `/`, `?` or `#`; the target is the rest, up to any `#`"
        };
        return Err(session.wrong(format!("parse_url({url:?}) to be Ok({want:?})"), mistake));
    }
    Ok(())
}

fn rejects_urls_it_cannot_fetch(session: &Session) -> Result<(), Failure> {
    let unsupported = |s: &str| UrlError::Unsupported(s.to_string());
    let bad_port = |s: &str| UrlError::BadPort(s.to_string());
    let cases = [
        ("https://127.0.0.1/", unsupported("https")),
        ("ftp://example.com/file.txt", unsupported("ftp")),
        ("example.com/index.html", UrlError::NoScheme),
        ("127.0.0.1:8080", UrlError::NoScheme),
        ("http:///index.html", UrlError::NoHost),
        ("http://:8080/", UrlError::NoHost),
        ("http://user@example.com/", UrlError::UserInfo),
        ("http://bank.example@evil.example/", UrlError::UserInfo),
        ("http://example.com:http/", bad_port("http")),
        ("http://example.com:65536/", bad_port("65536")),
        ("http://example.com:+80/", bad_port("+80")),
    ];
    for (url, want) in cases {
        let got = session
            .call("http_client::parse_url", WAIT, move || subject::http_client::parse_url(url))?;
        session.note(format!("parse_url({url:?}) = {got:?}"));
        if got.as_ref().err() == Some(&want) {
            continue;
        }
        let mistake = match &want {
            UrlError::Unsupported(s) if s == "https" => {
                "taking https:// like http://: https needs TLS, which this client does not speak; \
                 any scheme but `http` is `Unsupported`"
            }
            UrlError::Unsupported(_) => "any scheme but `http` is `Unsupported(scheme)`",
            UrlError::NoScheme => "a URL without `://` has no scheme: `NoScheme`",
            UrlError::NoHost => "nothing between `://` and the port or path is `NoHost`",
            UrlError::UserInfo => {
                "`user@` before the host hides the real host from a reader \
                 (`http://bank.example@evil.example/` goes to evil.example): `UserInfo`"
            }
            UrlError::BadPort(_) => {
                "a port must be digits only, at most 65535: parse it as a `u16` after checking \
                 every byte is a digit (`\"+80\".parse::<u16>()` succeeds)"
            }
        };
        return Err(session.wrong(format!("parse_url({url:?}) to be Err({want:?})"), mistake));
    }
    Ok(())
}

/// Judges a request head: `GET <target> HTTP/1.1`, `Host` as given, `Connection: close`,
/// CRLF line ends, the empty line last and nothing after it.
fn judge_request(
    session: &Session,
    head: &str,
    target: &str,
    hosts: &[&str],
) -> Result<(), Failure> {
    let want = format!(
        "a request head `GET {target} HTTP/1.1`, `Host: {}`, `Connection: close`",
        hosts[0]
    );
    if head.replace("\r\n", "").contains('\n') {
        return Err(session.wrong(want, "lines ending in `\\n` alone: HTTP lines end in `\\r\\n`"));
    }
    let Some(head) = head.strip_suffix("\r\n\r\n") else {
        return Err(session.wrong(
            want,
            "the head must end with an empty line, so the request ends in `\\r\\n\\r\\n`: \
             without it the server waits for more header fields",
        ));
    };
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or("");
    if request_line != format!("GET {target} HTTP/1.1") {
        return Err(session.wrong(
            want,
            format!(
                "the request line is {request_line:?}: it is the method, the target \
                     (path and query), and the version, one space between each"
            ),
        ));
    }
    let fields: Vec<(&str, &str)> =
        lines.map(|l| l.split_once(':').map_or((l, ""), |(n, v)| (n, v.trim()))).collect();
    let host: Vec<&str> =
        fields.iter().filter(|(n, _)| n.eq_ignore_ascii_case("host")).map(|(_, v)| *v).collect();
    if host.len() != 1 || !hosts.contains(&host[0]) {
        return Err(session.wrong(
            want,
            format!(
                "Host is {host:?}: exactly one `Host` field, with the port after a `:` \
                     unless it is 80 (RFC 9112, section 3.2)"
            ),
        ));
    }
    let close = fields
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("connection") && v.eq_ignore_ascii_case("close"));
    if !close {
        return Err(session.wrong(
            want,
            "no `Connection: close`: without it the server may keep the connection open for \
             another request",
        ));
    }
    Ok(())
}

fn writes_a_get_request_with_host_and_connection_close(session: &Session) -> Result<(), Failure> {
    let cases = [
        (("127.0.0.1", 8080, "/a/b?c=d"), vec!["127.0.0.1:8080"]),
        // RFC 9110 would allow `example.com:80`; the doc comment promises the port is left
        // out when it is 80, the default (RFC 3986, section 6.2.3).
        (("example.com", 80, "/"), vec!["example.com"]),
        (("[::1]", 50007, "/index.html"), vec!["[::1]:50007"]),
    ];
    for ((host, port, target), hosts) in cases {
        let url = Url { host: host.into(), port, target: target.into() };
        let asked = url.clone();
        let head = session.call("http_client::request_head", WAIT, move || {
            subject::http_client::request_head(&asked)
        })?;
        session.note(format!("request_head({url:?}) = {head:?}"));
        judge_request(session, &head, target, &hosts)?;
    }
    Ok(())
}

/// Reads a canned response with the code under test; `if_stuck` is the likely mistake
/// if it does not return.
fn read_canned(
    session: &Session,
    response: Vec<Vec<u8>>,
    then: Then,
    if_stuck: &str,
) -> Result<std::io::Result<Response>, Failure> {
    let stream = fed_stream(session, "server", response, then)?;
    let got = session.call("http_client::read_response", WAIT, move || {
        subject::http_client::read_response(&mut BufReader::new(stream))
    });
    match got {
        Err(Failure::Wrong { expected, .. }) if expected.contains("to return within") => {
            Err(session.wrong(expected, if_stuck))
        }
        other => other,
    }
}

/// Expects an `Ok` response with this status line, headers and body; words a difference.
fn expect_response(
    session: &Session,
    got: std::io::Result<Response>,
    status_line: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Response, Failure> {
    let want = format!("Ok: {status_line:?} with the body {}", show(body));
    let got = got.map_err(|err| {
        session.note(format!("read_response returned the error: {err}"));
        if err.kind() == std::io::ErrorKind::InvalidData && std::str::from_utf8(body).is_err() {
            return session.wrong(
                &want,
                format!(
                    "it returned the error {err:?} for a body that is not UTF-8: reading the \
                     body as text (`read_to_string`, `read_line`); a body is bytes, any bytes: \
                     read it with `read_to_end` (through `take` for a length)"
                ),
            );
        }
        session.wrong(
            &want,
            format!(
                "it returned the error {err:?}: each line may arrive in pieces (read up to \
                     `\\n`, not one `read`), and the framing rules are in the chapter"
            ),
        )
    })?;
    session.note(format!(
        "read_response = status line {:?}, headers {:?}, body {}, trailers {:?}",
        got.status_line,
        got.headers,
        show(&got.body),
        got.trailers
    ));
    if got.status_line != status_line || got.status != status_line[9..12].parse().unwrap_or(0) {
        return Err(session.wrong(
            want,
            "a status line cut short or a wrong status: taking one `read` for a line (a line \
             may come in pieces, its CR and LF apart); read up to `\\n` and drop the `\\r\\n`",
        ));
    }
    let want_headers: Vec<(String, String)> =
        headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
    if got.headers != want_headers {
        return Err(session.wrong(
            format!("the headers {want_headers:?}"),
            "the header fields in order, each name as the server wrote it (compare names with \
             `eq_ignore_ascii_case` rather than changing them) and each value trimmed",
        ));
    }
    if got.body != body {
        let mistake = if got.body.is_empty() {
            "no body at all: the body follows the empty line that ends the head"
        } else if body.starts_with(&got.body) && body[got.body.len()..].starts_with(b"\r\n") {
            "stopping at a blank line inside the body: only the first empty line ends the head; \
             the body's end is given by the framing (Content-Length, chunks, or the close)"
        } else if body.starts_with(&got.body) {
            "taking one `read` for the whole body: TCP is a byte stream and the body may come in \
             pieces; read until the framing says the body has ended"
        } else {
            "the body holds bytes that are not the body's"
        };
        return Err(session.wrong(want, mistake));
    }
    Ok(got)
}

/// The words for a reader that matches field names case-sensitively.
const NAMES_BY_CASE: &str = "field names matched case-sensitively: the same response read \
    differently with `Content-Length`, `content-length` and `CONTENT-LENGTH`, so a framing field \
    in another spelling is missed and the body read wrongly; names are case-insensitive \
    (RFC 9110, section 5.1): compare them with `eq_ignore_ascii_case`";

/// After a failure, whether the reader finds `Content-Length` in one spelling and not in
/// another; if so, that is the cause, whatever this check is about.
fn names_probed(session: &Session, result: Result<(), Failure>) -> Result<(), Failure> {
    let Err(Failure::Wrong { expected, mistake }) = result else {
        return result;
    };
    let mut bodies = Vec::new();
    for name in ["Content-Length", "content-length", "CONTENT-LENGTH"] {
        // Two bytes past the length, then the close: read by the length, the body is
        // `hello`; with the length missed, it runs to the close.
        let response = pieces(&[&format!("HTTP/1.1 200 OK\r\n{name}: 5\r\n\r\nhelloXX")]);
        match read_canned(session, response, Then::Close, "") {
            Ok(Ok(response)) => bodies.push(response.body),
            _ => break,
        }
    }
    if bodies.len() == 3 && bodies.iter().any(|b| *b != bodies[0]) {
        session.note("a probe: the same response with `Content-Length` spelled three ways");
        return Err(session.wrong(expected, NAMES_BY_CASE));
    }
    Err(Failure::Wrong { expected, mistake })
}

fn reads_a_body_by_content_length(session: &Session) -> Result<(), Failure> {
    names_probed(session, reads_a_body_by_content_length_steps(session))
}

fn reads_a_body_by_content_length_steps(session: &Session) -> Result<(), Failure> {
    let body = "first line\r\n\r\nafter a blank line";
    let response = pieces(&[
        "HTTP/1.1 2",
        "00 OK\r",
        &format!("\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r", body.len()),
        "\nfirst line\r\n\r\n",
        "after a blank line",
    ]);
    let got = read_canned(
        session,
        response,
        Then::StayOpen,
        "reading until the connection closes although Content-Length gave the body's length \
         (the server keeps the connection open): read exactly that many bytes (`Read::take`)",
    )?;
    let length = body.len().to_string();
    expect_response(
        session,
        got,
        "HTTP/1.1 200 OK",
        &[("Content-Type", "text/plain"), ("Content-Length", &length)],
        body.as_bytes(),
    )?;
    let got = read_canned(
        session,
        pieces(&["HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n", "hello"]),
        Then::StayOpen,
        "the body read until the close although `Content-Length: 5, 5` gave its end: a list \
         of equal lengths is that length (RFC 9110, section 8.6)",
    )?;
    expect_response(session, got, "HTTP/1.1 200 OK", &[("Content-Length", "5, 5")], b"hello")
        .map_err(|failure| match failure {
            Failure::Wrong { expected, mistake } if mistake.contains("returned the error") => {
                session.wrong(
                    expected,
                    format!(
                        "{mistake}; `Content-Length: 5, 5` is a list of equal lengths, which is \
                         that length (RFC 9110, section 8.6)"
                    ),
                )
            }
            other => other,
        })
        .map(drop)
}

fn matches_header_names_in_any_case(session: &Session) -> Result<(), Failure> {
    let got = read_canned(
        session,
        pieces(&["HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n", "hello"]),
        Then::StayOpen,
        "the body read until the close although `content-length: 5` gave its end (the server \
         keeps the connection open): Content-Length matched case-sensitively, so \
         `content-length` went unseen (field names are case-insensitive: \
         `eq_ignore_ascii_case`), or Content-Length not used at all",
    )?;
    expect_response(session, got, "HTTP/1.1 200 OK", &[("content-length", "5")], b"hello")?;
    let got = read_canned(
        session,
        pieces(&[
            "HTTP/1.1 200 OK\r\nTRANSFER-ENCODING: Chunked\r\n\r\n",
            "5\r\nhello\r\n0\r\n\r\n",
        ]),
        Then::Close,
        "a chunked body read on after its last chunk",
    )?;
    match &got {
        Ok(r) if r.body.starts_with(b"5\r\n") => Err(session.wrong(
            "the body \"hello\" from `TRANSFER-ENCODING: Chunked`",
            "matching `Transfer-Encoding: chunked` case-sensitively: field names are \
             case-insensitive, and so is the coding's name (`eq_ignore_ascii_case`)",
        )),
        _ => expect_response(
            session,
            got,
            "HTTP/1.1 200 OK",
            &[("TRANSFER-ENCODING", "Chunked")],
            b"hello",
        )
        .map(drop),
    }
}

/// Says why a chunked body came out wrong.
fn chunked_mistake(
    session: &Session,
    got: &std::io::Result<Response>,
    want: &[u8],
) -> Option<Failure> {
    let body = &got.as_ref().ok()?.body;
    let framed = body.windows(5).any(|w| w == b"\r\n0\r\n")
        || body.first().is_some_and(u8::is_ascii_hexdigit)
            && !want.first().is_some_and(u8::is_ascii_hexdigit);
    framed.then(|| {
        session.wrong(
            format!("the body {} with its chunk framing removed", show(want)),
            "ignoring `Transfer-Encoding: chunked`: the body comes as chunks, each a size line \
             in hexadecimal then that many bytes and CRLF, until a chunk of size 0",
        )
    })
}

fn decodes_a_chunked_body(session: &Session) -> Result<(), Failure> {
    names_probed(session, decodes_a_chunked_body_steps(session))
}

fn decodes_a_chunked_body_steps(session: &Session) -> Result<(), Failure> {
    // 26 bytes (0x1a) with a blank line inside, then 10 bytes (0xA) that look like an end.
    let (first, second) = ("line one\r\n\r\nline three!!\r\n", "ends 0\r\n\r\n");
    let response = pieces(&[
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
        "1",
        &format!("a\r\n{}", &first[..10]),
        &format!("{}\r\nA\r", &first[10..]),
        &format!("\n{second}\r\n0\r\n\r\n"),
    ]);
    let got = read_canned(session, response, Then::Close, "a chunked body read wrongly")?;
    let want = format!("{first}{second}");
    if let Err(err) = &got {
        session.note(format!("read_response returned the error: {err}"));
        return Err(session.wrong(
            format!("the body {}", show(want.as_bytes())),
            "the chunk size is hexadecimal, in either case (`1a`, `A`): \
             `u64::from_str_radix(size, 16)`; and a size line may come in pieces",
        ));
    }
    if let Some(failure) = chunked_mistake(session, &got, want.as_bytes()) {
        return Err(failure);
    }
    expect_response(
        session,
        got,
        "HTTP/1.1 200 OK",
        &[("Transfer-Encoding", "chunked")],
        want.as_bytes(),
    )
    .map(drop)
}

fn reads_chunk_extensions_and_trailers(session: &Session) -> Result<(), Failure> {
    names_probed(session, reads_chunk_extensions_and_trailers_steps(session))
}

fn reads_chunk_extensions_and_trailers_steps(session: &Session) -> Result<(), Failure> {
    let response = pieces(&[
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: Expires, X-Checksum\r\n\r\n",
        "5;name=value\r\nhello\r\n",
        "6 ; q=\"x y\"\r\n, dear\r\n",
        "0;last\r\nExpires: never\r\n",
        "X-Checksum: abc\r\n\r\n",
    ]);
    let got = read_canned(
        session,
        response,
        Then::StayOpen,
        "reading on after the trailers' empty line (the server keeps the connection open): \
         the chunk of size 0, then trailer fields up to an empty line, end the body",
    )?;
    if let Some(failure) = chunked_mistake(session, &got, b"hello, dear") {
        return Err(failure);
    }
    if let Err(err) = &got {
        session.note(format!("read_response returned the error: {err}"));
        return Err(session.wrong(
            "the body \"hello, dear\"",
            "a chunk-size line may carry extensions after `;` (and spaces before it): the size \
             is what comes before the `;`, trimmed",
        ));
    }
    let response = expect_response(
        session,
        got,
        "HTTP/1.1 200 OK",
        &[("Transfer-Encoding", "chunked"), ("Trailer", "Expires, X-Checksum")],
        b"hello, dear",
    )?;
    let want =
        vec![("Expires".to_string(), "never".to_string()), ("X-Checksum".into(), "abc".into())];
    if response.trailers != want {
        return Err(session.wrong(
            format!("the trailers {want:?}"),
            "the trailer fields after the chunk of size 0 are read like header fields, up to an \
             empty line, and kept in `trailers`",
        ));
    }
    Ok(())
}

fn reads_a_body_until_the_connection_closes(session: &Session) -> Result<(), Failure> {
    let parts = ["part one\r\n\r\n", "part two, after a blank line\r\n", "\r\n\r\n", "the end"];
    let mut response = pieces(&["HTTP/1.1 200 OK\r", "\nContent-Type: text/plain\r\n\r\n"]);
    response.extend(pieces(&parts));
    let got = read_canned(session, response, Then::Close, "a body read past the close")?;
    expect_response(
        session,
        got,
        "HTTP/1.1 200 OK",
        &[("Content-Type", "text/plain")],
        parts.concat().as_bytes(),
    )?;
    // A body of bytes that are not text: every byte value, and no line ending at the end.
    let bytes: Vec<u8> = (0..=255u8).rev().collect();
    let mut response = pieces(&["HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n"]);
    response.push(bytes.clone());
    let got = read_canned(session, response, Then::Close, "a body read past the close")?;
    expect_response(session, got, "HTTP/1.1 200 OK", &[("Content-Type", "image/png")], &bytes)
        .map(drop)
}

fn reads_no_body_after_204_or_304(session: &Session) -> Result<(), Failure> {
    names_probed(session, reads_no_body_after_204_or_304_steps(session))
}

fn reads_no_body_after_204_or_304_steps(session: &Session) -> Result<(), Failure> {
    for (head, headers) in [
        ("HTTP/1.1 204 No Content\r\nX-Note: nothing\r\n\r\n", ("X-Note", "nothing")),
        ("HTTP/1.1 304 Not Modified\r\nContent-Length: 120\r\n\r\n", ("Content-Length", "120")),
        (
            "HTTP/1.1 204 \r\nX-Note: an empty reason phrase\r\n\r\n",
            ("X-Note", "an empty reason phrase"),
        ),
    ] {
        let got = read_canned(
            session,
            pieces(&[head]),
            Then::StayOpen,
            "waiting for a body after 204 or 304: those never have one, whatever \
             Content-Length says (RFC 9112, section 6.3)",
        )?;
        let status_line = &head[..head.find('\r').unwrap_or(0)];
        expect_response(session, got, status_line, &[headers], b"").map_err(
            |failure| match failure {
                Failure::Wrong { expected, mistake }
                    if status_line.ends_with(' ') && mistake.contains("returned the error") =>
                {
                    session.wrong(
                        expected,
                        "an empty reason phrase refused: after the code and its space the reason \
                         may be empty (RFC 9112, section 4), as in `HTTP/1.1 204 `",
                    )
                }
                other => other,
            },
        )?;
    }
    Ok(())
}

fn reports_a_body_cut_short(session: &Session) -> Result<(), Failure> {
    names_probed(session, reports_a_body_cut_short_steps(session))
}

fn reports_a_body_cut_short_steps(session: &Session) -> Result<(), Failure> {
    for response in [
        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly twenty bytes...",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nshort",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n8\r\nabcd",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
    ] {
        let got =
            read_canned(session, pieces(&[response]), Then::Close, "a body read past the close")?;
        match got {
            Ok(got) => {
                session.note(format!("read_response = Ok, body {}", show(&got.body)));
                return Err(session.wrong(
                    "an error: the connection closed before the body was complete",
                    "taking the end of the connection as the end of a body that said how long \
                     it is: fewer bytes than Content-Length or a chunk says, or no last chunk, \
                     is an error (`io::ErrorKind::UnexpectedEof`)",
                ));
            }
            Err(err) if err.kind() != std::io::ErrorKind::UnexpectedEof => {
                session.note(format!("read_response returned the error {err:?}"));
                return Err(session.wrong(
                    "an `io::ErrorKind::UnexpectedEof` error: the connection closed before the \
                     body was complete",
                    format!(
                        "an error of kind {:?}: a body cut short is UnexpectedEof, as the doc \
                         comment says (InvalidData is for what breaks the syntax); count the \
                         bytes a chunk or Content-Length promised against those that came",
                        err.kind()
                    ),
                ));
            }
            Err(_) => {}
        }
    }
    Ok(())
}

fn rejects_a_malformed_response(session: &Session) -> Result<(), Failure> {
    names_probed(session, rejects_a_malformed_response_steps(session))
}

fn rejects_a_malformed_response_steps(session: &Session) -> Result<(), Failure> {
    for (response, what) in [
        (
            "HTTP/1.1 20\u{e9} OK\r\n\r\n",
            "a status code whose third character, `\u{e9}`, takes two bytes",
        ),
        ("SSH-2.0-OpenSSH_9.6\r\n", "a status line that is not `HTTP/1.x <code> ...`"),
        ("ICY 200 OK\r\nContent-Length: 0\r\n\r\n", "a status line that is not HTTP/1.x"),
        ("HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n", "a status code of four digits"),
        (
            "HTTP/1.1 200 OK\r\n: no name\r\nContent-Length: 0\r\n\r\n",
            "a field line with an empty name",
        ),
        (
            "HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\nhello",
            "a space between a field name and its `:` (RFC 9112, section 5.1)",
        ),
        ("HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\nhello!", "two different Content-Lengths"),
        (
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n+5\r\nhello\r\n0\r\n\r\n",
            "a chunk size with a `+` (which `from_str_radix` takes)",
        ),
        (
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n",
            "a chunk longer than its size says",
        ),
        ("HTTP/1.1 OK\r\n\r\n", "a status line without a three-digit code"),
        ("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "a header line without `:`"),
        (
            "HTTP/1.1 200 OK\r\nContent-Length: five\r\n\r\nhello",
            "a Content-Length that is not a number",
        ),
        (
            "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello",
            "a Content-Length with a `+` (which `str::parse` takes; RFC 9110, section 8.6, \
             allows digits only)",
        ),
        (
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
            "a chunk size that is not hexadecimal",
        ),
    ] {
        let got =
            read_canned(session, pieces(&[response]), Then::Close, "a malformed response read")?;
        match got {
            Ok(got) => {
                session.note(format!("read_response({response:?}) = Ok({got:?})"));
                return Err(session.wrong(
                    format!("an error for {what}"),
                    format!(
                        "accepting {what}, which breaks the syntax: a client that guesses reads \
                         the body wrong; return an `io::ErrorKind::InvalidData` error"
                    ),
                ));
            }
            Err(err) if err.kind() != std::io::ErrorKind::InvalidData => {
                session.note(format!("read_response({response:?}) returned the error {err:?}"));
                return Err(session.wrong(
                    format!("an `io::ErrorKind::InvalidData` error for {what}"),
                    format!(
                        "an error of kind {:?}: what breaks the syntax is InvalidData, as the \
                         doc comment says (UnexpectedEof is for a response cut short)",
                        err.kind()
                    ),
                ));
            }
            Err(_) => {}
        }
    }
    Ok(())
}

fn fetches_a_url_and_prints_the_response(session: &Session) -> Result<(), Failure> {
    names_probed(session, fetches_a_url_and_prints_the_response_steps(session))
}

fn fetches_a_url_and_prints_the_response_steps(session: &Session) -> Result<(), Failure> {
    let response = pieces(&[
        "HTTP/1.1 200 OK\r",
        "\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\n",
        "hello\r\n\r\nbye",
    ]);
    let server = CannedServer::start(session, response, Then::StayOpen)?;
    let url = format!("http://{}/greeting?lang=en", server.addr);
    let finished = session.run_with_args_to_end("http-get", &[&url], "");
    let (seen, request) = server.finish();
    let finished = finished?;
    if !seen.connected {
        return Err(session.wrong(
            format!("a connection to {}", server_addr(&url)),
            "connecting somewhere else: connect to the URL's host and port",
        ));
    }
    let host = server_addr(&url);
    judge_request(session, &request.concat(), "/greeting?lang=en", &[&host])?;
    let want = "HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 12\n\nhello\r\n\r\nbye";
    let got = finished.stdout();
    if got != want {
        let mistake = if got.contains("OK\r\n") {
            "printing the head with its CRLFs: print the status line and each `name: value` \
             line ending in `\\n`"
        } else if got.ends_with('\n') && !want.ends_with('\n') {
            "a newline added after the body: write the body's bytes as they are (`write_all`)"
        } else {
            "the output format: the status line, one `name: value` line per header field, an \
             empty line, then the body's bytes as they are"
        };
        return Err(session.wrong(format!("exactly {want:?} on stdout"), mistake));
    }
    if !finished.output.status.success() {
        return Err(session.wrong("exit code 0", "an error returned after printing the response"));
    }
    Ok(())
}

/// `host:port` of an `http://host:port/...` URL.
fn server_addr(url: &str) -> String {
    url["http://".len()..].split('/').next().unwrap_or("").to_string()
}

fn reports_what_it_cannot_fetch(session: &Session) -> Result<(), Failure> {
    let finished = session.run_with_args_to_end("http-get", &["https://127.0.0.1:9/"], "")?;
    expect_one_clear_error(session, &finished, "the URL is https://")?;
    // The program prints the URL, then the error: look past the URL for the reason.
    let reason = finished.stderr().replacen("https://127.0.0.1:9/", "", 1);
    if !reason.contains("not supported") {
        return Err(session.wrong(
            "an error line that says https:// is not supported (`UrlError::Unsupported`'s words)",
            "an error that does not say why: return `UrlError::Unsupported(\"https\")`, whose \
             `Display` names the scheme, and let the program print it",
        ));
    }
    let addr = {
        let listener =
            TcpListener::bind("127.0.0.1:0").map_err(|err| session.wrong("a free port", err))?;
        listener.local_addr().map_err(|err| session.wrong("a free port", err))?
    };
    session.note(format!("nobody listens at {addr} (the check bound it, then closed it)"));
    let finished = session.run_with_args_to_end("http-get", &[&format!("http://{addr}/")], "")?;
    expect_one_clear_error(session, &finished, "nobody listens")
}

/// Expects a non-zero exit, nothing on stdout, and one line on stderr without a panic.
pub fn expect_one_clear_error(
    session: &Session,
    finished: &Finished,
    when: &str,
) -> Result<(), Failure> {
    let stderr = finished.stderr();
    if stderr.contains("panicked") {
        return Err(session.wrong(
            format!("one clear error line when {when}, not a panic"),
            "an `unwrap()` or `expect()` on the error: return it with `?` and the program \
             prints it",
        ));
    }
    if finished.output.status.success() {
        return Err(session.wrong(
            format!("a non-zero exit code when {when}"),
            "returning `Ok` although the work failed: return the error",
        ));
    }
    if !finished.stdout().is_empty() {
        return Err(
            session.wrong(format!("nothing on stdout when {when}"), "printing a partial result")
        );
    }
    if stderr.lines().count() != 1 {
        return Err(session.wrong(
            format!("exactly one error line on stderr when {when}"),
            "several messages for one error",
        ));
    }
    Ok(())
}
