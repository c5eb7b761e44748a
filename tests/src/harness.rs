//! The test harness: runs the checks against one crate with cargo test's command line,
//! words each verdict for the learner, and prints libtest's closing line.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use libtest_mimic::Arguments;

use crate::registry::{Exercise, exercise};
use crate::session::{Failure, Session, Transcript, catch_panic};

/// One check: a behaviour of one exercise, and the function that tests it.
#[derive(Clone, Copy)]
pub struct Check {
    /// The exercise it belongs to, by its name in the registry.
    pub exercise: &'static str,
    /// What the check demands, as a snake_case phrase.
    pub name: &'static str,
    /// The check itself.
    pub run: fn(&Session) -> Result<(), Failure>,
}

impl Check {
    /// The check's name, as `cargo test` filters see it: `exercise::name`.
    pub fn full_name(&self) -> String {
        format!("{}::{}", self.exercise, self.name)
    }
}

/// The checks of one exercise, each named after its function:
/// `checks!("udp_receiver": binds_the_address_it_is_given, exits_after_bye)`.
#[macro_export]
macro_rules! checks {
    ($exercise:literal: $($check:ident),* $(,)?) => {
        &[$($crate::Check { exercise: $exercise, name: stringify!($check), run: $check }),*]
    };
}

/// A check's verdict, as the machine-readable report writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// It passed.
    Pass,
    /// It reached an untouched `todo!()`.
    NotDone,
    /// It failed.
    Fail,
}

/// Runs `checks` against the crate `krate` whose binary is `bin`, with cargo test's usual
/// command line (a filter, `--exact`, `--skip`, `--list`, `--test-threads`, `--quiet`),
/// and prints libtest's closing line. Output is grouped by exercise: an exercise not
/// started takes one line, and only real failures print their transcripts. Writes the
/// results files the environment asks for ([`crate::results::Report::write_requested`]).
/// If `GRADER_TIMINGS` is set, prints the ten slowest checks and their durations on stderr.
pub fn run(bin: &str, krate: &'static str, checks: Vec<Check>) -> ExitCode {
    let (args, filters) = arguments();
    let total = checks.len();
    let mut selected: Vec<Check> =
        checks.into_iter().filter(|c| is_selected(&args, &filters, c)).collect();
    // In the registry's order, the order a learner works in.
    selected.sort_by_key(|c| crate::registry::EXERCISES.iter().position(|e| e.name == c.exercise));
    if args.list {
        for check in &selected {
            println!("{}: test", check.full_name());
        }
        return ExitCode::SUCCESS;
    }
    let filtered_out = total - selected.len();
    let started = Instant::now();
    let plural = if selected.len() == 1 { "" } else { "s" };
    println!("\nrunning {} check{plural} against `{krate}`", selected.len());
    // Most checks wait on sockets and timers, not the CPU: many at once keep the loop short
    // (on two cores, 32 threads took the phase from 1.4 s to 0.76 s when one thread a check
    // was the rule; more threads gain nothing).
    let threads = args.test_threads.unwrap_or(32).max(1);
    let outcomes = run_all(selected, threads, &PathBuf::from(bin), krate);
    print!("{}", results(&outcomes, args.quiet));
    let failed = outcomes.iter().filter(|o| o.verdict != Verdict::Pass).count();
    println!(
        "\ntest result: {}. {} passed; {failed} failed; 0 ignored; 0 measured; {filtered_out} filtered out; finished in {:.2}s",
        if failed == 0 { "ok" } else { "FAILED" },
        outcomes.len() - failed,
        started.elapsed().as_secs_f64(),
    );
    if std::env::var_os("GRADER_TIMINGS").is_some() {
        let mut slowest: Vec<&Outcome> = outcomes.iter().collect();
        slowest.sort_by_key(|o| std::cmp::Reverse(o.took));
        for outcome in slowest.iter().take(10) {
            eprintln!("{:>8.3}s {}", outcome.took.as_secs_f64(), outcome.check.full_name());
        }
    }
    // Every file format comes from this one report, written even when checks fail.
    crate::results::Report::from_outcomes(krate, &outcomes).write_requested();
    // The tab-separated report is read by a program, which wants no summary around it.
    if std::env::var_os("GRADER_REPORT").is_none() && !outcomes.is_empty() {
        print!("{}", crate::progress::summary(krate, &outcomes));
    }
    if failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(101) }
}

/// The command line as libtest reads it, and its filters: like libtest, and unlike
/// libtest-mimic, any number of them (`cargo test -p exercises -- udp_receiver udp_sender`).
fn arguments() -> (Arguments, Vec<String>) {
    // Flags that take a value; everything else that does not start with `-` is a filter.
    const WITH_VALUE: &[&str] =
        &["--test-threads", "--skip", "--format", "--color", "--logfile", "-Z"];
    let mut rest = Vec::new();
    let mut filters = Vec::new();
    let mut takes_value = false;
    for arg in std::env::args() {
        if rest.is_empty() || takes_value || arg.starts_with('-') {
            takes_value = !takes_value && WITH_VALUE.contains(&arg.as_str());
            rest.push(arg);
        } else {
            filters.push(arg);
        }
    }
    (Arguments::from_iter(rest), filters)
}

/// Whether `check` is chosen by the command line's filters and skips, as libtest does,
/// except that a filter that is an exercise's name selects exactly that exercise.
fn is_selected(args: &Arguments, filters: &[String], check: &Check) -> bool {
    let name = check.full_name();
    // An exercise's name selects exactly its checks: `-- nat` is not `destination`.
    let is_exercise = |pattern: &str| crate::registry::EXERCISES.iter().any(|e| e.name == pattern);
    let matches = |pattern: &str| match () {
        () if args.exact => name == pattern,
        () if is_exercise(pattern) => check.exercise == pattern,
        () => name.contains(pattern),
    };
    // There are no ignored checks: `--ignored` selects none.
    !args.ignored
        && (filters.is_empty() || filters.iter().any(|f| matches(f)))
        && !args.skip.iter().any(|skip| matches(skip))
}

/// Runs the checks on `threads` threads; returns their outcomes in the checks' order.
fn run_all(checks: Vec<Check>, threads: usize, bin: &Path, krate: &'static str) -> Vec<Outcome> {
    // Started from the last exercise back: the later ones talk to programs over sockets and
    // wait on timers, and started first their waits overlap the rest instead of trailing it.
    let mut order: Vec<(usize, Check)> = checks.iter().copied().enumerate().collect();
    order.reverse();
    let queue = Mutex::new(order.into_iter());
    let done = Mutex::new(Vec::new());
    thread::scope(|scope| {
        for _ in 0..threads.min(checks.len()) {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
                    let Some((index, check)) = next else { break };
                    let outcome = judge(check, bin.to_path_buf(), krate);
                    done.lock().unwrap_or_else(|e| e.into_inner()).push((index, outcome));
                }
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, outcome)| outcome).collect()
}

/// The results, grouped by exercise, then the transcripts of the checks that failed.
fn results(outcomes: &[Outcome], quiet: bool) -> String {
    let mut text = String::new();
    let mut exercises: Vec<&str> = outcomes.iter().map(|o| o.check.exercise).collect();
    exercises.dedup();
    for name in exercises {
        let mine: Vec<&Outcome> = outcomes.iter().filter(|o| o.check.exercise == name).collect();
        // An exercise not started is one line of the progress summary, nothing more.
        if mine.iter().all(|o| o.verdict == Verdict::NotDone) {
            continue;
        }
        if quiet {
            continue;
        }
        for outcome in mine {
            let word = match outcome.verdict {
                Verdict::Pass => "ok",
                Verdict::NotDone => "not done yet",
                Verdict::Fail => "FAILED",
            };
            let _ = writeln!(text, "test {} ... {word}", outcome.check.full_name());
        }
    }
    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| o.verdict == Verdict::Fail).collect();
    if !failed.is_empty() {
        text.push_str("\nfailures:\n");
        for outcome in &failed {
            let _ =
                write!(text, "\n---- {} ----\n{}\n", outcome.check.full_name(), outcome.message);
        }
        text.push_str("\nfailures:\n");
        for outcome in &failed {
            let _ = writeln!(text, "    {}", outcome.check.full_name());
        }
    }
    let partly_done = outcomes.iter().filter(|o| o.verdict == Verdict::NotDone).filter(|o| {
        outcomes.iter().any(|other| {
            other.check.exercise == o.check.exercise && other.verdict != Verdict::NotDone
        })
    });
    for outcome in partly_done {
        let _ = writeln!(text, "{}: {}", outcome.check.full_name(), outcome.message);
    }
    text
}

/// One check's result.
pub struct Outcome {
    /// The check.
    pub check: Check,
    /// What it concluded.
    pub verdict: Verdict,
    /// Its failure message, empty if it passed.
    pub message: String,
    /// Where the `todo!()` it met is, if it met one.
    pub todo_at: Option<String>,
    /// How long it ran.
    pub took: Duration,
}

/// Runs one check and words its verdict.
fn judge(check: Check, bin: PathBuf, krate: &'static str) -> Outcome {
    let session = Session { bin, krate, log: Transcript::default() };
    let started = Instant::now();
    let outcome = catch_panic(|| (check.run)(&session))
        .unwrap_or_else(|panic| Err(session.panicked("the code under test", panic)));
    // A panic in any thread of the code under test fails the check, even one it passed.
    let outcome = session.settle(check.exercise, outcome);
    let ex = exercise(check.exercise);
    let (verdict, message, todo_at) = match outcome {
        Ok(()) => (Verdict::Pass, String::new(), None),
        Err(Failure::NotDone { at }) => (Verdict::NotDone, not_done(ex, &at), Some(at)),
        Err(Failure::Wrong { expected, mistake }) => {
            (Verdict::Fail, wrong(ex, krate, &session.log.events(), &expected, &mistake), None)
        }
    };
    Outcome { check, verdict, message, todo_at, took: started.elapsed() }
}

fn not_done(ex: &Exercise, at: &str) -> String {
    format!(
        "not done yet: the todo!() at {at}; read \"{title}\" (book/src/{chapter})",
        title = ex.chapter_title,
        chapter = ex.chapter,
    )
}

fn wrong(ex: &Exercise, krate: &str, events: &[String], expected: &str, mistake: &str) -> String {
    let mut text = String::from("what happened:\n");
    for event in events {
        let _ = writeln!(text, "  {event}");
    }
    let _ = write!(
        text,
        "expected: {expected}\n\
         likely mistake: {mistake}\n\
         open {krate}/{file} and read \"{title}\" (book/src/{chapter})",
        file = ex.file(),
        title = ex.chapter_title,
        chapter = ex.chapter,
    );
    text
}
