//! The platformgen binary: runs the command line and exits with its code.

fn main() -> std::process::ExitCode {
    platformgen::run::run()
}
