//! The workbook's checks, run against the `solutions` crate: `cargo test -p solutions`.
//!
//! The checks themselves live once, in `tests/checks/`, and are compiled here with the
//! crate under test called `subject`.

extern crate solutions as subject;

#[path = "../../tests/checks/mod.rs"]
mod checks;

fn main() -> std::process::ExitCode {
    grader::run(env!("CARGO_BIN_EXE_solutions"), "solutions", checks::all())
}
