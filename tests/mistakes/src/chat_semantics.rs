//! Mistakes in the chat's semantics.

use crate::{Mistake, making};
use solutions::chat_semantics as model;
pub use solutions::chat_semantics::{Action, DEFAULT_REPLY};

/// Each mistake made here, the checks that must catch it, and words their message must contain.
pub const MISTAKES: &[Mistake] = &[
    (
        "chat_semantics_never_closes",
        &["chat_semantics::closes_the_connection_only_after_bye"],
        "keeping the connection open",
    ),
    (
        "chat_semantics_always_closes",
        &["chat_semantics::closes_the_connection_only_after_bye"],
        "closing after a question that is not `bye`",
    ),
    (
        "chat_semantics_answers_with_the_newline",
        &[
            "chat_semantics::answers_the_known_questions",
            "chat_semantics::closes_the_connection_only_after_bye",
            "chat_semantics::answers_pardon_to_anything_else",
            "chat_semantics::takes_a_near_bye_for_an_unknown_question",
        ],
        "`\\n` into the answer",
    ),
    (
        "chat_semantics_ignores_case",
        &[
            "chat_semantics::answers_pardon_to_anything_else",
            "chat_semantics::takes_a_near_bye_for_an_unknown_question",
        ],
        "ignoring case",
    ),
    (
        "chat_semantics_trims",
        &["chat_semantics::answers_pardon_to_anything_else"],
        "trimming spaces",
    ),
    (
        "chat_semantics_matches_loosely",
        &["chat_semantics::answers_pardon_to_anything_else"],
        "matching loosely",
    ),
    (
        "chat_semantics_misspelled_question",
        &["chat_semantics::answers_pardon_to_anything_else"],
        "spelled otherwise than the protocol's",
    ),
    (
        "chat_semantics_closes_on_a_prefix",
        &["chat_semantics::takes_a_near_bye_for_an_unknown_question"],
        "only looks like `bye`",
    ),
];

pub fn respond(question: &str) -> Action {
    if making("chat_semantics_never_closes") && question == "bye" {
        return Action::Reply("bye");
    }
    if making("chat_semantics_always_closes") {
        return match model::respond(question) {
            Action::Reply(answer) | Action::ReplyAndClose(answer) => Action::ReplyAndClose(answer),
        };
    }
    if making("chat_semantics_answers_with_the_newline") {
        return match question {
            "how are u" => Action::Reply("fine\n"),
            "how old are u" => Action::Reply("nicai\n"),
            "bye" => Action::ReplyAndClose("bye\n"),
            _ => Action::Reply("pardon?\n"),
        };
    }
    if making("chat_semantics_ignores_case") {
        return model::respond(&question.to_lowercase());
    }
    if making("chat_semantics_trims") {
        return model::respond(question.trim());
    }
    if making("chat_semantics_matches_loosely") {
        return if question.contains("how old are u") {
            Action::Reply("nicai")
        } else if question.contains("how are u") {
            Action::Reply("fine")
        } else {
            model::respond(question)
        };
    }
    if making("chat_semantics_misspelled_question") {
        return match question {
            "how are you" => Action::Reply("fine"),
            "how are u" => Action::Reply(DEFAULT_REPLY),
            _ => model::respond(question),
        };
    }
    if making("chat_semantics_closes_on_a_prefix") && question.starts_with("bye") {
        return Action::ReplyAndClose("bye");
    }
    model::respond(question)
}
