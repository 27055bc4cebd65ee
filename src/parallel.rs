//! Running documents on every core without nesting them.
//!
//! Typst parallelises inside a compilation with rayon. If documents were rayon tasks
//! too, a thread waiting inside one compilation would pick up another whole document
//! and run it on top of its own stack; with hundreds of documents that overflows the
//! stack. So documents run on plain worker threads (one per core, with a roomy stack)
//! that take the next task from a shared queue, and rayon's pool only ever sees Typst's
//! own small tasks. A task may queue follow-up tasks (a report once its last table is
//! laid out); they run before the remaining initial tasks, which keeps the number of
//! half-finished reports, and the memory they hold, small.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;

/// Stack of a document worker: Typst's layout recurses deeply in large tables.
const WORKER_STACK: usize = 64 * 1024 * 1024;

/// The tasks still to run, shared by the workers.
pub struct Queue<T> {
    state: Mutex<State<T>>,
    wake: Condvar,
}

struct State<T> {
    initial: VecDeque<T>,
    follow_ups: VecDeque<T>,
    running: usize,
}

impl<T> Queue<T> {
    /// Queues a follow-up task; it runs before the remaining initial tasks.
    pub fn push(&self, task: T) {
        self.lock().follow_ups.push_back(task);
        self.wake.notify_one();
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The next task, waiting while none is queued but some running task may still
    /// queue one; `None` when everything is done.
    fn next(&self) -> Option<T> {
        let mut state = self.lock();
        loop {
            if let Some(task) = state.follow_ups.pop_front().or_else(|| state.initial.pop_front()) {
                state.running += 1;
                return Some(task);
            }
            if state.running == 0 {
                return None;
            }
            state = self.wake.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// Marks a task finished when dropped, also when it panicked, so that no worker waits
/// for it forever.
struct Finished<'a, T>(&'a Queue<T>);

impl<T> Drop for Finished<'_, T> {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.running -= 1;
        if state.running == 0 {
            self.0.wake.notify_all();
        }
    }
}

/// Runs `f` on `tasks` and on every follow-up task `f` queues, on one worker per core.
/// Returns the results in the order the tasks finished; a task is dropped as soon as it
/// has run.
pub fn run<T: Send, R: Send>(tasks: Vec<T>, f: impl Fn(T, &Queue<T>) -> R + Sync) -> Vec<R> {
    run_on(thread::available_parallelism().map(|n| n.get()).unwrap_or(1), tasks, f)
}

/// [`run`] on at most `cores` workers (one: on the calling thread).
fn run_on<T: Send, R: Send>(cores: usize, tasks: Vec<T>, f: impl Fn(T, &Queue<T>) -> R + Sync) -> Vec<R> {
    let workers = cores.min(tasks.len()).max(1);
    let queue = Queue {
        state: Mutex::new(State { initial: tasks.into(), follow_ups: VecDeque::new(), running: 0 }),
        wake: Condvar::new(),
    };
    let results = Mutex::new(Vec::new());
    let work = || {
        while let Some(task) = queue.next() {
            let finished = Finished(&queue);
            let result = f(task, &queue);
            results.lock().unwrap_or_else(PoisonError::into_inner).push(result);
            drop(finished);
        }
    };
    if workers == 1 {
        work();
    } else {
        thread::scope(|scope| {
            let spawned = (0..workers)
                .filter(|_| thread::Builder::new().stack_size(WORKER_STACK).spawn_scoped(scope, work).is_ok())
                .count();
            // No worker could be spawned at all: do the work here.
            if spawned == 0 {
                work();
            }
        });
    }
    results.into_inner().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn runs_every_task_and_follow_up_once() {
        for cores in [2, 1] {
            // Each task n > 0 queues n - 1 as a follow-up once: 100 + 99 + … runs in all.
            let tasks: Vec<(u32, bool)> = (0..100).map(|n| (n, true)).collect();
            let calls = AtomicUsize::new(0);
            let mut done = super::run_on(cores, tasks, |(n, initial), queue| {
                calls.fetch_add(1, Ordering::Relaxed);
                if initial && n > 0 {
                    queue.push((n - 1, false));
                }
                (n, initial, n * 2)
            });
            assert_eq!(calls.load(Ordering::Relaxed), 199);
            done.sort();
            assert_eq!(done.len(), 199);
            assert!(done.iter().all(|&(n, _, r)| r == n * 2));
            assert_eq!(done.iter().filter(|(_, initial, _)| !initial).count(), 99);
        }
        assert!(super::run(Vec::<u32>::new(), |x, _| x).is_empty());
    }

    #[test]
    fn follow_ups_run_before_remaining_initial_tasks() {
        let order = std::sync::Mutex::new(Vec::new());
        super::run_on(1, vec![1, 2, 3], |n, queue| {
            order.lock().unwrap().push(n);
            if n == 1 {
                queue.push(10);
            }
        });
        assert_eq!(*order.lock().unwrap(), vec![1, 10, 2, 3]);
    }
}
