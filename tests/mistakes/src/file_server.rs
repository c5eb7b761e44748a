//! Mistakes in the static file server.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::thread;

use crate::{Mistake, making};
use solutions::file_server as model;
pub use solutions::file_server::{
    BAD_REQUEST, BadRequest, CONTENT_TYPES, DEFAULT_CONTENT_TYPE, FORBIDDEN, HEAD_TOO_LARGE, IDLE,
    MAX_HEAD, METHOD_NOT_ALLOWED, NOT_FOUND, NOT_IMPLEMENTED, OK, Request, Response, Status,
    URI_TOO_LONG,
};

/// Each mistake made here, the checks that must catch it, and words their message must contain.
pub const MISTAKES: &[Mistake] = &[
    (
        "file_server_waits_for_the_close",
        &["file_server::serves_several_clients_at_once"],
        "waits for more of the request than it needs",
    ),
    (
        "file_server_joins_the_raw_path",
        &[
            "file_server::refuses_dot_dot_in_any_spelling",
            "file_server::refuses_paths_outside_the_folder",
        ],
        "climbs",
    ),
    (
        "file_server_judges_before_decoding",
        &["file_server::refuses_dot_dot_in_any_spelling"],
        "before decoding",
    ),
    (
        "file_server_joins_an_absolute_path",
        &[
            "file_server::maps_targets_to_files_under_the_folder",
            "file_server::refuses_paths_outside_the_folder",
        ],
        "absolute",
    ),
    (
        "file_server_has_no_cap",
        &[
            "file_server::refuses_a_head_over_the_cap",
            "file_server::answers_bad_requests_and_keeps_serving",
        ],
        "no cap",
    ),
    (
        "file_server_431_for_a_long_request_line",
        &[
            "file_server::refuses_a_head_over_the_cap",
            "file_server::answers_bad_requests_and_keeps_serving",
        ],
        "414",
    ),
    (
        "file_server_405_for_every_method",
        &["file_server::answers_501_to_unknown_methods"],
        "does not recognise",
    ),
    (
        "file_server_501_for_every_other_method",
        &["file_server::answers_405_to_other_methods"],
        "KNOWN_METHODS",
    ),
    (
        "file_server_head_error_has_a_body",
        &["file_server::answers_head_without_a_body"],
        "whatever the status",
    ),
    (
        "file_server_500_unless_not_found",
        &["file_server::answers_404_for_what_is_not_a_file"],
        "`ErrorKind::NotFound`",
    ),
    (
        "file_server_pool_of_four_threads",
        &["file_server::serves_hundreds_of_clients_and_some_that_stop_reading"],
        "a fixed number of threads",
    ),
    (
        "file_server_demands_host_in_http_1_0",
        &["file_server::reads_a_request_head"],
        "HTTP/1.0 needs no Host",
    ),
    (
        "file_server_cut_head_is_malformed",
        &["file_server::reports_a_client_that_leaves_mid_head"],
        "`Gone`",
    ),
    (
        "file_server_plus_as_space",
        &["file_server::maps_targets_to_files_under_the_folder"],
        "plus sign",
    ),
    (
        "file_server_no_idle_timeout",
        &["file_server::sets_the_idle_timeout_on_each_connection"],
        "no read timeout",
    ),
    (
        "file_server_extension_case_sensitive",
        &["file_server::names_content_types"],
        "case-sensitively",
    ),
    ("file_server_caps_each_line", &["file_server::refuses_a_head_over_the_cap"], "each line"),
    (
        "file_server_matches_methods_in_any_case",
        &["file_server::answers_501_to_unknown_methods"],
        "case-sensitive",
    ),
    (
        "file_server_forgets_content_length",
        &["file_server::answers_get_with_the_file", "file_server::serves_files_over_http"],
        "Content-Length",
    ),
    ("file_server_lenient_field_names", &["file_server::rejects_malformed_request_heads"], "token"),
    ("file_server_forgets_host", &["file_server::rejects_malformed_request_heads"], "Host"),
    (
        "file_server_one_connection_at_a_time",
        &["file_server::serves_several_clients_at_once"],
        "one connection at a time",
    ),
    (
        "file_server_serves_one_connection_only",
        &["file_server::serves_files_over_http"],
        "stopped listening",
    ),
    (
        "file_server_unwraps_utf8",
        &[
            "file_server::answers_bad_requests_and_keeps_serving",
            "file_server::rejects_malformed_request_heads",
        ],
        "panic",
    ),
    (
        "file_server_reads_lossily",
        &["file_server::rejects_malformed_request_heads"],
        "not to be read lossily",
    ),
    ("file_server_lf_line_ends", &["file_server::writes_a_response_head_then_body"], "`\\n` alone"),
    ("file_server_head_sends_the_body", &["file_server::answers_head_without_a_body"], "HEAD"),
];

pub fn read_request(reader: &mut impl BufRead) -> Result<Request, BadRequest> {
    let mistakes = [
        "file_server_has_no_cap",
        "file_server_caps_each_line",
        "file_server_lenient_field_names",
        "file_server_forgets_host",
        "file_server_unwraps_utf8",
        "file_server_reads_lossily",
        "file_server_431_for_a_long_request_line",
        "file_server_demands_host_in_http_1_0",
        "file_server_cut_head_is_malformed",
    ];
    if !mistakes.iter().any(|m| making(m)) {
        return model::read_request(reader);
    }
    let mut total = 0;
    let mut line = |reader: &mut dyn BufRead| -> Result<String, BadRequest> {
        let mut bytes = Vec::new();
        if making("file_server_caps_each_line") {
            reader.take(MAX_HEAD as u64).read_until(b'\n', &mut bytes)
        } else if making("file_server_has_no_cap") {
            reader.read_until(b'\n', &mut bytes)
        } else {
            reader.take((MAX_HEAD - total) as u64).read_until(b'\n', &mut bytes)
        }
        .map_err(BadRequest::Gone)?;
        let first = total == 0;
        total += bytes.len();
        if bytes.pop() != Some(b'\n') {
            return Err(if bytes.len() >= MAX_HEAD || total >= MAX_HEAD {
                if first && !making("file_server_431_for_a_long_request_line") {
                    BadRequest::UriTooLong
                } else {
                    BadRequest::TooLarge
                }
            } else if making("file_server_cut_head_is_malformed") {
                BadRequest::Malformed("the head was cut short".into())
            } else {
                BadRequest::Gone(io::ErrorKind::UnexpectedEof.into())
            });
        }
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        if making("file_server_unwraps_utf8") {
            return Ok(String::from_utf8(bytes).unwrap());
        }
        if making("file_server_reads_lossily") {
            return Ok(String::from_utf8_lossy(&bytes).into_owned());
        }
        String::from_utf8(bytes).map_err(|_| BadRequest::Malformed("not text".into()))
    };
    let request_line = line(reader)?;
    let parts: Vec<&str> = request_line.split(' ').collect();
    let [method, target, version] = parts[..] else {
        return Err(BadRequest::Malformed(request_line));
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(BadRequest::Malformed(request_line));
    }
    if version != "HTTP/1.1" && version != "HTTP/1.0" || target.is_empty() {
        return Err(BadRequest::Malformed(request_line));
    }
    let mut headers = Vec::new();
    loop {
        let field = line(reader)?;
        if field.is_empty() {
            break;
        }
        let Some((name, value)) = field.split_once(':') else {
            return Err(BadRequest::Malformed(field));
        };
        let name = if making("file_server_lenient_field_names") { name.trim() } else { name };
        if name.is_empty() || name.contains([' ', '\t']) {
            return Err(BadRequest::Malformed(field));
        }
        headers.push((name.to_string(), value.trim().to_string()));
    }
    let hosts = headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case("host")).count();
    let host_needed = version == "HTTP/1.1" || making("file_server_demands_host_in_http_1_0");
    if !making("file_server_forgets_host") && (hosts > 1 || hosts == 0 && host_needed) {
        return Err(BadRequest::Malformed("Host".into()));
    }
    Ok(Request { method: method.into(), target: target.into(), version: version.into(), headers })
}

/// `%XX` decoding, as the model does it.
fn decode(text: &str) -> Option<String> {
    let mut bytes = Vec::new();
    let mut rest = text.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        if first == b'%' {
            let hex = std::str::from_utf8(tail.get(..2)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            rest = &tail[2..];
        } else {
            bytes.push(first);
            rest = tail;
        }
    }
    String::from_utf8(bytes).ok()
}

pub fn local_path(root: &Path, target: &str) -> Result<PathBuf, Status> {
    let path = target.split('?').next().unwrap_or("");
    if making("file_server_joins_the_raw_path") {
        let decoded = decode(path).ok_or(BAD_REQUEST)?;
        return Ok(root.join(decoded.trim_start_matches('/')));
    }
    if making("file_server_judges_before_decoding") {
        if !path.starts_with('/') {
            return Err(BAD_REQUEST);
        }
        if path.split('/').any(|s| s == "..") {
            return Err(FORBIDDEN);
        }
        let decoded = decode(path).ok_or(BAD_REQUEST)?;
        return Ok(root.join(decoded.trim_start_matches('/')));
    }
    if making("file_server_joins_an_absolute_path") {
        if !path.starts_with('/') {
            return Err(BAD_REQUEST);
        }
        let decoded = decode(path).ok_or(BAD_REQUEST)?;
        if decoded.split('/').any(|s| s == "..") {
            return Err(FORBIDDEN);
        }
        return Ok(root.join(&decoded[1..]));
    }
    if making("file_server_plus_as_space") {
        return model::local_path(root, &target.replace('+', "%20"));
    }
    model::local_path(root, target)
}

pub fn content_type(path: &Path) -> &'static str {
    if making("file_server_extension_case_sensitive") {
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        return CONTENT_TYPES
            .iter()
            .find(|(known, _)| *known == extension)
            .map_or(DEFAULT_CONTENT_TYPE, |(_, media_type)| media_type);
    }
    model::content_type(path)
}

pub fn answer(root: &Path, request: &Request) -> Response {
    let method = request.method.as_str();
    let refused = making("file_server_405_for_every_method")
        || making("file_server_501_for_every_other_method");
    if refused && method != "GET" && method != "HEAD" {
        let status = if making("file_server_405_for_every_method") {
            METHOD_NOT_ALLOWED
        } else {
            NOT_IMPLEMENTED
        };
        let mut response = error_response(status);
        response.headers.push(("Allow".into(), "GET, HEAD".into()));
        return response;
    }
    if making("file_server_matches_methods_in_any_case")
        && (request.method.eq_ignore_ascii_case("get")
            || request.method.eq_ignore_ascii_case("head"))
    {
        let upper = Request { method: request.method.to_ascii_uppercase(), ..request.clone() };
        return model::answer(root, &upper);
    }
    let mut response = match local_path(root, &request.target) {
        Ok(path) if making("file_server_500_unless_not_found") => match std::fs::read(&path) {
            Err(err) if err.kind() != io::ErrorKind::NotFound => {
                error_response(Status(500, "Internal Server Error"))
            }
            _ => model::answer(root, request),
        },
        Ok(path) if request.method == "GET" || request.method == "HEAD" => {
            match std::fs::read(&path) {
                Ok(body) if path.is_file() => Response {
                    status: OK,
                    headers: vec![
                        ("Content-Type".into(), content_type(&path).into()),
                        ("Content-Length".into(), body.len().to_string()),
                        ("Connection".into(), "close".into()),
                    ],
                    body,
                },
                _ => error_response(NOT_FOUND),
            }
        }
        Ok(_) => model::answer(root, request),
        Err(status) => error_response(status),
    };
    if making("file_server_forgets_content_length") {
        response.headers.retain(|(n, _)| n != "Content-Length");
    }
    let head_body_kept = making("file_server_head_sends_the_body")
        || making("file_server_head_error_has_a_body") && response.status != OK;
    if request.method == "HEAD" && !head_body_kept {
        response.body.clear();
    }
    response
}

pub fn error_response(status: Status) -> Response {
    model::error_response(status)
}

pub fn write_response(out: &mut impl Write, response: &Response) -> io::Result<()> {
    if making("file_server_lf_line_ends") {
        let Status(code, reason) = response.status;
        writeln!(out, "HTTP/1.1 {code} {reason}")?;
        for (name, value) in &response.headers {
            writeln!(out, "{name}: {value}")?;
        }
        writeln!(out)?;
        out.write_all(&response.body)?;
        return out.flush();
    }
    model::write_response(out, response)
}

pub fn bind(addr: &str) -> io::Result<TcpListener> {
    model::bind(addr)
}

pub fn serve(listener: TcpListener, root: PathBuf) -> io::Result<()> {
    if making("file_server_pool_of_four_threads") {
        return serve_with_a_pool(listener, root, 4);
    }
    for stream in listener.incoming() {
        let stream = stream?;
        if making("file_server_one_connection_at_a_time") {
            handle_connection(stream, &root)?;
            continue;
        }
        let root = root.clone();
        let handle = thread::spawn(move || handle_connection(stream, &root));
        if making("file_server_serves_one_connection_only") {
            let _ = handle.join();
            return Ok(());
        }
    }
    Ok(())
}

pub fn handle_connection(stream: TcpStream, root: &Path) -> io::Result<()> {
    if !making("file_server_no_idle_timeout") {
        stream.set_read_timeout(Some(IDLE))?;
    }
    let mut reader = BufReader::new(stream.try_clone()?);
    let read = if making("file_server_waits_for_the_close") {
        let mut all = Vec::new();
        reader.read_to_end(&mut all)?;
        read_request(&mut io::Cursor::new(all))
    } else {
        read_request(&mut reader)
    };
    let response = match read {
        Ok(request) => answer(root, &request),
        Err(BadRequest::Malformed(_)) => error_response(BAD_REQUEST),
        Err(BadRequest::UriTooLong) => error_response(URI_TOO_LONG),
        Err(BadRequest::TooLarge) => error_response(HEAD_TOO_LARGE),
        Err(BadRequest::Gone(_)) => return Ok(()),
    };
    let mut writer = stream;
    write_response(&mut writer, &response)
}

/// The Rust book's thread pool: a fixed number of workers taking connections from a
/// channel. Each waiting client holds a worker, so a few of them stall everybody.
fn serve_with_a_pool(listener: TcpListener, root: PathBuf, workers: usize) -> io::Result<()> {
    let (tx, rx) = std::sync::mpsc::channel::<TcpStream>();
    let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
    for _ in 0..workers {
        let (rx, root) = (std::sync::Arc::clone(&rx), root.clone());
        thread::spawn(move || {
            loop {
                let next = rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                let Ok(stream) = next else { return };
                let _ = handle_connection(stream, &root);
            }
        });
    }
    for stream in listener.incoming() {
        let _ = tx.send(stream?);
    }
    Ok(())
}
