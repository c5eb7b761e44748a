//! Mistakes in the chat's syntax.

use crate::{Mistake, making};
use solutions::chat_syntax as model;
pub use solutions::chat_syntax::{MAX_LINE_LEN, SyntaxError};

/// Each mistake made here, the checks that must catch it, and words their message must contain.
pub const MISTAKES: &[Mistake] = &[
    (
        "chat_syntax_encodes_without_the_newline",
        &["chat_syntax::encodes_a_message_as_one_line"],
        "without its `\\n`",
    ),
    ("chat_syntax_encodes_crlf", &["chat_syntax::encodes_a_message_as_one_line"], "bare `\\n`"),
    (
        "chat_syntax_encodes_a_line_break",
        &["chat_syntax::refuses_to_encode_a_line_break"],
        "not looking inside the message",
    ),
    (
        "chat_syntax_encode_limit_without_the_newline",
        &["chat_syntax::refuses_to_encode_an_over_long_message"],
        "not counting the `\\n`",
    ),
    (
        "chat_syntax_used_without_the_newline",
        &[
            "chat_syntax::decodes_a_line_and_says_how_many_bytes_it_used",
            "chat_syntax::keeps_the_text_exactly_as_sent",
            "chat_syntax::leaves_the_bytes_after_the_first_line",
            "chat_syntax::rejects_bad_utf8",
        ],
        "not counting the `\\n` in the bytes used",
    ),
    (
        "chat_syntax_keeps_the_cr",
        &[
            "chat_syntax::accepts_crlf_and_an_empty_line",
            "chat_syntax::keeps_the_text_exactly_as_sent",
        ],
        "keeping the `\\r`",
    ),
    (
        "chat_syntax_refuses_an_empty_line",
        &["chat_syntax::accepts_crlf_and_an_empty_line"],
        "an empty line is a line",
    ),
    ("chat_syntax_trims", &["chat_syntax::keeps_the_text_exactly_as_sent"], "trimming more"),
    (
        "chat_syntax_limits_the_whole_buffer",
        &["chat_syntax::leaves_the_bytes_after_the_first_line"],
        "measuring the whole buffer",
    ),
    (
        "chat_syntax_decodes_to_the_last_newline",
        &["chat_syntax::leaves_the_bytes_after_the_first_line"],
        "taking the last `\\n`",
    ),
    ("chat_syntax_takes_a_partial_line", &["chat_syntax::waits_for_the_line_end"], "half a line"),
    (
        "chat_syntax_limit_off_by_one",
        &["chat_syntax::accepts_a_line_exactly_at_the_limit"],
        "off-by-one",
    ),
    (
        "chat_syntax_limit_without_the_newline",
        &["chat_syntax::rejects_a_line_one_byte_over_the_limit"],
        "not counting the `\\n`",
    ),
    (
        "chat_syntax_counts_characters",
        &[
            "chat_syntax::rejects_a_line_one_byte_over_the_limit",
            "chat_syntax::refuses_to_encode_an_over_long_message",
        ],
        "characters instead of bytes",
    ),
    (
        "chat_syntax_waits_for_the_end_of_a_long_line",
        &["chat_syntax::rejects_an_over_long_line_before_its_end"],
        "buffer forever",
    ),
    ("chat_syntax_lossy_utf8", &["chat_syntax::rejects_bad_utf8"], "from_utf8_lossy"),
];

pub fn encode(message: &str) -> Result<Vec<u8>, SyntaxError> {
    if making("chat_syntax_encodes_without_the_newline") {
        return Ok(message.as_bytes().to_vec());
    }
    if making("chat_syntax_encodes_crlf") {
        return Ok(format!("{message}\r\n").into_bytes());
    }
    if making("chat_syntax_encodes_a_line_break") {
        return Ok(format!("{message}\n").into_bytes());
    }
    if making("chat_syntax_encode_limit_without_the_newline") && !message.contains(['\r', '\n']) {
        return if message.len() > MAX_LINE_LEN {
            Err(SyntaxError::TooLong)
        } else {
            Ok(format!("{message}\n").into_bytes())
        };
    }
    if making("chat_syntax_counts_characters") && !message.contains(['\r', '\n']) {
        return if message.chars().count() + 1 > MAX_LINE_LEN {
            Err(SyntaxError::TooLong)
        } else {
            Ok(format!("{message}\n").into_bytes())
        };
    }
    model::encode(message)
}

pub fn decode(bytes: &[u8]) -> Result<(&str, usize), SyntaxError> {
    if making("chat_syntax_limits_the_whole_buffer") && bytes.len() > MAX_LINE_LEN {
        return Err(SyntaxError::TooLong);
    }
    let newline = if making("chat_syntax_decodes_to_the_last_newline") {
        bytes.iter().rposition(|&b| b == b'\n')
    } else {
        bytes.iter().position(|&b| b == b'\n')
    };
    let Some(newline) = newline else {
        if making("chat_syntax_takes_a_partial_line") && !bytes.is_empty() {
            return text(bytes).map(|t| (t, bytes.len()));
        }
        let early = !making("chat_syntax_waits_for_the_end_of_a_long_line");
        return Err(if early && bytes.len() >= MAX_LINE_LEN {
            SyntaxError::TooLong
        } else {
            SyntaxError::Incomplete
        });
    };
    let used = newline + 1;
    let line = &bytes[..newline];
    let too_long = if making("chat_syntax_limit_off_by_one") {
        used >= MAX_LINE_LEN
    } else if making("chat_syntax_limit_without_the_newline") {
        line.len() > MAX_LINE_LEN
    } else if making("chat_syntax_counts_characters") {
        String::from_utf8_lossy(line).chars().count() + 1 > MAX_LINE_LEN
    } else {
        used > MAX_LINE_LEN
    };
    if too_long {
        return Err(SyntaxError::TooLong);
    }
    if making("chat_syntax_refuses_an_empty_line")
        && line.strip_suffix(b"\r").unwrap_or(line).is_empty()
    {
        return Err(SyntaxError::Incomplete);
    }
    let line = if making("chat_syntax_keeps_the_cr") {
        line
    } else {
        line.strip_suffix(b"\r").unwrap_or(line)
    };
    let text = text(line)?;
    let text = if making("chat_syntax_trims") { text.trim_end() } else { text };
    let used = if making("chat_syntax_used_without_the_newline") { used - 1 } else { used };
    Ok((text, used))
}

fn text(line: &[u8]) -> Result<&str, SyntaxError> {
    if making("chat_syntax_lossy_utf8") {
        // What `from_utf8_lossy` does, without its owned `String`: bad bytes become U+FFFD.
        return Ok(match std::str::from_utf8(line) {
            Ok(text) => text,
            Err(_) => "\u{fffd}",
        });
    }
    std::str::from_utf8(line).map_err(SyntaxError::NotUtf8)
}
