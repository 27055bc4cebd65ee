//! Bounded memory for layout: Typst has no allocation cap, so a form template that builds
//! a huge array (`range(1e9)`) or thousands of pages would take the machine's memory until
//! the kernel ends some process, maybe another one. The layout watchdog reads the
//! process's resident memory while a document is laid out and stops the build with error
//! E0405 past a limit ([`default_limit`]: a quarter of the machine, at least 1 GiB;
//! `--memory-limit`). An allocation the system refuses outright (under `ulimit -v`) ends
//! the process with the same error in Chinese instead of Rust's English abort
//! ([`GuardedAllocator`], the binary's global allocator).
//!
//! The allocator underneath is mimalloc rather than glibc's: Typst's layout and PDF export
//! allocate and free small objects from both workers at once, and glibc's arena locks and
//! free-list work were 12–14 % of a build's CPU (`build --force` of 50 tables: 0.43–0.46 s
//! with glibc, 0.40–0.44 s with mimalloc; BENCHMARKS.md, fourteenth session).

use std::alloc::{GlobalAlloc, Layout};

use mimalloc::MiMalloc;

/// The memory the process holds in RAM, in bytes (Linux; `None` elsewhere).
pub fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * page_size())
}

fn page_size() -> u64 {
    #[cfg(unix)]
    {
        // SAFETY: sysconf has no preconditions.
        let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        if size > 0 {
            return size as u64;
        }
    }
    4096
}

/// The machine's memory in bytes (Linux; `None` elsewhere).
pub fn machine_bytes() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The limit unless told otherwise: a quarter of the machine's memory, at least 1 GiB (a
/// combined report of a thousand projects needs a few hundred megabytes).
pub fn default_limit() -> u64 {
    const GIB: u64 = 1024 * 1024 * 1024;
    machine_bytes().map_or(4 * GIB, |total| (total / 4).max(GIB))
}

/// mimalloc, saying in Chinese why the process ends when the system refuses
/// memory (Rust's own handler prints "memory allocation of N bytes failed" and aborts).
pub struct GuardedAllocator;

// SAFETY: every call is passed to mimalloc unchanged; only a refusal (a null
// pointer) is handled, by ending the process.
unsafe impl GlobalAlloc for GuardedAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on.
        let pointer = unsafe { MiMalloc.alloc(layout) };
        if pointer.is_null() {
            refused(layout.size());
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above.
        let pointer = unsafe { MiMalloc.alloc_zeroed(layout) };
        if pointer.is_null() {
            refused(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { MiMalloc.dealloc(pointer, layout) }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let moved = unsafe { MiMalloc.realloc(pointer, layout, new_size) };
        if moved.is_null() {
            refused(new_size);
        }
        moved
    }
}

/// Ends the process with E0405, writing the message without allocating.
fn refused(size: usize) -> ! {
    let mut buffer = [0u8; 1024];
    let mut cursor = std::io::Cursor::new(&mut buffer[..]);
    let _ = std::io::Write::write_fmt(
        &mut cursor,
        format_args!(
            "\n错误[E0405]: 内存不足：系统拒绝再分配 {} MB 内存，已停止生成\n  = 提示：多为表样模板中有过大的计算或过多的页；也可能是本机（或 ulimit）允许的内存太少。已经生成的 PDF 保持不变。\n",
            size.div_ceil(1024 * 1024)
        ),
    );
    let written = cursor.position() as usize;
    #[cfg(unix)]
    // SAFETY: writing a valid buffer to standard error, then ending the process at once
    // (no destructors, which might allocate).
    unsafe {
        libc::write(2, buffer.as_ptr().cast(), written);
        libc::_exit(1);
    }
    #[cfg(not(unix))]
    {
        let _ = written;
        std::process::abort();
    }
}

/// Sets the allocator up; called first thing in `main`. mimalloc asks the kernel for
/// transparent huge pages, whose 2 MiB a page touched at all makes resident: at 50 tables
/// the peak was 166–199 MB with them and 130–147 MB without, at the same speed. The process
/// turns them off (as mimalloc's own `MIMALLOC_ALLOW_THP=0` does; its options are read
/// before `main`).
pub fn configure() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Returns memory the allocator holds free to the system (after a batch of years, whose
/// worker threads have ended: their free pages would otherwise wait for mimalloc's purge
/// delay while the next batch allocates).
pub fn give_back() {
    // SAFETY: `mi_collect` only frees memory no allocation refers to.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn the_process_and_the_machine_are_measured() {
        let resident = resident_bytes().unwrap();
        let total = machine_bytes().unwrap();
        assert!(resident > 1024 * 1024 && resident < total, "{resident} of {total}");
        assert!(default_limit() >= 1024 * 1024 * 1024 && default_limit() <= total.max(1 << 30));
    }
}
