//! The C allocator's settings for one run of the command line (glibc only; other C libraries
//! and targets keep their defaults).
//!
//! glibc gives each thread that finds the allocator busy an arena of its own (up to 8 per
//! core), and grows such an arena 4 KiB at a time, one `mprotect` call each, all of them
//! serialised on the process's memory map lock with every page fault of the other threads. A
//! warm `check` of 10,000 pages made 41,000 such calls (a quarter of its system time, with
//! the lock waits). One arena, grown with `brk` like a single-threaded program's, makes about
//! 1,400 calls, and its peak memory is lower (263 against 271 MiB); the rayon workers share
//! its lock, which on this program's allocation pattern costs less than the growth did.

/// Applies the settings. Call it first thing, before any thread is started: glibc consults
/// `M_ARENA_MAX` whenever it would make another arena. `GLIBC_TUNABLES=glibc.malloc.arena_max=N`
/// in the environment still wins (it is read when the process starts; this only changes the
/// default it leaves).
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let set_by_user = std::env::var("GLIBC_TUNABLES").is_ok_and(|t| t.contains("arena_max"));
        if !set_by_user {
            // SAFETY: mallopt only changes the allocator's parameters; M_ARENA_MAX takes a
            // count, and glibc ignores a call it cannot honour (it returns 0).
            unsafe {
                libc::mallopt(libc::M_ARENA_MAX, 1);
            }
        }
    }
}
