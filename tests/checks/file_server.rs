//! Checks of the static file server (`exercises/src/file_server.rs`).

use std::io::BufReader;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use grader::http::{Answer, HELLO, RawClient, SECRET, Site, Then, fed_stream, pieces};
use grader::peer::show;
use grader::program::Running;
use grader::{Check, Failure, Session, WAIT};
use subject::file_server::{
    BAD_REQUEST, BadRequest, FORBIDDEN, MAX_HEAD, Request, Response, Status,
};

pub const CHECKS: &[Check] = grader::checks!("file_server": reads_a_request_head, rejects_malformed_request_heads, refuses_a_head_over_the_cap, reports_a_client_that_leaves_mid_head, maps_targets_to_files_under_the_folder, refuses_dot_dot_in_any_spelling, names_content_types, answers_get_with_the_file, answers_404_for_what_is_not_a_file, answers_405_to_other_methods, answers_501_to_unknown_methods, answers_head_without_a_body, writes_a_response_head_then_body, serves_files_over_http, refuses_paths_outside_the_folder, answers_bad_requests_and_keeps_serving, serves_several_clients_at_once, serves_hundreds_of_clients_and_some_that_stop_reading, sets_the_idle_timeout_on_each_connection);

/// Reads a request with the code under test from a client that sends `bytes` in their
/// pieces and then does `then`; `if_stuck` is the likely mistake if it does not return.
fn read_fed(
    session: &Session,
    bytes: Vec<Vec<u8>>,
    then: Then,
    if_stuck: &str,
) -> Result<Result<Request, BadRequest>, Failure> {
    let stream = fed_stream(session, "client", bytes, then)?;
    let got = session.call("file_server::read_request", WAIT, move || {
        subject::file_server::read_request(&mut BufReader::new(stream))
    });
    match got {
        Err(Failure::Wrong { expected, .. }) if expected.contains("to return within") => {
            Err(session.wrong(expected, if_stuck))
        }
        other => other.inspect(|got| session.note(shorten(format!("read_request = {got:?}")))),
    }
}

/// A long note cut to a readable length.
fn shorten(text: String) -> String {
    match text.char_indices().nth(300) {
        Some((at, _)) => format!("{}… ({} characters in all)", &text[..at], text.chars().count()),
        None => text,
    }
}

fn request(method: &str, target: &str, version: &str, headers: &[(&str, &str)]) -> Request {
    Request {
        method: method.into(),
        target: target.into(),
        version: version.into(),
        headers: headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
    }
}

const STUCK_AT_THE_END_OF_THE_HEAD: &str = "reading on after the empty line that ends the head \
    (the client keeps the connection open, waiting for its answer): stop at the first empty line";

fn reads_a_request_head(session: &Session) -> Result<(), Failure> {
    let cases = [
        (
            pieces(&[
                "GET /hel",
                "lo.txt HTTP/1.1\r",
                "\nHost: example.com\r\nAccept:  */* \r\n",
                "\r\n",
            ]),
            request("GET", "/hello.txt", "HTTP/1.1", &[("Host", "example.com"), ("Accept", "*/*")]),
            "a request in pieces, split inside the request line and between CR and LF",
        ),
        (
            pieces(&["GET /a%20b?x=1 HTTP/1.0\nUser-Agent: nc\n\n"]),
            request("GET", "/a%20b?x=1", "HTTP/1.0", &[("User-Agent", "nc")]),
            "an HTTP/1.0 request without Host, its lines ending in a lone LF",
        ),
    ];
    for (bytes, want, what) in cases {
        let got = read_fed(session, bytes, Then::StayOpen, STUCK_AT_THE_END_OF_THE_HEAD)?;
        match got {
            Ok(got) if got == want => {}
            Ok(got) => {
                let mistake = if got.target != want.target && got.target.contains(' ') {
                    "splitting the request line wrongly: it is three parts split by single spaces"
                } else if got.headers != want.headers {
                    "the header fields in order, each name as sent, each value without the spaces \
                     and tabs around it"
                } else {
                    "taking one `read` for the head: it may come in pieces; read lines with \
                     `read_until(b'\\n', ..)` and drop the `\\r\\n` (or a lone `\\n`)"
                };
                return Err(session.wrong(format!("Ok({want:?}) for {what}"), mistake));
            }
            Err(err) => {
                return Err(session.wrong(
                    format!("Ok({want:?}) for {what}"),
                    format!(
                        "it returned {err:?}: a head may come in pieces (take no `read` for a \
                         line), lines may end in a lone LF, and HTTP/1.0 needs no Host"
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn rejects_malformed_request_heads(session: &Session) -> Result<(), Failure> {
    let h = "\r\nHost: x\r\n\r\n";
    let cases = [
        (format!("GET /{h}"), "a request line of two parts"),
        (format!("GET / HTTP/1.1 extra{h}"), "a request line of four parts"),
        (format!("GET  / HTTP/1.1{h}"), "two spaces in the request line"),
        (format!("GET / HTTP/2.0{h}"), "a version other than HTTP/1.0 and HTTP/1.1"),
        (format!("GET / http/1.1{h}"), "the version in lowercase (it is case-sensitive)"),
        (format!("G(T / HTTP/1.1{h}"), "a method with a character no token has"),
        ("GET / HTTP/1.1\r\nHost example.com\r\n\r\n".into(), "a header line without `:`"),
        ("GET / HTTP/1.1\r\nHost : example.com\r\n\r\n".into(), "a space before the `:`"),
        ("GET / HTTP/1.1\r\n: x\r\nHost: x\r\n\r\n".into(), "an empty field name"),
        ("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n".into(), "a folded header line"),
        ("GET / HTTP/1.1\r\n\r\n".into(), "an HTTP/1.1 request without Host"),
        ("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n".into(), "two Host fields"),
    ];
    for (head, what) in cases {
        let got =
            read_fed(session, pieces(&[&head]), Then::StayOpen, STUCK_AT_THE_END_OF_THE_HEAD)?;
        if !matches!(got, Err(BadRequest::Malformed(_))) {
            let mistake = if what.contains("Host") {
                "HTTP/1.1 demands exactly one Host field (RFC 9112, section 3.2); compare field \
                 names in any case"
            } else if what.contains("header") || what.contains("field") || what.contains(':') {
                "a field line is `name: value` with a token for its name: no spaces, not empty \
                 (so `Host :` and folded lines are refused)"
            } else {
                "a lenient request line: exactly three parts split by single spaces, a token for \
                 the method, and `HTTP/1.1` or `HTTP/1.0` exactly"
            };
            return Err(session.wrong(format!("Err(Malformed(..)) for {what}: {head:?}"), mistake));
        }
    }
    let not_text = b"GET /caf\xe9.txt HTTP/1.1\r\nHost: x\r\n\r\n".to_vec();
    let got = read_fed(session, vec![not_text], Then::StayOpen, STUCK_AT_THE_END_OF_THE_HEAD)?;
    if !matches!(got, Err(BadRequest::Malformed(_))) {
        return Err(session.wrong(
            "Err(Malformed(..)) for a request line that is not UTF-8 (a Latin-1 `\u{e9}`)",
            "a line that is not UTF-8 is malformed: `String::from_utf8` returns an error to \
             answer with 400, not to `unwrap()`, and not to be read lossily",
        ));
    }
    Ok(())
}

/// A head of exactly `len` bytes: a request line, Host, and one long filler field.
fn head_of(len: usize) -> String {
    let start = "GET / HTTP/1.1\r\nHost: x\r\nX-Fill: ";
    let end = "\r\n\r\n";
    format!("{start}{}{end}", "a".repeat(len - start.len() - end.len()))
}

fn refuses_a_head_over_the_cap(session: &Session) -> Result<(), Failure> {
    let no_cap = "no cap on the head: the client sent more than MAX_HEAD bytes and the code \
                  went on reading; read through `reader.take(MAX_HEAD as u64)`";
    let got = read_fed(
        session,
        pieces(&[&head_of(MAX_HEAD)]),
        Then::StayOpen,
        STUCK_AT_THE_END_OF_THE_HEAD,
    )?;
    if got.is_err() {
        return Err(session.wrong(
            format!("Ok for a head of exactly MAX_HEAD ({MAX_HEAD}) bytes"),
            "a cap one byte short: MAX_HEAD counts every byte of the head, the final empty \
             line's CRLF included",
        ));
    }
    let many_lines: String = std::iter::once("GET / HTTP/1.1\r\nHost: x\r\n".to_string())
        .chain((0..).map(|i| format!("X-Field-{i}: a short value\r\n")))
        .take(3 * MAX_HEAD / 30)
        .chain(std::iter::once("\r\n".to_string()))
        .collect();
    let long_line = format!("GET /{} HTTP/1.1", "a".repeat(2 * MAX_HEAD));
    let got = read_fed(session, vec![long_line.into_bytes()], Then::StayOpen, no_cap)?;
    match got {
        Err(BadRequest::UriTooLong) => {}
        Err(BadRequest::TooLarge) => {
            return Err(session.wrong(
                "Err(UriTooLong) for a request line twice MAX_HEAD long, still going",
                "TooLarge (431) for a request line over the cap: when the request line alone \
                 fills MAX_HEAD, the target is too long, 414 (RFC 9112, section 3); 431 is for \
                 header fields (RFC 6585, section 5)",
            ));
        }
        _ => {
            return Err(session.wrong(
                "Err(UriTooLong) for a request line twice MAX_HEAD long, still going",
                no_cap,
            ));
        }
    }
    for (head, what) in [
        (many_lines, "a whole head of many short lines, three times MAX_HEAD"),
        (head_of(MAX_HEAD + 1), "a whole head one byte over MAX_HEAD"),
    ] {
        let got = read_fed(session, vec![head.into_bytes()], Then::StayOpen, no_cap)?;
        if !matches!(got, Err(BadRequest::TooLarge)) {
            let mistake = if matches!(got, Err(BadRequest::UriTooLong)) {
                "UriTooLong (414) though the request line ended well within the cap: only a \
                 request line that fills MAX_HEAD is 414; header fields over it are 431"
            } else if what.contains("many") {
                "a cap on each line instead of the whole head: many short lines add up"
            } else {
                "a cap one byte too generous: the head may take at most MAX_HEAD bytes"
            };
            return Err(session.wrong(format!("Err(TooLarge) for {what}"), mistake));
        }
    }
    Ok(())
}

fn reports_a_client_that_leaves_mid_head(session: &Session) -> Result<(), Failure> {
    for (bytes, what) in [
        ("GET /hello.txt HT", "half a request line"),
        ("", "nothing at all"),
        ("GET / HTTP/1.1\r\nHost: x\r\n", "a head without its empty line"),
    ] {
        let got = read_fed(
            session,
            pieces(&[bytes]),
            Then::Close,
            "waiting for more after the client closed",
        )?;
        match got {
            Err(BadRequest::Gone(_)) => {}
            Ok(_) => {
                return Err(session.wrong(
                    format!("Err(Gone(..)) when the client sends {what} and closes"),
                    "taking the end of the stream for the end of the head: only an empty line \
                     ends it; `read_until` returning a line without `\\n` means the client left",
                ));
            }
            Err(_) => {
                return Err(session.wrong(
                    format!("Err(Gone(..)) when the client sends {what} and closes"),
                    "a head cut short by the client closing taken for a bad head: a client that \
                     left gets no answer, so this is `Gone`, not Malformed, UriTooLong or \
                     TooLarge",
                ));
            }
        }
    }
    Ok(())
}

fn local_path(
    session: &Session,
    root: &Path,
    target: &'static str,
) -> Result<Result<PathBuf, Status>, Failure> {
    let root_owned = root.to_path_buf();
    let got = session.call("file_server::local_path", WAIT, move || {
        subject::file_server::local_path(&root_owned, target)
    })?;
    session.note(format!("local_path({root:?}, {target:?}) = {got:?}"));
    Ok(got)
}

fn maps_targets_to_files_under_the_folder(session: &Session) -> Result<(), Failure> {
    let root = Path::new("/srv/www");
    let ok_cases = [
        ("/hello.txt", "hello.txt", ""),
        ("/sub/page.html", "sub/page.html", ""),
        ("/", "", ""),
        ("/with%20space.txt", "with space.txt", "percent-decode the path: `%20` is a space"),
        (
            "/caf%C3%A9.txt",
            "café.txt",
            "percent-decode to bytes, then read them as UTF-8: `%C3%A9` is `é`",
        ),
        (
            "/hello.txt?x=1&up=../../etc",
            "hello.txt",
            "the query (`?...`) names no file: drop it before anything else",
        ),
        ("/./hello.txt", "hello.txt", ""),
        (
            "/a+b.txt",
            "a+b.txt",
            "a `+` in a path is a plus sign: only HTML forms' query strings use `+` for a space",
        ),
        ("/a%2fb", "a/b", "`%2f` decodes to `/`, which separates segments like any other"),
        (
            "//etc/passwd",
            "etc/passwd",
            "an empty segment names nothing: skip it; never let a path \
          that looks absolute replace the root (`Path::join` with an absolute path does)",
        ),
        (
            "/%2Fetc%2Fpasswd",
            "etc/passwd",
            "decoded, this is `//etc/passwd`: join only plain \
          names onto the root, one segment at a time (`Path::join` with an absolute path replaces the root)",
        ),
        (
            "/v1..2.txt",
            "v1..2.txt",
            "refusing any `..` in the path: only a segment that is exactly \
          `..` climbs; `v1..2.txt` is a plain name",
        ),
    ];
    for (target, under, mistake) in ok_cases {
        let want = if under.is_empty() { root.to_path_buf() } else { root.join(under) };
        let got = local_path(session, root, target)?;
        if got.as_ref() != Ok(&want) {
            let mistake = if mistake.is_empty() {
                "join the path's segments onto the root, skipping empty and `.` segments"
            } else {
                mistake
            };
            return Err(
                session.wrong(format!("local_path({root:?}, {target:?}) = Ok({want:?})"), mistake)
            );
        }
    }
    for target in ["/%zz", "/%2", "/abc%", "/%C3", "hello.txt", "http://example.com/hello.txt", "*"]
    {
        let got = local_path(session, root, target)?;
        if got != Err(BAD_REQUEST) {
            return Err(session.wrong(
                format!("local_path({root:?}, {target:?}) = Err(BAD_REQUEST)"),
                "a bad `%` escape (not two hex digits, or bytes that are not UTF-8), or a target \
                 that does not start with `/`, is a bad request",
            ));
        }
    }
    Ok(())
}

fn refuses_dot_dot_in_any_spelling(session: &Session) -> Result<(), Failure> {
    let root = Path::new("/srv/www");
    for target in [
        "/../secret.txt",
        "/sub/../../secret.txt",
        "/..",
        "/sub/..",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/..%2fsecret.txt",
        "/sub%2f..%2f..%2fsecret.txt",
    ] {
        let got = local_path(session, root, target)?;
        if got != Err(FORBIDDEN) {
            let mistake = if target.contains('%') {
                "judging the path before decoding it: `%2e%2e` is `..` and `%2f` is `/` once \
                 decoded; decode first, then split and look for `..`"
            } else {
                "a `..` segment climbs out of the folder: refuse it with FORBIDDEN"
            };
            return Err(session
                .wrong(format!("local_path({root:?}, {target:?}) = Err(FORBIDDEN)"), mistake));
        }
    }
    Ok(())
}

fn names_content_types(session: &Session) -> Result<(), Failure> {
    for (file, want) in [
        ("index.html", "text/html; charset=utf-8"),
        ("notes.TXT", "text/plain; charset=utf-8"),
        ("README.md", "text/markdown; charset=utf-8"),
        ("style.css", "text/css"),
        ("app.js", "text/javascript"),
        ("data.json", "application/json"),
        ("logo.PNG", "image/png"),
        ("photo.jpg", "image/jpeg"),
        ("drawing.svg", "image/svg+xml"),
        ("archive.tar.gz", "application/octet-stream"),
        ("README", "application/octet-stream"),
        ("sub.html/file", "application/octet-stream"),
    ] {
        let got = session.call("file_server::content_type", WAIT, move || {
            subject::file_server::content_type(Path::new(file))
        })?;
        session.note(format!("content_type({file:?}) = {got:?}"));
        if got != want {
            let mistake = if file.chars().any(|c| c.is_ascii_uppercase()) {
                "matching the extension case-sensitively: `PNG` is `png` (`eq_ignore_ascii_case`)"
            } else if file.contains('/') || file.contains(".tar") {
                "looking for the extension with `contains` or in the wrong place: \
                 `Path::extension` gives what follows the file name's last dot"
            } else {
                "look the extension up in CONTENT_TYPES; any other is DEFAULT_CONTENT_TYPE"
            };
            return Err(session.wrong(format!("content_type({file:?}) = {want:?}"), mistake));
        }
    }
    Ok(())
}

/// Calls `answer` for `method target` on the site's folder.
fn answer(session: &Session, site: &Site, method: &str, target: &str) -> Result<Response, Failure> {
    let asked = request(method, target, "HTTP/1.1", &[("Host", "localhost")]);
    let root = site.root.clone();
    let got = session
        .call("file_server::answer", WAIT, move || subject::file_server::answer(&root, &asked))?;
    session.note(format!(
        "answer({method} {target}) = {:?}, headers {:?}, body {}",
        got.status,
        got.headers,
        show(&got.body)
    ));
    Ok(got)
}

fn header<'a>(response: &'a Response, name: &str) -> Option<&'a str> {
    response.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// Expects `response` to have `status`, `Content-Type`, a `Content-Length` of
/// `length`, `Connection: close`, and `body`.
fn expect_answer(
    session: &Session,
    response: &Response,
    asked: &str,
    (status, content_type, length, body): (u16, &str, usize, &[u8]),
) -> Result<(), Failure> {
    let want = format!("{status} for {asked}");
    if response.status.0 != status {
        let mistake = if status == 404 && response.status.0 >= 500 {
            "only `ErrorKind::NotFound` taken for 404: a folder, or a path that goes on through a \
             file (`/hello.txt/more`), names no file either; answer 404 for whatever is not a \
             file (`Path::is_file`)"
        } else {
            "a different status: see the table at the top of the file"
        };
        return Err(session.wrong(want, mistake));
    }
    if header(response, "content-type") != Some(content_type) {
        return Err(session.wrong(
            format!("{want}, with `Content-Type: {content_type}`"),
            "every response names its media type: `content_type` for a file, text/plain for an error",
        ));
    }
    if header(response, "content-length") != Some(&length.to_string()) {
        return Err(session.wrong(
            format!("{want}, with `Content-Length: {length}`"),
            "every response gives its body's length in bytes (the file's, for HEAD too), so the \
             client knows where the body ends",
        ));
    }
    if !header(response, "connection").is_some_and(|v| v.eq_ignore_ascii_case("close")) {
        return Err(session.wrong(
            format!("{want}, with `Connection: close`"),
            "every response says `Connection: close`: one request per connection",
        ));
    }
    if response.body != body {
        let mistake = if asked.starts_with("HEAD") {
            "a body in a response to HEAD: HEAD gets no body, whatever the status"
        } else if status >= 400 {
            "an error's body is its status line as text, newline included, such as \
             `404 Not Found\\n` (`error_response`)"
        } else {
            "the body is the file's bytes, exactly as they are on disk"
        };
        return Err(session.wrong(format!("{want}, with the body {}", show(body)), mistake));
    }
    Ok(())
}

fn answers_get_with_the_file(session: &Session) -> Result<(), Failure> {
    let site = Site::new(session)?;
    let data = Site::data();
    for (target, content_type, body) in [
        ("/hello.txt", "text/plain; charset=utf-8", HELLO),
        ("/data.bin", "application/octet-stream", &data),
        ("/with%20space.txt", "text/plain; charset=utf-8", b"spaced\n"),
        ("/sub/page.html?v=2", "text/html; charset=utf-8", b"<p>a page</p>\n"),
    ] {
        let got = answer(session, &site, "GET", target)?;
        expect_answer(
            session,
            &got,
            &format!("GET {target}"),
            (200, content_type, body.len(), body),
        )?;
    }
    Ok(())
}

fn answers_404_for_what_is_not_a_file(session: &Session) -> Result<(), Failure> {
    let site = Site::new(session)?;
    for target in ["/missing.txt", "/sub", "/sub/", "/hello.txt/more"] {
        let got = answer(session, &site, "GET", target)?;
        let body = b"404 Not Found\n";
        expect_answer(
            session,
            &got,
            &format!("GET {target}"),
            (404, "text/plain; charset=utf-8", body.len(), body),
        )
        .map_err(|failure| match failure {
            Failure::Wrong { expected, .. } if got.status.0 == 200 => session.wrong(
                expected,
                "serving a folder as if it were a file: only a file (`Path::is_file`) is served",
            ),
            other => other,
        })?;
    }
    Ok(())
}

fn answers_405_to_other_methods(session: &Session) -> Result<(), Failure> {
    let site = Site::new(session)?;
    for method in ["POST", "DELETE", "PUT", "OPTIONS"] {
        let got = answer(session, &site, method, "/hello.txt")?;
        let body = b"405 Method Not Allowed\n";
        expect_answer(
            session,
            &got,
            &format!("{method} /hello.txt"),
            (405, "text/plain; charset=utf-8", body.len(), body),
        )
        .map_err(|failure| match failure {
            Failure::Wrong { expected, .. } if got.status.0 == 501 => session.wrong(
                expected,
                "501 for a method the server knows: 501 is for methods it does not recognise; \
                 one of KNOWN_METHODS that is not allowed here gets 405 (RFC 9110, section \
                 15.5.6)",
            ),
            Failure::Wrong { expected, .. } if got.status.0 == 200 => session
                .wrong(expected, "serving a method other than GET and HEAD as if it were GET"),
            other => other,
        })?;
        if header(&got, "allow") != Some("GET, HEAD") {
            return Err(session.wrong(
                format!("`Allow: GET, HEAD` in the 405 to {method}"),
                "a 405 must say which methods are allowed (RFC 9110, section 15.5.6)",
            ));
        }
    }
    Ok(())
}

fn answers_501_to_unknown_methods(session: &Session) -> Result<(), Failure> {
    let site = Site::new(session)?;
    for method in ["get", "Head", "BREW", "PATCH-ME"] {
        let got = answer(session, &site, method, "/hello.txt")?;
        let body = b"501 Not Implemented\n";
        expect_answer(
            session,
            &got,
            &format!("{method} /hello.txt"),
            (501, "text/plain; charset=utf-8", body.len(), body),
        )
        .map_err(|failure| match failure {
            Failure::Wrong { expected, .. } if got.status.0 == 200 => session.wrong(
                expected,
                "matching methods loosely: they are case-sensitive (RFC 9110, section 9.1), so \
                 `get` is not `GET` but a method this server does not know; compare with `==`",
            ),
            Failure::Wrong { expected, .. } if got.status.0 == 405 => session.wrong(
                expected,
                "405 for a method the server does not recognise: 405 is for a known method it \
                 does not allow; one not in KNOWN_METHODS (spelled exactly) gets 501 (RFC 9110, \
                 section 15.6.2)",
            ),
            other => other,
        })?;
    }
    Ok(())
}

fn answers_head_without_a_body(session: &Session) -> Result<(), Failure> {
    let site = Site::new(session)?;
    let got = answer(session, &site, "HEAD", "/hello.txt")?;
    expect_answer(
        session,
        &got,
        "HEAD /hello.txt",
        (200, "text/plain; charset=utf-8", HELLO.len(), b""),
    )
    .map_err(|failure| match failure {
        Failure::Wrong { expected, .. } => session.wrong(
            expected,
            "HEAD gets the same head as GET, Content-Length included, and no body",
        ),
        other => other,
    })?;
    let got = answer(session, &site, "HEAD", "/missing.txt")?;
    let length = b"404 Not Found\n".len();
    expect_answer(
        session,
        &got,
        "HEAD /missing.txt",
        (404, "text/plain; charset=utf-8", length, b""),
    )
    .map_err(|failure| match failure {
        Failure::Wrong { expected, .. } if got.status.0 == 404 => session.wrong(
            expected,
            "a body in an error answered to HEAD: HEAD gets no body whatever the status, with \
             the Content-Length GET would get; drop the body after building the response, \
             for every status",
        ),
        other => other,
    })
}

fn writes_a_response_head_then_body(session: &Session) -> Result<(), Failure> {
    let response = Response {
        status: Status(404, "Not Found"),
        headers: vec![
            ("Content-Type".into(), "text/plain".into()),
            ("Content-Length".into(), "5".into()),
        ],
        body: b"a\r\n\r\n".to_vec(),
    };
    let got = session.call("file_server::write_response", WAIT, move || {
        let mut out = Vec::new();
        subject::file_server::write_response(&mut out, &response).map(|()| out)
    })?;
    let want =
        b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\na\r\n\r\n";
    let got = got.map_err(|err| {
        session.wrong(format!("{:?}", show(want)), format!("it returned the error {err}"))
    })?;
    session.note(format!("write_response wrote {}", show(&got)));
    if got != want {
        let mistake = if got.windows(2).any(|w| w[1] == b'\n' && w[0] != b'\r') {
            "a line ending in `\\n` alone: every line of the head ends in `\\r\\n`"
        } else {
            "the head is the status line `HTTP/1.1 <code> <reason>`, one `name: value` line per \
             field, and an empty line; then the body as it is"
        };
        return Err(session
            .wrong(format!("exactly {}", String::from_utf8_lossy(want).escape_debug()), mistake));
    }
    Ok(())
}

/// Starts the server program on the site's folder, runs `body` against it, and explains
/// a failure by the server's end if it has ended (a `todo!()` is "not done").
fn with_server(
    session: &Session,
    body: impl FnOnce(&mut Running, SocketAddr, &Site) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let site = Site::new(session)?;
    let root = site.root.to_string_lossy().into_owned();
    let mut server = session.start_with("http-serve", &["127.0.0.1:0", &root])?;
    let addr = server.listening(session)?;
    super::expect_bound_as_asked(session, "127.0.0.1:0", addr)?;
    body(&mut server, addr, &site).map_err(|failure| server.explain(session, failure))
}

/// Sends `request` in its pieces as `name`, reads the answer and expects the close.
fn exchange(
    session: &Session,
    addr: SocketAddr,
    name: &str,
    request: &[&str],
) -> Result<Answer, Failure> {
    let mut client = RawClient::connect(session, name, addr)?;
    client.send(&pieces(request));
    let answer = client.answer(session)?;
    client.expect_closed(session)?;
    Ok(answer)
}

fn serves_files_over_http(session: &Session) -> Result<(), Failure> {
    with_server(session, |server, addr, _site| {
        let got = exchange(
            session,
            addr,
            "alice",
            &["GET /hel", "lo.txt HTTP/1.1\r", "\nHost: localhost\r\n\r\n"],
        )?;
        if got.status() != 200 || got.body != HELLO {
            return Err(session.wrong(
                format!("200 and the body {}", show(HELLO)),
                "a request read wrongly when it came in pieces: read whole lines",
            ));
        }
        let data = Site::data();
        let bob = ["GET /data.bin HTTP/1.1\r\nHost: localhost\r\n\r\n"];
        let got = exchange(session, addr, "bob", &bob).map_err(|failure| {
            if !has_ended_soon(server) {
                failure
            } else {
                session.wrong(
                    "the server to keep serving after alice",
                    "the server stopped listening after one connection: keep looping over \
                     `listener.incoming()`",
                )
            }
        })?;
        if got.status() != 200 || got.body != data {
            return Err(session.wrong(
                "200 and the 512 bytes of data.bin",
                "a binary file changed on the way: send the file's bytes as they are (`fs::read`, \
                 `write_all`), never as text",
            ));
        }
        Ok(())
    })
}

/// Whether the program ends within a moment (a reset connection may come just before
/// its end is seen).
fn has_ended_soon(server: &mut Running) -> bool {
    for _ in 0..60 {
        if !server.is_running() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    false
}

/// Percent-encodes every `/` of a path.
fn encode_slashes(path: &Path) -> String {
    path.to_string_lossy().replace('/', "%2F")
}

fn refuses_paths_outside_the_folder(session: &Session) -> Result<(), Failure> {
    with_server(session, |_server, addr, site| {
        let secret = site.base.join("secret.txt");
        let absolute = secret.to_string_lossy().into_owned();
        let attempts = [
            ("/../secret.txt".to_string(), 403),
            ("/%2e%2e/secret.txt".to_string(), 403),
            ("/sub/%2E%2E%2F..%2Fsecret.txt".to_string(), 403),
            (format!("/{absolute}"), 404),
            (format!("/{}", encode_slashes(&secret)), 404),
        ];
        for (i, (target, status)) in attempts.into_iter().enumerate() {
            let got = exchange(
                session,
                addr,
                &format!("mallory{}", i + 1),
                &[&format!("GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n")],
            )?;
            if got.body.windows(SECRET.len()).any(|w| w == SECRET) {
                return Err(session.wrong(
                    format!("never the secret beside the folder, for GET {target}"),
                    if target.contains('%') {
                        "decoding after judging, or joining a decoded absolute path: decode \
                         first, then refuse `..` segments and join only plain names"
                    } else {
                        "joining the target onto the folder as it is: a `..` climbs out, and an \
                         absolute path replaces the folder (`Path::join`)"
                    },
                ));
            }
            if got.status() != status {
                return Err(session.wrong(
                    format!("{status} for GET {target}"),
                    "403 for any `..` segment, 404 for a path that names no file under the folder",
                ));
            }
        }
        Ok(())
    })
}

/// Sends `request` as `name` and reads the answer, naming `if_silent` as the likely
/// mistake if no answer comes in time.
fn exchange_or(
    session: &Session,
    addr: SocketAddr,
    name: &str,
    request: &[u8],
    if_silent: &str,
) -> Result<Answer, Failure> {
    let mut client = RawClient::connect(session, name, addr)?;
    client.send(&[request.to_vec()]);
    let answer = client.answer(session).map_err(|failure| match failure {
        Failure::Wrong { expected, .. } if expected.contains(" within ") => {
            session.wrong(expected, if_silent)
        }
        other => other,
    })?;
    client.expect_closed(session)?;
    Ok(answer)
}

fn answers_bad_requests_and_keeps_serving(session: &Session) -> Result<(), Failure> {
    with_server(session, |server, addr, _site| {
        let over_cap: String = std::iter::once("GET / HTTP/1.1\r\n".to_string())
            .chain((0..).map(|i| format!("X-Field-{i}: a short value\r\n")))
            .take(2 * MAX_HEAD / 30)
            .collect();
        let long_line = format!("GET /{} HTTP/1.1\r\n", "a".repeat(2 * MAX_HEAD));
        let silent_syntax = "no answer to a head that breaks the syntax: answer 400 as soon as \
            the line is read (a request line of three parts, an HTTP/1.1 head with one Host), \
            without waiting for more";
        let no_cap = "no cap on the head: the client sent more than MAX_HEAD bytes and stays \
            connected, and the server goes on reading; read through \
            `reader.take(MAX_HEAD as u64)` and answer as soon as the cap is reached";
        let cases: [(&str, Vec<u8>, u16, &str, &str); 6] = [
            (
                "mallory1",
                b"HELLO\r\n\r\n".to_vec(),
                400,
                silent_syntax,
                "a request line of one part is malformed",
            ),
            (
                "mallory2",
                b"GET / HTTP/1.1\r\n\r\n".to_vec(),
                400,
                silent_syntax,
                "an HTTP/1.1 head without Host is malformed",
            ),
            (
                "mallory3",
                over_cap.into_bytes(),
                431,
                no_cap,
                "header fields past MAX_HEAD get 431 (414 is for a request line that alone fills the cap)",
            ),
            (
                "mallory4",
                long_line.into_bytes(),
                414,
                no_cap,
                "a request line that alone fills MAX_HEAD gets 414 URI Too Long (RFC 9112, section 3), not 431",
            ),
            (
                "trudy",
                b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
                400,
                "no answer to a request line that is not UTF-8",
                "a head that is not text is malformed: 400, never a panic (`String::from_utf8(..)` \
                 returns an error to answer, not to `unwrap()`)",
            ),
            (
                "oscar",
                b"get /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
                501,
                "no answer to a lowercase method",
                "methods are case-sensitive: `get` is a method this server does not know, 501",
            ),
        ];
        for (name, request, status, if_silent, if_other) in cases {
            let got = exchange_or(session, addr, name, &request, if_silent)?;
            if got.status() != status {
                return Err(session.wrong(
                    format!("{status} for {}", grader::peer::show_at_most(&request, 80)),
                    if_other,
                ));
            }
        }
        let mut eve = RawClient::connect(session, "eve", addr)?;
        eve.send(&pieces(&["GET /hello.txt HT"]));
        eve.finish_sending();
        drop(eve);
        session.note("eve: vanished in the middle of the request line");
        let got = exchange(session, addr, "bob", &["GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n"])
            .map_err(|_| {
            session.wrong(
                "an answer to bob after the bad requests",
                "one bad request stops the whole server: in the accept loop, report a \
                     connection's error on stderr and go on; never `unwrap()` it",
            )
        })?;
        if !server.is_running() {
            return Err(session.wrong(
                "the server to keep serving",
                "a bad request ended the whole program: a panic or an error `?`-returned from \
                 the accept loop; report a connection's error on stderr and go on",
            ));
        }
        if got.status() != 200 {
            return Err(session.wrong(
                "200 for bob's good request after the bad ones",
                format!(
                    "{}: the bad requests before it changed how a later, good one is answered \
                     (each connection has its own reader and its own state)",
                    got.status()
                ),
            ));
        }
        Ok(())
    })
}

fn serves_several_clients_at_once(session: &Session) -> Result<(), Failure> {
    with_server(session, |_server, addr, _site| {
        let mut alice = RawClient::connect(session, "alice", addr)?;
        alice.send(&pieces(&["GET /hello.txt HT"]));
        session.note("alice stays connected in the middle of her request line");
        if exchange(session, addr, "bob", &["GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n"]).is_err()
        {
            drop(alice);
            answered_alone(session, addr, "alice has gone")?;
            return Err(session.wrong(
                "an answer to bob while alice is still sending",
                "serving one connection at a time: handle each accepted connection on a \
                 thread of its own",
            ));
        }
        alice.send(&pieces(&["TP/1.1\r\nHost: x\r\n\r\n"]));
        let got = alice.answer(session)?;
        if got.status() != 200 || got.body != HELLO {
            return Err(session.wrong(
                "200 and hello.txt for alice",
                "alice's request, sent in two parts with bob served in between, was read \
                 wrongly: read whole lines from each connection's own reader, never one shared \
                 between connections",
            ));
        }
        Ok(())
    })
}

/// The probe after a client went unanswered while others were connected, run only on a
/// failure: once `gone` (the others have left), a client alone asks for hello.txt. If it
/// is answered, the others held the server up; if not, its own failure names the cause,
/// which has nothing to do with the others.
fn answered_alone(session: &Session, addr: SocketAddr, gone: &str) -> Result<(), Failure> {
    session.note(format!("{gone}; carol asks alone"));
    let got = exchange(session, addr, "carol", &["GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n"])?;
    if got.status() != 200 || got.body != HELLO {
        return Err(session
            .wrong("200 and hello.txt for carol", "see the other checks: a request read wrongly"));
    }
    Ok(())
}

/// How many clients wait at once in `serves_hundreds_of_clients_and_some_that_stop_reading`.
const CROWD: usize = 200;
/// How many of the crowd connect before each check that the server still answers.
const BATCH: usize = 50;

fn serves_hundreds_of_clients_and_some_that_stop_reading(session: &Session) -> Result<(), Failure> {
    with_server(session, |_server, addr, site| {
        // A file larger than loopback's socket buffers: a server writing it to a client
        // that does not read is stuck in `write_all` until that client goes.
        let big = vec![b'b'; 6 << 20];
        std::fs::write(site.root.join("big.bin"), &big)
            .map_err(|err| session.wrong("a large file for the check", err))?;
        let mut crowd = Vec::with_capacity(CROWD + 2);
        for _ in 0..2 {
            let mut slow = std::net::TcpStream::connect_timeout(&addr, WAIT)
                .map_err(|err| session.wrong("a connection to the server", err))?;
            let _ =
                std::io::Write::write_all(&mut slow, b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            crowd.push(slow);
        }
        session.note("two clients ask for big.bin (6 MiB) and never read");
        // In batches, each followed by a request that must be answered: accepting is first
        // come, first served, so that answer shows every earlier connection was accepted,
        // and the kernel's queue of connections waiting for `accept` never overflows.
        for batch in 0..CROWD / BATCH {
            for i in 0..BATCH {
                let stream = std::net::TcpStream::connect_timeout(&addr, WAIT).map_err(|err| {
                    session.note(format!("client {} of the crowd: ✗ {err}", batch * BATCH + i + 1));
                    session.wrong(
                        format!("the server to take {CROWD} connections at once"),
                        "the server stopped accepting while others were connected: accept \
                         every connection at once and hand it to a thread of its own",
                    )
                })?;
                let _ = std::io::Write::write_all(&mut &stream, b"GET /hello.txt HT");
                crowd.push(stream);
            }
            let waiting = (batch + 1) * BATCH;
            session.note(format!("{waiting} clients in all have each sent half a request line"));
            let name = format!("bob{}", batch + 1);
            let asked =
                exchange(session, addr, &name, &["GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n"]);
            let Ok(got) = asked else {
                drop(crowd);
                answered_alone(session, addr, "the crowd has gone")?;
                return Err(session.wrong(
                    format!("an answer to {name} while {waiting} clients wait and 2 do not read"),
                    "a fixed number of threads (a pool of workers, as in the Rust book's last \
                     chapter) that the waiting clients hold: every connection needs its own \
                     thread, since a client may wait, or stop reading, for as long as it likes",
                ));
            };
            if got.status() != 200 || got.body != HELLO {
                return Err(session
                    .wrong(format!("200 and hello.txt for {name}"), "a request read wrongly"));
            }
        }
        drop(crowd);
        Ok(())
    })
}

fn sets_the_idle_timeout_on_each_connection(session: &Session) -> Result<(), Failure> {
    let site = Site::new(session)?;
    let (mut client, theirs) = grader::peer::tcp_pair(session, "client")?;
    // A second handle on the server's end of the connection: a socket's read timeout is
    // the socket's own, so this handle sees what handle_connection sets.
    let probe = theirs.try_clone().map_err(|err| session.wrong("a usable connection", err))?;
    client.send(b"GET /hello.txt HT");
    session.note("the client sends half a request line, then waits");
    let returned_early = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let done = std::sync::Arc::clone(&returned_early);
    let watcher = std::thread::spawn(move || {
        let started = std::time::Instant::now();
        let mut seen = None;
        let returned = || done.load(std::sync::atomic::Ordering::Relaxed);
        while seen.is_none() && started.elapsed() < WAIT && !returned() {
            seen = probe.read_timeout().ok().flatten();
            if seen.is_none() {
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
        }
        // Done looking: the client leaves, so handle_connection sees the end and returns.
        drop(client);
        seen
    });
    let root = site.root.clone();
    let returned = session.call("file_server::handle_connection", WAIT + WAIT, move || {
        subject::file_server::handle_connection(theirs, &root)
    });
    // It may return before the client leaves (a `todo!()`, an error): stop watching then.
    returned_early.store(true, std::sync::atomic::Ordering::Relaxed);
    let seen = watcher.join().unwrap_or_default();
    session.note(format!("the connection's read timeout, as handle_connection set it: {seen:?}"));
    let _ = returned?; // Ok or an error: either way it returned once the client left
    let idle = subject::file_server::IDLE;
    if seen != Some(idle) {
        return Err(session.wrong(
            format!("a read timeout of IDLE ({idle:?}) on the connection"),
            match seen {
                None => "no read timeout: a client that connects and says nothing holds its \
                         thread forever; `set_read_timeout(Some(IDLE))` before reading"
                    .to_string(),
                Some(other) => {
                    format!("a read timeout of {other:?}: the constant IDLE says how long")
                }
            },
        ));
    }
    Ok(())
}
