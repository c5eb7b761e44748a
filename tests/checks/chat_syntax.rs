//! Checks of the chat's syntax (`exercises/src/chat_syntax.rs`): encoding a message as a
//! line, and decoding the first line of the bytes read so far.

use grader::{Check, Failure, Session, WAIT};
use subject::chat_syntax::{MAX_LINE_LEN, SyntaxError};

pub const CHECKS: &[Check] = grader::checks!("chat_syntax": encodes_a_message_as_one_line, refuses_to_encode_a_line_break, refuses_to_encode_an_over_long_message, decodes_a_line_and_says_how_many_bytes_it_used, accepts_crlf_and_an_empty_line, keeps_the_text_exactly_as_sent, leaves_the_bytes_after_the_first_line, waits_for_the_line_end, accepts_a_line_exactly_at_the_limit, rejects_a_line_one_byte_over_the_limit, rejects_an_over_long_line_before_its_end, rejects_bad_utf8);

/// What `decode` made of some bytes, with the text owned so that it can leave the call.
type Decoded = Result<(String, usize), SyntaxError>;

fn encode(session: &Session, message: &str) -> Result<Result<Vec<u8>, SyntaxError>, Failure> {
    let owned = message.to_string();
    let got =
        session.call("chat_syntax::encode", WAIT, move || subject::chat_syntax::encode(&owned))?;
    session.note(format!("encode({}) = {}", short(message), show_encoded(&got)));
    Ok(got)
}

fn decode(session: &Session, bytes: &[u8]) -> Result<Decoded, Failure> {
    let owned = bytes.to_vec();
    let got = session.call("chat_syntax::decode", WAIT, move || {
        subject::chat_syntax::decode(&owned).map(|(text, used)| (text.to_string(), used))
    })?;
    session.note(format!("decode({}) = {}", show_bytes(bytes), show_decoded(&got)));
    Ok(got)
}

/// A string for the transcript, as Rust writes it, with long runs of one character counted.
fn short(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut parts: Vec<String> = Vec::new();
    let mut plain = String::new();
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|&&c| c == chars[i]).count();
        if run >= 16 {
            if !plain.is_empty() {
                parts.push(format!("{plain:?}"));
                plain.clear();
            }
            parts.push(format!("{:?} × {run}", chars[i].to_string()));
            i += run;
        } else {
            plain.push(chars[i]);
            i += 1;
        }
    }
    if !plain.is_empty() || parts.is_empty() {
        parts.push(format!("{plain:?}"));
    }
    parts.join(" + ")
}

/// Bytes for the transcript, as a Rust byte string, with long runs of one byte counted.
fn show_bytes(bytes: &[u8]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut plain = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let run = bytes[i..].iter().take_while(|&&b| b == bytes[i]).count();
        if run >= 16 {
            if !plain.is_empty() {
                parts.push(format!("b\"{}\"", plain.escape_ascii()));
                plain.clear();
            }
            parts.push(format!("b\"{}\" × {run}", [bytes[i]].escape_ascii()));
            i += run;
        } else {
            plain.push(bytes[i]);
            i += 1;
        }
    }
    if !plain.is_empty() || parts.is_empty() {
        parts.push(format!("b\"{}\"", plain.escape_ascii()));
    }
    parts.join(" + ")
}

fn show_encoded(got: &Result<Vec<u8>, SyntaxError>) -> String {
    match got {
        Ok(bytes) => format!("Ok({})", show_bytes(bytes)),
        Err(err) => format!("Err({err:?})"),
    }
}

fn show_decoded(got: &Decoded) -> String {
    match got {
        Ok((text, used)) => format!("Ok(({}, {used}))", short(text)),
        Err(err) => format!("Err({err:?})"),
    }
}

/// `text` repeated until it is `len` bytes long (text is ASCII, or `len` a multiple).
fn run_of(text: &str, len: usize) -> Vec<u8> {
    text.as_bytes().iter().copied().cycle().take(len).collect()
}

fn with(mut bytes: Vec<u8>, tail: &[u8]) -> Vec<u8> {
    bytes.extend_from_slice(tail);
    bytes
}

fn encodes_a_message_as_one_line(session: &Session) -> Result<(), Failure> {
    for message in ["how are u", "", "héllo wörld", "  spaced  "] {
        let got = encode(session, message)?;
        let want = format!("{message}\n").into_bytes();
        if got.as_ref() != Ok(&want) {
            let mistake = match &got {
                Ok(bytes) if bytes == message.as_bytes() => {
                    "the message without its `\\n`: the peer would wait for the end of the line forever"
                }
                Ok(bytes) if bytes.ends_with(b"\r\n") => {
                    "ending the line with `\\r\\n`: this protocol sends a bare `\\n` (it only accepts `\\r\\n`)"
                }
                Ok(_) => "changing the message: send its bytes exactly as they are, then `\\n`",
                Err(_) => {
                    "refusing a message that is fine: only `\\r`, `\\n` and over-long messages are refused"
                }
            };
            return Err(session.wrong(
                format!("encode({}) to be Ok({})", short(message), show_bytes(&want)),
                mistake,
            ));
        }
    }
    Ok(())
}

fn refuses_to_encode_a_line_break(session: &Session) -> Result<(), Failure> {
    for message in ["how are u\n", "how are u\nbye", "\n", "how are u\r", "how\rare u"] {
        let got = encode(session, message)?;
        if got != Err(SyntaxError::LineBreakInMessage) {
            let mistake = match &got {
                Ok(_) if message.contains('\n') => {
                    "not looking inside the message: a `\\n` in it would reach the peer as the end of a \
                     line, and the rest as a second message; refuse it with LineBreakInMessage"
                }
                Ok(_) => {
                    "letting a `\\r` through: the peer drops a `\\r` just before the `\\n`, and a lone `\\r` \
                     in a line is never what the sender meant; refuse it with LineBreakInMessage"
                }
                Err(_) => {
                    "the wrong error variant: a line break in a message is LineBreakInMessage"
                }
            };
            return Err(session.wrong(
                format!("encode({}) to be Err(LineBreakInMessage)", short(message)),
                mistake,
            ));
        }
    }
    Ok(())
}

fn refuses_to_encode_an_over_long_message(session: &Session) -> Result<(), Failure> {
    let fits = String::from_utf8(run_of("a", MAX_LINE_LEN - 1)).expect("ASCII");
    let got = encode(session, &fits)?;
    if got.as_ref().map(Vec::len) != Ok(MAX_LINE_LEN) {
        return Err(session.wrong(
            format!(
                "a message of {} bytes to encode as a line of exactly {MAX_LINE_LEN}",
                MAX_LINE_LEN - 1
            ),
            "an off-by-one limit: the line may take MAX_LINE_LEN bytes with its `\\n`, so the message \
             may have MAX_LINE_LEN - 1",
        ));
    }
    let over = String::from_utf8(run_of("a", MAX_LINE_LEN)).expect("ASCII");
    let wide = "é".repeat(MAX_LINE_LEN / 2); // MAX_LINE_LEN bytes, half as many characters
    for (message, mistake) in [
        (
            over,
            "not counting the `\\n`: a message of MAX_LINE_LEN bytes makes a line of MAX_LINE_LEN + 1, \
             which the peer refuses; be strict in what you send",
        ),
        (
            wide,
            "counting characters instead of bytes: `é` is two bytes in UTF-8, and the limit is on \
             bytes; `str::len` counts bytes, `chars().count()` does not",
        ),
    ] {
        let got = encode(session, &message)?;
        if got != Err(SyntaxError::TooLong) {
            return Err(session.wrong(
                format!("encode({}) to be Err(TooLong)", short(&message)),
                if got.is_ok() {
                    mistake
                } else {
                    "the wrong error variant: a message too long to send is TooLong"
                },
            ));
        }
    }
    Ok(())
}

/// The mistake when the text came out right but not the count of bytes used: the one
/// thing that is wrong then, whatever else a check is about.
fn miscounted(got: &Decoded, text: &str, used: usize) -> Option<&'static str> {
    match got {
        Ok((t, u)) if t == text && *u + 1 == used => Some(
            "not counting the `\\n` in the bytes used: the caller would find the `\\n` again and \
             take it for an empty line",
        ),
        Ok((t, u)) if t == text && *u != used => Some(
            "a wrong count of bytes used: count the bytes of the line, its `\\r` and `\\n` \
             included, not characters",
        ),
        _ => None,
    }
}

fn decodes_a_line_and_says_how_many_bytes_it_used(session: &Session) -> Result<(), Failure> {
    let cases: [(&[u8], &str, usize); 3] = [
        (b"how are u\n", "how are u", 10),
        ("héllo wörld\n".as_bytes(), "héllo wörld", 14),
        (b"pardon?\n", "pardon?", 8),
    ];
    for (bytes, text, used) in cases {
        let got = decode(session, bytes)?;
        if got != Ok((text.to_string(), used)) {
            let mistake = match &got {
                Ok((t, u)) if t == text && *u == used - 1 => {
                    "not counting the `\\n` in the bytes used: the caller would find the `\\n` again and \
                     take it for an empty line"
                }
                Ok((t, _)) if t.ends_with('\n') => {
                    "keeping the `\\n` in the text: drop the line ending"
                }
                Ok((t, u)) if t == text => {
                    "a wrong count of bytes used: count the bytes of the line, `\\n` included, not \
                     characters"
                }
                Ok(_) => "returning something other than the line's own text",
                Err(_) => "refusing a good line",
            };
            return Err(session.wrong(
                format!("decode({}) to be Ok(({text:?}, {used}))", show_bytes(bytes)),
                mistake,
            ));
        }
    }
    Ok(())
}

fn accepts_crlf_and_an_empty_line(session: &Session) -> Result<(), Failure> {
    let cases: [(&[u8], &str, usize); 4] = [
        (b"how are u\r\n", "how are u", 11),
        (b"\n", "", 1),
        (b"\r\n", "", 2),
        (b"\nbye\n", "", 1),
    ];
    for (bytes, text, used) in cases {
        let got = decode(session, bytes)?;
        if got != Ok((text.to_string(), used)) {
            let mistake = match &got {
                Ok((t, _)) if t.ends_with('\r') => {
                    "keeping the `\\r` of a `\\r\\n` line ending: drop one `\\r` just before the `\\n`"
                }
                Ok((_, u)) if *u != used => {
                    "a wrong count of bytes used: the `\\r` and the `\\n` are both part of the line"
                }
                Ok(_) => "an empty line is a line too: its text is \"\"",
                Err(_) => {
                    "refusing a good line: `\\r\\n` is accepted, and an empty line is a line (its text \
                     is \"\", and the server answers it `pardon?`)"
                }
            };
            return Err(session.wrong(
                format!("decode({}) to be Ok(({text:?}, {used}))", show_bytes(bytes)),
                mistake,
            ));
        }
    }
    Ok(())
}

fn keeps_the_text_exactly_as_sent(session: &Session) -> Result<(), Failure> {
    let cases: [(&[u8], &str, usize); 4] = [
        (b"  how are u  \n", "  how are u  ", 14),
        (b"how are u\t\r\n", "how are u\t", 12),
        (b"how are u\r\r\n", "how are u\r", 12),
        (b"how\rare u\n", "how\rare u", 10),
    ];
    for (bytes, text, used) in cases {
        let got = decode(session, bytes)?;
        if got != Ok((text.to_string(), used)) {
            return Err(session.wrong(
                format!("decode({}) to be Ok(({text:?}, {used}))", show_bytes(bytes)),
                miscounted(&got, text, used).unwrap_or(match &got {
                    Ok((t, _)) if t.len() > text.len() && t.starts_with(text) => {
                        "keeping the `\\r` of a `\\r\\n` line ending in the text: drop one `\\r` \
                         just before the `\\n` (`strip_suffix`)"
                    }
                    _ => {
                        "trimming more than the line ending: `trim`, `trim_end` or \
                         `trim_end_matches` take spaces, tabs or every `\\r`; the syntax drops \
                         exactly the `\\n` and one `\\r` just before it (`strip_suffix`), and \
                         leaves the rest to the next layer"
                    }
                }),
            ));
        }
    }
    Ok(())
}

fn leaves_the_bytes_after_the_first_line(session: &Session) -> Result<(), Failure> {
    let long_next = with(b"how are u\n".to_vec(), &run_of("x", 2 * MAX_LINE_LEN));
    let cases: [(&[u8], &str, usize); 4] = [
        (b"how are u\nbye\n", "how are u", 10),
        (b"fine\n\xff\xfe", "fine", 5),
        (b"bye\nhow are", "bye", 4),
        (&long_next, "how are u", 10),
    ];
    for (bytes, text, used) in cases {
        let got = decode(session, bytes)?;
        if got != Ok((text.to_string(), used)) {
            let mistake = match &got {
                Err(SyntaxError::TooLong) => {
                    "measuring the whole buffer instead of the first line: the bytes after the first \
                     `\\n` are the next line's, and do not count towards this one's length"
                }
                Err(SyntaxError::NotUtf8(_)) => {
                    "checking the UTF-8 of the whole buffer: only the first line's bytes are this \
                     line; the rest may be the start of the next line"
                }
                Ok((t, _)) if t.contains('\n') => {
                    "taking the last `\\n` instead of the first, or the whole buffer: decode only up \
                     to the first `\\n`"
                }
                Ok(_) => miscounted(&got, text, used).unwrap_or(
                    "returning something other than the first line and the bytes it used",
                ),
                Err(_) => {
                    "refusing a buffer whose first line is fine: look only up to the first `\\n`"
                }
            };
            return Err(session.wrong(
                format!("decode({}) to be Ok(({text:?}, {used}))", show_bytes(bytes)),
                mistake,
            ));
        }
    }
    Ok(())
}

fn waits_for_the_line_end(session: &Session) -> Result<(), Failure> {
    let almost = run_of("x", MAX_LINE_LEN - 1);
    for bytes in [&b""[..], b"how are u", b"how are u\r", b"\r", &almost] {
        let got = decode(session, bytes)?;
        if got != Err(SyntaxError::Incomplete) {
            let mistake = match &got {
                Ok(_) => {
                    "taking bytes without a `\\n` for a line: TCP may deliver half a line, and the rest \
                     is still on its way; say Incomplete so that the caller reads more"
                }
                Err(SyntaxError::TooLong) => {
                    "an off-by-one limit: MAX_LINE_LEN - 1 bytes and a `\\n` still make a line of \
                     MAX_LINE_LEN bytes, which fits"
                }
                Err(_) => "the wrong error variant: bytes without a `\\n` are Incomplete",
            };
            return Err(session
                .wrong(format!("decode({}) to be Err(Incomplete)", show_bytes(bytes)), mistake));
        }
    }
    Ok(())
}

fn accepts_a_line_exactly_at_the_limit(session: &Session) -> Result<(), Failure> {
    let lf = with(run_of("a", MAX_LINE_LEN - 1), b"\n");
    let crlf = with(run_of("a", MAX_LINE_LEN - 2), b"\r\n");
    let wide = with(with(run_of("é", MAX_LINE_LEN - 2), b"a"), b"\n");
    for (bytes, text_len) in
        [(lf, MAX_LINE_LEN - 1), (crlf, MAX_LINE_LEN - 2), (wide, MAX_LINE_LEN - 1)]
    {
        let got = decode(session, &bytes)?;
        match &got {
            Ok((text, used)) if text.len() == text_len && *used == MAX_LINE_LEN => {}
            _ => {
                return Err(session.wrong(
                    format!(
                        "decode({}) to be Ok with {text_len} bytes of text and {MAX_LINE_LEN} bytes used",
                        show_bytes(&bytes)
                    ),
                    match &got {
                        Err(SyntaxError::TooLong) => {
                            "an off-by-one limit: a line of exactly MAX_LINE_LEN bytes, its ending \
                             included, is allowed; only more is too long"
                        }
                        Ok((text, _)) if text.len() == text_len => {
                            "a wrong count of bytes used (the text is right): count the bytes of \
                             the line, its `\\r` and `\\n` included"
                        }
                        _ => "mishandling a line at the limit",
                    },
                ));
            }
        }
    }
    Ok(())
}

fn rejects_a_line_one_byte_over_the_limit(session: &Session) -> Result<(), Failure> {
    let lf = with(run_of("a", MAX_LINE_LEN), b"\n");
    let crlf = with(run_of("a", MAX_LINE_LEN - 1), b"\r\n");
    let wide = with(run_of("é", MAX_LINE_LEN), b"\n");
    let cases = [
        (
            lf,
            "not counting the `\\n`: MAX_LINE_LEN counts every byte of the line, its ending \
             included",
        ),
        (
            crlf,
            "not counting the `\\r`: MAX_LINE_LEN counts every byte of the line, `\\r\\n` included",
        ),
        (
            wide,
            "counting characters instead of bytes: `é` is two bytes in UTF-8, and the limit is on \
             bytes",
        ),
    ];
    for (bytes, mistake) in cases {
        let got = decode(session, &bytes)?;
        if got != Err(SyntaxError::TooLong) {
            return Err(session.wrong(
                format!("decode({}) to be Err(TooLong)", show_bytes(&bytes)),
                if got.is_ok() {
                    mistake
                } else {
                    "the wrong error variant: a line longer than MAX_LINE_LEN is TooLong"
                },
            ));
        }
    }
    Ok(())
}

fn rejects_an_over_long_line_before_its_end(session: &Session) -> Result<(), Failure> {
    for len in [MAX_LINE_LEN, MAX_LINE_LEN + 1, 10 * MAX_LINE_LEN] {
        let bytes = run_of("x", len);
        let got = decode(session, &bytes)?;
        if got != Err(SyntaxError::TooLong) {
            return Err(session.wrong(
                format!("decode({}) to be Err(TooLong)", show_bytes(&bytes)),
                "waiting for the `\\n` of a line that is already too long: with MAX_LINE_LEN bytes \
                 and no `\\n`, no ending can make it fit, and a peer that never sends one would \
                 make the reader buffer forever; say TooLong at once",
            ));
        }
    }
    Ok(())
}

fn rejects_bad_utf8(session: &Session) -> Result<(), Failure> {
    let cases: [(&[u8], &str); 5] = [
        (b"how \xff are u\n", "a byte that is never UTF-8 (0xff)"),
        (b"how are u\xc3\n", "a character cut short (0xc3 starts a two-byte `é`)"),
        (b"\xc0\xafetc\n", "an overlong encoding of `/` (RFC 3629 forbids them)"),
        (b"\xed\xa0\x80\n", "a UTF-16 surrogate (RFC 3629 forbids them)"),
        (b"how are u\xc3\r\n", "a character cut short by the `\\r`"),
    ];
    for (bytes, what) in cases {
        let got = decode(session, bytes)?;
        if !matches!(got, Err(SyntaxError::NotUtf8(_))) {
            let mistake = match &got {
                Ok((text, _)) if text.contains('\u{fffd}') => {
                    "`String::from_utf8_lossy`: it turns bad bytes into U+FFFD and hides the error; \
                     `std::str::from_utf8` reports it"
                }
                Ok(_) => "not checking that the line is UTF-8: use `std::str::from_utf8`",
                Err(_) => "the wrong error variant: bytes that are not UTF-8 are NotUtf8",
            };
            return Err(session.wrong(
                format!("decode({}) to be Err(NotUtf8(..)): it holds {what}", show_bytes(bytes)),
                mistake,
            ));
        }
    }
    let good = "ok é ü 漢 🦀\n".as_bytes();
    let got = decode(session, good)?;
    if got != Ok(("ok é ü 漢 🦀".to_string(), good.len())) {
        return Err(session.wrong(
            format!("decode({}) to be Ok: it is good UTF-8", show_bytes(good)),
            match &got {
                Err(_) => {
                    "refusing bytes above 0x7f: UTF-8 is more than ASCII; let \
                     `std::str::from_utf8` judge"
                }
                Ok(_) => miscounted(&got, "ok é ü 漢 🦀", good.len())
                    .unwrap_or("a different text: keep the line's characters as they came"),
            },
        ));
    }
    Ok(())
}
