//! The runner a CI step calls: `cargo run -q -p grader --bin grade [-- FILTER...]`.
//!
//! It runs the learner's self-grade, `cargo test -p exercises --test grade`, with the
//! same environment (`GRADER_JSON`, `GRADER_JUNIT`, `GRADER_MARKDOWN`,
//! `GRADER_ANNOTATIONS`), so the grader writes its results files itself. When the grader
//! could not run, because `exercises` does not compile, it writes them instead, with
//! status `error` and what a learner needs of the compiler's message. It exits 0
//! whenever the grader ran, whatever the checks found: the grade is in the files.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

use grader::results::{Failed, Report};

/// The crate a learner's work lives in.
const KRATE: &str = "exercises";

fn main() -> ExitCode {
    // The grader's JSON is how this runner learns that it ran: ask for one if no one did.
    let json = std::env::var_os("GRADER_JSON").map_or_else(
        || std::env::temp_dir().join(format!("grader-run-{}.json", std::process::id())),
        Into::into,
    );
    // Relative paths are meant from here, not from the crate's folder, where tests run.
    let here = std::env::current_dir().unwrap_or_default();
    let json = here.join(json);
    let _ = std::fs::remove_file(&json);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    for variable in ["GRADER_JUNIT", "GRADER_MARKDOWN", "GRADER_REPORT"] {
        if let Some(path) = std::env::var_os(variable) {
            command.env(variable, here.join(path));
        }
    }
    let mut child = match command
        .args(["test", "-p", KRATE, "--test", "grade", "--"])
        .args(std::env::args_os().skip(1))
        .env("GRADER_JSON", &json)
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(err) => return could_not_run(&here, format!("cannot start cargo: {err}"), None),
    };
    // Cargo's messages still reach the log as they come; a copy is kept to cut from.
    let mut stderr = String::new();
    if let Some(pipe) = child.stderr.take() {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            eprintln!("{line}");
            stderr.push_str(&line);
            stderr.push('\n');
        }
    }
    let status = child.wait();
    let _ = std::io::stdout().flush();
    if json.exists() {
        if std::env::var_os("GRADER_JSON").is_none() {
            let _ = std::fs::remove_file(&json);
        }
        return ExitCode::SUCCESS;
    }
    let (message, at) = compiler_message(&stderr);
    let message = match status {
        Ok(_) if !message.is_empty() => message,
        Ok(status) => format!(
            "the grader stopped before it wrote its results ({status}):\n{}",
            tail(&stderr, 20)
        ),
        Err(err) => format!("cargo did not finish: {err}"),
    };
    could_not_run(&here, message, at)
}

/// Writes the results of a run that could not happen, and says so.
fn could_not_run(here: &Path, message: String, at: Option<(String, u32)>) -> ExitCode {
    let report = Report::could_not_run(KRATE, Failed { message, at });
    report.write_requested_from(here);
    eprintln!("\nthe grader could not run: `{KRATE}` does not compile (the results say why)");
    ExitCode::FAILURE
}

/// The errors of cargo's output, without its warnings and its closing advice: the first
/// three, each cut to its first 20 lines, and where the first one points.
fn compiler_message(stderr: &str) -> (String, Option<(String, u32)>) {
    const ERRORS: usize = 3;
    const LINES: usize = 20;
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    let mut in_error = false;
    for line in stderr.lines() {
        // A diagnostic starts unindented (`error[E0425]: …`, `warning: …`); its snippet
        // lines are indented or start with a line number.
        let starts = line.starts_with(|c: char| !c.is_whitespace() && !c.is_ascii_digit());
        // Cargo's progress lines, right-aligned: `   Compiling exercises v0.1.0`.
        let progress = line.starts_with(' ')
            && line.trim_start().starts_with(|c: char| c.is_ascii_uppercase())
            && line
                .trim_start()
                .split(' ')
                .next()
                .is_some_and(|w| w.chars().skip(1).all(|c| c.is_ascii_lowercase()));
        if progress {
            continue;
        }
        // `help:` and `note:` at the margin still belong to the diagnostic above them.
        if starts && !line.starts_with("help:") && !line.starts_with("note:") {
            in_error = line.starts_with("error")
                && !line.starts_with("error: could not compile")
                && !line.starts_with("error: aborting");
            if in_error {
                blocks.push(Vec::new());
            }
        }
        if in_error && let Some(block) = blocks.last_mut() {
            block.push(line);
        }
    }
    let at = blocks.first().and_then(|block| {
        let arrow = block.iter().find_map(|line| line.trim_start().strip_prefix("--> "))?;
        let mut parts = arrow.rsplitn(3, ':');
        let (_column, line, file) = (parts.next()?, parts.next()?, parts.next()?);
        Some((file.to_string(), line.parse().ok()?))
    });
    let more = blocks.len().saturating_sub(ERRORS);
    let mut text = blocks
        .iter()
        .take(ERRORS)
        .map(|block| {
            let mut lines: Vec<&str> = block.iter().copied().take(LINES).collect();
            while lines.last().is_some_and(|l| l.trim().is_empty()) {
                lines.pop();
            }
            lines.join("\n")
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    if more > 0 {
        text.push_str(&format!("\n\n(and {more} more errors: fix these first)"));
    }
    (text, at)
}

/// The last `n` lines of `text`.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}
