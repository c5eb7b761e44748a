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
        Nat { public, ports, idle_secs, by_port: BTreeMap::new(), by_inside: HashMap::new() }
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
        self.expire(now);
        let port = match self.by_inside.get(&inside) {
            Some(&port) => port,
            None => {
                // `RangeInclusive` includes its end, even 65535, where `start..end + 1`
                // would overflow.
                let free = self.ports.clone().find(|port| !self.by_port.contains_key(port));
                let port = free.ok_or(PortsExhausted)?;
                self.by_inside.insert(inside, port);
                port
            }
        };
        self.by_port.insert(port, Mapping { inside, last_used: now });
        Ok(SocketAddrV4::new(self.public, port))
    }
    // ANCHOR_END: outbound

    // ANCHOR: inbound
    /// A packet from outside arrives for the public address and `outside_port` at time
    /// `now`: returns the inside endpoint to deliver it to, or `None` to drop it because no
    /// live mapping holds that port. A delivered packet counts as a use of the mapping.
    pub fn inbound(&mut self, outside_port: u16, now: u64) -> Option<SocketAddrV4> {
        self.expire(now);
        let mapping = self.by_port.get_mut(&outside_port)?;
        mapping.last_used = now;
        Some(mapping.inside)
    }
    // ANCHOR_END: inbound

    // ANCHOR: expire
    /// Forgets every mapping that has been idle for `idle_secs` or more at `now`, from both
    /// indexes, so that its port is free again and its inside endpoint gets a fresh
    /// mapping next time. (Checking every row on every packet is fine for a lesson; a
    /// real NAT keeps its rows in order of expiry.)
    fn expire(&mut self, now: u64) {
        let idle_secs = self.idle_secs;
        let by_inside = &mut self.by_inside;
        self.by_port.retain(|_, mapping| {
            let live = now.saturating_sub(mapping.last_used) < idle_secs;
            if !live {
                by_inside.remove(&mapping.inside);
            }
            live
        });
    }
    // ANCHOR_END: expire
}
