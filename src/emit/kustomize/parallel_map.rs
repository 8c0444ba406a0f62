//! Mapping the objects of a large render on two threads, the results in the
//! objects' order: what each result is does not depend on the threads, only
//! when it is ready.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Items taken at a time: small enough that one thread is not left with
/// the last large run while the other waits, large enough that taking them
/// costs nothing.
const CHUNK: usize = 32;

/// Fewer items than this are mapped on the calling thread: starting a
/// thread would cost more than it saves.
const PARALLEL_FROM: usize = 4 * CHUNK;

/// `items.iter().map(map).collect()`, on the calling thread and one more.
/// The threads take chunks of items in turn, so the work is shared however
/// unevenly it is spread (a namespace's alert rules may weigh as much as
/// hundreds of other objects).
pub(super) fn parallel_map<T, R>(items: &[T], map: impl Fn(&T) -> R + Sync) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    if items.len() < PARALLEL_FROM {
        return items.iter().map(map).collect();
    }
    let next = AtomicUsize::new(0);
    // Only shared references are captured, so the closure is `Copy`: one
    // copy runs on each thread.
    let work = || {
        let mut done = Vec::new();
        loop {
            let chunk = next.fetch_add(1, Ordering::Relaxed);
            let Some(slice) = items.chunks(CHUNK).nth(chunk) else {
                return done;
            };
            done.push((chunk, slice.iter().map(&map).collect::<Vec<R>>()));
        }
    };
    let mut chunks = std::thread::scope(|scope| {
        let helper = scope.spawn(work);
        let mut chunks = work();
        chunks.extend(
            helper
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        );
        chunks
    });
    chunks.sort_unstable_by_key(|(chunk, _)| *chunk);
    chunks
        .into_iter()
        .flat_map(|(_, results)| results)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_items_order_at_every_size() {
        for size in [0, 1, PARALLEL_FROM - 1, PARALLEL_FROM, 10 * CHUNK + 7] {
            let items: Vec<usize> = (0..size).collect();
            // Uneven work, so the threads finish their chunks out of order.
            let mapped = parallel_map(&items, |&item| {
                if item % 97 == 0 {
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                item * 2
            });
            assert_eq!(
                mapped,
                items.iter().map(|item| item * 2).collect::<Vec<_>>()
            );
        }
    }
}
