//! Mistakes in the stricter chat's timing.

use crate::{Mistake, making};
use solutions::chat_semantics::{self, Action};
use solutions::chat_timing as model;
pub use solutions::chat_timing::{State, TimingError};

/// Each mistake made here, the checks that must catch it, and words their message must contain.
pub const MISTAKES: &[Mistake] = &[
    (
        "chat_timing_stays_awaiting_hello",
        &["chat_timing::answers_hello_with_hi_and_starts_chatting"],
        "staying in AwaitingHello",
    ),
    (
        "chat_timing_answers_before_hello",
        &["chat_timing::refuses_a_question_before_the_greeting"],
        "answering before the greeting",
    ),
    ("chat_timing_greets_twice", &["chat_timing::refuses_a_second_greeting"], "greeting again"),
    (
        "chat_timing_greets_twice",
        &["chat_timing::a_refused_line_changes_nothing"],
        "`on_line` gives a wrong outcome",
    ),
    (
        "chat_timing_loose_greeting",
        &["chat_timing::answers_questions_after_the_greeting"],
        "matching the greeting loosely",
    ),
    (
        "chat_timing_one_error_for_all",
        &["chat_timing::refuses_a_second_greeting", "chat_timing::refuses_every_line_after_bye"],
        "one error for every refusal",
    ),
    (
        "chat_timing_bye_keeps_chatting",
        &["chat_timing::ends_the_conversation_at_bye"],
        "staying open after `bye`",
    ),
    (
        "chat_timing_no_bye_before_hello",
        &["chat_timing::ends_the_conversation_at_bye"],
        "a client may always leave",
    ),
    (
        "chat_timing_answers_after_bye",
        &["chat_timing::refuses_every_line_after_bye"],
        "answering after `bye`",
    ),
    (
        "chat_timing_resets_on_a_refusal",
        &["chat_timing::a_refused_line_changes_nothing"],
        "changing the state on a refused line",
    ),
    (
        "chat_timing_stops_at_the_first_refusal",
        &["chat_timing::a_refused_line_changes_nothing"],
        "stopping at the first refused line",
    ),
];

pub fn on_line(state: State, line: &str) -> Result<(State, &'static str), TimingError> {
    let chatting = |line| match chat_semantics::respond(line) {
        Action::Reply(answer) => Ok((State::Chatting, answer)),
        Action::ReplyAndClose(answer) => Ok((State::Closed, answer)),
    };
    match (state, line) {
        (State::AwaitingHello, "hello") if making("chat_timing_stays_awaiting_hello") => {
            Ok((State::AwaitingHello, "hi"))
        }
        (State::AwaitingHello, "bye") if making("chat_timing_no_bye_before_hello") => {
            Err(TimingError::NotGreeted)
        }
        (State::AwaitingHello, line)
            if making("chat_timing_answers_before_hello") && line != "hello" =>
        {
            chatting(line)
        }
        (State::Chatting, "hello") if making("chat_timing_greets_twice") => {
            Ok((State::Chatting, "hi"))
        }
        (State::Chatting, line)
            if making("chat_timing_loose_greeting")
                && line.trim().eq_ignore_ascii_case("hello") =>
        {
            Err(TimingError::AlreadyGreeted)
        }
        (State::Chatting, "bye") if making("chat_timing_bye_keeps_chatting") => {
            Ok((State::Chatting, "bye"))
        }
        (State::Closed, line) if making("chat_timing_answers_after_bye") => chatting(line),
        _ => match model::on_line(state, line) {
            Err(_) if making("chat_timing_one_error_for_all") => Err(TimingError::NotGreeted),
            outcome => outcome,
        },
    }
}

pub fn converse(lines: &[&str]) -> Vec<Result<&'static str, TimingError>> {
    let mut state = State::AwaitingHello;
    let mut outcomes = Vec::new();
    for line in lines {
        match on_line(state, line) {
            Ok((next, answer)) => {
                state = next;
                outcomes.push(Ok(answer));
            }
            Err(err) => {
                outcomes.push(Err(err));
                if making("chat_timing_resets_on_a_refusal") {
                    state = State::AwaitingHello;
                }
                if making("chat_timing_stops_at_the_first_refusal") {
                    break;
                }
            }
        }
    }
    outcomes
}
