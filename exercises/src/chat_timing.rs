//! Chat timing: which line may come when, in the stricter chat that greets first.
//!
//! The stricter chat has the syntax and the questions of the plain one, and one more rule
//! of order: the client must greet before it asks anything.
//!
//! 1. The client sends `hello`; the server answers `hi`.
//! 2. Then the client may ask questions, each answered as in [`crate::chat_semantics`].
//! 3. `bye`, answered `bye`, ends the conversation, and the server closes the connection.
//!    The client may leave with `bye` before greeting, too.
//!
//! Everything else is out of order and refused, each with its own error, like SMTP's
//! `503 bad sequence of commands` (RFC 5321): a question before the greeting, a second
//! greeting, and any line at all after `bye`.
//!
//! The rule lives in one place, [`on_line`]: from the state the conversation is in and
//! the line that arrived, it gives the new state and the answer, or refuses. A refused
//! line changes nothing: [`State`] is `Copy`, so the caller still holds the state it had.
//!
//! Exercise: read "Protocols: syntax, semantics, timing" (book/src/protocols.md), then
//! replace the two `todo!()`s. Leave the signatures as they are: the grader calls these
//! functions.

use std::fmt;

use crate::chat_semantics::{self, Action};

// ANCHOR: state
/// Where one conversation is. A new connection starts in [`State::AwaitingHello`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Connected, not greeted yet: only `hello` (or `bye`) may come.
    AwaitingHello,
    /// Greeted: questions may come, and `bye`.
    Chatting,
    /// `bye` was answered and the connection closed: nothing may come.
    Closed,
}
// ANCHOR_END: state

// ANCHOR: error
/// A line that came at the wrong time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimingError {
    /// A line other than `hello` or `bye` before the greeting.
    NotGreeted,
    /// `hello` again, after the greeting.
    AlreadyGreeted,
    /// Any line after `bye`.
    AfterBye,
}

impl fmt::Display for TimingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimingError::NotGreeted => write!(f, "say `hello` first"),
            TimingError::AlreadyGreeted => write!(f, "you have already said `hello`"),
            TimingError::AfterBye => write!(f, "the conversation is over"),
        }
    }
}

impl std::error::Error for TimingError {}
// ANCHOR_END: error

// ANCHOR: on_line
/// One step of the conversation: `line` (decoded, without its line ending) arrives while
/// the conversation is in `state`. Returns the state it moves to and the line to answer,
/// or the reason the line is refused, in which case the state stays as it was.
pub fn on_line(state: State, line: &str) -> Result<(State, &'static str), TimingError> {
    // TODO: `match (state, line)`, one arm per arrow of the chapter's state diagram;
    // questions go to `chat_semantics::respond`.
    todo!("one step of the conversation")
}
// ANCHOR_END: on_line

// ANCHOR: converse
/// Runs a whole conversation from its start: the outcome of each line in turn. A refused
/// line is answered with its error and leaves the state as it was, so the lines after it
/// are judged as if it had never come.
pub fn converse(lines: &[&str]) -> Vec<Result<&'static str, TimingError>> {
    // TODO: call `on_line` for each line in turn and collect its outcomes.
    todo!("run a whole conversation")
}
// ANCHOR_END: converse
