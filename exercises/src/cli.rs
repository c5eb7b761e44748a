//! The command line shared by every program: `<program> [ADDR]`, and for the programs
//! that also need a file or a folder, `<program> [ADDR] PATH`.
//!
//! This file is the same in `exercises` and `solutions`; you do not need to change it.
//! It turns arguments into calls to the exercise functions, prints the readiness line
//! `listening on <address>` for programs that bind, and turns an error into one line
//! on stderr and exit code 1.

use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::path::Path;
use std::process::ExitCode;

use crate::{chat_server, file_transfer, tcp_client, tcp_server, udp_receiver, udp_sender};

/// Where the UDP programs meet unless told otherwise.
pub const UDP_DEFAULT: &str = "127.0.0.1:5000";
/// Where the TCP programs meet unless told otherwise.
pub const TCP_DEFAULT: &str = "127.0.0.1:50007";
/// Where the file transfer programs meet unless told otherwise.
pub const FILE_DEFAULT: &str = "127.0.0.1:50008";

/// Each program: its name, its default address, what it does.
const PROGRAMS: &[(&str, &str, &str)] = &[
    ("udp-receiver", UDP_DEFAULT, "print each datagram until `bye`"),
    ("udp-sender", UDP_DEFAULT, "send each line of stdin as a datagram"),
    ("tcp-server", TCP_DEFAULT, "answer the chat protocol, many clients at once"),
    ("tcp-client", TCP_DEFAULT, "send each line of stdin, print each answer"),
    ("chat-server", TCP_DEFAULT, "the chat server that holds up against rude clients"),
    ("file-send", FILE_DEFAULT, "send the file PATH; exit 0 once the receiver says ok"),
    ("file-receive", FILE_DEFAULT, "store each file received in the folder PATH"),
];

/// The programs that take a required PATH after the optional ADDR.
const WITH_PATH: &[&str] = &["file-send", "file-receive"];

/// Runs the program named by the first argument and returns the process's exit code.
pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((program, rest)) = args.split_first() else {
        return usage();
    };
    let program = program.as_str();
    let Some(&(_, default, _)) = PROGRAMS.iter().find(|(name, ..)| *name == program) else {
        return usage();
    };
    let (addr, path) = match (rest, WITH_PATH.contains(&program)) {
        ([], false) => (None, ""),
        ([addr], false) => (Some(addr.as_str()), ""),
        ([path], true) => (None, path.as_str()),
        ([addr, path], true) => (Some(addr.as_str()), path.as_str()),
        _ => return usage(),
    };
    match run(program, addr.unwrap_or(default), path) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{program}: {err}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: cargo run -p {} -- <program> [ADDR] [PATH]\n\nprograms:",
        env!("CARGO_PKG_NAME")
    );
    for (name, default, what) in PROGRAMS {
        let path = if WITH_PATH.contains(name) { " PATH" } else { "" };
        eprintln!("  {:<19} {what} (ADDR defaults to {default})", format!("{name}{path}"));
    }
    ExitCode::from(2)
}

fn run(program: &str, addr: &str, path: &str) -> Result<(), String> {
    match program {
        "udp-receiver" => {
            let socket = udp_receiver::bind(addr).map_err(failed(format!("cannot bind {addr}")))?;
            announce(socket.local_addr());
            udp_receiver::receive_until_bye(&socket, &mut io::stdout().lock())
                .map_err(failed("receive failed"))
        }
        "udp-sender" => {
            let to = resolve(addr)?;
            let socket = udp_sender::open(to).map_err(failed("cannot open a UDP socket"))?;
            let sent = udp_sender::send_lines(&socket, to, io::stdin().lock())
                .map_err(failed(format!("send to {to} failed")))?;
            eprintln!("sent {sent} datagram(s) to {to}");
            Ok(())
        }
        "tcp-server" => {
            let listener = tcp_server::bind(addr).map_err(failed(format!("cannot bind {addr}")))?;
            announce(listener.local_addr());
            tcp_server::serve(listener).map_err(failed("server stopped"))
        }
        "tcp-client" => {
            let stream =
                tcp_client::connect(addr).map_err(failed(format!("cannot connect to {addr}")))?;
            eprintln!("connected to {addr}; type a question (`bye` to quit)");
            tcp_client::chat(stream, io::stdin().lock(), io::stdout().lock())
                .map_err(failed("chat failed"))
        }
        "chat-server" => {
            let listener =
                TcpListener::bind(addr).map_err(failed(format!("cannot bind {addr}")))?;
            announce(listener.local_addr());
            chat_server::serve(listener, chat_server::IDLE_TIMEOUT)
                .map_err(failed("server stopped"))
        }
        "file-send" => {
            let stream =
                TcpStream::connect(addr).map_err(failed(format!("cannot connect to {addr}")))?;
            let sent = file_transfer::send_file(stream, Path::new(path))
                .map_err(failed(format!("cannot send {path}")))?;
            eprintln!("sent {path} ({sent} bytes) to {addr}: the receiver says ok");
            Ok(())
        }
        "file-receive" => {
            if !Path::new(path).is_dir() {
                return Err(format!("{path} is not a folder"));
            }
            let listener =
                TcpListener::bind(addr).map_err(failed(format!("cannot bind {addr}")))?;
            announce(listener.local_addr());
            file_transfer::serve(listener, Path::new(path)).map_err(failed("receiver stopped"))
        }
        _ => unreachable!("main checked the program name"),
    }
}

/// Turns an error into one line that says what failed and why.
fn failed(what: impl std::fmt::Display) -> impl FnOnce(io::Error) -> String {
    move |err| format!("{what}: {err}")
}

/// Prints the readiness line that tells whoever started us where we listen.
fn announce(local: io::Result<SocketAddr>) {
    match local {
        Ok(addr) => println!("listening on {addr}"),
        Err(err) => println!("listening on an unknown address ({err})"),
    }
    let _ = io::stdout().flush();
}

fn resolve(addr: &str) -> Result<SocketAddr, String> {
    addr.to_socket_addrs()
        .map_err(|err| format!("cannot resolve {addr}: {err}"))?
        .next()
        .ok_or_else(|| format!("{addr} resolves to no address"))
}
