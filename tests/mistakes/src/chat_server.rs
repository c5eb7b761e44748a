//! Mistakes in the chat server that holds up.
//!
//! The first three mistakes are one and the same program: the model answer of the plain
//! `tcp_server` exercise, used as is (`read_line` with no limit, no timeout, no error
//! lines). Each names a different check it fails, which is the point of this exercise.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use crate::{Mistake, making};
use solutions::chat_server as model;
pub use solutions::chat_server::{IDLE_TIMEOUT, Line, MAX_LINE, NOT_UTF8, TIMED_OUT, TOO_LONG};

/// Each mistake made here, the checks that must catch it, and words their message must contain.
pub const MISTAKES: &[Mistake] = &[
    (
        "chat_server_naive_huge_line",
        &[
            "chat_server::stops_reading_a_huge_line_at_the_limit",
            "chat_server::answers_a_line_too_long_with_an_error_and_closes",
            "chat_server::survives_a_huge_line",
        ],
        "before checking its length",
    ),
    (
        "chat_server_naive_bad_utf8",
        &[
            "chat_server::reads_a_line_of_at_most_max_bytes",
            "chat_server::answers_bad_utf8_with_an_error_and_closes",
        ],
        "read bytes with `read_until`",
    ),
    (
        "chat_server_naive_silence",
        &["chat_server::drops_a_silent_client_after_the_timeout"],
        "no `set_read_timeout(Some(idle))`",
    ),
    (
        "chat_server_checks_length_after_reading",
        &[
            "chat_server::stops_reading_a_huge_line_at_the_limit",
            "chat_server::answers_a_line_too_long_with_an_error_and_closes",
        ],
        "MAX_LINE",
    ),
    (
        "chat_server_limit_off_by_one",
        &["chat_server::reads_a_line_of_at_most_max_bytes"],
        "off by one",
    ),
    (
        "chat_server_ignores_idle",
        &["chat_server::drops_a_silent_client_after_the_timeout"],
        "other than the `idle` given",
    ),
    ("chat_server_pool_of_four", &["chat_server::serves_three_hundred_clients_at_once"], "a pool"),
    (
        "chat_server_one_client_at_a_time",
        &[
            "chat_server::serves_three_hundred_clients_at_once",
            "chat_server::answers_others_while_a_client_is_silent",
        ],
        "one client at a time",
    ),
    (
        "chat_server_unwraps_utf8",
        &["chat_server::answers_bad_utf8_with_an_error_and_closes"],
        "unwrap",
    ),
    (
        "chat_server_closes_without_a_word",
        &["chat_server::answers_a_line_too_long_with_an_error_and_closes"],
        "closing without a word",
    ),
    (
        "chat_server_drops_with_ok",
        &[
            "chat_server::answers_a_line_too_long_with_an_error_and_closes",
            "chat_server::answers_bad_utf8_with_an_error_and_closes",
        ],
        "return the error too",
    ),
    (
        "chat_server_no_write_timeout",
        &["chat_server::drops_a_client_who_stops_reading"],
        "no `set_write_timeout(Some(idle))`",
    ),
    (
        "chat_server_goes_on_after_too_long",
        &["chat_server::answers_a_line_too_long_with_an_error_and_closes"],
        "going on after the error line",
    ),
    (
        "chat_server_error_line_without_newline",
        &[
            "chat_server::answers_a_line_too_long_with_an_error_and_closes",
            "chat_server::answers_bad_utf8_with_an_error_and_closes",
            "chat_server::drops_a_silent_client_after_the_timeout",
            "chat_server::drops_a_slowloris_client_at_the_line_deadline",
            "chat_server::survives_a_huge_line",
        ],
        "lacks its `\\n`",
    ),
    (
        "chat_server_timeout_kind_timedout_only",
        &["chat_server::drops_a_silent_client_after_the_timeout"],
        "`WouldBlock` on Linux",
    ),
    (
        "chat_server_lossy_utf8",
        &[
            "chat_server::reads_a_line_of_at_most_max_bytes",
            "chat_server::answers_bad_utf8_with_an_error_and_closes",
        ],
        "`from_utf8_lossy`",
    ),
    (
        "chat_server_panics_in_a_helper_thread",
        &["chat_server::answers_line_by_line"],
        "panicked at",
    ),
    (
        "chat_server_reports_errors_on_stdout",
        &["chat_server::survives_a_reset_mid_line"],
        "errors go to stderr",
    ),
    (
        "chat_server_timeout_per_read",
        &["chat_server::drops_a_slowloris_client_at_the_line_deadline"],
        "a timeout per read only",
    ),
    (
        "chat_server_deadline_per_connection",
        &["chat_server::keeps_a_client_who_asks_in_time"],
        "deadline for the whole connection",
    ),
    (
        "chat_server_reset_taken_for_a_timeout",
        &["chat_server::returns_the_error_of_a_reset"],
        "a reset is no timeout",
    ),
    (
        "chat_server_reset_taken_for_a_close",
        &["chat_server::returns_the_error_of_a_reset"],
        "taking a reset for a polite close",
    ),
    (
        "chat_server_half_line_is_an_error",
        &["chat_server::closes_quietly_when_the_client_leaves_mid_line"],
        "polite close, not an error",
    ),
    ("chat_server_trims_questions", &["chat_server::answers_line_by_line"], "matching loosely"),
    (
        "chat_server_unwraps_in_thread",
        &["chat_server::survives_a_reset_mid_line", "chat_server::survives_a_huge_line"],
        "panicked at",
    ),
    (
        "chat_server_one_client_at_a_time",
        &["chat_server::answers_others_while_a_client_stops_reading"],
        "holds up the others",
    ),
];

/// The plain tcp_server's model answer, used as is.
fn naive() -> bool {
    making("chat_server_naive_huge_line")
        || making("chat_server_naive_bad_utf8")
        || making("chat_server_naive_silence")
}

pub fn reply(question: &str) -> &'static str {
    model::reply(question)
}

pub fn read_line_bounded(reader: &mut impl BufRead, max: usize) -> io::Result<Line> {
    if naive() {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        return Ok(match line.strip_suffix('\n') {
            Some(text) => Line::Text(text.trim_end_matches('\r').to_string()),
            None => Line::End,
        });
    }
    if making("chat_server_checks_length_after_reading") {
        let mut bytes = Vec::new();
        reader.read_until(b'\n', &mut bytes)?;
        if bytes.len() > max {
            return Ok(Line::TooLong);
        }
        if bytes.pop() != Some(b'\n') {
            return Ok(Line::End);
        }
        let text = String::from_utf8(bytes).map_err(|_| io::ErrorKind::InvalidData);
        return Ok(text.map_or(Line::NotUtf8, |t| Line::Text(t.trim_end_matches('\r').into())));
    }
    if making("chat_server_limit_off_by_one") {
        let mut bytes = Vec::new();
        reader.take(max as u64 + 1).read_until(b'\n', &mut bytes)?;
        if bytes.pop() != Some(b'\n') {
            return Ok(if bytes.len() > max { Line::TooLong } else { Line::End });
        }
        let text = String::from_utf8(bytes).map_err(|_| io::ErrorKind::InvalidData);
        return Ok(text.map_or(Line::NotUtf8, |t| Line::Text(t.trim_end_matches('\r').into())));
    }
    if making("chat_server_lossy_utf8") {
        let mut bytes = Vec::new();
        reader.take(max as u64).read_until(b'\n', &mut bytes)?;
        if bytes.pop() != Some(b'\n') {
            return Ok(if bytes.len() + 1 > max { Line::TooLong } else { Line::End });
        }
        let text = String::from_utf8_lossy(&bytes);
        return Ok(Line::Text(text.trim_end_matches('\r').to_string()));
    }
    model::read_line_bounded(reader, max)
}

/// The error line as it is sent, with its `\n` unless the mistake forgets it.
fn error_line(line: &str) -> String {
    if making("chat_server_error_line_without_newline") {
        line.to_string()
    } else {
        format!("{line}\n")
    }
}

pub fn handle_client(stream: TcpStream, idle: Duration) -> io::Result<()> {
    if naive() {
        return solutions::tcp_server::handle_client(stream);
    }
    let idle = if making("chat_server_ignores_idle") { IDLE_TIMEOUT } else { idle };
    if making("chat_server_timeout_per_read") {
        stream.set_read_timeout(Some(idle))?;
    }
    if !making("chat_server_no_write_timeout") {
        stream.set_write_timeout(Some(idle))?;
    }
    let mut writer = stream.try_clone()?;
    let per_read = making("chat_server_timeout_per_read");
    let mut reader = BufReader::new(Deadline { stream, until: Instant::now() + idle, per_read });
    loop {
        if !making("chat_server_deadline_per_connection") {
            reader.get_mut().until = Instant::now() + idle;
        }
        let line = match read_line_bounded(&mut reader, MAX_LINE) {
            Ok(line) => line,
            Err(err)
                if if making("chat_server_timeout_kind_timedout_only") {
                    err.kind() == io::ErrorKind::TimedOut
                } else {
                    matches!(err.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut)
                        || making("chat_server_reset_taken_for_a_timeout")
                } =>
            {
                let _ = writer.write_all(error_line(TIMED_OUT).as_bytes());
                return Err(io::ErrorKind::TimedOut.into());
            }
            Err(_) if making("chat_server_reset_taken_for_a_close") => return Ok(()),
            Err(err) => return Err(err),
        };
        let question = match line {
            Line::Text(question) => question,
            Line::TooLong if making("chat_server_closes_without_a_word") => {
                return Err(io::ErrorKind::InvalidData.into());
            }
            Line::TooLong if making("chat_server_goes_on_after_too_long") => {
                writer.write_all(error_line(TOO_LONG).as_bytes())?;
                let mut rest = Vec::new();
                reader.read_until(b'\n', &mut rest)?;
                continue;
            }
            Line::TooLong => {
                writer.write_all(error_line(TOO_LONG).as_bytes())?;
                if making("chat_server_drops_with_ok") {
                    return Ok(());
                }
                return Err(io::ErrorKind::InvalidData.into());
            }
            Line::NotUtf8 if making("chat_server_unwraps_utf8") => {
                panic!("called `Result::unwrap()` on an `Err` value: FromUtf8Error")
            }
            Line::NotUtf8 => {
                writer.write_all(error_line(NOT_UTF8).as_bytes())?;
                if making("chat_server_drops_with_ok") {
                    return Ok(());
                }
                return Err(io::ErrorKind::InvalidData.into());
            }
            Line::End if making("chat_server_half_line_is_an_error") => {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            Line::End => return Ok(()),
        };
        let question =
            if making("chat_server_trims_questions") { question.trim() } else { &question[..] };
        let answer = if making("chat_server_panics_in_a_helper_thread") {
            // Works out the answer on a thread of its own, which panics on an empty
            // question; the join hides the panic from the caller, not from the grader.
            let asked = question.to_string();
            thread::spawn(move || {
                let _first = asked.chars().next().unwrap();
                reply(&asked)
            })
            .join()
            .unwrap_or("pardon?")
        } else {
            reply(question)
        };
        writer.write_all(format!("{answer}\n").as_bytes())?;
        if answer == "bye" {
            return Ok(());
        }
    }
}

/// The model's reader against a deadline; with `per_read`, the stream's own timeout
/// per read instead.
struct Deadline {
    stream: TcpStream,
    until: Instant,
    per_read: bool,
}

impl Read for Deadline {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.per_read {
            let left = self.until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(io::ErrorKind::TimedOut.into());
            }
            self.stream.set_read_timeout(Some(left))?;
        }
        self.stream.read(buf)
    }
}

pub fn serve(listener: TcpListener, idle: Duration) -> io::Result<()> {
    if naive() {
        return solutions::tcp_server::serve(listener);
    }
    if making("chat_server_pool_of_four") {
        return crate::serve_with_a_pool_of_four(listener, move |stream| {
            drop(handle_client(stream, idle));
        });
    }
    for stream in listener.incoming() {
        let stream = stream?;
        if making("chat_server_one_client_at_a_time") {
            let _ = handle_client(stream, idle);
        } else if making("chat_server_reports_errors_on_stdout") {
            thread::spawn(move || {
                if let Err(err) = handle_client(stream, idle) {
                    println!("client error: {err}");
                }
            });
        } else if making("chat_server_unwraps_in_thread") {
            thread::spawn(move || handle_client(stream, idle).unwrap());
        } else {
            thread::spawn(move || handle_client(stream, idle));
        }
    }
    Ok(())
}
