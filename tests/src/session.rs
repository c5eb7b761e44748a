//! One check's session: its transcript, its verdict, and calls into the code under test.
//!
//! Every event a check causes or sees is written to the transcript, so that a failure
//! can show the learner what was sent, what came back and what timed out.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::fmt::Display;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, Once};
use std::thread;
use std::time::Duration;

/// How long a check waits for anything the code under test should do at once:
/// an answer, a line of output, a function's return. Only wrong programs wait this long.
pub const WAIT: Duration = Duration::from_secs(3);

/// What a check concluded, other than a pass.
#[derive(Debug)]
pub enum Failure {
    /// The learner has not started this part yet: a `todo!()` was reached.
    NotDone {
        /// Where the `todo!()` is, as the panic said.
        at: String,
    },
    /// The code under test did something wrong.
    Wrong {
        /// What the check expected instead.
        expected: String,
        /// The mistake that most often causes this.
        mistake: String,
    },
}

/// The shared, growing record of one check's events. Cheap to clone into a thread.
#[derive(Clone, Debug)]
pub struct Transcript(Arc<Mutex<Log>>);

/// What a transcript holds: the events, and the panics seen in the code under test.
#[derive(Debug)]
struct Log {
    events: Vec<String>,
    /// Panics in the code under test that no call returned: in a thread a program or a
    /// function under test started, seen on a program's stderr or by the panic hook.
    panics: Vec<Panic>,
    /// The panic hook's count when the check began: later panics are this check's.
    since: u64,
}

impl Default for Transcript {
    fn default() -> Self {
        Transcript(Arc::new(Mutex::new(Log {
            events: Vec::new(),
            panics: Vec::new(),
            since: PANICS_SEEN.load(Ordering::SeqCst),
        })))
    }
}

impl Transcript {
    fn log(&self) -> std::sync::MutexGuard<'_, Log> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records one event.
    pub fn note(&self, event: impl Into<String>) {
        self.log().events.push(event.into());
    }

    /// Every event so far, in order.
    pub fn events(&self) -> Vec<String> {
        self.log().events.clone()
    }

    /// Records a panic in the code under test that no call returned (a program's stderr
    /// showed it): it fails the check, or makes it "not done" if it is a `todo!()`.
    pub fn panic_seen(&self, panic: Panic) {
        self.log().panics.push(panic);
    }
}

/// The context a check runs in.
pub struct Session {
    /// The program under test: the `exercises` or `solutions` binary.
    pub bin: PathBuf,
    /// The crate under test, `exercises` or `solutions`.
    pub krate: &'static str,
    /// What happened so far.
    pub log: Transcript,
}

impl Session {
    /// Records one event in the transcript.
    pub fn note(&self, event: impl Into<String>) {
        self.log.note(event);
    }

    /// A failure: what was expected instead, and the likely mistake.
    pub fn wrong(&self, expected: impl Display, mistake: impl Display) -> Failure {
        Failure::Wrong { expected: expected.to_string(), mistake: mistake.to_string() }
    }

    /// A failure for output that should have been exactly `expected`: the expected text,
    /// then the lines that differ (`-` expected, `+` what came), and the likely mistake.
    pub fn wrong_output(&self, expected: &str, got: &str, mistake: impl Display) -> Failure {
        self.wrong(format!("exactly this output:\n{expected}{}", diff(expected, got)), mistake)
    }

    /// Calls `f`, a call into the code under test, on a thread of its own, and waits up
    /// to `wait` for it to return. A `todo!()` becomes [`Failure::NotDone`]; another panic
    /// or no return in time becomes [`Failure::Wrong`], naming `what` was called.
    pub fn call<T: Send + 'static>(
        &self,
        what: &str,
        wait: Duration,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Failure> {
        let (tx, rx) = mpsc::channel();
        let job: Job = Box::new(move || {
            let _ = tx.send(catch_panic(f));
        });
        let caller = match Caller::free_or_new().and_then(|caller| caller.run(job)) {
            Ok(caller) => caller,
            Err(err) => {
                return Err(self.wrong(
                    format!("{what} to run"),
                    format!("the grader could not start a thread: {err}"),
                ));
            }
        };
        match rx.recv_timeout(wait) {
            Ok(result) => {
                // Free again: the next call of this check thread may use it. (One that did
                // not return in time is dropped, stuck, and the next call starts another.)
                caller.keep();
                match result {
                    Ok(value) => Ok(value),
                    Err(panic) => Err(self.panicked(what, panic)),
                }
            }
            Err(_) => {
                // A machine loaded far beyond two CPU hogs can hold even a `todo!()` back
                // that long: a little more time tells a stub, which must read "not done
                // yet", from a loop.
                if let Ok(Err(panic)) = rx.recv_timeout(wait.min(Duration::from_secs(1))) {
                    if panic.is_todo() {
                        return Err(Failure::NotDone { at: panic.location });
                    }
                }
                self.note(format!("… {what} had not returned after {wait:?}"));
                Err(self.wrong(
                    format!("{what} to return within {wait:?}"),
                    "a loop that does not stop, or a blocking read or accept that waits for \
                     something the check never sends",
                ))
            }
        }
    }

    /// Turns a panic in the code under test into a verdict.
    pub fn panicked(&self, what: &str, panic: Panic) -> Failure {
        if panic.is_todo() {
            return Failure::NotDone { at: panic.location };
        }
        self.note(format!("✗ {what} panicked at {}: {}", panic.location, panic.message));
        self.wrong(
            format!("{what} to return a value or an error, not to panic"),
            "a panic: an `unwrap()` or `expect()` on a value that was not there, an index out \
             of range (a slice past the end, or through a character, too), or an arithmetic \
             overflow; the panic's line above says which: handle that case there instead of \
             panicking",
        )
    }
}

impl Session {
    /// The verdict on a check that has ended, given what it concluded itself: a panic in
    /// any thread of the code under test fails it (the panic named as the cause), and a
    /// `todo!()` reached in any thread makes it "not done", even when the check saw
    /// nothing wrong from outside. `exercise` names the files whose panics are its own.
    pub fn settle(&self, exercise: &str, outcome: Result<(), Failure>) -> Result<(), Failure> {
        let file = format!("src/{exercise}.rs");
        let since = self.log.log().since;
        let mut panics: Vec<Panic> = std::mem::take(&mut self.log.log().panics);
        let others = OTHER_THREADS.lock().unwrap_or_else(|e| e.into_inner());
        panics.extend(
            others
                .iter()
                .filter(|(seen, panic)| *seen > since && panic.location.contains(&file))
                .map(|(_, panic)| panic.clone()),
        );
        drop(others);
        if matches!(outcome, Err(Failure::NotDone { .. })) {
            return outcome;
        }
        if let Some(todo) = panics.iter().find(|p| p.is_todo()) {
            return Err(Failure::NotDone { at: todo.location.clone() });
        }
        let Some(panic) = panics.first() else { return outcome };
        let already_said = |text: &str| text.contains("panic");
        let (expected, before) = match outcome {
            Ok(()) => ("no panic in any thread of the code under test".to_string(), None),
            Err(Failure::Wrong { expected, mistake })
                if already_said(&expected) || already_said(&mistake) =>
            {
                return Err(Failure::Wrong { expected, mistake });
            }
            Err(Failure::Wrong { expected, mistake }) => (expected, Some(mistake)),
            Err(not_done) => return Err(not_done),
        };
        self.note(format!(
            "✗ a thread of the code under test panicked at {}: {}",
            panic.location, panic.message
        ));
        let mut mistake = format!(
            "a thread panicked at {}: {}. An `unwrap()`, `expect()` or index out of range, \
             perhaps in a thread of its own that serves one client; handle the error there \
             (report it on stderr and end that client) instead of panicking",
            panic.location, panic.message
        );
        if let Some(before) = before {
            mistake.push_str(&format!(" (what the check saw besides: {before})"));
        }
        Err(Failure::Wrong { expected, mistake })
    }
}

/// How many panics the hook has seen in threads that no `catch_panic` watches.
static PANICS_SEEN: AtomicU64 = AtomicU64::new(0);

/// The panics in the code under test from threads that no `catch_panic` watches (threads
/// the code under test started), each with its number in [`PANICS_SEEN`].
static OTHER_THREADS: Mutex<Vec<(u64, Panic)>> = Mutex::new(Vec::new());

/// Whether a panic's location is in the code under test, not in the grader or std.
fn in_code_under_test(location: &str) -> bool {
    ["exercises/src/", "solutions/src/", "mistakes/src/"]
        .iter()
        .any(|dir| location.replace('\\', "/").contains(dir))
}

/// A panic caught from the code under test.
#[derive(Clone, Debug)]
pub struct Panic {
    /// The panic's message.
    pub message: String,
    /// `file:line:column` of the panic.
    pub location: String,
}

impl Panic {
    /// Whether this is an untouched `todo!()` (or `unimplemented!()`).
    pub fn is_todo(&self) -> bool {
        is_todo_message(&self.message)
    }
}

/// A call into the code under test, as the thread that runs it takes it.
type Job = Box<dyn FnOnce() + Send>;

/// The thread that runs a check thread's calls into the code under test, one after the
/// other. Starting a thread for every call cost more than most calls themselves (a run
/// makes about two thousand); a call that does not return in time keeps its thread,
/// and the next call starts a new one.
struct Caller {
    jobs: mpsc::Sender<Job>,
}

thread_local! {
    /// This check thread's caller, when it is free.
    static CALLER: RefCell<Option<Caller>> = const { RefCell::new(None) };
}

impl Caller {
    /// This check thread's free caller, or a new one.
    fn free_or_new() -> std::io::Result<Caller> {
        if let Some(caller) = CALLER.take() {
            return Ok(caller);
        }
        let (jobs, queue) = mpsc::channel::<Job>();
        thread::Builder::new().name("calling the code under test".into()).spawn(move || {
            for job in queue {
                job();
            }
        })?;
        Ok(Caller { jobs })
    }

    /// Hands `job` to this caller's thread.
    fn run(self, job: Job) -> std::io::Result<Caller> {
        // Its thread ends only when the caller is dropped, so the send cannot fail.
        self.jobs.send(job).map_err(|_| std::io::Error::other("the caller's thread has ended"))?;
        Ok(self)
    }

    /// Keeps this caller, free, for the check thread's next call.
    fn keep(self) {
        CALLER.set(Some(self));
    }
}

/// Whether a panic message, or a program's stderr, comes from `todo!()` or `unimplemented!()`.
pub fn is_todo_message(text: &str) -> bool {
    text.contains("not yet implemented") || text.contains("not implemented")
}

thread_local! {
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    static CAUGHT: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}

/// Runs `f`, catching a panic quietly (no message on stderr) as a [`Panic`].
pub fn catch_panic<T>(f: impl FnOnce() -> T) -> Result<T, Panic> {
    install_quiet_hook();
    CAPTURING.set(true);
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CAPTURING.set(false);
    result.map_err(|payload| {
        let (message, location) =
            CAUGHT.take().unwrap_or_else(|| (payload_text(&*payload), "an unknown place".into()));
        Panic { message, location }
    })
}

fn payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".into()
    }
}

/// Panics inside `catch_panic` are recorded instead of printed, and so are panics in the
/// code under test on threads it started (for [`Session::settle`]); all others print as
/// usual.
pub fn install_quiet_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let location =
                info.location().map_or_else(|| "an unknown place".into(), |l| l.to_string());
            if CAPTURING.get() {
                CAUGHT.set(Some((payload_text(info.payload()), location)));
            } else if in_code_under_test(&location) {
                let panic = Panic { message: payload_text(info.payload()), location };
                let mut others = OTHER_THREADS.lock().unwrap_or_else(|e| e.into_inner());
                let seen = PANICS_SEEN.fetch_add(1, Ordering::SeqCst) + 1;
                others.push((seen, panic));
            } else {
                default(info);
            }
        }));
    });
}

/// The lines that differ between `expected` and `got`, as a unified diff (`-` expected,
/// `+` got), or nothing if they are the same.
pub fn diff(expected: &str, got: &str) -> String {
    use predicates::Predicate;
    predicates::str::diff(expected.to_owned())
        .find_case(false, got)
        .and_then(|case| {
            case.products().find(|p| p.name() == "diff").map(|p| p.value().to_string())
        })
        .map(|diff| {
            // Without difflib's file headers: what differs is what the learner needs.
            let lines = diff
                .lines()
                .filter(|l| !l.is_empty() && !l.starts_with("---") && !l.starts_with("+++"));
            lines.fold(String::from("\nlines that differ (- expected, + got):"), |text, line| {
                text + "\n" + line
            })
        })
        .unwrap_or_default()
}
