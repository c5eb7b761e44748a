//! Checks of the dotted-quad parser (`exercises/src/ipv4_parse.rs`).
//!
//! The reference is std's own parser, `"…".parse::<Ipv4Addr>()`: the learner's function
//! must accept exactly the texts it accepts, with the same address, and reject the rest.
//! Which error a rejected text gets is checked on texts that break exactly one rule.

use std::net::Ipv4Addr;
use std::panic::{self, AssertUnwindSafe};

use grader::session::Transcript;
use grader::{Check, Failure, Session, WAIT, texts};
use subject::ipv4_parse::Ipv4ParseError;

pub const CHECKS: &[Check] = grader::checks!("ipv4_parse": parses_a_dotted_quad, rejects_an_empty_part, rejects_a_leading_zero, rejects_a_non_digit, rejects_a_part_over_255, rejects_too_few_parts, rejects_too_many_parts, reports_the_first_problem_from_the_left, agrees_with_std_on_a_table_of_inputs, agrees_with_std_on_every_short_string, agrees_with_std_on_a_random_sample);

type Parsed = Result<Ipv4Addr, Ipv4ParseError>;

/// Calls the learner's `ipv4_parse` on `text` and notes what it returned.
fn parse(session: &Session, text: &str) -> Result<Parsed, Failure> {
    let owned = text.to_string();
    let log = session.log.clone();
    let got =
        session.call("ipv4_parse::ipv4_parse", WAIT, move || parse_noting_a_panic(&log, &owned));
    let got = got.map_err(|failure| explain_panic(session, failure))?;
    session.note(format!("ipv4_parse({text:?}) = {got:?}"));
    Ok(got)
}

/// Calls the learner's `ipv4_parse`, noting the text if it panics, then lets the panic go
/// on, so that the check's call reports it (a `todo!()` as "not done yet").
fn parse_noting_a_panic(log: &Transcript, text: &str) -> Parsed {
    panic::catch_unwind(AssertUnwindSafe(|| subject::ipv4_parse::ipv4_parse(text))).unwrap_or_else(
        |payload| {
            log.note(format!("ipv4_parse({text:?}) panicked"));
            panic::resume_unwind(payload)
        },
    )
}

/// A panic while parsing digits is most often arithmetic overflow: say so.
fn explain_panic(session: &Session, failure: Failure) -> Failure {
    let last = session.log.events().last().cloned().unwrap_or_default();
    match failure {
        Failure::Wrong { expected, .. } if last.contains("overflow") => session.wrong(
            expected,
            "arithmetic overflow: a part may have any number of digits, and a running value \
             in a u8, u16 or u32 overflows on a long one; stop as soon as the value passes 255",
        ),
        other => other,
    }
}

/// What std says about `text`.
fn std_parse(text: &str) -> Option<Ipv4Addr> {
    text.parse::<Ipv4Addr>().ok()
}

/// The rule of std's parser that `text` breaks, as a likely mistake for a parser that
/// accepted it; `None` if `text` is a valid address.
fn why_std_rejects(text: &str) -> Option<&'static str> {
    if std_parse(text).is_some() {
        return None;
    }
    let parts: Vec<&str> = text.split('.').collect();
    Some(if text.contains(char::is_whitespace) {
        "trimming the text, or letting spaces through: a space is not a digit, and std \
         rejects an address with spaces around it"
    } else if text.contains('+') {
        "`str::parse::<u8>()` accepts a leading `+`, but an address may not have one: \
         check yourself that every character is an ASCII digit (`u8::is_ascii_digit`)"
    } else if text.contains(|c: char| c != '.' && !c.is_ascii_digit()) {
        "accepting a character that is not an ASCII digit `0`–`9`: test each one with \
         `is_ascii_digit` (`char::is_numeric` accepts digits of other scripts too)"
    } else if parts.len() > 4 {
        "ignoring what follows the fourth part: anything after it, even a lone `.`, is a \
         fifth part and makes the text no address"
    } else if parts.len() < 4 {
        "accepting fewer than four parts: an address has exactly four"
    } else if parts.iter().any(|p| p.is_empty()) {
        "reading an empty part as 0: every part needs at least one digit"
    } else if parts.iter().any(|p| p.len() > 1 && p.starts_with('0')) {
        "accepting a leading zero: `01` is refused because C parsers read it as octal; only \
         a part that is exactly `0` may start with `0`"
    } else {
        "letting a part over 255 through, or wrapping it around: compare the value with 255 \
         before it becomes a u8"
    })
}

/// Expects the learner's answer for `text` to agree with std's.
fn expect_agreement(session: &Session, text: &str, got: &Parsed) -> Result<(), Failure> {
    let want = std_parse(text);
    session.note(format!("std: {text:?}.parse::<Ipv4Addr>() is {}", describe(want)));
    match (want, got) {
        (Some(want), Ok(addr)) if *addr == want => Ok(()),
        (Some(want), Ok(_)) => Err(session.wrong(
            format!("ipv4_parse({text:?}) to be Ok({want})"),
            "the bytes in the wrong order or a part's value computed wrongly: the first part \
             is the most significant byte, as in `Ipv4Addr::new(a, b, c, d)`",
        )),
        (Some(want), Err(err)) => Err(session.wrong(
            format!("ipv4_parse({text:?}) to be Ok({want}), as std parses it"),
            if *err == Ipv4ParseError::LeadingZero {
                "treating a lone `0` as a leading zero: only a part of two or more digits that \
                 starts with `0` has one"
                    .to_string()
            } else {
                format!(
                    "rejecting a valid address with {err:?}: a part is one to three ASCII digits, \
                     0 to 255, and four parts are separated by three dots"
                )
            },
        )),
        (None, Ok(addr)) => Err(session.wrong(
            format!("ipv4_parse({text:?}) to be an error, as std rejects it (it gave Ok({addr}))"),
            why_std_rejects(text).unwrap_or("accepting a text std rejects"),
        )),
        (None, Err(_)) => Ok(()),
    }
}

fn describe(parsed: Option<Ipv4Addr>) -> String {
    parsed.map_or("an error".into(), |addr| format!("Ok({addr})"))
}

fn parses_a_dotted_quad(session: &Session) -> Result<(), Failure> {
    let cases = [
        ("1.2.3.4", [1, 2, 3, 4]),
        ("0.0.0.0", [0, 0, 0, 0]),
        ("255.255.255.255", [255, 255, 255, 255]),
        ("127.0.0.1", [127, 0, 0, 1]),
        ("192.0.2.10", [192, 0, 2, 10]),
        ("10.0.100.250", [10, 0, 100, 250]),
        ("203.0.113.199", [203, 0, 113, 199]),
    ];
    for (text, bytes) in cases {
        let got = parse(session, text)?;
        if got != Ok(Ipv4Addr::from(bytes)) {
            return Err(expect_agreement(session, text, &got).err().unwrap_or_else(|| {
                session.wrong(format!("ipv4_parse({text:?}) to be Ok({text})"), "a wrong address")
            }));
        }
    }
    Ok(())
}

/// Expects each text to be rejected with `want`; `rule` says what the text breaks.
fn expect_error(
    session: &Session,
    texts: &[&str],
    want: Ipv4ParseError,
    rule: &str,
) -> Result<(), Failure> {
    for text in texts {
        let got = parse(session, text)?;
        match got {
            Err(err) if err == want => {}
            Err(err) => {
                let by_length =
                    err == Ipv4ParseError::OutOfRange && text.split('.').any(|part| part.len() > 3);
                let mistake = if by_length {
                    format!(
                        "judging a part by its length: a part of four or more characters is out \
                         of range only if it is all digits with no leading zero, so test those \
                         rules before the value ({rule})"
                    )
                } else {
                    format!("returning {err:?} for it: {rule}")
                };
                return Err(
                    session.wrong(format!("ipv4_parse({text:?}) to be Err({want:?})"), mistake)
                );
            }
            Ok(addr) => {
                return Err(session.wrong(
                    format!("ipv4_parse({text:?}) to be Err({want:?}), not Ok({addr})"),
                    why_std_rejects(text).unwrap_or(rule),
                ));
            }
        }
    }
    Ok(())
}

fn rejects_an_empty_part(session: &Session) -> Result<(), Failure> {
    expect_error(
        session,
        &["1..2.3", ".1.2.3", "1.2.3.", "1.2..3"],
        Ipv4ParseError::EmptyPart,
        "these texts have four parts, one of which has no digits",
    )
}

fn rejects_a_leading_zero(session: &Session) -> Result<(), Failure> {
    expect_error(
        session,
        &["01.2.3.4", "0.0.0.00", "192.168.001.010", "1.2.3.09", "1.2.3.0000", "0001.2.3.4"],
        Ipv4ParseError::LeadingZero,
        "each has a part of two or more digits that starts with `0`, and nothing else wrong",
    )
}

fn rejects_a_non_digit(session: &Session) -> Result<(), Failure> {
    expect_error(
        session,
        &[
            "+1.2.3.4",
            "1.2.3.-4",
            " 1.2.3.4",
            "1.2.3.4 ",
            "1.2.3.x",
            "a.b.c.d",
            "1.2.3.4\n",
            "1.2.3.\u{ff14}",
            "1.2.3.12a4",
            "1.2.3. 255",
            "\u{661}.\u{662}.\u{663}.\u{664}",
        ],
        Ipv4ParseError::NotADigit,
        "each has a character that is not an ASCII digit `0`–`9` (a sign, a space, a letter, \
         a digit of another script)",
    )?;
    // A part that starts with `0` but holds a non-digit is no "part of two or more digits":
    // it breaks one rule only.
    expect_error(
        session,
        &["0x1.2.3.4", "00a.1.2.3", "1.2.3.0 ", "1.2.0-.4"],
        Ipv4ParseError::NotADigit,
        "testing for a leading zero before testing that the part is all digits: `0x1` is no \
         part of two or more digits, it holds an `x`, so it is NotADigit (the hint's order: \
         empty, then not a digit, then a leading zero)",
    )
}

fn rejects_a_part_over_255(session: &Session) -> Result<(), Failure> {
    expect_error(
        session,
        &[
            "256.0.0.0",
            "1.2.3.999",
            "300.1.1.1",
            "1.2.3.4294967297",
            "1.2.3.99999999999999999999",
            "1.2.3.1000",
        ],
        Ipv4ParseError::OutOfRange,
        "each has a part of plain digits whose value is more than 255",
    )
}

fn rejects_too_few_parts(session: &Session) -> Result<(), Failure> {
    expect_error(
        session,
        &["1.2.3", "1", "10.1", "255.255.255"],
        Ipv4ParseError::TooFewParts,
        "these texts end after fewer than four good parts",
    )
}

fn rejects_too_many_parts(session: &Session) -> Result<(), Failure> {
    expect_error(
        session,
        &["1.2.3.4.5", "1.2.3.4.5.6", "0.0.0.0.0"],
        Ipv4ParseError::TooManyParts,
        "these texts go on after four good parts",
    )
}

/// Texts with a problem in a part and a wrong count of parts too: the error is the first
/// problem met reading from the left, part by part, as the doc comment of the error type
/// says, so the part's own problem comes before the count.
fn reports_the_first_problem_from_the_left(session: &Session) -> Result<(), Failure> {
    use Ipv4ParseError::{EmptyPart, LeadingZero, NotADigit, OutOfRange, TooManyParts};
    // Each with the same bad part in a text of four parts, to tell a parser that counts
    // first from one that does not apply the part's rule at all.
    let cases = [
        ("a.1.2", NotADigit, "a.1.2.3"),
        ("1.2.x", NotADigit, "1.2.x.4"),
        ("1.x.3.4.5", NotADigit, "1.x.3.4"),
        ("1..2", EmptyPart, "1..2.3"),
        ("01.2.3", LeadingZero, "01.2.3.4"),
        ("256.1", OutOfRange, "256.1.2.3"),
        ("1.2.3.04.5", LeadingZero, "1.2.3.04"),
        ("1.2.3.4.x", TooManyParts, "1.2.3.4.x"),
    ];
    for (text, want, four) in cases {
        let got = parse(session, text)?;
        if got != Err(want) {
            let in_four = parse(session, four)?;
            let mistake = if in_four != Err(want) {
                format!(
                    "returning {got:?}: the part's own rule is not applied even in a text of \
                     four parts ({four:?} gives {in_four:?}, not Err({want:?})); see the check \
                     of that rule"
                )
            } else if matches!(got, Err(Ipv4ParseError::TooFewParts | Ipv4ParseError::TooManyParts))
            {
                format!(
                    "returning {got:?}: counting the parts before reading them; the error is the \
                     first problem found reading from the left, part by part, and in {text:?} \
                     that is {want:?}, met before the count is known"
                )
            } else {
                format!(
                    "returning {got:?}: the error is the first problem found reading from the \
                     left, part by part"
                )
            };
            return Err(session.wrong(format!("ipv4_parse({text:?}) to be Err({want:?})"), mistake));
        }
    }
    Ok(())
}

/// Texts on and around every rule of the format.
const TABLE: &[&str] = &[
    "0.0.0.0",
    "255.255.255.255",
    "1.2.3.4",
    "127.0.0.1",
    "192.168.1.10",
    "9.99.199.249",
    "10.0.0.250",
    "256.0.0.0",
    "0.0.0.256",
    "255.255.255.256",
    "01.2.3.4",
    "0.0.0.00",
    "00.0.0.0",
    "010.0.0.1",
    "192.168.001.010",
    "1.2.3",
    "1.2.3.4.5",
    "1..2.3",
    "",
    ".",
    "...",
    "....",
    " 1.2.3.4",
    "1.2.3.4 ",
    "1.2 .3.4",
    "+1.2.3.4",
    "1.+2.3.4",
    "1.2.3.-4",
    "-0.0.0.0",
    "1.2.3.4.",
    ".1.2.3",
    ".1.2.3.4",
    "1.2.3.99999999999999999999",
    "1.2.3.4294967297",
    "1.2.3.0x1",
    "0x7f.0.0.1",
    "1.2.3.4/24",
    "1.2.3.4:80",
    "1,2,3,4",
    "1.2.3.\u{ff14}",
    "\u{661}.\u{662}.\u{663}.\u{664}",
    "1.2.3.4\0",
    "1.2.3.é",
    "2130706433",
    "127.1",
    "::1",
];

fn agrees_with_std_on_a_table_of_inputs(session: &Session) -> Result<(), Failure> {
    for text in TABLE {
        let got = parse(session, text)?;
        expect_agreement(session, text, &got)?;
    }
    Ok(())
}

/// Runs the learner's parser and std's on every text of `texts`, notes how many were tried,
/// and fails on the first text they disagree on. The texts go in calls of [`BATCH`], each
/// with its own [`WAIT`]: a parser that loops is caught in the batch it loops on, and a
/// loaded machine that slows the whole run down never makes one call run out of time.
fn first_disagreement(
    session: &Session,
    what: &str,
    mut texts: impl Iterator<Item = String>,
) -> Result<(), Failure> {
    const BATCH: usize = 20_000;
    let (mut tried, mut valid) = (0usize, 0usize);
    let mut found = None;
    while found.is_none() {
        let batch: Vec<String> = texts.by_ref().take(BATCH).collect();
        if batch.is_empty() {
            break;
        }
        let log = session.log.clone();
        let (batch_tried, batch_valid, batch_found) = session
            .call("ipv4_parse::ipv4_parse", WAIT, move || {
                let (mut tried, mut valid) = (0usize, 0usize);
                for text in batch {
                    tried += 1;
                    let want = std_parse(&text);
                    valid += usize::from(want.is_some());
                    let got = parse_noting_a_panic(&log, &text);
                    if got.ok() != want {
                        return (tried, valid, Some((text, got)));
                    }
                }
                (tried, valid, None)
            })
            .map_err(|failure| explain_panic(session, failure))?;
        tried += batch_tried;
        valid += batch_valid;
        found = batch_found;
    }
    session.note(format!(
        "compared ipv4_parse with std on {tried} {what}, {valid} of them valid addresses"
    ));
    match found {
        None => Ok(()),
        Some((text, got)) => {
            session.note(format!("first disagreement: ipv4_parse({text:?}) = {got:?}"));
            expect_agreement(session, &text, &got)
        }
    }
}

/// Every string of up to 9 characters over `0`, `1`, `9` and `.`: every arrangement of
/// short parts, empty parts, leading zeros, parts over 255 and counts of dots.
fn agrees_with_std_on_every_short_string(session: &Session) -> Result<(), Failure> {
    let texts = texts::every_string(&['0', '1', '9', '.'], 9);
    first_disagreement(session, "strings of up to 9 characters over `0`, `1`, `9`, `.`", texts)
}

/// Addresses built from edge values, then bent by a few random edits (a character
/// inserted, removed, doubled or replaced): mostly near misses of a valid address.
fn agrees_with_std_on_a_random_sample(session: &Session) -> Result<(), Failure> {
    const SEED: u64 = 0x1b4_5eed_0123_4567;
    const SAMPLES: usize = 50_000;
    let texts = texts::near_misses_of_an_address(SEED).take(SAMPLES);
    session.note(format!("seed {SEED:#x}"));
    first_disagreement(session, "random near misses of an address", texts)
}
