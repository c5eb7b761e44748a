//! A benchmark, not a test: how fast the model answer of the file transfer moves a file
//! through loopback, next to a plain byte copy through the same loopback.
//!
//! Run it with `cargo run --release -p solutions --example transfer_bench [MIB]` (MIB, the
//! file's size in MiB, defaults to 256). It prints, best of three runs each:
//!
//! - plain copy to a sink: `write_all` from memory into a `TcpStream`, `io::copy` into
//!   `io::sink()` on the other end. The most loopback can do with one connection and no work.
//! - plain copy file to file: `io::copy` from the file into a `TcpStream`, `io::copy` from
//!   a `BufReader` of the same size as the model answer's into a new file on the other end.
//!   The same disk and socket work as the transfer, without its header, checksum and answer.
//! - file transfer: `file_transfer::send_file` of the file to `file_transfer::receive_file`
//!   into a folder, from `connect` to the sender's `ok`, as a share of each plain copy.
//! - CRC-32 alone, over the same bytes in memory: the model answer's (the `crc32fast`
//!   crate, which uses the processor's carry-less multiplication), slicing-by-8 (eight
//!   table lookups a step, in plain Rust, below), and the chapter's byte-at-a-time one, to
//!   show where the time goes.
//!
//! MB here is 10^6 bytes. Nothing is asserted: figures depend on the machine and its load.

use std::io::{self, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use solutions::file_transfer::{CRC32_TABLE, crc32, receive_file, send_file};

const RUNS: usize = 3;

fn main() -> io::Result<()> {
    let mib: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(256);
    let len = mib << 20;
    let data = sample(len);
    assert_eq!(crc32(0, &data), crc32_slicing_by_8(0, &data), "two CRC-32s that disagree");
    let scratch = std::env::temp_dir().join(format!("transfer-bench-{}", std::process::id()));
    let inbox = scratch.join("inbox");
    std::fs::create_dir_all(&inbox)?;
    let file = scratch.join("payload.bin");
    std::fs::write(&file, &data)?;
    println!("{mib} MiB ({len} bytes) through 127.0.0.1, best of {RUNS} runs; MB = 10^6 bytes");

    let plain = best(|| plain_copy(&data))?;
    report("plain copy, memory to sink", len, plain);
    let files = best(|| file_copy(&file, &inbox))?;
    report("plain copy, file to file", len, files);
    let transfer = best(|| model_transfer(&file, &inbox))?;
    report("file transfer, send_file to receive_file", len, transfer);
    let share = |of: Duration| 100.0 * of.as_secs_f64() / transfer.as_secs_f64();
    println!(
        "  the transfer moves at {:.0} % of the plain copy to a sink, {:.0} % of the file-to-file copy",
        share(plain),
        share(files)
    );
    let crc = best(|| timed(|| crc32(0, &data)))?;
    report("CRC-32 alone, crc32fast (model answer)", len, crc);
    let slicing = best(|| timed(|| crc32_slicing_by_8(0, &data)))?;
    report("CRC-32 alone, 8 bytes a step (slicing-by-8)", len, slicing);
    let bytewise = best(|| timed(|| crc32_bytewise(&data)))?;
    report("CRC-32 alone, byte at a time (the chapter's)", len, bytewise);

    std::fs::remove_dir_all(&scratch)?;
    Ok(())
}

/// How long `work` takes.
fn timed(work: impl FnOnce() -> u32) -> io::Result<Duration> {
    let started = Instant::now();
    std::hint::black_box(work());
    Ok(started.elapsed())
}

/// `CRC32_TABLE`, extended to eight bytes: `CRC32_SLICES[k][n]` is what the
/// byte `n` becomes after `k` more zero bytes have passed through the register.
/// With it, one step takes eight bytes ("slicing-by-8", Kounavis and Berry, Intel, 2005). A
/// `static`, not a `const`: an unoptimised build would copy a `const` array
/// for every lookup.
static CRC32_SLICES: [[u32; 256]; 8] = {
    let mut slices = [CRC32_TABLE; 8];
    let mut k = 1;
    while k < 8 {
        let mut n = 0;
        while n < 256 {
            let prev = slices[k - 1][n];
            slices[k][n] = (prev >> 8) ^ CRC32_TABLE[(prev & 0xFF) as usize];
            n += 1;
        }
        k += 1;
    }
    slices
};

fn crc32_slicing_by_8(crc: u32, bytes: &[u8]) -> u32 {
    // The register holds the complement between calls, so that leading zero
    // bytes still change the result.
    let mut register = !crc;
    // Eight bytes a step: xor the register into the first four, then look
    // each of the eight up in the slice for the bytes still to come after
    // it. Eight independent lookups, not eight that each wait for the last:
    // that is what makes it four to five times faster than byte by byte.
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let low = register ^ u32::from_le_bytes([w[0], w[1], w[2], w[3]]);
        let t = &CRC32_SLICES;
        register = t[7][(low & 0xFF) as usize]
            ^ t[6][((low >> 8) & 0xFF) as usize]
            ^ t[5][((low >> 16) & 0xFF) as usize]
            ^ t[4][(low >> 24) as usize]
            ^ t[3][usize::from(w[4])]
            ^ t[2][usize::from(w[5])]
            ^ t[1][usize::from(w[6])]
            ^ t[0][usize::from(w[7])];
    }
    // The last few bytes one at a time, as in the chapter.
    for &byte in words.remainder() {
        let index = (register ^ u32::from(byte)) & 0xFF;
        register = (register >> 8) ^ CRC32_TABLE[index as usize];
    }
    !register
}

/// The CRC-32 of `bytes` one table lookup per byte, as the chapter teaches it.
fn crc32_bytewise(bytes: &[u8]) -> u32 {
    let mut register = !0u32;
    for &byte in std::hint::black_box(bytes) {
        register = (register >> 8) ^ CRC32_TABLE[((register ^ u32::from(byte)) & 0xFF) as usize];
    }
    !register
}

/// The shortest of [`RUNS`] runs.
fn best(mut run: impl FnMut() -> io::Result<Duration>) -> io::Result<Duration> {
    let mut best = Duration::MAX;
    for _ in 0..RUNS {
        best = best.min(run()?);
    }
    Ok(best)
}

fn report(what: &str, len: usize, took: Duration) {
    let mb_per_s = len as f64 / 1e6 / took.as_secs_f64();
    println!("  {what:<46} {mb_per_s:>6.0} MB/s  ({:.3} s)", took.as_secs_f64());
}

/// Writes `data` into one end of a loopback connection; the other end copies it into a
/// sink. Timed from `connect` to the receiver's end of stream.
fn plain_copy(data: &[u8]) -> io::Result<Duration> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let receiver = thread::spawn(move || -> io::Result<u64> {
        let (mut stream, _) = listener.accept()?;
        io::copy(&mut stream, &mut io::sink())
    });
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr)?;
    for chunk in data.chunks(1 << 20) {
        stream.write_all(chunk)?;
    }
    drop(stream);
    let copied = receiver.join().expect("the receiver thread")?;
    let took = started.elapsed();
    assert_eq!(copied, data.len() as u64, "the plain copy lost bytes");
    Ok(took)
}

/// Copies `file` through a loopback connection into a new file in `inbox` with two plain
/// `io::copy`s. Timed from `connect` to the receiver's end of stream.
fn file_copy(file: &Path, inbox: &Path) -> io::Result<Duration> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let into = inbox.join("copy.bin");
    let _ = std::fs::remove_file(&into); // not timed: no run pays for the last one's file
    let receiver = thread::spawn(move || -> io::Result<u64> {
        let (stream, _) = listener.accept()?;
        // Without a buffer of its own, io::copy from a socket to a file goes 8 KiB at a time.
        let mut stream = io::BufReader::with_capacity(256 * 1024, stream);
        io::copy(&mut stream, &mut std::fs::File::create(into)?)
    });
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr)?;
    let sent = io::copy(&mut std::fs::File::open(file)?, &mut stream)?;
    drop(stream);
    let copied = receiver.join().expect("the receiver thread")?;
    let took = started.elapsed();
    assert_eq!((sent, copied), (std::fs::metadata(file)?.len(), sent), "the copy lost bytes");
    Ok(took)
}

/// Sends `file` with the model answer's `send_file` to its `receive_file` into `inbox`.
/// Timed from `connect` to the sender's `ok`.
fn model_transfer(file: &Path, inbox: &Path) -> io::Result<Duration> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let into = inbox.to_path_buf();
    // Not timed: no run pays for deleting the last one's file when it renames over it.
    let _ = std::fs::remove_file(inbox.join(file.file_name().unwrap_or_default()));
    let receiver = thread::spawn(move || -> io::Result<()> {
        let (stream, _) = listener.accept()?;
        receive_file(stream, &into).map(drop)
    });
    let started = Instant::now();
    let sent = send_file(TcpStream::connect(addr)?, file)?;
    let took = started.elapsed();
    receiver.join().expect("the receiver thread")?;
    assert_eq!(sent, std::fs::metadata(file)?.len(), "the transfer lost bytes");
    Ok(took)
}

/// `len` bytes that look random (so that nothing on the way can compress them).
fn sample(len: usize) -> Vec<u8> {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut data = Vec::with_capacity(len + 8);
    while data.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        data.extend_from_slice(&state.to_le_bytes());
    }
    data.truncate(len);
    data
}
