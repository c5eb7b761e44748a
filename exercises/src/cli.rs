//! The command line shared by every program: `<program> [ADDR]`.
//!
//! This file is the same in `exercises` and `solutions`; you do not need to change it.
//! It turns arguments into calls to the exercise functions, prints the readiness line
//! `listening on <address>` for programs that bind, and turns an error into one line
//! on stderr and exit code 1.

use std::io::{self, Write};
use std::net::{SocketAddr, ToSocketAddrs};
use std::process::ExitCode;

use crate::{tcp_client, tcp_server, udp_receiver, udp_sender};

/// Where the UDP programs meet unless told otherwise.
pub const UDP_DEFAULT: &str = "127.0.0.1:5000";
/// Where the TCP programs meet unless told otherwise.
pub const TCP_DEFAULT: &str = "127.0.0.1:50007";

/// Each program: its name, its default address, what it does.
const PROGRAMS: &[(&str, &str, &str)] = &[
    ("udp-receiver", UDP_DEFAULT, "print each datagram until `bye`"),
    ("udp-sender", UDP_DEFAULT, "send each line of stdin as a datagram"),
    ("tcp-server", TCP_DEFAULT, "answer the chat protocol, many clients at once"),
    ("tcp-client", TCP_DEFAULT, "send each line of stdin, print each answer"),
];

/// Runs the program named by the first argument and returns the process's exit code.
pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (program, addr) = match args.as_slice() {
        [program] => (program.as_str(), None),
        [program, addr] => (program.as_str(), Some(addr.as_str())),
        _ => return usage(),
    };
    let Some(&(_, default, _)) = PROGRAMS.iter().find(|(name, ..)| *name == program) else {
        return usage();
    };
    match run(program, addr.unwrap_or(default)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{program}: {err}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("usage: cargo run -p {} -- <program> [ADDR]\n\nprograms:", env!("CARGO_PKG_NAME"));
    for (name, default, what) in PROGRAMS {
        eprintln!("  {name:<13} {what} (ADDR defaults to {default})");
    }
    ExitCode::from(2)
}

fn run(program: &str, addr: &str) -> Result<(), String> {
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
