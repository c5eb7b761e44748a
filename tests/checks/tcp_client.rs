//! Checks of the chat client (`exercises/src/tcp_client.rs`).

use std::net::TcpListener;

use grader::peer::{Heard, ReferenceServer, TcpPeer, chat_answer};
use grader::program::Finished;
use grader::{Check, Failure, Session, WAIT};

pub const CHECKS: &[Check] = grader::checks!("tcp_client": connects_to_the_address_it_is_given, asks_and_prints_each_answer, answers_each_question_as_it_is_typed, sends_each_line_as_it_is, reads_an_answer_split_across_writes, stops_after_bye, stops_at_the_end_of_input, reports_when_nobody_listens, reports_when_the_server_hangs_up, returns_unexpected_eof_when_the_server_hangs_up, reports_an_answer_cut_short, reports_an_answer_that_is_not_utf8);

fn connects_to_the_address_it_is_given(session: &Session) -> Result<(), Failure> {
    let mut listen_at = vec!["127.0.0.1:0"];
    if super::has_ipv6_loopback() {
        listen_at.push("[::1]:0");
    }
    for at in listen_at {
        let listener = TcpListener::bind(at).map_err(|err| session.wrong("a listener", err))?;
        let addr = listener.local_addr().map_err(|err| session.wrong("a listener", err))?;
        session.note(format!("a reference listener waits at {addr}"));
        let target = addr.to_string();
        let stream = session
            .call("tcp_client::connect", WAIT, move || subject::tcp_client::connect(&target))?;
        let stream = stream.map_err(|err| {
            let mistake = if err.kind() == std::io::ErrorKind::ConnectionRefused {
                format!(
                    "nobody listens where it connected, though the check listens at {addr}: \
                     connecting to a fixed address instead of the one given"
                )
            } else if addr.is_ipv6() {
                format!(
                    "it returned the error {err} for an IPv6 address: taking the address apart \
                     by hand (splitting at `:`); hand the whole `host:port` text to \
                     `TcpStream::connect`, which reads `[::1]:port` too"
                )
            } else {
                format!("it returned the error {err}")
            };
            session.wrong(format!("connect(\"{addr}\") to succeed"), mistake)
        })?;
        let peer = stream.peer_addr().map_err(|err| session.wrong("a connected stream", err))?;
        session.note(format!("connected to {peer}"));
        if peer != addr {
            return Err(session.wrong(
                format!("a connection to {addr}"),
                "connecting to a fixed address instead of the one given",
            ));
        }
    }
    Ok(())
}

/// The reference server's side of a normal chat: answers each line until `bye`, then
/// closes. With `split`, the first answer goes out in two writes.
fn answer_questions(split: bool) -> impl FnOnce(&mut TcpPeer) + Send + 'static {
    move |server| {
        let mut first = true;
        while let Heard::Line(line) = server.hear() {
            let question = line.trim_end_matches('\n').trim_end_matches('\r');
            let answer = format!("{}\n", chat_answer(question));
            if split && first {
                server.send_in_two_parts(answer.as_bytes(), 2);
            } else {
                server.send(answer.as_bytes());
            }
            first = false;
            if question == "bye" {
                break;
            }
        }
    }
}

/// Runs the client with `input` against a reference server running `script`.
fn chat_with(
    session: &Session,
    input: &str,
    script: impl FnOnce(&mut TcpPeer) + Send + 'static,
) -> Result<Finished, Failure> {
    let server = ReferenceServer::start(session, script)?;
    let finished = session.run_to_end("tcp-client", &server.addr.to_string(), input);
    let seen = server.finish();
    match finished {
        Err(Failure::Wrong { .. }) | Ok(_) if seen.heard_unterminated => Err(session.wrong(
            "each question to end in `\\n`",
            "questions sent without their `\\n`: the server cannot know a question is complete \
             until its line ends, so it never answers",
        )),
        finished => finished,
    }
}

fn expect_stdout(session: &Session, finished: &Finished, want: &str) -> Result<(), Failure> {
    let got = finished.stdout();
    if got == want {
        return if finished.output.status.success() {
            Ok(())
        } else {
            Err(session.wrong(
                "exit code 0",
                "an error returned after the last answer: its stderr above says which",
            ))
        };
    }
    let mistake = stdout_mistake(&got, want).unwrap_or(
        "answers missing, changed or in pieces: read exactly one whole line per question",
    );
    Err(session.wrong(format!("exactly {want:?} on stdout"), mistake))
}

/// The mistake that `got` on stdout, in place of `want`, plainly shows, if any.
fn stdout_mistake(got: &str, want: &str) -> Option<&'static str> {
    Some(if got.contains("\n\n") {
        "an extra empty line: the answer read by `read_line` already ends in `\\n`; write it with `write_all` or `write!`, not `writeln!` or `println!`"
    } else if !got.is_empty() && got.replace('\n', "") == want.replace('\n', "") {
        "answers printed without their `\\n`: the answer read by `read_line` ends in `\\n`; \
         write it as it is"
    } else if want.starts_with(got) && want[got.len()..] == *"bye\n" {
        NO_ANSWER_TO_BYE
    } else if got.starts_with(want) {
        "more answers than expected: the client does not stop after `bye`, or at the end of its input"
    } else if got.is_empty() {
        "no answer printed: questions sent without their `\\n` (the server waits for the end of the line), \
         or answers printed to stderr instead of stdout"
    } else {
        return None;
    })
}

const NO_ANSWER_TO_BYE: &str = "no answer printed for `bye`: stopping right after sending it; \
                                read and print its answer, then stop";

fn asks_and_prints_each_answer(session: &Session) -> Result<(), Failure> {
    let finished =
        chat_with(session, "how are u\nhow old are u\nwhat?\nbye\n", answer_questions(false))?;
    expect_stdout(session, &finished, "fine\nnicai\npardon?\nbye\n")
}

fn answers_each_question_as_it_is_typed(session: &Session) -> Result<(), Failure> {
    let server = ReferenceServer::start(session, answer_questions(false))?;
    let mut client = session.start("tcp-client", &server.addr.to_string())?;
    for (question, answer) in [("how are u", "fine"), ("bye", "bye")] {
        client.type_in(&format!("{question}\n"));
        let line = match client.line(session, &format!("the answer {answer:?}")) {
            Ok(line) => line,
            Err(Failure::Wrong { expected, .. }) => {
                // What the server heard says why no answer came: stopped, it tells whether
                // a question came without its `\n`.
                drop(client);
                let seen = server.finish();
                let mistake = if seen.heard_unterminated {
                    "questions sent without their `\\n`: the server cannot know a question is \
                     complete until its line ends, so it never answers"
                } else if question == "bye" {
                    // Once an answer came while the input was open, the input is read line
                    // by line and the output flushed.
                    NO_ANSWER_TO_BYE
                } else {
                    "no answer printed while the input is still open: reading the whole input \
                     before asking (`read_to_string`, or collecting the lines first), or output \
                     that is never flushed; ask each question as soon as its line is read, and \
                     flush each answer"
                };
                return Err(session.wrong(expected, mistake));
            }
            Err(not_done) => return Err(not_done),
        };
        if line != format!("{answer}\n") {
            return Err(session.wrong(
                format!("the answer {answer:?} on stdout"),
                "another line: see the other checks of chat",
            ));
        }
    }
    let finished =
        client.exits_successfully(session, "the answer to `bye`, with the input still open");
    drop(client);
    server.finish();
    finished
}

fn sends_each_line_as_it_is(session: &Session) -> Result<(), Failure> {
    let input = "how are u\r\n\nHOW ARE U\n how old are u\nbye\r\n";
    let want_heard = ["how are u\n", "\n", "HOW ARE U\n", " how old are u\n", "bye\n"];
    // A strict server: it answers each line exactly as it came, `\r` and all.
    let server = ReferenceServer::accept_one(session, "reference server", |stream, log| {
        let mut heard = Vec::new();
        if let Ok(mut server) = TcpPeer::new(log, "server", stream) {
            while let Heard::Line(line) = server.hear() {
                let question = line.strip_suffix('\n').unwrap_or(&line);
                server.send(format!("{}\n", chat_answer(question)).as_bytes());
                heard.push(line.clone());
                if question == "bye" {
                    break;
                }
            }
        }
        heard
    })?;
    let finished = session.run_to_end("tcp-client", &server.addr.to_string(), input);
    let heard = server.outcome().unwrap_or_default();
    let finished = finished?;
    if heard != want_heard {
        let mistake = if heard.iter().any(|q| q.ends_with("\r\n")) {
            "the questions carry the `\\r` of a `\\r\\n` input line: strip the whole line \
             ending, as `BufRead::lines` does"
        } else if !heard.iter().any(|q| q == "\n") {
            "skipping the empty input line: an empty line is a question too (the server \
             answers `pardon?`)"
        } else {
            "changing the questions (trimming spaces, changing case): send each line as it is"
        };
        return Err(session.wrong(format!("the server to hear exactly {want_heard:?}"), mistake));
    }
    expect_stdout(session, &finished, "fine\npardon?\npardon?\npardon?\nbye\n")
}

const ONE_READ: &str = "taking one `read` for one answer: TCP is a byte stream; read up to \
     the `\\n` with `read_line`";

fn reads_an_answer_split_across_writes(session: &Session) -> Result<(), Failure> {
    let server = ReferenceServer::start(session, answer_questions(true))?;
    let finished =
        session.run_to_end("tcp-client", &server.addr.to_string(), "how old are u\nbye\n");
    let seen = server.finish();
    if seen.heard_before_the_rest {
        return Err(session.wrong(
            "the client to wait for the rest of the answer, up to its `\\n`, before it asks again",
            format!(
                "it sent its next question before the answer was complete: {ONE_READ}; or \
                 sending every question before reading any answer (each question waits for \
                 its answer)"
            ),
        ));
    }
    let finished = finished?;
    expect_stdout(session, &finished, "nicai\nbye\n").map_err(|failure| match failure {
        // Blame the split only if the output is not wrong in a way the other checks name.
        Failure::Wrong { .. }
            if !finished.stdout().contains("\n\n")
                && stdout_mistake(&finished.stdout(), "nicai\nbye\n") != Some(NO_ANSWER_TO_BYE) =>
        {
            session.wrong(
                "\"nicai\\nbye\\n\" on stdout, though each answer came in two pieces",
                ONE_READ,
            )
        }
        other => other,
    })
}

fn stops_after_bye(session: &Session) -> Result<(), Failure> {
    // This server answers `bye` but keeps the connection open: the client must stop by itself.
    let finished = chat_with(session, "bye\nhow are u\n", |server| {
        while let Heard::Line(line) = server.hear() {
            server.send(format!("{}\n", chat_answer(line.trim_end())).as_bytes());
        }
    })?;
    expect_stdout(session, &finished, "bye\n")
}

fn stops_at_the_end_of_input(session: &Session) -> Result<(), Failure> {
    // This server never closes first: the client must stop when its input ends.
    let finished = chat_with(session, "how are u\n", |server| {
        while let Heard::Line(line) = server.hear() {
            server.send(format!("{}\n", chat_answer(line.trim_end())).as_bytes());
        }
    })?;
    expect_stdout(session, &finished, "fine\n")
}

fn reports_when_nobody_listens(session: &Session) -> Result<(), Failure> {
    let addr = {
        let listener =
            TcpListener::bind("127.0.0.1:0").map_err(|err| session.wrong("a free port", err))?;
        listener.local_addr().map_err(|err| session.wrong("a free port", err))?
    };
    session.note(format!("nobody listens at {addr} (the check bound it, then closed it)"));
    let finished = session.run_to_end("tcp-client", &addr.to_string(), "how are u\n")?;
    expect_one_clear_error(
        session,
        &finished,
        "nobody listens",
        &format!(
            "`connect` returned a connection though nobody listens at {addr}: connecting to \
             a fixed address or port instead of the one given, where something else listens"
        ),
    )
}

fn reports_when_the_server_hangs_up(session: &Session) -> Result<(), Failure> {
    let finished = chat_with(session, "how are u\nhow old are u\n", |server| {
        server.hear();
        server.finish_sending();
        // Reads on until the client gives up, so that the client sees a clean close.
        let _ = server.hear();
    })?;
    expect_one_clear_error(
        session,
        &finished,
        "the server closed the connection without answering",
        HANG_UP_TAKEN_FOR_THE_END,
    )
}

fn returns_unexpected_eof_when_the_server_hangs_up(session: &Session) -> Result<(), Failure> {
    use std::io::{ErrorKind, Read};
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|err| session.wrong("a listener", err))?;
    let addr = listener.local_addr().map_err(|err| session.wrong("a listener", err))?;
    let stream =
        std::net::TcpStream::connect(addr).map_err(|err| session.wrong("a connection", err))?;
    let (mut server, _) = listener.accept().map_err(|err| session.wrong("a connection", err))?;
    let _ = server.set_read_timeout(Some(WAIT));
    session.note(
        "calls chat with the input \"how are u\\n\"; the server reads the question, then closes",
    );
    // The server's side runs beside the call: it reads the question, then hangs up.
    let hang_up = std::thread::spawn(move || {
        let mut question = [0; 10];
        let _ = server.read_exact(&mut question);
    });
    let result = session.call("tcp_client::chat", WAIT * 2, move || {
        subject::tcp_client::chat(stream, &b"how are u\n"[..], Vec::new())
    });
    let _ = hang_up.join();
    match result? {
        Err(err) if err.kind() == ErrorKind::UnexpectedEof => Ok(()),
        Err(err) => Err(session.wrong(
            "an error of kind UnexpectedEof: the server hung up before answering",
            format!(
                "an error of kind {:?} ({err}): the doc comment asks for `UnexpectedEof` when \
                 the connection ends before the answer does",
                err.kind()
            ),
        )),
        Ok(()) => Err(session.wrong(
            "an error of kind UnexpectedEof: the server hung up before answering",
            HANG_UP_TAKEN_FOR_THE_END,
        )),
    }
}

/// The diagnosis of exit code 0 after the server hung up.
const HANG_UP_TAKEN_FOR_THE_END: &str = "treating the end of the connection as a normal end: \
     `read_line` returning 0, or an answer without its `\\n`, before the answer is complete \
     means the server hung up, which is an error";

fn reports_an_answer_that_is_not_utf8(session: &Session) -> Result<(), Failure> {
    let finished = chat_with(session, "how are u\nhow old are u\n", |server| {
        server.hear();
        server.send(b"f\xffne\n");
        let _ = server.hear();
    })?;
    expect_one_clear_error(
        session,
        &finished,
        "the answer is not UTF-8",
        "taking an answer that is not UTF-8 for an answer (reading bytes, or converting them \
         with `from_utf8_lossy`), or ignoring the error of `read_line`: the doc says it is an \
         error; let `read_line`'s error through with `?`",
    )
}

fn reports_an_answer_cut_short(session: &Session) -> Result<(), Failure> {
    let finished = chat_with(session, "how are u\nhow old are u\n", |server| {
        server.hear();
        server.send(b"fi");
        server.finish_sending();
        let _ = server.hear();
    })?;
    expect_one_clear_error(
        session,
        &finished,
        "the server hung up in the middle of its answer",
        HANG_UP_TAKEN_FOR_THE_END,
    )
    .map_err(|failure| match failure {
        Failure::Wrong { expected, .. } if !finished.stdout().is_empty() => session.wrong(
            expected,
            "taking a half answer for an answer: `read_line` returns what came before the \
                 end of the stream; an answer without its `\\n` means the server hung up",
        ),
        other => other,
    })
}

/// Expects exit code 1, nothing on stdout, and one line on stderr without a panic.
fn expect_one_clear_error(
    session: &Session,
    finished: &Finished,
    when: &str,
    if_success: &str,
) -> Result<(), Failure> {
    let stderr = finished.stderr();
    let error_lines: Vec<&str> =
        stderr.lines().filter(|l| !l.starts_with("connected to ")).collect();
    if stderr.contains("panicked") {
        return Err(session.wrong(
            format!("one clear error line when {when}, not a panic"),
            "an `unwrap()` or `expect()` on the error: return it with `?` and the program prints it",
        ));
    }
    if finished.output.status.success() {
        return Err(session.wrong(format!("a non-zero exit code when {when}"), if_success));
    }
    if !finished.stdout().is_empty() {
        return Err(session.wrong(
            format!("nothing on stdout when {when}"),
            "printing an empty, partial or broken answer: an answer is printed only once it \
             has come whole, as UTF-8 text ending in `\\n`",
        ));
    }
    if error_lines.len() != 1 {
        return Err(session.wrong(
            format!("exactly one error line on stderr when {when}"),
            "several messages for one error",
        ));
    }
    Ok(())
}
