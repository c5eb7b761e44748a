//! Mistakes in the DNS client.

use std::io::ErrorKind;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use crate::{Mistake, making};
use solutions::dns_query as model;
pub use solutions::dns_query::{
    CLASS_IN, DnsError, FLAG_RD, HEADER_LEN, Header, MAX_LABEL_LEN, MAX_NAME_LEN, RCODE_NXDOMAIN,
    Record, RecordData, Response, TIMEOUT, TYPE_A, TYPE_AAAA, TYPE_CNAME, UDP_MESSAGE_LEN,
    read_u16, read_u32,
};

/// Each mistake made here, the checks that must catch it, and words their message must contain.
pub const MISTAKES: &[Mistake] = &[
    (
        "dns_question_skipped_short",
        &["dns_query::reads_past_every_question", "dns_query::prints_one_address_per_line"],
        "the question is skipped wrongly",
    ),
    (
        "dns_query_header_little_endian",
        &[
            "dns_query::builds_a_query_as_rfc_1035_lays_it_out",
            "dns_query::prints_one_address_per_line",
            "dns_query::ignores_replies_with_another_id",
        ],
        "low byte first",
    ),
    (
        "dns_record_data_indexed",
        &["dns_query::refuses_a_reply_cut_short_at_any_byte"],
        "`msg.get(a..b)`",
    ),
    ("dns_one_question_assumed", &["dns_query::reads_past_every_question"], "QDCOUNT"),
    (
        "dns_forgets_rd",
        &[
            "dns_query::builds_a_query_as_rfc_1035_lays_it_out",
            "dns_query::prints_one_address_per_line",
        ],
        "RD",
    ),
    (
        "dns_little_endian_qtype",
        &["dns_query::builds_a_query_as_rfc_1035_lays_it_out"],
        "byte order",
    ),
    (
        "dns_allows_64_byte_labels",
        &["dns_query::rejects_empty_and_overlong_labels_and_names"],
        "1 to 63 bytes",
    ),
    (
        "dns_name_limit_without_the_zero",
        &["dns_query::rejects_empty_and_overlong_labels_and_names"],
        "final zero",
    ),
    ("dns_replaces_the_buffer", &["dns_query::encodes_a_name_as_labels"], "push onto it"),
    (
        "dns_name_ends_after_the_jump",
        &["dns_query::follows_compression_pointers"],
        "pointer's 2 bytes",
    ),
    // The same mistake, made in the reading of whole replies too: every check that hands
    // it a well-formed reply sees an error, and must blame the pointer, not its own angle.
    (
        "dns_name_ends_after_the_jump_in_replies",
        &[
            "dns_query::follows_compression_pointers",
            "dns_query::parses_a_real_reply_with_compressed_names",
            "dns_query::parses_a_cname_chain_with_pointers_into_record_data",
            "dns_query::reads_past_every_question",
            "dns_query::collects_the_addresses_of_the_asked_type",
            "dns_query::ignores_the_z_ad_and_cd_bits",
            "dns_query::ignores_replies_with_another_id",
            "dns_query::ignores_replies_from_other_addresses",
            "dns_query::prints_one_address_per_line",
        ],
        "pointer's 2 bytes",
    ),
    (
        "dns_no_pointer_loop_guard",
        &["dns_query::rejects_pointer_loops_and_pointers_out_of_bounds"],
        "round a loop",
    ),
    (
        "dns_indexes_without_bounds",
        &["dns_query::rejects_pointer_loops_and_pointers_out_of_bounds"],
        "index out of range",
    ),
    (
        "dns_cname_read_from_its_data_alone",
        &["dns_query::parses_a_cname_chain_with_pointers_into_record_data"],
        "may end in a pointer",
    ),
    (
        "dns_keeps_every_address",
        &["dns_query::collects_the_addresses_of_the_asked_type"],
        "type asked for",
    ),
    ("dns_nxdomain_as_no_records", &["dns_query::reports_nxdomain_and_other_error_codes"], "RCODE"),
    ("dns_parses_before_checking_tc", &["dns_query::reports_a_truncated_reply"], "TC bit"),
    (
        "dns_ignores_tc",
        &["dns_query::reports_a_truncated_reply", "dns_query::reports_errors_in_one_line"],
        "TC bit",
    ),
    ("dns_ignores_qr", &["dns_query::rejects_a_reply_that_is_not_a_response"], "QR bit"),
    (
        "dns_accepts_any_id",
        &["dns_query::ignores_replies_with_another_id", "dns_query::gives_up_after_the_timeout"],
        "another ID",
    ),
    ("dns_fails_on_another_id", &["dns_query::ignores_replies_with_another_id"], "to be ignored"),
    (
        "dns_accepts_any_sender",
        &["dns_query::ignores_replies_from_other_addresses"],
        "another address",
    ),
    ("dns_restarts_the_timeout", &["dns_query::gives_up_after_the_timeout"], "starts again"),
    ("dns_demands_zero_z_bits", &["dns_query::ignores_the_z_ad_and_cd_bits"], "only bit 6 is Z"),
    (
        "dns_rcode_wide_mask",
        &[
            "dns_query::ignores_replies_with_another_id",
            "dns_query::ignores_replies_from_other_addresses",
        ],
        "low 4 bits of the flags",
    ),
    (
        "dns_rcode_with_the_z_bits",
        &["dns_query::ignores_the_z_ad_and_cd_bits"],
        "low four bits only",
    ),
    (
        "dns_pointer_forward_allowed",
        &["dns_query::rejects_pointer_loops_and_pointers_out_of_bounds"],
        "does not point back",
    ),
    (
        "dns_name_limit_before_the_first_pointer",
        &["dns_query::rejects_pointer_loops_and_pointers_out_of_bounds"],
        "through every pointer",
    ),
    (
        "dns_ttl_as_16_bits",
        &["dns_query::parses_a_cname_chain_with_pointers_into_record_data"],
        "16 bits",
    ),
    ("dns_fixed_id", &["dns_query::prints_one_address_per_line"], "same ID"),
    ("dns_header_little_endian", &["dns_query::reads_the_header"], "big-endian"),
    (
        "dns_record_names_without_pointers",
        &[
            "dns_query::parses_a_real_reply_with_compressed_names",
            "dns_query::parses_a_cname_chain_with_pointers_into_record_data",
        ],
        "read past the question",
    ),
    ("dns_empty_name_refused", &["dns_query::encodes_a_name_as_labels"], "the empty name"),
    (
        "dns_name_limit_one_too_generous",
        &["dns_query::rejects_pointer_loops_and_pointers_out_of_bounds"],
        "one byte too generous",
    ),
    (
        "dns_name_limit_one_too_strict",
        &["dns_query::rejects_pointer_loops_and_pointers_out_of_bounds"],
        "one byte too strict",
    ),
    (
        "dns_odd_address_length_as_other",
        &["dns_query::refuses_address_records_of_the_wrong_length"],
        "wrong length let through",
    ),
    (
        "dns_label_length_in_chars",
        &[
            "dns_query::encodes_a_name_as_labels",
            "dns_query::rejects_empty_and_overlong_labels_and_names",
        ],
        "counted in characters",
    ),
    ("dns_label_unwraps_utf8", &["dns_query::reads_a_label_that_is_not_utf8"], "not to panic"),
    (
        "dns_build_query_drops_the_error",
        &["dns_query::builds_a_query_as_rfc_1035_lays_it_out"],
        "use `?`",
    ),
    ("dns_read_timeout_as_io_error", &["dns_query::gives_up_after_the_timeout"], "WouldBlock"),
];

/// A query ID; with `dns_fixed_id`, always the same one.
pub fn random_id() -> u16 {
    if making("dns_fixed_id") { 0x1234 } else { model::random_id() }
}

pub fn encode_name(name: &str, out: &mut Vec<u8>) -> Result<(), DnsError> {
    let label_limit = if making("dns_allows_64_byte_labels") { 64 } else { MAX_LABEL_LEN };
    if name.is_empty() && making("dns_empty_name_refused") {
        return Err(DnsError::BadName("an empty name".into()));
    }
    let dotless = name.strip_suffix('.').unwrap_or(name);
    let mut wire = Vec::new();
    if !dotless.is_empty() {
        for label in dotless.split('.') {
            let len = if making("dns_label_length_in_chars") {
                label.chars().count()
            } else {
                label.len()
            };
            if label.is_empty() || len > label_limit {
                return Err(DnsError::BadName(format!("bad label in {name:?}")));
            }
            wire.push(len as u8);
            wire.extend_from_slice(label.as_bytes());
        }
    }
    // The mistake counts the labels but not the final zero byte.
    let counted =
        if making("dns_name_limit_without_the_zero") { wire.len() } else { wire.len() + 1 };
    wire.push(0);
    if counted > MAX_NAME_LEN {
        return Err(DnsError::BadName(format!("{name:?} is too long")));
    }
    if making("dns_replaces_the_buffer") {
        *out = wire;
    } else {
        out.extend_from_slice(&wire);
    }
    Ok(())
}

pub fn build_query(id: u16, name: &str, qtype: u16) -> Result<Vec<u8>, DnsError> {
    let flags = if making("dns_forgets_rd") { 0 } else { FLAG_RD };
    let mut msg = Vec::new();
    for field in [id, flags, 1, 0, 0, 0] {
        if making("dns_query_header_little_endian") {
            msg.extend_from_slice(&field.to_le_bytes());
        } else {
            msg.extend_from_slice(&field.to_be_bytes());
        }
    }
    if making("dns_build_query_drops_the_error") {
        let _ = encode_name(name, &mut msg);
    } else {
        encode_name(name, &mut msg)?;
    }
    if making("dns_little_endian_qtype") {
        msg.extend_from_slice(&qtype.to_le_bytes());
    } else {
        msg.extend_from_slice(&qtype.to_be_bytes());
    }
    msg.extend_from_slice(&CLASS_IN.to_be_bytes());
    Ok(msg)
}

pub fn parse_header(msg: &[u8]) -> Result<Header, DnsError> {
    let mut header = model::parse_header(msg)?;
    if making("dns_header_little_endian") {
        header.id = header.id.swap_bytes();
        header.flags = header.flags.swap_bytes();
        header.questions = header.questions.swap_bytes();
        header.answers = header.answers.swap_bytes();
    }
    if making("dns_demands_zero_z_bits") && header.flags & 0x0070 != 0 {
        return Err(DnsError::Malformed("the Z bits are not 0".into()));
    }
    Ok(header)
}

pub fn read_name(msg: &[u8], start: usize) -> Result<(String, usize), DnsError> {
    if making("dns_indexes_without_bounds") {
        return read_name_trusting(msg, start);
    }
    if making("dns_label_unwraps_utf8") {
        let (name, end) = model::read_name(msg, start)?;
        let mut at = start;
        while let Some(&len) = msg.get(at).filter(|&&len| len != 0 && len < 0x40) {
            let label = &msg[at + 1..at + 1 + usize::from(len)];
            String::from_utf8(label.to_vec()).unwrap();
            at += 1 + usize::from(len);
        }
        return Ok((name, end));
    }
    let own = [
        "dns_name_ends_after_the_jump",
        "dns_name_ends_after_the_jump_in_replies",
        "dns_no_pointer_loop_guard",
        "dns_pointer_forward_allowed",
        "dns_name_limit_before_the_first_pointer",
        "dns_name_limit_one_too_generous",
        "dns_name_limit_one_too_strict",
    ];
    if !own.iter().any(|m| making(m)) {
        return model::read_name(msg, start);
    }
    let mut jumps = 0;
    let mut run_start = start;
    let malformed = |why: &str| DnsError::Malformed(why.to_string());
    let mut labels = Vec::new();
    let mut wire_len = 1;
    let mut at = start;
    let mut end = None;
    loop {
        let len = *msg.get(at).ok_or_else(|| malformed("past the end"))?;
        match len & 0xc0 {
            0x00 if len == 0 => {
                // The mistake: where the bytes read last end, not where the name ended in place.
                if making("dns_name_ends_after_the_jump")
                    || making("dns_name_ends_after_the_jump_in_replies")
                {
                    end = Some(at + 1);
                }
                end.get_or_insert(at + 1);
                break;
            }
            0x00 => {
                let label =
                    msg.get(at + 1..at + 1 + usize::from(len)).ok_or_else(|| malformed("label"))?;
                // The mistake: only the labels before the first pointer counted.
                if end.is_none() || !making("dns_name_limit_before_the_first_pointer") {
                    wire_len += 1 + usize::from(len);
                }
                let limit = if making("dns_name_limit_one_too_generous") {
                    MAX_NAME_LEN + 1
                } else if making("dns_name_limit_one_too_strict") {
                    MAX_NAME_LEN - 1
                } else {
                    MAX_NAME_LEN
                };
                if wire_len > limit {
                    return Err(malformed("too long"));
                }
                labels.push(String::from_utf8_lossy(label).into_owned());
                at += 1 + usize::from(len);
            }
            0xc0 => {
                let target = usize::from(read_u16(msg, at)? & 0x3fff);
                end.get_or_insert(at + 2);
                if target >= msg.len() {
                    return Err(malformed("pointer past the end"));
                }
                if making("dns_pointer_forward_allowed") {
                    // The mistake: a count of jumps as the only guard.
                    jumps += 1;
                    if jumps > 20 {
                        return Err(malformed("too many pointers"));
                    }
                } else if !making("dns_no_pointer_loop_guard") && target >= run_start {
                    return Err(malformed("pointer that does not point back"));
                }
                at = target;
                run_start = target;
            }
            _ => return Err(malformed("reserved label type")),
        }
    }
    let name = if labels.is_empty() { ".".to_string() } else { labels.join(".") };
    Ok((name, end.unwrap_or(at + 1)))
}

/// Reads a name with plain indexing: panics on a message that ends too soon.
fn read_name_trusting(msg: &[u8], start: usize) -> Result<(String, usize), DnsError> {
    let mut labels = Vec::new();
    let mut at = start;
    let mut end = None;
    let mut jumps = 0;
    loop {
        let len = msg[at];
        if len == 0 {
            end.get_or_insert(at + 1);
            break;
        }
        if len & 0xc0 == 0xc0 {
            end.get_or_insert(at + 2);
            jumps += 1;
            if jumps > 100 {
                return Err(DnsError::Malformed("too many pointers".into()));
            }
            let target = usize::from(u16::from_be_bytes([len & 0x3f, msg[at + 1]]));
            if target >= at {
                return Err(DnsError::Malformed("a pointer that does not point back".into()));
            }
            at = target;
            continue;
        }
        let len = usize::from(len);
        labels.push(String::from_utf8_lossy(&msg[at + 1..at + 1 + len]).into_owned());
        at += 1 + len;
    }
    Ok((labels.join("."), end.unwrap_or(at)))
}

pub fn parse_response(msg: &[u8]) -> Result<Response, DnsError> {
    let own = [
        "dns_cname_read_from_its_data_alone",
        "dns_ttl_as_16_bits",
        "dns_record_names_without_pointers",
        "dns_odd_address_length_as_other",
        "dns_one_question_assumed",
        "dns_name_ends_after_the_jump_in_replies",
        "dns_record_data_indexed",
        "dns_question_skipped_short",
    ];
    if !own.iter().any(|m| making(m)) {
        return model::parse_response(msg);
    }
    let header = parse_header(msg)?;
    let mut at = HEADER_LEN;
    let questions = if making("dns_one_question_assumed") { 1 } else { header.questions };
    for _ in 0..questions {
        at = read_name(msg, at)?.1 + if making("dns_question_skipped_short") { 2 } else { 4 };
    }
    let mut answers = Vec::new();
    for _ in 0..header.answers {
        let (name, end) = if making("dns_record_names_without_pointers") {
            labels_only(msg, at)?
        } else {
            read_name(msg, at)?
        };
        let rtype = read_u16(msg, end)?;
        let class = read_u16(msg, end + 2)?;
        let ttl = if making("dns_ttl_as_16_bits") {
            u32::from(read_u16(msg, end + 6)?)
        } else {
            read_u32(msg, end + 4)?
        };
        let rdlength = usize::from(read_u16(msg, end + 8)?);
        let rdata = if making("dns_record_data_indexed") {
            &msg[end + 10..end + 10 + rdlength]
        } else {
            msg.get(end + 10..end + 10 + rdlength).ok_or(DnsError::Malformed("rdata".into()))?
        };
        let data = match rtype {
            TYPE_A if rdlength == 4 => {
                RecordData::A(Ipv4Addr::new(rdata[0], rdata[1], rdata[2], rdata[3]))
            }
            TYPE_AAAA if rdlength == 16 => {
                RecordData::Aaaa(Ipv6Addr::from(<[u8; 16]>::try_from(rdata).expect("16 bytes")))
            }
            TYPE_A | TYPE_AAAA if !making("dns_odd_address_length_as_other") => {
                return Err(DnsError::Malformed(format!("an address of {rdlength} bytes")));
            }
            // The mistake: the alias read from its own bytes, where a pointer means nothing.
            TYPE_CNAME if making("dns_cname_read_from_its_data_alone") => {
                RecordData::Cname(read_name(rdata, 0)?.0)
            }
            TYPE_CNAME => RecordData::Cname(read_name(msg, end + 10)?.0),
            _ => RecordData::Other(rdata.to_vec()),
        };
        answers.push(Record { name, rtype, class, ttl, data });
        at = end + 10 + rdlength;
    }
    Ok(Response { header, answers })
}

pub fn addresses(msg: &[u8], qtype: u16) -> Result<Vec<IpAddr>, DnsError> {
    if making("dns_parses_before_checking_tc") {
        parse_response(msg)?;
    }
    let header = parse_header(msg)?;
    if !header.is_response() && !making("dns_ignores_qr") {
        return Err(DnsError::NotAResponse);
    }
    if header.is_truncated() && !making("dns_ignores_tc") {
        return Err(DnsError::Truncated);
    }
    let rcode = if making("dns_rcode_with_the_z_bits") {
        (header.flags & 0x7f) as u8
    } else if making("dns_rcode_wide_mask") {
        (header.flags & 0xff) as u8
    } else {
        header.rcode()
    };
    match rcode {
        0 => {}
        RCODE_NXDOMAIN if making("dns_nxdomain_as_no_records") => return Ok(Vec::new()),
        RCODE_NXDOMAIN => return Err(DnsError::NoSuchName),
        code => return Err(DnsError::ErrorCode(code)),
    }
    let response = parse_response(msg)?;
    Ok(response
        .answers
        .into_iter()
        .filter(|r| making("dns_keeps_every_address") || r.rtype == qtype)
        .filter_map(|r| match r.data {
            RecordData::A(v4) => Some(IpAddr::V4(v4)),
            RecordData::Aaaa(v6) => Some(IpAddr::V6(v6)),
            _ => None,
        })
        .collect())
}

pub fn resolve(
    socket: &UdpSocket,
    server: SocketAddr,
    id: u16,
    name: &str,
    qtype: u16,
    timeout: Duration,
) -> Result<Vec<IpAddr>, DnsError> {
    socket.send_to(&build_query(id, name, qtype)?, server)?;
    let deadline = Instant::now() + timeout;
    let mut buf = [0; UDP_MESSAGE_LEN];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let restart = making("dns_restarts_the_timeout");
        if left.is_zero() && !restart {
            return Err(DnsError::Timeout);
        }
        socket.set_read_timeout(Some(if restart { timeout } else { left }))?;
        let (len, from) = match socket.recv_from(&mut buf) {
            Ok(got) => got,
            Err(err)
                if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
                    && !making("dns_read_timeout_as_io_error") =>
            {
                return Err(DnsError::Timeout);
            }
            Err(err) => return Err(err.into()),
        };
        let reply = &buf[..len];
        let Ok(header) = parse_header(reply) else { continue };
        if from != server && !making("dns_accepts_any_sender") {
            continue;
        }
        if header.id != id {
            if making("dns_fails_on_another_id") {
                return Err(DnsError::Malformed(format!("the reply's ID is {:#06x}", header.id)));
            }
            if !making("dns_accepts_any_id") {
                continue;
            }
        }
        return addresses(reply, qtype);
    }
}

/// A name read as labels alone: a pointer is taken for a label type it does not know.
fn labels_only(msg: &[u8], start: usize) -> Result<(String, usize), DnsError> {
    let mut labels = Vec::new();
    let mut at = start;
    loop {
        let len = usize::from(*msg.get(at).ok_or(DnsError::Malformed("past the end".into()))?);
        if len == 0 {
            return Ok((labels.join("."), at + 1));
        }
        if len > MAX_LABEL_LEN {
            return Err(DnsError::Malformed(format!("a label of {len} bytes")));
        }
        let label = msg.get(at + 1..at + 1 + len).ok_or(DnsError::Malformed("label".into()))?;
        labels.push(String::from_utf8_lossy(label).into_owned());
        at += 1 + len;
    }
}
