//! Work on two threads whose results do not depend on the threads, only
//! when they are ready: mapping items, the results in the items' order
//! (each object's place in a Kustomize tree, each environment's
//! compilation), and two independent pieces of work joined (the traffic
//! graph, built while the platform-wide objects are lowered).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// `items.iter().map(map)`, every item mapped before this returns, on the
/// calling thread and one more, which take `chunk` items at a time in
/// turn: the work is shared however unevenly it is spread (a namespace's
/// alert rules may weigh as much as hundreds of other objects). Fewer than
/// two chunks of items are mapped on the calling thread alone.
pub fn map_in_order<T, R>(items: &[T], chunk: usize, map: impl Fn(&T) -> R + Sync) -> InOrder<R>
where
    T: Sync,
    R: Send,
{
    let chunk = chunk.max(1);
    if items.len() < 2 * chunk {
        return InOrder::of(vec![items.iter().map(map).collect()]);
    }
    let next = AtomicUsize::new(0);
    // Only shared references are captured, so the closure is `Copy`: one
    // copy runs on each thread.
    let work = || {
        let mut done = Vec::new();
        loop {
            let taken = next.fetch_add(1, Ordering::Relaxed);
            let Some(slice) = items.chunks(chunk).nth(taken) else {
                return done;
            };
            done.push((taken, slice.iter().map(&map).collect::<Vec<R>>()));
        }
    };
    let mut chunks = std::thread::scope(|scope| {
        // When no thread can be started, this one takes every chunk.
        let helper = std::thread::Builder::new().spawn_scoped(scope, work);
        let mut chunks = work();
        if let Ok(helper) = helper {
            chunks.extend(
                helper
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        chunks
    });
    chunks.sort_unstable_by_key(|(taken, _)| *taken);
    InOrder::of(chunks.into_iter().map(|(_, results)| results).collect())
}

/// The results of [`map_in_order`], in the items' order. Handed out from
/// the chunks they were made in, not gathered into one vector first:
/// results can be large (a workload's spec is over 2 KB), and every copy of
/// ten thousand of them into fresh memory costs milliseconds. The count is
/// exact, so collecting them allocates once.
#[derive(Debug)]
pub struct InOrder<R> {
    chunks: std::vec::IntoIter<Vec<R>>,
    current: std::vec::IntoIter<R>,
    left: usize,
}

impl<R> InOrder<R> {
    fn of(chunks: Vec<Vec<R>>) -> Self {
        Self {
            left: chunks.iter().map(Vec::len).sum(),
            chunks: chunks.into_iter(),
            current: Vec::new().into_iter(),
        }
    }
}

impl<R> Iterator for InOrder<R> {
    type Item = R;

    fn next(&mut self) -> Option<R> {
        loop {
            if let Some(result) = self.current.next() {
                self.left -= 1;
                return Some(result);
            }
            self.current = self.chunks.next()?.into_iter();
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<R> ExactSizeIterator for InOrder<R> {}

/// `(first(), second())`, with `first` on a second thread while this one
/// runs `second` when the work is `worth_a_thread` (starting one costs more
/// than small work saves). Otherwise, or when no thread can be started,
/// both run here, `first` first.
pub fn join<A, B>(
    worth_a_thread: bool,
    first: impl FnOnce() -> A + Send,
    second: impl FnOnce() -> B,
) -> (A, B)
where
    A: Send,
{
    if !worth_a_thread {
        return (first(), second());
    }
    // Held where the helper can take it, and this thread can take it back
    // when the helper never starts.
    let first = Mutex::new(Some(first));
    let take = || first.lock().unwrap_or_else(PoisonError::into_inner).take();
    std::thread::scope(|scope| {
        let helper = std::thread::Builder::new().spawn_scoped(scope, || take().map(|run| run()));
        let second = second();
        let first = match helper {
            Ok(helper) => helper
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => None,
        };
        let first = first.or_else(|| take().map(|run| run()));
        (
            first.expect("`first` runs on one thread or the other"),
            second,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_items_order_at_every_size() {
        for (size, chunk) in [(0, 4), (1, 4), (7, 4), (8, 4), (2, 1), (327, 32), (50, 0)] {
            let items: Vec<usize> = (0..size).collect();
            // Uneven work, so the threads finish their chunks out of order.
            let mapped = map_in_order(&items, chunk, |&item| {
                if item % 97 == 0 {
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                item * 2
            });
            // The count is known before any result is taken.
            assert_eq!(mapped.len(), size);
            assert_eq!(
                mapped.collect::<Vec<_>>(),
                items.iter().map(|item| item * 2).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn join_returns_both_results_and_lends_the_second_mutable_state() {
        let mut pushed = Vec::new();
        let (first, ()) = join(
            true,
            || {
                std::thread::sleep(std::time::Duration::from_millis(2));
                "built"
            },
            || pushed.push(1),
        );
        assert_eq!((first, pushed), ("built", vec![1]));
        let mut order = Vec::new();
        let (first, ()) = join(false, || "small", || order.push(2));
        assert_eq!((first, order), ("small", vec![2]));
    }
}
