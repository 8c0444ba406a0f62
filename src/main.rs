//! The platformgen binary: runs the command line and exits with its code.

/// A render allocates and frees millions of small strings and maps; mimalloc
/// serves them in a fraction of the C library allocator's time
/// (docs/decisions.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    platformgen::run::run()
}
