//! The test harness: turns the checks into libtest trials, runs them against one crate,
//! and words each verdict for the learner.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use libtest_mimic::{Arguments, Failed, Trial};

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
    /// The trial's name, as `cargo test` filters see it: `exercise::name`.
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

/// Runs `checks` against the crate `krate` whose binary is `bin`, with cargo test's
/// usual command line (filters, `--list`, `--exact`, ...). If the environment variable
/// `GRADER_REPORT` names a file, writes one `name<TAB>verdict<TAB>message` line per check
/// run to it, the message on one line.
pub fn run(bin: &str, krate: &'static str, checks: Vec<Check>) -> ExitCode {
    let args = Arguments::from_args();
    let verdicts: Arc<Mutex<Vec<Outcome>>> = Arc::default();
    let trials = checks
        .into_iter()
        .map(|check| {
            let bin = PathBuf::from(bin);
            let verdicts = Arc::clone(&verdicts);
            Trial::test(check.full_name(), move || {
                let (verdict, result) = judge(check, bin, krate);
                let message = result.as_ref().err().and_then(|f| f.message()).unwrap_or_default();
                let outcome = Outcome { check, verdict, message: message.to_string() };
                verdicts.lock().unwrap_or_else(|e| e.into_inner()).push(outcome);
                result
            })
        })
        .collect();
    let conclusion = libtest_mimic::run(&args, trials);
    let outcomes = std::mem::take(&mut *verdicts.lock().unwrap_or_else(|e| e.into_inner()));
    if let Some(path) = std::env::var_os("GRADER_REPORT") {
        let mut report = String::new();
        for Outcome { check, verdict, message } in &outcomes {
            let _ = writeln!(
                report,
                "{}\t{verdict:?}\t{}",
                check.full_name(),
                message.replace('\n', " / ")
            );
        }
        if let Err(err) = std::fs::write(&path, report) {
            eprintln!("cannot write the report to {}: {err}", PathBuf::from(path).display());
        }
    } else if !args.list && !outcomes.is_empty() {
        print!("{}", crate::progress::summary(krate, &outcomes));
    }
    conclusion.exit_code()
}

/// One check's result.
pub struct Outcome {
    /// The check.
    pub check: Check,
    /// What it concluded.
    pub verdict: Verdict,
    /// Its failure message, empty if it passed.
    pub message: String,
}

/// Runs one check and words its verdict.
fn judge(check: Check, bin: PathBuf, krate: &'static str) -> (Verdict, Result<(), Failed>) {
    let session = Session { bin, krate, log: Transcript::default() };
    let outcome = catch_panic(|| (check.run)(&session))
        .unwrap_or_else(|panic| Err(session.panicked("the code under test", panic)));
    let ex = exercise(check.exercise);
    match outcome {
        Ok(()) => (Verdict::Pass, Ok(())),
        Err(Failure::NotDone { at }) => (Verdict::NotDone, Err(not_done(ex, &at).into())),
        Err(Failure::Wrong { expected, mistake }) => {
            let text = wrong(ex, krate, &session.log.events(), &expected, &mistake);
            (Verdict::Fail, Err(text.into()))
        }
    }
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
         open {krate}/{file} and read \"{title}\" (book/src/{chapter})\n\
         hint: {hint}",
        file = ex.file(),
        title = ex.chapter_title,
        chapter = ex.chapter,
        hint = ex.hint_text(),
    );
    text
}
