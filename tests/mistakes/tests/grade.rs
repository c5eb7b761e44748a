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

/// Each mistake, the checks that must catch it, and words their message must contain.
const MISTAKES: &[(&str, &[&str], &str)] = &[
    (
        "receiver_binds_every_interface",
        &["udp_receiver::binds_the_address_it_is_given"],
        "fixed address",
    ),
    (
        "receiver_buffers_output",
        &["udp_receiver::prints_each_datagram_with_its_sender"],
        "flush",
    ),
    (
        "receiver_small_buffer",
        &["udp_receiver::keeps_long_datagrams_whole"],
        "buffer smaller",
    ),
    (
        "receiver_prints_own_address",
        &["udp_receiver::prints_each_datagram_with_its_sender"],
        "own address",
    ),
    (
        "receiver_stops_on_prefix",
        &["udp_receiver::exits_after_bye"],
        "starts_with",
    ),
    (
        "receiver_never_stops",
        &[
            "udp_receiver::exits_after_bye",
            "udp_receiver::keeps_long_datagrams_whole",
        ],
        "does not stop",
    ),
    (
        "sender_binds_every_interface",
        &["udp_sender::opens_a_socket_near_the_destination"],
        "every interface",
    ),
    (
        "sender_binds_ipv4_only",
        &["udp_sender::opens_a_socket_near_the_destination"],
        "same family",
    ),
    (
        "sender_sends_all_in_one",
        &[
            "udp_sender::sends_each_line_as_one_datagram",
            "udp_sender::stops_after_bye",
        ],
        "once per line",
    ),
    (
        "sender_keeps_the_newline",
        &[
            "udp_sender::sends_each_line_as_one_datagram",
            "udp_sender::stops_at_the_end_of_input",
        ],
        "without its line ending",
    ),
    (
        "sender_ignores_bye",
        &["udp_sender::stops_after_bye"],
        "stop after `bye`",
    ),
    (
        "reply_matches_loosely",
        &["tcp_server::replies_to_each_question"],
        "matching loosely",
    ),
    (
        "server_binds_every_interface",
        &[
            "tcp_server::binds_the_address_it_is_given",
            "tcp_server::serves_several_clients_at_once",
        ],
        "fixed address",
    ),
    (
        "server_serves_one_client_only",
        &["tcp_server::keeps_serving_after_a_client_leaves"],
        "only one client",
    ),
    (
        "server_one_client_at_a_time",
        &["tcp_server::serves_several_clients_at_once"],
        "one client at a time",
    ),
    (
        "server_stops_on_a_client_error",
        &["tcp_server::survives_rude_clients"],
        "stops the whole server",
    ),
    (
        "server_one_read_per_question",
        &[
            "tcp_server::reads_a_question_split_across_writes",
            "tcp_server::answers_two_questions_sent_together",
        ],
        "one `read` for one question",
    ),
    (
        "server_never_flushes",
        &[
            "tcp_server::answers_line_by_line",
            "tcp_server::serves_several_clients_at_once",
        ],
        "BufWriter",
    ),
    (
        "server_new_reader_per_question",
        &["tcp_server::answers_two_questions_sent_together"],
        "new `BufReader`",
    ),
    (
        "server_forgets_the_newline",
        &["tcp_server::answers_line_by_line"],
        "lacks its `\\n`",
    ),
    (
        "server_stays_after_bye",
        &["tcp_server::closes_the_connection_after_bye"],
        "connection to be closed",
    ),
    (
        "server_ignores_the_end",
        &["tcp_server::returns_when_the_client_leaves"],
        "returns 0",
    ),
    (
        "client_unwraps",
        &["tcp_client::reports_when_nobody_listens"],
        "unwrap",
    ),
    (
        "client_forgets_the_newline",
        &["tcp_client::asks_and_prints_each_answer"],
        "without their `\\n`",
    ),
    (
        "client_one_read_per_answer",
        &["tcp_client::reads_an_answer_split_across_writes"],
        "one `read` for one answer",
    ),
    (
        "client_prints_an_extra_newline",
        &["tcp_client::asks_and_prints_each_answer"],
        "`println!`",
    ),
    (
        "client_ignores_bye",
        &["tcp_client::stops_after_bye"],
        "does not stop after `bye`",
    ),
    (
        "client_takes_a_hang_up_for_the_end",
        &["tcp_client::reports_when_the_server_hangs_up"],
        "hung up",
    ),
    (
        "client_waits_for_the_server_to_close",
        &["tcp_client::stops_at_the_end_of_input"],
        "end by itself",
    ),
];

fn main() -> ExitCode {
    if std::env::var_os("MISTAKE").is_some() {
        return grader::run(env!("CARGO_BIN_EXE_mistakes"), "mistakes", checks::all());
    }
    let mut args = Arguments::from_args();
    // Each trial mostly waits on a child that waits on a timeout: run many at once.
    args.test_threads.get_or_insert(16);
    let trials = MISTAKES
        .iter()
        .flat_map(|&(mistake, caught_by, words)| {
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
    let line = text
        .lines()
        .find(|line| line.split('\t').next() == Some(check))
        .ok_or_else(|| {
            format!(
                "{check} did not run; output:\n{}",
                String::from_utf8_lossy(&output.stdout)
            )
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
