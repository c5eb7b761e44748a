//! Checks of the chat server that holds up (`exercises/src/chat_server.rs`).

use std::io::{self, BufRead, BufReader, Cursor, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

use grader::peer::{Heard, TcpPeer, client_who_stops_reading, many_clients_are_answered, tcp_pair};
use grader::program::Running;
use grader::session::{Panic, catch_panic};
use grader::{Check, Failure, Session, WAIT};
use subject::chat_server::{Line, MAX_LINE};

use super::expect_bound_as_asked;

pub const CHECKS: &[Check] = grader::checks!("chat_server": reads_a_line_of_at_most_max_bytes, stops_reading_a_huge_line_at_the_limit, answers_line_by_line, answers_a_line_too_long_with_an_error_and_closes, answers_bad_utf8_with_an_error_and_closes, drops_a_silent_client_after_the_timeout, drops_a_slowloris_client_at_the_line_deadline, keeps_a_client_who_asks_in_time, drops_a_client_who_stops_reading, closes_quietly_when_the_client_leaves_mid_line, returns_the_error_of_a_reset, serves_three_hundred_clients_at_once, answers_others_while_a_client_is_silent, answers_others_while_a_client_stops_reading, survives_a_huge_line, survives_a_reset_mid_line);

/// Reads lines from `input` with `read_line_bounded(.., max)` until `End` or `want.len()`
/// lines, and compares.
fn expect_lines(
    session: &Session,
    input: &'static [u8],
    max: usize,
    want: Vec<Line>,
) -> Result<(), Failure> {
    let count = want.len();
    let got = session.call("chat_server::read_line_bounded", WAIT, move || {
        let mut reader = Cursor::new(input);
        let mut got = Vec::new();
        while got.len() < count {
            let line = subject::chat_server::read_line_bounded(&mut reader, max);
            let end = !matches!(line, Ok(Line::Text(_)));
            got.push(line.map_err(|err| err.to_string()));
            if end {
                break;
            }
        }
        got
    })?;
    session.note(format!(
        "read_line_bounded(max = {max}) over {} gave {got:?}",
        grader::peer::show(input)
    ));
    let want: Vec<Result<Line, String>> = want.into_iter().map(Ok).collect();
    if got == want {
        return Ok(());
    }
    let long = input.iter().position(|&b| b == b'\n').unwrap_or(input.len()) + 1;
    let mistake = if got.iter().any(Result::is_err) {
        "an error returned for a line that is not UTF-8 or has ended: `read_line` into a String \
         fails on bad UTF-8; read bytes with `read_until` and convert them with \
         `String::from_utf8`, whose error means `NotUtf8`"
            .to_string()
    } else if got.iter().any(|l| matches!(l, Ok(Line::Text(t)) if t.contains('\u{fffd}'))) {
        "a line that is not UTF-8 converted lossily (`from_utf8_lossy`): it is `NotUtf8`; \
         convert with `String::from_utf8` and tell its error apart"
            .to_string()
    } else if long == max || long == max + 1 {
        format!(
            "a limit off by one: a line of {max} bytes counting its `\\n` is allowed, one of {} is \
             `TooLong`: `take(max)` then look for the `\\n`",
            max + 1
        )
    } else if got
        .first()
        .is_some_and(|l| matches!(l, Ok(Line::Text(t)) if t.ends_with(['\n', '\r'])))
    {
        "the line ending kept: drop the `\\n` and a `\\r` before it".to_string()
    } else {
        "the wrong kind of line: no `\\n` at the end is `TooLong` only when `max` bytes came \
         (else the stream ended: `End`); one reader must give each line in turn"
            .to_string()
    };
    Err(session.wrong(format!("{want:?}"), mistake))
}

fn reads_a_line_of_at_most_max_bytes(session: &Session) -> Result<(), Failure> {
    use Line::{End, NotUtf8, Text, TooLong};
    let text = |t: &str| Text(t.to_string());
    expect_lines(session, b"how are u\n", 16, vec![text("how are u"), End])?;
    expect_lines(session, b"how are u\r\n", 16, vec![text("how are u")])?;
    expect_lines(session, b"fine\nbye\n", 16, vec![text("fine"), text("bye"), End])?;
    expect_lines(session, b"\n", 16, vec![text(""), End])?;
    expect_lines(session, b"", 16, vec![End])?;
    expect_lines(session, b"how are", 16, vec![End])?;
    expect_lines(session, b"h\xffi\n", 16, vec![NotUtf8])?;
    expect_lines(session, "héllo wörld\n".as_bytes(), 16, vec![text("héllo wörld")])?;
    expect_lines(session, b"fifteen bytes..\n", 16, vec![text("fifteen bytes..")])?;
    expect_lines(session, b"fourteen bytes\r\n", 16, vec![text("fourteen bytes")])?;
    expect_lines(session, b"sixteen bytes...\n", 16, vec![TooLong])?;
    expect_lines(session, b"far more than sixteen bytes\n", 16, vec![TooLong])
}

/// A reader that counts the bytes taken from it.
struct Counting<R> {
    inner: R,
    taken: Arc<AtomicUsize>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.taken.fetch_add(n, Ordering::Relaxed);
        Ok(n)
    }
}

fn stops_reading_a_huge_line_at_the_limit(session: &Session) -> Result<(), Failure> {
    const HUGE: u64 = 16 << 20;
    let taken = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&taken);
    let line = session.call("chat_server::read_line_bounded", WAIT, move || {
        let source = Counting { inner: io::repeat(b'a').take(HUGE), taken: counter };
        let mut reader = BufReader::with_capacity(8192, source);
        subject::chat_server::read_line_bounded(&mut reader, MAX_LINE).map_err(|e| e.to_string())
    })?;
    let taken = taken.load(Ordering::Relaxed);
    session.note(format!(
        "a reader holding {HUGE} bytes of `a` and no `\\n`, through a BufReader of 8192 bytes: \
         read_line_bounded(max = {MAX_LINE}) gave {line:?} after taking {taken} bytes from it"
    ));
    if taken > MAX_LINE + 8192 {
        return Err(session.wrong(
            format!("at most MAX_LINE bytes of the line read (here {MAX_LINE}, plus what the BufReader reads ahead)"),
            "reading the whole line before checking its length: `read_line` and `read_until` \
             on the reader itself go on until a `\\n`, however far; a client could fill your \
             memory with one line. Limit the read with `Read::take`",
        ));
    }
    if line != Ok(Line::TooLong) {
        return Err(session
            .wrong("Ok(TooLong)", "`max` bytes without a `\\n` taken for the end of the stream"));
    }
    Ok(())
}

/// `handle_client` running on one end of a loopback connection.
struct Handler(Receiver<Result<io::Result<()>, Panic>>);

/// Runs `handle_client(.., idle)` on one end of a loopback connection and returns the
/// other end.
fn client_of_handle_client(
    session: &Session,
    idle: Duration,
) -> Result<(TcpPeer, Handler), Failure> {
    let (client, theirs) = tcp_pair(session, "client")?;
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(catch_panic(move || subject::chat_server::handle_client(theirs, idle)));
    });
    Ok((client, Handler(rx)))
}

impl Handler {
    /// Expects `handle_client` to have returned (`Ok` or an error) within [`WAIT`].
    fn returned(&self, session: &Session, after: &str) -> Result<(), Failure> {
        match self.0.recv_timeout(WAIT) {
            Ok(Ok(result)) => {
                session.note(format!("handle_client returned {result:?}"));
                Ok(())
            }
            Ok(Err(panic)) => Err(session.panicked("handle_client", panic)),
            Err(_) => Err(session.wrong(
                format!("handle_client to return after {after}"),
                "a loop that goes on after the connection has ended",
            )),
        }
    }

    /// Expects `handle_client` to have returned an error of kind `kind` within [`WAIT`],
    /// as its doc promises after `after`.
    fn returned_error(
        &self,
        session: &Session,
        after: &str,
        kind: io::ErrorKind,
    ) -> Result<(), Failure> {
        let expected = format!("handle_client to return an error of kind {kind:?} after {after}");
        match self.0.recv_timeout(WAIT) {
            Ok(Ok(Err(err))) if err.kind() == kind => {
                session.note(format!("handle_client returned the error {err} ({kind:?})"));
                Ok(())
            }
            Ok(Ok(Err(err))) => Err(session.wrong(
                expected,
                format!(
                    "it returned an error of kind {:?} ({err}): return the rule's own error, \
                     as the doc says, not the one a later write or read happened to give",
                    err.kind()
                ),
            )),
            Ok(Ok(Ok(()))) => Err(session.wrong(
                expected,
                "it returned Ok(()): after sending the error line, return the error too, so \
                 that `serve` can report why the client was dropped",
            )),
            Ok(Err(panic)) => Err(session.panicked("handle_client", panic)),
            Err(_) => Err(session.wrong(
                format!("handle_client to return after {after}"),
                "a loop that goes on after the connection has ended",
            )),
        }
    }

    /// Turns an early end of `handle_client` into the right verdict.
    fn explain(&self, session: &Session, failure: Failure) -> Failure {
        match self.0.recv_timeout(Duration::from_millis(500)) {
            Ok(Err(panic)) => session.panicked("handle_client", panic),
            Ok(Ok(Err(err))) => {
                session.note(format!("handle_client returned the error: {err}"));
                failure
            }
            _ => failure,
        }
    }
}

/// Expects the error line `line`, then the connection closed. `if_silent` and
/// `if_closed` are the diagnoses when nothing comes, or the connection closes first.
fn expect_error_then_close(
    session: &Session,
    client: &mut TcpPeer,
    line: &str,
    if_silent: &str,
    if_closed: &str,
) -> Result<(), Failure> {
    let expected = format!("the error line {line:?}, then the connection closed");
    match client.hear() {
        Heard::Line(got) if got == format!("{line}\n") => {}
        Heard::Line(got) if got == "pardon?\n" && line == subject::chat_server::NOT_UTF8 => {
            return Err(session.wrong(
                expected,
                "an answer to a line that is not UTF-8, as if it were a question: converting it \
                 lossily (`from_utf8_lossy`); it is `Line::NotUtf8`, answered with the error line",
            ));
        }
        Heard::Line(got) => return Err(session.wrong(expected, different_line(&got, line))),
        Heard::Silence(rest) | Heard::Closed(rest) if rest == line => {
            return Err(
                session.wrong(expected, "the error line lacks its `\\n`: write it with one")
            );
        }
        Heard::Silence(_) => return Err(session.wrong(expected, if_silent)),
        Heard::Closed(_) | Heard::Error(_) => return Err(session.wrong(expected, if_closed)),
    }
    client.expect_closed(session, &format!("{line:?}"))
}

/// Why the server wrote `got` where the error line `line` was due: another of the error
/// lines means it judged the line by another rule, which says what it did.
fn different_line(got: &str, line: &str) -> String {
    use subject::chat_server::{NOT_UTF8, TIMED_OUT, TOO_LONG};
    let got = got.trim_end_matches('\n');
    match (got, line) {
        (TIMED_OUT, TOO_LONG) => format!(
            "{got:?}, the timeout's line, for a line too long: the read went on past MAX_LINE \
             bytes, waiting for the line's end, until the deadline; stop reading at MAX_LINE \
             bytes (`take`) and answer at once"
        ),
        (TOO_LONG, TIMED_OUT) => format!(
            "{got:?} when the time was up: the bytes that trickled in were counted as one line \
             too long; the deadline is what ended it, so write {TIMED_OUT:?}"
        ),
        (NOT_UTF8, _) | (TOO_LONG, _) | (TIMED_OUT, _) => format!(
            "{got:?}, another error line: the line was judged by another rule than the one it \
             breaks; see the checks of that rule"
        ),
        _ => format!("a different line, {got:?}: use the constant, with a `\\n`"),
    }
}

/// Closing without the error line, when the rule broken is a line's.
const CLOSED_WITHOUT_A_WORD: &str = "closing without a word: write the error line before \
     returning (a `read_line` into a String fails on bad UTF-8 before you can answer; read \
     bytes with `read_until` and convert them with `String::from_utf8`)";

/// Closing without the error line, when the deadline passed.
const TIMEOUT_NOT_RECOGNISED: &str = "closing without the error line when the time is up: \
     a read timeout shows up as an error of kind `WouldBlock` on Linux and macOS and \
     `TimedOut` on Windows; match both, write `error: timed out`, then return";

fn answers_line_by_line(session: &Session) -> Result<(), Failure> {
    let (mut client, handler) = client_of_handle_client(session, WAIT)?;
    let mut ask = |question: &[u8], answer: &str| {
        client.send(question);
        client
            .expect_answer(session, Some(question), answer, None)
            .map_err(|f| handler.explain(session, f))
    };
    ask(b"how are u\n", "fine")?;
    ask(b"how old are u\r\n", "nicai")?;
    ask(b"what?\n", "pardon?")?;
    ask(b"\n", "pardon?")?;
    ask(b" how are u\n", "pardon?")?;
    ask(b"HOW ARE U\n", "pardon?")?;
    ask(b"how are u \n", "pardon?")?;
    client.send_in_two_parts(b"how are u\n", 4);
    client.expect_line(session, "fine").map_err(|f| handler.explain(session, f))?;
    client.send(b"how are u\nbye\n");
    client.expect_line(session, "fine")?;
    client.expect_line(session, "bye")?;
    client.expect_closed(session, "`bye`")?;
    handler.returned(session, "`bye`")
}

const TOO_LONG_WHEN_SILENT: &str = "no answer to a line longer than MAX_LINE: reading the whole \
     line before checking its length (`read_line` waits for a `\\n` that may never come, \
     keeping every byte); read at most MAX_LINE bytes with `Read::take`";

fn answers_a_line_too_long_with_an_error_and_closes(session: &Session) -> Result<(), Failure> {
    let (mut client, handler) = client_of_handle_client(session, WAIT)?;
    client.send(b"how are u\n");
    client.expect_line(session, "fine").map_err(|f| handler.explain(session, f))?;
    client.send(&vec![b'a'; MAX_LINE + 500]);
    session.note("client: (no `\\n` follows yet)");
    let line = subject::chat_server::TOO_LONG;
    match client.hear() {
        Heard::Line(got) if got == format!("{line}\n") => {}
        Heard::Closed(rest) | Heard::Silence(rest) if rest == line => {
            return Err(session.wrong(
                format!("the error line {line:?}"),
                "the error line lacks its `\\n`: write it with one",
            ));
        }
        Heard::Silence(_) => {
            return Err(handler.explain(
                session,
                session.wrong(format!("the error line {line:?}"), TOO_LONG_WHEN_SILENT),
            ));
        }
        Heard::Line(got) => {
            return Err(
                session.wrong(format!("the error line {line:?}"), different_line(&got, line))
            );
        }
        Heard::Closed(_) | Heard::Error(_) => {
            return Err(handler.explain(
                session,
                session.wrong(format!("the error line {line:?}"), CLOSED_WITHOUT_A_WORD),
            ));
        }
    }
    // The rest of the long line, and a question: a server that went on would answer it.
    client.send(b"\nhow are u\n");
    client.expect_closed_else(
        session,
        "the connection closed after the error line",
        "going on after the error line: after a line too long, return (dropping the stream \
         closes the connection); the rest of that line is no question",
    )?;
    handler.returned_error(session, "the line too long", io::ErrorKind::InvalidData)
}

fn answers_bad_utf8_with_an_error_and_closes(session: &Session) -> Result<(), Failure> {
    let (mut client, handler) = client_of_handle_client(session, WAIT)?;
    client.send(b"how are \xff\xfe u\n");
    expect_error_then_close(
        session,
        &mut client,
        subject::chat_server::NOT_UTF8,
        "no answer to a whole line that is not UTF-8: answer it with the error line",
        CLOSED_WITHOUT_A_WORD,
    )
    .map_err(|f| handler.explain(session, f))?;
    handler.returned_error(session, "the line that is not UTF-8", io::ErrorKind::InvalidData)
}

fn drops_a_silent_client_after_the_timeout(session: &Session) -> Result<(), Failure> {
    let idle = Duration::from_millis(300);
    session.note(format!("handle_client(stream, idle = {idle:?})"));
    let (mut client, handler) = client_of_handle_client(session, idle)?;
    client.send(b"how are u\n");
    client.expect_line(session, "fine").map_err(|f| handler.explain(session, f))?;
    client.send(b"how are");
    session.note("client: says nothing more, and keeps the connection open");
    let started = Instant::now();
    expect_error_then_close(
        session,
        &mut client,
        subject::chat_server::TIMED_OUT,
        "no `set_read_timeout(Some(idle))` on the stream, or a timeout other than the `idle` \
         given: a silent client then holds its thread forever",
        TIMEOUT_NOT_RECOGNISED,
    )
    .map_err(|f| handler.explain(session, f))?;
    session.note(format!("dropped after {:?} of silence", started.elapsed()));
    handler.returned_error(session, "the timeout", io::ErrorKind::TimedOut)
}

fn drops_a_slowloris_client_at_the_line_deadline(session: &Session) -> Result<(), Failure> {
    let idle = Duration::from_millis(300);
    // Ten times the scheduling delays seen on a loaded machine.
    let margin = Duration::from_millis(500);
    session.note(format!("handle_client(stream, idle = {idle:?})"));
    let (mut client, handler) = client_of_handle_client(session, idle)?;
    client.send(b"how are u\n");
    client.expect_line(session, "fine").map_err(|f| handler.explain(session, f))?;
    let mut dribbler = client.writer().map_err(|err| session.wrong("a second handle", err))?;
    let started = Instant::now();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stopped = Arc::clone(&stop);
    let sender = thread::spawn(move || {
        let mut sent = 0;
        // One byte every 50 ms, for at most 1.5 s: never a `\n`.
        while !stopped.load(Ordering::Relaxed) && started.elapsed() < Duration::from_millis(1500) {
            if dribbler.write_all(b"a").is_err() {
                break;
            }
            sent += 1;
            thread::sleep(Duration::from_millis(50));
        }
        sent
    });
    session.note("client: sends `a`, one byte every 50 ms, and never a `\\n`");
    let heard = client.hear();
    let took = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let sent = sender.join().unwrap_or(0);
    session.note(format!(
        "client: had sent {sent} byte(s) when it heard that, {took:?} after the first"
    ));
    let want = format!("{}\n", subject::chat_server::TIMED_OUT);
    let per_read = "a timeout per read only: each byte that trickles in starts the wait anew, so \
         a client that sends a byte every few seconds (slowloris) is never dropped. Give the \
         whole line a deadline, `idle` from when you start to wait for it, and before each \
         read set the read timeout to what is left of it";
    match heard {
        Heard::Line(line) if line == want && took <= idle + margin => {}
        Heard::Line(line) if line == want => {
            return Err(session.wrong(
                format!("{want:?} within {:?} of the line's start", idle + margin),
                format!("it came after {took:?}: {per_read}"),
            ));
        }
        Heard::Silence(rest) | Heard::Closed(rest) if rest == want.trim_end() => {
            return Err(session.wrong(
                format!("{want:?}, then the connection closed"),
                "the error line lacks its `\\n`: write it with one",
            ));
        }
        Heard::Silence(_) => {
            return Err(handler.explain(
                session,
                session.wrong(
                    format!("{want:?} within {:?} of the line's start", idle + margin),
                    per_read,
                ),
            ));
        }
        Heard::Closed(_) | Heard::Error(_) => {
            return Err(handler.explain(
                session,
                session
                    .wrong(format!("{want:?}, then the connection closed"), TIMEOUT_NOT_RECOGNISED),
            ));
        }
        _ => {
            return Err(handler.explain(
                session,
                session.wrong(
                    format!("{want:?}, then the connection closed"),
                    "a different answer: see the other checks of handle_client",
                ),
            ));
        }
    }
    client.expect_closed(session, &format!("{want:?}"))?;
    handler.returned_error(session, "the deadline", io::ErrorKind::TimedOut)
}

fn keeps_a_client_who_asks_in_time(session: &Session) -> Result<(), Failure> {
    let idle = Duration::from_millis(250);
    // Each line comes 25 ms after the last answer, 225 ms within its deadline (over four
    // times the longest stall seen on a loaded machine); fourteen of them take 350 ms, so a
    // deadline for the whole connection, which ends at 250 ms, cuts the last four off.
    let gap = Duration::from_millis(25);
    session.note(format!("handle_client(stream, idle = {idle:?})"));
    let (mut client, handler) = client_of_handle_client(session, idle)?;
    let started = Instant::now();
    for turn in 0..15 {
        if turn > 0 {
            thread::sleep(gap);
        }
        client.send(b"how are u\n");
        client.expect_line(session, "fine").map_err(|f| handler.explain(session, f)).map_err(
            |f| match f {
                Failure::Wrong { expected, .. } => session.wrong(
                    format!("{expected}: each question came {gap:?} after the last answer"),
                    format!(
                        "a deadline for the whole connection, not for each line: the client was \
                         dropped {:?} after it connected, though no line took longer than \
                         {gap:?}; start the deadline anew for each line",
                        started.elapsed()
                    ),
                ),
                not_done => not_done,
            },
        )?;
    }
    client.send(b"bye\n");
    client.expect_line(session, "bye")?;
    handler.returned(session, "`bye`")
}

fn drops_a_client_who_stops_reading(session: &Session) -> Result<(), Failure> {
    let idle = Duration::from_millis(300);
    session.note(format!("handle_client(stream, idle = {idle:?})"));
    let (mut client, theirs) = tcp_pair(session, "client")?;
    // A second handle on the server's end: socket options are the socket's, so it shows
    // the write timeout that handle_client set. The handler's thread lets go of it when
    // handle_client ends, so that a stub's `todo!()` still closes the connection at once.
    let watched = theirs.try_clone().map_err(|err| session.wrong("a second handle", err))?;
    let watched = std::sync::Arc::new(std::sync::Mutex::new(Ok(watched)));
    let released = std::sync::Arc::clone(&watched);
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let result = catch_panic(move || subject::chat_server::handle_client(theirs, idle));
        // Keeps only what the option was, and closes the handle.
        let mut slot = released.lock().unwrap_or_else(|e| e.into_inner());
        if let Ok(stream) = &*slot {
            *slot = Err(stream.write_timeout());
        }
        drop(slot);
        let _ = tx.send(result);
    });
    let handler = Handler(rx);
    client.send(b"how are u\n");
    client.expect_line(session, "fine").map_err(|f| handler.explain(session, f))?;
    // Filling the buffers between a server and a client who never reads takes seconds of
    // tiny answers; the write timeout is what ends that wait, so the check reads it.
    let timeout = match &*watched.lock().unwrap_or_else(|e| e.into_inner()) {
        Ok(stream) => stream.write_timeout(),
        Err(seen) => {
            seen.as_ref().map(|t| *t).map_err(|err| io::Error::new(err.kind(), err.to_string()))
        }
    }
    .map_err(|err| session.wrong("the socket's options", err))?;
    session.note(format!("the stream's write timeout, once it answered: {timeout:?}"));
    match timeout {
        Some(timeout) if timeout <= idle => Ok(()),
        Some(timeout) => Err(session.wrong(
            format!("a write timeout of at most `idle` ({idle:?})"),
            format!("a write timeout of {timeout:?}: use the `idle` given"),
        )),
        None => Err(session.wrong(
            format!("a write timeout of at most `idle` ({idle:?}) on the stream"),
            "no `set_write_timeout(Some(idle))` on the stream: a client who sends questions but \
             never reads the answers fills the buffers between you, and then blocks the \
             thread's write forever",
        )),
    }
}

fn closes_quietly_when_the_client_leaves_mid_line(session: &Session) -> Result<(), Failure> {
    let (mut client, handler) = client_of_handle_client(session, WAIT)?;
    client.send(b"how are u\n");
    client.expect_line(session, "fine").map_err(|f| handler.explain(session, f))?;
    client.send(b"how ar");
    client.finish_sending();
    client
        .expect_closed_else(
            session,
            "the connection closed, with nothing said, after a half line and the close",
            "answering the half line the close cut off (a line without its `\\n` is \
             `Line::End`), or sending an error line: a client that closes is dropped quietly",
        )
        .map_err(|f| handler.explain(session, f))?;
    match handler.0.recv_timeout(WAIT) {
        Ok(Ok(Ok(()))) => Ok(()),
        Ok(Ok(Err(err))) => Err(session.wrong(
            "handle_client to return Ok(()) when the client closes, even mid-line, as its doc says",
            format!("it returned the error {err}: `Line::End` is the client's polite close, not an error"),
        )),
        Ok(Err(panic)) => Err(session.panicked("handle_client", panic)),
        Err(_) => Err(session.wrong(
            "handle_client to return after the client closed",
            "a loop that goes on after `Line::End`",
        )),
    }
}

fn returns_the_error_of_a_reset(session: &Session) -> Result<(), Failure> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|err| session.wrong("a loopback connection", err))?;
    let addr = listener.local_addr().map_err(|err| session.wrong("a loopback connection", err))?;
    let mut oscar = TcpStream::connect_timeout(&addr, WAIT)
        .map_err(|err| session.wrong("a loopback connection", err))?;
    let (theirs, _) =
        listener.accept().map_err(|err| session.wrong("a loopback connection", err))?;
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(catch_panic(move || subject::chat_server::handle_client(theirs, WAIT)));
    });
    let handler = Handler(rx);
    let _ = oscar.set_read_timeout(Some(WAIT));
    let _ = oscar.write_all(b"how are u\n");
    session.note("oscar: → \"how are u\\n\"");
    let mut peeked = [0; 5];
    if oscar.peek(&mut peeked).unwrap_or(0) == 0 {
        return Err(handler.explain(
            session,
            session.wrong("an answer to oscar's question", "no answer to a plain question"),
        ));
    }
    let _ = oscar.write_all(b"how ar");
    drop(oscar);
    session.note(
        "oscar: → \"how ar\", then closes with the answer unread, which makes the OS reset \
         the connection (RST)",
    );
    let kinds = [io::ErrorKind::ConnectionReset, io::ErrorKind::ConnectionAborted];
    match handler.0.recv_timeout(WAIT) {
        Ok(Ok(Err(err))) if kinds.contains(&err.kind()) => {
            session.note(format!("handle_client returned the error {err}"));
            Ok(())
        }
        Ok(Ok(Err(err))) => Err(session.wrong(
            "handle_client to return the reset's error (ConnectionReset), as its doc says",
            format!(
                "it returned an error of another kind, {:?} ({err}): a reset is no timeout and \
                 no bad line; only `WouldBlock` and `TimedOut` mean the deadline passed, any \
                 other error goes back as it is",
                err.kind()
            ),
        )),
        Ok(Ok(Ok(()))) => Err(session.wrong(
            "handle_client to return the reset's error (ConnectionReset), as its doc says",
            "it returned Ok(()): taking a reset for a polite close; only `Line::End` (the \
             stream's end) is `Ok`, an error from the read goes back with `?`",
        )),
        Ok(Err(panic)) => Err(session.panicked("handle_client", panic)),
        Err(_) => Err(session.wrong(
            "handle_client to return after the reset",
            "a loop that goes on after a failed read",
        )),
    }
}

/// Starts the server program, runs `body` against it, and explains a failure by the
/// server's end if it has ended (a `todo!()` is "not done").
fn with_server(
    session: &Session,
    body: impl FnOnce(&mut Running, SocketAddr) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let mut server = session.start("chat-server", "127.0.0.1:0")?;
    let addr = server.listening(session)?;
    expect_bound_as_asked(session, "127.0.0.1:0", addr)?;
    body(&mut server, addr).map_err(|failure| server.explain(session, failure))
}

/// A polite client asks one question and must get its answer, from a server still running.
fn polite_client_is_answered(
    session: &Session,
    server: &mut Running,
    addr: SocketAddr,
    after: &str,
) -> Result<(), Failure> {
    let mut bob = TcpPeer::connect(session, "bob", addr)?;
    bob.send(b"how old are u\n");
    let mistake = format!(
        "no answer to bob after {after}: one client holds up the others or stopped the \
         server; serving one client at a time, or returning a client's error from `serve`; \
         give each client a thread of its own and report its error on stderr"
    );
    bob.expect_answer(session, None, "nicai", Some(&mistake))?;
    if !server.is_running() {
        return Err(session.wrong("the server to keep running", format!("{after} crashed it")));
    }
    Ok(())
}

fn serves_three_hundred_clients_at_once(session: &Session) -> Result<(), Failure> {
    with_server(session, |_server, addr| many_clients_are_answered(session, addr, 300).map(drop))
}

fn answers_others_while_a_client_stops_reading(session: &Session) -> Result<(), Failure> {
    with_server(session, |server, addr| {
        let slacker = client_who_stops_reading(session, addr)?;
        polite_client_is_answered(session, server, addr, "slacker's unread answers")?;
        drop(slacker);
        Ok(())
    })
}

fn answers_others_while_a_client_is_silent(session: &Session) -> Result<(), Failure> {
    with_server(session, |server, addr| {
        let mut trudy = TcpPeer::connect(session, "trudy", addr)?;
        trudy.send(b"how are");
        session.note("trudy: says nothing more, and keeps the connection open");
        polite_client_is_answered(session, server, addr, "trudy's half line")?;
        drop(trudy);
        Ok(())
    })
}

fn survives_a_huge_line(session: &Session) -> Result<(), Failure> {
    const HUGE: usize = 8 << 20;
    with_server(session, |server, addr| {
        let mut mallory = TcpStream::connect_timeout(&addr, WAIT)
            .map_err(|err| session.wrong("a connection for mallory", err))?;
        let _ = mallory.set_write_timeout(Some(WAIT));
        let _ = mallory.set_read_timeout(Some(WAIT));
        let chunk = vec![b'a'; 64 * 1024];
        let mut sent = 0;
        while sent < HUGE {
            match mallory.write(&chunk) {
                Ok(n) => sent += n,
                Err(err) => {
                    session.note(format!("mallory: writing stopped after {sent} bytes: {err}"));
                    break;
                }
            }
        }
        session.note(format!("mallory: → {sent} bytes of `a`, no `\\n`"));
        let mut answer = String::new();
        let heard = BufReader::new(&mallory).take(4096).read_line(&mut answer);
        session.note(match heard {
            Ok(_) if answer.is_empty() => "mallory: ← connection closed".to_string(),
            Ok(_) => format!("mallory: ← {answer:?}"),
            Err(err) if answer.is_empty() && is_timeout(&err) => {
                format!("mallory: … nothing within {WAIT:?}")
            }
            Err(err) => format!("mallory: ← {answer:?} then ✗ {err}"),
        });
        let want = format!("{}\n", subject::chat_server::TOO_LONG);
        if answer != want {
            let mistake = if answer == want.trim_end() {
                "the error line lacks its `\\n`: write it with one"
            } else {
                TOO_LONG_WHEN_SILENT
            };
            return Err(session
                .wrong(format!("the line {want:?} for a line of several megabytes"), mistake));
        }
        drop(mallory);
        polite_client_is_answered(session, server, addr, "mallory's huge line")
    })
}

fn survives_a_reset_mid_line(session: &Session) -> Result<(), Failure> {
    with_server(session, |server, addr| {
        let mut oscar = TcpStream::connect_timeout(&addr, WAIT)
            .map_err(|err| session.wrong("a connection for oscar", err))?;
        let _ = oscar.set_read_timeout(Some(WAIT));
        let _ = oscar.write_all(b"how are u\n");
        session.note("oscar: → \"how are u\\n\"");
        // Wait for the answer without reading it: an unread answer is what makes the
        // close below a reset.
        let mut peeked = [0; 5];
        let arrived = oscar.peek(&mut peeked).unwrap_or(0);
        if arrived == 0 {
            return Err(session.wrong(
                "an answer to oscar's question",
                "no answer to a plain question: see the checks on handle_client",
            ));
        }
        let _ = oscar.write_all(b"how ar");
        drop(oscar);
        session.note(
            "oscar: → \"how ar\", then closes with the answer unread, which makes the OS reset \
             the connection (RST) in the middle of a line",
        );
        polite_client_is_answered(session, server, addr, "oscar's reset")?;
        super::tcp_server::expect_nothing_more_on_stdout(session, server)
    })
}

fn is_timeout(err: &io::Error) -> bool {
    matches!(err.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut)
}
