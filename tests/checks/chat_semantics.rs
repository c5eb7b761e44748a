//! Checks of the chat's semantics (`exercises/src/chat_semantics.rs`): what the server does
//! about each question.

use grader::{Check, Failure, Session, WAIT};
use subject::chat_semantics::Action;

pub const CHECKS: &[Check] = grader::checks!("chat_semantics": answers_the_known_questions, closes_the_connection_only_after_bye, answers_pardon_to_anything_else, takes_a_near_bye_for_an_unknown_question);

fn respond(session: &Session, question: &str) -> Result<Action, Failure> {
    let owned = question.to_string();
    let got = session
        .call("chat_semantics::respond", WAIT, move || subject::chat_semantics::respond(&owned))?;
    session.note(format!("respond({question:?}) = {got:?}"));
    Ok(got)
}

/// The answer in an action, whatever it does next.
fn answer(action: Action) -> &'static str {
    match action {
        Action::Reply(answer) | Action::ReplyAndClose(answer) => answer,
    }
}

/// The answer's own fault, if it is the right answer with a line ending or spaces on it:
/// the mistake then is in the answer, whatever question it was for.
fn padded_answer(got: Action, want: &str) -> Option<&'static str> {
    let got = answer(got);
    (got != want && got.trim() == want).then_some(
        "putting the `\\n` into the answer (or spaces): that is syntax, added when the line is \
         encoded; the answers are exactly `fine`, `nicai`, `bye` and `pardon?`",
    )
}

fn answers_the_known_questions(session: &Session) -> Result<(), Failure> {
    for (question, want) in [("how are u", "fine"), ("how old are u", "nicai"), ("bye", "bye")] {
        let got = respond(session, question)?;
        if answer(got) != want {
            return Err(session.wrong(
                format!("respond({question:?}) to answer {want:?}"),
                if answer(got).ends_with('\n') {
                    "putting the `\\n` into the answer: that is syntax, added when the line is encoded"
                } else {
                    "a wrong answer in the table: `how are u` is answered `fine`, `how old are u` \
                     `nicai`, `bye` `bye`"
                },
            ));
        }
    }
    Ok(())
}

fn closes_the_connection_only_after_bye(session: &Session) -> Result<(), Failure> {
    let cases = [
        ("bye", Action::ReplyAndClose("bye")),
        ("how are u", Action::Reply("fine")),
        ("how old are u", Action::Reply("nicai")),
        ("what?", Action::Reply("pardon?")),
    ];
    for (question, want) in cases {
        let got = respond(session, question)?;
        if got != want {
            let mistake = padded_answer(got, answer(want)).unwrap_or(match got {
                Action::Reply("bye") => {
                    "answering `bye` but keeping the connection open: after `bye` the server closes \
                     it, which is ReplyAndClose"
                }
                Action::ReplyAndClose(_) => {
                    "closing after a question that is not `bye`: only `bye` ends the conversation"
                }
                Action::Reply(_) => "a wrong answer in the table",
            });
            return Err(session.wrong(format!("respond({question:?}) to be {want:?}"), mistake));
        }
    }
    Ok(())
}

fn answers_pardon_to_anything_else(session: &Session) -> Result<(), Failure> {
    let ignoring_case = "ignoring case (`to_lowercase`, `eq_ignore_ascii_case`): `HOW ARE U` is \
                         another question, and the protocol only knows `how are u`";
    let trimming = "trimming spaces: the syntax has already dropped the line ending, and what is left \
                    is the question exactly as sent; ` how are u` is not `how are u`";
    let loosely = "matching loosely (`contains`, `starts_with`, `ends_with`) instead of comparing the \
                   whole question with `==` or `match`";
    // Loose matches first: a `contains` would also answer the spaced and capitalised ones.
    let cases = [
        ("", loosely),
        ("what time is it", loosely),
        ("how are u?", loosely),
        ("how are u doing", loosely),
        ("so how are u", loosely),
        ("how old are u really", loosely),
        ("how are you", loosely),
        ("pardon?", loosely),
        ("fine", loosely),
        ("How are u", ignoring_case),
        ("HOW OLD ARE U", ignoring_case),
        (" how are u", trimming),
        ("how are u ", trimming),
        ("how old are u\t", trimming),
        ("how are u\r", trimming),
    ];
    for (question, mistake) in cases {
        let got = respond(session, question)?;
        if got != Action::Reply("pardon?") {
            let mistake = match padded_answer(got, "pardon?") {
                Some(padded) => padded.to_string(),
                // Answered as a known one: if a known question itself is not, the table holds
                // this question in its place, and nothing matches loosely.
                None => match unanswered_known_question(session)? {
                    Some(known) => format!(
                        "a question spelled otherwise than the protocol's: {question:?} is \
                         answered and {known:?} is not; the table's questions are exactly \
                         `how are u`, `how old are u` and `bye`"
                    ),
                    None => mistake.to_string(),
                },
            };
            return Err(session.wrong(
                format!(
                    "respond({question:?}) to be Reply(\"pardon?\"): it is not a known question"
                ),
                mistake,
            ));
        }
    }
    Ok(())
}

/// A known question that `respond` does not answer as the protocol says, if any.
fn unanswered_known_question(session: &Session) -> Result<Option<&'static str>, Failure> {
    let known = [
        ("how are u", Action::Reply("fine")),
        ("how old are u", Action::Reply("nicai")),
        ("bye", Action::ReplyAndClose("bye")),
    ];
    for (question, answer) in known {
        if respond(session, question)? != answer {
            return Ok(Some(question));
        }
    }
    Ok(None)
}

fn takes_a_near_bye_for_an_unknown_question(session: &Session) -> Result<(), Failure> {
    // `byé` and `é` as well: code that slices the first three bytes would cut the `é` in two.
    for question in
        ["bye ", "byebye", "Bye", "BYE", "goodbye", "bye!", " bye", "bye\r", "byé", "é", "by"]
    {
        let got = respond(session, question)?;
        if got != Action::Reply("pardon?") {
            return Err(session.wrong(
                format!(
                    "respond({question:?}) to be Reply(\"pardon?\"), keeping the connection open"
                ),
                if matches!(got, Action::ReplyAndClose(_)) {
                    "closing the connection on something that only looks like `bye` (`starts_with`, \
                     `contains`, ignoring case or spaces): only exactly `bye` ends the conversation"
                } else {
                    padded_answer(got, "pardon?")
                        .unwrap_or("matching `bye` loosely: only exactly `bye` is `bye`")
                },
            ));
        }
    }
    Ok(())
}
