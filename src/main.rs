//! The `stepbook` binary: parse arguments, call the library, map the outcome to an exit code
//! (0 clean, 1 error-level findings, 2 could not run).

use clap::Parser;

/// mimalloc (v3) instead of glibc's malloc. glibc gives each thread that finds the allocator
/// busy an arena of its own and grows such an arena 4 KiB at a time, one `mprotect` call each,
/// serialised with every page fault of the process on its memory map lock: a warm `check` of
/// 10,000 pages made 41,000 of those calls, a cold `build` with search 66,000. One glibc arena
/// (`M_ARENA_MAX=1`) avoids them but makes the threads wait on its lock (67,000 futex calls in
/// that build, whose wall time grew half again). mimalloc's per-thread heaps do neither.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = stepbook::cli::Cli::parse();
    stepbook::cli::run(cli)
}
