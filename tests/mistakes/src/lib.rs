//! Deliberately wrong answers to the exercises: the mistakes learners make, one at a time.
//!
//! Each module has the exercise's functions. With the environment variable `MISTAKE`
//! unset they are the model answers; with `MISTAKE=<name>`, the function that name
//! concerns makes that mistake. `tests/grade.rs` runs the checks once per mistake and
//! proves that the checks it names fail, with a message that names the mistake.

// The command line is the model answers' own, calling this crate's functions.
pub mod chat_semantics;
pub mod chat_server;
pub mod chat_syntax;
pub mod chat_timing;
pub mod checksum;
pub mod cidr;
#[path = "../../../solutions/src/cli.rs"]
pub mod cli;
pub mod dns_query;
pub mod file_server;
pub mod file_transfer;
pub mod frames;
pub mod http_client;
pub mod ipv4_parse;
pub mod mac;
pub mod nat;
pub mod ports;
pub mod smtp_client;
pub mod special_addresses;
pub mod tcp_client;
pub mod tcp_server;
pub mod udp_echo;
pub mod udp_ping;
pub mod udp_receiver;
pub mod udp_sender;

/// A mistake's name, the checks that must catch it, and words their message must contain.
pub type Mistake = (&'static str, &'static [&'static str], &'static str);

/// A server with a pool of four threads, each accepting one client and serving it with
/// `handle` before it accepts the next: the fixed pool of the TCP servers' mistakes, where
/// four clients who stay connected stall everyone else.
pub fn serve_with_a_pool_of_four(
    listener: std::net::TcpListener,
    handle: impl Fn(std::net::TcpStream) + Send + Clone + 'static,
) -> std::io::Result<()> {
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let (listener, handle) = (listener.try_clone(), handle.clone());
            std::thread::spawn(move || -> std::io::Result<()> {
                let listener = listener?;
                loop {
                    handle(listener.accept()?.0);
                }
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
    Ok(())
}

/// Whether the mistake `name` is the one to make.
pub fn making(name: &str) -> bool {
    std::env::var("MISTAKE").is_ok_and(|m| m == name)
}
