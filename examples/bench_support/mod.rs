//! Timing helpers shared by the benchmark examples.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// The shortest of `runs` timings of `f`: the figure least disturbed by other
/// activity on the machine.
pub(crate) fn best_of<T>(runs: u32, mut f: impl FnMut() -> T) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            let result = f();
            let elapsed = start.elapsed();
            // Dropped outside the timed region: freeing is not what is measured.
            drop(black_box(result));
            elapsed
        })
        .min()
        .unwrap_or_default()
}

pub(crate) fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1_000.0
}
