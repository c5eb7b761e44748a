//! The workbook's programs: `cargo run -p exercises -- <program> [ADDR]`.
fn main() -> std::process::ExitCode {
    exercises::cli::main()
}
