//! The workbook's checks, run against the `exercises` crate: `cargo test -p exercises`.
//!
//! The checks themselves live once, in `tests/checks/`, and are compiled here with the
//! crate under test called `subject`.

extern crate exercises as subject;

#[path = "../../tests/checks/mod.rs"]
mod checks;

fn main() -> std::process::ExitCode {
    grader::run(env!("CARGO_BIN_EXE_exercises"), "exercises", checks::all())
}
