//! Checks of the SMTP client (`exercises/src/smtp_client.rs`).

use std::io::BufReader;
use std::net::TcpStream;

use grader::http::{Then, fed_stream, pieces};
use grader::peer::show;
use grader::smtp::{Options, Seen, SmtpServer};
use grader::{Check, Failure, Session, WAIT};
use subject::smtp_client::{Reply, SmtpError};

pub const CHECKS: &[Check] = grader::checks!("smtp_client": reads_single_and_multi_line_replies, rejects_malformed_replies, dot_stuffs_the_message, sends_a_message_in_order, reads_a_multi_line_ehlo_reply_split_across_writes, waits_for_each_reply, sends_an_empty_reverse_path, aborts_when_the_recipient_is_rejected, aborts_on_a_refusing_greeting, checks_each_reply_code_exactly, goes_on_after_251_for_a_recipient, sends_the_body_dot_stuffed, reports_a_failure_with_one_line_and_a_nonzero_exit);

/// Reads one reply with the code under test from a server that sends `bytes` in pieces.
fn read_fed(
    session: &Session,
    bytes: Vec<Vec<u8>>,
    then: Then,
) -> Result<Result<Reply, SmtpError>, Failure> {
    let stream = fed_stream(session, "server", bytes, then)?;
    let got = session.call("smtp_client::read_reply", WAIT, move || {
        subject::smtp_client::read_reply(&mut BufReader::new(stream))
    });
    match got {
        Err(Failure::Wrong { expected, .. }) if expected.contains("to return within") => Err(session.wrong(
            expected,
            "reading past the reply's last line (the server waits for the next command): a reply \
             ends at the first line whose code is followed by a space, or by nothing",
        )),
        other => other.inspect(|got| session.note(format!("read_reply = {got:?}"))),
    }
}

fn reads_single_and_multi_line_replies(session: &Session) -> Result<(), Failure> {
    let reply =
        |code, lines: &[&str]| Reply { code, lines: lines.iter().map(|l| l.to_string()).collect() };
    let cases = [
        (
            pieces(&["22", "0 mail.example ESMTP ready\r", "\n"]),
            reply(220, &["mail.example ESMTP ready"]),
            "a greeting in three pieces",
        ),
        (
            pieces(&[
                "250-mail.example greets you\r\n250-8BITM",
                "IME\r\n250-SIZE 1048576\r",
                "\n250 HELP\r\n",
            ]),
            reply(250, &["mail.example greets you", "8BITMIME", "SIZE 1048576", "HELP"]),
            "a reply of four lines in pieces",
        ),
        (pieces(&["250\r\n"]), reply(250, &[""]), "a reply that is just its code"),
        (pieces(&["354 go ahead\n"]), reply(354, &["go ahead"]), "a reply ending in a lone LF"),
    ];
    for (bytes, want, what) in cases {
        let got = read_fed(session, bytes, Then::StayOpen)?;
        match got {
            Ok(got) if got == want => {}
            Ok(got) => {
                let mistake = if got.lines.len() < want.lines.len() {
                    "stopping after one line of a reply of several: `250-` (a dash) means more \
                     lines follow; only `250 ` (a space) ends the reply"
                } else if got.code != want.code {
                    "taking one `read` for a line: a reply may come in pieces; read up to `\\n`"
                } else {
                    "the text of each line is what follows the code and its `-` or space, \
                     without the line ending"
                };
                return Err(session.wrong(format!("Ok({want:?}) for {what}"), mistake));
            }
            Err(err) => {
                return Err(session.wrong(
                    format!("Ok({want:?}) for {what}"),
                    format!(
                        "it returned the error {err}: a reply may come in pieces (read up to \
                         `\\n`, never one `read`), and a line may be just the code"
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn rejects_malformed_replies(session: &Session) -> Result<(), Failure> {
    let cases: [(&[u8], &str); 7] = [
        (b"25 ok\r\n", "a code of two digits"),
        (b"abc ok\r\n", "no code"),
        (b"250xok\r\n", "a code followed by neither `-` nor a space"),
        (b"250-first\r\n251 second\r\n", "lines of one reply with different codes"),
        (b"25\xc3\xa9 ok\r\n", "a code whose third character, `\u{e9}`, takes two bytes"),
        (b"\xff\xfe\xfd ok\r\n", "a code of bytes that are not UTF-8"),
        (b"\r\n", "an empty line"),
    ];
    for (bytes, what) in cases {
        let got = read_fed(session, vec![bytes.to_vec()], Then::StayOpen)?;
        if !matches!(got, Err(SmtpError::Malformed(_))) {
            let mistake = if matches!(&got, Ok(reply) if reply.lines.len() == 1 && bytes.starts_with(b"250-"))
            {
                "stopping after the first line of a reply: `250-` (a dash) means more lines \
                 follow, each with the same code; read on to the line whose code is followed by \
                 a space"
            } else if matches!(got, Err(SmtpError::Io(_))) {
                "an I/O error for a reply that came whole but breaks the syntax: that is \
                 `SmtpError::Malformed`; read bytes (`read_until`) rather than a `String`, \
                 whose `read_line` fails on bytes that are not UTF-8"
            } else {
                "accepting a reply that breaks the syntax: three digits, then `-`, a space or \
                 the end of the line, the same code on every line"
            };
            return Err(
                session.wrong(format!("Err(Malformed(..)) for {what}: {}", show(bytes)), mistake)
            );
        }
    }
    for (bytes, what) in [("250-more to come\r\n", "half a reply"), ("", "nothing")] {
        let got = read_fed(session, pieces(&[bytes]), Then::Close)?;
        if !matches!(got, Err(SmtpError::Io(_))) {
            return Err(session.wrong(
                format!("Err(Io(..)) when the server sends {what} and closes"),
                "`read_until` giving a line without `\\n` means the connection closed: an \
                 `io::ErrorKind::UnexpectedEof` error",
            ));
        }
    }
    Ok(())
}

fn dot_stuffs_the_message(session: &Session) -> Result<(), Failure> {
    for (message, want) in [
        ("hello\n", "hello\r\n.\r\n"),
        (".hidden\n", "..hidden\r\n.\r\n"),
        (".\n", "..\r\n.\r\n"),
        ("a\r\nb", "a\r\nb\r\n.\r\n"),
        ("", ".\r\n"),
        ("..two\n", "...two\r\n.\r\n"),
        ("a.b\n.\n", "a.b\r\n..\r\n.\r\n"),
        ("\n\n", "\r\n\r\n.\r\n"),
        ("Subject: hi\n\nline\n. \n", "Subject: hi\r\n\r\nline\r\n.. \r\n.\r\n"),
    ] {
        let got = session.call("smtp_client::dot_stuff", WAIT, move || {
            subject::smtp_client::dot_stuff(message.as_bytes())
        })?;
        session.note(format!("dot_stuff({message:?}) = {}", show(&got)));
        if got != want.as_bytes() {
            let text = String::from_utf8_lossy(&got);
            let mistake = if message.contains("\n.") || message.starts_with('.') {
                "no dot-stuffing: a line starting with `.` gets one more `.` in front, or a line \
                 holding only `.` would end the message early"
            } else if text.replace("\r\n", "").contains('\n') {
                "lines ending in `\\n` alone: SMTP lines end in `\\r\\n`; turn each line's \
                 ending into `\\r\\n`"
            } else if !(text.ends_with("\r\n.\r\n") || message.is_empty() && text == ".\r\n") {
                "the end of the message is a line holding only `.`: finish with `.\\r\\n`, after \
                 a last line that ends in `\\r\\n` (add one if the message lacks it)"
            } else {
                "one line out for each line in: an empty message is just `.\\r\\n`, and a \
                 message ending in a newline gets no extra empty line"
            };
            return Err(session.wrong(format!("dot_stuff({message:?}) = {want:?}"), mistake));
        }
    }
    Ok(())
}

/// Runs `send_mail` against a reference server with `options`; returns what it
/// returned and what the server saw.
fn send(
    session: &Session,
    options: Options,
    from: &'static str,
    to: &'static str,
    message: &'static str,
) -> Result<(Result<(), SmtpError>, Seen), Failure> {
    let server = SmtpServer::start(session, options)?;
    let stream = TcpStream::connect(server.addr)
        .map_err(|err| session.wrong("a connection to the reference server", err))?;
    let got = session.call("smtp_client::send_mail", WAIT, move || {
        subject::smtp_client::send_mail(stream, from, to, message.as_bytes())
    });
    let seen = server.finish();
    let got = got?;
    session.note(format!("send_mail returned {got:?}"));
    Ok((got, seen))
}

/// The message as the server should have it: each line ending in `\n`.
fn normalized(message: &str) -> String {
    message
        .split_inclusive('\n')
        .map(|l| format!("{}\n", l.trim_end_matches('\n').trim_end_matches('\r')))
        .collect()
}

/// What the server makes of `message` sent without dot-stuffing.
fn as_if_not_stuffed(message: &str) -> String {
    let mut seen = String::new();
    for line in normalized(message).lines() {
        if line == "." {
            break;
        }
        seen.push_str(line.strip_prefix('.').unwrap_or(line));
        seen.push('\n');
    }
    seen
}

/// Whether the client read the server's replies out of step, judged from the reply line it
/// quotes (`quotes(code, text)` says whether it quotes a line): the line is not one of the
/// reply to the step it failed at (`step`, the command line as sent, or else the last
/// exchange before QUIT) but one the server sent to another command. Says so, and why.
fn out_of_step(
    seen: &Seen,
    step: Option<&str>,
    quotes: impl Fn(u16, &str) -> bool,
) -> Option<String> {
    fn code_and_text(line: &str) -> Option<(u16, &str)> {
        Some((line.get(..3)?.parse::<u16>().ok()?, line.get(4..).unwrap_or("")))
    }
    let found: Vec<(usize, usize)> = seen
        .replies
        .iter()
        .enumerate()
        .flat_map(|(i, (_, lines))| {
            lines
                .iter()
                .enumerate()
                .filter(|(_, line)| code_and_text(line).is_some_and(|(c, t)| quotes(c, t)))
                .map(move |(k, _)| (i, k))
        })
        .collect();
    let &(i, k) = found.first()?;
    let (about, lines) = &seen.replies[i];
    // The exchange the client failed at, and the server's reply to it, if it sent one.
    let (at, to, wanted) = match step {
        Some(step) => {
            let at = seen.replies.iter().rposition(|(to, _)| to.eq_ignore_ascii_case(step.trim()));
            let wanted = at.map_or_else(
                || "a reply the server had not sent yet".to_string(),
                |at| format!("{:?}", seen.replies[at].1.join("\r\n")),
            );
            // A step named otherwise than the command line as sent: the last reply before
            // QUIT is the one it may be about.
            let last = seen.replies.iter().rposition(|(to, _)| !to.eq_ignore_ascii_case("QUIT"));
            if at.is_none() && found.iter().any(|&(i, _)| Some(i) == last) {
                return None;
            }
            (at.unwrap_or(seen.replies.len()), step.to_string(), wanted)
        }
        None => {
            let at = seen.replies.iter().rposition(|(to, _)| !to.eq_ignore_ascii_case("QUIT"))?;
            let (to, wanted) = &seen.replies[at];
            (at, to.clone(), format!("{:?}", wanted.join("\r\n")))
        }
    };
    if found.iter().any(|&(i, _)| i == at) {
        return None;
    }
    let which = if lines.len() > 1 {
        format!("line {} of {} of the server's reply to {about}", k + 1, lines.len())
    } else {
        format!("the server's reply to {about}")
    };
    let why = if i < at && lines.len() > 1 {
        "it stops reading a reply of several lines too early: `250-` (a dash) means more lines \
         follow, and only a line whose code is followed by a space (`250 `) ends the reply, so \
         the lines left over are taken for the replies to the next commands"
    } else if i < at {
        "one reply too few read: each command gets exactly one reply (the greeting comes \
         first), read to its last line, before the next command"
    } else {
        "a reply to a later command: send each command only after the whole reply to the one \
         before"
    };
    Some(format!(
        "replies read out of step: the client took {:?}, {which}, for its reply to {to}, which \
         was {wanted}: {why}",
        lines[k]
    ))
}

/// [`out_of_step`] for what `send_mail` (or the program, its stderr as `Malformed`) returned.
fn quoted_out_of_step(seen: &Seen, got: &Result<(), SmtpError>) -> Option<String> {
    match got {
        Err(SmtpError::Refused { step, reply, .. }) => out_of_step(seen, Some(step), |c, t| {
            c == reply.code && reply.lines.last().is_some_and(|last| last == t)
        }),
        Err(SmtpError::Malformed(said)) => out_of_step(seen, None, |c, t| {
            t.len() >= 4 && said.contains(t) && said.contains(&c.to_string())
        }),
        _ => None,
    }
}

/// Says what went wrong in the order of the conversation, if anything did.
fn judge_turns(session: &Session, seen: &Seen) -> Result<(), Failure> {
    if let Some(command) = seen.out_of_order.first() {
        return Err(session.wrong(
            "each command in its turn: EHLO, MAIL FROM, RCPT TO, DATA, the message, QUIT",
            format!(
                "{command:?} was out of order (the server answered 503): the commands go in \
                     the order of the table, and a failed step ends the attempt"
            ),
        ));
    }
    if let Some(command) = seen.early.first() {
        return Err(session.wrong(
            "each command sent only after the whole reply to the one before it",
            format!(
                "{command:?} came before the reply it should wait for was complete: SMTP \
                     goes in turns; read the greeting first, and read each reply to its last \
                     line (`250 ` with a space, not `250-`) before the next command"
            ),
        ));
    }
    Ok(())
}

/// Expects a conversation that delivered `message` from `from` to `to` and ended with QUIT.
fn expect_delivered(
    session: &Session,
    got: Result<(), SmtpError>,
    seen: &Seen,
    (from, to, message): (&str, &str, &str),
) -> Result<(), Failure> {
    let unstuffed = as_if_not_stuffed(message);
    if unstuffed != normalized(message) && seen.message.as_ref() == Some(&unstuffed) {
        return Err(session.wrong(
            format!("the message {:?}", normalized(message)),
            "no dot-stuffing: the server removed the first `.` of lines starting with one, and \
             took the line `.` for the end of the message; put one more `.` in front of each \
             line that starts with `.`",
        ));
    }
    let want = [&format!("MAIL FROM:<{from}>"), &format!("RCPT TO:<{to}>"), "DATA", "QUIT"];
    // The reply the client quotes in its error is the surest sign of replies read out of
    // step, which also makes commands come early or out of order: it goes first.
    if let Some(mistake) = quoted_out_of_step(seen, &got) {
        return Err(
            session.wrong(format!("the commands EHLO …, {}, and Ok(())", want.join(", ")), mistake)
        );
    }
    judge_turns(session, seen)?;
    if let Some(command) = seen.bare_lf_commands.first() {
        return Err(session.wrong(
            "every command ending in `\\r\\n`",
            format!(
                "{command:?} ended in `\\n` alone: SMTP commands end in `\\r\\n` (RFC 5321, \
                 section 2.3.8)"
            ),
        ));
    }
    let commands: Vec<&str> = seen.commands.iter().map(String::as_str).collect();
    let ehlo = commands.first().is_some_and(|c| c.starts_with("EHLO ") && c.len() > 5);
    if !ehlo || commands.get(1..) != Some(&want[..]) {
        let mistake = if !ehlo {
            "the first command is `EHLO` and the client's name (or `[address]`)"
        } else if commands
            .iter()
            .any(|c| c.starts_with("MAIL FROM: ") || c.starts_with("RCPT TO: "))
        {
            "a space after the colon: it is `MAIL FROM:<address>` and `RCPT TO:<address>`, with \
             the address in angle brackets"
        } else if !commands.contains(&"QUIT") && seen.quit_in_message {
            "`QUIT` came while the server was reading the message, after its 354 to DATA: the \
             client did not take that 354 for \"go ahead\"; its replies are read out of step (a \
             reply of several lines, `250-` … `250 `, read as one line leaves its other lines \
             to be taken for the replies to the next commands)"
        } else if !commands.contains(&"QUIT") {
            "no `QUIT` at the end: say goodbye and wait for 221"
        } else {
            "these commands, in this order, each line ending in `\\r\\n`"
        };
        return Err(session.wrong(format!("the commands EHLO …, {}", want.join(", ")), mistake));
    }
    let name = commands[0]["EHLO ".len()..].trim();
    if name.parse::<std::net::IpAddr>().is_ok() {
        return Err(session.wrong(
            "EHLO and the client's domain name, or its address in brackets: `EHLO [127.0.0.1]`",
            format!(
                "`EHLO {name}`: a bare address is no domain name; a client without a name gives \
                 its address as an address literal, in brackets (`[127.0.0.1]`, and \
                 `[IPv6:::1]` for IPv6; RFC 5321, section 4.1.3)"
            ),
        ));
    }
    let want = normalized(message);
    match &seen.message {
        Some(got) if *got == want => {}
        Some(got) if want.starts_with(got.as_str()) => {
            return Err(session.wrong(
                format!("the message {want:?}"),
                "the message was cut short: no dot-stuffing, so a line holding only `.` ended it \
                 early; a line starting with `.` gets one more in front",
            ));
        }
        _ => {
            return Err(session.wrong(
                format!("the message {want:?}, each line ending in `\\r\\n`"),
                "the message changed on the way: send its lines as they are, each ending in \
                 `\\r\\n`, with dot-stuffing (a line starting with `.` gets one more `.` in \
                 front), then the line `.`",
            ));
        }
    }
    if seen.bare_lf {
        return Err(session.wrong(
            "every line of the message ending in `\\r\\n`",
            "a line ending in `\\n` alone: SMTP lines end in `\\r\\n`",
        ));
    }
    if let Err(err) = got {
        return Err(
            session.wrong("Ok(()) after the 221 to QUIT", format!("it returned the error {err}"))
        );
    }
    Ok(())
}

const MESSAGE: &str = "Subject: hello\n\nHi Bob,\nsee you at noon.\n";

fn sends_a_message_in_order(session: &Session) -> Result<(), Failure> {
    let (from, to) = ("alice@example.org", "bob@example.com");
    let (got, seen) = send(session, Options::default(), from, to, MESSAGE)?;
    expect_delivered(session, got, &seen, (from, to, MESSAGE))
}

fn reads_a_multi_line_ehlo_reply_split_across_writes(session: &Session) -> Result<(), Failure> {
    let (from, to) = ("alice@example.org", "bob@example.com");
    let options = Options { split: true, ..Options::default() };
    let (got, seen) = send(session, options, from, to, MESSAGE)?;
    expect_delivered(session, got, &seen, (from, to, MESSAGE))
}

fn waits_for_each_reply(session: &Session) -> Result<(), Failure> {
    let (from, to) = ("alice@example.org", "bob@example.com");
    let options = Options { slow: true, ..Options::default() };
    let (got, seen) = send(session, options, from, to, MESSAGE)?;
    expect_delivered(session, got, &seen, (from, to, MESSAGE))
}

fn sends_an_empty_reverse_path(session: &Session) -> Result<(), Failure> {
    let (got, seen) = send(session, Options::default(), "", "postmaster@example.com", MESSAGE)?;
    expect_delivered(session, got, &seen, ("", "postmaster@example.com", MESSAGE))
}

/// Expects `send_mail` to have failed at `step` with `code`, having sent exactly
/// `commands` (matched by their start) and no message.
fn expect_abort(
    session: &Session,
    got: Result<(), SmtpError>,
    seen: &Seen,
    code: u16,
    commands: &[&str],
) -> Result<(), Failure> {
    let want = format!("Err(Refused {{ .. code {code} .. }}) and the commands {commands:?}");
    // Refused by the reply with the code the server sent to that step: the replies were
    // read in step.
    let in_step = matches!(&got, Err(SmtpError::Refused { reply, .. }) if reply.code == code);
    // Even a reply with the awaited code may be another command's, read out of step: its
    // text tells.
    if matches!(&got, Err(SmtpError::Refused { .. })) {
        if let Some(mistake) = quoted_out_of_step(seen, &got) {
            return Err(session.wrong(want, mistake));
        }
    }
    match got {
        Err(SmtpError::Refused { reply, .. }) if reply.code == code => {}
        Ok(()) => {
            return Err(session.wrong(
                want,
                "ignoring reply codes: each step needs its one code, and any other ends the \
                 attempt with `SmtpError::Refused`",
            ));
        }
        Err(SmtpError::Refused { step, reply, .. }) => {
            return Err(session.wrong(
                want,
                format!(
                    "it stopped later, at {step:?} answered {}: the reply {code} came before \
                     and was let through; check every reply's code, the greeting's (220) too",
                    reply.code
                ),
            ));
        }
        Err(err) => {
            return Err(session.wrong(want, format!("it returned the error {err}")));
        }
    }
    let sent: Vec<&str> = seen.commands.iter().map(String::as_str).collect();
    let same =
        sent.len() == commands.len() && sent.iter().zip(commands).all(|(s, c)| s.starts_with(c));
    if !same {
        let mistake = if sent.last() != Some(&"QUIT") && in_step {
            "no `QUIT` after the failure: say goodbye before returning the error"
        } else if sent.last() != Some(&"QUIT") {
            "no `QUIT` after the failure: say goodbye before returning the error; or replies \
             read out of step (a reply of several lines, `250-` … `250 `, read as one line \
             leaves its other lines to be taken for the replies to the next commands)"
        } else if sent.len() > commands.len() {
            "going on after a failed step: stop at the first reply that has the wrong code, \
             then send `QUIT`"
        } else {
            "these commands, in this order"
        };
        return Err(session.wrong(want, mistake));
    }
    if seen.message.is_some() {
        return Err(session.wrong(want, "the message was sent after a failed step"));
    }
    Ok(())
}

/// Expects the error `Refused` by the reply `code` to name the step and the codes it
/// needed as the doc comment of `SmtpError::Refused` says; other outcomes are left to
/// `expect_abort`.
fn expect_step(
    session: &Session,
    got: &Result<(), SmtpError>,
    code: u16,
    step: &str,
    expected: &[u16],
) -> Result<(), Failure> {
    if let Err(SmtpError::Refused { step: got_step, expected: got_expected, reply }) = got {
        if reply.code == code && (got_step != step || *got_expected != expected) {
            return Err(session.wrong(
                format!("Refused {{ step: {step:?}, expected: {expected:?}, .. }}"),
                format!(
                    "Refused {{ step: {got_step:?}, expected: {got_expected:?}, .. }}: `step` is \
                     the command line as sent (or \"the greeting\", \"the message\"), and \
                     `expected` every code that would have let the client go on"
                ),
            ));
        }
    }
    Ok(())
}

fn aborts_when_the_recipient_is_rejected(session: &Session) -> Result<(), Failure> {
    let options = Options { reject_recipient: true, ..Options::default() };
    let (got, seen) = send(session, options, "alice@example.org", "nobody@example.com", MESSAGE)?;
    expect_step(session, &got, 550, "RCPT TO:<nobody@example.com>", &[250, 251])?;
    expect_abort(session, got, &seen, 550, &["EHLO ", "MAIL FROM:", "RCPT TO:", "QUIT"])
}

fn aborts_on_a_refusing_greeting(session: &Session) -> Result<(), Failure> {
    let options = Options { greeting: 554, ..Options::default() };
    let (got, seen) = send(session, options, "alice@example.org", "bob@example.com", MESSAGE)?;
    expect_step(session, &got, 554, "the greeting", &[220])?;
    expect_abort(session, got, &seen, 554, &["QUIT"])
}

fn checks_each_reply_code_exactly(session: &Session) -> Result<(), Failure> {
    let options = Options { data_reply: 250, ..Options::default() };
    let (got, seen) = send(session, options, "alice@example.org", "bob@example.com", MESSAGE)?;
    expect_abort(session, got, &seen, 250, &["EHLO ", "MAIL FROM:", "RCPT TO:", "DATA", "QUIT"])
        .map_err(|failure| match failure {
            Failure::Wrong { expected, .. } if seen.commands.len() > 5 => session.wrong(
                expected,
                "accepting any success code: DATA needs exactly 354 (\"send the message\"); a 250 \
                 means the server is not waiting for one",
            ),
            other => other,
        })?;
    // 221 is a success of the same class as the 250 that MAIL FROM needs, and means the
    // server is closing: taken for 250, the client goes on talking to nobody.
    let options = Options { closes_at_mail: true, ..Options::default() };
    let (got, seen) = send(session, options, "alice@example.org", "bob@example.com", MESSAGE)?;
    if !matches!(&got, Err(SmtpError::Refused { reply, .. }) if reply.code == 221) {
        session.note(format!("send_mail returned {got:?}"));
        return Err(session.wrong(
            "Err(Refused { .. code 221 .. }): MAIL FROM needs 250, and the server said 221, \
             closing",
            "accepting any reply of the right class (its first digit) for the one the step \
             needs: each step takes only its own codes (250 for MAIL FROM), and any other, even \
             a 2xx, ends the attempt with `SmtpError::Refused` and that reply",
        ));
    }
    expect_abort(session, got, &seen, 221, &["EHLO ", "MAIL FROM:"])
}

fn goes_on_after_251_for_a_recipient(session: &Session) -> Result<(), Failure> {
    let (from, to) = ("alice@example.org", "bob@elsewhere.example");
    let options = Options { forward_recipient: true, ..Options::default() };
    let (got, seen) = send(session, options, from, to, MESSAGE)?;
    if let Err(SmtpError::Refused { reply, .. }) = &got {
        if reply.code == 251 {
            return Err(session.wrong(
                "the message sent after `251` to RCPT TO",
                "only 250 taken for success at RCPT TO: 251 (\"user not local; will forward\") \
                 accepts the recipient too (RFC 5321, section 4.2.2)",
            ));
        }
    }
    expect_delivered(session, got, &seen, (from, to, MESSAGE))
}

const STUFFED: &str = ".hidden line\n.\n..two dots\nlast line without a newline";

fn sends_the_body_dot_stuffed(session: &Session) -> Result<(), Failure> {
    let server = SmtpServer::start(session, Options::default())?;
    let addr = server.addr.to_string();
    let (from, to) = ("alice@example.org", "bob@example.com");
    let finished = session.run_with_args_to_end("smtp-send", &[&addr, from, to], STUFFED);
    let seen = server.finish();
    let finished = finished?;
    let got = if finished.output.status.success() {
        Ok(())
    } else {
        Err(SmtpError::Malformed(finished.stderr()))
    };
    expect_delivered(session, got, &seen, (from, to, STUFFED))
}

fn reports_a_failure_with_one_line_and_a_nonzero_exit(session: &Session) -> Result<(), Failure> {
    let options = Options { reject_recipient: true, ..Options::default() };
    let server = SmtpServer::start(session, options)?;
    let addr = server.addr.to_string();
    let finished = session.run_with_args_to_end(
        "smtp-send",
        &[&addr, "alice@example.org", "nobody@example.com"],
        MESSAGE,
    );
    let seen = server.finish();
    let finished = finished?;
    super::http_client::expect_one_clear_error(session, &finished, "the recipient is refused")?;
    if !finished.stderr().contains("550") {
        if let Some(mistake) =
            quoted_out_of_step(&seen, &Err(SmtpError::Malformed(finished.stderr())))
        {
            return Err(session
                .wrong("an error line that gives the server's reply, 550 and its text", mistake));
        }
        return Err(session.wrong(
            "an error line that gives the server's reply, 550 and its text",
            "an error that does not say why: return `SmtpError::Refused` with the reply, whose \
             `Display` shows the step, the reply and the codes expected, and let the program \
             print it",
        ));
    }
    if !seen.quit {
        return Err(session.wrong(
            "`QUIT` before giving up",
            "no `QUIT` after the failure: say goodbye before returning the error",
        ));
    }
    Ok(())
}
