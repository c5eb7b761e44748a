//! Checks of the chat server (`exercises/src/tcp_server.rs`).

use std::net::SocketAddr;

use grader::peer::{Heard, TcpPeer, client_who_stops_reading, many_clients_are_answered, tcp_pair};
use grader::program::Running;
use grader::{Check, Failure, Session, WAIT};

use super::{expect_bound_as_asked, expect_two_free_ports, has_ipv6_loopback};

pub const CHECKS: &[Check] = grader::checks!("tcp_server": replies_to_each_question, binds_the_address_it_is_given, answers_line_by_line, reads_a_question_split_across_writes, answers_two_questions_sent_together, closes_the_connection_after_bye, returns_when_the_client_leaves, ignores_a_half_line_at_the_end, returns_an_error_for_a_line_that_is_not_utf8, serves_several_clients_at_once, serves_three_hundred_clients_at_once, answers_others_while_a_client_stops_reading, keeps_serving_after_a_client_leaves, survives_rude_clients);

fn replies_to_each_question(session: &Session) -> Result<(), Failure> {
    let cases = [
        ("how are u", "fine"),
        ("how old are u", "nicai"),
        ("bye", "bye"),
        ("what?", "pardon?"),
        ("", "pardon?"),
        ("how are u?", "pardon?"),
        ("HOW ARE U", "pardon?"),
        ("how are u old", "pardon?"),
        (" how are u", "pardon?"),
        ("how are u ", "pardon?"),
        ("Bye", "pardon?"),
        ("bye\r", "pardon?"),
    ];
    for (question, want) in cases {
        let got = session
            .call("tcp_server::reply", WAIT, move || subject::tcp_server::reply(question))?;
        session.note(format!("reply({question:?}) = {got:?}"));
        if got != want {
            return Err(session.wrong(
                format!("reply({question:?}) to be {want:?}"),
                "matching loosely (`contains`, `starts_with`, `trim`, ignoring case) instead of \
                 comparing the whole question with `==` or `match`",
            ));
        }
    }
    Ok(())
}

fn binds_the_address_it_is_given(session: &Session) -> Result<(), Failure> {
    expect_two_free_ports(session, "tcp_server::bind", subject::tcp_server::bind, |l| {
        l.local_addr()
    })?;
    let mut asked = vec!["127.0.0.1:0"];
    if has_ipv6_loopback() {
        asked.push("[::1]:0");
    }
    for addr in asked {
        let listener =
            session.call("tcp_server::bind", WAIT, move || subject::tcp_server::bind(addr))?;
        let listener = listener.map_err(|err| {
            session
                .wrong(format!("bind({addr:?}) to succeed"), format!("it returned the error {err}"))
        })?;
        let bound = listener.local_addr().map_err(|err| session.wrong("a bound listener", err))?;
        expect_bound_as_asked(session, addr, bound)?;
    }
    Ok(())
}

/// Runs `handle_client` on one end of a loopback connection and returns the other end,
/// and a way to learn whether `handle_client` has returned.
fn client_of_handle_client(session: &Session) -> Result<(TcpPeer, HandleClient), Failure> {
    let (client, theirs) = tcp_pair(session, "client")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx
            .send(grader::session::catch_panic(move || subject::tcp_server::handle_client(theirs)));
    });
    Ok((client, HandleClient(rx)))
}

struct HandleClient(std::sync::mpsc::Receiver<Result<std::io::Result<()>, grader::session::Panic>>);

impl HandleClient {
    /// Expects `handle_client` to have returned `Ok`, within [`WAIT`].
    fn returned(&self, session: &Session, after: &str) -> Result<(), Failure> {
        match self.0.recv_timeout(WAIT) {
            Ok(Ok(Ok(()))) => Ok(()),
            Ok(Ok(Err(err))) => Err(session.wrong(
                format!("handle_client to return Ok after {after}"),
                format!("it returned the error {err}"),
            )),
            Ok(Err(panic)) => Err(session.panicked("handle_client", panic)),
            Err(_) => Err(session.wrong(
                format!("handle_client to return after {after}"),
                "a loop that goes on when `read_line` returns 0: that 0 means the client has gone",
            )),
        }
    }

    /// Turns an early end of `handle_client` into the right verdict: a `todo!()` is "not done".
    /// (A panic drops the stream, so the client sees the close at once; the verdict follows.)
    fn explain(&self, session: &Session, failure: Failure) -> Failure {
        match self.0.recv_timeout(std::time::Duration::from_millis(500)) {
            Ok(Err(panic)) => session.panicked("handle_client", panic),
            Ok(Ok(Err(err))) => {
                session.note(format!("handle_client returned the error: {err}"));
                failure
            }
            _ => failure,
        }
    }
}

/// Sends each question in its own write and expects each answer.
fn ask(
    session: &Session,
    client: &mut TcpPeer,
    handler: &HandleClient,
    exchanges: &[(&str, &str)],
) -> Result<(), Failure> {
    for (question, answer) in exchanges {
        client.send(question.as_bytes());
        client
            .expect_answer(session, Some(question.as_bytes()), answer, None)
            .map_err(|f| handler.explain(session, f))?;
    }
    Ok(())
}

fn answers_line_by_line(session: &Session) -> Result<(), Failure> {
    let (mut client, handler) = client_of_handle_client(session)?;
    ask(
        session,
        &mut client,
        &handler,
        &[
            ("how are u\n", "fine"),
            ("how old are u\n", "nicai"),
            ("what?\n", "pardon?"),
            ("how are u\r\n", "fine"),
            ("\n", "pardon?"),
            ("\r\n", "pardon?"),
            ("HOW ARE U\n", "pardon?"),
            ("  how are u \n", "pardon?"),
            ("h\u{e9}llo w\u{f6}rld\n", "pardon?"),
            ("how old are u\n", "nicai"),
        ],
    )
}

fn reads_a_question_split_across_writes(session: &Session) -> Result<(), Failure> {
    let (mut client, handler) = client_of_handle_client(session)?;
    client.send_in_two_parts(b"how old are u\n", 6);
    let answered = client.expect_line(session, "nicai").map_err(|f| handler.explain(session, f));
    if client.heard_before_the_rest {
        return Err(answered.err().and_then(not_done).unwrap_or_else(|| {
            session.wrong(
                "one answer, \"nicai\\n\", once the question's `\\n` has come",
                "answering before the question was complete: taking one `read` for one \
                 question; TCP is a byte stream, a question may come in pieces; read whole \
                 lines with `BufReader::read_line`",
            )
        }));
    }
    answered
}

/// The failure itself if it is "not done", for a caller that words every other one.
fn not_done(failure: Failure) -> Option<Failure> {
    matches!(failure, Failure::NotDone { .. }).then_some(failure)
}

fn answers_two_questions_sent_together(session: &Session) -> Result<(), Failure> {
    let (mut client, handler) = client_of_handle_client(session)?;
    client.send(b"how are u\nhow old are u\n");
    let first = client.expect_line(session, "fine").map_err(|f| handler.explain(session, f));
    if let Err(Failure::Wrong { mistake, .. }) = &first
        && mistake.contains("\"pardon?\\n\"")
    {
        return Err(session.wrong(
            "\"fine\\n\", then \"nicai\\n\": two questions in one write get two answers",
            "answering both lines as one question: taking one `read` for one question; read \
             whole lines with one `BufReader` kept for the whole connection",
        ));
    }
    first?;
    client
        .expect_answer(
            session,
            None,
            "nicai",
            Some(
                "no answer to the second of two questions sent in one write: taking one `read` \
                 for one question, or a new `BufReader` per question (it throws away what it \
                 read ahead); keep one `BufReader` for the whole connection",
            ),
        )
        .map_err(|f| handler.explain(session, f))
}

fn closes_the_connection_after_bye(session: &Session) -> Result<(), Failure> {
    let (mut client, handler) = client_of_handle_client(session)?;
    ask(session, &mut client, &handler, &[("how are u\n", "fine"), ("bye\n", "bye")])?;
    client.expect_closed(session, "answering `bye`")?;
    handler.returned(session, "`bye`")
}

fn returns_when_the_client_leaves(session: &Session) -> Result<(), Failure> {
    let (mut client, handler) = client_of_handle_client(session)?;
    ask(session, &mut client, &handler, &[("how are u\n", "fine")])?;
    client.finish_sending();
    handler.returned(session, "the client closed the connection without `bye`")
}

fn ignores_a_half_line_at_the_end(session: &Session) -> Result<(), Failure> {
    let (mut client, handler) = client_of_handle_client(session)?;
    ask(session, &mut client, &handler, &[("how are u\n", "fine")])?;
    client.send(b"how old are u");
    client.finish_sending();
    session.note("client: vanished in the middle of a line");
    client
        .expect_closed_else(
            session,
            "no answer to a half line that the end of the stream cut off, only the close",
            "answering a line without its `\\n`: `BufRead::lines` and a `read_line` that only \
             checks for 0 both hand you the half line; a line that does not end in `\\n` means \
             the client has gone",
        )
        .map_err(|f| handler.explain(session, f))?;
    handler.returned(session, "the client closed the connection in the middle of a line")
}

fn returns_an_error_for_a_line_that_is_not_utf8(session: &Session) -> Result<(), Failure> {
    let (mut client, handler) = client_of_handle_client(session)?;
    ask(session, &mut client, &handler, &[("how are u\n", "fine")])?;
    client.send(b"how \xff\xfe u\n");
    let outcome = handler.0.recv_timeout(WAIT);
    match outcome {
        Ok(Ok(Err(err))) if err.kind() == std::io::ErrorKind::InvalidData => {
            session.note(format!("handle_client returned the error {err}"));
            Ok(())
        }
        Ok(Ok(Err(err))) => Err(session.wrong(
            "handle_client to return an error of kind InvalidData for a line that is not UTF-8",
            format!(
                "it returned the error {err} ({:?}): let the error of `read_line` through with `?`",
                err.kind()
            ),
        )),
        Ok(Ok(Ok(()))) => Err(session.wrong(
            "handle_client to return an error for a line that is not UTF-8, as its doc says",
            "taking the failed read for the end of the connection: a `read_line` error is not \
             a 0, return it with `?`",
        )),
        Ok(Err(panic)) => Err(session.panicked("handle_client", panic)),
        Err(_) => {
            let answer = match client.hear() {
                Heard::Line(line) => format!("it answered {line:?} and went on: "),
                _ => String::new(),
            };
            Err(session.wrong(
                "handle_client to return an error for a line that is not UTF-8, as its doc says",
                format!(
                    "{answer}ignoring the error of `read_line`, or reading bytes and converting \
                     them with `from_utf8_lossy`: return the error with `?`"
                ),
            ))
        }
    }
}

/// Starts the server program, runs `body` against it, and explains a failure by the
/// server's end if it has ended (a `todo!()` is "not done").
fn with_server(
    session: &Session,
    body: impl FnOnce(&mut Running, SocketAddr) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let mut server = session.start("tcp-server", "127.0.0.1:0")?;
    let addr = server.listening(session)?;
    expect_bound_as_asked(session, "127.0.0.1:0", addr)?;
    body(&mut server, addr).map_err(|failure| server.explain(session, failure))
}

fn serves_several_clients_at_once(session: &Session) -> Result<(), Failure> {
    with_server(session, |_server, addr| {
        let mut alice = TcpPeer::connect(session, "alice", addr)?;
        alice.send(b"how are u\n");
        alice.expect_line(session, "fine")?;
        session.note("alice stays connected and says nothing more");
        let mut bob = TcpPeer::connect(session, "bob", addr)?;
        bob.send(b"how old are u\n");
        bob.expect_answer(
            session,
            None,
            "nicai",
            Some(
                "no answer to bob while alice is still connected: serving one client at a \
                 time; handle each accepted connection on a thread of its own",
            ),
        )?;
        alice.send(b"how old are u\n");
        alice.expect_line(session, "nicai")
    })
}

fn serves_three_hundred_clients_at_once(session: &Session) -> Result<(), Failure> {
    with_server(session, |_server, addr| many_clients_are_answered(session, addr, 300).map(drop))
}

fn answers_others_while_a_client_stops_reading(session: &Session) -> Result<(), Failure> {
    with_server(session, |server, addr| {
        let slacker = client_who_stops_reading(session, addr)?;
        let mut bob = TcpPeer::connect(session, "bob", addr)?;
        bob.send(b"how are u\n");
        bob.expect_answer(
            session,
            None,
            "fine",
            Some(
                "no answer to bob while slacker does not read its answers: a client who stops \
                 reading stalls the others; its answers block the thread that writes them, so \
                 that thread must serve that client only (one client at a time, a pool, or a \
                 lock held while writing all stall the others)",
            ),
        )?;
        drop(slacker);
        if !server.is_running() {
            return Err(session
                .wrong("the server to keep running", "a client who stops reading crashed it"));
        }
        Ok(())
    })
}

fn keeps_serving_after_a_client_leaves(session: &Session) -> Result<(), Failure> {
    with_server(session, |server, addr| {
        let mut alice = TcpPeer::connect(session, "alice", addr)?;
        alice.send(b"bye\n");
        alice.expect_answer(session, Some(b"bye\n"), "bye", None)?;
        alice.expect_closed(session, "`bye`")?;
        let mut bob = TcpPeer::connect(session, "bob", addr)?;
        bob.send(b"how are u\n");
        bob.expect_answer(
            session,
            None,
            "fine",
            Some(
                "no answer to bob after alice left: accepting only one client; loop over \
                 `listener.incoming()`",
            ),
        )?;
        if !server.is_running() {
            return Err(
                session.wrong("the server to keep running", "returning after the first client")
            );
        }
        Ok(())
    })
}

fn survives_rude_clients(session: &Session) -> Result<(), Failure> {
    with_server(session, |server, addr| {
        let mut mallory = TcpPeer::connect(session, "mallory", addr)?;
        mallory.send(b"how are \xff\xfe u\n");
        match mallory.hear() {
            Heard::Line(_) | Heard::Closed(_) | Heard::Error(_) => {}
            Heard::Silence(_) => {
                return Err(session.wrong(
                    "an error line, or the connection closed, for a line that is not UTF-8",
                    "ignoring the error from `read_line` and waiting for more",
                ));
            }
        }
        let mut trudy = TcpPeer::connect(session, "trudy", addr)?;
        trudy.send(b"how are");
        trudy.finish_sending();
        drop(trudy);
        session.note("trudy: vanished in the middle of a line");
        let mut bob = TcpPeer::connect(session, "bob", addr)?;
        bob.send(b"how are u\n");
        bob.expect_answer(
            session,
            None,
            "fine",
            Some(
                "no answer to bob after two rude clients: one client's error stops the whole \
                 server; in the accept loop, report a client's error on stderr and go on, never \
                 `unwrap()` it",
            ),
        )?;
        if !server.is_running() {
            return Err(session.wrong("the server to keep running", "a rude client crashed it"));
        }
        expect_nothing_more_on_stdout(session, server)
    })
}

/// Expects nothing on the server's stdout after its readiness line: errors go to stderr.
pub fn expect_nothing_more_on_stdout(
    session: &Session,
    server: &mut Running,
) -> Result<(), Failure> {
    let rest = server.stdout_at_the_end();
    if rest.is_empty() {
        return Ok(());
    }
    for line in &rest {
        session.note(format!("← stdout: {}", grader::peer::show(line.as_bytes())));
    }
    Err(session.wrong(
        "nothing on stdout after the readiness line",
        "reporting a client's error on stdout (`println!`): stdout is for what the program \
         was asked to show, errors go to stderr (`eprintln!`)",
    ))
}
