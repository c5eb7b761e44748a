//! Mistakes in the port tools.

use std::io;
use std::net::TcpListener;

use crate::{Mistake, making};
use solutions::ports as model;
pub use solutions::ports::{LAST_SYSTEM_PORT, LAST_USER_PORT, PortRange, Transport};

/// Each mistake made here, the checks that must catch it, and words their message must contain.
pub const MISTAKES: &[Mistake] = &[
    ("ports_exclusive_range_ends", &["ports::classifies_each_end_of_each_range"], "off-by-one"),
    (
        "ports_linux_range_for_dynamic",
        &["ports::classifies_each_end_of_each_range"],
        "Linux's ephemeral range",
    ),
    ("ports_dns_udp_only", &["ports::knows_the_well_known_services"], "both transports"),
    ("ports_dns_udp_only", &["ports::ignores_the_case_of_service_names"], "the case is ignored"),
    ("ports_ftp_data_port", &["ports::knows_the_well_known_services"], "data connection"),
    ("ports_case_sensitive", &["ports::ignores_the_case_of_service_names"], "case-sensitively"),
    ("ports_prefix_match", &["ports::returns_none_for_other_names"], "matching loosely"),
    ("ports_unicode_upper_case", &["ports::returns_none_for_other_names"], "Unicode case"),
    ("ports_trims_the_name", &["ports::returns_none_for_other_names"], "matching loosely"),
    ("ports_returns_port_zero", &["ports::gets_a_real_port_from_the_os"], "port you asked for"),
    ("ports_fixed_port", &["ports::gets_a_real_port_from_the_os"], "fixed port"),
    ("ports_keeps_the_listener", &["ports::returns_a_port_that_is_free_again"], "still taken"),
];

pub fn port_range(port: u16) -> PortRange {
    if making("ports_exclusive_range_ends") {
        // `..` where `..=` was meant: 1023 and 49151 fall into the next range.
        return match port {
            0..1023 => PortRange::System,
            1023..49151 => PortRange::User,
            _ => PortRange::Dynamic,
        };
    }
    if making("ports_linux_range_for_dynamic") {
        return match port {
            0..=1023 => PortRange::System,
            1024..=32767 => PortRange::User,
            _ => PortRange::Dynamic,
        };
    }
    model::port_range(port)
}

pub fn well_known(service: &str) -> Option<(Transport, u16)> {
    if making("ports_dns_udp_only") && service.eq_ignore_ascii_case("dns") {
        return Some((Transport::Udp, 53));
    }
    if making("ports_ftp_data_port") && service.eq_ignore_ascii_case("ftp") {
        return Some((Transport::Tcp, 20));
    }
    if making("ports_case_sensitive") {
        return match service {
            "dns" | "ftp" | "http" | "smtp" | "telnet" => model::well_known(service),
            _ => None,
        };
    }
    if making("ports_prefix_match") {
        let lower = service.to_ascii_lowercase();
        let known = ["dns", "ftp", "http", "smtp", "telnet"];
        return known
            .iter()
            .find(|name| lower.starts_with(*name))
            .and_then(|n| model::well_known(n));
    }
    if making("ports_unicode_upper_case") {
        let upper = service.to_uppercase();
        let known = ["DNS", "FTP", "HTTP", "SMTP", "TELNET"];
        return known.iter().find(|&&name| name == upper).and_then(|n| model::well_known(n));
    }
    if making("ports_trims_the_name") {
        return model::well_known(service.trim());
    }
    model::well_known(service)
}

pub fn ephemeral_port() -> io::Result<u16> {
    if making("ports_returns_port_zero") {
        let asked: std::net::SocketAddr = "127.0.0.1:0".parse().expect("a literal address");
        let _listener = TcpListener::bind(asked)?;
        return Ok(asked.port());
    }
    if making("ports_fixed_port") {
        // The first Dynamic Port, chosen by hand rather than by the OS.
        return Ok(49152);
    }
    if making("ports_keeps_the_listener") {
        // Keeping the socket "to reserve the port": nobody else can bind it now.
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        std::mem::forget(listener);
        return Ok(port);
    }
    model::ephemeral_port()
}
