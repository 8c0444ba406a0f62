//! One part of a platform lowered in parts (`lower_visiting`): a workload's
//! objects with the platform-wide ones, as one render would hold them.

use crate::object::Manifest;

/// The platform-wide objects and one workload's, in apply order. The sort is
/// stable over the platform-wide objects first, so a part is in the order the
/// whole render puts the same objects in.
pub fn part_in_apply_order<'a>(
    platform_wide: &'a [Manifest],
    workload: &'a [Manifest],
) -> Vec<&'a Manifest> {
    let mut part: Vec<&Manifest> = platform_wide.iter().chain(workload).collect();
    part.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    part
}
