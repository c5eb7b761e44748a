//! Every check of the workbook, written once and compiled into the `grade` test of both
//! `exercises` and `solutions`: there the crate under test is called `subject`.

mod captures;
mod chat_semantics;
mod chat_server;
mod chat_syntax;
mod chat_timing;
mod checksum;
mod cidr;
mod dns_query;
mod file_server;
mod file_transfer;
mod frames;
mod http_client;
mod ipv4_parse;
mod mac;
mod nat;
mod ports;
mod smtp_client;
mod special_addresses;
mod tcp_client;
mod tcp_server;
mod udp_echo;
mod udp_ping;
mod udp_receiver;
mod udp_sender;

use grader::{Check, Failure, Session};

/// Every check, grouped by exercise in the registry's order.
pub fn all() -> Vec<Check> {
    [
        udp_receiver::CHECKS,
        udp_sender::CHECKS,
        tcp_server::CHECKS,
        tcp_client::CHECKS,
        chat_syntax::CHECKS,
        chat_semantics::CHECKS,
        chat_timing::CHECKS,
        special_addresses::CHECKS,
        nat::CHECKS,
        ipv4_parse::CHECKS,
        cidr::CHECKS,
        ports::CHECKS,
        mac::CHECKS,
        checksum::CHECKS,
        frames::CHECKS,
        udp_echo::CHECKS,
        udp_ping::CHECKS,
        dns_query::CHECKS,
        chat_server::CHECKS,
        file_transfer::CHECKS,
        http_client::CHECKS,
        file_server::CHECKS,
        smtp_client::CHECKS,
    ]
    .concat()
}

/// Expects a socket bound where it was asked: the same IP address, and a real port
/// when port 0 was asked for.
pub fn expect_bound_as_asked(
    session: &Session,
    asked: &str,
    bound: std::net::SocketAddr,
) -> Result<(), Failure> {
    session.note(format!("asked for {asked}, bound {bound}"));
    let asked: std::net::SocketAddr = asked.parse().expect("checks ask for literal addresses");
    if bound.ip() != asked.ip() {
        return Err(session.wrong(
            format!("a socket bound to {}", asked.ip()),
            "binding a fixed address instead of the one given: pass `addr` to `bind`",
        ));
    }
    // 5000 and 5001, the UDP programs' defaults, are below every system's range of ports
    // it hands out for port 0: a program that bound one of them was not given it.
    let fixed_default = asked.port() == 0 && [5000, 5001].contains(&bound.port());
    if asked.port() != 0 && bound.port() != asked.port() || bound.port() == 0 || fixed_default {
        return Err(session.wrong(
            format!("a socket bound to port {}", asked.port()),
            "binding a fixed port instead of the one given",
        ));
    }
    Ok(())
}

/// Whether this machine has IPv6 loopback; checks for IPv6 are skipped when it has not.
pub fn has_ipv6_loopback() -> bool {
    std::net::UdpSocket::bind("[::1]:0").is_ok()
}

/// Binds `127.0.0.1:0` twice through the code under test, `bind`, keeping the first
/// socket open, and expects two sockets on two different free ports. A `bind` that
/// ignores the port it is given (binding 5000 or 50007, say) fails every time, whether
/// or not something else holds that port: the second bind finds it taken.
pub fn expect_two_free_ports<S: Send + 'static>(
    session: &Session,
    what: &'static str,
    bind: fn(&str) -> std::io::Result<S>,
    local_addr: fn(&S) -> std::io::Result<std::net::SocketAddr>,
) -> Result<(), Failure> {
    let mut kept = Vec::new();
    for turn in ["first", "second"] {
        let socket = session.call(what, grader::WAIT, move || bind("127.0.0.1:0"))?;
        let socket = socket.map_err(|err| {
            session.note(format!("{what}(\"127.0.0.1:0\"), the {turn} time: ✗ {err}"));
            let mistake = if err.kind() == std::io::ErrorKind::AddrInUse {
                "binding a fixed port instead of the one given: port 0 asks the OS for a free \
                 port, a new one each time; pass `addr` to `bind` as it is"
                    .to_string()
            } else {
                format!("it returned the error {err}")
            };
            session.wrong(format!("{what}(\"127.0.0.1:0\") to succeed the {turn} time"), mistake)
        })?;
        let bound = local_addr(&socket).map_err(|err| session.wrong("a bound socket", err))?;
        session
            .note(format!("{what}(\"127.0.0.1:0\"), the {turn} time, bound {bound} (kept open)"));
        expect_bound_as_asked(session, "127.0.0.1:0", bound)?;
        kept.push((socket, bound));
    }
    if kept[0].1 == kept[1].1 {
        return Err(session.wrong(
            "two binds of port 0 to get two different ports",
            "binding a fixed port instead of the one given (with an option that lets two \
             sockets share it): pass `addr` to `bind` as it is",
        ));
    }
    Ok(())
}
