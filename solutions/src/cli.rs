//! The command line shared by every program: `<program> [ADDR]`, and for a few programs
//! an argument or two more (`udp-ping [ADDR [COUNT]]`, `dns-query NAME [A|AAAA] [ADDR]`,
//! `file-send [ADDR] PATH`, `file-receive [ADDR] PATH`, `http-get [URL]`,
//! `http-serve [ADDR] DIR`, `smtp-send [ADDR] FROM TO`).
//!
//! This file is the same in `exercises` and `solutions`; you do not need to change it.
//! It turns arguments into calls to the exercise functions, prints the readiness line
//! `listening on <address>` for programs that bind, and turns an error into one line
//! on stderr and exit code 1.

use std::io::{self, Read, Write};
use std::net::{
    IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream, ToSocketAddrs, UdpSocket,
};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::{
    chat_server, dns_query, file_server, file_transfer, http_client, smtp_client, tcp_client,
    tcp_server, udp_echo, udp_ping, udp_receiver, udp_sender,
};

/// Where the UDP programs meet unless told otherwise.
pub const UDP_DEFAULT: &str = "127.0.0.1:5000";
/// Where the TCP programs meet unless told otherwise.
pub const TCP_DEFAULT: &str = "127.0.0.1:50007";
/// Where the echo server and the pinger meet unless told otherwise: next to the
/// receiver's port, so both can run at once.
pub const ECHO_DEFAULT: &str = "127.0.0.1:5001";
/// The resolver the DNS client asks unless told otherwise: one on this machine, on
/// DNS's well-known port 53.
pub const DNS_DEFAULT: &str = "127.0.0.1:53";
/// Where the file transfer programs meet unless told otherwise.
pub const FILE_DEFAULT: &str = "127.0.0.1:50008";
/// Where the file server listens unless told otherwise.
pub const HTTP_DEFAULT: &str = "127.0.0.1:8000";
/// What `http-get` fetches unless told otherwise: the root of `http-serve`'s default.
pub const URL_DEFAULT: &str = "http://127.0.0.1:8000/";
/// Where `smtp-send` hands its message unless told otherwise (port 25 needs privileges).
pub const SMTP_DEFAULT: &str = "127.0.0.1:2525";

/// One program of the command line.
struct Program {
    /// Its name, the first argument.
    name: &'static str,
    /// The arguments it takes, for the usage.
    args: &'static str,
    /// Its address unless told otherwise.
    default: &'static str,
    /// What it does, for the usage.
    what: &'static str,
    /// Runs it with the arguments after its name and its default address.
    run: fn(&[&str], &'static str) -> Result<(), Stop>,
}

/// Every program, in the order the usage lists them: its name, its arguments, its default
/// address, the function below that runs it (its arguments first, then the calls into
/// the exercise), and what it does.
#[rustfmt::skip]
const PROGRAMS: &[Program] = &[
    program("udp-receiver", "[ADDR]",               UDP_DEFAULT,  udp_receiver, "print each datagram until `bye`"),
    program("udp-sender",   "[ADDR]",               UDP_DEFAULT,  udp_sender,   "send each line of stdin as a datagram"),
    program("udp-echo",     "[ADDR]",               ECHO_DEFAULT, udp_echo,     "send every datagram back to its sender"),
    program("udp-ping",     "[ADDR [COUNT]]",       ECHO_DEFAULT, udp_ping,     "ping an echo server COUNT times (10)"),
    program("dns-query",    "NAME [A|AAAA] [ADDR]", DNS_DEFAULT,  dns_query,    "print NAME's addresses (type A)"),
    program("tcp-server",   "[ADDR]",               TCP_DEFAULT,  tcp_server,   "answer the chat protocol, many clients at once"),
    program("tcp-client",   "[ADDR]",               TCP_DEFAULT,  tcp_client,   "send each line of stdin, print each answer"),
    program("chat-server",  "[ADDR]",               TCP_DEFAULT,  chat_server,  "the chat server that holds up against rude clients"),
    program("file-send",    "[ADDR] PATH",          FILE_DEFAULT, file_send,    "send the file PATH; exit 0 once the receiver says ok"),
    program("file-receive", "[ADDR] PATH",          FILE_DEFAULT, file_receive, "store each file received in the folder PATH"),
    program("http-get",     "[URL]",                URL_DEFAULT,  http_get,     "GET an http:// URL, print the response"),
    program("http-serve",   "[ADDR] DIR",           HTTP_DEFAULT, http_serve,   "serve the files under the folder DIR"),
    program("smtp-send",    "[ADDR] FROM TO",       SMTP_DEFAULT, smtp_send,    "send stdin as one mail message"),
];

const fn program(
    name: &'static str,
    args: &'static str,
    default: &'static str,
    run: fn(&[&str], &'static str) -> Result<(), Stop>,
    what: &'static str,
) -> Program {
    Program { name, args, default, what, run }
}

/// Why a program did not run to a good end.
enum Stop {
    /// The arguments do not fit the program: show the usage.
    Usage,
    /// It failed, for the reason given.
    Failed(String),
}

impl From<String> for Stop {
    fn from(reason: String) -> Self {
        Stop::Failed(reason)
    }
}

/// Runs the program named by the first argument and returns the process's exit code.
pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((name, rest)) = args.split_first() else {
        return usage();
    };
    let Some(program) = PROGRAMS.iter().find(|p| p.name == name) else {
        return usage();
    };
    let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
    match (program.run)(&rest, program.default) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Stop::Usage) => usage(),
        Err(Stop::Failed(err)) => {
            eprintln!("{name}: {err}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("usage: cargo run -p {} -- <program> [ARGS]\n\nprograms:", env!("CARGO_PKG_NAME"));
    for Program { name, args, default, what, .. } in PROGRAMS {
        eprintln!("  {name:<12} {args:<20} {what} (default: {default})");
    }
    ExitCode::from(2)
}

// The programs, one function each.

fn udp_receiver(args: &[&str], default: &str) -> Result<(), Stop> {
    let addr = only_addr(args, default)?;
    let socket = udp_receiver::bind(addr).map_err(failed(format!("cannot bind {addr}")))?;
    announce(socket.local_addr());
    udp_receiver::receive_until_bye(&socket, &mut io::stdout().lock())
        .map_err(failed("receive failed"))
}

fn udp_sender(args: &[&str], default: &str) -> Result<(), Stop> {
    let to = resolve(only_addr(args, default)?)?;
    let socket = udp_sender::open(to).map_err(failed("cannot open a UDP socket"))?;
    let sent = udp_sender::send_lines(&socket, to, io::stdin().lock())
        .map_err(failed(format!("send to {to} failed")))?;
    eprintln!("sent {sent} datagram(s) to {to}");
    Ok(())
}

fn udp_echo(args: &[&str], default: &str) -> Result<(), Stop> {
    let addr = only_addr(args, default)?;
    let socket = UdpSocket::bind(addr).map_err(failed(format!("cannot bind {addr}")))?;
    announce(socket.local_addr());
    udp_echo::serve(&socket).map_err(failed("echo failed"))
}

fn udp_ping(args: &[&str], default: &str) -> Result<(), Stop> {
    let (addr, count) = match args {
        [] => (default, udp_ping::DEFAULT_COUNT),
        [addr] => (*addr, udp_ping::DEFAULT_COUNT),
        [addr, count] => (*addr, count.parse().map_err(|_| Stop::Usage)?),
        _ => return Err(Stop::Usage),
    };
    let to = resolve(addr)?;
    let socket = client_socket(to).map_err(failed("cannot open a UDP socket"))?;
    eprintln!("pinging {to} {count} time(s)");
    udp_ping::ping(&socket, to, count, udp_ping::TIMEOUT, &mut io::stdout().lock())
        .map(drop)
        .map_err(failed(format!("ping to {to} failed")))
}

fn dns_query(args: &[&str], default: &str) -> Result<(), Stop> {
    let (name, qtype, addr) = match args {
        [name] => (*name, "A", default),
        [name, qtype] if is_type(qtype) => (*name, *qtype, default),
        [name, addr] => (*name, "A", *addr),
        [name, qtype, addr] if is_type(qtype) => (*name, *qtype, *addr),
        _ => return Err(Stop::Usage),
    };
    let code =
        if qtype.eq_ignore_ascii_case("AAAA") { dns_query::TYPE_AAAA } else { dns_query::TYPE_A };
    let server = resolve(addr)?;
    let socket = client_socket(server).map_err(failed("cannot open a UDP socket"))?;
    let id = dns_query::random_id();
    let found = dns_query::resolve(&socket, server, id, name, code, dns_query::TIMEOUT)
        .map_err(|err| format!("{name}: {err}"))?;
    if found.is_empty() {
        return Err(format!("{name} has no {} record", qtype.to_uppercase()).into());
    }
    let mut out = io::stdout().lock();
    for ip in found {
        writeln!(out, "{ip}").map_err(failed("cannot write"))?;
    }
    out.flush().map_err(failed("cannot write"))
}

fn tcp_server(args: &[&str], default: &str) -> Result<(), Stop> {
    let addr = only_addr(args, default)?;
    let listener = tcp_server::bind(addr).map_err(failed(format!("cannot bind {addr}")))?;
    announce(listener.local_addr());
    tcp_server::serve(listener).map_err(failed("server stopped"))
}

fn tcp_client(args: &[&str], default: &str) -> Result<(), Stop> {
    let addr = only_addr(args, default)?;
    let stream = tcp_client::connect(addr).map_err(failed(format!("cannot connect to {addr}")))?;
    eprintln!("connected to {addr}; type a question (`bye` to quit)");
    tcp_client::chat(stream, io::stdin().lock(), io::stdout().lock()).map_err(failed("chat failed"))
}

fn chat_server(args: &[&str], default: &str) -> Result<(), Stop> {
    let addr = only_addr(args, default)?;
    let listener = TcpListener::bind(addr).map_err(failed(format!("cannot bind {addr}")))?;
    announce(listener.local_addr());
    chat_server::serve(listener, chat_server::IDLE_TIMEOUT).map_err(failed("server stopped"))
}

fn file_send(args: &[&str], default: &str) -> Result<(), Stop> {
    let (addr, path) = addr_and_path(args, default)?;
    let stream = TcpStream::connect(addr).map_err(failed(format!("cannot connect to {addr}")))?;
    let sent = file_transfer::send_file(stream, Path::new(path))
        .map_err(failed(format!("cannot send {path}")))?;
    eprintln!("sent {path} ({sent} bytes) to {addr}: the receiver says ok");
    Ok(())
}

fn file_receive(args: &[&str], default: &str) -> Result<(), Stop> {
    let (addr, path) = addr_and_path(args, default)?;
    let dir = folder(path)?;
    let listener = TcpListener::bind(addr).map_err(failed(format!("cannot bind {addr}")))?;
    announce(listener.local_addr());
    file_transfer::serve(listener, dir, file_transfer::IDLE_TIMEOUT)
        .map_err(failed("receiver stopped"))
}

fn http_get(args: &[&str], default: &str) -> Result<(), Stop> {
    let url = only_addr(args, default)?;
    let url = http_client::parse_url(url).map_err(|err| format!("{url}: {err}"))?;
    let response = http_client::get(&url)
        .map_err(failed(format!("GET http://{}:{}{} failed", url.host, url.port, url.target)))?;
    http_client::write_response(&response, &mut io::stdout().lock())
        .map_err(failed("cannot print the response"))
}

fn http_serve(args: &[&str], default: &str) -> Result<(), Stop> {
    let (addr, dir) = addr_and_path(args, default)?;
    let root = folder(dir)?;
    let listener = file_server::bind(addr).map_err(failed(format!("cannot bind {addr}")))?;
    announce(listener.local_addr());
    eprintln!("serving the files under {dir}");
    file_server::serve(listener, PathBuf::from(root)).map_err(failed("server stopped"))
}

fn smtp_send(args: &[&str], default: &str) -> Result<(), Stop> {
    let (addr, from, to) = match args {
        [from, to] => (default, *from, *to),
        [addr, from, to] => (*addr, *from, *to),
        _ => return Err(Stop::Usage),
    };
    let mut message = Vec::new();
    io::stdin().read_to_end(&mut message).map_err(failed("cannot read stdin"))?;
    let stream = TcpStream::connect(addr).map_err(failed(format!("cannot connect to {addr}")))?;
    smtp_client::send_mail(stream, from, to, &message)
        .map_err(|err| format!("sending to {addr} failed: {err}"))?;
    eprintln!("sent {} bytes from <{from}> to <{to}> via {addr}", message.len());
    Ok(())
}

// What the programs share.

/// `[ADDR]`: the address, or the default.
fn only_addr<'a>(args: &[&'a str], default: &'a str) -> Result<&'a str, Stop> {
    match args {
        [] => Ok(default),
        [addr] => Ok(addr),
        _ => Err(Stop::Usage),
    }
}

/// The folder at `path`, or why it is not one.
fn folder(path: &str) -> Result<&Path, Stop> {
    let dir = Path::new(path);
    if dir.is_dir() { Ok(dir) } else { Err(format!("{path} is not a folder").into()) }
}

/// Whether `arg` names a record type the DNS client asks for.
fn is_type(arg: &str) -> bool {
    arg.eq_ignore_ascii_case("A") || arg.eq_ignore_ascii_case("AAAA")
}

/// A UDP socket for talking to `to`: any free port, on the unspecified address of the
/// family of `to` (the UDP sender exercise chooses its address more carefully).
fn client_socket(to: SocketAddr) -> io::Result<UdpSocket> {
    let any: IpAddr =
        if to.is_ipv4() { Ipv4Addr::UNSPECIFIED.into() } else { Ipv6Addr::UNSPECIFIED.into() };
    UdpSocket::bind(SocketAddr::new(any, 0))
}

/// Turns an error into one line that says what failed and why.
fn failed(what: impl std::fmt::Display) -> impl FnOnce(io::Error) -> Stop {
    move |err| Stop::Failed(format!("{what}: {err}"))
}

/// `[ADDR] PATH`: the address (or the default) and the path.
fn addr_and_path<'a>(args: &[&'a str], default: &'a str) -> Result<(&'a str, &'a str), Stop> {
    match args {
        [path] => Ok((default, path)),
        [addr, path] => Ok((addr, path)),
        _ => Err(Stop::Usage),
    }
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
