//! Proof that the checks catch the mistakes learners make.
//!
//! Run with `MISTAKE=<name>`, this is the grader run against the `mistakes` crate making
//! that one mistake. Run without it (as `cargo test` does), it runs itself once per
//! mistake below and passes only if, each time, every check the mistake names fails
//! (not as "not done", not by passing) with a message containing the words given.

extern crate mistakes as subject;

#[path = "../../checks/mod.rs"]
mod checks;

use std::process::{Command, ExitCode};

use libtest_mimic::{Arguments, Failed, Trial};
use subject::Mistake;

/// Every mistake, the checks that must catch it, and words their message must contain.
fn mistakes() -> Vec<Mistake> {
    use subject::*;
    [
        udp_receiver::MISTAKES,
        udp_sender::MISTAKES,
        tcp_server::MISTAKES,
        tcp_client::MISTAKES,
        chat_syntax::MISTAKES,
        chat_semantics::MISTAKES,
        chat_timing::MISTAKES,
        special_addresses::MISTAKES,
        nat::MISTAKES,
        ipv4_parse::MISTAKES,
        cidr::MISTAKES,
        ports::MISTAKES,
        mac::MISTAKES,
        checksum::MISTAKES,
        frames::MISTAKES,
        udp_echo::MISTAKES,
        udp_ping::MISTAKES,
        dns_query::MISTAKES,
        chat_server::MISTAKES,
        file_transfer::MISTAKES,
        http_client::MISTAKES,
        file_server::MISTAKES,
        smtp_client::MISTAKES,
    ]
    .concat()
}

fn main() -> ExitCode {
    if std::env::var_os("MISTAKE").is_some() {
        return grader::run(env!("CARGO_BIN_EXE_mistakes"), "mistakes", checks::all());
    }
    let mut args = Arguments::from_args();
    // Each trial mostly waits on a child that waits on a timeout: run many at once.
    args.test_threads.get_or_insert(16);
    let trials = mistakes()
        .into_iter()
        .flat_map(|(mistake, caught_by, words)| {
            caught_by.iter().map(move |&check| {
                Trial::test(format!("{mistake}::caught_by::{check}"), move || {
                    catches(mistake, check, words)
                })
            })
        })
        .collect();
    libtest_mimic::run(&args, trials).exit_code()
}

/// Runs `check` against the mistake and demands that it fail with a message containing
/// `words`.
fn catches(mistake: &str, check: &str, words: &str) -> Result<(), Failed> {
    let report =
        std::env::temp_dir().join(format!("grader-{mistake}-{check}-{}", std::process::id()));
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let output = Command::new(exe)
        .args(["--exact", check])
        .env("MISTAKE", mistake)
        .env("GRADER_REPORT", &report)
        .output()
        .map_err(|e| e.to_string())?;
    let text =
        std::fs::read_to_string(&report).map_err(|e| format!("no report from the run: {e}"))?;
    let _ = std::fs::remove_file(&report);
    let line =
        text.lines().find(|line| line.split('\t').next() == Some(check)).ok_or_else(|| {
            format!("{check} did not run; output:\n{}", String::from_utf8_lossy(&output.stdout))
        })?;
    let mut fields = line.splitn(3, '\t').skip(1);
    let (verdict, message) = (fields.next().unwrap_or(""), fields.next().unwrap_or(""));
    if verdict != "Fail" {
        return Err(format!("{check} did not catch {mistake}: its verdict was {verdict}").into());
    }
    if !message.contains(words) {
        return Err(format!(
            "{check} caught {mistake}, but its message does not say {words:?}:\n{message}"
        )
        .into());
    }
    Ok(())
}
