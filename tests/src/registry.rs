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
    /// A nudge that helps without giving the answer away.
    pub hint: &'static str,
}

impl Exercise {
    /// The exercise's file, relative to its crate.
    pub fn file(&self) -> String {
        format!("src/{}.rs", self.name)
    }
}

/// Every exercise, in the order a learner should do them.
pub const EXERCISES: &[Exercise] = &[
    Exercise {
        name: "udp_receiver",
        program: Some("udp-receiver"),
        chapter: "udp.md",
        chapter_title: "UDP programming",
        hint: "`UdpSocket::bind(addr)` gives you the socket. Then loop: `recv_from` fills a buffer \
               and tells you how many bytes arrived and from whom; print exactly those bytes. \
               A buffer shorter than the datagram cuts it short without an error.",
    },
    Exercise {
        name: "udp_sender",
        program: Some("udp-sender"),
        chapter: "udp.md",
        chapter_title: "UDP programming",
        hint: "Bind port 0 on an address of the same family as the destination \
               (`SocketAddr::is_ipv4`, `IpAddr::is_loopback`). `BufRead::lines` strips the line \
               endings for you; `send_to` sends one datagram per call.",
    },
    Exercise {
        name: "tcp_server",
        program: Some("tcp-server"),
        chapter: "tcp.md",
        chapter_title: "TCP programming",
        hint: "TCP is a byte stream: one `read` may hold half a question or two. Wrap the \
               stream in a `BufReader` and use `read_line`, which returns 0 when the client has \
               gone. Give each accepted client its own `thread::spawn` so that nobody waits.",
    },
    Exercise {
        name: "tcp_client",
        program: Some("tcp-client"),
        chapter: "tcp.md",
        chapter_title: "TCP programming",
        hint: "Send each question with its `\\n` (`write_all`), then read exactly one line back \
               with `BufReader::read_line`: the answer may arrive in pieces. `read_line` \
               returning 0 means the server hung up. Return errors with `?`, never `unwrap`.",
    },
    Exercise {
        name: "checksum",
        program: None,
        chapter: "layers.md",
        chapter_title: "The layer model",
        hint: "Walk the bytes two at a time with `chunks_exact(2)` and turn each pair into a \
               number with `u16::from_be_bytes`: network byte order. Add them in a wider integer \
               so no carry is lost, then add the carries back in at the bottom until the sum \
               fits in 16 bits. The odd byte left over is `[last, 0]`. The checksum is `!sum`.",
    },
    Exercise {
        name: "frames",
        program: None,
        chapter: "layers.md",
        chapter_title: "The layer model",
        hint: "Work through the chapter's header tables in order, one `to_be_bytes` or \
               `from_be_bytes` per field. Build: write the checksum fields as 0, fill them in \
               last, then pad. Parse: before reading a header, make sure the bytes are there \
               (`get` returns None instead of panicking); the IHL says where UDP starts and \
               the total length where the packet ends.",
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
