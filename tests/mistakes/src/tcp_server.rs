//! Mistakes in the chat server.

use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

use crate::{Mistake, making};
use solutions::tcp_server as model;

/// Each mistake made here, the checks that must catch it, and words their message must contain.
pub const MISTAKES: &[Mistake] = &[
    ("server_answers_a_half_line", &["tcp_server::ignores_a_half_line_at_the_end"], "without its"),
    ("reply_matches_loosely", &["tcp_server::replies_to_each_question"], "matching loosely"),
    (
        "server_binds_every_interface",
        &[
            "tcp_server::binds_the_address_it_is_given",
            "tcp_server::serves_several_clients_at_once",
        ],
        "fixed address",
    ),
    (
        "server_serves_one_client_only",
        &["tcp_server::keeps_serving_after_a_client_leaves"],
        "only one client",
    ),
    (
        "server_one_client_at_a_time",
        &[
            "tcp_server::serves_several_clients_at_once",
            "tcp_server::answers_others_while_a_client_stops_reading",
        ],
        "one client at a time",
    ),
    (
        "server_stops_on_a_client_error",
        &["tcp_server::survives_rude_clients"],
        "stops the whole server",
    ),
    (
        "server_one_read_per_question",
        &[
            "tcp_server::reads_a_question_split_across_writes",
            "tcp_server::answers_two_questions_sent_together",
        ],
        "one `read` for one question",
    ),
    (
        "server_never_flushes",
        &[
            "tcp_server::answers_line_by_line",
            "tcp_server::serves_several_clients_at_once",
            "tcp_server::serves_three_hundred_clients_at_once",
            "tcp_server::answers_others_while_a_client_stops_reading",
            "tcp_server::keeps_serving_after_a_client_leaves",
            "tcp_server::survives_rude_clients",
        ],
        "a `BufWriter` that is flushed only when it is dropped",
    ),
    (
        "server_new_reader_per_question",
        &["tcp_server::answers_two_questions_sent_together"],
        "new `BufReader`",
    ),
    ("server_forgets_the_newline", &["tcp_server::answers_line_by_line"], "lacks its `\\n`"),
    (
        "server_stays_after_bye",
        &["tcp_server::closes_the_connection_after_bye"],
        "connection to be closed",
    ),
    ("server_ignores_the_end", &["tcp_server::returns_when_the_client_leaves"], "returns 0"),
    ("reply_trims", &["tcp_server::replies_to_each_question"], "`trim`"),
    (
        "server_thread_unwraps",
        &[
            "tcp_server::survives_rude_clients",
            "tcp_server::returns_an_error_for_a_line_that_is_not_utf8",
        ],
        "panicked at",
    ),
    (
        "server_reads_lossily",
        &["tcp_server::returns_an_error_for_a_line_that_is_not_utf8"],
        "from_utf8_lossy",
    ),
    (
        "server_takes_bad_utf8_for_the_end",
        &["tcp_server::returns_an_error_for_a_line_that_is_not_utf8"],
        "not a 0",
    ),
    ("server_lowercases_questions", &["tcp_server::answers_line_by_line"], "matching loosely"),
    ("server_trims_questions", &["tcp_server::answers_line_by_line"], "matching loosely"),
    (
        "server_ends_at_an_empty_line",
        &["tcp_server::answers_line_by_line"],
        "taking an empty line for the end",
    ),
    (
        "server_closes_on_bye_unanswered",
        &["tcp_server::closes_the_connection_after_bye"],
        "without answering it",
    ),
    ("server_keeps_the_cr", &["tcp_server::answers_line_by_line"], "`\\r` of a `\\r\\n` line"),
    (
        "server_answers_with_crlf",
        &[
            "tcp_server::answers_line_by_line",
            "tcp_server::reads_a_question_split_across_writes",
            "tcp_server::answers_two_questions_sent_together",
            "tcp_server::serves_several_clients_at_once",
            "tcp_server::survives_rude_clients",
        ],
        "a single `\\n`",
    ),
    (
        "server_reports_errors_on_stdout",
        &["tcp_server::survives_rude_clients"],
        "errors go to stderr",
    ),
    ("server_binds_a_fixed_port", &["tcp_server::binds_the_address_it_is_given"], "fixed port"),
    ("server_pool_of_four", &["tcp_server::serves_three_hundred_clients_at_once"], "a pool"),
];

pub fn reply(question: &str) -> &'static str {
    if making("reply_trims") {
        return model::reply(question.trim());
    }
    if making("reply_matches_loosely") {
        let question = question.to_lowercase();
        return if question.contains("old") {
            "nicai"
        } else if question.contains("how are u") {
            "fine"
        } else if question.starts_with("bye") {
            "bye"
        } else {
            model::DEFAULT_REPLY
        };
    }
    model::reply(question)
}

pub fn bind(addr: &str) -> io::Result<TcpListener> {
    if making("server_binds_every_interface") {
        return TcpListener::bind("0.0.0.0:0");
    }
    if making("server_binds_a_fixed_port") {
        return TcpListener::bind("127.0.0.1:50007");
    }
    model::bind(addr)
}

pub fn serve(listener: TcpListener) -> io::Result<()> {
    if making("server_serves_one_client_only") {
        let (stream, _) = listener.accept()?;
        return handle_client(stream);
    }
    if making("server_pool_of_four") {
        return crate::serve_with_a_pool_of_four(listener, |stream| drop(handle_client(stream)));
    }
    for stream in listener.incoming() {
        if making("server_one_client_at_a_time") {
            let _ = handle_client(stream?);
        } else if making("server_stops_on_a_client_error") {
            handle_client(stream?)?;
        } else if making("server_reports_errors_on_stdout") {
            let stream = stream?;
            thread::spawn(move || {
                if let Err(err) = handle_client(stream) {
                    println!("client error: {err}");
                }
            });
        } else {
            let stream = stream?;
            thread::spawn(move || handle_client(stream));
        }
    }
    Ok(())
}

pub fn handle_client(stream: TcpStream) -> io::Result<()> {
    if making("server_one_read_per_question") {
        return one_read_per_question(stream);
    }
    if making("server_answers_a_half_line") {
        let mut writer = stream.try_clone()?;
        for line in BufReader::new(stream).lines() {
            let answer = reply(line?.trim_end_matches('\r'));
            writer.write_all(format!("{answer}\n").as_bytes())?;
            if answer == "bye" {
                break;
            }
        }
        return Ok(());
    }
    let mut writer: Box<dyn Write> = if making("server_never_flushes") {
        Box::new(BufWriter::new(stream.try_clone()?))
    } else {
        Box::new(stream.try_clone()?)
    };
    let mut reader = BufReader::new(stream.try_clone()?);
    loop {
        if making("server_new_reader_per_question") {
            reader = BufReader::new(stream.try_clone()?);
        }
        let mut line = String::new();
        if making("server_thread_unwraps") {
            reader.read_line(&mut line).unwrap();
        } else if making("server_reads_lossily") {
            let mut bytes = Vec::new();
            reader.read_until(b'\n', &mut bytes)?;
            line = String::from_utf8_lossy(&bytes).into_owned();
        } else if making("server_takes_bad_utf8_for_the_end") {
            line = reader.read_line(&mut line).map_or(String::new(), |_| line);
        } else {
            reader.read_line(&mut line)?;
        }
        if line.is_empty() && !making("server_ignores_the_end") {
            return Ok(());
        }
        let question = if making("server_keeps_the_cr") {
            line.trim_end_matches('\n').to_string()
        } else if making("server_lowercases_questions") {
            line.trim_end_matches(['\r', '\n']).to_lowercase()
        } else if making("server_trims_questions") {
            line.trim().to_string()
        } else {
            line.trim_end_matches(['\r', '\n']).to_string()
        };
        if making("server_ends_at_an_empty_line") && question.is_empty() {
            return Ok(());
        }
        if making("server_closes_on_bye_unanswered") && question == "bye" {
            return Ok(());
        }
        let answer = reply(&question);
        let ending = if making("server_forgets_the_newline") {
            ""
        } else if making("server_answers_with_crlf") {
            "\r\n"
        } else {
            "\n"
        };
        writer.write_all(format!("{answer}{ending}").as_bytes())?;
        if answer == "bye" && !making("server_stays_after_bye") {
            return Ok(());
        }
        if line.is_empty() {
            thread::yield_now();
        }
    }
}

fn one_read_per_question(mut stream: TcpStream) -> io::Result<()> {
    let mut buf = [0; 1024];
    loop {
        let len = stream.read(&mut buf)?;
        if len == 0 {
            return Ok(());
        }
        let question = String::from_utf8_lossy(&buf[..len]);
        let answer = reply(question.trim_end());
        stream.write_all(format!("{answer}\n").as_bytes())?;
        if answer == "bye" {
            return Ok(());
        }
    }
}
