//! The verdicts in the formats other tools read, all from one [`Report`]: a results file
//! shaped like exercism's test-runner interface (version 3), JUnit XML, a Markdown
//! progress table, GitHub workflow annotations, and the tab-separated report the mistakes
//! crate reads. [`Report::write_requested`] writes the ones the environment asks for.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::harness::{Outcome, Verdict};
use crate::progress::Standing;
use crate::registry::{EXERCISES, Exercise};

/// Each exercise's points, as a teacher set them in `tests/points.txt`.
const POINTS: &str = include_str!("../points.txt");

/// The points `tests/points.txt` gives `exercise`: 0 if it is not listed.
pub fn points(exercise: &str) -> u32 {
    points_table().into_iter().find(|(name, _)| *name == exercise).map_or(0, |(_, p)| p)
}

/// Every `exercise points` line of `tests/points.txt`, in its order.
///
/// # Panics
/// If a line is not a name and a whole number: the file is the teacher's to edit, and a
/// typo must not quietly give an exercise no points.
pub fn points_table() -> Vec<(&'static str, u32)> {
    POINTS
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let mut words = line.split_whitespace();
            let (name, points) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
            let points = points
                .parse()
                .unwrap_or_else(|_| panic!("tests/points.txt: {line:?} is not `exercise points`"));
            (name, points)
        })
        .collect()
}

/// A format: the report written as a file's text.
type Render = fn(&Report) -> String;

/// One check's result, as every format writes it.
pub struct Entry {
    /// The exercise it belongs to.
    pub exercise: &'static Exercise,
    /// The check's name within its exercise.
    pub name: &'static str,
    /// What it concluded.
    pub verdict: Verdict,
    /// Its failure message, empty if it passed.
    pub message: String,
    /// The line of the exercise's file to point at: the `todo!()` or panic it met, or
    /// the function its expectation names.
    pub line: Option<u32>,
}

/// The results of one run: either the checks' verdicts, or why nothing could run.
pub struct Report {
    /// The crate under test, `exercises` or `solutions`.
    pub krate: String,
    /// Why the grader could not run (a compile error), if it could not.
    pub error: Option<Failed>,
    /// Every check that ran, in the registry's order.
    pub entries: Vec<Entry>,
}

/// Why the grader could not run, and where the compiler pointed, if it did.
pub struct Failed {
    /// What a learner needs of the compiler's message.
    pub message: String,
    /// `file` (relative to the repository) and line of the first error.
    pub at: Option<(String, u32)>,
}

/// An exercise's line in the results: where it stands and what it is worth.
pub struct Row {
    /// The exercise.
    pub exercise: &'static Exercise,
    /// Its number in the registry's order, from 1: exercism's `task_id`.
    pub task_id: usize,
    /// Where it stands.
    pub standing: Standing,
    /// Its checks that passed.
    pub passed: usize,
    /// Its checks that ran.
    pub checks: usize,
    /// What it is worth, from `tests/points.txt`.
    pub points: u32,
    /// What it earned: its points once every check passes, else 0.
    pub score: u32,
}

impl Report {
    /// The report of a run of the checks.
    pub fn from_outcomes(krate: &str, outcomes: &[Outcome]) -> Report {
        let entries = outcomes
            .iter()
            .map(|o| {
                let exercise = crate::registry::exercise(o.check.exercise);
                let place = o.todo_at.as_deref().unwrap_or(&o.message);
                Entry {
                    exercise,
                    name: o.check.name,
                    verdict: o.verdict,
                    message: o.message.clone(),
                    line: line_in(place, &format!("{krate}/{}", exercise.file())).or_else(|| {
                        (o.verdict == Verdict::Fail)
                            .then(|| function_line(exercise, &o.message))
                            .flatten()
                    }),
                }
            })
            .collect();
        Report { krate: krate.to_string(), error: None, entries }
    }

    /// The report of a run that could not happen, for `why`.
    pub fn could_not_run(krate: &str, why: Failed) -> Report {
        Report { krate: krate.to_string(), error: Some(why), entries: Vec::new() }
    }

    /// `pass`, `fail` or `error`, as exercism's interface words the whole run.
    pub fn status(&self) -> &'static str {
        match () {
            () if self.error.is_some() => "error",
            () if self.entries.iter().all(|e| e.verdict == Verdict::Pass) => "pass",
            () => "fail",
        }
    }

    /// One row per exercise whose checks ran, in the registry's order; every exercise,
    /// not started, when the grader could not run.
    pub fn rows(&self) -> Vec<Row> {
        EXERCISES
            .iter()
            .enumerate()
            .filter_map(|(index, exercise)| {
                let mine: Vec<&Entry> =
                    self.entries.iter().filter(|e| e.exercise.name == exercise.name).collect();
                if mine.is_empty() && self.error.is_none() {
                    return None;
                }
                let passed = mine.iter().filter(|e| e.verdict == Verdict::Pass).count();
                let standing =
                    Standing::of(mine.iter().map(|e| e.verdict)).unwrap_or(Standing::NotStarted);
                let points = points(exercise.name);
                let score = if standing == Standing::Done { points } else { 0 };
                Some(Row {
                    exercise,
                    task_id: index + 1,
                    standing,
                    passed,
                    checks: mine.len(),
                    points,
                    score,
                })
            })
            .collect()
    }

    /// The results file in the shape of exercism's test-runner interface, version 3,
    /// with what the format leaves room for: each test's `exercise`, and `exercises`,
    /// `score` and `max_score` for a teacher.
    pub fn json(&self) -> String {
        let tests: Vec<Value> = self
            .entries
            .iter()
            .map(|e| {
                json!({
                    "name": format!("{}::{}", e.exercise.name, e.name),
                    "test_code": format!(
                        "cargo test -p {} -- --exact {}::{}", self.krate, e.exercise.name, e.name
                    ),
                    "status": if e.verdict == Verdict::Pass { "pass" } else { "fail" },
                    "message": (e.verdict != Verdict::Pass).then_some(&e.message),
                    "task_id": self.task_id(e.exercise),
                    "exercise": e.exercise.name,
                    "not_done": e.verdict == Verdict::NotDone,
                })
            })
            .collect();
        let rows = self.rows();
        let exercises: Vec<Value> = rows
            .iter()
            .map(|r| {
                json!({
                    "task_id": r.task_id,
                    "name": r.exercise.name,
                    "file": format!("{}/{}", self.krate, r.exercise.file()),
                    "chapter": format!("book/src/{}", r.exercise.chapter),
                    "standing": r.standing.word(),
                    "passed": r.passed,
                    "checks": r.checks,
                    "points": r.points,
                    "score": r.score,
                })
            })
            .collect();
        let mut results = json!({
            "version": 3,
            "status": self.status(),
            "tests": tests,
            "exercises": exercises,
            "score": rows.iter().map(|r| r.score).sum::<u32>(),
            "max_score": rows.iter().map(|r| r.points).sum::<u32>(),
        });
        if let Some(failed) = &self.error {
            results["message"] = Value::String(failed.message.clone());
        }
        let mut text = serde_json::to_string_pretty(&results).expect("JSON values serialize");
        text.push('\n');
        text
    }

    fn task_id(&self, exercise: &Exercise) -> usize {
        EXERCISES.iter().position(|e| e.name == exercise.name).map_or(0, |i| i + 1)
    }

    /// JUnit XML: one `testsuite` per exercise, one `testcase` per check, a `failure`
    /// holding the message and transcript; one `error` when nothing could run.
    pub fn junit(&self) -> String {
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let failures = self.entries.iter().filter(|e| e.verdict != Verdict::Pass).count();
        let errors = usize::from(self.error.is_some());
        let tests = self.entries.len() + errors;
        let _ = writeln!(
            xml,
            "<testsuites name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">",
            escape(&self.krate)
        );
        if let Some(failed) = &self.error {
            let file = failed.at.as_ref().map_or(String::new(), |(file, _)| file.clone());
            let _ = writeln!(
                xml,
                "  <testsuite name=\"build\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n    \
                 <testcase name=\"compiles\" classname=\"{krate}.build\" file=\"{file}\">\n      \
                 <error message=\"{krate} does not compile\" type=\"compile error\">{message}</error>\n    \
                 </testcase>\n  </testsuite>",
                krate = escape(&self.krate),
                file = escape(&file),
                message = escape(&failed.message),
            );
        }
        for row in self.rows().iter().filter(|r| r.checks > 0) {
            let name = row.exercise.name;
            let _ = writeln!(
                xml,
                "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
                row.checks,
                row.checks - row.passed
            );
            for entry in self.entries.iter().filter(|e| e.exercise.name == name) {
                let _ = write!(
                    xml,
                    "    <testcase name=\"{}\" classname=\"{}.{name}\" file=\"{}/{}\"",
                    escape(entry.name),
                    escape(&self.krate),
                    escape(&self.krate),
                    row.exercise.file()
                );
                if let Some(line) = entry.line {
                    let _ = write!(xml, " line=\"{line}\"");
                }
                if entry.verdict == Verdict::Pass {
                    xml.push_str("/>\n");
                    continue;
                }
                let kind = if entry.verdict == Verdict::NotDone { "not done" } else { "wrong" };
                let first = entry.message.lines().next().unwrap_or("");
                let _ = writeln!(
                    xml,
                    ">\n      <failure message=\"{}\" type=\"{kind}\">{}</failure>\n    </testcase>",
                    escape(first),
                    escape(&entry.message)
                );
            }
            xml.push_str("  </testsuite>\n");
        }
        xml.push_str("</testsuites>\n");
        xml
    }

    /// The progress table, chapter, exercise and standing, in Markdown for a CI job's
    /// summary page.
    pub fn markdown(&self) -> String {
        let mut md = String::new();
        if let Some(failed) = &self.error {
            let _ = write!(
                md,
                "## The grader could not run\n\n`{}` does not compile:\n\n```text\n{}\n```\n",
                self.krate, failed.message
            );
            return md;
        }
        let rows = self.rows();
        let done = rows.iter().filter(|r| r.standing == Standing::Done).count();
        let (score, max) =
            (rows.iter().map(|r| r.score).sum::<u32>(), rows.iter().map(|r| r.points).sum::<u32>());
        let _ = write!(
            md,
            "## Progress: {done}/{} exercises done, {score}/{max} points\n\n\
             | Chapter | Exercise | Standing | Checks passed | Points |\n\
             | --- | --- | --- | --- | --- |\n",
            rows.len()
        );
        for row in &rows {
            let mark = match row.standing {
                Standing::Done => "✅ done",
                Standing::Started { .. } => "🔶 started",
                Standing::NotStarted => "⬜ not started",
            };
            let _ = writeln!(
                md,
                "| {} | `{}` | {mark} | {}/{} | {}/{} |",
                row.exercise.chapter_title,
                row.exercise.name,
                row.passed,
                row.checks,
                row.score,
                row.points
            );
        }
        let failing: Vec<&Entry> =
            self.entries.iter().filter(|e| e.verdict == Verdict::Fail).collect();
        if !failing.is_empty() {
            md.push_str("\n### Checks that found a mistake\n\n");
            for entry in failing {
                let _ = write!(
                    md,
                    "<details><summary><code>{}::{}</code></summary>\n\n```text\n{}\n```\n\n</details>\n\n",
                    entry.exercise.name,
                    entry.name,
                    entry.message.replace("```", "'''")
                );
            }
        }
        md
    }

    /// GitHub workflow commands that put each failure on its line of the exercise's
    /// file: an error for a check that found a mistake, a warning for the `todo!()`s
    /// left in an exercise already started. An exercise not started stays quiet.
    pub fn annotations(&self) -> String {
        let mut text = String::new();
        if let Some(failed) = &self.error {
            let (file, line) = failed.at.clone().unwrap_or_else(|| ("Cargo.toml".into(), 1));
            let _ = writeln!(
                text,
                "::error file={},line={line},title={}::{}",
                property(&file),
                property(&format!("{} does not compile", self.krate)),
                data(&failed.message)
            );
            return text;
        }
        let rows = self.rows();
        for entry in &self.entries {
            let started = rows.iter().any(|r| {
                r.exercise.name == entry.exercise.name
                    && matches!(r.standing, Standing::Started { .. })
            });
            let level = match entry.verdict {
                Verdict::Pass => continue,
                Verdict::Fail => "error",
                Verdict::NotDone if started => "warning",
                Verdict::NotDone => continue,
            };
            let _ = writeln!(
                text,
                "::{level} file={},line={},title={}::{}",
                property(&format!("{}/{}", self.krate, entry.exercise.file())),
                entry.line.unwrap_or(1),
                property(&format!("{}::{}", entry.exercise.name, entry.name)),
                data(&entry.message)
            );
        }
        text
    }

    /// One `name<TAB>verdict<TAB>message` line per check, the message on one line.
    pub fn tab_separated(&self) -> String {
        let mut text = String::new();
        for entry in &self.entries {
            let _ = writeln!(
                text,
                "{}::{}\t{:?}\t{}",
                entry.exercise.name,
                entry.name,
                entry.verdict,
                entry.message.replace('\n', " / ")
            );
        }
        text
    }

    /// Writes every format the environment asks for: `GRADER_JSON`, `GRADER_JUNIT`,
    /// `GRADER_MARKDOWN` and `GRADER_REPORT` name files (a relative path is taken from
    /// [`asked_from`]); `GRADER_ANNOTATIONS=github` prints GitHub's workflow commands.
    /// Returns whether every file was written.
    pub fn write_requested(&self) -> bool {
        self.write_requested_from(&asked_from())
    }

    /// [`Report::write_requested`], with relative paths taken from `base`.
    pub fn write_requested_from(&self, base: &Path) -> bool {
        let mut ok = true;
        let formats: [(&str, Render); 4] = [
            ("GRADER_JSON", Report::json),
            ("GRADER_JUNIT", Report::junit),
            ("GRADER_MARKDOWN", Report::markdown),
            ("GRADER_REPORT", Report::tab_separated),
        ];
        for (variable, render) in formats {
            let Some(path) = std::env::var_os(variable) else { continue };
            let path = base.join(path);
            let path = path.as_path();
            if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                let _ = std::fs::create_dir_all(folder);
            }
            if let Err(err) = std::fs::write(path, render(self)) {
                eprintln!("cannot write {variable} to {}: {err}", path.display());
                ok = false;
            }
        }
        if std::env::var("GRADER_ANNOTATIONS").is_ok_and(|v| v == "github") {
            print!("{}", self.annotations());
        }
        ok
    }
}

impl Standing {
    /// The standing as the results file words it: `done`, `started` or `not started`.
    pub fn word(&self) -> &'static str {
        match self {
            Standing::Done => "done",
            Standing::Started { .. } => "started",
            Standing::NotStarted => "not started",
        }
    }
}

/// Where relative paths in `GRADER_JSON=results.json` and the like are meant from: the
/// folder the command was typed in, which the shell keeps in `PWD`, since cargo runs a
/// test in its crate's folder.
pub fn asked_from() -> PathBuf {
    std::env::var_os("PWD")
        .map(PathBuf::from)
        .filter(|pwd| pwd.is_absolute())
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default()
}

/// The line number after `file:` in `text`, as in `exercises/src/nat.rs:42:9`.
fn line_in(text: &str, file: &str) -> Option<u32> {
    let at = text.find(&format!("{file}:"))? + file.len() + 1;
    let digits: String = text[at..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The line of the public function a failure's expectation names, as in
/// `expected: well_known("smtp") to be …`, read from the exercise's file (the grader
/// runs in its crate's folder).
fn function_line(exercise: &Exercise, message: &str) -> Option<u32> {
    let expected = message.lines().find_map(|l| l.strip_prefix("expected: "))?;
    let source = std::fs::read_to_string(exercise.file()).ok()?;
    source.lines().zip(1..).find_map(|(line, number)| {
        let name = line.trim_start().strip_prefix("pub fn ")?.split(['(', '<']).next()?;
        expected.contains(&format!("{name}(")).then_some(number)
    })
}

/// `text` made safe for XML 1.0 text and attributes; characters XML cannot hold at all
/// are written as Rust escapes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' => out.push(c),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                out.extend(c.escape_default())
            }
            c => out.push(c),
        }
    }
    out
}

/// A workflow command's message, escaped as GitHub's runner expects.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A workflow command's property value, escaped as GitHub's runner expects.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}
