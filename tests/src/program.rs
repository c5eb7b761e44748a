//! The program under test, run as a child process: `<bin> <program> <addr>`.
//!
//! A [`Running`] program is killed and reaped when it is dropped, whether its check
//! passed, failed or panicked, so nothing is left running. Its stdout is read line by
//! line on a thread of its own, so every read of it has a timeout.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::process::{Child, ChildStdin, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::peer::show_at_most;
use crate::session::{Failure, Panic, Session, Transcript, WAIT, is_todo_message};

/// A program under test, running.
pub struct Running {
    child: Child,
    command: String,
    stdin: Option<ChildStdin>,
    stdout: Receiver<String>,
    stderr: Arc<Mutex<String>>,
    stderr_reader: Option<JoinHandle<()>>,
    log: Transcript,
}

impl Session {
    /// Starts `program ADDR` with piped stdin, stdout and stderr.
    pub fn start(&self, program: &str, addr: &str) -> Result<Running, Failure> {
        self.start_with(program, &[addr])
    }

    /// Starts `program ARGS...` with piped stdin, stdout and stderr.
    pub fn start_with(&self, program: &str, args: &[&str]) -> Result<Running, Failure> {
        let command = format!("cargo run -p {} -- {program} {}", self.krate, shell_words(args));
        self.note(format!("$ {command}"));
        let mut child = Command::new(&self.bin)
            .arg(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|err| {
                self.wrong("the program to start", format!("it could not be started: {err}"))
            })?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        let (tx, lines) = mpsc::channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut line = String::new();
                match reader.read_line(&mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        if tx.send(line).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        let collected = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&collected);
        // Read as it comes, so that a panic of a thread is on record while the program runs.
        let stderr_reader = thread::spawn(move || {
            let mut stderr = stderr;
            let mut chunk = [0; 4096];
            while let Ok(len @ 1..) = stderr.read(&mut chunk) {
                let text = String::from_utf8_lossy(&chunk[..len]);
                sink.lock().unwrap_or_else(|e| e.into_inner()).push_str(&text);
            }
        });
        Ok(Running {
            child,
            command,
            stdin,
            stdout: lines,
            stderr: collected,
            stderr_reader: Some(stderr_reader),
            log: self.log.clone(),
        })
    }
}

impl Running {
    /// Waits for the readiness line `listening on <addr>` and returns the address.
    pub fn listening(&mut self, session: &Session) -> Result<SocketAddr, Failure> {
        let line = self.line(session, "the readiness line `listening on <address>`")?;
        let text = line.trim_end();
        text.strip_prefix("listening on ")
            .and_then(|addr| addr.parse().ok())
            .ok_or_else(|| {
                session.wrong(
                    "the first line on stdout to be `listening on <address>`, such as `listening on 127.0.0.1:5000`",
                    "the readiness line is printed by src/cli.rs; print nothing else to stdout before it",
                )
            })
    }

    /// Waits up to [`WAIT`] for the next line on stdout; `waiting_for` says what it should be.
    pub fn line(&mut self, session: &Session, waiting_for: &str) -> Result<String, Failure> {
        match self.stdout.recv_timeout(WAIT) {
            Ok(line) => {
                // Long enough for any good line; a runaway one is cut short.
                session.note(format!("← stdout: {}", show_at_most(line.as_bytes(), 200)));
                Ok(line)
            }
            Err(RecvTimeoutError::Timeout) => {
                session.note(format!(
                    "… no line on stdout within {WAIT:?} (waiting for {waiting_for})"
                ));
                Err(session.wrong(
                    format!("{waiting_for} on stdout"),
                    "output that is buffered and never flushed (a `BufWriter` or `print!` without \
                     `flush()`), or a program stuck waiting for something else",
                ))
            }
            Err(RecvTimeoutError::Disconnected) => Err(self.ended(session, waiting_for)),
        }
    }

    /// The program closed its stdout: it has ended. Says why, from its exit and stderr.
    fn ended(&mut self, session: &Session, waiting_for: &str) -> Failure {
        let status = self.wait_for_exit(WAIT);
        self.verdict_on_end(session, status, waiting_for).unwrap_or_else(|| {
            session.wrong(waiting_for, "the program closed its stdout but kept running")
        })
    }

    /// Turns a failure seen from outside into the right verdict when the program has
    /// ended: an untouched `todo!()` is "not done", a panic is named as such.
    pub fn explain(&mut self, session: &Session, failure: Failure) -> Failure {
        let status = self.wait_for_exit(Duration::from_millis(300));
        match (self.verdict_on_end(session, status, "the rest of the check"), failure) {
            (Some(not_done @ Failure::NotDone { .. }), _) => not_done,
            (Some(Failure::Wrong { mistake, .. }), Failure::Wrong { expected, .. })
                if mistake.contains("panicked") =>
            {
                Failure::Wrong { expected, mistake }
            }
            (_, failure) => failure,
        }
    }

    fn verdict_on_end(
        &mut self,
        session: &Session,
        status: Option<ExitStatus>,
        waiting_for: &str,
    ) -> Option<Failure> {
        let status = status?;
        let stderr = self.stderr();
        session.note(format!(
            "✗ the program ended ({status}) while the check waited for {waiting_for}"
        ));
        if !stderr.is_empty() {
            session.note(format!("  its stderr:\n{}", indent(&stderr)));
        }
        if is_todo_message(&stderr) {
            return Some(Failure::NotDone { at: todo_location(&stderr) });
        }
        let mistake = if stderr.contains("panicked") {
            "the program panicked: an `unwrap()` or `expect()` on an error; return it with `?`"
        } else {
            "the program returned too early: a missing loop, or an error returned with `?`"
        };
        Some(session.wrong(format!("{waiting_for} before the program ends"), mistake))
    }

    /// Writes `text` to the program's stdin.
    pub fn type_in(&mut self, text: &str) {
        self.log.note(format!("→ stdin: {text:?}"));
        if let Some(stdin) = self.stdin.as_mut() {
            let _ = stdin.write_all(text.as_bytes()).and_then(|()| stdin.flush());
        }
    }

    /// Closes the program's stdin: the end of its input.
    pub fn close_stdin(&mut self) {
        self.log.note("→ stdin closed (end of input)");
        self.stdin = None;
    }

    /// Waits up to [`WAIT`] for the program to exit by itself, and fails unless it exits with 0.
    pub fn exits_successfully(&mut self, session: &Session, after: &str) -> Result<(), Failure> {
        match self.wait_for_exit(WAIT) {
            Some(status) if status.success() => {
                session.note(format!("← exited with {status}"));
                Ok(())
            }
            Some(status) => {
                let stderr = self.stderr();
                session.note(format!("← exited with {status}; stderr:\n{}", indent(&stderr)));
                if is_todo_message(&stderr) {
                    return Err(Failure::NotDone { at: todo_location(&stderr) });
                }
                Err(session.wrong(
                    format!("exit status 0 after {after}"),
                    "an error returned after the work was done",
                ))
            }
            None => {
                session.note(format!("… still running {WAIT:?} after {after}"));
                Err(session.wrong(
                    format!("the program to end by itself after {after}"),
                    "a loop that does not stop there",
                ))
            }
        }
    }

    /// Ends the program (once its threads have settled) and returns every line it wrote
    /// to stdout that no check has read yet: all of them, since its stdout is then closed.
    pub fn stdout_at_the_end(&mut self) -> Vec<String> {
        settle_down(self.child.id(), Duration::from_secs(1));
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut rest = Vec::new();
        while let Ok(line) = self.stdout.recv_timeout(Duration::from_secs(1)) {
            rest.push(line);
        }
        rest
    }

    /// Whether the program is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// What the program wrote to stderr, once it has ended.
    pub fn stderr(&mut self) -> String {
        if let Some(reader) = self.stderr_reader.take() {
            let _ = reader.join();
        }
        self.stderr.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn wait_for_exit(&mut self, wait: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + wait;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return Some(status),
                Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(5)),
                _ => return None,
            }
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // What the check set off last (a reset, a close) may still be running its course
        // in a thread of the program: let it finish, so that a panic it ends in is seen.
        settle_down(self.child.id(), Duration::from_secs(1));
        // Killing an exited child is harmless; waiting reaps it so no zombie is left.
        let _ = self.child.kill();
        let _ = self.child.wait();
        if self.child.try_wait().is_err() {
            eprintln!("could not reap `{}`", self.command);
        }
        // Once the program is gone its stderr ends: all of it is read, and a panic in any
        // of its threads, even one it survived, goes on record for the verdict.
        let deadline = Instant::now() + Duration::from_secs(1);
        while self.stderr_reader.as_ref().is_some_and(|r| !r.is_finished()) {
            if Instant::now() >= deadline {
                break;
            }
            thread::sleep(Duration::from_millis(2));
        }
        let stderr = self.stderr.lock().unwrap_or_else(|e| e.into_inner()).clone();
        record_panics(&self.log, &stderr);
    }
}

/// Waits up to `at_most` until no thread of the process `pid` is running or ready to
/// run: every one waits on a socket, a sleep or a lock, or has ended. Only Linux shows a
/// process's threads (in /proc); elsewhere it returns at once.
fn settle_down(pid: u32, at_most: Duration) {
    let deadline = Instant::now() + at_most;
    let busy = || -> Option<bool> {
        let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).ok()?;
        let mut any = false;
        for task in tasks.flatten() {
            let stat = std::fs::read_to_string(task.path().join("stat")).unwrap_or_default();
            // `pid (name) S ...`: the state follows the name, which may hold spaces.
            let state = stat.rsplit_once(") ").and_then(|(_, rest)| rest.chars().next());
            any |= matches!(state, Some('R' | 'D'));
        }
        Some(any)
    };
    while busy() == Some(true) && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(1));
    }
}

/// Puts every panic that `stderr` shows on the transcript's record, with its stderr.
fn record_panics(log: &Transcript, stderr: &str) {
    let panics = panics_in(stderr);
    if !panics.is_empty() && !log.events().iter().any(|e| e.contains("its stderr")) {
        // Without the backtraces, which name the grader's and std's frames mostly.
        let shown: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.starts_with("  ") && !l.starts_with("stack backtrace:"))
            .filter(|l| !l.starts_with("note: ") || !l.contains("backtrace"))
            .collect();
        log.note(format!("  the program's stderr:\n{}", indent(&shown.join("\n"))));
    }
    for panic in panics {
        log.panic_seen(panic);
    }
}

/// The panics a program's stderr shows: `thread '…' panicked at <file:line:col>:` and
/// the message on the next line.
pub fn panics_in(stderr: &str) -> Vec<Panic> {
    let lines: Vec<&str> = stderr.lines().collect();
    lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let at = line.split(" panicked at ").nth(1)?;
            let (location, message) = match at.strip_suffix(':') {
                Some(location) => (location, lines.get(i + 1).copied().unwrap_or("")),
                // The older form: `panicked at 'message', file:line:col`.
                None => match at.rsplit_once(", ") {
                    Some((message, location)) => (location, message.trim_matches('\'')),
                    None => (at, ""),
                },
            };
            Some(Panic { location: location.to_string(), message: message.to_string() })
        })
        .collect()
}

/// The outcome of a program run to its end by [`Session::run_to_end`].
pub struct Finished {
    /// Exit status, stdout and stderr.
    pub output: Output,
}

impl Finished {
    /// Its stdout, as text.
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    /// Its stderr, as text.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
}

impl Session {
    /// Runs `program ADDR` with `stdin` as its whole input until it ends, killing it after
    /// [`WAIT`]. An untouched `todo!()` becomes [`Failure::NotDone`].
    pub fn run_to_end(&self, program: &str, addr: &str, stdin: &str) -> Result<Finished, Failure> {
        self.run_with_args_to_end(program, &[addr], stdin)
    }

    /// Runs `program ARGS...` with `stdin` as its whole input until it ends, as
    /// [`Session::run_to_end`] does, for the programs that take more than an address.
    pub fn run_with_args_to_end(
        &self,
        program: &str,
        args: &[&str],
        stdin: &str,
    ) -> Result<Finished, Failure> {
        self.run_with_bytes_to_end(program, args, stdin.as_bytes())
    }

    /// Runs `program ARGS...` with `stdin`, which need not be UTF-8, as its whole input,
    /// as [`Session::run_to_end`] does.
    pub fn run_with_bytes_to_end(
        &self,
        program: &str,
        args: &[&str],
        stdin: &[u8],
    ) -> Result<Finished, Failure> {
        let shown = match std::str::from_utf8(stdin) {
            Ok(text) => format!("{text:?}"),
            Err(_) => format!("{:?} (not UTF-8)", String::from_utf8_lossy(stdin)),
        };
        self.note(format!(
            "$ printf {shown} | cargo run -p {} -- {program} {}",
            self.krate,
            shell_words(args)
        ));
        let output = assert_cmd::Command::new(&self.bin)
            .arg(program)
            .args(args)
            .write_stdin(stdin)
            .timeout(WAIT)
            .output()
            .map_err(|err| {
                self.wrong("the program to run", format!("it could not be started: {err}"))
            })?;
        let finished = Finished { output };
        let (stdout, stderr) = (finished.stdout(), finished.stderr());
        let status = finished.output.status;
        let status_text = match status.code() {
            Some(code) => format!("exit code {code}"),
            None => format!("killed after {WAIT:?}: it did not end by itself"),
        };
        self.note(format!("← {status_text}; stdout: {stdout:?}"));
        if !stderr.is_empty() {
            self.note(format!("  its stderr:\n{}", indent(&stderr)));
        }
        if is_todo_message(&stderr) {
            return Err(Failure::NotDone { at: todo_location(&stderr) });
        }
        for panic in panics_in(&stderr) {
            self.log.panic_seen(panic);
        }
        if status.code().is_none() {
            return Err(self.wrong(
                "the program to end by itself",
                "it was still running: a loop that does not stop at the end of its input (or, in \
                 the chat programs, after `bye`), or a read that waits for what never comes (an \
                 answer to a request still held in a `BufWriter` that is never flushed, or the \
                 end of a connection that the other side keeps open); its transcript above shows \
                 where it stopped",
            ));
        }
        Ok(finished)
    }
}

/// `file:line:col` from a panic message on stderr, or the whole first line.
fn todo_location(stderr: &str) -> String {
    stderr
        .lines()
        .find_map(|line| line.split(" panicked at ").nth(1))
        .map(|rest| rest.trim_end_matches(':').to_string())
        .unwrap_or_else(|| stderr.lines().next().unwrap_or("").to_string())
}

/// Arguments as a shell would need them typed: an empty or spaced one in quotes.
fn shell_words(args: &[&str]) -> String {
    let word = |arg: &&str| {
        if arg.is_empty() || arg.contains([' ', '"', '\'', '&', '?', '#']) {
            format!("{arg:?}")
        } else {
            arg.to_string()
        }
    };
    args.iter().map(word).collect::<Vec<_>>().join(" ")
}

/// Indents every line of `text` for the transcript.
pub fn indent(text: &str) -> String {
    text.trim_end().lines().map(|l| format!("    | {l}")).collect::<Vec<_>>().join("\n")
}
