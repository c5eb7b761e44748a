//! The progress summary printed after the checks: chapter by chapter, which exercises
//! are done, and which one to do next.

use std::fmt::Write as _;

use crate::harness::{Outcome, Verdict};
use crate::registry::{EXERCISES, Exercise};

/// Where an exercise stands, from the verdicts of its checks that ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Every check passed.
    Done,
    /// Some work is there: at least one check passed or failed on real code.
    Started {
        /// Checks that passed.
        passed: usize,
        /// Checks that ran.
        of: usize,
    },
    /// Every check met an untouched `todo!()`.
    NotStarted,
}

impl Standing {
    /// The standing of an exercise from the verdicts of its checks that ran, or `None`
    /// if none ran.
    pub fn of(verdicts: impl IntoIterator<Item = Verdict>) -> Option<Standing> {
        let verdicts: Vec<Verdict> = verdicts.into_iter().collect();
        let passed = verdicts.iter().filter(|v| **v == Verdict::Pass).count();
        match verdicts.len() {
            0 => None,
            of if passed == of => Some(Standing::Done),
            _ if verdicts.iter().all(|v| *v == Verdict::NotDone) => Some(Standing::NotStarted),
            of => Some(Standing::Started { passed, of }),
        }
    }
}

/// The standing of `exercise`, or `None` if none of its checks ran.
pub fn standing(exercise: &Exercise, outcomes: &[Outcome]) -> Option<Standing> {
    Standing::of(outcomes.iter().filter(|o| o.check.exercise == exercise.name).map(|o| o.verdict))
}

/// The summary for the crate `krate`, over the checks that ran.
pub fn summary(krate: &str, outcomes: &[Outcome]) -> String {
    let ran: Vec<(&Exercise, Standing)> =
        EXERCISES.iter().filter_map(|e| standing(e, outcomes).map(|s| (e, s))).collect();
    let done = ran.iter().filter(|(_, s)| *s == Standing::Done).count();
    let mut text = format!("\nprogress: {done}/{} exercises done\n", ran.len());
    // The model answers are only worth pointing to from another crate's run.
    let compare = krate != "solutions";
    let mut chapter = "";
    for (exercise, standing) in &ran {
        if exercise.chapter != chapter {
            chapter = exercise.chapter;
            let _ = writeln!(text, "  {} (book/src/{chapter})", exercise.chapter_title);
            // Once an exercise of the chapter is done: where to read on.
            let done_here = ran.iter().any(|(e, s)| e.chapter == chapter && *s == Standing::Done);
            if done_here && compare {
                let _ = writeln!(
                    text,
                    "    read on: \"Further reading\" at the end of book/src/{chapter}"
                );
            }
        }
        let state = match standing {
            Standing::Done if compare => format!(
                "done; compare with the model answer: git diff --no-index solutions/{file} {krate}/{file}",
                file = exercise.file()
            ),
            Standing::Done => "done".to_string(),
            Standing::Started { passed, of } => format!("started, {passed}/{of} checks pass"),
            Standing::NotStarted => "not started".to_string(),
        };
        let mark = if *standing == Standing::Done { "✓" } else { " " };
        let _ = writeln!(text, "    {mark} {:<20} {state}", exercise.name);
    }
    match ran.iter().find(|(_, s)| *s != Standing::Done) {
        Some((next, standing)) => {
            let _ = write!(
                text,
                "\nnext: {name}: read \"{title}\" (book/src/{chapter}), then open {krate}/{file}\n",
                name = next.name,
                file = next.file(),
                title = next.chapter_title,
                chapter = next.chapter,
            );
            let todo = outcomes
                .iter()
                .find(|o| o.check.exercise == next.name)
                .and_then(|o| o.todo_at.as_ref());
            if let Some(at) = todo {
                let _ = writeln!(text, "  the first todo!() it meets: {at}");
            }
            let _ = writeln!(text, "  its checks alone: cargo test -p {krate} -- {}", next.name);
            // The hint once the learner has tried and a check found a mistake, once per run.
            let failed = outcomes
                .iter()
                .any(|o| o.check.exercise == next.name && o.verdict == Verdict::Fail);
            if matches!(standing, Standing::Started { .. }) && failed {
                let _ = writeln!(
                    text,
                    "  hint (book/src/hints/{}.md): {}",
                    next.name,
                    next.hint_text()
                );
            }
        }
        None if ran.len() == EXERCISES.len() => {
            text.push_str("\nevery exercise is done. Well done!\n")
        }
        None => {}
    }
    text
}
