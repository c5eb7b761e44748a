//! The reference DNS server that the DNS client's checks ask, written with plain std::net.
//!
//! It answers from a small fixed zone under `example.test` (RFC 2606 keeps `.test` for
//! testing; the addresses are from the documentation ranges of RFC 5737 and RFC 3849),
//! compresses the names in its answers as RFC 1035 section 4.1.4 describes, and can be
//! told to misbehave: to send a reply with the wrong ID first, a forged reply from
//! another port first, a truncated reply, its query back unanswered, or a stream of
//! stale replies and no answer. It checks each query against RFC 1035's layout and
//! answers a malformed one with FORMERR, noting what is wrong.

use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::peer::{UdpServer, receive_until_stopped};
use crate::session::{Failure, Session, Transcript, WAIT};

/// Record types and the class the zone uses.
pub const A: u16 = 1;
/// CNAME.
pub const CNAME: u16 = 5;
/// AAAA.
pub const AAAA: u16 = 28;
/// The Internet class.
pub const IN: u16 = 1;

/// The zone: owner name, type, data. Any other name under any domain does not exist,
/// except `fail.example.test`, whose server fails (SERVFAIL).
pub const ZONE: &[(&str, u16, &str)] = &[
    ("host.example.test", A, "192.0.2.10"),
    ("host.example.test", A, "192.0.2.11"),
    ("host.example.test", AAAA, "2001:db8::10"),
    ("www.example.test", CNAME, "web.example.test"),
    ("web.example.test", CNAME, "host.example.test"),
    ("v6.example.test", AAAA, "2001:db8::6"),
];

/// The address in every forged or wrong-ID reply: TEST-NET-3 (RFC 5737).
pub const FORGED: &str = "203.0.113.66";

/// How the server behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behaviour {
    /// Answers each query from the zone.
    Normal,
    /// Sends a reply with another ID (and the forged address) first, the right one 20 ms later.
    WrongIdFirst,
    /// Another socket sends a reply with the right ID (and the forged address) first; the
    /// server's own answer follows 20 ms later.
    ForgedSourceFirst,
    /// Sets TC and cuts the reply short in the middle of its first answer record.
    Truncated,
    /// Sends the query back as it came: no QR bit, as an echo server would.
    EchoesTheQuery,
    /// Never answers, but sends a reply with another ID every 50 ms.
    Stale,
    /// Reads the query and sends nothing at all.
    Silent,
}

/// One query the server received, as it read it.
#[derive(Clone, Debug, Default)]
pub struct Query {
    /// The query's bytes.
    pub bytes: Vec<u8>,
    /// Its ID.
    pub id: u16,
    /// The name asked about, as dotted text.
    pub name: String,
    /// The type asked for.
    pub qtype: u16,
    /// What is wrong with it, if anything: each a sentence for the learner.
    pub problems: Vec<String>,
}

/// A running reference DNS server.
pub struct DnsServer {
    /// Where it listens.
    pub addr: SocketAddr,
    server: UdpServer<Vec<Query>>,
}

impl DnsServer {
    /// Listens on a free loopback port and behaves as told.
    pub fn start(session: &Session, behaviour: Behaviour) -> Result<DnsServer, Failure> {
        let server = UdpServer::start(session, "a reference DNS server", move |parts| {
            serve(&parts.socket, &parts.other, behaviour, &parts.log, &parts.stop)
        })?;
        let addr = server.addr;
        session.note(format!("dns server: reference DNS server ({behaviour:?}) on {addr}"));
        Ok(DnsServer { addr, server })
    }

    /// Stops the server and returns the queries it received, in order.
    pub fn finish(self) -> Vec<Query> {
        self.server.finish()
    }
}

fn serve(
    socket: &UdpSocket,
    forger: &UdpSocket,
    behaviour: Behaviour,
    log: &Transcript,
    stop: &Arc<AtomicBool>,
) -> Vec<Query> {
    let started = Instant::now();
    let mut queries = Vec::new();
    let mut buf = vec![0; 65_535];
    while let Some((len, from)) =
        receive_until_stopped(socket, &mut buf, started, stop, log, "dns server")
    {
        let query = read_query(&buf[..len]);
        log.note(format!(
            "dns server: ← query from {from}, ID {:#06x}, {} type {}, {} bytes: {}",
            query.id,
            query.name,
            type_name(query.qtype),
            len,
            hex(&query.bytes)
        ));
        for problem in &query.problems {
            log.note(format!("dns server: ✗ {problem}"));
        }
        let send = |from_socket: &UdpSocket, reply: &[u8], what: &str| {
            log.note(format!("dns server: → {what}, {} bytes: {}", reply.len(), hex(reply)));
            if let Err(err) = from_socket.send_to(reply, from) {
                log.note(format!("dns server: ✗ send failed: {err}"));
            }
        };
        if !query.problems.is_empty() {
            send(socket, &format_error(&query), "FORMERR (RCODE 1): the query is malformed");
            queries.push(query);
            continue;
        }
        let answer = answer(&query);
        let forged = forged(&query);
        match behaviour {
            Behaviour::Normal => send(socket, &answer, "the answer"),
            Behaviour::WrongIdFirst => {
                let mut wrong = forged;
                wrong[..2].copy_from_slice(&(query.id ^ 0x5555).to_be_bytes());
                send(
                    socket,
                    &wrong,
                    &format!("a reply with the wrong ID {:#06x}", query.id ^ 0x5555),
                );
                thread::sleep(Duration::from_millis(20));
                send(socket, &answer, "the answer, with the right ID");
            }
            Behaviour::ForgedSourceFirst => {
                let port = forger.local_addr().map_or(0, |a| a.port());
                send(
                    forger,
                    &forged,
                    &format!("a forged reply with the right ID, from port {port}"),
                );
                thread::sleep(Duration::from_millis(20));
                send(socket, &answer, "the answer, from the server's own address");
            }
            Behaviour::Truncated => {
                let mut cut = answer;
                cut[2] |= 0x02; // TC
                // The header and question are as long as the query; 6 bytes more end
                // the cut inside the first record, after its name, type and class.
                cut.truncate(query.bytes.len() + 6);
                send(socket, &cut, "the answer with TC set, cut short inside its first record");
            }
            Behaviour::EchoesTheQuery => send(socket, &query.bytes, "the query itself (QR = 0)"),
            Behaviour::Stale => stale(socket, from, &query, log, stop),
            Behaviour::Silent => log.note("dns server: (sends nothing)"),
        }
        queries.push(query);
    }
    queries
}

/// Reads a query as RFC 1035 lays it out, noting everything a client gets wrong.
pub fn read_query(bytes: &[u8]) -> Query {
    let mut query = Query { bytes: bytes.to_vec(), ..Query::default() };
    let field = |at: usize| bytes.get(at..at + 2).map(|b| u16::from_be_bytes([b[0], b[1]]));
    let Some(id) = field(0) else {
        query.problems.push("the query is shorter than its 2-byte ID".into());
        return query;
    };
    query.id = id;
    let (Some(flags), Some(qd), Some(an), Some(ns), Some(ar)) =
        (field(2), field(4), field(6), field(8), field(10))
    else {
        query
            .problems
            .push(format!("the query is {} bytes, shorter than the 12-byte header", bytes.len()));
        return query;
    };
    // RD alone, or one question, with its two bytes the wrong way round.
    if flags == 0x0001 || qd == 0x0100 {
        query.problems.push(format!(
            "the header's numbers are written low byte first (flags {flags:#06x}, QDCOUNT {qd:#06x}): \
             DNS sends every 16-bit field big-endian, in network byte order (`to_be_bytes`, not \
             `to_le_bytes`)"
        ));
        return query;
    }
    if flags & 0x8000 != 0 {
        query.problems.push("the QR bit is set: a query has QR = 0".into());
    }
    if flags & 0x7800 != 0 {
        query.problems.push("the opcode is not 0 (a standard query)".into());
    }
    if flags & 0x0100 == 0 {
        query.problems.push(format!(
            "the RD bit is not set (flags {flags:#06x}): a client asking a resolver sets RD, 0x0100"
        ));
    }
    if flags & !0x0100 & 0x07ff != 0 {
        query.problems.push(format!("flags other than RD are set (flags {flags:#06x})"));
    }
    if qd != 1 || an != 0 || ns != 0 || ar != 0 {
        query.problems.push(format!(
            "the counts are QDCOUNT {qd}, ANCOUNT {an}, NSCOUNT {ns}, ARCOUNT {ar}: a query has 1, 0, 0, 0"
        ));
        return query;
    }
    let mut at = 12;
    let mut labels = Vec::new();
    loop {
        let Some(&len) = bytes.get(at) else {
            query.problems.push("the name has no final zero byte".into());
            return query;
        };
        if len == 0 {
            at += 1;
            break;
        }
        if len > 63 {
            query.problems.push(format!("a label of length byte {len}: labels are 1 to 63 bytes"));
            return query;
        }
        let Some(label) = bytes.get(at + 1..at + 1 + usize::from(len)) else {
            query.problems.push("a label runs past the end of the query".into());
            return query;
        };
        labels.push(String::from_utf8_lossy(label).into_owned());
        at += 1 + usize::from(len);
    }
    query.name = if labels.is_empty() { ".".into() } else { labels.join(".") };
    match (field(at), field(at + 2)) {
        (Some(qtype), Some(qclass)) => {
            query.qtype = qtype;
            if qclass == IN.swap_bytes() {
                query.problems.push(format!(
                    "QTYPE {qtype:#06x} and QCLASS {qclass:#06x} are written low byte first: DNS \
                     sends every 16-bit field big-endian (`to_be_bytes`)"
                ));
            } else if qclass != IN {
                query.problems.push(format!("QCLASS is {qclass}, not 1 (IN)"));
            }
            if at + 4 != bytes.len() {
                query.problems.push(format!(
                    "{} byte(s) after QCLASS: the question is the end of the query",
                    bytes.len() - at - 4
                ));
            }
        }
        _ => query.problems.push("the question lacks its QTYPE and QCLASS".into()),
    }
    query
}

/// The reference server's answer, ID `id`, to a well-formed query for `name` and `qtype`:
/// the bytes a check hands to the code under test after a failure, to see whether it can
/// read a well-formed reply at all.
pub fn answer_to(id: u16, name: &str, qtype: u16) -> Vec<u8> {
    let query =
        Query { bytes: Vec::new(), id, name: name.to_string(), qtype, problems: Vec::new() };
    answer(&query)
}

/// The zone's answer to `query`: its CNAME chain, then the records of the asked type.
fn answer(query: &Query) -> Vec<u8> {
    let asked = query.name.to_ascii_lowercase();
    if asked == "fail.example.test" {
        return Message::reply(query, 2).finish();
    }
    if !ZONE.iter().any(|(owner, ..)| *owner == asked) {
        return Message::reply(query, 3).finish();
    }
    let mut msg = Message::reply(query, 0);
    let mut name = asked;
    let mut chain = 0;
    while let Some((owner, _, target)) =
        ZONE.iter().find(|(owner, rtype, _)| *owner == name && *rtype == CNAME)
    {
        msg.record(owner, CNAME, 3600, |m| m.name(target));
        name = target.to_string();
        chain += 1;
        if chain > 8 {
            break;
        }
    }
    for (owner, rtype, data) in ZONE.iter().filter(|(o, t, _)| *o == name && *t == query.qtype) {
        msg.record(owner, *rtype, 300, |m| address(m, data));
    }
    msg.finish()
}

/// A reply with the right ID but the forged address.
fn forged(query: &Query) -> Vec<u8> {
    let mut msg = Message::reply(query, 0);
    if query.qtype == AAAA {
        msg.record(&query.name, AAAA, 300, |m| address(m, "2001:db8::66"));
    } else {
        msg.record(&query.name, A, 300, |m| address(m, FORGED));
    }
    msg.finish()
}

fn format_error(query: &Query) -> Vec<u8> {
    let mut reply = query.bytes.get(..12).map_or_else(|| vec![0; 12], <[u8]>::to_vec);
    reply.resize(12, 0);
    reply[2] = 0x81;
    reply[3] = 0x81; // QR, RD, RA, RCODE 1
    reply[4..12].fill(0);
    reply
}

fn address(m: &mut Message, text: &str) {
    match text.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(v4)) => m.bytes.extend_from_slice(&v4.octets()),
        Ok(std::net::IpAddr::V6(v6)) => m.bytes.extend_from_slice(&v6.octets()),
        Err(_) => {}
    }
}

fn stale(
    socket: &UdpSocket,
    to: SocketAddr,
    query: &Query,
    log: &Transcript,
    stop: &Arc<AtomicBool>,
) {
    let (Ok(socket), log, stop) = (socket.try_clone(), log.clone(), Arc::clone(stop)) else {
        return;
    };
    let mut reply = forged(query);
    reply[..2].copy_from_slice(&(query.id ^ 0x5555).to_be_bytes());
    thread::spawn(move || {
        let started = Instant::now();
        let mut sent = 0;
        while !stop.load(Ordering::Relaxed) && started.elapsed() < WAIT {
            let _ = socket.send_to(&reply, to);
            sent += 1;
            thread::sleep(Duration::from_millis(50));
        }
        log.note(format!(
            "dns server: sent {sent} stale replies with the wrong ID, never the answer"
        ));
    });
}

/// A DNS message being written, with name compression.
struct Message {
    bytes: Vec<u8>,
    /// Every name suffix written so far, lower-cased, and where it starts.
    suffixes: Vec<(String, u16)>,
    answers: u16,
}

impl Message {
    /// A response to `query` with this RCODE: the header and the question again.
    fn reply(query: &Query, rcode: u8) -> Message {
        let mut msg = Message { bytes: Vec::new(), suffixes: Vec::new(), answers: 0 };
        // QR, opcode 0, AA, RD as asked, RA; RCODE.
        let flags: u16 = 0x8000 | 0x0400 | 0x0100 | 0x0080 | u16::from(rcode);
        for field in [query.id, flags, 1, 0, 0, 0] {
            msg.bytes.extend_from_slice(&field.to_be_bytes());
        }
        msg.name(&query.name);
        msg.bytes.extend_from_slice(&query.qtype.to_be_bytes());
        msg.bytes.extend_from_slice(&IN.to_be_bytes());
        msg
    }

    /// Writes `name`, ending in a pointer to the longest suffix already written.
    fn name(&mut self, name: &str) {
        let labels: Vec<&str> = name.split('.').filter(|l| !l.is_empty()).collect();
        for i in 0..labels.len() {
            let suffix = labels[i..].join(".").to_ascii_lowercase();
            if let Some((_, at)) = self.suffixes.iter().find(|(s, _)| *s == suffix) {
                self.bytes.extend_from_slice(&(0xc000 | at).to_be_bytes());
                return;
            }
            if let Ok(at) = u16::try_from(self.bytes.len()) {
                if at < 0x4000 {
                    self.suffixes.push((suffix, at));
                }
            }
            self.bytes.push(labels[i].len() as u8);
            self.bytes.extend_from_slice(labels[i].as_bytes());
        }
        self.bytes.push(0);
    }

    /// Writes one answer record; `data` writes its RDATA.
    fn record(&mut self, owner: &str, rtype: u16, ttl: u32, data: impl FnOnce(&mut Message)) {
        self.name(owner);
        self.bytes.extend_from_slice(&rtype.to_be_bytes());
        self.bytes.extend_from_slice(&IN.to_be_bytes());
        self.bytes.extend_from_slice(&ttl.to_be_bytes());
        let length_at = self.bytes.len();
        self.bytes.extend_from_slice(&[0, 0]);
        data(self);
        let length = (self.bytes.len() - length_at - 2) as u16;
        self.bytes[length_at..length_at + 2].copy_from_slice(&length.to_be_bytes());
        self.answers += 1;
    }

    fn finish(mut self) -> Vec<u8> {
        self.bytes[6..8].copy_from_slice(&self.answers.to_be_bytes());
        self.bytes
    }
}

/// A record type's name.
pub fn type_name(rtype: u16) -> String {
    match rtype {
        A => "A".into(),
        CNAME => "CNAME".into(),
        AAAA => "AAAA".into(),
        other => other.to_string(),
    }
}

/// Bytes in hex, shortened if long.
pub fn hex(bytes: &[u8]) -> String {
    let shown: Vec<String> = bytes.iter().take(48).map(|b| format!("{b:02x}")).collect();
    let more = if bytes.len() > 48 { " …" } else { "" };
    format!("{}{more}", shown.join(" "))
}
