//! The resources a quota and a limit range bound, and a spec's amount of
//! one.

use crate::spec::{ComputeAmounts, Quantity};

/// The resources quotas and limit ranges cap here.
pub(super) const RESOURCES: [&str; 2] = ["cpu", "memory"];

pub(super) fn amount<'a>(amounts: &'a ComputeAmounts, resource: &str) -> Option<&'a Quantity> {
    match resource {
        "cpu" => amounts.cpu.as_ref(),
        _ => amounts.memory.as_ref(),
    }
}
