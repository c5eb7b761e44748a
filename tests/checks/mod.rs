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
    if asked.port() != 0 && bound.port() != asked.port() || bound.port() == 0 {
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
