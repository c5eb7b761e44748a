//! The reference echo server that the pinger's checks ping, written with plain std::net.
//!
//! Like the echo server of Kurose and Ross's pinger lab, it loses and delays datagrams
//! on purpose, but deterministically: a plan says what becomes of the n-th datagram it
//! receives (echo it, drop it, echo it late, echo it twice, ...), so every run of a check
//! sees the same network. Every event goes to the transcript.

use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::peer::{UdpServer, receive_until_stopped, show};
use crate::session::{Failure, Session, Transcript, WAIT};

/// What becomes of one datagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Echoed at once.
    Echo,
    /// Never echoed: lost.
    Drop,
    /// Echoed after this long.
    Delay(Duration),
    /// Echoed at once, and again this long after: a duplicate.
    Twice(Duration),
    /// Never echoed; instead, until the server stops, a stale echo (`ping 0 0`) every
    /// 50 ms, as if the network kept delivering old echoes.
    Pester,
    /// Echoed after this long, but at once another socket sends the sender the same
    /// bytes: a forged echo from an address that is not the server's.
    Forged(Duration),
}

/// One datagram the server received.
#[derive(Clone, Debug)]
pub struct Received {
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Its sender.
    pub from: SocketAddr,
}

/// A running reference echo server.
pub struct EchoServer {
    /// Where it listens.
    pub addr: SocketAddr,
    server: UdpServer<Vec<Received>>,
}

impl EchoServer {
    /// Listens on a free loopback port and treats the n-th datagram (from 1) as
    /// `plan(n)` says.
    pub fn start(session: &Session, plan: fn(u32) -> Fate) -> Result<EchoServer, Failure> {
        let server = UdpServer::start(session, "a reference echo server", move |parts| {
            serve(&parts.socket, &parts.other, plan, &parts.log, &parts.stop)
        })?;
        let addr = server.addr;
        session.note(format!("echo server: reference echo server listening on {addr}"));
        Ok(EchoServer { addr, server })
    }

    /// Stops the server and returns every datagram it received, in order.
    pub fn finish(self) -> Vec<Received> {
        self.server.finish()
    }
}

fn serve(
    socket: &UdpSocket,
    forger: &UdpSocket,
    plan: fn(u32) -> Fate,
    log: &Transcript,
    stop: &Arc<AtomicBool>,
) -> Vec<Received> {
    let started = Instant::now();
    let mut received = Vec::new();
    let mut buf = vec![0; 65_535];
    while let Some((len, from)) =
        receive_until_stopped(socket, &mut buf, started, stop, log, "echo server")
    {
        let bytes = buf[..len].to_vec();
        received.push(Received { bytes: bytes.clone(), from });
        let n = received.len() as u32;
        let fate = plan(n);
        log.note(format!(
            "echo server: ← datagram #{n} {} from {from}: {}",
            show(&bytes),
            says(fate)
        ));
        match fate {
            Fate::Echo => send(socket, &bytes, from, log, "echo"),
            Fate::Drop => {}
            Fate::Delay(after) => later(socket, bytes, from, after, log),
            Fate::Twice(after) => {
                send(socket, &bytes, from, log, "echo");
                later(socket, bytes, from, after, log);
            }
            Fate::Pester => pester(socket, from, log, stop),
            Fate::Forged(after) => {
                send(forger, &bytes, from, log, "forged echo");
                later(socket, bytes, from, after, log);
            }
        }
    }
    received
}

fn says(fate: Fate) -> String {
    match fate {
        Fate::Echo => "echoes it at once".into(),
        Fate::Drop => "drops it (lost)".into(),
        Fate::Delay(after) => format!("echoes it after {after:?}"),
        Fate::Twice(after) => format!("echoes it at once, and again after {after:?}"),
        Fate::Pester => "never echoes it, but sends a stale `ping 0 0` every 50ms".into(),
        Fate::Forged(after) => {
            format!("a forger echoes it at once from another port; the server after {after:?}")
        }
    }
}

fn send(socket: &UdpSocket, bytes: &[u8], to: SocketAddr, log: &Transcript, what: &str) {
    let from = socket.local_addr().map_or_else(|_| "?".into(), |a| a.to_string());
    log.note(format!("echo server: → {what} {} from {from} to {to}", show(bytes)));
    if let Err(err) = socket.send_to(bytes, to) {
        log.note(format!("echo server: ✗ send failed: {err}"));
    }
}

fn later(socket: &UdpSocket, bytes: Vec<u8>, to: SocketAddr, after: Duration, log: &Transcript) {
    let (Ok(socket), log) = (socket.try_clone(), log.clone()) else { return };
    thread::spawn(move || {
        // A deliberate delay: this is the network being slow.
        thread::sleep(after);
        send(&socket, &bytes, to, &log, &format!("late echo ({after:?})"));
    });
}

fn pester(socket: &UdpSocket, to: SocketAddr, log: &Transcript, stop: &Arc<AtomicBool>) {
    let (Ok(socket), log, stop) = (socket.try_clone(), log.clone(), Arc::clone(stop)) else {
        return;
    };
    thread::spawn(move || {
        let started = Instant::now();
        let mut sent = 0;
        while !stop.load(Ordering::Relaxed) && started.elapsed() < WAIT {
            let _ = socket.send_to(b"ping 0 0", to);
            sent += 1;
            thread::sleep(Duration::from_millis(50));
        }
        log.note(format!("echo server: sent {sent} stale echoes `ping 0 0` to {to}"));
    });
}
