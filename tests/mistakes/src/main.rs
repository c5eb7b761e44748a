//! The programs, with the mistake named by the environment variable `MISTAKE`.
fn main() -> std::process::ExitCode {
    mistakes::cli::main()
}
