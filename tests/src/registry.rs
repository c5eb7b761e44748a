//! The one registry of exercises: their order, files, chapters and hints.
//!
//! The grader, the progress summary and the book checks all read this table, so an
//! exercise's name, file, chapter and hint live in exactly one place.

/// One exercise of the workbook.
#[derive(Debug)]
pub struct Exercise {
    /// The exercise's name, also the stem of its file and the prefix of its checks.
    pub name: &'static str,
    /// The program that runs it, as in `cargo run -p exercises -- <program>`, if any.
    pub program: Option<&'static str>,
    /// The chapter to read, as a path under `book/src`.
    pub chapter: &'static str,
    /// The chapter's title, as the reader sees it.
    pub chapter_title: &'static str,
    /// A nudge that helps without giving the answer away: a file under
    /// `book/src/hints/`, which the chapter includes in a folded block too.
    pub hint: &'static str,
}

impl Exercise {
    /// The hint as one paragraph, its line breaks folded.
    pub fn hint_text(&self) -> String {
        self.hint.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The exercise's file, relative to its crate.
    pub fn file(&self) -> String {
        format!("src/{}.rs", self.name)
    }
}

/// Every exercise, in the order a learner should do them.
pub const EXERCISES: &[Exercise] = &[
    Exercise {
        name: "chat_syntax",
        program: None,
        chapter: "protocols.md",
        chapter_title: "Protocols: syntax, semantics, timing",
        hint: include_str!("../../book/src/hints/chat_syntax.md"),
    },
    Exercise {
        name: "chat_semantics",
        program: None,
        chapter: "protocols.md",
        chapter_title: "Protocols: syntax, semantics, timing",
        hint: include_str!("../../book/src/hints/chat_semantics.md"),
    },
    Exercise {
        name: "chat_timing",
        program: None,
        chapter: "protocols.md",
        chapter_title: "Protocols: syntax, semantics, timing",
        hint: include_str!("../../book/src/hints/chat_timing.md"),
    },
    Exercise {
        name: "checksum",
        program: None,
        chapter: "layers.md",
        chapter_title: "The layer model",
        hint: include_str!("../../book/src/hints/checksum.md"),
    },
    Exercise {
        name: "frames",
        program: None,
        chapter: "layers.md",
        chapter_title: "The layer model",
        hint: include_str!("../../book/src/hints/frames.md"),
    },
    Exercise {
        name: "ports",
        program: None,
        chapter: "ports.md",
        chapter_title: "Ports",
        hint: include_str!("../../book/src/hints/ports.md"),
    },
    Exercise {
        name: "ipv4_parse",
        program: None,
        chapter: "ip.md",
        chapter_title: "IP addressing, NAT and DNS",
        hint: include_str!("../../book/src/hints/ipv4_parse.md"),
    },
    Exercise {
        name: "cidr",
        program: None,
        chapter: "ip.md",
        chapter_title: "IP addressing, NAT and DNS",
        hint: include_str!("../../book/src/hints/cidr.md"),
    },
    Exercise {
        name: "special_addresses",
        program: None,
        chapter: "ip.md",
        chapter_title: "IP addressing, NAT and DNS",
        hint: include_str!("../../book/src/hints/special_addresses.md"),
    },
    Exercise {
        name: "nat",
        program: None,
        chapter: "ip.md",
        chapter_title: "IP addressing, NAT and DNS",
        hint: include_str!("../../book/src/hints/nat.md"),
    },
    Exercise {
        name: "mac",
        program: None,
        chapter: "mac.md",
        chapter_title: "MAC addresses",
        hint: include_str!("../../book/src/hints/mac.md"),
    },
    Exercise {
        name: "udp_receiver",
        program: Some("udp-receiver"),
        chapter: "udp.md",
        chapter_title: "UDP programming",
        hint: include_str!("../../book/src/hints/udp_receiver.md"),
    },
    Exercise {
        name: "udp_sender",
        program: Some("udp-sender"),
        chapter: "udp.md",
        chapter_title: "UDP programming",
        hint: include_str!("../../book/src/hints/udp_sender.md"),
    },
    Exercise {
        name: "udp_echo",
        program: Some("udp-echo"),
        chapter: "udp.md",
        chapter_title: "UDP programming",
        hint: include_str!("../../book/src/hints/udp_echo.md"),
    },
    Exercise {
        name: "udp_ping",
        program: Some("udp-ping"),
        chapter: "udp.md",
        chapter_title: "UDP programming",
        hint: include_str!("../../book/src/hints/udp_ping.md"),
    },
    Exercise {
        name: "tcp_server",
        program: Some("tcp-server"),
        chapter: "tcp.md",
        chapter_title: "TCP programming",
        hint: include_str!("../../book/src/hints/tcp_server.md"),
    },
    Exercise {
        name: "tcp_client",
        program: Some("tcp-client"),
        chapter: "tcp.md",
        chapter_title: "TCP programming",
        hint: include_str!("../../book/src/hints/tcp_client.md"),
    },
    Exercise {
        name: "chat_server",
        program: Some("chat-server"),
        chapter: "tcp.md",
        chapter_title: "TCP programming",
        hint: include_str!("../../book/src/hints/chat_server.md"),
    },
    Exercise {
        name: "file_transfer",
        program: Some("file-receive"),
        chapter: "tcp.md",
        chapter_title: "TCP programming",
        hint: include_str!("../../book/src/hints/file_transfer.md"),
    },
    Exercise {
        name: "dns_query",
        program: Some("dns-query"),
        chapter: "application.md",
        chapter_title: "The application layer",
        hint: include_str!("../../book/src/hints/dns_query.md"),
    },
    Exercise {
        name: "http_client",
        program: Some("http-get"),
        chapter: "application.md",
        chapter_title: "The application layer",
        hint: include_str!("../../book/src/hints/http_client.md"),
    },
    Exercise {
        name: "file_server",
        program: Some("http-serve"),
        chapter: "application.md",
        chapter_title: "The application layer",
        hint: include_str!("../../book/src/hints/file_server.md"),
    },
    Exercise {
        name: "smtp_client",
        program: Some("smtp-send"),
        chapter: "application.md",
        chapter_title: "The application layer",
        hint: include_str!("../../book/src/hints/smtp_client.md"),
    },
];

/// The exercise called `name`.
///
/// # Panics
/// If there is none: a check names an exercise that is not in the registry.
pub fn exercise(name: &str) -> &'static Exercise {
    EXERCISES
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no exercise called {name} in the registry"))
}
