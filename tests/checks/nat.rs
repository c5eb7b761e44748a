//! Checks of the NAT table (`exercises/src/nat.rs`).
//!
//! Each check plays packets through one table, with time passed in as seconds: no clock,
//! no sleeping. The hosts and ports are the chapter's picture (img/nat-table.svg).

use std::net::{Ipv4Addr, SocketAddrV4};
use std::ops::RangeInclusive;

use grader::{Check, Failure, Session, WAIT};
use subject::nat::{Nat, PortsExhausted};

pub const CHECKS: &[Check] = grader::checks!("nat": sends_from_the_public_address_and_a_port_in_the_range, gives_each_inside_endpoint_its_own_outside_port, keeps_the_outside_port_of_a_live_mapping, translates_replies_back_to_the_inside_endpoint, drops_unsolicited_inbound_packets, reports_exhaustion_when_every_port_is_in_use, uses_every_port_of_the_range_including_the_last, forgets_a_mapping_after_its_idle_time, keeps_a_mapping_alive_while_packets_flow, lives_forever_with_the_longest_idle_time, gives_no_port_from_an_empty_range, frees_the_port_and_the_endpoint_of_an_expired_mapping);

/// The NAT's public address, as in the picture.
const PUBLIC: Ipv4Addr = Ipv4Addr::new(203, 0, 113, 7);

/// Host A's and host B's sockets in the picture: both use port 40000.
const HOST_A: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, 5), 40000);
const HOST_B: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, 6), 40000);
/// Another socket on host A.
const HOST_A_OTHER: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, 5), 40001);

/// An idle time long enough that nothing expires in the checks that are not about expiry.
const LONG: u64 = 300;

/// The table under test, driven one packet at a time through `session.call`.
struct Table<'s> {
    session: &'s Session,
    /// The table; taken while a call runs, and put back when it returns.
    nat: Option<Nat>,
    ports: RangeInclusive<u16>,
}

impl<'s> Table<'s> {
    fn new(
        session: &'s Session,
        ports: RangeInclusive<u16>,
        idle_secs: u64,
    ) -> Result<Self, Failure> {
        let range = ports.clone();
        let nat =
            session.call("nat::Nat::new", WAIT, move || Nat::new(PUBLIC, range, idle_secs))?;
        session.note(format!(
            "a NAT for {PUBLIC}, outside ports {}..={}, idle time {idle_secs}s",
            ports.start(),
            ports.end()
        ));
        Ok(Table { session, nat: Some(nat), ports })
    }

    /// A packet from `inside` leaves at time `now`.
    fn outbound(
        &mut self,
        inside: SocketAddrV4,
        now: u64,
    ) -> Result<Result<SocketAddrV4, PortsExhausted>, Failure> {
        let mut nat = self.nat.take().expect("the table is back after each call");
        let (nat, got) = self.session.call("nat::Nat::outbound", WAIT, move || {
            let got = nat.outbound(inside, now);
            (nat, got)
        })?;
        self.nat = Some(nat);
        match got {
            Ok(source) => {
                self.session.note(format!("t={now}s  out from {inside}: leaves as {source}"))
            }
            Err(PortsExhausted) => {
                self.session.note(format!("t={now}s  out from {inside}: Err(PortsExhausted)"))
            }
        }
        Ok(got)
    }

    /// A packet from `inside` leaves at time `now` and must get a mapping: returns its
    /// outside port, after checking the address and the range.
    fn mapped(&mut self, inside: SocketAddrV4, now: u64) -> Result<u16, Failure> {
        let source = self.outbound(inside, now)?.map_err(|PortsExhausted| {
            self.session.wrong(
                format!("a mapping for {inside}: some ports of the range are still free"),
                "reporting exhaustion while ports are free: look for any port of the range that \
                 no live mapping holds, its last port included (`start..=end`), and forget \
                 expired mappings first",
            )
        })?;
        if source.ip() != &PUBLIC {
            let mistake = if source.ip() == inside.ip() {
                "leaving the inside address as the source: the NAT replaces it with its public address"
            } else {
                "a source address other than the public address the NAT was given"
            };
            return Err(self.session.wrong(format!("the packet to leave from {PUBLIC}"), mistake));
        }
        if !self.ports.contains(&source.port()) {
            let mistake = if source.port() == inside.port() {
                "keeping the inside port: two hosts may use the same one; pick an outside port \
                 from the range instead"
                    .to_string()
            } else {
                format!(
                    "a port outside the range {}..={}: the range includes both ends",
                    self.ports.start(),
                    self.ports.end()
                )
            };
            return Err(self.session.wrong(
                format!("an outside port in {}..={}", self.ports.start(), self.ports.end()),
                mistake,
            ));
        }
        Ok(source.port())
    }

    /// A packet for `outside_port` arrives from outside at time `now`.
    fn inbound(&mut self, outside_port: u16, now: u64) -> Result<Option<SocketAddrV4>, Failure> {
        let mut nat = self.nat.take().expect("the table is back after each call");
        let (nat, got) = self.session.call("nat::Nat::inbound", WAIT, move || {
            let got = nat.inbound(outside_port, now);
            (nat, got)
        })?;
        self.nat = Some(nat);
        match got {
            Some(inside) => self
                .session
                .note(format!("t={now}s  in for {PUBLIC}:{outside_port}: delivered to {inside}")),
            None => self.session.note(format!("t={now}s  in for {PUBLIC}:{outside_port}: dropped")),
        }
        Ok(got)
    }

    /// A reply to `outside_port` at `now` must reach `want`; `mistake` words a drop.
    fn expect_reply(
        &mut self,
        outside_port: u16,
        now: u64,
        want: SocketAddrV4,
        dropped: &str,
    ) -> Result<(), Failure> {
        let got = self.inbound(outside_port, now)?;
        if got == Some(want) {
            return Ok(());
        }
        let expected = format!("the reply to {PUBLIC}:{outside_port} at t={now}s to go to {want}");
        let mistake = match got {
            None => dropped.to_string(),
            Some(to) if to.ip() == want.ip() && to.port() == outside_port => {
                "restoring only the inside address: the reply must go back to the inside port \
                 too, the one the mapping remembers"
                    .to_string()
            }
            Some(to) if to.ip() == want.ip() => {
                "the right host but the wrong port: the mapping must remember the whole inside \
                 endpoint, address and port"
                    .to_string()
            }
            Some(to) => format!(
                "the reply went to {to}: look the inside endpoint up by the outside port the \
                 packet was sent to"
            ),
        };
        Err(self.session.wrong(expected, mistake))
    }

    /// A packet for `outside_port` at `now` must be dropped; `mistake` words a delivery.
    fn expect_dropped(
        &mut self,
        outside_port: u16,
        now: u64,
        mistake: &str,
    ) -> Result<(), Failure> {
        if let Some(to) = self.inbound(outside_port, now)? {
            return Err(self.session.wrong(
                format!("the packet to {PUBLIC}:{outside_port} at t={now}s to be dropped, not sent to {to}"),
                mistake,
            ));
        }
        Ok(())
    }

    /// A packet from `inside` at `now` must find every port taken.
    fn expect_exhausted(
        &mut self,
        inside: SocketAddrV4,
        now: u64,
        mistake: &str,
    ) -> Result<(), Failure> {
        if let Ok(source) = self.outbound(inside, now)? {
            return Err(self.session.wrong(
                format!("Err(PortsExhausted) for {inside} at t={now}s, not {source}: every port is held by a live mapping"),
                mistake,
            ));
        }
        Ok(())
    }
}

const REPLY_DROPPED: &str = "dropping a reply to a live mapping: look the outside port up in the \
                             table, and keep each mapping until it has been idle for its idle time";

fn sends_from_the_public_address_and_a_port_in_the_range(session: &Session) -> Result<(), Failure> {
    let mut table = Table::new(session, 61001..=61100, LONG)?;
    table.mapped(HOST_A, 0)?;
    table.mapped(HOST_B, 0)?;
    Ok(())
}

fn gives_each_inside_endpoint_its_own_outside_port(session: &Session) -> Result<(), Failure> {
    let mut table = Table::new(session, 61001..=61100, LONG)?;
    let a = table.mapped(HOST_A, 0)?;
    let b = table.mapped(HOST_B, 0)?;
    if a == b {
        return Err(session.wrong(
            format!("{HOST_A} and {HOST_B} to get different outside ports"),
            "telling inside endpoints apart by port alone: two hosts may use the same port; key the \
             table on the whole inside endpoint (`SocketAddrV4`), and give a new one a port no live \
             mapping holds",
        ));
    }
    let other = table.mapped(HOST_A_OTHER, 0)?;
    if other == a || other == b {
        return Err(session.wrong(
            format!("{HOST_A_OTHER} to get an outside port of its own"),
            "telling inside endpoints apart by address alone: one host may have many sockets; key \
             the table on the whole inside endpoint (`SocketAddrV4`)",
        ));
    }
    Ok(())
}

fn keeps_the_outside_port_of_a_live_mapping(session: &Session) -> Result<(), Failure> {
    let mut table = Table::new(session, 61001..=61100, LONG)?;
    let a = table.mapped(HOST_A, 0)?;
    let b = table.mapped(HOST_B, 1)?;
    for (host, port, now) in [(HOST_A, a, 2), (HOST_B, b, 3), (HOST_A, a, 4)] {
        let again = table.mapped(host, now)?;
        if again != port {
            return Err(session.wrong(
                format!("{host} to leave as {PUBLIC}:{port} again: its mapping is live"),
                "a new mapping for every packet: look the inside endpoint up first, and reuse its \
                 outside port while the mapping lives",
            ));
        }
    }
    table.expect_reply(a, 5, HOST_A, REPLY_DROPPED)
}

fn translates_replies_back_to_the_inside_endpoint(session: &Session) -> Result<(), Failure> {
    let mut table = Table::new(session, 61001..=61100, LONG)?;
    let a = table.mapped(HOST_A, 0)?;
    let b = table.mapped(HOST_B, 0)?;
    table.expect_reply(b, 1, HOST_B, REPLY_DROPPED)?;
    table.expect_reply(a, 2, HOST_A, REPLY_DROPPED)?;
    table.expect_reply(b, 3, HOST_B, REPLY_DROPPED)
}

fn drops_unsolicited_inbound_packets(session: &Session) -> Result<(), Failure> {
    const UNSOLICITED: &str = "delivering a packet that matches no mapping: with no row for its \
                               outside port the NAT cannot know who it is for, so it drops it \
                               (returns None)";
    let mut table = Table::new(session, 61001..=61010, LONG)?;
    for port in [7000, 61001, 61010, 0, 65535] {
        table.expect_dropped(port, 0, UNSOLICITED)?;
    }
    let a = table.mapped(HOST_A, 1)?;
    for port in (61001..=61010).chain([7000, 40000]).filter(|&port| port != a) {
        table.expect_dropped(port, 2, UNSOLICITED)?;
    }
    table.expect_reply(a, 3, HOST_A, REPLY_DROPPED)
}

fn reports_exhaustion_when_every_port_is_in_use(session: &Session) -> Result<(), Failure> {
    let mut table = Table::new(session, 61001..=61003, LONG)?;
    let hosts: Vec<SocketAddrV4> =
        (1..=4).map(|i| SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, i), 5000)).collect();
    let mut ports = Vec::new();
    for &host in &hosts[..3] {
        let port = table.mapped(host, 0)?;
        if ports.contains(&port) {
            return Err(session.wrong(
                format!("{host} to get a port no live mapping holds"),
                "handing out a port that is already taken: pick one that no live mapping holds",
            ));
        }
        ports.push(port);
    }
    table.expect_exhausted(
        hosts[3],
        1,
        "handing out a port that a live mapping holds, which takes it from that host: when every \
         port is taken, return Err(PortsExhausted)",
    )?;
    for (&host, &port) in hosts.iter().zip(&ports) {
        if table.mapped(host, 2)? != port {
            return Err(session.wrong(
                format!("{host} to keep {PUBLIC}:{port}"),
                "a full table that changes the existing mappings: running out of ports must \
                 leave the live mappings alone",
            ));
        }
        table.expect_reply(port, 3, host, REPLY_DROPPED)?;
    }
    Ok(())
}

fn uses_every_port_of_the_range_including_the_last(session: &Session) -> Result<(), Failure> {
    const LAST_LEFT_OUT: &str = "leaving out the range's last port: `start..end` excludes `end`, \
                                 and `start..end + 1` overflows a u16 at 65535; iterate the \
                                 `RangeInclusive` itself (`self.ports.clone()`)";
    // An exhausted table with ports left, or a panic (an overflow), is most likely this.
    let explain = |failure| match failure {
        Failure::Wrong { expected, .. }
            if expected.contains("still free") || expected.contains("panic") =>
        {
            session.wrong(expected, LAST_LEFT_OUT)
        }
        other => other,
    };
    for (ports, hosts) in [(61001..=61001, 1), (65534..=65535, 2)] {
        let mut table = Table::new(session, ports.clone(), LONG)?;
        let mut given = Vec::new();
        for i in 0..hosts {
            let host = SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, 5 + i), 40000);
            given.push(table.mapped(host, 0).map_err(explain)?);
        }
        given.sort_unstable();
        if given != ports.clone().collect::<Vec<_>>() {
            return Err(session.wrong(format!("every port of {ports:?} to be used"), LAST_LEFT_OUT));
        }
        let newcomer = SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, 99), 40000);
        table.expect_exhausted(
            newcomer,
            1,
            "handing out a port outside the range, or one already taken",
        )?;
    }
    Ok(())
}

fn forgets_a_mapping_after_its_idle_time(session: &Session) -> Result<(), Failure> {
    const KEPT: &str = "keeping a mapping that has been idle for its whole idle time: forget \
                        idle mappings at every call, `outbound` and `inbound`, and from both \
                        tables";
    const LATE: &str = "expiring a mapping one second late: at `last_used + idle_secs` it has \
                        expired (`now - last_used >= idle_secs`; `<=` where `<` belongs)";
    const EARLY: &str =
        "expiring a mapping too early: it lives while `now - last_used < idle_secs`";
    let mut table = Table::new(session, 61001..=61100, 30)?;
    let a = table.mapped(HOST_A, 0)?;
    let b = table.mapped(HOST_B, 10)?;
    table.expect_reply(a, 29, HOST_A, EARLY)?;
    // B was last used at 10: it is still live at 39.
    table.expect_reply(b, 39, HOST_B, EARLY)?;
    // A was last used at 29: it has expired at 59, exactly; B, used at 39, at 69.
    for (port, now) in [(a, 59), (b, 69)] {
        if let Some(to) = table.inbound(port, now)? {
            // Delivered, so now used at `now`: one second past its idle time tells a mapping
            // expired a second late from one never forgotten.
            let mistake = if table.inbound(port, now + 31)?.is_none() { LATE } else { KEPT };
            return Err(session.wrong(
                format!(
                    "the packet to {PUBLIC}:{port} at t={now}s to be dropped, not sent to {to}"
                ),
                mistake,
            ));
        }
    }
    // A sends again: a fresh mapping, which works.
    let again = table.mapped(HOST_A, 70)?;
    table.expect_reply(
        again,
        71,
        HOST_A,
        "a reply to a fresh mapping dropped: most likely an expired mapping left in one of the \
         two tables, so A's old row by inside endpoint named a port that has no row by outside \
         port; when a mapping expires remove it from both, and store every new mapping in both",
    )
}

fn keeps_a_mapping_alive_while_packets_flow(session: &Session) -> Result<(), Failure> {
    let mut table = Table::new(session, 61001..=61100, 30)?;
    let a = table.mapped(HOST_A, 0)?;
    let again = table.mapped(HOST_A, 20)?;
    if again != a {
        return Err(session.wrong(
            format!("{HOST_A} to keep {PUBLIC}:{a}: its mapping is live"),
            "a new mapping for every packet: reuse the live one",
        ));
    }
    table.expect_reply(
        a,
        45,
        HOST_A,
        "not refreshing a mapping when a packet goes out: every packet through a mapping sets its \
         last use to now, so a mapping used at 20 lives until 50",
    )?;
    table.expect_reply(
        a,
        70,
        HOST_A,
        "not refreshing a mapping when a reply comes in: a delivered reply is a use of the \
         mapping too, so one used at 45 lives until 75",
    )?;
    table.expect_dropped(
        a,
        100,
        "keeping a mapping that has been idle for its whole idle time: one last used at 70 has \
         expired at 100. Either `inbound` does not forget idle mappings before it looks the port \
         up, or the mapping is taken as live while `now - last_used <= idle_secs` (`<` belongs)",
    )
}

fn lives_forever_with_the_longest_idle_time(session: &Session) -> Result<(), Failure> {
    const OVERFLOW: &str = "`last_used + idle_secs` overflows a u64 when the idle time is as \
                            long as it can be (u64::MAX, \"never\"): a panic in a debug build; \
                            compare how long the mapping has been idle, `now - last_used < \
                            idle_secs`, which cannot overflow";
    // A panic here is most likely that overflow.
    let explain = |failure| match failure {
        Failure::Wrong { expected, .. } if expected.contains("panic") => {
            session.wrong(expected, OVERFLOW)
        }
        other => other,
    };
    let mut table = Table::new(session, 61001..=61100, u64::MAX).map_err(explain)?;
    let a = table.mapped(HOST_A, 5).map_err(explain)?;
    table.expect_reply(a, 6, HOST_A, OVERFLOW).map_err(explain)?;
    table.expect_reply(a, u64::MAX - 1, HOST_A, OVERFLOW).map_err(explain)?;
    let again = table.mapped(HOST_A, u64::MAX).map_err(explain)?;
    if again != a {
        return Err(session.wrong(
            format!("{HOST_A} to keep {PUBLIC}:{a}: its mapping is live"),
            "a new mapping although the old one is live: with an idle time of u64::MAX no \
             mapping ever expires",
        ));
    }
    Ok(())
}

fn gives_no_port_from_an_empty_range(session: &Session) -> Result<(), Failure> {
    #[allow(clippy::reversed_empty_ranges)]
    let empty = 61001..=61000;
    let mut table = Table::new(session, empty, LONG).map_err(|failure| match failure {
        Failure::Wrong { expected, .. } if expected.contains("panic") => session.wrong(
            expected,
            "a panic on an empty range of ports (`61001..=61000`): take no port from it",
        ),
        other => other,
    })?;
    let got = table.outbound(HOST_A, 0).map_err(|failure| match failure {
        Failure::Wrong { expected, .. } if expected.contains("panic") => session.wrong(
            expected,
            "arithmetic on the range's ends (`end - start`, or a port counter) that overflows \
             when the range is empty: look through the range itself, `self.ports.clone()`",
        ),
        other => other,
    })?;
    if let Ok(source) = got {
        return Err(session.wrong(
            format!("Err(PortsExhausted) from an empty range of ports, not {source}"),
            "handing out a port outside the range: `61001..=61000` holds no port at all",
        ));
    }
    Ok(())
}

fn frees_the_port_and_the_endpoint_of_an_expired_mapping(session: &Session) -> Result<(), Failure> {
    let host_c = SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, 7), 40000);
    let mut table = Table::new(session, 61001..=61002, 30)?;
    let a = table.mapped(HOST_A, 0)?;
    let b = table.mapped(HOST_B, 10)?;
    table.expect_exhausted(host_c, 20, "handing out a port that a live mapping holds")?;
    // At 30, A's mapping has expired, and its port is the only free one.
    let expected = format!("{host_c} to get {PUBLIC}:{a}, freed when A's mapping expired at t=30s");
    let c = match table.outbound(host_c, 30)? {
        Ok(c) => c,
        Err(PortsExhausted) => {
            // One second later tells the two causes apart: a mapping kept while
            // `now - last_used <= idle_secs` has let go by then; one never expired has not.
            let mistake = if table.outbound(host_c, 31)?.is_ok() {
                "expiring a mapping one second late: it lives while `now - last_used < \
                 idle_secs`, so one last used at 0 with an idle time of 30s has expired at 30 \
                 (`<=` where `<` belongs)"
            } else {
                "a port held by an expired mapping stays taken: forget idle mappings before \
                 looking for a free port, in `outbound` as well as in `inbound`"
            };
            return Err(session.wrong(expected, mistake));
        }
    };
    if c.port() != a {
        return Err(session.wrong(
            format!("{host_c} to get {PUBLIC}:{a}, the only free port"),
            "handing out a port that a live mapping holds",
        ));
    }
    table.expect_reply(a, 31, host_c, "dropping a reply to a live mapping")?;
    // A comes back while B and C are live: there is no port for it.
    table.expect_exhausted(
        HOST_A,
        35,
        "an expired mapping left in one of the tables: A got its old port back although C holds \
         it now; when a mapping expires, remove it from both tables (by port and by inside endpoint)",
    )?;
    table.expect_reply(a, 36, host_c, "dropping a reply to a live mapping")?;
    // At 40, B's mapping has expired: A gets B's old port.
    let again = table.mapped(HOST_A, 40)?;
    if again != b {
        return Err(session.wrong(
            format!("{HOST_A} to get {PUBLIC}:{b}, freed when B's mapping expired at t=40s"),
            "a port held by an expired mapping stays taken",
        ));
    }
    table.expect_reply(b, 41, HOST_A, "dropping a reply to a live mapping")?;
    table.expect_reply(a, 41, host_c, "dropping a reply to a live mapping")
}
