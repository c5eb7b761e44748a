//! Mistakes in the NAT table.
//!
//! The table is written out again here (the model's fields are private), with a switch
//! at each place a learner goes wrong.

use std::collections::{BTreeMap, HashMap};
use std::net::{Ipv4Addr, SocketAddrV4};
use std::ops::RangeInclusive;

use crate::{Mistake, making};
pub use solutions::nat::PortsExhausted;

/// Each mistake made here, the checks that must catch it, and words their message must contain.
pub const MISTAKES: &[Mistake] = &[
    (
        "nat_keeps_inside_port",
        &["nat::sends_from_the_public_address_and_a_port_in_the_range"],
        "keeping the inside port",
    ),
    (
        "nat_keeps_inside_address",
        &["nat::sends_from_the_public_address_and_a_port_in_the_range"],
        "public address",
    ),
    (
        "nat_keys_on_inside_port",
        &["nat::gives_each_inside_endpoint_its_own_outside_port"],
        "by port alone",
    ),
    (
        "nat_keys_on_inside_address",
        &["nat::gives_each_inside_endpoint_its_own_outside_port"],
        "by address alone",
    ),
    (
        "nat_new_port_every_packet",
        &["nat::keeps_the_outside_port_of_a_live_mapping"],
        "a new mapping for every packet",
    ),
    (
        "nat_reply_keeps_outside_port",
        &["nat::translates_replies_back_to_the_inside_endpoint"],
        "restoring only the inside address",
    ),
    ("nat_forwards_unsolicited", &["nat::drops_unsolicited_inbound_packets"], "matches no mapping"),
    (
        "nat_steals_a_port_when_full",
        &["nat::reports_exhaustion_when_every_port_is_in_use"],
        "Err(PortsExhausted)",
    ),
    (
        "nat_range_end_exclusive",
        &["nat::uses_every_port_of_the_range_including_the_last"],
        "`start..end` excludes",
    ),
    (
        "nat_range_end_plus_one",
        &["nat::uses_every_port_of_the_range_including_the_last"],
        "overflows a u16",
    ),
    (
        "nat_never_expires",
        &["nat::forgets_a_mapping_after_its_idle_time"],
        "idle for its whole idle time",
    ),
    (
        "nat_expiry_off_by_one",
        &[
            "nat::forgets_a_mapping_after_its_idle_time",
            "nat::frees_the_port_and_the_endpoint_of_an_expired_mapping",
        ],
        "`<=` where `<` belongs",
    ),
    (
        "nat_expiry_leaves_the_endpoint_row",
        &["nat::forgets_a_mapping_after_its_idle_time"],
        "left in one of the two tables",
    ),
    (
        "nat_outbound_does_not_refresh",
        &["nat::keeps_a_mapping_alive_while_packets_flow"],
        "when a packet goes out",
    ),
    (
        "nat_inbound_does_not_refresh",
        &["nat::keeps_a_mapping_alive_while_packets_flow"],
        "when a reply comes in",
    ),
    ("nat_expiry_by_adding", &["nat::lives_forever_with_the_longest_idle_time"], "overflows a u64"),
    ("nat_range_by_counting", &["nat::gives_no_port_from_an_empty_range"], "overflows"),
    (
        "nat_inbound_never_expires",
        &["nat::forgets_a_mapping_after_its_idle_time"],
        "forget idle mappings at every call, `outbound` and `inbound`",
    ),
    (
        "nat_inbound_never_expires",
        &["nat::keeps_a_mapping_alive_while_packets_flow"],
        "`inbound` does not forget idle mappings",
    ),
    (
        "nat_expires_only_on_inbound",
        &["nat::frees_the_port_and_the_endpoint_of_an_expired_mapping"],
        "stays taken",
    ),
    (
        "nat_expiry_forgets_only_the_port",
        &["nat::frees_the_port_and_the_endpoint_of_an_expired_mapping"],
        "from both tables",
    ),
];

#[derive(Clone, Copy, Debug)]
struct Mapping {
    inside: SocketAddrV4,
    last_used: u64,
}

#[derive(Debug)]
pub struct Nat {
    public: Ipv4Addr,
    ports: RangeInclusive<u16>,
    idle_secs: u64,
    by_port: BTreeMap<u16, Mapping>,
    by_inside: HashMap<SocketAddrV4, u16>,
    /// The last inside endpoint that sent, for the mistake that forwards unsolicited packets.
    last_sender: Option<SocketAddrV4>,
}

impl Nat {
    pub fn new(public: Ipv4Addr, ports: RangeInclusive<u16>, idle_secs: u64) -> Nat {
        Nat {
            public,
            ports,
            idle_secs,
            by_port: BTreeMap::new(),
            by_inside: HashMap::new(),
            last_sender: None,
        }
    }

    pub fn outbound(
        &mut self,
        inside: SocketAddrV4,
        now: u64,
    ) -> Result<SocketAddrV4, PortsExhausted> {
        if making("nat_keeps_inside_port") {
            return Ok(SocketAddrV4::new(self.public, inside.port()));
        }
        if !making("nat_expires_only_on_inbound") {
            self.expire(now);
        }
        self.last_sender = Some(inside);
        let existing = if making("nat_new_port_every_packet") {
            None
        } else if making("nat_keys_on_inside_port") {
            self.by_inside.iter().find(|(known, _)| known.port() == inside.port()).map(|(_, &p)| p)
        } else if making("nat_keys_on_inside_address") {
            self.by_inside.iter().find(|(known, _)| known.ip() == inside.ip()).map(|(_, &p)| p)
        } else {
            self.by_inside.get(&inside).copied()
        };
        let port = match existing {
            Some(port) => port,
            None => {
                let port = self.free_port().ok_or(PortsExhausted)?;
                self.by_inside.insert(inside, port);
                port
            }
        };
        if making("nat_expiry_leaves_the_endpoint_row") {
            // Refreshes the row by outside port it expects to find, and stores none.
            if let Some(mapping) = self.by_port.get_mut(&port) {
                mapping.last_used = now;
            } else if existing.is_none() {
                self.by_port.insert(port, Mapping { inside, last_used: now });
            }
            return Ok(SocketAddrV4::new(self.public, port));
        }
        let refresh = !making("nat_outbound_does_not_refresh");
        let last_used = match self.by_port.get(&port) {
            Some(mapping) if !refresh && mapping.inside == inside => mapping.last_used,
            _ => now,
        };
        self.by_port.insert(port, Mapping { inside, last_used });
        let public = if making("nat_keeps_inside_address") { *inside.ip() } else { self.public };
        Ok(SocketAddrV4::new(public, port))
    }

    fn free_port(&mut self) -> Option<u16> {
        let (start, end) = (*self.ports.start(), *self.ports.end());
        if making("nat_range_by_counting") {
            // How many ports there are, from the ends: overflows when the range is empty.
            let count = end - start + 1;
            return (0..count).map(|i| start + i).find(|port| !self.by_port.contains_key(port));
        }
        let free = if making("nat_range_end_exclusive") {
            (start..end).find(|port| !self.by_port.contains_key(port))
        } else if making("nat_range_end_plus_one") {
            (start..end + 1).find(|port| !self.by_port.contains_key(port))
        } else {
            self.ports.clone().find(|port| !self.by_port.contains_key(port))
        };
        if free.is_none() && making("nat_steals_a_port_when_full") {
            // Evict the least recently used mapping and hand out its port.
            let (&port, &victim) = self.by_port.iter().min_by_key(|(_, m)| m.last_used)?;
            self.by_port.remove(&port);
            self.by_inside.remove(&victim.inside);
            return Some(port);
        }
        free
    }

    pub fn inbound(&mut self, outside_port: u16, now: u64) -> Option<SocketAddrV4> {
        if !making("nat_inbound_never_expires") {
            self.expire(now);
        }
        let Some(mapping) = self.by_port.get_mut(&outside_port) else {
            return if making("nat_forwards_unsolicited") { self.last_sender } else { None };
        };
        if !making("nat_inbound_does_not_refresh") {
            mapping.last_used = now;
        }
        if making("nat_reply_keeps_outside_port") {
            return Some(SocketAddrV4::new(*mapping.inside.ip(), outside_port));
        }
        Some(mapping.inside)
    }

    fn expire(&mut self, now: u64) {
        if making("nat_never_expires") {
            return;
        }
        let idle_secs = self.idle_secs;
        let off_by_one = making("nat_expiry_off_by_one");
        let both = !making("nat_expiry_forgets_only_the_port")
            && !making("nat_expiry_leaves_the_endpoint_row");
        let by_inside = &mut self.by_inside;
        self.by_port.retain(|_, mapping| {
            let idle = now.saturating_sub(mapping.last_used);
            let live = if making("nat_expiry_by_adding") {
                // The moment it expires, as a learner often writes it: overflows at u64::MAX.
                let expires_at = mapping.last_used + idle_secs;
                now < expires_at
            } else if off_by_one {
                idle <= idle_secs
            } else {
                idle < idle_secs
            };
            if !live && both {
                by_inside.remove(&mapping.inside);
            }
            live
        });
    }
}
