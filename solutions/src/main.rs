//! The workbook's programs: `cargo run -p solutions -- <program> [ADDR]`.
fn main() -> std::process::ExitCode {
    solutions::cli::main()
}
