//! The reference echo server that the pinger's checks ping, written with plain std::net.
//!
//! Like the echo server of Kurose and Ross's pinger lab, it loses and delays datagrams
//! on purpose, but deterministically: a plan says what becomes of the n-th datagram it
//! receives (echo it, drop it, echo it late, echo it twice, ...), so every run of a check
//! sees the same network. Where an echo must come while a given ping is waited for, the plan
//! ties it to the next datagram's arrival rather than to a timer, so that a slow machine
//! cannot reorder them. The server records when it really echoed each datagram, so that a
//! round-trip time can be compared with the delay it really added. Every event goes to the
//! transcript.

use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
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
    /// Echoed at once, and again when the next datagram arrives: a duplicate that comes
    /// while the next ping is waited for, however slow the machine is.
    TwiceLater,
    /// Echoed only when the next datagram arrives, just before that one is handled: an
    /// echo that comes after its own ping was given up and before the next ping's echo.
    Later,
    /// Never echoed; instead, until the server stops, a stale echo (`ping 0 0`) every
    /// [`PESTER_EVERY`], as if the network kept delivering old echoes.
    Pester,
    /// Another socket sends the sender the same bytes at once, a forged echo from an
    /// address that is not the server's; the server echoes them after this long.
    Forged(Duration),
}

/// How often [`Fate::Pester`] sends a stale echo: far more often than any timeout a
/// check gives, so that a wait that starts again at each datagram never ends.
pub const PESTER_EVERY: Duration = Duration::from_millis(10);

/// One datagram the server received.
#[derive(Clone, Debug)]
pub struct Received {
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Its sender.
    pub from: SocketAddr,
    /// When the server had it, taken just after `recv_from` returned it.
    pub at: Instant,
    /// When the server first echoed it from its own address, taken just before
    /// `send_to`; `None` if it did not. `echoed - at` is the delay the server really
    /// added, which no true round-trip time can be shorter than.
    pub echoed: Option<Instant>,
}

impl Received {
    /// The delay the server really added before echoing it, if it did.
    pub fn held(&self) -> Option<Duration> {
        self.echoed.map(|echoed| echoed.saturating_duration_since(self.at))
    }
}

/// A running reference echo server.
pub struct EchoServer {
    /// Where it listens.
    pub addr: SocketAddr,
    server: UdpServer<Vec<Received>>,
    echoed: Echoed,
}

/// When the server's own socket first echoed datagram n, by n (from 1), and the threads
/// that echo later, so that `finish` can wait for them.
#[derive(Clone, Default)]
struct Echoed {
    times: Arc<Mutex<Vec<(u32, Instant)>>>,
    pending: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl EchoServer {
    /// Listens on a free loopback port and treats the n-th datagram (from 1) as
    /// `plan(n)` says.
    pub fn start(session: &Session, plan: fn(u32) -> Fate) -> Result<EchoServer, Failure> {
        let echoed = Echoed::default();
        let shared = echoed.clone();
        let server = UdpServer::start(session, "a reference echo server", move |parts| {
            serve(&parts.socket, &parts.other, plan, &parts.log, &parts.stop, &shared)
        })?;
        let addr = server.addr;
        session.note(format!("echo server: reference echo server listening on {addr}"));
        Ok(EchoServer { addr, server, echoed })
    }

    /// Stops the server, waits for the echoes it still owed (a delayed echo is sent even
    /// if the pinger gave up), and returns every datagram it received, in order.
    pub fn finish(self) -> Vec<Received> {
        let mut received = self.server.finish();
        let pending = std::mem::take(&mut *lock(&self.echoed.pending));
        for thread in pending {
            let _ = thread.join();
        }
        let times = lock(&self.echoed.times);
        for (n, got) in (1..).zip(&mut received) {
            got.echoed = times.iter().find(|(m, _)| *m == n).map(|(_, at)| *at);
        }
        received
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The server's own echo of datagram `n`: records when it went, then sends it.
struct Echo<'a> {
    socket: &'a UdpSocket,
    log: &'a Transcript,
    echoed: &'a Echoed,
}

impl Echo<'_> {
    fn send(&self, n: u32, bytes: &[u8], to: SocketAddr, what: &str) {
        lock(&self.echoed.times).push((n, Instant::now()));
        send(self.socket, bytes, to, self.log, what);
    }
}

fn serve(
    socket: &UdpSocket,
    forger: &UdpSocket,
    plan: fn(u32) -> Fate,
    log: &Transcript,
    stop: &Arc<AtomicBool>,
    echoed: &Echoed,
) -> Vec<Received> {
    let started = Instant::now();
    let echo = Echo { socket, log, echoed };
    let mut received = Vec::new();
    // Echoes held back until the next datagram arrives (`Later`, `TwiceLater`).
    let mut held: Vec<(u32, Vec<u8>, SocketAddr, &str)> = Vec::new();
    let mut buf = vec![0; 65_535];
    while let Some((len, from)) =
        receive_until_stopped(socket, &mut buf, started, stop, log, "echo server")
    {
        let at = Instant::now();
        let bytes = buf[..len].to_vec();
        received.push(Received { bytes: bytes.clone(), from, at, echoed: None });
        let n = received.len() as u32;
        let fate = plan(n);
        log.note(format!(
            "echo server: ← datagram #{n} {} from {from}: {}",
            show(&bytes),
            says(fate)
        ));
        for (m, bytes, to, what) in held.drain(..) {
            echo.send(m, &bytes, to, what);
        }
        match fate {
            Fate::Echo => echo.send(n, &bytes, from, "echo"),
            Fate::Drop => {}
            Fate::Delay(after) => later(&echo, n, bytes, from, after),
            Fate::TwiceLater => {
                echo.send(n, &bytes, from, "echo");
                held.push((n, bytes, from, "duplicate echo"));
            }
            Fate::Later => held.push((n, bytes, from, "late echo")),
            Fate::Pester => pester(socket, from, log, stop, echoed),
            Fate::Forged(after) => {
                send(forger, &bytes, from, log, "forged echo");
                later(&echo, n, bytes, from, after);
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
        Fate::TwiceLater => "echoes it at once, and again when the next datagram arrives".into(),
        Fate::Later => "echoes it only when the next datagram arrives (late)".into(),
        Fate::Pester => {
            format!("never echoes it, but sends a stale `ping 0 0` every {PESTER_EVERY:?}")
        }
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

fn later(echo: &Echo, n: u32, bytes: Vec<u8>, to: SocketAddr, after: Duration) {
    let (Ok(socket), log, echoed) =
        (echo.socket.try_clone(), echo.log.clone(), echo.echoed.clone())
    else {
        return;
    };
    let shared = echoed.clone();
    let thread = thread::spawn(move || {
        // A deliberate delay: this is the network being slow.
        thread::sleep(after);
        let echo = Echo { socket: &socket, log: &log, echoed: &shared };
        echo.send(n, &bytes, to, &format!("late echo ({after:?})"));
    });
    lock(&echoed.pending).push(thread);
}

fn pester(
    socket: &UdpSocket,
    to: SocketAddr,
    log: &Transcript,
    stop: &Arc<AtomicBool>,
    echoed: &Echoed,
) {
    let (Ok(socket), log, stop) = (socket.try_clone(), log.clone(), Arc::clone(stop)) else {
        return;
    };
    let thread = thread::spawn(move || {
        let started = Instant::now();
        let mut sent = 0;
        while !stop.load(Ordering::Relaxed) && started.elapsed() < WAIT {
            let _ = socket.send_to(b"ping 0 0", to);
            sent += 1;
            thread::sleep(PESTER_EVERY);
        }
        log.note(format!("echo server: sent {sent} stale echoes `ping 0 0` to {to}"));
    });
    lock(&echoed.pending).push(thread);
}
