//! Mistakes in the SMTP client.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;

use crate::{Mistake, making};
use solutions::smtp_client as model;
pub use solutions::smtp_client::{Reply, SmtpError};

/// Each mistake made here, the checks that must catch it, and words their message must contain.
pub const MISTAKES: &[Mistake] = &[
    (
        "smtp_client_one_line_per_reply",
        // Every conversation goes out of step after EHLO's reply of four lines: each check
        // must see that from what the server sent (a line of EHLO's reply quoted as DATA's,
        // or a command sent before its reply), not blame its own angle (no QUIT, an
        // unchecked 550, an error that does not say why).
        &[
            "smtp_client::reads_single_and_multi_line_replies",
            "smtp_client::reads_a_multi_line_ehlo_reply_split_across_writes",
            "smtp_client::sends_a_message_in_order",
            "smtp_client::waits_for_each_reply",
            "smtp_client::sends_an_empty_reverse_path",
            "smtp_client::aborts_when_the_recipient_is_rejected",
            "smtp_client::goes_on_after_251_for_a_recipient",
            "smtp_client::sends_the_body_dot_stuffed",
            "smtp_client::reports_a_failure_with_one_line_and_a_nonzero_exit",
            "smtp_client::checks_each_reply_code_exactly",
        ],
        "250-",
    ),
    (
        "smtp_client_one_read_per_reply",
        &["smtp_client::reads_single_and_multi_line_replies"],
        "pieces",
    ),
    (
        "smtp_client_no_dot_stuffing",
        &["smtp_client::dot_stuffs_the_message", "smtp_client::sends_the_body_dot_stuffed"],
        "dot-stuffing",
    ),
    ("smtp_client_bare_lf", &["smtp_client::dot_stuffs_the_message"], "`\\n` alone"),
    (
        "smtp_client_ignores_reply_codes",
        &["smtp_client::aborts_when_the_recipient_is_rejected"],
        "ignoring reply codes",
    ),
    (
        "smtp_client_accepts_any_success",
        &["smtp_client::checks_each_reply_code_exactly"],
        "any success code",
    ),
    (
        "smtp_client_no_quit_on_failure",
        &[
            "smtp_client::aborts_when_the_recipient_is_rejected",
            "smtp_client::reports_a_failure_with_one_line_and_a_nonzero_exit",
        ],
        "no `QUIT`",
    ),
    ("smtp_client_does_not_wait", &["smtp_client::waits_for_each_reply"], "came before the reply"),
    ("smtp_client_speaks_first", &["smtp_client::waits_for_each_reply"], "read the greeting first"),
    (
        "smtp_client_space_after_colon",
        &["smtp_client::sends_a_message_in_order"],
        "space after the colon",
    ),
    ("smtp_client_skips_ehlo", &["smtp_client::sends_a_message_in_order"], "out of order"),
    (
        "smtp_client_accepts_the_class",
        &["smtp_client::checks_each_reply_code_exactly"],
        "right class",
    ),
    ("smtp_client_ehlo_bare_address", &["smtp_client::sends_a_message_in_order"], "in brackets"),
    (
        "smtp_client_succeeds_after_a_refusal",
        &["smtp_client::reports_a_failure_with_one_line_and_a_nonzero_exit"],
        "returning `Ok`",
    ),
    (
        "smtp_client_code_sliced_as_text",
        &["smtp_client::rejects_malformed_replies"],
        "not to panic",
    ),
    (
        "smtp_client_mixed_codes_accepted",
        &["smtp_client::rejects_malformed_replies"],
        "the same code on every line",
    ),
    (
        "smtp_client_reply_read_as_a_string",
        &["smtp_client::rejects_malformed_replies"],
        "`read_until`",
    ),
    ("smtp_client_empty_from_left_out", &["smtp_client::sends_an_empty_reverse_path"], "MAIL FROM"),
    (
        "smtp_client_lf_commands",
        &["smtp_client::sends_a_message_in_order", "smtp_client::waits_for_each_reply"],
        "RFC 5321, section 2.3.8",
    ),
    (
        "smtp_client_refusal_without_the_reply",
        &["smtp_client::reports_a_failure_with_one_line_and_a_nonzero_exit"],
        "does not say why",
    ),
    (
        "smtp_client_step_is_the_verb",
        &["smtp_client::aborts_when_the_recipient_is_rejected"],
        "the command line as sent",
    ),
    ("smtp_client_rcpt_250_only", &["smtp_client::goes_on_after_251_for_a_recipient"], "251"),
    (
        "smtp_client_greeting_not_checked",
        &["smtp_client::aborts_on_a_refusing_greeting"],
        "the greeting's (220) too",
    ),
];

pub fn read_reply(reader: &mut impl BufRead) -> Result<Reply, SmtpError> {
    let by_text = [
        "smtp_client_code_sliced_as_text",
        "smtp_client_mixed_codes_accepted",
        "smtp_client_reply_read_as_a_string",
    ];
    if by_text.iter().any(|m| making(m)) {
        return read_reply_as_text(reader);
    }
    if making("smtp_client_one_line_per_reply") {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        let code = line
            .get(..3)
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| SmtpError::Malformed(line.into()))?;
        return Ok(Reply { code, lines: vec![line.get(4..).unwrap_or("").to_string()] });
    }
    if making("smtp_client_one_read_per_reply") {
        let mut buf = [0; 1024];
        let len = reader.read(&mut buf)?;
        let text = String::from_utf8_lossy(&buf[..len]).into_owned();
        let code = text
            .get(..3)
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| SmtpError::Malformed(text.clone()))?;
        let lines = text.lines().map(|l| l.get(4..).unwrap_or("").to_string()).collect();
        return Ok(Reply { code, lines });
    }
    model::read_reply(reader)
}

pub fn dot_stuff(message: &[u8]) -> Vec<u8> {
    if making("smtp_client_no_dot_stuffing") {
        let stuffed = model::dot_stuff(message);
        let text = String::from_utf8_lossy(&stuffed).replace("\r\n..", "\r\n.");
        return text.strip_prefix("..").map_or(text.clone(), |t| format!(".{t}")).into_bytes();
    }
    if making("smtp_client_bare_lf") {
        return String::from_utf8_lossy(&model::dot_stuff(message))
            .replace("\r\n", "\n")
            .into_bytes();
    }
    model::dot_stuff(message)
}

pub fn send_mail(stream: TcpStream, from: &str, to: &str, message: &[u8]) -> Result<(), SmtpError> {
    let mistakes = [
        "smtp_client_one_line_per_reply",
        "smtp_client_one_read_per_reply",
        "smtp_client_no_dot_stuffing",
        "smtp_client_bare_lf",
        "smtp_client_ignores_reply_codes",
        "smtp_client_accepts_any_success",
        "smtp_client_accepts_the_class",
        "smtp_client_no_quit_on_failure",
        "smtp_client_does_not_wait",
        "smtp_client_speaks_first",
        "smtp_client_space_after_colon",
        "smtp_client_skips_ehlo",
        "smtp_client_ehlo_bare_address",
        "smtp_client_succeeds_after_a_refusal",
        "smtp_client_empty_from_left_out",
        "smtp_client_greeting_not_checked",
        "smtp_client_lf_commands",
        "smtp_client_rcpt_250_only",
        "smtp_client_step_is_the_verb",
        "smtp_client_refusal_without_the_reply",
    ];
    if !mistakes.iter().any(|m| making(m)) {
        return model::send_mail(stream, from, to, message);
    }
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let colon = if making("smtp_client_space_after_colon") { ": " } else { ":" };
    let mut commands = vec![
        ("EHLO [127.0.0.1]".to_string(), &[250][..]),
        if from.is_empty() && making("smtp_client_empty_from_left_out") {
            (format!("MAIL FROM{colon}"), &[250])
        } else {
            (format!("MAIL FROM{colon}<{from}>"), &[250])
        },
        (
            format!("RCPT TO{colon}<{to}>"),
            if making("smtp_client_rcpt_250_only") { &[250][..] } else { &[250, 251] },
        ),
        ("DATA".to_string(), &[354]),
    ];
    if making("smtp_client_skips_ehlo") {
        commands.remove(0);
    }
    if making("smtp_client_ehlo_bare_address") {
        commands[0].0 = "EHLO 127.0.0.1".to_string();
    }
    if making("smtp_client_does_not_wait") {
        let all: String = commands.iter().map(|(c, _)| format!("{c}\r\n")).collect();
        writer.write_all(all.as_bytes())?;
        read_reply(&mut reader)?;
        for _ in &commands {
            read_reply(&mut reader)?;
        }
        writer.write_all(&dot_stuff(message))?;
        read_reply(&mut reader)?;
        writer.write_all(b"QUIT\r\n")?;
        read_reply(&mut reader)?;
        return Ok(());
    }
    let accepts = |reply: &Reply, expected: &[u16]| {
        if making("smtp_client_ignores_reply_codes") {
            true
        } else if making("smtp_client_accepts_any_success") {
            (200..400).contains(&reply.code)
        } else if making("smtp_client_accepts_the_class") {
            expected.iter().any(|code| code / 100 == reply.code / 100)
        } else {
            expected.contains(&reply.code)
        }
    };
    let refused = |step: &str, expected: &'static [u16], reply: Reply| {
        if making("smtp_client_refusal_without_the_reply") {
            return SmtpError::Io(std::io::Error::other("the server said no"));
        }
        SmtpError::Refused {
            step: if making("smtp_client_step_is_the_verb") {
                step.split([' ', ':']).next().unwrap_or(step).into()
            } else {
                step.into()
            },
            expected,
            reply,
        }
    };
    let quit = |writer: &mut TcpStream, reader: &mut BufReader<TcpStream>| {
        if !making("smtp_client_no_quit_on_failure") {
            let _ = writer.write_all(b"QUIT\r\n");
            let _ = read_reply(reader);
        }
    };
    if making("smtp_client_speaks_first") {
        writer.write_all(format!("{}\r\n", commands[0].0).as_bytes())?;
    }
    let greeting = read_reply(&mut reader)?;
    if !making("smtp_client_greeting_not_checked") && !accepts(&greeting, &[220]) {
        quit(&mut writer, &mut reader);
        return Err(refused("the greeting", &[220], greeting));
    }
    for (i, (command, expected)) in commands.iter().enumerate() {
        if !(i == 0 && making("smtp_client_speaks_first")) {
            let end = if making("smtp_client_lf_commands") { "\n" } else { "\r\n" };
            writer.write_all(format!("{command}{end}").as_bytes())?;
        }
        let reply = read_reply(&mut reader)?;
        if !accepts(&reply, expected) {
            quit(&mut writer, &mut reader);
            if making("smtp_client_succeeds_after_a_refusal") {
                return Ok(());
            }
            return Err(refused(command, expected, reply));
        }
    }
    writer.write_all(&dot_stuff(message))?;
    let reply = read_reply(&mut reader)?;
    if !accepts(&reply, &[250]) {
        quit(&mut writer, &mut reader);
        return Err(refused("the message", &[250], reply));
    }
    writer.write_all(b"QUIT\r\n")?;
    let reply = read_reply(&mut reader)?;
    if !accepts(&reply, &[221]) {
        return Err(refused("QUIT", &[221], reply));
    }
    Ok(())
}

/// A reply read line by line as `String`s, the code sliced off with `[..3]`, with one
/// mistake at a time.
fn read_reply_as_text(reader: &mut impl BufRead) -> Result<Reply, SmtpError> {
    let mut reply = Reply { code: 0, lines: Vec::new() };
    loop {
        let mut line = String::new();
        if making("smtp_client_reply_read_as_a_string") {
            reader.read_line(&mut line)?;
        } else {
            let mut bytes = Vec::new();
            reader.read_until(b'\n', &mut bytes)?;
            line = String::from_utf8_lossy(&bytes).into_owned();
        }
        if !line.ends_with('\n') {
            return Err(SmtpError::Io(std::io::ErrorKind::UnexpectedEof.into()));
        }
        let line = line.trim_end_matches(['\r', '\n']).to_string();
        let digits = if making("smtp_client_code_sliced_as_text") && line.len() >= 3 {
            Some(&line[..3])
        } else {
            line.get(..3)
        };
        let code: u16 = digits
            .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|d| d.parse().ok())
            .ok_or_else(|| SmtpError::Malformed(line.clone()))?;
        if !reply.lines.is_empty()
            && code != reply.code
            && !making("smtp_client_mixed_codes_accepted")
        {
            return Err(SmtpError::Malformed(line));
        }
        reply.code = code;
        match line.as_bytes().get(3) {
            Some(b'-') => reply.lines.push(line[4..].to_string()),
            Some(b' ') | None => {
                reply.lines.push(line.get(4..).unwrap_or("").to_string());
                return Ok(reply);
            }
            Some(_) => return Err(SmtpError::Malformed(line)),
        }
    }
}
