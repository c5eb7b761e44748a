//! Ports: the 16-bit numbers in every UDP and TCP header that say which socket
//! on a host a datagram or segment is for.
//!
//! Three small tools a socket programmer reaches for: which of RFC 6335's three
//! ranges a port is in, which port and transport a well-known service uses, and
//! how to get a port nobody is using by binding port 0 and asking the socket
//! which port the OS chose.
//!
//! Exercise: read "Ports" (book/src/ports.md), then replace the three
//! `todo!()`s. Leave the signatures as they are: the grader calls these
//! functions.

use std::io;
use std::net::TcpListener;

// ANCHOR: range
/// The three ranges of port numbers, RFC 6335 section 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortRange {
    /// 0 to 1023, the System Ports or well-known ports: assigned by IANA to
    /// standard services, and on Unix only a privileged program may bind them.
    System,
    /// 1024 to 49151, the User Ports or registered ports: assigned by IANA on
    /// request.
    User,
    /// 49152 to 65535, the Dynamic Ports (private or ephemeral): never
    /// assigned.
    Dynamic,
}

/// The last System Port.
pub const LAST_SYSTEM_PORT: u16 = 1023;
/// The last User Port; the Dynamic Ports follow it, up to 65535.
pub const LAST_USER_PORT: u16 = 49151;

/// The range `port` belongs to.
pub fn port_range(port: u16) -> PortRange {
    // TODO: `match` on `port` with inclusive range patterns (`..=`).
    todo!("the range of `port`")
}
// ANCHOR_END: range

// ANCHOR: well_known
/// The transport protocol a service runs over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// TCP only.
    Tcp,
    /// UDP only.
    Udp,
    /// Both UDP and TCP, on the same port number.
    Both,
}

/// The transport and well-known port of a service: `dns`, `ftp` (its control
/// connection), `http`, `smtp` or `telnet`. Case is ignored, as RFC 6335
/// section 5.1 says of service names, so `DNS` and `Dns` find DNS too. Any
/// other name, including the empty string and names with spaces around them,
/// gives `None`.
pub fn well_known(service: &str) -> Option<(Transport, u16)> {
    // TODO: look the name up in the chapter's "Well-known ports" table,
    // ignoring ASCII case (`eq_ignore_ascii_case` or `to_ascii_lowercase`).
    todo!("the transport and port of `service`")
}
// ANCHOR_END: well_known

// ANCHOR: ephemeral
/// Asks the OS for a free TCP port on 127.0.0.1 and returns its number.
///
/// Binding port 0 means "any free port": the OS picks one and `local_addr`
/// tells which. The listener is closed when this function returns, so the port
/// is free again for whoever binds it next.
pub fn ephemeral_port() -> io::Result<u16> {
    // TODO: bind a `TcpListener` to port 0 and ask its `local_addr()`.
    todo!("a port the OS picks")
}
// ANCHOR_END: ephemeral
