//! Checks of the file transfer (`exercises/src/file_transfer.rs`).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use grader::transfer::{
    Answer, ReferenceReceiver, ReferenceSender, Reply, Scratch, Transfer, crc32, entries,
    files_outside, header, loopback_pair, sample,
};
use grader::{Check, Failure, Session, WAIT};

use super::expect_bound_as_asked;

pub const CHECKS: &[Check] = grader::checks!("file_transfer": computes_crc32_of_known_inputs, accepts_plain_names_and_refuses_paths, sends_the_header_then_exactly_the_file, sends_a_large_file_whole, fails_unless_the_receiver_says_ok, receives_a_file_sent_in_odd_pieces, receives_an_empty_file, refuses_a_corrupted_file, refuses_a_truncated_transfer, refuses_names_that_leave_the_folder, refuses_a_malformed_header, transfers_a_file_between_the_two_programs, file_send_fails_when_the_receiver_refuses, file_receive_goes_on_after_a_refused_transfer, receives_a_name_with_spaces, file_receive_serves_senders_at_once, drops_a_sender_that_stalls);

fn computes_crc32_of_known_inputs(session: &Session) -> Result<(), Failure> {
    // The stub gives CRC32_TABLE whole; a table edited by accident breaks every CRC.
    let table_intact = (0..256u32).all(|n| {
        let entry =
            (0..8).fold(n, |crc, _| if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 });
        subject::file_transfer::CRC32_TABLE[n as usize] == entry
    });
    if !table_intact {
        return Err(session.wrong(
            "CRC32_TABLE as the stub gives it: entry n is the CRC register after the byte n",
            "CRC32_TABLE changed: it is given whole; restore it from the stub",
        ));
    }
    let bytes: Vec<u8> = (0..=255).collect();
    let cases: [(&str, &[u8], u32); 6] = [
        ("b\"\"", b"", 0),
        ("b\"a\"", b"a", 0xe8b7_be43),
        ("b\"123456789\"", b"123456789", 0xcbf4_3926),
        (
            "b\"The quick brown fox jumps over the lazy dog\"",
            b"The quick brown fox jumps over the lazy dog",
            0x414f_a339,
        ),
        ("[0; 4]", &[0; 4], 0x2144_df1c),
        ("the 256 bytes 0, 1, ... 255", &bytes, 0x2905_8c73),
    ];
    for (shown, input, want) in cases {
        let owned = input.to_vec();
        let got = session
            .call("file_transfer::crc32", WAIT, move || subject::file_transfer::crc32(0, &owned))?;
        session.note(format!("crc32(0, {shown}) = {got:#010x}"));
        if got != want {
            return Err(
                session.wrong(format!("crc32(0, {shown}) = {want:#010x}"), crc_fault(input, got))
            );
        }
    }
    let got = session.call("file_transfer::crc32", WAIT, || {
        let first = subject::file_transfer::crc32(0, b"1234");
        subject::file_transfer::crc32(first, b"56789")
    })?;
    session.note(format!("crc32(crc32(0, b\"1234\"), b\"56789\") = {got:#010x}"));
    if got != 0xcbf4_3926 {
        return Err(session.wrong(
            "crc32(crc32(0, b\"1234\"), b\"56789\") = 0xcbf43926, the CRC of b\"123456789\"",
            chain_fault(got),
        ));
    }
    Ok(())
}

/// Why a `crc32` that is right on whole inputs is wrong when continued: `got` is what
/// `crc32(crc32(0, b"1234"), b"56789")` gave.
fn chain_fault(got: u32) -> &'static str {
    if got == crc32(b"56789") {
        "each call starting afresh: continue from the `crc` given, starting the register at \
         `!crc`, so that a file can be checked a chunk at a time"
    } else {
        "the `crc` given not continued from: the register starts at `!crc` (the complement of \
         the CRC so far), so that a file can be checked a chunk at a time"
    }
}

/// One step of a CRC register over one byte.
type CrcStep = fn(u32, u8) -> u32;

/// One way of computing a CRC-32 from CRC32_TABLE, right or wrong: the register's start,
/// the step for each byte, and whether the result is complemented.
struct CrcVariant {
    start_complemented: bool,
    step: CrcStep,
    /// What is wrong in the step, if anything.
    step_fault: Option<&'static str>,
    end_complemented: bool,
}

impl CrcVariant {
    fn run(&self, crc: u32, bytes: &[u8]) -> u32 {
        let start = if self.start_complemented { !crc } else { crc };
        let register = bytes.iter().fold(start, |register, &byte| (self.step)(register, byte));
        if self.end_complemented { !register } else { register }
    }

    /// What is wrong in this variant, one phrase a fault.
    fn faults(&self) -> Vec<&'static str> {
        let mut faults = Vec::new();
        if !self.start_complemented {
            faults.push(
                "the register starting at `crc` itself: it starts at its complement, `!crc` \
                 (all ones, `!0`, for the first call)",
            );
        }
        faults.extend(self.step_fault);
        if !self.end_complemented {
            faults.push("the final complement missing: the result is `!register`");
        }
        faults
    }
}

/// The usual ways of getting the CRC-32 wrong, each alone and together: the mistake that
/// turns `crc32(0, input)` into `got`, or the parts to check if none does.
fn crc_fault(input: &[u8], got: u32) -> String {
    let steps: [(CrcStep, Option<&'static str>); 4] = [
        (
            |r, b| {
                (r >> 8) ^ subject::file_transfer::CRC32_TABLE[((r ^ u32::from(b)) & 0xff) as usize]
            },
            None,
        ),
        (
            |r, b| (r >> 8) ^ subject::file_transfer::CRC32_TABLE[usize::from(b)],
            Some(
                "the table indexed with the byte alone: index it with the byte xored into \
                  the register's low 8 bits, `(register ^ byte) & 0xff`",
            ),
        ),
        (
            |r, b| {
                (r << 8)
                    ^ subject::file_transfer::CRC32_TABLE
                        [(((r >> 24) ^ u32::from(b)) & 0xff) as usize]
            },
            Some(
                "the register shifted left and indexed by its top byte (the form for an \
                  unreflected table): this CRC is reflected, so use the low 8 bits and shift \
                  right by 8",
            ),
        ),
        (
            |r, b| r ^ subject::file_transfer::CRC32_TABLE[((r ^ u32::from(b)) & 0xff) as usize],
            Some("the register not shifted: `(register >> 8) ^ CRC32_TABLE[index]`"),
        ),
    ];
    let mut best: Vec<Vec<&'static str>> = Vec::new();
    for (step, step_fault) in steps {
        for start_complemented in [true, false] {
            for end_complemented in [true, false] {
                let variant = CrcVariant { start_complemented, step, step_fault, end_complemented };
                let faults = variant.faults();
                if faults.is_empty() || variant.run(0, input) != got {
                    continue;
                }
                // The explanations with the fewest faults are the likeliest.
                match best.first().map(Vec::len) {
                    Some(fewest) if faults.len() > fewest => {}
                    Some(fewest) if faults.len() < fewest => best = vec![faults],
                    _ => best.push(faults),
                }
            }
        }
    }
    match &best[..] {
        [] => "a CRC other than CRC-32's; check each part: the register starts at `!crc`, each \
               byte is xored into its low 8 bits, CRC32_TABLE is indexed with those 8 bits and \
               the register shifted right by 8, and the result is `!register`"
            .to_string(),
        [one]
            if one.len() == 2
                && one
                    .iter()
                    .all(|f| f.contains("register starting") || f.contains("final complement")) =>
        {
            "both complements missing: the register starts at `!crc` (all ones for the first \
             call), not `crc`, and the result is `!register`, not the register itself"
                .to_string()
        }
        [one] => one.join("; and "),
        several => format!(
            "one of these (this input cannot tell them apart): {}",
            several.iter().map(|faults| faults.join(" and ")).collect::<Vec<_>>().join("; or ")
        ),
    }
}

/// A probe after a failure: whether the code's own `crc32` is wrong, on the check's
/// value, on `data`, or when continued a piece at a time, said as the fault it is. Any
/// program that uses it computes a wrong checksum for a good file.
fn crc32_fault(session: &Session, data: &[u8]) -> Option<String> {
    let probe = |first: Vec<u8>, rest: Vec<u8>| {
        session
            .call("file_transfer::crc32", WAIT, move || {
                let whole: Vec<u8> = first.iter().chain(&rest).copied().collect();
                let once = subject::file_transfer::crc32(0, &whole);
                let continued =
                    subject::file_transfer::crc32(subject::file_transfer::crc32(0, &first), &rest);
                (once, continued)
            })
            .ok()
    };
    let (once, continued) = probe(b"1234".to_vec(), b"56789".to_vec())?;
    if once != 0xcbf4_3926 {
        session.note(format!("(probe) crc32(0, b\"123456789\") = {once:#010x}"));
        return Some(format!(
            "its `crc32` is wrong (crc32(0, b\"123456789\") = {once:#010x}, not 0xcbf43926), so \
             the checksum of every good file mismatches: {}",
            crc_fault(b"123456789", once)
        ));
    }
    if continued != 0xcbf4_3926 {
        session.note(format!("(probe) crc32(crc32(0, b\"1234\"), b\"56789\") = {continued:#010x}"));
        return Some(format!(
            "its `crc32` goes wrong when continued (crc32(crc32(0, b\"1234\"), b\"56789\") = \
             {continued:#010x}, not 0xcbf43926), and a file checked a piece at a time as its \
             bytes come gets a wrong checksum: {}",
            chain_fault(continued)
        ));
    }
    // The check's own bytes, cut where the sender's pieces are cut.
    let cut = data.len().min(3);
    let (once, continued) = probe(data[..cut].to_vec(), data[cut..].to_vec())?;
    let want = crc32(data);
    if once != want || continued != want {
        session.note(format!("(probe) crc32 of the {} bytes sent = {once:#010x}", data.len()));
        return Some(format!(
            "its `crc32` is wrong on the bytes sent ({once:#010x}, not {want:#010x}, the CRC-32 \
             of those {} bytes): every byte value from 0 to 255 must work",
            data.len()
        ));
    }
    None
}

/// Why a receiver refused a good file with the line `line`, by the evidence: a probe of
/// its `crc32`, then the words of its answer; the causes it cannot tell apart otherwise.
fn refusal_of_a_good_file(session: &Session, data: &[u8], line: &str) -> String {
    if let Some(fault) = crc32_fault(session, data) {
        return format!("{line:?} for a good file: {fault}");
    }
    let said = line.to_lowercase();
    const LOST: &str = "taking one `read` for the whole file (a read returns what has arrived, \
         not what was sent), or bytes lost by reading the file from the stream itself after a \
         `BufReader` had read them ahead with the header";
    if said.contains("checksum") || said.contains("crc") {
        format!(
            "{line:?} for a good file, though its `crc32` is right: the checksum computed over \
             other bytes than those sent: {LOST}"
        )
    } else if ["trunc", "short", "length", "early", "eof", "got "].iter().any(|w| said.contains(w))
    {
        format!("{line:?} for a good file: fewer bytes counted than were sent: {LOST}")
    } else {
        format!(
            "{line:?} for a good file, whose header is `FILE <length> <crc32> <name>` with single \
             spaces: its header or name refused (the header's `\\n` comes in the same read as \
             the file's first bytes: split there, `read_until(b'\\n')` on a `BufReader`), or \
             {LOST}"
        )
    }
}

fn accepts_plain_names_and_refuses_paths(session: &Session) -> Result<(), Failure> {
    let cases = [
        ("notes.txt", true),
        ("report 2024.pdf", true),
        ("é.txt", true),
        ("a", true),
        (".profile", true),
        ("", false),
        (".", false),
        ("..", false),
        ("../escape.txt", false),
        ("inbox/../../escape.txt", false),
        ("sub/notes.txt", false),
        ("/etc/passwd", false),
        ("notes/", false),
        ("..\\escape.txt", false),
        ("C:\\Windows\\win.ini", false),
        ("a\0b", false),
    ];
    for (name, want) in cases {
        let got = session.call("file_transfer::is_safe_name", WAIT, move || {
            subject::file_transfer::is_safe_name(name)
        })?;
        session.note(format!("is_safe_name({name:?}) = {got}"));
        if got != want {
            let mistake = if want {
                "refusing a plain file name: refuse only the empty name, `.`, `..` and names with \
                 `/`, `\\` or NUL"
            } else {
                "a name that leaves the folder accepted: `dir.join(\"../x\")` is outside `dir`, and \
                 `dir.join(\"/etc/x\")` is `/etc/x`; refuse `.`, `..`, and any `/`, `\\` or NUL"
            };
            return Err(session.wrong(format!("is_safe_name({name:?}) = {want}"), mistake));
        }
    }
    Ok(())
}

/// Runs `send_file` on `path` against a reference receiver that answers `reply`.
fn send_with(
    session: &Session,
    path: PathBuf,
    reply: Reply,
) -> Result<(io::Result<u64>, grader::transfer::Received), Failure> {
    let receiver = ReferenceReceiver::start(session, reply)?;
    let stream = std::net::TcpStream::connect(receiver.addr)
        .map_err(|err| session.wrong("a connection to the reference receiver", err))?;
    session.note(format!("send_file(stream, {:?})", path.display()));
    let result = session
        .call("file_transfer::send_file", WAIT + WAIT, move || {
            subject::file_transfer::send_file(stream, &path)
        })
        .inspect(|result| match result {
            Ok(len) => session.note(format!("send_file returned Ok({len})")),
            Err(err) => session.note(format!("send_file returned the error: {err}")),
        });
    let received = receiver.received();
    Ok((result?, received))
}

/// Expects the reference receiver to have got exactly `data` under `header`.
fn expect_received(
    session: &Session,
    got: &grader::transfer::Received,
    data: &[u8],
    name: &str,
) -> Result<(), Failure> {
    let want = header(data, name);
    match &got.header {
        Some(line) if *line == want => {}
        Some(line) => {
            let mistake = if line.contains('/') {
                "the whole path sent as the name: send `path.file_name()`".to_string()
            } else if line.starts_with(&format!("FILE {} ", data.len())) {
                match crc32_fault(session, data) {
                    Some(fault) => format!("a wrong checksum in the header: {fault}"),
                    None => "a wrong checksum, though `crc32` is right: the CRC-32 of every byte \
                         of the file from its start, as 8 lowercase hex digits (`{:08x}`)"
                        .to_string(),
                }
            } else {
                "a header that is not `FILE <length> <crc32 as 8 hex digits> <name>\\n`".to_string()
            };
            return Err(session.wrong(format!("the header {want:?}"), mistake));
        }
        None => {
            return Err(session.wrong(
                format!("the header {want:?}"),
                "no header line: send it first, ending in `\\n`",
            ));
        }
    }
    if got.data != data {
        let mistake = if got.data.is_empty() && !data.is_empty() {
            "no bytes after the header: reading the file for its checksum leaves it at its end; \
             `rewind` it before sending"
        } else {
            "the bytes sent differ from the file's: send exactly the file, from its start, after \
             the header"
        };
        return Err(session
            .wrong(format!("the {} bytes of the file after the header", data.len()), mistake));
    }
    Ok(())
}

fn sends_the_header_then_exactly_the_file(session: &Session) -> Result<(), Failure> {
    let scratch = Scratch::new(session)?;
    for (name, data) in [("hello.txt", &b"hello, world\n"[..]), ("empty", &b""[..])] {
        let path = scratch.file(session, name, data)?;
        let (result, got) = send_with(session, path, Reply::Honest)?;
        expect_received(session, &got, data, name)?;
        match result {
            Ok(len) if len == data.len() as u64 => {}
            other => {
                return Err(session.wrong(
                    format!("send_file to return Ok({}) after `ok`", data.len()),
                    format!("it returned {other:?}"),
                ));
            }
        }
    }
    Ok(())
}

fn sends_a_large_file_whole(session: &Session) -> Result<(), Failure> {
    let scratch = Scratch::new(session)?;
    let data = sample(3 << 20, 7);
    let path = scratch.file(session, "large.bin", &data)?;
    let (result, got) = send_with(session, path, Reply::Honest)?;
    expect_received(session, &got, &data, "large.bin")?;
    result.map(|_| ()).map_err(|err| {
        session.wrong("send_file to return Ok after `ok`", format!("it returned the error {err}"))
    })
}

fn fails_unless_the_receiver_says_ok(session: &Session) -> Result<(), Failure> {
    let scratch = Scratch::new(session)?;
    let path = scratch.file(session, "notes.txt", b"some notes\n")?;
    for reply in [Reply::Say("error: disk full"), Reply::HangUp, Reply::Say("okay")] {
        let (result, _) = send_with(session, path.clone(), reply)?;
        if result.is_ok() {
            return Err(session.wrong(
                format!("send_file to return an error when the receiver answers {reply:?}"),
                "success taken for granted: read the receiver's answer line and return `Ok` only \
                 if it is exactly `ok`; an error line, another line or no line at all is an error",
            ));
        }
    }
    Ok(())
}

/// Runs `receive_file` into `dir` on one end of a loopback connection while a reference
/// sender sends `transfer` on the other.
fn receive_with(
    session: &Session,
    dir: &Path,
    transfer: Transfer,
) -> Result<(io::Result<PathBuf>, Answer), Failure> {
    receive_from(session, dir, transfer, ReferenceSender::start)
}

/// [`receive_with`], the sender's transfer sent by `start`.
fn receive_from(
    session: &Session,
    dir: &Path,
    transfer: Transfer,
    start: fn(&grader::session::Transcript, std::net::TcpStream, Transfer) -> ReferenceSender,
) -> Result<(io::Result<PathBuf>, Answer), Failure> {
    let (ours, theirs) = loopback_pair(session)?;
    let into = dir.to_path_buf();
    let sender = start(&session.log, ours, transfer);
    let result = session.call("file_transfer::receive_file", WAIT + WAIT, move || {
        subject::file_transfer::receive_file(theirs, &into)
    });
    let answer = sender.answer();
    let result = result?;
    match &result {
        Ok(path) => session.note(format!("receive_file returned Ok({:?})", path.display())),
        Err(err) => session.note(format!("receive_file returned the error: {err}")),
    }
    Ok((result, answer))
}

const NO_ANSWER: &str = "no answer: the receiver waits for bytes that will not come. Reading to \
     the end of the stream (`read_to_end`), while the sender keeps the connection open for the \
     answer; or bytes lost by reading the file from the stream itself after a `BufReader` had \
     read them ahead with the header";

/// Why a connection closed without an answer.
const ENDED_UNANSWERED: &str = "the connection's thread ended before answering (a panic, or an \
     error returned with `?` before the answer was written)";

/// Expects `ok`, `Ok(dir/name)` and exactly `data` stored there, and nothing else in `dir`.
fn expect_stored(
    session: &Session,
    dir: &Path,
    name: &str,
    data: &[u8],
    (result, answer): (io::Result<PathBuf>, Answer),
) -> Result<(), Failure> {
    match answer {
        Answer::Line(line) if line == "ok\n" => {}
        Answer::Line(line) if line.starts_with("error") => {
            return Err(session.wrong(
                "the answer \"ok\\n\" to a good transfer",
                refusal_of_a_good_file(session, data, &line),
            ));
        }
        Answer::Line(line) => {
            return Err(session.wrong(
                "the answer \"ok\\n\"",
                format!(
                    "the line {line:?}: the answer is exactly `ok` and one `\\n` (no `\\r`, no \
                     other word)"
                ),
            ));
        }
        Answer::Silence(_) => return Err(session.wrong("the answer \"ok\\n\"", NO_ANSWER)),
        Answer::Closed(_) | Answer::Reset(_) => {
            return Err(session.wrong(
                "the answer \"ok\\n\"",
                "the connection closed without an answer: write `ok\\n` once the file is stored",
            ));
        }
    }
    let path = dir.join(name);
    match result {
        Ok(returned) if returned == path => {}
        other => {
            return Err(session.wrong(
                format!("receive_file to return Ok({:?})", path.display()),
                format!("it returned {other:?}"),
            ));
        }
    }
    let stored = fs::read(&path).unwrap_or_default();
    if stored != data {
        return Err(session.wrong(
            format!("{} to hold the {} bytes sent", path.display(), data.len()),
            format!("it holds {} bytes, not those sent", stored.len()),
        ));
    }
    let left = entries(dir);
    if left != [name] {
        return Err(session.wrong(
            format!("only {name} in the folder"),
            format!("the folder holds {left:?}: rename the temporary file to the name asked for"),
        ));
    }
    Ok(())
}

fn receives_a_file_sent_in_odd_pieces(session: &Session) -> Result<(), Failure> {
    let scratch = Scratch::new(session)?;
    let dir = scratch.folder(session, "inbox")?;
    let data = sample(1 << 20, 11);
    let transfer = Transfer::of("piece.bin", &data);
    let outcome = receive_with(session, &dir, transfer)?;
    expect_stored(session, &dir, "piece.bin", &data, outcome)
}

fn receives_an_empty_file(session: &Session) -> Result<(), Failure> {
    let scratch = Scratch::new(session)?;
    let dir = scratch.folder(session, "inbox")?;
    let transfer = Transfer::of("empty", b"");
    let outcome = receive_with(session, &dir, transfer)?;
    expect_stored(session, &dir, "empty", b"", outcome)
}

/// Expects an `error: ...` answer, an error returned, and nothing left in `dir` (nor
/// anywhere in `scratch` but `dir`).
fn expect_refused(
    session: &Session,
    scratch: &Scratch,
    dir: &Path,
    (result, answer): (io::Result<PathBuf>, Answer),
    if_ok: &str,
) -> Result<(), Failure> {
    match answer {
        Answer::Line(line) if line.starts_with("error: ") && line.ends_with('\n') => {}
        Answer::Line(line) if line == "ok\n" => {
            return Err(session.wrong("an answer `error: <why>`", if_ok));
        }
        Answer::Line(line) => {
            return Err(session.wrong(
                "an answer `error: <why>`",
                format!("the line {line:?}: an error answer starts with `error: `"),
            ));
        }
        Answer::Silence(_) => return Err(session.wrong("an answer `error: <why>`", NO_ANSWER)),
        Answer::Closed(_) | Answer::Reset(_) => {
            return Err(session.wrong(
                "an answer `error: <why>` before the connection closes",
                "closing without a word: answer `error: <why>` before returning the error",
            ));
        }
    }
    if result.is_ok() {
        return Err(session.wrong("receive_file to return an error", if_ok));
    }
    let left = entries(dir);
    if !left.is_empty() {
        return Err(session.wrong(
            "nothing left in the folder after a refused transfer",
            format!(
                "the folder holds {left:?}: a refused file was left behind; write to a \
                 temporary file and delete it when the transfer fails"
            ),
        ));
    }
    let outside = files_outside(&scratch.path, dir);
    if !outside.is_empty() {
        return Err(session.wrong(
            "nothing written outside the receiver's folder",
            format!("the check's folder outside it now holds {outside:?}: a name that leaves the folder was accepted"),
        ));
    }
    Ok(())
}

fn refuses_a_corrupted_file(session: &Session) -> Result<(), Failure> {
    let scratch = Scratch::new(session)?;
    let dir = scratch.folder(session, "inbox")?;
    let data = sample(100_000, 3);
    let mut changed = data.clone();
    changed[54_321] ^= 0x10;
    session.note("one bit of byte 54321 is flipped after the header's checksum was computed");
    let transfer = Transfer {
        header: header(&data, "flip.bin").into_bytes(),
        data: changed,
        then_close: false,
    };
    let outcome = receive_with(session, &dir, transfer)?;
    expect_refused(
        session,
        &scratch,
        &dir,
        outcome,
        "a file whose checksum differs accepted: compute the CRC-32 of the bytes as they come \
         and compare it with the header's",
    )
}

fn refuses_a_truncated_transfer(session: &Session) -> Result<(), Failure> {
    let scratch = Scratch::new(session)?;
    let dir = scratch.folder(session, "inbox")?;
    let data = sample(60_000, 5);
    // The checksum is of the bytes that do come: only the length can tell.
    let line = format!("FILE 100000 {:08x} short.bin\n", crc32(&data));
    session.note("the header promises 100000 bytes; 60000 come (their checksum is right), then the sender closes");
    let transfer = Transfer { header: line.into_bytes(), data, then_close: true };
    let outcome = receive_with(session, &dir, transfer)?;
    expect_refused(
        session,
        &scratch,
        &dir,
        outcome,
        "a transfer cut short accepted: count the bytes that came; fewer than the header's \
         length means the stream ended early",
    )
}

fn refuses_names_that_leave_the_folder(session: &Session) -> Result<(), Failure> {
    let scratch = Scratch::new(session)?;
    // Two levels down, so that a name climbing two levels (as `./../x` does once a
    // temporary name puts a `.` in front of it) still lands in the check's own folder.
    let dir = scratch.folder(session, "outer/inbox")?;
    let absolute = scratch.path.join("absolute.txt");
    let names = [
        "../escape.txt".to_string(),
        absolute.display().to_string(),
        "..".to_string(),
        "./../escape.txt".to_string(),
    ];
    for name in names {
        let data = b"not for you\n".to_vec();
        let transfer = Transfer::of(&name, &data);
        let outcome = receive_with(session, &dir, transfer)?;
        expect_refused(
            session,
            &scratch,
            &dir,
            outcome,
            "a name that leaves the folder accepted: check it with `is_safe_name` before \
             joining it to the folder",
        )?;
    }
    Ok(())
}

fn refuses_a_malformed_header(session: &Session) -> Result<(), Failure> {
    let scratch = Scratch::new(session)?;
    let dir = scratch.folder(session, "inbox")?;
    let huge = vec![b'F'; 64 * 1024];
    let headers: [(&[u8], &str); 12] = [
        (b"HELLO\n", "a line that is not a header"),
        (b"\n", "an empty line"),
        (b"FILE 5 3610a6 hello.txt\n", "a checksum of 6 hex digits"),
        (b"FILE five 3610a686 hello.txt\n", "a length that is not a number"),
        (b"file 5 3610a686 hello.txt\n", "`file` in lowercase"),
        (b"FILE  5 3610a686 hello.txt\n", "two spaces after `FILE`"),
        (b"FILE 5 3610a686 \n", "an empty name"),
        (b"FILE 5 3610a686 \xff\xfe.txt\n", "a name that is not UTF-8"),
        (&huge, "64 KiB without a `\\n`"),
        (b"FILE +5 3610a686 hello.txt\n", "a length with a `+` (which `parse` takes)"),
        // The CRC-32 of `hello 20` is 0x0cf79720: without its leading zero, 7 digits.
        (b"FILE 8 cf79720 hello.txt\n", "a right checksum written in 7 hex digits"),
        (b"FILE 8 +cf79720 hello.txt\n", "a checksum with a `+` (which `from_str_radix` takes)"),
    ];
    for (bad, what) in headers {
        session.note(format!("the sender sends {what}"));
        let data = if bad.starts_with(b"FILE 8 ") { &b"hello 20"[..] } else { &b"hello"[..] };
        let transfer = Transfer { header: bad.to_vec(), data: data.to_vec(), then_close: false };
        // In one write: what matters here is what the header says, not how it arrives.
        let outcome = receive_from(session, &dir, transfer, ReferenceSender::start_whole)?;
        let if_silent = "a header read without a limit: read at most MAX_HEADER bytes of it with \
             `take`, then answer `error: ...` if no `\\n` came";
        if matches!(outcome.1, Answer::Silence(_)) && bad.len() > 1024 {
            return Err(
                session.wrong("an answer `error: <why>` to a header line too long", if_silent)
            );
        }
        expect_refused(
            session,
            &scratch,
            &dir,
            outcome,
            "a malformed header accepted: the header is exactly `FILE <len> <crc> <name>`, with \
             single spaces (not `split_whitespace`), `FILE` in capitals, decimal digits only \
             for the length, exactly 8 hex digits for the CRC, and a name; use `Header::parse`",
        )?;
    }
    Ok(())
}

fn transfers_a_file_between_the_two_programs(session: &Session) -> Result<(), Failure> {
    let scratch = Scratch::new(session)?;
    let dir = scratch.folder(session, "inbox")?;
    let data = sample(500_000, 13);
    let path = scratch.file(session, "photo.jpg", &data)?;
    let dir_arg = dir.display().to_string();
    let mut receiver = session.start_with("file-receive", &["127.0.0.1:0", &dir_arg])?;
    let addr = receiver.listening(session)?;
    expect_bound_as_asked(session, "127.0.0.1:0", addr)?;
    let path_arg = path.display().to_string();
    let sent = match session.run_with_args_to_end("file-send", &[&addr.to_string(), &path_arg], "")
    {
        Ok(sent) => sent,
        Err(Failure::Wrong { expected, .. }) if expected.contains("end by itself") => {
            let mistake = file_send_hung(session, addr)?;
            return Err(receiver.explain(session, session.wrong(expected, mistake)));
        }
        Err(failure) => return Err(failure),
    };
    if !sent.output.status.success() {
        let mistake = match crc32_fault(session, &data) {
            Some(fault) => format!("it failed, and its stderr above says why: {fault}"),
            None => "it failed: its stderr above says why".to_string(),
        };
        return Err(receiver.explain(session, session.wrong("file-send to exit with 0", mistake)));
    }
    let stored = dir.join("photo.jpg");
    let line = receiver.line(session, "the stored file's path")?;
    if line.trim_end() != stored.display().to_string() {
        return Err(session.wrong(
            format!("the line {:?} on file-receive's stdout", stored.display()),
            "print each stored file's path, one a line, and nothing else on stdout",
        ));
    }
    if fs::read(&stored).unwrap_or_default() != data {
        return Err(session.wrong(
            format!("{} to hold the file sent", stored.display()),
            "the bytes stored differ from the file sent: file-send sends exactly the file after \
             the header, and file-receive stores exactly the `len` bytes after it (the in-process \
             checks of send_file and receive_file above say which)",
        ));
    }
    Ok(())
}

/// Why file-send did not end, by a probe: a reference sender sends a file to the same
/// file-receive. No answer to it either: file-receive's fault; `ok`: file-send's.
fn file_send_hung(session: &Session, addr: std::net::SocketAddr) -> Result<String, Failure> {
    let Ok(stream) = std::net::TcpStream::connect(addr) else {
        return Ok("file-send waited for an answer, and file-receive is gone: see its stderr \
             above"
            .to_string());
    };
    let data = sample(2000, 6);
    session.note("(probe) a reference sender sends probe.bin to the same file-receive");
    let answer =
        ReferenceSender::start(&session.log, stream, Transfer::of("probe.bin", &data)).answer();
    Ok(match answer {
        Answer::Line(line) if line == "ok\n" => "file-send waits after file-receive's answer \
             (a reference sender got `ok` from it): read one answer line, not to the end of the \
             stream, then return"
            .to_string(),
        Answer::Line(line) if line.starts_with("error") => format!(
            "file-send waited for an answer; file-receive refused a reference sender's good \
             file too: {}",
            refusal_of_a_good_file(session, &data, &line)
        ),
        Answer::Silence(_) => format!(
            "file-send waited for file-receive's answer, which did not come (nor to a \
             reference sender): {NO_ANSWER}"
        ),
        other => format!(
            "file-send waited for file-receive's answer; a reference sender got {other:?}: \
             {ENDED_UNANSWERED}"
        ),
    })
}

fn file_send_fails_when_the_receiver_refuses(session: &Session) -> Result<(), Failure> {
    let scratch = Scratch::new(session)?;
    let path = scratch.file(session, "notes.txt", b"some notes\n")?;
    let receiver = ReferenceReceiver::start(session, Reply::Say("error: disk full"))?;
    let path_arg = path.display().to_string();
    let finished =
        session.run_with_args_to_end("file-send", &[&receiver.addr.to_string(), &path_arg], "")?;
    receiver.received();
    let stderr = finished.stderr();
    if stderr.contains("panicked") {
        return Err(session.wrong(
            "one clear error line, not a panic",
            "an `unwrap()` or `expect()`: return the error with `?`",
        ));
    }
    if finished.output.status.success() {
        return Err(session.wrong(
            "a non-zero exit code when the receiver answers `error: disk full`",
            "success taken for granted: `send_file` must return an error unless the answer is `ok`",
        ));
    }
    Ok(())
}

fn file_receive_goes_on_after_a_refused_transfer(session: &Session) -> Result<(), Failure> {
    let scratch = Scratch::new(session)?;
    let dir = scratch.folder(session, "inbox")?;
    let dir_arg = dir.display().to_string();
    let mut receiver = session.start_with("file-receive", &["127.0.0.1:0", &dir_arg])?;
    let addr = receiver.listening(session)?;
    let send = |name: &str, data: Vec<u8>, then_close: bool| -> Result<Answer, Failure> {
        let stream = std::net::TcpStream::connect(addr).map_err(|err| {
            session.wrong(
                format!("file-receive to accept a connection at {addr}"),
                format!(
                    "{err}: the receiver stopped after a refused transfer: report a transfer's \
                     error on stderr and go on accepting"
                ),
            )
        })?;
        let line = if then_close {
            format!("FILE {} {:08x} {name}\n", data.len() + 10, crc32(&data))
        } else {
            header(&data, name)
        };
        Ok(ReferenceSender::start(
            &session.log,
            stream,
            Transfer { header: line.into_bytes(), data, then_close },
        )
        .answer())
    };
    let cut = send("cut.bin", sample(5000, 1), true).map_err(|f| receiver.explain(session, f))?;
    session.note(format!("the first transfer, cut short, got {cut:?}"));
    let data = sample(5000, 2);
    let answer =
        send("whole.bin", data.clone(), false).map_err(|f| receiver.explain(session, f))?;
    session.note(format!("the second transfer, whole, got {answer:?}"));
    if answer != Answer::Line("ok\n".into()) {
        // The connection was accepted, so the receiver still serves: say why this
        // transfer went wrong, by what came back.
        let mistake = match &answer {
            Answer::Silence(_) => NO_ANSWER.to_string(),
            Answer::Line(line) => refusal_of_a_good_file(session, &data, line),
            // A program that has ended may still have had the connection accepted by the
            // kernel before it went: look at whether it is still there.
            Answer::Closed(_) | Answer::Reset(_) if has_ended_soon(&mut receiver) => {
                "the receiver stopped serving after a refused transfer: report a transfer's \
                 error on stderr and go on accepting"
                    .to_string()
            }
            Answer::Closed(_) | Answer::Reset(_) => {
                format!("the connection closed without an answer: {ENDED_UNANSWERED}")
            }
        };
        return Err(receiver.explain(
            session,
            session.wrong("\"ok\\n\" for a good transfer after a refused one", mistake),
        ));
    }
    let line = receiver.line(session, "the stored file's path")?;
    let stored = dir.join("whole.bin");
    if line.trim_end() != stored.display().to_string() {
        return Err(session.wrong(
            format!(
                "the line {:?} on stdout, and nothing for the refused transfer",
                stored.display()
            ),
            if cut == Answer::Line("ok\n".into()) {
                "the transfer cut short was accepted (answered `ok`) and printed: count the bytes \
                 that came; fewer than the header's length means the stream ended early"
            } else {
                "print only stored files on stdout; a refused transfer goes to stderr"
            },
        ));
    }
    Ok(())
}

fn receives_a_name_with_spaces(session: &Session) -> Result<(), Failure> {
    let scratch = Scratch::new(session)?;
    let dir = scratch.folder(session, "inbox")?;
    for name in ["my notes.txt", " two  spaces .txt"] {
        let data = format!("the file called {name:?}\n").into_bytes();
        let transfer = Transfer::of(name, &data);
        let (result, answer) = receive_with(session, &dir, transfer)?;
        if let Answer::Line(line) = &answer
            && line.starts_with("error")
        {
            return Err(session.wrong(
                format!("\"ok\\n\" for a file named {name:?}"),
                refusal_of_a_spaced_name(session, &dir, name, &data, line)?,
            ));
        }
        // A path that ends in the name's first word only: the name cut at a space.
        let first_word = name.split_whitespace().next().unwrap_or_default();
        if matches!(&result, Ok(path) if path.file_name().is_some_and(|f| f == first_word)) {
            return Err(session.wrong(
                format!("the file stored as {name:?}"),
                format!(
                    "stored as {first_word:?}: the name cut at its first space; the name is \
                     everything after the third space, spaces and all (`splitn(4, ' ')`)"
                ),
            ));
        }
        expect_stored(session, &dir, name, &data, (result, answer))?;
        let _ = fs::remove_file(dir.join(name));
    }
    Ok(())
}

/// Why a receiver refused a good file named `name`, which has spaces: the name, if the
/// same file under a name without spaces is taken (a probe), else what the refusal shows.
fn refusal_of_a_spaced_name(
    session: &Session,
    dir: &Path,
    name: &str,
    data: &[u8],
    line: &str,
) -> Result<String, Failure> {
    if let Some(fault) = crc32_fault(session, data) {
        return Ok(format!("{line:?} for a good file: {fault}"));
    }
    let plain = name.split_whitespace().collect::<Vec<_>>().join("_");
    session.note(format!("(probe) the same file named {plain:?}"));
    let transfer = Transfer::of(&plain, data);
    let (_, answer) = receive_with(session, dir, transfer)?;
    let _ = fs::remove_file(dir.join(&plain));
    Ok(match answer {
        Answer::Line(ok) if ok == "ok\n" => "a name with spaces refused: the name is everything \
             after the third space, spaces and all (`split_once`, or `splitn(4, ' ')`), not one \
             word of `split_whitespace`"
            .to_string(),
        Answer::Line(other) => refusal_of_a_good_file(session, data, &other),
        _ => refusal_of_a_good_file(session, data, line),
    })
}

fn file_receive_serves_senders_at_once(session: &Session) -> Result<(), Failure> {
    let scratch = Scratch::new(session)?;
    let dir = scratch.folder(session, "inbox")?;
    let dir_arg = dir.display().to_string();
    let mut receiver = session.start_with("file-receive", &["127.0.0.1:0", &dir_arg])?;
    let addr = receiver.listening(session)?;
    let mut slow = std::net::TcpStream::connect(addr)
        .map_err(|err| session.wrong(format!("a connection to file-receive at {addr}"), err))?;
    let _ = std::io::Write::write_all(&mut slow, b"FILE 5 3610a686 sl");
    session.note("a slow sender connects and sends half a header, then waits");
    let stream = std::net::TcpStream::connect(addr)
        .map_err(|err| session.wrong(format!("a second connection to {addr}"), err))?;
    let quick = sample(5000, 3);
    let answer =
        ReferenceSender::start(&session.log, stream, Transfer::of("quick.bin", &quick)).answer();
    session.note(format!("a second sender sent quick.bin and got {answer:?}"));
    drop(slow);
    if answer != Answer::Line("ok\n".into()) {
        let mistake = match &answer {
            Answer::Silence(_) => alone_after_silence(session, addr)?,
            Answer::Line(line) if line.starts_with("error") => {
                refusal_of_a_good_file(session, &quick, line)
            }
            Answer::Line(line) => format!(
                "the line {line:?}: the answer is exactly `ok` and one `\\n` (no `\\r`, no \
                 other word)"
            ),
            Answer::Closed(_) | Answer::Reset(_) => {
                format!("the connection closed without an answer: {ENDED_UNANSWERED}")
            }
        };
        return Err(receiver.explain(
            session,
            session.wrong("\"ok\\n\" for the second sender while the first is slow", mistake),
        ));
    }
    Ok(())
}

/// Why a sender got no answer while a slow one was connected, by a probe: once the slow
/// sender has gone, a sender alone. If it gets `ok`, the receiver served one at a time;
/// if it gets nothing or a refusal too, the fault is in every transfer, not in the waiting.
fn alone_after_silence(session: &Session, addr: std::net::SocketAddr) -> Result<String, Failure> {
    const ONE_AT_A_TIME: &str = "serving one sender at a time: the receiver waits on the slow \
         sender's header while the second waits for its answer; handle each connection on a \
         thread of its own";
    let Ok(stream) = std::net::TcpStream::connect(addr) else {
        return Ok(ONE_AT_A_TIME.to_string());
    };
    let data = sample(2000, 4);
    session.note("(probe) the slow sender has gone: a sender alone sends alone.bin");
    let answer =
        ReferenceSender::start(&session.log, stream, Transfer::of("alone.bin", &data)).answer();
    Ok(match answer {
        Answer::Line(line) if line == "ok\n" => {
            format!("{ONE_AT_A_TIME} (a sender alone got `ok` once the slow one had gone)")
        }
        Answer::Line(line) if line.starts_with("error") => {
            refusal_of_a_good_file(session, &data, &line)
        }
        Answer::Silence(_) => {
            format!("no answer even to a sender alone, so not the slow sender's fault: {NO_ANSWER}")
        }
        other => format!(
            "a sender alone got {other:?} too, so not the slow sender's fault: {ENDED_UNANSWERED}"
        ),
    })
}

fn drops_a_sender_that_stalls(session: &Session) -> Result<(), Failure> {
    use std::io::{ErrorKind, Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    let scratch = Scratch::new(session)?;
    let dir = scratch.folder(session, "inbox")?;
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|err| session.wrong("a listener", err))?;
    let addr = listener.local_addr().map_err(|err| session.wrong("a listener", err))?;
    // Short: nothing has to beat it, and a receiver without it is waited for ten times it.
    let idle = Duration::from_millis(100);
    session.note(format!("calls serve on a listener at {addr} with an idle time of {idle:?}"));
    // serve runs forever: its thread is left blocked in accept when the check ends.
    let (tx, returned) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(grader::session::catch_panic(move || {
            subject::file_transfer::serve(listener, &dir, idle)
        }));
    });
    // Why serve is no longer accepting: it panicked (a `todo!()` is "not done yet") or
    // returned, though it must serve forever.
    let ended = |what: &str| -> Failure {
        match returned.recv_timeout(WAIT) {
            Ok(Err(panic)) => session.panicked("file_transfer::serve", panic),
            Ok(Ok(result)) => session.wrong(
                format!("serve to go on accepting senders ({what})"),
                format!("serve returned {result:?}: it must loop over `incoming()` forever"),
            ),
            Err(_) => session.wrong(
                format!("serve to go on accepting senders ({what})"),
                "the listener was closed while serve had not returned",
            ),
        }
    };
    let Ok(mut stalled) = TcpStream::connect(addr) else {
        return Err(ended("the first connection was refused"));
    };
    let _ = stalled.write_all(b"FILE 5 3610a686 st");
    session.note("a sender connects, sends half a header, then stalls");
    // Ten times the idle time: a receiver with the timeout has long closed by then.
    let patience = idle * 10;
    let _ = stalled.set_read_timeout(Some(patience));
    let started = Instant::now();
    let outcome = stalled.read(&mut [0; 1]);
    let took = started.elapsed();
    match outcome {
        Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
            session.note(format!("… still open after {patience:?}"));
            Err(session.wrong(
                format!("the receiver to drop a sender that stalls once {idle:?} pass"),
                "no read timeout on the accepted connection, so a sender that stalls holds its \
                 thread forever: call `set_read_timeout(Some(idle))` on each stream before \
                 reading from it",
            ))
        }
        // A serve that has returned or panicked has done so by now; a right one never does.
        _ => match returned.recv_timeout(Duration::from_millis(50)) {
            Ok(Err(panic)) => Err(session.panicked("file_transfer::serve", panic)),
            Ok(Ok(result)) => Err(session.wrong(
                "serve to go on accepting senders",
                format!("serve returned {result:?}: it must loop over `incoming()` forever"),
            )),
            Err(_) => {
                session.note(format!("the receiver closed the stalled connection after {took:?}"));
                Ok(())
            }
        },
    }
}

/// Whether the program ends within a moment (a connection it left unanswered may be
/// seen closing just before its end is).
fn has_ended_soon(program: &mut grader::program::Running) -> bool {
    for _ in 0..60 {
        if !program.is_running() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    false
}
