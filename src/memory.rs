//! Handing memory the app has freed back to the system.
//!
//! glibc keeps what a thread frees in that thread's arena, and returns pages to the system only
//! from the top of an arena, once more than a threshold is free there; by default that
//! threshold grows with the largest block the app has freed, up to 64 MB. A background job
//! (reading a large pack, checking or backing up the progress file, fitting the memory model)
//! allocates tens of MB of temporaries between the allocations it keeps, so once it is done
//! those pages would stay resident although nothing uses them. Other allocators (musl, macOS,
//! Windows) give such memory back themselves and have no call for it.

/// Free memory an arena may keep at its top before glibc gives it back to the system.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const TRIM_THRESHOLD: libc::c_int = 1 << 20;

/// Fixes glibc's trim threshold at 1 MiB, so a thread's arena gives back what is free at its
/// top after a job rather than keeping up to 64 MB of it. Setting it also keeps blocks of
/// 128 KiB and more in mappings of their own, returned to the system when freed. Call it once,
/// first thing in `main`, before any thread starts.
pub fn limit_retained() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        #[allow(unsafe_code)]
        // SAFETY: `mallopt` takes no pointers; it runs before any other thread exists.
        unsafe {
            libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD);
        }
    }
}

/// Asks the allocator to return the free pages inside every arena to the system (what
/// [`limit_retained`] does not reach: free blocks below ones still in use). glibc locks each
/// arena in turn while it walks it, so call it at the end of a background job, not in the
/// frame loop. Returns whether anything was given back; off glibc it does nothing.
pub fn release_freed() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        #[allow(unsafe_code)]
        // SAFETY: `malloc_trim` takes no pointers; glibc serializes it with every other
        // allocator call.
        let released = unsafe { libc::malloc_trim(0) == 1 };
        released
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}
