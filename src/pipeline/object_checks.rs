//! The checks `check` makes of each object by itself: its schema, and what
//! it provides and refers to. They run on a thread of their own while the
//! main thread lowers the next workload and runs the policy rules, so a
//! large `check` uses two cores; the objects are moved to that thread, which
//! also frees them.

use std::sync::mpsc;

use crate::diagnostic::Diagnostics;
use crate::object::Manifest;
use crate::validate::{ObjectValidator, References};

/// How many workloads' objects may wait for the checking thread: enough to
/// absorb a large workload, few enough that memory stays that of a handful
/// of workloads.
const WAITING_BATCHES: usize = 32;

/// What the object checks found: schema violations, in the order the
/// objects were lowered, and the references recorded for resolution.
pub(super) struct Judged {
    pub(super) invalid: Diagnostics,
    pub(super) references: References,
}

/// Runs `lower`, which hands each batch of objects to the function it is
/// given once it has no further use for them; each object is validated
/// (when there is a `validator`) and its references recorded on a second
/// thread, in the order the batches come.
pub(super) fn alongside<R>(
    validator: Option<ObjectValidator>,
    lower: impl FnOnce(&mut dyn FnMut(Vec<Manifest>)) -> R,
) -> (R, Judged) {
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::sync_channel::<Vec<Manifest>>(WAITING_BATCHES);
        let worker = scope.spawn(move || {
            let mut judged = Judged {
                invalid: Diagnostics::default(),
                references: References::new(),
            };
            for batch in receiver {
                for object in &batch {
                    if let Some(validator) = &validator {
                        validator
                            .validate(object)
                            .into_iter()
                            .for_each(|d| judged.invalid.push(d));
                    }
                    judged.references.record(object);
                }
            }
            judged
        });
        let result = {
            // A send fails only when the checking thread has stopped, that
            // is panicked: `join` below passes the panic on.
            let mut hand_over = |batch: Vec<Manifest>| {
                let _ = sender.send(batch);
            };
            lower(&mut hand_over)
        };
        drop(sender);
        let judged = worker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (result, judged)
    })
}
