//! DNS client: asks a resolver for a name's addresses over UDP, as RFC 1035 lays the
//! messages out (and RFC 3596 adds AAAA, the IPv6 address record).
//!
//! A query is one datagram: a 12-byte header, then one question (a name, a type, a
//! class). The answer is one datagram too: the same header with the response bit set and
//! the same ID, the question again, then resource records. Names in an answer are often
//! compressed: a name may end in a 2-byte pointer to an earlier place in the message
//! where the rest of the name is written. The client matches an answer to its query by
//! the ID, because UDP itself matches nothing, and trusts nothing in the answer that
//! would take it out of the message's bounds.
//!
//! Exercise: read "The application layer" (book/src/application.md), then replace the
//! seven `todo!()`s. Leave the signatures as they are: the grader calls these functions.

use std::collections::hash_map::RandomState;
use std::error::Error;
use std::fmt;
use std::hash::BuildHasher;
use std::io::{self, ErrorKind};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

/// Record type A: an IPv4 address (RFC 1035, section 3.2.2).
pub const TYPE_A: u16 = 1;
/// Record type CNAME: "this name is an alias; the canonical name is ..." (RFC 1035).
pub const TYPE_CNAME: u16 = 5;
/// Record type AAAA: an IPv6 address (RFC 3596).
pub const TYPE_AAAA: u16 = 28;
/// Class IN: the Internet, the only class in use.
pub const CLASS_IN: u16 = 1;

/// The header's length: six 16-bit fields.
pub const HEADER_LEN: usize = 12;
/// The header's flag bits. QR: this message is a response.
pub const FLAG_QR: u16 = 0x8000;
/// TC: the message was truncated to fit in a UDP datagram.
pub const FLAG_TC: u16 = 0x0200;
/// RD: recursion desired: "find the answer for me, asking other servers if need be".
pub const FLAG_RD: u16 = 0x0100;
/// RCODE 3, NXDOMAIN: the name does not exist.
pub const RCODE_NXDOMAIN: u8 = 3;

/// The longest label, in bytes: its length byte has two bits for other uses.
pub const MAX_LABEL_LEN: usize = 63;
/// The longest name, in bytes on the wire: length bytes and the final zero included.
pub const MAX_NAME_LEN: usize = 255;
/// The largest DNS message over UDP, unless both sides agree on more (RFC 6891). A
/// query without EDNS, like this client's, gets no larger reply, so a receive buffer of
/// this many bytes is enough: the checks' server never sends more (a larger buffer
/// passes too).
pub const UDP_MESSAGE_LEN: usize = 512;
/// How long the program waits for an answer.
pub const TIMEOUT: Duration = Duration::from_secs(2);

/// A DNS message's header (RFC 1035, section 4.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Chosen by the client; the answer carries the same one.
    pub id: u16,
    /// QR, opcode, AA, TC, RD, RA, Z, AD, CD and RCODE, as one 16-bit field. Of the
    /// three bits between RA and RCODE only bit 6 is Z (0 in a query); bit 5 is AD and
    /// bit 4 is CD (RFC 4035, section 3.2.3; RFC 6895, section 2), and a validating
    /// resolver sets AD in its replies. A reply is judged by QR, TC and RCODE alone:
    /// whatever Z, AD and CD say, it is not refused for them.
    pub flags: u16,
    /// QDCOUNT: how many questions follow.
    pub questions: u16,
    /// ANCOUNT: how many answer records follow the questions.
    pub answers: u16,
    /// NSCOUNT: how many authority records follow the answers.
    pub authorities: u16,
    /// ARCOUNT: how many additional records follow those.
    pub additionals: u16,
}

impl Header {
    /// Whether the QR bit says this is a response.
    pub fn is_response(&self) -> bool {
        self.flags & FLAG_QR != 0
    }

    /// Whether the TC bit says the message was cut short.
    pub fn is_truncated(&self) -> bool {
        self.flags & FLAG_TC != 0
    }

    /// The response code: the flags' low four bits. 0 is "no error".
    pub fn rcode(&self) -> u8 {
        (self.flags & 0x000f) as u8
    }
}

/// One resource record of an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The name the record is about, dotted, without a final dot: `www.example.com`.
    pub name: String,
    /// Its type: [`TYPE_A`], [`TYPE_AAAA`], [`TYPE_CNAME`], ...
    pub rtype: u16,
    /// Its class, [`CLASS_IN`].
    pub class: u16,
    /// How many seconds the record may be cached.
    pub ttl: u32,
    /// Its data.
    pub data: RecordData,
}

/// A record's data (RDATA), read according to its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordData {
    /// Type A: 4 bytes.
    A(Ipv4Addr),
    /// Type AAAA: 16 bytes.
    Aaaa(Ipv6Addr),
    /// Type CNAME: a name, which may be compressed.
    Cname(String),
    /// Any other type: the bytes as they came.
    Other(Vec<u8>),
}

/// A response: its header and its answer records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The header.
    pub header: Header,
    /// The answer section's records, in order.
    pub answers: Vec<Record>,
}

/// What can go wrong in asking.
#[derive(Debug)]
pub enum DnsError {
    /// The name cannot be put in a query: an empty label, a label over 63 bytes, or a
    /// name over 255 bytes on the wire.
    BadName(String),
    /// The reply breaks RFC 1035's layout: it ends in the middle of a field, a pointer
    /// leads outside the message or round in a loop, a record's data has the wrong length.
    Malformed(String),
    /// The reply's QR bit is 0: it is a query, not a response.
    NotAResponse,
    /// The reply's TC bit is set: it did not fit in a UDP message.
    Truncated,
    /// RCODE 3, NXDOMAIN: the name does not exist.
    NoSuchName,
    /// Another non-zero RCODE.
    ErrorCode(u8),
    /// No answer with our ID came within the timeout.
    Timeout,
    /// The socket failed.
    Io(io::Error),
}

impl fmt::Display for DnsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DnsError::BadName(why) => write!(f, "bad name: {why}"),
            DnsError::Malformed(why) => write!(f, "malformed reply: {why}"),
            DnsError::NotAResponse => write!(f, "the reply is not a response (its QR bit is 0)"),
            DnsError::Truncated => write!(
                f,
                "the reply was truncated (TC bit set): it did not fit in a UDP message; ask over TCP"
            ),
            DnsError::NoSuchName => write!(f, "no such name (NXDOMAIN, RCODE 3)"),
            DnsError::ErrorCode(code) => {
                let meaning = match code {
                    1 => "FORMERR, format error",
                    2 => "SERVFAIL, server failure",
                    4 => "NOTIMP, not implemented",
                    5 => "REFUSED",
                    _ => "an error",
                };
                write!(f, "the server answered RCODE {code} ({meaning})")
            }
            DnsError::Timeout => write!(f, "no answer within the timeout"),
            DnsError::Io(err) => write!(f, "{err}"),
        }
    }
}

impl Error for DnsError {}

impl From<io::Error> for DnsError {
    fn from(err: io::Error) -> Self {
        DnsError::Io(err)
    }
}

/// A query ID that is hard to guess. std has no random number generator, but each
/// `RandomState` is seeded at random. (A real resolver uses a cryptographic one.)
pub fn random_id() -> u16 {
    RandomState::new().hash_one(Instant::now()) as u16
}

/// The big-endian 16-bit number at `at`, or an error if the message ends before it.
pub fn read_u16(msg: &[u8], at: usize) -> Result<u16, DnsError> {
    match msg.get(at..at + 2) {
        Some(&[high, low]) => Ok(u16::from_be_bytes([high, low])),
        _ => Err(DnsError::Malformed(format!("the message ends inside a field at byte {at}"))),
    }
}

/// The big-endian 32-bit number at `at`, or an error if the message ends before it.
pub fn read_u32(msg: &[u8], at: usize) -> Result<u32, DnsError> {
    Ok(u32::from(read_u16(msg, at)?) << 16 | u32::from(read_u16(msg, at + 2)?))
}

// ANCHOR: encode
/// Appends `name` to `out` as labels: each label's length in one byte, then its bytes,
/// and a zero byte at the end. A final dot is allowed (`example.com.`); `.` alone is
/// the root, a single zero byte, and so is the empty name `""`. Labels are written as
/// given, case kept.
pub fn encode_name(name: &str, out: &mut Vec<u8>) -> Result<(), DnsError> {
    // TODO: write the labels. The limits are under "Names on the wire".
    todo!("encode a name as labels")
}
// ANCHOR_END: encode

// ANCHOR: build
/// A query with this ID for `name`'s records of type `qtype`, class IN: the header with
/// only RD set and one question, then the question.
pub fn build_query(id: u16, name: &str, qtype: u16) -> Result<Vec<u8>, DnsError> {
    // TODO: the header, then the question (`u16::to_be_bytes`, `encode_name`).
    todo!("build a query")
}
// ANCHOR_END: build

// ANCHOR: header
/// Reads the 12-byte header at the start of `msg`.
pub fn parse_header(msg: &[u8]) -> Result<Header, DnsError> {
    // TODO: read the six fields with `read_u16`.
    todo!("read the header")
}
// ANCHOR_END: header

// ANCHOR: read_name
/// Reads the name that starts at byte `start` of `msg`, following compression pointers.
/// Returns it dotted, without a final dot (`.` for the root), and the offset just past
/// the name where it started: past its zero byte, or past its first pointer.
pub fn read_name(msg: &[u8], start: usize) -> Result<(String, usize), DnsError> {
    // TODO: follow labels and pointers, reading with `msg.get`. What to refuse is under
    // "A real answer, and name compression".
    todo!("read a possibly compressed name")
}
// ANCHOR_END: read_name

// ANCHOR: parse
/// Reads a whole response: the header, past the questions, then every answer record.
/// The authority and additional sections are left unread. Each record's data is
/// RDLENGTH bytes, and the next record starts right after them. An A record's data
/// must be 4 bytes and an AAAA's 16 (else `Malformed`). A CNAME's data is a name read
/// with [`read_name`] from where the data starts; whether that name ends exactly at
/// RDLENGTH is not checked by the checks (they never send one that does not), so you
/// may refuse such a record as `Malformed` or not.
pub fn parse_response(msg: &[u8]) -> Result<Response, DnsError> {
    // TODO: skip the questions, then read each answer record (`read_name`, `read_u16`,
    // `read_u32`); its data as the table in the chapter says.
    todo!("read a response")
}
// ANCHOR_END: parse

// ANCHOR: addresses
/// The addresses of type `qtype` that the reply `msg` gives, in the order given, after
/// checking its header: it must be a response, not truncated, with RCODE 0. Records of
/// other types, such as the CNAMEs of an alias chain, are passed over.
pub fn addresses(msg: &[u8], qtype: u16) -> Result<Vec<IpAddr>, DnsError> {
    // TODO: check the header as "Checking the answer" says, then collect the addresses.
    todo!("check the reply and collect its addresses")
}
// ANCHOR_END: addresses

// ANCHOR: resolve
/// Asks the resolver at `server` for `name`'s addresses of type `qtype` with a query of
/// this `id`, from `socket`, and waits up to `timeout` for the answer. Datagrams from
/// anyone else and replies with another ID are ignored (late answers to an earlier
/// query, or forgeries) and do not extend the wait.
pub fn resolve(
    socket: &UdpSocket,
    server: SocketAddr,
    id: u16,
    name: &str,
    qtype: u16,
    timeout: Duration,
) -> Result<Vec<IpAddr>, DnsError> {
    // TODO: send the query, then wait for the answer with one deadline, as the pinger did.
    todo!("ask the server and wait for the answer")
}
// ANCHOR_END: resolve
