//! Mistakes in the file transfer.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, ErrorKind, Read, Seek, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

use crate::{Mistake, making};
use solutions::file_transfer as model;
pub use solutions::file_transfer::CRC32_TABLE;
pub use solutions::file_transfer::IDLE_TIMEOUT;
use solutions::file_transfer::{Header, MAX_HEADER};

/// Each mistake made here, the checks that must catch it, and words their message must contain.
pub const MISTAKES: &[Mistake] = &[
    (
        "file_transfer_receive_no_idle_timeout",
        &["file_transfer::drops_a_sender_that_stalls"],
        "no read timeout",
    ),
    (
        "file_transfer_crc32_without_the_final_complement",
        &["file_transfer::computes_crc32_of_known_inputs"],
        "final complement",
    ),
    (
        "file_transfer_crc32_without_complements",
        &["file_transfer::computes_crc32_of_known_inputs"],
        "both complements missing",
    ),
    (
        "file_transfer_crc32_without_complements",
        &[
            "file_transfer::receives_a_name_with_spaces",
            "file_transfer::receives_a_file_sent_in_odd_pieces",
            "file_transfer::file_receive_goes_on_after_a_refused_transfer",
            "file_transfer::file_receive_serves_senders_at_once",
            "file_transfer::sends_the_header_then_exactly_the_file",
        ],
        "its `crc32` is wrong",
    ),
    (
        "file_transfer_crc32_starts_at_crc",
        &["file_transfer::computes_crc32_of_known_inputs"],
        "the register starting at `crc` itself",
    ),
    (
        "file_transfer_crc32_indexes_with_the_byte",
        &["file_transfer::computes_crc32_of_known_inputs"],
        "indexed with the byte alone",
    ),
    (
        "file_transfer_crc32_restarts_each_call",
        &["file_transfer::receives_a_name_with_spaces"],
        "goes wrong when continued",
    ),
    (
        "file_transfer_receive_data_from_the_raw_stream",
        &["file_transfer::file_receive_serves_senders_at_once"],
        "no answer even to a sender alone",
    ),
    // Not `transfers_a_file_between_the_two_programs`: whether the real sender's header and
    // data reach the receiver in one read (and so whether bytes are lost) is up to timing.
    (
        "file_transfer_crc32_restarts_each_call",
        &["file_transfer::computes_crc32_of_known_inputs"],
        "afresh",
    ),
    (
        "file_transfer_name_only_checks_slash",
        &["file_transfer::accepts_plain_names_and_refuses_paths"],
        "leaves the folder accepted",
    ),
    (
        "file_transfer_receive_allows_any_name",
        &["file_transfer::refuses_names_that_leave_the_folder"],
        "leaves the folder accepted",
    ),
    (
        "file_transfer_receive_one_read",
        &["file_transfer::receives_a_file_sent_in_odd_pieces"],
        "one `read` for the whole file",
    ),
    (
        "file_transfer_receive_reads_to_the_end",
        &[
            "file_transfer::receives_a_file_sent_in_odd_pieces",
            "file_transfer::receives_an_empty_file",
        ],
        "read_to_end",
    ),
    (
        "file_transfer_receive_data_from_the_raw_stream",
        &[
            "file_transfer::receives_a_file_sent_in_odd_pieces",
            "file_transfer::file_receive_goes_on_after_a_refused_transfer",
        ],
        "after a `BufReader` had read them ahead",
    ),
    (
        "file_transfer_receive_prints_the_name_only",
        &["file_transfer::transfers_a_file_between_the_two_programs"],
        "print each stored file's path",
    ),
    (
        "file_transfer_name_cut_at_a_space",
        &["file_transfer::receives_a_name_with_spaces"],
        "the name cut at its first space",
    ),
    (
        "file_transfer_header_split_on_whitespace",
        &[
            "file_transfer::refuses_a_malformed_header",
            "file_transfer::receives_a_name_with_spaces",
        ],
        "split_whitespace",
    ),
    (
        "file_transfer_header_lenient_numbers",
        &["file_transfer::refuses_a_malformed_header"],
        "exactly 8 hex digits",
    ),
    (
        "file_transfer_temp_name_without_name_check",
        &["file_transfer::refuses_names_that_leave_the_folder"],
        "leaves the folder accepted",
    ),
    (
        "file_transfer_receive_one_at_a_time",
        &["file_transfer::file_receive_serves_senders_at_once"],
        "one sender at a time",
    ),
    (
        "file_transfer_receive_unwraps_the_header_text",
        &["file_transfer::refuses_a_malformed_header"],
        "panic",
    ),
    (
        "file_transfer_receive_ignores_the_checksum",
        &["file_transfer::refuses_a_corrupted_file"],
        "checksum differs accepted",
    ),
    (
        "file_transfer_receive_ignores_the_length",
        &["file_transfer::refuses_a_truncated_transfer"],
        "cut short accepted",
    ),
    (
        "file_transfer_receive_ignores_the_length",
        &["file_transfer::file_receive_goes_on_after_a_refused_transfer"],
        "the transfer cut short was accepted",
    ),
    (
        "file_transfer_receive_leaves_a_partial_file",
        &["file_transfer::refuses_a_corrupted_file"],
        "left behind",
    ),
    (
        "file_transfer_receive_unbounded_header",
        &["file_transfer::refuses_a_malformed_header"],
        "without a limit",
    ),
    (
        "file_transfer_receive_serves_one_transfer",
        &["file_transfer::file_receive_goes_on_after_a_refused_transfer"],
        "go on accepting",
    ),
    (
        "file_transfer_send_forgets_to_rewind",
        &[
            "file_transfer::sends_the_header_then_exactly_the_file",
            "file_transfer::sends_a_large_file_whole",
        ],
        "`rewind`",
    ),
    (
        "file_transfer_send_ignores_the_answer",
        &[
            "file_transfer::fails_unless_the_receiver_says_ok",
            "file_transfer::file_send_fails_when_the_receiver_refuses",
        ],
        "success taken for granted",
    ),
    (
        "file_transfer_send_sends_the_whole_path",
        &["file_transfer::sends_the_header_then_exactly_the_file"],
        "`path.file_name()`",
    ),
];

/// The mistakes of `crc32`: with one of them, this module's sender and receiver use it.
const CRC32_MISTAKES: [&str; 5] = [
    "file_transfer_crc32_restarts_each_call",
    "file_transfer_crc32_without_the_final_complement",
    "file_transfer_crc32_without_complements",
    "file_transfer_crc32_starts_at_crc",
    "file_transfer_crc32_indexes_with_the_byte",
];

pub fn crc32(crc: u32, bytes: &[u8]) -> u32 {
    let restart = making("file_transfer_crc32_restarts_each_call");
    let no_complements = making("file_transfer_crc32_without_complements");
    let mut register = if restart {
        !0
    } else if no_complements || making("file_transfer_crc32_starts_at_crc") {
        crc
    } else {
        !crc
    };
    for &byte in bytes {
        let index = if making("file_transfer_crc32_indexes_with_the_byte") {
            u32::from(byte)
        } else {
            (register ^ u32::from(byte)) & 0xFF
        };
        register = (register >> 8) ^ CRC32_TABLE[index as usize];
    }
    if no_complements || making("file_transfer_crc32_without_the_final_complement") {
        register
    } else {
        !register
    }
}

pub fn is_safe_name(name: &str) -> bool {
    if making("file_transfer_name_only_checks_slash") {
        return !name.is_empty() && !name.contains('/');
    }
    model::is_safe_name(name)
}

pub fn send_file(stream: TcpStream, path: &Path) -> io::Result<u64> {
    if !making("file_transfer_send_forgets_to_rewind")
        && !making("file_transfer_send_ignores_the_answer")
        && !making("file_transfer_send_sends_the_whole_path")
        && !CRC32_MISTAKES.iter().any(|name| making(name))
    {
        return model::send_file(stream, path);
    }
    let name = if making("file_transfer_send_sends_the_whole_path") {
        path.display().to_string()
    } else {
        path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string()
    };
    let mut file = File::open(path)?;
    let mut data = Vec::new();
    file.read_to_end(&mut data)?;
    if !making("file_transfer_send_forgets_to_rewind") {
        file.rewind()?;
    }
    let len = data.len() as u64;
    let header = Header { len, crc: crc32(0, &data), name };
    (&stream).write_all(header.line().as_bytes())?;
    io::copy(&mut file, &mut &stream)?;
    if making("file_transfer_send_ignores_the_answer") {
        return Ok(len);
    }
    let mut answer = String::new();
    BufReader::new(&stream).read_line(&mut answer)?;
    if answer == "ok\n" { Ok(len) } else { Err(io::Error::other(answer)) }
}

fn receiving_mistake() -> bool {
    [
        "file_transfer_name_only_checks_slash",
        "file_transfer_receive_allows_any_name",
        "file_transfer_receive_one_read",
        "file_transfer_receive_reads_to_the_end",
        "file_transfer_receive_data_from_the_raw_stream",
        "file_transfer_receive_ignores_the_checksum",
        "file_transfer_receive_ignores_the_length",
        "file_transfer_receive_leaves_a_partial_file",
        "file_transfer_receive_unbounded_header",
        "file_transfer_header_split_on_whitespace",
        "file_transfer_receive_unwraps_the_header_text",
        "file_transfer_temp_name_without_name_check",
        "file_transfer_header_lenient_numbers",
        "file_transfer_name_cut_at_a_space",
    ]
    .iter()
    .chain(&CRC32_MISTAKES)
    .any(|name| making(name))
}

pub fn receive_file(stream: TcpStream, dir: &Path) -> io::Result<PathBuf> {
    if !receiving_mistake() {
        return model::receive_file(stream, dir);
    }
    let mut reader = BufReader::new(&stream);
    let outcome = receive_into(&mut reader, &stream, dir);
    let answer = match &outcome {
        Ok(_) => "ok".to_string(),
        Err(err) => format!("error: {err}"),
    };
    (&stream).write_all(format!("{answer}\n").as_bytes())?;
    outcome
}

/// A receiver written the straightforward way: the whole file in memory, then written
/// straight to its name, with one mistake at a time.
fn receive_into(
    reader: &mut BufReader<&TcpStream>,
    stream: &TcpStream,
    dir: &Path,
) -> io::Result<PathBuf> {
    let refuse = |why: &str| io::Error::new(ErrorKind::InvalidData, why);
    let mut bytes = Vec::new();
    if making("file_transfer_receive_unbounded_header") {
        reader.read_until(b'\n', &mut bytes)?;
    } else {
        reader.take(MAX_HEADER as u64).read_until(b'\n', &mut bytes)?;
    }
    let line = if making("file_transfer_receive_unwraps_the_header_text") {
        String::from_utf8(bytes).unwrap()
    } else {
        String::from_utf8(bytes).map_err(|_| refuse("bad header"))?
    };
    let header = if making("file_transfer_header_lenient_numbers") {
        parse_lenient_numbers(&line)
    } else if making("file_transfer_header_split_on_whitespace") {
        parse_loosely(&line)
    } else if making("file_transfer_name_cut_at_a_space") {
        line.strip_suffix('\n').and_then(Header::parse).map(|mut header| {
            header.name = header.name.split_whitespace().next().unwrap_or_default().to_string();
            header
        })
    } else {
        line.strip_suffix('\n').and_then(Header::parse)
    }
    .ok_or_else(|| refuse("bad header"))?;
    if making("file_transfer_temp_name_without_name_check") {
        // The model's temporary name, with the name never checked.
        let path = dir.join(&header.name);
        let partial = dir.join(format!(".{}.part", header.name));
        let mut data = Vec::new();
        reader.take(header.len).read_to_end(&mut data)?;
        fs::write(&partial, &data)?;
        if data.len() as u64 != header.len || crc_in_pieces(&data) != header.crc {
            let _ = fs::remove_file(&partial);
            return Err(refuse("bad transfer"));
        }
        if let Err(err) = fs::rename(&partial, &path) {
            let _ = fs::remove_file(&partial);
            return Err(err);
        }
        return Ok(path);
    }
    if !making("file_transfer_receive_allows_any_name") && !is_safe_name(&header.name) {
        return Err(refuse("bad file name"));
    }
    let mut data = Vec::new();
    if making("file_transfer_receive_one_read") {
        data.resize(header.len as usize, 0);
        let n = reader.read(&mut data)?;
        data.truncate(n);
    } else if making("file_transfer_receive_reads_to_the_end") {
        reader.read_to_end(&mut data)?;
    } else if making("file_transfer_receive_data_from_the_raw_stream") {
        stream.take(header.len).read_to_end(&mut data)?;
    } else {
        reader.take(header.len).read_to_end(&mut data)?;
    }
    let path = dir.join(&header.name);
    if making("file_transfer_receive_leaves_a_partial_file") {
        fs::write(&path, &data)?;
    }
    if data.len() as u64 != header.len && !making("file_transfer_receive_ignores_the_length") {
        return Err(refuse("truncated"));
    }
    if crc_in_pieces(&data) != header.crc && !making("file_transfer_receive_ignores_the_checksum") {
        return Err(refuse("checksum mismatch"));
    }
    fs::write(&path, &data)?;
    Ok(path)
}

/// The CRC-32 of `data` computed a piece at a time, as a receiver does while the bytes
/// come in.
fn crc_in_pieces(data: &[u8]) -> u32 {
    data.chunks(16).fold(0, crc32)
}

pub fn serve(listener: TcpListener, dir: &Path, idle: std::time::Duration) -> io::Result<()> {
    if making("file_transfer_receive_serves_one_transfer") {
        let (stream, _) = listener.accept()?;
        let path = receive_file(stream, dir)?;
        println!("{}", path.display());
        return Ok(());
    }
    // The model's loop, calling this module's `receive_file`, mistakes and all.
    for stream in listener.incoming() {
        let stream = stream?;
        if making("file_transfer_receive_one_at_a_time") {
            if let Ok(path) = receive_file(stream, dir) {
                println!("{}", path.display());
            }
            continue;
        }
        let dir = dir.to_path_buf();
        std::thread::spawn(move || {
            // Without a read timeout a stalled sender holds its thread forever.
            let timeout =
                if making("file_transfer_receive_no_idle_timeout") { None } else { Some(idle) };
            let stored = stream.set_read_timeout(timeout).and_then(|()| receive_file(stream, &dir));
            match stored {
                Ok(path) if making("file_transfer_receive_prints_the_name_only") => {
                    println!("{}", path.file_name().unwrap_or_default().to_string_lossy())
                }
                Ok(path) => println!("{}", path.display()),
                Err(err) => eprintln!("{err}"),
            }
        });
    }
    Ok(())
}

/// A header read with `split_whitespace`: any spaces, `file` in any case, and a line
/// ending in `\r\n` all pass.
fn parse_loosely(line: &str) -> Option<Header> {
    let parts: Vec<&str> = line.split_whitespace().collect();
    let [keyword, len, crc, name] = parts[..] else { return None };
    if !keyword.eq_ignore_ascii_case("FILE") || crc.len() != 8 {
        return None;
    }
    Some(Header {
        len: len.parse().ok()?,
        crc: u32::from_str_radix(crc, 16).ok()?,
        name: name.to_string(),
    })
}

/// A header whose numbers are taken by `parse` and `from_str_radix` alone: a `+` sign
/// and a CRC of any number of digits pass.
fn parse_lenient_numbers(line: &str) -> Option<Header> {
    let rest = line.strip_suffix('\n')?.strip_prefix("FILE ")?;
    let (len, rest) = rest.split_once(' ')?;
    let (crc, name) = rest.split_once(' ')?;
    Some(Header {
        len: len.parse().ok()?,
        crc: u32::from_str_radix(crc, 16).ok()?,
        name: name.to_string(),
    })
}
