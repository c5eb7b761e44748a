//! Chat semantics: what each question of the chat protocol means to the server.
//!
//! The syntax layer ([`crate::chat_syntax`]) has already turned bytes into one line of
//! text, without its line ending. Here that text becomes what the server does: which
//! line it answers, and whether it then keeps the connection open or closes it.
//!
//! | question        | answer    | and then                    |
//! |-----------------|-----------|-----------------------------|
//! | `how are u`     | `fine`    | wait for the next question  |
//! | `how old are u` | `nicai`   | wait for the next question  |
//! | `bye`           | `bye`     | close the connection        |
//! | anything else   | `pardon?` | wait for the next question  |
//!
//! The match is exact: case, spaces and punctuation all count. Guessing what a peer
//! "probably meant" is how two programs come to mean different things by the same bytes.
//!
//! Exercise: read "Protocols: syntax, semantics, timing" (book/src/protocols.md), then
//! replace the `todo!()`. Leave the signatures as they are: the grader calls these
//! functions.

/// The answer to any question the server does not know.
pub const DEFAULT_REPLY: &str = "pardon?";

// ANCHOR: action
/// What the server does about one question: the line it answers (without its `\n`), and
/// whether it goes on with this client afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Send this answer, then wait for the client's next question.
    Reply(&'static str),
    /// Send this answer, then close the connection: the conversation is over.
    ReplyAndClose(&'static str),
}
// ANCHOR_END: action

// ANCHOR: respond
/// What the server does about `question`, one decoded line without its line ending.
pub fn respond(question: &str) -> Action {
    // TODO: `match` the whole question, one arm per row of the table above.
    todo!("decide what the server does")
}
// ANCHOR_END: respond
