//! Mistakes in the HTTP client.

use std::io::{self, BufRead, Read, Write};
use std::net::TcpStream;

use crate::{Mistake, making};
use solutions::http_client as model;
pub use solutions::http_client::{DEFAULT_PORT, Response, Url, UrlError};

/// Each mistake made here, the checks that must catch it, and words their message must contain.
pub const MISTAKES: &[Mistake] = &[
    (
        "http_client_content_length_with_plus",
        &["http_client::rejects_a_malformed_response"],
        "Content-Length with a `+`",
    ),
    ("http_client_accepts_https", &["http_client::rejects_urls_it_cannot_fetch"], "TLS"),
    (
        "http_client_host_without_port",
        &[
            "http_client::writes_a_get_request_with_host_and_connection_close",
            "http_client::fetches_a_url_and_prints_the_response",
        ],
        "with the port",
    ),
    (
        "http_client_host_always_with_port",
        &["http_client::writes_a_get_request_with_host_and_connection_close"],
        "unless it is 80",
    ),
    (
        "http_client_forgets_the_empty_line",
        &["http_client::writes_a_get_request_with_host_and_connection_close"],
        "empty line",
    ),
    (
        "http_client_one_read_for_the_head",
        &["http_client::reads_a_body_until_the_connection_closes"],
        "one `read` for a line",
    ),
    (
        "http_client_one_read_for_the_body",
        &[
            "http_client::reads_a_body_by_content_length",
            "http_client::reads_a_body_until_the_connection_closes",
        ],
        "one `read` for the whole body",
    ),
    (
        "http_client_ignores_content_length",
        &["http_client::reads_a_body_by_content_length"],
        "reading until the connection closes",
    ),
    (
        "http_client_case_sensitive_names",
        &[
            "http_client::matches_header_names_in_any_case",
            "http_client::reads_a_body_by_content_length",
            "http_client::reports_a_body_cut_short",
            "http_client::rejects_a_malformed_response",
        ],
        "case-sensitively",
    ),
    (
        "http_client_ignores_chunked",
        &["http_client::decodes_a_chunked_body"],
        "ignoring `Transfer-Encoding: chunked`",
    ),
    ("http_client_decimal_chunk_sizes", &["http_client::decodes_a_chunked_body"], "hexadecimal"),
    (
        "http_client_skips_trailers",
        &["http_client::reads_chunk_extensions_and_trailers"],
        "trailer",
    ),
    (
        "http_client_stops_at_a_blank_line",
        &["http_client::reads_a_body_until_the_connection_closes"],
        "blank line inside the body",
    ),
    (
        "http_client_accepts_a_short_body",
        &["http_client::reports_a_body_cut_short"],
        "UnexpectedEof",
    ),
    (
        "http_client_waits_after_204",
        &["http_client::reads_no_body_after_204_or_304"],
        "never have one",
    ),
    ("http_client_prints_crlf", &["http_client::fetches_a_url_and_prints_the_response"], "CRLF"),
    ("http_client_unwraps", &["http_client::reports_what_it_cannot_fetch"], "unwrap"),
    (
        "http_client_https_as_no_host",
        &["http_client::reports_what_it_cannot_fetch", "http_client::rejects_urls_it_cannot_fetch"],
        "Unsupported",
    ),
    (
        "http_client_demands_a_reason",
        &["http_client::reads_no_body_after_204_or_304"],
        "may be empty",
    ),
    (
        "http_client_cut_body_as_invalid_data",
        &["http_client::reports_a_body_cut_short"],
        "a body cut short is UnexpectedEof",
    ),
    (
        "http_client_syntax_error_as_other",
        &["http_client::rejects_a_malformed_response"],
        "what breaks the syntax is InvalidData",
    ),
    (
        "http_client_length_list_unparsed",
        &["http_client::reads_a_body_by_content_length"],
        "list of equal lengths",
    ),
    ("http_client_keeps_the_fragment", &["http_client::parses_http_urls"], "fragment"),
    (
        "http_client_status_code_sliced",
        &["http_client::rejects_a_malformed_response"],
        "not to panic",
    ),
    (
        "http_client_status_code_unchecked",
        &["http_client::rejects_a_malformed_response"],
        "which breaks the syntax",
    ),
    (
        "http_client_body_read_as_text",
        &["http_client::reads_a_body_until_the_connection_closes"],
        "a body is bytes",
    ),
];

pub fn parse_url(url: &str) -> Result<Url, UrlError> {
    if making("http_client_accepts_https") {
        if let Some(rest) = url.strip_prefix("https://") {
            return model::parse_url(&format!("http://{rest}"));
        }
    }
    if making("http_client_unwraps") {
        return Ok(model::parse_url(url).unwrap());
    }
    if making("http_client_https_as_no_host") && url.starts_with("https://") {
        return Err(UrlError::NoHost);
    }
    let mut parsed = model::parse_url(url)?;
    if making("http_client_keeps_the_fragment") {
        if let Some((_, fragment)) = url.split_once('#') {
            parsed.target = format!("{}#{fragment}", parsed.target);
        }
    }
    Ok(parsed)
}

pub fn request_head(url: &Url) -> String {
    if making("http_client_host_without_port") {
        return format!(
            "GET {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            url.target, url.host
        );
    }
    if making("http_client_host_always_with_port") {
        return format!(
            "GET {} HTTP/1.1\r\nHost: {}:{}\r\nConnection: close\r\n\r\n",
            url.target, url.host, url.port
        );
    }
    if making("http_client_forgets_the_empty_line") {
        return format!(
            "GET {} HTTP/1.1\r\nHost: {}:{}\r\nConnection: close\r\n",
            url.target, url.host, url.port
        );
    }
    model::request_head(url)
}

/// A reader of responses that makes the mistakes; the model's own otherwise.
pub fn read_response(reader: &mut impl BufRead) -> io::Result<Response> {
    let mistakes = [
        "http_client_one_read_for_the_head",
        "http_client_one_read_for_the_body",
        "http_client_ignores_content_length",
        "http_client_case_sensitive_names",
        "http_client_ignores_chunked",
        "http_client_decimal_chunk_sizes",
        "http_client_skips_trailers",
        "http_client_stops_at_a_blank_line",
        "http_client_accepts_a_short_body",
        "http_client_waits_after_204",
        "http_client_status_code_sliced",
        "http_client_status_code_unchecked",
        "http_client_body_read_as_text",
        "http_client_length_list_unparsed",
    ];
    if making("http_client_content_length_with_plus") {
        // `str::parse::<u64>` takes `+5`: the model's parser, told the `+` is not there.
        let mut all = Vec::new();
        reader.read_to_end(&mut all)?;
        let text = String::from_utf8_lossy(&all).replace("Content-Length: +", "Content-Length: ");
        return model::read_response(&mut text.as_bytes());
    }
    if !mistakes.iter().any(|m| making(m)) {
        if making("http_client_demands_a_reason") {
            let response = model::read_response(reader)?;
            if response.status_line.splitn(3, ' ').nth(2).is_none_or(str::is_empty) {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "no reason phrase"));
            }
            return Ok(response);
        }
        return model::read_response(reader).map_err(|err| {
            use io::ErrorKind::{InvalidData, UnexpectedEof};
            match err.kind() {
                UnexpectedEof if making("http_client_cut_body_as_invalid_data") => {
                    io::Error::new(InvalidData, err.to_string())
                }
                InvalidData if making("http_client_syntax_error_as_other") => {
                    io::Error::other(err.to_string())
                }
                _ => err,
            }
        });
    }
    let head = if making("http_client_one_read_for_the_head") {
        let mut buf = [0; 4096];
        let len = reader.read(&mut buf)?;
        String::from_utf8_lossy(&buf[..len]).into_owned()
    } else {
        let mut head = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 || line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        head
    };
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("").to_string();
    let status = if making("http_client_status_code_sliced") {
        status_line[9..12].parse().unwrap_or(0)
    } else {
        status_line.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0)
    };
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.to_string(), v.trim().to_string()))
        .collect();
    let field = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| {
                if making("http_client_case_sensitive_names") {
                    n == name
                } else {
                    n.eq_ignore_ascii_case(name)
                }
            })
            .map(|(_, v)| v.clone())
    };
    let mut response =
        Response { status_line, status, headers: headers.clone(), ..Response::default() };
    if (status == 204 || status == 304) && !making("http_client_waits_after_204") {
        return Ok(response);
    }
    let chunked = field("Transfer-Encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
        && !making("http_client_ignores_chunked");
    let length = field("Content-Length").and_then(|v| v.parse::<u64>().ok());
    if chunked {
        loop {
            let mut line = String::new();
            reader.read_line(&mut line)?;
            let size = line.split(';').next().unwrap_or("").trim();
            let size = if making("http_client_decimal_chunk_sizes") {
                size.parse().map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad size"))?
            } else {
                u64::from_str_radix(size, 16)
                    .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad size"))?
            };
            if size == 0 {
                break;
            }
            reader.take(size).read_to_end(&mut response.body)?;
            reader.read_line(&mut String::new())?;
        }
        if !making("http_client_skips_trailers") {
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line)? == 0 || line == "\r\n" {
                    break;
                }
                if let Some((n, v)) = line.trim_end().split_once(':') {
                    response.trailers.push((n.to_string(), v.trim().to_string()));
                }
            }
        }
    } else if let Some(length) = length.filter(|_| !making("http_client_ignores_content_length")) {
        if making("http_client_one_read_for_the_body") {
            let mut buf = vec![0; length as usize];
            let len = reader.read(&mut buf)?;
            response.body = buf[..len].to_vec();
        } else {
            reader.take(length).read_to_end(&mut response.body)?;
        }
    } else if making("http_client_one_read_for_the_body") {
        let mut buf = [0; 4096];
        let len = reader.read(&mut buf)?;
        response.body = buf[..len].to_vec();
    } else if making("http_client_stops_at_a_blank_line") {
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 || line == "\r\n" {
                break;
            }
            response.body.extend_from_slice(line.as_bytes());
        }
    } else if making("http_client_body_read_as_text") {
        let mut text = String::new();
        reader.read_to_string(&mut text)?;
        response.body = text.into_bytes();
    } else {
        reader.read_to_end(&mut response.body)?;
    }
    Ok(response)
}

pub fn get(url: &Url) -> io::Result<Response> {
    if making("http_client_unwraps") {
        let mut stream = TcpStream::connect(format!("{}:{}", url.host, url.port)).unwrap();
        stream.write_all(request_head(url).as_bytes())?;
        return read_response(&mut io::BufReader::new(stream));
    }
    let mut stream = TcpStream::connect(format!("{}:{}", url.host, url.port))?;
    stream.write_all(request_head(url).as_bytes())?;
    read_response(&mut io::BufReader::new(stream))
}

pub fn write_response(response: &Response, out: &mut impl Write) -> io::Result<()> {
    if making("http_client_prints_crlf") {
        write!(out, "{}\r\n", response.status_line)?;
        for (name, value) in &response.headers {
            write!(out, "{name}: {value}\r\n")?;
        }
        write!(out, "\r\n")?;
        out.write_all(&response.body)?;
        return out.flush();
    }
    model::write_response(response, out)
}
