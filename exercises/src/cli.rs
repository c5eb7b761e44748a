//! The command line shared by every program: `<program> [ADDR] [ARGS...]`.
//!
//! This file is the same in `exercises` and `solutions`; you do not need to change it.
//! It turns arguments into calls to the exercise functions, prints the readiness line
//! `listening on <address>` for programs that bind, and turns an error into one line
//! on stderr and exit code 1.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::{
    file_server, http_client, smtp_client, tcp_client, tcp_server, udp_receiver, udp_sender,
};

/// Where the UDP programs meet unless told otherwise.
pub const UDP_DEFAULT: &str = "127.0.0.1:5000";
/// Where the TCP programs meet unless told otherwise.
pub const TCP_DEFAULT: &str = "127.0.0.1:50007";
/// Where `http-serve` listens unless told otherwise.
pub const HTTP_DEFAULT: &str = "127.0.0.1:8000";
/// What `http-get` fetches unless told otherwise: the root of `http-serve`'s default.
pub const URL_DEFAULT: &str = "http://127.0.0.1:8000/";
/// Where `smtp-send` hands its message unless told otherwise (port 25 needs privileges).
pub const SMTP_DEFAULT: &str = "127.0.0.1:2525";

/// Each program: its name, its arguments, the default of the first, what it does.
/// The first argument in brackets may be left out; the others are required.
const PROGRAMS: &[(&str, &str, &str, &str)] = &[
    ("udp-receiver", "[ADDR]", UDP_DEFAULT, "print each datagram until `bye`"),
    ("udp-sender", "[ADDR]", UDP_DEFAULT, "send each line of stdin as a datagram"),
    ("tcp-server", "[ADDR]", TCP_DEFAULT, "answer the chat protocol, many clients at once"),
    ("tcp-client", "[ADDR]", TCP_DEFAULT, "send each line of stdin, print each answer"),
    (
        "http-get",
        "[URL]",
        URL_DEFAULT,
        "GET an http:// URL; print the status line, headers, an empty line, the body",
    ),
    (
        "http-serve",
        "[ADDR] DIR",
        HTTP_DEFAULT,
        "serve the files under the folder DIR over HTTP/1.1",
    ),
    (
        "smtp-send",
        "[ADDR] FROM TO",
        SMTP_DEFAULT,
        "send stdin as one mail message from FROM to TO over SMTP",
    ),
];

/// Runs the program named by the first argument and returns the process's exit code.
pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((program, rest)) = args.split_first() else { return usage() };
    let Some(&(_, arguments, default, _)) = PROGRAMS.iter().find(|(name, ..)| name == program)
    else {
        return usage();
    };
    // The arguments after the optional first one are required: count them.
    let required = arguments.split(' ').filter(|word| !word.starts_with('[')).count();
    let (first, required) = match rest.len().checked_sub(required) {
        Some(0) => (default, rest),
        Some(1) => (rest[0].as_str(), &rest[1..]),
        _ => return usage(),
    };
    match run(program, first, required) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{program}: {err}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: cargo run -p {} -- <program> [ADDR] [ARGS...]\n\nprograms:",
        env!("CARGO_PKG_NAME")
    );
    for (name, arguments, default, what) in PROGRAMS {
        let first = arguments.split(' ').next().unwrap_or("").trim_matches(['[', ']']);
        eprintln!("  {name:<13} {arguments:<15} {what} ({first} defaults to {default})");
    }
    ExitCode::from(2)
}

fn run(program: &str, addr: &str, args: &[String]) -> Result<(), String> {
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
        "http-get" => {
            let url = http_client::parse_url(addr).map_err(|err| format!("{addr}: {err}"))?;
            let response = http_client::get(&url).map_err(failed(format!("GET {addr} failed")))?;
            http_client::write_response(&response, &mut io::stdout().lock())
                .map_err(failed("cannot print the response"))
        }
        "http-serve" => {
            let root = PathBuf::from(&args[0]);
            if !root.is_dir() {
                return Err(format!("{}: not a folder", root.display()));
            }
            let listener =
                file_server::bind(addr).map_err(failed(format!("cannot bind {addr}")))?;
            announce(listener.local_addr());
            eprintln!("serving the files under {}", root.display());
            file_server::serve(listener, root).map_err(failed("server stopped"))
        }
        "smtp-send" => {
            let (from, to) = (&args[0], &args[1]);
            let mut message = Vec::new();
            io::stdin().read_to_end(&mut message).map_err(failed("cannot read stdin"))?;
            let stream =
                TcpStream::connect(addr).map_err(failed(format!("cannot connect to {addr}")))?;
            smtp_client::send_mail(stream, from, to, &message)
                .map_err(|err| format!("sending to {addr} failed: {err}"))?;
            eprintln!("sent {} bytes from <{from}> to <{to}> via {addr}", message.len());
            Ok(())
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
