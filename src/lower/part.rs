//! One part of a platform lowered in parts (`lower_visiting`): a workload's
//! objects with the platform-wide ones, as one render would hold them.

use crate::object::{Manifest, sort_in_apply_order};

/// `objects` in apply order. The sort is stable, so objects with one sort
/// key (only duplicates, which lowering reports) keep the order they came
/// in.
pub fn in_apply_order(objects: &[Manifest]) -> Vec<&Manifest> {
    let mut sorted: Vec<&Manifest> = objects.iter().collect();
    sort_in_apply_order(&mut sorted, |manifest| *manifest);
    sorted
}

/// The platform-wide objects, already in apply order (sorted once by
/// [`in_apply_order`] for every part), and one workload's, merged in apply
/// order. On equal sort keys the platform-wide object comes first, so a part
/// is in the order a stable sort of the platform-wide objects followed by the
/// workload's gives: the order the whole render puts the same objects in.
pub fn part_in_apply_order<'a>(
    platform_wide: &[&'a Manifest],
    workload: &'a [Manifest],
) -> Vec<&'a Manifest> {
    let own = in_apply_order(workload);
    let mut part = Vec::with_capacity(platform_wide.len() + own.len());
    let (mut shared, mut own) = (
        platform_wide.iter().copied().peekable(),
        own.into_iter().peekable(),
    );
    while let (Some(first), Some(second)) = (shared.peek(), own.peek()) {
        if second.sort_key() < first.sort_key() {
            part.extend(own.next());
        } else {
            part.extend(shared.next());
        }
    }
    part.extend(shared);
    part.extend(own);
    part
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn object(kind: &str, name: &str, origin: u32) -> Manifest {
        let value = serde_json::json!({
            "apiVersion": "v1",
            "kind": kind,
            "metadata": {"name": name, "namespace": "shop"},
        });
        let origin = Span::new(crate::source::FileId(0), origin as usize, origin as usize);
        Manifest::from_value(value, origin).expect("the object has an identity")
    }

    /// The merge gives what a stable sort of the concatenation gives,
    /// duplicates (equal sort keys) included.
    #[test]
    fn a_part_is_the_stable_sort_of_both() {
        let platform_wide = vec![
            object("Service", "b", 1),
            object("Namespace", "shop", 2),
            object("ConfigMap", "dup", 3),
            object("ServiceAccount", "z", 4),
        ];
        let workload = vec![
            object("Deployment", "a", 10),
            object("ConfigMap", "dup", 11),
            object("Service", "a", 12),
            object("ConfigMap", "dup", 13),
            object("Namespace", "other", 14),
        ];
        let mut expected: Vec<&Manifest> = platform_wide.iter().chain(&workload).collect();
        expected.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let part = part_in_apply_order(&in_apply_order(&platform_wide), &workload);
        let origins =
            |objects: &[&Manifest]| objects.iter().map(|m| m.origin.start).collect::<Vec<_>>();
        assert_eq!(origins(&part), origins(&expected));
        // The platform-wide duplicate stays ahead of the workload's two.
        let dups: Vec<u32> = part
            .iter()
            .filter(|m| m.name() == "dup")
            .map(|m| m.origin.start)
            .collect();
        assert_eq!(dups, [3, 11, 13]);
        assert_eq!(
            origins(&part_in_apply_order(&[], &workload)),
            origins(&in_apply_order(&workload))
        );
        assert_eq!(
            origins(&part_in_apply_order(&in_apply_order(&platform_wide), &[])),
            origins(&in_apply_order(&platform_wide))
        );
    }
}
