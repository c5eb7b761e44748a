//! Checks of the stricter chat's timing (`exercises/src/chat_timing.rs`): which line may
//! come in which state, and what a refused line does to the conversation.

use grader::{Check, Failure, Session, WAIT};
use subject::chat_timing::{State, TimingError};

pub const CHECKS: &[Check] = grader::checks!("chat_timing": answers_hello_with_hi_and_starts_chatting, answers_questions_after_the_greeting, refuses_a_question_before_the_greeting, refuses_a_second_greeting, ends_the_conversation_at_bye, refuses_every_line_after_bye, a_refused_line_changes_nothing);

type Step = Result<(State, &'static str), TimingError>;

/// A conversation's lines, and the outcome each must have.
type Conversation = (&'static [&'static str], &'static [Result<&'static str, TimingError>]);

fn on_line(session: &Session, state: State, line: &str) -> Result<Step, Failure> {
    let owned = line.to_string();
    let got = session
        .call("chat_timing::on_line", WAIT, move || subject::chat_timing::on_line(state, &owned))?;
    session.note(format!("on_line({state:?}, {line:?}) = {got:?}"));
    Ok(got)
}

fn answers_hello_with_hi_and_starts_chatting(session: &Session) -> Result<(), Failure> {
    let got = on_line(session, State::AwaitingHello, "hello")?;
    let want: Step = Ok((State::Chatting, "hi"));
    if got != want {
        let mistake = match got {
            Ok((State::AwaitingHello, _)) => {
                "staying in AwaitingHello after `hello`: the greeting moves the conversation to \
                 Chatting, or no question will ever be allowed"
            }
            Ok((_, answer)) if answer != "hi" => "a wrong answer: `hello` is answered `hi`",
            Ok(_) => "moving to the wrong state: after `hello` comes Chatting",
            Err(_) => "refusing the greeting: `hello` is the one line AwaitingHello is waiting for",
        };
        return Err(
            session.wrong(format!("on_line(AwaitingHello, \"hello\") to be {want:?}"), mistake)
        );
    }
    Ok(())
}

fn answers_questions_after_the_greeting(session: &Session) -> Result<(), Failure> {
    let cases = [
        ("how are u", "fine"),
        ("how old are u", "nicai"),
        ("what time is it", "pardon?"),
        ("", "pardon?"),
        ("hi", "pardon?"),
        ("Hello", "pardon?"),
        ("hello ", "pardon?"),
    ];
    for (question, answer) in cases {
        let got = on_line(session, State::Chatting, question)?;
        let want: Step = Ok((State::Chatting, answer));
        if got != want {
            let mistake = match got {
                Err(TimingError::AlreadyGreeted) => {
                    "matching the greeting loosely: only exactly `hello` is a second greeting; \
                     anything else is a question, answered as the chat's semantics say"
                }
                Err(_) => {
                    "refusing a question in Chatting: once greeted, the client may ask anything"
                }
                Ok((State::Chatting, _)) => {
                    "a wrong answer: in Chatting, answer as `chat_semantics::respond` does"
                }
                Ok(_) => "leaving Chatting after a question: only `bye` ends the conversation",
            };
            return Err(
                session.wrong(format!("on_line(Chatting, {question:?}) to be {want:?}"), mistake)
            );
        }
    }
    Ok(())
}

fn refuses_a_question_before_the_greeting(session: &Session) -> Result<(), Failure> {
    for line in ["how are u", "how old are u", "", "hi", "Hello", "hello ", "what?"] {
        let got = on_line(session, State::AwaitingHello, line)?;
        if got != Err(TimingError::NotGreeted) {
            let mistake = match got {
                Ok(_) => {
                    "answering before the greeting: in AwaitingHello only `hello` and `bye` are \
                     allowed; refuse anything else with NotGreeted"
                }
                Err(_) => "the wrong error variant: a line before the greeting is NotGreeted",
            };
            return Err(session.wrong(
                format!("on_line(AwaitingHello, {line:?}) to be Err(NotGreeted)"),
                mistake,
            ));
        }
    }
    Ok(())
}

fn refuses_a_second_greeting(session: &Session) -> Result<(), Failure> {
    let got = on_line(session, State::Chatting, "hello")?;
    if got != Err(TimingError::AlreadyGreeted) {
        let mistake = match got {
            Ok(_) => {
                "greeting again: in Chatting, `hello` comes out of order; refuse it with \
                 AlreadyGreeted before asking the semantics for an answer"
            }
            Err(_) => {
                "one error for every refusal: a second greeting is AlreadyGreeted, so that the \
                 peer learns what it did wrong"
            }
        };
        return Err(
            session.wrong("on_line(Chatting, \"hello\") to be Err(AlreadyGreeted)", mistake)
        );
    }
    Ok(())
}

fn ends_the_conversation_at_bye(session: &Session) -> Result<(), Failure> {
    for state in [State::Chatting, State::AwaitingHello] {
        let got = on_line(session, state, "bye")?;
        let want: Step = Ok((State::Closed, "bye"));
        if got != want {
            let mistake = match (state, got) {
                (State::AwaitingHello, Err(_)) => {
                    "refusing `bye` before the greeting: a client may always leave; AwaitingHello \
                     takes `bye` too"
                }
                (_, Ok((State::Closed, _))) => "a wrong answer: `bye` is answered `bye`",
                (_, Ok(_)) => {
                    "staying open after `bye`: the conversation moves to Closed, which is what tells \
                     the server to close the connection"
                }
                (_, Err(_)) => "refusing `bye`: it is allowed until the conversation is over",
            };
            return Err(
                session.wrong(format!("on_line({state:?}, \"bye\") to be {want:?}"), mistake)
            );
        }
    }
    Ok(())
}

fn refuses_every_line_after_bye(session: &Session) -> Result<(), Failure> {
    for line in ["how are u", "hello", "bye", "", "what?"] {
        let got = on_line(session, State::Closed, line)?;
        if got != Err(TimingError::AfterBye) {
            let mistake = match got {
                Ok(_) => {
                    "answering after `bye`: Closed is the end, every line that comes then is \
                     refused with AfterBye"
                }
                Err(_) => {
                    "one error for every refusal: any line after `bye` is AfterBye, whatever it says"
                }
            };
            return Err(
                session.wrong(format!("on_line(Closed, {line:?}) to be Err(AfterBye)"), mistake)
            );
        }
    }
    Ok(())
}

fn a_refused_line_changes_nothing(session: &Session) -> Result<(), Failure> {
    use TimingError::*;
    let conversations: [Conversation; 4] = [
        // No lines at all: no outcomes, and nothing to index.
        (&[], &[]),
        (
            &["how are u", "hello", "how are u", "hello", "how old are u", "bye", "how are u"],
            &[
                Err(NotGreeted),
                Ok("hi"),
                Ok("fine"),
                Err(AlreadyGreeted),
                Ok("nicai"),
                Ok("bye"),
                Err(AfterBye),
            ],
        ),
        (&["hello", "bye", "hello", "bye"], &[Ok("hi"), Ok("bye"), Err(AfterBye), Err(AfterBye)]),
        (
            &["what?", "", "hello", "what?"],
            &[Err(NotGreeted), Err(NotGreeted), Ok("hi"), Ok("pardon?")],
        ),
    ];
    for (lines, want) in conversations {
        let owned: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        let got = session.call("chat_timing::converse", WAIT, move || {
            let lines: Vec<&str> = owned.iter().map(String::as_str).collect();
            subject::chat_timing::converse(&lines)
        })?;
        session.note(format!("converse({lines:?}) = {got:?}"));
        if got != want {
            // What `converse` gives when it threads the state through the code's own
            // `on_line` rightly: if that is what came back, `on_line` is at fault.
            let owned: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            let threaded = session.call("chat_timing::on_line", WAIT, move || {
                let mut state = State::AwaitingHello;
                let mut outcomes = Vec::new();
                for line in &owned {
                    let step = subject::chat_timing::on_line(state, line);
                    if let Ok((next, _)) = step {
                        state = next;
                    }
                    outcomes.push(step.map(|(_, answer)| answer));
                }
                outcomes
            })?;
            let mistake = if got == threaded {
                "`converse` threads the state rightly, but `on_line` gives a wrong outcome for one \
                 of these lines: fix `on_line` (its own checks say where)"
            } else if got.len() < want.len() {
                "stopping at the first refused line: a refusal answers that line only, and the \
                 conversation goes on"
            } else if got.len() > want.len() {
                "more outcomes than lines: push exactly one outcome per line"
            } else {
                "changing the state on a refused line (back to the start, or on to the next state): \
                 keep the state you had, and move only when `on_line` returns Ok"
            };
            return Err(session.wrong(format!("converse({lines:?}) to be {want:?}"), mistake));
        }
    }
    Ok(())
}
