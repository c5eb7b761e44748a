//! NAT: the table at the heart of a home router's Network Address Port Translator
//! (NAPT, RFC 3022).
//!
//! Many inside hosts share one public IPv4 address. When a packet leaves, the NAT rewrites
//! its source, an inside endpoint such as `10.0.0.5:40000`, to the public address and an
//! outside port it picks, and remembers the pair as a mapping. When a reply comes back to
//! that outside port, the NAT rewrites the destination back to the inside endpoint. A
//! packet to an outside port that no mapping holds has nobody to go to and is dropped.
//!
//! This is only the table; rewriting the headers and fixing their checksums is left out.
//! It maps an inside endpoint to the same outside port whoever the remote end is
//! ("endpoint-independent mapping", RFC 4787), and lets in any reply to a mapped port.
//! Mappings expire after an idle time. Time is a parameter (seconds on the NAT's clock),
//! never read from a real clock, so that a test can run an hour of traffic in an instant.
//!
//! Exercise: read "IP addressing, NAT and DNS" (book/src/ip.md), then replace the four
//! `todo!()`s. The fields of `Nat` are a suggestion; the signatures of its public functions
//! are not: leave them as they are, the grader calls them.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::ops::RangeInclusive;

// ANCHOR: types
/// Every outside port in the range is held by a live mapping: no new inside endpoint can
/// get one until a mapping expires. (A real NAT drops the packet.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PortsExhausted;

impl fmt::Display for PortsExhausted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("every outside port is in use")
    }
}

impl std::error::Error for PortsExhausted {}

/// One row of the table: who is behind an outside port, and when a packet last used it.
#[derive(Clone, Copy, Debug)]
struct Mapping {
    inside: SocketAddrV4,
    last_used: u64,
}

/// A NAPT table for one public address.
#[derive(Debug)]
pub struct Nat {
    /// The address every outgoing packet gets as its source.
    public: Ipv4Addr,
    /// The outside ports the NAT may hand out, both ends included.
    ports: RangeInclusive<u16>,
    /// How many seconds without a packet a mapping lives.
    idle_secs: u64,
    /// The rows by outside port: how replies find their inside endpoint.
    by_port: BTreeMap<u16, Mapping>,
    /// The same rows by inside endpoint: how outgoing packets find their outside port.
    by_inside: HashMap<SocketAddrV4, u16>,
}
// ANCHOR_END: types

impl Nat {
    // ANCHOR: new
    /// A NAT with an empty table that gives inside hosts the address `public` and outside
    /// ports from `ports` (such as `61001..=61100`). A mapping that no packet has used for
    /// `idle_secs` seconds has expired.
    pub fn new(public: Ipv4Addr, ports: RangeInclusive<u16>, idle_secs: u64) -> Nat {
        // TODO: build a Nat with empty tables.
        todo!("an empty NAT table")
    }
    // ANCHOR_END: new

    // ANCHOR: outbound
    /// A packet from the inside endpoint `inside` leaves at time `now`: returns the
    /// source it leaves with, the public address and an outside port.
    ///
    /// An inside endpoint with a live mapping keeps its outside port. A new one gets a
    /// port from the range that no live mapping holds (any will do; the lowest is the
    /// simplest to find), or `PortsExhausted` if there is none. Either way the mapping
    /// counts as used at `now`.
    pub fn outbound(
        &mut self,
        inside: SocketAddrV4,
        now: u64,
    ) -> Result<SocketAddrV4, PortsExhausted> {
        // TODO: find or make the mapping of `inside` by the chapter's nat rules; keep
        // `by_port` and `by_inside` in step, and call `expire`.
        todo!("map an inside endpoint to an outside port")
    }
    // ANCHOR_END: outbound

    // ANCHOR: inbound
    /// A packet from outside arrives for the public address and `outside_port` at time
    /// `now`: returns the inside endpoint to deliver it to, or `None` to drop it because no
    /// live mapping holds that port. A delivered packet counts as a use of the mapping.
    pub fn inbound(&mut self, outside_port: u16, now: u64) -> Option<SocketAddrV4> {
        // TODO: look `outside_port` up in `by_port`, after calling `expire`.
        todo!("find the inside endpoint of an outside port")
    }
    // ANCHOR_END: inbound

    // ANCHOR: expire
    /// Forgets every mapping that has been idle for `idle_secs` or more at `now`, from both
    /// indexes, so that its port is free again and its inside endpoint gets a fresh
    /// mapping next time. (Checking every row on every packet is fine for a lesson; a
    /// real NAT keeps its rows in order of expiry.)
    fn expire(&mut self, now: u64) {
        // TODO: remove idle rows from both maps (`BTreeMap::retain`).
        todo!("forget idle mappings")
    }
    // ANCHOR_END: expire
}
