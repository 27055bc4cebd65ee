//! Running documents on every core without nesting them.
//!
//! Typst parallelises inside a compilation with rayon. If documents were rayon tasks
//! too, a thread waiting inside one compilation would pick up another whole document
//! and run it on top of its own stack; with hundreds of documents that overflows the
//! stack. So documents run on plain worker threads (one per core, with a roomy stack)
//! that take the next document from a shared counter, and rayon's pool only ever sees
//! Typst's own small tasks.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// Stack of a document worker: Typst's layout recurses deeply in large tables.
const WORKER_STACK: usize = 64 * 1024 * 1024;

/// Maps `f` over `items` on one worker per core (or on the calling thread when
/// `sequential`), returning results in the order of `items`.
pub fn map<T: Sync, R: Send>(items: &[T], sequential: bool, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let cores = thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let workers = if sequential { 1 } else { cores.min(items.len()) };
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    thread::scope(|scope| {
        for _ in 0..workers {
            let worker = || {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(index) else { break };
                    let result = f(item);
                    if let Ok(mut slot) = slots[index].lock() {
                        *slot = Some(result);
                    }
                }
            };
            // A worker that cannot be spawned leaves its share to the others.
            let _ = thread::Builder::new().stack_size(WORKER_STACK).spawn_scoped(scope, worker);
        }
    });
    // Every index below `items.len()` was taken by exactly one worker, so every slot is
    // filled unless `f` panicked, in which case the scope has already re-raised it.
    let results: Vec<R> = slots.into_iter().filter_map(|slot| slot.into_inner().ok().flatten()).collect();
    if results.len() == items.len() {
        return results;
    }
    // No worker could be spawned at all: do the work here.
    items.iter().map(f).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_order_and_runs_everything() {
        let items: Vec<u32> = (0..1000).collect();
        let doubled = super::map(&items, false, |x| x * 2);
        assert_eq!(doubled, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        assert_eq!(super::map(&items[..0], false, |x| *x), Vec::<u32>::new());
        assert_eq!(super::map(&items[..3], true, |x| x + 1), vec![1, 2, 3]);
    }
}
