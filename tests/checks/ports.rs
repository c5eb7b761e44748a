//! Checks of the port tools (`exercises/src/ports.rs`).

use std::net::TcpListener;

use grader::{Check, Failure, Session, WAIT};
use subject::ports::{PortRange, Transport};

pub const CHECKS: &[Check] = grader::checks!("ports": classifies_each_end_of_each_range, knows_the_well_known_services, ignores_the_case_of_service_names, returns_none_for_other_names, gets_a_real_port_from_the_os, returns_a_port_that_is_free_again);

fn classifies_each_end_of_each_range(session: &Session) -> Result<(), Failure> {
    let cases = [
        (0, PortRange::System),
        (1, PortRange::System),
        (80, PortRange::System),
        (1023, PortRange::System),
        (1024, PortRange::User),
        (5000, PortRange::User),
        (32768, PortRange::User),
        (49151, PortRange::User),
        (49152, PortRange::Dynamic),
        (50007, PortRange::Dynamic),
        (65535, PortRange::Dynamic),
    ];
    for (port, want) in cases {
        let got =
            session.call("ports::port_range", WAIT, move || subject::ports::port_range(port))?;
        session.note(format!("port_range({port}) = {got:?}"));
        if got != want {
            let mistake = match port {
                1023 | 1024 | 49151 | 49152 => {
                    "an off-by-one at a range's end: RFC 6335's ranges include both ends, \
                     0..=1023, 1024..=49151 and 49152..=65535 (`..` leaves the last number out)"
                }
                32768 => {
                    "taking Linux's ephemeral range (32768 to 60999) for RFC 6335's Dynamic Ports, \
                     which start at 49152"
                }
                _ => "ranges in the wrong order, or bounds other than RFC 6335's 1023 and 49151",
            };
            return Err(session.wrong(format!("port_range({port}) to be {want:?}"), mistake));
        }
    }
    Ok(())
}

/// The five services, as the chapter's table gives them.
const SERVICES: [(&str, Transport, u16); 5] = [
    ("dns", Transport::Both, 53),
    ("ftp", Transport::Tcp, 21),
    ("http", Transport::Tcp, 80),
    ("smtp", Transport::Tcp, 25),
    ("telnet", Transport::Tcp, 23),
];

/// Expects `well_known(name)` to be `want`.
fn expect_service(
    session: &Session,
    name: &'static str,
    want: Option<(Transport, u16)>,
    mistake: impl FnOnce(Option<(Transport, u16)>) -> String,
) -> Result<(), Failure> {
    let got = session.call("ports::well_known", WAIT, move || subject::ports::well_known(name))?;
    session.note(format!("well_known({name:?}) = {got:?}"));
    if got != want {
        return Err(session.wrong(format!("well_known({name:?}) to be {want:?}"), mistake(got)));
    }
    Ok(())
}

fn knows_the_well_known_services(session: &Session) -> Result<(), Failure> {
    for (name, transport, port) in SERVICES {
        expect_service(session, name, Some((transport, port)), |got| match (name, got) {
            ("dns", Some((Transport::Udp | Transport::Tcp, 53))) => {
                "DNS uses both transports on port 53: UDP for ordinary queries, TCP for large \
                 answers and zone transfers (RFC 1035), so its transport is `Transport::Both`"
                    .to_string()
            }
            ("ftp", Some((_, 20))) => {
                "port 20 is FTP's data connection; the service's well-known port, where a client \
                 sends its commands, is 21"
                    .to_string()
            }
            (_, None) => format!("{name:?} is not matched: spell the five names in lower case"),
            _ => "a wrong port or transport: compare with the chapter's table of well-known ports"
                .to_string(),
        })?;
    }
    Ok(())
}

fn ignores_the_case_of_service_names(session: &Session) -> Result<(), Failure> {
    let spellings = ["DNS", "Ftp", "HTTP", "sMtP", "TELNET", "Http"];
    for name in spellings {
        let want = SERVICES
            .iter()
            .find(|(lower, ..)| lower.eq_ignore_ascii_case(name))
            .map(|&(_, transport, port)| (transport, port));
        let lower = name.to_ascii_lowercase();
        let as_lower =
            session.call("ports::well_known", WAIT, move || subject::ports::well_known(&lower))?;
        expect_service(session, name, want, |got| {
            if got.is_some() && got == as_lower {
                // The same wrong answer as for the lower-case name: the case is not the fault.
                format!(
                    "the case is ignored, but the entry itself is wrong: {name:?} gets what \
                     {:?} gets, {got:?}; compare with the chapter's table",
                    name.to_ascii_lowercase()
                )
            } else {
                "comparing the name case-sensitively: RFC 6335 (section 5.1) says case is \
                 ignored when comparing service names, so `HTTP` and `http` are the same service"
                    .to_string()
            }
        })?;
    }
    Ok(())
}

fn returns_none_for_other_names(session: &Session) -> Result<(), Failure> {
    for name in ["", "gopher", "htt", "dnssec", "smtpx", "telnet2", " dns", "http\n"] {
        expect_service(session, name, None, |_| {
            "matching loosely (`starts_with`, `contains`, `trim`) instead of comparing the whole \
             name: only the five names themselves, in any case, are services here"
                .to_string()
        })?;
    }
    // `ſ` (long s) upper-cases to `S` in Unicode: only ASCII letters may change case.
    for name in ["dnſ", "ſmtp"] {
        expect_service(session, name, None, |_| {
            "comparing with Unicode case folding (`to_uppercase`): `ſ`, the long s, becomes \
             `S`, so `dnſ` would be DNS; service names are ASCII, so fold only ASCII \
             (`to_ascii_lowercase`, `eq_ignore_ascii_case`)"
                .to_string()
        })?;
    }
    // Names of other services in the chapter's table: knowing them is no mistake, but
    // they must not be taken for another service.
    let others = [
        ("https", (Transport::Tcp, 443)),
        ("ssh", (Transport::Tcp, 22)),
        ("ftp-data", (Transport::Tcp, 20)),
    ];
    for (name, right) in others {
        let got =
            session.call("ports::well_known", WAIT, move || subject::ports::well_known(name))?;
        session.note(format!("well_known({name:?}) = {got:?}"));
        if got.is_some_and(|got| got != right) {
            return Err(session.wrong(
                format!("well_known({name:?}) to be None (or {right:?})"),
                "matching loosely (`starts_with`, `contains`): `https` is not `http`, and \
                 `ftp-data` is not `ftp`",
            ));
        }
    }
    Ok(())
}

/// How many times the checks ask for an ephemeral port.
const ASKS: usize = 5;

/// Calls `ephemeral_port` [`ASKS`] times and returns the ports, or the failure.
fn ask_for_ports(session: &Session) -> Result<Vec<u16>, Failure> {
    (0..ASKS).map(|_| ask_for_a_port(session)).collect()
}

/// Calls `ephemeral_port` once and returns the port, or the failure.
fn ask_for_a_port(session: &Session) -> Result<u16, Failure> {
    let port = session
        .call("ports::ephemeral_port", WAIT, subject::ports::ephemeral_port)?
        .map_err(|err| {
            session.wrong(
                "ephemeral_port() to return Ok(port)",
                format!(
                    "it returned the error {err}: bind 127.0.0.1 port 0, which cannot be in use"
                ),
            )
        })?;
    session.note(format!("ephemeral_port() = {port}"));
    Ok(port)
}

fn gets_a_real_port_from_the_os(session: &Session) -> Result<(), Failure> {
    let ports = ask_for_ports(session)?;
    if ports.contains(&0) {
        return Err(session.wrong(
            "a port other than 0: 0 is what you ask for, not what you get",
            "returning the port you asked for: the port the OS chose is in the socket's \
             `local_addr()`, taken after `bind`",
        ));
    }
    if ports.iter().all(|&p| p == ports[0]) {
        return Err(session.wrong(
            format!("{ASKS} calls to give ports the OS chose, which differ from call to call"),
            format!(
                "returning a fixed port ({}): bind port 0 so that the OS picks a free one each time",
                ports[0]
            ),
        ));
    }
    // Linux hands out ports from this range when port 0 is bound.
    let range = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range").ok();
    let bounds: Option<Vec<u16>> =
        range.and_then(|text| text.split_whitespace().map(|n| n.parse().ok()).collect());
    if let Some([low, high]) = bounds.as_deref() {
        session.note(format!("this Linux hands out ephemeral ports from {low} to {high}"));
        if let Some(port) = ports.iter().find(|&&p| p < *low || p > *high) {
            return Err(session.wrong(
                format!("ports from the OS's ephemeral range {low}..={high}"),
                format!(
                    "choosing port {port} yourself: bind port 0 and let the OS pick, then read \
                     the port from `local_addr()`"
                ),
            ));
        }
    }
    Ok(())
}

/// How many ports in a row must be taken before the code is blamed. Between
/// `ephemeral_port` freeing a port and the check binding it, the OS may hand that port to
/// anyone binding port 0, another program or another check: rarely, and never to a fresh
/// port every time. A socket the code keeps open holds every one.
const TRIES: usize = 4;

fn returns_a_port_that_is_free_again(session: &Session) -> Result<(), Failure> {
    for first in ask_for_ports(session)? {
        let mut port = first;
        for tried in 1..=TRIES {
            match TcpListener::bind(("127.0.0.1", port)) {
                Ok(_) => {
                    session.note(format!("the check bound 127.0.0.1:{port}: it was free"));
                    break;
                }
                Err(err) if tried < TRIES => {
                    session.note(format!(
                        "the check cannot bind 127.0.0.1:{port}: {err}; someone else may have \
                         been given it since, so the check asks for a fresh port"
                    ));
                    port = ask_for_a_port(session)?;
                }
                Err(err) => {
                    session.note(format!("✗ the check cannot bind 127.0.0.1:{port}: {err}"));
                    return Err(session.wrong(
                        format!(
                            "port {port} to be free once ephemeral_port() has returned ({TRIES} \
                             ports in a row were still taken)"
                        ),
                        "the port is still taken: a socket kept open after returning (let the \
                         listener drop), or a port that was never free, not one the OS chose by \
                         binding port 0",
                    ));
                }
            }
        }
    }
    Ok(())
}
