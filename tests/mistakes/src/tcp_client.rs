//! Mistakes in the chat client.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;

use crate::{Mistake, making};
use solutions::tcp_client as model;

/// Each mistake made here, the checks that must catch it, and words their message must contain.
pub const MISTAKES: &[Mistake] = &[
    (
        "client_hang_up_as_connection_aborted",
        &["tcp_client::returns_unexpected_eof_when_the_server_hangs_up"],
        "UnexpectedEof",
    ),
    (
        "client_connects_to_the_default",
        &["tcp_client::connects_to_the_address_it_is_given"],
        "fixed address",
    ),
    ("client_accepts_a_cut_answer", &["tcp_client::reports_an_answer_cut_short"], "half answer"),
    (
        "client_splits_the_address_by_hand",
        &["tcp_client::connects_to_the_address_it_is_given"],
        "splitting at `:`",
    ),
    ("client_unwraps", &["tcp_client::reports_when_nobody_listens"], "unwrap"),
    (
        "client_forgets_the_newline",
        &[
            "tcp_client::asks_and_prints_each_answer",
            "tcp_client::answers_each_question_as_it_is_typed",
        ],
        "without their `\\n`",
    ),
    (
        "client_one_read_per_answer",
        &["tcp_client::reads_an_answer_split_across_writes"],
        "one `read` for one answer",
    ),
    (
        "client_prints_an_extra_newline",
        &[
            "tcp_client::asks_and_prints_each_answer",
            "tcp_client::reads_an_answer_split_across_writes",
            "tcp_client::stops_after_bye",
            "tcp_client::stops_at_the_end_of_input",
        ],
        "`println!`",
    ),
    ("client_ignores_bye", &["tcp_client::stops_after_bye"], "does not stop after `bye`"),
    (
        "client_takes_a_hang_up_for_the_end",
        &["tcp_client::reports_when_the_server_hangs_up"],
        "hung up",
    ),
    (
        "client_sends_everything_first",
        &["tcp_client::reads_an_answer_split_across_writes"],
        "before reading any answer",
    ),
    (
        "client_reads_all_input_first",
        &["tcp_client::answers_each_question_as_it_is_typed"],
        "reading the whole input before asking",
    ),
    (
        "client_prints_without_newlines",
        &["tcp_client::asks_and_prints_each_answer"],
        "without their `\\n`: the answer",
    ),
    (
        "client_skips_the_answer_to_bye",
        &[
            "tcp_client::asks_and_prints_each_answer",
            "tcp_client::stops_after_bye",
            "tcp_client::answers_each_question_as_it_is_typed",
            "tcp_client::reads_an_answer_split_across_writes",
        ],
        "no answer printed for `bye`",
    ),
    ("client_keeps_the_cr", &["tcp_client::sends_each_line_as_it_is"], "`\\r`"),
    ("client_skips_empty_lines", &["tcp_client::sends_each_line_as_it_is"], "skipping the empty"),
    ("client_trims_questions", &["tcp_client::sends_each_line_as_it_is"], "changing the questions"),
    (
        "client_prints_lossily",
        &["tcp_client::reports_an_answer_that_is_not_utf8"],
        "`from_utf8_lossy`",
    ),
    (
        "client_waits_for_the_server_to_close",
        &["tcp_client::stops_at_the_end_of_input"],
        "end by itself",
    ),
];

pub fn connect(addr: &str) -> io::Result<TcpStream> {
    if making("client_unwraps") {
        return Ok(TcpStream::connect(addr).unwrap());
    }
    if making("client_splits_the_address_by_hand") {
        let mut parts = addr.split(':');
        let host = parts.next().unwrap_or("");
        let port: u16 = parts
            .next()
            .and_then(|p| p.parse().ok())
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no port"))?;
        return TcpStream::connect((host, port));
    }
    if making("client_connects_to_the_default") {
        return TcpStream::connect("127.0.0.1:50007");
    }
    model::connect(addr)
}

pub fn chat(stream: TcpStream, input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    if making("client_sends_everything_first") {
        let mut writer = stream.try_clone()?;
        let questions: Vec<String> = input.lines().collect::<io::Result<_>>()?;
        for question in &questions {
            writer.write_all(format!("{question}\n").as_bytes())?;
        }
        let mut reader = BufReader::new(stream);
        for question in &questions {
            let mut answer = String::new();
            if reader.read_line(&mut answer)? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            output.write_all(answer.as_bytes())?;
            if question == "bye" {
                break;
            }
        }
        return output.flush();
    }
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut input = input;
    let lines: Box<dyn Iterator<Item = io::Result<String>>> =
        if making("client_reads_all_input_first") {
            let mut all = String::new();
            input.read_to_string(&mut all)?;
            Box::new(all.lines().map(|l| Ok(l.to_string())).collect::<Vec<_>>().into_iter())
        } else if making("client_keeps_the_cr") {
            Box::new(
                input.split(b'\n').map(|l| l.map(|b| String::from_utf8_lossy(&b).into_owned())),
            )
        } else {
            Box::new(input.lines())
        };
    for question in lines {
        let question = question?;
        if making("client_skips_empty_lines") && question.is_empty() {
            continue;
        }
        let question = if making("client_trims_questions") {
            question.trim().to_lowercase()
        } else {
            question
        };
        let ending = if making("client_forgets_the_newline") { "" } else { "\n" };
        writer.write_all(format!("{question}{ending}").as_bytes())?;
        if making("client_skips_the_answer_to_bye") && question == "bye" {
            break;
        }
        let mut answer = String::new();
        if making("client_prints_lossily") {
            let mut bytes = Vec::new();
            reader.read_until(b'\n', &mut bytes)?;
            answer = String::from_utf8_lossy(&bytes).into_owned();
        } else if making("client_one_read_per_answer") {
            let mut buf = [0; 1024];
            let len = (&stream).read(&mut buf)?;
            answer = String::from_utf8_lossy(&buf[..len]).into_owned();
        } else if reader.read_line(&mut answer)? == 0
            || !answer.ends_with('\n') && !making("client_accepts_a_cut_answer")
        {
            if making("client_takes_a_hang_up_for_the_end") {
                return Ok(());
            }
            if making("client_hang_up_as_connection_aborted") {
                return Err(io::Error::new(io::ErrorKind::ConnectionAborted, "the server hung up"));
            }
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the server hung up"));
        }
        if making("client_prints_without_newlines") {
            output.write_all(answer.trim_end().as_bytes())?;
        } else if making("client_prints_an_extra_newline") {
            writeln!(output, "{answer}")?;
        } else {
            output.write_all(answer.as_bytes())?;
        }
        output.flush()?;
        if question == "bye" && !making("client_ignores_bye") {
            break;
        }
    }
    if making("client_waits_for_the_server_to_close") {
        let mut rest = String::new();
        reader.read_to_string(&mut rest)?;
    }
    Ok(())
}
