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

/// `mi_option_purge_delay` in mimalloc v3's `mi_option_e` (mimalloc.h; libmimalloc-sys names
/// no constant for it).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // Freed memory goes back to the system after 1 ms instead of mimalloc's 10: with 10, a
    // cold build of 10,000 pages (search off) peaked at 300-304 MiB against glibc's 285; with
    // 1, at 290 MiB, for a little more system time.
    // SAFETY: sets one of mimalloc's options, before any thread is started.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 1) };
    let cli = stepbook::cli::Cli::parse();
    stepbook::cli::run(cli)
}
